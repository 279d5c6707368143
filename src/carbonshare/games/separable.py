"""Allocation rules that need only v(N), v({i}) and v(N \\ {i}) (docs/methods.md B6).

With m_i = v(N) - v(N \\ {i}) (separable part) and r_i = m_i - v({i})
(remaining part):

- SCRB (separable costs remaining benefits):
  b_i = m_i + r_i / sum_j r_j * [v(N) - sum_j m_j]
- ESD (equal surplus division): b_i = v({i}) + [v(N) - sum_j v({j})] / n
- EANC (equal allocation of non-separable costs):
  b_i = m_i + [v(N) - sum_j m_j] / n
- proportional: b_i = v(N) w_i / sum_j w_j (w = v({i}) unless given)
- equal split: b_i = v(N) / n

The same formulas apply to cost games (c in place of v): for SCRB the
remaining cost is r_i = c({i}) - m_i, whose ratio r_i / sum r is the same as
with the benefit sign, and each rule is covariant with the savings game
(the allocation of c equals c({i}) minus the rule's allocation of the savings
game s(S) = sum_{S} c({i}) - c(S)); this is tested. All rules are efficient
and need n + n + 1 evaluations of v, so they work for any game size.

References
----------
Young, H. P., Okada, N., & Hashimoto, T. (1982). Cost allocation in water
resources development. Water Resources Research 18(3), 463-475.
Tijs, S. H., & Driessen, T. S. H. (1986). Game theory and cost allocation
problems. Management Science 32(8), 1015-1028.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonshare.errors import GameError
from carbonshare.games.game import Game, allocation_series, value_unit


def _parts(game: Game) -> tuple[float, np.ndarray, np.ndarray]:
    grand = game.grand_value()
    single = game.singleton_values()
    separable = grand - game.leave_one_out_values() if game.n > 1 else np.array([grand])
    return grand, single, separable


def scrb(game: Game) -> pd.Series:
    """Separable costs remaining benefits (docs/methods.md B6).

    b_i = m_i + r_i / sum r * (v(N) - sum m), m_i = v(N) - v(N \\ {i}),
    r_i = m_i - v({i}) (cost games: r_i = c({i}) - m_i, same weights).

    Raises
    ------
    GameError  if sum r = 0 (|sum r| <= 1e-9 sum |r|) while v(N) - sum m != 0 (the
        weights are undefined).

    Examples
    --------
    Young, Okada & Hashimoto (1982)-style three-user cost game, checked by hand:
    c(1)=c(2)=c(3)=10, c(12)=c(13)=c(23)=16, c(123)=21.
    m_i = 21 - 16 = 5, non-separable cost 21 - 15 = 6, r_i = 10 - 5 = 5,
    so every user pays 5 + 6/3 = 7.

    >>> from carbonshare.games import TabularGame
    >>> g = TabularGame.from_function(
    ...     ["1", "2", "3"], lambda s: {0: 0, 1: 10, 2: 16, 3: 21}[len(s)], cost=True
    ... )
    >>> scrb(g).tolist()
    [7.0, 7.0, 7.0]

    References
    ----------
    Young, Okada & Hashimoto (1982); docs/methods.md B6.
    """
    grand, single, sep = _parts(game)
    remaining = sep - single
    non_sep = grand - sep.sum()
    total_r = remaining.sum()
    # sum r is 0 when it cancels to rounding level (~1e-16 of the |r_i|): dividing by it
    # would blow the allocation up, so it is treated as exactly 0
    if abs(total_r) <= 1e-9 * np.abs(remaining).sum():
        if abs(non_sep) > 1e-12 * value_unit(np.concatenate([single, sep, [grand]])):
            raise GameError(
                "SCRB is undefined: the remaining parts r_i = m_i - v({i}) sum to 0 while the "
                f"non-separable part v(N) - sum m = {non_sep:.6g} is not 0; use eanc or esd"
            )
        return allocation_series(game, sep, "scrb")
    return allocation_series(game, sep + remaining / total_r * non_sep, "scrb")


def esd(game: Game) -> pd.Series:
    """Equal surplus division: b_i = v({i}) + (v(N) - sum_j v({j})) / n (docs/methods.md B6).

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> g = TabularGame(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 6})
    >>> esd(g).tolist()
    [2.5, 3.5]
    """
    grand, single, _ = _parts(game)
    return allocation_series(game, single + (grand - single.sum()) / game.n, "esd")


def eanc(game: Game) -> pd.Series:
    """Equal allocation of non-separable costs: b_i = m_i + (v(N) - sum m) / n (docs/methods.md B6).

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> maj = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) >= 2))
    >>> eanc(maj).round(6).tolist()
    [0.333333, 0.333333, 0.333333]
    """
    grand, _, sep = _parts(game)
    return allocation_series(game, sep + (grand - sep.sum()) / game.n, "eanc")


def proportional(game: Game, weights: pd.Series | None = None) -> pd.Series:
    """b_i = v(N) w_i / sum_j w_j; w = standalone values v({i}) unless ``weights`` is given.

    Raises
    ------
    GameError  if the weights sum to 0, are negative, or miss a player.

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> g = TabularGame(["A", "B"], {("A",): 1, ("B",): 3, ("A", "B"): 8})
    >>> proportional(g).tolist()
    [2.0, 6.0]
    """
    if weights is None:
        w = game.singleton_values()
        what = "standalone values v({i})"
    else:
        missing = [p for p in game.players if p not in weights.index]
        if missing:
            raise GameError(f"proportional weights miss players {missing[:10]}")
        w = weights.loc[list(game.players)].to_numpy(dtype=float)
        what = "weights"
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise GameError(f"proportional allocation needs finite, non-negative {what}")
    if w.sum() == 0:
        raise GameError(f"the {what} sum to 0, so a proportional split is undefined; pass weights=")
    return allocation_series(game, game.grand_value() * (w / w.sum()), "proportional")


def equal_split(game: Game) -> pd.Series:
    """b_i = v(N) / n.

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> equal_split(TabularGame(["A", "B"], {("A",): 1, ("B",): 3, ("A", "B"): 8})).tolist()
    [4.0, 4.0]
    """
    return allocation_series(game, np.full(game.n, game.grand_value() / game.n), "equal_split")
