"""The sparse fast path (issue 14, item 2): all right-hand sides of a solve iterated together,
the trade solve shared by every stressor; checked against dense LU and scipy's one-column GMRES."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.linalg import gmres

from carbonshare.accounting import IOTable, embodied_trade, emission_multipliers, regional_accounts
from carbonshare.accounting.linalg import BLOCK, LeontiefSolver, block_gmres

from .conftest import random_table


def _sparse_A(seed: int, n: int, density: float) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    A = sp.random(n, n, density=density, random_state=rng, format="csc")
    colsum = np.asarray(A.sum(axis=0)).ravel()
    return (A @ sp.diags(rng.uniform(0.2, 0.9, n) / np.where(colsum > 0, colsum, 1.0))).tocsr()


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 120),
    k=st.integers(1, 2 * BLOCK + 3),
    trans=st.booleans(),
)
def test_block_solve_matches_dense_lu(seed, n, k, trans):
    A = _sparse_A(seed, n, 0.1)
    B = np.random.default_rng(seed + 1).normal(size=(n, k))
    labels = [f"s{i}" for i in range(n)]
    fast = LeontiefSolver(A, labels).solve(B, trans=trans)
    dense = LeontiefSolver(A.toarray(), labels, method="lu").solve(B, trans=trans)
    np.testing.assert_allclose(fast, dense, rtol=1e-10, atol=1e-10 * np.abs(dense).max())


def test_block_solve_matches_scipy_gmres_column_by_column():
    A = _sparse_A(3, 400, 0.05)
    M = (sp.identity(400, format="csr") - A).tocsr()
    B = np.random.default_rng(4).uniform(0, 10, (400, 20))
    X, ok = block_gmres(M, B, rtol=1e-13)
    old = np.column_stack(
        [gmres(M, B[:, c], rtol=1e-13, atol=0.0, restart=60)[0] for c in range(20)]
    )
    assert ok.all()
    np.testing.assert_allclose(X, old, rtol=1e-11)


def test_zero_and_repeated_columns():
    A = _sparse_A(5, 50, 0.2)
    B = np.zeros((50, 3))
    B[:, 1] = 1.0
    B[:, 2] = 1.0
    X, ok = block_gmres((sp.identity(50) - A).tocsr(), B)
    assert ok.all() and not X[:, 0].any()
    np.testing.assert_array_equal(X[:, 1], X[:, 2])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_trade_accounts_of_sparse_table_match_dense_and_are_solved_once(seed):
    t = random_table(seed, n=5, regions=4)
    ts = IOTable(sp.csr_matrix(t.Z.to_numpy()), t.Y, F=t.F, F_Y=t.F_Y, sectors=t.sectors, rtol=1e-9)
    np.testing.assert_allclose(
        embodied_trade(ts, "CO2").to_numpy(), embodied_trade(t, "CO2").to_numpy(), rtol=1e-10
    )
    calls = []
    solver = ts.solver()
    original = solver.solve
    solver.solve = lambda b, trans=False: calls.append(np.shape(b)) or original(b, trans=trans)
    ts.F = ts.F.rename(index={"CO2": "CH4"})  # a second stressor reuses the cached L y_r
    regional_accounts(ts, "CH4")
    embodied_trade(ts, "CH4")
    assert calls == []


def test_narrow_and_wide_blocks_agree(monkeypatch):
    """All right-hand sides in one block (the default when their Krylov bases fit in memory)
    or in blocks of BLOCK columns: the same solution."""
    from carbonshare.accounting import linalg

    A = _sparse_A(7, 300, 0.05)
    B = np.random.default_rng(8).uniform(0, 10, (300, 3 * BLOCK + 5))
    labels = [f"s{i}" for i in range(300)]
    wide = LeontiefSolver(A, labels).solve(B)
    monkeypatch.setattr(linalg, "KRYLOV_BYTES", 0)
    narrow = LeontiefSolver(A, labels).solve(B)
    dense = LeontiefSolver(A.toarray(), labels, method="lu").solve(B)
    np.testing.assert_allclose(wide, dense, rtol=1e-10, atol=1e-10 * np.abs(dense).max())
    np.testing.assert_allclose(narrow, wide, rtol=1e-10, atol=1e-10 * np.abs(dense).max())


@pytest.mark.parametrize("sparse", [False, True])
def test_multipliers_and_income_solved_once_per_stressor(sparse):
    from carbonshare.accounting import (
        carbon_emission_added,
        consumption_based,
        emission_multipliers,
        footprint_by_product,
        income_based,
    )

    t = random_table(4, n=5, regions=3)
    if sparse:
        t = IOTable(sp.csr_matrix(t.Z.to_numpy()), t.Y, F=t.F, F_Y=t.F_Y, sectors=t.sectors)
    fresh = emission_multipliers(t, "CO2").to_numpy()
    calls = []
    solver = t.solver()
    original = solver.solve
    solver.solve = lambda b, trans=False: calls.append(trans) or original(b, trans=trans)
    for fn in (
        consumption_based,
        footprint_by_product,
        carbon_emission_added,
        emission_multipliers,
    ):
        fn(t, "CO2")
    income_based(t, "CO2")
    income_based(t, "CO2")
    assert calls == [False]  # multipliers cached from the first call; L f solved once
    m = emission_multipliers(t, "CO2")
    m.iloc[:] = 0.0  # the caller's copy: the cache is not touched
    np.testing.assert_array_equal(emission_multipliers(t, "CO2").to_numpy(), fresh)
    t.F = t.F * 2.0  # a new F is solved anew
    np.testing.assert_allclose(emission_multipliers(t, "CO2").to_numpy(), 2 * fresh, rtol=1e-12)
    assert calls == [False, True]


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    m=st.integers(1, 60),
    n=st.integers(1, 60),
    k=st.integers(1, 40),
    density=st.sampled_from([0.0, 0.05, 0.3, 1.0]),
    fortran=st.booleans(),
)
def test_parallel_block_product_matches_scipy(seed, m, n, k, density, fortran):
    """The numba CSR x block product against scipy's (empty rows, empty matrix, F-ordered
    blocks as block_gmres passes them, int32 and int64 indices)."""
    from carbonshare.accounting import spmm
    from carbonshare.accounting.spmm import CSRBlockOperator, csr_times_block

    rng = np.random.default_rng(seed)
    M = sp.random(m, n, density=density, random_state=rng, format="csr")
    X = rng.normal(size=(n, k))
    if fortran:
        X = np.asfortranarray(X)
    expected = M @ X
    np.testing.assert_allclose(csr_times_block(M, X), expected, rtol=1e-12, atol=1e-12)
    M64 = M.copy()
    M64.indices = M64.indices.astype(np.int64)
    M64.indptr = M64.indptr.astype(np.int64)
    np.testing.assert_allclose(csr_times_block(M64, X), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(CSRBlockOperator(M) @ X, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(CSRBlockOperator(M) @ X[:, 0], M @ X[:, 0], rtol=1e-12)
    work = spmm.PARALLEL_WORK
    try:  # the operator's kernel path (small products normally go to scipy)
        spmm.PARALLEL_WORK = 0
        np.testing.assert_allclose(CSRBlockOperator(M) @ X, expected, rtol=1e-12, atol=1e-12)
    finally:
        spmm.PARALLEL_WORK = work


def test_sparse_solve_through_the_parallel_kernel_matches_dense(monkeypatch):
    from carbonshare.accounting import spmm

    monkeypatch.setattr(spmm, "PARALLEL_WORK", 0)
    _assert_sparse_solves_match_dense(11, 200, 30)


def _assert_sparse_solves_match_dense(seed: int, n: int, k: int) -> None:
    """GMRES on a random sparse system against dense LU, for ``M z = b`` and ``M' z = b``."""
    A = _sparse_A(seed, n, 0.05)
    B = np.random.default_rng(seed + 1).uniform(0, 10, (n, k))
    labels = [f"s{i}" for i in range(n)]
    dense = LeontiefSolver(A.toarray(), labels, method="lu")
    for trans in (False, True):
        fast = LeontiefSolver(A, labels).solve(B, trans=trans)
        np.testing.assert_allclose(fast, dense.solve(B, trans=trans), rtol=1e-10, atol=1e-10)


def test_block_product_rejects_mismatched_shapes():
    from carbonshare.accounting.spmm import csr_times_block

    with pytest.raises(ValueError, match="do not match"):
        csr_times_block(sp.identity(3, format="csr"), np.ones((4, 2)))


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    k=st.integers(1, 12),
    n=st.integers(2, 80),
    j=st.integers(0, 6),
)
def test_parallel_arnoldi_step_matches_cgs2(seed, k, n, j):
    """The compiled modified Gram-Schmidt step against the batched CGS2 step: the same
    Hessenberg column and new basis vector (to rounding), and the basis stays orthonormal."""
    from carbonshare.accounting.arnoldi import orthogonalise_numpy, orthogonalise_parallel

    j = min(j, n - 2)
    rng = np.random.default_rng(seed)
    V = np.zeros((k, j + 3, n))
    for c in range(k):  # an orthonormal basis of j + 1 vectors per column
        V[c, : j + 1] = np.linalg.qr(rng.normal(size=(n, j + 1)))[0].T
    W = rng.normal(size=(k, n))
    H = np.zeros((k, j + 3, j + 2))
    V2, H2 = V.copy(), H.copy()
    orthogonalise_numpy(V, W.copy(), j, H)
    orthogonalise_parallel(V2, W.copy(), j, H2)
    np.testing.assert_allclose(H2, H, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(V2, V, rtol=1e-9, atol=1e-12)
    for c in range(k):
        Q = V2[c, : j + 2]
        np.testing.assert_allclose(Q @ Q.T, np.eye(j + 2), atol=1e-12)
        # Arnoldi relation: w = sum_i H[i, j] v_i
        np.testing.assert_allclose(H2[c, : j + 2, j] @ Q, W[c], atol=1e-10)


def test_sparse_solve_through_the_parallel_arnoldi_step_matches_dense(monkeypatch):
    from carbonshare.accounting import arnoldi

    calls = []
    original = arnoldi.orthogonalise_parallel
    monkeypatch.setattr(arnoldi, "PARALLEL_WORK", 0)
    monkeypatch.setattr(
        arnoldi, "orthogonalise_parallel", lambda *a: calls.append(1) or original(*a)
    )
    _assert_sparse_solves_match_dense(13, 250, 25)
    assert calls  # the compiled step was the one used


def _many_stressor_table(sparse: bool, stressors: int):
    t = random_table(21, n=4, regions=3)
    rng = np.random.default_rng(22)
    names = [f"gas{i:02d}" for i in range(stressors)]
    F = pd.DataFrame(rng.uniform(0.0, 5.0, (stressors, t.n)), index=names, columns=t.sectors)
    Z = sp.csr_matrix(t.Z.to_numpy()) if sparse else t.Z
    return IOTable(Z, t.Y, F=F, sectors=t.sectors, rtol=1e-9), F


@pytest.mark.parametrize("sparse", [False, True])
def test_stressors_are_solved_in_chunks_and_match_one_by_one(sparse):
    """More stressors than one chunk: every solve serves a chunk of STRESSOR_BLOCK stressors
    in the table's order, and each stressor's accounts equal those of a table holding it alone."""
    from carbonshare.accounting import income_based, shared_responsibility
    from carbonshare.accounting.perspectives import STRESSOR_BLOCK

    t, F = _many_stressor_table(sparse, STRESSOR_BLOCK + 3)
    calls = []
    solver = t.solver()
    original = solver.solve
    solver.solve = lambda b, trans=False: calls.append(np.shape(b)) or original(b, trans=trans)
    late, early = F.index[-1], F.index[0]
    got = {s: emission_multipliers(t, s) for s in (late, early, F.index[1])}
    got_income = {s: income_based(t, s) for s in (late, early)}
    assert calls == [(t.n, 3), (t.n, STRESSOR_BLOCK), (t.n, 3), (t.n, STRESSOR_BLOCK)]
    shared = {s: shared_responsibility(t, s) for s in (late, early, late)}
    for s in (late, early):
        alone = IOTable(
            t.Z if not sparse else sp.csr_matrix(t.Z.to_numpy()),
            t.Y,
            F=F.loc[[s]],
            sectors=t.sectors,
            rtol=1e-9,
        )
        pd.testing.assert_series_equal(
            got[s], emission_multipliers(alone, s), check_exact=False, rtol=1e-10
        )
        pd.testing.assert_series_equal(
            got_income[s], income_based(alone, s), check_exact=False, rtol=1e-10
        )
        pd.testing.assert_series_equal(
            shared[s], shared_responsibility(alone, s), check_exact=False, rtol=1e-10
        )


def test_final_demand_by_region_does_not_depend_on_column_order():
    """Final demand summed by region (used by the trade and footprint accounts) with the
    final-demand columns of the regions interleaved and shuffled."""
    from carbonshare.accounting import footprint_by_product

    t = random_table(23, n=4, regions=3, m=3)
    cols = list(t.Y.columns)
    shuffled = [cols[i] for i in np.random.default_rng(24).permutation(len(cols))]
    ts = IOTable(t.Z, t.Y[shuffled], F=t.F, F_Y=t.F_Y[shuffled], sectors=t.sectors, rtol=1e-9)
    by_hand = t.Y.T.groupby(level=0).sum().T
    fbp = footprint_by_product(ts, "CO2")
    m = emission_multipliers(t, "CO2").to_numpy()
    expected = (
        pd.DataFrame(m[:, None] * by_hand.to_numpy(), index=t.sectors, columns=by_hand.columns)
        .groupby(level=1)
        .sum()
    )
    pd.testing.assert_frame_equal(
        fbp.sort_index().sort_index(axis=1),
        expected.sort_index().sort_index(axis=1),
        check_exact=False,
        rtol=1e-12,
        check_names=False,
    )
    pd.testing.assert_frame_equal(
        embodied_trade(ts, "CO2"), embodied_trade(t, "CO2"), check_exact=False, rtol=1e-12
    )


def test_block_operator_of_a_transpose_converts_only_for_large_products(monkeypatch):
    """The transpose of a CSR matrix (a CSC view) is multiplied by scipy as it is for narrow
    blocks, and copied to CSR once for the parallel kernel."""
    from carbonshare.accounting import spmm
    from carbonshare.accounting.spmm import CSRBlockOperator

    M = _sparse_A(15, 120, 0.1)
    X = np.random.default_rng(16).normal(size=(120, 7))
    op = CSRBlockOperator(M.T)
    np.testing.assert_allclose(op @ X, M.T @ X, rtol=1e-12, atol=1e-12)
    assert op._csr is None  # small product: no copy
    monkeypatch.setattr(spmm, "PARALLEL_WORK", 0)
    np.testing.assert_allclose(op @ X, M.toarray().T @ X, rtol=1e-12, atol=1e-12)
    assert op._csr.format == "csr"
    np.testing.assert_allclose(op @ X[:, 0], M.T @ X[:, 0], rtol=1e-12)


@pytest.mark.parametrize("max_restarts", [0, 1, 2])
def test_converged_flags_are_the_true_residual_when_restarts_run_out(max_restarts):
    """With too few restarts (or none) the flags come from the true residual ||B - M X||, and
    the products made are the Arnoldi steps plus that one check."""
    A = _sparse_A(17, 200, 0.05)
    M = (sp.identity(200, format="csr") - A).tocsr()
    B = np.random.default_rng(18).uniform(0, 10, (200, 4))

    class Counted:
        shape, calls = M.shape, 0

        def __matmul__(self, X):
            Counted.calls += 1
            return M @ X

    X, ok = block_gmres(Counted(), B, rtol=1e-13, restart=3, max_restarts=max_restarts)
    residual = np.linalg.norm(B - M @ X, axis=0)
    np.testing.assert_array_equal(ok, residual <= 10 * 1e-13 * np.linalg.norm(B, axis=0))
    assert not ok.any()  # 3 steps per cycle cannot reach 1e-13 on this system
    # cycle 1: 3 steps; each later cycle: its residual + 3 steps; then the final check
    assert Counted.calls == (4 * max_restarts if max_restarts else 1)
