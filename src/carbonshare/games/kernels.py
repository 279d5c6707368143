"""Compiled (numba) kernel of the exact table Shapley value: one pass over the 2^n table.

The exact Shapley value of a table v (see :mod:`carbonshare.games.shapley`) is

    phi_k = sum_{S containing k} v(S) t(|S|) - sum_S v(S) w(|S|),
    t(s) = w(s-1) + w(s),   w(s) = s! (n-s-1)! / n!   (w(-1) = w(n) = 0).

Split a bitmask S into its low ``b`` bits j (position inside a block of 2^b coalitions)
and its high bits B (block number). |S| = popcount(j) + popcount(B), so for every
popcount h of B the coefficients t(popcount(j) + h) and w(popcount(j) + h) form two
small tables of 2^b values. One pass over the table accumulates, per position j,

    acc[j] += t(.) v(S),   accw[j] += w(.) v(S),   and per block B: blocks[B] = sum_j t(.) v(S),

with two fused multiply-adds per coalition and nothing larger than the table in memory.
Then phi_k = sum_{j with bit k} acc[j] for the low bits, sum_{B with bit k-b} blocks[B]
for the high bits, minus sum_j accw[j]. The table is read once (8 bytes per coalition);
the rest lives in cache (2 x 2^b + 2^(n-b) values).

numba earns its place here: numpy needs about eight passes over the table (gathers of
the coefficients, the products, the bit sums) and is 5-10x slower for n >= 20
(``benchmarks/bench_games.py`` prints both next to the one-read bandwidth bound).
"""

from __future__ import annotations

import numpy as np
from numba import njit

BLOCK_BITS = 8
"""Low bits handled inside a block (2^8 = 256 positions: the accumulators stay in L1)."""


@njit(cache=True, nogil=True, fastmath={"reassoc", "contract", "nsz"})
def _accumulate(table, inv_unit, coef_member, coef_join, low):  # pragma: no cover - compiled
    size = 1 << low
    n_blocks = table.size >> low
    acc = np.zeros(size)
    accw = np.zeros(size)
    blocks = np.empty(n_blocks)
    for b in range(n_blocks):
        h = 0
        x = b
        while x:
            x &= x - 1
            h += 1
        cm = coef_member[h]
        cj = coef_join[h]
        base = b << low
        total = 0.0
        for j in range(size):
            v = table[base + j] * inv_unit
            c = cm[j] * v
            acc[j] += c
            accw[j] += cj[j] * v
            total += c
        blocks[b] = total
    return acc, accw, blocks


def shapley_fused(table: np.ndarray, unit: float, w: np.ndarray) -> np.ndarray:
    """Exact Shapley value of a table (length 2^n, values divided by ``unit`` on the fly),
    with ``w`` the Shapley weights w(0..n-1); see the module docstring.

    Examples
    --------
    >>> from carbonshare.games.game import shapley_weights
    >>> shapley_fused(np.array([0.0, 1.0, 2.0, 6.0]), 8.0, shapley_weights(2)).tolist()
    [2.5, 3.5]
    """
    from carbonshare.games.game import bit_marginals, popcount_table

    n = table.shape[0].bit_length() - 1
    low = min(n, BLOCK_BITS)
    w_join = np.concatenate([w, [0.0]])
    coef = np.concatenate([[0.0], w]) + w_join
    sizes = popcount_table(low).astype(np.int64)[None, :] + np.arange(n - low + 1)[:, None]
    inv = 1.0 / unit
    if not np.isfinite(inv):  # |v| below 2^-1022 everywhere: scale a copy instead
        table, inv = table / unit, 1.0
    acc, accw, blocks = _accumulate(table, inv, coef[sizes], w_join[sizes], low)
    marg = np.concatenate([bit_marginals(acc), bit_marginals(blocks)])
    return (marg - accw.sum()) * unit
