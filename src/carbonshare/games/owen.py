"""Owen value and the two-stage Shapley allocation (docs/methods.md A6) with a priori unions.

Owen value (Owen 1977). With a partition of the players into unions, each
Harsanyi dividend d_T is shared equally among the unions that T touches, and
each union's part equally among T's members in that union:

  Owen_i = sum_{T containing i} d_T / ( u(T) * |T cap U(i)| ),

u(T) = number of unions T touches, U(i) = i's union. Equivalently, the
expected marginal contribution over the orders that keep every union
together. Its sums over unions equal the Shapley value of the quotient game
(quotient property).

Two-stage Shapley (Zhou et al. 2024, docs/methods.md A6) is a different rule: stage 1
gives union k the Shapley value Q_k of the quotient game
v*(T) = v(union of the members of T); stage 2 gives member i of union k the
share Q_k psi_i / sum_{j in k} psi_j, where psi is the Shapley value of the
subgame of v on union k alone. Stage 1 coincides with the Owen union totals;
stage 2 does not (Owen credits a member for its role in cross-union
dividends, the two-stage rule only for its role inside its own union).

References
----------
Owen, G. (1977). Values of games with a priori unions. In Henn & Moeschlin
(eds.), Mathematical Economics and Game Theory, Springer, 76-88.
Zhou, Xiang, Zhu & Wang (2024), iScience 27, 109412, Eq. 10-13.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from carbonshare.errors import GameError
from carbonshare.games.dividend import DividendGame, mobius_transform
from carbonshare.games.game import (
    CallableGame,
    Game,
    TabularGame,
    allocation_series,
    bit_marginals,
    popcount_table,
)
from carbonshare.games.shapley import (
    EXACT_CALLABLE_MAX_PLAYERS,
    resolve_method,
    shapley_sample,
    shapley_value,
)
from carbonshare.games.unions import Partition, UnionsLike, partition

logger = logging.getLogger(__name__)

_CHUNK_BITS = 20

ZERO_UNION_RTOL = 1e-9
"""Two-stage: a union's within-union Shapley values sum to 0 if |sum| <= this x sum |psi|."""


def owen_value(
    game: Game,
    unions: UnionsLike,
    *,
    method: str = "auto",
    samples: int = 20_000,
    tol: float | None = None,
    seed: int | None = 0,
    scheme: str = "auto",
) -> pd.Series:
    """Owen value with a priori unions.

    Parameters
    ----------
    game : any game.
    unions : Series player -> union label, or mapping label -> players.
    method : ``"auto"`` (closed form for dividend games, exact for tables and
        callables with <= 12 players, else sampling), ``"closed-form"``,
        ``"exact"`` or ``"sample"`` (union-preserving random permutations).
    samples, tol, seed, scheme : see :func:`~carbonshare.games.shapley.shapley_sample`
        (``scheme`` "auto", "permutation" or "antithetic").

    Returns
    -------
    Series player -> value, name ``"owen"``; sums to v(N). Sampled results
    carry ``attrs["std_error"]`` and ``attrs["samples"]``.

    Examples
    --------
    Three-player majority game with unions {A, B} and {C}: the union {A, B}
    wins against C, so it gets 1 (shared 1/2, 1/2) and C gets 0.

    >>> from carbonshare.games import TabularGame
    >>> maj = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) >= 2))
    >>> owen_value(maj, {"AB": ["A", "B"], "C": ["C"]}).tolist()
    [0.5, 0.5, 0.0]

    References
    ----------
    Owen (1977).
    """
    part = partition(game, unions)
    method = resolve_method(game, method)
    if method == "closed-form":
        return allocation_series(game, game.owen_array(part.ids), "owen")
    if method == "exact":
        return allocation_series(game, owen_exact_array(game.table(), part.ids), "owen")
    res = shapley_sample(game, samples=samples, tol=tol, seed=seed, unions=part.ids, scheme=scheme)
    out = res.values.rename("owen")
    out.attrs["std_error"] = res.std_error.to_dict()
    out.attrs["samples"] = res.samples
    out.attrs["converged"] = res.converged
    out.attrs["scheme"] = res.scheme
    return out


def owen_exact_array(table: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Exact Owen value from a table of 2^n values and union ids per player.

    Möbius transform, then for every union U and coalition T touching it,
    d_T / (u(T) |T cap U|) is credited to T's members in U; O(m 2^n) for m
    unions, streamed in blocks of 2^20 coalitions.

    Examples
    --------
    >>> owen_exact_array(np.array([0.0, 0.0, 0.0, 1.0]), np.array([0, 1])).tolist()
    [0.5, 0.5]
    """
    d = mobius_transform(table)
    n = d.shape[0].bit_length() - 1
    ids = np.asarray(ids, dtype=np.int64)
    m = int(ids.max()) + 1
    union_masks = [int(((ids == u) * (1 << np.arange(n, dtype=np.int64))).sum()) for u in range(m)]
    low = min(n, _CHUNK_BITS)
    size = 1 << low
    pc = popcount_table(low).astype(np.int64)
    local = np.arange(size, dtype=np.int64)
    low_mask = size - 1
    out = np.zeros(n)
    for start in range(0, 1 << n, size):
        block = d[start : start + size]
        counts = []
        touched = np.zeros(size, dtype=np.int64)
        for um in union_masks:
            cnt = pc[local & (um & low_mask)] + ((start & um) >> low).bit_count()
            counts.append(cnt)
            touched += cnt > 0
        for u, cnt in enumerate(counts):
            denom = touched * cnt
            share = np.divide(block, denom, out=np.zeros(size), where=denom > 0)
            members = np.flatnonzero(ids == u)
            lows = members[members < low]
            if lows.size:
                out[lows] += bit_marginals(share)[lows]
            highs = members[members >= low]
            if highs.size:
                total = share.sum()
                for k in highs:
                    if start >> int(k) & 1:
                        out[k] += total
    return out


def two_stage_shapley(
    game: Game,
    unions: UnionsLike,
    *,
    method: str = "auto",
    on_zero: str = "equal",
    samples: int = 20_000,
    seed: int | None = 0,
) -> pd.Series:
    """Two-stage Shapley allocation of docs/methods.md A6 (Zhou et al. 2024).

    Stage 1: the unions are the players of the quotient game
    v*(T) = v(union of the members of T); union k gets its Shapley value Q_k.
    Stage 2: inside union k, psi = Shapley value of v restricted to subsets of
    k; member i gets Q_k * psi_i / sum_{j in k} psi_j.

    The result sums to v(N); divide by its sum for the shares of Eq. 13.

    Parameters
    ----------
    game : any game.
    unions : Series player -> union label, or mapping label -> players.
    method : ``"auto"`` uses the closed forms of dividend games (stage 1 via
        the quotient property: Q_k = sum of the Owen values of k); otherwise
        the stage games are built explicitly and solved with
        :func:`~carbonshare.games.shapley.shapley_value` (exact for tables).
        ``"explicit"`` forces the explicit stage games.
    on_zero : what to do when sum_{j in k} psi_j = 0 for a union of >= 2
        members (the scaling is undefined; "0" means |sum psi| <= 1e-9 sum |psi|,
        since rounding leaves ~1e-16 where the exact sum is 0 and dividing by it
        would blow the shares up): ``"equal"`` splits Q_k equally
        (logged as a warning and listed in ``attrs["zero_unions"]``),
        ``"raise"`` raises GameError. A singleton union always gets Q_k.
    samples, seed : for sampled stage games of large callables.

    Returns
    -------
    Series player -> value, name ``"two_stage"``; ``attrs["union_values"]``
    holds Q (dict union -> value).

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> g = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) ** 2))
    >>> two_stage_shapley(g, {"X": ["A", "B"], "Y": ["C"]}).tolist()
    [3.0, 3.0, 3.0]

    References
    ----------
    Zhou, Xiang, Zhu & Wang (2024), iScience 27, 109412, section "Allocation".
    """
    part = partition(game, unions)
    if on_zero not in ("equal", "raise"):
        raise GameError(f"on_zero={on_zero!r} is not one of equal, raise")
    if method not in ("auto", "explicit"):
        raise GameError(f"method={method!r} is not one of auto, explicit")
    if method == "auto" and isinstance(game, DividendGame):
        q_players = game.owen_array(part.ids)
        union_value = np.bincount(part.ids, q_players, minlength=part.m)
        psi = game.within_union_shapley_array(part.ids)
    else:
        union_value, psi = _explicit_stages(game, part, samples=samples, seed=seed)
    alloc = np.zeros(game.n)
    zero_unions = []
    for u, label in enumerate(part.labels):
        members = np.flatnonzero(part.ids == u)
        s = psi[members].sum()
        cancelled = abs(s) <= ZERO_UNION_RTOL * np.abs(psi[members]).sum()
        if members.size == 1:
            alloc[members] = union_value[u]
        elif np.isfinite(s) and not cancelled:
            alloc[members] = union_value[u] * (psi[members] / s)  # no underflow at 1e-300
        elif on_zero == "raise":
            raise GameError(
                f"union {label!r}: the Shapley values of its own subgame sum to 0, so its share "
                "cannot be scaled; pass on_zero='equal' to split it equally"
            )
        else:
            alloc[members] = union_value[u] / members.size
            zero_unions.append(label)
            logger.warning(
                "two-stage Shapley: union %r has subgame value 0; its value %.6g is split "
                "equally among its %d members",
                label,
                union_value[u],
                members.size,
            )
    out = allocation_series(game, alloc, "two_stage")
    out.attrs["union_values"] = dict(zip(part.labels, union_value.tolist(), strict=True))
    out.attrs["zero_unions"] = zero_unions
    return out


def quotient_game(game: Game, unions: UnionsLike) -> CallableGame:
    """The quotient game whose players are the unions: v*(T) = v(union of T's members).

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> g = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) ** 2))
    >>> quotient_game(g, {"X": ["A", "B"], "Y": ["C"]}).value(["X"])
    4.0
    """
    part = partition(game, unions)
    return _quotient(game, part)


def _quotient(game: Game, part: Partition) -> CallableGame:
    onehot = part.ids[None, :] == np.arange(part.m)[:, None]  # (m, n)

    def fn(membership: np.ndarray) -> np.ndarray:
        return game.values(np.asarray(membership, dtype=bool) @ onehot)

    return CallableGame(list(part.labels), fn, vectorized=True, cost=game.cost)


def subgame(game: Game, players: list) -> CallableGame:
    """The game v restricted to subsets of ``players``.

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> g = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) ** 2))
    >>> subgame(g, ["A", "C"]).grand_value()
    4.0
    """
    pos = game.positions(players)

    def fn(membership: np.ndarray) -> np.ndarray:
        full = np.zeros((membership.shape[0], game.n), dtype=bool)
        full[:, pos] = membership
        return game.values(full)

    return CallableGame(list(players), fn, vectorized=True, cost=game.cost)


def _explicit_stages(
    game: Game, part: Partition, *, samples: int, seed: int | None
) -> tuple[np.ndarray, np.ndarray]:
    exact_ok = isinstance(game, TabularGame)

    def solve(g: Game) -> np.ndarray:
        method = "exact" if exact_ok or g.n <= EXACT_CALLABLE_MAX_PLAYERS else "sample"
        return shapley_value(g, method=method, samples=samples, seed=seed).to_numpy()

    union_value = solve(_quotient(game, part))
    psi = np.zeros(game.n)
    for u in range(part.m):
        members = np.flatnonzero(part.ids == u)
        if members.size == 1:
            psi[members] = game.values(np.eye(game.n, dtype=bool)[members])
            continue
        psi[members] = solve(subgame(game, [game.players[k] for k in members]))
    return union_value, psi
