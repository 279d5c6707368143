"""Benchmark: the whole alliance study (docs/methods.md part A) on the bundled data.

Usage: ``.venv/bin/python benchmarks/bench_alliances.py [--quick]``

1. bundled data -> every table in memory, no figures, no report (target < 2 s); the first run
   reads the bundled files, later runs reuse the loaders' in-memory cache;
2. the same with the tables written (CSV + Parquet + one XLSX workbook) and manifest.json, and
   the whole ``carbonshare run alliances --no-figures --no-report`` command in a fresh process
   (interpreter start and imports included);
3. the same plus figures (PNG+SVG) and report.html (target < 60 s), once.

Prints wall-clock seconds (median of the repeats) and the time of each step.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time


def main(quick: bool) -> int:
    t0 = time.perf_counter()
    from carbonshare.studies.alliances import run_alliances
    from carbonshare.studies.alliances_config import AlliancesConfig

    print(f"import: {time.perf_counter() - t0:.2f} s")

    repeats = 2 if quick else 5
    times, result = [], None
    for _ in range(repeats):
        cfg = AlliancesConfig()
        cfg.output.figures = cfg.output.report = False
        t0 = time.perf_counter()
        result = run_alliances(cfg)
        result.tables()
        times.append(time.perf_counter() - t0)
    n = len(result.country_shares)
    print(
        f"study, bundled data -> all tables (no figures), {n} countries, "
        f"{result.statistics['n_alliances']} alliances: first run {times[0]:.2f} s (loads the "
        f"bundled data), median {statistics.median(times[1:]):.2f} s over {repeats - 1} more runs "
        "(target < 2 s)"
    )
    for step, sec in result.manifest.timings.items():
        print(f"  {step:28s} {sec:7.3f} s")

    with tempfile.TemporaryDirectory() as out:
        cfg = AlliancesConfig()
        cfg.output.figures = cfg.output.report = False
        t0 = time.perf_counter()
        written = run_alliances(cfg, out_dir=out)
        total = time.perf_counter() - t0
        cli = [sys.executable, "-m", "carbonshare", "run", "alliances", "--no-figures",
               "--no-report", "--out", out]  # fmt: skip
        t0 = time.perf_counter()
        subprocess.run(cli, check=True, capture_output=True)
        wall = time.perf_counter() - t0
    print(
        f"study with tables written (CSV, Parquet, XLSX) and manifest: {total:.2f} s "
        f"(writing {written.manifest.timings.get('tables', float('nan')):.2f} s); "
        f"the CLI command in a fresh process: {wall:.2f} s wall"
    )

    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        full = run_alliances(AlliancesConfig(), out_dir=out)
        total = time.perf_counter() - t0
    print(f"study with tables, figures, report.html, manifest: {total:.1f} s (target < 60 s)")
    for step, sec in full.manifest.timings.items():
        print(f"  {step:28s} {sec:7.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main("--quick" in sys.argv[1:]))
