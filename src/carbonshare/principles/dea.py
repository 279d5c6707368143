"""Input-oriented DEA efficiency (CCR and BCC), envelopment and multiplier forms.

For decision-making unit (DMU) o with inputs x_{ko} and outputs y_{ro}, the
input-oriented *envelopment* problem is

    min theta
    s.t. sum_j lambda_j x_kj <= theta x_ko      k in S  (scaled inputs)
         sum_j lambda_j x_kj <=       x_ko      k not in S (fixed inputs)
         sum_j lambda_j y_rj >=       y_ro      every output r
         sum_j lambda_j = 1                     (BCC / VRS only)
         lambda >= 0

With S = all inputs this is the radial model of Charnes, Cooper & Rhodes
(1978, CCR, constant returns) and Banker, Charnes & Cooper (1984, BCC,
variable returns); with S = {one input} it is the sub-vector efficiency of
that input (Färe, Grosskopf & Lovell 1994), used by ZSG-DEA for the emission
quota. The *multiplier* form is its LP dual:

    max sum_r u_r y_ro - sum_{k not in S} w_k x_ko (+ u_0)
    s.t. sum_{k in S} v_k x_ko = 1
         sum_r u_r y_rj - sum_{k in S} v_k x_kj - sum_{k not in S} w_k x_kj (+ u_0) <= 0  all j
         u, v, w >= 0  (u_0 free, BCC only)

Their optimal values coincide (strong duality), which the tests use as an
independent check. The envelopment form only uses non-dominated DMUs as columns
(a dominated DMU can always be swapped for its dominator without changing the
optimum), which keeps large problems small.

Solvers. The n envelopment LPs share their constraint matrix and differ only in
the theta column (-x_ko on the scaled rows) and the right-hand sides (x_ko,
y_ro). ``solver="highspy"`` (default) builds the LP once in HiGHS (through its
official binding ``highspy``) and, for each DMU, changes those entries and
re-solves with the simplex method from the previous optimal basis (a few pivots);
this removes the per-call cost of ``scipy.optimize.linprog`` (input validation,
model building, presolve: 3-10 ms per LP on this project's 2-core machine, 20-50
times such a warm re-solve). A solve that does not end optimal from the warm
basis is repeated from scratch before it counts as a failure.
``solver="linprog"`` keeps one ``scipy.optimize.linprog`` call per DMU (the same
HiGHS, cold each time); both give the same optimum (tested to 1e-9). The
multiplier form always uses ``linprog``, so that it stays an independent check.

References
----------
Charnes, A., Cooper, W. W. & Rhodes, E. (1978). Measuring the efficiency of
decision making units. *EJOR* 2, 429-444.
Banker, R. D., Charnes, A. & Cooper, W. W. (1984). *Management Science* 30, 1078-1092.
Cooper, W. W., Seiford, L. M. & Tone, K. (2007). *Data Envelopment Analysis*,
2nd ed., Springer (its two-input, one-output CCR example of chapter 3 is a test case).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from carbonshare.errors import DataError

__all__ = ["dea_efficiency", "non_dominated"]

RTS = Literal["crs", "vrs"]
Solver = Literal["highspy", "linprog"]


def _check(inputs: pd.DataFrame, outputs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if not inputs.index.equals(outputs.index):
        raise DataError(
            "DEA: inputs and outputs must have the same entity index in the same order; "
            "align them with .reindex"
        )
    if inputs.shape[1] == 0 or outputs.shape[1] == 0:
        raise DataError("DEA needs at least one input column and one output column")
    x = inputs.to_numpy(dtype=float)
    y = outputs.to_numpy(dtype=float)
    for name, frame, arr in (("input", inputs, x), ("output", outputs, y)):
        if not np.isfinite(arr).all():
            i, k = np.argwhere(~np.isfinite(arr))[0]
            raise DataError(
                f"DEA {name} {frame.columns[k]!r} is missing or infinite for {frame.index[i]}; "
                f"drop the entity or fill the value"
            )
        if (arr < 0).any():
            i, k = np.argwhere(arr < 0)[0]
            raise DataError(
                f"DEA {name} {frame.columns[k]!r} is negative ({arr[i, k]:g}) for "
                f"{frame.index[i]}; DEA needs non-negative data"
            )
    zero_out = (y <= 0).all(axis=1)
    if zero_out.any():
        names = outputs.index[zero_out]
        raise DataError(
            f"DEA: every output is zero for {', '.join(map(str, names[:8]))}; a unit that "
            f"produces nothing has no efficiency - drop it or give it a positive output"
        )
    return x, y


def non_dominated(inputs: pd.DataFrame, outputs: pd.DataFrame) -> pd.Index:
    """Entities not Pareto-dominated (no other uses <= every input and makes >= every output,
    with one strict inequality).

    Examples
    --------
    >>> x = pd.DataFrame({"q": [1.0, 2.0, 1.0]}, index=["A", "B", "C"])
    >>> y = pd.DataFrame({"gdp": [1.0, 1.0, 2.0]}, index=["A", "B", "C"])
    >>> list(non_dominated(x, y))
    ['C']
    """
    x, y = _check(inputs, outputs)
    return inputs.index[_non_dominated_mask(x, y)]


def _non_dominated_mask(x: np.ndarray, y: np.ndarray, block: int = 256) -> np.ndarray:
    n = x.shape[0]
    keep = np.ones(n, dtype=bool)
    for start in range(0, n, block):
        stop = min(start + block, n)
        xs, ys = x[start:stop, None, :], y[start:stop, None, :]
        weak = (x[None, :, :] <= xs).all(axis=2) & (y[None, :, :] >= ys).all(axis=2)
        strict = (x[None, :, :] < xs).any(axis=2) | (y[None, :, :] > ys).any(axis=2)
        keep[start:stop] = ~(weak & strict).any(axis=1)
    return keep


def _scaled_mask(inputs: pd.DataFrame, scaled: Sequence[str] | None) -> np.ndarray:
    if scaled is None:
        return np.ones(inputs.shape[1], dtype=bool)
    unknown = [c for c in scaled if c not in inputs.columns]
    if unknown or not scaled:
        raise DataError(
            f"DEA scaled inputs {list(scaled)} must be a non-empty subset of the input columns "
            f"{list(inputs.columns)}"
        )
    return np.isin(inputs.columns, list(scaled))


def dea_efficiency(
    inputs: pd.DataFrame,
    outputs: pd.DataFrame,
    *,
    rts: RTS = "crs",
    scaled: Sequence[str] | None = None,
    form: Literal["envelopment", "multiplier"] = "envelopment",
    reference: Sequence | pd.Index | None = None,
    solver: Solver = "highspy",
) -> pd.Series:
    """Input-oriented DEA efficiency theta_o in (0, 1] of every DMU.

    Parameters
    ----------
    inputs, outputs : DataFrames indexed by entity (same order), one column per
        input / output, non-negative; every DMU needs a positive output.
    rts : ``"crs"`` (CCR) or ``"vrs"`` (BCC).
    scaled : input columns contracted by theta (``None``: all inputs, radial).
    form : ``"envelopment"`` or ``"multiplier"`` (the LP dual; same optimum).
    reference : entities whose data span the technology (envelopment form only). Default:
        the non-dominated DMUs, which always span it (a dominated DMU adds nothing). Pass a
        smaller set only when it provably spans the same technology (as ZSG-DEA does after
        its reallocation): every DMU is then rated against these columns only.
    solver : envelopment form only: ``"highspy"`` (one HiGHS model re-solved from the
        previous basis for every DMU; fast) or ``"linprog"`` (one ``scipy.optimize.linprog``
        call per DMU). Same optimum; see the module docstring.

    Returns
    -------
    Series indexed by entity, name ``"efficiency"``.

    Raises
    ------
    DataError  on missing or negative data, a DMU with all outputs zero, a
        scaled input that is zero for the DMU being rated, or an LP that has no
        optimum (e.g. a ``reference`` set that does not span the DMU).

    Examples
    --------
    >>> x = pd.DataFrame({"q": [2.0, 4.0]}, index=["A", "B"])
    >>> y = pd.DataFrame({"gdp": [2.0, 2.0]}, index=["A", "B"])
    >>> dea_efficiency(x, y).round(6).to_dict()
    {'A': 1.0, 'B': 0.5}

    References
    ----------
    Charnes et al. (1978); Banker et al. (1984); Cooper et al. (2007).
    """
    x, y = _check(inputs, outputs)
    mask = _scaled_mask(inputs, scaled)
    zero = (x[:, mask] <= 0).all(axis=1)
    if zero.any():
        names = inputs.index[zero]
        raise DataError(
            f"DEA: the scaled inputs {list(inputs.columns[mask])} are zero for "
            f"{', '.join(map(str, names[:8]))}; input-oriented efficiency is undefined - "
            f"drop these entities or give them a positive input"
        )
    if rts not in ("crs", "vrs"):
        raise DataError(f"DEA rts = {rts!r}; must be 'crs' (CCR) or 'vrs' (BCC)")
    if reference is not None:
        if form != "envelopment":
            raise DataError("DEA reference= works with form='envelopment' only")
        missing = pd.Index(reference).difference(inputs.index)
        if len(missing) or len(reference) == 0:
            raise DataError(
                f"DEA reference units {list(missing[:8]) or '[]'} are not DMUs of the inputs; "
                "pass a non-empty subset of the entity index"
            )
        ref = np.flatnonzero(inputs.index.isin(pd.Index(reference)))
    else:
        ref = None
    if solver not in ("highspy", "linprog"):
        raise DataError(f"DEA solver = {solver!r}; must be 'highspy' or 'linprog'")
    if form == "envelopment":
        if ref is None:
            ref = np.flatnonzero(_non_dominated_mask(x, y))
        solve = _envelopment_highspy if solver == "highspy" else _envelopment_linprog
        theta = solve(x, y, mask, rts, ref, inputs.index)
    elif form == "multiplier":
        theta = _multiplier(x, y, mask, rts)
    else:
        raise DataError(f"DEA form = {form!r}; must be 'envelopment' or 'multiplier'")
    return pd.Series(theta, index=inputs.index, name="efficiency")


class EnvelopmentLP:
    """The envelopment LP over fixed reference columns, built once in HiGHS and re-solved
    for one DMU after another from the previous optimal basis.

    Variables theta (free) and lambda_j >= 0 (j in the reference set); rows: the m inputs
    (``<=``), the s outputs (``>=``) and, for VRS, sum_j lambda_j = 1. :meth:`solve` sets
    the theta column (-x_ko on the scaled rows) and the right-hand sides of DMU o.

    Examples
    --------
    >>> lp = EnvelopmentLP(np.array([[2.0]]), np.array([[2.0]]), np.array([True]), "crs")
    >>> round(lp.solve(np.array([4.0]), np.array([2.0])), 12)
    0.5
    """

    def __init__(self, xr: np.ndarray, yr: np.ndarray, mask: np.ndarray, rts: RTS) -> None:
        import highspy

        # highspy.Highs prints a banner on construction (before any option can be set);
        # its base class _Highs is the plain binding of the C++ Highs object, which does not
        # (a release without it gets the public class: a banner, the same results).
        self._highs = h = getattr(highspy, "_Highs", highspy.Highs)()
        h.setOptionValue("output_flag", False)
        m, s, k = xr.shape[1], yr.shape[1], xr.shape[0]
        vrs = int(rts == "vrs")
        inf = highspy.kHighsInf
        a = np.zeros((m + s + vrs, k + 1))
        a[:m, 0] = np.where(mask, -1.0, 0.0)  # theta: -x_ko on the scaled rows, set per DMU
        a[:m, 1:] = xr.T
        a[m : m + s, 1:] = yr.T
        if vrs:
            a[-1, 1:] = 1.0
        cols = a.T != 0
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = k + 1, m + s + vrs
        lp.col_cost_ = np.r_[1.0, np.zeros(k)]
        lp.col_lower_ = np.r_[-inf, np.zeros(k)]
        lp.col_upper_ = np.full(k + 1, inf)
        lp.row_lower_ = np.r_[np.full(m, -inf), np.zeros(s), np.ones(vrs)]
        lp.row_upper_ = np.r_[np.zeros(m), np.full(s, inf), np.ones(vrs)]
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.r_[0, np.cumsum(cols.sum(axis=1))].astype(np.int32)
        lp.a_matrix_.index_ = np.nonzero(cols)[1].astype(np.int32)
        lp.a_matrix_.value_ = a.T[cols]
        h.passModel(lp)
        self._m, self._s, self._inf = m, s, inf
        self._scaled = [int(k) for k in np.flatnonzero(mask)]
        self._fixed = [int(k) for k in np.flatnonzero(~mask)]
        self._optimal = highspy.HighsModelStatus.kOptimal

    def solve(self, x_o: np.ndarray, y_o: np.ndarray) -> float:
        """theta_o of the DMU with inputs ``x_o`` and outputs ``y_o`` (nan if no optimum)."""
        h, m, s = self._highs, self._m, self._s
        for k in self._scaled:
            h.changeCoeff(k, 0, -float(x_o[k]))
        for k in self._fixed:
            h.changeRowBounds(k, -self._inf, float(x_o[k]))
        for r in range(s):
            h.changeRowBounds(m + r, float(y_o[r]), self._inf)
        h.run()
        if h.getModelStatus() != self._optimal:
            h.clearSolver()  # drop the warm basis and solve once more from scratch
            h.run()
            if h.getModelStatus() != self._optimal:
                return float("nan")
        return h.getInfo().objective_function_value

    def status(self) -> str:
        """HiGHS model status of the last solve, in words."""
        return self._highs.modelStatusToString(self._highs.getModelStatus())


def _envelopment_highspy(x, y, mask, rts, ref, names) -> np.ndarray:
    lp = EnvelopmentLP(x[ref], y[ref], mask, rts)
    theta = np.empty(x.shape[0])
    for o in range(x.shape[0]):
        theta[o] = lp.solve(x[o], y[o])
        if np.isnan(theta[o]):
            raise DataError(
                f"DEA envelopment LP of {names[o]} has no optimum ({lp.status()}); with "
                f"reference= the reference units must span every DMU"
            )
    return theta


def _envelopment_linprog(x, y, mask, rts, ref, names) -> np.ndarray:
    from scipy.optimize import linprog

    xr, yr = x[ref], y[ref]
    m_ref = len(ref)
    # variables: theta, lambda_ref...; rows: inputs (m), outputs (s)
    a_in = np.hstack([np.zeros((x.shape[1], 1)), xr.T])
    a_out = np.hstack([np.zeros((y.shape[1], 1)), -yr.T])
    a_ub = np.vstack([a_in, a_out])
    c = np.zeros(m_ref + 1)
    c[0] = 1.0
    bounds = [(None, None)] + [(0.0, None)] * m_ref
    a_eq = np.hstack([[0.0], np.ones(m_ref)])[None, :] if rts == "vrs" else None
    b_eq = np.array([1.0]) if rts == "vrs" else None
    theta = np.empty(x.shape[0])
    scaled_rows = np.flatnonzero(mask)
    for o in range(x.shape[0]):
        a = a_ub.copy()
        a[scaled_rows, 0] = -x[o, mask]
        b = np.concatenate([np.where(mask, 0.0, x[o]), -y[o]])
        res = linprog(c, A_ub=a, b_ub=b, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if res.status != 0:
            raise DataError(
                f"DEA envelopment LP of {names[o]} has no optimum ({res.message}); with "
                f"reference= the reference units must span every DMU"
            )
        theta[o] = res.fun
    return theta


def _multiplier(x, y, mask, rts) -> np.ndarray:
    from scipy.optimize import linprog

    n, m = x.shape
    s = y.shape[1]
    vrs = rts == "vrs"
    # variables: u (s), v (m; only scaled used in the normalisation), u0 (free, VRS)
    nvar = s + m + (1 if vrs else 0)
    a_ub = np.hstack([y, -x] + ([np.ones((n, 1))] if vrs else []))
    b_ub = np.zeros(n)
    bounds = [(0.0, None)] * (s + m) + ([(None, None)] if vrs else [])
    theta = np.empty(n)
    for o in range(n):
        c = np.zeros(nvar)
        c[:s] = -y[o]
        c[s : s + m] = np.where(mask, 0.0, x[o])
        if vrs:
            c[-1] = -1.0
        a_eq = np.zeros((1, nvar))
        a_eq[0, s : s + m] = np.where(mask, x[o], 0.0)
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=bounds, method="highs")
        if res.status != 0:
            raise DataError(f"DEA multiplier LP failed for DMU #{o}: {res.message}")
        theta[o] = -res.fun
    return theta
