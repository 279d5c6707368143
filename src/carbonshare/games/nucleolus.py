"""Nucleolus, prenucleolus and least core by sequential linear programmes.

The excess of coalition S at allocation x is e(S, x) = v(S) - x(S) (benefit
games; for a cost game, x(S) - c(S), handled through its savings game). The
*prenucleolus* lexicographically minimises the vector of excesses, sorted
decreasingly, over the preimputations {x : x(N) = v(N)} (Sobolev 1975); the
*nucleolus* does the same over the imputations {x(N) = v(N), x_i >= v({i})}
(Schmeidler 1969). They coincide when the core is non-empty but can differ
otherwise. The *least core* is {x(N) = v(N), e(S, x) <= eps*} with eps* the
smallest such level (Maschler, Peleg & Shapley 1979).

Algorithm (Kopelowitz 1967; Maschler, Peleg & Shapley 1979): solve
  min eps  s.t.  x(S) + eps >= v(S)  for every not-yet-fixed S (S != {}, N),
                 x(S) = v(S) - eps_S for fixed S,  x(N) = v(N)
with HiGHS. Coalitions whose constraint has a positive dual are tight at
every optimum: fix them at the current eps. Coalitions whose incidence
vectors lie in the span of the fixed ones (and N) have a determined excess
and leave the programme. Each round raises the rank of the fixed set, so at
most n - 1 rounds are needed. O(rounds x LP on 2^n rows).

Units: the LPs are solved on the game divided by max |v(S)| (its savings game,
for a cost game, divided by its own max) and the answer is scaled back, so
HiGHS's absolute tolerances (~1e-7) act relative to the game's values: the
nucleolus of c*v is c times the nucleolus of v for any c > 0, from 1e-300 to
1e300. The dual threshold ``tol`` is scale-free (duals do not change with c).

References
----------
Schmeidler, D. (1969). The nucleolus of a characteristic function game.
SIAM Journal on Applied Mathematics 17(6), 1163-1170.
Kopelowitz, A. (1967). Computation of the kernels of simple games and the
nucleolus of n-person games. RM 31, Hebrew University of Jerusalem.
Maschler, M., Peleg, B., & Shapley, L. S. (1979). Geometric properties of the
kernel, nucleolus, and related solution concepts. Mathematics of Operations
Research 4(4), 303-338.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from carbonshare.errors import GameError
from carbonshare.games.game import Game, allocation_series

logger = logging.getLogger(__name__)

MAX_NUCLEOLUS_PLAYERS = 20

IMPUTATION_RTOL = 1e-9
"""Tolerance, relative to max |v|, of the test v(N) >= sum v({i}) (imputations exist)."""


def nucleolus(game: Game, *, tol: float = 1e-9) -> pd.Series:
    """Nucleolus (over imputations, x_i >= v({i})).

    Parameters
    ----------
    game : a game with n <= 20 (the LPs have 2^n rows); a cost game is solved
        on its savings game and mapped back (x_i = c({i}) - y_i).
    tol : dual threshold for fixing tight coalitions.

    Returns
    -------
    Series player -> value, name ``"nucleolus"``.

    Raises
    ------
    GameError  if the imputation set is empty (v(N) < sum v({i})).

    Examples
    --------
    Bankruptcy game of Aumann & Maschler (1985), estate 200, claims 100, 200,
    300: the nucleolus is the Talmud rule (50, 75, 75).

    >>> from carbonshare.games import TabularGame
    >>> claims = {"a": 100.0, "b": 200.0, "c": 300.0}
    >>> g = TabularGame.from_function(
    ...     list(claims), lambda s: max(0.0, 200 - sum(v for k, v in claims.items() if k not in s))
    ... )
    >>> nucleolus(g).round(6).tolist()
    [50.0, 75.0, 75.0]

    References
    ----------
    Schmeidler (1969); Aumann, R. J., & Maschler, M. (1985). Game theoretic
    analysis of a bankruptcy problem from the Talmud. Journal of Economic
    Theory 36(2), 195-213.
    """
    return _solve(game, imputations=True, tol=tol, name="nucleolus")


def prenucleolus(game: Game, *, tol: float = 1e-9) -> pd.Series:
    """Prenucleolus (over preimputations; no individual-rationality bounds).

    Equals the nucleolus when the core is non-empty; otherwise it may give a
    player less than v({i}).

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> g = TabularGame(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 6})
    >>> prenucleolus(g).round(6).tolist()
    [2.5, 3.5]

    References
    ----------
    Sobolev, A. I. (1975). The characterization of optimality principles in
    cooperative games by functional equations. Mathematical Methods in the
    Social Sciences 6, 94-151 (in Russian).
    """
    return _solve(game, imputations=False, tol=tol, name="prenucleolus")


def least_core(game: Game) -> pd.Series:
    """A point of the least core and its level eps* (``attrs["epsilon"]``).

    least core = {x : x(N) = v(N), v(S) - x(S) <= eps* for all S != {}, N},
    eps* minimal. eps* <= 0 iff the core is non-empty. The least core is a
    set; this returns the optimal vertex found by HiGHS (deterministic); its
    canonical centre is the prenucleolus. For a cost game, eps* is the level
    of x(S) - c(S).

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> maj = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) >= 2))
    >>> x = least_core(maj)
    >>> x.round(6).tolist(), round(x.attrs["epsilon"], 6)
    ([0.333333, 0.333333, 0.333333], 0.333333)

    References
    ----------
    Maschler, Peleg & Shapley (1979).
    """
    check_lp_size(game.n)
    if game.n == 1:  # no coalition besides N: every excess bound holds, eps* = -inf
        out = allocation_series(game, [game.grand_value()], "least_core")
        out.attrs["epsilon"] = float("-inf")
        return out
    table, offset, sign, unit = game.as_benefit()
    masks, vals, grand = _coalitions(table)
    y, eps, _ = _lp_round(game.n, masks, vals, grand, None, free=None, fixed=[])
    out = allocation_series(game, _back(offset, sign, unit, y), "least_core")
    out.attrs["epsilon"] = float(eps * unit)
    return out


def check_lp_size(n: int) -> None:
    """Raise GameError if an LP over all 2^n coalitions would be too large."""
    if n > MAX_NUCLEOLUS_PLAYERS:
        raise GameError(
            f"nucleolus / least core / balancedness of {n} players need LPs with 2^{n} rows "
            f"(limit {MAX_NUCLEOLUS_PLAYERS} players); use shapley_value or scrb instead"
        )


def _coalitions(table: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Incidence vectors and values of the coalitions S != {}, N of a table."""
    n = table.shape[0].bit_length() - 1
    ids = np.arange(1, (1 << n) - 1, dtype=np.int64)
    masks = ((ids[:, None] >> np.arange(n)) & 1).astype(float)
    return masks, table[ids], float(table[-1])


def _back(offset: np.ndarray, sign: float, unit: float, y: np.ndarray) -> np.ndarray:
    """Allocation of the game from the solution y of its scaled benefit table."""
    return offset + sign * unit * y


def _lp_round(
    n: int,
    masks: np.ndarray,
    vals: np.ndarray,
    grand: float,
    lb: np.ndarray | None,
    *,
    free: np.ndarray | None,
    fixed: list[tuple[np.ndarray, float]],
) -> tuple[np.ndarray, float, np.ndarray]:
    from scipy.optimize import linprog

    free_idx = np.arange(masks.shape[0]) if free is None else free
    a_ub = -np.hstack([masks[free_idx], np.ones((free_idx.size, 1))])
    b_ub = -vals[free_idx]
    eq_rows = [np.append(np.ones(n), 0.0)]
    eq_rhs = [grand]
    for idx, level in fixed:
        eq_rows.extend(np.hstack([masks[idx], np.zeros((idx.size, 1))]))
        eq_rhs.extend(vals[idx] - level)
    bounds = [(None if lb is None else float(lb[i]), None) for i in range(n)] + [(None, None)]
    c = np.zeros(n + 1)
    c[-1] = 1.0
    res = linprog(
        c,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=np.asarray(eq_rows),
        b_eq=np.asarray(eq_rhs),
        bounds=bounds,
        method="highs",
    )
    if res.status != 0:
        raise GameError(f"the nucleolus LP failed ({res.message}); check the game's values")
    duals = -np.asarray(res.ineqlin.marginals)
    return res.x[:n], float(res.x[-1]), duals


def _solve(game: Game, *, imputations: bool, tol: float, name: str) -> pd.Series:
    check_lp_size(game.n)
    table, offset, sign, unit = game.as_benefit()
    n = game.n
    masks, vals, grand = _coalitions(table)
    lb = None
    if imputations:
        lb = table[1 << np.arange(n)]
        if lb.sum() > grand + IMPUTATION_RTOL:  # the table is in units of max |v|
            raise GameError(
                f"the imputation set is empty: v(N) = {grand * unit:.6g} < sum of v({{i}}) = "
                f"{lb.sum() * unit:.6g}, so the nucleolus does not exist; use prenucleolus "
                "instead"
            )
    if n == 1:
        return allocation_series(game, _back(offset, sign, unit, np.array([grand])), name)
    free = np.arange(masks.shape[0])
    fixed: list[tuple[np.ndarray, float]] = []
    basis = np.ones((1, n)) / np.sqrt(n)  # orthonormal rows spanning fixed coalitions and N
    y = np.zeros(n)
    for _ in range(n + 1):
        y, eps, duals = _lp_round(n, masks, vals, grand, lb, free=free, fixed=fixed)
        tight = duals > tol
        if not tight.any():  # numerically flat duals: fix the most binding row
            tight = duals >= duals.max()
        new = free[tight]
        fixed.append((new, eps))
        _, sing, vt = np.linalg.svd(np.vstack([basis, masks[new]]), full_matrices=False)
        rank = int((sing > 1e-9 * sing[0]).sum())
        basis = vt[:rank]
        rest = free[~tight]
        resid = masks[rest] - (masks[rest] @ basis.T) @ basis
        free = rest[np.linalg.norm(resid, axis=1) > 1e-9]
        if rank >= n or free.size == 0:
            break
    return allocation_series(game, _back(offset, sign, unit, y), name)
