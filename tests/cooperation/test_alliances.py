"""Strongest partners, linkage graph and alliances (docs/methods.md A5)."""

from __future__ import annotations

import logging

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.cooperation import (
    alliance_table,
    alliances,
    crl_matrix,
    linkage_graph,
    strongest_links,
    strongest_partner,
)
from carbonshare.errors import ConfigError, DataError
from carbonshare.geo import great_circle_km

# Capitals (decimal degrees) and continents of seven real countries.
CAPITALS = pd.DataFrame(
    {
        "lat": [48.8566, 50.8503, 52.3676, 52.5200, 35.6762, 37.5665, 39.9042],
        "lon": [2.3522, 4.3517, 4.9041, 13.4050, 139.6503, 126.9780, 116.4074],
        "continent": ["Europe"] * 4 + ["Asia"] * 3,
        "name": ["France", "Belgium", "Netherlands", "Germany", "Japan", "South Korea", "China"],
    },
    index=pd.Index(["FRA", "BEL", "NLD", "DEU", "JPN", "KOR", "CHN"], name="iso3"),
)


def equal_mass_crl(points: pd.DataFrame) -> pd.DataFrame:
    """Equal scores and labour costs: CRL is 1 / D^2, so the strongest partner is the nearest capital."""
    one = pd.Series(1.0, index=points.index)
    return crl_matrix(one, one, one, great_circle_km(points), one)


def random_crl(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    idx = pd.Index([f"C{i:03d}" for i in range(n)])
    P = pd.DataFrame({"lat": rng.uniform(-60, 70, n), "lon": rng.uniform(-180, 180, n)}, index=idx)
    s = [pd.Series(rng.uniform(0.01, 0.4, n), index=idx) for _ in range(3)]
    L = pd.Series(rng.lognormal(9, 1, n), index=idx)
    return crl_matrix(*s, great_circle_km(P), L)


def test_nearest_capitals_known_answer():
    """Paris-Brussels 264 km, Brussels-Amsterdam 173 km, Berlin-Amsterdam 577 km,
    Tokyo-Seoul 1159 km, Seoul-Beijing 956 km."""
    crl = equal_mass_crl(CAPITALS)
    assert strongest_partner(crl).to_dict() == {
        "FRA": "BEL", "BEL": "NLD", "NLD": "BEL", "DEU": "NLD",
        "JPN": "KOR", "KOR": "CHN", "CHN": "KOR",
    }  # fmt: skip
    links = strongest_links(crl)
    assert links.loc[links["mutual"]].index.tolist() == ["BEL", "NLD", "KOR", "CHN"]
    members = alliances(crl)
    assert members.to_dict() == {"FRA": 1, "BEL": 1, "NLD": 1, "DEU": 1,
                                 "JPN": 2, "KOR": 2, "CHN": 2}  # fmt: skip
    table = alliance_table(members, CAPITALS)
    assert table.loc[1, "members"] == "BEL, DEU, FRA, NLD"
    assert table.loc[2, "member_names"] == "China, Japan, South Korea"
    assert table["size"].tolist() == [4, 3] and table["n_continents"].tolist() == [1, 1]
    # one alliance spanning both continents when merged
    merged = alliance_table(alliances(crl, "target", n_alliances=1), CAPITALS)
    assert merged.loc[1, "continents"] == "Asia, Europe" and merged.loc[1, "n_continents"] == 2


def test_target_splits_weakest_strongest_link():
    crl = equal_mass_crl(CAPITALS)
    # the weakest strongest-partner link is Tokyo -> Seoul (1159 km): 3 alliances cut it
    three = alliances(crl, "target", n_alliances=3)
    assert three["JPN"] not in (three["KOR"], three["FRA"])
    assert three["KOR"] == three["CHN"] and three["FRA"] == three["DEU"]
    assert alliances(crl, "target", n_alliances=7).nunique() == 7


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 30), st.integers(0, 2**32 - 1))
def test_strongest_partner_graph_properties(n, seed):
    crl = random_crl(n, seed)
    partner = strongest_partner(crl)
    # brute force argmax
    a = crl.to_numpy()
    for i, c in enumerate(crl.index):
        best = max((j for j in range(n) if j != i), key=lambda j: a[i, j])
        assert partner[c] == crl.index[best]
    G = linkage_graph(crl)
    assert all(d == 1 for _, d in G.out_degree())
    # symmetric CRL: every weak component holds exactly one mutual pair (one 2-cycle)
    comps = list(nx.weakly_connected_components(G))
    mutual = strongest_links(crl)["mutual"]
    assert int(mutual.sum()) == 2 * len(comps)
    members = alliances(crl)
    assert members.nunique() == len(comps)
    assert members.index.equals(crl.index)
    sizes = members.value_counts().sort_index()
    assert sizes.index.tolist() == list(range(1, len(comps) + 1))
    assert sizes.is_monotonic_decreasing
    # the components: every country is in its strongest partner's alliance
    assert (members.to_numpy() == members[partner].to_numpy()).all()


@settings(max_examples=20, deadline=None)
@given(st.integers(3, 25), st.integers(0, 2**32 - 1), st.data())
def test_target_hierarchy(n, seed, data):
    crl = random_crl(n, seed)
    weak = alliances(crl)
    c = weak.nunique()
    pd.testing.assert_series_equal(alliances(crl, "target", n_alliances=c), weak)
    k = data.draw(st.integers(1, n))
    target = alliances(crl, "target", n_alliances=k)
    assert target.nunique() == k
    fine, coarse = (target, weak) if k >= c else (weak, target)
    # nested partitions: each finer group lies inside one coarser group
    assert (pd.crosstab(fine, coarse) > 0).sum(axis=1).max() == 1


def _weights(crl: pd.DataFrame, weighting: str) -> np.ndarray:
    a = crl.to_numpy().copy()
    np.fill_diagonal(a, 0.0)
    if weighting == "share":
        a = a / a.sum(axis=1, keepdims=True)
    return (a + a.T) / 2


@settings(max_examples=15, deadline=None)
@given(st.integers(6, 22), st.integers(0, 2**32 - 1), st.data())
def test_target_single_linkage_is_maximum_spanning_tree(n, seed, data):
    """Single-linkage merging of the weak components = cutting the weakest edges of a
    maximum spanning tree of the contracted graph (Kruskal in networkx)."""
    crl = random_crl(n, seed)
    weak = alliances(crl)
    c = weak.nunique()
    if c < 2:
        return
    k = data.draw(st.integers(1, c - 1))
    got = alliances(crl, "target", n_alliances=k, weighting="crl", linkage="single")
    w = pd.DataFrame(_weights(crl, "crl"), index=crl.index, columns=crl.index)
    Q = nx.Graph()
    Q.add_nodes_from(range(1, c + 1))
    for a in range(1, c + 1):
        for b in range(a + 1, c + 1):
            Q.add_edge(a, b, weight=w.loc[weak == a, weak == b].to_numpy().max())
    T = nx.maximum_spanning_tree(Q)
    weakest = sorted(T.edges(data="weight"), key=lambda e: e[2])[: k - 1]
    T.remove_edges_from([(a, b) for a, b, _ in weakest])
    expected = {frozenset(weak.index[weak.isin(comp)]) for comp in nx.connected_components(T)}
    assert {frozenset(g.index) for _, g in got.groupby(got)} == expected


@settings(max_examples=15, deadline=None)
@given(st.integers(6, 22), st.integers(0, 2**32 - 1), st.data())
def test_target_average_linkage_brute_force(n, seed, data):
    """Average-linkage merging recomputed from scratch at every step (no updates)."""
    crl = random_crl(n, seed)
    weak = alliances(crl)
    c = weak.nunique()
    if c < 2:
        return
    k = data.draw(st.integers(1, c - 1))
    w = _weights(crl, "share")
    groups = [list(np.flatnonzero(weak.to_numpy() == g)) for g in range(1, c + 1)]
    while len(groups) > k:
        best, pair = -1.0, None
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                sim = w[np.ix_(groups[x], groups[y])].mean()
                if sim > best:
                    best, pair = sim, (x, y)
        x, y = pair
        groups[x] = groups[x] + groups.pop(y)
    expected = {frozenset(crl.index[g]) for g in groups}
    got = alliances(crl, "target", n_alliances=k)
    assert {frozenset(g.index) for _, g in got.groupby(got)} == expected


def test_louvain_two_clusters_and_determinism():
    # two groups of real capitals far apart: Louvain finds them, with either weighting
    crl = equal_mass_crl(CAPITALS)
    for weighting in ("share", "crl"):
        lv = alliances(crl, "louvain", seed=1, weighting=weighting)
        assert lv.to_dict() == alliances(crl).to_dict()
    crl_big = random_crl(60, 5)
    a = alliances(crl_big, "louvain", seed=3, resolution=1.5)
    pd.testing.assert_series_equal(a, alliances(crl_big, "louvain", seed=3, resolution=1.5))
    assert a.index.equals(crl_big.index) and a.min() == 1
    sparse = alliances(crl_big, "louvain", seed=3, top_k=5)
    assert sparse.nunique() >= 1 and sparse.index.equals(crl_big.index)


def test_ties(caplog):
    crl = pd.DataFrame(
        [[0, 1, 1], [1, 0, 2], [1, 2, 0]], index=list("ABC"), columns=list("ABC"), dtype=float
    )
    with caplog.at_level(logging.WARNING, logger="carbonshare.cooperation.alliances"):
        assert strongest_partner(crl)["A"] == "B"
    assert "tied for A" in caplog.text
    with pytest.raises(DataError, match="tied for A"):
        strongest_partner(crl, ties="raise")


def test_bad_inputs():
    crl = equal_mass_crl(CAPITALS)
    with pytest.raises(ConfigError, match="'leiden' is unknown"):
        alliances(crl, "leiden")
    with pytest.raises(ConfigError, match="n_alliances=None is invalid"):
        alliances(crl, "target")
    with pytest.raises(ConfigError, match="weighting='log' is unknown"):
        alliances(crl, "louvain", weighting="log")
    with pytest.raises(ConfigError, match="linkage='ward' is unknown"):
        alliances(crl, "target", n_alliances=2, linkage="ward")
    with pytest.raises(ConfigError, match="top_k=0 must be"):
        alliances(crl, "louvain", top_k=0)
    with pytest.raises(ConfigError, match="resolution=0 must be > 0"):
        alliances(crl, "louvain", resolution=0)
    with pytest.raises(DataError, match="index and columns differ"):
        strongest_partner(crl.iloc[:, ::-1])
    bad = crl.copy()
    bad.loc["FRA", "DEU"] = np.nan
    with pytest.raises(DataError, match="missing for FRA-DEU"):
        alliances(bad)
    with pytest.raises(DataError, match="ZZZ are not in the countries table"):
        alliance_table(pd.Series({"ZZZ": 1}), CAPITALS)
    # two groups with zero linkage cannot be merged into one alliance
    zero = crl.copy()
    zero.loc[["FRA", "BEL", "NLD", "DEU"], ["JPN", "KOR", "CHN"]] = 0.0
    zero.loc[["JPN", "KOR", "CHN"], ["FRA", "BEL", "NLD", "DEU"]] = 0.0
    with pytest.raises(DataError, match="cannot form 1 alliances.*n_alliances >= 2"):
        alliances(zero, "target", n_alliances=1)


def test_full_graph_and_asymmetric_crl():
    rng = np.random.default_rng(4)
    idx = [f"C{i}" for i in range(12)]
    a = rng.uniform(0.1, 1.0, (12, 12))  # asymmetric: cycles longer than 2 can occur
    np.fill_diagonal(a, 0.0)
    crl = pd.DataFrame(a, index=idx, columns=idx)
    G = linkage_graph(crl, full=True)
    assert G.number_of_edges() == 12 * 11
    assert G["C0"]["C1"]["crl"] == pytest.approx(a[0, 1])
    S = linkage_graph(crl)
    assert all(d == 1 for _, d in S.out_degree())
    members = alliances(crl)
    expected = {frozenset(c) for c in nx.weakly_connected_components(S)}
    assert {frozenset(g.index) for _, g in members.groupby(members)} == expected
    for k in (1, 5, 12):
        assert alliances(crl, "target", n_alliances=k).nunique() == k


@pytest.mark.parametrize("seed", range(6))
def test_weak_components_equal_networkx_on_random_linkage(seed):
    """The weak components come from the successor array (no graph library); the same
    alliances as networkx's weakly connected components of linkage_graph, asymmetric CRL too."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 80))
    a = rng.lognormal(0.0, 2.0, (n, n))
    if seed % 2:
        a = a + a.T
    np.fill_diagonal(a, 0.0)
    idx = pd.Index([f"C{i:02d}" for i in rng.permutation(n)], name="iso3")
    crl = pd.DataFrame(a, index=idx, columns=idx)
    comps = nx.weakly_connected_components(linkage_graph(crl))
    groups = sorted((sorted(c) for c in comps), key=lambda g: (-len(g), g[0]))
    want = pd.Series(
        {m: k for k, g in enumerate(groups, start=1) for m in g}, name="alliance", dtype="int64"
    ).reindex(idx)
    pd.testing.assert_series_equal(alliances(crl), want)
