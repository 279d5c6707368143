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


def impute_ppp_gdp(
    panel: pd.DataFrame,
    groups: pd.Series,
    year: int,
    *,
    gdp: str = "gdp_usd",
    gdp_ppp: str = "gdp_ppp_usd",
    min_group: int = 5,
) -> tuple[pd.Series, pd.DataFrame]:
    """GDP at PPP for the countries that have GDP at market rates but no PPP value in ``year``.

    GDP_PPP_i = GDP_i * r_g, with r_g the median ratio GDP_PPP / GDP in ``year`` over the
    countries of i's group g that have both (e.g. its World Bank income group: the price
    level of an economy follows its income, the Balassa-Samuelson effect). A group with fewer
    than ``min_group`` such countries, or an entity without a group, takes the median over
    all countries. Nothing is overwritten: only missing PPP values are imputed.

    Parameters
    ----------
    panel : wide panel indexed by (iso3, year) with columns ``gdp`` (current US$) and
        ``gdp_ppp`` (current international $).
    groups : iso3 -> group label (e.g. ``load_countries()["income_group"]``).
    year : the year to impute.

    Returns
    -------
    (imputed GDP PPP indexed by iso3 in current international $, records with columns
    ``iso3, group, ratio, n_group, detail``: one row per imputed value).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([list("ABCDEF"), [2019]], names=["iso3", "year"])
    >>> p = pd.DataFrame({"gdp_usd": [1.0, 2, 3, 4, 5, 10],
    ...                   "gdp_ppp_usd": [2.0, 4, 6, 8, 12, None]}, index=idx)
    >>> g = pd.Series({c: "low" for c in "ABCDEF"})
    >>> values, records = impute_ppp_gdp(p, g, 2019)
    >>> values.to_dict(), records["ratio"].tolist()
    ({'F': 20.0}, [2.0])
    """
    cross = panel.xs(year, level="year")[[gdp, gdp_ppp]]
    both = cross.dropna()
    both = both[(both[gdp] > 0) & (both[gdp_ppp] > 0)]
    ratio = both[gdp_ppp] / both[gdp]
    group_of = groups.reindex(cross.index)
    overall = float(ratio.median())
    todo = cross.index[cross[gdp_ppp].isna() & (cross[gdp] > 0)]
    values, rows = {}, []
    for iso3 in todo:
        g = group_of.get(iso3)
        peers = ratio[group_of.reindex(ratio.index) == g] if pd.notna(g) else ratio.iloc[:0]
        if len(peers) >= min_group:
            r, n, basis = float(peers.median()), len(peers), f"group {g!r}"
        else:
            r, n, basis = overall, len(ratio), "all countries"
        values[iso3] = float(cross.loc[iso3, gdp]) * r
        rows.append(
            {
                "iso3": iso3,
                "group": g,
                "ratio": r,
                "n_group": n,
                "detail": f"{gdp_ppp} {year} = {gdp} x {r:.3f}, the median PPP / market-rate "
                f"ratio of {n} countries ({basis}); no PPP value is published",
            }
        )
    records = pd.DataFrame(rows, columns=["iso3", "group", "ratio", "n_group", "detail"])
    return pd.Series(values, dtype=float, name=gdp_ppp).rename_axis("iso3"), records
