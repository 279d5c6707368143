"""Labour-cost proxy L_i for the carbon-reduction gravity model (docs/methods.md A4).

Zhou et al. (2024) divide the linkage by "World Bank labour costs" without
naming a series. The World Bank has no cross-country labour-cost series, so
carbonshare uses a documented proxy, selectable by name:

========================  ==================================================  ==============
proxy                     definition (panel columns)                          unit
========================  ==================================================  ==============
``gdp_per_employed``      GDP per person employed (ILOSTAT, SL.GDP.PCAP.EM)   constant PPP $
(default)                 - output per worker, which tracks wages per worker
``gni_per_capita_usd``    GNI per capita, Atlas method (NY.GNP.PCAP.CD)       current US$
``gdp_per_capita_usd``    gdp_usd / population                                current US$
``gni_ppp_per_capita``    gni_ppp / population                                current intl $
========================  ==================================================  ==============

The value for a country is the mean of the proxy over the years of the
window that have data (2016-2020 by default, the paper's window for
non-cumulative indicators).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from carbonshare.errors import ConfigError, DataError

__all__ = ["DEFAULT_LABOUR_PROXY", "LABOUR_PROXIES", "labour_cost"]

log = logging.getLogger(__name__)

DEFAULT_LABOUR_PROXY = "gdp_per_employed"

LABOUR_PROXIES: dict[str, tuple[tuple[str, ...], str]] = {
    "gdp_per_employed": (("gdp_per_employed",), "GDP per person employed, constant PPP $"),
    "gni_per_capita_usd": (("gni_per_capita_usd",), "GNI per capita, Atlas method, current US$"),
    "gdp_per_capita_usd": (("gdp_usd", "population"), "GDP per capita, current US$"),
    "gni_ppp_per_capita": (("gni_ppp", "population"), "GNI per capita, PPP, current intl $"),
}
"""Proxy name -> (panel columns used, description with unit)."""


def _first(labels, k: int = 5) -> str:
    labels = list(labels)
    shown = ", ".join(str(x) for x in labels[:k])
    return shown + (f" and {len(labels) - k} more" if len(labels) > k else "")


def labour_cost(
    panel: pd.DataFrame,
    proxy: str = DEFAULT_LABOUR_PROXY,
    years: tuple[int, int] = (2016, 2020),
    countries=None,
    *,
    missing: str = "raise",
) -> pd.Series:
    """Labour-cost proxy L_i per country: mean of the proxy over a year window.

    L_i = (1 / |Y_i|) sum_{t in Y_i} z_it, where Y_i are the years in
    ``years`` (inclusive) with data for country i and z_it is the proxy
    (a panel column, or a ratio of two columns, see :data:`LABOUR_PROXIES`).

    Parameters
    ----------
    panel : DataFrame
        Wide panel indexed by (iso3, year), as from ``carbonshare.data.load_panel()``.
    proxy : str, default "gdp_per_employed"
        A key of :data:`LABOUR_PROXIES`.
    years : (int, int)
        First and last year of the window, inclusive.
    countries : iterable of str, optional
        ISO3 codes to return (in that order); default every country in the panel.
    missing : {"raise", "keep"}
        Countries without any value in the window: raise (default), or keep
        them as NaN (logged) for a later fill or exclusion step.

    Returns
    -------
    Series
        Index iso3, name ``"labour_cost"``, unit of the proxy; every value > 0
        (or NaN with ``missing="keep"``). ``attrs["proxy"]``, ``attrs["years"]``
        and ``attrs["n_years"]`` (years with data per country) record the choice.

    Raises
    ------
    ConfigError
        On an unknown proxy, a bad window or ``missing`` value.
    DataError
        If the panel lacks the columns or countries, a value is <= 0, or a
        country has no data in the window (``missing="raise"``).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["AAA", "BBB"], [2016, 2017]], names=["iso3", "year"])
    >>> panel = pd.DataFrame({"gdp_per_employed": [10.0, 12.0, 30.0, np.nan]}, index=idx)
    >>> labour_cost(panel, years=(2016, 2017)).tolist()
    [11.0, 30.0]
    """
    if proxy not in LABOUR_PROXIES:
        raise ConfigError(
            f"labour-cost proxy {proxy!r} is unknown; use one of {', '.join(LABOUR_PROXIES)}"
        )
    if missing not in ("raise", "keep"):
        raise ConfigError(f"missing={missing!r} is unknown; use 'raise' or 'keep'")
    first, last = years
    if first > last:
        raise ConfigError(f"labour-cost years {years} are reversed; give (first, last)")
    if not isinstance(panel.index, pd.MultiIndex) or panel.index.nlevels != 2:
        raise DataError("panel must be indexed by (iso3, year); use carbonshare.data.load_panel()")
    cols, _ = LABOUR_PROXIES[proxy]
    absent = [c for c in cols if c not in panel.columns]
    if absent:
        raise DataError(
            f"panel lacks column(s) {', '.join(absent)} needed for labour-cost proxy {proxy!r}; "
            f"load them with load_panel() or choose another proxy"
        )
    year = panel.index.get_level_values(1)
    window = panel.loc[(year >= first) & (year <= last), list(cols)].astype("float64")
    z = window[cols[0]] if len(cols) == 1 else window[cols[0]] / window[cols[1]]
    z = z.replace([np.inf, -np.inf], np.nan)
    nonpos = z[z <= 0]
    if len(nonpos):
        where = [f"{i} {t} ({v:.3g})" for (i, t), v in nonpos.items()]
        raise DataError(
            f"labour-cost proxy {proxy!r} is <= 0 for {_first(where)}; "
            f"values must be positive (check the source data)"
        )
    by_country = z.groupby(level=0, sort=False)
    L = by_country.mean()
    n_years = by_country.count()
    if countries is not None:
        countries = list(countries)
        known = set(panel.index.get_level_values(0))
        unknown = [c for c in countries if c not in known]
        if unknown:
            raise DataError(
                f"countries {_first(unknown)} are not in the panel; check the ISO3 codes"
            )
        L = L.reindex(countries)
        n_years = n_years.reindex(countries).fillna(0).astype("int64")
    empty = L.index[L.isna()]
    if len(empty):
        msg = (
            f"no {proxy!r} value in {first}-{last} for {_first(empty)}; choose another proxy, "
            f"widen the years, or exclude these countries"
        )
        if missing == "raise":
            raise DataError(msg + " (or pass missing='keep' to fill them later)")
        # missing="keep" is the caller's explicit choice; the caller reports what it does next.
        log.info("labour_cost: %s; kept as NaN", msg)
    L = L.rename("labour_cost")
    L.index.name = "iso3"
    L.attrs.update(proxy=proxy, years=(first, last), n_years=n_years.to_dict())
    return L
