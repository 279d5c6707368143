"""Run every benchmark script in this folder and print their figures.

Usage: ``.venv/bin/python benchmarks/run_all.py [--quick] [NAME ...]`` (NAME = games,
accounting, alliances, ...). Each ``bench_*.py`` is a plain script that prints its own figures;
this runner prints one header (date, machine, load, library and peer versions), sequences the
scripts (``--quick`` is passed on to every script, all of which accept it) and prints the total
wall time, so that one command reproduces docs/performance.md. Heavy optional cases (the
25-player game CSV, sparse LU) stay behind the scripts' own flags.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _bench import header  # noqa: E402

#: the peer libraries the scripts compare against (versions printed in the header)
PEERS = (
    "pymrio",
    "tucoopy",
    "Pyfrontier",
    "frontierguard-dea",
    "networkx",
    "statsmodels",
    "SALib",
    "distributed",
)


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    names = [a for a in argv if a != "--quick"]
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        unknown = sorted(set(names) - {s.stem.removeprefix("bench_") for s in scripts})
        if unknown:
            print(
                f"unknown benchmark(s) {unknown}; choose from "
                f"{[s.stem.removeprefix('bench_') for s in scripts]}"
            )
            return 2
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    print(header(PEERS), flush=True)
    failed = []
    total = time.perf_counter()
    for script in scripts:
        print(f"\n=== {script.name}{' --quick' if quick else ''} ===", flush=True)
        start = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script), *(["--quick"] if quick else [])])
        print(f"--- {script.name}: exit {rc}, {time.perf_counter() - start:.1f} s wall", flush=True)
        if rc != 0:
            failed.append(script.name)
    print(
        f"\ntotal wall time {time.perf_counter() - total:.0f} s for {len(scripts)} scripts"
        + (f"; FAILED: {', '.join(failed)}" if failed else ""),
        flush=True,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
