"""The bundled indicators: names, units, World Bank codes and sources.

One row per column of :func:`carbonshare.data.load_panel`. The column names
are the names used everywhere in carbonshare (configs, tables, reports).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carbonshare.errors import DataError


@dataclass(frozen=True)
class Indicator:
    """Metadata of one bundled indicator (one column of the panel)."""

    name: str
    label: str
    unit: str
    wb_code: str
    source: str
    kind: str  # "count" (>= 0, no upper bound) or "percent" (0..100)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "population",
        "Population, total",
        "persons",
        "SP.POP.TOTL",
        "World Bank WDI via datahub (datasets/population)",
        "count",
    ),
    Indicator(
        "gdp_usd",
        "GDP (current US$)",
        "current US$",
        "NY.GDP.MKTP.CD",
        "World Bank WDI via datahub (datasets/gdp); gaps filled from UNSD AMA (panel_repairs)",
        "count",
    ),
    Indicator(
        "co2_t",
        "Territorial fossil CO2 emissions",
        "t CO2",
        "",
        "Global Carbon Project / Global Carbon Atlas (GCB 2022), MtCO2 x 1e6",
        "count",
    ),
    Indicator(
        "co2_consumption_t",
        "Consumption-based CO2 emissions",
        "t CO2",
        "",
        "Global Carbon Budget 2024 via Our World in Data",
        "count",
    ),
    Indicator(
        "co2_per_ppp_gdp",
        "CO2 intensity of GDP (kg per 2021 PPP $)",
        "kg CO2 per 2021 PPP $",
        "EN.GHG.CO2.RT.GDP.PP.KD",
        "World Bank WDI via Gapminder systema_globalis",
        "count",
    ),
    Indicator(
        "urban_pct",
        "Urban population (% of total population)",
        "% of population",
        "SP.URB.TOTL.IN.ZS",
        "World Bank WDI bulk file, last updated 2021-09-15",
        "percent",
    ),
    Indicator(
        "urban_pct_recent",
        "Urban population (% of total population), recent vintage",
        "% of population",
        "SP.URB.TOTL.IN.ZS",
        "World Bank WDI via Gapminder systema_globalis (2026 vintage)",
        "percent",
    ),
    Indicator(
        "clean_cooking_pct",
        "Access to clean fuels and technologies for cooking",
        "% of population",
        "EG.CFT.ACCS.ZS",
        "World Bank / WHO via Our World in Data (2023 vintage)",
        "percent",
    ),
    Indicator(
        "services_employment_pct",
        "Employment in services",
        "% of total employment",
        "SL.SRV.EMPL.ZS",
        "ILOSTAT modelled estimates via Gapminder systema_globalis",
        "percent",
    ),
    Indicator(
        "forest_rents_pct_gdp",
        "Forest rents (% of GDP)",
        "% of GDP",
        "NY.GDP.FRST.RT.ZS",
        "World Bank WDI via open-numbers DDF (current WDI); zeros after positive values missing",
        "percent",
    ),
    Indicator(
        "forest_area_km2",
        "Forest area",
        "km2",
        "AG.LND.FRST.K2",
        "World Bank / FAO via Gapminder systema_globalis",
        "count",
    ),
    Indicator(
        "gdp_per_employed",
        "GDP per person employed",
        "constant 2015 PPP $",
        "SL.GDP.PCAP.EM.KD",
        "ILOSTAT modelled estimates via Gapminder systema_globalis",
        "count",
    ),
    Indicator(
        "gni_per_capita_usd",
        "GNI per capita, Atlas method",
        "current US$",
        "NY.GNP.PCAP.CD",
        "World Bank WDI via Gapminder systema_globalis",
        "count",
    ),
    Indicator(
        "gni_ppp",
        "GNI, PPP",
        "current international $",
        "NY.GNP.MKTP.PP.CD",
        "World Bank WDI via Gapminder systema_globalis",
        "count",
    ),
    Indicator(
        "population_density",
        "Population density",
        "people per km2 of land area",
        "EN.POP.DNST",
        "World Bank WDI bulk file, last updated 2021-09-15",
        "count",
    ),
)

INDICATORS += (
    Indicator(
        "co2_wdi_t",
        "CO2 emissions (WDI, CAIT-based)",
        "t CO2",
        "EN.ATM.CO2E.KT",
        "World Bank WDI 2023-12 (Climate Watch / CAIT), kt x 1000",
        "count",
    ),
    Indicator(
        "co2_per_ppp_gdp_wdi",
        "CO2 emissions per PPP $ of GDP (WDI, CAIT-based)",
        "kg CO2 per current PPP $",
        "EN.ATM.CO2E.PP.GD",
        "World Bank WDI 2023-03; 2020 derived as co2 kt x 1e6 / GDP PPP (panel_repairs)",
        "count",
    ),
    Indicator(
        "gdp_ppp_usd",
        "GDP, PPP",
        "current international $",
        "NY.GDP.MKTP.PP.CD",
        "World Bank WDI 2023-05",
        "count",
    ),
    Indicator(
        "renewables_pct",
        "Renewable energy consumption",
        "% of total final energy consumption",
        "EG.FEC.RNEW.ZS",
        "World Bank WDI 2023-10",
        "percent",
    ),
    Indicator(
        "mpa_pct",
        "Marine protected areas",
        "% of territorial waters",
        "ER.MRN.PTMR.ZS",
        "World Bank WDI via open-numbers DDF (current WDI, WDPA-based)",
        "percent",
    ),
)

INDICATOR_NAMES: tuple[str, ...] = tuple(i.name for i in INDICATORS)

#: Indicators of Zhou et al. (2024), Table 1, as panel columns (carbon
#: productivity x5 is derived from ``gdp_usd`` and ``co2_t``).
ZHOU_INDICATORS: tuple[str, ...] = (
    "population",
    "gdp_usd",
    "co2_t",
    "urban_pct",
    "clean_cooking_pct",
    "services_employment_pct",
    "forest_rents_pct_gdp",
    "forest_area_km2",
)

PERCENT_INDICATORS: frozenset[str] = frozenset(i.name for i in INDICATORS if i.kind == "percent")


def indicator_spec(name: str) -> Indicator:
    """The :class:`Indicator` called ``name``.

    Raises
    ------
    DataError  if ``name`` is not a bundled indicator (the message lists them).

    Examples
    --------
    >>> indicator_spec("gdp_usd").wb_code
    'NY.GDP.MKTP.CD'
    """
    for ind in INDICATORS:
        if ind.name == name:
            return ind
    raise DataError(
        f"unknown indicator {name!r}; bundled indicators are: {', '.join(INDICATOR_NAMES)}"
    )


def catalog_frame() -> pd.DataFrame:
    """Static part of the indicator catalog (no year coverage)."""
    rows = [
        {
            "indicator": i.name,
            "label": i.label,
            "unit": i.unit,
            "wb_code": i.wb_code,
            "source": i.source,
            "kind": i.kind,
        }
        for i in INDICATORS
    ]
    return pd.DataFrame(rows).set_index("indicator")
