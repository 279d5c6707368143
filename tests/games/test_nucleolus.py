"""Nucleolus, prenucleolus and least core."""

from __future__ import annotations

import numpy as np
import pytest

from carbonshare.errors import GameError
from carbonshare.games import (
    TabularGame,
    core_check,
    least_core,
    nucleolus,
    prenucleolus,
    shapley_value,
)


def bankruptcy(estate, claims):
    """v(S) = max(0, E - sum of the claims outside S) (O'Neill 1982)."""
    return TabularGame.from_function(
        list(claims), lambda s: max(0.0, estate - sum(c for k, c in claims.items() if k not in s))
    )


@pytest.mark.parametrize(
    ("estate", "expected"),
    [(100, [100 / 3, 100 / 3, 100 / 3]), (200, [50, 75, 75]), (300, [50, 100, 150])],
)
def test_talmud_bankruptcy_nucleolus(estate, expected):
    """Aumann & Maschler (1985), 'Game theoretic analysis of a bankruptcy problem from the
    Talmud', J. Econ. Theory 36, 195-213: for claims 100, 200, 300 and estates 100, 200, 300
    the Talmud's division (Mishna Ketubot 93a) is the nucleolus of the bankruptcy game."""
    g = bankruptcy(estate, {"w1": 100.0, "w2": 200.0, "w3": 300.0})
    np.testing.assert_allclose(nucleolus(g).to_numpy(), expected, atol=1e-7)
    np.testing.assert_allclose(prenucleolus(g).to_numpy(), expected, atol=1e-7)  # core != {}


def test_glove_game_nucleolus_is_the_core_point():
    """Glove game, one left and two right gloves: the core is {(1, 0, 0)} (the scarce left
    glove takes all), so the nucleolus is (1, 0, 0) while the Shapley value (2/3, 1/6, 1/6) is
    outside the core (Maschler, Solan & Zamir 2013, Game Theory, ch. 17-18)."""
    g = TabularGame.from_function(
        ["L", "R1", "R2"], lambda s: float(min(len(s & {"L"}), len(s & {"R1", "R2"})))
    )
    np.testing.assert_allclose(nucleolus(g).to_numpy(), [1, 0, 0], atol=1e-8)
    chk = core_check(g, shapley_value(g))
    assert not chk.in_core
    assert chk.max_excess == pytest.approx(1 / 6)  # v(L,R1) - (2/3 + 1/6)
    assert set(chk.blocking_coalition) in ({"L", "R1"}, {"L", "R2"})


def test_nucleolus_and_prenucleolus_differ_when_the_core_is_empty():
    """v(A) = v(B) = 0, v(AB) = 5, v(C) = 2, v(AC) = 0, v(BC) = 2, v(N) = 2.

    Nucleolus: the only imputation is (0, 0, 2), so it is the nucleolus.
    Prenucleolus, by hand: e(AB) + e(C) = v(AB) + v(C) - v(N) = 5, so the largest excess is at
    least 2.5, reached with x_C = -0.5 and x_A + x_B = 2.5. Then e(AC) = 0.5 - x_A and
    e(BC) = x_A; minimising their maximum gives x_A = 0.25: (0.25, 2.25, -0.5), sorted
    excesses (2.5, 2.5, 0.25, 0.25, -0.25, -2.25). (tucoopy 0.1 returns (-2, 4.5, -0.5), whose
    sorted excesses (2.5, 2.5, 2.5, 2, ...) are lexicographically larger, so it is not the
    prenucleolus.)
    """
    t = np.array([0.0, 0.0, 0.0, 5.0, 2.0, 0.0, 2.0, 2.0])
    g = TabularGame.from_array(["A", "B", "C"], t)
    np.testing.assert_allclose(nucleolus(g).to_numpy(), [0, 0, 2], atol=1e-8)
    pre = prenucleolus(g)
    np.testing.assert_allclose(pre.to_numpy(), [0.25, 2.25, -0.5], atol=1e-8)
    assert pre["C"] < 2


def test_least_core_of_majority_game():
    """Three-player majority game: core empty, least-core epsilon 1/3 at (1/3, 1/3, 1/3)
    (Maschler, Peleg & Shapley 1979)."""
    maj = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) >= 2))
    lc = least_core(maj)
    assert lc.attrs["epsilon"] == pytest.approx(1 / 3)
    np.testing.assert_allclose(lc.to_numpy(), [1 / 3] * 3, atol=1e-9)


def test_cost_game_nucleolus_via_savings():
    """Airport cost game c(S) = max_{i in S} c_i with costs 1, 2, 3 (Littlechild 1974,
    'A simple expression for the nucleolus in a special case', IJGT 3, 21-29, studies the
    nucleolus of such games). By hand on the savings game s (s(ab) = 1, s(ac) = 1, s(bc) = 2,
    s(N) = 3, singletons 0), excess e(S) = s(S) - y(S): e(a) + e(bc) = s(bc) - s(N) = -1, so
    the largest excess is at least -0.5, reached with y_a = 0.5 and the other excesses lower;
    then e(b), e(c), e(ab), e(ac) are balanced by y_b = y_c = 1.25. Costs x = c - y =
    (0.5, 0.75, 1.75), in the cost core (x(S) <= c(S))."""
    costs = {"a": 1.0, "b": 2.0, "c": 3.0}
    g = TabularGame.from_function(
        list(costs), lambda s: max((costs[p] for p in s), default=0.0), cost=True
    )
    x = nucleolus(g)
    np.testing.assert_allclose(x.to_numpy(), [0.5, 0.75, 1.75], atol=1e-8)
    assert core_check(g, x).in_core
    np.testing.assert_allclose(prenucleolus(g).to_numpy(), [0.5, 0.75, 1.75], atol=1e-8)


def test_empty_imputation_set_raises():
    g = TabularGame(["A", "B"], {("A",): 2, ("B",): 2, ("A", "B"): 3})
    with pytest.raises(GameError, match="imputation set is empty"):
        nucleolus(g)
    np.testing.assert_allclose(prenucleolus(g).to_numpy(), [1.5, 1.5])


def test_too_many_players_raises():
    from carbonshare.games import CallableGame

    g = CallableGame([f"p{k}" for k in range(21)], lambda s: float(len(s)))
    with pytest.raises(GameError, match="limit 20 players"):
        nucleolus(g)


def sorted_excesses(t, x):
    n = len(x)
    masks = ((np.arange(1, (1 << n) - 1)[:, None] >> np.arange(n)) & 1).astype(float)
    return np.sort(t[1:-1] - masks @ np.asarray(x))[::-1]


def lex_compare(a, b, tol=1e-7):
    """-1 if a < b lexicographically, 0 if equal (within tol), 1 if a > b."""
    d = a - b
    first = d[np.abs(d) > tol]
    return 0 if first.size == 0 else int(np.sign(first[0]))


@pytest.mark.parametrize("seed", range(8))
def test_never_worse_than_tucoopy(seed):
    """Cross-check with tucoopy 0.1: both points are feasible, and ours is never
    lexicographically worse. On degenerate games tucoopy returns a different point whose
    sorted excess vector is strictly larger (it fixes every coalition tight at *one*
    optimum of an LP round; the sequential method must fix only those tight at *all*
    optima, i.e. with positive duals), so it is not the (pre)nucleolus there. The least-core
    level eps* agrees exactly."""
    tucoopy = pytest.importorskip("tucoopy")
    from tucoopy.solutions import least_core as tc_least_core
    from tucoopy.solutions import nucleolus as tc_nucleolus
    from tucoopy.solutions import prenucleolus as tc_prenucleolus

    n = 3 + seed % 4
    rng = np.random.default_rng(seed)
    t = rng.integers(0, 10, 1 << n).astype(float)
    t[0] = 0.0
    t[-1] = t[1 << np.arange(n)].sum() + 5.0  # imputation set non-empty
    g = TabularGame.from_array([f"p{k}" for k in range(n)], t)
    tg = tucoopy.Game(n, {m: float(v) for m, v in enumerate(t)})
    single = t[1 << np.arange(n)]
    ours, theirs = nucleolus(g).to_numpy(), np.asarray(tc_nucleolus(tg).x)
    assert np.all(theirs >= single - 1e-7) and theirs.sum() == pytest.approx(t[-1])
    assert lex_compare(sorted_excesses(t, ours), sorted_excesses(t, theirs)) <= 0
    ours, theirs = prenucleolus(g).to_numpy(), np.asarray(tc_prenucleolus(tg).x)
    assert lex_compare(sorted_excesses(t, ours), sorted_excesses(t, theirs)) <= 0
    assert least_core(g).attrs["epsilon"] == pytest.approx(tc_least_core(tg).epsilon, abs=1e-8)


def test_agrees_with_tucoopy_on_non_degenerate_games():
    """Where tucoopy's LP rounds are non-degenerate the two agree to 1e-6."""
    tucoopy = pytest.importorskip("tucoopy")
    from tucoopy.solutions import nucleolus as tc_nucleolus

    for seed in (0, 1, 4):
        n = 3 + seed % 4
        rng = np.random.default_rng(seed)
        t = rng.integers(0, 10, 1 << n).astype(float)
        t[0] = 0.0
        t[-1] = t[1 << np.arange(n)].sum() + 5.0
        g = TabularGame.from_array([f"p{k}" for k in range(n)], t)
        tg = tucoopy.Game(n, {m: float(v) for m, v in enumerate(t)})
        np.testing.assert_allclose(nucleolus(g).to_numpy(), tc_nucleolus(tg).x, atol=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_lexicographic_optimality_brute_force(seed):
    """No random perturbation within the imputation set has a lexicographically smaller
    sorted excess vector than the nucleolus (definition, Schmeidler 1969)."""
    n = 4
    rng = np.random.default_rng(seed)
    t = np.round(rng.uniform(0, 5, 1 << n))  # integer values make degenerate LPs likely
    t[0] = 0.0
    t[-1] = t[1 << np.arange(n)].sum() + 3.0
    g = TabularGame.from_array([f"p{k}" for k in range(n)], t)
    x = nucleolus(g).to_numpy()
    masks = ((np.arange(1, (1 << n) - 1)[:, None] >> np.arange(n)) & 1).astype(float)

    def key(y):
        return np.sort(t[1:-1] - masks @ y)[::-1]

    base = key(x)
    single = t[1 << np.arange(n)]
    for _ in range(300):
        d = rng.normal(size=n) * 0.05
        d -= d.mean()
        y = x + d
        if np.any(y < single - 1e-12):
            continue
        k = key(y)
        diff = k - base
        first = diff[np.abs(diff) > 1e-9]
        assert first.size == 0 or first[0] > 0


def talmud_rule(estate, claims):
    """Aumann & Maschler (1985), section 2: constrained equal awards on half-claims if
    E <= sum(c)/2, else claims minus constrained equal losses on half-claims."""
    half = np.asarray(claims) / 2

    def cea(amount, caps):
        lo, hi = 0.0, caps.max()
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if np.minimum(caps, mid).sum() < amount else (lo, mid)
        return np.minimum(caps, hi)

    total = np.sum(claims)
    if estate <= total / 2:
        return cea(estate, half)
    return np.asarray(claims) - cea(total - estate, half)


@pytest.mark.parametrize("seed", range(4))
def test_bankruptcy_nucleolus_is_the_talmud_rule_for_more_claimants(seed):
    """Aumann & Maschler (1985), Theorem A: for every bankruptcy problem the nucleolus of the
    bankruptcy game is the Talmud rule; random claims, 6 claimants, estates on both sides of
    half the total claims."""
    rng = np.random.default_rng(seed)
    claims = np.round(rng.uniform(10, 100, 6))
    estate = float(np.round(claims.sum() * (0.2 + 0.2 * seed)))
    names = [f"c{k}" for k in range(6)]
    by_name = dict(zip(names, claims, strict=True))
    g = TabularGame.from_function(
        names, lambda s: max(0.0, estate - sum(c for k, c in by_name.items() if k not in s))
    )
    np.testing.assert_allclose(nucleolus(g).to_numpy(), talmud_rule(estate, claims), atol=1e-6)


def test_one_and_two_player_games():
    one = TabularGame(["solo"], {("solo",): 4.0})
    assert nucleolus(one).tolist() == [4.0]
    assert prenucleolus(one).tolist() == [4.0]
    assert least_core(one).tolist() == [4.0]
    two = TabularGame(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 6})
    np.testing.assert_allclose(nucleolus(two).to_numpy(), [2.5, 3.5])  # standard solution


def nucleolus_by_slack_maximisation(t, n, imputations):
    """Independent reference (Maschler, Peleg & Shapley 1979): sequential LPs in which, after
    each round, a coalition is fixed iff it is tight on the *whole* optimal face, tested one
    coalition at a time by maximising its slack with eps held at the optimum. Shares no
    code with carbonshare.games.nucleolus (which fixes by positive duals)."""
    from scipy.optimize import linprog

    ids = np.arange(1, (1 << n) - 1)
    rows = ((ids[:, None] >> np.arange(n)) & 1).astype(float)
    v = t[ids]
    single = t[1 << np.arange(n)]
    bounds = [(single[i] if imputations else None, None) for i in range(n)] + [(None, None)]
    free, fixed = list(range(ids.size)), []
    while True:
        a_ub = np.array([np.append(-rows[k], -1.0) for k in free])
        b_ub = -v[free]
        a_eq = np.array([np.append(np.ones(n), 0.0)] + [np.append(rows[k], 0.0) for k, _ in fixed])
        b_eq = np.array([t[-1]] + [v[k] - level for k, level in fixed])
        c = np.append(np.zeros(n), 1.0)
        eps = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds).x[-1]
        a_eq2 = np.vstack([a_eq, c])
        b_eq2 = np.append(b_eq, eps)
        tight = []
        for k in free:
            obj = np.append(rows[k], 0.0)  # min x(S): tight everywhere iff max slack is 0
            res = linprog(-obj, A_ub=a_ub, b_ub=b_ub + 1e-10, A_eq=a_eq2, b_eq=b_eq2, bounds=bounds)
            if rows[k] @ res.x[:n] - (v[k] - eps) < 1e-7:
                tight.append(k)
        fixed += [(k, eps) for k in tight]
        span = np.vstack([np.ones(n)] + [rows[k] for k, _ in fixed])
        rank = np.linalg.matrix_rank(span)
        if rank >= n:
            return np.linalg.lstsq(span, np.array([t[-1]] + [v[k] - e for k, e in fixed]))[0]
        free = [
            k
            for k in free
            if k not in tight and np.linalg.matrix_rank(np.vstack([span, rows[k]])) > rank
        ]


@pytest.mark.parametrize("seed", range(10))
def test_agrees_with_independent_slack_maximisation(seed):
    """Nucleolus and prenucleolus equal the independent reference on random games with many
    ties (integer values, degenerate LPs) and on random cost games (via savings)."""
    rng = np.random.default_rng(seed)
    n = 3 + seed % 3
    t = rng.integers(0, 6, 1 << n).astype(float) if seed % 2 else rng.uniform(0, 5, 1 << n)
    t[0] = 0.0
    t[-1] = t[1 << np.arange(n)].sum() + seed % 4
    g = TabularGame.from_array([f"p{k}" for k in range(n)], t)
    ref = nucleolus_by_slack_maximisation(t, n, imputations=True)
    np.testing.assert_allclose(nucleolus(g).to_numpy(), ref, atol=1e-7)
    ref = nucleolus_by_slack_maximisation(t, n, imputations=False)
    np.testing.assert_allclose(prenucleolus(g).to_numpy(), ref, atol=1e-7)
    single = t[1 << np.arange(n)]
    additive = ((np.arange(1 << n)[:, None] >> np.arange(n)) & 1) @ single
    # c = x - v with x(S) = sum_S v({i}), so c({i}) = 0 and the savings game is v - x: v
    # shifted by an additive game, whose nucleolus is nucleolus(v) - v({i}) (covariance);
    # the cost nucleolus is c({i}) minus that, v({i}) - nucleolus(v)_i
    cost = TabularGame.from_array(g.players, additive - t, cost=True)
    np.testing.assert_allclose(
        nucleolus(cost).to_numpy(), single - nucleolus(g).to_numpy(), atol=1e-7
    )
