"""Build-time repairs of panel series, each recorded per country-year.

Three documented repairs (docs/data.md), all applied by the build and written
to ``bundled/repairs.csv`` (read it with :func:`carbonshare.data.panel_repairs`):

- :func:`zeros_after_positive`: forest rents published as exactly 0 after the
  series had positive values (GBR 2019-2021, TUR 2021, ...) are missing
  values, not zero rents;
- :func:`derive_ratio`: CO2 per PPP $ of GDP for a year the source does not
  publish, derived from CO2 and GDP PPP by the series' own identity;
- :func:`gap_fill`: GDP from another source (UNSD) only where the World Bank
  series has no value, never overwriting one.

Every function takes and returns long frames ``iso3, year, value``.
"""

from __future__ import annotations

import pandas as pd

REPAIR_COLUMNS = ("iso3", "year", "column", "action", "value", "source", "detail")


def _repairs(rows: pd.DataFrame, column: str, action: str, source: str, detail) -> pd.DataFrame:
    out = rows[["iso3", "year", "value"]].assign(
        column=column, action=action, source=source, detail=detail
    )
    return out[list(REPAIR_COLUMNS)].reset_index(drop=True)


def zeros_after_positive(
    long: pd.DataFrame, column: str, source: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop values that are exactly 0 after a positive value of the same country.

    x_it = 0 with x_is > 0 for some s < t is read as "not reported", so the
    cell becomes missing; zeros before the first positive value and series
    that are 0 in every year stay as published.

    Returns
    -------
    (long frame without those rows, one repair row per dropped country-year)

    Examples
    --------
    >>> df = pd.DataFrame({"iso3": ["A"] * 4 + ["B"] * 2, "year": [1, 2, 3, 4, 1, 2],
    ...                    "value": [0.0, 2.0, 0.0, 1.0, 0.0, 0.0]})
    >>> kept, rep = zeros_after_positive(df, "x", "s")
    >>> kept["value"].tolist(), rep[["iso3", "year"]].values.tolist()
    ([0.0, 2.0, 1.0, 0.0, 0.0], [['A', 3]])
    """
    df = long.sort_values(["iso3", "year"]).reset_index(drop=True)
    last_positive = df["year"].where(df["value"] > 0).groupby(df["iso3"]).ffill()
    drop = last_positive.notna() & (df["value"] == 0)
    detail = [
        f"published 0 after a positive value in {int(y)}; read as not reported"
        for y in last_positive[drop]
    ]
    rep = _repairs(df[drop], column, "zero after positive values set to missing", source, detail)
    return df[~drop].reset_index(drop=True), rep


def derive_ratio(
    published: pd.DataFrame,
    numerator: pd.DataFrame,
    denominator: pd.DataFrame,
    factor: float,
    years: list[int],
    column: str,
    formula: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add factor * numerator / denominator for ``years`` where ``published`` has no value.

    Each derived row's detail also gives the identity's gap to the published
    value in the country's last published year: the inputs may be of later
    vintages than the published ratio, and the gap shows how far the derived
    year can break from the published series.

    Returns
    -------
    (published plus derived rows, one repair row per derived country-year)

    Examples
    --------
    >>> pub = pd.DataFrame({"iso3": ["A"], "year": [2019], "value": [0.5]})
    >>> num = pd.DataFrame({"iso3": ["A", "A"], "year": [2019, 2020], "value": [1.0, 2.0]})
    >>> den = pd.DataFrame({"iso3": ["A", "A"], "year": [2019, 2020], "value": [2e6, 8e6]})
    >>> out, rep = derive_ratio(pub, num, den, 1e6, [2020], "x", "n x 1e6 / d")
    >>> out["value"].tolist(), rep["action"].tolist()
    ([0.5, 0.25], ['derived'])
    >>> rep["detail"].iloc[0]
    'n x 1e6 / d = 2 x 1e+06 / 8e+06; identity vs published in 2019: +0.0%'
    """
    key = ["iso3", "year"]
    both = numerator.merge(denominator, on=key, suffixes=("_n", "_d"))
    both = both[both["value_d"] > 0]
    both = both.assign(identity=factor * both["value_n"] / both["value_d"])
    both = both.merge(published[key + ["value"]], on=key, how="left")
    # the identity against the published value in the country's last published year
    check = both[both["value"].notna() & (both["value"] > 0)].sort_values(key)
    check = check.groupby("iso3").last()
    gap = (check["identity"] / check["value"] - 1).rename("gap")
    new = both[both["year"].isin(years) & both["value"].isna()]
    derived = new.assign(value=new["identity"])[key + ["value"]]
    detail = [
        f"{formula} = {n:.6g} x {factor:g} / {d:.6g}"
        + (f"; identity vs published in {int(check.loc[i, 'year'])}: {gap[i]:+.1%}"
           if i in gap.index else "; no published year to check the identity")
        for i, n, d in zip(new["iso3"], new["value_n"], new["value_d"], strict=True)
    ]  # fmt: skip
    rep = _repairs(derived, column, "derived", "identity", detail)
    out = pd.concat([published[key + ["value"]], derived], ignore_index=True)
    return out.sort_values(key).reset_index(drop=True), rep


def gap_fill(
    base: pd.DataFrame, other: pd.DataFrame, years: tuple[int, int], column: str, source: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill the country-years ``base`` lacks, within ``years``, from ``other``.

    A value of ``base`` is never replaced: only (iso3, year) pairs absent from
    ``base`` are taken from ``other``.

    Returns
    -------
    (base plus filled rows, one repair row per filled country-year)

    Examples
    --------
    >>> base = pd.DataFrame({"iso3": ["A", "B"], "year": [2020, 2020], "value": [1.0, 2.0]})
    >>> other = pd.DataFrame({"iso3": ["A", "C"], "year": [2020, 2020], "value": [9.0, 3.0]})
    >>> out, rep = gap_fill(base, other, (2020, 2020), "gdp", "unsd")
    >>> out["value"].tolist(), rep["iso3"].tolist()
    ([1.0, 2.0, 3.0], ['C'])
    """
    key = ["iso3", "year"]
    lo, hi = years
    cand = other[(other["year"] >= lo) & (other["year"] <= hi)]
    cand = cand.merge(base[key], on=key, how="left", indicator=True)
    fill = cand[cand["_merge"] == "left_only"][key + ["value"]]
    n_wb = base.groupby("iso3")["year"].count()
    detail = [
        f"no World Bank value ({int(n_wb.get(i, 0))} WB years for {i}); {source} value used"
        for i in fill["iso3"]
    ]
    rep = _repairs(fill, column, "gap filled from another source", source, detail)
    out = pd.concat([base[key + ["value"]], fill], ignore_index=True)
    return out.sort_values(key).reset_index(drop=True), rep
