"""SCRB, ESD, EANC, proportional and equal split (docs/methods.md B6)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import GameError
from carbonshare.games import (
    CallableGame,
    TabularGame,
    eanc,
    equal_split,
    esd,
    proportional,
    scrb,
)

COST = {
    (): 0,
    ("1",): 20,
    ("2",): 30,
    ("3",): 40,
    ("1", "2"): 45,
    ("1", "3"): 55,
    ("2", "3"): 60,
    ("1", "2", "3"): 72,
}


def test_three_user_cost_allocation_by_hand():
    """SCRB as defined by Young, Okada & Hashimoto (1982), Water Resources Research 18(3),
    worked by hand for c(1)=20, c(2)=30, c(3)=40, c(12)=45, c(13)=55, c(23)=60, c(123)=72:
    separable costs m = 72 - (60, 55, 45) = (12, 17, 27), non-separable cost 72 - 56 = 16,
    remaining benefits r = c(i) - m = (8, 13, 13), so SCRB = m + 16 r / 34 =
    (15.7647, 23.1176, 33.1176). EANC = m + 16/3 = (17.333, 22.333, 32.333).
    ESD = c(i) + (72 - 90)/3 = (14, 24, 34)."""
    g = TabularGame(["1", "2", "3"], COST, cost=True)
    np.testing.assert_allclose(scrb(g), [12 + 16 * 8 / 34, 17 + 16 * 13 / 34, 27 + 16 * 13 / 34])
    np.testing.assert_allclose(eanc(g), [12 + 16 / 3, 17 + 16 / 3, 27 + 16 / 3])
    np.testing.assert_allclose(esd(g), [14, 24, 34])
    np.testing.assert_allclose(equal_split(g), [24, 24, 24])
    np.testing.assert_allclose(proportional(g), [72 * 20 / 90, 72 * 30 / 90, 72 * 40 / 90])


def test_rules_commute_with_the_savings_game():
    """For a cost game, each rule's cost allocation = c({i}) - the rule's allocation of the
    savings game s(S) = sum_{i in S} c({i}) - c(S) (the 'savings game derived properly')."""
    g = TabularGame(["1", "2", "3"], COST, cost=True)
    s = g.savings_game()
    single = g.singleton_values()
    for rule in (scrb, eanc, esd):
        np.testing.assert_allclose(rule(g).to_numpy(), single - rule(s).to_numpy(), atol=1e-12)


values = st.lists(st.floats(-50, 50, allow_nan=False), min_size=15, max_size=15)


@settings(max_examples=50, deadline=None)
@given(vals=values)
def test_rules_are_efficient(vals):
    g = TabularGame.from_array(list("abcd"), np.concatenate([[0.0], vals]))
    for rule in (eanc, esd, equal_split):
        assert rule(g).sum() == pytest.approx(g.grand_value(), abs=1e-9)
    try:
        out = scrb(g)
    except GameError:
        return
    assert out.sum() == pytest.approx(g.grand_value(), abs=1e-6 * max(1, abs(out).max()))


def test_large_callable_game():
    """The rules need only 2n + 1 evaluations: a 300-player callable works."""
    g = CallableGame([f"p{k}" for k in range(300)], lambda s: float(len(s)) ** 2)
    out = eanc(g)
    assert out.sum() == pytest.approx(300.0**2)
    np.testing.assert_allclose(out, 300.0)


def test_errors():
    g = TabularGame(["a", "b"], {("a",): 0, ("b",): 0, ("a", "b"): 0})
    with pytest.raises(GameError, match="sum to 0"):
        proportional(g)
    with pytest.raises(GameError, match="miss players \\['b'\\]"):
        proportional(g, pd.Series({"a": 1.0}))
    h = TabularGame(["a", "b"], {("a",): 1, ("b",): 1, ("a", "b"): 1})
    # v(N \\ i) = v(N) = 3, v(i) = 0: m = r = 0 but the non-separable part is 3
    k = TabularGame.from_function(list("abc"), lambda s: 3.0 if len(s) >= 2 else 0.0)
    with pytest.raises(GameError, match="SCRB is undefined"):
        scrb(k)
    np.testing.assert_allclose(eanc(k), [1.0, 1.0, 1.0])
    assert scrb(h).sum() == pytest.approx(1.0)
    # r = (0.1, 0.2, -0.3) sums to ~5.6e-17 in floating point, not 0: still undefined
    vi, r = np.array([0.5, 0.3, 0.9]), np.array([0.1, 0.2, -0.3])
    t = np.zeros(8)
    t[[1, 2, 4]] = vi
    t[[6, 5, 3]] = 1.0 - (vi + r)  # v(N \\ i) = v(N) - m_i
    t[7] = 1.0
    with pytest.raises(GameError, match="SCRB is undefined"):
        scrb(TabularGame.from_array(list("abc"), t))
    np.testing.assert_allclose(proportional(h, pd.Series({"a": 3.0, "b": 1.0})), [0.75, 0.25])


cost_tables = st.integers(2, 5).flatmap(
    lambda n: st.lists(
        st.floats(0, 100, allow_nan=False), min_size=(1 << n) - 1, max_size=(1 << n) - 1
    ).map(lambda vals: np.concatenate([[0.0], vals]))
)


@settings(max_examples=40, deadline=None)
@given(table=cost_tables)
def test_cost_allocation_equals_standalone_minus_savings_allocation(table):
    """For every linear rule (and SCRB where defined), allocating the costs c directly equals
    c({i}) minus the rule's allocation of the savings game s(S) = sum_{i in S} c({i}) - c(S):
    the rules treat a cost game and its savings game consistently (Young, Okada & Hashimoto
    1982, Tijs & Driessen 1986)."""
    from carbonshare.games import banzhaf_value, shapley_value

    n = table.size.bit_length() - 1
    g = TabularGame.from_array([f"u{k}" for k in range(n)], table, cost=True)
    s = g.savings_game()
    single = g.singleton_values()
    for rule in (eanc, esd, shapley_value, banzhaf_value):
        np.testing.assert_allclose(rule(g).to_numpy(), single - rule(s).to_numpy(), atol=1e-8)
    remaining = single - (g.grand_value() - g.leave_one_out_values())  # r_i = c({i}) - m_i
    if abs(remaining.sum()) < 1e-3 * (1.0 + table.max()):
        return  # SCRB weights r_i / sum r are undefined or ill-conditioned
    np.testing.assert_allclose(scrb(g).to_numpy(), single - scrb(s).to_numpy(), atol=1e-6)
