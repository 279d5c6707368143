"""Read a user's country panel from CSV, Excel or Parquet.

Long files have a country column (``iso3``, ``iso2``, ``m49``, ``code`` or
``country``), ``year``, ``indicator`` and ``value``; wide files have the
country and year columns and one column per indicator. Country names and
codes are harmonised to ISO3 (names, aliases, ISO2, M49; see
:func:`carbonshare.data.to_iso3`) and the result is checked with
:func:`carbonshare.data.validate_panel`. An empty cell means "no data"; any
other non-numeric text is an error (the strings "NA" or "n/a" are not read
as missing, so Namibia's code stays Namibia).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from carbonshare.data.validate import DEFAULT_YEARS, validate_panel
from carbonshare.errors import DataError

logger = logging.getLogger(__name__)

COUNTRY_COLUMNS = ("iso3", "iso2", "m49", "code", "country_code", "country", "country_name", "name")


def _read_table(path: Path, sheet: str | int | None) -> pd.DataFrame:
    suffixes = "".join(path.suffixes).lower()
    opts = {"keep_default_na": False, "na_values": [""], "dtype": str}
    if suffixes.endswith((".csv", ".csv.gz", ".txt", ".tsv")):
        sep = "\t" if suffixes.endswith(".tsv") else ","
        return pd.read_csv(path, sep=sep, **opts)
    if suffixes.endswith((".xlsx", ".xlsm", ".xls")):
        return pd.read_excel(path, sheet_name=0 if sheet is None else sheet, **opts)
    if suffixes.endswith((".parquet", ".pq")):
        df = pd.read_parquet(path)
        # a frame saved with its index, e.g. load_panel().to_parquet(...): the index
        # levels (iso3, year) become columns again; a plain row number is not data
        return df if isinstance(df.index, pd.RangeIndex) else df.reset_index()
    raise DataError(
        f"cannot read {path.name}: unknown file type {suffixes or '(none)'}; "
        "use .csv, .tsv, .xlsx or .parquet"
    )


def read_panel(
    path: str | Path,
    *,
    required: Sequence[str] | None = None,
    years: tuple[int, int] = DEFAULT_YEARS,
    sheet: str | int | None = None,
    country_column: str | None = None,
) -> pd.DataFrame:
    """Read, harmonise and validate a user panel.

    Parameters
    ----------
    path : CSV (``.csv``, ``.csv.gz``, ``.tsv``), Excel (``.xlsx``) or Parquet file
        (a Parquet frame saved with its ``(iso3, year)`` index reads back as is).
    required : indicator columns that must be present.
    years : inclusive range of allowed years.
    sheet : Excel sheet (default: the first).
    country_column : name of the country column (default: the first of
        iso3, iso2, m49, code, country_code, country, country_name, name).

    Returns
    -------
    DataFrame in the shape of :func:`carbonshare.data.load_panel`: index
    ``(iso3, year)``, one float column per indicator. ``df.attrs["country_mapping"]``
    records every name that was harmonised (original -> ISO3).

    Raises
    ------
    DataError  for an unreadable file, a missing country/year column, an
        unknown country (with the closest known names), duplicate
        country-years, or any problem found by :func:`validate_panel`.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"panel file {path} not found")
    df = _read_table(path, sheet)
    df.columns = [str(c).strip().lower() for c in df.columns]
    ccol = country_column.lower() if country_column else None
    if ccol is None:
        ccol = next((c for c in COUNTRY_COLUMNS if c in df.columns), None)
    if ccol is None or ccol not in df.columns:
        raise DataError(
            f"{path.name}: no country column; name one of {', '.join(COUNTRY_COLUMNS)} "
            f"or pass country_column= (columns are {list(df.columns)})"
        )
    if "year" not in df.columns:
        raise DataError(f"{path.name}: no 'year' column (columns are {list(df.columns)})")
    long = {"indicator", "value"} <= set(df.columns)

    mapping = harmonise_countries(df[ccol], source=path.name)
    df = df.assign(iso3=df[ccol].map(lambda v: mapping[_key(v)]))
    if long:
        extra = set(df.columns) - {ccol, "iso3", "year", "indicator", "value"}
        if extra:
            raise DataError(
                f"{path.name}: a long panel has columns country, year, indicator, value; "
                f"unexpected {sorted(extra)}"
            )
        dup = df.duplicated(["iso3", "year", "indicator"], keep=False)
        if dup.any():
            r = df[dup].iloc[0]
            raise DataError(
                f"{path.name}: duplicate rows for {r['iso3']} in {r['year']} "
                f"({r['indicator']}); keep one value per country, year and indicator"
            )
        wide = df.pivot(index=["iso3", "year"], columns="indicator", values="value")
        wide.columns.name = None
    else:
        ids = [c for c in COUNTRY_COLUMNS if c in df.columns and c != "iso3"]
        if ids:
            logger.info("%s: identifier column(s) %s not read as indicators", path.name, ids)
        wide = df.drop(columns=ids).set_index(["iso3", "year"])
    wide = wide.rename_axis(["iso3", "year"])
    out = validate_panel(wide, required=required, years=years)
    out.attrs["country_mapping"] = {k: v for k, v in mapping.items() if k != v}
    out.attrs["source"] = str(path)
    return out


def _key(value: object) -> str:
    return str(value).strip()


def harmonise_countries(values: pd.Series, *, source: str = "") -> dict[str, str]:
    """Map each distinct country name or code in ``values`` to ISO3.

    Raises
    ------
    DataError  listing every unknown name with its closest known names.
    """
    from carbonshare.data.bundled import _name_index
    from carbonshare.data.names import match_country, unknown_country_message

    index = _name_index()
    mapping: dict[str, str] = {}
    unknown = []
    for value in pd.unique(values.astype(str)):
        key = _key(value)
        if key in ("", "nan", "<NA>"):
            raise DataError(f"{source}: a row has no country; fill the country column")
        hit = match_country(key, index)
        if hit is None:
            unknown.append(unknown_country_message(key, index))
        else:
            mapping[key] = hit
            if key != hit:
                logger.info("%s: country %r read as %s", source, key, hit)
    if unknown:
        raise DataError(f"{source}: " + "; ".join(unknown))
    return mapping
