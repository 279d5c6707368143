"""Benchmark: the whole alliance study (docs/methods.md part A) on the bundled data.

Usage: ``.venv/bin/python benchmarks/bench_alliances.py [--quick]``

1. bundled data -> every table in memory, no figures, no report (target < 2 s); the first run
   reads the bundled files, later runs reuse the loaders' in-memory cache;
2. the same with the tables written (CSV + Parquet + one XLSX workbook) and manifest.json, and
   the whole ``carbonshare run alliances --no-figures --no-report`` command in a fresh process
   (interpreter start and imports included);
3. the same plus figures (PNG+SVG) and report.html (target < 60 s), once.

4. the ``carbonshare run alliances`` command in a fresh process, four ways, interleaved
   (issue 14 targets: full run <= 5 s, tables-only <= 1.5 s): the default (1,000-sample Monte
   Carlo, figures, report), ``--samples 0``, and both with ``--no-figures --no-report``; wall
   seconds, CPU seconds (this process and its children) and the manifest's seconds per step;
5. the fast path of the report's distance-to-Table-2 panel next to the path it replaced,
   interleaved (``reading_table(result=...)`` vs three full runs).

Prints wall-clock seconds (median of the repeats) and the time of each step.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _bench import header, interleaved

CLI_RUNS = {
    "default (Monte Carlo, figures, report)": [],
    "--samples 0": ["--samples", "0"],
    "tables only (--no-figures --no-report)": ["--no-figures", "--no-report"],
    "tables only, --samples 0": ["--no-figures", "--no-report", "--samples", "0"],
}


def cli_runs(repeat: int) -> None:
    """Section 4: the command in a fresh process, each variant in turn, ``repeat`` rounds."""
    walls: dict[str, list[float]] = {k: [] for k in CLI_RUNS}
    cpus: dict[str, list[float]] = {k: [] for k in CLI_RUNS}
    steps: dict[str, dict[str, list[float]]] = {k: {} for k in CLI_RUNS}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(repeat):
            for k, (name, flags) in enumerate(CLI_RUNS.items()):
                out = Path(tmp) / f"run{r}_{k}"
                cmd = [sys.executable, "-m", "carbonshare", "run", "alliances", "--out", str(out)]
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                subprocess.run([*cmd, *flags], check=True, capture_output=True)
                walls[name].append(time.perf_counter() - t0)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus[name].append(
                    after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                )
                timings = json.loads((out / "manifest.json").read_text())["timings_s"]
                for step, sec in timings.items():
                    steps[name].setdefault(step, []).append(sec)
    print(f"the command in a fresh process, {repeat} interleaved rounds (median; min):")
    for name in CLI_RUNS:
        w, c = walls[name], cpus[name]
        print(
            f"  {name:40s} wall {statistics.median(w):5.2f} s ({min(w):.2f}); "
            f"CPU {statistics.median(c):5.2f} s (all processes)"
        )
        per = ", ".join(f"{st} {statistics.median(v):.2f}" for st, v in steps[name].items())
        print(f"    steps (s): {per}")


def fast_paths(repeat: int) -> None:
    """Section 5: each fast path of issue 14 next to the path it replaced."""
    from carbonshare.studies.alliances import run_alliances
    from carbonshare.studies.alliances_config import AlliancesConfig
    from carbonshare.studies.alliances_presets import reading_table

    cfg = AlliancesConfig()
    cfg.output.figures = cfg.output.report = False
    cfg.uncertainty.samples = 0
    result = run_alliances(cfg)
    t = interleaved(
        {"reading_table(result=run)": lambda: reading_table(result=result),
         "reading_table() (3 full runs)": reading_table},
        repeat=repeat,
    )  # fmt: skip
    print("report panel 'distance to the published study':")
    for name, timing in t.items():
        print(f"  {name:40s} {timing}")


def main(quick: bool) -> int:
    print(header())
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
    cli_runs(2 if quick else 5)
    fast_paths(2 if quick else 5)
    return 0


if __name__ == "__main__":
    sys.exit(main("--quick" in sys.argv[1:]))
