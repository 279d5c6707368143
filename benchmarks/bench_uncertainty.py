"""Benchmark: Monte Carlo uncertainty of the alliance study (issue 11).

Usage: ``.venv/bin/python benchmarks/bench_uncertainty.py [--quick]``

1. cost of one sample of the full study (168 countries: noise, normalise, entropy + Dirichlet
   weights, CRL, alliances, two-stage shares) in this process, over 1,000 samples (decides
   whether ~1,000 samples fit in a default run: target < 5 s);
2. 10,000 samples on local processes (2 cores; target < 60 s);
3. a Dask LocalCluster with 1 and with 2 worker processes on the same samples: speed-up
   (target >= 1.7x);
4. peak memory (max RSS) of the whole command-line run for N and 5 N samples, each in a fresh
   process, with samples streamed to Parquet: it should not grow with N.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

from _bench import header


def _samples(ctx, n, **kw):
    from carbonshare.uncertainty.run import run_samples

    t0 = time.perf_counter()
    run_samples(ctx, n, 0, chunk_size=250, **kw)
    return time.perf_counter() - t0


def main(quick: bool) -> int:
    print(header(("dask", "distributed", "SALib")), flush=True)
    from carbonshare.studies.alliances import run_alliances
    from carbonshare.uncertainty.kernel import build_context

    result = run_alliances()
    ctx = build_context(result)
    n1 = 300 if quick else 1000
    t = _samples(ctx, n1, workers=1)
    print(f"{n1} samples in this process: {t:.2f} s ({1000 * t / n1:.2f} ms per sample; "
          f"~1,000 samples: {1000 * t / n1:.1f} s, target for the default run < 5 s)")  # fmt: skip

    n2 = 2000 if quick else 10_000
    cores = os.cpu_count() or 1
    t = _samples(ctx, n2, workers=cores)
    print(f"{n2} samples on {cores} local processes: {t:.1f} s (target for 10,000: < 60 s)")

    from distributed import Client, LocalCluster

    n3 = 1000 if quick else 4000
    times = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:  # fmt: skip
            _samples(ctx, 250, client=client)  # warm-up: imports on the workers
            times[workers] = _samples(ctx, n3, client=client)
    print(f"Dask LocalCluster, {n3} samples: 1 worker {times[1]:.1f} s, 2 workers "
          f"{times[2]:.1f} s, speed-up {times[1] / times[2]:.2f}x (target >= 1.7x)")  # fmt: skip

    base = 500 if quick else 2000
    for n in (base, 5 * base):
        with tempfile.TemporaryDirectory() as out:
            code = (
                "import resource, sys\n"
                "from carbonshare.cli import main\n"
                f"main(['uncertainty', 'alliances', '--samples', '{n}', '--sensitivity', '0', "
                f"'--workers', '2', '--out', {out!r}])\n"
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
                "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            )
            t0 = time.perf_counter()
            res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True)  # fmt: skip
            wall = time.perf_counter() - t0
            own, child = (int(x) for x in res.stdout.strip().splitlines()[-1].split())
            print(f"CLI run, {n} samples: {wall:.1f} s wall, peak RSS driver {own / 1024:.0f} "
                  f"MB, largest worker {child / 1024:.0f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main("--quick" in sys.argv))
