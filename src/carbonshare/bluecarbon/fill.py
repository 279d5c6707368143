"""Filling missing years of a country-year panel "with nearby years" (docs/methods.md B1, the paper's rule).

Every filled cell is returned in a log (country, column, year, source year or
years, rule), so a study can list each fill in its manifest; nothing is filled
silently.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from carbonshare.errors import ConfigError, DataError

__all__ = ["FILL_RULES", "FilledPanel", "fill_summary", "fill_years", "year_runs"]

FILL_RULES = ("nearest", "linear", "none")
"""``nearest``: the value of the nearest year with data (the earlier on a tie; the
paper's "nearby years"); ``linear``: linear interpolation between the two
surrounding years with data, nearest year beyond the first / last observation;
``none``: leave gaps as missing."""


class FilledPanel(NamedTuple):
    """Result of :func:`fill_years`.

    Attributes
    ----------
    values : DataFrame indexed by (iso3, year) over the requested years.
    fills : one row per filled cell: iso3, column, year, source (the year(s)
        the value came from, "2012" or "2010-2015"), rule.
    empty : one row per (iso3, column) with no data at all: iso3, column.
    """

    values: pd.DataFrame
    fills: pd.DataFrame
    empty: pd.DataFrame


def _fill_row(x: np.ndarray, years: np.ndarray, rule: str) -> tuple[np.ndarray, list[tuple]]:
    have = np.flatnonzero(~np.isnan(x))
    out = x.copy()
    log = []
    for t in np.flatnonzero(np.isnan(x)):
        before, after = have[have < t], have[have > t]
        if rule == "linear" and len(before) and len(after):
            a, b = before[-1], after[0]
            frac = (years[t] - years[a]) / (years[b] - years[a])
            out[t] = x[a] + frac * (x[b] - x[a])
            log.append((int(years[t]), f"{years[a]}-{years[b]}", "linear"))
        else:
            src = have[np.argmin(np.abs(years[have] - years[t]) * 2 + (have > t))]
            out[t] = x[src]
            log.append((int(years[t]), str(years[src]), "nearest"))
    return out, log


def fill_years(
    panel: pd.DataFrame,
    years: tuple[int, int],
    rule: str = "nearest",
    *,
    columns: list[str] | None = None,
    entities: pd.Index | None = None,
) -> FilledPanel:
    """Fill the missing years of each (country, column) from its own nearby years.

    The sources of a fill are all the years the panel holds for that country
    and column (also those outside ``years``: OHI starts in 2012, so 1996-2011
    take the 2012 value under ``nearest``); the result covers ``years[0]`` ..
    ``years[1]`` for every entity. A (country, column) with no data at all
    stays missing and is listed in ``empty``.

    Parameters
    ----------
    panel : DataFrame indexed by (iso3, year).
    years : (first, last), inclusive.
    rule : one of :data:`FILL_RULES`.
    columns : columns to fill (default all).
    entities : countries wanted (default all in the panel); one absent from
        the panel is listed in ``empty`` for every column.

    Returns
    -------
    FilledPanel

    Raises
    ------
    ConfigError  for an unknown rule or reversed years; DataError if the
        panel is not indexed by (iso3, year) or a column is missing.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["AAA"], [2000, 2001, 2002, 2003]],
    ...                                  names=["iso3", "year"])
    >>> p = pd.DataFrame({"x": [np.nan, 1.0, np.nan, 4.0]}, index=idx)
    >>> res = fill_years(p, (2000, 2003))
    >>> res.values["x"].tolist()
    [1.0, 1.0, 1.0, 4.0]
    >>> res.fills[["year", "source", "rule"]].values.tolist()
    [[2000, '2001', 'nearest'], [2002, '2001', 'nearest']]
    >>> fill_years(p, (2000, 2003), "linear").values["x"].tolist()
    [1.0, 1.0, 2.5, 4.0]
    """
    if rule not in FILL_RULES:
        raise ConfigError(f"fill rule {rule!r} is unknown; use one of {', '.join(FILL_RULES)}")
    first, last = int(years[0]), int(years[1])
    if first > last:
        raise ConfigError(f"years ({first}, {last}): the first year is after the last")
    if list(panel.index.names) != ["iso3", "year"]:
        raise DataError(
            f"the panel is indexed by {list(panel.index.names)}; index it by (iso3, year)"
        )
    columns = list(panel.columns) if columns is None else list(columns)
    absent = [c for c in columns if c not in panel.columns]
    if absent:
        raise DataError(f"column(s) {absent} are not in the panel; add them or fix the config")
    if entities is None:
        entities = panel.index.get_level_values("iso3").unique()
    wide_years = np.arange(first, last + 1)
    all_years = np.union1d(panel.index.get_level_values("year").unique().to_numpy(), wide_years)
    target = pd.MultiIndex.from_product([entities, wide_years], names=["iso3", "year"])
    out = pd.DataFrame(index=target, columns=columns, dtype=float)
    fills, empty = [], []
    for col in columns:
        wide = panel[col].astype(float).unstack("year").reindex(index=entities, columns=all_years)
        keep = np.isin(all_years, wide_years)
        result = wide.loc[:, keep].copy()
        for iso3, row in wide.iterrows():
            x = row.to_numpy(dtype=float)
            if np.isnan(x).all():
                empty.append((iso3, col))
                continue
            if rule == "none" or not np.isnan(x[keep]).any():
                continue
            filled, log = _fill_row(x, all_years, rule)
            result.loc[iso3] = filled[keep]
            fills += [(iso3, col, y, s, r) for y, s, r in log if first <= y <= last]
        out[col] = result.stack(future_stack=True).reindex(target).to_numpy()
    return FilledPanel(
        out,
        pd.DataFrame(fills, columns=["iso3", "column", "year", "source", "rule"]),
        pd.DataFrame(empty, columns=["iso3", "column"]),
    )


def fill_summary(fills: pd.DataFrame) -> pd.DataFrame:
    """Collapse a cell-by-cell fill log into runs: one row per (iso3, column, source, rule).

    Examples
    --------
    >>> f = pd.DataFrame({"iso3": ["A", "A", "A"], "column": ["x"] * 3, "year": [1996, 1997, 2019],
    ...                   "source": ["2012", "2012", "2016"], "rule": ["nearest"] * 3})
    >>> fill_summary(f)[["years", "source", "n"]].values.tolist()
    [['1996-1997', '2012', 2], ['2019', '2016', 1]]
    """
    cols = ["iso3", "column", "years", "source", "rule", "n"]
    if fills.empty:
        return pd.DataFrame(columns=cols)
    g = fills.groupby(["iso3", "column", "source", "rule"], sort=False)["year"]
    out = g.agg(years=year_runs, n="size").reset_index()
    return out[cols]


def year_runs(years) -> str:
    """Years as runs of consecutive years: "1997-2006, 2011-2014".

    Examples
    --------
    >>> year_runs([2011, 1997, 1998, 1999, 2013, 2012, 2020])
    '1997-1999, 2011-2013, 2020'
    """
    ys = sorted({int(y) for y in years})
    runs, start = [], None
    for k, y in enumerate(ys):
        start = y if start is None else start
        if k + 1 == len(ys) or ys[k + 1] != y + 1:
            runs.append(str(y) if y == start else f"{start}-{y}")
            start = None
    return ", ".join(runs)
