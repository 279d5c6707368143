"""Holt's linear trend forecasts of the scores to 2030 (docs/methods.md B5, business as usual).

Holt's linear trend is the ETS(A, A, N) state-space model (Hyndman et al.
2008): with e_t = y_t - (l_{t-1} + b_{t-1}),

    l_t = l_{t-1} + b_{t-1} + alpha e_t,    b_t = b_{t-1} + beta e_t,

forecast y_{T+h} = l_T + h b_T (beta = alpha beta* in the component form of
Holt 1957). Fitted per series by maximum likelihood with statsmodels'
:class:`~statsmodels.tsa.exponential_smoothing.ets.ETSModel`, whose
prediction intervals are analytic for this model.

References
----------
Holt, C. C. (1957/2004). Forecasting seasonals and trends by exponentially
weighted moving averages. Int. J. Forecasting 20, 5-10.
Hyndman, Koehler, Ord & Snyder (2008). Forecasting with Exponential Smoothing:
The State Space Approach. Springer, ch. 6.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from carbonshare.errors import ConfigError, DataError

__all__ = ["holt_forecast", "holt_forecasts"]

logger = logging.getLogger(__name__)


def holt_forecast(y: pd.Series, last_year: int, *, alpha: float = 0.05) -> pd.DataFrame:
    """Fit Holt's linear trend to one annual series and forecast to ``last_year``.

    Parameters
    ----------
    y : Series indexed by consecutive years (no gaps, no NaN, >= 4 values).
    last_year : last year of the forecast (> the last observed year).
    alpha : 1 - coverage of the prediction interval (0.05: 95 %).

    Returns
    -------
    DataFrame indexed by year (the forecast years): mean, lower, upper;
    ``attrs["params"]`` = smoothing_level, smoothing_trend, initial_level,
    initial_trend (statsmodels' names; smoothing_trend is beta of the
    error-correction form).

    Raises
    ------
    DataError  for gaps, NaN or too short a series; ConfigError for a bad
        horizon or alpha.

    Examples
    --------
    A straight line is forecast exactly (and with a zero-width interval).

    >>> y = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], index=range(2000, 2006))
    >>> holt_forecast(y, 2008)["mean"].round(6).tolist()
    [7.0, 8.0, 9.0]
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    if not 0 < alpha < 1:
        raise ConfigError(f"alpha={alpha}; the interval level needs 0 < alpha < 1")
    years = np.asarray(y.index, dtype=int)
    if y.isna().any() or len(y) < 4 or np.any(np.diff(years) != 1):
        raise DataError(
            f"series {y.name!r}: Holt needs >= 4 consecutive years without gaps or NaN "
            f"(got {len(y)} values, {int(y.isna().sum())} missing); fill the years first"
        )
    last_obs = int(years[-1])
    if last_year <= last_obs:
        raise ConfigError(f"last_year={last_year} must be after the last observed year {last_obs}")
    series = pd.Series(y.to_numpy(dtype=float), index=pd.RangeIndex(years[0], last_obs + 1))
    if np.ptp(series.to_numpy()) == 0:  # constant series: flat forecast, no uncertainty
        steps = pd.RangeIndex(last_obs + 1, last_year + 1, name="year")
        out = pd.DataFrame({"mean": series.iloc[-1], "lower": series.iloc[-1],
                            "upper": series.iloc[-1]}, index=steps)  # fmt: skip
        out.attrs["params"] = {"smoothing_level": np.nan, "smoothing_trend": np.nan,
                               "initial_level": series.iloc[0], "initial_trend": 0.0}  # fmt: skip
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter of the optimiser
        res = ETSModel(series, error="add", trend="add").fit(disp=False)
        pred = res.get_prediction(start=len(series), end=len(series) + last_year - last_obs - 1)
        frame = pred.summary_frame(alpha=alpha)
    out = pd.DataFrame(
        {"mean": frame["mean"].to_numpy(), "lower": frame["pi_lower"].to_numpy(),
         "upper": frame["pi_upper"].to_numpy()},
        index=pd.RangeIndex(last_obs + 1, last_year + 1, name="year"),
    )  # fmt: skip
    out.attrs["params"] = dict(zip(res.param_names, map(float, res.params), strict=True))
    return out


def holt_forecasts(
    scores: pd.DataFrame, last_year: int, *, alpha: float = 0.05, bounds: tuple | None = (0, 100)
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`holt_forecast` for every country and score column.

    Parameters
    ----------
    scores : (iso3, year) x score columns (e.g. the three subsystems).
    last_year : last forecast year (2030).
    alpha : 1 - coverage of the intervals.
    bounds : the scale of the scores; forecasts and intervals beyond it are
        clipped to it (and counted in ``params["clipped"]``). None: no clipping.

    Returns
    -------
    (forecasts, params): forecasts indexed by (iso3, year) with columns
    (score, mean / lower / upper) as a two-level column index; params indexed
    by (iso3, score) with the fitted parameters and ``clipped`` (number of
    forecast values clipped).
    """
    from threadpoolctl import threadpool_limits

    parts, params = {}, {}
    # one BLAS thread: the optimiser's tiny problems run ~10x slower with more
    with threadpool_limits(1):
        for iso3, block in scores.groupby(level="iso3", sort=False):
            block = block.droplevel("iso3")
            for col in scores.columns:
                series = block[col].rename(f"{iso3} {col}")
                f = holt_forecast(series, last_year, alpha=alpha)
                n_clip = 0
                if bounds is not None:
                    n_clip = int(((f["mean"] < bounds[0]) | (f["mean"] > bounds[1])).sum())
                    f = f.clip(lower=bounds[0], upper=bounds[1])
                parts[(iso3, col)] = f
                params[(iso3, col)] = {**f.attrs["params"], "clipped": n_clip}
    long = pd.concat(parts, names=["iso3", "score", "year"])
    forecasts = long.unstack("score")
    forecasts.columns = forecasts.columns.swaplevel(0, 1)
    forecasts = forecasts.sort_index(axis=1, level=0, sort_remaining=False)
    p = pd.DataFrame.from_dict(params, orient="index")
    p.index.names = ["iso3", "score"]
    n = int(p["clipped"].sum())
    if n:
        logger.info("holt_forecasts: %d forecast value(s) clipped to %s", n, bounds)
    return forecasts, p
