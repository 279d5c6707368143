"""Normalisation of indicator matrices: min-max, percentile-bounded, z-score.

Rows are entities (countries, or country-years for a panel), columns are
indicators. Every function returns a DataFrame with the same labels.
A *direction* per column says whether larger raw values mean more (``"+"``)
or less (``"-"``); negative columns are reflected so that the normalised
value always reads "larger = more".
"""

from __future__ import annotations

import logging
from typing import NamedTuple

import numpy as np
import pandas as pd

from carbonshare.errors import ConfigError
from carbonshare.indicators._checks import check_matrix, check_nonconstant, parse_directions

__all__ = [
    "PercentileScores",
    "minmax",
    "normalise",
    "percentile_bounded",
    "zscore",
]

log = logging.getLogger(__name__)


def minmax(X: pd.DataFrame, directions=None, *, allow_nan: bool = False) -> pd.DataFrame:
    """Min-max normalisation to [0, 1], per column (Eq. 2 of Zhou et al. 2024).

    Positive column: V_ij = (x_ij - min_j) / (max_j - min_j).
    Negative column: V_ij = (max_j - x_ij) / (max_j - min_j).

    Parameters
    ----------
    X : DataFrame
        Entities x indicators, any units (the result is unit-free).
    directions : None, "+", "-", mapping or Series, optional
        Direction per column; ``None`` = every column positive. Columns a
        mapping does not mention are positive.
    allow_nan : bool, default False
        If True, missing values stay missing (min and max are taken over the
        observed values); otherwise a missing value raises.

    Returns
    -------
    DataFrame
        Same labels as ``X``, values in [0, 1] (dimensionless).

    Raises
    ------
    DataError
        If a column is constant, non-numeric, infinite, holds NaN (unless
        ``allow_nan``), or a direction names an unknown column.

    Examples
    --------
    >>> X = pd.DataFrame({"gdp": [1.0, 3.0, 5.0], "co2": [10.0, 20.0, 30.0]},
    ...                  index=["AAA", "BBB", "CCC"])
    >>> minmax(X, {"co2": "-"})
         gdp  co2
    AAA  0.0  1.0
    BBB  0.5  0.5
    CCC  1.0  0.0

    References
    ----------
    Zhou, Xiang, Zhu & Wang (2024), iScience 27, 109412, Eq. 2.
    OECD/JRC (2008) Handbook on Constructing Composite Indicators, section 5.
    """
    X = check_matrix(X, allow_nan=allow_nan)
    signs = parse_directions(X.columns, directions)
    lo, hi = X.min(), X.max()
    check_nonconstant(X, hi - lo, "max - min")
    V = (X - lo) / (hi - lo)
    negative = signs.index[signs < 0]
    V[negative] = 1.0 - V[negative]
    return V


class PercentileScores(NamedTuple):
    """Result of :func:`percentile_bounded`.

    Attributes
    ----------
    scores : DataFrame
        Normalised values, 0-100 when clipped (same labels as the input).
    bounds : DataFrame
        Per indicator (index): ``lower`` and ``upper`` bounds in raw units.
    clipped : DataFrame
        Per indicator (index): ``below`` and ``above`` = number of raw values
        below the lower and above the upper bound (set to 0 and 100 when
        ``clip=True``, the other way round for a negative indicator; left
        unclipped when ``clip=False``), and ``total`` = below + above.
    """

    scores: pd.DataFrame
    bounds: pd.DataFrame
    clipped: pd.DataFrame


def percentile_bounded(
    X: pd.DataFrame,
    lower: float = 2.5,
    upper: float = 97.5,
    directions=None,
    clip: bool = True,
    *,
    allow_nan: bool = False,
) -> PercentileScores:
    """Percentile-bounded normalisation to 0-100 (docs/methods.md B2).

    With L_j and U_j the ``lower`` and ``upper`` percentiles of column j over
    every row (all countries and all years of a panel):

    Positive: y_ij = (x_ij - L_j) / (U_j - L_j) * 100.
    Negative: y_ij = (U_j - x_ij) / (U_j - L_j) * 100.

    then clipped to [0, 100]. Clipping is part of the method (outliers get
    the end score); the number of values clipped per column is returned in
    ``clipped`` and logged, so a study can record it. Percentiles use linear
    interpolation between order statistics (``numpy.percentile`` default,
    Hyndman & Fan type 7).

    Parameters
    ----------
    X : DataFrame
        Rows x indicators (a long panel with a (iso3, year) index is fine).
    lower, upper : float
        Percentiles in [0, 100], ``lower < upper``. Defaults 2.5 and 97.5.
    directions : None, "+", "-", mapping or Series, optional
        Direction per column (see :func:`minmax`).
    clip : bool, default True
        Clip to [0, 100]. With False, values beyond the bounds fall outside
        [0, 100] (``clipped`` then counts them without changing them).
    allow_nan : bool, default False
        Keep missing values as missing (bounds over observed values).

    Returns
    -------
    PercentileScores
        Named tuple ``(scores, bounds, clipped)``; unpack it or use the
        attributes.

    Raises
    ------
    DataError
        If the two bounds of a column coincide (too many identical values)
        or the matrix is invalid (see :func:`minmax`).
    ConfigError
        If the percentiles are outside [0, 100] or not increasing.

    Examples
    --------
    >>> X = pd.DataFrame({"area": [float(v) for v in range(1, 42)]})
    >>> res = percentile_bounded(X)
    >>> res.bounds.round(1)
          lower  upper
    area    2.0   40.0
    >>> res.clipped
          below  above  total
    area      1      1      2
    >>> float(res.scores["area"].iloc[0]), float(res.scores["area"].iloc[20])
    (0.0, 50.0)

    References
    ----------
    The blue-carbon development index study (docs/methods.md B2); OECD/JRC (2008)
    Handbook on Constructing Composite Indicators, section 5.
    """
    if not (0.0 <= lower < upper <= 100.0):
        raise ConfigError(
            f"percentile bounds lower={lower}, upper={upper} are invalid; "
            f"need 0 <= lower < upper <= 100 (default 2.5 and 97.5)"
        )
    X = check_matrix(X, allow_nan=allow_nan)
    signs = parse_directions(X.columns, directions)
    arr = X.to_numpy()
    lo = np.nanpercentile(arr, lower, axis=0)
    hi = np.nanpercentile(arr, upper, axis=0)
    bounds = pd.DataFrame({"lower": lo, "upper": hi}, index=X.columns)
    check_nonconstant(X, bounds["upper"] - bounds["lower"], f"P{upper} - P{lower}")
    Y = (X - lo) / (hi - lo) * 100.0
    negative = signs.index[signs < 0]
    Y[negative] = 100.0 - Y[negative]
    below = (X < lo).sum()
    above = (X > hi).sum()
    clipped = pd.DataFrame({"below": below, "above": above}, index=X.columns).astype("int64")
    clipped["total"] = clipped["below"] + clipped["above"]
    if clip:
        Y = Y.clip(lower=0.0, upper=100.0)
        for col, n in clipped["total"].items():
            if n:
                log.info(
                    "percentile_bounded: %d value(s) of %r outside [P%s, P%s] clipped to 0/100",
                    n,
                    col,
                    lower,
                    upper,
                )
    return PercentileScores(Y, bounds, clipped)


def zscore(X: pd.DataFrame, directions=None, *, ddof: int = 1, allow_nan: bool = False):
    """Standardise each column: z_ij = s_j (x_ij - mean_j) / sd_j.

    ``s_j`` = +1 for positive and -1 for negative columns; ``sd_j`` is the
    standard deviation with ``ddof`` degrees of freedom (default 1, the
    sample standard deviation, as in a correlation-matrix PCA).

    Parameters
    ----------
    X : DataFrame
        Entities x indicators.
    directions : None, "+", "-", mapping or Series, optional
        Direction per column (see :func:`minmax`).
    ddof : int, default 1
        Delta degrees of freedom of the standard deviation.
    allow_nan : bool, default False
        Keep missing values as missing.

    Returns
    -------
    DataFrame
        Same labels, each column with mean 0 and standard deviation 1
        (dimensionless).

    Raises
    ------
    DataError
        If a column is constant or the matrix is invalid.

    Examples
    --------
    >>> zscore(pd.DataFrame({"a": [1.0, 2.0, 3.0]}))["a"].tolist()
    [-1.0, 0.0, 1.0]
    """
    X = check_matrix(X, allow_nan=allow_nan)
    signs = parse_directions(X.columns, directions)
    sd = X.std(ddof=ddof)
    check_nonconstant(X, sd, "standard deviation")
    return (X - X.mean()) / sd * signs


def normalise(X: pd.DataFrame, method: str = "minmax", directions=None, **kwargs) -> pd.DataFrame:
    """Normalise with a method chosen by name (for configs).

    Parameters
    ----------
    X : DataFrame
        Entities x indicators.
    method : {"minmax", "percentile", "zscore"}
        :func:`minmax`, :func:`percentile_bounded` (its ``scores``; call it
        directly to get the bounds and clip counts, which are also logged) or
        :func:`zscore`.
    directions : None, "+", "-", mapping or Series, optional
        Direction per column.
    **kwargs
        Passed to the chosen function.

    Returns
    -------
    DataFrame

    Raises
    ------
    ConfigError
        If ``method`` is unknown.

    Examples
    --------
    >>> normalise(pd.DataFrame({"a": [2.0, 4.0]}), "minmax")["a"].tolist()
    [0.0, 1.0]
    """
    if method == "minmax":
        return minmax(X, directions, **kwargs)
    if method == "percentile":
        return percentile_bounded(X, directions=directions, **kwargs).scores
    if method == "zscore":
        return zscore(X, directions, **kwargs)
    raise ConfigError(
        f"normalisation method {method!r} is unknown; use 'minmax', 'percentile' or 'zscore'"
    )
