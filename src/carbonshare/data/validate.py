"""Validation of a country panel (bundled or user data).

:func:`validate_panel` checks a wide panel (index ``iso3, year``, one column
per indicator) and raises one :class:`~carbonshare.errors.DataError` that
lists every problem found; nothing is dropped, filled or clipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from carbonshare.data.catalog import INDICATORS
from carbonshare.errors import DataError

#: Columns that must be >= 0 (bundled count indicators, and user columns
#: whose name says population, GDP, GNI, area, emissions or km2).
_NONNEG = re.compile(r"(population|pop\b|gdp|gni|area|km2|co2|emission)", re.IGNORECASE)
_SIGNED = re.compile(r"(growth|change|delta|balance|diff|net|rate_of)", re.IGNORECASE)
_PERCENT = re.compile(r"(_pct\b|_pct_|percent|share_pct)", re.IGNORECASE)
_MAX_LISTED = 20

DEFAULT_YEARS = (1900, 2100)


def is_percent(column: str) -> bool:
    """Whether ``column`` holds a percentage (must lie in [0, 100]).

    Examples
    --------
    >>> is_percent("urban_pct"), is_percent("forest_rents_pct_gdp"), is_percent("gdp_usd")
    (True, True, False)
    """
    for ind in INDICATORS:
        if ind.name == column:
            return ind.kind == "percent"
    return bool(_PERCENT.search(column))


def is_nonnegative(column: str) -> bool:
    """Whether ``column`` must be >= 0 (counts, money, areas, emissions).

    Bundled indicators and user columns whose name says population, GDP,
    GNI, area, km2, CO2 or emission are, unless the name also says growth,
    change, delta, balance, diff or net (those may be negative).

    Examples
    --------
    >>> is_nonnegative("population"), is_nonnegative("land_area"), is_nonnegative("temp")
    (True, True, False)
    >>> is_nonnegative("gdp_growth"), is_nonnegative("net_co2_lulucf")
    (False, False)
    """
    for ind in INDICATORS:
        if ind.name == column:
            return True
    if _SIGNED.search(column):
        return False
    return bool(_NONNEG.search(column)) or is_percent(column)


def _as_indexed(df: pd.DataFrame, entities: str = "countries") -> pd.DataFrame:
    if list(df.index.names) == ["iso3", "year"]:
        return df
    if entities == "any" and df.index.nlevels == 2 and df.index.names[1] == "year":
        return df
    cols = {str(c).lower(): c for c in df.columns}
    if "iso3" in cols and "year" in cols:
        return df.set_index([cols["iso3"], cols["year"]]).rename_axis(["iso3", "year"])
    raise DataError(
        "a panel needs an (iso3, year) index or iso3 and year columns; got index "
        f"{list(df.index.names)} and columns {list(df.columns)[:10]}"
    )


def panel_problems(
    df: pd.DataFrame,
    required: Sequence[str] | None = None,
    *,
    years: tuple[int, int] = DEFAULT_YEARS,
    countries: pd.DataFrame | None = None,
    entities: str = "countries",
) -> list[str]:
    """Every problem of a wide panel, as readable messages (empty = valid).

    See :func:`validate_panel` for the checks.
    """
    problems: list[str] = []
    df = _as_indexed(df, entities)
    level = df.index.names[0]
    if entities != "any":
        from carbonshare.data.names import _index_of

        index = _index_of(countries)
        if countries is None:
            from carbonshare.data.bundled import _countries

            countries = _countries()

    codes = df.index.get_level_values(level)
    if entities != "any":
        from carbonshare.data.names import unknown_country_message

        for code in pd.unique(codes):
            if code not in countries.index:
                problems.append(unknown_country_message(code, index, where="in the iso3 index"))

    raw_years = df.index.get_level_values("year")
    year_num = pd.to_numeric(pd.Series(raw_years), errors="coerce")
    bad_year = year_num.isna() | (year_num.round() != year_num)
    for code, y in zip(codes[bad_year.to_numpy()], raw_years[bad_year.to_numpy()], strict=True):
        problems.append(f"year {y!r} for {code} is not a whole number; years must be integers")
    lo, hi = years
    out_rng = ~bad_year & ((year_num < lo) | (year_num > hi))
    for code, y in zip(codes[out_rng.to_numpy()], year_num[out_rng].astype(int), strict=True):
        problems.append(
            f"year {y} for {code} is outside {lo}-{hi}; fix the year or pass years=(lo, hi)"
        )

    # duplicates on the whole-number year, so that "2020" and "2020.0" are one year
    years_key = [
        int(num) if not bad else raw
        for num, bad, raw in zip(year_num, bad_year, raw_years, strict=True)
    ]
    key = pd.MultiIndex.from_arrays([codes, years_key])
    dup = key.duplicated(keep="first")
    for code, y in pd.unique(key[dup]):
        problems.append(
            f"duplicate rows for {code} in {y}; keep one row per country and year "
            "(two names of one country map to the same ISO3?)"
        )

    if required:
        missing = [c for c in required if c not in df.columns]
        if missing:
            problems.append(
                f"missing required indicator(s) {missing}; the panel has {list(df.columns)} "
                "(add the column(s), or rename a column to the indicator name)"
            )

    for col in df.columns:
        series = df[col]
        num = pd.to_numeric(series, errors="coerce")
        text = series.astype("string")
        nonnum = num.isna() & series.notna() & (text.str.strip() != "")
        for (code, y), val in series[nonnum].items():
            problems.append(
                f"{col} for {code} in {y} is {val!r}, not a number; use a number or leave the cell empty"
            )
        num = num.astype(float)
        inf = ~np.isfinite(num) & num.notna()
        for (code, y), val in num[inf].items():
            problems.append(f"{col} for {code} in {y} is {val}, not finite; use a finite number")
        num = num.where(np.isfinite(num))  # a non-finite value is reported once, above
        if is_nonnegative(str(col)):
            for (code, y), val in num[num < 0].items():
                problems.append(
                    f"{col} for {code} in {y} is {val:g}; {col} must be >= 0 (check the sign and unit)"
                )
        if is_percent(str(col)):
            for (code, y), val in num[num > 100].items():
                problems.append(
                    f"{col} for {code} in {y} is {val:g}; percentages must be in [0, 100] "
                    "(was a share in [0, 1] scaled twice, or a count given?)"
                )
    return problems


def validate_panel(
    df: pd.DataFrame,
    required: Sequence[str] | None = None,
    *,
    years: tuple[int, int] = DEFAULT_YEARS,
    countries: pd.DataFrame | None = None,
    entities: str = "countries",
) -> pd.DataFrame:
    """Check a wide country panel and return it with float columns.

    Checks: every ``iso3`` is a known country (the message lists the closest
    names), one row per country and year, whole years within ``years``,
    the ``required`` indicators are present, values are numbers and finite,
    counts (population, GDP, GNI, areas, emissions) are >= 0 and percentages
    lie in [0, 100]. Nothing is dropped, filled or clipped.

    Parameters
    ----------
    df : DataFrame indexed by ``(iso3, year)`` (or with those columns).
    required : indicator columns that must be present.
    years : inclusive range of allowed years.
    countries : country table (default: the bundled one).
    entities : ``"countries"`` (the first index level holds ISO3 codes) or
        ``"any"`` (provinces, firms...: any names, index ``(entity, year)``).

    Returns
    -------
    The panel indexed by ``(iso3, year)`` (year as int) with float columns.

    Raises
    ------
    DataError  listing every problem (up to 20, then a count).

    Examples
    --------
    >>> df = pd.DataFrame({"iso3": ["FRA"], "year": [2020], "population": [67.4e6]})
    >>> validate_panel(df, required=["population"]).loc[("FRA", 2020), "population"]
    np.float64(67400000.0)
    """
    problems = panel_problems(df, required, years=years, countries=countries, entities=entities)
    if problems:
        shown = problems[:_MAX_LISTED]
        more = len(problems) - len(shown)
        tail = f" (and {more} more)" if more else ""
        raise DataError(f"{len(problems)} problem(s) in the panel: " + "; ".join(shown) + tail)
    out = _as_indexed(df, entities).copy()
    level = out.index.names[0]
    # whole numbers by now, possibly written "2020.0" (text) or 2020.0 (float)
    years_int = pd.to_numeric(pd.Index(out.index.get_level_values("year"))).astype(int)
    out.index = pd.MultiIndex.from_arrays(
        [out.index.get_level_values(level).astype(str), years_int], names=[level, "year"]
    )
    return out.apply(pd.to_numeric).astype(float)
