"""Benchmark: carbonshare.accounting against pymrio.calc_all on the same synthetic MRIO.

Usage::

    .venv/bin/python benchmarks/bench_accounting.py            # n = 5,000 dense + 20,000 sparse
    .venv/bin/python benchmarks/bench_accounting.py --quick    # n = 1,000 dense + 2,000 sparse

Each measurement runs in its own subprocess (same seed, hence the same
system): one run for wall time, one under ``tracemalloc`` for the peak of
memory allocated during the computation (numpy registers its buffers with
tracemalloc); the process's peak resident set (``ru_maxrss``) is printed
too. Inputs (Z, Y, F as DataFrames) are built before the measurement starts;
building the ``IOTable`` / ``IOSystem`` from them is measured.

Dense case: R regions x S sectors with every coefficient non-zero; columns
of A sum to 0.3-0.8. Sparse case (EXIOBASE-like): 100 regions x 200 sectors
= 20,000 (3.2 million non-zeros); domestic blocks 30 % non-zero, trade blocks
0.5 % non-zero, held as ``scipy.sparse``. Next to the sparse figure the
child measures the physical unit of every Krylov solve in the same run: one
product of ``I - A`` with a vector and with the n x R block of the regions'
final demand.

The synthetic systems are not data; they only exercise the linear algebra.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd


def build(n_regions: int, n_sectors: int, *, sparse: bool, seed: int = 1):
    """The synthetic system: (Z, Y, F) DataFrames, or (Z sparse, Y, F, labels) for sparse."""
    rng = np.random.default_rng(seed)
    n = n_regions * n_sectors
    regions = [f"r{r:02d}" for r in range(n_regions)]
    sectors = [f"s{s:03d}" for s in range(n_sectors)]
    idx = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    cats = ["household", "government", "investment"]
    cols = pd.MultiIndex.from_product([regions, cats], names=["region", "category"])
    if sparse:
        import scipy.sparse as sp

        blocks = []
        for r in range(n_regions):
            row = []
            for c in range(n_regions):
                dens = 0.30 if r == c else 0.005
                row.append(
                    sp.random(n_sectors, n_sectors, density=dens, random_state=rng, format="csr")
                )
            blocks.append(row)
        A = sp.bmat(blocks, format="csc")
        colsum = np.asarray(A.sum(axis=0)).ravel()
        scale = rng.uniform(0.3, 0.8, n) / np.where(colsum > 0, colsum, 1.0)
        A = (A @ sp.diags(scale)).tocsc()
    else:
        A = rng.random((n, n))
        A *= (rng.uniform(0.3, 0.8, n) / A.sum(axis=0))[None, :]
    Yv = rng.uniform(1.0, 100.0, (n, len(cols)))
    # x = L y: solved once here (not measured)
    if sparse:
        from carbonshare.accounting.linalg import LeontiefSolver

        x = LeontiefSolver(A, [str(i) for i in range(n)]).solve(Yv.sum(axis=1))
        Z = (A @ sp.diags(x)).tocsr()
    else:
        import scipy.linalg as sla

        x = sla.solve(np.eye(n) - A, Yv.sum(axis=1))
        A *= x[None, :]
        Z = A
    F = pd.DataFrame(rng.uniform(0.0, 1.0, (2, n)) * x[None, :], index=["CO2", "CH4"], columns=idx)
    Y = pd.DataFrame(Yv, index=idx, columns=cols)
    if sparse:
        return Z, Y, F, idx
    return pd.DataFrame(Z, index=idx, columns=idx, copy=False), Y, F, idx


def run_pymrio(Z, Y, F):
    import pymrio

    io = pymrio.IOSystem(Z=Z, Y=Y, name="synthetic")
    unit = pd.DataFrame({"unit": ["kg", "kg"]}, index=F.index)
    F2 = F.copy()
    F2.index.name = "stressor"
    unit.index.name = "stressor"
    io.emissions = pymrio.Extension(name="emissions", F=F2, unit=unit)
    io.calc_all()
    return float(io.emissions.D_cba_reg.loc["CO2"].sum())


def run_carbonshare(Z, Y, F, idx, *, full: bool, method: str = "auto"):
    from carbonshare import accounting as acc

    t = acc.IOTable(Z, Y, F=F, sectors=idx if not isinstance(Z, pd.DataFrame) else None, rtol=1e-6)
    t.solver(method)
    total = 0.0
    for s in ("CO2", "CH4"):
        acc.production_based(t, s)
        cba = acc.consumption_based(t, s)
        acc.footprint_by_product(t, s)
        acc.regional_accounts(t, s)
        acc.income_based(t, s)
        if full:
            acc.shared_responsibility(t, s, alpha=0.5)
        total += float(cba.sum()) if s == "CO2" else 0.0
    return total


def _best(fn, repeat: int = 5) -> float:
    """Minimum wall time of ``repeat`` calls (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    Z, Y, F, idx = build(args.regions, args.sectors, sparse=args.sparse)
    if args.memory:
        tracemalloc.start()
        tracemalloc.reset_peak()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    if args.tool == "pymrio":
        total = run_pymrio(Z, Y, F)
    else:
        total = run_carbonshare(Z, Y, F, idx, full=args.full, method=args.method)
    dt = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] if args.memory else None
    bound = {}
    if args.sparse and not args.memory:
        # the physical unit of every Krylov solve, measured here: one product of I - A with
        # one vector (SpMV) and with all R regions' final demand at once (SpMM, n x R)
        import scipy.sparse as sp

        M = (sp.identity(Z.shape[0], format="csr") - sp.csr_matrix(Z)).tocsr()
        Yr = Y.T.groupby(level="region").sum().T.to_numpy()
        bound["spmv_s"] = _best(lambda: M @ Yr[:, 0])
        bound["spmm_s"] = _best(lambda: M @ Yr)
        bound["nnz"] = int(M.nnz)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": dt,
                "traced_peak_mb": None if peak is None else peak / 2**20,
                "maxrss_mb": rss / 1024,
                "maxrss_before_mb": rss0 / 1024,
                "co2_consumption_total": total,
                **bound,
            }
        )
    )


def measure(
    tool: str,
    regions: int,
    sectors: int,
    *,
    sparse: bool = False,
    full: bool = False,
    method: str = "auto",
) -> dict:
    out = {}
    for memory in (False, True):
        cmd = [
            sys.executable,
            __file__,
            "--child",
            "--tool",
            tool,
            "--regions",
            str(regions),
            "--sectors",
            str(sectors),
            "--method",
            method,
        ]
        cmd += ["--sparse"] if sparse else []
        cmd += ["--full"] if full else []
        cmd += ["--memory"] if memory else []
        res = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if res.returncode != 0:
            raise RuntimeError(f"{tool} failed:\n{res.stderr[-3000:]}")
        d = json.loads(res.stdout.strip().splitlines()[-1])
        if memory:
            out["traced_peak_mb"] = d["traced_peak_mb"]
            out["maxrss_mb_traced_run"] = d["maxrss_mb"]
        else:
            out.update(
                seconds=d["seconds"],
                maxrss_mb=d["maxrss_mb"],
                maxrss_before_mb=d["maxrss_before_mb"],
                total=d["co2_consumption_total"],
                **{k: d[k] for k in ("spmv_s", "spmm_s", "nnz") if k in d},
            )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--tool", default="carbonshare")
    ap.add_argument("--regions", type=int, default=10)
    ap.add_argument("--sectors", type=int, default=500)
    ap.add_argument("--sparse", action="store_true")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--memory", action="store_true")
    ap.add_argument("--method", default="auto")
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    ap.add_argument("--skip-sparse", action="store_true")
    ap.add_argument("--splu", action="store_true", help="also time sparse LU (slow: fill-in)")
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    dense = (5, 200) if args.quick else (10, 500)
    sparse = (10, 200) if args.quick else (100, 200)
    n = dense[0] * dense[1]
    print(f"# dense n = {n} ({dense[0]} regions x {dense[1]} sectors, 2 stressors)")
    pm = measure("pymrio", *dense)
    cs = measure("carbonshare", *dense)
    csf = measure("carbonshare", *dense, full=True)
    rel = abs(cs["total"] - pm["total"]) / abs(pm["total"])
    rows = {
        "pymrio.calc_all": pm,
        "carbonshare (same accounts + income)": cs,
        "carbonshare (+ shared responsibility)": csf,
    }
    print(f"{'':42s} {'seconds':>9s} {'traced peak MB':>15s} {'max RSS MB':>11s}")
    for k, v in rows.items():
        print(f"{k:42s} {v['seconds']:9.2f} {v['traced_peak_mb']:15.0f} {v['maxrss_mb']:11.0f}")
    print(
        f"speed-up {pm['seconds'] / cs['seconds']:.1f}x (with shared "
        f"{pm['seconds'] / csf['seconds']:.1f}x); traced peak memory ratio "
        f"{cs['traced_peak_mb'] / pm['traced_peak_mb']:.2f} (with shared "
        f"{csf['traced_peak_mb'] / pm['traced_peak_mb']:.2f}); CO2 footprint totals agree to "
        f"{rel:.1e}"
    )
    if not args.skip_sparse:
        n2 = sparse[0] * sparse[1]
        print(f"# sparse n = {n2} ({sparse[0]} regions x {sparse[1]} sectors, EXIOBASE-like)")
        for method in ("gmres", "splu") if args.splu else ("gmres",):
            sp_ = measure("carbonshare", *sparse, sparse=True, full=True, method=method)
            print(
                f"carbonshare sparse ({method}, all accounts + shared): "
                f"{sp_['seconds']:.2f} s, traced peak {sp_['traced_peak_mb']:.0f} MB, "
                f"max RSS {sp_['maxrss_mb']:.0f} MB (8 GB limit)"
            )
            if "spmm_s" in sp_:
                print(
                    f"  bound: {sp_['nnz']:,} non-zeros; one product of I - A with one vector "
                    f"{1e3 * sp_['spmv_s']:.1f} ms, with all {sparse[0]} regions' final demand "
                    f"{1e3 * sp_['spmm_s']:.0f} ms (same run). The trade accounts need one "
                    f"Krylov solve with {sparse[0]} right-hand sides (~13-16 such products); the "
                    f"run took {sp_['seconds'] / sp_['spmm_s']:.0f} x one product with all of them"
                )


if __name__ == "__main__":
    main()
