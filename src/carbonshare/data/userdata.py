"""Read a user's panel (countries, provinces or firms) from a file or a DataFrame: one path.

Every user panel, whatever its entry point (``carbonshare run ...``,
``read_panel``, ``run_alliances(panel=...)``, ``run_principles(panel=...)``)
and form (CSV, TSV, Excel, Parquet or a DataFrame; long or wide), goes through
the same three steps:

1. :func:`read_table` reads the file as text cells: empty cells are "no
   data" and nothing else is (``NA`` stays Namibia's code, ``n/a`` is text),
   UTF-8 or else cp1252 / latin-1 (the encoding used is recorded), the
   delimiter (``,``, ``;``, tab, ``|``) is sniffed, an Excel sheet is chosen
   by name (a first sheet without the panel's columns, e.g. a README, is
   named in the error with the sheets that have them).
2. :func:`panel_from_table` finds the entity and year columns, resolves
   country names and codes to ISO3 (trailing spaces, ISO2 / ISO3 / M49 mixes,
   names and aliases; see :func:`carbonshare.data.to_iso3`), and refuses two
   spellings of one country in one year, naming both. Columns whose cells are
   all text are entity attributes (e.g. a sector); a column mixing numbers
   and text is an error naming the cell.
3. :func:`carbonshare.data.validate_panel` checks years, values, signs and
   percentages; nothing is dropped, filled or clipped.

Long files have an entity column, ``year``, ``indicator`` and ``value``; wide
files have the entity and year columns and one column per indicator.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from carbonshare.data.validate import DEFAULT_YEARS, validate_panel
from carbonshare.errors import DataError

__all__ = [
    "COUNTRY_COLUMNS",
    "UserPanel",
    "harmonise_countries",
    "panel_from_table",
    "prepare_panel",
    "read_panel",
    "read_table",
    "read_user_panel",
]

logger = logging.getLogger(__name__)

COUNTRY_COLUMNS = ("iso3", "iso2", "m49", "code", "country_code", "country", "country_name", "name")
Entities = Literal["countries", "other", "auto"]

_CSV = (".csv", ".csv.gz", ".txt", ".tsv")
_EXCEL = (".xlsx", ".xlsm", ".xls")
_PARQUET = (".parquet", ".pq")
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


@dataclass
class UserPanel:
    """A validated user panel and what was learnt reading it.

    Attributes
    ----------
    panel : index ``(iso3, year)`` for countries, else ``(entity, year)``; float columns.
    attributes : entity -> text columns (first value per entity), e.g. a sector.
    mapping : every country spelling that was resolved to another code (original -> ISO3).
    entities : ``"countries"`` or ``"other"``.
    notes : how the file was read (encoding, delimiter, sheet), for the manifest.
    """

    panel: pd.DataFrame
    attributes: pd.DataFrame
    mapping: dict[str, str] = field(default_factory=dict)
    entities: str = "countries"
    notes: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- step 1: text cells


def _kind(path: Path) -> str:
    suffixes = "".join(path.suffixes).lower()
    for kind, ends in (("csv", _CSV), ("excel", _EXCEL), ("parquet", _PARQUET)):
        if suffixes.endswith(ends):
            return kind
    raise DataError(
        f"cannot read {path.name}: unknown file type {suffixes or '(none)'}; "
        "use .csv, .tsv, .xlsx or .parquet"
    )


def _sniff_content(path: Path, kind: str) -> None:
    """Refuse a file whose bytes say it is another format than its name."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    actual = "excel" if head.startswith(b"PK\x03\x04") else None
    actual = "parquet" if head.startswith(b"PAR1") else actual
    if kind == "csv" and head.startswith(b"\x1f\x8b") and path.suffix.lower() == ".gz":
        return
    if actual and actual != kind:
        want = {"excel": ".xlsx", "parquet": ".parquet"}[actual]
        raise DataError(
            f"{path.name} is named as {kind.upper()} but holds an {actual.capitalize()} file; "
            f"rename it to {path.stem}{want} (or save it as {kind.upper()})"
        )


def _decode(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    if path.suffix.lower() == ".gz":
        import gzip

        raw = gzip.decompress(raw)
    if b"\x00" in raw[:4096]:
        raise DataError(
            f"{path.name} is not a text file (binary content); save the table as CSV (UTF-8)"
        )
    for enc in _ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _delimiter(text: str, path: Path) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_table(path: str | Path, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV, TSV, Excel or Parquet file as a table of text cells (Parquet: as stored).

    Empty cells are missing; every other cell is kept as written (``NA`` is
    Namibia). ``df.attrs["read_notes"]`` says how the file was read.

    Raises
    ------
    DataError  for a missing or unreadable file, a file whose content is another
        format than its name, an unknown sheet, or a first sheet without the
        panel's columns (the message names the sheets that have them).

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "x.csv")
    ...     _ = p.write_text("iso2;year;pop\\nNA;2020;2.5\\n")
    ...     read_table(p).iloc[0].tolist()
    ['NA', '2020', '2.5']
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"panel file {path} not found; check the path")
    kind = _kind(path)
    if sheet is not None and kind != "excel":
        raise DataError(f"{path.name}: --sheet/sheet= applies to Excel files only")
    _sniff_content(path, kind)
    notes: list[str] = []
    if kind == "csv":
        text, enc = _decode(path)
        if enc != "utf-8-sig":
            notes.append(f"{path.name}: not UTF-8, read as {enc}")
            logger.warning("%s is not UTF-8; read as %s (check accented names)", path.name, enc)
        sep = _delimiter(text, path)
        if sep != ",":
            notes.append(f"{path.name}: delimiter {sep!r}")
        try:
            df = pd.read_csv(
                io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""]
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise DataError(
                f"{path.name}: not a readable CSV table ({exc}); check the file"
            ) from None
    elif kind == "excel":
        df = _read_excel(path, sheet, notes)
    else:
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises its own types
            raise DataError(f"{path.name}: not a readable Parquet file ({exc})") from None
        # a frame saved with its index, e.g. load_panel().to_parquet(...)
        if not isinstance(df.index, pd.RangeIndex):
            df = df.reset_index()
    df.attrs["read_notes"] = notes
    return df


def _has_panel_columns(columns) -> bool:
    cols = {str(c).strip().lower() for c in columns}
    return "year" in cols and any(c in cols for c in COUNTRY_COLUMNS)


def _read_excel(path: Path, sheet: str | int | None, notes: list[str]) -> pd.DataFrame:
    opts = {"keep_default_na": False, "na_values": [""], "dtype": str}
    try:
        book = pd.ExcelFile(path)
    except Exception as exc:  # zipfile.BadZipFile, openpyxl errors, ...
        raise DataError(f"{path.name}: not a readable Excel workbook ({exc})") from None
    names = list(book.sheet_names)
    if sheet is not None:
        if isinstance(sheet, str) and sheet not in names:
            raise DataError(f"{path.name} has no sheet {sheet!r}; its sheets are {names}")
        if isinstance(sheet, int) and not 0 <= sheet < len(names):
            raise DataError(f"{path.name} has {len(names)} sheet(s) {names}; no sheet {sheet}")
        notes.append(f"{path.name}: sheet {sheet!r}")
        return pd.read_excel(book, sheet_name=sheet, **opts)
    first = pd.read_excel(book, sheet_name=names[0], **opts)
    if len(names) > 1 and not _has_panel_columns(first.columns):
        fits = [
            n
            for n in names[1:]
            if _has_panel_columns(pd.read_excel(book, sheet_name=n, nrows=0).columns)
        ]
        hint = f"the panel looks like sheet {fits[0]!r}; " if fits else ""
        raise DataError(
            f"{path.name}: the first sheet {names[0]!r} has no country and year columns; "
            f"{hint}pass --sheet NAME (sheet= in Python), sheets: {names}"
        )
    return first


# ----------------------------------------------------------------------------- step 2: entities


def _key(value: object) -> str:
    return str(value).strip()


def harmonise_countries(values: pd.Series, *, source: str = "") -> dict[str, str]:
    """Map each distinct country name or code in ``values`` (stripped) to ISO3.

    Raises
    ------
    DataError  listing every unknown name with its closest known names.

    Examples
    --------
    >>> harmonise_countries(pd.Series(["DE", "DEU ", "Germany", "NA"]))
    {'DE': 'DEU', 'DEU': 'DEU', 'Germany': 'DEU', 'NA': 'NAM'}
    """
    from carbonshare.data.bundled import _name_index
    from carbonshare.data.names import match_country, unknown_country_message

    index = _name_index()
    mapping: dict[str, str] = {}
    unknown = []
    where = f"{source}: " if source else ""
    for value in pd.unique(values.astype(str)):
        key = _key(value)
        if key in mapping:
            continue
        if key in ("", "nan", "<NA>", "None"):
            raise DataError(f"{where}a row has no country; fill the country column")
        hit = match_country(key, index)
        if hit is None:
            unknown.append(unknown_country_message(key, index))
        else:
            mapping[key] = hit
            if key != hit:
                logger.info("%scountry %r read as %s", where, key, hit)
    if unknown:
        raise DataError(where + "; ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else ""))
    return mapping


def _share_resolving(values: pd.Series) -> float:
    from carbonshare.data.bundled import _name_index
    from carbonshare.data.names import match_country

    index = _name_index()
    keys = pd.unique(values.astype(str).str.strip())
    return sum(match_country(k, index) is not None for k in keys) / max(len(keys), 1)


def _resolve_entities(
    df: pd.DataFrame, column: str, entities: Entities, source: str
) -> tuple[pd.Series, dict[str, str], str]:
    spelled = df[column].astype("string").str.strip()
    if spelled.isna().any() or (spelled == "").any():
        row = int(((spelled.isna()) | (spelled == "")).to_numpy().argmax())
        raise DataError(f"{source}: row {row + 2} has no {column}; fill the {column} column")
    hint = ""
    if entities == "auto":
        # a country column name, or names that are mostly countries: countries
        share = 1.0 if column.lower() in COUNTRY_COLUMNS else _share_resolving(spelled)
        entities = "countries" if share >= 0.5 else "other"
        hint = " (entities that are not countries: set data.kind: other)"
    if entities == "countries":
        try:
            mapping = harmonise_countries(spelled, source=source)
        except DataError as exc:
            raise DataError(f"{exc}{hint}") from None
        ids = spelled.map(mapping)
        changed = {k: v for k, v in mapping.items() if k != v}
    else:
        ids, changed = spelled, {}
    return ids.astype(str), changed, entities


def _duplicate_error(df: pd.DataFrame, ids: pd.Series, column: str, keys: list[str], source: str):
    frame = pd.DataFrame({"id": ids.to_numpy(), "spelled": df[column].astype(str).to_numpy()})
    for k in keys:
        frame[k] = df[k].astype(str).str.strip().to_numpy()
    dup = frame.duplicated(["id", *keys], keep=False)
    if not dup.any():
        return
    first = frame[dup].iloc[0]
    same = frame[dup & (frame["id"] == first["id"])]
    for k in keys:
        same = same[same[k] == first[k]]
    spellings = list(dict.fromkeys(same["spelled"]))
    what = f"duplicate rows for {first['id']} in {first[keys[0]]}"
    if len(keys) > 1:
        what += f" ({first[keys[1]]})"
    if len(spellings) > 1:
        both = " and ".join(repr(s) for s in spellings[:3])
        raise DataError(
            f"{source}: {what}: {both} are the same entity {first['id']}; "
            "keep one spelling of each entity"
        )
    raise DataError(f"{source}: {what}; keep one row per entity and year")


#: cell texts that mean "no data" somewhere: they never make a column a text attribute
_MISSING_WORDS = {"n/a", "na", "nan", "null", "none", "-", "--", "..", "...", "?", "missing"}


def _numeric_or_text(df: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Split value columns into numeric and text attributes.

    A column is a text attribute (e.g. a sector) when it has words and no number,
    and its name is not one of a count, money, emissions or percent indicator. A
    numeric column with stray text stays numeric and the text is reported by
    :func:`validate_panel` with its entity and year (a column never vanishes).
    """
    from carbonshare.data.validate import is_nonnegative, is_percent

    numeric, text = [], []
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            numeric.append(col)
            continue
        filled = s.dropna().astype(str).str.strip()
        filled = filled[filled != ""]
        num = pd.to_numeric(filled, errors="coerce")
        words = filled[num.isna() & ~filled.str.lower().isin(_MISSING_WORDS)]
        named = is_nonnegative(str(col)) or is_percent(str(col))
        if len(words) and num.isna().all() and not named:
            text.append(col)
        else:
            numeric.append(col)
    return numeric, text


def panel_from_table(
    df: pd.DataFrame,
    *,
    source: str = "panel",
    required: Sequence[str] | None = None,
    years: tuple[int, int] = DEFAULT_YEARS,
    entity_column: str | None = None,
    year_column: str = "year",
    entities: Entities = "countries",
) -> UserPanel:
    """Turn a table (long or wide, text or typed cells) into a validated panel.

    Parameters
    ----------
    df : one row per entity and year (wide) or per entity, year and indicator
        (long: columns ``indicator`` and ``value``).
    source : name used in messages (the file name).
    required : indicator columns that must be present.
    years : inclusive range of allowed years.
    entity_column : the entity column (default: the first of iso3, iso2, m49,
        code, country_code, country, country_name, name).
    year_column : the year column.
    entities : ``"countries"`` (resolve to ISO3), ``"other"`` (provinces,
        firms: names kept, stripped) or ``"auto"`` (countries if the column
        is a country column such as ``iso3`` or ``country``, or if at least
        half of the names are countries; then an unknown name is an error).

    Returns
    -------
    UserPanel

    Raises
    ------
    DataError  naming the file, column, entity and year at fault.
    """
    df = df.copy()
    df.columns = [str(c).strip() for c in df.columns]
    lower = {c.lower(): c for c in df.columns}
    if entity_column is not None:
        ecol = lower.get(entity_column.strip().lower())
        if ecol is None:
            raise DataError(
                f"{source} has no column {entity_column!r} (columns: {', '.join(df.columns)}); "
                "name the entity column"
            )
    else:
        search = COUNTRY_COLUMNS if entities == "countries" else (*COUNTRY_COLUMNS, "entity")
        ecol = next((lower[c] for c in search if c in lower), None)
        if ecol is None:
            raise DataError(
                f"{source}: no country column; name one of {', '.join(search)} "
                f"(columns are {list(df.columns)})" + _delimiter_hint(df)
            )
    ycol = lower.get(year_column.lower())
    if ycol is None:
        raise DataError(
            f"{source}: no {year_column!r} column (columns are {list(df.columns)})"
            + _delimiter_hint(df)
        )
    ids, mapping, kind = _resolve_entities(df, ecol, entities, source)
    level = "iso3" if kind == "countries" else "entity"
    long = {"indicator", "value"} <= set(lower)
    identifiers = [c for c in df.columns if c.lower() in COUNTRY_COLUMNS and c != ecol]
    if long:
        extra = set(df.columns) - {ecol, ycol, lower["indicator"], lower["value"], *identifiers}
        if extra:
            raise DataError(
                f"{source}: a long panel has columns entity, year, indicator, value; "
                f"unexpected {sorted(extra)}"
            )
        _duplicate_error(df, ids, ecol, [ycol, lower["indicator"]], source)
        frame = pd.DataFrame(
            {level: ids.to_numpy(), "year": df[ycol].to_numpy(),
             "indicator": df[lower["indicator"]].astype(str).str.strip().to_numpy(),
             "value": df[lower["value"]].to_numpy()}
        )  # fmt: skip
        wide = frame.pivot(index=[level, "year"], columns="indicator", values="value")
        wide.columns.name = None
        attributes = pd.DataFrame(index=pd.Index([], name=level))
    else:
        _duplicate_error(df, ids, ecol, [ycol], source)
        values = df.drop(columns=[ecol, ycol, *identifiers])
        if identifiers:
            logger.info("%s: identifier column(s) %s not read as indicators", source, identifiers)
        numeric, text = _numeric_or_text(values)
        attributes = values[text].assign(**{level: ids.to_numpy()}).groupby(level).first()
        if text:
            logger.info("%s: text column(s) %s read as entity attributes", source, text)
        wide = values[numeric].set_index(
            pd.MultiIndex.from_arrays([ids.to_numpy(), df[ycol].to_numpy()], names=[level, "year"])
        )
    try:
        panel = validate_panel(
            wide.rename_axis([level, "year"]),
            required=required,
            years=years,
            entities="countries" if kind == "countries" else "any",
        )
    except DataError as exc:
        raise DataError(f"{source}: {exc}") from None
    return UserPanel(panel, attributes, mapping, kind, list(df.attrs.get("read_notes", [])))


def _delimiter_hint(df: pd.DataFrame) -> str:
    if len(df.columns) == 1 and any(s in df.columns[0] for s in ";\t|"):
        return "; the file seems to use another delimiter than the one detected (save as CSV)"
    return ""


# ----------------------------------------------------------------------------- entry points


def read_user_panel(
    path: str | Path,
    *,
    required: Sequence[str] | None = None,
    years: tuple[int, int] = DEFAULT_YEARS,
    sheet: str | int | None = None,
    entity_column: str | None = None,
    year_column: str = "year",
    entities: Entities = "countries",
) -> UserPanel:
    """:func:`read_table` then :func:`panel_from_table`: a file as a :class:`UserPanel`."""
    path = Path(path)
    table = read_table(path, sheet=sheet)
    return panel_from_table(
        table, source=path.name, required=required, years=years,
        entity_column=entity_column, year_column=year_column, entities=entities,
    )  # fmt: skip


def read_panel(
    path: str | Path,
    *,
    required: Sequence[str] | None = None,
    years: tuple[int, int] = DEFAULT_YEARS,
    sheet: str | int | None = None,
    country_column: str | None = None,
) -> pd.DataFrame:
    """Read, harmonise and validate a user panel of countries.

    Parameters
    ----------
    path : CSV (``.csv``, ``.csv.gz``, ``.tsv``; delimiter sniffed, UTF-8 or
        latin-1), Excel (``.xlsx``) or Parquet file (a Parquet frame saved
        with its ``(iso3, year)`` index reads back as is).
    required : indicator columns that must be present.
    years : inclusive range of allowed years.
    sheet : Excel sheet (default: the first, which must hold the panel).
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
        unknown country (with the closest known names), two spellings of one
        country in one year, duplicate country-years, or any problem found by
        :func:`validate_panel`.
    """
    user = read_user_panel(
        path, required=required, years=years, sheet=sheet, entity_column=country_column
    )
    out = user.panel
    out.attrs["country_mapping"] = user.mapping
    out.attrs["source"] = str(path)
    return out


def prepare_panel(
    panel: pd.DataFrame,
    *,
    required: Sequence[str] | None = None,
    years: tuple[int, int] = DEFAULT_YEARS,
    entities: Entities = "countries",
    source: str = "panel=",
) -> UserPanel:
    """A panel given as a DataFrame (the ``panel=`` of the studies) through the same checks.

    Accepts the shape of :func:`carbonshare.data.load_panel` (index
    ``(iso3, year)``), any two-level index whose first level holds the entities,
    or the entity and year as columns (long or wide).

    Examples
    --------
    >>> df = pd.DataFrame({"iso3": ["USA ", "DE"], "year": [2020, 2020], "population": [3.3e8, 8.3e7]})
    >>> prepare_panel(df).panel.index.tolist()
    [('DEU', 2020), ('USA', 2020)]
    """
    if not isinstance(panel, pd.DataFrame):
        raise DataError(f"{source} must be a pandas DataFrame, not {type(panel).__name__}")
    df = panel
    entity_column = None
    if df.index.nlevels == 2:
        names = [str(n) if n is not None else f"level_{i}" for i, n in enumerate(df.index.names)]
        entity_column = names[0]
        df = df.set_axis(df.index.set_names([names[0], "year"])).reset_index()
    elif not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index()
    if entity_column is None:
        lower = [str(c).lower() for c in df.columns]
        entity_column = next((c for c in (*COUNTRY_COLUMNS, "entity") if c in lower), None)
    user = panel_from_table(
        df, source=source, required=required, years=years,
        entity_column=entity_column, entities=entities,
    )  # fmt: skip
    user.panel = user.panel.sort_index()
    return user
