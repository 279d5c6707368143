"""Inequality of allowances across entities: Gini, Theil, coefficient of variation.

All three accept optional weights w_i (e.g. population, so that every person
rather than every country counts once). With W = sum w and the weighted mean
mu = sum w_i x_i / W:

    Gini  G = sum_i sum_j w_i w_j |x_i - x_j| / (2 W^2 mu)
    Theil T = sum_i (w_i / W) (x_i / mu) ln(x_i / mu)      (0 ln 0 = 0)
    CV      = sqrt(sum_i (w_i / W) (x_i - mu)^2) / mu

References
----------
Gini, C. (1912). *Variabilità e mutabilità*. Theil, H. (1967). *Economics and
Information Theory*. Cowell, F. (2011). *Measuring Inequality*, 3rd ed., OUP.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonshare.errors import DataError

__all__ = ["coefficient_of_variation", "gini", "theil"]


def _prepare(values, weights) -> tuple[np.ndarray, np.ndarray]:
    x = (
        pd.Series(values, dtype=float)
        if not isinstance(values, pd.Series)
        else values.astype(float)
    )
    if weights is None:
        w = pd.Series(1.0, index=x.index)
    else:
        w = (
            pd.Series(weights, dtype=float)
            if not isinstance(weights, pd.Series)
            else weights.astype(float)
        )
        if isinstance(values, pd.Series) and isinstance(weights, pd.Series):
            w = w.reindex(x.index)
    xa, wa = x.to_numpy(), w.to_numpy()
    if len(xa) == 0 or len(xa) != len(wa):
        raise DataError("inequality: values and weights must be non-empty and of equal length")
    if not (np.isfinite(xa).all() and np.isfinite(wa).all()):
        raise DataError(
            "inequality: values or weights hold NaN or infinite entries; drop them first"
        )
    if (xa < 0).any():
        raise DataError(
            f"inequality: {int((xa < 0).sum())} values are negative (min {xa.min():g}); Gini and "
            f"Theil need non-negative values such as per-capita allowances floored at zero"
        )
    if (wa < 0).any() or wa.sum() <= 0:
        raise DataError("inequality: weights must be >= 0 and not all zero")
    if (xa * wa).sum() <= 0:
        raise DataError("inequality: the weighted mean is 0; inequality is undefined")
    return xa, wa


def gini(values, weights=None) -> float:
    """Gini coefficient in [0, 1) (O(n log n) via sorted cumulative weights).

    Examples
    --------
    >>> round(gini([1, 2, 3, 4, 5]), 6)
    0.266667
    >>> gini([2, 2, 2])
    0.0
    """
    x, w = _prepare(values, weights)
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    total = w.sum()
    cum = np.cumsum(w)
    below = cum - w
    above = total - cum
    mean = (w * x).sum() / total
    pair_sum = 2.0 * (w * x * (below - above)).sum()
    return float(pair_sum / (2.0 * total**2 * mean))


def theil(values, weights=None) -> float:
    """Theil T index in [0, ln n] (0 = equality).

    Examples
    --------
    >>> theil([1, 1, 1, 1])
    0.0
    >>> round(theil([0, 0, 0, 4]), 6) == round(float(np.log(4)), 6)
    True
    """
    x, w = _prepare(values, weights)
    p = w / w.sum()
    ratio = x / (p * x).sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(ratio > 0, ratio * np.log(ratio), 0.0)
    return float(max((p * terms).sum(), 0.0))


def coefficient_of_variation(values, weights=None) -> float:
    """Coefficient of variation: (weighted, population) standard deviation / mean.

    Examples
    --------
    >>> coefficient_of_variation([1, 3])
    0.5
    """
    x, w = _prepare(values, weights)
    p = w / w.sum()
    mean = (p * x).sum()
    return float(np.sqrt((p * (x - mean) ** 2).sum()) / mean)
