"""Equity rules of docs/methods.md C2: who is *entitled* to how much.

Each rule reads a panel (entity, year) or a cross-section (entity) and
returns a ``pd.Series`` of shares indexed by entity that sums to 1. Rules
marked *burden* return shares of a reduction burden (who must cut how much),
the others shares of an allowance (who may emit how much); see
:func:`carbonshare.principles.budgets.burden_to_allowance` to turn one into
the other.

References
----------
Rose, A., Stevens, B., Edmonds, J. & Wise, M. (1998). International equity and
differentiation in global warming policy. *Environmental and Resource
Economics* 12, 25-51.
Gao et al. (2023), Chinese Journal of Environmental Management 15(1):7-18.
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
    window_mean,
)
from carbonshare.principles._shares import normalise

__all__ = [
    "ability_to_pay",
    "ability_to_pay_reduction",
    "economic_activity",
    "egalitarian",
    "grandfathering",
    "horizontal_equity",
    "polluter_pays",
    "vertical_equity",
]


def grandfathering(
    data: pd.DataFrame,
    *,
    year: int | None = None,
    window: tuple[int, int] | None = None,
    emissions: str = "co2_t",
) -> pd.Series:
    """Sovereignty / grandfathering: allowance shares of base-year emissions.

    s_i = E_i(t0) / sum_j E_j(t0), or with a window [a, b] the mean
    Ebar_i = (1 / (b - a + 1)) sum_{t=a..b} E_i(t) in place of E_i(t0).

    Parameters
    ----------
    data : panel (entity, year) or cross-section; ``emissions`` in t CO2 / yr.
    year : base year t0 (``None``: latest year of the panel).
    window : (first, last) years to average instead of one base year.
    emissions : column of annual emissions.

    Returns
    -------
    Series of allowance shares (dimensionless, sum 1), name ``"grandfathering"``.

    Raises
    ------
    DataError  if base-year emissions are missing (names the entities) or negative.

    Examples
    --------
    >>> panel = pd.DataFrame({"co2_t": [1.0, 3.0]}, index=["A", "B"])
    >>> grandfathering(panel).to_dict()
    {'A': 0.25, 'B': 0.75}

    References
    ----------
    Rose et al. (1998) "sovereignty"; Gao et al. (2023).
    """
    year = resolve_year(data, year)
    if window is not None:
        base = window_mean(data, emissions, *window)
    else:
        base = cross_section(data, emissions, year)
    require_positive(base, at(emissions, year), allow_zero=True)
    return normalise(base, "grandfathering")


def egalitarian(
    data: pd.DataFrame, *, year: int | None = None, population: str = "population"
) -> pd.Series:
    """Egalitarian / equal per capita: allowance shares of reference-year population.

    s_i = P_i(t_ref) / sum_j P_j(t_ref), so every person gets the same
    allowance in t CO2 per capita.

    Parameters
    ----------
    data : panel or cross-section; ``population`` in persons.
    year : reference year t_ref (``None``: latest year).
    population : column of population.

    Returns
    -------
    Series of allowance shares, name ``"egalitarian"``.

    Raises
    ------
    DataError  if a population is missing, zero or negative (names the entity).

    Examples
    --------
    >>> panel = pd.DataFrame({"population": [1.0, 4.0]}, index=["A", "B"])
    >>> egalitarian(panel).to_dict()
    {'A': 0.2, 'B': 0.8}

    References
    ----------
    Rose et al. (1998) "egalitarian"; Gao et al. (2023).
    """
    year = resolve_year(data, year)
    pop = require_positive(cross_section(data, population, year), at(population, year))
    return normalise(pop, "egalitarian")


def economic_activity(
    data: pd.DataFrame, *, year: int | None = None, gdp: str = "gdp_usd"
) -> pd.Series:
    """Economic activity: allowance shares of GDP, s_i = GDP_i / sum_j GDP_j.

    Equivalent to a common emission-intensity target (t CO2 per US$) applied to
    every entity. Units of GDP cancel (current US$ in the bundled panel).

    Examples
    --------
    >>> panel = pd.DataFrame({"gdp_usd": [3.0, 1.0]}, index=["A", "B"])
    >>> economic_activity(panel).to_dict()
    {'A': 0.75, 'B': 0.25}

    References
    ----------
    Gao et al. (2023), "economic activity" principle.
    """
    year = resolve_year(data, year)
    output = require_positive(cross_section(data, gdp, year), at(gdp, year), allow_zero=True)
    return normalise(output, "economic_activity")


def _per_capita_income(
    data: pd.DataFrame, year: int | None, population: str, gdp: str
) -> tuple[pd.Series, pd.Series, pd.Series, float]:
    pop = require_positive(cross_section(data, population, year), at(population, year))
    output = require_positive(cross_section(data, gdp, year), at(gdp, year))
    per_capita = output / pop
    world = float(output.sum() / pop.sum())
    return pop, output, per_capita, world


def ability_to_pay(
    data: pd.DataFrame,
    *,
    year: int | None = None,
    k: float = 1.0,
    population: str = "population",
    gdp: str = "gdp_usd",
) -> pd.Series:
    """Ability to pay (allowance form): allowances fall with GDP per capita.

    s_i = P_i (y_i / y_w)^(-k) / sum_j P_j (y_j / y_w)^(-k),
    y_i = GDP_i / P_i (US$ per person), y_w = sum GDP / sum P (world mean).

    ``k = 0`` gives the egalitarian rule; larger ``k`` shifts allowances to
    poorer entities (``k = 1``: per-capita allowance inversely proportional
    to income). An entity with y_i = y_w gets the equal per-capita allowance.

    Parameters
    ----------
    k : elasticity of the per-capita allowance with respect to income (>= 0).

    Raises
    ------
    DataError  if population or GDP is missing, zero or negative; ``k < 0``.

    Examples
    --------
    >>> panel = pd.DataFrame({"population": [1.0, 1.0], "gdp_usd": [1.0, 3.0]}, index=["A", "B"])
    >>> ability_to_pay(panel, k=1).to_dict()
    {'A': 0.75, 'B': 0.25}

    References
    ----------
    Rose et al. (1998) "ability to pay"; Gao et al. (2023).
    """
    year = resolve_year(data, year)
    if k < 0:
        raise DataError(f"ability_to_pay: k = {k}; the income elasticity k must be >= 0")
    pop, _, per_capita, world = _per_capita_income(data, year, population, gdp)
    return normalise(pop * (per_capita / world) ** (-k), "ability_to_pay")


def ability_to_pay_reduction(
    data: pd.DataFrame,
    *,
    year: int | None = None,
    exponent: float = 1 / 3,
    emissions: str = "co2_t",
    population: str = "population",
    gdp: str = "gdp_usd",
) -> pd.Series:
    """Ability to pay (burden form of van den Berg et al. 2020): reduction shares.

    b_i = (y_i / y_w)^(1/3) E_i / sum_j (y_j / y_w)^(1/3) E_j

    with E_i the reference-year emissions (t CO2) and y per-capita GDP. This
    is a *burden* share: entity i's share of the global reduction below the
    baseline; richer and higher-emitting entities cut more.

    Examples
    --------
    >>> panel = pd.DataFrame(
    ...     {"population": [1.0, 1.0], "gdp_usd": [1.0, 8.0], "co2_t": [1.0, 1.0]}, index=["A", "B"]
    ... )
    >>> ability_to_pay_reduction(panel).round(4).to_dict()
    {'A': 0.3333, 'B': 0.6667}

    References
    ----------
    van den Berg, N. J. et al. (2020). Implications of various effort-sharing
    approaches for national carbon budgets and emission pathways. *Climatic
    Change* 162, 1805-1822.
    """
    year = resolve_year(data, year)
    if exponent < 0:
        raise DataError(f"ability_to_pay_reduction: exponent = {exponent}; it must be >= 0")
    _, _, per_capita, world = _per_capita_income(data, year, population, gdp)
    base = require_positive(
        cross_section(data, emissions, year), at(emissions, year), allow_zero=True
    )
    return normalise((per_capita / world) ** exponent * base, "ability_to_pay_reduction")


def polluter_pays(
    data: pd.DataFrame,
    *,
    start_year: int = 1990,
    end_year: int | None = None,
    emissions: str = "co2_t",
) -> pd.Series:
    """Polluter pays: *burden* shares of cumulative emissions.

    b_i = sum_{t=t_s..t_e} E_i(t) / sum_j sum_t E_j(t)

    The share of a reduction burden (or of a cost) each entity bears; it is
    not an allowance share. Emissions in t CO2 per year.

    Parameters
    ----------
    start_year, end_year : window of responsibility (``end_year`` None: last year).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["A", "B"], [2000, 2001]])
    >>> panel = pd.DataFrame({"co2_t": [1.0, 1.0, 2.0, 4.0]}, index=idx)
    >>> polluter_pays(panel, start_year=2000).to_dict()
    {'A': 0.25, 'B': 0.75}

    References
    ----------
    Rose et al. (1998) "polluter pays"; Gao et al. (2023).
    """
    if end_year is None:
        end_year = resolve_year(data, None) or 0
    total = cumulative(data, emissions, start_year, end_year)
    require_positive(total, f"cumulative {emissions} {start_year}-{end_year}", allow_zero=True)
    return normalise(total, "polluter_pays")


def horizontal_equity(
    data: pd.DataFrame, *, year: int | None = None, gdp: str = "gdp_usd"
) -> pd.Series:
    """Horizontal equity (Rose et al. 1998): equal net cost as a share of GDP.

    Rose et al. define horizontal equity as "all nations should be treated
    equally in terms of changes in welfare", operationalised as equalising net
    welfare change as a proportion of GDP. Without a cost model we take the
    cost of a tonne abated as the same everywhere, so equal cost per unit of
    GDP means *burden* shares proportional to GDP: b_i = GDP_i / sum_j GDP_j.

    Examples
    --------
    >>> panel = pd.DataFrame({"gdp_usd": [1.0, 4.0]}, index=["A", "B"])
    >>> horizontal_equity(panel).to_dict()
    {'A': 0.2, 'B': 0.8}

    References
    ----------
    Rose et al. (1998), Table 1 "horizontal".
    """
    year = resolve_year(data, year)
    output = require_positive(cross_section(data, gdp, year), at(gdp, year), allow_zero=True)
    return normalise(output, "horizontal_equity")


def vertical_equity(
    data: pd.DataFrame,
    *,
    year: int | None = None,
    progressivity: float = 1.0,
    population: str = "population",
    gdp: str = "gdp_usd",
) -> pd.Series:
    """Vertical equity (Rose et al. 1998): net cost rises with income per capita.

    "Welfare gains should vary inversely with national economic well-being;
    welfare losses should vary directly with national economic well-being."
    Operationalised (same constant cost per tonne as :func:`horizontal_equity`)
    as a progressive cost rate: the burden per unit of GDP rises with
    (y_i / y_w)^v, so the *burden* shares are

        b_i = GDP_i (y_i / y_w)^v / sum_j GDP_j (y_j / y_w)^v,   v > 0.

    ``v = 0`` reduces to horizontal equity.

    Examples
    --------
    >>> panel = pd.DataFrame({"population": [1.0, 1.0], "gdp_usd": [1.0, 2.0]}, index=["A", "B"])
    >>> vertical_equity(panel, progressivity=1).to_dict()
    {'A': 0.2, 'B': 0.8}

    References
    ----------
    Rose et al. (1998), Table 1 "vertical".
    """
    year = resolve_year(data, year)
    if progressivity < 0:
        raise DataError(
            f"vertical_equity: progressivity = {progressivity}; it must be >= 0 "
            f"(0 gives horizontal equity)"
        )
    _, output, per_capita, world = _per_capita_income(data, year, population, gdp)
    return normalise(output * (per_capita / world) ** progressivity, "vertical_equity")
