"""Trends, regional comparison and correlation of the index (docs/methods.md B4).

Tests come from scipy (Kruskal-Wallis H test, Pearson and Spearman
correlation); nothing is re-derived here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonshare.errors import DataError

__all__ = ["capacity_endowment_correlation", "country_changes", "regional_comparison"]


def _year(scores: pd.DataFrame, year: int) -> pd.DataFrame:
    years = scores.index.get_level_values("year")
    if year not in set(years):
        raise DataError(
            f"year {year} is not in the scores (they cover {years.min()}-{years.max()})"
        )
    return scores.xs(year, level="year")


def country_changes(scores: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Each country's scores in ``first`` and ``last`` and their change (points and %).

    Parameters
    ----------
    scores : (iso3, year) x score columns (subsystems, BCDI).

    Returns
    -------
    DataFrame indexed by iso3: ``<col>_<first>``, ``<col>_<last>``,
    ``<col>_change`` (points) and ``<col>_change_pct`` (% of the first value;
    NaN when that is 0) for every column.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2000, 2010]], names=["iso3", "year"])
    >>> c = country_changes(pd.DataFrame({"BCDI": [10.0, 15, 20, 18]}, index=idx), 2000, 2010)
    >>> c["BCDI_change"].tolist(), c["BCDI_change_pct"].tolist()
    ([5.0, -2.0], [50.0, -10.0])
    """
    a, b = _year(scores, first), _year(scores, last)
    parts = {}
    for col in scores.columns:
        parts[f"{col}_{first}"] = a[col]
        parts[f"{col}_{last}"] = b[col]
        parts[f"{col}_change"] = b[col] - a[col]
        parts[f"{col}_change_pct"] = (b[col] - a[col]) / a[col].where(a[col] != 0) * 100.0
    return pd.DataFrame(parts)


def regional_comparison(values: pd.Series, regions: pd.Series) -> tuple[pd.DataFrame, dict]:
    """Distribution of a score by region and the Kruskal-Wallis H test across regions.

    H0: the score has the same distribution in every region (scipy
    :func:`scipy.stats.kruskal`, tie-corrected, chi-square with k - 1 df).

    Parameters
    ----------
    values : iso3 -> score (one year).
    regions : iso3 -> region (e.g. the UN SDG regional groups).

    Returns
    -------
    (summary, test): summary indexed by region with n, mean, median, min,
    max; test = {"statistic": H, "pvalue": p, "df": k - 1, "n": countries}.

    Raises
    ------
    DataError  if a country has no region or fewer than two regions remain.

    Examples
    --------
    >>> v = pd.Series({"A": 1.0, "B": 2.0, "C": 10.0, "D": 11.0})
    >>> summary, test = regional_comparison(v, pd.Series({"A": "x", "B": "x", "C": "y", "D": "y"}))
    >>> summary["median"].tolist(), test["df"]
    ([1.5, 10.5], 1)
    """
    from scipy.stats import kruskal

    reg = regions.reindex(values.index)
    lost = reg.index[reg.isna()].tolist()
    if lost:
        raise DataError(
            f"countries {lost[:10]} have no region; add them to the region table or exclude them"
        )
    groups = values.groupby(reg)
    if groups.ngroups < 2:
        raise DataError("the regional comparison needs at least two regions")
    summary = groups.agg(["size", "mean", "median", "min", "max"]).rename(columns={"size": "n"})
    summary.index.name = "region"
    h, p = kruskal(*[g.to_numpy() for _, g in groups])
    return summary, {"statistic": float(h), "pvalue": float(p),
                     "df": int(groups.ngroups - 1), "n": int(len(values))}  # fmt: skip


def capacity_endowment_correlation(x: pd.Series, y: pd.Series) -> pd.DataFrame:
    """Pearson and Spearman correlation of two scores with their two-sided p-values.

    Used for development capacity vs resource endowment (docs/methods.md B4); pass
    pooled country-years or one year.

    Returns
    -------
    DataFrame indexed by method (pearson, spearman): r, pvalue, n.

    Examples
    --------
    >>> x = pd.Series([1.0, 2, 3, 4, 5]); y = pd.Series([2.0, 4, 5, 4, 5])
    >>> capacity_endowment_correlation(x, y).loc["spearman", "r"].round(4)
    np.float64(0.7379)
    """
    from scipy.stats import pearsonr, spearmanr

    both = pd.concat([x, y], axis=1, join="inner").dropna()
    if len(both) < 3:
        raise DataError(f"the correlation needs at least 3 pairs of values, got {len(both)}")
    a, b = both.iloc[:, 0].to_numpy(), both.iloc[:, 1].to_numpy()
    rows = {}
    for name, fn in (("pearson", pearsonr), ("spearman", spearmanr)):
        r, p = fn(a, b)
        rows[name] = {"r": float(r), "pvalue": float(p), "n": int(len(a))}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["n"] = out["n"].astype(np.int64)
    out.index.name = "method"
    return out
