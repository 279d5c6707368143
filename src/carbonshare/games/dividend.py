"""Harsanyi-dividend games and the Möbius transform.

Every TU game is a unique sum of unanimity games,
v(S) = sum_{T subset of S} d_T, with Harsanyi dividends
d_T = sum_{R subset of T} (-1)^{|T|-|R|} v(R) (the Möbius transform of v).
Many games of interest have few non-zero dividends (the alliance game of
docs/methods.md A6 has dividends on pairs and triples only), and then every linear
solution has a closed form: the Shapley value shares each dividend equally
among its members (Harsanyi 1963), the Owen value shares it equally among
the unions it touches and then equally within each (Owen 1977), the Banzhaf
value gives each member d_T / 2^{|T|-1}.

References
----------
Harsanyi, J. C. (1963). A simplified bargaining model for the n-person
cooperative game. International Economic Review 4(2), 194-220.
Grabisch, M. (2016). Set Functions, Games and Capacities in Decision Making.
Springer, ch. 2 (Möbius transform, fast zeta transform).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

from carbonshare.errors import GameError
from carbonshare.games.game import (
    MAX_TABLE_PLAYERS,
    Game,
    check_magnitude,
    check_table_size,
    format_coalition,
)


def mobius_transform(table: np.ndarray) -> np.ndarray:
    """Harsanyi dividends from a table: d_T = sum_{R subset T} (-1)^{|T|-|R|} v(R).

    Fast Möbius transform, O(n 2^n) in place on a copy, vectorised per bit.

    Parameters
    ----------
    table : float array of length 2^n indexed by bitmask.

    Returns
    -------
    Array of dividends indexed by bitmask.

    Examples
    --------
    >>> mobius_transform(np.array([0.0, 1.0, 2.0, 6.0])).tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    d = np.array(table, dtype=float, copy=True)
    n = _bits(d.shape[0])
    for k in range(n):
        view = d.reshape(-1, 2, 1 << k)
        view[:, 1, :] -= view[:, 0, :]
    return d


def zeta_transform(dividends: np.ndarray) -> np.ndarray:
    """Inverse Möbius (zeta) transform: v(S) = sum_{T subset S} d_T, O(n 2^n).

    Examples
    --------
    >>> zeta_transform(np.array([0.0, 1.0, 2.0, 3.0])).tolist()
    [0.0, 1.0, 2.0, 6.0]
    """
    v = np.array(dividends, dtype=float, copy=True)
    n = _bits(v.shape[0])
    for k in range(n):
        view = v.reshape(-1, 2, 1 << k)
        view[:, 1, :] += view[:, 0, :]
    return v


def _bits(size: int) -> int:
    n = int(size).bit_length() - 1
    if size < 1 or (1 << n) != size:
        raise GameError(f"a coalition table must have length 2^n; got length {size}")
    return n


class DividendGame(Game):
    """A game given by its non-zero Harsanyi dividends (sparse polynomial form).

    v(S) = sum_{T subset of S} d_T.

    Parameters
    ----------
    players : distinct player names.
    dividends : mapping coalition -> dividend, or iterable of
        (coalition, dividend) pairs; coalitions not listed have dividend 0.
        A coalition listed twice (in any member order) is an error.
    cost : True for a cost game.

    Attributes
    ----------
    groups : dict size k -> (members int array (m_k, k), dividends (m_k,)),
        the dividends grouped by coalition size (internal, positional).

    Examples
    --------
    >>> g = DividendGame(["A", "B", "C"], {("A", "B"): 2.0, ("A", "B", "C"): 3.0})
    >>> g.value(["A", "B"]), g.value(["A", "B", "C"]), g.value(["B", "C"])
    (2.0, 5.0, 0.0)
    """

    def __init__(
        self,
        players: Sequence[Hashable],
        dividends: Mapping[Iterable[Hashable], float] | Iterable[tuple[Iterable[Hashable], float]],
        *,
        cost: bool = False,
    ) -> None:
        super().__init__(players, cost=cost)
        items = dividends.items() if isinstance(dividends, Mapping) else dividends
        seen: set[frozenset[int]] = set()
        by_size: dict[int, tuple[list[list[int]], list[float]]] = {}
        for coalition, val in items:
            pos = sorted(self.positions(coalition))
            key = frozenset(pos)
            name = format_coalition(self.players[k] for k in pos)
            if key in seen:
                raise GameError(f"the dividend of coalition {name} is given twice; give it once")
            seen.add(key)
            try:
                fval = float(val)
            except (TypeError, ValueError):
                raise GameError(f"dividend of coalition {name} is {val!r}, not a number") from None
            if not np.isfinite(fval):
                raise GameError(f"dividend of coalition {name} is {fval}; it must be finite")
            check_magnitude(fval, f"the dividend of coalition {name}")
            if not pos:
                if fval != 0.0:
                    raise GameError(
                        f"the empty coalition has dividend {fval}; it must be 0 (v(empty) = 0)"
                    )
                continue
            if fval == 0.0:
                continue
            rows, vals = by_size.setdefault(len(pos), ([], []))
            rows.append(pos)
            vals.append(fval)
        self._groups = {
            k: (np.asarray(rows, dtype=np.int64).reshape(-1, k), np.asarray(vals, dtype=float))
            for k, (rows, vals) in sorted(by_size.items())
        }

    @classmethod
    def from_groups(
        cls,
        players: Sequence[Hashable],
        groups: Mapping[int, tuple[np.ndarray, np.ndarray]],
        *,
        cost: bool = False,
    ) -> DividendGame:
        """Build from positional groups {k: (members (m_k, k) int, dividends (m_k,))}.

        Rows must be distinct sets of distinct positions (not re-checked).
        """
        game = cls.__new__(cls)
        Game.__init__(game, players, cost=cost)
        game._groups = {
            int(k): (np.asarray(m, dtype=np.int64).reshape(-1, int(k)), np.asarray(d, dtype=float))
            for k, (m, d) in sorted(groups.items())
            if int(k) > 0 and len(d)
        }
        return game

    @classmethod
    def from_table(cls, game: Game, *, atol: float = 0.0) -> DividendGame:
        """Dividend form of any game with n <= 25 (Möbius transform of its table).

        Dividends with ``|d| <= atol`` are dropped (none by default).

        Examples
        --------
        >>> from carbonshare.games import TabularGame
        >>> t = TabularGame(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 6})
        >>> DividendGame.from_table(t).dividends()
        {('A',): 1.0, ('B',): 2.0, ('A', 'B'): 3.0}
        """
        d = mobius_transform(game.table())
        nz = np.flatnonzero(np.abs(d) > atol)
        nz = nz[nz > 0]
        members = game.masks_to_bool(nz)
        sizes = members.sum(axis=1)
        groups = {}
        for k in np.unique(sizes):
            sel = sizes == k
            rows = np.nonzero(members[sel])[1].reshape(-1, int(k))
            groups[int(k)] = (rows, d[nz[sel]])
        return cls.from_groups(game.players, groups, cost=game.cost)

    @property
    def groups(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Dividends by coalition size: {k: (members (m_k, k), dividends (m_k,))}."""
        return self._groups

    def dividends(self) -> dict[tuple[Hashable, ...], float]:
        """Non-zero dividends keyed by coalition (tuple of names, player order)."""
        out: dict[tuple[Hashable, ...], float] = {}
        for rows, vals in self.groups.values():
            for row, val in zip(rows.tolist(), vals.tolist(), strict=True):
                out[tuple(self.players[k] for k in sorted(row))] = val
        return out

    def values(self, membership: np.ndarray) -> np.ndarray:
        membership = np.asarray(membership, dtype=bool)
        out = np.zeros(membership.shape[0])
        for rows, vals in self.groups.values():
            step = max(1, (1 << 22) // max(1, rows.size))
            for start in range(0, membership.shape[0], step):
                block = membership[start : start + step]
                contained = block[:, rows].all(axis=2)
                out[start : start + step] += contained @ vals
        return out

    def table(self) -> np.ndarray:
        """All 2^n values (zeta transform of the dense dividend array), n <= 25."""
        check_table_size(
            self.n,
            "this dividend game's closed forms (shapley, owen, two-stage, banzhaf) need no "
            "table; table-based methods (nucleolus, core checks) are limited to "
            f"{MAX_TABLE_PLAYERS} players",
        )
        d = np.zeros(1 << self.n)
        weights = np.int64(1) << np.arange(self.n, dtype=np.int64)
        for rows, vals in self.groups.values():
            np.add.at(d, weights[rows].sum(axis=1), vals)
        return zeta_transform(d)

    def dividends_nonnegative(self) -> bool:
        """True if every dividend is >= 0 (then the game is convex; Shapley 1971)."""
        return all(bool((vals >= 0).all()) for _, vals in self.groups.values())

    # -- closed-form solutions -----------------------------------------------------------------
    def shapley_array(self) -> np.ndarray:
        """phi_i = sum_{T containing i} d_T / |T| (Harsanyi 1963)."""
        phi = np.zeros(self.n)
        for k, (rows, vals) in self.groups.items():
            phi += np.bincount(rows.ravel(), np.repeat(vals / k, k), minlength=self.n)
        return phi

    def banzhaf_array(self) -> np.ndarray:
        """beta_i = sum_{T containing i} d_T / 2^{|T|-1}."""
        beta = np.zeros(self.n)
        for k, (rows, vals) in self.groups.items():
            beta += np.bincount(rows.ravel(), np.repeat(vals / 2.0 ** (k - 1), k), minlength=self.n)
        return beta

    def owen_array(self, ids: np.ndarray) -> np.ndarray:
        """Owen value: d_T split equally among the unions T touches, then equally
        among T's members inside each touched union (Owen 1977)."""
        out = np.zeros(self.n)
        for rows, vals in self.groups.values():
            u = ids[rows]
            cnt = (u[:, :, None] == u[:, None, :]).sum(axis=2)
            touched = (1.0 / cnt).sum(axis=1, keepdims=True)
            share = vals[:, None] / (touched * cnt)
            out += np.bincount(rows.ravel(), share.ravel(), minlength=self.n)
        return out

    def within_union_shapley_array(self, ids: np.ndarray) -> np.ndarray:
        """Shapley value of each player in the subgame of its own union
        (only dividends of coalitions inside one union count)."""
        out = np.zeros(self.n)
        for k, (rows, vals) in self.groups.items():
            u = ids[rows]
            inside = (u == u[:, :1]).all(axis=1)
            out += np.bincount(
                rows[inside].ravel(), np.repeat(vals[inside] / k, k), minlength=self.n
            )
        return out
