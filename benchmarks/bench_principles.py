"""Timings of the allocation rules (docs/methods.md C2).

Run: .venv/bin/python benchmarks/bench_principles.py [--quick]

1. every rule of carbonshare.principles.RULES on the bundled country panel
   (the entities with complete data 1990-2019, ~190 countries);
2. ZSG-DEA (CCR and BCC, one quota input + population, GDP output) on
   n = 200, 1000 and 3000 synthetic DMUs, plus the envelopment LP alone (the lower bound:
   ZSG-DEA needs at least that first DEA) and the full, unpruned verification up to n = 1000.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from carbonshare.principles import RULES, allocate, dea_efficiency, zsg_dea


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


def bench_zsg(sizes: list[int], full_up_to: int = 1000) -> None:
    """ZSG-DEA with the default verification, and with the full (unpruned) one up to
    ``full_up_to`` units. The lower bound of any ZSG-DEA is the first DEA ("DEA LP")."""
    print("\nZSG-DEA on synthetic DMUs (inputs: quota + population; output: GDP)")
    print(f"{'n':>6s} {'rts':>4s} {'DEA LP (s)':>11s} {'ZSG (s)':>9s} {'ZSG full (s)':>13s} "
          f"{'iterations':>10s} {'min eff before':>15s}")  # fmt: skip
    for n in sizes:
        q, y, x = synthetic(n)
        frame = pd.concat([q.rename("q"), x], axis=1)
        for rts in ("crs", "vrs"):
            t_dea, _ = _timed(dea_efficiency, frame, y, rts=rts, scaled=["q"], repeat=1)
            t_zsg, res = _timed(zsg_dea, q, y, x, rts=rts, repeat=1)
            assert abs(res.quota.sum() - q.sum()) < 1e-6 * q.sum()
            t_full = float("nan")
            if n <= full_up_to:
                t_full, full = _timed(zsg_dea, q, y, x, rts=rts, verify="full", repeat=1)
                assert np.allclose(full.quota, res.quota, rtol=1e-9)
            print(f"{n:6d} {rts:>4s} {t_dea:11.2f} {t_zsg:9.2f} {t_full:13.2f} "
                  f"{res.iterations:10d} {res.efficiency_before.min():15.4f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="ZSG-DEA on n = 200 only")
    args = parser.parse_args()
    bench_rules()
    bench_zsg([200] if args.quick else [200, 1000, 3000])


if __name__ == "__main__":
    main()
