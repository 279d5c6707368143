"""Benchmark: indicators -> weights -> scores -> distances -> CRL -> alliances.

Usage: ``.venv/bin/python benchmarks/bench_linkage.py [--quick]``

Synthetic countries (random capitals, log-normal indicators and labour costs)
at n = 184 (the paper's study size) and n = 2000. Prints the min and median of a few
repeats per step (``_bench.interleaved``, one BLAS thread: most steps take milliseconds), in
milliseconds.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from _bench import blas_threads, header, interleaved

from carbonshare import cooperation, geo
from carbonshare import indicators as ind


def synthetic(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    idx = pd.Index([f"C{i:04d}" for i in range(n)], name="iso3")
    X = pd.DataFrame(rng.lognormal(size=(n, 9)), index=idx, columns=ind.ALLIANCE_GRID.index)
    P = pd.DataFrame({"lat": rng.uniform(-55, 70, n), "lon": rng.uniform(-180, 180, n)}, index=idx)
    L = pd.Series(rng.lognormal(10, 1, n), index=idx)
    return X, P, L


def timed(fn, repeats: int):
    """The result of ``fn`` and the min / median milliseconds of ``repeats`` further calls."""
    out = fn()
    t = interleaved({"step": fn}, repeat=repeats, warmup=False)["step"]
    return out, (1000 * t.min, 1000 * t.median)


def run(n: int, repeats: int) -> list[tuple[str, float]]:
    X, P, L = synthetic(n)
    rows = []
    V, t = timed(lambda: ind.minmax(X), repeats)
    rows.append(("minmax", t))
    w, t = timed(lambda: ind.entropy_weights(V, normalised=True), repeats)
    rows.append(("entropy_weights", t))
    _, t = timed(lambda: ind.pca_weights(X), repeats)
    rows.append(("pca_weights (handbook)", t))
    dims, t = timed(lambda: ind.dimension_scores(V, w), repeats)
    rows.append(("dimension_scores", t))
    D, t = timed(lambda: geo.great_circle_km(P), repeats)
    rows.append(("great_circle_km", t))
    crl, t = timed(
        lambda: cooperation.crl_matrix(dims["Sc"], dims["Ec"], dims["Ev"], D, L), repeats
    )
    rows.append(("crl_matrix", t))
    _, t = timed(lambda: cooperation.strongest_links(crl), repeats)
    rows.append(("strongest_links", t))
    members, t = timed(lambda: cooperation.alliances(crl), repeats)
    rows.append((f"alliances weak-components ({members.nunique()} alliances)", t))
    k = max(1, members.nunique() // 2)
    _, t = timed(lambda: cooperation.alliances(crl, "target", n_alliances=k), repeats)
    rows.append((f"alliances target (n_alliances={k})", t))
    top_k = None if n <= 300 else 10
    lv, t = timed(lambda: cooperation.alliances(crl, "louvain", seed=0, top_k=top_k), 1)
    rows.append((f"alliances louvain (top_k={top_k}, {lv.nunique()} alliances)", t))
    return rows


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    print(header(("networkx",)), flush=True)
    for n, repeats in ((184, 1 if quick else 5), (2000, 1 if quick else 3)):
        with blas_threads(1):
            rows = run(n, repeats)
        print(f"n = {n} (min / median of {repeats} run(s) after one warm-up; louvain 1 run)")
        for name, (lo, med) in rows:
            print(f"  {name:<50s} {lo:10.1f} / {med:8.1f} ms")
        core = sum(
            lo
            for name, (lo, _) in rows
            if not name.startswith(("pca", "alliances target", "alliances louvain"))
        )
        print(f"  {'total (min): normalise .. weak-component alliances':<50s} {core:10.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
