"""Palettes of carbonshare.report.style: categories stay distinguishable from missing data."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _group_labels_by_definition(groups, weight, names=None):
    """Each group's members sorted by weight (stable, descending), the first one leads."""
    w = weight.reindex(groups.index).fillna(float("-inf"))
    out = {}
    for grp in style.category_order(groups.dropna().unique().tolist()):
        members = w[groups == grp].sort_values(ascending=False, kind="stable")
        lead = members.index[0]
        name = (names or {}).get(lead, lead)
        out[grp] = f"{name} +{len(members) - 1}" if len(members) > 1 else str(name)
    return out


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(0, 4), st.sampled_from(["A9", "A10", "b"])),
            st.one_of(st.none(), st.sampled_from([0.0, -0.0, 1.0, 2.5, float("inf")])),
        ),
        min_size=1,
        max_size=25,
    ),
    named=st.booleans(),
    numeric=st.booleans(),
)
def test_group_labels_match_the_definition(rows, named, numeric):
    """Ties (equal weights keep the given order), missing groups and weights, mixed keys."""
    index = [f"C{i:02d}" for i in range(len(rows))]
    as_number = {"A9": 9, "A10": 10, "b": 2}  # numeric keys: some groups merge
    keys = [g if not numeric or g is None else as_number.get(g, g) for g, _ in rows]
    groups = pd.Series(keys, index=index, dtype=float if numeric else object)
    weight = pd.Series([w for _, w in rows], index=index, dtype=float).iloc[::2]
    names = {c: f"name of {c}" for c in index[::3]} if named else None
    assert style.group_labels(groups, weight, names) == _group_labels_by_definition(
        groups, weight, names
    )
