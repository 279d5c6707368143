"""Loaders of the bundled data (cached; every call returns a copy).

The files in ``carbonshare/data/bundled`` are written by
``python -m carbonshare.data.build`` from the raw files; see docs/data.md.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

from carbonshare.data.catalog import INDICATOR_NAMES, catalog_frame
from carbonshare.errors import DataError

BUNDLED = Path(__file__).with_name("bundled")
PANEL_FILE = "panel.csv.gz"
COUNTRIES_FILE = "countries.csv"
BOUNDARIES_FILE = "boundaries_110m.json.gz"
DYADS_FILE = "dist_cepii.csv.gz"
SOURCES_FILE = "sources.csv"
REPAIRS_FILE = "repairs.csv"
REPORT_FILE = "build_report.json"


def _path(name: str) -> Path:
    path = BUNDLED / name
    if not path.is_file():
        raise DataError(
            f"bundled file {path} is missing; reinstall carbonshare or rebuild it with "
            "python -m carbonshare.data.build --raw ../shared/data/raw"
        )
    return path


def read_panel_file(path: Path) -> pd.DataFrame:
    """Read a panel CSV written by the build (index iso3, year; float columns)."""
    df = pd.read_csv(path, dtype={"iso3": str, "year": int}, keep_default_na=False, na_values=[""])
    df = df.set_index(["iso3", "year"])
    return df.astype(float)


def read_countries_file(path: Path) -> pd.DataFrame:
    """Read a country table CSV written by the build."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("iso3")
    df["capital_lat"] = df["capital_lat"].astype(float)
    df["capital_lon"] = df["capital_lon"].astype(float)
    for col in ("developed", "coastal"):
        df[col] = df[col].map({"True": True, "False": False}).astype(bool)
    return df


@lru_cache(maxsize=1)
def _panel() -> pd.DataFrame:
    return read_panel_file(_path(PANEL_FILE))


@lru_cache(maxsize=1)
def _countries() -> pd.DataFrame:
    return read_countries_file(_path(COUNTRIES_FILE))


def read_dyads_file(path: Path) -> pd.DataFrame:
    """Read a CEPII pair file written by the build (flags int, distances float)."""
    df = pd.read_csv(path, dtype={"iso_o": str, "iso_d": str}, keep_default_na=False,
                     na_values=[""])  # fmt: skip
    return df.astype({"contig": int, "comlang_off": int})


@lru_cache(maxsize=1)
def _dyads() -> pd.DataFrame:
    return read_dyads_file(_path(DYADS_FILE))


@lru_cache(maxsize=1)
def _repairs() -> pd.DataFrame:
    return read_repairs_file(_path(REPAIRS_FILE))


@lru_cache(maxsize=1)
def _boundaries_text() -> str:
    with gzip.open(_path(BOUNDARIES_FILE), "rt", encoding="utf-8") as fh:
        return fh.read()


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    from carbonshare.data.names import build_name_index

    return build_name_index(_countries())


def load_panel(indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """The bundled ISO3 x year country panel.

    Parameters
    ----------
    indicators : column names to return (default: all; see
        :func:`indicator_catalog`).

    Returns
    -------
    DataFrame indexed by ``(iso3, year)`` (str, int), one float column per
    indicator, NaN where the source has no value. Years 1990 to the last year
    of any source; the country set is the country table.

    Raises
    ------
    DataError  naming an unknown indicator and listing the known ones.

    Examples
    --------
    >>> panel = load_panel(["population", "co2_t"])
    >>> panel.index.names
    FrozenList(['iso3', 'year'])
    >>> float(panel.loc[("CHN", 2020), "co2_t"]) > 1e10
    True
    """
    panel = _panel()
    if indicators is None:
        return panel.copy()
    if isinstance(indicators, str):
        indicators = [indicators]
    unknown = [i for i in indicators if i not in panel.columns]
    if unknown:
        raise DataError(
            f"unknown indicator(s) {unknown}; bundled indicators are: {', '.join(panel.columns)}"
        )
    return panel[list(indicators)].copy()


def load_countries() -> pd.DataFrame:
    """The country table, indexed by ``iso3``.

    Columns: ``iso2, m49, name, continent, un_region, un_subregion,
    sdg_region, wb_region, income_group, developed (bool), coastal (bool),
    capital, capital_lat, capital_lon`` (decimal degrees) and ``aliases``
    (other names, ``;``-separated). Rules in docs/data.md.

    Examples
    --------
    >>> c = load_countries()
    >>> c.loc["MMR", "capital"]
    'Naypyidaw'
    >>> bool(c.loc["DEU", "developed"]), bool(c.loc["CHE", "coastal"])
    (True, False)
    """
    return _countries().copy()


def load_boundaries() -> dict:
    """Natural Earth 110m admin-0 boundaries as a GeoJSON FeatureCollection.

    Every feature has ``properties["iso3"]`` and ``properties["name"]``
    (Natural Earth's own name in ``ne_name``). Coordinates are rounded to
    3 decimals (about 100 m). Public domain (naturalearthdata.com).

    Examples
    --------
    >>> fc = load_boundaries()
    >>> sorted({f["properties"]["iso3"] for f in fc["features"]} & {"FRA", "NOR", "XKX"})
    ['FRA', 'NOR', 'XKX']
    """
    return json.loads(_boundaries_text())


def load_boundaries_gdf():
    """The boundaries as a geopandas GeoDataFrame (EPSG:4326), indexed by ``iso3``.

    Raises
    ------
    ImportError  if geopandas is missing (install ``carbonshare[maps]``).
    """
    try:
        import geopandas as gpd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "load_boundaries_gdf needs geopandas; install it with: pip install carbonshare[maps]"
        ) from exc
    gdf = gpd.GeoDataFrame.from_features(load_boundaries()["features"], crs="EPSG:4326")
    return gdf.set_index("iso3")


def load_cepii_pairs() -> pd.DataFrame:
    """CEPII GeoDist country pairs (Mayer & Zignago 2011), each pair once.

    Columns ``iso_o, iso_d`` (ISO3, ``iso_o < iso_d``), ``contig`` (1 = shared
    land border), ``comlang_off`` (1 = common official language), and the
    distances in km: ``dist`` (main cities), ``distcap`` (capitals), ``distw``
    and ``distwces`` (population-weighted, theta = 1 and -1); NaN where CEPII
    has no value. Legacy CEPII codes are mapped to ISO3 (ROM -> ROU, ZAR ->
    COD, TMP -> TLS, PAL -> PSE, YUG -> SRB, ANT -> CUW). Licence: Etalab
    Open Licence 2.0. :func:`carbonshare.geo.distance_matrix` turns it into
    matrices; docs/data.md lists what it lacks.

    Examples
    --------
    >>> p = load_cepii_pairs().set_index(["iso_o", "iso_d"])
    >>> int(p.loc[("CAN", "USA"), "contig"]), round(float(p.loc[("CAN", "USA"), "distcap"]))
    (1, 737)
    """
    return _dyads().copy()


def sources(blue: bool = False) -> pd.DataFrame:
    """Provenance table: one row per raw file (source, repository, path,
    commit, vintage, licence, transformation); with ``blue=True`` followed by
    the rows of the blue-carbon data (``bundled/blue_sources.csv``)."""
    table = pd.read_csv(_path(SOURCES_FILE), dtype=str, keep_default_na=False)
    if blue:
        extra = pd.read_csv(_path("blue_sources.csv"), dtype=str, keep_default_na=False)
        table = pd.concat([table, extra], ignore_index=True)
    return table


def read_repairs_file(path: Path) -> pd.DataFrame:
    """Read a repair table written by the build."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df.astype({"year": int, "value": float})


def panel_repairs(column: str | None = None) -> pd.DataFrame:
    """Every country-year of the panel that the build repaired, with the reason.

    Columns ``iso3, year, column, action, value, source, detail``. The actions:
    ``gap filled from another source`` (``gdp_usd`` from UNSD where the World
    Bank has no value; ``value`` is the UNSD value now in the panel),
    ``derived`` (``co2_per_ppp_gdp_wdi`` 2020 = CO2 kt x 1e6 / GDP PPP) and
    ``zero after positive values set to missing`` (``forest_rents_pct_gdp``;
    ``value`` is the published 0, the panel cell is NaN). docs/data.md explains
    each.

    Parameters
    ----------
    column : only the repairs of this panel column (default: all).

    Examples
    --------
    >>> r = panel_repairs("forest_rents_pct_gdp")
    >>> r.loc[r["iso3"] == "GBR", "year"].tolist()
    [2019, 2020, 2021]
    >>> bool((panel_repairs("gdp_usd")["source"] == "unsd-ama").all())
    True
    """
    df = _repairs()  # read once per process; callers get their own copy
    if column is None:
        return df.copy()
    if column not in INDICATOR_NAMES:
        raise DataError(
            f"unknown indicator {column!r}; bundled indicators are: {', '.join(INDICATOR_NAMES)}"
        )
    return df[df["column"] == column].reset_index(drop=True)


def repairs_used(column: str, entities, years: tuple[int, int]) -> pd.DataFrame:
    """The build repairs of ``column`` for ``entities`` within ``years`` (inclusive).

    A study that reads the bundled panel copies these rows into its manifest,
    so a value filled from another source or derived by the build is never
    used unmarked.

    Examples
    --------
    >>> r = repairs_used("gdp_usd", ["VEN", "FRA"], (2016, 2020))
    >>> r["year"].tolist(), r["source"].unique().tolist()
    ([2016, 2017, 2018, 2019, 2020], ['unsd-ama'])
    """
    rep = panel_repairs(column)
    keep = rep["iso3"].isin(list(entities)) & rep["year"].between(*years)
    return rep[keep].reset_index(drop=True)


def build_report() -> dict:
    """What the build left out of the panel, per raw file (aggregates,
    entities outside the country table)."""
    return json.loads(_path(REPORT_FILE).read_text())


def indicator_catalog() -> pd.DataFrame:
    """One row per panel column: label, unit, wb_code, source, first_year,
    last_year (years with at least one country value), countries (with any
    value).

    Examples
    --------
    >>> cat = indicator_catalog()
    >>> int(cat.loc["forest_rents_pct_gdp", "last_year"]), int(cat.loc["co2_wdi_t", "last_year"])
    (2021, 2020)
    """
    cat = catalog_frame()
    panel = _panel()
    years = panel.index.get_level_values("year")
    first, last, n = {}, {}, {}
    for col in INDICATOR_NAMES:
        has = panel[col].notna().to_numpy()
        first[col] = int(years[has].min()) if has.any() else None
        last[col] = int(years[has].max()) if has.any() else None
        n[col] = int(panel.index.get_level_values("iso3")[has].nunique())
    cat["first_year"] = pd.Series(first)
    cat["last_year"] = pd.Series(last)
    cat["countries"] = pd.Series(n)
    return cat
