"""The Shapley value: closed form, exact enumeration and permutation sampling.

phi_i(v) = sum_{S subset N \\ {i}} |S|! (n - |S| - 1)! / n! [v(S u {i}) - v(S)]   (Eq. 11-12 of [A])

Three ways, chosen by ``method``:

- ``"closed-form"`` (dividend games): phi_i = sum_{T containing i} d_T / |T|
  (Harsanyi 1963); O(n^2) for the alliance game.
- ``"exact"`` (tables, n <= 25): collecting the coefficient of each v(S),
  phi_i = sum_{S containing i} v(S) [w(|S|-1) + w(|S|)] - sum_S v(S) w(|S|)
  with w(s) = s!(n-s-1)!/n! (w(-1) = w(n) = 0); one streaming pass over the
  table in O(n 2^n) time and O(2^20) extra memory.
- ``"sample"`` (any game, for large callables): random permutations with
  antithetic pairs (each permutation and its reverse), standard errors from
  the pair averages, and a stopping tolerance (Castro, Gómez & Tejada 2009;
  Mitchell et al. 2022 on antithetic sampling).

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
)

logger = logging.getLogger(__name__)

EXACT_CALLABLE_MAX_PLAYERS = 12
"""``method="auto"`` tabulates a CallableGame up to this many players, else samples."""

_CHUNK_BITS = 20


@dataclass(frozen=True)
class SampledValue:
    """A sampled solution: estimate, standard errors and sampling facts.

    Attributes
    ----------
    values : estimate per player.
    std_error : standard error per player (from antithetic pair averages).
    samples : number of permutations evaluated (pairs x 2).
    converged : True if the tolerance was reached before the sample cap.
    """

    values: pd.Series
    std_error: pd.Series
    samples: int
    converged: bool


def shapley_value(
    game: Game,
    *,
    method: str = "auto",
    samples: int = 20_000,
    tol: float | None = None,
    seed: int | None = 0,
    scheme: str = "antithetic",
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
    scheme : ``"antithetic"`` permutations or ``"stratified"`` by coalition
        size, for ``"sample"`` (see :func:`shapley_sample`).

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
        check_table_size(game.n)
    return method


def shapley_exact_array(table: np.ndarray) -> np.ndarray:
    """Exact Shapley value from a table of 2^n values indexed by bitmask.

    Streams the table in blocks of 2^20 coalitions: the coefficient of v(S)
    is t(|S|) = w(|S|-1) + w(|S|) for each member and the constant
    -sum_S w(|S|) v(S) is shared by all players (see module docstring).
    O(n 2^n) time; memory: the table plus O(2^20).

    Examples
    --------
    >>> shapley_exact_array(np.array([0.0, 1.0, 2.0, 6.0])).tolist()
    [2.5, 3.5]
    """
    table = np.asarray(table, dtype=float)
    n = table.shape[0].bit_length() - 1
    if (1 << n) != table.shape[0] or n < 1:
        raise GameError(f"a Shapley table needs length 2^n, n >= 1; got {table.shape[0]}")
    w = shapley_weights(n)
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
        block = table[start : start + size]
        const += float(block @ w_join[sizes])
        t = block * coef_member[sizes]
        marg[:low] += bit_marginals(t)
        if n > low:
            total = t.sum()
            for k in range(low, n):
                if start >> k & 1:
                    marg[k] += total
    return marg - const


def shapley_sample(
    game: Game,
    *,
    samples: int = 20_000,
    tol: float | None = None,
    seed: int | None = 0,
    batch: int | None = None,
    unions: np.ndarray | None = None,
    scheme: str = "antithetic",
) -> SampledValue:
    """Monte Carlo Shapley (or Owen, with ``unions``) by permutation sampling.

    ``scheme="antithetic"`` (default):

    Each drawn permutation pi is paired with its reverse; a player's
    marginal contributions in the two are averaged, and these pair averages
    are i.i.d. unbiased estimates of phi_i, whose sample standard deviation
    gives the standard error. With ``unions`` (int array of union ids) the
    permutations keep every union contiguous (a random order of the unions,
    a random order inside each), which estimates the Owen value.

    Parameters
    ----------
    game : any game (evaluated through ``game.values`` in batches).
    samples : cap on the number of permutations (rounded up to an even number).
    tol : stop when every standard error is <= tol (checked after each batch,
        with at least 2 batches of pairs).
    seed : random seed.
    batch : pairs per batch (default: about 2 million player-evaluations).
    unions : optional union id per player (positional).
    scheme : ``"antithetic"`` or ``"stratified"``.

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
    >>> res = shapley_sample(g, samples=200, seed=1)
    >>> bool(np.allclose(res.values, 3.0))  # quadratic symmetric game: every pair is exact
    True
    """
    n = game.n
    if scheme == "stratified":
        if unions is not None:
            raise GameError(
                "scheme='stratified' estimates the Shapley value only; use "
                "scheme='antithetic' with unions (Owen value)"
            )
        return _stratified(game, samples=samples, tol=tol, seed=seed, batch=batch)
    if scheme != "antithetic":
        raise GameError(f"scheme={scheme!r} is not one of antithetic, stratified")
    if samples < 2:
        raise GameError(f"samples={samples}; sampling needs at least 2 permutations")
    if tol is not None and not tol > 0:
        raise GameError(f"tol={tol}; the stopping tolerance must be > 0")
    rng = np.random.default_rng(seed)
    pairs_cap = (samples + 1) // 2
    if batch is None:
        batch = max(1, min(pairs_cap, (1 << 21) // (2 * (n + 1) * max(n, 1))))
    total = np.zeros(n)
    total_sq = np.zeros(n)
    done = 0
    converged = False
    se = np.full(n, np.inf)
    while done < pairs_cap:
        b = min(batch, pairs_cap - done)
        keys = rng.random((b, n))
        if unions is not None:
            order = rng.random((b, int(unions.max()) + 1)).argsort(axis=1).argsort(axis=1)
            keys = keys + np.take_along_axis(order, np.broadcast_to(unions, (b, n)), axis=1)
        perm = keys.argsort(axis=1)
        both = np.concatenate([perm, perm[:, ::-1]])
        rank = np.empty_like(both)
        np.put_along_axis(rank, both, np.arange(n)[None, :].repeat(2 * b, axis=0), axis=1)
        # membership after the first t players, t = 0..n
        prefix = rank[:, None, :] < np.arange(n + 1)[None, :, None]
        vals = game.values(prefix.reshape(-1, n)).reshape(2 * b, n + 1)
        marg_pos = np.diff(vals, axis=1)
        contrib = np.take_along_axis(marg_pos, rank, axis=1)
        pair_avg = (contrib[:b] + contrib[b:]) / 2.0
        total += pair_avg.sum(axis=0)
        total_sq += (pair_avg**2).sum(axis=0)
        done += b
        if done >= 2:
            mean = total / done
            var = np.maximum(total_sq / done - mean**2, 0.0) * done / (done - 1)
            se = np.sqrt(var / done)
            if tol is not None and done >= 2 * batch and np.all(se <= tol):
                converged = True
                break
    mean = total / done
    if tol is None:
        converged = True
    else:
        converged = converged or bool(np.all(se <= tol))
    if not converged:
        logger.warning(
            "sampling stopped at the cap of %d permutations with max standard error %.3g > tol %.3g",
            2 * done,
            float(se.max()),
            tol,
        )
    return SampledValue(
        values=allocation_series(game, mean, "shapley"),
        std_error=allocation_series(game, se, "std_error"),
        samples=2 * done,
        converged=converged,
    )


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
    )
