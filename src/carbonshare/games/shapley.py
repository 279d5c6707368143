"""The Shapley value: closed form, exact enumeration and permutation sampling.

phi_i(v) = sum_{S subset N \\ {i}} |S|! (n - |S| - 1)! / n! [v(S u {i}) - v(S)]   (Eq. 11-12 of [A])

Three ways, chosen by ``method``:

- ``"closed-form"`` (dividend games): phi_i = sum_{T containing i} d_T / |T|
  (Harsanyi 1963); O(n^2) for the alliance game.
- ``"exact"`` (tables, n <= 25): collecting the coefficient of each v(S),
  phi_i = sum_{S containing i} v(S) [w(|S|-1) + w(|S|)] - sum_S v(S) w(|S|)
  with w(s) = s!(n-s-1)!/n! (w(-1) = w(n) = 0); one compiled pass over the
  table from 16 players (``kernels.py``), numpy streaming below.
- ``"sample"`` (any game, for large callables): random permutations (plain or
  antithetic pairs, chosen by a pilot; size-stratified draws on request), standard
  errors from the i.i.d. draws, and a stopping tolerance (Castro, Gómez &
  Tejada 2009; Mitchell et al. 2022 on antithetic sampling).

References
----------
Shapley, L. S. (1953). A value for n-person games. Contributions to the Theory
of Games II, 307-317. Harsanyi (1963), see ``dividend.py``.
Castro, J., Gómez, D., & Tejada, J. (2009). Polynomial calculation of the
Shapley value based on sampling. Computers & Operations Research 36(5), 1726-1730.
Mitchell, R., Cooper, J., Frank, E., & Holmes, G. (2022). Sampling
permutations for Shapley value estimation. JMLR 23(43), 1-46.
Maleki, S., Tran-Thanh, L., Hines, G., Rahwan, T., & Rogers, A. (2013).
Bounding the estimation error of sampling-based Shapley value approximation.
arXiv:1306.4265. Castro, J., Gómez, D., Molina, E., & Tejada, J. (2017).
Improving polynomial estimation of the Shapley value by stratified random
sampling with optimum allocation. Computers & Operations Research 82, 180-188.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carbonshare.errors import GameError
from carbonshare.games.dividend import DividendGame
from carbonshare.games.game import (
    Game,
    TabularGame,
    allocation_series,
    bit_marginals,
    check_table_size,
    popcount_table,
    shapley_weights,
    value_unit,
)

logger = logging.getLogger(__name__)

SCHEMES = ("auto", "permutation", "antithetic", "stratified")
"""Sampling schemes of :func:`shapley_sample`; the first is the default."""

EXACT_CALLABLE_MAX_PLAYERS = 12
"""``method="auto"`` tabulates a CallableGame up to this many players, else samples."""

_CHUNK_BITS = 20

FUSED_MIN_PLAYERS = 16
"""From this many players the exact Shapley value uses the compiled one-pass kernel
(:mod:`carbonshare.games.kernels`); below, the numpy streaming version (no JIT start-up)."""


@dataclass(frozen=True)
class SampledValue:
    """A sampled solution: estimate, standard errors and sampling facts.

    Attributes
    ----------
    values : estimate per player.
    std_error : standard error per player (from the i.i.d. draws: permutations, or
        antithetic pair averages).
    samples : number of permutations evaluated (antithetic: pairs x 2).
    scheme : the scheme used (``"auto"`` resolves to permutation or antithetic).
    converged : True if the tolerance was reached before the sample cap.
    """

    values: pd.Series
    std_error: pd.Series
    samples: int
    converged: bool
    scheme: str = "permutation"


def shapley_value(
    game: Game,
    *,
    method: str = "auto",
    samples: int = 20_000,
    tol: float | None = None,
    seed: int | None = 0,
    scheme: str = "auto",
) -> pd.Series:
    """Shapley value of every player.

    Parameters
    ----------
    game : any :class:`~carbonshare.games.game.Game`.
    method : ``"auto"`` (closed form for dividend games, exact for tables,
        exact for callables with <= 12 players, else sampling),
        ``"closed-form"``, ``"exact"`` or ``"sample"``.
    samples : maximum number of permutations for ``"sample"``.
    tol : stop sampling once every standard error is <= tol.
    seed : random seed for ``"sample"`` (deterministic by default).
    scheme : ``"auto"`` (default: antithetic pairs or plain permutations,
        whichever a pilot finds less variable), ``"permutation"``,
        ``"antithetic"`` or ``"stratified"`` by coalition size, for
        ``"sample"`` (see :func:`shapley_sample`).

    Returns
    -------
    Series player -> value, name ``"shapley"``; sums to v(N). Sampled results
    carry ``attrs["std_error"]`` (dict player -> SE) and ``attrs["samples"]``.

    Raises
    ------
    GameError  for an unknown method or a method that does not fit the game.

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> g = TabularGame(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 6})
    >>> shapley_value(g).tolist()
    [2.5, 3.5]

    References
    ----------
    Shapley (1953); Zhou et al. (2024) Eq. 11-12.
    """
    method = resolve_method(game, method)
    if method == "closed-form":
        phi = game.shapley_array()
    elif method == "exact":
        phi = shapley_exact_array(game.table())
    else:
        res = shapley_sample(game, samples=samples, tol=tol, seed=seed, scheme=scheme)
        out = res.values.rename("shapley")
        out.attrs["std_error"] = res.std_error.to_dict()
        out.attrs["samples"] = res.samples
        out.attrs["converged"] = res.converged
        out.attrs["scheme"] = res.scheme
        return out
    return allocation_series(game, phi, "shapley")


def resolve_method(game: Game, method: str) -> str:
    """The method a value (Shapley, Owen) uses: ``"auto"`` -> closed form for dividend
    games, exact for tables and callables with <= 12 players, else sampling.

    Raises
    ------
    GameError  for an unknown method, ``"closed-form"`` on a non-dividend game, or
        ``"exact"`` beyond 25 players.
    """
    methods = ("auto", "closed-form", "exact", "sample")
    if method not in methods:
        raise GameError(f"method={method!r} is not one of {', '.join(methods)}")
    if method == "auto":
        if isinstance(game, DividendGame):
            return "closed-form"
        if isinstance(game, TabularGame) or game.n <= EXACT_CALLABLE_MAX_PLAYERS:
            return "exact"
        return "sample"
    if method == "closed-form" and not isinstance(game, DividendGame):
        raise GameError(
            f"method='closed-form' needs a DividendGame; this is a {type(game).__name__} "
            "(use method='exact' or 'sample', or DividendGame.from_table(game))"
        )
    if method == "exact":
        check_table_size(game.n, "use method='closed-form' (dividend games) or 'sample'")
    return method


def shapley_exact_array(table: np.ndarray) -> np.ndarray:
    """Exact Shapley value from a table of 2^n values indexed by bitmask.

    The coefficient of v(S) is t(|S|) = w(|S|-1) + w(|S|) for each member and
    the constant -sum_S w(|S|) v(S) is shared by all players (see module
    docstring). From 16 players, one compiled pass over the table
    (:func:`carbonshare.games.kernels.shapley_fused`; memory: the table plus
    O(2^8 + 2^(n-8))); below, numpy streams it in blocks of 2^20 coalitions
    (O(n 2^n) time, the table plus O(2^20)).

    Examples
    --------
    >>> shapley_exact_array(np.array([0.0, 1.0, 2.0, 6.0])).tolist()
    [2.5, 3.5]
    """
    table = np.asarray(table, dtype=float)
    n = table.shape[0].bit_length() - 1
    if (1 << n) != table.shape[0] or n < 1:
        raise GameError(f"a Shapley table needs length 2^n, n >= 1; got {table.shape[0]}")
    unit = value_unit(table)  # work in units of max |v|: no underflow at 1e-300
    w = shapley_weights(n)
    if n >= FUSED_MIN_PLAYERS:
        from carbonshare.games.kernels import shapley_fused

        return shapley_fused(table, unit, w)
    return shapley_streamed(table, unit, w)


def shapley_streamed(table: np.ndarray, unit: float, w: np.ndarray) -> np.ndarray:
    """Exact Shapley value by numpy, streaming the table in blocks of 2^20 coalitions
    (values divided by ``unit``; ``w`` the Shapley weights). The reference the compiled
    kernel is tested against.

    Examples
    --------
    >>> shapley_streamed(np.array([0.0, 1.0, 2.0, 6.0]), 8.0, shapley_weights(2)).tolist()
    [2.5, 3.5]
    """
    n = table.shape[0].bit_length() - 1
    w_join = np.concatenate([w, [0.0]])  # coefficient of v(S) as "S without i": w(|S|)
    w_left = np.concatenate([[0.0], w])  # coefficient of v(S) as "S with i": w(|S|-1)
    coef_member = w_left + w_join
    low = min(n, _CHUNK_BITS)
    pc_low = popcount_table(low).astype(np.int64)
    marg = np.zeros(n)
    const = 0.0
    size = 1 << low
    for start in range(0, 1 << n, size):
        high_count = (start >> low).bit_count()
        sizes = pc_low + high_count
        t = table[start : start + size] / unit
        const += float(t @ w_join[sizes])
        t *= coef_member[sizes]
        marg[:low] += bit_marginals(t)
        if n > low:
            total = t.sum()
            for k in range(low, n):
                if start >> k & 1:
                    marg[k] += total
    return (marg - const) * unit


def shapley_sample(
    game: Game,
    *,
    samples: int = 20_000,
    tol: float | None = None,
    seed: int | None = 0,
    batch: int | None = None,
    unions: np.ndarray | None = None,
    scheme: str = "auto",
) -> SampledValue:
    """Monte Carlo Shapley (or Owen, with ``unions``) by permutation sampling.

    ``scheme="permutation"`` (Castro, Gómez & Tejada 2009): i.i.d. random
    permutations; a player's marginal contributions are i.i.d. unbiased
    estimates of phi_i, whose sample standard deviation gives the standard
    error. ``scheme="antithetic"``: each permutation is paired with its reverse
    and the pair averages are the i.i.d. draws. Antithetic pairs help a lot
    when a player's contributions early and late in the order are negatively
    correlated (smooth, near-additive games: RMSE 1/5 of plain permutations at
    equal evaluations) but hurt on majority-type games, where a permutation and
    its reverse have nearly the same pivot (RMSE 1.2-1.4x).
    ``scheme="auto"`` (default) decides from a pilot: ``max(2, min(samples //
    20, 1000))`` antithetic pairs (at most 10% of the budget) estimate both
    variances per permutation evaluated (pair averages: 2 var(pair); plain:
    var(single contribution), from the same draws), and the rest of the budget
    uses the smaller; the pilot is kept, each part weighted by the permutations
    it cost (both are unbiased). ``benchmarks/bench_games.py`` measures the
    three schemes on both kinds of game. With ``unions`` (int array of union
    ids) the permutations keep every union contiguous (a random order of the
    unions, a random order inside each), which estimates the Owen value.

    Parameters
    ----------
    game : any game (evaluated through ``game.values`` in batches).
    samples : cap on the number of permutations (rounded up to an even number).
    tol : stop when every standard error is <= tol (checked after each batch,
        with at least 2 batches of pairs).
    seed : random seed.
    batch : pairs per batch (default: about 2 million player-evaluations).
    unions : optional union id per player (positional).
    scheme : ``"auto"`` (default), ``"permutation"``, ``"antithetic"`` or ``"stratified"``.

    Notes
    -----
    ``scheme="stratified"`` (Maleki et al. 2013; Castro et al. 2017): phi_i is
    the average over coalition sizes s = 0..n-1 of the mean marginal
    contribution to a uniformly random size-s coalition of the others; each
    (player, size) stratum gets m = max(2, ceil(samples / n)) random draws, so
    every player receives about ``samples`` marginal contributions, as with
    permutations (at twice the evaluations: v(S) and v(S u i) per draw). The
    standard error is sqrt(sum_s var_s / m) / n. ``batch`` = draws per stratum
    per round.

    Returns
    -------
    SampledValue

    Examples
    --------
    >>> from carbonshare.games import CallableGame
    >>> g = CallableGame(["a", "b", "c"], lambda s: float(len(s)) ** 2)
    >>> res = shapley_sample(g, samples=200, seed=1, scheme="antithetic")
    >>> bool(np.allclose(res.values, 3.0))  # quadratic symmetric game: every pair is exact
    True
    >>> maj = CallableGame(["a", "b", "c"], lambda s: float(len(s) >= 2))
    >>> res = shapley_sample(maj, samples=3000, seed=1)
    >>> bool(np.all(np.abs(res.values - 1 / 3) < 4 * res.std_error)), res.samples
    (True, 3000)
    """
    n = game.n
    if scheme == "stratified":
        if unions is not None:
            raise GameError(
                "scheme='stratified' estimates the Shapley value only; use "
                "scheme='permutation' or 'antithetic' with unions (Owen value)"
            )
        return _stratified(game, samples=samples, tol=tol, seed=seed, batch=batch)
    if scheme not in SCHEMES:
        raise GameError(f"scheme={scheme!r} is not one of {', '.join(SCHEMES)}")
    if samples < 2:
        raise GameError(f"samples={samples}; sampling needs at least 2 permutations")
    if tol is not None and not tol > 0:
        raise GameError(f"tol={tol}; the stopping tolerance must be > 0")
    rng = np.random.default_rng(seed)
    if batch is None:
        batch = max(1, min(samples, (1 << 21) // (2 * (n + 1) * max(n, 1))))
    streams: list[_Draws] = []
    if scheme == "auto":  # pilot of antithetic pairs: which scheme has the smaller variance?
        pilot_pairs = max(2, min(samples // 20, 1000))
        forward, reverse = np.split(_contributions(game, rng, pilot_pairs, unions, True), 2)
        pilot = _Draws(n, cost=2)
        pilot.add((forward + reverse) / 2.0)
        single = np.concatenate([forward, reverse]).var(axis=0, ddof=1).sum()
        antithetic = bool(2.0 * pilot.variance().sum() < single)  # per permutation evaluated
        streams.append(pilot)
        main = pilot if antithetic else _Draws(n, cost=1)
        scheme = "antithetic" if antithetic else "permutation"
    else:
        antithetic = scheme == "antithetic"
        main = _Draws(n, cost=2 if antithetic else 1)
    if not streams or main is not streams[-1]:
        streams.append(main)
    converged = False
    mean, se = _combine(streams)
    while sum(d.permutations for d in streams) < samples:
        left = samples - sum(d.permutations for d in streams)
        b = min(batch, -(-left // main.cost))
        draws = _contributions(game, rng, b, unions, antithetic)
        main.add((draws[:b] + draws[b:]) / 2.0 if antithetic else draws)
        mean, se = _combine(streams)
        if tol is not None and main.count >= 2 * batch and np.all(se <= tol):
            converged = True
            break
    used = sum(d.permutations for d in streams)
    converged = converged or tol is None or bool(np.all(se <= tol))
    if not converged:
        logger.warning(
            "sampling stopped at the cap of %d permutations with max standard error %.3g > tol %.3g",
            used,
            float(se.max()),
            tol,
        )
    return SampledValue(
        values=allocation_series(game, mean, "shapley"),
        std_error=allocation_series(game, se, "std_error"),
        samples=used,
        converged=converged,
        scheme=scheme,
    )


def _contributions(
    game: Game, rng: np.random.Generator, b: int, unions: np.ndarray | None, antithetic: bool
) -> np.ndarray:
    """Marginal contributions (rows: permutations, columns: players) of b random
    permutations (keeping unions contiguous if given), followed by their b reverses if
    ``antithetic``."""
    n = game.n
    keys = rng.random((b, n))
    if unions is not None:
        order = rng.random((b, int(unions.max()) + 1)).argsort(axis=1).argsort(axis=1)
        keys = keys + np.take_along_axis(order, np.broadcast_to(unions, (b, n)), axis=1)
    perm = keys.argsort(axis=1)
    both = np.concatenate([perm, perm[:, ::-1]]) if antithetic else perm
    rank = np.empty_like(both)
    np.put_along_axis(rank, both, np.arange(n)[None, :].repeat(both.shape[0], axis=0), axis=1)
    # membership after the first t players, t = 0..n
    prefix = rank[:, None, :] < np.arange(n + 1)[None, :, None]
    vals = game.values(prefix.reshape(-1, n)).reshape(both.shape[0], n + 1)
    return np.take_along_axis(np.diff(vals, axis=1), rank, axis=1)


class _Draws:
    """Running sums of i.i.d. unbiased draws of phi, each costing ``cost`` permutations."""

    def __init__(self, n: int, cost: int) -> None:
        self.cost = cost
        self.count = 0
        self.total = np.zeros(n)
        self.total_sq = np.zeros(n)

    @property
    def permutations(self) -> int:
        return self.cost * self.count

    def add(self, draws: np.ndarray) -> None:
        self.count += draws.shape[0]
        self.total += draws.sum(axis=0)
        self.total_sq += (draws**2).sum(axis=0)

    def variance(self) -> np.ndarray:
        """Sample variance of one draw (inf with fewer than 2 draws)."""
        if self.count < 2:
            return np.full(self.total.shape, np.inf)
        mean = self.total / self.count
        var = np.maximum(self.total_sq / self.count - mean**2, 0.0)
        return var * self.count / (self.count - 1)


def _combine(streams: list[_Draws]) -> tuple[np.ndarray, np.ndarray]:
    """Estimate and standard error from streams weighted by the permutations they cost
    (unbiased: each stream is)."""
    weight = np.array([d.permutations for d in streams], dtype=float)
    if weight.sum() == 0:
        n = streams[0].total.shape[0]
        return np.zeros(n), np.full(n, np.inf)
    weight /= weight.sum()
    mean = sum(w * d.total / d.count for w, d in zip(weight, streams, strict=True) if d.count)
    var = sum(
        w**2 * d.variance() / d.count for w, d in zip(weight, streams, strict=True) if d.count
    )
    return mean, np.sqrt(var)


def _stratified(
    game: Game, *, samples: int, tol: float | None, seed: int | None, batch: int | None
) -> SampledValue:
    n = game.n
    if samples < 2:
        raise GameError(f"samples={samples}; sampling needs at least 2 draws per stratum")
    if tol is not None and not tol > 0:
        raise GameError(f"tol={tol}; the stopping tolerance must be > 0")
    rng = np.random.default_rng(seed)
    cap = max(2, -(-samples // n))
    if batch is None:
        batch = max(2, min(cap, (1 << 21) // (2 * n * n * n)))
    player = np.repeat(np.arange(n), n)  # cell (i, s) flattened, i major
    size = np.tile(np.arange(n), n)
    total = np.zeros((n, n))
    total_sq = np.zeros((n, n))
    done = 0
    converged = False
    se = np.full(n, np.inf)
    eye = np.eye(n, dtype=bool)
    while done < cap:
        b = min(batch, cap - done)
        cell_player = np.repeat(player, b)
        cell_size = np.repeat(size, b)
        keys = rng.random((cell_player.size, n))
        keys[np.arange(cell_player.size), cell_player] = 2.0  # never draw i itself
        rank = keys.argsort(axis=1).argsort(axis=1)
        without = rank < cell_size[:, None]
        with_i = without | eye[cell_player]
        marg = game.values(with_i) - game.values(without)
        marg = marg.reshape(n, n, b)
        total += marg.sum(axis=2)
        total_sq += (marg**2).sum(axis=2)
        done += b
        if done >= 2:
            mean = total / done
            var = np.maximum(total_sq / done - mean**2, 0.0) * done / (done - 1)
            se = np.sqrt(var.sum(axis=1) / done) / n
            if tol is not None and done >= 2 * batch and np.all(se <= tol):
                converged = True
                break
    phi = (total / done).mean(axis=1)
    converged = converged or tol is None or bool(np.all(se <= tol))
    if not converged:
        logger.warning(
            "stratified sampling stopped at %d draws per stratum with max standard error "
            "%.3g > tol %.3g",
            done,
            float(se.max()),
            tol,
        )
    return SampledValue(
        values=allocation_series(game, phi, "shapley"),
        std_error=allocation_series(game, se, "std_error"),
        samples=done * n,
        converged=converged,
        scheme="stratified",
    )
