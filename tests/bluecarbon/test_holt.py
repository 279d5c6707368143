"""Holt's linear trend against statsmodels' own fit and a hand-iterated recursion (B5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.bluecarbon import holt_forecast, holt_forecasts
from carbonshare.errors import ConfigError, DataError

YEARS = range(1996, 2020)


def _series(seed=4):
    rng = np.random.default_rng(seed)
    return pd.Series(20 + 0.8 * np.arange(24) + np.cumsum(rng.normal(0, 1.0, 24)), index=YEARS)


def test_holt_equals_statsmodels_fit():
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = _series()
    ours = holt_forecast(y, 2030, alpha=0.1)
    res = ETSModel(
        pd.Series(y.to_numpy(), index=pd.RangeIndex(1996, 2020)), error="add", trend="add"
    ).fit(disp=False)
    frame = res.get_prediction(start=24, end=34).summary_frame(alpha=0.1)
    np.testing.assert_allclose(ours["mean"], frame["mean"], rtol=1e-10)
    np.testing.assert_allclose(ours["lower"], frame["pi_lower"], rtol=1e-10)
    assert list(ours.index) == list(range(2020, 2031))


def test_holt_matches_hand_iterated_recursion():
    y = _series(7)
    f = holt_forecast(y, 2030)
    p = f.attrs["params"]
    a, b_, level, trend = (
        p["smoothing_level"],
        p["smoothing_trend"],
        p["initial_level"],
        p["initial_trend"],
    )
    for obs in y.to_numpy():  # error-correction form of Holt's linear trend
        e = obs - (level + trend)
        level, trend = level + trend + a * e, trend + b_ * e
    hand = level + trend * np.arange(1, 12)
    np.testing.assert_allclose(f["mean"], hand, rtol=1e-9)
    # the interval widens with the horizon and contains the mean
    width = f["upper"] - f["lower"]
    assert (np.diff(width) > 0).all() and (
        (f["lower"] < f["mean"]) & (f["mean"] < f["upper"])
    ).all()


def test_straight_line_and_constant_series_are_exact():
    line = pd.Series(3.0 + 2.0 * np.arange(10), index=range(2000, 2010))
    np.testing.assert_allclose(holt_forecast(line, 2012)["mean"], [23.0, 25.0, 27.0], atol=1e-6)
    const = holt_forecast(pd.Series(5.0, index=range(2000, 2010)), 2011)
    assert const.to_numpy().tolist() == [[5.0] * 3] * 2


def test_panel_forecasts_and_clipping():
    idx = pd.MultiIndex.from_product([["A", "B"], YEARS], names=["iso3", "year"])
    scores = pd.DataFrame(
        {
            "DC": np.r_[_series(1).to_numpy(), 96 + 4 * np.arange(24) / 23],
            "RE": np.r_[_series(2).to_numpy(), _series(3).to_numpy()],
        },
        idx,
    )
    f, p = holt_forecasts(scores, 2030)
    assert set(f.columns) == {(s, k) for s in ("DC", "RE") for k in ("mean", "lower", "upper")}
    assert f[("DC", "upper")].max() <= 100.0
    assert p.loc[("B", "DC"), "clipped"] > 0
    assert f.loc[("A", 2030), ("RE", "mean")] == pytest.approx(
        holt_forecast(_series(2), 2030)["mean"].iloc[-1]
    )


def test_holt_refuses_gaps():
    y = _series()
    y.iloc[5] = np.nan
    with pytest.raises(DataError, match="fill the years"):
        holt_forecast(y, 2030)
    with pytest.raises(ConfigError, match="after the last"):
        holt_forecast(_series(), 2019)
