(function () {
  "use strict";
  var started = performance.now();
  var DATA = JSON.parse(document.getElementById("actviz-data").textContent);
  var ITEM = JSON.parse(document.getElementById("actviz-plot-item").textContent);
  var UI = DATA.ui, ENTRIES = DATA.entries, COLORS = DATA.colors, MAX = DATA.max_overlays;

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : m;
    });
  }
  // Elements are built from text only: strings become Text nodes, never HTML.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === undefined || value === null) return;
        if (key === "text") node.textContent = value;
        else if (key === "class") node.className = value;
        else node.setAttribute(key, value);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.append(child);
    }
    return node;
  }

  // ---------------------------------------------------------------- data
  var FLOATS = (function () {
    var text = atob(DATA.buffer), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  })();
  function curveArrays(id) {
    var c = DATA.curves[id], n = c.n, o = c.offset;
    return {x: FLOATS.subarray(o, o + n), y: FLOATS.subarray(o + n, o + 2 * n),
            dy: FLOATS.subarray(o + 2 * n, o + 3 * n)};
  }

  // ---------------------------------------------------------------- state
  var state = {
    index: ENTRIES.map(function (e) { return e.params.map(function (p) { return p.start; }); }),
    moved: ENTRIES.map(function () { return -1; }),
    slots: [], focus: null,
    derivative: false, saturated: false, dead: false
  };
  for (var s = 0; s < MAX; s++) state.slots.push(null);

  // The cell of the sliders' positions, by the rule the data states (explorer.py):
  // grid: sum of idx[k] * strides[k]; axes: offsets[k] + idx[k] for the slider k last moved.
  function cellOf(i) {
    var e = ENTRIES[i], idx = state.index[i];
    if (!e.params.length) return 0;
    if (e.mode === "grid") {
      var flat = 0;
      for (var k = 0; k < e.params.length; k++) flat += idx[k] * e.strides[k];
      return flat;
    }
    var moved = state.moved[i] < 0 ? 0 : state.moved[i];
    return e.offsets[moved] + idx[moved];
  }
  function curveOf(i) { return ENTRIES[i].cells[cellOf(i)]; }
  function slotOf(i) { return state.slots.indexOf(i); }
  function legendLabel(i) {
    var e = ENTRIES[i], idx = state.index[i];
    if (!e.params.length) return e.label;
    var parts = e.params.map(function (p, k) { return (p.symbol_text || p.name) + "=" + p.labels[idx[k]]; });
    return e.display_name + " (" + parts.join(", ") + ")";
  }

  // ---------------------------------------------------------------- Bokeh models
  var M = null;
  function models(doc) {
    function get(name) {
      var m = doc.get_model_by_name(name);
      if (!m) throw new Error("actviz: no Bokeh model " + name);
      return m;
    }
    var legendF = [];
    for (var s = 0; s < MAX; s++) legendF.push(get("legend-f-" + s));
    return {curves: get("curves"), f: get("f"), df: get("df"),
            saturated: get("saturated"), dead: get("dead"),
            saturatedSource: get("saturated-source"), deadSource: get("dead-source"),
            legendF: legendF, y: get("y_range"), x: get("x_range")};
  }

  var EMPTY = new Float32Array(0);
  // Put the arrays of every overlay slot (or only ``only``) into the Bokeh sources.
  function draw(only) {
    var old = M.curves.data;
    var xs = old.xs.slice(), ys = old.ys.slice(), dys = old.dys.slice();
    var marks = {saturated: {xs: [], ys: [], color: []}, dead: {xs: [], ys: [], color: []}};
    for (var s = 0; s < MAX; s++) {
      var i = state.slots[s];
      var id = i === null ? -1 : curveOf(i);
      if (only === undefined || only === s) {
        if (id >= 0) {
          var arrays = curveArrays(id);
          xs[s] = arrays.x; ys[s] = arrays.y; dys[s] = arrays.dy;
        } else {
          xs[s] = EMPTY; ys[s] = EMPTY; dys[s] = EMPTY;
        }
        if (i !== null) {
          M.legendF[s].label = {value: legendLabel(i) + (id >= 0 ? "" : " \u2014 " + UI.unavailable)};
        }
        M.legendF[s].visible = i !== null;
      }
      if (id >= 0) {
        DATA.curves[id].highlights.forEach(function (h) {
          var o = h.offset, n = h.n, target = marks[h.kind];
          target.xs.push(FLOATS.subarray(o, o + n));
          target.ys.push(FLOATS.subarray(o + n, o + 2 * n));
          target.color.push(h.kind === "dead" ? "#333333" : COLORS[s]);
        });
      }
    }
    M.curves.data = {xs: xs, ys: ys, dys: dys, color: old.color};
    M.saturatedSource.data = marks.saturated;
    M.deadSource.data = marks.dead;
    M.df.visible = state.derivative;
    M.saturated.visible = state.saturated;
    M.dead.visible = state.dead;
  }

  // y-limits: fitted to what is shown when the selection changes; a slider only widens them
  function currentRange(i) {
    var id = curveOf(i);
    if (id < 0) return null;
    var c = DATA.curves[id], lo = c.y_range[0], hi = c.y_range[1];
    if (state.derivative) { lo = Math.min(lo, c.dy_range[0]); hi = Math.max(hi, c.dy_range[1]); }
    return [lo, hi];
  }
  function setY(lo, hi) {
    var span = Math.max(hi - lo, 0.5), pad = 0.06 * span;
    M.y.setv({start: lo - pad, end: hi + pad, reset_start: lo - pad, reset_end: hi + pad});
  }
  function fitY() {
    var lo = Infinity, hi = -Infinity;
    state.slots.forEach(function (i) {
      if (i === null) return;
      var r = currentRange(i);
      if (r) { lo = Math.min(lo, r[0]); hi = Math.max(hi, r[1]); }
    });
    if (!isFinite(lo)) { lo = -1; hi = 1; }
    setY(lo, hi);
  }
  function growY(i) {
    var r = currentRange(i);
    if (!r) return;
    var span = M.y.reset_end - M.y.reset_start, pad = 0.06 * Math.max(span, 0.5);
    var lo = M.y.reset_start + pad, hi = M.y.reset_end - pad;
    if (r[0] < lo || r[1] > hi) setY(Math.min(lo, r[0]), Math.max(hi, r[1]));
  }

  // ---------------------------------------------------------------- sidebar
  var listBoxes = [];
  function buildList() {
    var list = document.getElementById("activation-list");
    DATA.families.forEach(function (family) {
      var set = el("fieldset", null, el("legend", {text: DATA.family_labels[family] || family}));
      ENTRIES.forEach(function (e, i) {
        if (e.family !== family) return;
        var box = el("input", {type: "checkbox", "data-entry": String(i), "aria-label": e.label});
        var dot = el("span", {class: "dot"});
        var row = el("label", {class: "act", "data-name": e.name, title: e.name}, box, dot, el("span", {class: "label", text: e.label}));
        box.addEventListener("change", function () {
          if (box.checked) select(i); else deselect(i);
        });
        row.addEventListener("click", function (ev) {
          // clicking the name of an overlaid activation shows its details
          if (ev.target !== box && slotOf(i) >= 0) { ev.preventDefault(); setFocus(i); }
        });
        listBoxes[i] = {box: box, dot: dot, row: row};
        set.append(row);
      });
      list.append(set);
    });
    var filter = document.getElementById("filter");
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      listBoxes.forEach(function (item, i) {
        var e = ENTRIES[i];
        var hit = !q || e.label.toLowerCase().indexOf(q) >= 0 || e.name.indexOf(q) >= 0;
        item.row.style.display = hit ? "" : "none";
      });
    });
  }

  function message(text) { document.getElementById("message").textContent = text || ""; }

  function select(i) {
    if (slotOf(i) >= 0) { setFocus(i); return; }
    var s = state.slots.indexOf(null);
    if (s < 0) {
      listBoxes[i].box.checked = false;
      message(fmt(UI.too_many, {n: MAX}));
      return;
    }
    message("");
    state.slots[s] = i;
    draw(s); fitY();
    setFocus(i);
  }
  function deselect(i) {
    var s = slotOf(i);
    if (s < 0) return;
    state.slots[s] = null;
    draw(s); fitY();
    message("");
    if (state.focus === i) {
      var rest = state.slots.filter(function (j) { return j !== null; });
      setFocus(rest.length ? rest[rest.length - 1] : null);
    } else {
      refreshChrome();
    }
  }

  function refreshChrome() {
    listBoxes.forEach(function (item, i) {
      var s = slotOf(i);
      item.box.checked = s >= 0;
      item.dot.style.background = s >= 0 ? COLORS[s] : "transparent";
      item.row.classList.toggle("focused", i === state.focus);
    });
    var chips = document.getElementById("chips");
    chips.replaceChildren();
    state.slots.forEach(function (i, s) {
      if (i === null) return;
      var e = ENTRIES[i];
      var name = el("button", {type: "button", class: "name", title: UI.focus},
                    el("span", {class: "dot", style: "background:" + COLORS[s]}), e.label);
      name.addEventListener("click", function () { setFocus(i); });
      var close = el("button", {type: "button", class: "close", "aria-label": fmt(UI.remove, {name: e.label}), text: "\u00d7"});
      close.addEventListener("click", function () { deselect(i); });
      chips.append(el("span", {class: "chip" + (i === state.focus ? " focused" : ""), "data-entry": String(i)}, name, close));
    });
    if (!chips.childNodes.length) chips.append(el("span", {class: "muted", text: UI.none_selected}));
  }

  // ---------------------------------------------------------------- details
  var detail = null;  // live elements of the details panel
  function setFocus(i) {
    state.focus = i;
    refreshChrome();
    buildDetails();
  }

  function buildDetails() {
    var box = document.getElementById("details");
    box.replaceChildren();
    detail = null;
    var i = state.focus;
    if (i === null) { box.append(el("p", {class: "muted", text: UI.pick})); return; }
    var e = ENTRIES[i], s = slotOf(i);
    detail = {entry: i, outputs: [], inputs: []};
    box.append(el("h2", null, el("span", {class: "dot", style: "background:" + (s >= 0 ? COLORS[s] : "#999")}),
                  e.display_name, " ", el("code", {text: e.name})));
    var left = el("div"), right = el("div");
    box.append(el("div", {class: "columns"}, left, right));

    // parameters
    left.append(el("h3", {text: UI.parameters}));
    if (!e.params.length) left.append(el("p", {class: "muted", text: UI.no_parameters}));
    if (e.mode === "axes") left.append(el("p", {class: "note", text: fmt(UI.one_at_a_time, {n: e.params.length})}));
    e.params.forEach(function (p, k) {
      var id = "param-" + i + "-" + k;
      var out = el("output", {for: id});
      var input;
      if (p.choices) {
        input = el("select", {id: id, "data-param": p.name});
        p.labels.forEach(function (label, j) { input.append(el("option", {value: String(j), text: label})); });
      } else {
        input = el("input", {type: "range", id: id, min: "0", max: String(p.values.length - 1), step: "1", "data-param": p.name});
      }
      input.value = String(state.index[i][k]);
      input.addEventListener("input", function () { onParam(i, k, Number(input.value)); });
      input.addEventListener("change", function () { onParam(i, k, Number(input.value)); });
      detail.inputs.push(input); detail.outputs.push(out);
      left.append(el("div", {class: "param"},
        el("div", {class: "head"}, el("label", {for: id}, el("code", {text: p.name}),
          p.symbol_text !== p.name ? " (" + p.symbol_text + ")" : ""), out),
        input,
        el("div", {class: "desc", text: p.description + " (" + fmt(UI.allowed, {allowed: p.allowed}) + ")"})));
    });
    if (e.params.length) {
      var reset = el("button", {type: "button", text: UI.reset});
      reset.addEventListener("click", function () {
        state.index[i] = e.params.map(function (p) { return p.start; });
        state.moved[i] = -1;
        paramsChanged(i);
      });
      left.append(reset);
    }
    detail.problem = el("p", {class: "problem"});
    left.append(detail.problem);

    // formulas
    left.append(el("h3", {text: UI.formula}));
    left.append(formulaRow("f(x) =", e.formula, e.latex));
    left.append(el("h3", {text: UI.derivative_heading}));
    left.append(formulaRow("f\u2032(x) =", e.formula_derivative, e.latex_derivative));
    if (e.derivative === "numerical") left.append(el("p", {class: "note", text: UI.numerical_derivative}));
    if (e.derivative_note) left.append(el("p", {class: "note", text: e.derivative_note}));

    // properties, explanation, references
    right.append(el("h3", {text: UI.properties}));
    detail.props = el("table", {class: "props"});
    right.append(detail.props);
    right.append(el("h3", {text: fmt(UI.regions_heading, {lo: DATA.xlim[0], hi: DATA.xlim[1]})}));
    detail.regions = el("p", {class: "regions"});
    right.append(detail.regions);
    if (e.torch) right.append(el("p", {class: "muted"}, "PyTorch: ", el("code", {text: e.torch})));
    if (e.explanation) {
      right.append(el("h3", {text: UI.explanation}));
      right.append(el("p", {class: "explanation", text: e.explanation}));
    }
    if (e.references.length) {
      right.append(el("h3", {text: UI.references}));
      var ul = el("ul");
      e.references.forEach(function (r) {
        var li = el("li", {text: r.text});
        if (r.url && /^https?:\/\//i.test(r.url)) {
          li.append(" ", el("a", {href: r.url, rel: "noopener noreferrer", target: "_blank", text: r.url}));
        }
        ul.append(li);
      });
      right.append(ul);
    }
    updateDetails();
  }

  function formulaRow(lhs, image, tex) {
    var row = el("div", {class: "formula"});
    if (image && /^data:image\/png;base64,[A-Za-z0-9+\/=]+$/.test(image.src)) {
      // drawn at 200 dpi; Computer Modern looks light beside the page's text, so a bit larger
      // than half size; the size is set before loading, so nothing moves when it arrives
      var img = el("img", {alt: lhs + " " + tex, title: tex,
                           width: String(Math.round(image.width / 1.7)),
                           height: String(Math.round(image.height / 1.7))});
      img.src = image.src;
      row.append(img);
    } else {
      row.append(el("span", {class: "lhs", text: lhs}), el("span", {class: "tex", text: tex || "\u2014"}));
    }
    return row;
  }

  function intervalsText(intervals) {
    if (!intervals.length) return UI.nowhere;
    return intervals.map(function (r) {
      return "[" + Number(r[0].toPrecision(3)) + ", " + Number(r[1].toPrecision(3)) + "]";
    }).join(" \u222a ").replace(/-/g, "\u2212");
  }

  function updateDetails() {
    if (!detail) return;
    var i = detail.entry, e = ENTRIES[i], idx = state.index[i];
    e.params.forEach(function (p, k) {
      var input = detail.inputs[k];
      if (Number(input.value) !== idx[k]) input.value = String(idx[k]);
      var text = p.labels[idx[k]] + (idx[k] === p.default ? " " + UI.default_marker : "");
      detail.outputs[k].textContent = text;
      input.setAttribute("aria-valuetext", p.labels[idx[k]]);
    });
    var cell = cellOf(i), id = e.cells[cell];
    detail.problem.textContent = id < 0 ? fmt(UI.not_allowed, {message: e.problems[-1 - id]}) : "";
    detail.props.replaceChildren();
    detail.regions.replaceChildren();
    if (id >= 0) {
      var c = DATA.curves[id];
      detail.regions.append(fmt(UI.saturated_on, {eps: DATA.eps_text}) + " " + intervalsText(c.saturated),
                            el("br"), UI.dead_on + " " + intervalsText(c.dead));
    }
    var p = e.property_of_cell[cell];
    if (p >= 0) {
      e.properties[p].forEach(function (row) {
        detail.props.append(el("tr", null, el("td", {text: row[0]}), el("td", {text: row[1]})));
      });
    }
  }

  function onParam(i, k, value) {
    var e = ENTRIES[i];
    if (e.mode === "axes") {
      // one parameter at a time: the others go back to where they started
      state.index[i] = e.params.map(function (p, j) { return j === k ? value : p.start; });
      state.moved[i] = k;
    } else {
      state.index[i][k] = value;
    }
    paramsChanged(i);
  }

  function paramsChanged(i) {
    var s = slotOf(i);
    if (s >= 0) { draw(s); growY(i); }
    if (detail && detail.entry === i) updateDetails();
  }

  // ---------------------------------------------------------------- toggles
  function bindToggle(id, key) {
    var box = document.getElementById(id);
    box.checked = state[key];
    box.addEventListener("change", function () {
      state[key] = box.checked;
      draw();
      if (key === "derivative") fitY();
    });
  }

  // ---------------------------------------------------------------- start
  buildList();
  Bokeh.set_log_level("warn");
  Bokeh.embed.embed_item(ITEM, "actviz-plot").then(function () {
    var doc = Bokeh.documents[Bokeh.documents.length - 1];
    M = models(doc);
    bindToggle("toggle-derivative", "derivative");
    bindToggle("toggle-saturated", "saturated");
    bindToggle("toggle-dead", "dead");
    document.getElementById("clear").addEventListener("click", function () {
      state.slots.forEach(function (i) { if (i !== null) deselect(i); });
    });
    DATA.initial.forEach(function (i, s) { if (s < MAX) state.slots[s] = i; });
    draw();
    fitY();
    setFocus(DATA.initial.length ? DATA.initial[DATA.initial.length - 1] : null);
    window.actviz = {
      ready: true, state: state, document: doc, started: started, readyAt: performance.now(),
      models: M,
      slotOf: function (name) {
        for (var s = 0; s < MAX; s++) {
          var i = state.slots[s];
          if (i !== null && ENTRIES[i].name === name) return s;
        }
        return -1;
      }
    };
    document.documentElement.setAttribute("data-ready", "true");
    // the first frame with the curves on screen (read by benchmarks/bench_html.py)
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { window.actviz.paintedAt = performance.now(); });
    });
  });
})();
