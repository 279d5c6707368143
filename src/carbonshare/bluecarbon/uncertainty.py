"""Monte Carlo uncertainty of the headline scenario numbers (METHODS B5).

Two sources are propagated: the burial rates (normal with the cited mean and
standard error, truncated at 0) and the BAU development-capacity forecasts
(normal with the standard deviation implied by the Holt prediction interval,
sd = (upper - lower) / (2 z_{1 - alpha/2}), clipped to [0, 100]). Each draw
recomputes the scenario with the same library functions as the point
estimate; the rate-model coefficients and the lifts are held fixed.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from carbonshare.bluecarbon.cooperation import BlueCarbonScenario
from carbonshare.bluecarbon.sharing import SHARING_RULES, sequestration_game
from carbonshare.bluecarbon.valuation import value_gains
from carbonshare.errors import ConfigError

__all__ = ["headline_numbers", "monte_carlo", "summarise_draws"]


def headline_numbers(
    scenario: BlueCarbonScenario, q: dict[str, float], cscc: pd.Series, rule: str = "scrb"
) -> dict[str, float]:
    """Added sequestration vs the base year per scenario (t CO2/yr) and the value of the last one.

    Parameters
    ----------
    q : scenario name -> intensity, e.g. {"GC": 0.5, "GDC": 0.9}; the benefit
        and cost (US$/yr, B7) are those of the last scenario.

    Returns
    -------
    dict: added_BAU_tco2, added_<name>_tco2 per scenario, benefit_usd, cost_usd.
    """
    bau = scenario.bau()
    base = scenario.base_sequestration().sum()
    out = {"added_BAU_tco2": float(bau.sum() - base)}
    coop = None
    for name, qv in q.items():
        coop = scenario.cooperation(qv)["carbon_coop"]
        out[f"added_{name}_tco2"] = float(coop.sum() - base)
    if coop is not None:
        last_q = list(q.values())[-1]
        b = SHARING_RULES[rule](sequestration_game(scenario, last_q))
        v = value_gains(b, bau, coop, cscc).sum()
        out["benefit_usd"] = float(v["benefit_usd"])
        out["cost_usd"] = float(v["cost_usd"])
    return out


def monte_carlo(
    scenario: BlueCarbonScenario,
    q: dict[str, float],
    cscc: pd.Series,
    *,
    rate_se: pd.Series,
    dc_sd: pd.Series,
    draws: int = 500,
    seed: int = 0,
    rule: str = "scrb",
) -> pd.DataFrame:
    """Draws of :func:`headline_numbers` under the two uncertainty sources.

    Parameters
    ----------
    rate_se : ecosystem -> standard error of the burial rate (g C m-2 yr-1).
    dc_sd : iso3 -> standard deviation of the BAU development-capacity forecast.
    draws : number of draws (>= 2).
    seed : random seed.

    Returns
    -------
    DataFrame, one row per draw, one column per headline number.
    """
    if draws < 2:
        raise ConfigError(f"draws={draws}; the Monte Carlo needs at least 2 draws")
    rng = np.random.default_rng(seed)
    eco = list(scenario.areas.columns)
    mean_r = scenario.burial_rates.reindex(eco).to_numpy(dtype=float)
    se_r = rate_se.reindex(eco).fillna(0.0).to_numpy(dtype=float)
    mean_dc = scenario.dc_bau.to_numpy(dtype=float)
    sd_dc = dc_sd.reindex(scenario.countries).fillna(0.0).to_numpy(dtype=float)
    rows = []
    for _ in range(int(draws)):
        r = np.maximum(rng.normal(mean_r, se_r), 0.0)
        dc = np.clip(rng.normal(mean_dc, sd_dc), 0.0, 100.0)
        drawn = replace(
            scenario,
            burial_rates=pd.Series(r, index=eco),
            dc_bau=pd.Series(dc, index=scenario.countries),
        )
        rows.append(headline_numbers(drawn, q, cscc, rule))
    out = pd.DataFrame(rows)
    out.index.name = "draw"
    return out


def summarise_draws(draws: pd.DataFrame, point: dict[str, float]) -> pd.DataFrame:
    """Point estimate, mean, sd and the 2.5 / 50 / 97.5 % quantiles of each headline number.

    Examples
    --------
    >>> d = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    >>> summarise_draws(d, {"x": 2.0}).loc["x", ["point", "mean", "q50"]].tolist()
    [2.0, 2.0, 2.0]
    """
    q = draws.quantile([0.025, 0.5, 0.975]).T
    q.columns = ["q2.5", "q50", "q97.5"]
    out = pd.DataFrame({"point": pd.Series(point), "mean": draws.mean(), "sd": draws.std()})
    out = out.join(q)
    out.index.name = "quantity"
    return out
