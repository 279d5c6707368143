"""Monte Carlo uncertainty of the headline scenario numbers (docs/methods.md B5).

Two sources are propagated: the burial rates (normal with the cited mean and
standard error, negative draws set to 0) and the BAU development-capacity forecasts
(normal with the standard deviation implied by the Holt prediction interval,
sd = (upper - lower) / (2 z_{1 - alpha/2}), clipped to [0, 100]). Each draw
recomputes the scenario with the same library functions as the point
estimate; the rate-model coefficients and the lifts are held fixed.

Draw k is :class:`HeadlineModel` evaluated at the uniforms of (seed, k) and runs
on the Monte Carlo engine of :mod:`carbonshare.uncertainty.run` (this process,
local processes or a Dask cluster; the same numbers on each).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from carbonshare.bluecarbon.cooperation import BlueCarbonScenario
from carbonshare.bluecarbon.sharing import SHARING_RULES, sequestration_game
from carbonshare.bluecarbon.valuation import value_gains
from carbonshare.errors import ConfigError
from carbonshare.uncertainty.run import run_samples

__all__ = ["HeadlineModel", "headline_numbers", "monte_carlo", "summarise_draws"]

logger = logging.getLogger(__name__)


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


@dataclass
class HeadlineModel:
    """One Monte Carlo draw of :func:`headline_numbers` from uniforms u (a ``SampleModel``).

    u layout: ``[one per ecosystem (burial rate)][one per country (BAU DC)]``; a uniform
    becomes a standard normal z by the inverse normal CDF, then rate = max(mean + se z, 0)
    (g C m-2 yr-1) and DC = clip(mean + sd z, 0, 100) (score points).

    Attributes
    ----------
    rate_se : ecosystem -> standard error of the burial rate (missing: 0).
    dc_sd : iso3 -> standard deviation of the BAU DC forecast (missing: 0).
    """

    scenario: BlueCarbonScenario
    q: dict[str, float]
    cscc: pd.Series
    rate_se: pd.Series
    dc_sd: pd.Series
    rule: str = "scrb"

    @property
    def n_uniforms(self) -> int:
        return self.scenario.areas.shape[1] + len(self.scenario.countries)

    def evaluate(self, u: np.ndarray) -> dict[str, float]:
        from scipy.special import ndtri  # scipy is heavy: import it only when drawing

        sc = self.scenario
        eco = list(sc.areas.columns)
        # u = 0 has probability 2^-53; keep z finite so that se = 0 gives the mean exactly
        z = ndtri(np.clip(u, np.finfo(float).tiny, None))
        se_r = self.rate_se.reindex(eco).fillna(0.0).to_numpy(dtype=float)
        sd_dc = self.dc_sd.reindex(sc.countries).fillna(0.0).to_numpy(dtype=float)
        mean_r = sc.burial_rates.reindex(eco).to_numpy(dtype=float)
        r = np.maximum(mean_r + se_r * z[: len(eco)], 0.0)
        dc = np.clip(sc.dc_bau.to_numpy(dtype=float) + sd_dc * z[len(eco) :], 0.0, 100.0)
        drawn = replace(
            sc,
            burial_rates=pd.Series(r, index=eco),
            dc_bau=pd.Series(dc, index=sc.countries),
        )
        return headline_numbers(drawn, self.q, self.cscc, self.rule)


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
    chunk_size: int = 25,
    workers: int | None = 1,
    client=None,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Draws of :func:`headline_numbers` under the two uncertainty sources.

    Parameters
    ----------
    rate_se : ecosystem -> standard error of the burial rate (g C m-2 yr-1).
    dc_sd : iso3 -> standard deviation of the BAU development-capacity forecast.
    draws : number of draws (>= 2).
    seed : random seed; draw k depends on (seed, k) only.
    chunk_size, workers, client, scheduler : how the draws run
        (:func:`carbonshare.uncertainty.run.run_samples`; default: this process).

    Returns
    -------
    DataFrame, one row per draw, one column per headline number. A draw that fails twice is a
    row of NaN (logged with its error); ``attrs["failed"]`` counts them.
    """
    if draws < 2:
        raise ConfigError(f"draws={draws}; the Monte Carlo needs at least 2 draws")
    model = HeadlineModel(scenario, dict(q), cscc, rate_se, dc_sd, rule)
    frames = run_samples(model, int(draws), seed, chunk_size=chunk_size, workers=workers,
                         client=client, scheduler=scheduler)  # fmt: skip
    got = pd.concat(frames, ignore_index=True).set_index("sample").rename_axis("draw")
    failed = got["error"] != ""
    if failed.any():
        logger.warning("%d of %d Monte Carlo draws failed (NaN rows), e.g. draw %d: %s",
                       failed.sum(), len(got), got.index[failed][0], got["error"][failed].iloc[0])  # fmt: skip
    out = got.drop(columns="error").astype(float)
    out.attrs["failed"] = int(failed.sum())
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
