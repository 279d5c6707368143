"""The alliance game of docs/methods.md A6 (Zhou et al. 2024, iScience 27, 109412, Eq. 10-13):
closed forms against brute force on the definition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.errors import GameError
from carbonshare.games import (
    AllianceGame,
    DividendGame,
    alliance_game,
    banzhaf_value,
    owen_value,
    shapley_value,
    two_stage_shapley,
)


def random_alliance(n, seed, *, symmetric=False, zeros=False):
    rng = np.random.default_rng(seed)
    names = [f"P{k:02d}" for k in range(n)]
    aci = pd.Series(rng.uniform(0.1, 2.0, n), index=names)
    c = rng.uniform(0.0, 3.0, (n, n))
    if symmetric:
        c = (c + c.T) / 2
    if zeros:
        c[rng.random((n, n)) < 0.4] = 0.0
    np.fill_diagonal(c, np.nan)  # the diagonal is ignored
    return aci, pd.DataFrame(c, index=names, columns=names)


def random_unions(names, seed, m):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, m, len(names))
    labels[:m] = np.arange(m)  # every union non-empty
    return pd.Series([f"U{k}" for k in labels], index=names)


def as_dicts(aci, crl):
    return aci.to_dict(), {i: crl.loc[i].to_dict() for i in crl.index}


def union_lists(unions):
    return [list(g.index) for _, g in unions.groupby(unions, sort=False)]


def test_value_matches_equation_10_on_every_coalition(brute):
    """v(S) of the game equals Eq. 10 evaluated literally, for all 2^7 coalitions."""
    aci, crl = random_alliance(7, 1)
    game = alliance_game(aci, crl)
    v = brute.alliance_v(*as_dicts(aci, crl))
    table = game.table()
    for s in brute.subsets(game.players):
        assert table[game.mask(s)] == pytest.approx(v(s), rel=1e-12, abs=1e-12)


def test_dividends_are_the_pair_and_triple_formulas(brute):
    """The Möbius transform of the table equals the stated pair/triple dividends
    (a_i + a_j)(c_ij + c_ji) and a_k(c_ij + c_ji) + a_i(c_jk + c_kj) + a_j(c_ik + c_ki)."""
    aci, crl = random_alliance(6, 2)
    game = alliance_game(aci, crl)
    from_table = DividendGame.from_table(game, atol=1e-9).dividends()
    a, c = aci.to_dict(), crl
    expected = {}
    for s in brute.subsets(game.players):
        s = tuple(p for p in game.players if p in s)
        if len(s) == 2:
            i, j = s
            expected[s] = (a[i] + a[j]) * (c.loc[i, j] + c.loc[j, i])
        elif len(s) == 3:
            i, j, k = s
            w = lambda x, y: c.loc[x, y] + c.loc[y, x]  # noqa: E731
            expected[s] = a[k] * w(i, j) + a[i] * w(j, k) + a[j] * w(i, k)
    assert set(from_table) == set(expected)
    for s, d in expected.items():
        assert from_table[s] == pytest.approx(d, rel=1e-9)
    lazy = game.dividends()
    assert set(lazy) == set(expected)
    for s, d in expected.items():
        assert lazy[s] == pytest.approx(d, rel=1e-12)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n", [2, 3, 5, 7])
def test_closed_forms_equal_brute_force(brute, n, seed):
    """Shapley, Banzhaf, Owen and two-stage closed forms equal the definitions
    (asymmetric CRL, some zero links, random unions)."""
    aci, crl = random_alliance(n, seed, zeros=seed % 2 == 1)
    game = alliance_game(aci, crl)
    v = brute.alliance_v(*as_dicts(aci, crl))
    players = list(game.players)
    unions = random_unions(players, seed + 100, min(n, 1 + seed % 3))
    phi = brute.shapley(players, v)
    assert shapley_value(game).to_dict() == pytest.approx(phi, rel=1e-10, abs=1e-10)
    beta = brute.banzhaf(players, v)
    assert banzhaf_value(game).to_dict() == pytest.approx(beta, rel=1e-10, abs=1e-10)
    ow = brute.owen(players, v, union_lists(unions))
    assert owen_value(game, unions).to_dict() == pytest.approx(ow, rel=1e-10, abs=1e-10)
    ts = brute.two_stage(players, v, union_lists(unions))
    assert two_stage_shapley(game, unions).to_dict() == pytest.approx(ts, rel=1e-10, abs=1e-10)


@pytest.mark.parametrize("seed", range(3))
def test_closed_forms_equal_table_game_n12(seed):
    """n = 12: closed forms equal exact table-game Shapley, Banzhaf, Owen and the explicit
    two-stage computation (each table method is itself checked against brute force)."""
    aci, crl = random_alliance(12, 10 + seed)
    game = alliance_game(aci, crl)
    table = game.to_tabular()
    unions = random_unions(list(game.players), seed, 4)
    np.testing.assert_allclose(shapley_value(game), shapley_value(table), rtol=1e-10)
    np.testing.assert_allclose(banzhaf_value(game), banzhaf_value(table), rtol=1e-10)
    np.testing.assert_allclose(owen_value(game, unions), owen_value(table, unions), rtol=1e-9)
    np.testing.assert_allclose(
        two_stage_shapley(game, unions),
        two_stage_shapley(table, unions),
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        two_stage_shapley(game, unions),
        two_stage_shapley(game, unions, method="explicit"),
        rtol=1e-9,
    )


def test_generic_dividend_closed_forms_equal_alliance_closed_forms():
    """The generic sparse-dividend formulas (materialised triples) equal the O(n^2) ones."""
    aci, crl = random_alliance(15, 3)
    game = alliance_game(aci, crl)
    generic = DividendGame.from_groups(game.players, game.groups)
    unions = random_unions(list(game.players), 3, 5)
    np.testing.assert_allclose(game.shapley_array(), generic.shapley_array(), rtol=1e-12)
    np.testing.assert_allclose(game.banzhaf_array(), generic.banzhaf_array(), rtol=1e-12)
    ids = unions.map({f"U{k}": k for k in range(5)}).to_numpy()
    np.testing.assert_allclose(game.owen_array(ids), generic.owen_array(ids), rtol=1e-12)
    np.testing.assert_allclose(
        game.within_union_shapley_array(ids), generic.within_union_shapley_array(ids), rtol=1e-12
    )


def test_large_game_is_efficient_and_in_core_sums():
    """n = 184 (the paper's country count): efficiency of every closed form; Owen union totals
    equal two-stage union values (quotient property); Shapley >= 0 for a convex game."""
    aci, crl = random_alliance(184, 5)
    game = alliance_game(aci, crl)
    unions = random_unions(list(game.players), 5, 15)
    vn = game.grand_value()
    phi = shapley_value(game)
    ow = owen_value(game, unions)
    ts = two_stage_shapley(game, unions)
    assert phi.sum() == pytest.approx(vn, rel=1e-12)
    assert ow.sum() == pytest.approx(vn, rel=1e-12)
    assert ts.sum() == pytest.approx(vn, rel=1e-12)
    np.testing.assert_allclose(ow.groupby(unions).sum(), ts.groupby(unions).sum(), rtol=1e-12)
    assert (phi > 0).all()
    assert not np.allclose(ow, ts)  # the two rules differ
    assert isinstance(game, AllianceGame) and game._lazy_groups is None  # no n^3 materialisation


def test_shares_of_equation_13_sum_to_one():
    """Eq. 13: Q_i = phi_i / sum phi sums to 1 and the value is labelled by player."""
    aci, crl = random_alliance(9, 8)
    phi = shapley_value(alliance_game(aci, crl))
    assert list(phi.index) == list(aci.index)
    assert phi.name == "shapley"
    assert (phi / phi.sum()).sum() == pytest.approx(1.0)


def test_symmetric_players_get_equal_values():
    """Two players with identical ACI and identical CRL rows/columns get equal values."""
    names = list("ABCD")
    aci = pd.Series([1.0, 1.0, 2.0, 3.0], index=names)
    c = pd.DataFrame(
        [[0, 2, 1, 1], [2, 0, 1, 1], [3, 3, 0, 4], [5, 5, 1, 0]], index=names, columns=names
    ).astype(float)
    game = alliance_game(aci, c)
    phi = shapley_value(game)
    assert phi["A"] == pytest.approx(phi["B"])


def test_label_order_of_crl_does_not_matter():
    aci, crl = random_alliance(6, 4)
    shuffled = crl.loc[crl.index[::-1], crl.columns[[2, 0, 5, 1, 4, 3]]]
    np.testing.assert_allclose(
        shapley_value(alliance_game(aci, crl)), shapley_value(alliance_game(aci, shuffled))
    )


def test_bad_inputs_raise_clear_errors():
    aci, crl = random_alliance(4, 0)
    with pytest.raises(GameError, match=r"missing \['P03'\]"):
        alliance_game(aci, crl.drop(index="P03"))
    bad = aci.copy()
    bad["P01"] = np.nan
    with pytest.raises(GameError, match="ACI of 'P01'"):
        alliance_game(bad, crl)
    badc = crl.copy()
    badc.loc["P00", "P02"] = np.inf
    with pytest.raises(GameError, match=r"CRL\['P00', 'P02'\]"):
        alliance_game(aci, badc)
    with pytest.raises(GameError, match="pandas Series"):
        alliance_game(aci.to_numpy(), crl)
    game = alliance_game(aci, crl)
    with pytest.raises(GameError, match="in no union"):
        owen_value(game, {"X": ["P00", "P01"]})
    with pytest.raises(GameError, match="'P09', who is not a player"):
        owen_value(game, {"X": ["P00", "P01", "P09"], "Y": ["P02", "P03"]})


def test_linearity_in_aci_holds_for_shapley_and_owen_not_two_stage():
    """docs/methods.md A7 decomposes by ACI parts: v is linear in ACI, so Shapley, Owen and Banzhaf
    of the total equal the sums over the parts; the two-stage rule rescales by within-union
    ratios and is not additive (docs/games.md says so)."""
    aci1, crl = random_alliance(6, 30)
    aci2, _ = random_alliance(6, 31)
    unions = random_unions(list(aci1.index), 3, 3)
    whole = alliance_game(aci1 + aci2, crl)
    parts = (alliance_game(aci1, crl), alliance_game(aci2, crl))
    for fn in (shapley_value, banzhaf_value, lambda g: owen_value(g, unions)):
        np.testing.assert_allclose(fn(whole), fn(parts[0]) + fn(parts[1]), rtol=1e-12)
    ts = two_stage_shapley(whole, unions)
    ts_sum = two_stage_shapley(parts[0], unions) + two_stage_shapley(parts[1], unions)
    assert np.abs(ts - ts_sum).max() > 1e-6 * np.abs(ts).max()
