"""Blue-carbon sequestration = ecosystem areas x long-term burial rates (docs/methods.md B5).

Units: areas in km2, burial rates in g C m-2 yr-1 (= t C km-2 yr-1);
sequestration in t CO2 per year (x 44/12).
"""

from __future__ import annotations

import pandas as pd

from carbonshare.errors import DataError

__all__ = ["CO2_PER_C", "mean_burial_rate", "sequestration"]

CO2_PER_C = 44.0 / 12.0
"""t CO2 per t C (molar masses 44 and 12 g/mol)."""


def _aligned(areas: pd.DataFrame, rates: pd.Series, columns: dict[str, str] | None):
    columns = columns or {c: c for c in areas.columns}
    missing_cols = [c for c in columns.values() if c not in areas.columns]
    if missing_cols:
        raise DataError(f"area column(s) {missing_cols} are not in the data; check the mapping")
    missing_rates = [e for e in columns if e not in rates.index]
    if missing_rates:
        raise DataError(
            f"no burial rate for ecosystem(s) {missing_rates}; the rate table has "
            f"{list(rates.index)}"
        )
    A = areas[list(columns.values())].set_axis(list(columns), axis=1)
    if (A < 0).to_numpy().any():
        bad = A.stack()[A.stack() < 0].index[0]
        raise DataError(f"negative area at {bad}; areas must be >= 0 km2")
    return A, rates.reindex(list(columns)).astype(float)


def sequestration(
    areas: pd.DataFrame, rates: pd.Series, columns: dict[str, str] | None = None
) -> pd.Series:
    """Annual sequestration S_i = (44/12) sum_e A_ie r_e, in t CO2 per year.

    Parameters
    ----------
    areas : rows (countries or country-years) x area columns, km2.
    rates : ecosystem -> burial rate, g C m-2 yr-1 (= t C km-2 yr-1).
    columns : ecosystem -> area column (default: every column of ``areas`` is an ecosystem
        named as in ``rates``).

    Examples
    --------
    1 km2 of mangrove at 226 g C m-2 yr-1 buries 226 t C = 828.67 t CO2 a year.

    >>> A = pd.DataFrame({"mangrove_km2": [1.0], "seagrass_km2": [0.0]}, index=["AAA"])
    >>> r = pd.Series({"mangrove": 226.0, "seagrass": 138.0})
    >>> sequestration(A, r, {"mangrove": "mangrove_km2", "seagrass": "seagrass_km2"}).round(2)
    AAA    828.67
    Name: sequestration_tco2, dtype: float64
    """
    A, r = _aligned(areas, rates, columns)
    return (A @ r * CO2_PER_C).rename("sequestration_tco2")


def mean_burial_rate(
    areas: pd.DataFrame, rates: pd.Series, columns: dict[str, str] | None = None
) -> pd.Series:
    """CRate_i = sum_e A_ie r_e / sum_e A_ie: the area-weighted mean burial rate (t C km-2 yr-1).

    NaN for a country without any blue-carbon area.

    Examples
    --------
    >>> A = pd.DataFrame({"m": [1.0, 0.0], "s": [3.0, 0.0]}, index=["AAA", "BBB"])
    >>> mean_burial_rate(A, pd.Series({"m": 226.0, "s": 138.0})).tolist()
    [160.0, nan]
    """
    A, r = _aligned(areas, rates, columns)
    total = A.sum(axis=1)
    return (A @ r / total.where(total > 0)).rename("crate_tc_km2_yr")
