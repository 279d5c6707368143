"""Palettes of carbonshare.report.style: categories stay distinguishable from missing data."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from carbonshare.report import style


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[k : k + 2], 16) for k in (1, 3, 5)], dtype=float)


@pytest.mark.parametrize("n", [2, 6, 18, 38, style.MAX_DISTINCT])
def test_category_colours_are_distinct_and_not_the_no_data_grey(n):
    colours = list(style.category_colors(range(n)).values())
    assert len(set(colours)) == n
    for c in colours:
        for grey in (style.NO_DATA_COLOR, style.BASEMAP_COLOR):
            # Euclidean RGB distance; Tol's pale grey #DDDDDD is 10 from #E3E3E3
            assert np.linalg.norm(_rgb(c) - _rgb(grey)) > 40, (c, grey)


def test_palettes_have_no_duplicates():
    every = style.QUALITATIVE + style.EXTENDED
    assert len(set(every)) == len(every) == style.MAX_DISTINCT
    closest = min(
        np.linalg.norm(_rgb(a) - _rgb(b)) for a, b in itertools.combinations(style.QUALITATIVE, 2)
    )
    assert closest > 25
