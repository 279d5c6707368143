"""Benchmarks of carbonshare.games (prints figures; not a test).

Run: ``.venv/bin/python benchmarks/bench_games.py [--quick] [--only PART] [--only csv]``

Every timing is the min and median of interleaved repetitions (``_bench.interleaved``: the
candidates take turns, so a change of machine load hits all of them alike); kernels shorter
than ~10 ms run with one BLAS thread.

1. Alliance game (docs/methods.md A6), n = 184, 15 unions: closed-form Shapley, Owen,
   two-stage, Banzhaf (target < 10 ms each).
2. Exact Shapley of a table game against tucoopy's fastest exact method
   (``shapley_value_fast``, numpy Moebius transform; see :func:`bench_exact`) at n = 18 and 20,
   and, n = 20-25, carbonshare's compiled one-pass kernel and numpy version next to the
   one-read bound (table bytes / read bandwidth measured in the same run; target: kernel within
   5x of the bound for n >= 20; peak RSS = table + small).
3. Nucleolus of 12-player table games against tucoopy's ``nucleolus``: time and which
   allocation is lexicographically better (sorted excess vectors compared).
4. Sampled Shapley: RMSE per scheme at equal permutations on a majority and a
   smooth game (the default "auto" must never be worse than plain permutations).
5. Only with ``--only csv`` (minutes, 2.2 GB of disk): reading and solving a game CSV (issue 9,
   item 16): a 25-player CSV (2^25 rows, written to a temporary folder) through ``carbonshare
   game solve`` in a child process: wall time and peak RSS of the child (target <= 4 GB), and
   the reader alone in bytes per coalition above the interpreter's baseline (target <= 100 B).
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # no oversubscription on small kernels

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _bench import blas_threads, header, interleaved, peak_rss_mb, read_bandwidth

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
    game = alliance_game(aci, crl)
    cases = {
        "build (alliance_game)": lambda: alliance_game(aci, crl),
        "shapley (closed form)": lambda: shapley_value(game),
        "owen (closed form, 15 unions)": lambda: owen_value(game, unions),
        "two-stage shapley (closed form)": lambda: two_stage_shapley(game, unions),
        "banzhaf (closed form)": lambda: banzhaf_value(game),
    }
    with blas_threads(1):
        times = interleaved(cases, repeat=30)
    print(f"alliance game n={n} (min / median of 30 interleaved runs, 1 BLAS thread):")
    for label, t in times.items():
        print(f"  {label:34s} {t.min * 1e3:8.3f} / {t.median * 1e3:8.3f} ms")


def bench_exact(quick: bool) -> None:
    """Exact table Shapley against tucoopy, then carbonshare's kernels against the bound.

    tucoopy's exact Shapley methods, timed once at n = 16 on this machine (2026-12-06):
    ``shapley_value`` (the permutation formula, a Python loop over n 2^(n-1) marginal
    contributions) 2.6 s at n = 16 extrapolated from 0.22 s at n = 14, ``semivalue`` with
    Shapley weights 1.7 s, ``weighted_shapley_value`` with equal weights 1.7 s and
    ``shapley_value_fast`` (numpy Moebius transform, then a Python loop distributing the
    dividends) 1.4 s: the last is the fastest and is the one compared. All are O(n 2^n) in
    Python, about 4.5x per two more players: n = 22 would take ~2 min and n = 24 ~10 min per
    run, too long to repeat, so the side-by-side stops at n = 20.
    """
    from carbonshare.games.game import shapley_weights, value_unit
    from carbonshare.games.kernels import shapley_fused
    from carbonshare.games.shapley import shapley_streamed

    bw = read_bandwidth()
    print(f"read bandwidth (np.sum of 512 MB, 1 thread, best of 5): {bw / 1e9:.1f} GB/s")
    try:
        import tucoopy
        from tucoopy.solutions.shapley import shapley_value_fast
    except ImportError:
        print("tucoopy not installed: no side-by-side")
    else:
        print(
            "exact shapley, carbonshare.shapley_value vs tucoopy shapley_value_fast "
            "(min / median of interleaved runs; bound = one read of the table)"
        )
        print("    n   runs   carbonshare ms      tucoopy s   speed-up   bound ms   ours/bound")
        for n, runs in ((14, 3), (16, 3)) if quick else ((18, 5), (20, 3)):
            game = random_table_game(n)
            tg = tucoopy.Game(n, dict(enumerate(game.table().tolist())))
            ours = shapley_value(game)  # warm-up (compiles the kernel once)
            theirs = {}  # kept from the timed runs (no warm-up: each costs seconds)
            with blas_threads(1):
                t = interleaved(
                    {
                        "ours": lambda g=game: shapley_value(g),
                        "tucoopy": lambda g=tg, out=theirs: out.update(
                            x=shapley_value_fast(g, backend="numpy")
                        ),
                    },
                    repeat=runs,
                    warmup=False,
                )
            err = float(np.abs(np.asarray(theirs["x"]) - ours.to_numpy()).max())
            bound = game.table().nbytes / bw
            print(
                f"   {n:2d}   {runs:4d}   {t['ours'].min * 1e3:6.2f} / {t['ours'].median * 1e3:6.2f}"
                f"   {t['tucoopy'].min:5.1f} / {t['tucoopy'].median:5.1f}"
                f"   {t['tucoopy'].min / t['ours'].min:7.0f}x   {bound * 1e3:8.2f}"
                f"   {t['ours'].min / bound:10.1f}   (max |diff| {err:.1e})"
            )
            del tg
    print(
        "exact shapley kernels (min / median of 5 interleaved runs, 1 thread; one read = "
        "np.add.reduce of the same table; bound = table bytes / read bandwidth above)"
    )
    print(
        "    n   kernel ms        numpy ms         one read ms   bound ms   kernel/read"
        "   kernel/bound   peak RSS MB"
    )
    for n in (20,) if quick else (20, 22, 24, 25):
        table = random_table_game(n, seed=n).table()
        unit, w = value_unit(table), shapley_weights(n)
        with blas_threads(1):
            t = interleaved(
                {
                    "kernel": lambda t=table, u=unit, w=w: shapley_fused(t, u, w),
                    "numpy": lambda t=table, u=unit, w=w: shapley_streamed(t, u, w),
                    "read": lambda t=table: np.add.reduce(t),
                }
            )
        bound = table.nbytes / bw
        k, p, r = t["kernel"], t["numpy"], t["read"]
        print(
            f"   {n:2d}   {k.min * 1e3:6.1f} / {k.median * 1e3:6.1f}   "
            f"{p.min * 1e3:6.1f} / {p.median * 1e3:6.1f}   {r.min * 1e3:11.1f}   "
            f"{bound * 1e3:8.1f}   {k.min / r.min:11.1f}   {k.min / bound:12.1f}   "
            f"{peak_rss_mb():11.0f}"
        )
        del table


def _sorted_excesses(t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Excesses ``v(S) - x(S)`` of every proper non-empty coalition, largest first."""
    n = x.size
    masks = np.arange(1, (1 << n) - 1)
    xs = ((masks[:, None] >> np.arange(n)) & 1) @ x
    return np.sort(t[masks] - xs)[::-1]


def _lex_compare(a: np.ndarray, b: np.ndarray, tol: float = 1e-7) -> str:
    """Which sorted excess vector is lexicographically smaller (the better nucleolus)."""
    diff = np.flatnonzero(np.abs(a - b) > tol)
    if not diff.size:
        return "equal (within 1e-7)"
    i = diff[0]
    better = "carbonshare" if a[i] < b[i] else "tucoopy"
    return f"{better} better (first difference at excess #{i + 1}: {a[i]:.6g} vs {b[i]:.6g})"


def bench_nucleolus() -> None:
    n = 12
    rng = np.random.default_rng(1)
    games = {}
    t = rng.uniform(0, 10, 1 << n)
    t[0] = 0.0
    t[-1] = t[1 << np.arange(n)].sum() + 20.0
    games["random uniform values"] = TabularGame.from_array([f"p{k}" for k in range(n)], t)
    # a degenerate game: small integer values, many ties between coalitions
    t = np.round(rng.uniform(0, 4, 1 << n))
    t[0] = 0.0
    t[-1] = t[1 << np.arange(n)].sum() + 3.0
    games["integer values 0-4, degenerate LPs"] = TabularGame.from_array(
        [f"p{k}" for k in range(n)], t
    )
    claims = dict(zip([f"c{k}" for k in range(n)], np.arange(1.0, n + 1) * 10, strict=True))
    estate = 0.4 * sum(claims.values())
    games["bankruptcy game, Talmud rule"] = TabularGame.from_function(
        list(claims),
        lambda s: max(0.0, estate - sum(c for k, c in claims.items() if k not in s)),
    )
    try:
        import tucoopy
        from tucoopy.solutions.nucleolus import nucleolus as tc_nucleolus
    except ImportError:
        tucoopy = None
    print(f"nucleolus n={n} (min / median of 5 interleaved runs; excesses compared sorted)")
    for label, game in games.items():
        table = game.table()
        cases = {
            "ours": lambda g=game: nucleolus(g),
            "prenucleolus": lambda g=game: prenucleolus(g),
        }
        if tucoopy is not None:
            tg = tucoopy.Game(n, dict(enumerate(table.tolist())))
            cases["tucoopy"] = lambda g=tg: tc_nucleolus(g)
        t = interleaved(cases, repeat=5)
        line = (
            f"  {label:36s} carbonshare {t['ours'].min:.3f} / {t['ours'].median:.3f} s "
            f"(prenucleolus {t['prenucleolus'].min:.3f} s)"
        )
        if tucoopy is not None:
            ours = nucleolus(game).to_numpy()
            theirs = np.asarray(tc_nucleolus(tg).x)
            verdict = _lex_compare(_sorted_excesses(table, ours), _sorted_excesses(table, theirs))
            gap = abs(theirs.sum() - table[-1])
            if gap > 1e-7 * max(abs(table[-1]), 1.0):
                verdict += f" (tucoopy's allocation misses v(N) by {gap:.3g})"
            line += (
                f"; tucoopy {t['tucoopy'].min:.3f} / {t['tucoopy'].median:.3f} s "
                f"({t['tucoopy'].min / t['ours'].min:.1f}x); max |x diff| "
                f"{np.abs(ours - theirs).max():.1e}; {verdict}"
            )
        print(line)


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
    print(header(("tucoopy",)), flush=True)
    for name in args.only or [p for p in parts if p != "csv"]:
        parts[name]()
    print(f"peak RSS of the run: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
