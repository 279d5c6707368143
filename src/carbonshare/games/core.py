"""The core and structural properties of table games.

core(v) = {x : x(N) = v(N), x(S) >= v(S) for all S}   (benefit games)
core(c) = {x : x(N) = c(N), x(S) <= c(S) for all S}   (cost games)

- :func:`core_check`: is an allocation in the core? Maximum excess
  e(S) = v(S) - x(S) (cost: x(S) - c(S)) over S != {}, N and the coalition
  attaining it (the most blocking coalition).
- :func:`is_balanced`: Bondareva-Shapley theorem: the core is non-empty iff
  min {sum_i x_i : x(S) >= v(S) for all S != {}} <= v(N) (one LP).
- :func:`is_convex`: supermodularity, v(S+i+j) - v(S+i) - v(S+j) + v(S) >= 0
  for all S and i, j not in S (Shapley 1971: convex games have a non-empty
  core containing the Shapley value). For cost games: concavity (<= 0).
- :func:`is_superadditive`: v(S u T) >= v(S) + v(T) for disjoint S, T
  (cost games: subadditive).

References
----------
Gillies, D. B. (1959). Solutions to general non-zero-sum games. Annals of
Mathematics Studies 40, 47-85. Bondareva, O. N. (1963). Some applications of
linear programming methods to the theory of cooperative games. Problemy
Kibernetiki 10, 119-139. Shapley, L. S. (1967). On balanced sets and cores.
Naval Research Logistics Quarterly 14(4), 453-460. Shapley, L. S. (1971).
Cores of convex games. International Journal of Game Theory 1(1), 11-26.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from carbonshare.errors import GameError
from carbonshare.games.game import Game, additive_table, value_unit

MAX_SUPERADDITIVE_PLAYERS = 14


@dataclass(frozen=True)
class CoreCheck:
    """Result of :func:`core_check`.

    Attributes
    ----------
    in_core : efficient and no coalition has a positive excess (within tol).
    max_excess : largest excess over S != {}, N (<= 0 in the core).
    blocking_coalition : the coalition attaining ``max_excess`` (player names)
        if it is positive, else None.
    efficiency_gap : x(N) - v(N).
    """

    in_core: bool
    max_excess: float
    blocking_coalition: tuple | None
    efficiency_gap: float


def _signed_table(game: Game) -> np.ndarray:
    """Table oriented so that larger = better for the coalition (cost: -c)."""
    table = game.table()
    return -table if game.cost else table


def excesses(game: Game, allocation: pd.Series) -> np.ndarray:
    """e(S) for every bitmask S: v(S) - x(S), or x(S) - c(S) for cost games.

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> g = TabularGame(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 6})
    >>> excesses(g, pd.Series({"A": 2.5, "B": 3.5})).tolist()
    [0.0, -1.5, -1.5, 0.0]
    """
    x = aligned_allocation(game, allocation)
    table = _signed_table(game)
    sign = -1.0 if game.cost else 1.0
    return table - sign * additive_table(x)


def core_check(game: Game, allocation: pd.Series, *, tol: float = 1e-9) -> CoreCheck:
    """Core membership of an allocation, its maximum excess and blocking coalition.

    Parameters
    ----------
    game : a game with n <= 25.
    allocation : Series player -> value (every player, no extras).
    tol : tolerance relative to the game's unit max |v(S)| (see :func:`abs_tol`), so
        the verdict does not depend on the units of the game.

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> maj = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) >= 2))
    >>> chk = core_check(maj, pd.Series({"A": 0.5, "B": 0.5, "C": 0.0}))
    >>> chk.in_core, chk.max_excess, chk.blocking_coalition
    (False, 0.5, ('A', 'C'))
    """
    e = excesses(game, allocation)
    x = aligned_allocation(game, allocation)
    scale = abs_tol(game, tol)
    gap = float(x.sum() - game.table()[-1])
    inner = e[1:-1]
    if inner.size == 0:
        return CoreCheck(abs(gap) <= scale, float("-inf"), None, gap)
    k = int(np.argmax(inner))
    max_e = float(inner[k])
    blocking = game.members(k + 1) if max_e > scale else None
    return CoreCheck(bool(max_e <= scale and abs(gap) <= scale), max_e, blocking, gap)


def abs_tol(game: Game, tol: float = 1e-9) -> float:
    """``tol`` relative to the game's unit: tol * max |v(S)| over its table (n <= 25),
    rounded up to a power of two (:func:`~carbonshare.games.game.value_unit`).

    Every yes/no verdict of this module compares with this, so it does not depend on
    the units of the game (no floor of 1: a game worth 1e-10 is judged like one worth 1).

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> abs_tol(TabularGame(["A", "B"], {("A",): 1, ("B",): 0, ("A", "B"): -3}), tol=1e-9)
    4e-09
    """
    return tol * value_unit(game.table())


def aligned_allocation(game: Game, allocation: pd.Series) -> np.ndarray:
    """The allocation as a float array in player order.

    Raises
    ------
    GameError  if it is not a Series, misses or adds players, or holds non-finite values.
    """
    if not isinstance(allocation, pd.Series):
        raise GameError("the allocation must be a pandas Series indexed by player")
    missing = [p for p in game.players if p not in allocation.index]
    extra = [p for p in allocation.index if p not in game.index]
    if missing or extra:
        raise GameError(
            f"the allocation does not match the players: missing {missing[:10]}, "
            f"unknown {extra[:10]}; index it by exactly the game's players"
        )
    if allocation.index.has_duplicates:
        dup = allocation.index[allocation.index.duplicated()][0]
        raise GameError(f"the allocation lists player {dup!r} twice; give one value per player")
    x = allocation.loc[list(game.players)].to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(x))
    if bad.size:
        raise GameError(
            f"the allocation of {game.players[bad[0]]!r} is {x[bad[0]]}; "
            "allocations must be finite numbers"
        )
    return x


def is_balanced(game: Game, *, tol: float = 1e-9) -> bool:
    """Bondareva-Shapley: True iff the core is non-empty (one LP over 2^n rows).

    ``tol`` is relative to the game's unit max |v(S)| (:func:`abs_tol`).

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> maj = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) >= 2))
    >>> is_balanced(maj)
    False
    """
    return balancedness_gap(game) <= abs_tol(game, tol)


def balancedness_gap(game: Game) -> float:
    """min {x(N) : x(S) >= v(S) for all S} - v(N) (on the savings game for cost games);
    <= 0 iff the core is non-empty. The LP is solved on the game divided by its unit
    (:func:`~carbonshare.games.game.value_unit`), so HiGHS's absolute tolerances act
    relative to the game's values."""
    from scipy.optimize import linprog

    from carbonshare.games.nucleolus import check_lp_size

    check_lp_size(game.n)
    table, _, _, unit = game.as_benefit()
    n = game.n
    ids = np.arange(1, 1 << n, dtype=np.int64)
    masks = ((ids[:, None] >> np.arange(n)) & 1).astype(float)
    res = linprog(
        np.ones(n), A_ub=-masks, b_ub=-table[ids], bounds=[(None, None)] * n, method="highs"
    )
    if res.status != 0:
        raise GameError(f"the balancedness LP failed: {res.message}")
    return float(res.fun - table[-1]) * unit


def convexity_violation(game: Game) -> tuple[float, tuple | None]:
    """Most negative v(S+i+j) - v(S+i) - v(S+j) + v(S) (sign-flipped for cost games)
    and the (S, i, j) attaining it (None if the game is convex).

    O(n^2 2^n) vectorised.
    """
    table = _signed_table(game)
    n = game.n
    worst, where = 0.0, None
    for j in range(n):
        for i in range(j):
            v = table.reshape(-1, 2, 1 << (j - i - 1), 2, 1 << i)
            d = v[:, 1, :, 1, :] - v[:, 1, :, 0, :] - v[:, 0, :, 1, :] + v[:, 0, :, 0, :]
            k = int(np.argmin(d))
            if d.flat[k] < worst:
                worst = float(d.flat[k])
                hi, mid, lo = np.unravel_index(k, d.shape)
                s_mask = (int(hi) << (j + 1)) | (int(mid) << (i + 1)) | int(lo)
                where = (game.members(s_mask), game.players[i], game.players[j])
    return worst, where


def is_convex(game: Game, *, tol: float = 1e-9) -> bool:
    """True iff the game is convex (supermodular); for cost games, concave.

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> is_convex(TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) ** 2)))
    True
    """
    worst, _ = convexity_violation(game)
    return worst >= -abs_tol(game, tol)


def superadditivity_violation(game: Game) -> tuple[float, tuple | None]:
    """Most negative v(S u T) - v(S) - v(T) over disjoint non-empty S, T (cost games:
    sign flipped) and the pair (S, T) attaining it; n <= 14 (3^n pairs)."""
    if game.n > MAX_SUPERADDITIVE_PLAYERS:
        raise GameError(
            f"superadditivity of {game.n} players checks 3^{game.n} pairs "
            f"(limit {MAX_SUPERADDITIVE_PLAYERS} players)"
        )
    table = _signed_table(game)
    size = 1 << game.n
    allm = np.arange(size, dtype=np.int64)
    worst, where = 0.0, None
    for t in range(1, size):
        s = allm[(allm & t) == 0]
        s = s[(s > 0) & (s < t)]
        if s.size == 0:
            continue
        d = table[s | t] - table[s] - table[t]
        k = int(np.argmin(d))
        if d[k] < worst:
            worst = float(d[k])
            where = (game.members(int(s[k])), game.members(t))
    return worst, where


def is_superadditive(game: Game, *, tol: float = 1e-9) -> bool:
    """True iff v(S u T) >= v(S) + v(T) for disjoint S, T (cost: subadditive).

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> is_superadditive(TabularGame.from_function(["A", "B"], lambda s: float(len(s) == 1)))
    False
    """
    worst, _ = superadditivity_violation(game)
    return worst >= -abs_tol(game, tol)
