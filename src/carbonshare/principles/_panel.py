"""Read the quantities the allocation rules need out of a panel.

A *panel* is the wide table of :func:`carbonshare.data.load_panel` and
:func:`carbonshare.data.read_panel`: a ``pd.MultiIndex`` (entity, year) with
one column per indicator. Entities may be countries (ISO3), provinces or
firms; only the position of the levels matters (entity first, year second).
A DataFrame with a plain entity index is accepted as a single cross-section
by the rules that need one year only.

Every accessor raises :class:`~carbonshare.errors.DataError` naming the
entities, column and year at fault; nothing is filled or dropped here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonshare.errors import DataError

__all__ = [
    "cross_section",
    "cumulative",
    "entities",
    "is_panel",
    "at",
    "require_positive",
    "resolve_year",
    "window_mean",
]


def is_panel(data: pd.DataFrame) -> bool:
    """True if ``data`` is indexed by (entity, year)."""
    return isinstance(data.index, pd.MultiIndex) and data.index.nlevels == 2


def resolve_year(data: pd.DataFrame, year: int | None) -> int | None:
    """``year``, or the latest year of a panel if None (None for a cross-section).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("A", 2019), ("A", 2020)])
    >>> resolve_year(pd.DataFrame({"x": [1, 2]}, index=idx), None)
    2020
    """
    if year is not None or not is_panel(data):
        return year
    return int(data.index.get_level_values(1).max())


def at(column: str, year: int | None) -> str:
    """Label of a column in a year for messages: ``"population in 2019"``.

    Examples
    --------
    >>> at("population", 2019)
    'population in 2019'
    """
    return column if year is None else f"{column} in {year}"


def entities(data: pd.DataFrame) -> pd.Index:
    """The entity labels of a panel or cross-section, in first-seen order."""
    if is_panel(data):
        return data.index.get_level_values(0).unique()
    return data.index.unique()


def _column(data: pd.DataFrame, column: str) -> pd.Series:
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            f"expected a DataFrame indexed by (entity, year) or by entity, got "
            f"{type(data).__name__}; build one with carbonshare.data.read_panel"
        )
    if column not in data.columns:
        raise DataError(
            f"column {column!r} is missing from the data (columns: {', '.join(map(str, data.columns))}); "
            f"add it or pass the right column name"
        )
    if data.index.has_duplicates:
        dup = data.index[data.index.duplicated()].unique()
        what = "(entity, year) pairs" if is_panel(data) else "entities"
        raise DataError(
            f"the data have {len(dup)} duplicated {what}: {_names(pd.Index(map(str, dup)))}; "
            f"keep one row per entity{' and year' if is_panel(data) else ''}"
        )
    return pd.to_numeric(data[column], errors="raise").astype(float)


def _names(index: pd.Index, limit: int = 8) -> str:
    items = [str(x) for x in index[:limit]]
    more = f" and {len(index) - limit} more" if len(index) > limit else ""
    return ", ".join(items) + more


def _years(data: pd.DataFrame) -> np.ndarray:
    return np.unique(data.index.get_level_values(1).to_numpy())


def cross_section(data: pd.DataFrame, column: str, year: int | None = None) -> pd.Series:
    """Values of ``column`` for every entity in ``year``.

    Parameters
    ----------
    data : panel (entity, year) or cross-section (entity).
    column : indicator name, e.g. ``"co2_t"``.
    year : the year to read; ``None`` = the latest year in the panel
        (ignored for a cross-section).

    Returns
    -------
    Series indexed by entity, float, named ``column``.

    Raises
    ------
    DataError  if the column or year is absent, an entity (or entity-year) is
        duplicated, or any entity has no value (names the entities).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("A", 2019), ("A", 2020), ("B", 2020)])
    >>> panel = pd.DataFrame({"co2_t": [1.0, 2.0, 3.0]}, index=idx)
    >>> cross_section(panel, "co2_t", 2020).to_dict()
    {'A': 2.0, 'B': 3.0}
    """
    values = _column(data, column)
    if not is_panel(data):
        out = values
        where = ""
    else:
        years = _years(data)
        if year is None:
            year = int(years.max())
        if year not in years:
            raise DataError(
                f"year {year} is not in the data (years {years.min()}-{years.max()}); "
                f"choose a year the panel covers"
            )
        wide = values.unstack(level=1)
        out = wide[year].reindex(entities(data))
        where = f" in {year}"
    out = out.rename(column)
    missing = out.index[out.isna()]
    if len(missing):
        raise DataError(
            f"{column}{where} is missing for {len(missing)} entities: {_names(missing)}; "
            f"drop them from the data or choose another year"
        )
    return out


def window_mean(data: pd.DataFrame, column: str, first: int, last: int) -> pd.Series:
    """Mean of ``column`` over the years ``first..last`` (inclusive) for each entity.

    Raises
    ------
    DataError  if the data are not a panel, the window is empty or reversed,
        or an entity misses a year of the window (names entity and years).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2018, 2019]])
    >>> panel = pd.DataFrame({"co2_t": [1.0, 3.0, 2.0, 2.0]}, index=idx)
    >>> window_mean(panel, "co2_t", 2018, 2019).to_dict()
    {'A': 2.0, 'B': 2.0}
    """
    return _window(data, column, first, last).mean(axis=1).rename(column)


def cumulative(data: pd.DataFrame, column: str, first: int, last: int) -> pd.Series:
    """Sum of ``column`` over the years ``first..last`` (inclusive) for each entity.

    For emissions in tonnes per year the result is in tonnes; for population
    in persons it is person-years.

    Raises
    ------
    DataError  as :func:`window_mean`.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2018, 2019]])
    >>> panel = pd.DataFrame({"co2_t": [1.0, 3.0, 2.0, 2.0]}, index=idx)
    >>> cumulative(panel, "co2_t", 2018, 2019).to_dict()
    {'A': 4.0, 'B': 4.0}
    """
    return _window(data, column, first, last).sum(axis=1).rename(column)


def _window(data: pd.DataFrame, column: str, first: int, last: int) -> pd.DataFrame:
    values = _column(data, column)
    if not is_panel(data):
        raise DataError(
            f"a year window ({first}-{last}) of {column} needs a panel indexed by (entity, year); "
            f"the data have a single index level"
        )
    if first > last:
        raise DataError(f"year window {first}-{last} is reversed; give first <= last")
    years = list(range(int(first), int(last) + 1))
    wide = values.unstack(level=1).reindex(index=entities(data), columns=years)
    gaps = wide.isna()
    if gaps.to_numpy().any():
        bad = wide.index[gaps.any(axis=1)]
        example = bad[0]
        example_years = [y for y, g in zip(years, gaps.loc[example], strict=True) if g]
        raise DataError(
            f"{column} is missing in {first}-{last} for {len(bad)} entities: {_names(bad)} "
            f"(e.g. {example}: {_names(pd.Index(example_years), 5)}); drop them, shorten the "
            f"window, or fill the panel first"
        )
    return wide


def require_positive(values: pd.Series, what: str, *, allow_zero: bool = False) -> pd.Series:
    """Raise a DataError naming the entities whose ``values`` are negative (or zero).

    Examples
    --------
    >>> require_positive(pd.Series({"A": 1.0}), "population").to_dict()
    {'A': 1.0}
    """
    bad = values < 0 if allow_zero else values <= 0
    if bad.any():
        names = values.index[bad.to_numpy()]
        first = names[0]
        bound = ">= 0" if allow_zero else "> 0"
        raise DataError(
            f"{what} must be {bound}; {len(names)} entities violate it: {_names(names)} "
            f"(e.g. {first}: {values[first]:g}); check the unit column or drop them"
        )
    if not np.isfinite(values.to_numpy()).all():
        names = values.index[~np.isfinite(values.to_numpy())]
        raise DataError(f"{what} is not finite for {_names(names)}; fix or drop these entities")
    return values
