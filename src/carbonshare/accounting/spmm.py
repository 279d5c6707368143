"""Sparse (CSR) matrix times a dense block of columns, on every core (numba).

Every step of :func:`carbonshare.accounting.linalg.block_gmres` multiplies ``I - A`` with a
block of k vectors: ``W = M V`` with ``M`` sparse (n x n, CSR) and ``V`` dense (n x k). scipy
computes it on one core in a loop that re-reads each row of ``V`` through a generic
``y[i, :] += a * x[j, :]``; here the rows of ``M`` are split over the cores and each output row
is accumulated in a local buffer of k values (vectorised, written once). Row i of the result is
``sum_p data[p] V[indices[p], :]`` over the stored entries p of row i, the same sum as scipy's
up to the order of floating-point additions (tests/accounting/test_linalg.py compares them).

numba earns its place here: on the n = 20,000 benchmark system (3.2 M non-zeros, 100 columns)
the product is about 2.8x faster than scipy's, and the trade solve of the accounts is a
sequence of ~16 such products (``benchmarks/bench_accounting.py``). The kernel is compiled on
first use and cached on disk (``cache=True``); numba is imported only then, and only for
products of at least :data:`PARALLEL_WORK` multiply-adds (loading the kernel costs about a
second, more than scipy needs for a small table).
"""

from __future__ import annotations

import numpy as np

__all__ = ["CSRBlockOperator", "csr_times_block"]

_KERNEL = None

#: stored entries x columns from which :class:`CSRBlockOperator` uses the parallel kernel
PARALLEL_WORK = 2**24


def _kernel():
    global _KERNEL
    if _KERNEL is None:
        from numba import njit, prange

        @njit(parallel=True, cache=True, fastmath={"reassoc", "contract", "nsz"})
        def spmm(indptr, indices, data, X, out):  # pragma: no cover - compiled
            k = out.shape[1]
            for i in prange(out.shape[0]):
                acc = np.zeros(k)
                for p in range(indptr[i], indptr[i + 1]):
                    a = data[p]
                    row = X[indices[p]]
                    for c in range(k):
                        acc[c] += a * row[c]
                out[i] = acc

        _KERNEL = spmm
    return _KERNEL


def csr_times_block(M: object, X: np.ndarray) -> np.ndarray:
    """``M @ X`` for a ``scipy.sparse`` CSR matrix ``M`` (m x n) and a dense block ``X`` (n x k).

    Returns a C-ordered float64 array (m x k).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> M = sp.csr_matrix(np.array([[2.0, 0.0], [1.0, 3.0]]))
    >>> csr_times_block(M, np.array([[1.0, 2.0], [3.0, 4.0]])).tolist()
    [[2.0, 4.0], [10.0, 14.0]]
    """
    X = np.ascontiguousarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] != M.shape[1]:
        raise ValueError(f"shapes {M.shape} and {X.shape} do not match for M @ X")
    out = np.empty((M.shape[0], X.shape[1]))
    _kernel()(M.indptr, M.indices, np.asarray(M.data, dtype=float), X, out)
    return out


class CSRBlockOperator:
    """A sparse matrix (any ``scipy.sparse`` format) whose products with large blocks of columns
    use :func:`csr_times_block`; vectors, single columns and products under
    :data:`PARALLEL_WORK` keep scipy's, in the matrix's own format. A matrix in another format
    is converted to CSR once, on its first large product: the transpose of a CSR matrix is a
    free CSC view, and solves with a few right-hand sides never pay for the copy."""

    def __init__(self, M: object) -> None:
        self.M = M
        self.shape = M.shape
        self._csr = M if M.format == "csr" else None

    def __matmul__(self, X: np.ndarray) -> np.ndarray:
        k = np.shape(X)[1] if np.ndim(X) == 2 else 1
        if k > 1 and self.M.nnz * k >= PARALLEL_WORK:
            if self._csr is None:
                self._csr = self.M.tocsr()
            return csr_times_block(self._csr, X)
        return self.M @ X
