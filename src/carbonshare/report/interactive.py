"""Interactive plotly figures for the HTML report: maps and a Sankey diagram.

The maps draw country polygons from inlined GeoJSON (``go.Choropleth`` with
``geojson=`` and ``featureidkey="properties.iso3"``) on a geo subplot with
every base layer off. plotly.js would still fetch world topojson from
cdn.plot.ly whenever the *first* trace of a geo subplot has a
``locationmode`` (a choropleth always has one), so every map starts with a
scatter-geo trace positioned by lon/lat (the capitals, or an invisible
point); :class:`carbonshare.report.Report` also pre-registers an empty
topology. ``tests/report/test_browser.py`` proves in Chromium that a map
makes no request, both inside a report and written alone with
``fig.write_html``.

Every figure returns a ``plotly.graph_objects.Figure``; pass it to
:meth:`Report.add_plotly`. Countries that cannot be drawn (no boundary) are
drawn as dots at their capital (small island states are absent from the
1:110m boundaries); countries with neither are logged and listed in
``fig.layout.meta["not_drawn"]``. Countries with a boundary but no value are
drawn grey with "no data" on hover.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from carbonshare.errors import DataError
from carbonshare.report import style
from carbonshare.report.geometry import get_boundaries, prepare_boundaries

__all__ = ["arrow_map", "category_map", "choropleth_map", "sankey"]

logger = logging.getLogger(__name__)

_FONT = style.FONT_FAMILY


def _fmt(v: Any) -> str:
    """A hover value: integers with thousands separators, floats to about 3 significant
    decimals, missing as "n/a" (numpy scalars as their Python kind)."""
    if v is None or v is pd.NA:
        return "n/a"
    if isinstance(v, bool | np.bool_):
        return str(bool(v))
    if isinstance(v, int | np.integer):
        return f"{int(v):,}"
    if isinstance(v, float):
        if math.isnan(v):
            return "n/a"
        a = abs(v)
        if a >= 1e4:
            return f"{v:,.0f}"
        if a >= 100:
            return f"{v:,.1f}"
        if a == 0 or a >= 0.01:
            return f"{v:.3f}".rstrip("0").rstrip(".")
        return f"{v:.3g}"
    return str(v)


def _hover_lines(hover: pd.DataFrame | None) -> dict[Any, list[str]]:
    """ISO3 -> the lines "column: value" of its row of ``hover`` (the row as ``hover.loc``
    gives it: one dtype common to the columns); a country not in ``hover`` has none."""
    if hover is None:
        return {}
    if hover.index.has_duplicates:
        dup = sorted(map(str, hover.index[hover.index.duplicated()].unique()))
        raise DataError(f"hover has duplicate ISO3 codes {dup}; keep one row per country")
    cols = list(map(str, hover.columns))
    return {
        iso3: [f"{col}: {_fmt(v)}" for col, v in zip(cols, row, strict=True)]
        for iso3, row in zip(hover.index, hover.to_numpy(), strict=True)
    }


def _check_series(s: pd.Series, what: str) -> pd.Series:
    if not isinstance(s, pd.Series):
        raise DataError(f"{what} must be a pandas Series indexed by ISO3; got {type(s).__name__}")
    if s.index.has_duplicates:
        dup = sorted(map(str, s.index[s.index.duplicated()].unique()))
        raise DataError(f"{what} has duplicate ISO3 codes {dup}; keep one value per country")
    return s


def _prepare(boundaries: dict | None, keep: set[str]) -> tuple[dict, dict[str, str]]:
    """The boundaries to draw (Antarctica only if ``keep`` has it) and ISO3 -> name; both
    are read only, so the bundled ones are prepared once per process."""
    drop = () if "ATA" in keep else ("ATA",)
    if boundaries is None:
        return _bundled(drop)
    return _prepared(get_boundaries(boundaries), drop)


@functools.cache
def _bundled(drop: tuple[str, ...]) -> tuple[dict, dict[str, str]]:
    return _prepared(get_boundaries(None), drop)


def _prepared(gj: dict, drop: tuple[str, ...]) -> tuple[dict, dict[str, str]]:
    gj = prepare_boundaries(gj, drop=drop)
    return gj, {f["properties"]["iso3"]: f["properties"]["name"] for f in gj["features"]}


class SharedGeoJSON(dict):
    """A trace's GeoJSON that plotly shares instead of copying.

    plotly deep-copies a trace's properties when the trace is added to a figure and again
    when the figure is serialised: for a map, every polygon coordinate twice per trace, a sixth
    of the CPU of the alliance study's report. The boundaries of a trace are never changed
    once made, so a copy of them can be the object itself.
    """

    def __copy__(self) -> SharedGeoJSON:
        return self

    def __deepcopy__(self, memo: dict) -> SharedGeoJSON:
        return self


def _only(gj: dict, codes: list[str]) -> SharedGeoJSON:
    """The features of ``gj`` for ``codes`` only, shared by plotly (:class:`SharedGeoJSON`).

    Each trace gets only its own countries: plotly.js indexes every feature of every trace,
    so a map of many traces (one per alliance) draws one world instead of one per trace.
    """
    keep = set(codes)
    return SharedGeoJSON(
        {**gj, "features": [f for f in gj["features"] if f["properties"]["iso3"] in keep]}
    )


def _small_points(
    codes: list[str], points: pd.DataFrame | None, what: str
) -> tuple[pd.DataFrame, list[str]]:
    """Lat/lon/name of countries without a polygon (small islands), and those left over.

    ``points`` (ISO3 -> lat, lon[, name]) defaults to the capitals of
    :func:`carbonshare.data.load_countries`.
    """
    empty = pd.DataFrame(columns=["lat", "lon", "name"], dtype=object)
    if not codes:
        return empty, []
    if points is None:
        try:
            from carbonshare.data import load_countries

            c = load_countries()
            points = pd.DataFrame(
                {"lat": c["capital_lat"], "lon": c["capital_lon"], "name": c["name"]}
            )
        except ImportError:
            points = empty
    pts = points.reindex(codes)
    if "name" not in pts.columns:
        pts["name"] = pts.index
    pts["name"] = pts["name"].where(pts["name"].notna(), pd.Series(pts.index, index=pts.index))
    ok = pts["lat"].notna() & pts["lon"].notna()
    missing = sorted(c for c, good in zip(codes, ok, strict=True) if not good)
    if missing:
        logger.warning(
            "%s: %d countries have neither a boundary nor a point and are not drawn: %s",
            what,
            len(missing),
            ", ".join(missing),
        )
    return pts[ok], missing


def _point_trace(pts: pd.DataFrame, text: list[str], marker: dict, name: str) -> Any:
    import plotly.graph_objects as go

    return go.Scattergeo(
        lon=pts["lon"].astype(float).tolist(),
        lat=pts["lat"].astype(float).tolist(),
        mode="markers",
        marker={"size": 7, "line": {"color": "#444444", "width": 0.6}, **marker},
        text=text,
        hovertemplate="%{text}<extra></extra>",
        name=name,
        showlegend=False,
    )


def _anchor_trace() -> Any:
    """An invisible lon/lat trace placed first: keeps plotly.js from fetching topojson."""
    import plotly.graph_objects as go

    return go.Scattergeo(
        lon=[0.0],
        lat=[0.0],
        mode="markers",
        marker={"size": 1, "opacity": 0},
        hoverinfo="skip",
        showlegend=False,
        name="",
    )


def _basemap_trace(gj: dict, names: dict[str, str], codes: list[str], label: str) -> Any:
    import plotly.graph_objects as go

    return go.Choropleth(
        geojson=_only(gj, codes),
        featureidkey="properties.iso3",
        locations=codes,
        z=[0] * len(codes),
        colorscale=[[0, style.NO_DATA_COLOR], [1, style.NO_DATA_COLOR]],
        showscale=False,
        marker={"line": {"color": style.BORDER_COLOR, "width": 0.5}},
        text=[f"<b>{names[c]}</b> ({c})<br>{label}" for c in codes],
        hovertemplate="%{text}<extra></extra>",
        name=label,
        showlegend=False,
    )


def _layout(fig: Any, title: str, height: int, legend: bool) -> None:
    fig.update_geos(
        projection_type="equal earth",
        showframe=False,
        showcoastlines=False,
        showland=False,
        showocean=False,
        showlakes=False,
        showrivers=False,
        showcountries=False,
        showsubunits=False,
        bgcolor="rgba(0,0,0,0)",
        fitbounds=False,
        projection_scale=1.12,
        center={"lat": 8, "lon": 0},
        projection_rotation_lon=0,
        resolution=110,
        scope="world",
    )
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 16}},
        height=height,
        margin={"l": 0, "r": 0, "t": 44 if title else 8, "b": 0},
        font={"family": _FONT, "size": 12},
        paper_bgcolor="white",
        showlegend=legend,
        legend={"bgcolor": "rgba(255,255,255,0.85)", "bordercolor": "#d0d0d0", "borderwidth": 1},
        hoverlabel={"font": {"family": _FONT}},
    )


def _final_bearing(a: pd.Series, b: pd.Series) -> float:
    """Bearing (degrees clockwise from north) of the great circle a -> b on arrival at b."""
    lat1, lon1 = math.radians(float(b["lat"])), math.radians(float(b["lon"]))
    lat2, lon2 = math.radians(float(a["lat"])), math.radians(float(a["lon"]))
    dl = lon2 - lon1
    y = math.sin(dl) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dl)
    back = math.degrees(math.atan2(y, x))  # bearing from b back to a
    return (back + 180.0) % 360.0


def _log_ticks(lo: float, hi: float) -> list[float]:
    """1-2-5 ticks between 10**lo and 10**hi (at least the two ends).

    Examples
    --------
    >>> _log_ticks(-1.0, 1.0)
    [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]
    >>> _log_ticks(-4.3, 1.5)
    [0.0001, 0.001, 0.01, 0.1, 1.0, 10.0]
    """
    out = []
    for e in range(int(np.floor(lo)), int(np.ceil(hi)) + 1):
        for m in (1, 2, 5):
            t = float(f"{m * 10.0**e:.12g}")
            if 10**lo * (1 - 1e-9) <= t <= 10**hi * (1 + 1e-9):
                out.append(t)
    if len(out) > 9:  # many decades: powers of ten only, thinned to at most 9
        out = [t for t in out if f"{t:.12g}".lstrip("0.").startswith("1")]
        out = out[:: int(np.ceil(len(out) / 9))]
    if len(out) < 2:
        out = [float(f"{10**lo:.3g}"), float(f"{10**hi:.3g}")]
    return out


def _long_legend_below(fig: Any, n_entries: int, height: int, longest: int = 14) -> None:
    """Put a legend of more than 12 entries under the map, in rows, and grow the figure.

    Entries are as wide as the longest label (``longest`` characters, with its count), so
    long names ("Democratic Republic of the Congo +14 (15)") never overlap their neighbours.
    """
    if n_entries <= 12:
        return
    entrywidth = max(110, int(6.2 * longest) + 34)
    per_row = max(1, min(8, 1000 // entrywidth))
    rows = int(np.ceil(n_entries / per_row)) + 1  # + the title line
    fig.update_layout(legend_title_side="top left")
    fig.update_layout(
        height=height + 24 * rows,
        legend={
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": 0,
            "yanchor": "top",
            "entrywidth": entrywidth,
            "bordercolor": "rgba(0,0,0,0)",
        },
        margin={"b": 24 * rows + 10},
    )


def choropleth_map(
    values: pd.Series,
    *,
    hover: pd.DataFrame | None = None,
    title: str = "",
    legend_label: str | None = None,
    colorscale: str = "Viridis",
    boundaries: dict | None = None,
    zmin: float | None = None,
    zmax: float | None = None,
    zmid: float | None = None,
    log_color: bool = False,
    points: pd.DataFrame | None = None,
    height: int = 520,
) -> Any:
    """Countries coloured by a numeric value (continuous colour scale).

    Parameters
    ----------
    values : Series indexed by ISO3 (NaN = no data, drawn grey).
    hover : optional DataFrame indexed by ISO3; its columns are shown on hover.
    title : figure title.
    legend_label : colour-bar title; default ``values.name``.
    colorscale : a plotly colour-scale name (default Viridis, colour-blind safe).
    boundaries : GeoJSON FeatureCollection; default :func:`carbonshare.data.load_boundaries`.
    zmin, zmax : colour range; default the data range.
    zmid : centre of a diverging scale (e.g. 0 with ``colorscale="RdBu"``): the
        range becomes symmetric around it.
    log_color : colour by log10 of the value (for skewed data such as
        shares); the colour bar is labelled in the original units and hover
        shows the original values. Values must be > 0.
    points : ISO3 -> ``lat``, ``lon`` (optional ``name``) where countries too
        small for the 1:110m boundaries are drawn as dots; default the
        capitals of :func:`carbonshare.data.load_countries`.
    height : pixels.

    Returns
    -------
    plotly.graph_objects.Figure; ``layout.meta["not_drawn"]`` lists ISO3 codes
    with a value but neither a boundary nor a point; ``layout.meta["spread_note"]`` is
    non-empty when the field is nearly constant (the note is also under the title).
    """
    import plotly.graph_objects as go

    values = _check_series(values, "values")
    extra = _hover_lines(hover)
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    data = v.dropna()
    gj, names = _prepare(boundaries, set(map(str, data.index)))
    small, missing = _small_points(
        [str(c) for c in data.index if str(c) not in names], points, "choropleth_map"
    )
    small_values = data.reindex(small.index)
    colorbar: dict[str, Any] = {"thickness": 14, "len": 0.75}
    if log_color:
        if (data <= 0).any():
            bad = sorted(map(str, data.index[data <= 0]))[:10]
            raise DataError(
                f"log_color needs values > 0; {bad} are <= 0 (use log_color=False, or zmid "
                "with a diverging colorscale for signed values)"
            )
        transform = np.log10
        lo = float(np.log10(data.min() if zmin is None else zmin))
        hi = float(np.log10(data.max() if zmax is None else zmax))
        lo, hi = style.color_range(lo, hi)
        ticks = _log_ticks(lo, hi)
        colorbar.update(tickvals=np.log10(ticks).tolist(), ticktext=[_fmt(t) for t in ticks])
    else:
        transform = np.asarray
        lo = float(data.min()) if zmin is None else zmin
        hi = float(data.max()) if zmax is None else zmax
        if zmid is not None:
            r = max(abs(lo - zmid), abs(hi - zmid))
            lo, hi = zmid - r, zmid + r
        lo, hi = style.color_range(lo, hi)
        colorbar["tickformat"] = ",.4~g"
    data = data[[str(c) in names for c in data.index]]
    label = legend_label if legend_label is not None else str(values.name or "value")
    codes = [str(c) for c in data.index]
    no_data = [c for c in names if c not in set(codes)]
    text = [
        "<br>".join([f"<b>{names[c]}</b> ({c})", f"{label}: {_fmt(float(x))}"] + extra.get(c, []))
        for c, x in zip(codes, data.tolist(), strict=True)
    ]
    fig = go.Figure()
    fig.add_trace(_anchor_trace())
    if no_data:
        fig.add_trace(_basemap_trace(gj, names, no_data, "no data"))
    fig.add_trace(
        go.Choropleth(
            geojson=_only(gj, codes),
            featureidkey="properties.iso3",
            locations=codes,
            z=transform(data.to_numpy()),
            zmin=lo,
            zmax=hi,
            colorscale=colorscale,
            # on a diverging scale the middle colour is near white: grey borders
            marker={
                "line": {
                    "color": "#BBBBBB" if zmid is not None else style.BORDER_COLOR,
                    "width": 0.5,
                }
            },
            colorbar={"title": {"text": label, "side": "right"}, **colorbar},
            text=text,
            hovertemplate="%{text}<extra></extra>",
            name=label,
        )
    )
    if len(small):
        small_text = [
            "<br>".join(
                [f"<b>{small.loc[c, 'name']}</b> ({c})", f"{label}: {_fmt(float(x))}"]
                + extra.get(c, [])
            )
            for c, x in zip(small.index, small_values.tolist(), strict=True)
        ]
        marker = {
            "color": transform(small_values.to_numpy()),
            "colorscale": colorscale,
            "cmin": lo,
            "cmax": hi,
        }
        fig.add_trace(_point_trace(small, small_text, marker, f"{label} (small countries)"))
    note = style.spread_note(data)
    if note:
        title = f"{title}<br><sup>{note}</sup>" if title else note
    _layout(fig, title, height, legend=False)
    fig.update_layout(meta={"not_drawn": missing, "no_data": sorted(no_data), "spread_note": note})
    return fig


def category_map(
    labels: pd.Series,
    *,
    hover: pd.DataFrame | None = None,
    title: str = "",
    boundaries: dict | None = None,
    colors: Mapping[Any, str] | None = None,
    points: pd.DataFrame | None = None,
    height: int = 520,
    order: Sequence[Any] | None = None,
) -> Any:
    """Countries coloured by a category (e.g. alliance), with a legend.

    Parameters
    ----------
    labels : Series indexed by ISO3 -> category (NaN = none, drawn grey).
    hover : optional DataFrame indexed by ISO3 shown on hover.
    title : figure title.
    boundaries : GeoJSON; default :func:`carbonshare.data.load_boundaries`.
    colors : category -> colour; default :func:`carbonshare.report.style.category_colors`
        in sorted category order.
    points : where to draw countries without a boundary (see :func:`choropleth_map`).
    height : pixels.
    order : category order of the legend (e.g. by share, largest first); default natural.
    """
    import plotly.graph_objects as go

    labels = _check_series(labels, "labels").dropna()
    extra = _hover_lines(hover)
    gj, names = _prepare(boundaries, set(map(str, labels.index)))
    small, missing = _small_points(
        [str(c) for c in labels.index if str(c) not in names], points, "category_map"
    )
    small_labels = labels.reindex(small.index)
    cats = style.category_order(labels.unique())
    if order is not None:
        present, listed = set(cats), set(order)
        cats = [c for c in order if c in present] + [c for c in cats if c not in listed]
    labels = labels[[str(c) in names for c in labels.index]]
    palette = dict(colors) if colors is not None else style.category_colors(cats)
    legend_name = str(labels.name or "group")
    fig = go.Figure()
    fig.add_trace(_anchor_trace())
    no_data = [c for c in names if c not in set(map(str, labels.index))]
    if no_data:
        fig.add_trace(_basemap_trace(gj, names, no_data, f"no {legend_name}"))
    for cat in cats:
        if cat not in palette:
            raise DataError(f"colors has no colour for category {cat!r}; add it to colors=")
        codes = [str(c) for c in labels.index[labels == cat]]
        small_codes = [str(c) for c in small_labels.index[small_labels == cat]]
        text = [
            "<br>".join([f"<b>{names[c]}</b> ({c})", f"{legend_name}: {cat}"] + extra.get(c, []))
            for c in codes
        ]
        fig.add_trace(
            go.Choropleth(
                geojson=_only(gj, codes),
                featureidkey="properties.iso3",
                locations=codes,
                z=[1] * len(codes),
                colorscale=[[0, palette[cat]], [1, palette[cat]]],
                showscale=False,
                marker={"line": {"color": style.BORDER_COLOR, "width": 0.5}},
                text=text,
                hovertemplate="%{text}<extra></extra>",
                name=f"{cat} ({len(codes) + len(small_codes)})",
                legendgroup=str(cat),
                showlegend=True,
            )
        )
        if small_codes:
            small_text = [
                "<br>".join(
                    [f"<b>{small.loc[c, 'name']}</b> ({c})", f"{legend_name}: {cat}"]
                    + extra.get(c, [])
                )
                for c in small_codes
            ]
            tr = _point_trace(
                small.loc[small_codes], small_text, {"color": palette[cat]}, f"{cat} (small)"
            )
            tr.legendgroup = str(cat)
            fig.add_trace(tr)
    _layout(fig, title, height, legend=True)
    fig.update_layout(
        legend={"title": {"text": legend_name}},
        meta={"not_drawn": missing, "no_data": sorted(no_data)},
    )
    longest = max((len(f"{c} ({(labels == c).sum()})") for c in cats), default=0)
    _long_legend_below(fig, len(cats), height, longest)
    return fig


def arrow_map(
    links: pd.DataFrame,
    points: pd.DataFrame,
    *,
    hover: pd.DataFrame | None = None,
    title: str = "",
    color_by: pd.Series | None = None,
    boundaries: dict | None = None,
    colors: Mapping[Any, str] | None = None,
    order: Sequence[Any] | None = None,
    height: int = 560,
) -> Any:
    """Lines from each country's capital to its partner's capital, with arrow heads.

    Parameters
    ----------
    links : DataFrame indexed by ISO3 with a column ``partner`` (ISO3; NaN =
        no link). Optional extra columns are shown on hover.
    points : DataFrame indexed by ISO3 with columns ``lat``, ``lon`` (degrees),
        e.g. the capitals of :func:`carbonshare.data.load_countries`.
    hover : optional DataFrame indexed by ISO3 shown on hover.
    title : figure title.
    color_by : optional Series ISO3 -> group (e.g. alliance); one colour and
        one legend entry per group.
    boundaries : GeoJSON drawn as a light basemap.
    colors : group -> colour.
    order : group order of the legend (e.g. by share, largest first, as in
        :func:`category_map`); default natural.
    height : pixels.

    Raises
    ------
    DataError if ``links`` has no ``partner`` column, or a country or partner
    has no point (names them).
    """
    import plotly.graph_objects as go

    if "partner" not in links.columns:
        raise DataError(
            f"links has columns {list(links.columns)}; it needs a 'partner' column (ISO3 of "
            "each country's partner)"
        )
    for col in ("lat", "lon"):
        if col not in points.columns:
            raise DataError(f"points has columns {list(points.columns)}; it needs 'lat' and 'lon'")
    linked = links[links["partner"].notna()]
    unlinked = sorted(map(str, links.index[links["partner"].isna()]))
    if unlinked:
        logger.info("arrow_map: %d countries have no partner: %s", len(unlinked), unlinked)
    need = set(map(str, linked.index)) | set(map(str, linked["partner"]))
    no_point = sorted(need - set(map(str, points.index)))
    if no_point:
        raise DataError(
            f"arrow_map: no lat/lon in points for {no_point}; add their capitals to points"
        )
    xy = points.loc[sorted(need), ["lat", "lon"]].apply(pd.to_numeric, errors="coerce")
    bad = sorted(map(str, xy.index[xy.isna().any(axis=1)]))
    if bad:
        raise DataError(f"arrow_map: lat/lon of {bad} are missing or not numbers; fix points")
    gj, names = _prepare(boundaries, set())
    extra = _hover_lines(hover)
    groups, cats, palette = style.link_groups(linked.index, color_by, colors)
    if order is not None:
        present, listed = set(cats), set(order)
        cats = [c for c in order if c in present] + [c for c in cats if c not in listed]
    group_name = str(getattr(color_by, "name", None) or "group")

    def label(c: str) -> str:
        return names.get(c, c)

    fig = go.Figure()
    cap_codes = sorted(need | set(map(str, links.index)) & set(map(str, points.index)))
    cap_text = []
    for c in cap_codes:
        lines = [f"<b>{label(c)}</b> ({c})"]
        if c in linked.index:
            p = str(linked.loc[c, "partner"])
            lines.append(f"strongest partner: {label(p)} ({p})")
            lines += [f"{k}: {_fmt(linked.loc[c, k])}" for k in linked.columns if k != "partner"]
        if color_by is not None and c in color_by.index:
            lines.append(f"{group_name}: {color_by.loc[c]}")
        cap_text.append("<br>".join(lines + extra.get(c, [])))
    # Trace order matters to plotly.js 3: the first trace of a geo subplot decides
    # whether topojson is fetched (it must have no locationmode) and whether
    # per-point marker angles are honoured (it must use them). So the arrow
    # heads come first, then the lines, the capitals, the basemap (drawn below).
    capitals = (
        go.Scattergeo(
            lon=points.loc[cap_codes, "lon"].astype(float).tolist(),
            lat=points.loc[cap_codes, "lat"].astype(float).tolist(),
            mode="markers",
            marker={"size": 4, "color": "#333333"},
            text=cap_text,
            hovertemplate="%{text}<extra></extra>",
            name="capitals",
            showlegend=False,
        ),
    )
    head_lon: list[float] = []
    head_lat: list[float] = []
    head_angle: list[float] = []
    head_color: list[str] = []
    head_text: list[str] = []
    lines_by_cat = []
    for cat in cats:
        members = [str(c) for c in groups.index[groups == cat]]
        lon: list[float | None] = []
        lat: list[float | None] = []
        text: list[str] = []
        for c in members:
            p = str(linked.loc[c, "partner"])
            lon += [float(points.loc[c, "lon"]), float(points.loc[p, "lon"]), None]
            lat += [float(points.loc[c, "lat"]), float(points.loc[p, "lat"]), None]
            t = f"{label(c)} → {label(p)}"
            text += [t, t, ""]
            head_lon.append(float(points.loc[p, "lon"]))
            head_lat.append(float(points.loc[p, "lat"]))
            head_angle.append(_final_bearing(points.loc[c], points.loc[p]))
            head_color.append(palette[cat])
            head_text.append(t)
        lines_by_cat.append(
            go.Scattergeo(
                lon=lon,
                lat=lat,
                mode="lines",
                line={"width": 1.3, "color": palette[cat]},
                opacity=0.9,
                text=text,
                hovertemplate="%{text}<extra></extra>",
                name=f"{cat} ({len(members)})",
                showlegend=color_by is not None,
            )
        )
    # All arrow heads in ONE first trace: plotly.js 3 reads per-point marker
    # angles of a geo subplot from its first trace only.
    fig.add_trace(
        go.Scattergeo(
            lon=head_lon,
            lat=head_lat,
            mode="markers",
            marker={
                "symbol": "arrow",
                "size": 10,
                "color": head_color,
                "angle": head_angle,
                "angleref": "north",
                "line": {"width": 0},
            },
            text=head_text,
            hovertemplate="%{text}<extra></extra>",
            name="arrow heads",
            showlegend=False,
        )
    )
    for tr in lines_by_cat:
        fig.add_trace(tr)
    fig.add_trace(capitals[0])
    basemap = _basemap_trace(gj, names, list(names), "")
    basemap.hoverinfo = "skip"
    basemap.hovertemplate = None
    fig.add_trace(basemap)
    _layout(fig, title, height, legend=color_by is not None)
    if color_by is not None:
        fig.update_layout(legend={"title": {"text": group_name}})
        _long_legend_below(fig, len(cats), height, max((len(str(c)) for c in cats), default=0))
    fig.update_layout(meta={"unlinked": unlinked})
    return fig


def sankey(
    flows: pd.DataFrame,
    title: str = "",
    *,
    value_label: str = "value",
    separate_sides: bool | None = None,
    height: int = 520,
) -> Any:
    """A Sankey diagram of flows (e.g. emissions moving from producers to consumers).

    Parameters
    ----------
    flows : DataFrame with columns ``source``, ``target``, ``value`` (>= 0).
    title : figure title.
    value_label : unit shown on hover (e.g. "Mt CO2").
    separate_sides : draw a label that is both a source and a target as two
        nodes (left and right), so domestic flows (DEU -> DEU) do not loop;
        default: True when some row has ``source == target``.
    height : pixels.

    Raises
    ------
    DataError if a column is missing or a value is negative or NaN.
    """
    import plotly.graph_objects as go

    need = {"source", "target", "value"}
    if not need <= set(flows.columns):
        raise DataError(
            f"flows has columns {list(flows.columns)}; it needs 'source', 'target' and 'value'"
        )
    val = pd.to_numeric(flows["value"], errors="coerce")
    bad = flows.index[val.isna() | (val < 0)]
    if len(bad):
        raise DataError(
            f"flows rows {list(bad[:5])} have a negative or missing value; Sankey flows must be "
            ">= 0 (split signed flows into two directions)"
        )
    src = flows["source"].astype(str).tolist()
    tgt = flows["target"].astype(str).tolist()
    if separate_sides is None:
        separate_sides = any(s == t for s, t in zip(src, tgt, strict=True))
    if separate_sides:
        left = list(dict.fromkeys(src))
        right = list(dict.fromkeys(tgt))
        nodes = left + right
        s_idx = [left.index(s) for s in src]
        t_idx = [len(left) + right.index(t) for t in tgt]
    else:
        nodes = list(dict.fromkeys(src + tgt))
        s_idx = [nodes.index(s) for s in src]
        t_idx = [nodes.index(t) for t in tgt]
    colors = style.category_colors(list(dict.fromkeys(nodes)))

    def rgba(hex_color: str, alpha: float) -> str:
        h = hex_color.lstrip("#")
        r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
        return f"rgba({r},{g},{b},{alpha})"

    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat=",.4~g",
            valuesuffix=f" {value_label}" if value_label else "",
            node={
                "label": nodes,
                "color": [colors[n] for n in nodes],
                "pad": 12,
                "thickness": 16,
                "line": {"color": "#555555", "width": 0.4},
            },
            link={
                "source": s_idx,
                "target": t_idx,
                "value": val.astype(float).tolist(),
                "color": [rgba(colors[nodes[i]], 0.4) for i in s_idx],
            },
        )
    )
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 16}},
        height=height,
        margin={"l": 10, "r": 10, "t": 44 if title else 10, "b": 10},
        font={"family": _FONT, "size": 12},
        paper_bgcolor="white",
    )
    return fig
