"""Core membership, convexity, superadditivity and balancedness."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from carbonshare.errors import GameError
from carbonshare.games import (
    TabularGame,
    alliance_game,
    convexity_violation,
    core_check,
    is_balanced,
    is_convex,
    is_superadditive,
    least_core,
    shapley_value,
    superadditivity_violation,
)


def random_game(n, seed, low=-1.0):
    t = np.random.default_rng(seed).uniform(low, 3, 1 << n)
    t[0] = 0.0
    return TabularGame.from_array([f"p{k}" for k in range(n)], t)


def brute_convex(g):
    players = list(g.players)
    for r in range(len(players) + 1):
        for s in itertools.combinations(players, r):
            rest = [p for p in players if p not in s]
            for i, j in itertools.combinations(rest, 2):
                s_ = set(s)
                if (
                    g.value(s_ | {i, j}) - g.value(s_ | {i}) - g.value(s_ | {j}) + g.value(s_)
                    < -1e-12
                ):
                    return False
    return True


def brute_superadditive(g):
    players = list(g.players)
    subsets = [
        frozenset(c) for r in range(1, len(players) + 1) for c in itertools.combinations(players, r)
    ]
    return all(
        g.value(s | t) >= g.value(s) + g.value(t) - 1e-12
        for s in subsets
        for t in subsets
        if not s & t
    )


@pytest.mark.parametrize("seed", range(8))
def test_property_checks_equal_brute_force(seed):
    g = random_game(4, seed, low=0.0)
    # make some games convex: v(S) = |S|^2 * (1 + noise)
    if seed % 2:
        t = np.array([bin(m).count("1") ** 2 for m in range(16)], dtype=float)
        t += np.random.default_rng(seed).uniform(0, 0.3, 16) * (t > 0)
        g = TabularGame.from_array(list("abcd"), t)
    assert is_convex(g) == brute_convex(g)
    assert is_superadditive(g) == brute_superadditive(g)


def test_violation_witnesses():
    maj = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) >= 2))
    worst, (s, i, j) = convexity_violation(maj)
    assert worst == -1.0
    s = set(s)
    assert maj.value(s | {i, j}) - maj.value(s | {i}) - maj.value(s | {j}) + maj.value(s) == -1.0
    bad = TabularGame(["A", "B"], {("A",): 2, ("B",): 2, ("A", "B"): 3})
    worst, (s, t) = superadditivity_violation(bad)
    assert worst == -1.0 and {s, t} == {("A",), ("B",)}


def test_convex_games_have_the_shapley_value_in_the_core():
    """Shapley (1971): in a convex game the Shapley value is in the core; the alliance game
    with non-negative ACI and CRL is convex (all dividends >= 0, docs/methods.md A6)."""
    rng = np.random.default_rng(0)
    names = list("ABCDEFG")
    g = alliance_game(
        pd.Series(rng.uniform(0, 1, 7), index=names),
        pd.DataFrame(rng.uniform(0, 1, (7, 7)), index=names, columns=names),
    )
    assert is_convex(g)
    assert is_balanced(g)
    chk = core_check(g, shapley_value(g))
    assert chk.in_core and chk.blocking_coalition is None and chk.max_excess <= 0


def test_balancedness_bondareva_shapley():
    """Majority game: the balanced collection {AB, AC, BC} with weights 1/2 has
    sum lambda_S v(S) = 3/2 > v(N) = 1, so the core is empty (Bondareva 1963; Shapley 1967)."""
    maj = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) >= 2))
    assert not is_balanced(maj)
    assert least_core(maj).attrs["epsilon"] > 0
    glove = TabularGame.from_function(
        ["L", "R1", "R2"], lambda s: float(min(len(s & {"L"}), len(s & {"R1", "R2"})))
    )
    assert is_balanced(glove)
    assert core_check(glove, pd.Series({"L": 1.0, "R1": 0.0, "R2": 0.0})).in_core


@pytest.mark.parametrize("seed", range(6))
def test_balanced_iff_least_core_epsilon_nonpositive(seed):
    g = random_game(4, seed, low=0.0)
    assert is_balanced(g) == (least_core(g).attrs["epsilon"] <= 1e-9)


def test_cost_game_core():
    """A cost allocation is in the core iff no coalition pays more than its standalone cost."""
    c = TabularGame(["1", "2"], {("1",): 10, ("2",): 20, ("1", "2"): 25}, cost=True)
    assert core_check(c, pd.Series({"1": 7.0, "2": 18.0})).in_core
    chk = core_check(c, pd.Series({"1": 11.0, "2": 14.0}))
    assert not chk.in_core and chk.blocking_coalition == ("1",) and chk.max_excess == 1.0
    assert is_convex(c)  # concave cost = submodular
    assert is_superadditive(c)  # i.e. subadditive cost
    assert is_balanced(c)


def test_core_check_input_errors():
    g = random_game(2, 0)
    with pytest.raises(GameError, match="missing \\['p1'\\]"):
        core_check(g, pd.Series({"p0": 1.0}))
    with pytest.raises(GameError, match="pandas Series"):
        core_check(g, [1.0, 2.0])
    with pytest.raises(GameError, match="limit 14 players"):
        superadditivity_violation(random_game(15, 0))
