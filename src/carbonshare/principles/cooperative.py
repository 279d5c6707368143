"""Cooperative rules: shares from a TU game, and the alliance study's shares.

References
----------
Shapley, L. S. (1953). A value for n-person games. In *Contributions to the
Theory of Games II*, 307-317.
Zhou et al. (2024), iScience 27, 109412 (alliance-based two-stage Shapley).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonshare.errors import DataError, GameError
from carbonshare.principles._shares import normalise

__all__ = ["alliance_shares", "shapley_allocation"]


def shapley_allocation(game, *, method: str = "auto", allow_negative: bool = False) -> pd.Series:
    """Allowance shares phi_i / v(N) from the Shapley value of ``game``.

    ``game`` is any :mod:`carbonshare.games` game whose worth v(S) measures what
    coalition S contributes (e.g. abatement, output, or an alliance game).

    Raises
    ------
    GameError  if v(N) = 0 or a player's value is negative (unless ``allow_negative``).

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> g = TabularGame(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 6})
    >>> shapley_allocation(g).round(4).to_dict()
    {'A': 0.4167, 'B': 0.5833}
    """
    from carbonshare.games import shapley_value

    phi = shapley_value(game, method=method).astype(float)
    total = float(phi.sum())
    if np.isclose(total, 0.0):
        raise GameError("shapley_allocation: v(N) = 0, so the Shapley value cannot give shares")
    if not allow_negative and (phi < 0).any():
        bad = phi.index[(phi < 0).to_numpy()]
        raise GameError(
            f"shapley_allocation: Shapley values are negative for {', '.join(map(str, bad[:8]))}; "
            f"use a game with non-negative marginal contributions or pass allow_negative=True"
        )
    return (phi / total).rename("shapley")


def alliance_shares(shares: pd.Series) -> pd.Series:
    """The alliance study's allocation (entity -> value) normalised to shares.

    Accepts the two-stage Shapley values (or any non-negative allocation) of
    :func:`carbonshare.studies.alliances.run_alliances` and returns them divided
    by their sum, name ``"alliance"``.

    Examples
    --------
    >>> alliance_shares(pd.Series({"A": 2.0, "B": 6.0})).to_dict()
    {'A': 0.25, 'B': 0.75}
    """
    if not isinstance(shares, pd.Series):
        raise DataError(
            f"alliance_shares expects a pd.Series entity -> value, got {type(shares).__name__}"
        )
    return normalise(shares.astype(float), "alliance")
