"""CSCC values, the q-curve, sequestration units and the Monte Carlo (B5, B7)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.bluecarbon import (
    cooperation_curve,
    country_cscc,
    headline_numbers,
    mean_burial_rate,
    monte_carlo,
    sequestration,
    value_gains,
)
from carbonshare.errors import DataError

from .test_cooperation import _scenario


def test_sequestration_units():
    A = pd.DataFrame({"m": [2.0], "s": [1.0]}, index=["X"])
    r = pd.Series({"m": 226.0, "s": 218.0})
    # 2 km2 x 226 t C/km2 + 1 x 218 = 670 t C = 670 x 44/12 t CO2
    assert sequestration(A, r).iloc[0] == pytest.approx(670 * 44 / 12)
    assert mean_burial_rate(A, r).iloc[0] == pytest.approx(670 / 3)
    with pytest.raises(DataError, match="no burial rate"):
        sequestration(A, pd.Series({"m": 1.0}))


def test_cscc_world_fallback_and_values():
    c = country_cscc(pd.Series({"USA": 48.0, "IND": 86.0, "WLD": 417.0}), pd.Index(["IND", "FJI"]))
    assert c["cscc_usd_per_tco2"].tolist() == [86.0, 417.0]
    assert c["cscc_flag"].tolist() == ["", "world value"]
    with pytest.raises(DataError, match="world value"):
        country_cscc(pd.Series({"USA": 48.0}), pd.Index(["FJI"]))
    v = value_gains(
        pd.Series({"A": 5.0, "B": 5.0}),
        pd.Series({"A": 4.0, "B": 4.0}),
        pd.Series({"A": 6.0, "B": 4.0}),
        pd.Series({"A": 10.0, "B": 1.0}),
    )
    assert v["benefit_usd"].tolist() == [10.0, 1.0]
    assert v["cost_usd"].tolist() == [20.0, 0.0]


def test_curve_starts_at_zero_and_grows():
    sc = _scenario()
    cscc = pd.Series(50.0, index=sc.countries)
    curve = cooperation_curve(sc, [0.0, 0.25, 0.5, 0.75, 1.0], cscc)
    assert curve.loc[0.0, "added_tco2"] == pytest.approx(0.0, abs=1e-9)
    assert curve.loc[0.0, "benefit_usd"] == pytest.approx(0.0, abs=1e-6)
    assert (np.diff(curve["added_tco2"]) >= 0).all()
    # with one CSCC for all, benefit and cost totals are equal (efficiency): net 0
    np.testing.assert_allclose(curve["net_usd"], 0.0, atol=1e-6 * curve["cost_usd"].abs().max())


def test_monte_carlo_without_uncertainty_reproduces_the_point():
    sc = _scenario()
    cscc = pd.Series(np.linspace(10, 100, 6), index=sc.countries)
    q = {"GC": 0.5, "GDC": 0.9}
    point = headline_numbers(sc, q, cscc)
    zero = monte_carlo(
        sc,
        q,
        cscc,
        rate_se=pd.Series(0.0, sc.burial_rates.index),
        dc_sd=pd.Series(0.0, sc.countries),
        draws=3,
    )
    for k, v in point.items():
        np.testing.assert_allclose(zero[k], v)
    draws = monte_carlo(
        sc,
        q,
        cscc,
        rate_se=pd.Series({"mangrove": 39.0, "saltmarsh": 24.0, "seagrass": 38.0}),
        dc_sd=pd.Series(3.0, sc.countries),
        draws=300,
        seed=1,
    )
    assert draws["added_GDC_tco2"].std() > 0
    # BAU added sequestration is linear in the rates: its mean is close to the point
    se = draws["added_BAU_tco2"].std() / np.sqrt(300)
    assert abs(draws["added_BAU_tco2"].mean() - point["added_BAU_tco2"]) < 5 * se + 0.05 * abs(
        point["added_BAU_tco2"]
    )
