"""Atomic writes: a failure leaves neither a partial target nor a temporary file."""

from __future__ import annotations

import pytest

from actviz._io import atomic_path, ensure_dir, write_text
from actviz.errors import ActvizError


def test_write_and_overwrite(tmp_path):
    target = tmp_path / "out.txt"
    write_text(target, "first")
    write_text(target, "second")
    assert target.read_text() == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "figure.png"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        assert tmp.suffix == ".png" and tmp.parent == tmp_path
        tmp.write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figure.png"]


def test_missing_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(ActvizError, match="does not exist"), atomic_path(
            tmp_path / "nope" / "x.png"):
        pass
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ActvizError, match="cannot create folder"):
        ensure_dir(blocker / "sub")
