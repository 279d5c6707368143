"""Benchmarks of carbonshare.games (prints figures; not a test).

Run: ``.venv/bin/python benchmarks/bench_games.py [--quick]``

1. Alliance game (docs/methods.md A6), n = 184, 15 unions: closed-form Shapley, Owen,
   two-stage, Banzhaf (target < 10 ms each).
2. Exact Shapley of a table game, n = 18, side by side with tucoopy in the
   same run; n = 20-25: the compiled one-pass kernel and the numpy version next
   to the one-read bandwidth bound measured in the same run (target: kernel
   within 5x of the bound for n >= 20; peak RSS = table + small).
3. Nucleolus of a 12-player table game (< 1 s).
4. Sampled Shapley: RMSE per scheme at equal permutations on a majority and a
   smooth game (the default "auto" must never be worse than plain permutations).
5. Reading and solving a game CSV (issue 9, item 16): a 25-player CSV (2^25 rows, written
   to a temporary folder) through ``carbonshare game solve`` in a child process: wall
   time and peak RSS of the child (target <= 4 GB), and the reader alone in bytes per
   coalition above the interpreter's baseline (target <= 100 B).
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # no oversubscription on small kernels

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from carbonshare.games import (
    TabularGame,
    alliance_game,
    banzhaf_value,
    nucleolus,
    owen_value,
    prenucleolus,
    shapley_sample,
    shapley_value,
    two_stage_shapley,
)


def timeit(fn, repeat=7):
    """Median wall time (s) of ``repeat`` calls after one warm-up call, and the result."""
    out = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def random_table_game(n: int, seed: int = 0) -> TabularGame:
    t = np.random.default_rng(seed).random(1 << n)
    t[0] = 0.0
    return TabularGame.from_array([f"p{k}" for k in range(n)], t)


def bench_alliance() -> None:
    n = 184
    rng = np.random.default_rng(0)
    names = [f"C{k:03d}" for k in range(n)]
    aci = pd.Series(rng.random(n), index=names)
    crl = pd.DataFrame(rng.random((n, n)), index=names, columns=names)
    unions = pd.Series([f"A{k % 15}" for k in range(n)], index=names)
    t_build, game = timeit(lambda: alliance_game(aci, crl), repeat=3)
    print(f"alliance game n={n}: build {t_build * 1e3:.2f} ms")
    for label, fn in [
        ("shapley (closed form)", lambda: shapley_value(game)),
        ("owen (closed form, 15 unions)", lambda: owen_value(game, unions)),
        ("two-stage shapley (closed form)", lambda: two_stage_shapley(game, unions)),
        ("banzhaf (closed form)", lambda: banzhaf_value(game)),
    ]:
        t, _ = timeit(fn, repeat=50)
        print(f"  {label:34s} {t * 1e3:8.3f} ms")


def repeat_times(fn, repeat=5):
    """Min and median wall time (s) of ``repeat`` calls after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def bench_exact(quick: bool) -> None:
    """Exact table Shapley: the compiled one-pass kernel, the numpy streaming version and
    tucoopy's fastest exact method, next to the one-read bound (8 bytes per coalition at the
    read bandwidth measured in the same run by a plain sum over the same table)."""
    from carbonshare.games.game import shapley_weights, value_unit
    from carbonshare.games.kernels import shapley_fused
    from carbonshare.games.shapley import shapley_streamed

    n = 18
    game = random_table_game(n)
    t_ours, ours = timeit(lambda: shapley_value(game), repeat=21)
    try:
        import tucoopy
        from tucoopy.solutions import shapley_value as tc_shapley

        tg = tucoopy.Game(n, dict(enumerate(game.table().tolist())))
        t_tc, theirs = timeit(lambda: tc_shapley(tg), repeat=1)
        err = float(np.abs(np.asarray(theirs) - ours.to_numpy()).max())
        print(
            f"exact shapley n={n}: carbonshare {t_ours * 1e3:.1f} ms, tucoopy {t_tc * 1e3:.0f} ms "
            f"-> {t_tc / t_ours:.0f}x faster (max |diff| {err:.1e})"
        )
    except ImportError:
        print(f"exact shapley n={n}: carbonshare {t_ours * 1e3:.1f} ms (tucoopy not installed)")
    print("exact shapley (min / median of 5; bound = one read of the table at the measured rate)")
    print("    n   kernel ms   numpy ms   one read ms   GB/s   kernel/bound   peak RSS MB")
    for n in (20,) if quick else (20, 22, 24, 25):
        table = random_table_game(n, seed=n).table()
        unit, w = value_unit(table), shapley_weights(n)
        k_min, k_med = repeat_times(lambda t=table, u=unit, w=w: shapley_fused(t, u, w))
        np_min, _ = repeat_times(lambda t=table, u=unit, w=w: shapley_streamed(t, u, w), 3)
        r_min, _ = repeat_times(lambda t=table: np.add.reduce(t))
        print(
            f"   {n:2d}   {k_min * 1e3:5.1f}/{k_med * 1e3:5.1f}   {np_min * 1e3:8.1f}   "
            f"{r_min * 1e3:11.1f}   {table.nbytes / r_min / 1e9:4.1f}   {k_min / r_min:12.1f}   "
            f"{peak_rss_mb():11.0f}"
        )
        del table


def bench_nucleolus() -> None:
    n = 12
    rng = np.random.default_rng(1)
    t = rng.uniform(0, 10, 1 << n)
    t[0] = 0.0
    t[-1] = t[1 << np.arange(n)].sum() + 20.0
    game = TabularGame.from_array([f"p{k}" for k in range(n)], t)
    t_nuc, _ = timeit(lambda: nucleolus(game), repeat=3)
    t_pre, _ = timeit(lambda: prenucleolus(game), repeat=3)
    print(f"nucleolus n={n} (random uniform values): {t_nuc:.3f} s; prenucleolus {t_pre:.3f} s")
    # a degenerate game: small integer values, many ties between coalitions
    t = np.round(rng.uniform(0, 4, 1 << n))
    t[0] = 0.0
    t[-1] = t[1 << np.arange(n)].sum() + 3.0
    game = TabularGame.from_array([f"p{k}" for k in range(n)], t)
    t_nuc, _ = timeit(lambda: nucleolus(game), repeat=3)
    print(f"nucleolus n={n} (integer values 0-4, degenerate LPs): {t_nuc:.3f} s")
    claims = dict(zip([f"c{k}" for k in range(n)], np.arange(1.0, n + 1) * 10, strict=True))
    estate = 0.4 * sum(claims.values())
    game = TabularGame.from_function(
        list(claims),
        lambda s: max(0.0, estate - sum(c for k, c in claims.items() if k not in s)),
    )
    t_nuc, _ = timeit(lambda: nucleolus(game), repeat=3)
    print(f"nucleolus n={n} (bankruptcy game, Talmud rule): {t_nuc:.3f} s")


def bench_sampling() -> None:
    """Sampled Shapley: RMSE against the exact value at equal numbers of permutations, per
    scheme, on a weighted majority game (antithetic pairs hurt) and a smooth game (they
    help a lot); "auto" picks by a pilot."""
    w = np.array([4, 3, 3, 2, 2, 1, 1, 1, 1, 1])
    quota = 10
    players = [f"p{k}" for k in range(w.size)]
    member = (np.arange(1 << w.size)[:, None] >> np.arange(w.size)) & 1
    majority = TabularGame.from_array(players, (member @ w >= quota).astype(float))
    a = np.random.default_rng(0).random(w.size)
    smooth = TabularGame.from_array(players, (member @ a) ** 1.5)
    print("sampled shapley, RMSE over 100 seeds at equal permutations (n = 10):")
    print("   game       samples   permutation   antithetic   auto (chosen)")
    for label, game in (("majority", majority), ("smooth", smooth)):
        exact = shapley_value(game).to_numpy()
        for samples in (100, 1_000, 10_000):
            row = []
            for scheme in ("permutation", "antithetic", "auto"):
                runs = [
                    shapley_sample(game, samples=samples, seed=s, scheme=scheme) for s in range(100)
                ]
                err = np.mean([((r.values.to_numpy() - exact) ** 2).mean() for r in runs])
                row.append(float(np.sqrt(err)))
            chosen = statistics.mode(r.scheme for r in runs)
            print(
                f"   {label:9s} {samples:8d}   {row[0]:11.2e}   {row[1]:10.2e}   "
                f"{row[2]:.2e} ({chosen})"
            )
    n = 20
    game = random_table_game(n, seed=3)
    exact = shapley_value(game)
    print(f"sampled shapley, n={n} random table game, one seed:")
    print("   scheme        samples   max|error|   mean SE    time")
    for scheme in ("auto", "stratified"):
        for samples in (1_000, 10_000, 100_000):
            t0 = time.perf_counter()
            res = shapley_sample(game, samples=samples, seed=1, scheme=scheme)
            dt = time.perf_counter() - t0
            err = float((res.values - exact).abs().max())
            print(
                f"   {scheme:12s} {samples:8d}   {err:10.2e}   {res.std_error.mean():.2e}"
                f"   {dt:6.2f} s"
            )


def write_csv_game(path: Path, n: int, seed: int = 0) -> None:
    """A random n-player game as ``coalition,value`` CSV, written block by block: the
    member strings of the low 16 players are built once, the high players appended."""
    low = min(n, 16)
    inner = [""]
    for k in range(low):
        inner = inner + [f"{c},p{k}" if c else f"p{k}" for c in inner]
    rng = np.random.default_rng(seed)
    with path.open("w") as fh:
        fh.write("coalition,value\n")
        for h in range(1 << (n - low)):
            high = ",".join(f"p{k}" for k in range(low, n) if h >> (k - low) & 1)
            vals = rng.random(len(inner)).tolist()
            cells = [f"{c},{high}" if c and high else c or high or "{}" for c in inner]
            if h == 0:
                vals[0] = 0.0
            fh.write("".join(f'"{c}",{v!r}\n' for c, v in zip(cells, vals, strict=True)))


def child_run(code: str) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of a fresh Python process running ``code``."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"child failed ({status}): {code}")
    return wall, usage.ru_maxrss / 1024.0


def bench_csv_reader(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"game{n}.csv"
        t0 = time.perf_counter()
        write_csv_game(path, n)
        size = path.stat().st_size
        print(
            f"game CSV n={n}: {1 << n} coalitions, {size / 1e9:.2f} GB written in "
            f"{time.perf_counter() - t0:.0f} s"
        )
        _, base = child_run("import carbonshare.games, pyarrow.csv, pyarrow.compute")
        t_read, rss_read = child_run(
            f"from carbonshare.games import read_game; read_game({str(path)!r})"
        )
        per = (rss_read - base) * 2**20 / (1 << n)
        print(
            f"  read_game: {t_read:.1f} s, peak RSS {rss_read:.0f} MB (interpreter and imports "
            f"{base:.0f} MB) -> {per:.0f} bytes per coalition (target <= 100); "
            f"file read at {size / t_read / 1e6:.0f} MB/s"
        )
        t_cli, rss_cli = child_run(
            "from carbonshare.cli import main; "
            f"raise SystemExit(main(['game', 'solve', {str(path)!r}]))"
        )
        print(
            f"  carbonshare game solve (exact Shapley): {t_cli:.1f} s, peak RSS {rss_cli:.0f} MB "
            "(target <= 4096 MB)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="n <= 20 only (CSV: 20 players)")
    parser.add_argument(
        "--csv-players", type=int, default=25, help="players of the CSV benchmark (default 25)"
    )
    parser.add_argument(
        "--only", choices=["alliance", "nucleolus", "sampling", "exact", "csv"], action="append"
    )
    args = parser.parse_args()
    parts = {
        "alliance": bench_alliance,
        "nucleolus": bench_nucleolus,
        "sampling": bench_sampling,
        "exact": lambda: bench_exact(args.quick),
        "csv": lambda: bench_csv_reader(20 if args.quick else args.csv_players),
    }
    for name in args.only or parts:
        parts[name]()
    print(f"peak RSS of the run: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
