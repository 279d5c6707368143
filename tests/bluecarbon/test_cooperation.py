"""The capacity lift against a brute-force quantile, and the scenario model (B5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.bluecarbon import BlueCarbonScenario, capacity_lift, sequestration


def test_lift_equals_brute_force_quantile():
    rng = np.random.default_rng(0)
    n = 9
    Y = pd.DataFrame(rng.uniform(0, 100, (n, 3)), columns=["g", "s", "m"])
    Y.iloc[2, 1] = Y.iloc[5, 1]  # a tie
    w = pd.Series({"g": 0.2, "s": 0.5, "m": 0.3})
    M = rng.random((40, n)) < 0.5
    M[0] = True
    for q in (0.0, 0.37, 0.5, 0.9, 1.0):
        lift = capacity_lift(Y, w, M, q)
        for r, row in enumerate(M):
            expect = np.zeros(n)
            if row.any():
                Q = np.quantile(Y.to_numpy()[row], q, axis=0)
                expect[row] = (np.maximum(Y.to_numpy()[row], Q) - Y.to_numpy()[row]) @ w.to_numpy()
            np.testing.assert_allclose(lift[r], expect, atol=1e-10)
    # q = 0 lifts nobody; a coalition of one lifts nobody
    assert np.all(capacity_lift(Y, w, M, 0.0) == 0)
    assert np.all(capacity_lift(Y, w, np.eye(n, dtype=bool), 0.9) == 0)


def _scenario(n=6, seed=1):
    rng = np.random.default_rng(seed)
    idx = pd.Index([f"C{i}" for i in range(n)], name="iso3")
    return BlueCarbonScenario(
        capacity=pd.DataFrame(rng.uniform(5, 95, (n, 2)), idx, ["g", "s"]),
        capacity_weights=pd.Series({"g": 0.6, "s": 0.4}),
        dc_bau=pd.Series(rng.uniform(10, 80, n), idx),
        areas=pd.DataFrame(rng.uniform(0, 500, (n, 3)), idx, ["mangrove", "saltmarsh", "seagrass"]),
        burial_rates=pd.Series({"mangrove": 226.0, "saltmarsh": 218.0, "seagrass": 138.0}),
        coefficients=pd.DataFrame({"intercept": rng.normal(-0.02, 0.01, n), "slope": 0.012}, idx),
    )


def test_scenario_carbon_by_hand():
    sc = _scenario()
    base = sequestration(sc.areas, sc.burial_rates)
    np.testing.assert_allclose(sc.base_sequestration(), base)
    c = sc.coefficients
    hand = base * (1 + c["intercept"] + c["slope"] * np.log(sc.dc_bau))
    np.testing.assert_allclose(sc.bau(), hand)
    coop = sc.cooperation(0.9)
    assert (coop["dc_coop"] >= coop["dc_bau"]).all() and (
        coop["carbon_coop"] >= coop["carbon_bau"]
    ).all()
    full = np.ones((1, 6), bool)
    assert sc.coalition_values(full, 0.9)[0] == pytest.approx(coop["carbon_coop"].sum())
    # v({i}) is BAU
    np.testing.assert_allclose(sc.coalition_values(np.eye(6, dtype=bool), 0.9), sc.bau())
