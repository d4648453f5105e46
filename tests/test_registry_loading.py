"""Loading the built-ins: all or nothing, and retried after a failure."""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from actviz import registry
from actviz.errors import ActvizError
from actviz.types import Activation, Definitions


@pytest.fixture
def empty_registry(monkeypatch):
    """A registry that has not loaded its built-ins yet (restored after the test)."""
    monkeypatch.setattr(registry, "_REGISTRY", {})
    monkeypatch.setattr(registry, "_LOOKUP", {})
    monkeypatch.setattr(registry, "_BUILTINS_LOADED", False)


def fake_builtins(monkeypatch, *definitions: Activation) -> None:
    module = types.ModuleType("actviz.activations")
    module.definitions = lambda: list(definitions)
    monkeypatch.setitem(sys.modules, "actviz.activations", module)
    monkeypatch.setattr(sys.modules["actviz"], "activations", module, raising=False)


def unit(name: str, *aliases: str) -> Activation:
    return Activation(name=name, function=np.negative, aliases=aliases)


def test_a_failed_import_leaves_the_registry_empty_and_is_retried(empty_registry, monkeypatch):
    monkeypatch.setitem(sys.modules, "actviz.activations", None)  # import raises ImportError
    monkeypatch.delattr(sys.modules["actviz"], "activations", raising=False)
    with pytest.raises(ImportError):
        registry.names()
    assert registry._REGISTRY == {} and registry._LOOKUP == {}
    assert registry._BUILTINS_LOADED is False
    fake_builtins(monkeypatch, unit("first"), unit("second"))
    assert registry.names() == ["first", "second"]  # the next call loads them
    assert registry._BUILTINS_LOADED is True


def test_a_clash_half_way_adds_none_of_the_built_ins(empty_registry, monkeypatch):
    fake_builtins(monkeypatch, unit("first", "one"), unit("second"), unit("third", "one"))
    with pytest.raises(ActvizError, match="already used by 'first'"):
        registry.names()
    assert registry._REGISTRY == {} and registry._LOOKUP == {}
    assert registry._BUILTINS_LOADED is False
    fake_builtins(monkeypatch, unit("first", "one"), unit("second"))
    assert registry.names(aliases=True) == ["first", "second", "one"]


def test_built_ins_load_once_in_family_order(empty_registry):
    from actviz import activations

    expected = [d.name for d in activations.definitions()]
    assert registry.names() == expected
    assert registry.names() == expected  # a second call adds nothing
    assert len(expected) == 48
    assert activations.definitions()[0].family == "sigmoid-like"


def test_definitions_are_plain_data_until_the_registry_collects_them():
    collected = Definitions()
    act = collected.define(unit("plain_data"))
    assert collected == [act]
    with pytest.raises(KeyError):
        registry._REGISTRY["plain_data"]
    with pytest.raises(TypeError, match="takes an Activation"):
        collected.define("relu")
