"""Colours shared by the static and the interactive figures.

Qualitative colours follow Paul Tol's colour-blind-safe schemes ("muted" and
"light", https://personal.sron.nl/~pault/) and the Okabe-Ito palette;
sequential maps use viridis-family colormaps (perceptually uniform, readable
in grey scale). Beyond 18 categories colours repeat; the static figures then
add hatching so categories stay distinct.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

__all__ = [
    "DIVERGING_CMAP",
    "NO_DATA_COLOR",
    "OKABE_ITO",
    "QUALITATIVE",
    "SEQUENTIAL_CMAP",
    "category_colors",
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

#: Tol "muted" (9) followed by Tol "light" (9): 18 distinguishable colours.
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
    "#44BB99",
    "#BBCC33",
    "#AAAA00",
    "#DDDDDD",
)

NO_DATA_COLOR = "#E3E3E3"
BORDER_COLOR = "#FFFFFF"
BASEMAP_COLOR = "#EDEDED"
SEQUENTIAL_CMAP = "viridis"
DIVERGING_CMAP = "RdBu_r"


def category_colors(categories: Sequence[Hashable]) -> dict[Hashable, str]:
    """One colour per category, in the order given (Okabe-Ito up to 6, else Tol).

    Examples
    --------
    >>> category_colors(["a", "b"])
    {'a': '#E69F00', 'b': '#56B4E9'}
    """
    cats = list(dict.fromkeys(categories))
    palette = OKABE_ITO[:6] if len(cats) <= 6 else QUALITATIVE
    return {c: palette[i % len(palette)] for i, c in enumerate(cats)}
