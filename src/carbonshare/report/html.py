"""One self-contained, offline HTML report.

:class:`Report` collects blocks (markdown text, sortable tables, interactive
plotly figures, static images, collapsible JSON) under sections and writes
them as ONE HTML file: every stylesheet, script, image and map geometry is
inlined, so the page opens from disk with no network request. plotly.js comes
from the installed ``plotly`` package and is inlined once per page, only if
the page holds a plotly figure. Map geometry shared by several figures (the
same GeoJSON) is stored once and linked at load time.

Every piece of user text (titles, captions, table cells, JSON) is escaped.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import html
import io
import json
import logging
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carbonshare.errors import DataError
from carbonshare.report import _assets, style

__all__ = ["SECTIONS", "Report", "figure_png", "format_number_column"]

#: The sections every study report has, in this order (a study may add its own between).
SECTIONS = ("Summary", "Method", "Caveats and exclusions", "Results", "Config", "Provenance")

logger = logging.getLogger(__name__)

#: Tables longer than this get a filter box (and scroll inside a frame).
FILTER_MIN_ROWS = 15

FloatFormat = str | Callable[[float], str] | Mapping[str, str | Callable[[float], str]] | None


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "item"


def _script_safe(text: str) -> str:
    """Make text safe inside a <script> element (no early ``</script>``)."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def format_number_column(values: pd.Series) -> list[str]:
    """Format a numeric column with one precision chosen for the whole column.

    The number of decimals follows the largest magnitude in the column:
    >= 1000 -> 0 decimals with thousands separators, >= 10 -> 2, >= 0.01 -> 4,
    smaller -> 3 significant digits; a non-zero value that would print as zero at the
    column's precision keeps 3 significant digits instead. Integers print as integers, with
    thousands separators only from 100,000 up (so years read 2020); missing
    values print as an empty string.

    Parameters
    ----------
    values : Series of numbers (NaN / NA allowed).

    Returns
    -------
    list of str, one per value.

    Examples
    --------
    >>> format_number_column(pd.Series([1234.5, 2.0, float("nan")]))
    ['1,234', '2', '']
    >>> format_number_column(pd.Series([0.12345, 0.5]))
    ['0.1235', '0.5000']
    >>> format_number_column(pd.Series([1990, 2020])), format_number_column(pd.Series([83_160_871]))
    (['1990', '2020'], ['83,160,871'])

    A small value in a column of large ones keeps 3 significant digits (never a bare zero);
    numerical noise prints in scientific notation:

    >>> format_number_column(pd.Series([20.19, 0.00123, 0.0312, 0.0]))
    ['20.19', '0.00123', '0.0312', '0.00']
    >>> format_number_column(pd.Series([0.4936, 1.39e-17]))
    ['0.4936', '1.39e-17']
    """
    x = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
    finite = x[np.isfinite(x)]
    if finite.size == 0:
        return ["" if not np.isfinite(v) else str(v) for v in x]
    is_int = pd.api.types.is_integer_dtype(values.dtype) or bool(
        np.all(finite == np.round(finite)) and np.abs(finite).max() >= 1
    )
    m = float(np.abs(finite).max())
    if is_int:
        fmt = "{:,.0f}" if m >= 1e5 else "{:.0f}"  # years stay 2020, not 2,020
    elif m >= 1000:
        fmt = "{:,.0f}"
    elif m >= 10:
        fmt = "{:,.2f}"
    elif m >= 0.01:
        fmt = "{:.4f}"
    else:
        fmt = "{:.3g}"
    out = []
    for v in x:
        if math.isnan(v):
            out.append("")
        elif math.isinf(v):
            out.append("inf" if v > 0 else "-inf")
        else:
            text = fmt.format(v)
            if not is_int and 0 < abs(v) < 1 and len(text.lstrip("-0.").replace(".", "")) < 3:
                # a small value in a column of large ones keeps 3 significant digits
                text = style.format_number(v)
            out.append(text)
    return out


def _apply_format(fmt: str | Callable[[float], str], v: float) -> str:
    if callable(fmt):
        return str(fmt(v))
    if "{" in fmt:
        return fmt.format(v)
    return format(v, fmt)


@dataclass
class _Block:
    kind: str
    title: str
    anchor: str
    body: str | Callable[[], str]
    """The HTML, or a function making it when the page is rendered (a deferred image)."""

    def html(self) -> str:
        return self.body() if callable(self.body) else self.body


@dataclass
class _Section:
    title: str
    anchor: str
    blocks: list[_Block] = field(default_factory=list)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def figure_png(fig: Any, dpi: int = 150) -> bytes:
    """The PNG :meth:`Report.add_image` embeds for a matplotlib Figure (white, tight box)."""
    from carbonshare.report.figures import save_bbox

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches=save_bbox(fig), facecolor="white")
    return buf.getvalue()


_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


def _image_bytes(source: str | Path | bytes | Any, title: str, dpi: int) -> tuple[bytes, str]:
    """(bytes, MIME type) of an image source of :meth:`Report.add_image`."""
    if hasattr(source, "savefig"):
        return figure_png(source, dpi), "image/png"
    if isinstance(source, bytes):
        if not source.startswith(PNG_SIGNATURE):
            raise DataError(f"add_image({title!r}): the bytes are not a PNG file")
        return source, "image/png"
    p = Path(source)
    mime = _IMAGE_TYPES.get(p.suffix.lower())
    if mime is None:
        raise DataError(
            f"image {p} has suffix {p.suffix!r}; add_image takes .png, .jpg, .svg, .gif "
            "or .webp files, or a matplotlib Figure"
        )
    if not p.is_file():
        raise DataError(f"image file {p} does not exist; write the figure before adding it")
    return p.read_bytes(), mime


class Report:
    """Builder of one self-contained HTML report.

    Parameters
    ----------
    title : page title (``<title>`` and the header).
    subtitle : optional line under the title.

    Examples
    --------
    >>> import pandas as pd
    >>> r = Report("Alliances", "carbonshare study")
    >>> r = r.add_section("Results").add_table(
    ...     pd.DataFrame({"share": [0.6, 0.4]}, index=pd.Index(["CHN", "USA"], name="iso3")),
    ...     "Shares", caption="Share of global emission rights")
    >>> "cs-sortable" in r.to_html()
    True
    """

    def __init__(self, title: str, subtitle: str = "") -> None:
        self.title = str(title)
        self.subtitle = str(subtitle)
        self._sections: list[_Section] = []
        self._anchors: set[str] = set()
        self._shared: dict[str, str] = {}  # key -> JSON text of a GeoJSON used by the figures
        self._geojson_keys: dict[int, str] = {}  # id of a GeoJSON dict -> its key in _shared
        self._n_plotly = 0
        self._counter = 0
        self.created = _dt.datetime.now(_dt.UTC)

    # ------------------------------------------------------------------ helpers
    def _anchor(self, title: str) -> str:
        base = _slug(title)
        a, k = base, 2
        while a in self._anchors:
            a, k = f"{base}-{k}", k + 1
        self._anchors.add(a)
        return a

    def _current(self) -> _Section:
        if not self._sections:
            self._sections.append(_Section("", ""))
        return self._sections[-1]

    def _add(self, kind: str, title: str, body: str, anchor: str | None = None) -> Report:
        self._current().blocks.append(
            _Block(kind, title, anchor or self._anchor(title or kind), body)
        )
        return self

    def _next_id(self, prefix: str) -> str:
        self._counter += 1
        return f"cs-{prefix}-{self._counter}"

    # ------------------------------------------------------------------ content
    def add_section(self, title: str) -> Report:
        """Start a new section (a ``<h2>`` and an entry in the table of contents)."""
        self._sections.append(_Section(str(title), self._anchor(str(title))))
        return self

    def add_markdown(self, md: str, title: str = "") -> Report:
        """Add a block of Markdown (CommonMark + tables; raw HTML is escaped)."""
        from markdown_it import MarkdownIt

        renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
        body = f'<div class="cs-md">{renderer.render(str(md))}</div>'
        return self._add("markdown", str(title), body)

    def add_table(
        self,
        df: pd.DataFrame | pd.Series,
        title: str,
        *,
        caption: str = "",
        sortable: bool = True,
        float_format: FloatFormat = None,
        max_height_px: int = 520,
        max_rows: int | None = 5000,
    ) -> Report:
        """Add a table; click a header to sort (numbers numerically, text alphabetically).

        Parameters
        ----------
        df : DataFrame (or Series). A named or non-default index becomes the
            leading column(s).
        title : heading of the block.
        caption : text under the table.
        sortable : make the headers clickable to sort.
        float_format : None (one precision per column, see
            :func:`format_number_column`), a format spec (``".3f"`` or
            ``"{:.3f}"``), a callable, or a mapping column -> spec/callable.
        max_height_px : the table scrolls inside a frame of this height
            (headers stay visible); long tables also get a filter box.
        max_rows : show at most this many rows (None: all); a shortened table
            says so under it ("first 5,000 of 12,345 rows") and in the log.
        """
        if isinstance(df, pd.Series):
            df = df.to_frame(name=df.name if df.name is not None else "value")
        if not isinstance(df, pd.DataFrame):
            raise DataError(
                f"add_table({title!r}) got {type(df).__name__}; pass a pandas DataFrame or Series"
            )
        table_id = self._next_id("table")
        frame = df.copy()
        n_all = len(frame)
        if max_rows is not None and n_all > max_rows:
            logger.warning("table %r: showing the first %d of %d rows", title, max_rows, n_all)
            frame = frame.iloc[:max_rows]
            note = f"Showing the first {max_rows:,} of {n_all:,} rows."
            caption = f"{note} {caption}" if caption else note
        if isinstance(frame.columns, pd.MultiIndex):
            frame.columns = [" / ".join(str(p) for p in c if str(p) != "") for c in frame.columns]
        default_index = isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
        if not default_index:
            taken = {str(c) for c in frame.columns}
            names = []
            for k, n in enumerate(frame.index.names):
                name = (
                    str(n)
                    if n is not None
                    else ("index" if frame.index.nlevels == 1 else f"level_{k}")
                )
                while name in taken:  # never clash with a column
                    name += " (index)"
                taken.add(name)
                names.append(name)
            frame.index = frame.index.set_names(names)
            frame = frame.reset_index()
        columns = [str(c) for c in frame.columns]

        head_cells, body_cols = [], []
        for j in range(frame.shape[1]):
            s = frame.iloc[:, j]
            numeric = pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(
                s.dtype
            )
            cls = ' class="cs-num"' if numeric else ""
            dtype = "num" if numeric else "text"
            head_cells.append(
                f'<th scope="col" data-type="{dtype}"{cls}>{html.escape(columns[j])}</th>'
            )
            body_cols.append(self._column_cells(s, columns[j], numeric, float_format))

        rows = []
        for i in range(len(frame)):
            rows.append("<tr>" + "".join(col[i] for col in body_cols) + "</tr>")
        n = len(frame)
        classes = "cs-table cs-sortable" if sortable else "cs-table"
        tools = ""
        if n > FILTER_MIN_ROWS:
            counter_id = f"{table_id}-count"
            tools = (
                '<div class="cs-tabletools">'
                f'<input class="cs-filter" type="search" placeholder="Filter rows…" '
                f'data-table="{table_id}" data-counter="{counter_id}" '
                f'aria-label="Filter rows of {html.escape(str(title))}">'
                f'<span id="{counter_id}">{n} rows</span></div>'
            )
        body = (
            f"{tools}"
            f'<div class="cs-tablewrap" style="max-height:{int(max_height_px)}px">'
            f'<table id="{table_id}" class="{classes}"><thead><tr>{"".join(head_cells)}'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>" + self._caption(caption)
        )
        return self._add("table", str(title), body)

    @staticmethod
    def _column_cells(
        s: pd.Series, name: str, numeric: bool, float_format: FloatFormat
    ) -> list[str]:
        if not numeric:
            texts = [
                None
                if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
                else str(v)
                for v in s.tolist()
            ]
            # long text (member lists, reasons) wraps instead of widening the table
            wrap = max((len(t) for t in texts if t is not None), default=0) > 40
            cls = ' class="cs-wrap"' if wrap else ""
            return [
                '<td class="cs-na"></td>' if t is None else f"<td{cls}>{html.escape(t)}</td>"
                for t in texts
            ]
        values = pd.to_numeric(s, errors="coerce").astype("float64")
        fmt = float_format.get(name) if isinstance(float_format, Mapping) else float_format
        if fmt is None:
            texts = format_number_column(s)
        else:
            texts = ["" if math.isnan(v) else _apply_format(fmt, float(v)) for v in values.tolist()]
        out = []
        for v, t in zip(values.tolist(), texts, strict=True):
            if math.isnan(v):
                out.append('<td class="cs-num cs-na" data-v="">–</td>')
            else:
                out.append(f'<td class="cs-num" data-v="{v!r}">{html.escape(t)}</td>')
        return out

    @staticmethod
    def _caption(caption: str) -> str:
        return f'<p class="cs-caption">{html.escape(str(caption))}</p>' if caption else ""

    def add_plotly(
        self, fig: Any, title: str, *, caption: str = "", height: int | None = None
    ) -> Report:
        """Add an interactive plotly figure (drawn by the inlined plotly.js).

        The figure gets the report theme (:data:`carbonshare.report.style.PLOTLY_LAYOUT`;
        its own layout settings take precedence). GeoJSON geometry embedded in traces is
        stored once per page, however many figures use it.
        """
        spec = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else dict(fig)
        data = [dict(trace) for trace in spec.get("data", [])]
        for trace in data:
            gj = trace.get("geojson")
            if isinstance(gj, dict):
                key = self._geojson_keys.get(id(gj))
                if key is None:
                    text = _plotly_json(gj)
                    key = hashlib.sha1(text.encode()).hexdigest()[:16]
                    self._geojson_keys[id(gj)] = key
                    self._shared.setdefault(key, text)
                trace["geojson"] = {"$csref": key}
            elif isinstance(gj, str) and gj:
                raise DataError(
                    f"figure {title!r} loads its GeoJSON from {gj!r}; pass the GeoJSON as a "
                    "dict so the report stays offline"
                )
        layout = dict(spec.get("layout", {}))
        # one theme for every study: the figure's own settings win over the theme's
        layout["template"] = {"layout": style.PLOTLY_LAYOUT}
        layout.setdefault("autosize", True)
        h = int(height or layout.get("height") or 480)
        layout["height"] = h
        config = {
            "responsive": True,
            "displaylogo": False,
            "scrollZoom": False,
            "toImageButtonOptions": {"format": "png", "scale": 2},  # camera button: 2x PNG
        }
        div_id = self._next_id("plot")
        payload = _plotly_json({"data": data, "layout": layout, "config": config})
        body = (
            f'<div id="{div_id}" class="cs-plot" style="height:{h}px"></div>'
            f'<script type="application/json" class="cs-plotly-spec" data-target="{div_id}">'
            f"{_script_safe(payload)}</script>" + self._caption(caption)
        )
        self._n_plotly += 1
        return self._add("plotly", str(title), body)

    def add_image(
        self,
        path_or_fig: str | Path | bytes | Any | Callable[[], str | Path | bytes | Any],
        title: str,
        *,
        caption: str = "",
        dpi: int = 150,
    ) -> Report:
        """Add a static image: a PNG/JPEG/SVG file, PNG bytes or a matplotlib Figure.

        The image is embedded as a base64 ``data:`` URI (SVG too, so scripts
        inside an SVG file never run). A Figure is drawn as PNG at ``dpi``
        (:func:`figure_png`; its bytes may come from another process). A function
        returning any of these is called when the page is rendered (:meth:`to_html`), so
        the rest of the report can be built while the image is still being drawn.
        """
        cap = self._caption(caption).replace("<p ", "<figcaption ").replace("</p>", "</figcaption>")
        alt = html.escape(str(caption or title), quote=True)

        def body(source) -> str:
            raw, mime = _image_bytes(source, title, dpi)
            b64 = base64.b64encode(raw).decode("ascii")
            return f'<figure class="cs-image"><img alt="{alt}" src="data:{mime};base64,{b64}">{cap}</figure>'

        if callable(path_or_fig) and not hasattr(path_or_fig, "savefig"):
            return self._add("image", str(title), lambda: body(path_or_fig()))
        return self._add("image", str(title), body(path_or_fig))

    def add_json(self, title: str, obj: Any, *, expanded: bool = False) -> Report:
        """Add a collapsible JSON block (config, manifest); pydantic models are dumped."""
        if hasattr(obj, "model_dump"):
            obj = obj.model_dump(mode="json")
        text = json.dumps(obj, indent=2, default=str, ensure_ascii=False, sort_keys=False)
        flag = " open" if expanded else ""
        body = (
            f'<details class="cs-json"{flag}><summary>{html.escape(str(title))}</summary>'
            f"<pre>{html.escape(text)}</pre></details>"
        )
        return self._add("json", str(title), body)

    def add_provenance(self, manifest: Mapping[str, Any]) -> Report:
        """Add the "Provenance" section from a run manifest (``Manifest.to_dict()``).

        Data sources and vintages, software versions and step timings as tables, the whole
        manifest as collapsible JSON; every study report ends with it.
        """
        self.add_section("Provenance")
        sources = manifest.get("sources") or []
        if sources:
            self.add_table(pd.DataFrame(sources), "Data sources", caption="Sources and vintages "
                           "of the data this run read.")  # fmt: skip
        versions = manifest.get("versions") or {}
        timings = manifest.get("timings_s") or {}
        run = {"study": manifest.get("study", ""), "created (UTC)": manifest.get("created_utc", "")}
        run |= {f"{k} version": v for k, v in versions.items()}
        run |= {f"step {k} (s)": style.format_number(v) for k, v in timings.items()}
        self.add_table(
            pd.Series(run, name="Value").rename_axis("Item").astype(str).to_frame(),
            "Run",
            caption="Software versions and the wall-clock time of each step.",
        )
        return self.add_json("Manifest (manifest.json)", manifest)

    @property
    def section_titles(self) -> list[str]:
        """Titles of the sections, in order (for tests of the report's structure)."""
        return [s.title for s in self._sections if s.title]

    # ------------------------------------------------------------------ output
    def _toc(self) -> str:
        items = []
        for sec in self._sections:
            sub = "".join(
                f'<li><a href="#{b.anchor}">{html.escape(b.title)}</a></li>'
                for b in sec.blocks
                if b.title
            )
            sub_html = f"<ol>{sub}</ol>" if sub else ""
            if sec.title:
                items.append(
                    f'<li class="cs-toc-section"><a href="#{sec.anchor}">'
                    f"{html.escape(sec.title)}</a>{sub_html}</li>"
                )
            elif sub:
                items.append(f"<li>{sub_html}</li>")
        return f'<nav class="cs-toc" aria-label="Contents"><h2>Contents</h2><ol>{"".join(items)}</ol></nav>'

    def _body(self) -> str:
        parts = []
        for sec in self._sections:
            if sec.title:
                parts.append(
                    f'<section><h2 class="cs-section" id="{sec.anchor}">{html.escape(sec.title)}</h2>'
                )
            else:
                parts.append("<section>")
            for b in sec.blocks:
                show = b.title and b.kind != "json"  # a JSON block shows its title itself
                heading = f"<h3>{html.escape(b.title)}</h3>" if show else ""
                parts.append(
                    f'<div class="cs-block cs-{b.kind}" id="{b.anchor}">{heading}{b.html()}</div>'
                )
            parts.append("</section>")
        return "".join(parts)

    def to_html(self) -> str:
        """The whole page as one string."""
        from carbonshare import __version__

        scripts = []
        if self._n_plotly:
            scripts.append(f"<script>{_script_safe(_plotlyjs())}</script>")
            scripts.append(f"<script>{_assets.GEO_STUB_JS}</script>")
        if self._shared:
            shared = "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in self._shared.items()) + "}"
            scripts.append(
                f'<script type="application/json" id="cs-shared-data">{_script_safe(shared)}</script>'
            )
        scripts.append(f"<script>{_assets.JS}</script>")
        created = self.created.strftime("%Y-%m-%d %H:%M UTC")
        subtitle = (
            f'<p class="cs-subtitle">{html.escape(self.subtitle)}</p>' if self.subtitle else ""
        )
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="carbonshare {html.escape(__version__)}">'
            f"<title>{html.escape(self.title)}</title>"
            f"<style>{_assets.CSS}</style>"
            "<script>window.csReady = false;</script>"
            "</head><body>"
            f'<div class="cs-layout">{self._toc()}<main>'
            f'<header class="cs-header"><h1>{html.escape(self.title)}</h1>{subtitle}</header>'
            f"{self._body()}"
            f'<footer class="cs-footer">Made with carbonshare {html.escape(__version__)} '
            f"on {created}. This page is self-contained and makes no network request."
            "</footer></main></div>"
            f"{''.join(scripts)}</body></html>\n"
        )

    def write(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(self.to_html(), encoding="utf-8")
        return p


def _plotly_json(spec: dict) -> str:
    """Serialise a plotly spec (numpy arrays, NaN -> null) with plotly's encoder."""
    from plotly.utils import PlotlyJSONEncoder

    return json.dumps(spec, cls=PlotlyJSONEncoder, separators=(",", ":"))


_PLOTLYJS: str | None = None


def _plotlyjs() -> str:
    """plotly.js from the installed plotly package (read once per process)."""
    global _PLOTLYJS
    if _PLOTLYJS is None:
        from plotly.offline import get_plotlyjs

        _PLOTLYJS = get_plotlyjs()
    return _PLOTLYJS
