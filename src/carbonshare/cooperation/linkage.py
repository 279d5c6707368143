"""Transforms of the linkage inside the game, and the stage-1 games of the two-stage allocation.

Both are options of issue 11 that change v(S) only; alliances are always formed from the
raw CRL (docs/methods.md A5).

Linkage transforms (``linkage.transform``), applied to the off-diagonal CRL_ij before
v(S) = (sum_S ACI)(sum_{i != j in S} T(CRL)_ij):

- ``none``: T = CRL (the paper).
- ``log_minmax``: T_ij = (ln CRL_ij - min ln CRL) / (max ln CRL - min ln CRL) over the
  positive off-diagonal entries (0 stays 0): the orders of magnitude, on 0-1.
- ``rank``: T_ij = rank of CRL_ij among the off-diagonal entries / their number (ties
  averaged), in (0, 1].
- ``row_normalised``: T_ij = CRL_ij / sum_k CRL_ik, each country's links as shares of its
  own linkage (rows sum to 1; T is not symmetric).

Stage-1 games (``allocation.stage1``), players = alliances k with A_k = sum_{i in k} ACI_i,
within-linkage L_k = sum_{i != j in k} c_ij and cross-linkage C_kl = sum_{i in k, j in l} c_ij:

- ``quotient`` (docs/methods.md A6): v*(T) = v(union of T) = (sum_T A_k)(sum_T L_k + sum_{k != l in T} C_kl).
- ``within_only``: v_w(T) = (sum_T A_k)(sum_T L_k); its Shapley value is
  (A_k L + L_k A) / 2 with A = sum A_k, L = sum L_k (dividends A_k L_k on singletons and
  A_k L_l + A_l L_k on pairs).
- ``cross_only``: v_c(T) = (sum_T A_k)(sum_{k != l in T} C_kl), the alliance game of the
  alliances (closed form of :class:`carbonshare.games.alliance.AllianceGame`).

v* = v_w + v_c, so the quotient values are the sum of the other two (Shapley is linear).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from carbonshare.errors import ConfigError, GameError

__all__ = [
    "LINKAGE_TRANSFORMS",
    "STAGE1_GAMES",
    "stage1_values",
    "transform_linkage",
    "two_stage_split",
    "two_stage_values",
]

logger = logging.getLogger(__name__)

LINKAGE_TRANSFORMS = ("none", "log_minmax", "rank", "row_normalised")
STAGE1_GAMES = ("quotient", "within_only", "cross_only")
_ZERO_RTOL = 1e-9


def average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n of ``x``, ties given the mean of the ranks they share (as
    ``scipy.stats.rankdata(x)``, method "average"; numpy only, so the linkage transforms do
    not import scipy.stats).

    The tied run occupying sorted positions a+1..b gets (a + 1 + b) / 2.

    >>> average_ranks(np.array([10.0, 30.0, 20.0, 20.0])).tolist()
    [1.0, 4.0, 2.5, 2.5]
    """
    x = np.asarray(x).ravel()
    order = np.argsort(x, kind="stable")
    xs = x[order]
    new = np.r_[True, xs[1:] != xs[:-1]]  # first sorted position of each run of ties
    run = np.cumsum(new)  # 1-based run of each sorted position
    bounds = np.r_[np.flatnonzero(new), len(x)]  # run r covers sorted positions a..b-1
    ranks = np.empty(len(x))
    ranks[order] = 0.5 * (bounds[run - 1] + 1 + bounds[run])
    return ranks


def _transform_array(c: np.ndarray, method: str) -> np.ndarray:
    c = np.array(c, dtype=float, copy=True)
    np.fill_diagonal(c, 0.0)
    if method == "none":
        return c
    off = ~np.eye(len(c), dtype=bool)
    if method == "log_minmax":
        pos = off & (c > 0)
        out = np.zeros_like(c)
        if pos.any():
            y = np.log(c[pos])
            span = y.max() - y.min()
            out[pos] = (y - y.min()) / span if span > 0 else 1.0
        return out
    if method == "rank":
        out = np.zeros_like(c)
        out[off] = average_ranks(c[off]) / off.sum()
        return out
    if method == "row_normalised":
        rows = c.sum(axis=1, keepdims=True)
        return np.divide(c, rows, out=np.zeros_like(c), where=rows > 0)
    raise ConfigError(
        f"linkage.transform {method!r} is unknown; use one of {', '.join(LINKAGE_TRANSFORMS)}"
    )


def transform_linkage(crl: pd.DataFrame, method: str = "none") -> pd.DataFrame:
    """The linkage used inside v(S): CRL transformed by ``method`` (module docstring).

    Parameters
    ----------
    crl : square CRL matrix (labels on both axes); the diagonal is ignored.
    method : one of :data:`LINKAGE_TRANSFORMS`.

    Returns
    -------
    DataFrame, same labels, dimensionless for every method but ``none`` (CRL units), zero
    diagonal.

    Examples
    --------
    >>> crl = pd.DataFrame([[0, 100, 1], [100, 0, 10], [1, 10, 0]], index=list("ABC"),
    ...                    columns=list("ABC"), dtype=float)
    >>> transform_linkage(crl, "log_minmax").loc["A"].tolist()
    [0.0, 1.0, 0.0]
    >>> transform_linkage(crl, "rank").loc["A"].tolist()
    [0.0, 0.9166666666666666, 0.25]
    >>> transform_linkage(crl, "row_normalised").loc["C"].round(3).tolist()
    [0.091, 0.909, 0.0]
    """
    out = _transform_array(crl.to_numpy(dtype=float), method)
    return pd.DataFrame(out, index=crl.index.copy(), columns=crl.columns.copy())


#: Up to this many multiply-adds (n^2 m: players^2 x alliances), :func:`_alliance_sums` is two
#: BLAS products with the n x m membership matrix (7x faster at n = 171, m = 39); above, it
#: sums over blocks of rows in O(n^2) without an n x n copy.
ONE_HOT_MAX = 1 << 24


def _alliance_sums(
    aci: np.ndarray, crl: np.ndarray, ids: np.ndarray, block: int = 512, one_hot: bool | None = None
):
    """A_k ((m,) or (m, k) for ACI columns) and C_kl = sum_{i in k, j in l} c_ij (zero
    diagonal of c; c is only read).

    ``one_hot`` (default: n^2 m <= :data:`ONE_HOT_MAX`): C = S' c S with the membership matrix
    S (n x m). Otherwise each block of rows gives its row-by-alliance sums by one
    ``np.bincount`` over (row, alliance of the column) keys, added to the rows of the alliances
    of its rows."""
    n, m = len(ids), int(ids.max()) + 1
    if one_hot is None:
        one_hot = n * n * m <= ONE_HOT_MAX
    if one_hot:
        c = np.array(crl, dtype=float)
        np.fill_diagonal(c, 0.0)
        member = np.zeros((n, m))
        member[np.arange(n), ids] = 1.0
        big_c = member.T @ (c @ member)
    else:
        big_c = _alliance_sums_by_blocks(crl, ids, m, block)
    if aci.ndim == 1:
        return np.bincount(ids, aci, minlength=m), big_c
    return np.stack([np.bincount(ids, col, minlength=m) for col in aci.T], axis=1), big_c


def _alliance_sums_by_blocks(crl: np.ndarray, ids: np.ndarray, m: int, block: int) -> np.ndarray:
    n = len(ids)
    big_c = np.zeros((m, m))
    for lo in range(0, n, block):
        rows = np.array(crl[lo : lo + block], dtype=float)
        b = len(rows)
        rows[np.arange(b), np.arange(lo, lo + b)] = 0.0
        keys = (np.arange(b)[:, None] * m + ids[None, :]).ravel()
        by_col = np.bincount(keys, weights=rows.ravel(), minlength=b * m).reshape(b, m)
        np.add.at(big_c, ids[lo : lo + b], by_col)
    return big_c


def stage1_values(
    aci: np.ndarray, crl: np.ndarray, ids: np.ndarray, game: str = "quotient"
) -> np.ndarray:
    """Shapley value Q_k of each alliance in the stage-1 game (module docstring).

    Parameters
    ----------
    aci : (n,) ACI per country, or (n, k) ACI columns (one game each, the same linkage:
        every stage-1 game is linear in ACI); crl : (n, n) linkage used in v (diagonal
        ignored, only read); ids : (n,) alliance index 0..m-1 per country; game : one of
        :data:`STAGE1_GAMES`.

    Returns
    -------
    (m,) array (or (m, k) for ACI columns) in units of v (ACI x linkage). ``quotient``
    sums to v(N).

    Examples
    --------
    >>> aci = np.array([1.0, 1.0, 2.0]); ids = np.array([0, 0, 1])
    >>> crl = np.array([[0, 2, 1], [2, 0, 1], [1, 1, 0]], dtype=float)
    >>> stage1_values(aci, crl, ids, "within_only").tolist()  # L = (4, 0), A = (2, 2)
    [12.0, 4.0]
    >>> stage1_values(aci, crl, ids, "quotient").tolist()  # v*(X) = 8, v*(Y) = 0, v(N) = 32
    [20.0, 12.0]
    """
    if game not in STAGE1_GAMES:
        raise ConfigError(
            f"allocation.stage1 {game!r} is unknown; use one of {', '.join(STAGE1_GAMES)}"
        )
    from carbonshare.games.alliance import shapley_closed_form

    a_k, big_c = _alliance_sums(np.asarray(aci, dtype=float), crl, ids)
    within = np.diag(big_c).copy()
    out = np.zeros(a_k.shape)
    if game in ("quotient", "within_only"):
        lk = within if a_k.ndim == 1 else within[:, None]
        out += (a_k * within.sum() + lk * a_k.sum(axis=0)) / 2.0
    if game in ("quotient", "cross_only") and len(a_k) > 1:
        cross = big_c.copy()
        np.fill_diagonal(cross, 0.0)
        out += shapley_closed_form(a_k, cross + cross.T)
    return out


def two_stage_values(
    aci: np.ndarray, crl: np.ndarray, ids: np.ndarray, stage1: str = "quotient"
) -> np.ndarray:
    """Two-stage allocation (docs/methods.md A6) with a choice of stage-1 game, as an array.

    Country i in alliance k gets Q_k psi_i / sum_{j in k} psi_j, psi = Shapley value of v
    restricted to k; a singleton gets Q_k; an alliance whose psi sum to 0 splits Q_k
    equally (as :func:`carbonshare.games.two_stage_shapley` with on_zero="equal").

    Examples
    --------
    >>> aci = np.array([1.0, 1.0, 2.0]); ids = np.array([0, 0, 1])
    >>> crl = np.array([[0, 2, 1], [2, 0, 1], [1, 1, 0]], dtype=float)
    >>> two_stage_values(aci, crl, ids).tolist()
    [10.0, 10.0, 12.0]
    """
    from carbonshare.games.alliance import within_union_closed_form

    aci = np.asarray(aci, dtype=float)
    c = np.array(crl, dtype=float, copy=True)
    np.fill_diagonal(c, 0.0)
    q = stage1_values(aci, c, ids, stage1)
    psi = within_union_closed_form(aci, c + c.T, ids)
    return two_stage_split(q, psi, ids)


def two_stage_split(q: np.ndarray, psi: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Stage 2 of :func:`two_stage_values`: Q_k psi_i / sum_{j in k} psi_j (see there).

    ``q`` (m,) stage-1 values, ``psi`` (n,) Shapley values in the own alliance's game, ``ids``
    (n,) alliance index 0..m-1; a singleton or an alliance whose psi sum to 0 splits Q_k
    equally.

    >>> two_stage_split(np.array([6.0, 2.0]), np.array([1.0, 2.0, 0.0]), np.array([0, 0, 1]))
    array([2., 4., 2.])
    """
    sums = np.bincount(ids, psi, minlength=len(q))
    abs_sums = np.bincount(ids, np.abs(psi), minlength=len(q))
    size = np.bincount(ids, minlength=len(q))
    ok = (size > 1) & (np.abs(sums) > _ZERO_RTOL * abs_sums) & np.isfinite(sums)
    if np.any((size > 1) & ~ok):
        if not np.isfinite(q).all():
            raise GameError("stage-1 values are not finite; check ACI and the linkage")
        logger.debug("two-stage: %d alliance(s) with subgame value 0 split equally", (~ok).sum())
    scaled = q[ids] * psi / np.where(ok, sums, 1.0)[ids]
    return np.where(ok[ids], scaled, q[ids] / size[ids])
