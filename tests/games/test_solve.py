"""solve(): one entry point with diagnostics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.errors import GameError
from carbonshare.games import SOLUTIONS, TabularGame, alliance_game, diagnostics, solve


def glove():
    return TabularGame.from_function(
        ["L", "R1", "R2"], lambda s: float(min(len(s & {"L"}), len(s & {"R1", "R2"})))
    )


@pytest.mark.parametrize("name", sorted(SOLUTIONS))
def test_every_solution_runs_and_is_efficient(name):
    g = TabularGame.from_function(list("abcd"), lambda s: float(len(s)) ** 2 + ("a" in s))
    kw = {"unions": {"X": ["a", "b"], "Y": ["c", "d"]}} if name in ("owen", "two-stage") else {}
    sol = solve(g, name, **kw)
    assert sol.diagnostics["solution"] == name
    if name != "banzhaf":  # the raw Banzhaf value is not efficient in general
        assert sol.diagnostics["efficient"], name
    assert set(sol.allocation.index) == set("abcd")


def test_diagnostics_glove_shapley():
    sol = solve(glove(), "shapley")
    d = sol.diagnostics
    assert d["efficient"] and d["individually_rational"]
    assert d["in_core"] is False
    assert d["max_excess"] == pytest.approx(1 / 6)
    assert sorted(d["blocking_coalition"]) in (["L", "R1"], ["L", "R2"])
    assert solve(glove(), "nucleolus").diagnostics["in_core"] is True


def test_diagnostics_of_cost_games_use_cost_orientation():
    g = TabularGame(["1", "2"], {("1",): 10, ("2",): 20, ("1", "2"): 25}, cost=True)
    d = diagnostics(g, pd.Series({"1": 11.0, "2": 14.0}))
    assert d["ir_violations"] == ["1"]  # pays more than standalone
    assert d["in_core"] is False
    assert solve(g, "scrb").diagnostics["in_core"] is True


def test_large_alliance_game_diagnostics():
    rng = np.random.default_rng(0)
    names = [f"C{k}" for k in range(40)]
    g = alliance_game(
        pd.Series(rng.uniform(0, 1, 40), index=names),
        pd.DataFrame(rng.uniform(0, 1, (40, 40)), index=names, columns=names),
    )
    d = solve(g, "shapley").diagnostics
    assert d["in_core"] is True and "convex" in d["in_core_reason"]
    d = solve(g, "eanc").diagnostics
    assert d["in_core"] is None and "not checked" in d["in_core_reason"]


def test_sampled_solution_reports_standard_errors():
    g = TabularGame.from_function(list("abcde"), lambda s: float(len(s)) ** 1.5)
    sol = solve(g, "shapley", method="sample", samples=200)
    assert set(sol.diagnostics["std_error"]) == set("abcde")
    assert sol.diagnostics["samples"] == 200


def test_least_core_reports_epsilon():
    maj = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) >= 2))
    assert solve(maj, "least_core").diagnostics["epsilon"] == pytest.approx(1 / 3)


def test_bad_requests():
    with pytest.raises(GameError, match="unknown solution 'kernel'"):
        solve(glove(), "kernel")
    with pytest.raises(GameError, match="does not take unions"):
        solve(glove(), "shapley", unions={"X": ["L", "R1", "R2"]})
    with pytest.raises(GameError, match="needs unions="):
        solve(glove(), "owen")
    with pytest.raises(GameError, match=r"missing \['R2'\], unknown \['X'\]"):
        diagnostics(glove(), pd.Series({"L": 1.0, "R1": 0.0, "X": 0.0}))
    with pytest.raises(GameError, match="allocation of 'R1' is nan"):
        diagnostics(glove(), pd.Series({"L": 1.0, "R1": np.nan, "R2": 0.0}))
    with pytest.raises(GameError, match="lists player 'L' twice"):
        diagnostics(glove(), pd.Series([1.0, 0.0, 0.0, 0.0], index=["L", "R1", "R2", "L"]))


def test_tol_reaches_the_solution_and_diag_tol_the_diagnostics():
    """``tol`` is the solution's own option (sampling stopping tolerance), not swallowed by
    solve(); ``diag_tol`` sets the tolerance of the diagnostics."""
    from carbonshare.games import CallableGame

    g = CallableGame([f"p{k}" for k in range(30)], lambda s: float(len(s)) ** 1.5)
    sol = solve(g, "shapley", method="sample", samples=100_000, tol=0.05)
    assert sol.diagnostics["converged"] and sol.diagnostics["samples"] < 100_000
    x = pd.Series({"L": 0.9, "R1": 0.05, "R2": 0.05})
    assert diagnostics(glove(), x)["in_core"] is False
    assert diagnostics(glove(), x, tol=0.2)["in_core"] is True
    assert solve(glove(), "nucleolus", diag_tol=1e-12).diagnostics["in_core"] is True


def test_sampled_shapley_of_a_convex_dividend_game_is_not_claimed_in_core():
    rng = np.random.default_rng(1)
    names = [f"C{k}" for k in range(30)]
    g = alliance_game(
        pd.Series(rng.uniform(0, 1, 30), index=names),
        pd.DataFrame(rng.uniform(0, 1, (30, 30)), index=names, columns=names),
    )
    assert solve(g, "shapley").diagnostics["in_core"] is True
    d = solve(g, "shapley", method="sample", samples=20).diagnostics
    assert d["in_core"] is None and "not checked" in d["in_core_reason"]
