"""Zero-sum-gains DEA (ZSG-DEA): reallocate a fixed total quota to the frontier.

The emission quota q_i is an input of a DEA model (with desirable outputs such
as GDP and optional other inputs such as population, capital or energy). In
classical DEA an inefficient unit would simply cut its quota; with a fixed
total the tonnes it gives up must go to the others (Lins et al. 2003). The
proportional reallocation used here repeats

    theta_i  = input-oriented efficiency of the quota (sub-vector, CCR or BCC)
    q_i'     = theta_i q_i * Q / sum_j theta_j q_j,      Q = sum_j q_j

until every theta_i >= 1 - tol. Every iteration conserves Q exactly (checked).
The projected quotas theta_i q_i lie in the original technology and the
quota enters every constraint linearly, so a common rescaling keeps every
unit on the frontier: one reallocation suffices under CRS and VRS, with or
without other inputs; the loop only guards against LP round-off. With one
input and one output under CRS the result is the closed form of Lins et al.
(2003): q_i* = Q y_i / sum_j y_j (quotas proportional to output).

Verification without the cost of a full DEA. Every unit's efficiency after the
reallocation is still computed by LP (the check cannot be skipped), but against the
reallocated data of the units that were non-dominated before (``verify="reference"``, the
default) rather than of all units. That is exact: the technology T spanned by the original
data is spanned by its non-dominated units; their projections are themselves or lie in T,
so the projected data span T too; the reallocated data are those projections with the quota
multiplied by the common factor c = Q / sum_j theta_j q_j, so they span T scaled by c in the
quota, and the reallocated non-dominated units span that. With every unit on the frontier
after the reallocation, a full DEA would lose its pruning (all units non-dominated) and
cost O(n) LPs of n columns; ``verify="full"`` still runs it, e.g. to check this argument.

The reported efficiencies are the classical (radial) ones before and after
the reallocation, not the ZSG efficiency scores h_R of Lins et al. (for one
input and one output under CRS, h_R,i = h_i Q / (Q - q_i (1 - h_i))).

References
----------
Lins, M. P. E., Gomes, E. G., Soares de Mello, J. C. B. & Soares de Mello,
A. J. R. (2003). Olympic ranking based on a zero sum gains DEA model. *EJOR*
148, 312-322.
Gomes, E. G. & Lins, M. P. E. (2008). Modelling undesirable outputs with zero
sum gains data envelopment analysis models. *JORS* 59, 616-623.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from carbonshare.errors import DataError
from carbonshare.principles._panel import cross_section, require_positive
from carbonshare.principles.dea import dea_efficiency, non_dominated

__all__ = ["ZSGResult", "zsg_dea", "zsg_dea_shares"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ZSGResult:
    """Outcome of :func:`zsg_dea`.

    Attributes
    ----------
    quota : final quota per entity (same unit as the input quota, e.g. t CO2).
    shares : quota / total (sums to 1), name ``"zsg_dea"``.
    efficiency_before, efficiency_after : quota efficiency theta before the
        first and after the last reallocation.
    iterations : number of reallocations made.
    converged : every efficiency_after >= 1 - tol.
    history : one row per iteration: ``total`` (conserved), ``min_efficiency``,
        ``mean_efficiency``.
    """

    quota: pd.Series
    shares: pd.Series
    efficiency_before: pd.Series
    efficiency_after: pd.Series
    iterations: int
    converged: bool
    history: pd.DataFrame


def zsg_dea(
    quota: pd.Series,
    outputs: pd.DataFrame,
    other_inputs: pd.DataFrame | None = None,
    *,
    rts: Literal["crs", "vrs"] = "crs",
    tol: float = 1e-6,
    max_iter: int = 100,
    verify: Literal["reference", "full"] = "reference",
    solver: Literal["highspy", "linprog"] = "highspy",
) -> ZSGResult:
    """Reallocate ``quota`` with ZSG-DEA until every entity is on the frontier.

    Parameters
    ----------
    quota : initial quota q_i (> 0) per entity, e.g. base-year emissions in t CO2.
    outputs : desirable outputs (entity x output), e.g. GDP.
    other_inputs : further inputs held fixed (entity x input), e.g. population.
    rts : ``"crs"`` (ZSG-CCR) or ``"vrs"`` (ZSG-BCC).
    tol : stop when min theta >= 1 - tol.
    max_iter : stop after this many reallocations (``converged`` False, logged).
    verify : how efficiencies after a reallocation are computed: ``"reference"`` (LPs
        against the reallocated originally non-dominated units; exact, see the module
        docstring) or ``"full"`` (an unpruned DEA over all units: n LPs of n columns).
    solver : LP path of every DEA, see :func:`~carbonshare.principles.dea.dea_efficiency`
        (``"highspy"``: one HiGHS model re-solved per unit; ``"linprog"``: one
        ``scipy.optimize.linprog`` call per unit). Same result.

    Returns
    -------
    ZSGResult (total of ``quota`` conserved).

    Raises
    ------
    DataError  on non-positive quotas, misaligned indexes, a unit with all
        outputs zero, or a conservation failure.

    Examples
    --------
    >>> q = pd.Series({"A": 6.0, "B": 2.0})
    >>> y = pd.DataFrame({"gdp": [1.0, 3.0]}, index=["A", "B"])
    >>> zsg_dea(q, y).quota.round(6).to_dict()
    {'A': 2.0, 'B': 6.0}
    """
    q = require_positive(quota.astype(float), "ZSG-DEA quota")
    if not outputs.index.equals(q.index):
        raise DataError(
            "ZSG-DEA: outputs must be indexed by the same entities as the quota, in the same order"
        )
    if other_inputs is not None and not other_inputs.index.equals(q.index):
        raise DataError(
            "ZSG-DEA: other_inputs must be indexed by the same entities as the quota, in the "
            "same order"
        )
    name = "__quota__"
    total = float(q.sum())

    if verify not in ("reference", "full"):
        raise DataError(f"ZSG-DEA verify = {verify!r}; must be 'reference' or 'full'")

    def frame_of(current: pd.Series) -> pd.DataFrame:
        frame = current.rename(name).to_frame()
        if other_inputs is not None:
            frame = pd.concat([frame, other_inputs.astype(float)], axis=1)
        return frame

    def efficiency(current: pd.Series) -> pd.Series:
        ref = reference if verify == "reference" else None
        return dea_efficiency(
            frame_of(current), outputs, rts=rts, scaled=[name], reference=ref, solver=solver
        )

    reference = non_dominated(frame_of(q), outputs)
    theta = dea_efficiency(
        frame_of(q), outputs, rts=rts, scaled=[name], reference=reference, solver=solver
    )
    before = theta.copy()
    rows = [{"total": total, "min_efficiency": theta.min(), "mean_efficiency": theta.mean()}]
    iterations = 0
    while theta.min() < 1.0 - tol and iterations < max_iter:
        target = theta * q
        q = target * (total / float(target.sum()))
        iterations += 1
        if not np.isclose(q.sum(), total, rtol=1e-10, atol=0.0):
            raise DataError(
                f"ZSG-DEA: the total quota drifted to {q.sum():.12g} from {total:.12g} in "
                f"iteration {iterations}"
            )
        theta = efficiency(q)
        rows.append(
            {
                "total": float(q.sum()),
                "min_efficiency": theta.min(),
                "mean_efficiency": theta.mean(),
            }
        )
    converged = bool(theta.min() >= 1.0 - tol)
    if not converged:
        logger.warning(
            "ZSG-DEA did not put every unit on the frontier in %d iterations (min efficiency "
            "%.6f); raise max_iter or tol",
            max_iter,
            theta.min(),
        )
    return ZSGResult(
        quota=q.rename("quota"),
        shares=(q / total).rename("zsg_dea"),
        efficiency_before=before.rename("efficiency_before"),
        efficiency_after=theta.rename("efficiency_after"),
        iterations=iterations,
        converged=converged,
        history=pd.DataFrame(rows).rename_axis("iteration"),
    )


def zsg_dea_shares(
    data: pd.DataFrame,
    *,
    year: int | None = None,
    emissions: str = "co2_t",
    outputs: tuple[str, ...] | list[str] = ("gdp_usd",),
    inputs: tuple[str, ...] | list[str] = (),
    rts: Literal["crs", "vrs"] = "crs",
    tol: float = 1e-6,
    max_iter: int = 100,
) -> pd.Series:
    """ZSG-DEA allowance shares with the base-year emissions as initial quota.

    Reads ``emissions`` (quota, t CO2), ``outputs`` and ``inputs`` of ``year``
    from the panel and returns :attr:`ZSGResult.shares`.

    Examples
    --------
    >>> panel = pd.DataFrame({"co2_t": [6.0, 2.0], "gdp_usd": [1.0, 3.0]}, index=["A", "B"])
    >>> zsg_dea_shares(panel).round(6).to_dict()
    {'A': 0.25, 'B': 0.75}
    """
    q = cross_section(data, emissions, year)
    y = pd.DataFrame({c: cross_section(data, c, year) for c in outputs})
    x = pd.DataFrame({c: cross_section(data, c, year) for c in inputs}) if inputs else None
    return zsg_dea(q, y, x, rts=rts, tol=tol, max_iter=max_iter).shares
