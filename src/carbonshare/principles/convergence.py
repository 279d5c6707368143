"""Contraction and convergence (Meyer 2000; Global Commons Institute).

Shares move linearly from grandfathering in the base year t0 to equal per
capita in the convergence year T:

    w(t)   = min(max((t - t0) / (T - t0), 0), 1)
    s_i(t) = (1 - w(t)) E_i(t0) / sum_j E_j(t0) + w(t) P_i(t_p) / sum_j P_j(t_p)

"Contraction" is the global cap pathway that these shares divide (see
:func:`carbonshare.principles.budgets.allocate_pathway`). The population year
t_p is the base year unless the panel holds (projected) population for the
target year and ``population_year="target"`` is asked.

References
----------
Meyer, A. (2000). *Contraction & Convergence: The Global Solution to Climate
Change*. Schumacher Briefings 5, Green Books. The linear share convergence
used here is the "PCC" rule of van den Berg et al. (2020), Climatic Change
162, 1805-1822.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd

from carbonshare.errors import DataError
from carbonshare.principles._panel import (
    at,
    cross_section,
    is_panel,
    require_positive,
    resolve_year,
)
from carbonshare.principles._shares import normalise

__all__ = ["contraction_convergence", "contraction_convergence_pathway", "convergence_weight"]


def convergence_weight(target_year: int, base_year: int, convergence_year: int) -> float:
    """Weight w(t) of equal per capita in year ``target_year`` (0 at t0, 1 from T on).

    Examples
    --------
    >>> convergence_weight(2035, 2020, 2050)
    0.5
    """
    if convergence_year <= base_year:
        raise DataError(
            f"convergence_year {convergence_year} must be after the base year {base_year}"
        )
    w = (target_year - base_year) / (convergence_year - base_year)
    return float(min(max(w, 0.0), 1.0))


def contraction_convergence(
    data: pd.DataFrame,
    *,
    year: int | None = None,
    target_year: int = 2030,
    convergence_year: int = 2050,
    population_year: int | Literal["base", "target"] = "base",
    emissions: str = "co2_t",
    population: str = "population",
) -> pd.Series:
    """Allowance shares of the global cap in ``target_year`` under C&C.

    Parameters
    ----------
    data : panel or cross-section; ``emissions`` t CO2 / yr, ``population`` persons.
    year : base year t0 (``None``: latest year).
    target_year : year t whose cap is shared.
    convergence_year : year T from which shares equal population shares.
    population_year : ``"base"`` (t0), ``"target"`` (t; needs projections in the
        panel) or an explicit year.

    Examples
    --------
    >>> panel = pd.DataFrame({"co2_t": [3.0, 1.0], "population": [1.0, 1.0]}, index=["A", "B"])
    >>> contraction_convergence(panel, year=2020, target_year=2035, convergence_year=2050).to_dict()
    {'A': 0.625, 'B': 0.375}
    """
    year = resolve_year(data, year)
    if year is None:
        year = int(data.index.get_level_values(1).max()) if is_panel(data) else target_year
    base = require_positive(
        cross_section(data, emissions, year), at(emissions, year), allow_zero=True
    )
    if population_year == "base":
        p_year = year
    elif population_year == "target":
        p_year = target_year
    else:
        p_year = int(population_year)
    pop = require_positive(cross_section(data, population, p_year), at(population, p_year))
    w = convergence_weight(target_year, year, convergence_year)
    mix = (1.0 - w) * normalise(base, "grandfathering") + w * normalise(pop, "egalitarian")
    return normalise(mix, "contraction_convergence")


def contraction_convergence_pathway(
    data: pd.DataFrame,
    years: Sequence[int],
    *,
    year: int | None = None,
    convergence_year: int = 2050,
    population_year: int | Literal["base", "target"] = "base",
    emissions: str = "co2_t",
    population: str = "population",
) -> pd.DataFrame:
    """C&C shares for several target years: DataFrame entity x year, columns sum to 1.

    Examples
    --------
    >>> panel = pd.DataFrame({"co2_t": [3.0, 1.0], "population": [1.0, 1.0]}, index=["A", "B"])
    >>> contraction_convergence_pathway(panel, [2020, 2050], year=2020).round(3)
       2020  2050
    A  0.75   0.5
    B  0.25   0.5
    """
    year = resolve_year(data, year)
    columns = {
        int(t): contraction_convergence(
            data,
            year=year,
            target_year=int(t),
            convergence_year=convergence_year,
            population_year=population_year,
            emissions=emissions,
            population=population,
        )
        for t in years
    }
    return pd.DataFrame(columns)
