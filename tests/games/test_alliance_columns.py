"""Several ACI vectors with one CRL (issue 14): the column closed forms of AllianceGame and the
2-D stage-1 values against the former one-game-per-vector formulas and brute force."""

from __future__ import annotations

import numpy as np
import pytest

from carbonshare.cooperation.linkage import STAGE1_GAMES, _alliance_sums, stage1_values
from carbonshare.games import TabularGame
from carbonshare.games.alliance import AllianceGame, within_union_products
from carbonshare.games.owen import owen_exact_array
from carbonshare.games.shapley import shapley_exact_array


def _case(n, k, m, seed):
    rng = np.random.default_rng(seed)
    crl = rng.uniform(0.0, 3.0, (n, n))
    crl[rng.random((n, n)) < 0.3] = 0.0
    np.fill_diagonal(crl, np.nan)  # ignored
    aci = rng.uniform(0.0, 2.0, (n, k))
    ids = rng.integers(0, m, n)
    ids[:m] = np.arange(m)  # every union non-empty; some are singletons
    return crl, aci, ids


# the dense formulas of the one-vector code, kept verbatim as the reference
def _old_sums(a, w):
    r = w.sum(axis=1)
    wa = w @ a
    return a * r + wa, a * (w.sum() / 2.0 - r) + r * (a.sum() - a) - wa


def _old_owen(a, w, ids):
    pair, triple = _old_sums(a, w)
    m = int(ids.max()) + 1
    w_in = np.where(ids[:, None] == ids[None, :], w, 0.0)
    r_in = w_in.sum(axis=1)
    r_out = w.sum(axis=1) - r_in
    a_own = np.bincount(ids, a, minlength=m)[ids]
    rout_u = np.bincount(ids, r_out, minlength=m)
    w_u = np.bincount(ids, r_in, minlength=m) / 2.0
    b = a * (rout_u[ids] - r_out) + (a_own - a) * r_out + (a.sum() - a_own) * r_in
    c = a * (w_u.sum() - w_u[ids]) + (w - w_in) @ (a_own - a)
    return pair / 2.0 + triple / 3.0 - b / 12.0 + c / 6.0


def _old_within(a, w, ids):
    m = int(ids.max()) + 1
    w_in = np.where(ids[:, None] == ids[None, :], w, 0.0)
    r_in = w_in.sum(axis=1)
    wa_in = w_in @ a
    a_own = np.bincount(ids, a, minlength=m)[ids]
    w_own = (np.bincount(ids, r_in, minlength=m) / 2.0)[ids]
    return (a * r_in + wa_in) / 2.0 + (a * (w_own - r_in) + r_in * (a_own - a) - wa_in) / 3.0


def _old_alliance_sums(crl, ids):
    m = int(ids.max()) + 1
    order = np.argsort(ids, kind="stable")
    starts = np.searchsorted(ids[order], np.arange(m))
    c = np.array(crl, dtype=float, copy=True)
    np.fill_diagonal(c, 0.0)
    return np.add.reduceat(np.add.reduceat(c[np.ix_(order, order)], starts, axis=0), starts, 1)


@pytest.mark.parametrize(("n", "k", "m", "seed"), [(40, 5, 9, 0), (25, 1, 25, 1), (30, 3, 1, 2)])
def test_columns_equal_one_game_per_column(n, k, m, seed):
    crl, aci, ids = _case(n, k, m, seed)
    game = AllianceGame([f"P{i}" for i in range(n)], aci.sum(axis=1), crl)
    w = game._w
    shapley, owen = game.shapley_columns(aci), game.owen_columns(aci, ids)
    within = game.within_union_columns(aci, ids)
    assert shapley.shape == owen.shape == within.shape == (n, k)
    for j in range(k):
        a = aci[:, j]
        pair, triple = _old_sums(a, w)
        np.testing.assert_allclose(shapley[:, j], pair / 2 + triple / 3, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(owen[:, j], _old_owen(a, w, ids), rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(within[:, j], _old_within(a, w, ids), rtol=1e-12, atol=1e-9)
    # one vector in, one vector out; and the columns of a split of ACI add up to the whole
    np.testing.assert_allclose(owen.sum(axis=1), game.owen_columns(game.aci, ids), rtol=1e-12)
    np.testing.assert_allclose(shapley.sum(axis=1), game.shapley_array(), rtol=1e-12)


def test_columns_equal_brute_force_on_tables():
    n, k = 7, 3
    crl, aci, ids = _case(n, k, 3, 3)
    c = np.nan_to_num(crl)
    game = AllianceGame(list(range(n)), aci.sum(axis=1), crl)
    shapley, owen = game.shapley_columns(aci), game.owen_columns(aci, ids)
    within = game.within_union_columns(aci, ids)
    for j in range(k):

        def v(s, a=aci[:, j], cc=c):
            s = list(s)
            return float(a[s].sum() * (cc[np.ix_(s, s)].sum() - np.trace(cc[np.ix_(s, s)])))

        table = TabularGame.from_function(list(range(n)), v).table()
        np.testing.assert_allclose(shapley[:, j], shapley_exact_array(table), rtol=1e-9)
        np.testing.assert_allclose(owen[:, j], owen_exact_array(table, ids), rtol=1e-9)
        for u in np.unique(ids):
            members = list(np.flatnonzero(ids == u))
            sub = TabularGame.from_function(members, v).table()
            np.testing.assert_allclose(within[members, j], shapley_exact_array(sub), atol=1e-9)


@pytest.mark.parametrize("dense_max", [0, 35])  # union by union; w_in built
def test_within_union_products_equal_dense(dense_max):
    crl, aci, ids = _case(35, 4, 6, 4)
    w = np.nan_to_num(crl) + np.nan_to_num(crl).T
    r_in, wx = within_union_products(w, ids, aci, dense_max=dense_max)
    w_in = np.where(ids[:, None] == ids[None, :], w, 0.0)
    np.testing.assert_allclose(r_in, w_in.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(wx, w_in @ aci, rtol=1e-12)


@pytest.mark.parametrize("block", [1, 7, 512])
def test_alliance_sums_by_blocks_equal_dense(block):
    crl, aci, ids = _case(30, 2, 7, 5)
    a_k, big_c = _alliance_sums(aci, crl, ids, block=block, one_hot=False)
    np.testing.assert_allclose(big_c, _old_alliance_sums(crl, ids), rtol=1e-12)
    np.testing.assert_allclose(a_k[:, 1], np.bincount(ids, aci[:, 1]), rtol=1e-12)
    assert np.isnan(crl.diagonal()).all()  # the input is only read, never zeroed in place


@pytest.mark.parametrize("game", STAGE1_GAMES)
def test_stage1_columns_equal_one_vector_each(game):
    crl, aci, ids = _case(30, 4, 6, 6)
    both = stage1_values(aci, crl, ids, game)
    assert both.shape == (6, 4)
    for j in range(4):
        np.testing.assert_allclose(both[:, j], stage1_values(aci[:, j], crl, ids, game), rtol=1e-12)
