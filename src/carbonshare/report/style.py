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

import pandas as pd

__all__ = [
    "DIVERGING_CMAP",
    "NO_DATA_COLOR",
    "OKABE_ITO",
    "QUALITATIVE",
    "SEQUENTIAL_CMAP",
    "category_colors",
    "category_order",
    "color_range",
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
