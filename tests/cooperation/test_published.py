"""Table 2 of Zhou et al. (2024) as data, and the adjusted Rand index."""

from __future__ import annotations

import itertools
import json
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from carbonshare.cooperation.published import (
    adjusted_rand_index,
    distance_to_published,
    load_zhou2024_table2,
)
from carbonshare.errors import DataError


def test_table2_maps_every_name_and_keeps_the_published_numbers():
    t = load_zhou2024_table2()
    raw = json.loads(
        resources.files("carbonshare.data").joinpath("published/zhou2024_table2.json").read_text()
    )
    assert len(t.members) == sum(len(a["members"]) for a in raw["alliances"].values()) == 184
    assert t.members.value_counts().sort_index().tolist() == [
        a["n"] for a in raw["alliances"].values()
    ]
    assert t.shares.sum() == pytest.approx(100.0, abs=0.05)
    assert (t.members.loc[["COD", "COG", "BRA"]] == 2).all()
    assert t.members["SJM"] == 8  # the explicit override
    assert "iScience" in t.citation


def test_unmapped_name_is_an_error():
    countries = pd.DataFrame({"name": ["France"], "aliases": [""]}, index=["FRA"])
    with pytest.raises(DataError, match="maps to no ISO3"):
        load_zhou2024_table2(countries)


def brute_ari(a, b):
    """ARI from pair counts over all pairs (Hubert & Arabie 1985), by enumeration."""
    items = list(a.index)
    n11 = n10 = n01 = n00 = 0
    for i, j in itertools.combinations(items, 2):
        x, y = a[i] == a[j], b[i] == b[j]
        n11 += x and y
        n10 += x and not y
        n01 += y and not x
        n00 += not x and not y
    total = n11 + n10 + n01 + n00
    expected = (n11 + n10) * (n11 + n01) / total
    top = ((n11 + n10) + (n11 + n01)) / 2
    return (n11 - expected) / (top - expected)


@pytest.mark.parametrize("seed", range(6))
def test_ari_equals_pair_counting(seed):
    rng = np.random.default_rng(seed)
    idx = [f"C{i}" for i in range(30)]
    a = pd.Series(rng.integers(0, 4, 30), index=idx)
    b = pd.Series(rng.integers(0, 6, 30), index=idx)
    assert adjusted_rand_index(a, b) == pytest.approx(brute_ari(a, b), rel=1e-12)
    assert adjusted_rand_index(a, a.sample(frac=1, random_state=seed) * 7) == pytest.approx(1.0)


def test_distance_to_published_of_table2_itself():
    t = load_zhou2024_table2()
    m = distance_to_published(t.members, t.shares, t)
    assert m["ari"] == pytest.approx(1.0) and m["n_alliances"] == 15
    assert (m["share_min"], m["share_max"]) == (4.27, 10.88)
