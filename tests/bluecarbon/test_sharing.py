"""SCRB / ESD / EANC and sampled Shapley on the study's game: efficiency, IR, hand formulas (B6)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from carbonshare import games
from carbonshare.bluecarbon import sequestration_game, share_gains

from .test_cooperation import _scenario


def _brute(sc, q):
    n = len(sc.countries)
    U = np.ones(n, bool)
    vU = sc.coalition_values(U[None], q)[0]
    loo = sc.coalition_values(~np.eye(n, dtype=bool), q)
    single = sc.bau().to_numpy()
    return vU, loo, single


def test_separable_rules_on_the_study_game_by_hand():
    sc = _scenario()
    game = sequestration_game(sc, 0.9)
    res = share_gains(game, shapley_samples=0)
    vU, loo, single = _brute(sc, 0.9)
    m = vU - loo
    r = m - single
    n = len(single)
    np.testing.assert_allclose(res.allocations["scrb"], m + r / r.sum() * (vU - m.sum()))
    np.testing.assert_allclose(res.allocations["esd"], single + (vU - single.sum()) / n)
    np.testing.assert_allclose(res.allocations["eanc"], m + (vU - m.sum()) / n)
    for rule in ("scrb", "esd", "eanc"):
        assert res.allocations[rule].sum() == pytest.approx(vU)  # efficiency
        assert res.checks.at[rule, "efficient"]
        ir = bool((res.allocations[rule] >= single - 1e-9 * vU).all())
        assert res.checks.at[rule, "individually_rational"] == ir
    # ESD is IR whenever the game has a surplus over standalone values
    assert vU > single.sum() and res.checks.at["esd", "individually_rational"]
    first_ir = next(r for r in ("scrb", "esd", "eanc") if res.checks.at[r, "individually_rational"])
    assert res.chosen == first_ir


def test_sampled_shapley_close_to_exact():
    sc = _scenario(n=6, seed=3)
    game = sequestration_game(sc, 0.5)
    exact = games.shapley_value(
        games.TabularGame.from_function(list(sc.countries), lambda s: game.value(list(s)))
    )
    res = share_gains(game, shapley_samples=4000, seed=2)
    err = (res.allocations["shapley"] - exact).abs()
    assert (err <= 4 * res.shapley_se + 1e-9).all()
    assert res.allocations["shapley"].sum() == pytest.approx(game.grand_value())


def test_game_is_consistent_over_every_coalition():
    sc = _scenario(n=4)
    game = sequestration_game(sc, 0.7)
    for size in range(1, 5):
        for S in itertools.combinations(sc.countries, size):
            M = sc.countries.isin(S)
            assert game.value(list(S)) == pytest.approx(sc.coalition_values(M[None], 0.7)[0])
