"""CSS and JavaScript inlined into every report page.

Kept apart from :mod:`carbonshare.report.html` so the page builder reads as
page building. Nothing here is fetched from the network: the page works from a
``file://`` URL with no connection.
"""

from __future__ import annotations

CSS = """
:root {
  --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa;
  --border: #d1d9e0; --accent: #0b5cad; --accent-soft: #e7f0fa;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { scroll-behavior: smooth; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 15px/1.55 var(--font); }
.cs-layout { display: grid; grid-template-columns: 250px minmax(0, 1fr); gap: 0; min-height: 100vh; }
.cs-toc { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow-y: auto;
  padding: 24px 16px; border-right: 1px solid var(--border); background: var(--panel); font-size: 13.5px; }
.cs-toc h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  margin: 0 0 8px; }
.cs-toc ol { list-style: none; margin: 0; padding: 0; }
.cs-toc ol ol { padding-left: 12px; margin: 2px 0 6px; border-left: 2px solid var(--border); }
.cs-toc li { margin: 2px 0; }
.cs-toc a { color: var(--fg); text-decoration: none; display: block; padding: 1px 6px; border-radius: 4px; }
.cs-toc a:hover { background: var(--accent-soft); color: var(--accent); }
.cs-toc .cs-toc-section > a { font-weight: 600; }
main { padding: 28px 40px 40px; max-width: 1180px; }
header.cs-header { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 22px; }
header.cs-header h1 { margin: 0; font-size: 28px; line-height: 1.25; }
header.cs-header p.cs-subtitle { margin: 6px 0 0; color: var(--muted); font-size: 16px; }
h2.cs-section { font-size: 22px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--border); }
.cs-block { margin: 18px 0 28px; }
.cs-block > h3 { font-size: 17px; margin: 0 0 8px; }
.cs-caption { color: var(--muted); font-size: 13.5px; margin: 6px 0 0; }
.cs-md p, .cs-md li { max-width: 80ch; }
.cs-md code, .cs-json pre { font-family: var(--mono); font-size: 13px; }
.cs-md code { background: var(--panel); padding: 1px 4px; border-radius: 3px; }
.cs-md pre { background: var(--panel); padding: 10px; border-radius: 6px; overflow-x: auto; }
.cs-md table { border-collapse: collapse; }
.cs-md th, .cs-md td { border: 1px solid var(--border); padding: 3px 8px; }
.cs-tablewrap { max-height: 520px; overflow: auto; border: 1px solid var(--border); border-radius: 6px;
  width: fit-content; max-width: 100%; }
table.cs-table { border-collapse: separate; border-spacing: 0; font-size: 13.5px; min-width: 320px;
  font-variant-numeric: tabular-nums; }
table.cs-table th, table.cs-table td { padding: 5px 10px; border-bottom: 1px solid #eaeef2;
  white-space: nowrap; text-align: left; vertical-align: top; }
table.cs-table thead th { position: sticky; top: 0; z-index: 2; background: #eef2f6;
  border-bottom: 1px solid var(--border); font-weight: 600; }
table.cs-table td.cs-num, table.cs-table th.cs-num { text-align: right; }
table.cs-table tbody tr:nth-child(even) { background: #fafbfc; }
table.cs-table tbody tr:hover { background: var(--accent-soft); }
table.cs-table td.cs-na { color: #8c959f; }
/* wide tables scroll sideways inside their frame; the first column (the key) stays in view */
table.cs-table tbody td:first-child { position: sticky; left: 0; z-index: 1; background: #fff;
  box-shadow: inset -1px 0 0 var(--border); }
table.cs-table tbody tr:nth-child(even) td:first-child { background: #fafbfc; }
table.cs-table tbody tr:hover td:first-child { background: var(--accent-soft); }
table.cs-table thead th:first-child { left: 0; z-index: 3; box-shadow: inset -1px 0 0 var(--border); }
table.cs-table td.cs-wrap { white-space: normal; min-width: 18em; max-width: 42em; }
table.cs-sortable thead th { cursor: pointer; user-select: none; padding-right: 22px; position: sticky; }
table.cs-sortable thead th::after { content: "\\2195"; position: absolute; right: 6px; color: #8c959f;
  font-size: 12px; }
table.cs-sortable thead th[aria-sort="ascending"]::after { content: "\\25B2"; color: var(--accent); }
table.cs-sortable thead th[aria-sort="descending"]::after { content: "\\25BC"; color: var(--accent); }
table.cs-sortable thead th:hover { background: #e2e8ef; }
.cs-tabletools { display: flex; gap: 12px; align-items: center; margin: 0 0 6px; font-size: 13px;
  color: var(--muted); }
.cs-tabletools input { font: inherit; padding: 3px 8px; border: 1px solid var(--border); border-radius: 4px;
  min-width: 220px; }
.cs-plot { width: 100%; min-height: 420px; border: 1px solid var(--border); border-radius: 6px; }
figure.cs-image { margin: 0; }
figure.cs-image img { max-width: min(100%, 1000px); height: auto; border: 1px solid var(--border); border-radius: 6px;
  background: #fff; }
details.cs-json { border: 1px solid var(--border); border-radius: 6px; background: var(--panel); }
details.cs-json summary { cursor: pointer; padding: 8px 12px; font-weight: 600; }
details.cs-json pre { margin: 0; padding: 10px 14px; max-height: 520px; overflow: auto;
  border-top: 1px solid var(--border); background: #fff; }
footer.cs-footer { margin-top: 48px; padding-top: 12px; border-top: 1px solid var(--border);
  color: var(--muted); font-size: 12.5px; }
@media (max-width: 900px) {
  .cs-layout { display: block; }
  .cs-toc { position: static; max-height: none; border-right: 0; border-bottom: 1px solid var(--border); }
  main { padding: 20px; }
}
@media print {
  .cs-toc, .cs-tabletools { display: none; }
  .cs-layout { display: block; }
  .cs-tablewrap { max-height: none; overflow: visible; }
}
"""

# Sorting and filtering of tables; rendering of plotly figures whose JSON sits
# in <script type="application/json"> blocks. ``window.csReady`` turns true
# once every figure is drawn (the browser check waits for it).
JS = r"""
(function () {
  "use strict";
  function cellKey(td, numeric) {
    if (numeric) {
      var v = td.getAttribute("data-v");
      if (v === null || v === "") return null;
      var x = parseFloat(v);
      return isNaN(x) ? null : x;
    }
    var t = td.textContent.trim();
    return t === "" ? null : t.toLowerCase();
  }
  function sortBy(th) {
    var table = th.closest("table");
    var tbody = table.tBodies[0];
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute("data-type") === "num";
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(tbody.rows);
    var keyed = rows.map(function (r, i) { return [cellKey(r.cells[col], numeric), i, r]; });
    keyed.sort(function (a, b) {
      if (a[0] === null && b[0] === null) return a[1] - b[1];
      if (a[0] === null) return 1;
      if (b[0] === null) return -1;
      var c = numeric ? a[0] - b[0] : a[0].localeCompare(b[0], undefined, {numeric: true});
      if (c === 0) return a[1] - b[1];
      return asc ? c : -c;
    });
    keyed.forEach(function (k) { tbody.appendChild(k[2]); });
  }
  function initTables() {
    document.querySelectorAll("table.cs-sortable thead th").forEach(function (th) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("title", "Click to sort");
      th.addEventListener("click", function () { sortBy(th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(th); }
      });
    });
    document.querySelectorAll("input.cs-filter").forEach(function (inp) {
      var table = document.getElementById(inp.getAttribute("data-table"));
      var counter = document.getElementById(inp.getAttribute("data-counter"));
      inp.addEventListener("input", function () {
        var q = inp.value.trim().toLowerCase();
        var shown = 0;
        Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
          var ok = q === "" || r.textContent.toLowerCase().indexOf(q) !== -1;
          r.style.display = ok ? "" : "none";
          if (ok) shown += 1;
        });
        if (counter) counter.textContent = shown + " of " + table.tBodies[0].rows.length + " rows";
      });
    });
  }
  function resolveRefs(obj, shared) {
    if (Array.isArray(obj)) {
      for (var i = 0; i < obj.length; i++) obj[i] = resolveRefs(obj[i], shared);
      return obj;
    }
    if (obj !== null && typeof obj === "object") {
      var keys = Object.keys(obj);
      if (keys.length === 1 && keys[0] === "$csref") return shared[obj["$csref"]];
      keys.forEach(function (k) { obj[k] = resolveRefs(obj[k], shared); });
    }
    return obj;
  }
  function initPlots() {
    var specs = document.querySelectorAll("script.cs-plotly-spec");
    if (specs.length === 0 || typeof window.Plotly === "undefined") {
      if (specs.length > 0) console.error("carbonshare report: plotly.js is missing");
      window.csReady = true;
      return;
    }
    var sharedEl = document.getElementById("cs-shared-data");
    var shared = sharedEl ? JSON.parse(sharedEl.textContent) : {};
    var jobs = Array.prototype.map.call(specs, function (s) {
      var spec = resolveRefs(JSON.parse(s.textContent), shared);
      var div = document.getElementById(s.getAttribute("data-target"));
      return window.Plotly.newPlot(div, spec.data, spec.layout || {}, spec.config || {});
    });
    Promise.all(jobs).then(function () { window.csReady = true; }, function (err) {
      console.error("carbonshare report: a figure failed to draw: " + err);
      window.csReady = true;
    });
  }
  function init() { initTables(); initPlots(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
"""

# plotly.js fetches world topojson (base layers) from a CDN for any geo
# subplot whose trace uses ``locationmode``, even "geojson-id". carbonshare's
# maps draw no base layer, so an empty topology per scope/resolution keeps
# plotly.js from asking the network for one.
GEO_STUB_JS = r"""
(function () {
  var g = window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};
  g.topojson = g.topojson || {};
  ["world", "usa", "europe", "asia", "africa", "north-america", "south-america"].forEach(function (s) {
    ["110", "50"].forEach(function (r) {
      var k = s + "_" + r + "m";
      if (!g.topojson[k]) g.topojson[k] = {type: "Topology", objects: {}, arcs: []};
    });
  });
})();
"""
