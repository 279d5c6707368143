"""Game representations, conversions and the Möbius / zeta transforms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import GameError
from carbonshare.games import (
    CallableGame,
    DividendGame,
    TabularGame,
    mobius_transform,
    zeta_transform,
)
from carbonshare.games.game import additive_table, bit_marginals, popcount_table


def random_table(n, seed):
    t = np.random.default_rng(seed).normal(size=1 << n)
    t[0] = 0.0
    return t


def test_table_game_from_mapping_is_keyed_by_names_not_order():
    g = TabularGame(
        ["x", "y", "z"],
        {
            ("x",): 1,
            ("y",): 2,
            ("z",): 3,
            ("y", "x"): 4,
            frozenset({"x", "z"}): 5,
            ("z", "y"): 6,
            ("z", "x", "y"): 10,
        },
    )
    assert g.value({"x", "y"}) == 4.0
    assert g.value(["z", "x"]) == 5.0
    assert g.value([]) == 0.0
    assert g.grand_value() == 10.0
    np.testing.assert_array_equal(g.singleton_values(), [1, 2, 3])
    np.testing.assert_array_equal(g.leave_one_out_values(), [6, 5, 4])
    assert [c for c, _ in g.items()][3] == ("x", "y")


def test_table_errors_name_the_coalition():
    players = ["A", "B"]
    with pytest.raises(GameError, match=r"\{A,B\} is given twice"):
        TabularGame(players, [(("A",), 1), (("B",), 1), (("A", "B"), 2), (("B", "A"), 3)])
    with pytest.raises(GameError, match=r"1 of the 3 non-empty coalitions have no value: \{A,B\}"):
        TabularGame(players, {("A",): 1, ("B",): 1})
    with pytest.raises(GameError, match=r"unknown player 'C' in coalition \{A,C\}"):
        TabularGame(players, {("A",): 1, ("B",): 1, ("A", "C"): 1})
    with pytest.raises(GameError, match=r"value of coalition \{B\} is nan"):
        TabularGame(players, {("A",): 1, ("B",): float("nan"), ("A", "B"): 1})
    with pytest.raises(GameError, match=r"v\(\{\}\) = 2.0; the empty coalition must have value 0"):
        TabularGame(players, {(): 2, ("A",): 1, ("B",): 1, ("A", "B"): 1})
    with pytest.raises(GameError, match="listed twice"):
        TabularGame(["A", "A"], {})
    with pytest.raises(GameError, match=r"value of coalition \{A\} is 'abc', not a number"):
        TabularGame(players, {("A",): "abc", ("B",): 1, ("A", "B"): 1})
    with pytest.raises(GameError, match="2\\^26 coalitions, too many"):
        TabularGame.from_array([f"p{k}" for k in range(26)], np.zeros(4))
    with pytest.raises(GameError, match="needs 2\\^2 = 4 values"):
        TabularGame.from_array(players, np.zeros(3))


def test_callable_game_validates_and_caches():
    calls = []

    def fn(s):
        calls.append(s)
        return float(len(s))

    g = CallableGame(["a", "b"], fn)
    assert g.value(["a", "b"]) == 2.0
    assert g.value(["b", "a"]) == 2.0
    assert len(calls) == 1
    assert g.to_tabular().table().tolist() == [0.0, 1.0, 1.0, 2.0]
    bad = CallableGame(["a", "b"], lambda s: float("inf") if len(s) == 2 else 1.0)
    with pytest.raises(GameError, match=r"gives inf for coalition \{a,b\}"):
        bad.grand_value()
    vec = CallableGame(["a", "b"], lambda m: m.sum(axis=1) + 1.0, vectorized=True)
    with pytest.raises(GameError, match="v\\(\\{\\}\\) != 0"):
        vec.table()


def test_mobius_of_unanimity_game_is_a_single_dividend():
    """u_T(S) = 1 iff T subset S has the single dividend d_T = 1 (Harsanyi 1963)."""
    n, t = 5, 0b01101
    table = np.array([1.0 if (s & t) == t else 0.0 for s in range(1 << n)])
    d = mobius_transform(table)
    expected = np.zeros(1 << n)
    expected[t] = 1.0
    np.testing.assert_array_equal(d, expected)


def test_mobius_matches_definition_brute_force(brute):
    """d_T = sum_{R subset T} (-1)^{|T|-|R|} v(R), enumerated directly."""
    n = 5
    table = random_table(n, 3)
    d = mobius_transform(table)
    for t in range(1 << n):
        members = [k for k in range(n) if t >> k & 1]
        tot = 0.0
        for r in brute.subsets(members):
            mask = sum(1 << k for k in r)
            tot += (-1) ** (len(members) - len(r)) * table[mask]
        assert d[t] == pytest.approx(tot, abs=1e-10)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 8), seed=st.integers(0, 10_000))
def test_zeta_inverts_mobius(n, seed):
    table = random_table(n, seed)
    np.testing.assert_allclose(zeta_transform(mobius_transform(table)), table, atol=1e-9)


def test_dividend_game_round_trip_and_errors():
    g = TabularGame.from_array(list("ABCD"), random_table(4, 7))
    dg = DividendGame.from_table(g)
    np.testing.assert_allclose(dg.table(), g.table(), atol=1e-12)
    np.testing.assert_allclose(dg.to_tabular().table(), g.table(), atol=1e-12)
    membership = g.masks_to_bool(np.arange(16))
    np.testing.assert_allclose(dg.values(membership), g.table(), atol=1e-12)
    with pytest.raises(GameError, match=r"dividend of coalition \{A,B\} is given twice"):
        DividendGame(["A", "B"], [(("A", "B"), 1.0), (("B", "A"), 2.0)])
    with pytest.raises(GameError, match="empty coalition has dividend 1.0"):
        DividendGame(["A", "B"], {(): 1.0})
    with pytest.raises(GameError, match=r"dividend of coalition \{A\} is inf"):
        DividendGame(["A", "B"], {("A",): np.inf})


def test_savings_game_of_cost_game():
    """s(S) = sum_{i in S} c({i}) - c(S); a benefit game with s({i}) = 0."""
    c = TabularGame(["1", "2"], {("1",): 10, ("2",): 20, ("1", "2"): 25}, cost=True)
    s = c.savings_game()
    assert not s.cost
    assert s.table().tolist() == [0.0, 0.0, 0.0, 5.0]
    with pytest.raises(GameError, match="defined for cost games"):
        s.savings_game()


def test_helpers():
    assert popcount_table(4).tolist() == [bin(k).count("1") for k in range(16)]
    x = np.array([1.0, 2.0, 4.0])
    np.testing.assert_array_equal(additive_table(x), np.arange(8.0))
    t = random_table(11, 1)
    expected = [t[[s for s in range(1 << 11) if s >> k & 1]].sum() for k in range(11)]
    np.testing.assert_allclose(bit_marginals(t), expected, atol=1e-10)


def test_players_can_be_any_hashable_and_label_the_result():
    from carbonshare.games import shapley_value

    g = TabularGame.from_function([("DEU", 1), ("FRA", 2)], lambda s: float(len(s) ** 2))
    phi = shapley_value(g)
    assert list(phi.index) == [("DEU", 1), ("FRA", 2)]
    assert not isinstance(phi.index, pd.MultiIndex)


def test_string_coalition_must_be_a_player():
    g = TabularGame.from_function(["A", "B"], len)
    assert g.value("A") == 1.0
    with pytest.raises(GameError, match="string 'AB', which is not a player"):
        g.value("AB")
