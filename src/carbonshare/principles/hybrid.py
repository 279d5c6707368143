"""Hybrid rules: an entropy-weighted composite index, and a weighted mix of rules.

References
----------
Kong, Y., Zhao, T., Yuan, R. & Chen, C. (2019). Allocation of carbon emission
quotas in Chinese provinces based on equality and efficiency principles.
*Journal of Cleaner Production* 211, 222-232.
Zhou et al. (2024), iScience 27, 109412, Eq. 1-7 (entropy weights).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from carbonshare.errors import ConfigError, DataError
from carbonshare.principles._panel import (
    at,
    cross_section,
    cumulative,
    is_panel,
    require_positive,
    resolve_year,
)
from carbonshare.principles._shares import check_shares, normalise

__all__ = [
    "DEFAULT_COMPOSITE",
    "CompositeIndex",
    "composite_index",
    "default_composite",
    "entropy_composite",
    "indicator_matrix",
    "weighted_mix",
]

#: Kong et al. (2019)-style indicators: historical responsibility (cumulative
#: emissions per person-year, -) and efficiency (carbon productivity, +);
#: equality enters through the population scale of :func:`entropy_composite`.
DEFAULT_COMPOSITE: dict[str, str] = {
    "cumulative_per_capita:co2_t": "-",
    "ratio:gdp_usd/co2_t": "+",
}


def default_composite(emissions: str = "co2_t", gdp: str = "gdp_usd") -> dict[str, str]:
    """:data:`DEFAULT_COMPOSITE` for a panel whose emissions and output columns have other names.

    Examples
    --------
    >>> default_composite("co2", "value_added")
    {'cumulative_per_capita:co2': '-', 'ratio:value_added/co2': '+'}
    """
    return {f"cumulative_per_capita:{emissions}": "-", f"ratio:{gdp}/{emissions}": "+"}


@dataclass(frozen=True)
class CompositeIndex:
    """Raw indicators, normalised matrix, entropy weights and the index.

    Attributes
    ----------
    raw : entity x indicator values (units of the inputs).
    normalised : linear max-scaled and oriented values in (0, 1].
    weights : entropy weight per indicator (sum 1).
    index : I_i = sum_j w_j V_ij in (0, 1].
    """

    raw: pd.DataFrame
    normalised: pd.DataFrame
    weights: pd.Series
    index: pd.Series


def indicator_matrix(
    data: pd.DataFrame,
    indicators: Mapping[str, str] | list[str],
    *,
    year: int | None = None,
    start_year: int = 1990,
    population: str = "population",
) -> pd.DataFrame:
    """Entity x indicator matrix from a panel.

    Indicator keys: a column name (value in ``year``); ``"cumulative:<col>"``
    (sum of the column over ``start_year..year``);
    ``"cumulative_per_capita:<col>"`` (that sum divided by the person-years of
    ``population`` over the same years, e.g. t CO2 per person-year);
    ``"ratio:<a>/<b>"`` (a / b in ``year``, e.g. carbon productivity
    ``"ratio:gdp_usd/co2_t"`` in US$ per t).

    Examples
    --------
    >>> panel = pd.DataFrame({"gdp_usd": [4.0, 2.0], "co2_t": [2.0, 2.0]}, index=["A", "B"])
    >>> indicator_matrix(panel, ["ratio:gdp_usd/co2_t"])["ratio:gdp_usd/co2_t"].to_dict()
    {'A': 2.0, 'B': 1.0}
    """
    if year is None and is_panel(data):
        year = int(data.index.get_level_values(1).max())
    columns = {}
    for key in indicators:
        kind, _, arg = key.partition(":")
        if kind == "cumulative" and arg:
            columns[key] = cumulative(data, arg, start_year, int(year or 0))
        elif kind == "cumulative_per_capita" and arg:
            people = require_positive(
                cumulative(data, population, start_year, int(year or 0)),
                f"{population} person-years {start_year}-{year}",
            )
            columns[key] = cumulative(data, arg, start_year, int(year or 0)) / people
        elif kind == "ratio" and arg:
            top, _, bottom = arg.partition("/")
            if not bottom:
                raise ConfigError(
                    f"indicator {key!r}: write ratios as 'ratio:<numerator>/<denominator>'"
                )
            den = cross_section(data, bottom, year)
            if (den <= 0).any():
                bad = den.index[(den <= 0).to_numpy()]
                raise DataError(
                    f"indicator {key!r}: {bottom} is <= 0 for {', '.join(map(str, bad[:8]))}; "
                    f"a ratio needs a positive denominator - drop these entities"
                )
            columns[key] = cross_section(data, top, year) / den
        else:
            columns[key] = cross_section(data, key, year)
    return pd.DataFrame(columns)


def _max_scale(raw: pd.DataFrame, spec: Mapping[str, str]) -> pd.DataFrame:
    out = {}
    for col, direction in spec.items():
        x = raw[col].astype(float)
        if (x <= 0).any():
            bad = x.index[(x <= 0).to_numpy()]
            raise DataError(
                f"composite indicator {col!r} is <= 0 for {', '.join(map(str, bad[:8]))}; the "
                f"linear max scaling needs positive values - drop these entities"
            )
        out[col] = x / x.max() if direction == "+" else x.min() / x
    return pd.DataFrame(out)


def composite_index(
    data: pd.DataFrame,
    *,
    indicators: Mapping[str, str] | None = None,
    year: int | None = None,
    start_year: int = 1990,
    population: str = "population",
    emissions: str = "co2_t",
    gdp: str = "gdp_usd",
) -> CompositeIndex:
    """Entropy-weighted composite index of the ``indicators`` (key -> ``"+"``/``"-"``).

        V_ij = x_ij / max_i x_ij          ("+": more is better)
        V_ij = min_i x_ij / x_ij          ("-": less is better)
        w_j  = entropy weight of indicator j (carbonshare.indicators.entropy_weights,
               min-max entropy method of Zhou et al. 2024, Eq. 1-7)
        I_i  = sum_j w_j V_ij  in (0, 1]

    The linear max scaling keeps every index strictly positive (min-max would
    give the worst entity an index of 0 and hence no allowance). Without
    ``indicators`` the index uses :func:`default_composite` of the ``emissions``
    and ``gdp`` columns.

    Raises
    ------
    ConfigError  for a direction other than ``"+"``/``"-"``.
    DataError  if an indicator is constant, missing or <= 0.
    """
    from carbonshare.indicators import entropy_weights

    spec = dict(default_composite(emissions, gdp) if indicators is None else indicators)
    bad = {k: v for k, v in spec.items() if v not in ("+", "-")}
    if bad:
        raise ConfigError(f"composite indicators {bad}: each direction must be '+' or '-'")
    raw = indicator_matrix(
        data, list(spec), year=year, start_year=start_year, population=population
    )
    normalised = _max_scale(raw, spec)
    weights = entropy_weights(raw, directions=spec)
    index = (normalised * weights).sum(axis=1).rename("composite_index")
    return CompositeIndex(raw=raw, normalised=normalised, weights=weights, index=index)


def entropy_composite(
    data: pd.DataFrame,
    *,
    indicators: Mapping[str, str] | None = None,
    year: int | None = None,
    start_year: int = 1990,
    population: str | None = "population",
    emissions: str = "co2_t",
    gdp: str = "gdp_usd",
) -> pd.Series:
    """Allowance shares from an entropy-weighted composite index, scaled by population.

        s_i = P_i I_i / sum_j P_j I_j

    with I from :func:`composite_index`: every person of entity i receives
    the entity's index. By default the index combines cumulative CO2 per
    person-year since ``start_year`` (-, historical responsibility) and carbon
    productivity GDP / CO2 (+, efficiency), read from the ``emissions`` and
    ``gdp`` columns; population (equality) is the scale - the three criteria
    of Kong et al. (2019). ``population=None`` drops the scale (s_i ∝ I_i, for
    entities of similar size).

    Examples
    --------
    >>> panel = pd.DataFrame(
    ...     {"population": [1.0, 1.0, 2.0], "gdp_usd": [1.0, 2.0, 6.0]}, index=["A", "B", "C"]
    ... )
    >>> entropy_composite(panel, indicators={"gdp_usd": "+"}).round(4).tolist()
    [0.0667, 0.1333, 0.8]
    """
    year = resolve_year(data, year)
    result = composite_index(
        data,
        indicators=indicators,
        year=year,
        start_year=start_year,
        population=population or "population",
        emissions=emissions,
        gdp=gdp,
    )
    if population is None:
        return normalise(result.index, "entropy_composite")
    pop = require_positive(cross_section(data, population, year), at(population, year))
    return normalise(pop * result.index, "entropy_composite")


def weighted_mix(shares: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """User-weighted mix of rules: s_i = sum_r w_r s_ir / sum_r w_r.

    Parameters
    ----------
    shares : entity x rule, each column summing to 1.
    weights : rule -> weight (>= 0, not all zero).

    Raises
    ------
    ConfigError  for an unknown rule or bad weights.

    Examples
    --------
    >>> s = pd.DataFrame({"a": [1.0, 0.0], "b": [0.5, 0.5]}, index=["X", "Y"])
    >>> weighted_mix(s, {"a": 1, "b": 3}).to_dict()
    {'X': 0.625, 'Y': 0.375}
    """
    unknown = [r for r in weights if r not in shares.columns]
    if unknown:
        raise ConfigError(
            f"mix weights name unknown rules {unknown}; available: {list(shares.columns)}"
        )
    w = pd.Series(weights, dtype=float)
    if (w < 0).any() or w.sum() <= 0:
        raise ConfigError(f"mix weights {dict(weights)} must be >= 0 and not all zero")
    for rule in w.index:
        check_shares(shares[rule], rule, atol=1e-8)
    mixed = (shares[list(w.index)] * (w / w.sum())).sum(axis=1)
    return mixed.rename("mix")
