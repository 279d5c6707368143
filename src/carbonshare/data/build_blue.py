"""Build the bundled blue-carbon data from the raw files.

Usage::

    python -m carbonshare.data.build_blue --raw ../shared/data/raw [--out DIR]

(also run by ``carbonshare data build``). Writes into
``carbonshare/data/bundled`` (or ``--out``):

- ``blue_panel.csv.gz``  ISO3 x year 1996-2024, the columns of
  :data:`carbonshare.data.blue.BLUE_COLUMNS`;
- ``blue_flags.csv.gz``  the repair flag of every value ("" = as published);
- ``blue_cscc.csv.gz``   Ricke et al. (2018) CSCC, every bundled case;
- ``blue_coastal.csv``   every country of the table: in the coastal set or why not;
- ``blue_burial_rates.csv`` the cited burial rates of docs/methods.md B5 (:data:`BURIAL_RATES`);
- ``blue_sources.csv``   provenance, one row per series;
- ``blue_build_report.json`` entities left out, repairs counted, splice checks.

Each series and its rule is a function below; the rules and their effects
are documented in docs/data.md ("Blue-carbon panel"). Country labels go
through the explicit tables of :mod:`carbonshare.data.blue_names`; an
unmapped name stops the build with a :class:`~carbonshare.errors.DataError`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from carbonshare.data import raw as rw
from carbonshare.data import raw_blue as rb
from carbonshare.data.blue import (
    BLUE_COASTAL_FILE,
    BLUE_COLUMNS,
    BLUE_CSCC_FILE,
    BLUE_FLAGS_FILE,
    BLUE_PANEL_FILE,
    BLUE_REPORT_FILE,
    BLUE_SOURCES_FILE,
    BUNDLED,
    BURIAL_RATES_FILE,
    FIRST_YEAR,
    LAST_YEAR,
)
from carbonshare.data.blue_names import BlueLog, map_codes, map_names, ohi_regions
from carbonshare.data.build import _gzip_bytes, write_files
from carbonshare.data.bundled import load_countries
from carbonshare.data.provenance_blue import blue_sources_frame
from carbonshare.errors import DataError

logger = logging.getLogger(__name__)

YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
#: EU ETS membership (first and last year in the system), mappings/blue_eu_ets.csv
EU_ETS_FILE = "blue_eu_ets.csv"
EU_ETS_INITIATIVE = "EU ETS"
#: last year of the Carbon Pricing Dashboard export (data last updated 2022-04-01)
CARBON_PRICING_LAST_YEAR = 2022
#: memberships the treaty status files overwrite (current status only)
TREATY_CORRECTIONS_FILE = "blue_treaty_corrections.csv"
#: smallest habitat area taken as a real ecosystem (OHI raster artefacts are smaller)
MIN_ECOSYSTEM_KM2 = 0.01
#: long-term carbon burial rates, g C m-2 yr-1, mean and s.e. (docs/methods.md B5)
MCLEOD_2011 = (
    "Mcleod E. et al. (2011) A blueprint for blue carbon, Front. Ecol. Environ. 9(10):552-560, "
    "doi:10.1890/110004"
)
BURIAL_RATES = (
    ("mangrove", 226.0, 39.0, f"{MCLEOD_2011} (mangroves, mean +- s.e.)"),
    ("saltmarsh", 218.0, 24.0, f"{MCLEOD_2011} (tidal salt marshes, mean +- s.e.)"),
    ("seagrass", 138.0, 38.0, f"{MCLEOD_2011} (seagrasses, mean +- s.e.)"),
)
#: significant digits of the bundled CSCC values (relative rounding error < 5e-6)
CSCC_DIGITS = 6


class Column:
    """Values and flags of one panel column as (iso3, year) Series."""

    def __init__(self, values: pd.Series, flags: pd.Series | None = None):
        self.values = values.astype(float)
        self.flags = flags if flags is not None else pd.Series("", index=values.index, dtype=str)


def _long_to_series(df: pd.DataFrame, column: str) -> pd.Series:
    """(iso3, year) Series of ``column``; two different values for one key is an error."""
    df = df[df["year"].between(FIRST_YEAR, LAST_YEAR)]
    dedup = df.drop_duplicates(["iso3", "year", column])
    dup = dedup.duplicated(["iso3", "year"], keep=False)
    if dup.any():
        rows = dedup[dup].sort_values(["iso3", "year"]).head(2)
        raise DataError(
            f"{column}: two different values for {rows['iso3'].iloc[0]} {rows['year'].iloc[0]} "
            f"(from {rows['entity'].tolist()}); fix the name mapping"
        )
    return dedup.set_index(["iso3", "year"])[column]


# --------------------------------------------------------------------------- areas


def mangrove_series(raw: Path, countries: pd.DataFrame, log: BlueLog) -> Column:
    """GMW v3 mangrove area, annual 1996-2020 by linear interpolation between epochs.

    Epoch values (1996, 2007-2010, 2015-2020) are as published (French
    overseas departments added to FRA); the years between are
    ``interpolated``; a country absent from GMW has 0 km² (``absent``,
    1996-2020); 2021-2024 stay NaN.
    """
    df = map_names(rb.read_gmw(raw), "gmw3", countries, log)
    area = df.groupby(["iso3", "year"])["km2"].sum().unstack("year")
    epochs = list(area.columns)
    span = range(min(epochs), max(epochs) + 1)
    if area.isna().any().any():
        iso = area.index[area.isna().any(axis=1)][0]
        raise DataError(f"GMW v3: {iso} lacks an epoch; interpolation needs all 11 epochs")
    values = pd.DataFrame(
        {iso: np.interp(list(span), epochs, row.to_numpy()) for iso, row in area.iterrows()},
        index=list(span),
    ).T
    flags = pd.DataFrame("interpolated", index=values.index, columns=values.columns)
    flags[epochs] = ""
    absent = countries.index.difference(values.index)
    values = pd.concat([values, pd.DataFrame(0.0, index=absent, columns=values.columns)])
    flags = pd.concat([flags, pd.DataFrame("absent", index=absent, columns=flags.columns)])
    log.notes["mangrove_epochs"] = epochs
    log.notes["mangrove_countries"] = int(len(area))
    return Column(_stack(values), _stack(flags))


def habitat_series(raw: Path, habitat: str, countries: pd.DataFrame, log: BlueLog) -> Column:
    """OHI salt-marsh or seagrass extent: one snapshot repeated in every year (``static``).

    Regions are summed into their economy (``main`` and ``part`` regions of
    ``blue_ohi_regions.csv``); the snapshot year itself is unflagged; a
    country with no region in the layer has 0 km² (``absent``).
    """
    df = _by_region(rb.read_ohi_habitat(raw, habitat), f"ohi_{habitat}", countries, log)
    years = sorted(set(df["year"]))
    if len(years) != 1:
        raise DataError(f"OHI {habitat}: expected one snapshot year, found {years}")
    snap = years[0]
    area = df.groupby("iso3")["km2"].sum().reindex(countries.index, fill_value=np.nan)
    values = pd.DataFrame({y: area for y in YEARS})
    flags = pd.DataFrame({y: "static" if y != snap else "" for y in YEARS}, index=area.index)
    absent = area.index[area.isna()]
    values.loc[absent] = 0.0
    flags.loc[absent] = "absent"
    log.notes[f"{habitat}_snapshot_year"] = int(snap)
    log.notes[f"{habitat}_countries"] = int(area.notna().sum())
    log.notes[f"{habitat}_below_{MIN_ECOSYSTEM_KM2}_km2"] = sorted(
        area.index[(area > 0) & (area < MIN_ECOSYSTEM_KM2)]
    )
    return Column(_stack(values), _stack(flags))


def _by_region(
    df: pd.DataFrame,
    source: str,
    countries: pd.DataFrame,
    log: BlueLog,
    roles: tuple[str, ...] = ("main", "part"),
) -> pd.DataFrame:
    """Rows of OHI regions (ids in ``entity``) whose role is in ``roles``, with ``iso3``;
    the others are logged with their reason."""
    regions = ohi_regions(countries, df["entity"], log)
    role = df["entity"].map(regions["role"])
    reasons = {
        "": "OHI region outside the country table",
        "part": "outlying part of an economy: score not used",
    }
    for key, reason in reasons.items():
        if key not in roles:
            ids = sorted(set(df.loc[role == key, "entity"]))
            log.drop(source, reason, [f"{i} {regions.loc[i, 'rgn_name']}" for i in ids])
    return df.assign(iso3=df["entity"].map(regions["iso3"]))[role.isin(roles)]


def _stack(wide: pd.DataFrame) -> pd.Series:
    wide = wide.copy()
    wide.index.name, wide.columns.name = "iso3", "year"
    return wide.stack(future_stack=True)


# --------------------------------------------------------------------------- scores


def ocean_health_series(raw: Path, countries: pd.DataFrame, log: BlueLog) -> Column:
    """Ocean Health Index overall score of each economy's own OHI region, 2012-2024.

    Outlying parts (``part`` regions) are not averaged in; years before 2012
    stay NaN (no OHI score exists for them).
    """
    df = _by_region(rb.read_ohi_scores(raw), "ohi_scores", countries, log, roles=("main",))
    return Column(_long_to_series(df, "ohi"))


def cpi_series(
    raw: Path, countries: pd.DataFrame, aggregates: frozenset[str], log: BlueLog
) -> Column:
    """Corruption Perceptions Index on 0-100: datahub 1995-2011 x 10 (``rescaled``),
    TI's own 2012-2024 time series as published.

    The scale factor is checked on the 2012-2017 overlap, where the datahub
    file repeats TI's scores divided by 10: the agreement is recorded in the
    build report (``cpi_overlap``) and tested.
    """
    hub = map_names(rb.read_cpi_datahub(raw), "cpi_datahub", countries, log)
    ti = map_codes(rb.read_cpi_ti(raw), "ti_cpi", countries, aggregates, log)
    hub = hub.assign(cpi=hub["cpi_0_10"] * 10.0)
    early = _long_to_series(hub[hub["year"] <= 2011], "cpi")
    late = _long_to_series(ti.rename(columns={"cpi_0_100": "cpi"}), "cpi")
    overlap = pd.concat(
        [_long_to_series(hub[hub["year"] >= 2012], "cpi").rename("hub_x10"), late.rename("ti")],
        axis=1,
        join="inner",
    )
    diff = (overlap["hub_x10"] - overlap["ti"]).abs()
    log.notes["cpi_overlap"] = {
        "years": "2012-2017",
        "pairs": int(len(diff)),
        "equal_within_0.5": int((diff <= 0.5).sum()),
        "max_abs_diff": float(diff.max()),
        "differing_by_more_than_0.5": [
            f"{iso3} {year}: {row.hub_x10:g} vs {row.ti:g}"
            for (iso3, year), row in overlap[diff > 0.5].iterrows()
        ],
    }
    values = pd.concat([early, late])
    flags = pd.Series(
        np.where(values.index.get_level_values("year") <= 2011, "rescaled", ""), index=values.index
    )
    return Column(values, flags)


def science_series(raw: Path, countries: pd.DataFrame, log: BlueLog) -> Column:
    """SCImago Environmental Science (ASJC 2300) documents, 1996-2016; later years NaN."""
    df = map_names(rb.read_scimago(raw), "scimago", countries, log)
    return Column(_long_to_series(df, "documents"))


def mpa_series(
    raw: Path, countries: pd.DataFrame, aggregates: frozenset[str], log: BlueLog
) -> Column:
    """Marine protected share of the EEZ (%), OHI/WDPA spliced with WDI ER.MRN.PTMR.ZS.

    Rule: OHI v2017 (WDPA 2017) protected area / EEZ area x 100 for
    2000-2017, summed over the economy's ``main`` and ``part`` regions;
    1996-1999 from OHI v2016 (WDPA 2016, cumulative by designation year,
    ``spliced``); from 2018, and in any earlier year OHI lacks, WDI
    ER.MRN.PTMR.ZS as published (``spliced``), level-spliced with no
    adjustment. Agreement of OHI and WDI on their 2013-2017 overlap is
    recorded in the build report (``mpa_overlap``) and tested.
    """
    df = _by_region(rb.read_mpa_ohi(raw), "ohi_mpa", countries, log)
    sums = df.groupby(["vintage", "iso3", "year"])[["a_prot_km2", "a_tot_km2"]].sum()
    pct = (100.0 * sums["a_prot_km2"] / sums["a_tot_km2"]).rename("pct")
    v17 = pct.loc[2017]
    v16 = pct.loc[2016]
    v16 = v16[v16.index.get_level_values("year") < 2000]
    wdi = map_codes(rb.read_mpa_wdi(raw), "wdi_mpa", countries, aggregates, log)
    wdi = _long_to_series(wdi, "pct")
    ohi = pd.concat([v16, v17])
    values = pd.concat([ohi, wdi[~wdi.index.isin(ohi.index)]])
    values = values[values.index.get_level_values("year") >= FIRST_YEAR]
    flags = pd.Series("spliced", index=values.index)
    flags[values.index.isin(v17.index)] = ""
    both = pd.concat([v17.rename("ohi"), wdi.rename("wdi")], axis=1, join="inner").dropna()
    diff = (both["ohi"] - both["wdi"]).abs()
    log.notes["mpa_overlap"] = {
        "years": f"{both.index.get_level_values('year').min()}-"
        f"{both.index.get_level_values('year').max()}",
        "pairs": int(len(diff)),
        "median_abs_diff_pts": round(float(diff.median()), 3),
        "share_within_1pt": round(float((diff <= 1).mean()), 3),
        "correlation": round(float(np.corrcoef(both["ohi"], both["wdi"])[0, 1]), 3),
        "countries_differing_by_10pts_in_2017": sorted(
            both.index.get_level_values("iso3")[
                (diff > 10) & (both.index.get_level_values("year") == 2017)
            ]
        ),
    }
    return Column(values, flags)


# --------------------------------------------------------------------------- policy


def agreements_series(
    raw: Path, countries: pd.DataFrame, aggregates: frozenset[str], log: BlueLog
) -> Column:
    """Climate agreements joined by the end of each year: UNFCCC + Doha Amendment + Paris (0-3).

    An instrument counts from the year of the country's own act
    (ratification, acceptance, accession, approval or succession) on. The
    status files give each country's *current* act only; earlier
    memberships they overwrite (the United States in Paris 2016-2020) are
    added from ``mappings/blue_treaty_corrections.csv`` (flag
    ``corrected``): a membership counts in year y when joined on or before
    31 Dec y and not left by then. A country in none of the three files
    (e.g. Taiwan, Kosovo, territories) stays NaN. Kyoto Protocol
    ratification dates are not in the raw files: Kyoto counts only through
    the Doha Amendment (its second period).
    """
    df = map_codes(rb.read_treaties(raw), "treaty_status", countries, aggregates, log)
    first = df.groupby(["iso3", "instrument"])["date"].min().rename("joined").reset_index()
    fixes = rw.read_mapping(TREATY_CORRECTIONS_FILE)
    unknown = sorted(set(fixes["iso3"]) - set(first["iso3"]))
    if unknown:
        raise DataError(f"{TREATY_CORRECTIONS_FILE}: {unknown} are in no treaty status file")
    fixes = fixes.assign(
        joined=pd.to_datetime(fixes["joined"], format="%Y-%m-%d"),
        left=pd.to_datetime(fixes["left"].replace("", None), format="%Y-%m-%d"),
    )

    def score(spans: pd.DataFrame) -> pd.DataFrame:
        members = {}
        for row in spans.itertuples():
            on = [
                y for y in YEARS
                if row.joined.year <= y and (pd.isna(row.left) or row.left.year > y)
            ]  # fmt: skip
            key = (row.iso3, row.instrument)
            members[key] = members.get(key, set()) | set(on)
        wide = pd.DataFrame(0.0, index=sorted(set(first["iso3"])), columns=list(YEARS))
        for (iso3, _), years in members.items():
            wide.loc[iso3, sorted(years)] += 1.0
        return wide

    spans = first.assign(left=pd.NaT)
    raw_score = score(spans)
    wide = score(pd.concat([spans, fixes[["iso3", "instrument", "joined", "left"]]]))
    flags = pd.DataFrame(np.where(wide != raw_score, "corrected", ""), index=wide.index,
                         columns=wide.columns)  # fmt: skip
    log.notes["agreements_parties"] = first.groupby("instrument").size().to_dict()
    return Column(_stack(wide), _stack(flags))


def carbon_market_series(raw: Path, countries: pd.DataFrame, log: BlueLog) -> Column:
    """Carbon pricing in force per country-year: ETS (0/1) + carbon tax (0/1), 0-2.

    Implemented initiatives of the World Bank Carbon Pricing Dashboard (April
    2022) from their year of implementation to the year before abolishment;
    a subnational initiative counts for its country; the EU ETS counts for
    every member in its membership years (``mappings/blue_eu_ets.csv``:
    EU members from 2005 or accession, Norway, Iceland and Liechtenstein
    from 2008, the United Kingdom 2005-2020). Every country without an
    initiative scores 0. The dashboard ends in 2022: 2023-2024 stay NaN.
    """
    df = rb.read_carbon_pricing(raw)
    eu = df[df["initiative"] == EU_ETS_INITIATIVE]
    if len(eu) != 1:
        raise DataError(f"carbon pricing dashboard: expected one '{EU_ETS_INITIATIVE}' row")
    members = rw.read_mapping(EU_ETS_FILE)
    members[["first_year", "last_year"]] = members[["first_year", "last_year"]].replace("", "9999")
    members = members.astype({"first_year": int, "last_year": int})
    if members["first_year"].min() != int(eu["start"].iloc[0]):
        raise DataError(f"{EU_ETS_FILE}: first year differs from the dashboard's EU ETS start")
    rest = map_names(df[df["initiative"] != EU_ETS_INITIATIVE], "carbon_pricing", countries, log)
    spans = pd.concat(
        [
            pd.DataFrame(
                {
                    "iso3": rest["iso3"],
                    "type": rest["type"],
                    "start": rest["start"],
                    "end": rest["end"].fillna(9999) - 1,
                }
            ),
            pd.DataFrame(
                {
                    "iso3": members["iso3"],
                    "type": "ETS",
                    "start": members["first_year"],
                    "end": members["last_year"],
                }
            ),
        ]
    )
    last = CARBON_PRICING_LAST_YEAR
    years = list(range(FIRST_YEAR, last + 1))
    wide = pd.DataFrame(0.0, index=countries.index, columns=list(YEARS))
    wide.loc[:, last + 1 :] = np.nan
    for kind in ("ETS", "Carbon tax"):
        part = spans[spans["type"] == kind]
        on = pd.DataFrame(0.0, index=countries.index, columns=years)
        for row in part.itertuples():
            on.loc[row.iso3, [y for y in years if row.start <= y <= row.end]] = 1.0
        wide.loc[:, years] += on
    log.notes["carbon_market_last_year"] = last
    return Column(_stack(wide))


def climate_risk_series(
    raw: Path, countries: pd.DataFrame, aggregates: frozenset[str], log: BlueLog
) -> Column:
    """Germanwatch Global CRI score at the year of the events it ranks.

    Edition 2017 (events of 2015) at 2015, edition 2020 (events of 2018) at
    2018; every other year NaN. Larger score = less affected (rank 1 = most
    affected); 124.5 (2017) and 125 (2020) = no recorded losses.
    """
    e17 = rb.read_cri(raw, 2017)
    coded = e17[e17["code"] != ""].assign(entity=lambda d: d["code"])
    coded = map_codes(coded, "cri2017", countries, aggregates, log)
    named = map_names(e17[e17["code"] == ""], "cri2017", countries, log)
    e20 = map_names(rb.read_cri(raw, 2020), "cri2020", countries, log)
    df = pd.concat([coded.assign(year=2015), named.assign(year=2015), e20.assign(year=2018)])
    return Column(_long_to_series(df, "score"))


# --------------------------------------------------------------------------- tables


def cscc_table(
    raw: Path, countries: pd.DataFrame, aggregates: frozenset[str], log: BlueLog
) -> pd.DataFrame:
    """Ricke et al. (2018) CSCC of every case: ``iso3, case, cscc_low, cscc_median, cscc_high``."""
    df = map_codes(rb.read_cscc(raw), "cscc_ricke2018", countries, aggregates, log, keep=("WLD",))
    cols = ["iso3", "case", "cscc_low", "cscc_median", "cscc_high"]
    return df[cols].sort_values(["case", "iso3"]).reset_index(drop=True)


def coastal_table(panel: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Every country of the table: ``iso3, included, reason`` (see :func:`~carbonshare.data.blue.coastal_countries`)."""
    area = panel[["mangrove_km2", "saltmarsh_km2", "seagrass_km2"]].groupby("iso3").max()
    has = (area >= MIN_ECOSYSTEM_KM2).any(axis=1).reindex(countries.index, fill_value=False)
    tiny = (
        ((area > 0) & (area < MIN_ECOSYSTEM_KM2))
        .any(axis=1)
        .reindex(countries.index, fill_value=False)
    )
    rows = []
    for iso3, coastal in countries["coastal"].items():
        if not coastal:
            rows.append((iso3, False, "landlocked"))
        elif has[iso3]:
            rows.append((iso3, True, ""))
        elif tiny[iso3]:
            rows.append(
                (
                    iso3,
                    False,
                    f"only habitat areas below {MIN_ECOSYSTEM_KM2} km² "
                    "(raster artefacts of the OHI layers)",
                )
            )
        else:
            rows.append(
                (
                    iso3,
                    False,
                    "coastal, but no mangrove (GMW v3), salt marsh or seagrass "
                    "(OHI) area in the data",
                )
            )
    return pd.DataFrame(rows, columns=["iso3", "included", "reason"])


def build_blue(raw: Path, countries: pd.DataFrame | None = None) -> dict[str, object]:
    """Every bundled blue object, built in memory from ``raw``.

    ``countries``: the country table (default: the bundled one; the main
    build passes the table it has just built).
    """
    raw = Path(raw)
    if not raw.is_dir():
        raise DataError(f"raw data folder {raw} not found; pass --raw ../shared/data/raw")
    countries = load_countries() if countries is None else countries
    aggregates = rw.universe_from_metadata(rw.read_wb_metadata(raw)).aggregates
    log = BlueLog()
    series = {
        "mangrove_km2": mangrove_series(raw, countries, log),
        "saltmarsh_km2": habitat_series(raw, "saltmarsh", countries, log),
        "seagrass_km2": habitat_series(raw, "seagrass", countries, log),
        "ocean_health_index": ocean_health_series(raw, countries, log),
        "cpi_0_100": cpi_series(raw, countries, aggregates, log),
        "env_science_documents": science_series(raw, countries, log),
        "mpa_eez_pct": mpa_series(raw, countries, aggregates, log),
        "climate_agreements_score": agreements_series(raw, countries, aggregates, log),
        "carbon_market_score": carbon_market_series(raw, countries, log),
        "climate_risk_index": climate_risk_series(raw, countries, aggregates, log),
    }
    if list(series) != list(BLUE_COLUMNS):
        raise DataError("build_blue: series do not match BLUE_COLUMNS")
    index = pd.MultiIndex.from_product(
        [sorted(countries.index), list(YEARS)], names=["iso3", "year"]
    )
    panel = pd.DataFrame(index=index)
    flags = pd.DataFrame(index=index)
    for name, s in series.items():
        outside = s.values.index.difference(index)
        if len(outside):
            raise DataError(f"{name}: values outside the panel index, e.g. {outside[0]}")
        panel[name] = s.values.reindex(index).astype(float)
        flags[name] = s.flags.reindex(index).fillna("").astype(str)
        flags.loc[panel[name].isna(), name] = ""
    report = {
        "years": [FIRST_YEAR, LAST_YEAR],
        "dropped": log.dropped,
        "notes": log.notes,
        "flags": {c: flags[c][flags[c] != ""].value_counts().to_dict() for c in flags.columns},
    }
    return {
        "panel": panel,
        "flags": flags,
        "cscc": cscc_table(raw, countries, aggregates, log),
        "burial_rates": pd.DataFrame(
            BURIAL_RATES, columns=["ecosystem", "rate_gc_m2_yr", "se_gc_m2_yr", "source"]
        ),
        "coastal": coastal_table(panel, countries),
        "sources": blue_sources_frame(),
        "report": report,
    }


def write_blue(built: dict[str, object], out: Path) -> list[Path]:
    """Write the objects of :func:`build_blue` into ``out``; returns the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)

    def csv(df: pd.DataFrame, index: bool = True, digits: int | None = None) -> bytes:
        fmt = f"%.{digits}g" if digits else None  # None: shortest exact repr
        return df.to_csv(index=index, lineterminator="\n", float_format=fmt).encode()

    files = {
        BLUE_PANEL_FILE: _gzip_bytes(csv(built["panel"])),  # type: ignore[arg-type]
        BLUE_FLAGS_FILE: _gzip_bytes(csv(built["flags"])),  # type: ignore[arg-type]
        BLUE_CSCC_FILE: _gzip_bytes(csv(built["cscc"], index=False, digits=CSCC_DIGITS)),  # type: ignore[arg-type]
        BLUE_COASTAL_FILE: csv(built["coastal"], index=False),  # type: ignore[arg-type]
        BURIAL_RATES_FILE: csv(built["burial_rates"], index=False),  # type: ignore[arg-type]
        BLUE_SOURCES_FILE: built["sources"].to_csv(index=False, lineterminator="\n").encode(),  # type: ignore[union-attr]
        BLUE_REPORT_FILE: (json.dumps(built["report"], indent=1, sort_keys=True) + "\n").encode(),
    }
    return write_files(files, out)


def main(argv: list[str] | None = None) -> int:
    """Command line of the blue build (``python -m carbonshare.data.build_blue``)."""
    parser = argparse.ArgumentParser(
        prog="python -m carbonshare.data.build_blue",
        description="Rebuild carbonshare's bundled blue-carbon data from the raw files.",
    )
    parser.add_argument("--raw", required=True, type=Path, help="raw data folder")
    parser.add_argument("--out", type=Path, default=BUNDLED, help=f"output folder ({BUNDLED})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        paths = write_blue(build_blue(args.raw), args.out)
    except DataError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    for p in paths:
        sys.stderr.write(f"wrote {p} ({p.stat().st_size:,} bytes)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
