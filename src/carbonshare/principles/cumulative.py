"""Equal cumulative per capita (historical responsibility) against a global budget.

The global budget from a start year t_s is split in proportion to population;
what each entity has already emitted since t_s is charged against its fair
share; the rest is its remaining allowance:

    B      = H + R                      (t CO2; R = remaining global budget)
    F_i    = pi_i B                     fair cumulative share
    R_i    = F_i - H_i,  sum_i R_i = R  remaining allowance of entity i

with H_i = sum_{t=t_s..t_e} E_i(t) and pi_i the population share, either of
person-years over t_s..t_e (``population_basis="cumulative"``) or of one
reference year (``"reference"``).

Entities that have emitted more than their fair share have R_i < 0. How they
are treated is an explicit choice (``negative``):

- ``"floor"``: allowances are floored at zero and the positive remaining
  allowances are scaled by R / sum_{R_j > 0} R_j so that they still sum to
  R; the unpaid historical debt min(R_i, 0) is reported as ``deficit_t``
  (and logged);
- ``"keep"``: negative allowances are kept (shares < 0 and > 1 occur; they
  still sum to 1): the entity owes tonnes to the others;
- ``"raise"``: a DataError names the entities.

References
----------
Pan, X., Teng, F. & Wang, G. (2014). Sharing emission space at an equitable
basis: allocation scheme based on the equal cumulative emission per capita
principle. *Applied Energy* 113, 1810-1818.
Matthews, H. D. (2016). Quantifying historical carbon and climate debts among
nations. *Nature Climate Change* 6, 60-64.
"""

from __future__ import annotations

import logging
from typing import Literal

import numpy as np
import pandas as pd

from carbonshare.errors import DataError
from carbonshare.principles._panel import cross_section, cumulative, is_panel, require_positive

__all__ = ["ecpc_account", "equal_cumulative_per_capita"]

logger = logging.getLogger(__name__)

Negative = Literal["floor", "keep", "raise"]


def ecpc_account(
    data: pd.DataFrame,
    *,
    start_year: int = 1990,
    end_year: int | None = None,
    budget: float | None = None,
    remaining_budget: float | None = None,
    population_basis: Literal["cumulative", "reference"] = "cumulative",
    reference_year: int | None = None,
    negative: Negative = "floor",
    emissions: str = "co2_t",
    population: str = "population",
) -> pd.DataFrame:
    """The equal-cumulative-per-capita account of every entity, in tonnes.

    Parameters
    ----------
    data : panel (entity, year); ``emissions`` in t CO2 / yr, ``population`` in persons.
    start_year, end_year : historical window t_s..t_e (``end_year`` None: last year).
    budget : global budget B from 1 January of ``start_year`` (t CO2), including
        the history; or
    remaining_budget : global budget R left after ``end_year`` (t CO2). Give exactly one.
    population_basis : ``"cumulative"`` (person-years t_s..t_e) or ``"reference"``.
    reference_year : year of the ``"reference"`` population (default ``end_year``).
    negative : ``"floor"``, ``"keep"`` or ``"raise"`` (see the module docstring).

    Returns
    -------
    DataFrame indexed by entity with columns ``population_share``,
    ``fair_share_t`` (F_i), ``emitted_t`` (H_i), ``remaining_t`` (R_i),
    ``allocated_t`` (after the ``negative`` treatment; sums to R) and
    ``deficit_t`` (<= 0; the part of R_i not honoured by ``"floor"``).

    Raises
    ------
    DataError  if the budget is smaller than what was already emitted, both or
        neither budget is given, data are missing, populations <= 0, or
        ``negative="raise"`` meets an overdrawn entity.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2000, 2001]])
    >>> panel = pd.DataFrame(
    ...     {"co2_t": [4.0, 4.0, 1.0, 1.0], "population": [1.0, 1.0, 1.0, 1.0]}, index=idx
    ... )
    >>> ecpc_account(panel, start_year=2000, budget=20.0)[["remaining_t", "allocated_t"]]
       remaining_t  allocated_t
    A          2.0          2.0
    B          8.0          8.0
    """
    if not is_panel(data):
        raise DataError(
            "equal_cumulative_per_capita needs a panel indexed by (entity, year) with the "
            "emission history; the data have a single index level"
        )
    if end_year is None:
        end_year = int(data.index.get_level_values(1).max())
    if (budget is None) == (remaining_budget is None):
        raise DataError(
            "equal_cumulative_per_capita: give exactly one of budget (t CO2 from start_year) "
            "or remaining_budget (t CO2 after end_year)"
        )
    emitted = require_positive(
        cumulative(data, emissions, start_year, end_year),
        f"cumulative {emissions} {start_year}-{end_year}",
        allow_zero=True,
    )
    history = float(emitted.sum())
    if budget is None:
        assert remaining_budget is not None
        if remaining_budget < 0:
            raise DataError(
                f"remaining_budget = {remaining_budget:g} t is negative; give the budget left "
                f"after {end_year} (>= 0)"
            )
        total = history + float(remaining_budget)
    else:
        total = float(budget)
        if total < history:
            raise DataError(
                f"the global budget of {total:.4g} t from {start_year} is smaller than the "
                f"{history:.4g} t already emitted in {start_year}-{end_year}; raise the budget, "
                f"move start_year later, or pass remaining_budget instead"
            )
    remaining = total - history
    if population_basis == "cumulative":
        pop = cumulative(data, population, start_year, end_year)
        require_positive(pop, f"{population} person-years {start_year}-{end_year}")
    elif population_basis == "reference":
        year = end_year if reference_year is None else reference_year
        pop = require_positive(cross_section(data, population, year), f"{population} ({year})")
    else:
        raise DataError(
            f"population_basis = {population_basis!r}; must be 'cumulative' or 'reference'"
        )
    share = pop / pop.sum()
    fair = share * total
    owed = fair - emitted
    account = pd.DataFrame(
        {
            "population_share": share,
            "fair_share_t": fair,
            "emitted_t": emitted,
            "remaining_t": owed,
        }
    )
    overdrawn = owed < 0
    if negative == "keep" or not overdrawn.any():
        account["allocated_t"] = owed
        account["deficit_t"] = 0.0
    elif negative == "floor":
        positive = owed.clip(lower=0.0)
        scale = remaining / float(positive.sum())
        account["allocated_t"] = positive * scale
        account["deficit_t"] = owed.where(overdrawn, 0.0)
        logger.warning(
            "equal_cumulative_per_capita: %d entities have emitted more than their fair share "
            "(total deficit %.4g t); their allowances are floored at zero and the others scaled "
            "by %.4g",
            int(overdrawn.sum()),
            float(-account["deficit_t"].sum()),
            scale,
        )
    elif negative == "raise":
        names = owed.index[overdrawn.to_numpy()]
        raise DataError(
            f"equal_cumulative_per_capita: {len(names)} entities have already emitted more than "
            f"their fair share of the budget ({', '.join(map(str, names[:8]))}); pass "
            f"negative='floor' or 'keep', or raise the budget"
        )
    else:
        raise DataError(f"negative = {negative!r}; must be 'floor', 'keep' or 'raise'")
    if not np.isclose(account["allocated_t"].sum(), remaining, rtol=1e-9, atol=1e-6):
        raise DataError(
            f"equal_cumulative_per_capita: the allocations sum to "
            f"{float(account['allocated_t'].sum()):.6g} t, not the remaining budget "
            f"{remaining:.6g} t; check for NaN or infinite emissions or population"
        )
    return account


def equal_cumulative_per_capita(
    data: pd.DataFrame,
    *,
    start_year: int = 1990,
    end_year: int | None = None,
    budget: float | None = None,
    remaining_budget: float | None = None,
    population_basis: Literal["cumulative", "reference"] = "cumulative",
    reference_year: int | None = None,
    negative: Negative = "floor",
    emissions: str = "co2_t",
    population: str = "population",
) -> pd.Series:
    """Equal cumulative per capita: allowance shares of the remaining budget R.

    s_i = allocated_i / R from :func:`ecpc_account` (same parameters). With
    ``negative="keep"`` shares may be negative; they always sum to 1.

    Raises
    ------
    DataError  as :func:`ecpc_account`; also if R = 0 (nothing left to share).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2000, 2001]])
    >>> panel = pd.DataFrame(
    ...     {"co2_t": [4.0, 4.0, 1.0, 1.0], "population": [1.0, 1.0, 1.0, 1.0]}, index=idx
    ... )
    >>> equal_cumulative_per_capita(panel, start_year=2000, remaining_budget=10.0).to_dict()
    {'A': 0.2, 'B': 0.8}
    """
    account = ecpc_account(
        data,
        start_year=start_year,
        end_year=end_year,
        budget=budget,
        remaining_budget=remaining_budget,
        population_basis=population_basis,
        reference_year=reference_year,
        negative=negative,
        emissions=emissions,
        population=population,
    )
    remaining = float(account["allocated_t"].sum())
    if remaining <= 0:
        raise DataError(
            "equal_cumulative_per_capita: the remaining global budget is 0 t, so there is nothing "
            "to share; raise the budget"
        )
    return (account["allocated_t"] / remaining).rename("equal_cumulative_per_capita")
