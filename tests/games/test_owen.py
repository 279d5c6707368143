"""Owen value and the two-stage Shapley allocation (docs/methods.md A6)."""

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
    owen_value,
    quotient_game,
    shapley_value,
    two_stage_shapley,
)


def random_game(n, seed):
    t = np.random.default_rng(seed).uniform(-1, 3, 1 << n)
    t[0] = 0.0
    return TabularGame.from_array([f"p{k}" for k in range(n)], t)


def random_unions(players, seed, m):
    rng = np.random.default_rng(seed)
    lab = rng.integers(0, m, len(players))
    lab[:m] = np.arange(m)
    return pd.Series([f"U{k}" for k in lab], index=list(players))


def lists(unions):
    return [list(g.index) for _, g in unions.groupby(unions, sort=False)]


def test_majority_game_with_a_union():
    """Owen (1977): three-player majority game, unions {1,2} and {3}. Of the four orders that
    keep {1,2} together, 1 and 2 are each pivotal in two and 3 in none: Owen = (1/2, 1/2, 0),
    while the Shapley value is (1/3, 1/3, 1/3)."""
    maj = TabularGame.from_function(["1", "2", "3"], lambda s: float(len(s) >= 2))
    ow = owen_value(maj, {"A": ["1", "2"], "B": ["3"]})
    np.testing.assert_allclose(ow.to_numpy(), [0.5, 0.5, 0.0], atol=1e-14)
    assert ow.name == "owen"


@pytest.mark.parametrize("seed", range(5))
def test_owen_equals_brute_force(brute, seed):
    n = 4 + seed % 4
    g = random_game(n, seed)
    unions = random_unions(g.players, seed, 1 + seed % 3)
    expected = brute.owen(list(g.players), lambda s: g.value(s), lists(unions))
    assert owen_value(g, unions).to_dict() == pytest.approx(expected, abs=1e-10)
    dg = DividendGame.from_table(g)
    assert owen_value(dg, unions).to_dict() == pytest.approx(expected, abs=1e-10)


def test_owen_streams_beyond_one_block():
    """n = 21 (> 2^20 block) on a sparse dividend game: table Owen equals the closed form."""
    rng = np.random.default_rng(1)
    names = [f"p{k}" for k in range(21)]
    divs = {}
    for _ in range(30):
        k = int(rng.integers(1, 5))
        divs[tuple(sorted(rng.choice(names, k, replace=False)))] = float(rng.normal())
    dg = DividendGame(names, divs)
    unions = random_unions(names, 2, 4)
    np.testing.assert_allclose(
        owen_value(dg, unions, method="exact"), owen_value(dg, unions), atol=1e-9
    )


def test_trivial_structures_give_shapley():
    """Owen with all singletons, or with the grand coalition as one union, is Shapley."""
    g = random_game(6, 3)
    phi = shapley_value(g)
    singles = {p: [p] for p in g.players}
    np.testing.assert_allclose(owen_value(g, singles), phi, atol=1e-12)
    np.testing.assert_allclose(owen_value(g, {"all": list(g.players)}), phi, atol=1e-12)


tables = st.integers(2, 6).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(-50, 50, allow_nan=False), min_size=(1 << n) - 1, max_size=(1 << n) - 1),
        st.lists(st.integers(0, 2), min_size=n, max_size=n),
    )
)


@settings(max_examples=40, deadline=None)
@given(data=tables)
def test_owen_axioms_quotient_property_and_efficiency(data):
    """Quotient property (Owen 1977): sum of Owen values in union k = Shapley value of k in
    the quotient game; and efficiency."""
    vals, labels = data
    n = len(labels)
    g = TabularGame.from_array([f"p{k}" for k in range(n)], np.concatenate([[0.0], vals]))
    unions = pd.Series([f"U{x}" for x in labels], index=list(g.players))
    ow = owen_value(g, unions)
    assert ow.sum() == pytest.approx(g.grand_value(), abs=1e-8)
    q = shapley_value(quotient_game(g, unions))
    np.testing.assert_allclose(ow.groupby(unions).sum().loc[q.index], q, atol=1e-8)


@pytest.mark.parametrize("seed", range(4))
def test_two_stage_equals_brute_force_on_tables(brute, seed):
    g = random_game(6, 20 + seed)
    unions = random_unions(g.players, seed, 2 + seed % 2)
    expected = brute.two_stage(list(g.players), lambda s: g.value(s), lists(unions))
    ts = two_stage_shapley(g, unions)
    assert ts.to_dict() == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert ts.sum() == pytest.approx(g.grand_value())
    q = pd.Series(ts.attrs["union_values"])
    np.testing.assert_allclose(ts.groupby(unions).sum().loc[q.index], q, atol=1e-9)


def test_two_stage_differs_from_owen():
    """A cross-union synergy: Owen credits it to the members who create it, two-stage
    allocates by within-union Shapley only."""
    g = DividendGame(["a", "b", "c"], {("a", "b"): 1.0, ("a", "c"): 6.0})
    unions = {"X": ["a", "b"], "Y": ["c"]}
    ow = owen_value(g, unions)
    ts = two_stage_shapley(g, unions)
    # quotient: X gets 1 + 3 = 4, Y gets 3; Owen: a gets 1/2 + 3, b 1/2; two-stage: 2, 2
    np.testing.assert_allclose(ow.to_numpy(), [3.5, 0.5, 3.0])
    np.testing.assert_allclose(ts.to_numpy(), [2.0, 2.0, 3.0])


def test_two_stage_zero_union_handling(caplog):
    g = DividendGame(["a", "b", "c"], {("a", "c"): 2.0, ("b", "c"): 2.0})
    unions = {"X": ["a", "b"], "Y": ["c"]}
    ts = two_stage_shapley(g, unions)
    assert ts.attrs["zero_unions"] == ["X"]
    assert ts["a"] == pytest.approx(ts["b"])
    assert "split equally" in caplog.text
    with pytest.raises(GameError, match="union 'X'.*sum to 0"):
        two_stage_shapley(g, unions, on_zero="raise")


def test_sampled_owen_for_callables():
    g = random_game(8, 9)
    unions = random_unions(g.players, 9, 3)
    exact = owen_value(g, unions)
    cg = CallableGame(g.players, lambda s: g.value(s))
    est = owen_value(cg, unions, method="sample", samples=4000, seed=2)
    se = pd.Series(est.attrs["std_error"])
    assert (np.abs(est - exact) / se).max() < 4.5
    assert est.sum() == pytest.approx(g.grand_value())


@pytest.mark.parametrize("seed", range(3))
def test_agrees_with_tucoopy(seed):
    tucoopy = pytest.importorskip("tucoopy")
    from tucoopy.solutions import owen_value as tc_owen

    g = random_game(5 + seed, 50 + seed)
    unions = random_unions(g.players, seed, 2 + seed)
    tg = tucoopy.Game(g.n, {m: float(v) for m, v in enumerate(g.table())})
    tc_unions = [[g.index[p] for p in members] for members in lists(unions)]
    np.testing.assert_allclose(owen_value(g, unions), tc_owen(tg, unions=tc_unions).x, atol=1e-10)


def test_unions_as_a_list_of_lists_equal_the_mapping_form():
    """Issue 9 item 15: [["A", "B"], ["C"]] is accepted besides {"X": ["A", "B"], ...}."""
    g = random_game(4, 2)
    as_lists = owen_value(g, [["p0", "p2"], ["p1", "p3"]])
    as_dict = owen_value(g, {"X": ["p0", "p2"], "Y": ["p1", "p3"]})
    np.testing.assert_allclose(as_lists.to_numpy(), as_dict.to_numpy(), rtol=1e-12)
    two = two_stage_shapley(g, (("p0", "p2"), ("p1", "p3")))
    assert list(two.attrs["union_values"]) == ["{p0,p2}", "{p1,p3}"]


def test_union_errors():
    g = random_game(3, 0)
    with pytest.raises(GameError, match="in union 'X' and in union 'Y'"):
        owen_value(g, {"X": ["p0", "p1"], "Y": ["p1", "p2"]})
    with pytest.raises(GameError, match="pandas Series"):
        owen_value(g, "p0,p1")
    with pytest.raises(GameError, match=r"in union '\{p1\}' and in union '\{p1,p2\}'"):
        owen_value(g, [["p0"], ["p1"], ["p1", "p2"]])
    with pytest.raises(GameError, match="'p1' has no union label"):
        owen_value(g, pd.Series(["X", None, "Y"], index=["p0", "p1", "p2"]))
    with pytest.raises(GameError, match="appears twice"):
        owen_value(g, pd.Series(["X", "Y", "Y", "Z"], index=["p0", "p1", "p2", "p0"]))
    with pytest.raises(GameError, match="needs a DividendGame"):
        owen_value(g, {"X": list(g.players)}, method="closed-form")
    with pytest.raises(GameError, match="method='magic' is not one of"):
        owen_value(g, {"X": list(g.players)}, method="magic")


def test_two_stage_union_worth_zero_up_to_rounding():
    """Union {a, b, c} whose own subgame is worth v(abc) = 0 with non-zero singletons
    (0.1, 0.2, -0.3): its within-union Shapley values sum to ~1e-17 in floating point, not
    exactly 0. Scaling by that sum would give shares of 1e15; it must be treated as 0 (equal
    split of Q_X, reported in zero_unions), for tables and for the dividend closed form."""
    vals = {(): 0.0, ("a",): 0.1, ("b",): 0.2, ("c",): -0.3}
    vals |= {("a", "b"): 0.3, ("a", "c"): -0.2, ("b", "c"): -0.1, ("a", "b", "c"): 0.0}

    def v(s):
        inner = tuple(p for p in "abc" if p in s)
        return vals[inner] + (1.0 + 2.0 * bool(inner) if "d" in s else 0.0)

    g = TabularGame.from_function(list("abcd"), v)
    unions = {"X": ["a", "b", "c"], "Y": ["d"]}
    for game in (g, DividendGame.from_table(g)):
        ts = two_stage_shapley(game, unions)
        assert ts.attrs["zero_unions"] == ["X"]
        q = ts.attrs["union_values"]
        np.testing.assert_allclose(ts.to_numpy(), [q["X"] / 3] * 3 + [q["Y"]], atol=1e-12)
        assert ts.sum() == pytest.approx(g.grand_value())
