"""Colours shared by the static and the interactive figures.

Qualitative colours follow Paul Tol's colour-blind-safe schemes ("muted" and
"light", https://personal.sron.nl/~pault/) and the Okabe-Ito palette;
sequential maps use viridis-family colormaps (perceptually uniform, readable
in grey scale). Categories are ordered naturally (:func:`category_order`) so
one category keeps its colour across figures. Beyond 18 categories colours
are distinct but no longer colour-blind safe; beyond 58 they repeat and the
static maps add hatching.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "DIVERGING_CMAP",
    "NO_DATA_COLOR",
    "OKABE_ITO",
    "QUALITATIVE",
    "SEQUENTIAL_CMAP",
    "PLOTLY_LAYOUT",
    "category_colors",
    "category_order",
    "color_range",
    "format_number",
    "group_labels",
    "ranked_category_colors",
    "spread_note",
]

#: Okabe & Ito (2008), without black; yellow late (weak on light backgrounds).
OKABE_ITO = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#F0E442",
    "#999999",
)

#: Tol "muted" (9) followed by Tol "light" (7) and Tol "vibrant" teal and magenta: 18
#: distinguishable colours. Tol's pale grey (#DDDDDD, his colour for bad data) is left out: it
#: is indistinguishable from NO_DATA_COLOR; so is light mint (#44BB99), too close to muted
#: teal (#44AA99).
QUALITATIVE = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#77AADD",
    "#EE8866",
    "#EEDD88",
    "#FFAABB",
    "#99DDFF",
    "#009988",
    "#BBCC33",
    "#AAAA00",
    "#EE3377",
)

NO_DATA_COLOR = "#E3E3E3"
BORDER_COLOR = "#FFFFFF"
BASEMAP_COLOR = "#EDEDED"
SEQUENTIAL_CMAP = "viridis"
DIVERGING_CMAP = "RdBu_r"
FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"

#: The one plotly theme of every report: white background, light grid, the report's font and
#: qualitative colours. :meth:`carbonshare.report.Report.add_plotly` applies it to every
#: interactive figure, so no study shows plotly's default grey theme.
PLOTLY_LAYOUT: dict = {
    "font": {"family": FONT_FAMILY, "size": 12, "color": "#24292f"},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "colorway": list(OKABE_ITO[:6]) + list(QUALITATIVE),
    "xaxis": {"gridcolor": "#e6e9ed", "zerolinecolor": "#c9ced4", "linecolor": "#8c959f",
              "ticks": "outside", "automargin": True},
    "yaxis": {"gridcolor": "#e6e9ed", "zerolinecolor": "#c9ced4", "linecolor": "#8c959f",
              "ticks": "outside", "automargin": True},
    "hoverlabel": {"font": {"family": FONT_FAMILY}},
    "legend": {"bgcolor": "rgba(255,255,255,0.85)"},
}  # fmt: skip

#: A field whose values all lie within this fraction of their mean is "nearly constant".
NEARLY_CONSTANT = 0.10


#: Used after the 18 Tol colours (matplotlib tab20b + tab20c): distinct, but
#: no longer colour-blind safe; rely on legends and hover text there. The three
#: palest tab20c tints, too close to NO_DATA_COLOR, are replaced by tab10 cyan,
#: olive and brown.
EXTENDED = (
    "#393B79", "#5254A3", "#6B6ECF", "#9C9EDE", "#637939", "#8CA252", "#B5CF6B",
    "#CEDB9C", "#8C6D31", "#BD9E39", "#E7BA52", "#E7CB94", "#843C39", "#AD494A",
    "#D6616B", "#E7969C", "#7B4173", "#A55194", "#CE6DBD", "#DE9ED6", "#3182BD",
    "#6BAED6", "#9ECAE1", "#17BECF", "#E6550D", "#FD8D3C", "#FDAE6B", "#FDD0A2",
    "#31A354", "#74C476", "#A1D99B", "#C7E9C0", "#756BB1", "#9E9AC8", "#BCBDDC",
    "#BCBD22", "#636363", "#969696", "#BDBDBD", "#8C564B",
)  # fmt: skip

#: Number of categories that get distinct colours (beyond, colours repeat).
MAX_DISTINCT = len(QUALITATIVE) + len(EXTENDED)


def _natural_key(c: Hashable) -> tuple:
    if isinstance(c, int | float) and not isinstance(c, bool):
        return (0, float(c), "")
    text = str(c)
    parts = re.split(r"(\d+)", text)
    return (1, 0.0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in parts))


def category_order(categories: Iterable[Hashable]) -> list[Hashable]:
    """Distinct categories in natural order (numbers by value, "A10" after "A9").

    Every figure orders categories with this function, so one category gets
    the same colour in every map and chart of a study.

    Examples
    --------
    >>> category_order([10, 2, 1, 2])
    [1, 2, 10]
    >>> category_order(["A10", "A9", "b"])
    ['A9', 'A10', 'b']
    """
    return sorted(dict.fromkeys(categories), key=_natural_key)


def category_colors(categories: Sequence[Hashable]) -> dict[Hashable, str]:
    """One colour per category, in the order given.

    Okabe-Ito for up to 6 categories, Paul Tol's muted + light for up to 18,
    then 40 more distinct (not colour-blind safe) colours; beyond
    :data:`MAX_DISTINCT` colours repeat.

    Examples
    --------
    >>> category_colors(["a", "b"])
    {'a': '#E69F00', 'b': '#56B4E9'}
    """
    cats = list(dict.fromkeys(categories))
    if len(cats) <= 6:
        palette: tuple[str, ...] = OKABE_ITO[:6]
    elif len(cats) <= len(QUALITATIVE):
        palette = QUALITATIVE
    else:
        palette = QUALITATIVE + EXTENDED
    return {c: palette[i % len(palette)] for i, c in enumerate(cats)}


#: Colour of the categories beyond the distinct ones in :func:`ranked_category_colors`.
OTHER_COLORS = ("#B8B8B8", "#9A9A9A")


def ranked_category_colors(
    ranked: Sequence[Hashable], n_distinct: int = len(QUALITATIVE)
) -> dict[Hashable, str]:
    """Distinct colours for the ``n_distinct`` first categories, greys for the rest.

    With dozens of categories (38 alliances) no palette stays readable; colour the
    categories that matter most (pass them first, e.g. alliances by share) with Paul Tol's
    colour-blind-safe colours and draw the rest in two alternating greys, named in the
    legend as "others" and told apart by hover text.

    Examples
    --------
    >>> c = ranked_category_colors(["a", "b", "c"], n_distinct=2)
    >>> c["a"] != c["b"], c["c"]
    (True, '#B8B8B8')
    """
    cats = list(dict.fromkeys(ranked))
    head = category_colors(cats[:n_distinct]) if n_distinct > 0 else {}
    tail = {c: OTHER_COLORS[i % 2] for i, c in enumerate(cats[n_distinct:])}
    return {**head, **tail}


def group_labels(
    groups: pd.Series, weight: pd.Series, names: Mapping[Hashable, str] | None = None
) -> dict[Hashable, str]:
    """A readable label per group: its heaviest member and how many others it has.

    Parameters
    ----------
    groups : Series member -> group (e.g. ISO3 -> alliance number).
    weight : Series member -> weight (e.g. share); the heaviest member leads.
    names : member -> display name (e.g. ISO3 -> country name); default the member.

    Examples
    --------
    >>> g = pd.Series({"COD": 2, "COG": 2, "CAF": 2, "USA": 32})
    >>> w = pd.Series({"COD": 20.2, "COG": 20.1, "CAF": 2.0, "USA": 1.5})
    >>> group_labels(g, w, {"COD": "DR Congo", "USA": "United States"})
    {2: 'DR Congo +2', 32: 'United States'}
    """
    keys = groups.tolist()
    valid = groups.notna().to_numpy()
    w = weight.reindex(groups.index).fillna(float("-inf")).to_numpy(dtype=float)
    at = np.flatnonzero(valid)
    at = at[np.argsort(-w[at], kind="stable")]  # heaviest first; ties in the given order
    lead: dict[Hashable, Hashable] = {}
    size: dict[Hashable, int] = {}
    for i in at:
        lead.setdefault(keys[i], groups.index[i])
        size[keys[i]] = size.get(keys[i], 0) + 1
    out = {}
    for grp in category_order(k for k, ok in zip(keys, valid, strict=True) if ok):
        name = (names or {}).get(lead[grp], lead[grp])
        out[grp] = f"{name} +{size[grp] - 1}" if size[grp] > 1 else str(name)
    return out


def color_range(lo: float, hi: float) -> tuple[float, float]:
    """A usable colour range: widen a (numerically) constant one around its value.

    Equal allocations (e.g. an equal-per-capita rule) differ only by rounding
    noise; stretching that noise over the whole colour scale would paint
    random colours, so a range narrower than 1e-9 of its magnitude becomes
    value +/- 5 %.

    Examples
    --------
    >>> color_range(65.44032616641720, 65.44032616641725)
    (62.16831, 68.71234)
    >>> color_range(0.0, 2.0)
    (0.0, 2.0)
    """
    scale = max(abs(lo), abs(hi))
    if hi - lo > 1e-9 * scale and hi > lo:
        return lo, hi
    mid = (lo + hi) / 2
    pad = 0.05 * abs(mid) if mid != 0 else 1.0
    return round(mid - pad, 5), round(mid + pad, 5)


def spread_note(values: Iterable[float], *, unit: str = "") -> str:
    """A warning when a mapped field is nearly constant, else ``""``.

    A choropleth stretches its colour scale over the data range, so a field that
    varies by a few per cent (an egalitarian rule's per-capita allowance, say) is
    painted as if it varied a lot. When (max - min) <= 10 % of |mean|
    (:data:`NEARLY_CONSTANT`), the map's caption must say so.

    Examples
    --------
    >>> spread_note([63.1, 65.0, 68.2], unit="t per person")
    'Nearly constant: every value lies between 63.1 and 68.2 t per person (spread 7.8 % of the mean); the colours exaggerate the differences.'
    >>> spread_note([1.0, 5.0])
    ''
    """
    import numpy as np

    x = np.asarray([float(v) for v in values], dtype=float)
    x = x[np.isfinite(x)]
    if x.size < 2:
        return ""
    lo, hi, mean = float(x.min()), float(x.max()), float(abs(x.mean()))
    if mean == 0 or (hi - lo) > NEARLY_CONSTANT * mean:
        return ""
    u = f" {unit}" if unit else ""
    return (
        f"Nearly constant: every value lies between {format_number(lo)} and "
        f"{format_number(hi)}{u} (spread {100 * (hi - lo) / mean:.1f} % of the mean); "
        "the colours exaggerate the differences."
    )


def format_number(x: float, sig: int = 3) -> str:
    """One number format for every report and terminal table: ``sig`` significant digits.

    Large numbers keep all their integer digits with thousands separators; small ones keep
    ``sig`` significant digits instead of printing as ``0.00``.

    Examples
    --------
    >>> [format_number(v) for v in (1234567.8, 20.19, 0.000412, 0.0, float("nan"))]
    ['1,234,568', '20.2', '0.000412', '0', '']
    >>> format_number(1.39e-17)  # below 1e-6: scientific notation, not 17 zeros
    '1.39e-17'
    """
    import math

    if x is None or not math.isfinite(float(x)):
        return "" if x is None or math.isnan(float(x)) else ("inf" if x > 0 else "-inf")
    x = float(x)
    if x == 0:
        return "0"
    digits = int(math.floor(math.log10(abs(x))))
    if digits < -6:
        return f"{x:.{sig}g}"
    if digits >= sig - 1:
        return f"{x:,.0f}"
    return f"{x:,.{sig - 1 - digits}f}"


def link_groups(
    index: pd.Index,
    color_by: pd.Series | None,
    colors: Mapping[Hashable, str] | None,
) -> tuple[pd.Series, list[Hashable], dict[Hashable, str]]:
    """Group, group order and colours of the links of an arrow map (static and interactive).

    Without ``color_by`` every link is group "link"; with it, a link whose country has no
    group is "no group". Colours come from ``colors`` or from all groups of ``color_by``, so
    they are the same as in ``category_map(color_by)``.

    Raises
    ------
    DataError  if ``colors`` lacks a colour for a group that is drawn.
    """
    from carbonshare.errors import DataError

    if color_by is None:
        groups = pd.Series("link", index=index, dtype=object)
    else:
        groups = color_by.reindex(index).astype(object)
        groups = groups.where(groups.notna(), "no group")
    cats = category_order(groups.unique())
    if colors is not None:
        palette = dict(colors)
    elif color_by is None:
        palette = {"link": "#0072B2"}
    else:
        palette = category_colors(category_order(color_by.dropna().unique()))
        palette.setdefault("no group", "#777777")
    lacking = [c for c in cats if c not in palette]
    if lacking:
        raise DataError(f"colors has no colour for groups {lacking}; add them to colors=")
    return groups, cats, palette
