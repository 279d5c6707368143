"""Readers of the blue-carbon raw files (used only by :mod:`carbonshare.data.build_blue`).

Every reader returns a long frame with the source's own country label in
``entity`` (a name, an ISO3 code or an OHI region id), ``year`` (int) and one
or more value columns, exactly as published apart from the parsing repairs
named in its docstring (encodings, duplicated rows, units). The raw files and
their defects are described in ``SOURCES_BLUE.md`` and ``SOURCES_MORE.md`` of
the shared data folder; mapping the labels to ISO3 is the job of
:mod:`carbonshare.data.blue_names`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from carbonshare.errors import DataError

GMW_FILE = "ohi_mangrove_gmw3/gmw_paper_extents_1996-2020.csv"
SEAGRASS_FILE = "ohi_habitats/hab_seagrass_extent.csv"
SALTMARSH_FILE = "ohi_habitats/hab_saltmarsh_extent.csv"
OHI_SCORES_FILE = "ohi_scores/index_scores_wide_all_years.csv"
OHI_REGIONS_FILE = "ohi_scores/regions_list.csv"
MPA_OHI_2016_FILE = "ohi_lsp_mpa/v2016_area_protected_eez.csv"
MPA_OHI_2017_FILE = "ohi_lsp_mpa/v2017_area_protected_eez.csv"
MPA_WDI_FILE = "wb_wdi_ddf/ddf--datapoints--er_mrn_ptmr_zs--by--economy--year.csv"
CPI_DATAHUB_FILE = "ti_cpi_datahub/cpi.csv"
CPI_TI_FILE = "ti_cpi_2012_2023/CPI2024_GlobalResultsTrends_loupeat.csv"
SCIMAGO_FILE = "scimago_country_rank/isaacdu84_SciPubData_by_area_1996_2016.csv"
UNFCCC_FILE = "treaty_status/unfccc-convention-status.csv"
DOHA_FILE = "treaty_status/doha-amendment.csv"
PARIS_FILE = "treaty_status/paris-agreement-entry-into-force.csv"
CARBON_PRICING_FILE = "wb_carbon_pricing_dashboard/CPI_Data_2022.xlsx"
CRI2017_FILE = "germanwatch_cri_rw/climate-risk-index-1.csv"
CRI2020_FILE = "germanwatch_cri2020/climate_risk_index_CRI2020_original_upload.csv"
CSCC_DIR = "cscc_ricke2018"

#: SCImago subject-area code of Environmental Science (ASJC 2300)
SCIMAGO_ENV_SCIENCE = 2300


def _need(raw: Path, rel: str) -> Path:
    path = Path(raw) / rel
    if not path.is_file():
        raise DataError(f"raw file {path} not found; pass --raw ../shared/data/raw")
    return path


def _numeric(df: pd.DataFrame, column: str, source: str) -> pd.DataFrame:
    """Coerce ``column`` to float (blank and ``NA`` are missing); a non-numeric
    or negative entry is an error naming the entity and year."""
    raw = df[column]
    num = pd.to_numeric(raw, errors="coerce")
    missing = raw.isna() | raw.astype(str).str.strip().isin(["", "NA"])
    bad = num.isna() & ~missing
    if bad.any():
        row = df[bad].iloc[0]
        raise DataError(
            f"{source}: {column} of {row['entity']!r} in {row.get('year', '')} is "
            f"{row[column]!r}, not a number; check the raw file"
        )
    if (num < 0).any():
        row = df[num < 0].iloc[0]
        raise DataError(
            f"{source}: {column} of {row['entity']!r} in {row.get('year', '')} is negative "
            f"({row[column]}); check the raw file"
        )
    return df.assign(**{column: num.astype(float)})


def read_gmw(raw: Path) -> pd.DataFrame:
    """GMW v3 national mangrove extents: ``entity, year, km2`` (11 epochs 1996-2020)."""
    df = pd.read_csv(_need(raw, GMW_FILE), dtype={"country": str}, keep_default_na=False)
    df = df.rename(columns={"country": "entity"})[["entity", "year", "km2"]]
    df["year"] = df["year"].astype(int)
    return _numeric(df, "km2", "GMW v3")


def read_ohi_regions(raw: Path) -> pd.DataFrame:
    """OHI region list: ``rgn_id, rgn_name, eez_iso3, admin_country_name``."""
    df = pd.read_csv(_need(raw, OHI_REGIONS_FILE), keep_default_na=False, dtype=str)
    df["rgn_id"] = df["rgn_id"].astype(int)
    return df[["rgn_id", "rgn_name", "eez_iso3", "territory", "admin_country_name"]]


def read_ohi_habitat(raw: Path, habitat: str) -> pd.DataFrame:
    """OHI habitat extent layer: ``entity`` (rgn_id), ``year``, ``km2`` (one snapshot year)."""
    rel = {"seagrass": SEAGRASS_FILE, "saltmarsh": SALTMARSH_FILE}[habitat]
    df = pd.read_csv(_need(raw, rel))
    if set(df["habitat"]) != {habitat}:
        raise DataError(f"{rel}: habitat column holds {sorted(set(df['habitat']))}, not {habitat}")
    df = df.rename(columns={"rgn_id": "entity"})[["entity", "year", "km2"]]
    return _numeric(df, "km2", f"OHI {habitat}")


def read_ohi_scores(raw: Path) -> pd.DataFrame:
    """Ocean Health Index overall score per OHI region: ``entity`` (rgn_id), ``year``, ``ohi``.

    Region 0 (the global average) is left out.
    """
    wide = pd.read_csv(_need(raw, OHI_SCORES_FILE))
    wide = wide[wide["region_id"] != 0]
    years = [c for c in wide.columns if re.fullmatch(r"\d{4}", str(c))]
    long = wide.melt(id_vars="region_id", value_vars=years, var_name="year", value_name="ohi")
    long = long.rename(columns={"region_id": "entity"})
    long["year"] = long["year"].astype(int)
    long = _numeric(long, "ohi", "OHI scores")
    return long.dropna(subset=["ohi"])


def read_mpa_ohi(raw: Path) -> pd.DataFrame:
    """Protected area of each OHI region's EEZ: ``entity`` (rgn_id), ``year``,
    ``a_prot_km2``, ``a_tot_km2``, ``vintage`` (2016 or 2017).

    v2016 (WDPA 2016, cumulative by designation year) for 1996-2015 and v2017
    (WDPA 2017) for 2000-2017; the designation years before 1996 and
    ``year 0`` (unknown date) of v2016 are left out, and so are the rows
    without a region id (v2016's global total).
    """
    v16 = pd.read_csv(_need(raw, MPA_OHI_2016_FILE))
    v16 = v16[v16["year"].between(1996, 2015)].assign(vintage=2016)
    v17 = pd.read_csv(_need(raw, MPA_OHI_2017_FILE)).assign(vintage=2017)
    cols = ["rgn_id", "year", "a_prot_km2", "a_tot_km2", "vintage"]
    df = pd.concat([v16[cols], v17[cols]], ignore_index=True).rename(columns={"rgn_id": "entity"})
    df = df.dropna(subset=["entity"]).astype({"entity": int})
    for col in ("a_prot_km2", "a_tot_km2"):
        df = _numeric(df, col, "OHI/WDPA MPA")
    if (df["a_prot_km2"] > df["a_tot_km2"] * (1 + 1e-9)).any():
        row = df[df["a_prot_km2"] > df["a_tot_km2"]].iloc[0]
        raise DataError(f"OHI/WDPA MPA: protected area above EEZ area for region {row['entity']}")
    return df


def read_mpa_wdi(raw: Path) -> pd.DataFrame:
    """WDI ER.MRN.PTMR.ZS (% of territorial waters): ``entity`` (lower-case code), ``year``, ``pct``."""
    df = pd.read_csv(_need(raw, MPA_WDI_FILE), dtype={"economy": str})
    df = df.rename(columns={"economy": "entity", "er_mrn_ptmr_zs": "pct"})
    df = _numeric(df, "pct", "WDI ER.MRN.PTMR.ZS")
    if (df["pct"] > 100).any():
        row = df[df["pct"] > 100].iloc[0]
        raise DataError(f"WDI ER.MRN.PTMR.ZS: {row['entity']} {row['year']} is above 100 %")
    return df


def read_cpi_datahub(raw: Path) -> pd.DataFrame:
    """CPI datahub 1995-2017 on the file's own 0-10 scale: ``entity, year, cpi_0_10``.

    Repairs: Latin-1 encoding; empty CRLF rows dropped; ``0.0`` read as
    missing (the file's convention); a country listed twice (the datahub
    README warns of it) is merged when the two rows never both hold a value
    for a year (else an error naming it).
    """
    wide = pd.read_csv(_need(raw, CPI_DATAHUB_FILE), encoding="latin-1").dropna(how="all")
    years = [c for c in wide.columns if re.fullmatch(r"\d{4}", str(c))]
    long = wide.melt(id_vars="country", value_vars=years, var_name="year", value_name="cpi_0_10")
    long = long.rename(columns={"country": "entity"})
    long["year"] = long["year"].astype(int)
    long = _numeric(long, "cpi_0_10", "CPI datahub")
    long = long[long["cpi_0_10"] > 0]
    if (long["cpi_0_10"] > 10).any():
        row = long[long["cpi_0_10"] > 10].iloc[0]
        raise DataError(f"CPI datahub: {row['entity']} {row['year']} = {row['cpi_0_10']} > 10")
    dup = long.duplicated(["entity", "year"], keep=False)
    if dup.any():
        row = long[dup].iloc[0]
        raise DataError(
            f"CPI datahub: {row['entity']!r} has two values for {row['year']}; "
            "resolve the duplicate row in the reader"
        )
    return long


def read_cpi_ti(raw: Path) -> pd.DataFrame:
    """TI CPI time series 2012-2024 (0-100): ``entity`` (ISO3), ``name``, ``year``, ``cpi_0_100``."""
    path = _need(raw, CPI_TI_FILE)
    wide = pd.read_csv(path, sep=";", skiprows=2, encoding="utf-8-sig", dtype={"ISO3": str})
    wide = wide.dropna(subset=["ISO3"])
    score = {c: int(c[-4:]) for c in wide.columns if re.fullmatch(r"(?i)cpi score \d{4}", c)}
    if not score:
        raise DataError(f"{path}: no 'CPI score YYYY' columns; has the layout changed?")
    long = wide.melt(
        id_vars=["ISO3", "Country / Territory"],
        value_vars=list(score),
        var_name="col",
        value_name="cpi_0_100",
    )
    long["year"] = long["col"].map(score)
    long = long.rename(columns={"ISO3": "entity", "Country / Territory": "name"})
    long = _numeric(long[["entity", "name", "year", "cpi_0_100"]], "cpi_0_100", "TI CPI")
    long = long.dropna(subset=["cpi_0_100"])
    if (long["cpi_0_100"] > 100).any():
        raise DataError("TI CPI: a score above 100; check the raw file")
    return long


def read_scimago(raw: Path) -> pd.DataFrame:
    """SCImago Environmental Science (area 2300) documents: ``entity, year, documents``.

    The file's numbered columns follow SCImago's page order: 2 = country,
    3 = documents. Latin-1 encoding.
    """
    df = pd.read_csv(_need(raw, SCIMAGO_FILE), encoding="latin-1")
    df = df[df["Area"] == SCIMAGO_ENV_SCIENCE]
    df = df.rename(columns={"2": "entity", "Year": "year", "3": "documents"})
    df = df[["entity", "year", "documents"]].copy()
    df["year"] = df["year"].astype(int)
    return _numeric(df, "documents", "SCImago")


def read_treaties(raw: Path) -> pd.DataFrame:
    """Country acts on the three climate instruments: ``entity`` (code), ``instrument``, ``date``.

    UNFCCC: ratification/acceptance/accession/approval/succession date;
    Doha Amendment: acceptance date; Paris Agreement: ratification (or
    acceptance, approval, accession) date. Rows without a date (signature
    only) are left out.
    """
    parts = []
    for rel, col, name in (
        (UNFCCC_FILE, "Ratification-Acceptance-Accession-Approval-Succession", "unfccc"),
        (DOHA_FILE, "Acceptance", "doha"),
        (PARIS_FILE, "Ratification", "paris"),
    ):
        df = pd.read_csv(_need(raw, rel), dtype=str, keep_default_na=False)
        df = df[df[col].str.strip() != ""]
        dates = pd.to_datetime(df[col], format="%Y-%m-%d", errors="coerce")
        if dates.isna().any():
            bad = df[dates.isna()].iloc[0]
            raise DataError(f"{rel}: date {bad[col]!r} of {bad['Code']} is not YYYY-MM-DD")
        parts.append(pd.DataFrame({"entity": df["Code"], "instrument": name, "date": dates}))
    return pd.concat(parts, ignore_index=True)


def read_carbon_pricing(raw: Path) -> pd.DataFrame:
    """World Bank Carbon Pricing Dashboard (April 2022), implemented initiatives:
    ``initiative, type`` (ETS / Carbon tax), ``entity`` (jurisdiction), ``start``, ``end``.

    ``end`` is the year of abolishment (NaN when 0 = still in force).
    Initiatives not implemented (under consideration, scheduled) are left out.
    """
    df = pd.read_excel(_need(raw, CARBON_PRICING_FILE), sheet_name="Data_Overall", skiprows=2)
    df = df.rename(
        columns={
            "Name of the initiative": "initiative",
            "Type": "type",
            "Status": "status",
            "Jurisdiction covered": "entity",
            "Year of implementation": "start",
            "Year of abolishment": "end",
        }
    )
    df = df[df["status"] == "Implemented"].copy()
    unknown = set(df["type"]) - {"ETS", "Carbon tax"}
    if unknown:
        raise DataError(f"carbon pricing dashboard: unknown initiative type(s) {sorted(unknown)}")
    df["start"] = pd.to_numeric(df["start"], errors="raise").astype(int)
    end = pd.to_numeric(df["end"], errors="raise")
    df["end"] = end.where(end > 0)
    return df[["initiative", "type", "entity", "start", "end"]].reset_index(drop=True)


def read_cri(raw: Path, edition: int) -> pd.DataFrame:
    """Germanwatch Global Climate Risk Index score: ``entity``, ``code``, ``score``.

    Edition 2017 (events of 2015; Resource Watch export, ISO3 in
    ``rw_country_code``, blank for Taiwan, Kosovo and Puerto Rico) or 2020
    (events of 2018; PDF extraction: CR line breaks in the header and the
    hyphenated names are joined, ``Re-\\rpublic`` -> ``Republic``).
    """
    if edition == 2017:
        df = pd.read_csv(_need(raw, CRI2017_FILE), dtype=str, keep_default_na=False)
        df = df.rename(
            columns={"country": "entity", "rw_country_code": "code", "cri_score": "score"}
        )
    elif edition == 2020:
        df = pd.read_csv(_need(raw, CRI2020_FILE), encoding="utf-8-sig", dtype=str)
        df.columns = [c.replace("\r", "") for c in df.columns]
        df = df.rename(columns={"Country": "entity", "CRIscore": "score"})
        df["entity"] = df["entity"].str.replace("-\r", "", regex=False).str.replace("\r", " ")
        df["code"] = ""
    else:
        raise DataError(f"CRI edition {edition} is not in the raw files (2017 and 2020 are)")
    return _numeric(df[["entity", "code", "score"]].copy(), "score", f"CRI {edition}")


def read_cscc(raw: Path) -> pd.DataFrame:
    """Ricke et al. (2018) country-level SCC, every case in the raw folder.

    Returns ``entity`` (ISO3 or WLD), ``case`` (see
    :func:`carbonshare.data.blue.cscc_case_name`), ``cscc_low``, ``cscc_median``,
    ``cscc_high`` (16.7 %, 50 %, 83.3 % columns; US$ per t CO2). Only the rows
    with bootstrapped damage parameters (``dmgfuncpar == "bootstrap"``, the
    paper's reference) are kept; the ``estimates`` rows (point estimates of
    the damage function) stay in the raw files.
    """
    from carbonshare.data.blue import cscc_case_name

    folder = Path(raw) / CSCC_DIR
    files = sorted(folder.glob("rcp_*_dmg_*_ssp_*.csv"))
    if not files:
        raise DataError(f"no Ricke et al. CSCC files in {folder}; pass --raw ../shared/data/raw")
    parts = []
    for path in files:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        df = df[df["dmgfuncpar"] == "bootstrap"]
        case = [
            cscc_case_name(*row)
            for row in zip(
                df["SSP"],
                df["RCP"],
                df["run"],
                df["dmgfuncpar"],
                df["climate"],
                df["prtp"],
                df["eta"],
                df["dr"],
                strict=True,
            )
        ]
        values = {
            name: pd.to_numeric(df[col].replace("NA", np.nan), errors="raise").to_numpy(float)
            for name, col in (("cscc_low", "16.7%"), ("cscc_median", "50%"), ("cscc_high", "83.3%"))
        }
        parts.append(pd.DataFrame({"entity": df["ISO3"].to_numpy(), "case": case, **values}))
    df = pd.concat(parts, ignore_index=True)
    values = df[["cscc_low", "cscc_median", "cscc_high"]].to_numpy()
    if not np.isfinite(values).all():
        row = df[~np.isfinite(values).all(axis=1)].iloc[0]
        raise DataError(f"Ricke et al. CSCC: missing value for {row['entity']} in {row['case']}")
    dup = df.duplicated(["entity", "case"])
    if dup.any():
        row = df[dup].iloc[0]
        raise DataError(f"Ricke et al. CSCC: {row['entity']} appears twice in case {row['case']}")
    return df
