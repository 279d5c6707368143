"""Human labels and units of the columns and codes a study shows: one label table per study.

A study describes every column it writes or plots once, in a :class:`Labels` table
(label, unit, description). The same table then

- titles figure axes, legends and radar spokes (:meth:`Labels.title`: "Forest rents (% of
  GDP)" for ``FRT``),
- renames the columns of the tables shown in the report (:meth:`Labels.rename`),
- and becomes the data dictionary written next to the tables (:meth:`Labels.dictionary`,
  written by :func:`carbonshare.studies.common.write_tables` as ``columns.csv`` and a
  ``columns`` sheet of the workbook).

Names are looked up exactly first, then by pattern (a regular expression whose groups fill
``{0}``, ``{1}`` ... in the label and description, e.g. ``(.+)_pct`` for the indicator parts of
a share), then by table (every column of a wide table such as a country x country matrix).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

__all__ = ["Column", "Labels"]


@dataclass(frozen=True)
class Column:
    """Label, unit and description of one column or code.

    Examples
    --------
    >>> Column("Forest rents", "% of GDP").title
    'Forest rents (% of GDP)'
    >>> Column("Rank").title
    'Rank'
    """

    label: str
    unit: str = ""
    description: str = ""

    @property
    def title(self) -> str:
        """``label (unit)``, or the label alone for a unit-free column."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    def format(self, *args: str) -> Column:
        """A copy with ``{0}``, ``{1}`` ... in label and description filled by ``args``."""
        return Column(
            self.label.format(*args), self.unit.format(*args), self.description.format(*args)
        )


ColumnLike = Column | tuple[str, ...] | str


def _column(value: ColumnLike) -> Column:
    if isinstance(value, Column):
        return value
    if isinstance(value, str):
        return Column(value)
    return Column(*value)


class Labels:
    """The label table of one study: column or code name -> :class:`Column`.

    Parameters
    ----------
    columns : exact name -> Column (or a ``(label, unit, description)`` tuple).
    patterns : regular expression -> Column; the expression must match the whole name and
        its groups (by their display name in ``names``) fill ``{0}``, ``{1}`` ... of the
        label, unit and description.
    tables : table name -> Column used for every column of that table not found otherwise
        (``{column}`` in its text is the column's display name from ``names``, else the
        column name), for wide tables whose columns are entities, rules or years.
    names : code -> display name of the codes that head the columns of wide tables (rule
        names, say); they are not columns of their own.

    Examples
    --------
    >>> labels = Labels(
    ...     {"FRT": ("Forest rents", "% of GDP")},
    ...     patterns={r"(.+)_pct": ("{0} part of the share", "percentage points")},
    ...     tables={"crl": ("CRL with {column}", "", "linkage")},
    ...     names={"FRT": "Forest rents"},
    ... )
    >>> labels.title("FRT"), labels.title("FRT_pct"), labels.title("USA", table="crl")
    ('Forest rents (% of GDP)', 'Forest rents part of the share (percentage points)', 'CRL with USA')
    >>> labels.title("unknown")
    'unknown'
    """

    def __init__(
        self,
        columns: Mapping[str, ColumnLike] | None = None,
        *,
        patterns: Mapping[str, ColumnLike] | None = None,
        tables: Mapping[str, ColumnLike] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.columns = {str(k): _column(v) for k, v in (columns or {}).items()}
        self.patterns = [(re.compile(k), _column(v)) for k, v in (patterns or {}).items()]
        self.tables = {str(k): _column(v) for k, v in (tables or {}).items()}
        self.names = {str(k): str(v) for k, v in (names or {}).items()}

    def __or__(self, other: Labels) -> Labels:
        """The union of two tables; ``other`` wins on a name both describe."""
        out = Labels()
        out.columns = {**self.columns, **other.columns}
        out.patterns = other.patterns + self.patterns
        out.tables = {**self.tables, **other.tables}
        out.names = {**self.names, **other.names}
        return out

    def get(self, name: object, table: str | None = None) -> Column | None:
        """The description of ``name`` (in ``table``), or None if the table has none."""
        key = str(name)
        if key in self.columns:
            return self.columns[key]
        for rx, col in self.patterns:
            m = rx.fullmatch(key)
            if m:
                groups = [self.names.get(g, g) for g in m.groups()]
                return col.format(*groups)
        if table is not None and table in self.tables:
            col = self.tables[table]
            shown = self.names.get(key, key)
            return Column(
                col.label.replace("{column}", shown),
                col.unit.replace("{column}", shown),
                col.description.replace("{column}", key),
            )
        if key in self.names:
            return Column(self.names[key])
        return None

    def label(self, name: object, table: str | None = None) -> str:
        """The human label of ``name`` without unit (the name itself if unknown)."""
        col = self.get(name, table)
        return col.label if col is not None else str(name)

    def title(self, name: object, table: str | None = None) -> str:
        """``label (unit)`` of ``name`` for an axis, legend, spoke or header."""
        col = self.get(name, table)
        return col.title if col is not None else str(name)

    def titles(self, names: Iterable[object], table: str | None = None) -> list[str]:
        """:meth:`title` of each name."""
        return [self.title(n, table) for n in names]

    def rename(self, df: pd.DataFrame, table: str | None = None) -> pd.DataFrame:
        """A copy of ``df`` with its columns and index names replaced by their titles."""
        out = df.rename(columns={c: self.title(c, table) for c in df.columns})
        if any(n is not None for n in out.index.names):
            out.index = out.index.set_names(
                [None if n is None else self.title(n, table) for n in out.index.names]
            )
        return out

    def dictionary(self, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
        """The data dictionary of written tables: one row per (table, column).

        Named index levels count as columns (they are written as columns). Columns the
        table does not describe get an empty label, so a test can find them.

        Examples
        --------
        >>> labels = Labels({"co2_t": ("CO2 emissions", "t CO2", "sum over the window")})
        >>> t = pd.DataFrame({"co2_t": [1.0]}, index=pd.Index(["USA"], name="iso3"))
        >>> labels.dictionary({"emissions": t})[["column", "label", "unit"]].values.tolist()
        [['iso3', '', ''], ['co2_t', 'CO2 emissions', 't CO2']]
        """
        rows = []
        for name, df in tables.items():
            names = [n for n in df.index.names if n is not None] + list(df.columns)
            for col in names:
                d = self.get(col, name)
                rows.append(
                    {
                        "table": name,
                        "column": str(col),
                        "label": d.label if d else "",
                        "unit": d.unit if d else "",
                        "description": d.description if d else "",
                    }
                )
        return pd.DataFrame(rows, columns=["table", "column", "label", "unit", "description"])


#: Columns several studies share (entity identifiers, names).
COMMON = Labels(
    {
        "iso3": ("ISO3 code", "", "ISO 3166-1 alpha-3 code of the country"),
        "entity": ("Entity", "", "identifier of the entity (country, province, firm)"),
        "name": ("Name", "", "name of the entity"),
        "continent": ("Continent", "", "continent of the country"),
        "region": ("Region", "", "region of the input-output table"),
        "reason": ("Reason", "", "why the entity was left out"),
        "rule": ("Rule", "", "allocation rule (see rules.csv)"),
        "action": ("Action", "", "what was done to the data"),
        "field": ("Field", "", "the indicator or column repaired"),
        "detail": ("Detail", "", "the repair in full: year <- source year"),
        "years_missing": ("Years missing", "year", "years without data in the window"),
        "statistic": ("Statistic", "", "name of the summary statistic"),
        "value": ("Value", "", "value of the statistic"),
    }
)
