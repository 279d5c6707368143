"""How many countries have data: per indicator and year, and for the
indicator set of Zhou et al. (2024) over a window of years."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from carbonshare.data.catalog import ZHOU_INDICATORS
from carbonshare.errors import DataError

#: Zhou et al. (2024) indicators counted by ``carbonshare data info``:
#: all of them since forest rents run to 2021 (WDI DDF series).
ZHOU_CORE: tuple[str, ...] = ZHOU_INDICATORS


#: Why a country of the table lacks whole groups of series (shown by ``carbonshare data
#: show`` and added to the studies' exclusion reasons).
COUNTRY_NOTES: dict[str, str] = {
    "TWN": "Taiwan is not a World Bank economy: the WDI publishes no series for it, so the "
    "panel has no population, GDP, GDP PPP, urban share, clean cooking, forest or "
    "renewables data for Taiwan, only its CO2 (GCP co2_t, consumption CO2) and the ILO "
    "series (services employment, GDP per employed)",
}


def country_note(iso3: str) -> str | None:
    """The data note of a country (:data:`COUNTRY_NOTES`), or None.

    Examples
    --------
    >>> country_note("TWN").startswith("Taiwan is not a World Bank economy")
    True
    >>> country_note("FRA") is None
    True
    """
    return COUNTRY_NOTES.get(iso3)


def coverage_table(panel: pd.DataFrame, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Countries with a value, per indicator (rows) and year (columns).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2019, 2020]], names=["iso3", "year"])
    >>> p = pd.DataFrame({"x": [1.0, None, 2.0, 3.0]}, index=idx)
    >>> coverage_table(p).loc["x"].tolist()
    [2, 1]
    """
    counts = panel.notna().groupby(level="year").sum().T
    if years is not None:
        counts = counts.reindex(columns=list(years), fill_value=0)
    counts.columns.name = "year"
    return counts.astype(int)


def zhou_complete(
    panel: pd.DataFrame,
    *,
    window: tuple[int, int] = (2016, 2020),
    indicators: Sequence[str] = ZHOU_CORE,
    rule: str = "all_years",
) -> pd.Series:
    """Which countries have the indicators over ``window`` (bool per ISO3).

    Parameters
    ----------
    panel : wide panel indexed by (iso3, year).
    window : inclusive first and last year.
    indicators : columns that must have data (default: the Zhou et al. set;
        carbon productivity is GDP / CO2, so it needs ``gdp_usd`` and ``co2_t``).
    rule : ``"all_years"`` (a value in every year of the window) or
        ``"any_year"`` (at least one value, enough for a window mean).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2019, 2020]], names=["iso3", "year"])
    >>> p = pd.DataFrame({"x": [1.0, None, 2.0, 3.0]}, index=idx)
    >>> zhou_complete(p, window=(2019, 2020), indicators=["x"]).to_dict()
    {'A': False, 'B': True}
    >>> zhou_complete(p, window=(2019, 2020), indicators=["x"], rule="any_year").to_dict()
    {'A': True, 'B': True}
    """
    if rule not in ("all_years", "any_year"):
        raise DataError(f"rule must be 'all_years' or 'any_year', not {rule!r}")
    missing = [c for c in indicators if c not in panel.columns]
    if missing:
        raise DataError(f"panel lacks indicator(s) {missing} needed for the coverage count")
    lo, hi = window
    years = panel.index.get_level_values("year")
    sub = panel.loc[(years >= lo) & (years <= hi), list(indicators)].notna()
    n_years = hi - lo + 1
    per_country = sub.groupby(level="iso3")
    if rule == "all_years":
        ok = (per_country.sum() == n_years).all(axis=1)
    else:
        ok = per_country.any().all(axis=1)
    all_iso = pd.Index(pd.unique(panel.index.get_level_values("iso3")), name="iso3")
    return ok.reindex(all_iso, fill_value=False).astype(bool)
