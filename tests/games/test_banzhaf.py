"""Banzhaf value, raw and normalised."""

from __future__ import annotations

import numpy as np
import pytest

from carbonshare.errors import GameError
from carbonshare.games import DividendGame, TabularGame, banzhaf_value


def un_security_council():
    perm = [f"P{k}" for k in range(5)]
    nonp = [f"N{k}" for k in range(10)]
    return TabularGame.from_function(perm + nonp, lambda s: float(set(perm) <= s and len(s) >= 9))


def test_un_security_council_banzhaf():
    """Felsenthal & Machover (1998), The Measurement of Voting Power, Edward Elgar, ch. 3:
    a permanent member swings in sum_{k>=4} C(10, k) = 848 of the 2^14 coalitions of the
    others, a non-permanent member in C(9, 3) = 84; normalised: 848/5080 = 0.1669 and
    84/5080 = 0.01654."""
    g = un_security_council()
    raw = banzhaf_value(g)
    assert raw["P0"] == pytest.approx(848 / 2**14, rel=1e-12)
    assert raw["N5"] == pytest.approx(84 / 2**14, rel=1e-12)
    norm = banzhaf_value(g, normalized=True)
    assert norm["P0"] == pytest.approx(848 / 5080, rel=1e-12)
    assert norm["N5"] == pytest.approx(84 / 5080, rel=1e-12)
    assert norm.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("n", [1, 2, 4, 7])
def test_equals_brute_force(brute, n):
    t = np.random.default_rng(n).normal(size=1 << n)
    t[0] = 0.0
    g = TabularGame.from_array([f"p{k}" for k in range(n)], t)
    expected = brute.banzhaf(list(g.players), lambda s: g.value(s))
    assert banzhaf_value(g).to_dict() == pytest.approx(expected, abs=1e-12)
    dg = DividendGame.from_table(g)
    assert banzhaf_value(dg).to_dict() == pytest.approx(expected, abs=1e-10)


@pytest.mark.parametrize("seed", range(3))
def test_agrees_with_tucoopy(seed):
    tucoopy = pytest.importorskip("tucoopy")
    from tucoopy.solutions import banzhaf_value as tc_banzhaf
    from tucoopy.solutions import normalized_banzhaf_value as tc_norm

    n = 4 + seed
    t = np.random.default_rng(seed).uniform(0, 4, 1 << n)
    t[0] = 0.0
    g = TabularGame.from_array([f"p{k}" for k in range(n)], t)
    tg = tucoopy.Game(n, {m: float(v) for m, v in enumerate(t)})
    np.testing.assert_allclose(banzhaf_value(g), tc_banzhaf(tg), atol=1e-12)
    np.testing.assert_allclose(banzhaf_value(g, normalized=True), tc_norm(tg), atol=1e-10)


def test_normalising_a_zero_sum_raises():
    g = TabularGame(["a", "b"], {("a",): 1, ("b",): -1, ("a", "b"): 0})
    with pytest.raises(GameError, match="sum to 0"):
        banzhaf_value(g, normalized=True)


def test_normalising_a_sum_cancelled_to_rounding_raises():
    """Raw Banzhaf (0.1, 0.2, -0.3) of an additive game sums to ~5.6e-17, not 0, in floating
    point; normalising by it would give values of 1e16, so it is refused like an exact 0."""
    g = TabularGame.from_function(
        list("abc"), lambda s: sum({"a": 0.1, "b": 0.2, "c": -0.3}[p] for p in s)
    )
    assert banzhaf_value(g).sum() != 0.0
    with pytest.raises(GameError, match="sum to 0"):
        banzhaf_value(g, normalized=True)


def test_too_many_players_for_a_table_says_what_to_do():
    from carbonshare.games import CallableGame

    g = CallableGame([f"p{k}" for k in range(26)], lambda s: float(len(s)))
    with pytest.raises(GameError, match="26-player CallableGame needs its 2\\^26 table"):
        banzhaf_value(g)
