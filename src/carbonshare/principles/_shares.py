"""Turn non-negative weights into shares that sum to 1."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonshare.errors import DataError

__all__ = ["normalise", "check_shares"]


def normalise(weights: pd.Series, name: str, *, allow_negative: bool = False) -> pd.Series:
    """Shares ``w_i / sum_j w_j`` of the weights ``w`` (float Series named ``name``).

    Raises
    ------
    DataError  if a weight is NaN or infinite, negative (unless ``allow_negative``),
        or the weights sum to zero (names the rule).

    Examples
    --------
    >>> normalise(pd.Series({"A": 1.0, "B": 3.0}), "demo").to_dict()
    {'A': 0.25, 'B': 0.75}
    """
    w = weights.astype(float)
    values = w.to_numpy()
    if not np.isfinite(values).all():
        bad = w.index[~np.isfinite(values)]
        raise DataError(
            f"{name}: weights are NaN or infinite for {', '.join(map(str, bad[:8]))}; "
            f"check the inputs of these entities"
        )
    if not allow_negative and (values < 0).any():
        bad = w.index[values < 0]
        raise DataError(
            f"{name}: weights are negative for {', '.join(map(str, bad[:8]))}; "
            f"the inputs of this rule must be >= 0"
        )
    total = values.sum()
    if total == 0 or not np.isfinite(total):
        raise DataError(
            f"{name}: the weights sum to {total:g}; at least one entity needs a weight > 0"
        )
    return (w / total).rename(name)


def check_shares(shares: pd.Series, name: str = "shares", *, atol: float = 1e-9) -> pd.Series:
    """Return ``shares`` after checking they are finite and sum to 1 within ``atol``.

    Examples
    --------
    >>> check_shares(pd.Series({"A": 0.5, "B": 0.5})).sum()
    np.float64(1.0)
    """
    values = shares.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise DataError(f"{name}: shares contain NaN or infinite values; check the rule's inputs")
    total = values.sum()
    if abs(total - 1.0) > atol:
        raise DataError(f"{name}: shares sum to {total:.12g}, not 1; normalise them first")
    return shares
