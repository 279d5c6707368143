"""Shapley value: literature answers, brute force, axioms, sampling, tucoopy cross-check."""

from __future__ import annotations

import math

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
    shapley_sample,
    shapley_value,
)
from carbonshare.games.shapley import shapley_exact_array


def random_game(n, seed, names=None):
    t = np.random.default_rng(seed).uniform(-1, 3, 1 << n)
    t[0] = 0.0
    return TabularGame.from_array(names or [f"p{k}" for k in range(n)], t)


def glove_game():
    return TabularGame.from_function(
        ["L", "R1", "R2"], lambda s: float(min(len(s & {"L"}), len(s & {"R1", "R2"})))
    )


def test_glove_game():
    """Glove game with one left glove (L) and two right gloves: Shapley (2/3, 1/6, 1/6).

    Maschler, Solan & Zamir (2013), Game Theory, Cambridge UP, section 18 (glove market);
    hand check: L is pivotal unless it comes first (prob 2/3).
    """
    phi = shapley_value(glove_game())
    np.testing.assert_allclose(phi.to_numpy(), [2 / 3, 1 / 6, 1 / 6], atol=1e-14)


def test_airport_game_sequential_equal_split():
    """Littlechild & Owen (1973), 'A simple expression for the Shapley value in a special
    case', Management Science 20(3), 370-372: for the airport cost game c(S) = max_{i in S} c_i
    with c_1 <= ... <= c_n, phi_i = sum_{k <= i} (c_k - c_{k-1}) / (n - k + 1): each runway
    segment is split equally among the planes that use it."""
    rng = np.random.default_rng(4)
    costs = np.sort(rng.uniform(1, 100, 11))
    names = [f"plane{k}" for k in range(11)]
    cost_of = dict(zip(names, costs, strict=True))
    game = TabularGame.from_function(
        names, lambda s: max((cost_of[p] for p in s), default=0.0), cost=True
    )
    seg = np.diff(np.concatenate([[0.0], costs]))
    expected = np.cumsum(seg / (11 - np.arange(11)))
    np.testing.assert_allclose(shapley_value(game).to_numpy(), expected, rtol=1e-12)


def test_un_security_council_shapley_shubik():
    """Shapley & Shubik (1954), 'A method for evaluating the distribution of power in a
    committee system', APSR 48(3), 787-792: UN Security Council (5 permanent members with
    veto, 10 non-permanent, 9 votes to pass). A non-permanent member is pivotal when the 8
    members before it are the 5 permanent and 3 of the other 9: C(9,3) 8! 6! / 15! = 0.001865;
    a permanent member gets (1 - 10 x that) / 5 = 0.1963."""
    perm = [f"P{k}" for k in range(5)]
    nonp = [f"N{k}" for k in range(10)]

    def wins(s):
        return float(set(perm) <= s and len(s) >= 9)

    phi = shapley_value(TabularGame.from_function(perm + nonp, wins))
    np_power = math.comb(9, 3) * math.factorial(8) * math.factorial(6) / math.factorial(15)
    assert phi["N0"] == pytest.approx(np_power, rel=1e-12)
    assert phi["N0"] == pytest.approx(0.001865, abs=5e-7)
    assert phi["P0"] == pytest.approx(0.1963, abs=5e-5)
    assert phi["P3"] == pytest.approx((1 - 10 * np_power) / 5, rel=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_exact_equals_brute_force(brute, n):
    game = random_game(n, n)
    v = lambda s: game.value(s)  # noqa: E731
    expected = brute.shapley(list(game.players), v)
    assert shapley_value(game).to_dict() == pytest.approx(expected, abs=1e-12)


def test_exact_streams_beyond_one_block():
    """n = 21 exceeds the 2^20 block: agrees with the dividend closed form on a sparse game."""
    rng = np.random.default_rng(0)
    names = [f"p{k}" for k in range(21)]
    divs = {}
    for _ in range(40):
        k = int(rng.integers(1, 6))
        divs[tuple(sorted(rng.choice(names, k, replace=False)))] = float(rng.normal())
    dg = DividendGame(names, divs)
    np.testing.assert_allclose(shapley_exact_array(dg.table()), dg.shapley_array(), atol=1e-9)


def test_methods_agree_and_dispatch():
    g = random_game(6, 1)
    dg = DividendGame.from_table(g)
    cg = CallableGame(g.players, lambda s: g.value(s))
    exact = shapley_value(g)
    np.testing.assert_allclose(shapley_value(dg), exact, atol=1e-12)
    np.testing.assert_allclose(shapley_value(dg, method="exact"), exact, atol=1e-12)
    np.testing.assert_allclose(shapley_value(cg), exact, atol=1e-12)
    with pytest.raises(GameError, match="needs a DividendGame"):
        shapley_value(g, method="closed-form")
    with pytest.raises(GameError, match="method='magic' is not one of"):
        shapley_value(g, method="magic")


def test_sampling_converges_with_honest_standard_errors():
    """Antithetic permutation sampling: the error is within ~4 standard errors and the
    standard error shrinks like 1/sqrt(samples)."""
    g = random_game(9, 2)
    exact = shapley_value(g)
    small = shapley_sample(g, samples=400, seed=3)
    large = shapley_sample(g, samples=6400, seed=3)
    assert large.samples == 6400
    for res in (small, large):
        z = np.abs(res.values - exact) / res.std_error
        assert z.max() < 4.5
    ratio = (small.std_error / large.std_error).median()
    assert 3.0 < ratio < 5.5  # sqrt(16) = 4
    assert large.values.sum() == pytest.approx(g.grand_value())  # efficient per permutation


def test_stratified_sampling():
    """Stratified by coalition size (Castro et al. 2017): unbiased within a few standard
    errors, the reported budget is per player, and it refuses unions."""
    g = random_game(8, 5)
    exact = shapley_value(g)
    res = shapley_sample(g, samples=1600, scheme="stratified", seed=4)
    assert res.samples == 1600
    assert (np.abs(res.values - exact) / res.std_error).max() < 4.5
    out = shapley_value(g, method="sample", scheme="stratified", samples=800, tol=0.5)
    assert out.attrs["converged"]
    with pytest.raises(GameError, match="Shapley value only"):
        shapley_sample(g, scheme="stratified", unions=np.zeros(8, dtype=int))
    with pytest.raises(GameError, match="scheme='latin'"):
        shapley_sample(g, scheme="latin")


def test_sampling_stops_at_tolerance():
    g = CallableGame([f"p{k}" for k in range(30)], lambda s: float(len(s)) ** 1.5)
    res = shapley_sample(g, samples=100_000, tol=0.05, seed=0, batch=50)
    assert res.converged
    assert res.samples < 100_000
    assert res.std_error.max() <= 0.05
    out = shapley_value(g, samples=100_000, tol=0.05)  # auto -> sample for n > 12
    assert out.attrs["samples"] > 0 and out.attrs["converged"]
    se = pd.Series(out.attrs["std_error"])
    assert (np.abs(out - g.grand_value() / 30) / se).max() < 4.5  # symmetric: exact is v(N)/n


def test_sampling_bad_arguments():
    g = random_game(3, 0)
    with pytest.raises(GameError, match="at least 2 permutations"):
        shapley_sample(g, samples=1)
    with pytest.raises(GameError, match="tolerance must be > 0"):
        shapley_sample(g, tol=0)


# -- axioms (Shapley 1953) ----------------------------------------------------------------------

tables = st.integers(2, 6).flatmap(
    lambda n: st.lists(
        st.floats(-100, 100, allow_nan=False), min_size=(1 << n) - 1, max_size=(1 << n) - 1
    ).map(lambda vals: np.concatenate([[0.0], vals]))
)


@settings(max_examples=40, deadline=None)
@given(table=tables)
def test_efficiency(table):
    n = table.size.bit_length() - 1
    phi = shapley_exact_array(table)
    assert phi.sum() == pytest.approx(table[-1], abs=1e-9)
    assert n == phi.size


@settings(max_examples=40, deadline=None)
@given(table=tables)
def test_symmetry(table):
    """Symmetrise v under swapping players 0 and 1; they then get equal values."""
    n = table.size.bit_length() - 1
    idx = np.arange(table.size)
    swapped = (idx & ~3) | ((idx & 1) << 1) | ((idx & 2) >> 1)
    sym = (table + table[swapped]) / 2
    phi = shapley_exact_array(sym)
    assert phi[0] == pytest.approx(phi[1], abs=1e-9)
    assert n >= 2


@settings(max_examples=40, deadline=None)
@given(table=tables)
def test_null_player(table):
    """Add a player who changes no coalition's value: it gets 0, the others keep theirs."""
    extended = np.concatenate([table, table])  # new top bit is a null player
    phi = shapley_exact_array(extended)
    assert phi[-1] == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(phi[:-1], shapley_exact_array(table), atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(table=tables, seed=st.integers(0, 1000))
def test_additivity(table, seed):
    other = np.random.default_rng(seed).normal(size=table.size)
    other[0] = 0.0
    np.testing.assert_allclose(
        shapley_exact_array(table + other),
        shapley_exact_array(table) + shapley_exact_array(other),
        atol=1e-9,
    )


# -- cross-check against tucoopy ----------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_agrees_with_tucoopy(seed):
    tucoopy = pytest.importorskip("tucoopy")
    from tucoopy.solutions import shapley_value as tc_shapley

    n = 3 + seed
    g = random_game(n, 100 + seed)
    tg = tucoopy.Game(n, {m: float(v) for m, v in enumerate(g.table())})
    np.testing.assert_allclose(shapley_value(g).to_numpy(), tc_shapley(tg), atol=1e-10)


def test_result_is_labelled():
    phi = shapley_value(glove_game())
    assert isinstance(phi, pd.Series)
    assert phi.name == "shapley"
    assert list(phi.index) == ["L", "R1", "R2"]


# --- the compiled one-pass kernel (issue 14, item 1) ------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 17), seed=st.integers(0, 10_000), scale=st.sampled_from([1e-300, 1.0, 1e12])
)
def test_fused_kernel_equals_the_numpy_streaming_version(n, seed, scale):
    from carbonshare.games.game import shapley_weights, value_unit
    from carbonshare.games.kernels import shapley_fused
    from carbonshare.games.shapley import shapley_streamed

    rng = np.random.default_rng(seed)
    table = scale * np.round(rng.normal(size=1 << n), 3 if seed % 2 else 12)
    table[0] = 0.0
    unit, w = value_unit(table), shapley_weights(n)
    fused = shapley_fused(table, unit, w)
    np.testing.assert_allclose(fused, shapley_streamed(table, unit, w), rtol=0, atol=1e-12 * unit)
    assert abs(fused.sum() - table[-1]) <= 1e-11 * unit  # efficiency


@pytest.mark.parametrize("n", [1, 2, 5, 9])
def test_fused_kernel_against_brute_force(brute, n):
    from carbonshare.games.game import shapley_weights
    from carbonshare.games.kernels import shapley_fused

    rng = np.random.default_rng(n)
    players = [f"p{k}" for k in range(n)]
    table = rng.uniform(-1, 3, 1 << n)
    table[0] = 0.0

    def v(s):
        return table[sum(1 << int(p[1:]) for p in s)]

    expected = brute.shapley(players, v)
    got = shapley_fused(table, 4.0, shapley_weights(n))
    np.testing.assert_allclose(got, [expected[p] for p in players], atol=1e-12)


def test_fused_kernel_with_subnormal_values():
    from carbonshare.games.game import shapley_weights, value_unit
    from carbonshare.games.kernels import shapley_fused

    table = np.array([0.0, 1.0, 2.0, 6.0]) * 5e-324 * 2**4  # |v| < 2^-1022: 1/unit overflows
    got = shapley_fused(table, value_unit(table), shapley_weights(2))
    np.testing.assert_allclose(got / table[-1], [2.5 / 6, 3.5 / 6], rtol=1e-12)


def test_exact_shapley_uses_the_kernel_from_16_players():
    """From 16 players the kernel runs: efficiency, and symmetry under swapping two players."""
    from carbonshare.games.shapley import FUSED_MIN_PLAYERS, shapley_exact_array

    assert FUSED_MIN_PLAYERS == 16
    rng = np.random.default_rng(7)
    table = rng.random(1 << 16)
    table[0] = 0.0
    phi = shapley_exact_array(table)
    assert phi.sum() == pytest.approx(table[-1], abs=1e-10)
    m = np.arange(1 << 16)
    swapped = table[(m & ~3) | ((m & 1) << 1) | ((m >> 1) & 1)]  # players 0 and 1 exchanged
    phi_s = shapley_exact_array(swapped)
    np.testing.assert_allclose(phi_s[[1, 0]], phi[:2], atol=1e-12)
    np.testing.assert_allclose(phi_s[2:], phi[2:], atol=1e-12)


# --- the sampling scheme chosen by a pilot (issue 14, item 5) ---------------------------------


def _weighted_majority():
    w = {"p0": 4, "p1": 3, "p2": 3, "p3": 2, "p4": 2, "p5": 1, "p6": 1}
    return TabularGame.from_function(list(w), lambda s: float(sum(w[p] for p in s) >= 9))


def _smooth():
    a = dict(zip([f"p{k}" for k in range(7)], np.random.default_rng(0).random(7), strict=True))
    return TabularGame.from_function(list(a), lambda s: float(sum(a[p] for p in s)) ** 1.5)


def _rmse(game, scheme, samples=200, seeds=60):
    exact = shapley_value(game).to_numpy()
    runs = [shapley_sample(game, samples=samples, seed=s, scheme=scheme) for s in range(seeds)]
    err = np.mean([((r.values.to_numpy() - exact) ** 2).mean() for r in runs])
    return float(np.sqrt(err)), [r.scheme for r in runs]


def test_auto_scheme_is_never_worse_than_plain_permutations():
    """On a weighted majority game antithetic pairs are worse than plain permutations (a
    permutation and its reverse share the pivot); on a smooth game they are far better. The
    default "auto" follows the better one on both, at equal permutations."""
    maj, smooth = _weighted_majority(), _smooth()
    plain_m, _ = _rmse(maj, "permutation")
    anti_m, _ = _rmse(maj, "antithetic")
    auto_m, chosen_m = _rmse(maj, "auto")
    assert anti_m > 1.1 * plain_m  # the defect of the old default
    assert auto_m <= 1.15 * plain_m and chosen_m.count("permutation") >= 50
    plain_s, _ = _rmse(smooth, "permutation")
    auto_s, chosen_s = _rmse(smooth, "auto")
    assert auto_s <= 0.5 * plain_s and set(chosen_s) == {"antithetic"}


def test_auto_scheme_bookkeeping():
    res = shapley_sample(_weighted_majority(), samples=1000, seed=3)
    assert res.samples == 1000 and res.scheme in ("permutation", "antithetic")
    res = shapley_sample(_smooth(), samples=999, seed=3, scheme="antithetic")
    assert res.samples == 1000 and res.scheme == "antithetic"
    out = shapley_value(_smooth(), method="sample", samples=400, tol=1e-9)
    assert out.attrs["scheme"] == "antithetic" and out.attrs["converged"] is False
