"""Input checks shared by the indicator modules (private).

Every check raises :class:`~carbonshare.errors.DataError` naming the column
(and the rows) at fault and what would fix it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from carbonshare.errors import DataError

_POSITIVE = {"+", "positive", "pos", 1}
_NEGATIVE = {"-", "negative", "neg", -1}


def _first(labels, k: int = 5) -> str:
    labels = list(labels)
    shown = ", ".join(str(x) for x in labels[:k])
    return shown + (f" and {len(labels) - k} more" if len(labels) > k else "")


def _names(labels, k: int = 5) -> str:
    """Quoted labels (column names) for messages."""
    return _first((repr(x) for x in labels), k)


def check_matrix(
    X: pd.DataFrame, *, allow_nan: bool = False, min_rows: int = 2, nan_hint: bool = True
) -> pd.DataFrame:
    """Return ``X`` as a float DataFrame after checking shape, dtype and values."""
    if not isinstance(X, pd.DataFrame):
        raise DataError(
            f"expected a pandas DataFrame (rows = entities, columns = indicators), "
            f"got {type(X).__name__}; wrap the array in pd.DataFrame with labels"
        )
    if X.shape[1] == 0:
        raise DataError("the indicator matrix has no columns; pass at least one indicator")
    if X.shape[0] < min_rows:
        raise DataError(
            f"the indicator matrix has {X.shape[0]} row(s); at least {min_rows} entities are needed"
        )
    if X.columns.has_duplicates:
        dup = X.columns[X.columns.duplicated()].unique()
        raise DataError(f"duplicate indicator column(s) {_first(dup)}; give each column one name")
    if X.index.has_duplicates:
        dup = X.index[X.index.duplicated()].unique()
        raise DataError(f"duplicate row label(s) {_first(dup)}; each entity must appear once")
    out = {}
    for col in X.columns:
        try:
            values = pd.to_numeric(X[col], errors="raise").astype("float64")
        except (ValueError, TypeError) as exc:
            raise DataError(
                f"indicator column {col!r} is not numeric ({X[col].dtype}); "
                f"convert it to numbers before normalising"
            ) from exc
        arr = values.to_numpy()
        if np.isinf(arr).any():
            bad = values.index[np.isinf(arr)]
            raise DataError(
                f"indicator column {col!r} is infinite for {_first(bad)}; "
                f"fix the source values (a division by zero upstream?)"
            )
        if not allow_nan and np.isnan(arr).any():
            bad = values.index[np.isnan(arr)]
            hint = " (pass allow_nan=True to keep NaN as NaN)" if nan_hint else ""
            raise DataError(
                f"indicator column {col!r} has missing values for {_first(bad)}; "
                f"fill or exclude those rows first{hint}"
            )
        if np.isnan(arr).all():
            raise DataError(f"indicator column {col!r} has no values at all; drop the column")
        out[col] = arr
    return pd.DataFrame(out, index=X.index, columns=X.columns)


def parse_directions(columns: pd.Index, directions) -> pd.Series:
    """Return a Series column -> +1.0 / -1.0 from ``None``, a string or a mapping.

    ``None`` means every column is positive (larger = more); a single ``"+"`` /
    ``"-"`` applies to every column; a mapping or Series gives a direction per
    column and columns it does not mention are positive. Keys that are not
    columns raise, so a misspelt indicator name cannot be ignored.
    """
    signs = pd.Series(1.0, index=columns, name="direction")
    if directions is None:
        return signs
    if isinstance(directions, str | int | float) and not isinstance(directions, bool):
        return signs * _sign(directions, "all columns")
    if isinstance(directions, pd.Series):
        directions = directions.to_dict()
    if not isinstance(directions, Mapping):
        raise DataError(
            f"directions must be None, '+', '-', or a mapping column -> '+'/'-', "
            f"got {type(directions).__name__}"
        )
    unknown = [k for k in directions if k not in columns]
    if unknown:
        raise DataError(
            f"directions name column(s) {_first(unknown)} that are not in the matrix "
            f"(columns: {_first(columns, 12)}); check the spelling"
        )
    for key, value in directions.items():
        signs[key] = _sign(value, repr(key))
    return signs


def _sign(value, where: str) -> float:
    key = value.strip().lower() if isinstance(value, str) else value
    if key in _POSITIVE:
        return 1.0
    if key in _NEGATIVE:
        return -1.0
    raise DataError(
        f"direction {value!r} for {where} is not understood; use '+' (larger = more) or '-'"
    )


def check_nonconstant(X: pd.DataFrame, spread: pd.Series, what: str) -> None:
    """Raise naming the columns whose ``spread`` (range, std ...) is zero."""
    flat = spread.index[~(spread.to_numpy() > 0)]
    if len(flat):
        raise DataError(
            f"indicator column(s) {_names(flat)} have no spread ({what} = 0, "
            f"constant column?) and cannot be normalised; drop them or check the data"
        )
