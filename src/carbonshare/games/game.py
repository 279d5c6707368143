"""Transferable-utility (TU) games keyed by explicit player names.

A TU game is a set of players N and a characteristic function v: 2^N -> R with
v(empty) = 0. carbonshare never asks the user to guess a positional order:
coalitions are given as iterables of player names (``{"DEU", "FRA"}``) and
internally turned into bitmasks, bit ``k`` standing for ``game.players[k]``.

Three representations share the :class:`Game` interface:

- :class:`TabularGame` — an explicit table of the 2^n coalition values
  (n <= 25);
- :class:`CallableGame` — a value function, for games too large to tabulate;
- :class:`~carbonshare.games.dividend.DividendGame` — sparse Harsanyi
  dividends (see ``dividend.py``), including the alliance game of docs/methods.md A6.

A game is a *benefit* game (v = worth to share, more is better) or a *cost*
game (``cost=True``: c = cost to share, less is better). Value-type solutions
(Shapley, Owen, Banzhaf, SCRB, ESD, EANC) apply the same formula to either;
core-type solutions of a cost game are computed on its savings game
s(S) = sum_{i in S} c({i}) - c(S) (:meth:`Game.savings_game`).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from carbonshare.errors import GameError

MAX_TABLE_PLAYERS = 25
"""Largest number of players for which a full table of 2^n values is built."""

MAX_ABS_VALUE = 1e300
"""Largest |v(S)| accepted: sums over the 2^25 coalitions of a table stay below the
float64 limit (1.8e308)."""


def value_unit(table: np.ndarray) -> float:
    """The game's unit: max |v(S)| over a table, rounded up to a power of two (1.0 for the
    zero game).

    Solvers that are sensitive to absolute magnitudes (the LPs of the nucleolus, least
    core and balancedness; the weighted sums of the exact Shapley value) work on the
    game divided by this unit and scale the answer back, and every yes/no tolerance is
    relative to it, so a game and the same game in other units (t or Gt, 1e-10 or 1e12)
    give the same answers and verdicts. A power of two makes the scaling itself exact.

    Examples
    --------
    >>> value_unit(np.array([0.0, -3.0, 2.0])), value_unit(np.array([0.0, 4.0]))
    (4.0, 8.0)
    >>> value_unit(np.zeros(4))
    1.0
    """
    table = np.asarray(table, dtype=float)
    if table.size == 0:
        return 1.0
    top = max(float(np.max(table)), -float(np.min(table)))
    return math.ldexp(1.0, min(math.frexp(top)[1], 1023)) if top > 0 else 1.0


def check_magnitude(value: float, what: str) -> None:
    """Raise GameError if |value| > MAX_ABS_VALUE (sums over coalitions would overflow)."""
    if abs(value) > MAX_ABS_VALUE:
        raise GameError(
            f"{what} is {value:.6g}, beyond the largest magnitude carbonshare accepts "
            f"({MAX_ABS_VALUE:.0e}): sums over coalitions would overflow float64; express the "
            "game in larger units (divide every value by the same factor)"
        )


def popcount_table(n: int) -> np.ndarray:
    """Number of players in each coalition bitmask 0 .. 2^n - 1 (uint8).

    Examples
    --------
    >>> popcount_table(3).tolist()
    [0, 1, 1, 2, 1, 2, 2, 3]
    """
    pc = np.zeros(1, dtype=np.uint8)
    for _ in range(n):
        pc = np.concatenate([pc, pc + 1])
    return pc


def additive_table(x: np.ndarray) -> np.ndarray:
    """x(S) = sum_{i in S} x_i for every bitmask S (length 2^n, float64).

    Examples
    --------
    >>> additive_table(np.array([1.0, 10.0])).tolist()
    [0.0, 1.0, 10.0, 11.0]
    """
    out = np.zeros(1)
    for xi in np.asarray(x, dtype=float):
        out = np.concatenate([out, out + xi])
    return out


def _type_hint(name: Hashable, players: Sequence[Hashable]) -> str:
    """Explain a player that differs from a known one only by type (1 vs "1")."""
    same = next((p for p in players if str(p) == str(name)), None)
    if same is None:
        return ""
    return (
        f" ({name!r} is a {type(name).__name__} but the player is {same!r}, a "
        f"{type(same).__name__}; write coalition members exactly as the players are named)"
    )


def format_coalition(players: Iterable[Hashable]) -> str:
    """Readable form of a coalition: ``{A,B}`` (``{}`` for the empty set)."""
    return "{" + ",".join(str(p) for p in players) + "}"


class Game(ABC):
    """Base class: a TU game on named players.

    Subclasses implement :meth:`values` (vectorised evaluation on a boolean
    membership matrix). Everything else — :meth:`value`, :meth:`table`,
    :meth:`savings_game` — is derived from it.

    Parameters
    ----------
    players : sequence of distinct hashable names (order fixes bit positions).
    cost : True for a cost game (allocate c(N); smaller is better).
    """

    def __init__(self, players: Sequence[Hashable], *, cost: bool = False) -> None:
        players = tuple(players)
        if len(players) == 0:
            raise GameError("a game needs at least one player; got an empty player list")
        seen: dict[Hashable, int] = {}
        for k, p in enumerate(players):
            if not isinstance(p, Hashable):
                raise GameError(f"player {k} is {p!r}; a player name must be a string or number")
            if p in seen:
                raise GameError(
                    f"player {p!r} is listed twice (positions {seen[p]} and {k}); "
                    "player names must be unique"
                )
            seen[p] = k
        self.players: tuple[Hashable, ...] = players
        self.index: dict[Hashable, int] = seen
        self.cost: bool = bool(cost)

    # -- basic facts ---------------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def kind(self) -> str:
        """``"cost"`` or ``"benefit"``."""
        return "cost" if self.cost else "benefit"

    def __repr__(self) -> str:
        shown = ", ".join(map(str, self.players[:6])) + (", ..." if self.n > 6 else "")
        return f"{type(self).__name__}({self.kind}, n={self.n}, players=[{shown}])"

    # -- coalitions ----------------------------------------------------------------------------
    def positions(self, coalition: Iterable[Hashable]) -> list[int]:
        """Bit positions of the players in ``coalition``.

        Raises
        ------
        GameError  naming an unknown player, or a player listed twice.
        """
        if isinstance(coalition, str):
            if coalition not in self.index:
                raise GameError(
                    f"coalition given as the string {coalition!r}, which is not a player; "
                    "pass a list of player names, e.g. ['A', 'B']"
                )
            coalition = [coalition]
        out: list[int] = []
        for p in coalition:
            if not isinstance(p, Hashable):
                raise GameError(
                    f"coalition member {p!r} is not a player name; a coalition is a flat list "
                    "of names, e.g. ['A', 'B']"
                )
            k = self.index.get(p)
            if k is None:
                raise GameError(
                    f"unknown player {p!r} in coalition {format_coalition(coalition)}; "
                    f"the game's players are {format_coalition(self.players)}"
                    + _type_hint(p, self.players)
                )
            if k in out:
                raise GameError(
                    f"player {p!r} appears twice in coalition {format_coalition(coalition)}"
                )
            out.append(k)
        return out

    def mask(self, coalition: Iterable[Hashable]) -> int:
        """Bitmask of a coalition (bit k = ``players[k]``)."""
        m = 0
        for k in self.positions(coalition):
            m |= 1 << k
        return m

    def members(self, mask: int) -> tuple[Hashable, ...]:
        """Player names of a bitmask, in player order."""
        return tuple(p for k, p in enumerate(self.players) if mask >> k & 1)

    def masks_to_bool(self, masks: np.ndarray) -> np.ndarray:
        """Integer bitmasks (m,) -> boolean membership matrix (m, n)."""
        masks = np.asarray(masks, dtype=np.int64)
        return (masks[:, None] >> np.arange(self.n, dtype=np.int64)) & 1 == 1

    # -- evaluation ----------------------------------------------------------------------------
    @abstractmethod
    def values(self, membership: np.ndarray) -> np.ndarray:
        """v of each row of a boolean membership matrix of shape (m, n)."""

    def value(self, coalition: Iterable[Hashable]) -> float:
        """v(S) of one coalition given by player names.

        Examples
        --------
        >>> g = TabularGame.from_function(["A", "B"], lambda s: float(len(s) ** 2))
        >>> g.value(["A", "B"]), g.value([])
        (4.0, 0.0)
        """
        row = np.zeros((1, self.n), dtype=bool)
        row[0, self.positions(coalition)] = True
        return float(self.values(row)[0])

    def grand_value(self) -> float:
        """v(N)."""
        return float(self.values(np.ones((1, self.n), dtype=bool))[0])

    def singleton_values(self) -> np.ndarray:
        """v({i}) for every player, in player order."""
        return np.asarray(self.values(np.eye(self.n, dtype=bool)), dtype=float)

    def leave_one_out_values(self) -> np.ndarray:
        """v(N \\ {i}) for every player, in player order."""
        return np.asarray(self.values(~np.eye(self.n, dtype=bool)), dtype=float)

    def table(self) -> np.ndarray:
        """All 2^n values as a float64 array indexed by bitmask (n <= 25).

        Raises
        ------
        GameError  if n > 25 (the table would not fit in memory).
        """
        check_table_size(self.n)
        size = 1 << self.n
        out = np.empty(size)
        chunk = 1 << 16
        for start in range(0, size, chunk):
            stop = min(size, start + chunk)
            out[start:stop] = self.values(self.masks_to_bool(np.arange(start, stop)))
        return out

    def to_tabular(self) -> TabularGame:
        """The explicit table of this game (n <= 25)."""
        return TabularGame.from_array(self.players, self.table(), cost=self.cost)

    def savings_game(self) -> TabularGame:
        """Savings game of a cost game: s(S) = sum_{i in S} c({i}) - c(S).

        A benefit game: s({i}) = 0, s(N) = total savings of cooperation. An
        allocation y of s corresponds to the cost allocation x_i = c({i}) - y_i;
        core, nucleolus and least core of a cost game are computed this way.

        Raises
        ------
        GameError  if the game is not a cost game.
        """
        if not self.cost:
            raise GameError(
                "savings_game() is defined for cost games; this game is a benefit game "
                "(build it with cost=True if its values are costs)"
            )
        c = self.table()
        s = additive_table(c[1 << np.arange(self.n)]) - c
        return TabularGame.from_array(self.players, s, cost=False)

    def as_benefit(self) -> tuple[np.ndarray, np.ndarray, float, float]:
        """The game as a benefit table in its own unit, for the core-type solvers.

        Returns ``(t, offset, sign, unit)``: ``t`` is the benefit table (the savings game
        for a cost game) divided by ``unit``, its max |value| rounded up to a power of two
        (:func:`value_unit`), so that 1/2 <= max |t| <= 1 (the zero game: t = 0, unit 1). An allocation y of t maps to the allocation
        ``offset + sign * unit * y`` of this game. Benefit game: offset 0, sign +1.
        Cost game: offset c({i}), sign -1. The savings are formed from the cost table
        already divided by its unit, so nothing overflows or underflows.

        Examples
        --------
        >>> g = TabularGame(["A", "B"], {("A",): 3, ("B",): 4, ("A", "B"): 6}, cost=True)
        >>> t, offset, sign, unit = g.as_benefit()
        >>> (unit * t).tolist(), offset.tolist(), sign
        ([0.0, 0.0, 0.0, 1.0], [3.0, 4.0], -1.0)
        """
        raw = self.table()
        unit = value_unit(raw)
        t = raw / unit
        if not self.cost:
            return t, np.zeros(self.n), 1.0, unit
        t = additive_table(t[1 << np.arange(self.n)]) - t
        # savings within the rounding of costs of at most 1 are zero: divided by ``inner`` they
        # would become of order 1, with a sign that depends on the unit of the costs
        t[np.abs(t) <= 4 * self.n * np.finfo(float).eps] = 0.0
        inner = value_unit(t)
        return t / inner, self.singleton_values(), -1.0, unit * inner


def check_table_size(
    n: int,
    advice: str = "use a closed form (DividendGame) or a sampled solution (method='sample')",
) -> None:
    """Raise GameError if a 2^n table would be too large; ``advice`` says what to do."""
    if n > MAX_TABLE_PLAYERS:
        raise GameError(
            f"a game with {n} players has 2^{n} coalitions, too many to tabulate "
            f"(limit {MAX_TABLE_PLAYERS} players); {advice}"
        )


class TabularGame(Game):
    """A game given by the explicit table of all 2^n coalition values.

    Parameters
    ----------
    players : distinct player names.
    values : mapping coalition -> value, or iterable of (coalition, value)
        pairs; a coalition is any iterable of player names. Every non-empty
        coalition must appear exactly once; the empty coalition may be
        omitted (v(empty) = 0) and, if given, must be 0.
    cost : True for a cost game.

    Raises
    ------
    GameError  for a missing, duplicated or unknown coalition, a non-finite
        value or v(empty) != 0; the message names the coalition.

    Examples
    --------
    >>> g = TabularGame(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 6})
    >>> g.value({"B", "A"})
    6.0
    """

    def __init__(
        self,
        players: Sequence[Hashable],
        values: Mapping[Iterable[Hashable], float] | Iterable[tuple[Iterable[Hashable], float]],
        *,
        cost: bool = False,
    ) -> None:
        super().__init__(players, cost=cost)
        check_table_size(self.n)
        items = values.items() if isinstance(values, Mapping) else values
        size = 1 << self.n
        table = np.full(size, np.nan)
        given = np.zeros(size, dtype=bool)
        for coalition, val in items:
            m = self.mask(coalition)
            name = format_coalition(self.members(m))
            if given[m]:
                raise GameError(
                    f"coalition {name} is given twice; list each coalition once "
                    "(the order of its members does not matter)"
                )
            try:
                fval = float(val)
            except (TypeError, ValueError):
                raise GameError(f"value of coalition {name} is {val!r}, not a number") from None
            given[m] = True
            table[m] = fval
        if not given[0]:
            table[0] = 0.0
            given[0] = True
        self._table = _validated_table(self.players, table, given)

    @classmethod
    def from_array(
        cls,
        players: Sequence[Hashable],
        table: np.ndarray,
        *,
        cost: bool = False,
        given: np.ndarray | None = None,
    ) -> TabularGame:
        """Game from a float array of length 2^n indexed by bitmask (bit k = players[k]).

        ``given`` (bool, same length) marks the coalitions that have a value; the others
        are reported as missing (v(empty) defaults to 0).

        Examples
        --------
        >>> TabularGame.from_array(["A", "B"], np.array([0, 1, 2, 4.0])).value(["A", "B"])
        4.0
        """
        game = cls.__new__(cls)
        Game.__init__(game, players, cost=cost)
        check_table_size(game.n)
        table = np.asarray(table, dtype=float)
        if table.shape != (1 << game.n,):
            raise GameError(
                f"a table for {game.n} players needs 2^{game.n} = {1 << game.n} values "
                f"indexed by bitmask; got an array of shape {table.shape}"
            )
        if given is not None and not given[0]:
            table[0], given[0] = 0.0, True
        game._table = _validated_table(game.players, table, given)
        return game

    @classmethod
    def from_function(
        cls,
        players: Sequence[Hashable],
        fn: Callable[[frozenset], float],
        *,
        cost: bool = False,
    ) -> TabularGame:
        """Tabulate v(S) = fn(frozenset of names) for every coalition (n <= 25)."""
        return CallableGame(players, fn, cost=cost).to_tabular()

    def values(self, membership: np.ndarray) -> np.ndarray:
        membership = np.asarray(membership, dtype=bool)
        idx = membership.astype(np.int64) @ (np.int64(1) << np.arange(self.n, dtype=np.int64))
        return self._table[idx]

    def table(self) -> np.ndarray:
        """The 2^n values indexed by bitmask (read-only view)."""
        view = self._table.view()
        view.flags.writeable = False
        return view

    def to_tabular(self) -> TabularGame:
        return self

    def items(self) -> Iterable[tuple[tuple[Hashable, ...], float]]:
        """(coalition as a tuple of names, value) for every coalition, by bitmask."""
        for m in range(1 << self.n):
            yield self.members(m), float(self._table[m])


def _validated_table(
    players: tuple[Hashable, ...], table: np.ndarray, given: np.ndarray | None
) -> np.ndarray:
    n = len(players)
    if given is not None and not given.all():
        missing = np.flatnonzero(~given)
        names = [format_coalition(p for k, p in enumerate(players) if m >> k & 1) for m in missing]
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        raise GameError(
            f"{len(names)} of the {(1 << n) - 1} non-empty coalitions have no value: {shown}; "
            "a table game needs every coalition (use a CallableGame or DividendGame otherwise)"
        )
    bad = np.flatnonzero(~np.isfinite(table))
    if bad.size:
        m = int(bad[0])
        name = format_coalition(p for k, p in enumerate(players) if m >> k & 1)
        raise GameError(
            f"value of coalition {name} is {table[m]}; coalition values must be finite numbers"
        )
    if value_unit(table) > MAX_ABS_VALUE:
        big = int(np.argmax(np.abs(table)))
        name = format_coalition(p for k, p in enumerate(players) if big >> k & 1)
        check_magnitude(float(table[big]), f"the value of coalition {name}")
    if table[0] != 0.0:
        raise GameError(
            f"v({{}}) = {table[0]}; the empty coalition must have value 0 "
            "(if that is a constant offset, subtract it from every value)"
        )
    return np.ascontiguousarray(table, dtype=float)


class CallableGame(Game):
    """A game given by a value function, for games too large to tabulate.

    Parameters
    ----------
    players : distinct player names.
    fn : ``fn(frozenset_of_names) -> float``; or, with ``vectorized=True``,
        ``fn(membership) -> array`` taking a boolean matrix of shape (m, n)
        whose columns follow ``players``.
    vectorized : see ``fn``.
    cost : True for a cost game.
    cache : memoise scalar calls (non-vectorised ``fn`` only).

    Examples
    --------
    >>> g = CallableGame(["a", "b", "c"], lambda s: float(len(s) >= 2))
    >>> g.value(["a", "c"]), g.value(["b"])
    (1.0, 0.0)
    """

    def __init__(
        self,
        players: Sequence[Hashable],
        fn: Callable,
        *,
        vectorized: bool = False,
        cost: bool = False,
        cache: bool = True,
    ) -> None:
        super().__init__(players, cost=cost)
        self.fn = fn
        self.vectorized = bool(vectorized)
        self._cache: dict[bytes, float] | None = {} if cache and not vectorized else None

    def values(self, membership: np.ndarray) -> np.ndarray:
        membership = np.asarray(membership, dtype=bool)
        if self.vectorized:
            out = np.asarray(self.fn(membership), dtype=float).reshape(-1)
            if out.shape[0] != membership.shape[0]:
                raise GameError(
                    f"the vectorised value function returned {out.shape[0]} values for "
                    f"{membership.shape[0]} coalitions; it must return one value per row"
                )
            empty = ~membership.any(axis=1)
            if np.any(out[empty] != 0):
                raise GameError("the value function gives v({}) != 0; v(empty) must be 0")
        else:
            out = np.empty(membership.shape[0])
            packed = np.packbits(membership, axis=1)
            for r in range(membership.shape[0]):
                out[r] = self._scalar(packed[r].tobytes(), membership[r])
        bad = np.flatnonzero(~np.isfinite(out))
        if bad.size:
            row = membership[bad[0]]
            name = format_coalition(p for p, b in zip(self.players, row, strict=True) if b)
            raise GameError(
                f"the value function gives {out[bad[0]]} for coalition {name}; "
                "values must be finite numbers"
            )
        if out.size and value_unit(out) > MAX_ABS_VALUE:
            row = membership[int(np.argmax(np.abs(out)))]
            name = format_coalition(p for p, b in zip(self.players, row, strict=True) if b)
            check_magnitude(float(np.abs(out).max()), f"the value function at {name}")
        return out

    def _scalar(self, key: bytes, row: np.ndarray) -> float:
        if self._cache is not None and key in self._cache:
            return self._cache[key]
        members = np.flatnonzero(row)
        val = (
            0.0
            if members.size == 0
            else float(self.fn(frozenset(self.players[k] for k in members)))
        )
        if self._cache is not None:
            self._cache[key] = val
        return val


def shapley_weights(n: int) -> np.ndarray:
    """w(s) = s! (n - s - 1)! / n! for s = 0 .. n-1: the Shapley weight of a
    coalition of size s that player i joins.

    Examples
    --------
    >>> shapley_weights(3).tolist() == [1 / 3, 1 / 6, 1 / 3]
    True
    """
    return np.array([1.0 / (n * math.comb(n - 1, s)) for s in range(n)])


def bit_marginals(x: np.ndarray) -> np.ndarray:
    """For an array indexed by bitmask (length 2^c): m_k = sum_{S with bit k} x(S), k < c.

    Two contiguous passes per level of 8 bits (no strided views).

    Examples
    --------
    >>> bit_marginals(np.array([1.0, 2.0, 4.0, 8.0])).tolist()
    [10.0, 12.0]
    """
    x = np.asarray(x, dtype=float)
    out: list[np.ndarray] = []
    while x.size > 1:
        b = min(8, x.size.bit_length() - 1)
        block = x.reshape(-1, 1 << b)
        cols = block.sum(axis=0)
        out.append(_BIT_MATRIX[b].T @ cols)
        x = block.sum(axis=1)
    return np.concatenate(out) if out else np.zeros(0)


_BIT_MATRIX = {
    b: ((np.arange(1 << b)[:, None] >> np.arange(b)) & 1).astype(float) for b in range(1, 9)
}


def allocation_series(game: Game, values: np.ndarray, name: str) -> pd.Series:
    """Label a positional allocation with the game's player names."""
    index = pd.Index(list(game.players), tupleize_cols=False, name="player")
    return pd.Series(np.asarray(values, dtype=float), index=index, name=name)
