"""The Blue Carbon Development Index: normalisation, PCA weights, subsystem scores (docs/methods.md B2-B3).

The building blocks live in :mod:`carbonshare.indicators`
(:func:`~carbonshare.indicators.percentile_bounded`,
:func:`~carbonshare.indicators.pca_table`,
:func:`~carbonshare.indicators.subsystem_scores`); this module composes them
over a pooled country-year panel and returns every intermediate result.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from carbonshare import indicators as ind
from carbonshare.errors import ConfigError, DataError

__all__ = ["BCDI_WEIGHTS", "BCDIResult", "bcdi", "global_scores"]

BCDI_WEIGHTS = ("pca", "pc1", "entropy", "equal")
"""Weighting of the indicators: ``pca`` = the composite-indicator handbook
procedure (B3 default), ``pc1`` = |loadings| of the first component,
``entropy`` = entropy weights of the normalised values, ``equal``."""


class BCDIResult(NamedTuple):
    """Everything :func:`bcdi` computes.

    Attributes
    ----------
    normalised : (iso3, year) x indicators, 0-100 (B2).
    weights : indicator table: subsystem, weight, bounds (lower, upper in raw
        units), clipped counts and, for PCA, rotated loadings, factor,
        scaled squared loading and factor share.
    subsystem_weights : subsystem -> w_k = sum of its indicators' weights.
    scores : (iso3, year) x [each subsystem, "BCDI"], 0-100.
    eigenvalues : all eigenvalues of the correlation matrix (PCA weights only; else empty).
    """

    normalised: pd.DataFrame
    weights: pd.DataFrame
    subsystem_weights: pd.Series
    scores: pd.DataFrame
    eigenvalues: pd.Series


def bcdi(
    X: pd.DataFrame,
    subsystems: pd.Series,
    directions: pd.Series | dict | None = None,
    *,
    bounds: tuple[float, float] = (2.5, 97.5),
    weights: str = "pca",
    min_eigenvalue: float = 1.0,
    given: pd.Series | None = None,
) -> BCDIResult:
    """Normalise, weight and aggregate the indicators into subsystem scores and the BCDI.

    y_ij = (x_ij - P2.5_j) / (P97.5_j - P2.5_j) * 100 (negative indicators:
    (P97.5_j - x_ij) / (...) * 100), clipped to [0, 100], with the
    percentiles over every country and year (B2). Weights w_j from the pooled
    normalised panel (B3). Subsystem score I_k = (1 / w_k) sum_{j in k} w_j y_ij
    with w_k = sum_{j in k} w_j; BCDI = sum_k w_k I_k = sum_j w_j y_ij.

    Parameters
    ----------
    X : DataFrame indexed by (iso3, year), one column per indicator, no NaN
        (fill first, :func:`carbonshare.bluecarbon.fill_years`).
    subsystems : indicator -> subsystem label (column order of ``scores``
        follows first appearance).
    directions : "+" / "-" per indicator (default all "+").
    bounds : percentiles of the normalisation.
    weights : one of :data:`BCDI_WEIGHTS`, or ``"given"`` with ``given``.
    min_eigenvalue : components kept by the handbook PCA (Kaiser, 1).
    given : indicator -> weight for ``weights="given"`` (normalised to sum 1).

    Returns
    -------
    BCDIResult

    Raises
    ------
    ConfigError  for an unknown weighting; DataError for NaN or an indicator
        without a subsystem.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2000, 2001]], names=["iso3", "year"])
    >>> X = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [4.0, 3, 2, 1]}, index=idx)
    >>> res = bcdi(X, pd.Series({"a": "D", "b": "R"}), {"a": "+", "b": "-"},
    ...            bounds=(0, 100), weights="equal")
    >>> res.scores["BCDI"].round(4).tolist()
    [0.0, 33.3333, 66.6667, 100.0]
    """
    missing = [c for c in X.columns if c not in subsystems.index]
    if missing:
        raise DataError(f"indicator(s) {missing} have no subsystem; add them to the grouping")
    holes = X.columns[X.isna().any()].tolist()
    if holes:
        raise DataError(
            f"indicator(s) {holes} have missing values; fill them first (fill_years) or drop "
            "the countries"
        )
    groups = subsystems.reindex(X.columns)
    res = ind.percentile_bounded(X, bounds[0], bounds[1], directions)
    Y = res.scores
    eigen = pd.Series(dtype=float, name="eigenvalue")
    table = pd.DataFrame({"subsystem": groups})
    if weights in ("pca", "pc1"):
        pt = ind.pca_table(Y, "handbook" if weights == "pca" else "pc1",
                           min_eigenvalue=min_eigenvalue)  # fmt: skip
        eigen = pd.Series(pt.attrs["eigenvalues"], name="eigenvalue")
        eigen.index = pd.RangeIndex(1, len(eigen) + 1, name="component")
        w = pt["weight"]
        table = table.join(pt.drop(columns="weight"))
    elif weights == "entropy":
        w = ind.entropy_weights(Y, normalised=True)
    elif weights == "equal":
        w = ind.equal_weights(Y)
    elif weights == "given":
        if given is None:
            raise ConfigError("weights='given' needs the weights per indicator (given=)")
        w = ind.given_weights(given.reindex(X.columns))
    else:
        raise ConfigError(
            f"weights={weights!r} is unknown; use one of {', '.join(BCDI_WEIGHTS)} or 'given'"
        )
    w = w.reindex(X.columns).rename("weight")
    table.insert(1, "weight", w)
    table = table.join(res.bounds).join(res.clipped.add_prefix("clipped_"))
    table.index.name = "indicator"
    sub = ind.subsystem_scores(Y, w, groups)
    wk = ind.subsystem_weights(w, groups)
    scores = sub.assign(BCDI=(sub * wk).sum(axis=1))
    return BCDIResult(Y, table, wk, scores, eigen)


def global_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """The global score of each year: the mean over countries (docs/methods.md B3).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2000, 2001]], names=["iso3", "year"])
    >>> global_scores(pd.DataFrame({"BCDI": [10.0, 20, 30, 40]}, index=idx))["BCDI"].tolist()
    [20.0, 30.0]
    """
    return scores.groupby(level="year").mean()
