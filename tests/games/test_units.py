"""Every solver and check is invariant under a change of units v -> c v (issue 9, item 1).

The LP-based solutions are solved on the game divided by its unit max |v(S)| and scaled
back, and every yes/no tolerance is relative to that unit (no floor of 1), so a game in
t CO2 and the same game in Gt CO2 (or the alliance game, worth ~1e-11) get the same
answers and verdicts. Before the fix, the bankruptcy game x 1e-10 had nucleolus
(200, 0, 0) 1e-10 and the majority game x 1e-10 was reported balanced.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.cli import main
from carbonshare.errors import GameError
from carbonshare.games import (
    CallableGame,
    DividendGame,
    TabularGame,
    balancedness_gap,
    core_check,
    diagnostics,
    is_balanced,
    is_convex,
    is_superadditive,
    least_core,
    nucleolus,
    prenucleolus,
    shapley_value,
    solve,
    write_game,
)

SCALES = (1e-300, 1e-12, 1.0, 1e12)


def bankruptcy(estate, claims, c=1.0):
    """v(S) = max(0, E - claims outside S) (O'Neill 1982), times c."""
    return TabularGame.from_function(
        list(claims),
        lambda s: c * max(0.0, estate - sum(v for k, v in claims.items() if k not in s)),
    )


def majority(c=1.0):
    return TabularGame.from_function(["A", "B", "C"], lambda s: c * float(len(s) >= 2))


# --- the reproductions of the issue ------------------------------------------------------------


def test_bankruptcy_times_1e_10_has_the_talmud_nucleolus():
    g = bankruptcy(200.0, {"a": 100.0, "b": 200.0, "c": 300.0}, c=1e-10)
    np.testing.assert_allclose(nucleolus(g).to_numpy(), [50e-10, 75e-10, 75e-10], rtol=1e-7)
    sol = solve(g, "nucleolus")
    assert sol.diagnostics["in_core"] is True and sol.diagnostics["efficient"] is True


def test_majority_times_1e_10():
    g = majority(1e-10)
    np.testing.assert_allclose(prenucleolus(g).to_numpy(), [1e-10 / 3] * 3, rtol=1e-7)
    assert least_core(g).attrs["epsilon"] == pytest.approx(1e-10 / 3, rel=1e-7)
    assert is_balanced(g) is False
    assert balancedness_gap(g) == pytest.approx(0.5e-10, rel=1e-7)
    assert is_convex(g) is False and is_superadditive(g) is True
    chk = core_check(g, pd.Series(1e-10 / 3, index=["A", "B", "C"]))
    assert chk.in_core is False and chk.max_excess == pytest.approx(1e-10 / 3, rel=1e-9)


def test_nucleolus_at_1e_minus_300_is_efficient_and_in_core():
    g = bankruptcy(200.0, {"a": 100.0, "b": 200.0, "c": 300.0}, c=1e-300)
    x = nucleolus(g)
    np.testing.assert_allclose(x.to_numpy(), [50e-300, 75e-300, 75e-300], rtol=1e-7)
    d = diagnostics(g, x)
    assert d["efficient"] and d["in_core"]


def test_a_wrong_allocation_is_refused_at_any_scale():
    """The old absolute floor of 1 accepted anything for a game worth less than 1e-9."""
    g = majority(1e-12)
    d = diagnostics(g, pd.Series([1e-12, 0.0, 0.0], index=["A", "B", "C"]))
    assert d["efficient"] is True and d["in_core"] is False
    d = diagnostics(g, pd.Series([0.5e-12, 0.0, 0.0], index=["A", "B", "C"]))
    assert d["efficient"] is False


def test_values_near_the_float_limit_are_refused_with_a_clear_message():
    with pytest.raises(GameError, match=r"coalition \{A,B\} is 1e\+308.*larger units"):
        TabularGame(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 1e308})
    with pytest.raises(GameError, match=r"dividend of coalition \{A\} is -1e\+305"):
        DividendGame(["A", "B"], {("A",): -1e305})
    with pytest.raises(GameError, match=r"value function at \{a,b\}.*larger units"):
        CallableGame(["a", "b"], lambda s: 1e301 * len(s)).table()


def test_values_up_to_1e300_still_solve():
    g = bankruptcy(200.0, {"a": 100.0, "b": 200.0, "c": 300.0}, c=1e297)
    np.testing.assert_allclose(nucleolus(g).to_numpy(), [50e297, 75e297, 75e297], rtol=1e-7)
    assert is_balanced(g) and np.isfinite(shapley_value(g)).all()


# --- invariance on random games ----------------------------------------------------------------


def _scaled(game: TabularGame, c: float) -> TabularGame:
    return TabularGame.from_array(game.players, c * game.table(), cost=game.cost)


@st.composite
def games(draw):
    """Small games with integer values (many ties: degenerate LPs) or floats, benefit or cost."""
    n = draw(st.integers(2, 4))
    ints = draw(st.booleans())
    # floats rounded to 4 decimals: no value is below 1e-300 of another (c v would underflow)
    elem = st.integers(-3, 6) if ints else st.floats(-2, 5).map(lambda x: round(x, 4))
    vals = [float(v) for v in draw(st.lists(elem, min_size=1 << n, max_size=1 << n))]
    vals[0] = 0.0
    cost = draw(st.booleans())
    return TabularGame.from_array([f"p{k}" for k in range(n)], np.array(vals), cost=cost)


def _lp_results(g):
    out = {
        "prenucleolus": prenucleolus(g).to_numpy(),
        "least_core": least_core(g).attrs["epsilon"],
        "gap": balancedness_gap(g),
    }
    try:
        out["nucleolus"] = nucleolus(g).to_numpy()
    except GameError as exc:  # empty imputation set: must be empty at every scale
        out["nucleolus"] = str(exc).split(":")[0]
    return out


def _verdicts(g, x):
    d = diagnostics(g, x)
    return (
        is_balanced(g),
        is_convex(g),
        is_superadditive(g),
        core_check(g, x).in_core,
        d["efficient"],
        d["individually_rational"],
        d["in_core"],
        d["blocking_coalition"] is None,  # which one of tied coalitions is a matter of rounding
    )


@settings(max_examples=25, deadline=None)
@given(game=games())
def test_lp_solutions_scale_with_the_game(game):
    ref = _lp_results(game)
    unit = np.abs(game.table()).max() or 1.0
    for c in SCALES:
        got = _lp_results(_scaled(game, c))
        atol = 1e-7 * c * unit
        np.testing.assert_allclose(got["prenucleolus"], c * ref["prenucleolus"], rtol=0, atol=atol)
        assert got["least_core"] == pytest.approx(c * ref["least_core"], rel=0, abs=atol)
        assert got["gap"] == pytest.approx(c * ref["gap"], rel=0, abs=atol)
        if isinstance(ref["nucleolus"], str):
            assert got["nucleolus"] == ref["nucleolus"]
        else:
            np.testing.assert_allclose(got["nucleolus"], c * ref["nucleolus"], rtol=0, atol=atol)


@settings(max_examples=25, deadline=None)
@given(game=games(), pick=st.sampled_from(["shapley", "prenucleolus", "esd"]))
def test_verdicts_do_not_depend_on_units(game, pick):
    x = solve(game, pick).allocation
    ref = _verdicts(game, x)
    for c in SCALES:
        assert _verdicts(_scaled(game, c), c * x) == ref, c


@pytest.mark.parametrize("c", SCALES)
def test_game_check_cli_gives_the_same_verdicts(tmp_path, capsys, c):
    def verdicts(game, name):
        path = write_game(game, tmp_path / name)
        assert main(["game", "check", str(path)]) == 0
        cells = [[c.strip() for c in r.split("│")] for r in capsys.readouterr().out.splitlines()]
        return [(c[1], c[2][:3]) for c in cells if len(c) > 2 and c[2][:2] in ("ye", "no")]

    ref = verdicts(majority(), "ref.json")
    assert verdicts(majority(c), "scaled.json") == ref
    assert ("balanced (core non-empty)", "no ") in ref
    assert ("convex", "no:") in ref and ("superadditive", "yes") in ref


@pytest.mark.parametrize("c", SCALES)
def test_cost_game_without_savings_has_its_nucleolus_at_every_scale(c):
    """c(N) = c(1) + c(2) in decimals only: the savings are rounding (0 or 1e-16 of the costs,
    depending on c), never a reason to declare the imputation set empty (found by hypothesis)."""
    game = TabularGame.from_array(
        ["p0", "p1"], c * np.array([0.0, 2.6881, 0.157, 2.8451]), cost=True
    )
    got = solve(game, "nucleolus").allocation.to_numpy()
    np.testing.assert_allclose(got, c * np.array([2.6881, 0.157]), rtol=1e-12)


@settings(max_examples=20, deadline=None)
@given(game=games())
def test_every_solution_scales_with_the_game(game):
    """solve(c v, name) = c solve(v, name) for every solution of SOLUTIONS (where defined)."""
    from carbonshare.games import SOLUTIONS

    unions = {"X": list(game.players[:1]), "Y": list(game.players[1:])}
    unit = np.abs(game.table()).max() or 1.0
    for name in SOLUTIONS:
        kw = {"unions": unions} if name in ("owen", "two-stage") else {}
        try:
            ref = solve(game, name, **kw).allocation.to_numpy()
        except GameError as exc:  # undefined for this game: undefined at every scale
            words = re.escape(re.split(r"[-\d]", str(exc))[0])  # up to the first number
            for c in SCALES:
                with pytest.raises(GameError, match=words):
                    solve(_scaled(game, c), name, **kw)
            continue
        for c in SCALES:
            got = solve(_scaled(game, c), name, **kw).allocation.to_numpy()
            np.testing.assert_allclose(got, c * ref, rtol=0, atol=1e-7 * c * unit, err_msg=name)
