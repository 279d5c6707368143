"""Compare rules side by side: tonnes, per-capita allowances, inequality,
winners and losers against grandfathering, and rank correlations.

Inputs are entity x rule tables of allowance shares (each column sums to 1).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from carbonshare.errors import DataError
from carbonshare.principles.budgets import allocate_budget, per_capita
from carbonshare.principles.inequality import coefficient_of_variation, gini, theil

__all__ = [
    "allowance_table",
    "inequality_table",
    "rank_correlation",
    "winners_losers",
]

logger = logging.getLogger(__name__)


def allowance_table(shares: pd.DataFrame, budget: float, population: pd.Series) -> pd.DataFrame:
    """Long table entity x rule: ``share``, ``allowance_t`` and ``per_capita_t``.

    Examples
    --------
    >>> s = pd.DataFrame({"gf": [0.25, 0.75]}, index=["A", "B"])
    >>> allowance_table(s, 100.0, pd.Series({"A": 5.0, "B": 5.0}))["per_capita_t"].tolist()
    [5.0, 15.0]
    """
    rows = []
    for rule in shares.columns:
        tonnes = allocate_budget(shares[rule].rename(rule), budget)
        pc = per_capita(tonnes, population)
        rows.append(
            pd.DataFrame(
                {"rule": rule, "share": shares[rule], "allowance_t": tonnes, "per_capita_t": pc}
            )
        )
    table = pd.concat(rows)
    table.index.name = shares.index.name or "entity"
    return table.reset_index().set_index([table.index.name, "rule"])


def inequality_table(
    per_capita_t: pd.DataFrame, population: pd.Series | None = None
) -> pd.DataFrame:
    """Inequality of per-capita allowances for every rule (column).

    Returns rule x [``gini``, ``theil``, ``cv``, ``min``, ``max``, ``range``]; with
    ``population`` the Gini, Theil and CV weight each entity by its population
    (every person counts once). Columns with negative allowances get NaN for
    Gini and Theil (logged); min / max / range are always given.

    Examples
    --------
    >>> pc = pd.DataFrame({"eq": [1.0, 1.0], "gf": [1.0, 3.0]}, index=["A", "B"])
    >>> inequality_table(pc).loc["gf", ["gini", "range"]].tolist()
    [0.25, 2.0]
    """
    rows = {}
    for rule in per_capita_t.columns:
        x = per_capita_t[rule].astype(float)
        w = None if population is None else population.reindex(x.index).astype(float)
        row = {"min": x.min(), "max": x.max(), "range": x.max() - x.min()}
        if (x < 0).any():
            logger.warning("inequality of %s: negative allowances; Gini/Theil/CV left empty", rule)
            row.update(gini=np.nan, theil=np.nan, cv=np.nan)
        else:
            row.update(gini=gini(x, w), theil=theil(x, w), cv=coefficient_of_variation(x, w))
        rows[rule] = row
    return pd.DataFrame.from_dict(rows, orient="index")[
        ["gini", "theil", "cv", "min", "max", "range"]
    ]


def winners_losers(
    shares: pd.DataFrame, reference: str = "grandfathering", *, tolerance: float = 1e-12
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Who gains and who loses against the ``reference`` rule.

    Returns
    -------
    (change, summary):
        ``change`` entity x rule, share minus reference share (share points);
        ``summary`` rule x [``winners``, ``losers``, ``shifted_share`` (sum of the
        gains = sum of the losses), ``top_winner``, ``top_loser``].

    Raises
    ------
    DataError  if ``reference`` is not a column.

    Examples
    --------
    >>> s = pd.DataFrame({"grandfathering": [0.5, 0.5], "eq": [0.2, 0.8]}, index=["A", "B"])
    >>> change, summary = winners_losers(s)
    >>> row = summary.loc["eq"]
    >>> int(row["winners"]), int(row["losers"]), row["top_winner"]
    (1, 1, 'B')
    """
    if reference not in shares.columns:
        raise DataError(
            f"winners_losers: reference rule {reference!r} is not among {list(shares.columns)}"
        )
    change = shares.sub(shares[reference], axis=0)
    rows = {}
    for rule in shares.columns:
        if rule == reference:
            continue
        d = change[rule]
        rows[rule] = {
            "winners": int((d > tolerance).sum()),
            "losers": int((d < -tolerance).sum()),
            "shifted_share": float(d.clip(lower=0).sum()),
            "top_winner": d.idxmax(),
            "top_loser": d.idxmin(),
        }
    return change.drop(columns=reference), pd.DataFrame.from_dict(rows, orient="index")


def rank_correlation(shares: pd.DataFrame, method: str = "spearman") -> pd.DataFrame:
    """Rank correlation between the rules' shares (rule x rule).

    ``method`` is ``"spearman"`` (scipy.stats.spearmanr) or ``"kendall"``
    (scipy.stats.kendalltau, tau-b). A rule whose shares are all equal has no
    ranking: its correlations are NaN (logged).

    Examples
    --------
    >>> s = pd.DataFrame({"a": [1, 2, 3], "b": [3, 2, 1]}, index=list("XYZ"))
    >>> rank_correlation(s).loc["a", "b"]
    np.float64(-1.0)
    """
    from scipy import stats

    if method not in ("spearman", "kendall"):
        raise DataError(f"rank_correlation: method {method!r}; use 'spearman' or 'kendall'")
    cols = list(shares.columns)
    out = pd.DataFrame(np.eye(len(cols)), index=cols, columns=cols)
    constant = [c for c in cols if np.ptp(shares[c].to_numpy(dtype=float)) == 0]
    if constant:
        logger.info("rank_correlation: %s give equal shares; correlations left NaN", constant)
    for i, a in enumerate(cols):
        for b in cols[i + 1 :]:
            if a in constant or b in constant:
                out.loc[a, b] = out.loc[b, a] = np.nan
                continue
            if method == "spearman":
                r = stats.spearmanr(shares[a], shares[b]).statistic
            else:
                r = stats.kendalltau(shares[a], shares[b]).statistic
            out.loc[a, b] = out.loc[b, a] = float(r)
    return out
