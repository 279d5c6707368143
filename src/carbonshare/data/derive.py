"""Indicators derived from bundled columns (no extra data)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def carbon_productivity(panel: pd.DataFrame) -> pd.Series:
    """Carbon productivity COP = GDP / CO2, in US$ per tonne CO2.

    COP_it = gdp_usd_it / co2_t_it (Zhou et al. 2024, indicator x5). NaN
    where either input is missing or CO2 is 0.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("A", 2020), ("B", 2020)], names=["iso3", "year"])
    >>> p = pd.DataFrame({"gdp_usd": [2e9, 1e9], "co2_t": [1e6, 0.0]}, index=idx)
    >>> carbon_productivity(p).tolist()
    [2000.0, nan]
    """
    co2 = panel["co2_t"].replace(0.0, np.nan)
    return (panel["gdp_usd"] / co2).rename("carbon_productivity")


def co2_per_gdp(panel: pd.DataFrame) -> pd.Series:
    """CO2 intensity of GDP, kg CO2 per current US$: 1000 * co2_t / gdp_usd.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("A", 2020)], names=["iso3", "year"])
    >>> co2_per_gdp(pd.DataFrame({"gdp_usd": [2e9], "co2_t": [1e6]}, index=idx)).tolist()
    [0.5]
    """
    gdp = panel["gdp_usd"].replace(0.0, np.nan)
    return (1000.0 * panel["co2_t"] / gdp).rename("co2_kg_per_usd")


def co2_per_gni_ppp(panel: pd.DataFrame) -> pd.Series:
    """CO2 intensity of GNI PPP, kg CO2 per current international $:
    1000 * co2_t / gni_ppp (a PPP-based alternative to ``co2_per_ppp_gdp``;
    WB GDP PPP is not among the raw files).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("A", 2020)], names=["iso3", "year"])
    >>> co2_per_gni_ppp(pd.DataFrame({"gni_ppp": [4e9], "co2_t": [1e6]}, index=idx)).tolist()
    [0.25]
    """
    gni = panel["gni_ppp"].replace(0.0, np.nan)
    return (1000.0 * panel["co2_t"] / gni).rename("co2_kg_per_gni_ppp")


def window_mean(
    panel: pd.DataFrame,
    window: tuple[int, int],
    indicators: list[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean of each indicator over the available years of a window.

    x_i = mean of x_it over the years t in [first, last] where x_it is
    present. Where fewer years than the window are available (e.g. forest
    rents, which end in 2017, over 2016-2020), the mean of the available
    years is used and the case is returned as a repair so a study can record
    it; where no year is available the value is NaN (nothing is filled).

    Parameters
    ----------
    panel : wide panel indexed by (iso3, year).
    window : inclusive first and last year.
    indicators : columns (default: all).

    Returns
    -------
    (means indexed by iso3, repairs with columns iso3, indicator,
    years_used, years_in_window, action).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A"], [2016, 2017, 2018]], names=["iso3", "year"])
    >>> p = pd.DataFrame({"x": [1.0, 3.0, None]}, index=idx)
    >>> means, repairs = window_mean(p, (2016, 2018))
    >>> float(means.loc["A", "x"]), repairs["years_used"].tolist()
    (2.0, ['2016,2017'])
    """
    cols = list(indicators) if indicators is not None else list(panel.columns)
    lo, hi = window
    years = panel.index.get_level_values("year")
    sub = panel.loc[(years >= lo) & (years <= hi), cols]
    means = sub.groupby(level="iso3").mean()
    n_window = hi - lo + 1
    rows = []
    present = sub.notna()
    for col in cols:
        counts = present[col].groupby(level="iso3").sum()
        for iso3 in counts.index[(counts > 0) & (counts < n_window)]:
            used = present[col].loc[iso3]
            yrs = ",".join(str(y) for y in used.index[used.to_numpy()])
            rows.append(
                {
                    "iso3": iso3,
                    "indicator": col,
                    "years_used": yrs,
                    "years_in_window": n_window,
                    "action": f"mean of available years {yrs} instead of {lo}-{hi}",
                }
            )
    repairs = pd.DataFrame(
        rows, columns=["iso3", "indicator", "years_used", "years_in_window", "action"]
    )
    return means, repairs
