"""Static figures for papers (matplotlib, Agg): maps, radar, box, density, dots, dumbbell, bars.

Every function takes labelled pandas objects (indexed by ISO3 code or entity
name), draws with one consistent style and colour-blind-safe palettes
(:mod:`carbonshare.report.style`), and returns a ``matplotlib.figure.Figure``
built without pyplot (no global state; nothing to close).
:func:`save_figure` writes it as PNG (200 dpi) and SVG (text kept as text).

Maps need geopandas (``pip install carbonshare[maps]``) and draw in the Equal
Earth projection (EPSG:8857), Antarctica left out. Countries without data are
grey and hatched; countries too small for the 1:110m boundaries are dots at
their capital. What was not drawn is recorded on the figure:
``fig.carbonshare_meta = {"no_data": [...], "not_drawn": [...], ...}`` so a
study can name those countries in its caption.
"""

from __future__ import annotations

import io
import logging
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carbonshare.errors import DataError
from carbonshare.report import style

__all__ = [
    "arrow_map",
    "bar",
    "box_by_group",
    "category_map",
    "choropleth",
    "dot_plot",
    "dumbbell",
    "figure_files",
    "kde_by_group",
    "radar",
    "save_figure",
    "strip_by_group",
    "write_figure_files",
]

logger = logging.getLogger(__name__)

#: Resolution of the PNG written by :func:`save_figure`.
DPI = 200

#: No figure grows past this many inches a side, whatever the data (show the top items and
#: put the rest in the tables); and no PNG past MAX_PNG_PIXELS a side (the DPI is lowered).
MAX_INCHES = 16.0
MAX_PNG_PIXELS = 3200

RC = {
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "axes.grid": True,
    "grid.color": "#E6E6E6",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "hatch.linewidth": 0.5,
    "svg.fonttype": "none",
    "svg.hashsalt": "carbonshare",  # stable element ids: same figure, same SVG bytes
}

EQUAL_EARTH = "EPSG:8857"
HATCHES = ("", "////", "\\\\\\\\", "xxx", "...", "ooo")


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    size = (min(width, MAX_INCHES), min(height, MAX_INCHES))
    return Figure(figsize=size, layout="constrained")


def _rc() -> Any:
    import matplotlib as mpl

    return mpl.rc_context(RC)


#: Attribute set on a figure whose layout is computed by its maker to fit the figure exactly
#: (e.g. :func:`carbonshare.report.robustness.comembership_heatmap`): it is saved as is, with
#: no tight bounding box (a tight box measures every label once more).
EXACT_LAYOUT = "carbonshare_exact_layout"


def save_bbox(fig: Any) -> str | None:
    """``bbox_inches`` for saving ``fig``: "tight", or None for an exact-layout figure."""
    return None if getattr(fig, EXACT_LAYOUT, False) else "tight"


def save_figure(fig: Any, path_without_suffix: str | Path) -> list[Path]:
    """Write ``fig`` as ``<path>.png`` (200 dpi) and ``<path>.svg``; return both paths.

    SVG text stays text (editable in Inkscape/Illustrator); no creation date is
    written, so the same figure gives the same SVG bytes. The saved area is the
    figure's tight bounding box (titles and legends outside the axes are kept whole);
    the PNG is at most :data:`MAX_PNG_PIXELS` a side (the resolution is lowered for a
    larger figure). The bytes are those of :func:`figure_files`.
    """
    return write_figure_files(figure_files(fig), path_without_suffix)


def figure_files(fig: Any) -> dict[str, bytes]:
    """``{".png": ..., ".svg": ...}``: the files :func:`save_figure` writes, in memory.

    A figure rendered in another process travels as these bytes
    (:mod:`carbonshare.report.offload`); :func:`write_figure_files` writes them.
    """
    out: dict[str, bytes] = {}
    with _rc():
        # the tight box lies within the figure (constrained layout), up to its padding
        dpi = min(DPI, MAX_PNG_PIXELS / (max(fig.get_size_inches()) + 0.5))
        kw = {"facecolor": "white", "bbox_inches": save_bbox(fig), "pad_inches": 0.1}
        for suffix, extra in ((".png", {"dpi": dpi, "metadata": {"Software": None}}),
                              (".svg", {"metadata": {"Date": None}})):  # fmt: skip
            buf = io.BytesIO()
            fig.savefig(buf, format=suffix[1:], **extra, **kw)
            out[suffix] = buf.getvalue()
    return out


def write_figure_files(files: Mapping[str, bytes], path_without_suffix: str | Path) -> list[Path]:
    """Write ``{suffix: bytes}`` (:func:`figure_files`) next to ``<path>``; return the paths."""
    stem = Path(path_without_suffix)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix, data in files.items():
        path = stem.with_name(stem.name + suffix)
        path.write_bytes(data)
        paths.append(path)
    return paths


# ---------------------------------------------------------------------- maps


def _require_geopandas() -> Any:
    try:
        import geopandas as gpd
    except ImportError as exc:
        raise ImportError(
            "maps need geopandas; install the maps extra: pip install 'carbonshare[maps]'"
        ) from exc
    return gpd


_WORLD_CACHE: dict[int, Any] = {}


def _world(boundaries: dict | None) -> Any:
    """Boundaries as a GeoDataFrame in Equal Earth, indexed by ISO3 (bundled ones cached)."""
    gpd = _require_geopandas()
    from carbonshare.report.geometry import get_boundaries

    if boundaries is None and 0 in _WORLD_CACHE:
        return _WORLD_CACHE[0]
    gj = get_boundaries(boundaries)
    feats = [f for f in gj["features"] if f["properties"]["iso3"] != "ATA"]
    gdf = gpd.GeoDataFrame.from_features(feats, crs="EPSG:4326")[["iso3", "name", "geometry"]]
    gdf = gdf.to_crs(EQUAL_EARTH).set_index("iso3")
    if boundaries is None:
        _WORLD_CACHE[0] = gdf
    return gdf


def _sphere() -> Any:
    """The outline of the globe (lat > -60) in Equal Earth, as a GeoSeries."""
    gpd = _require_geopandas()
    from shapely.geometry import Polygon

    lon = np.linspace(-180, 180, 181)
    lat = np.linspace(-60, 90, 76)
    ring = (
        [(x, -60.0) for x in lon]
        + [(180.0, y) for y in lat]
        + [(x, 90.0) for x in lon[::-1]]
        + [(-180.0, y) for y in lat[::-1]]
    )
    return gpd.GeoSeries([Polygon(ring)], crs="EPSG:4326").to_crs(EQUAL_EARTH)


def _capital_points(codes: Sequence[str], points: pd.DataFrame | None) -> pd.DataFrame:
    """x/y (Equal Earth metres), lat/lon of the capitals of ``codes`` that are known."""
    if points is None:
        from carbonshare.data import load_countries

        c = load_countries()
        points = pd.DataFrame({"lat": c["capital_lat"], "lon": c["capital_lon"]})
    pts = points.reindex(list(codes))[["lat", "lon"]].astype(float).dropna()
    from pyproj import Transformer

    tr = Transformer.from_crs("EPSG:4326", EQUAL_EARTH, always_xy=True)
    x, y = tr.transform(pts["lon"].to_numpy(), pts["lat"].to_numpy())
    return pts.assign(x=x, y=y)


def _dateline_crossing(
    lon_a: float, lat_a: float, lon_b: float, lat_b: float
) -> tuple[float, float] | None:
    """Where a link a -> b crosses the 180° meridian going the short way round.

    Returns ``(latitude, edge_longitude)`` with the edge on a's side (+/-179.999),
    or None if the short way does not cross it. The latitude is interpolated
    linearly in longitude (fine for drawing).

    Examples
    --------
    >>> _dateline_crossing(170.0, -10.0, -170.0, -20.0)
    (-15.0, 179.999)
    >>> _dateline_crossing(10.0, 0.0, 20.0, 0.0) is None
    True
    """
    d = lon_b - lon_a
    if abs(d) <= 180:
        return None
    edge = 179.999 if lon_a > 0 else -179.999
    to_edge = 180.0 - abs(lon_a)
    total = 360.0 - abs(d)
    lat = lat_a + (lat_b - lat_a) * (to_edge / total)
    return round(lat, 6), edge


def _map_axes(width: float = 10.0, height: float = 5.1) -> tuple[Any, Any]:
    fig = _figure(width, height)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_aspect("equal")
    _sphere().plot(ax=ax, facecolor="#F3F7FA", edgecolor="#C9D3DB", linewidth=0.6, zorder=0)
    return fig, ax


def _check_index(s: pd.Series | pd.DataFrame, what: str) -> None:
    if s.index.has_duplicates:
        dup = sorted(map(str, s.index[s.index.duplicated()].unique()))
        raise DataError(f"{what} has duplicate entries {dup}; keep one row per country")


def _split_drawable(
    codes: Sequence[str], world: Any, points: pd.DataFrame | None
) -> tuple[list[str], pd.DataFrame, list[str]]:
    """Codes with a polygon, capital points of those without, and the rest."""
    poly = [c for c in codes if c in world.index]
    rest = [c for c in codes if c not in world.index]
    pts = _capital_points(rest, points) if rest else pd.DataFrame(columns=["x", "y"])
    not_drawn = sorted(c for c in rest if c not in pts.index)
    if not_drawn:
        logger.warning("map: %d countries cannot be drawn: %s", len(not_drawn), not_drawn)
    return poly, pts, not_drawn


def _no_data_patch() -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=style.NO_DATA_COLOR, edgecolor="#9A9A9A", hatch="////", label="no data")


def choropleth(
    values: pd.Series,
    *,
    title: str = "",
    cmap: str = style.SEQUENTIAL_CMAP,
    legend_label: str | None = None,
    boundaries: dict | None = None,
    points: pd.DataFrame | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    center: float | None = None,
    log_color: bool = False,
) -> Any:
    """World map of countries coloured by a value, with a colour bar.

    Parameters
    ----------
    values : Series indexed by ISO3 (NaN = no data).
    title : figure title.
    cmap : matplotlib colormap name (default viridis; use a diverging map such
        as ``"RdBu_r"`` with symmetric ``vmin``/``vmax`` for signed values).
    legend_label : colour-bar label; default ``values.name``.
    boundaries : GeoJSON; default :func:`carbonshare.data.load_boundaries`.
    points : ISO3 -> lat/lon for countries without a boundary; default capitals.
    vmin, vmax : colour range; default the data range.
    center : centre of a diverging colormap (e.g. 0 with ``cmap="RdBu_r"``).
    log_color : logarithmic colour scale (values must be > 0), for skewed data.

    Returns
    -------
    Figure, with ``carbonshare_meta["no_data"]`` (ISO3 with a boundary but no
    value, drawn hatched), ``["no_data_names"]``, ``["not_drawn"]`` and
    ``["spread_note"]`` (non-empty when the field is nearly constant, see
    :func:`carbonshare.report.style.spread_note`; the note is also shown under the title).

    Raises
    ------
    ImportError if geopandas is missing; DataError on duplicate ISO3 codes.
    """
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LogNorm, Normalize, TwoSlopeNorm

    _check_index(values, "values")
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    v.index = v.index.map(str)
    data = v.dropna()
    if data.empty:
        raise DataError("choropleth: every value is NaN; nothing to map")
    label = legend_label if legend_label is not None else str(values.name or "value")
    with _rc():
        world = _world(boundaries)
        fig, ax = _map_axes()
        poly, pts, not_drawn = _split_drawable(list(data.index), world, points)
        lo = float(data.min()) if vmin is None else vmin
        hi = float(data.max()) if vmax is None else vmax
        if log_color and lo > 0 and hi > 0:
            lo, hi = (10**x for x in style.color_range(np.log10(lo), np.log10(hi)))
        elif not log_color:
            lo, hi = style.color_range(lo, hi)
        if log_color:
            if (data <= 0).any():
                bad = sorted(data.index[data <= 0])[:10]
                raise DataError(f"log_color needs values > 0; {bad} are <= 0")
            norm = LogNorm(vmin=lo, vmax=hi)
        elif center is not None:
            r = max(abs(lo - center), abs(hi - center)) or 1.0
            norm = TwoSlopeNorm(vcenter=center, vmin=center - r, vmax=center + r)
        else:
            norm = Normalize(vmin=lo, vmax=hi)
        cm = colormaps[cmap]
        no_data = [c for c in world.index if c not in set(poly)]
        if no_data:
            world.loc[no_data].plot(
                ax=ax,
                facecolor=style.NO_DATA_COLOR,
                edgecolor="#9A9A9A",
                hatch="////",
                linewidth=0.25,
            )
        sub = world.loc[poly]
        sub.plot(ax=ax, color=cm(norm(data[poly].to_numpy())), edgecolor="white", linewidth=0.3)
        if len(pts):
            ax.scatter(
                pts["x"],
                pts["y"],
                s=14,
                c=cm(norm(data[pts.index].to_numpy())),
                edgecolors="#333333",
                linewidths=0.4,
                zorder=3,
            )
        cb = fig.colorbar(
            ScalarMappable(norm=norm, cmap=cm),
            ax=ax,
            orientation="horizontal",
            shrink=0.45,
            aspect=35,
            pad=0.02,
        )
        cb.set_label(label)
        cb.outline.set_linewidth(0.4)
        if no_data:
            ax.legend(handles=[_no_data_patch()], loc="lower left", bbox_to_anchor=(0.0, 0.02))
        note = style.spread_note(data)
        if title or note:
            ax.set_title(title + (f"\n{note}" if title and note else note))
    fig.carbonshare_meta = {**_map_meta(world, no_data, not_drawn, pts), "spread_note": note}
    return fig


def _map_meta(world, no_data, not_drawn, pts) -> dict:
    """What a map could not show as a polygon, for the study's caption (``fig.carbonshare_meta``)."""
    return {
        "no_data": sorted(no_data),
        "no_data_names": sorted(world.loc[no_data, "name"].tolist()),
        "not_drawn": not_drawn,
        "as_points": sorted(pts.index.tolist()),
    }


def category_map(
    labels: pd.Series,
    *,
    title: str = "",
    colors: Mapping[Any, str] | None = None,
    boundaries: dict | None = None,
    points: pd.DataFrame | None = None,
    legend_title: str | None = None,
    order: Sequence[Any] | None = None,
    legend_max: int | None = None,
) -> Any:
    """World map of countries coloured by category (e.g. alliance), with a legend.

    Parameters
    ----------
    labels : Series ISO3 -> category (NaN = none, hatched grey).
    title : figure title.
    colors : category -> colour; default :func:`style.category_colors` in sorted
        order. Beyond :data:`style.MAX_DISTINCT` (58) categories colours repeat with a hatch
        pattern.
    boundaries, points : as in :func:`choropleth`.
    legend_title : default ``labels.name``.
    order : category order of the legend (e.g. by share, largest first); default natural.
    legend_max : name at most this many categories in the legend; the others share one
        entry ("28 more"), drawn in the colours ``colors`` gives them (e.g. the greys of
        :func:`style.ranked_category_colors`).

    Returns
    -------
    Figure with ``carbonshare_meta`` as in :func:`choropleth`.
    """
    from matplotlib.patches import Patch

    _check_index(labels, "labels")
    lab = labels.dropna()
    lab.index = lab.index.map(str)
    cats = style.category_order(lab.unique())
    if order is not None:
        cats = [c for c in order if c in set(cats)] + [c for c in cats if c not in set(order)]
    palette = dict(colors) if colors is not None else style.category_colors(cats)
    missing_colors = [c for c in cats if c not in palette]
    if missing_colors:
        raise DataError(f"colors has no colour for categories {missing_colors}; add them")
    named = set(cats[:legend_max]) if legend_max is not None else set(cats)
    n_colors = style.MAX_DISTINCT
    hatch = {c: HATCHES[(i // n_colors) % len(HATCHES)] for i, c in enumerate(cats)}
    with _rc():
        world = _world(boundaries)
        fig, ax = _map_axes(10.0, 5.5)
        poly, pts, not_drawn = _split_drawable(list(lab.index), world, points)
        no_data = [c for c in world.index if c not in set(poly)]
        if no_data:
            world.loc[no_data].plot(
                ax=ax,
                facecolor=style.NO_DATA_COLOR,
                edgecolor="#9A9A9A",
                hatch="////",
                linewidth=0.25,
            )
        cat_of = lab.to_dict()
        # the countries category by category: one collection per hatch (matplotlib draws them
        # in this order, as one collection per category would)
        by_hatch: dict[str, list[str]] = {}
        for cat in cats:
            by_hatch.setdefault(hatch[cat], []).extend(c for c in poly if cat_of[c] == cat)
        for pattern, members in by_hatch.items():
            if members:
                world.loc[members].plot(
                    ax=ax,
                    facecolor=[palette[cat_of[c]] for c in members],
                    edgecolor="white",
                    linewidth=0.3,
                    hatch=pattern or None,
                )
        handles = []
        for cat in cats:
            p_members = [c for c in pts.index if cat_of[c] == cat]
            if p_members:
                ax.scatter(
                    pts.loc[p_members, "x"],
                    pts.loc[p_members, "y"],
                    s=14,
                    color=palette[cat],
                    edgecolors="#333333",
                    linewidths=0.4,
                    zorder=3,
                )
            n = int((lab == cat).sum())
            if cat in named:
                handles.append(
                    Patch(
                        facecolor=palette[cat],
                        edgecolor="#666666",
                        linewidth=0.4,
                        hatch=hatch[cat] or None,
                        label=f"{cat} ({n})",
                    )
                )
        rest = [c for c in cats if c not in named]
        if rest:
            handles.append(
                Patch(
                    facecolor=palette[rest[0]],
                    edgecolor="#666666",
                    linewidth=0.4,
                    label=f"{len(rest)} more, in greys ({int(lab.isin(rest).sum())})",
                )
            )
        if no_data:
            handles.append(_no_data_patch())
        longest = max(len(h.get_label()) for h in handles)
        ncol = min(len(handles), 2 if longest > 30 else 3 if longest > 14 else 6)
        ax.legend(
            handles=handles,
            title=legend_title if legend_title is not None else (labels.name or None),
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=ncol,
            handlelength=1.4,
            columnspacing=1.2,
        )
        if title:
            ax.set_title(title)
    fig.carbonshare_meta = _map_meta(world, no_data, not_drawn, pts)
    return fig


def arrow_map(
    links: pd.DataFrame,
    points: pd.DataFrame,
    *,
    color_by: pd.Series | None = None,
    title: str = "",
    colors: Mapping[Any, str] | None = None,
    boundaries: dict | None = None,
    legend: bool = True,
) -> Any:
    """Arrows from each country's capital to its partner's, over a light basemap.

    Parameters
    ----------
    links : DataFrame indexed by ISO3 with column ``partner`` (ISO3; NaN = none).
    points : DataFrame indexed by ISO3 with ``lat``, ``lon`` (degrees).
    color_by : optional Series ISO3 -> group (e.g. alliance): arrow colours and legend.
    title : figure title.
    colors : group -> colour.
    boundaries : GeoJSON for the basemap.
    legend : draw the legend of the groups; False when a category map with the same
        colours sits next to it (a legend of dozens of groups would dwarf the map).

    Returns
    -------
    Figure with ``carbonshare_meta["unlinked"]`` (countries without a partner).

    Raises
    ------
    DataError if ``partner`` is missing or a country/partner has no lat/lon.
    """
    from matplotlib.lines import Line2D

    from carbonshare.report.arrows import ArrowCollection

    _require_geopandas()  # before pyproj, so a missing [maps] extra says how to fix it
    if "partner" not in links.columns:
        raise DataError(
            f"links has columns {list(links.columns)}; it needs a 'partner' column (ISO3)"
        )
    _check_index(links, "links")
    linked = links[links["partner"].notna()]
    unlinked = sorted(map(str, links.index[links["partner"].isna()]))
    need = sorted(set(map(str, linked.index)) | set(map(str, linked["partner"])))
    pts = _capital_points(need, points)
    no_point = sorted(set(need) - set(pts.index))
    if no_point:
        raise DataError(f"arrow_map: no lat/lon in points for {no_point}; add their capitals")
    groups, cats, palette = style.link_groups(linked.index, color_by, colors)
    with _rc():
        world = _world(boundaries)
        fig, ax = _map_axes(10.0, 5.5)
        world.plot(ax=ax, facecolor=style.BASEMAP_COLOR, edgecolor="white", linewidth=0.3)
        from pyproj import Transformer

        to_xy = Transformer.from_crs("EPSG:4326", EQUAL_EARTH, always_xy=True).transform
        starts, ends, arrow_colors = [], [], []
        for c, row in linked.iterrows():
            p = str(row["partner"])
            a, b = pts.loc[str(c)], pts.loc[p]
            color = palette[groups[c]]
            start = (a["x"], a["y"])
            cross = _dateline_crossing(a["lon"], a["lat"], b["lon"], b["lat"])
            if cross is not None:  # the short way crosses 180°: leave at one edge ...
                lat_x, edge = cross
                ex, ey = to_xy(edge, lat_x)
                ax.plot([a["x"], ex], [a["y"], ey], color=color, lw=0.9, alpha=0.9, zorder=3)
                start = to_xy(-edge, lat_x)  # ... and come back at the other
            starts.append(start)
            ends.append((b["x"], b["y"]))
            arrow_colors.append(color)
        # one artist for all arrows: the paths of annotate(arrowprops=...), drawn in one go
        arrows = ArrowCollection(
            starts, ends, arrow_colors, arrowstyle="-|>", mutation_scale=7, shrinkA=0,
            shrinkB=2, linewidth=0.9, alpha=0.9, zorder=3,
        )  # fmt: skip
        ax.add_collection(arrows, autolim=False)
        ax.scatter(pts["x"], pts["y"], s=4, color="#333333", zorder=4, linewidths=0)
        if color_by is not None and legend:
            handles = [
                Line2D([], [], color=palette[k], lw=1.6, label=f"{k} ({int((groups == k).sum())})")
                for k in cats
            ]
            ax.legend(
                handles=handles,
                title=color_by.name or None,
                loc="upper center",
                bbox_to_anchor=(0.5, 0.0),
                ncol=min(len(handles), 6),
            )
        if title:
            ax.set_title(title)
    fig.carbonshare_meta = {"unlinked": unlinked}
    return fig


# ---------------------------------------------------------------------- charts


RADAR_LINESTYLES = ("-", "--", ":", "-.")
"""Line styles of successive polygons in a radar panel."""


def radar(df: pd.DataFrame, *, title: str = "", rmax: float = 1.0, max_per_panel: int = 6) -> Any:
    """Radar (spider) chart: one polygon per row, one spoke per column.

    Parameters
    ----------
    df : rows = entities (e.g. top countries), columns = axes (e.g. the nine
        indicators), values in [0, ``rmax``] (normalise first).
    title : figure title.
    rmax : outer radius.
    max_per_panel : more rows than this are split into small multiples.

    Raises
    ------
    DataError if a value is NaN, negative or above ``rmax`` (names the cell).
    """
    if df.shape[1] < 3:
        raise DataError(f"radar needs at least 3 columns (axes); got {list(df.columns)}")
    vals = df.apply(pd.to_numeric, errors="coerce").astype(float)
    bad = vals.isna() | (vals < 0) | (vals > rmax)
    if bad.to_numpy().any():
        r, c = np.argwhere(bad.to_numpy())[0]
        raise DataError(
            f"radar value for {df.index[r]!r}, {df.columns[c]!r} is {df.iloc[r, c]!r}; values "
            f"must be in [0, {rmax}] (normalise, or raise rmax)"
        )
    n = len(vals)
    panels = max(1, int(np.ceil(n / max_per_panel)))
    per_panel = int(np.ceil(n / panels))
    ncols = min(panels, 3)
    nrows = int(np.ceil(panels / ncols))
    angles = np.linspace(0, 2 * np.pi, df.shape[1], endpoint=False)
    colors = style.category_colors(list(map(str, vals.index)))
    with _rc():
        fig = _figure(4.2 * ncols + 1.6, 4.0 * nrows)
        for k in range(panels):
            ax = fig.add_subplot(nrows, ncols, k + 1, projection="polar")
            ax.set_theta_offset(np.pi / 2)
            ax.set_theta_direction(-1)
            ax.set_xticks(angles, [str(c) for c in df.columns])
            ax.set_ylim(0, rmax)
            ax.set_yticks(np.linspace(0, rmax, 5)[1:])
            ax.tick_params(axis="y", labelsize=7, colors="#777777")
            ax.tick_params(axis="x", pad=9)
            ax.spines["polar"].set_color("#BBBBBB")
            rows = vals.iloc[k * per_panel : (k + 1) * per_panel]
            for j, (name, row) in enumerate(rows.iterrows()):
                closed = np.r_[row.to_numpy(), row.to_numpy()[:1]]
                th = np.r_[angles, angles[:1]]
                col = colors[str(name)]
                # line styles cycle so that coinciding polygons stay visible
                ls = RADAR_LINESTYLES[j % len(RADAR_LINESTYLES)]
                ax.plot(th, closed, color=col, lw=1.5, ls=ls, label=str(name))
                ax.fill(th, closed, color=col, alpha=0.12)
            ax.legend(loc="upper left", bbox_to_anchor=(1.05, 1.0))
        if title:
            fig.suptitle(title, x=0.02, ha="left", fontweight="bold")
    return fig


def _group_order(groups: pd.Series) -> list[Any]:
    return style.category_order(groups.dropna().unique())


def box_by_group(
    values: pd.DataFrame,
    groups: pd.Series,
    *,
    title: str = "",
    ylabel: str = "",
    show_points: bool = True,
) -> Any:
    """Box plots of each column of ``values`` per group, side by side.

    Parameters
    ----------
    values : rows = entities (ISO3), columns = variables (e.g. Eq, Ef, El contributions).
    groups : Series entity -> group (e.g. alliance); entities without a group are left out
        (logged).
    title, ylabel : text.
    show_points : overlay the individual values (jittered), so groups of one or
        two members stay visible.
    """
    if isinstance(values, pd.Series):
        values = values.to_frame()
    g = groups.reindex(values.index)
    if g.isna().any():
        logger.info("box_by_group: %d entities have no group and are left out", int(g.isna().sum()))
    order = _group_order(g)
    if not order:
        raise DataError("box_by_group: no entity of values has a group; check the index of groups")
    cols = list(values.columns)
    colors = style.category_colors(cols)
    width = 0.8 / len(cols)
    rng = np.random.default_rng(0)
    with _rc():
        fig = _figure(min(11.0, max(6.0, 0.45 * len(order) * max(1, len(cols)) + 2.0)), 4.4)
        ax = fig.add_subplot()
        for j, col in enumerate(cols):
            data = [values.loc[g == grp, col].dropna().to_numpy(float) for grp in order]
            pos = np.arange(len(order)) + (j - (len(cols) - 1) / 2) * width
            bp = ax.boxplot(
                data,
                positions=pos,
                widths=width * 0.85,
                patch_artist=True,
                showfliers=False,
                medianprops={"color": "#222222", "lw": 1.2},
                whiskerprops={"color": "#555555"},
                capprops={"color": "#555555"},
            )
            for patch in bp["boxes"]:
                patch.set_facecolor(colors[col])
                patch.set_alpha(0.75)
                patch.set_edgecolor("#444444")
            if show_points:
                for p, d in zip(pos, data, strict=True):
                    jitter = rng.uniform(-width * 0.25, width * 0.25, size=len(d))
                    ax.scatter(p + jitter, d, s=7, color="#222222", alpha=0.6, lw=0, zorder=3)
            ax.plot([], [], "s", color=colors[col], label=str(col), ms=8)
        counts = g.value_counts()
        ax.set_xticks(
            np.arange(len(order)),
            [f"{textwrap.fill(str(o), 14)}\n(n={int(counts.get(o, 0))})" for o in order],
        )
        ax.set_xlim(-0.6, len(order) - 0.4)
        ax.grid(axis="x", visible=False)
        if ylabel:
            ax.set_ylabel(ylabel)
        if len(cols) > 1:
            ax.legend(ncol=min(len(cols), 6), loc="upper right")
        if title:
            ax.set_title(title)
    return fig


def kde_by_group(
    values: pd.Series,
    groups: pd.Series,
    *,
    title: str = "",
    xlabel: str | None = None,
    colors: Mapping[Any, str] | None = None,
    grid_points: int = 256,
    support: tuple[float | None, float | None] | None = None,
) -> Any:
    """Kernel density of ``values`` per group (Gaussian kernel, Scott's bandwidth).

    With ``support=(a, b)`` (e.g. (0, 100) for percentages; ``None`` for an
    open end) the density is reflected at the bounds,
    f(x) = k(x) + k(2a - x) + k(2b - x) for a <= x <= b, so no mass is drawn
    outside the values' possible range and the curve still integrates to 1.

    A density needs at least two distinct values: a group with one member (or
    all values equal) is drawn as a vertical line at its value(s), labelled
    "no density", and listed in ``fig.carbonshare_meta["no_density"]``.
    Every value also appears as a tick in a rug at the bottom.

    Parameters
    ----------
    values : Series entity -> value (e.g. allocation rate).
    groups : Series entity -> group.
    title, xlabel : text (xlabel default ``values.name``).
    colors : group -> colour.
    grid_points : points of the evaluation grid.
    support : (lower, upper) bounds of the values (either may be None), or None.

    Raises
    ------
    DataError if no value has a group, or a value lies outside ``support``.

    References
    ----------
    Scott, D. W. (1992) Multivariate Density Estimation. Wiley.
    Silverman, B. W. (1986) Density Estimation for Statistics and Data Analysis,
    section 2.10 (reflection at a boundary). Chapman and Hall.
    """
    from scipy.stats import gaussian_kde

    v = pd.to_numeric(values, errors="coerce").astype(float).dropna()
    g = groups.reindex(v.index)
    order = _group_order(g)
    if not order:
        raise DataError("kde_by_group: no entity of values has a group; check the index of groups")
    palette = dict(colors) if colors is not None else style.category_colors(order)
    lo, hi = float(v.min()), float(v.max())
    pad = 0.1 * (hi - lo) if hi > lo else 1.0
    a, b = support if support is not None else (None, None)
    below = v < a if a is not None else pd.Series(False, index=v.index)
    above = v > b if b is not None else pd.Series(False, index=v.index)
    outside = v[below | above]
    if len(outside):
        raise DataError(
            f"kde_by_group: value {float(outside.iloc[0])!r} of {outside.index[0]!r} is "
            f"outside the support {support}; widen support or check the values"
        )
    x_lo = lo - pad if a is None else max(lo - pad, a)
    x_hi = hi + pad if b is None else min(hi + pad, b)
    x = np.linspace(x_lo, x_hi, grid_points)

    def density(d: np.ndarray) -> np.ndarray:
        kde = gaussian_kde(d)
        y = kde(x)
        if a is not None:
            y = y + kde(2 * a - x)
        if b is not None:
            y = y + kde(2 * b - x)
        return y

    no_density = []
    with _rc():
        fig = _figure(7.5, 4.2)
        ax = fig.add_subplot()
        ymax = 0.0
        curves = {}
        for grp in order:
            d = v[g == grp].to_numpy()
            if len(d) >= 2 and np.ptp(d) > 0:
                y = density(d)
                curves[grp] = y
                ymax = max(ymax, float(y.max()))
        for grp in order:
            d = v[g == grp].to_numpy()
            col = palette[grp]
            if grp in curves:
                ax.plot(x, curves[grp], color=col, lw=1.6, label=f"{grp} (n={len(d)})")
                if len(order) <= 4:  # more fills only muddy the picture
                    ax.fill_between(x, curves[grp], color=col, alpha=0.08)
            else:
                no_density.append(grp)
                for val in np.unique(d):
                    ax.axvline(val, color=col, lw=1.2, ls="--", ymax=0.95)
                ax.plot([], [], color=col, ls="--", label=f"{grp} (n={len(d)}, no density)")
            ax.plot(
                d,
                np.full(len(d), -0.02),
                "|",
                color=col,
                ms=8,
                mew=1,
                transform=ax.get_xaxis_transform(),
                clip_on=False,
            )
        ax.set_ylim(bottom=0)
        ax.set_xlabel(xlabel if xlabel is not None else str(values.name or "value"))
        ax.set_ylabel("density")
        ax.legend(ncol=1 if len(order) <= 8 else 2, loc="upper right")
        if title:
            ax.set_title(title)
    fig.carbonshare_meta = {"no_density": no_density}
    return fig


def strip_by_group(
    values: pd.Series,
    groups: pd.Series,
    *,
    title: str = "",
    xlabel: str | None = None,
    group_labels: Mapping[Any, str] | None = None,
    colors: Mapping[Any, str] | None = None,
    min_density_points: int = 20,
    max_groups: int = 60,
) -> Any:
    """Distribution of ``values`` per group, one row per group, honest at any group size.

    Every value is drawn as a point. A group with at least 5 values also gets a box
    (quartiles, median); a group with at least ``min_density_points`` values also gets
    its kernel density as a violin (Gaussian kernel, Scott's bandwidth). Smooth densities
    from a handful of points mislead, so small groups show only what was observed. The
    value axis always covers every value (never clipped).

    Parameters
    ----------
    values : Series entity -> value (e.g. allocation rate, %).
    groups : Series entity -> group; entities without a group are left out (logged).
    title, xlabel : text (xlabel default ``values.name``).
    group_labels : group -> row label (e.g. the alliance's lead country); default the group.
    colors : group -> colour; default :func:`carbonshare.report.style.category_colors`.
    min_density_points : smallest group drawn with a density.
    max_groups : at most this many rows (the groups with the largest medians); the figure
        says how many were left out.

    Returns
    -------
    Figure with ``carbonshare_meta``: ``x_limits``, ``data_range``, ``density_groups``,
    ``groups_shown`` and ``groups_left_out``.

    Raises
    ------
    DataError if no value has a group.
    """
    v = pd.to_numeric(values, errors="coerce").astype(float).dropna()
    g = groups.reindex(v.index)
    if g.isna().any():
        logger.info("strip_by_group: %d entities have no group; left out", int(g.isna().sum()))
    v, g = v[g.notna()], g[g.notna()]
    if v.empty:
        raise DataError("strip_by_group: no entity of values has a group; check groups' index")
    order = _group_order(g)
    palette = dict(colors) if colors is not None else style.category_colors(order)
    medians = v.groupby(g).median()
    shown = sorted(order, key=lambda k: -medians[k])[:max_groups]
    left_out = [k for k in order if k not in set(shown)]
    lo, hi = float(v.min()), float(v.max())
    pad = 0.04 * (hi - lo) if hi > lo else max(abs(hi) * 0.05, 1.0)
    limits = (lo - pad, hi + pad)
    rng = np.random.default_rng(0)
    density_groups = []
    with _rc():
        fig = _figure(7.5, min(14.0, 1.2 + 0.3 * len(shown)))
        ax = fig.add_subplot()
        for row, grp in enumerate(reversed(shown)):
            d = v[g == grp].to_numpy()
            col = palette.get(grp, "#555555")
            if len(d) >= min_density_points and np.ptp(d) > 0:
                density_groups.append(grp)
                parts = ax.violinplot(
                    d, positions=[row], orientation="horizontal", widths=0.8, showextrema=False
                )
                for body in parts["bodies"]:
                    body.set_facecolor(col)
                    body.set_alpha(0.25)
            if len(d) >= 5:
                ax.boxplot(
                    d,
                    positions=[row],
                    orientation="horizontal",
                    widths=0.45,
                    showfliers=False,
                    medianprops={"color": "#222222", "lw": 1.2},
                    boxprops={"color": "#555555"},
                    whiskerprops={"color": "#555555"},
                    capprops={"color": "#555555"},
                )
            jitter = rng.uniform(-0.12, 0.12, size=len(d))
            ax.scatter(d, row + jitter, s=16, color=col, edgecolors="#333333", lw=0.4, zorder=3)
        labels = [
            f"{(group_labels or {}).get(grp, grp)} (n={int((g == grp).sum())})"
            for grp in reversed(shown)
        ]
        ax.set_yticks(np.arange(len(shown)), labels)
        ax.set_ylim(-0.7, len(shown) - 0.3)
        ax.set_xlim(*limits)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(xlabel if xlabel is not None else str(values.name or "value"))
        note = "points: every value; box: groups of 5 or more"
        if density_groups:
            note += f"; shaded: density (groups of {min_density_points} or more)"
        if left_out:
            note += f"; {len(left_out)} groups with the smallest medians not shown"
        ax.set_title((title + "\n" if title else "") + note, fontsize=8 if title else 9)
    fig.carbonshare_meta = {
        "x_limits": limits,
        "data_range": (lo, hi),
        "density_groups": density_groups,
        "groups_shown": shown,
        "groups_left_out": left_out,
    }
    return fig


def _markers() -> Sequence[str]:
    return ("o", "s", "D", "^", "v", "P", "X", "<", ">")


def dot_plot(
    df: pd.DataFrame,
    *,
    title: str = "",
    xlabel: str = "",
    sort_by: str | None = None,
    log: bool = False,
) -> Any:
    """Cleveland dot plot: one row per entity, one marker per column (series).

    Parameters
    ----------
    df : rows = entities, columns = series (e.g. per-capita allowance by rule).
    sort_by : column to order rows by (default the first); None keeps ``df``'s order
        if ``sort_by=""``.
    log : logarithmic x axis (values must be > 0).
    """
    if isinstance(df, pd.Series):
        df = df.to_frame()
    d = df.apply(pd.to_numeric, errors="coerce").astype(float)
    key = df.columns[0] if sort_by is None else sort_by
    if key:
        if key not in d.columns:
            raise DataError(f"sort_by={key!r} is not a column; columns are {list(d.columns)}")
        d = d.sort_values(key)
    if log and (d <= 0).to_numpy().any():
        raise DataError("dot_plot(log=True) needs values > 0; use log=False for signed data")
    colors = style.category_colors(list(d.columns))
    n = len(d)
    with _rc():
        fig = _figure(7.0, max(2.5, 0.2 * n + 1.2))
        ax = fig.add_subplot()
        y = np.arange(n)
        ax.hlines(y, d.min(axis=1), d.max(axis=1), color="#CCCCCC", lw=0.8, zorder=1)
        for k, col in enumerate(d.columns):
            ax.scatter(
                d[col],
                y,
                s=22,
                color=colors[col],
                marker=_markers()[k % 9],
                label=str(col),
                zorder=3,
                edgecolors="white",
                linewidths=0.3,
            )
        ax.set_yticks(y, [str(i) for i in d.index])
        ax.set_ylim(-0.7, n - 0.3)
        ax.grid(axis="y", visible=False)
        if log:
            ax.set_xscale("log")
        if xlabel:
            ax.set_xlabel(xlabel)
        fig.legend(loc="outside lower center", ncol=min(len(d.columns), 4))
        if title:
            ax.set_title(title)
    return fig


def dumbbell(
    a: pd.Series,
    b: pd.Series,
    *,
    title: str = "",
    xlabel: str = "",
    sort: str = "difference",
) -> Any:
    """Dumbbell chart: for each entity, a segment from ``a`` to ``b``.

    Parameters
    ----------
    a, b : Series on the same index (e.g. grandfathering vs another rule);
        their names label the two ends.
    sort : "difference" (b - a), "a", "b" or "index".

    Raises
    ------
    DataError if the indexes differ (names what is missing) or ``sort`` is unknown.
    """
    only_a = sorted(map(str, a.index.difference(b.index)))
    only_b = sorted(map(str, b.index.difference(a.index)))
    if only_a or only_b:
        raise DataError(
            f"dumbbell: a and b need the same index; only in a: {only_a[:10]}, "
            f"only in b: {only_b[:10]}"
        )
    d = pd.DataFrame({"a": a.astype(float), "b": b.reindex(a.index).astype(float)})
    orders = {
        "difference": lambda t: t.assign(k=t.b - t.a).sort_values("k"),
        "a": lambda t: t.sort_values("a"),
        "b": lambda t: t.sort_values("b"),
        "index": lambda t: t,
    }
    if sort not in orders:
        raise DataError(f"sort={sort!r}; use one of {sorted(orders)}")
    d = orders[sort](d)
    la, lb = str(a.name or "a"), str(b.name or "b")
    ca, cb = style.OKABE_ITO[3], style.OKABE_ITO[4]
    n = len(d)
    with _rc():
        fig = _figure(7.0, max(2.5, 0.2 * n + 1.2))
        ax = fig.add_subplot()
        y = np.arange(n)
        up = d.b >= d.a
        ax.hlines(y[up], d.a[up], d.b[up], color="#8FB9DA", lw=1.6, zorder=1)
        ax.hlines(y[~up], d.a[~up], d.b[~up], color="#E8A98C", lw=1.6, zorder=1)
        ax.scatter(d.a, y, s=24, color=ca, label=la, zorder=3, edgecolors="white", linewidths=0.3)
        ax.scatter(
            d.b,
            y,
            s=24,
            color=cb,
            marker="D",
            label=lb,
            zorder=3,
            edgecolors="white",
            linewidths=0.3,
        )
        ax.set_yticks(y, [str(i) for i in d.index])
        ax.set_ylim(-0.7, n - 0.3)
        ax.grid(axis="y", visible=False)
        if xlabel:
            ax.set_xlabel(xlabel)
        fig.legend(loc="outside lower center", ncol=2)
        if title:
            ax.set_title(title)
    return fig


def _thousands() -> Any:
    """Compact tick labels: thousands separators from 10,000 (400,000 not 400000), and
    SI prefixes from a million (120 M, 2.4 G) so that long numbers never collide."""
    from matplotlib.ticker import FuncFormatter

    def fmt(x: float, _pos: int) -> str:
        for scale, prefix in ((1e12, "T"), (1e9, "G"), (1e6, "M")):
            if abs(x) >= scale:
                return f"{x / scale:,.3g} {prefix}"
        return f"{x:,.0f}" if abs(x) >= 1e4 else f"{x:g}"

    return FuncFormatter(fmt)


def bar(
    df: pd.DataFrame | pd.Series,
    *,
    title: str = "",
    ylabel: str = "",
    stacked: bool = False,
    horizontal: bool | None = None,
) -> Any:
    """Bar chart: rows = categories, columns = series (grouped or stacked).

    Parameters
    ----------
    df : DataFrame (or Series for one series).
    stacked : stack the series (e.g. the parts of a decomposition) instead of grouping.
    horizontal : horizontal bars; default when there are more than 12 rows or a
        label is longer than 12 characters.
    """
    if isinstance(df, pd.Series):
        df = df.to_frame(name=df.name if df.name is not None else "value")
    d = df.apply(pd.to_numeric, errors="coerce").astype(float)
    n, m = d.shape
    longest = max((len(str(i)) for i in d.index), default=0)
    horiz = (n > 12 or longest > 12) if horizontal is None else horizontal
    colors = style.category_colors(list(d.columns))
    pos = np.arange(n)
    with _rc():
        fig = (
            _figure(7.0, max(2.5, 0.22 * n * (1 if stacked else max(1, m * 0.6)) + 1.2))
            if horiz
            else _figure(max(5.0, 0.5 * n * (1 if stacked else max(1, m * 0.6)) + 2.0), 4.0)
        )
        ax = fig.add_subplot()
        width = 0.8 if stacked else 0.8 / m
        pos_base = np.zeros(n)
        neg_base = np.zeros(n)
        for k, col in enumerate(d.columns):
            vals = d[col].fillna(0.0).to_numpy()
            if stacked:
                base = np.where(vals >= 0, pos_base, neg_base)
                offs = pos
            else:
                base = np.zeros(n)
                offs = pos + (k - (m - 1) / 2) * width
            kw = {"color": colors[col], "label": str(col), "edgecolor": "white", "linewidth": 0.4}
            if horiz:
                ax.barh(offs, vals, height=width, left=base, **kw)
            else:
                ax.bar(offs, vals, width=width, bottom=base, **kw)
            if stacked:
                pos_base += np.where(vals >= 0, vals, 0)
                neg_base += np.where(vals < 0, vals, 0)
        labels = [str(i) for i in d.index]
        if horiz:
            ax.set_yticks(pos, labels)
            ax.invert_yaxis()
            ax.grid(axis="y", visible=False)
            ax.axvline(0, color="#444444", lw=0.6)
            ax.xaxis.set_major_formatter(_thousands())
            if ylabel:
                ax.set_xlabel(ylabel)
        else:
            ax.set_xticks(
                pos, labels, rotation=45 if n > 6 else 0, ha="right" if n > 6 else "center"
            )
            ax.grid(axis="x", visible=False)
            ax.axhline(0, color="#444444", lw=0.6)
            ax.yaxis.set_major_formatter(_thousands())
            if ylabel:
                ax.set_ylabel(ylabel)
        if m > 1:
            fig.legend(loc="outside right upper")
        if title:
            ax.set_title(title)
    return fig
