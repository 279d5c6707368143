"""Benchmark: the responsibility study (docs/methods.md C1, C3) on a large input-output table.

Usage: ``.venv/bin/python benchmarks/bench_responsibility.py [--sectors N]`` (default 3,000)

Writes a synthetic single-region table of N sectors (5 % dense, balanced rows and columns, one
CO2 row) in the documented CSV layout (docs/how-to/io-table.md), runs
``run_responsibility`` on it with tables, figures (PNG + SVG) and report.html, and prints the
time of each step, the largest figure in pixels and the size of the outputs. Issue 13's
target: the figures of a 3,000-sector table take under 10 s (they took 268 s and made
1,400 x 132,240-pixel PNGs before figures were capped at the top 15 items plus "others").
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _bench import header, peak_rss_mb
from PIL import Image


def write_table(folder: Path, n: int, seed: int = 1) -> None:
    """A balanced n-sector table: Z 5 % dense, at most 40 % of each column and 60 % of each row."""
    rng = np.random.default_rng(seed)
    sectors = [f"s{i:04d}" for i in range(n)]
    a = rng.random((n, n)) * (rng.random((n, n)) < 0.05)
    a *= 0.4 / a.sum(axis=0).clip(1e-9)
    x = rng.uniform(1.0, 2.0, n) * 1000.0
    z = a * x
    z *= np.minimum(1.0, 0.6 * x / z.sum(axis=1).clip(1e-9))[:, None]  # final demand >= 0.4 x
    final = x - z.sum(axis=1)
    value_added = x - z.sum(axis=0)
    row = pd.Index(sectors, name="row")
    pd.DataFrame(z, index=row, columns=sectors).to_csv(folder / "Z.csv")
    pd.DataFrame(
        {"households": 0.7 * final, "exports": 0.3 * final}, index=pd.Index(sectors, name="sector")
    ).to_csv(folder / "Y.csv")
    pd.DataFrame(
        [0.6 * value_added, 0.4 * value_added],
        index=pd.Index(["compensation_employees", "operating_surplus"], name="row"),
        columns=sectors,
    ).to_csv(folder / "V.csv")
    co2 = rng.lognormal(3.0, 1.5, n)
    pd.DataFrame([co2], index=pd.Index(["CO2"], name="row"), columns=sectors).to_csv(
        folder / "F.csv"
    )
    meta = {
        "name": f"synthetic {n} sectors",
        "region": "XX",
        "units": {"Z": "million EUR", "F": "thousand tonnes"},
        "value_added_rows": ["compensation_employees", "operating_surplus"],
        "extraction": [["XX", sectors[0]], ["XX", sectors[1]]],
        "source": "synthetic (benchmarks/bench_responsibility.py)",
        "synthetic": True,
    }
    (folder / "meta.json").write_text(json.dumps(meta))


def main(n: int) -> int:
    from carbonshare.studies.responsibility import ResponsibilityConfig, run_responsibility

    print(header())
    with tempfile.TemporaryDirectory() as tmp:
        table, out = Path(tmp) / "table", Path(tmp) / "out"
        table.mkdir()
        write_table(table, n)
        t0 = time.perf_counter()
        result = run_responsibility(ResponsibilityConfig(table=str(table)), out_dir=out)
        total = time.perf_counter() - t0
        pngs = sorted((out / "figures").glob("*.png"))
        sizes = {p.name: Image.open(p).size for p in pngs}
        widest = max(sizes, key=lambda k: sizes[k][0] * sizes[k][1])
        mb = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
        timings = result.manifest.timings
        print(
            f"responsibility study, {n} sectors, tables + {len(pngs)} figures (PNG + SVG) + "
            f"report: {total:.1f} s; figures {timings['figures']:.1f} s (target < 10 s); "
            f"largest PNG {widest} {sizes[widest][0]} x {sizes[widest][1]} px; outputs {mb:.1f} "
            f"MB; peak RSS {peak_rss_mb():.0f} MB"
        )
        for step, sec in timings.items():
            print(f"  {step:28s} {sec:7.3f} s")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(int(args[args.index("--sectors") + 1]) if "--sectors" in args else 3000))
