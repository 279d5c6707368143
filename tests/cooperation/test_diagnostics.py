"""Diagnostics of issue 11: concentration, share structure, alliance count."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.cooperation import alliances, strongest_links
from carbonshare.cooperation.diagnostics import (
    diagnose,
    linkage_concentration,
    long_links,
    mutual_pairs,
    share_decomposition,
)


def sym(n, seed):
    rng = np.random.default_rng(seed)
    c = rng.lognormal(0, 2, (n, n))
    c = c + c.T
    np.fill_diagonal(c, 0.0)
    names = [f"K{i:02d}" for i in range(n)]
    return pd.DataFrame(c, index=names, columns=names)


def test_concentration_by_hand():
    # pair weights w = c + c^T: AB 2, AC 1, BC 1 -> shares 1/2, 1/4, 1/4
    crl = pd.DataFrame([[0, 1, 0.5], [1, 0, 0.5], [0.5, 0.5, 0]], index=list("ABC"),
                       columns=list("ABC"))  # fmt: skip
    c = linkage_concentration(crl)
    assert c.top_share == pytest.approx(0.5)
    assert c.herfindahl == pytest.approx(0.25 + 0.0625 * 2)
    assert c.effective_pairs == pytest.approx(1 / 0.375)
    assert c.warning is None  # exactly 50 % is not "more than"
    assert list(c.pairs.loc[0, ["i", "j"]]) == ["A", "B"]


def test_concentration_is_invariant_under_order_and_scale():
    crl = sym(9, 3)
    c1 = linkage_concentration(crl)
    perm = crl.index[::-1]
    c2 = linkage_concentration(crl.loc[perm, perm] * 1e-12)
    assert c1.top_share == pytest.approx(c2.top_share, rel=1e-12)
    assert c1.herfindahl == pytest.approx(c2.herfindahl, rel=1e-12)
    assert set(c1.pairs.loc[0, ["i", "j"]]) == set(c2.pairs.loc[0, ["i", "j"]])


def test_warning_names_the_pair_its_distance_and_the_option():
    crl = sym(6, 0)
    crl.loc["K01", "K04"] = crl.loc["K04", "K01"] = 1e6
    d = pd.DataFrame(1000.0, index=crl.index, columns=crl.columns)
    d.loc["K01", "K04"] = d.loc["K04", "K01"] = 7.6
    names = pd.Series({k: f"Country {k}" for k in crl.index})
    w = linkage_concentration(crl, d, names=names).warning
    assert "Country K01 (K01) - Country K04 (K04)" in w
    assert "7.6 km" in w and "distances.source" in w


@pytest.mark.parametrize("seed", range(10))
def test_symmetric_crl_alliance_count_equals_mutual_pairs(seed):
    crl = sym(25, seed)
    links = strongest_links(crl)
    members = alliances(crl)
    pairs = mutual_pairs(links)
    assert len(pairs) == members.nunique()
    # each alliance holds exactly one mutual pair
    assert sorted(members[pairs["i"]].tolist()) == sorted(members.unique().tolist())


def test_asymmetric_crl_can_have_longer_cycles():
    # A->B->C->A: a 3-cycle, no mutual pair, one alliance
    crl = pd.DataFrame([[0, 3, 1], [1, 0, 3], [3, 1, 0]], index=list("ABC"), columns=list("ABC"),
                       dtype=float)  # fmt: skip
    assert mutual_pairs(strongest_links(crl)).empty
    assert alliances(crl).nunique() == 1


def test_share_decomposition_sums_and_floor():
    crl = sym(12, 5)
    aci = pd.Series(np.random.default_rng(5).uniform(0, 1, 12), index=crl.index)
    st = share_decomposition(aci, crl)
    assert st["shapley_pct"].sum() == pytest.approx(100.0)
    assert st["capacity_pct"].sum() == pytest.approx(100 / 3)
    assert st["linkage_pct"].sum() == pytest.approx(200 / 3)
    assert st["interaction_pct"].sum() == pytest.approx(0.0, abs=1e-12)
    assert (st["shapley_pct"] >= st["capacity_pct"] - 1e-12).all()


def test_long_links_and_diagnose():
    crl = sym(8, 1)
    links = strongest_links(crl)
    links["distance_km"] = np.linspace(1000, 8000, 8)
    far = long_links(links)
    assert far.index.tolist() == links.index[links["distance_km"] > 5000][::-1].tolist()
    aci = pd.Series(1.0, index=crl.index)
    dg = diagnose(aci, crl, links, alliances(crl))
    assert dg.symmetric and dg.n_alliances == len(dg.mutual)
    d = dg.to_dict()
    assert d["share_structure"]["max_abs_identity_error_pct"] < 1e-10
    assert "mutual strongest pairs" in dg.count_summary()
