"""Readers of the raw source files (used only by the build).

Every reader returns a long frame ``iso3, year, value`` restricted to the
country table, and records what it left out (aggregates, entities outside
the country table) in a :class:`BuildLog`. Unmapped names, unknown codes,
non-numeric, non-finite or negative values and percentages above 100 raise
:class:`~carbonshare.errors.DataError` naming the entity, year and file.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from carbonshare.errors import DataError

logger = logging.getLogger(__name__)

MAPPINGS = Path(__file__).with_name("mappings")
FIRST_YEAR = 1990


@dataclass
class BuildLog:
    """What the build left out, per raw file (written to build_report.json), and the
    repairs of single country-years (written to repairs.csv)."""

    dropped: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    repairs: list[pd.DataFrame] = field(default_factory=list)

    def repair(self, rows: pd.DataFrame) -> None:
        """Record repair rows (columns of :data:`carbonshare.data.repairs.REPAIR_COLUMNS`)."""
        if len(rows):
            self.repairs.append(rows)
            logger.info("%s: %d country-years repaired (%s)", rows["column"].iloc[0],
                        len(rows), rows["action"].iloc[0])  # fmt: skip

    def drop(self, source: str, reason: str, entities: list[str]) -> None:
        if not entities:
            return
        bucket = self.dropped.setdefault(source, {})
        bucket[reason] = sorted(set(bucket.get(reason, [])) | set(entities))
        logger.info("%s: dropped %d entities (%s)", source, len(entities), reason)


def read_mapping(name: str) -> pd.DataFrame:
    """A mapping table of ``carbonshare/data/mappings`` as strings ('' = blank)."""
    return pd.read_csv(MAPPINGS / name, dtype=str, keep_default_na=False)


def check_values(
    df: pd.DataFrame, indicator: str, source: str, *, percent: bool = False
) -> pd.DataFrame:
    """Coerce ``value`` to float and fail on bad values, naming entity and year."""
    raw = df["value"]
    num = pd.to_numeric(raw, errors="coerce")
    bad = num.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        row = df[bad].iloc[0]
        raise DataError(
            f"{source}: {indicator} for {row['entity']} in {row['year']} is "
            f"{row['value']!r}, not a number; fix the raw file or the reader"
        )
    num = num.astype(float)
    checks = [
        (~np.isfinite(num) & num.notna(), "not finite"),
        (num < 0, "negative; values must be >= 0"),
    ]
    if percent:
        checks.append((num > 100, "above 100; a percentage must be in [0, 100]"))
    for mask, what in checks:
        if mask.any():
            row = df[mask].iloc[0]
            raise DataError(
                f"{source}: {indicator} for {row['entity']} in {row['year']} is "
                f"{row['value']} ({what}); check the raw file and its unit"
            )
    out = df.assign(value=num)
    return out[out["value"].notna()]


@dataclass(frozen=True)
class Universe:
    """The economies of the country table and the WB aggregate codes."""

    iso3: frozenset[str]
    aggregates: frozenset[str]


def read_wb_metadata(raw: Path) -> pd.DataFrame:
    """WDI country metadata (FY2022): code, region, income group, table name."""
    path = raw / "wb-wdi-2021-urban" / "Metadata_Country_API_16_DS2_en_csv_v2_3064261.csv"
    meta = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    meta = meta.rename(
        columns={
            "Country Code": "code",
            "Region": "wb_region",
            "IncomeGroup": "income_group",
            "TableName": "wb_name",
        }
    )
    return meta[["code", "wb_region", "income_group", "wb_name"]]


def universe_from_metadata(meta: pd.DataFrame, extra: tuple[str, ...] = ("TWN",)) -> Universe:
    """Economies = metadata rows with a Region (+ ``extra``); aggregates = blank Region."""
    eco = set(meta.loc[meta["wb_region"] != "", "code"]) | set(extra)
    agg = set(meta.loc[meta["wb_region"] == "", "code"])
    return Universe(frozenset(eco), frozenset(agg))


def _keep_universe(
    df: pd.DataFrame, universe: Universe, log: BuildLog, source: str
) -> pd.DataFrame:
    outside = df.loc[~df["iso3"].isin(universe.iso3), "entity"].unique().tolist()
    log.drop(source, "not in the country table", [str(x) for x in outside])
    return df[df["iso3"].isin(universe.iso3)]


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    df = df[df["year"] >= FIRST_YEAR]
    dup = df.duplicated(["iso3", "year"])
    if dup.any():
        row = df[dup].iloc[0]
        raise DataError(f"duplicate value for {row['iso3']} in {row['year']} ({row['entity']})")
    return df[["iso3", "year", "value"]].reset_index(drop=True)


def read_wb_long(
    path: Path, indicator: str, universe: Universe, log: BuildLog, source: str
) -> pd.DataFrame:
    """datahub long WB file ``Country Name, Country Code, Year, Value``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df.rename(columns={"Country Name": "entity", "Country Code": "iso3", "Year": "year"})
    df = df.rename(columns={"Value": "value"})
    return _wb_codes(df, indicator, universe, log, source)


def _wb_codes(
    df: pd.DataFrame,
    indicator: str,
    universe: Universe,
    log: BuildLog,
    source: str,
    percent: bool = False,
) -> pd.DataFrame:
    known = universe.iso3 | universe.aggregates
    unknown = sorted(set(df["iso3"]) - known)
    if unknown:
        raise DataError(
            f"{source}: codes {unknown} are neither economies nor aggregates of the WDI "
            "country metadata; add them to the metadata handling in carbonshare.data.raw"
        )
    aggs = df.loc[df["iso3"].isin(universe.aggregates), "entity"].unique().tolist()
    log.drop(source, "World Bank aggregate (blank Region in WDI metadata)", aggs)
    df = df[df["iso3"].isin(universe.iso3)].copy()
    df["year"] = df["year"].astype(int)
    df = check_values(df, indicator, source, percent=percent)
    return _finish(df)


def read_wdi_bulk(
    path: Path,
    wb_code: str,
    indicator: str,
    universe: Universe,
    log: BuildLog,
    source: str,
    percent: bool = False,
) -> pd.DataFrame:
    """WB bulk CSV (4 header lines, one column per year), one series."""
    wide = pd.read_csv(path, skiprows=4, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    wide = wide[wide["Indicator Code"] == wb_code]
    if wide.empty:
        raise DataError(f"{source}: series {wb_code} not found in {path.name}")
    years = [c for c in wide.columns if c.strip().isdigit()]
    long = wide.melt(
        id_vars=["Country Name", "Country Code"], value_vars=years, var_name="year"
    ).rename(columns={"Country Name": "entity", "Country Code": "iso3"})
    long = long[long["value"].str.strip() != ""]
    return _wb_codes(long, indicator, universe, log, source, percent)


def read_wdi_ddf(
    path: Path,
    column: str,
    indicator: str,
    universe: Universe,
    log: BuildLog,
    source: str,
    percent: bool = False,
) -> pd.DataFrame:
    """open-numbers DDF of the current WDI ``economy,year,<column>``.

    ``economy`` is the lower-case World Bank code (``gbr``, ``xkx``, ``chi``,
    aggregates ``wld``, ``afe``, ...); codes are checked against the WDI
    country metadata like those of the World Bank's own files.
    """
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df.rename(columns={"economy": "entity", column: "value"})
    df["iso3"] = df["entity"].str.upper()
    return _wb_codes(df, indicator, universe, log, source, percent)


def read_gcp(path: Path, universe: Universe, log: BuildLog) -> pd.DataFrame:
    """Global Carbon Atlas wide file (MtCO2, ``;``), to tonnes."""
    source = "global-carbon-atlas"
    wide = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    table = read_mapping("gcp_names.csv")
    mapping = dict(zip(table["gcp_name"], table["iso3"], strict=True))
    names = [c for c in wide.columns if c != "Year"]
    unmapped = [n for n in names if n not in mapping]
    if unmapped:
        raise DataError(
            f"{source}: country names {unmapped} have no ISO3 in "
            "carbonshare/data/mappings/gcp_names.csv; add them there"
        )
    long = wide.melt(id_vars=["Year"], value_vars=names, var_name="entity")
    long = long.rename(columns={"Year": "year"})
    long = long[long["value"].str.strip() != ""].copy()
    long["year"] = long["year"].astype(int)
    long["iso3"] = long["entity"].map(mapping)
    long = check_values(long, "co2_t", source)
    long["value"] = (long["value"] * 1e6).round(3)
    long = _keep_universe(long, universe, log, source)
    return _finish(long)


def read_ddf(
    path: Path,
    column: str,
    indicator: str,
    universe: Universe,
    log: BuildLog,
    source: str,
    percent: bool = False,
) -> pd.DataFrame:
    """Gapminder / open-numbers DDF datapoints ``geo,time,<column>``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    table = read_mapping("geo_ids.csv")
    unmapped = sorted(set(df["geo"]) - set(table["geo"]))
    if unmapped:
        raise DataError(
            f"{source}: geo ids {unmapped} are not in carbonshare/data/mappings/geo_ids.csv; "
            "add them there (iso3, or kind=aggregate)"
        )
    kinds = dict(zip(table["geo"], table["kind"], strict=True))
    iso = dict(zip(table["geo"], table["iso3"], strict=True))
    df = df.rename(columns={"geo": "entity", "time": "year", column: "value"})
    df["year"] = df["year"].astype(int)
    for kind in ("aggregate", "historical"):
        gone = df.loc[df["entity"].map(kinds) == kind, "entity"].unique().tolist()
        log.drop(source, f"{kind} entity", gone)
    df = df[df["entity"].map(kinds) == "country"].copy()
    df["iso3"] = df["entity"].map(iso)
    df = check_values(df, indicator, source, percent=percent)
    df = _keep_universe(df, universe, log, source)
    return _finish(df)


def read_owid(
    path: Path,
    indicator: str,
    universe: Universe,
    log: BuildLog,
    source: str,
    percent: bool = False,
) -> pd.DataFrame:
    """OWID grapher export ``Entity,Code,Year,<value>``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.columns = ["entity", "code", "year", "value"]
    table = read_mapping("owid_entities.csv")
    listed = set(zip(table["entity"], table["code"], strict=True))
    iso_like = df["code"].str.fullmatch(r"[A-Z]{3}")
    others = df.loc[~iso_like, ["entity", "code"]].drop_duplicates()
    unmapped = [(e, c) for e, c in others.itertuples(index=False) if (e, c) not in listed]
    if unmapped:
        raise DataError(
            f"{source}: entities {unmapped} have no ISO3 code and are not listed in "
            "carbonshare/data/mappings/owid_entities.csv; add them there"
        )
    mapped = dict(zip(zip(table["entity"], table["code"], strict=True), table["iso3"], strict=True))
    kinds = dict(zip(zip(table["entity"], table["code"], strict=True), table["kind"], strict=True))
    agg = [e for e, c in others.itertuples(index=False) if kinds[(e, c)] == "aggregate"]
    log.drop(source, "OWID region or aggregate", agg)
    df["iso3"] = df["code"]
    for (e, c), iso3 in mapped.items():
        if iso3:
            df.loc[(df["entity"] == e) & (df["code"] == c), "iso3"] = iso3
    df = df[df["iso3"].str.fullmatch(r"[A-Z]{3}")].copy()
    df["year"] = df["year"].astype(int)
    df = check_values(df, indicator, source, percent=percent)
    df = _keep_universe(df, universe, log, source)
    return _finish(df)


def read_capitals(path: Path) -> pd.DataFrame:
    """Raw capitals list, repairing the unquoted ``Washington, D.C.`` rows.

    Returns columns ``country, capital, lat, lon, code, continent`` (strings;
    Namibia's code ``NA`` kept as text).
    """
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    fixed = []
    for row in body:
        if len(row) == len(header) + 1 and row[2].strip() == "D.C.":
            row = [row[0], f"{row[1]},{row[2]}", *row[3:]]
        if len(row) != len(header):
            raise DataError(f"capitals: row {row} has {len(row)} fields, expected {len(header)}")
        fixed.append(row)
    out = pd.DataFrame(fixed, columns=["country", "capital", "lat", "lon", "code", "continent"])
    return out
