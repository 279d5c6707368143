"""Efficiency rules of docs/methods.md C2: allowances follow productive use of carbon.

References
----------
Gao et al. (2023), Chinese Journal of Environmental Management 15(1):7-18.
European Commission (2019). Guidance Document n°2 on the harmonised free
allocation methodology for the EU ETS post 2020 (product benchmarks).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonshare.errors import DataError
from carbonshare.principles._panel import at, cross_section, require_positive, resolve_year
from carbonshare.principles._shares import normalise

__all__ = ["benchmark_allowances", "benchmarking", "carbon_productivity"]


def carbon_productivity(
    data: pd.DataFrame,
    *,
    year: int | None = None,
    k: float = 0.5,
    emissions: str = "co2_t",
    gdp: str = "gdp_usd",
) -> pd.Series:
    """Carbon productivity (inverse carbon intensity): reward low-carbon output.

    With carbon productivity p_i = GDP_i / E_i (US$ per t CO2; the inverse of
    the carbon intensity E_i / GDP_i) and the world value p_w = sum GDP / sum E,

        s_i = E_i (p_i / p_w)^k / sum_j E_j (p_j / p_w)^k.

    Entities more productive than the world average get more than under
    grandfathering. ``k = 0`` is grandfathering, ``k = 1`` is economic
    activity (s_i = GDP share); the default ``k = 0.5`` is the geometric mean
    of the two, s_i ∝ sqrt(E_i GDP_i).

    Raises
    ------
    DataError  if emissions or GDP are missing, zero or negative; ``k`` outside [0, 1].

    Examples
    --------
    >>> panel = pd.DataFrame({"co2_t": [1.0, 4.0], "gdp_usd": [4.0, 1.0]}, index=["A", "B"])
    >>> carbon_productivity(panel, k=0.5).to_dict()
    {'A': 0.5, 'B': 0.5}
    """
    year = resolve_year(data, year)
    if not 0.0 <= k <= 1.0:
        raise DataError(
            f"carbon_productivity: k = {k}; it must lie in [0, 1] (0 = grandfathering, 1 = GDP shares)"
        )
    e = require_positive(cross_section(data, emissions, year), at(emissions, year))
    y = require_positive(cross_section(data, gdp, year), at(gdp, year))
    productivity = (y / e) / (y.sum() / e.sum())
    return normalise(e * productivity**k, "carbon_productivity")


def benchmark_allowances(
    data: pd.DataFrame,
    *,
    year: int | None = None,
    percentile: float = 0.0,
    groups: pd.Series | None = None,
    emissions: str = "co2_t",
    output: str = "gdp_usd",
) -> pd.DataFrame:
    """Benchmark allowances: output times the benchmark intensity of the entity's group.

        I_i = E_i / Q_i                          intensity, t CO2 per unit of output
        b_g = percentile_q {I_i : i in g}        benchmark of group g
        A_i = Q_i b_{g(i)}                       allowance, t CO2

    ``percentile = 0`` is best in class (the lowest intensity); the EU ETS
    product benchmarks use the mean of the 10 % most efficient installations,
    close to ``percentile = 10``. Percentiles use numpy's linear interpolation
    over the entities of the group (unweighted).

    Parameters
    ----------
    groups : entity -> group label (sector, region...); ``None`` = one group.

    Returns
    -------
    DataFrame indexed by entity: ``intensity``, ``benchmark``, ``allowance_t``.

    Raises
    ------
    DataError  on zero or negative output or emissions, a percentile outside
        [0, 100], or entities without a group.

    Examples
    --------
    >>> panel = pd.DataFrame({"co2_t": [2.0, 6.0], "gdp_usd": [1.0, 2.0]}, index=["A", "B"])
    >>> benchmark_allowances(panel)["allowance_t"].to_dict()
    {'A': 2.0, 'B': 4.0}
    """
    year = resolve_year(data, year)
    if not 0.0 <= percentile <= 100.0:
        raise DataError(f"benchmarking: percentile = {percentile}; it must lie in [0, 100]")
    e = require_positive(cross_section(data, emissions, year), at(emissions, year), allow_zero=True)
    q = require_positive(cross_section(data, output, year), at(output, year))
    intensity = e / q
    if groups is None:
        labels = pd.Series("all", index=e.index)
    else:
        labels = groups.reindex(e.index)
        if labels.isna().any():
            missing = labels.index[labels.isna().to_numpy()]
            raise DataError(
                f"benchmarking: no group for {', '.join(map(str, missing[:8]))}; "
                f"give every entity a group label"
            )
    bench = intensity.groupby(labels).transform(
        lambda s: float(np.percentile(s.to_numpy(), percentile))
    )
    return pd.DataFrame({"intensity": intensity, "benchmark": bench, "allowance_t": q * bench})


def benchmarking(
    data: pd.DataFrame,
    *,
    year: int | None = None,
    percentile: float = 0.0,
    groups: pd.Series | None = None,
    emissions: str = "co2_t",
    output: str = "gdp_usd",
) -> pd.Series:
    """Benchmarking: allowance shares A_i / sum_j A_j of :func:`benchmark_allowances`.

    With a single group the shares equal output shares (the common benchmark
    cancels); groups with different benchmarks make the rule differ.

    Examples
    --------
    >>> panel = pd.DataFrame({"co2_t": [2.0, 6.0], "gdp_usd": [1.0, 2.0]}, index=["A", "B"])
    >>> benchmarking(panel).round(4).to_dict()
    {'A': 0.3333, 'B': 0.6667}
    """
    year = resolve_year(data, year)
    table = benchmark_allowances(
        data, year=year, percentile=percentile, groups=groups, emissions=emissions, output=output
    )
    return normalise(table["allowance_t"], "benchmarking")
