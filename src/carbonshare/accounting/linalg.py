"""Linear solves with the Leontief matrix ``I - A`` without forming its inverse.

Every account of the input-output perspectives is a product of a vector (or
a few vectors) with ``L = (I - A)^-1`` or the Ghosh inverse
``G = (I - B)^-1 = diag(x)^-1 L diag(x)``. Forming ``L`` costs about
``2 n^3`` flops and ``8 n^2`` bytes per copy; one LU factorisation of
``I - A`` costs ``2/3 n^3`` and each solve only ``2 n^2``. Sparse tables
(``scipy.sparse``) use GMRES (the Neumann series ``x = sum_k A^k y``
converges since the spectral radius of ``A`` is below 1; GMRES converges
faster still) with relative tolerance 1e-13, all right-hand sides of a solve
iterated together (:func:`block_gmres`; the sparse products with a block of
columns run on every core, :mod:`carbonshare.accounting.spmm`), or ``scipy.sparse.linalg.splu`` on
request (exact, but fill-in makes it slow on large IO matrices).

References
----------
Miller, R. E. & Blair, P. D. (2009) *Input-Output Analysis*, 2nd ed., ch. 2 and 12.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import numpy as np

from carbonshare.accounting.arnoldi import orthogonalise
from carbonshare.errors import IOTableError

__all__ = ["LeontiefSolver", "block_gmres", "is_sparse"]

logger = logging.getLogger(__name__)


def is_sparse(matrix: object) -> bool:
    """True if ``matrix`` is a ``scipy.sparse`` matrix or array (without importing scipy)."""
    return type(matrix).__module__.startswith("scipy.sparse")


class LeontiefSolver:
    """Factorised ``M = I - A`` answering ``M z = b`` and ``M^T z = b``.

    Parameters
    ----------
    A : ndarray (n, n) or scipy.sparse matrix
        Technical coefficients (column j = inputs per unit output of j).
    labels : sequence of str
        Sector names, used in error messages.
    method : {"auto", "lu", "splu", "gmres"}
        ``auto`` = dense LU for arrays and GMRES for sparse matrices. Sparse LU
        (``splu``, COLAMD ordering) is exact but suffers fill-in on IO
        matrices (``L`` is dense): on the EXIOBASE-like benchmark system with
        n = 4,000 its factors held 14.6 million non-zeros and took 17 s,
        while GMRES needs only sparse products (``A`` has spectral radius < 1,
        so the Neumann series converges and GMRES faster still).
    overwrite : bool
        Dense only: let the factorisation reuse the buffer built from ``A``.

    Raises
    ------
    IOTableError
        If ``I - A`` is singular; the message names the sectors whose input
        coefficients sum to 1 or more (they cannot produce net output).

    Examples
    --------
    >>> import numpy as np
    >>> s = LeontiefSolver(np.array([[0.2, 0.3], [0.4, 0.1]]), ["a", "b"])
    >>> np.round(s.solve(np.array([1.0, 0.0])), 4).tolist()   # first column of L
    [1.5, 0.6667]
    """

    def __init__(
        self,
        A: object,
        labels: Sequence[str],
        *,
        method: str = "auto",
        overwrite: bool = True,
    ) -> None:
        self.labels = [str(s) for s in labels]
        self.n = len(self.labels)
        sparse = is_sparse(A)
        if method == "auto":
            method = "gmres" if sparse else "lu"
        if method not in ("lu", "splu", "gmres"):
            raise IOTableError(f"solver method {method!r} is unknown; use auto, lu, splu or gmres")
        self.method = method
        self._A = A
        colsum = np.asarray(A.sum(axis=0)).ravel()
        self._bad = [self.labels[j] for j in np.flatnonzero(colsum >= 1.0)]
        if method == "lu":
            import scipy.linalg as sla

            dense = A.toarray() if sparse else np.asarray(A, dtype=float)
            M = np.negative(dense, out=dense if (overwrite and not sparse) else None)
            M[np.diag_indices_from(M)] += 1.0
            # LAPACK works on Fortran order: factor M' (a free F-ordered view of a C-ordered M)
            # in place and swap the transpose flag when solving.
            self._factored_transpose = M.flags.c_contiguous
            Mf = M.T if self._factored_transpose else M
            with warnings.catch_warnings():
                warnings.simplefilter("error", sla.LinAlgWarning)
                try:
                    self._lu = sla.lu_factor(Mf, overwrite_a=True, check_finite=False)
                except (sla.LinAlgWarning, ValueError, np.linalg.LinAlgError) as exc:
                    self._singular(exc)
            u = np.abs(np.diag(self._lu[0]))
            if not np.all(np.isfinite(u)) or u.min() <= 1e-13 * max(u.max(), 1.0):
                self._singular(None)
        else:
            import scipy.sparse as sp

            M = (sp.identity(self.n, format="csr") - sp.csr_matrix(A)).tocsr()
            self._M = M  # CSR: row-wise products for GMRES
            if method == "splu":
                from scipy.sparse.linalg import splu

                try:
                    self._lu = splu(M.tocsc(), permc_spec="COLAMD")
                except RuntimeError as exc:  # "Factor is exactly singular"
                    self._singular(exc)

    def _singular(self, exc: object) -> None:
        hint = (
            f"sectors whose input coefficients sum to >= 1: {', '.join(self._bad[:10])}"
            if self._bad
            else "no single sector has input coefficients summing to >= 1; look for "
            "disconnected blocks of sectors that only deliver to each other"
        )
        raise IOTableError(
            f"I - A is singular, so the Leontief inverse does not exist ({hint}); "
            "check that every sector has positive value added or final demand"
        ) from (exc if isinstance(exc, BaseException) else None)

    def solve(self, b: np.ndarray, *, trans: bool = False) -> np.ndarray:
        """Solve ``(I - A) z = b`` (``trans=False``) or ``(I - A)^T z = b``.

        ``b`` may be a vector (n,) or a matrix (n, k) of right-hand sides.
        """
        b = np.asarray(b, dtype=float)
        if self.method == "lu":
            from scipy.linalg import lu_solve

            flip = trans != self._factored_transpose
            return lu_solve(self._lu, b, trans=1 if flip else 0, check_finite=False)
        if self.method == "splu":
            return self._lu.solve(b, trans="T" if trans else "N")
        return self._gmres(b, trans)

    def _gmres(self, b: np.ndarray, trans: bool) -> np.ndarray:
        key = "_MT" if trans else "_Mr"
        M = getattr(self, key, None)
        if M is None:  # made once, not per solve; large block products on every core
            from carbonshare.accounting.spmm import CSRBlockOperator

            M = CSRBlockOperator(self._M.T if trans else self._M)
            setattr(self, key, M)
        cols = b.reshape(self.n, -1)
        out = np.empty_like(cols)
        block = max(BLOCK, KRYLOV_BYTES // (8 * (RESTART + 1) * self.n))
        for start in range(0, cols.shape[1], block):
            part = cols[:, start : start + block]
            scale = np.abs(part).max(axis=0)
            scale[scale == 0] = 1.0
            sol, ok = block_gmres(M, part / scale, rtol=1e-13)
            if not ok.all():
                hint = (
                    f"; sectors whose input coefficients sum to >= 1: {', '.join(self._bad[:10])}"
                    if self._bad
                    else ""
                )
                raise IOTableError(
                    f"GMRES did not converge for I - A{hint}; I - A may be "
                    "(nearly) singular - check that every sector has positive value added or "
                    "final demand, or use method='splu' or 'lu'"
                )
            out[:, start : start + block] = sol * scale
        return out.reshape(b.shape)


#: right-hand sides iterated together by :func:`block_gmres`: at least ``BLOCK``, more while
#: their Krylov bases ((``RESTART`` + 1) n floats each) fit in ``KRYLOV_BYTES``; every product
#: with ``M`` reads ``M`` once for the whole block, so wider blocks cost fewer passes over ``M``
BLOCK = 16
RESTART = 30
KRYLOV_BYTES = 512 * 2**20


def block_gmres(
    M: object,
    B: np.ndarray,
    *,
    rtol: float = 1e-13,
    restart: int = RESTART,
    max_restarts: int = 60,
) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``M X = B`` for the k columns of ``B`` by k GMRES(``restart``) runs in lockstep.

    Each column follows the textbook GMRES of Saad & Schultz (1986) (Arnoldi
    step of :mod:`carbonshare.accounting.arnoldi`, Givens rotations, restart), but the
    k runs share every product with ``M``: one sparse-times-dense product
    ``M V`` (``M`` read once) replaces k sparse matrix-vector products, which
    is what makes many right-hand sides cheap (scipy's ``gmres`` takes one
    right-hand side at a time). A column stops when its residual is at most
    ``rtol ||b||``; converged columns stay in the block but no longer change.

    Returns
    -------
    X : ndarray (n, k)
    converged : bool ndarray (k,)

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> M = sp.csr_matrix(np.array([[0.8, -0.3], [-0.4, 0.9]]))
    >>> X, ok = block_gmres(M, np.eye(2))
    >>> np.allclose(X, np.linalg.inv(M.toarray())), ok.tolist()
    (True, [True, True])
    """
    n, k = B.shape
    X = np.zeros((n, k))
    bnorm = np.linalg.norm(B, axis=0)
    target = rtol * np.where(bnorm > 0, bnorm, 1.0)
    done = bnorm == 0
    # Krylov bases stored by right-hand side, V[c, i] = i-th basis vector of column c: each
    # column's basis is contiguous for the Arnoldi step (arnoldi.py)
    V = np.empty((k, restart + 1, n))
    for restart_no in range(max_restarts):
        R = B - M @ X if restart_no else B  # X = 0 before the first cycle: no product
        beta = np.linalg.norm(R, axis=0)
        done |= beta <= target
        if done.all():
            break
        V[:, 0] = (R / np.where(beta > 0, beta, 1.0)).T
        H = np.zeros((k, restart + 1, restart))
        cs = np.zeros((restart, k))
        sn = np.zeros((restart, k))
        g = np.zeros((restart + 1, k))
        g[0] = beta
        j = 0
        for j in range(restart):
            W = np.ascontiguousarray((M @ V[:, j].T).T)  # (k, n)
            orthogonalise(V, W, j, H)
            col = H[:, :, j].T  # (restart + 1, k) view: rotate in place
            for i in range(j):  # earlier rotations on the new column of H
                t = cs[i] * col[i] + sn[i] * col[i + 1]
                col[i + 1] = -sn[i] * col[i] + cs[i] * col[i + 1]
                col[i] = t
            d = np.hypot(col[j], col[j + 1])
            safe = np.where(d > 0, d, 1.0)
            cs[j] = np.where(d > 0, col[j] / safe, 1.0)
            sn[j] = np.where(d > 0, col[j + 1] / safe, 0.0)
            col[j] = d
            col[j + 1] = 0.0
            g[j + 1] = -sn[j] * g[j]
            g[j] = cs[j] * g[j]
            if np.all(done | (np.abs(g[j + 1]) <= target)):
                break
        m = j + 1
        Y = np.zeros((k, m))
        for c in np.flatnonzero(~done):  # back substitution, one small triangle per column
            Hc = H[c, :m, :m]
            zero = np.flatnonzero(np.diag(Hc) == 0)  # breakdown: use the columns before it
            r = int(zero[0]) if zero.size else m
            if r:
                Y[c, :r] = _solve_upper(Hc[:r, :r], g[:r, c])
        X += np.matmul(Y[:, None, :], V[:, :m])[:, 0, :].T
    else:  # out of restarts: the residual of the last update (after a break, R is current)
        R = B - M @ X
        beta = np.linalg.norm(R, axis=0)
    return X, beta <= 10 * target


def _solve_upper(U: np.ndarray, y: np.ndarray) -> np.ndarray:
    from scipy.linalg import solve_triangular

    return solve_triangular(U, y, lower=False, check_finite=False)
