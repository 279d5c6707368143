"""Budgets: turn shares into tonnes, from a global budget or an annual cap pathway.

Ships the IPCC AR6 WG1 remaining carbon budgets (Table SPM.2, from 1 January
2020, GtCO2) with their provenance (``data/ipcc_ar6_remaining_budgets.*``).

References
----------
IPCC (2021). Summary for Policymakers. In: *Climate Change 2021: The Physical
Science Basis*, Table SPM.2. doi:10.1017/9781009157896.001
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from carbonshare.errors import DataError
from carbonshare.principles._panel import require_positive
from carbonshare.principles._shares import check_shares

__all__ = [
    "allocate_budget",
    "allocate_pathway",
    "burden_to_allowance",
    "ipcc_ar6_budgets",
    "ipcc_ar6_provenance",
    "linear_cap_pathway",
    "per_capita",
    "remaining_carbon_budget",
]

GT = 1e9  # tonnes per gigatonne


@cache
def _budget_table() -> pd.DataFrame:
    path = resources.files("carbonshare.principles") / "data" / "ipcc_ar6_remaining_budgets.csv"
    with path.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


def ipcc_ar6_budgets() -> pd.DataFrame:
    """IPCC AR6 WG1 remaining carbon budgets from 1 January 2020 (GtCO2).

    Returns
    -------
    DataFrame indexed by warming (degrees C, 1.5 / 1.7 / 2.0), columns the
    likelihood in percent (17, 33, 50, 67, 83).

    Examples
    --------
    >>> ipcc_ar6_budgets().loc[1.5, 50]
    np.int64(500)
    """
    table = _budget_table().pivot(
        index="warming_c", columns="likelihood_pct", values="budget_gtco2"
    )
    table.columns.name = "likelihood_pct"
    return table


def ipcc_ar6_provenance() -> dict:
    """Citation, scope and column units of the bundled budget table.

    Examples
    --------
    >>> ipcc_ar6_provenance()["table"]
    'Table SPM.2'
    """
    path = (
        resources.files("carbonshare.principles")
        / "data"
        / "ipcc_ar6_remaining_budgets.provenance.json"
    )
    return json.loads(path.read_text(encoding="utf-8"))


def remaining_carbon_budget(
    warming: float = 1.5, likelihood: int = 50, *, emitted_since_2020: float = 0.0
) -> float:
    """Remaining global CO2 budget in tonnes after ``emitted_since_2020`` tonnes.

    B = B_AR6(warming, likelihood) * 1e9 - emitted_since_2020.

    Raises
    ------
    DataError  for a warming level or likelihood not in Table SPM.2, or when the
        emissions since 2020 already exceed the budget.

    Examples
    --------
    >>> remaining_carbon_budget(1.5, 50) / 1e9
    500.0
    >>> remaining_carbon_budget(2.0, 67, emitted_since_2020=150e9) / 1e9
    1000.0
    """
    table = ipcc_ar6_budgets()
    matches = [w for w in table.index if np.isclose(w, warming)]
    if not matches or likelihood not in table.columns:
        raise DataError(
            f"no IPCC AR6 budget for {warming} C at {likelihood} %; Table SPM.2 has warming "
            f"{list(table.index)} C and likelihoods {list(table.columns)} %"
        )
    budget = float(table.loc[matches[0], likelihood]) * GT
    if emitted_since_2020 < 0:
        raise DataError(f"emitted_since_2020 = {emitted_since_2020:g} t must be >= 0")
    left = budget - float(emitted_since_2020)
    if left < 0:
        raise DataError(
            f"the {warming} C / {likelihood} % budget of {budget / GT:g} GtCO2 from 2020 is "
            f"smaller than the {emitted_since_2020 / GT:.4g} GtCO2 already emitted since 2020; "
            f"choose a higher warming level or likelihood"
        )
    return left


def allocate_budget(shares: pd.Series, budget: float) -> pd.Series:
    """Tonnes A_i = s_i B of a global budget ``budget`` (t CO2); sum_i A_i = B.

    Raises
    ------
    DataError  if the shares do not sum to 1 or the budget is negative.

    Examples
    --------
    >>> allocate_budget(pd.Series({"A": 0.25, "B": 0.75}), 100.0).to_dict()
    {'A': 25.0, 'B': 75.0}
    """
    check_shares(shares, str(shares.name or "shares"), atol=1e-8)
    if budget < 0 or not np.isfinite(budget):
        raise DataError(f"budget = {budget:g} t; a budget must be finite and >= 0")
    return (shares * float(budget)).rename(shares.name)


def burden_to_allowance(burden: pd.Series, baseline: pd.Series, cap: float) -> pd.Series:
    """Allowances (t) from burden shares: A_i = E_i - b_i (sum_j E_j - C).

    ``baseline`` E is each entity's baseline emissions (t), ``cap`` C the global
    total allowed (t). The allowances sum to C. Entities whose burden exceeds
    their baseline get negative allowances (they must finance reductions
    elsewhere); this is kept, not clipped.

    Raises
    ------
    DataError  if indexes differ or the burden shares do not sum to 1.

    Examples
    --------
    >>> b = pd.Series({"A": 0.8, "B": 0.2})
    >>> e = pd.Series({"A": 10.0, "B": 10.0})
    >>> burden_to_allowance(b, e, cap=15.0).to_dict()
    {'A': 6.0, 'B': 9.0}
    """
    check_shares(burden, str(burden.name or "burden"), atol=1e-8)
    if not burden.index.sort_values().equals(baseline.index.sort_values()):
        raise DataError("burden_to_allowance: burden and baseline must have the same entities")
    e = baseline.reindex(burden.index).astype(float)
    return (e - burden * (float(e.sum()) - float(cap))).rename(burden.name)


def linear_cap_pathway(start_year: int, start_emissions: float, budget: float) -> pd.Series:
    """Annual global caps falling linearly to zero that spend exactly ``budget``.

    Emissions decline linearly in continuous time from E0 at the start of
    ``start_year`` to zero after T = 2 B / E0 years; the cap of year k is the
    integral over [k, k + 1]:  F(s) = E0 (s - s^2 / (2T)) for s <= T,
    cap_k = F(min(k + 1, T)) - F(min(k, T)). The caps sum to B exactly.

    Raises
    ------
    DataError  if E0 <= 0 or B < 0.

    Examples
    --------
    >>> linear_cap_pathway(2020, 10.0, 20.0).round(6).to_dict()
    {2020: 8.75, 2021: 6.25, 2022: 3.75, 2023: 1.25}
    """
    if start_emissions <= 0 or budget < 0:
        raise DataError(
            f"linear_cap_pathway: start_emissions = {start_emissions:g} t must be > 0 and "
            f"budget = {budget:g} t must be >= 0"
        )
    horizon = 2.0 * budget / start_emissions
    years = np.arange(int(np.ceil(horizon)))
    lo, hi = np.minimum(years, horizon), np.minimum(years + 1, horizon)

    def integral(s):
        return start_emissions * (s - s**2 / (2.0 * horizon))

    caps = integral(hi) - integral(lo)
    return pd.Series(caps, index=pd.Index(start_year + years, name="year"), name="cap_t")


def allocate_pathway(shares: pd.Series | pd.DataFrame, cap: pd.Series) -> pd.DataFrame:
    """Tonnes per entity and year: A_i(t) = s_i(t) cap(t).

    Parameters
    ----------
    shares : constant shares (Series entity -> share) or entity x year shares
        (e.g. :func:`~carbonshare.principles.convergence.contraction_convergence_pathway`).
    cap : year -> global cap (t).

    Returns
    -------
    DataFrame entity x year in t CO2; each column sums to the cap.

    Examples
    --------
    >>> cap = pd.Series({2030: 10.0, 2031: 8.0})
    >>> allocate_pathway(pd.Series({"A": 0.5, "B": 0.5}), cap)
       2030  2031
    A   5.0   4.0
    B   5.0   4.0
    """
    if isinstance(shares, pd.Series):
        check_shares(shares, str(shares.name or "shares"), atol=1e-8)
        return pd.DataFrame(np.outer(shares, cap), index=shares.index, columns=cap.index)
    missing = [t for t in cap.index if t not in shares.columns]
    if missing:
        raise DataError(f"allocate_pathway: no shares for years {missing[:8]}; compute them first")
    frame = shares[list(cap.index)]
    for t in cap.index:
        check_shares(frame[t], f"shares {t}", atol=1e-8)
    return frame * cap


def per_capita(tonnes: pd.Series | pd.DataFrame, population: pd.Series) -> pd.Series | pd.DataFrame:
    """Allowance per person (t CO2 per capita): A_i / P_i.

    Raises
    ------
    DataError  if a population is missing, zero or negative.

    Examples
    --------
    >>> per_capita(pd.Series({"A": 10.0}), pd.Series({"A": 4.0})).to_dict()
    {'A': 2.5}
    """
    pop = population.reindex(tonnes.index)
    if pop.isna().any():
        missing = pop.index[pop.isna().to_numpy()]
        raise DataError(f"per_capita: no population for {', '.join(map(str, missing[:8]))}")
    require_positive(pop.astype(float), "population")
    return tonnes.div(pop, axis=0)
