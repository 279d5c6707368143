"""The linear mixed model of blue-carbon area growth on development capacity (docs/methods.md B4, B5).

Rate_it = b0 + b1 f(DC_it) + u_i (+ v_i f(DC_it)) + e_it, with Rate_it the growth of
the blue-carbon area of country i from year t to t + h (h = 4), DC_it the
development-capacity score (0-100) and f = ln (the paper's model) or the
identity; u_i (and v_i) random effects by nation. Fitted by maximum
likelihood with :class:`statsmodels.regression.mixed_linear_model.MixedLM` so
that the candidates' AIC are comparable.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carbonshare.errors import ConfigError, DataError

__all__ = [
    "RATE_MODELS",
    "RateModelFit",
    "area_growth",
    "fit_rate_models",
    "rate_coefficients",
    "rate_fitted",
    "rate_frame",
]

logger = logging.getLogger(__name__)

RATE_MODELS: dict[str, tuple[str, str, str]] = {
    "log": ("rate ~ log_dc", "1", "Rate = b0 + b1 ln(DC) + (1 | nation)  [the paper's]"),
    "linear": ("rate ~ dc", "1", "Rate = b0 + b1 DC + (1 | nation)"),
    "log_slope": ("rate ~ log_dc", "log_dc", "Rate = b0 + b1 ln(DC) + (1 + ln(DC) | nation)"),
    "intercept": ("rate ~ 1", "1", "Rate = b0 + (1 | nation)"),
}
"""Candidate models: name -> (fixed-effects formula, random-effects variable
besides the intercept or "1", description)."""


def area_growth(area: pd.Series, horizon: int = 4) -> pd.Series:
    """Rate_it = A_i,t+h / A_it - 1: growth of an area over the next ``horizon`` years.

    Parameters
    ----------
    area : Series indexed by (iso3, year), km2 (annual, no gaps).
    horizon : h in years.

    Returns
    -------
    Series indexed by (iso3, year) for the years t with t + h in the panel;
    NaN where A_it = 0 (growth undefined).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A"], [2000, 2001, 2002]], names=["iso3", "year"])
    >>> area_growth(pd.Series([100.0, 110.0, 121.0], index=idx), horizon=1).round(6).tolist()
    [0.1, 0.1]
    """
    if horizon < 1:
        raise ConfigError(f"horizon={horizon}; the growth horizon must be >= 1 year")
    wide = area.unstack("year")
    years = wide.columns.to_numpy()
    start = [y for y in years if y + horizon in set(years)]
    a0 = wide[start]
    a1 = wide[[y + horizon for y in start]].set_axis(start, axis=1)
    rate = a1 / a0.where(a0 > 0) - 1.0
    rate.columns.name = "year"
    return rate.stack(future_stack=True).rename("rate")


def rate_frame(
    rate: pd.Series, dc: pd.Series, *, dc_floor: float = 1.0, drop_static: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The estimation frame of the rate model: iso3, year, rate, dc, log_dc.

    DC below ``dc_floor`` (points, > 0) is raised to it before the logarithm
    (ln 0 is undefined); each raised value is returned in the second frame.
    Country-years without a rate (zero area, last years) are left out. With
    ``drop_static``, countries whose rate is 0 in every year (an area that
    does not change in the data, e.g. static habitat maps only) are left out
    of the estimation and listed third: they carry no information on growth.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2000, 2001]], names=["iso3", "year"])
    >>> f, floored, static = rate_frame(pd.Series([0.1, 0.2, 0.0, 0.0], idx),
    ...                                 pd.Series([0.0, 50.0, 20.0, 30.0], idx))
    >>> f["dc"].tolist(), len(floored), static
    ([1.0, 50.0], 1, ['B'])
    """
    if not dc_floor > 0:
        raise ConfigError(f"dc_floor={dc_floor}; it must be > 0 (ln DC)")
    frame = pd.concat({"rate": rate, "dc": dc}, axis=1, join="inner").dropna()
    static: list[str] = []
    if drop_static:
        moving = frame["rate"].ne(0).groupby(level="iso3").any()
        static = moving.index[~moving].tolist()
        frame = frame[~frame.index.get_level_values("iso3").isin(static)]
    low = frame["dc"] < dc_floor
    floored = frame.loc[low, ["dc"]].reset_index()
    frame.loc[low, "dc"] = dc_floor
    frame["log_dc"] = np.log(frame["dc"])
    return frame.reset_index(), floored, static


@dataclass
class RateModelFit:
    """Fitted candidates of the rate model and the one chosen.

    Attributes
    ----------
    table : one row per candidate: description, aic, bic, llf, n_obs,
        n_groups, b0, b1, b1_pvalue, re_variance, converged, chosen.
    results : candidate -> statsmodels ``MixedLMResults``.
    chosen : name of the model used downstream.
    transform : "log" or "identity" (how DC enters the chosen model).
    """

    table: pd.DataFrame
    results: dict
    chosen: str
    transform: str


def _fit_one(frame: pd.DataFrame, name: str):
    import statsmodels.formula.api as smf

    formula, re_var, _ = RATE_MODELS[name]
    re_formula = "1" if re_var == "1" else f"1 + {re_var}"
    model = smf.mixedlm(formula, frame, groups=frame["iso3"], re_formula=re_formula)
    from threadpoolctl import threadpool_limits

    with warnings.catch_warnings(record=True) as caught, threadpool_limits(1):
        warnings.simplefilter("always")
        res = model.fit(reml=False)
    for w in caught:
        logger.info("rate model %s: %s", name, w.message)
    if not np.isfinite(res.llf):
        raise DataError(
            f"rate model {name!r}: the likelihood fit diverged (log-likelihood {res.llf}); "
            "drop this candidate from rate_model.candidates"
        )
    return res


def fit_rate_models(
    frame: pd.DataFrame, candidates: list[str] | tuple[str, ...] = ("log",), select: str = "first"
) -> RateModelFit:
    """Fit the candidate rate models by maximum likelihood and choose one (docs/methods.md B4).

    Parameters
    ----------
    frame : output of :func:`rate_frame` (iso3, year, rate, dc, log_dc).
    candidates : names of :data:`RATE_MODELS`; the first is the default choice.
    select : ``"first"`` (the first candidate, the paper's model by default) or
        ``"aic"`` (the smallest AIC).

    Returns
    -------
    RateModelFit

    Raises
    ------
    ConfigError  for an unknown candidate or selection; DataError if the frame
        has fewer than 3 countries or the rate does not vary.
    """
    unknown = [c for c in candidates if c not in RATE_MODELS]
    if unknown or not candidates:
        raise ConfigError(
            f"rate model candidates {unknown or '[]'} are unknown; use {', '.join(RATE_MODELS)}"
        )
    if select not in ("first", "aic"):
        raise ConfigError(f"select={select!r}; use 'first' or 'aic'")
    if frame["iso3"].nunique() < 3:
        raise DataError(
            f"the rate model needs at least 3 countries with area data, got "
            f"{frame['iso3'].nunique()}"
        )
    if not frame["rate"].std() > 0:
        raise DataError("the area growth rate is constant over every country-year; no model fits")
    results, rows = {}, {}
    for name in candidates:
        res = _fit_one(frame, name)
        results[name] = res
        fe = res.fe_params
        slope = next((k for k in ("log_dc", "dc") if k in fe.index), None)
        rows[name] = {
            "description": RATE_MODELS[name][2],
            "aic": float(res.aic),
            "bic": float(res.bic),
            "llf": float(res.llf),
            "n_obs": int(res.nobs),
            "n_groups": int(frame["iso3"].nunique()),
            "b0": float(fe["Intercept"]),
            "b1": float(fe[slope]) if slope else np.nan,
            "b1_pvalue": float(res.pvalues[slope]) if slope else np.nan,
            "re_variance": float(res.cov_re.iloc[0, 0]),
            "converged": bool(res.converged),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "model"
    chosen = candidates[0] if select == "first" else str(table["aic"].astype(float).idxmin())
    table["chosen"] = table.index == chosen
    transform = "identity" if "dc" in results[chosen].fe_params.index else "log"
    return RateModelFit(table, results, chosen, transform)


def rate_coefficients(
    fit: RateModelFit, countries: pd.Index, *, random_effects: bool = True
) -> pd.DataFrame:
    """Per-country intercept and slope of the chosen model: Rate_i = a_i + c_i f(DC_i).

    a_i = b0 + u_i and c_i = b1 + v_i with the predicted random effects (BLUP)
    of the nation (0 for a country not in the estimation frame, or with
    ``random_effects=False``); the intercept-only model has slope 0.

    Returns
    -------
    DataFrame indexed by iso3: intercept, slope.
    """
    res = fit.results[fit.chosen]
    fe = res.fe_params
    slope_name = next((k for k in ("log_dc", "dc") if k in fe.index), None)
    b1 = float(fe[slope_name]) if slope_name else 0.0
    out = pd.DataFrame({"intercept": float(fe["Intercept"]), "slope": b1}, index=countries)
    out.index.name = "iso3"
    if random_effects:
        try:
            effects = res.random_effects
        except ValueError:  # singular random-effects covariance: every prediction is 0
            logger.info("rate model %s: singular random-effects covariance, no BLUPs", fit.chosen)
            effects = {}
        for iso3, re in effects.items():
            if iso3 in out.index:
                out.at[iso3, "intercept"] += float(re.iloc[0])
                if len(re) > 1:
                    out.at[iso3, "slope"] += float(re.iloc[1])
    return out


def rate_fitted(fit: RateModelFit, frame: pd.DataFrame, *, random_effects: bool = True):
    """Fitted rates a_i + c_i f(DC_it) of the chosen model on an estimation frame.

    Equal to statsmodels' ``fittedvalues`` when the random-effects covariance is
    regular; with a singular one (variance estimated at 0) the predicted random
    effects are 0 instead of an error.

    Returns
    -------
    Series aligned with ``frame`` (named ``fitted``).
    """
    coef = rate_coefficients(fit, pd.Index(frame["iso3"].unique()), random_effects=random_effects)
    a = coef["intercept"].reindex(frame["iso3"]).to_numpy()
    c = coef["slope"].reindex(frame["iso3"]).to_numpy()
    x = frame["log_dc"] if fit.transform == "log" else frame["dc"]
    return pd.Series(a + c * x.to_numpy(), index=frame.index, name="fitted")
