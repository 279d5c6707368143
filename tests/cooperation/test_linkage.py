"""Linkage transforms and stage-1 games (issue 11) against definitions and brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from carbonshare.cooperation.linkage import (
    LINKAGE_TRANSFORMS,
    stage1_values,
    transform_linkage,
    two_stage_values,
)
from carbonshare.errors import ConfigError
from carbonshare.games import alliance_game, two_stage_shapley


def brute_shapley(m, v):
    """Shapley value by enumeration of coalitions (independent of carbonshare)."""
    out = np.zeros(m)
    for k in range(m):
        others = [x for x in range(m) if x != k]
        for r in range(m):
            for s in itertools.combinations(others, r):
                wt = math.factorial(r) * math.factorial(m - r - 1) / math.factorial(m)
                out[k] += wt * (v(set(s) | {k}) - v(set(s)))
    return out


def random_case(n, m, seed):
    rng = np.random.default_rng(seed)
    aci = rng.uniform(0.1, 2.0, n)
    c = rng.lognormal(0, 1.5, (n, n))
    np.fill_diagonal(c, 0.0)
    ids = rng.integers(0, m, n)
    ids[:m] = np.arange(m)
    return aci, c, ids


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("game", ["quotient", "within_only", "cross_only"])
def test_stage1_values_equal_brute_force_on_the_stage1_game(game, seed):
    aci, c, ids = random_case(7, 4, seed)

    def v(t):
        members = np.isin(ids, list(t))
        within = (ids[:, None] == ids[None, :]) & members[:, None] & members[None, :]
        cross = (ids[:, None] != ids[None, :]) & members[:, None] & members[None, :]
        link = {"quotient": within | cross, "within_only": within, "cross_only": cross}[game]
        return aci[members].sum() * c[link].sum()

    assert stage1_values(aci, c, ids, game) == pytest.approx(brute_shapley(4, v), rel=1e-10)


def test_quotient_two_stage_equals_games_two_stage_shapley():
    aci, c, ids = random_case(12, 4, 3)
    names = [f"C{i}" for i in range(12)]
    game = alliance_game(pd.Series(aci, index=names), pd.DataFrame(c, index=names, columns=names))
    ref = two_stage_shapley(game, pd.Series(ids, index=names))
    assert two_stage_values(aci, c, ids) == pytest.approx(ref.to_numpy(), rel=1e-11)


@pytest.mark.parametrize("stage1", ["quotient", "within_only", "cross_only"])
def test_two_stage_values_split_each_alliance_value(stage1):
    aci, c, ids = random_case(10, 3, 1)
    x = two_stage_values(aci, c, ids, stage1)
    assert np.bincount(ids, x) == pytest.approx(stage1_values(aci, c, ids, stage1), rel=1e-12)


def test_quotient_is_within_plus_cross():
    aci, c, ids = random_case(9, 3, 7)
    q = stage1_values(aci, c, ids, "quotient")
    parts = stage1_values(aci, c, ids, "within_only") + stage1_values(aci, c, ids, "cross_only")
    assert q == pytest.approx(parts, rel=1e-12)


def test_transforms_keep_labels_and_zero_diagonal():
    rng = np.random.default_rng(0)
    c = rng.lognormal(0, 3, (6, 6))
    c = c + c.T
    crl = pd.DataFrame(c, index=list("ABCDEF"), columns=list("ABCDEF"))
    for method in LINKAGE_TRANSFORMS:
        t = transform_linkage(crl, method)
        assert t.index.equals(crl.index) and t.columns.equals(crl.columns)
        assert (np.diag(t) == 0).all() and (t.to_numpy() >= 0).all()
    lm = transform_linkage(crl, "log_minmax").to_numpy()
    off = ~np.eye(6, dtype=bool)
    assert lm[off].min() == 0.0 and lm[off].max() == 1.0
    assert transform_linkage(crl, "row_normalised").sum(axis=1).to_numpy() == pytest.approx(1.0)
    # rank and log_minmax only see the order / log scale: a power of CRL changes nothing
    assert transform_linkage(crl**3, "rank").equals(transform_linkage(crl, "rank"))
    np.testing.assert_allclose(transform_linkage(crl**3, "log_minmax"), lm, atol=1e-12)


def test_unknown_options_raise_naming_the_field():
    crl = pd.DataFrame(np.ones((3, 3)), index=list("ABC"), columns=list("ABC"))
    with pytest.raises(ConfigError, match="linkage.transform"):
        transform_linkage(crl, "sqrt")
    with pytest.raises(ConfigError, match="allocation.stage1"):
        stage1_values(np.ones(3), np.ones((3, 3)), np.array([0, 0, 1]), "other")


def test_average_ranks_equal_scipy_rankdata_on_random_inputs_with_ties():
    from scipy.stats import rankdata

    from carbonshare.cooperation.linkage import _transform_array, average_ranks

    rng = np.random.default_rng(11)
    for n in (1, 2, 3, 10, 200):
        for x in (rng.random(n), rng.integers(0, 4, n).astype(float), np.full(n, 2.5)):
            np.testing.assert_array_equal(average_ranks(x), rankdata(x))
    c = rng.integers(0, 5, (30, 30)).astype(float)  # many ties and zeros
    off = ~np.eye(30, dtype=bool)
    old = np.zeros_like(c)
    old[off] = rankdata(c[off]) / off.sum()
    np.testing.assert_array_equal(_transform_array(c, "rank"), old)


@pytest.mark.parametrize(("block", "one_hot"), [(1, False), (3, False), (512, False), (512, True)])
@pytest.mark.parametrize("seed", range(4))
def test_alliance_sums_equal_the_double_loop(seed, block, one_hot):
    """A_k and C_kl by group sums over blocks of rows (blocks that split an alliance, ids in
    any order, an id with no member) or by the membership matrix, against the definition,
    summed pair by pair; a NaN diagonal is ignored and left in place."""
    from carbonshare.cooperation.linkage import _alliance_sums

    rng = np.random.default_rng(seed)
    n = 11
    ids = rng.choice([0, 1, 3, 4], size=n)  # id 2 has no member
    ids[:4] = [0, 1, 3, 4]
    c = rng.random((n, n))
    np.fill_diagonal(c, np.nan)
    aci = rng.random((n, 2))
    A, C = _alliance_sums(aci, c, ids, block=block, one_hot=one_hot)
    assert np.isnan(c.diagonal()).all()
    expected = np.zeros((5, 5))
    for i in range(n):
        for j in range(n):
            if i != j:
                expected[ids[i], ids[j]] += c[i, j]
    np.testing.assert_allclose(C, expected, rtol=1e-13)
    np.testing.assert_allclose(A, [[aci[ids == k, col].sum() for col in (0, 1)] for k in range(5)])
