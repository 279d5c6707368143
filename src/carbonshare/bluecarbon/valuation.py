"""Economic value of the gains of cooperation with the country-level social cost of carbon (B7).

benefit_i = CSCC_i (b_i - Carbon_BAU,i)        (allocated minus BAU)
cost_i    = CSCC_i (Carbon_coop,i - Carbon_BAU,i) (sequestered on i's territory minus BAU)

CSCC in US$ per t CO2 (Ricke et al. 2018), carbon in t CO2 per year, so
values are US$ per year. A country without a CSCC takes the world value and
is flagged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonshare.bluecarbon.cooperation import BlueCarbonScenario, local_optima
from carbonshare.bluecarbon.sharing import SHARING_RULES, sequestration_game
from carbonshare.errors import DataError

__all__ = ["country_cscc", "cooperation_curve", "value_gains"]


def country_cscc(cscc: pd.Series, countries: pd.Index, world: str = "WLD") -> pd.DataFrame:
    """CSCC per country; the world value (``world`` entry) for countries without one, flagged.

    Examples
    --------
    >>> c = country_cscc(pd.Series({"USA": 48.0, "WLD": 417.5}), pd.Index(["USA", "TUV"]))
    >>> c.values.tolist()
    [[48.0, ''], [417.5, 'world value']]
    """
    own = cscc.reindex(countries)
    flag = pd.Series(np.where(own.isna(), "world value", ""), index=countries)
    if own.isna().any():
        if world not in cscc.index or pd.isna(cscc[world]):
            raise DataError(
                f"countries {list(own.index[own.isna()][:10])} have no CSCC and the table has "
                f"no world value {world!r}; add it or exclude them"
            )
        own = own.fillna(float(cscc[world]))
    out = pd.DataFrame({"cscc_usd_per_tco2": own.astype(float), "cscc_flag": flag})
    out.index.name = "iso3"
    return out


def value_gains(
    allocation: pd.Series, bau: pd.Series, coop: pd.Series, cscc: pd.Series
) -> pd.DataFrame:
    """Benefit, cost and net value per country, US$ per year (B7).

    Parameters
    ----------
    allocation : iso3 -> b_i (t CO2 per year).
    bau, coop : iso3 -> Carbon_BAU,i and Carbon_coop,i (t CO2 per year).
    cscc : iso3 -> US$ per t CO2 (every country of ``allocation``).

    Returns
    -------
    DataFrame indexed by iso3: allocated_tco2, bau_tco2, coop_tco2,
    benefit_usd, cost_usd, net_usd (= benefit - cost).

    Examples
    --------
    >>> v = value_gains(pd.Series({"A": 12.0}), pd.Series({"A": 10.0}),
    ...                 pd.Series({"A": 11.0}), pd.Series({"A": 100.0}))
    >>> v[["benefit_usd", "cost_usd", "net_usd"]].values.tolist()
    [[200.0, 100.0, 100.0]]
    """
    idx = allocation.index
    c = cscc.reindex(idx)
    if c.isna().any():
        raise DataError(f"no CSCC for {list(idx[c.isna()][:10])}; use country_cscc first")
    out = pd.DataFrame(
        {"allocated_tco2": allocation, "bau_tco2": bau.reindex(idx), "coop_tco2": coop.reindex(idx)}
    )
    out["benefit_usd"] = c * (out["allocated_tco2"] - out["bau_tco2"])
    out["cost_usd"] = c * (out["coop_tco2"] - out["bau_tco2"])
    out["net_usd"] = out["benefit_usd"] - out["cost_usd"]
    out.index.name = "iso3"
    return out


def cooperation_curve(
    scenario: BlueCarbonScenario, q_grid: np.ndarray | list[float], cscc: pd.Series,
    rule: str = "scrb",
) -> pd.DataFrame:  # fmt: skip
    """Benefit, cost and net value of grand-coalition cooperation over a grid of intensities q.

    For each q: v(U) and the allocation by ``rule`` of the game at q, valued
    by :func:`value_gains` and summed over countries (US$ per year), plus the
    added sequestration vs BAU (t CO2 per year). ``local_optimum`` marks the
    local maxima of the net value (B5's cost-benefit choice).

    Returns
    -------
    DataFrame indexed by q: added_tco2, benefit_usd, cost_usd, net_usd, local_optimum.
    """
    rows = {}
    bau = scenario.bau()
    for q in q_grid:
        game = sequestration_game(scenario, float(q))
        b = SHARING_RULES[rule](game)
        coop = scenario.cooperation(float(q))["carbon_coop"]
        v = value_gains(b, bau, coop, cscc).sum()
        rows[float(q)] = {"added_tco2": float(coop.sum() - bau.sum()),
                          "benefit_usd": v["benefit_usd"], "cost_usd": v["cost_usd"],
                          "net_usd": v["net_usd"]}  # fmt: skip
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "q"
    out["local_optimum"] = local_optima(out["net_usd"])
    return out
