"""Greenhouse Development Rights: the responsibility-capability index (RCI).

Baer, Athanasiou, Kartha & Kemp-Benedict (2008) share the global mitigation
burden by an index that combines responsibility (emissions since 1990 beyond
those needed for development) and capacity (income above a development
threshold):

    C_i   = P_i max(y_i - T, 0)                       capacity, US$ / yr
    R_i   = sum_{t=t_s..t_e} E_i(t) max(0, 1 - T / y_i)  responsibility, t CO2
    RCI_i = a R_i / sum_j R_j + (1 - a) C_i / sum_j C_j

with y_i = GDP_i / P_i (US$ per person, reference year), T the development
threshold (US$ per person per year) and a the weight of responsibility.

Baer et al. use national income *distributions* to count only the income and
consumption emissions of people above T. Without distributions carbonshare
uses the national mean: the fraction of emissions above the threshold is
approximated by the fraction of mean income above it, max(0, 1 - T / y_i).
The RCI is a *burden* share (of the global reduction below a baseline).

References
----------
Baer, P., Athanasiou, T., Kartha, S. & Kemp-Benedict, E. (2008). *The
Greenhouse Development Rights Framework*, 2nd ed. Heinrich Böll Foundation,
Christian Aid, EcoEquity and the Stockholm Environment Institute. (T = US$7,500
PPP per capita per year; a = 0.4.)
"""

from __future__ import annotations

import pandas as pd

from carbonshare.errors import DataError
from carbonshare.principles._panel import (
    at,
    cross_section,
    cumulative,
    require_positive,
    resolve_year,
)
from carbonshare.principles._shares import normalise

__all__ = ["greenhouse_development_rights", "responsibility_capability_index"]


def responsibility_capability_index(
    data: pd.DataFrame,
    *,
    year: int | None = None,
    start_year: int = 1990,
    threshold: float = 7500.0,
    responsibility_weight: float = 0.4,
    emissions: str = "co2_t",
    population: str = "population",
    gdp: str = "gdp_usd",
) -> pd.DataFrame:
    """Responsibility, capacity and RCI of every entity.

    Parameters
    ----------
    data : panel (entity, year); ``emissions`` t CO2 / yr, ``population`` persons,
        ``gdp`` US$ / yr (use a PPP column such as ``"gni_ppp"`` to follow Baer et al.).
    year : reference year of income and population, also the last year of
        responsibility (``None``: latest year).
    start_year : first year of responsibility (Baer et al.: 1990).
    threshold : development threshold T, same currency as ``gdp`` per person.
    responsibility_weight : a in [0, 1].

    Returns
    -------
    DataFrame indexed by entity: ``income_per_capita``, ``capacity`` (US$),
    ``responsibility_t`` (t CO2), ``rci`` (sums to 1).

    Raises
    ------
    DataError  if no entity is above the threshold, a weight is outside [0, 1],
        or data are missing or non-positive.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2000]])
    >>> panel = pd.DataFrame(
    ...     {"co2_t": [10.0, 10.0], "population": [1.0, 1.0], "gdp_usd": [20.0, 40.0]}, index=idx
    ... )
    >>> t = responsibility_capability_index(panel, start_year=2000, threshold=10.0,
    ...                                     responsibility_weight=0.5)
    >>> t["rci"].round(4).to_dict()
    {'A': 0.325, 'B': 0.675}
    """
    year = resolve_year(data, year)
    if not 0.0 <= responsibility_weight <= 1.0:
        raise DataError(
            f"responsibility_weight = {responsibility_weight}; it must lie in [0, 1] "
            f"(Baer et al. 2008 use 0.4)"
        )
    if threshold < 0:
        raise DataError(f"threshold = {threshold}; the development threshold must be >= 0")
    if year is None:
        year = int(data.index.get_level_values(1).max())
    pop = require_positive(cross_section(data, population, year), at(population, year))
    output = require_positive(cross_section(data, gdp, year), at(gdp, year), allow_zero=True)
    income = output / pop
    capacity = pop * (income - threshold).clip(lower=0.0)
    history = require_positive(
        cumulative(data, emissions, start_year, year),
        f"cumulative {emissions} {start_year}-{year}",
        allow_zero=True,
    )
    above = (1.0 - threshold / income.where(income > 0)).fillna(0.0).clip(lower=0.0)
    responsibility = history * above
    if capacity.sum() <= 0 or responsibility.sum() <= 0:
        raise DataError(
            f"greenhouse_development_rights: no entity has income per capita above the "
            f"development threshold {threshold:g} in {year}; lower the threshold or check the "
            f"units of {gdp}"
        )
    rci = (
        responsibility_weight * responsibility / responsibility.sum()
        + (1.0 - responsibility_weight) * capacity / capacity.sum()
    )
    return pd.DataFrame(
        {
            "income_per_capita": income,
            "capacity": capacity,
            "responsibility_t": responsibility,
            "rci": rci,
        }
    )


def greenhouse_development_rights(
    data: pd.DataFrame,
    *,
    year: int | None = None,
    start_year: int = 1990,
    threshold: float = 7500.0,
    responsibility_weight: float = 0.4,
    emissions: str = "co2_t",
    population: str = "population",
    gdp: str = "gdp_usd",
) -> pd.Series:
    """GDR *burden* shares: the RCI of :func:`responsibility_capability_index`.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2000]])
    >>> panel = pd.DataFrame(
    ...     {"co2_t": [10.0, 10.0], "population": [1.0, 1.0], "gdp_usd": [5.0, 40.0]}, index=idx
    ... )
    >>> greenhouse_development_rights(panel, start_year=2000, threshold=10.0).to_dict()
    {'A': 0.0, 'B': 1.0}
    """
    year = resolve_year(data, year)
    table = responsibility_capability_index(
        data,
        year=year,
        start_year=start_year,
        threshold=threshold,
        responsibility_weight=responsibility_weight,
        emissions=emissions,
        population=population,
        gdp=gdp,
    )
    return normalise(table["rci"], "greenhouse_development_rights")
