"""The bundled blue-carbon data: coastal-country panel, its flags and static tables.

Built from the raw files by ``python -m carbonshare.data.build_blue --raw
../shared/data/raw`` (see docs/data.md, section "Blue-carbon panel"). Every
loader returns a copy of a cached table.

>>> from carbonshare.data.blue import load_blue_panel, load_blue_flags
>>> panel = load_blue_panel()
>>> float(panel.loc[("IDN", 2020), "mangrove_km2"]) > 20_000
True
>>> load_blue_flags().loc[("IDN", 2000), "mangrove_km2"]
'interpolated'
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from carbonshare.data.bundled import read_panel_file
from carbonshare.errors import DataError

BUNDLED = Path(__file__).with_name("bundled")
BLUE_PANEL_FILE = "blue_panel.csv.gz"
BLUE_FLAGS_FILE = "blue_flags.csv.gz"
BLUE_SOURCES_FILE = "blue_sources.csv"
BLUE_CSCC_FILE = "blue_cscc.csv.gz"
BLUE_COASTAL_FILE = "blue_coastal.csv"
BLUE_REPORT_FILE = "blue_build_report.json"
#: cited table written by the build from build_blue.BURIAL_RATES (not from the raw folder)
BURIAL_RATES_FILE = "blue_burial_rates.csv"
#: every file the blue build writes
BLUE_FILES = (
    BLUE_PANEL_FILE,
    BLUE_FLAGS_FILE,
    BLUE_CSCC_FILE,
    BLUE_COASTAL_FILE,
    BURIAL_RATES_FILE,
    BLUE_SOURCES_FILE,
    BLUE_REPORT_FILE,
)

#: first and last year of the blue-carbon panel
FIRST_YEAR, LAST_YEAR = 1996, 2024

#: panel columns, in order, with label and unit
BLUE_COLUMNS: dict[str, tuple[str, str]] = {
    "mangrove_km2": ("Mangrove area (GMW v3)", "km²"),
    "saltmarsh_km2": ("Salt-marsh area (OHI, 2017 snapshot)", "km²"),
    "seagrass_km2": ("Seagrass area (OHI, 2020 snapshot)", "km²"),
    "ocean_health_index": ("Ocean Health Index", "score 0-100"),
    "cpi_0_100": ("Corruption Perceptions Index", "score 0-100 (higher = cleaner)"),
    "env_science_documents": ("Environmental-science documents (SCImago)", "documents per year"),
    "mpa_eez_pct": ("Marine protected share of the EEZ", "% of EEZ"),
    "climate_agreements_score": ("Climate agreements joined (UNFCCC, Doha, Paris)", "count 0-3"),
    "carbon_market_score": ("Carbon pricing in force (ETS, carbon tax)", "count 0-2"),
    "climate_risk_index": (
        "Germanwatch Climate Risk Index score",
        "score (higher = less affected)",
    ),
}

#: the words of :func:`load_blue_flags` (``""`` = observed as published)
FLAG_WORDS: dict[str, str] = {
    "interpolated": "linear interpolation between two observed epochs (GMW mangroves)",
    "static": "single snapshot repeated in every year (OHI salt marsh, seagrass)",
    "absent": "country absent from a global habitat map: area taken as 0 km²",
    "rescaled": "CPI 1995-2011 published on 0-10, multiplied by 10",
    "spliced": "MPA share from another source or vintage than OHI/WDPA 2017",
    "corrected": "membership the treaty status file overwrites, from a cited correction table",
}

#: reference case of docs/methods.md B7 (Ricke et al. 2018)
DEFAULT_CSCC_CASE = "SSP2/rcp60/bhm_sr/bootstrap/uncertain/prtp2_eta1p5"


def cscc_case_name(
    ssp: str, rcp: str, run: str, dmgfuncpar: str, climate: str, prtp: str, eta: str, dr: str
) -> str:
    """Name of a Ricke et al. (2018) CSCC case from the columns of their files.

    Growth-adjusted discounting is written ``prtp{prtp}_eta{eta}``, a fixed
    discount rate ``dr{dr}``.

    >>> cscc_case_name("SSP2", "rcp60", "bhm_sr", "bootstrap", "uncertain", "2", "1p5", "NA")
    'SSP2/rcp60/bhm_sr/bootstrap/uncertain/prtp2_eta1p5'
    >>> cscc_case_name("SSP5", "rcp85", "bhm_sr", "estimates", "expected", "NA", "NA", "3")
    'SSP5/rcp85/bhm_sr/estimates/expected/dr3'
    """
    disc = f"dr{dr}" if str(prtp) in ("NA", "", "nan") else f"prtp{prtp}_eta{eta}"
    return "/".join([ssp, rcp, run, dmgfuncpar, climate, disc])


def _path(name: str) -> Path:
    path = BUNDLED / name
    if not path.is_file():
        raise DataError(
            f"bundled file {path} is missing; rebuild it with "
            "python -m carbonshare.data.build_blue --raw ../shared/data/raw"
        )
    return path


def read_blue_flags_file(path: Path) -> pd.DataFrame:
    """Read a blue flags CSV written by the build (index iso3, year; str columns)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["year"] = df["year"].astype(int)
    return df.set_index(["iso3", "year"])


@lru_cache(maxsize=1)
def _panel() -> pd.DataFrame:
    return read_panel_file(_path(BLUE_PANEL_FILE))


@lru_cache(maxsize=1)
def _flags() -> pd.DataFrame:
    return read_blue_flags_file(_path(BLUE_FLAGS_FILE))


@lru_cache(maxsize=1)
def _cscc() -> pd.DataFrame:
    return pd.read_csv(_path(BLUE_CSCC_FILE), keep_default_na=False, na_values=[""])


@lru_cache(maxsize=1)
def _coastal() -> pd.DataFrame:
    return pd.read_csv(_path(BLUE_COASTAL_FILE), dtype=str, keep_default_na=False)


def load_blue_panel() -> pd.DataFrame:
    """The blue-carbon country panel, 1996-2024.

    Returns
    -------
    DataFrame indexed by ``(iso3, year)`` over every country of the country
    table, one float column per entry of :data:`BLUE_COLUMNS` (units there).
    Missing values stay NaN: no year is filled beyond the build-time repairs
    recorded in :func:`load_blue_flags` (interpolated mangrove epochs, static
    habitat snapshots, rescaled CPI, spliced MPA share). Definitions, sources
    and caveats per column: docs/data.md, "Blue-carbon panel".

    Examples
    --------
    >>> p = load_blue_panel()
    >>> list(p.columns) == list(BLUE_COLUMNS)
    True
    >>> float(p.loc[("DNK", 2005), "cpi_0_100"])
    95.0
    """
    return _panel().copy()


def load_blue_flags() -> pd.DataFrame:
    """Repair flag of every value of :func:`load_blue_panel` (same index and columns).

    ``""`` = observed as published; otherwise a word of :data:`FLAG_WORDS`.

    >>> f = load_blue_flags()
    >>> f.loc[("AUS", 2010), "seagrass_km2"], f.loc[("AUS", 2020), "seagrass_km2"]
    ('static', '')
    """
    return _flags().copy()


def load_burial_rates() -> pd.DataFrame:
    """Long-term carbon burial rates by blue-carbon ecosystem (docs/methods.md B5).

    Mcleod et al. (2011), *Front. Ecol. Environ.* 9:552, mean ± s.e.; a cited
    table shipped as ``bundled/blue_burial_rates.csv`` (replace it with
    your own rates by passing a frame of the same shape to the study).
    Units: g C m⁻² yr⁻¹ = t C km⁻² yr⁻¹ (× 44/12 for t CO2).

    Returns
    -------
    DataFrame indexed by ``ecosystem`` (mangrove, saltmarsh, seagrass) with
    ``rate_gc_m2_yr``, ``se_gc_m2_yr`` (float) and ``source`` (str).

    >>> load_burial_rates().loc["mangrove", ["rate_gc_m2_yr", "se_gc_m2_yr"]].tolist()
    [226.0, 39.0]
    """
    df = pd.read_csv(_path(BURIAL_RATES_FILE), dtype={"ecosystem": str, "source": str})
    df = df.set_index("ecosystem")
    df[["rate_gc_m2_yr", "se_gc_m2_yr"]] = df[["rate_gc_m2_yr", "se_gc_m2_yr"]].astype(float)
    return df[["rate_gc_m2_yr", "se_gc_m2_yr", "source"]]


def cscc_cases() -> list[str]:
    """Names of the Ricke et al. (2018) cases bundled (see :func:`cscc_case_name`).

    >>> DEFAULT_CSCC_CASE in cscc_cases()
    True
    """
    return sorted(_cscc()["case"].unique())


def load_cscc(case: str | None = None, statistic: str = "median") -> pd.Series:
    """Country-level social cost of carbon (Ricke et al. 2018), US$ per t CO2.

    Parameters
    ----------
    case : a name of :func:`cscc_cases` (default :data:`DEFAULT_CSCC_CASE`,
        the reference case of docs/methods.md B7: SSP2, RCP6.0, BHM short-run pooled
        damages, bootstrapped damage parameters, uncertain climate,
        growth-adjusted discounting with prtp 2 % and eta 1.5).
    statistic : ``"median"`` (50 %), ``"low"`` (16.7 %) or ``"high"`` (83.3 %).

    Returns
    -------
    Series indexed by ISO3 (countries of the country table with a value, and
    ``"WLD"`` for the world), named ``cscc_usd_per_tco2``; ``.attrs`` holds
    ``case`` and ``statistic``. Negative values are genuine (gains from
    warming).

    >>> s = load_cscc()
    >>> round(float(s["WLD"]), 1), s.attrs["case"] == DEFAULT_CSCC_CASE
    (417.5, True)
    """
    case = DEFAULT_CSCC_CASE if case is None else case
    col = {"median": "cscc_median", "low": "cscc_low", "high": "cscc_high"}.get(statistic)
    if col is None:
        raise DataError(f"statistic={statistic!r} is not one of 'median', 'low', 'high'")
    df = _cscc()
    rows = df[df["case"] == case]
    if rows.empty:
        raise DataError(
            f"CSCC case {case!r} is not bundled; choose one of carbonshare.data.blue.cscc_cases() "
            f"(default {DEFAULT_CSCC_CASE})"
        )
    out = rows.set_index("iso3")[col].astype(float).rename("cscc_usd_per_tco2")
    out.index.name = "iso3"
    out.attrs = {"case": case, "statistic": statistic}
    return out


def coastal_countries() -> pd.Index:
    """ISO3 of the coastal countries with a blue-carbon ecosystem in the data.

    A country is included when the country table marks it coastal and its
    mangrove (GMW v3, any epoch), salt-marsh or seagrass area (OHI) is at
    least 0.01 km² (smaller values are raster artefacts of the OHI layers).
    Every other country of the country table is in :func:`coastal_exclusions`.

    >>> idx = coastal_countries()
    >>> "IDN" in idx, "CHE" in idx
    (True, False)
    """
    df = _coastal()
    return pd.Index(sorted(df.loc[df["included"] == "True", "iso3"]), name="iso3")


def coastal_exclusions() -> pd.Series:
    """Countries of the country table left out of :func:`coastal_countries`, with the reason.

    >>> coastal_exclusions()["CHE"]
    'landlocked'
    """
    df = _coastal()
    out = df[df["included"] == "False"].set_index("iso3")["reason"]
    return out.rename("reason")


def blue_sources_table() -> pd.DataFrame:
    """Provenance of the blue-carbon series (also in ``carbonshare.data.sources(blue=True)``)."""
    return pd.read_csv(_path(BLUE_SOURCES_FILE), dtype=str, keep_default_na=False)


def blue_build_report() -> dict:
    """What the blue build left out or repaired, per source (``bundled/blue_build_report.json``)."""
    return json.loads(_path(BLUE_REPORT_FILE).read_text())
