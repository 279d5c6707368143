"""Timings of the allocation rules and of DEA / ZSG-DEA (docs/methods.md C2).

Run: .venv/bin/python benchmarks/bench_principles.py [--quick]

1. every rule of carbonshare.principles.RULES on the bundled country panel
   (the entities with complete data 1990-2019, ~190 countries);
2. DEA and ZSG-DEA (CCR and BCC; inputs quota + population, output GDP) on n = 200, 1,000 and
   3,000 synthetic DMUs: the default path (one HiGHS model re-solved per unit through highspy)
   next to the old one (one scipy.optimize.linprog call per unit) in the same run, ZSG-DEA also
   with the unpruned verification (``verify="full"``), and the peers on the same data:
   Pyfrontier (sub-vector model via ``uncontrollable_index``: the same LP as ours; n = 200) and
   frontierguard (radial model only, so against our radial DEA; its fastest working set-up:
   scipy HiGHS, no slack phase; its direct highspy solver fails with highspy 1.16, "HiGHS solve
   error: Not Set"; n <= 1,000). Min and median of 5 interleaved repetitions at n = 200, 3 at
   n = 1,000, 1 at n = 3,000 (target: ZSG-DEA at n = 3,000 <= 15 s). Each figure has a floor
   next to it: its number of LPs x the time of one minimal HiGHS solve of the same LP (a
   re-solve from the optimal basis, no pivot; fastest of 300), measured in the same run.

``--quick``: n = 200 only, without Pyfrontier (~15 s per run).
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the LPs are small; no BLAS threads

import time
from functools import partial

import numpy as np
import pandas as pd
from _bench import Timing, header, interleaved

from carbonshare.principles import RULES, allocate, dea_efficiency, zsg_dea
from carbonshare.principles.dea import EnvelopmentLP, non_dominated

REPEATS = {200: 5, 1000: 3}  # 1 above


def _timed(fn, *args, repeat: int = 3, **kwargs) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t0)
    return best, out


def bench_rules() -> None:
    from carbonshare.data import load_panel

    panel = load_panel(["co2_t", "population", "gdp_usd"])
    panel = panel.loc[panel.index.get_level_values(1).isin(range(1990, 2020))]
    wide = panel.unstack()
    keep = wide.index[wide.notna().all(axis=1) & (wide.xs(2019, axis=1, level=1) > 0).all(axis=1)]
    data = panel.loc[panel.index.get_level_values(0).isin(keep)]
    params = {
        "equal_cumulative_per_capita": {"start_year": 1990, "remaining_budget": 500e9},
        "mix": {"components": {"egalitarian": 1, "grandfathering": 1}},
        "zsg_dea": {"inputs": ["population"]},
    }
    print(f"all rules on the bundled panel: {len(keep)} countries, 1990-2019")
    print(f"{'rule':32s} {'seconds':>10s}")
    for name in RULES:
        if name in ("shapley", "alliance"):
            continue
        seconds, shares = _timed(allocate, name, data, **params.get(name, {}))
        assert abs(shares.sum() - 1) < 1e-9
        print(f"{name:32s} {seconds:10.4f}")


def synthetic(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    idx = [f"D{i}" for i in range(n)]
    q = pd.Series(rng.lognormal(3, 1, n), index=idx)
    pop = pd.DataFrame({"pop": rng.lognormal(2, 1, n)}, index=idx)
    gdp = pd.DataFrame({"gdp": q * rng.lognormal(0, 0.5, n) + pop["pop"]}, index=idx)
    return q, gdp, pop


def minimal_solve(frame: pd.DataFrame, y: pd.DataFrame, rts: str, scaled, reps: int = 300):
    """Seconds of one minimal HiGHS solve of the envelopment LP (non-dominated columns):
    DMU 0 re-solved from its own optimal basis (bounds reset, no pivot), fastest of ``reps``."""
    ref = non_dominated(frame, y)
    mask = np.isin(frame.columns, scaled) if scaled else np.ones(frame.shape[1], dtype=bool)
    lp = EnvelopmentLP(frame.loc[ref].to_numpy(), y.loc[ref].to_numpy(), mask, rts)
    x0, y0 = frame.to_numpy()[0], y.to_numpy()[0]
    lp.solve(x0, y0)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        lp.solve(x0, y0)
        times.append(time.perf_counter() - t0)
    return float(min(times)), len(ref)


def _candidates(q, y, x, rts, n, t_sub, t_rad, quick):
    """{name: (function, name of the candidate it must agree with, floor in seconds)}."""
    frame = pd.concat([q.rename("q"), x], axis=1)
    dea = partial(dea_efficiency, frame, y, rts=rts)

    def zsg(**options):
        return zsg_dea(q, y, x, rts=rts, **options).quota

    out = {
        "DEA sub-vector, highspy": (partial(dea, scaled=["q"]), None, n * t_sub),
        "DEA sub-vector, linprog": (
            partial(dea, scaled=["q"], solver="linprog"),
            "DEA sub-vector, highspy",
            n * t_sub,
        ),
        "DEA radial, highspy": (dea, None, n * t_rad),
        "ZSG-DEA, highspy": (zsg, None, 2 * n * t_sub),
        "ZSG-DEA, linprog": (partial(zsg, solver="linprog"), "ZSG-DEA, highspy", 2 * n * t_sub),
    }
    out["ZSG-DEA, highspy, verify=full"] = (
        partial(zsg, verify="full"),
        "ZSG-DEA, highspy",
        float("nan"),
    )
    x_arr, y_arr = frame.to_numpy(), y.to_numpy()
    try:
        import frontierguard as fg
    except ImportError:
        print("  frontierguard not installed (pip install frontierguard-dea)")
    else:
        if n <= 1000:
            data = fg.DEAData(x_arr, y_arr)
            model = fg.RadialDEA(rts=rts, slacks="none", solver=fg.ScipyHighsSolver())
            out["frontierguard radial (scipy HiGHS, no slacks)"] = (
                lambda: model.fit(data).technical_efficiency,
                "DEA radial, highspy",
                n * t_rad,
            )
    try:
        from Pyfrontier.frontier_model import EnvelopDEA
    except ImportError:
        print("  Pyfrontier not installed (pip install pyfrontier)")
    else:
        if n <= 200 and not quick:

            def pyfrontier():
                model = EnvelopDEA(rts.upper(), "in", n_jobs=1)
                model.fit(x_arr, y_arr, uncontrollable_index=[1])  # population fixed
                return np.array([r.score for r in model.results])

            out["Pyfrontier sub-vector (pulp / CBC)"] = (
                pyfrontier,
                "DEA sub-vector, highspy",
                n * t_sub,
            )
    return out


def _keeping(results: dict, name: str, fn):
    """``fn`` that also stores its output in ``results[name]``."""
    return lambda: results.__setitem__(name, np.asarray(fn()))


def bench_dea(sizes: list[int], quick: bool = False) -> None:
    print(
        "\nDEA and ZSG-DEA on synthetic DMUs (inputs: quota + population; output: GDP). "
        "floor = number of LPs x one minimal HiGHS solve of the same LP (measured here); "
        "|diff| = largest absolute difference of the result (efficiencies; quotas for ZSG-DEA) "
        "to that of the highspy row of the same model"
    )
    for n in sizes:
        q, y, x = synthetic(n)
        frame = pd.concat([q.rename("q"), x], axis=1)
        for rts in ("crs", "vrs"):
            t_sub, n_ref = minimal_solve(frame, y, rts, ["q"])
            t_rad, _ = minimal_solve(frame, y, rts, None)
            cands = _candidates(q, y, x, rts, n, t_sub, t_rad, quick)
            repeat = REPEATS.get(n, 1)
            results: dict[str, np.ndarray] = {}  # the last output of each candidate
            timing = interleaved(
                {name: _keeping(results, name, c[0]) for name, c in cands.items()},
                repeat=repeat,
                warmup=repeat > 1,  # no warm-up for the single run at n = 3,000
            )
            print(
                f"\nn = {n}, {rts.upper()}: {n_ref} non-dominated units; one minimal HiGHS solve "
                f"{t_sub * 1e6:.0f} us (sub-vector), {t_rad * 1e6:.0f} us (radial); "
                f"{repeat} interleaved run(s), seconds"
            )
            print(f"  {'':46s} {'min':>9s} {'median':>9s} {'floor':>9s} {'x floor':>8s} "
                  f"{'|diff|':>8s}")  # fmt: skip
            for name, (_, against, floor) in cands.items():
                t: Timing = timing[name]
                diff = (
                    ""
                    if against is None
                    else f"{np.abs(results[name] - results[against]).max():8.1e}"
                )
                if floor == floor:
                    print(f"  {name:46s} {t.min:9.3f} {t.median:9.3f} {floor:9.3f} "
                          f"{t.min / floor:8.1f} {diff}")  # fmt: skip
                else:
                    print(f"  {name:46s} {t.min:9.3f} {t.median:9.3f} {'':18s} {diff}")
            gap = np.abs(results["ZSG-DEA, linprog"] - results["ZSG-DEA, highspy"]).max()
            assert gap <= 1e-9 * q.sum(), f"ZSG-DEA paths disagree by {gap:g}"
            if n == 3000:
                t = timing["ZSG-DEA, highspy"].min
                print(f"  target ZSG-DEA n = 3,000 <= 15 s: {'met' if t <= 15 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="n = 200 only, without Pyfrontier")
    args = parser.parse_args()
    print(header(peers=("highspy", "frontierguard-dea", "pyfrontier", "pulp")))
    bench_rules()
    bench_dea([200] if args.quick else [200, 1000, 3000], quick=args.quick)


if __name__ == "__main__":
    main()
