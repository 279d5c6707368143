"""Source labels of the blue-carbon raw files to ISO3, through explicit tables.

- ``mappings/blue_names.csv`` (``source, name, iso3, reason``): every country
  *name* of a name-keyed source. ``iso3`` blank = left out, for the reason
  given (territory outside the country table, aggregate, former state).
  A name missing from the table stops the build.
- ``mappings/blue_ohi_regions.csv`` (``rgn_id, rgn_name, iso3, role,
  reason``): every OHI region. ``role`` ``main`` = the economy itself (its
  scores and areas are used), ``part`` = an outlying part whose areas are
  added to ``iso3`` (its score is not used), blank = left out.
- ISO3 codes of code-keyed sources (TI, treaties, WDI, Ricke et al.) are
  checked against the country table: a World Bank aggregate or a valid ISO
  3166 code outside the table is left out and recorded; anything else stops
  the build.

Everything left out is recorded in a :class:`BlueLog` (written to
``bundled/blue_build_report.json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from carbonshare.data.raw import read_mapping
from carbonshare.errors import DataError

NAMES_FILE = "blue_names.csv"
OHI_REGIONS_FILE = "blue_ohi_regions.csv"


@dataclass
class BlueLog:
    """Entities left out (per source and reason) and repair counts of the blue build."""

    dropped: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    notes: dict[str, object] = field(default_factory=dict)

    def drop(self, source: str, reason: str, entities) -> None:
        entities = sorted({str(e) for e in entities})
        if entities:
            bucket = self.dropped.setdefault(source, {})
            bucket[reason] = sorted(set(bucket.get(reason, [])) | set(entities))


def map_names(df: pd.DataFrame, source: str, countries: pd.DataFrame, log: BlueLog) -> pd.DataFrame:
    """Add ``iso3`` to ``df`` (its ``entity`` holds names of ``source``) by ``blue_names.csv``.

    Rows mapped to a blank ``iso3`` are left out and logged with their reason.

    Raises
    ------
    DataError  for a name missing from the table (the fix: add a row), or a
        mapped ISO3 that is not in the country table.
    """
    table = read_mapping(NAMES_FILE)
    table = table[table["source"] == source].set_index("name")
    if table.index.duplicated().any():
        raise DataError(
            f"{NAMES_FILE}: {source} lists {table.index[table.index.duplicated()][0]!r} twice"
        )
    unmapped = sorted(set(df["entity"]) - set(table.index))
    if unmapped:
        raise DataError(
            f"{source}: country name {unmapped[0]!r} is not in "
            f"carbonshare/data/mappings/{NAMES_FILE} ({len(unmapped)} unmapped in all); "
            f"add a row 'source={source}, name, iso3, reason'"
        )
    bad = sorted(set(table["iso3"]) - set(countries.index) - {""})
    if bad:
        raise DataError(f"{NAMES_FILE}: {source} maps to {bad}, not in the country table")
    out = df.assign(iso3=df["entity"].map(table["iso3"]))
    for reason, group in table[table["iso3"] == ""].groupby("reason"):
        log.drop(source, reason, set(group.index) & set(df["entity"]))
    return out[out["iso3"] != ""]


def map_codes(
    df: pd.DataFrame,
    source: str,
    countries: pd.DataFrame,
    aggregates: frozenset[str],
    log: BlueLog,
    keep: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Add ``iso3`` (the upper-cased ``entity`` code) and keep country-table codes.

    World Bank aggregates and ISO 3166 codes outside the country table are
    left out and logged; codes in ``keep`` (e.g. ``"WLD"``) are kept. A code
    listed for ``source`` in ``blue_names.csv`` is mapped by that row first
    (e.g. TI's ``KSV`` for Kosovo, ``XKX``).

    Raises
    ------
    DataError  for a code that is neither (naming it).

    Examples
    --------
    >>> from carbonshare.data import load_countries
    >>> log = BlueLog()
    >>> df = pd.DataFrame({"entity": ["usa", "wld", "ksv"]})
    >>> map_codes(df, "ti_cpi", load_countries(), frozenset({"WLD"}), log)["iso3"].tolist()
    ['USA', 'XKX']
    >>> log.dropped
    {'ti_cpi': {'World Bank aggregate': ['WLD']}}
    """
    import pycountry

    table = read_mapping(NAMES_FILE)
    table = table[table["source"] == source].set_index("name")["iso3"]
    code = df["entity"].astype(str).str.strip().str.upper()
    code = code.map(lambda c: table.get(c, c))
    out = df.assign(iso3=code)
    inside = code.isin(countries.index) | code.isin(keep)
    outside = sorted(set(code[~inside]))
    agg = [c for c in outside if c in aggregates]
    iso = [c for c in outside if c not in aggregates and pycountry.countries.get(alpha_3=c)]
    unknown = sorted(set(outside) - set(agg) - set(iso))
    if unknown:
        raise DataError(
            f"{source}: code {unknown[0]!r} is neither a country of the table, a World Bank "
            "aggregate nor an ISO 3166 code; map it in the reader"
        )
    log.drop(source, "World Bank aggregate", agg)
    log.drop(source, "ISO3 code outside the country table", iso)
    return out[inside]


def ohi_regions(countries: pd.DataFrame, region_ids, log: BlueLog) -> pd.DataFrame:
    """The OHI region table (``rgn_id`` index; ``iso3``, ``role``), checked.

    Every id of ``region_ids`` must be listed; the ``main`` region of an
    economy must be unique.
    """
    table = read_mapping(OHI_REGIONS_FILE)
    table["rgn_id"] = table["rgn_id"].astype(int)
    table = table.set_index("rgn_id")
    missing = sorted(set(int(r) for r in region_ids) - set(table.index))
    if missing:
        raise DataError(
            f"OHI region id {missing[0]} is not in carbonshare/data/mappings/{OHI_REGIONS_FILE}; "
            "add it with its iso3, role and reason"
        )
    bad = sorted(set(table["iso3"]) - set(countries.index) - {""})
    if bad:
        raise DataError(f"{OHI_REGIONS_FILE} maps to {bad}, not in the country table")
    if not set(table["role"]) <= {"main", "part", ""}:
        raise DataError(f"{OHI_REGIONS_FILE}: role must be main, part or blank")
    main = table[table["role"] == "main"]
    dup = main["iso3"][main["iso3"].duplicated()]
    if not dup.empty:
        raise DataError(f"{OHI_REGIONS_FILE}: {dup.iloc[0]} has two main regions")
    for reason, group in table[table["iso3"] == ""].groupby("reason"):
        log.drop("ohi_regions", reason, [f"{i} {n}" for i, n in group["rgn_name"].items()])
    return table
