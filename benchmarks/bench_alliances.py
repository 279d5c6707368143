"""Benchmark: the whole alliance study (docs/methods.md part A) on the bundled data.

Usage: ``.venv/bin/python benchmarks/bench_alliances.py [--quick]``

1. bundled data -> every table in memory, no figures, no report (target < 2 s); the first run
   reads the bundled files, later runs reuse the loaders' in-memory cache;
2. the same with the tables written (CSV + Parquet + one XLSX workbook) and manifest.json, and
   the whole ``carbonshare run alliances --no-figures --no-report`` command in a fresh process
   (interpreter start and imports included);
3. the same plus figures (PNG+SVG) and report.html (target < 60 s), once;
4. the ``carbonshare run alliances`` command in a fresh process, five ways, interleaved
   (issue 14 targets: full run <= 5 s, tables-only <= 1.5 s): the default (1,000-sample Monte
   Carlo, figures drawn in a helper process, report), the same with every figure drawn in the
   main process (``CARBONSHARE_FIGURE_PROCESS=0``, the path before issue 14.6), ``--samples 0``,
   and both with ``--no-figures --no-report``; wall seconds (min and median), CPU seconds (all
   processes), the load average and the manifest's seconds per step;
5. the fast path of the report's distance-to-Table-2 panel next to the path it replaced,
   interleaved (``reading_table(result=...)`` vs three full runs).

``--scale [N ...]`` instead: the whole study on N synthetic countries (default 1,000 and 5,000)
to tables written, wall time, CPU time and peak RSS per size (targets at 5,000: <= 30 s, <= 2 GB).

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
from _bench import command_env, header, interleaved

CLI_RUNS = {
    "default (Monte Carlo, figures, report)": [],
    "default, figures in the main process": ["ENV:CARBONSHARE_FIGURE_PROCESS=0"],
    "--samples 0": ["--samples", "0"],
    "tables only (--no-figures --no-report)": ["--no-figures", "--no-report"],
    "tables only, --samples 0": ["--no-figures", "--no-report", "--samples", "0"],
}
"""Flags of each variant; ``ENV:NAME=VALUE`` sets an environment variable instead."""


def cli_runs(repeat: int) -> None:
    """Section 4: the command in a fresh process, each variant in turn, ``repeat`` rounds."""
    import os

    walls: dict[str, list[float]] = {k: [] for k in CLI_RUNS}
    cpus: dict[str, list[float]] = {k: [] for k in CLI_RUNS}
    loads: list[float] = []
    steps: dict[str, dict[str, list[float]]] = {k: {} for k in CLI_RUNS}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(repeat):
            for k, (name, flags) in enumerate(CLI_RUNS.items()):
                out = Path(tmp) / f"run{r}_{k}"
                cmd = [sys.executable, "-m", "carbonshare", "run", "alliances", "--out", str(out)]
                env = command_env()
                env.pop("CARBONSHARE_FIGURE_PROCESS", None)
                env.update(f[4:].split("=", 1) for f in flags if f.startswith("ENV:"))
                flags = [f for f in flags if not f.startswith("ENV:")]
                loads.append(os.getloadavg()[0])
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                subprocess.run([*cmd, *flags], check=True, capture_output=True, env=env)
                walls[name].append(time.perf_counter() - t0)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus[name].append(
                    after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                )
                timings = json.loads((out / "manifest.json").read_text())["timings_s"]
                for step, sec in timings.items():
                    steps[name].setdefault(step, []).append(sec)
    print(
        f"the command in a fresh process (carbonshare's bytecode cached), {repeat} interleaved "
        f"rounds (median; min); 1-minute load average before each run "
        f"{min(loads):.2f}-{max(loads):.2f}:"
    )
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
        subprocess.run(cli, check=True, capture_output=True, env=command_env())
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


# ----------------------------------------------------------------------------- --scale N

SCALE_SIZES = (1_000, 5_000)
"""Default sizes of ``--scale`` (10,000 on request: ``--scale 10000``)."""


def synthetic_study_data(n: int, seed: int = 0):
    """(panel, countries) of ``n`` synthetic countries in the shape of the bundled data.

    Random capitals over the inhabited latitudes, log-normal levels for 1990-2020 with a small
    yearly drift, every year present (no repair), so the study keeps all ``n`` countries.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    codes = pd.Index([f"S{i:05d}" for i in range(n)], name="iso3")
    countries = pd.DataFrame(
        {
            "name": [f"Synthetic {i}" for i in range(n)],
            "continent": rng.choice(["Africa", "Asia", "Europe", "Americas", "Oceania"], n),
            "developed": rng.random(n) < 0.3,
            "capital_lat": rng.uniform(-55.0, 70.0, n),
            "capital_lon": rng.uniform(-180.0, 180.0, n),
        },
        index=codes,
    )
    years = np.arange(1990, 2021)
    index = pd.MultiIndex.from_product([codes, years], names=["iso3", "year"])
    drift = np.tile(1.0 + 0.01 * (years - 1990), n)
    level = {
        "population": (16.0, 1.5), "gdp_usd": (24.0, 2.0), "co2_wdi_t": (16.0, 2.0),
        "urban_pct": (4.0, 0.3), "clean_cooking_pct": (4.0, 0.5),
        "services_employment_pct": (3.8, 0.3), "forest_rents_pct_gdp": (0.0, 1.0),
        "forest_area_km2": (10.0, 2.0), "gdp_per_employed": (10.0, 1.0),
    }  # fmt: skip
    panel = pd.DataFrame(
        {col: np.repeat(rng.lognormal(mu, sd, n), len(years)) * drift
         for col, (mu, sd) in level.items()},
        index=index,
    )  # fmt: skip
    return panel, countries


def _scale_child(n: int) -> None:
    """Child process of :func:`scale_case`: one study run of ``n`` countries; prints JSON."""
    import json

    from _bench import peak_rss_mb

    import carbonshare.studies.alliances as study
    from carbonshare.data.userdata import UserPanel
    from carbonshare.studies.alliances_config import AlliancesConfig

    panel, countries = synthetic_study_data(n)
    # synthetic codes are not countries: skip only the country-name resolution of user panels
    study.prepare_panel = lambda p, **_: UserPanel(panel=p, attributes=None)
    cfg = AlliancesConfig()
    cfg.output.figures = cfg.output.report = False
    cfg.uncertainty.samples = 0  # the study itself; the Monte Carlo's cost is bench_uncertainty's
    base = peak_rss_mb()
    with tempfile.TemporaryDirectory() as out:
        t0, cpu0 = time.perf_counter(), time.process_time()
        result = study.run_alliances(cfg, out_dir=out, panel=panel, countries=countries)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        size = sum(p.stat().st_size for p in result.paths if p.is_file())
    print(json.dumps({
        "n": len(result.country_shares), "alliances": int(result.statistics["n_alliances"]),
        "wall_s": wall, "cpu_s": cpu, "peak_mb": peak_rss_mb(), "data_mb": base, "out_mb": size / 1e6,
        "steps": result.manifest.timings,
    }))  # fmt: skip


def scale_case(sizes: tuple[int, ...] = SCALE_SIZES) -> int:
    """The whole study on ``n`` synthetic countries, tables written (no figures, no report).

    Each size runs in a fresh child process, so its peak resident memory (``getrusage``) is
    the run's own; the CPU seconds of the run (all threads) are printed next to the wall time,
    the steadier figure on a shared machine. Targets at n = 5,000: <= 30 s wall, <= 2 GB peak
    (docs/performance.md).
    """
    import json
    import os

    from _bench import header

    print(header())
    print("alliance study at scale: synthetic countries -> tables written (CSV, Parquet, XLSX)")
    for n in sizes:
        cmd = [sys.executable, __file__, "--scale-child", str(n)]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            filter(None, [os.path.dirname(__file__), os.environ.get("PYTHONPATH")])))  # fmt: skip
        done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"n = {r['n']:>6,} ({r['alliances']:,} alliances): {r['wall_s']:6.1f} s wall "
            f"({r['cpu_s']:.1f} s CPU, all threads), "
            f"peak RSS {r['peak_mb']:7.0f} MB (inputs {r['data_mb']:.0f} MB), "
            f"{r['out_mb']:.0f} MB written; load {load}"
        )
        for step, sec in r["steps"].items():
            print(f"    {step:28s} {sec:7.2f} s")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--scale-child" in args:
        sys.exit(_scale_child(int(args[args.index("--scale-child") + 1])))
    if "--scale" in args:
        given = [int(a) for a in args[args.index("--scale") + 1 :] if a.isdigit()]
        sys.exit(scale_case(tuple(given) or SCALE_SIZES))
    sys.exit(main("--quick" in args))
