"""Benchmark: the whole blue-carbon study (docs/methods.md part B) on the bundled data.

Usage: ``.venv/bin/python benchmarks/bench_bluecarbon.py [--quick]``

1. bundled data -> every table in memory, no figures, no report;
2. the whole study with tables (CSV + Parquet + one XLSX), figures (PNG + SVG),
   report.html and manifest.json (target < 60 s).

Prints wall-clock and CPU seconds (the machine may be shared: CPU time is the
stable figure) and the time of each step. ``--quick`` runs (1) with 100 Monte
Carlo draws and 200 Shapley permutations and skips nothing else.
"""

from __future__ import annotations

import sys
import tempfile
import time

from _bench import header, peak_rss_mb


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def main(quick: bool) -> int:
    print(header(("statsmodels",)), flush=True)
    w0, c0 = _clock()
    from carbonshare.studies.bluecarbon import run_bluecarbon
    from carbonshare.studies.bluecarbon_config import BlueCarbonConfig

    w1, c1 = _clock()
    print(f"import: {w1 - w0:.2f} s wall, {c1 - c0:.2f} s CPU")

    cfg = BlueCarbonConfig()
    if quick:
        cfg.uncertainty.draws = 100
        cfg.sharing.shapley_samples = 200
    cfg.output.figures = cfg.output.report = False
    w0, c0 = _clock()
    result = run_bluecarbon(cfg)
    result.tables()
    w1, c1 = _clock()
    h = result.headlines
    print(
        f"study, bundled data -> all tables (no files), {h['countries']} countries, "
        f"{h['indicators']} indicators: {w1 - w0:.1f} s wall, {c1 - c0:.1f} s CPU"
    )
    for step, sec in result.manifest.timings.items():
        print(f"  {step:28s} {sec:7.3f} s")
    if quick:
        print(f"peak RSS of the run: {peak_rss_mb():.0f} MB")
        return 0

    with tempfile.TemporaryDirectory() as out:
        w0, c0 = _clock()
        full = run_bluecarbon(BlueCarbonConfig(), out_dir=out)
        w1, c1 = _clock()
    print(
        f"study with tables, figures, report.html, manifest: {w1 - w0:.1f} s wall, "
        f"{c1 - c0:.1f} s CPU (target < 60 s)"
    )
    for step, sec in full.manifest.timings.items():
        print(f"  {step:28s} {sec:7.3f} s")
    print(f"peak RSS of the run: {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main("--quick" in sys.argv[1:]))
