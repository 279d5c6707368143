"""Summaries of the Monte Carlo samples: share intervals, ranks, co-membership, Sobol indices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from carbonshare.errors import DataError

__all__ = [
    "UncertaintySummary",
    "comembership",
    "rank_summary",
    "share_intervals",
    "sobol_indices",
    "summarise",
]


@dataclass
class UncertaintySummary:
    """What the Monte Carlo says about the allocation.

    Attributes
    ----------
    intervals : by ISO3, largest median first: ``median_pct``, ``p5_pct``, ``p95_pct``,
        ``mean_pct`` (% of global emission rights), ``base_pct`` (the run's own share),
        ``median_rank``, ``rank_p5``, ``rank_p95``, ``p_top10``.
    comembership : ISO3 x ISO3, probability of being in the same alliance, rows and columns in
        the order of an average-linkage clustering of 1 - P.
    gini : quantiles of the Gini index of the shares (``p5``, ``median``, ``p95``) and its base.
    choices : per discrete choice and option, the fraction of samples that drew it.
    failures : samples that failed twice, with their error.
    sensitivity : first-order (S1) and total (ST) Sobol indices by output and input
        (long table), empty without a Saltelli design.
    n_samples : samples that succeeded.
    """

    intervals: pd.DataFrame
    comembership: pd.DataFrame
    gini: pd.Series
    choices: pd.DataFrame
    failures: pd.DataFrame
    n_samples: int
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables written by the CLI, by file name."""
        tables = {
            "share_intervals": self.intervals,
            "comembership": self.comembership.rename_axis("iso3"),
            "gini": self.gini.rename_axis("statistic").to_frame("gini"),
            "choices_drawn": self.choices,
            "failed_samples": self.failures,
        }
        if len(self.sensitivity):  # only with a Saltelli design (sensitivity_samples > 0)
            tables["sensitivity"] = self.sensitivity
        return tables

    def to_dict(self, top: int = 10) -> dict[str, object]:
        """JSON-ready summary for manifest.json."""
        head = self.intervals.head(top)
        return {
            "n_samples": self.n_samples,
            "n_failed": len(self.failures),
            "gini": self.gini.to_dict(),
            "top": head[["median_pct", "p5_pct", "p95_pct"]].to_dict(orient="index"),
        }


def share_intervals(shares: pd.DataFrame, base: pd.Series | None = None) -> pd.DataFrame:
    """Median, 5 %, 95 % quantiles and mean of each country's share over samples (rows).

    Examples
    --------
    >>> s = pd.DataFrame({"A": [1.0, 2.0, 3.0], "B": [9.0, 8.0, 7.0]})
    >>> share_intervals(s)["median_pct"].to_dict()
    {'B': 8.0, 'A': 2.0}
    """
    q = shares.quantile([0.05, 0.5, 0.95]).T
    out = pd.DataFrame(
        {"median_pct": q[0.5], "p5_pct": q[0.05], "p95_pct": q[0.95], "mean_pct": shares.mean()}
    )
    if base is not None:
        out["base_pct"] = base.reindex(out.index)
    out.index.name = "iso3"
    return out.sort_values("median_pct", ascending=False, kind="stable")


def rank_summary(shares: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Rank distribution per country (1 = largest share in the sample).

    Examples
    --------
    >>> s = pd.DataFrame({"A": [1.0, 3.0], "B": [2.0, 1.0]})
    >>> rank_summary(s, top=1)["p_top1"].to_dict()
    {'A': 0.5, 'B': 0.5}
    """
    ranks = shares.rank(axis=1, ascending=False, method="min")
    q = ranks.quantile([0.05, 0.5, 0.95]).T
    return pd.DataFrame(
        {
            "median_rank": q[0.5],
            "rank_p5": q[0.05],
            "rank_p95": q[0.95],
            f"p_top{top}": (ranks <= top).mean(),
        }
    )


def comembership(alliances: Iterable[np.ndarray], labels: list[str]) -> pd.DataFrame:
    """P(i and j in the same alliance) from per-sample alliance ids (-1: failed sample).

    Examples
    --------
    >>> comembership([np.array([0, 0, 1]), np.array([0, 1, 1])], ["A", "B", "C"]).values.tolist()
    [[1.0, 0.5, 0.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]]
    """
    n = len(labels)
    total = np.zeros((n, n))
    count = 0
    for ids in alliances:
        ids = np.asarray(ids)
        if (ids < 0).any():
            continue
        total += ids[:, None] == ids[None, :]
        count += 1
    if count == 0:
        raise DataError("no successful sample; co-membership is undefined")
    return pd.DataFrame(total / count, index=labels, columns=labels)


def cluster_order(p: pd.DataFrame) -> list:
    """Leaf order of an average-linkage clustering of the distance 1 - P (scipy)."""
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    d = 1.0 - p.to_numpy()
    np.fill_diagonal(d, 0.0)
    order = leaves_list(linkage(squareform(np.clip(d, 0, 1), checks=False), "average"))
    return [p.index[i] for i in order]


def sobol_indices(problem: dict, outputs: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """First-order and total Sobol indices of every output column (SALib, Saltelli design).

    Returns a long table: ``output``, ``input``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf``.
    """
    from SALib.analyze import sobol

    rows = []
    for col in outputs.columns:
        y = outputs[col].to_numpy(dtype=float)
        if not np.isfinite(y).all():
            raise DataError(f"Sobol indices of {col}: some design samples failed; rerun")
        res = sobol.analyze(problem, y, calc_second_order=False, seed=seed)
        names = problem.get("groups") and list(dict.fromkeys(problem["groups"])) or problem["names"]
        for k, name in enumerate(names):
            rows.append(
                {"output": col, "input": name, "S1": res["S1"][k], "S1_conf": res["S1_conf"][k],
                 "ST": res["ST"][k], "ST_conf": res["ST_conf"][k]}
            )  # fmt: skip
    return pd.DataFrame(rows)


def summarise(
    frames: Iterable[pd.DataFrame] | pd.DataFrame,
    labels: list[str],
    base: pd.Series | None = None,
    choice_names: list[str] | None = None,
) -> UncertaintySummary:
    """Summarise sample frames (:func:`~carbonshare.uncertainty.run.run_chunk` output)."""
    frames = [frames] if isinstance(frames, pd.DataFrame) else list(frames)
    data = pd.concat(frames, ignore_index=True)
    ok = data["error"] == ""
    if not ok.any():
        raise DataError(f"all {len(data)} samples failed; first error: {data['error'].iloc[0]}")
    share_cols = [f"share:{c}" for c in labels]
    shares = data.loc[ok, share_cols].set_axis(labels, axis=1)
    intervals = share_intervals(shares, base).join(rank_summary(shares))
    ids = data.loc[ok, [f"alliance:{c}" for c in labels]].to_numpy()
    p = comembership(ids, labels)
    order = cluster_order(p)
    g = data.loc[ok, "gini"]
    gini_stats = pd.Series(
        {"p5": g.quantile(0.05), "median": g.median(), "p95": g.quantile(0.95)}, name="gini"
    )
    if base is not None:
        from carbonshare.uncertainty.kernel import gini as gini_of

        gini_stats["base"] = gini_of(base.reindex(labels).to_numpy())
    rows = []
    for name in choice_names or []:
        for option, frac in data.loc[ok, name].value_counts(normalize=True).items():
            rows.append({"choice": name, "option": option, "fraction": frac})
    return UncertaintySummary(
        intervals=intervals,
        comembership=p.loc[order, order],
        gini=gini_stats,
        choices=pd.DataFrame(rows, columns=["choice", "option", "fraction"]),
        failures=data.loc[~ok, ["sample", "error"]].reset_index(drop=True),
        n_samples=int(ok.sum()),
    )
