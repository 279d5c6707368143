"""write_tables for large tables and matrices (issue 14), and the XlsxWriter sheets against
pandas' own Excel writer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.report.labels import Labels
from carbonshare.studies.common import LARGE_TABLE_CELLS, write_tables


def _matrix(n: int, seed: int = 0) -> pd.DataFrame:
    names = pd.Index([f"C{k:04d}" for k in range(n)], name="iso3")
    values = np.random.default_rng(seed).lognormal(size=(n, n))
    np.fill_diagonal(values, 0.0)
    return pd.DataFrame(values, index=names, columns=names)


LABELS = Labels(
    {"iso3": ("ISO3 code", "", "country"), "x": ("X", "t", "a quantity")},
    tables={"m": ("link with {column}", "km", "linkage with {column}")},
)


def test_large_matrix_is_parquet_only_in_long_form(tmp_path):
    m = _matrix(600)  # 360,000 cells
    small = pd.DataFrame({"x": [1.0, 2.0]}, index=pd.Index(["A", "B"], name="iso3"))
    paths = write_tables({"m": m, "small": small}, tmp_path, workbook="w.xlsx", labels=LABELS)
    names = sorted(p.name for p in paths)
    assert names == ["columns.csv", "m.parquet", "small.csv", "small.parquet", "w.xlsx"]
    long = pd.read_parquet(tmp_path / "m.parquet")
    assert list(long.columns) == ["iso3", "column", "value"] and len(long) == 600 * 600
    back = long.pivot(index="iso3", columns="column", values="value")
    back = back.loc[m.index.astype(str), m.columns.astype(str)]
    np.testing.assert_array_equal(back.to_numpy(), m.to_numpy())
    sheets = pd.read_excel(tmp_path / "w.xlsx", sheet_name=None)
    assert list(sheets) == ["columns", "m", "small"]
    note = sheets["m"]["note"][0]
    assert "360,600 cells" in note and "m.parquet" in note and "16,384 columns" in note
    d = pd.read_csv(tmp_path / "columns.csv", keep_default_na=False)
    rows = d[d["table"] == "m"].set_index("column")
    assert list(rows.index) == ["iso3", "column", "value"]
    assert (rows["label"] != "").all() and rows.loc["value", "unit"] == "km"
    assert "long form (iso3, column, value)" in rows.loc["value", "written_as"]
    assert set(d.loc[d["table"] == "small", "written_as"]) == {
        "small.csv, small.parquet, workbook sheet"
    }


def test_large_table_is_parquet_only_and_a_small_one_unchanged(tmp_path):
    n = LARGE_TABLE_CELLS // 3 + 1  # iso3 + two columns: just over the limit
    big = pd.DataFrame(
        {"x": np.arange(n, dtype=float), "name": [f"n{k}" for k in range(n)]},
        index=pd.Index([f"K{k}" for k in range(n)], name="iso3"),
    )
    paths = write_tables({"big": big, "ok": big.iloc[:10]}, tmp_path)
    assert sorted(p.name for p in paths) == [
        "big.parquet", "ok.csv", "ok.parquet", "tables.xlsx"
    ]  # fmt: skip
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "big.parquet"), big)
    sheets = pd.read_excel(tmp_path / "tables.xlsx", sheet_name=None)
    assert "big.parquet" in sheets["big"]["note"][0]
    assert len(sheets["ok"]) == 10


def test_small_matrix_as_before_but_not_a_sheet(tmp_path):
    m = _matrix(5)
    write_tables({"m": m}, tmp_path)
    csv = pd.read_csv(tmp_path / "m.csv", index_col="iso3")
    pd.testing.assert_frame_equal(csv, m, check_names=False)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "m.parquet"), m, check_names=False)
    note = pd.read_excel(tmp_path / "tables.xlsx", sheet_name="m")["note"][0]
    assert note.startswith("m is a 5 x 5 matrix") and "m.csv and m.parquet" in note
    # written nowhere else: it stays a sheet, so nothing is lost
    write_tables({"m": m}, tmp_path / "book", formats=())
    sheet = pd.read_excel(tmp_path / "book" / "tables.xlsx", sheet_name="m", index_col=0)
    np.testing.assert_allclose(sheet.to_numpy(), m.to_numpy())


def _awkward() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "f": [1.5, np.nan, np.inf, -np.inf],
            "i": np.array([1, -2, 3, 4], dtype=np.int64),
            "b": [True, False, True, False],
            "nb": pd.array([True, None, False, True], dtype="boolean"),
            "ni": pd.array([1, None, 3, 4], dtype="Int64"),
            "s": ["a", "=1+1", None, "http://example.org"],
            "c": pd.Categorical(["x", "y", "x", None]),
            "o": [1, "two", 3.5, None],
        },
        index=pd.MultiIndex.from_tuples(
            [("A", 1), ("A", 2), ("B", 1), ("B", 2)], names=["iso3", "year"]
        ),
    )


@pytest.mark.parametrize("index", [True, False])
def test_sheets_read_back_as_with_pandas_writer(tmp_path, index):
    df = _awkward() if index else _awkward().reset_index(drop=True)
    write_tables({"t": df}, tmp_path, formats=())
    with pd.ExcelWriter(tmp_path / "pandas.xlsx", engine="openpyxl") as writer:
        df.to_excel(writer, sheet_name="t", index=index, merge_cells=False)
    ours = pd.read_excel(tmp_path / "tables.xlsx", sheet_name="t")
    theirs = pd.read_excel(tmp_path / "pandas.xlsx", sheet_name="t")
    # pandas writes a formula for "=1+1" (no value cached); we write the text
    assert ours.loc[1, "s"] == "=1+1"
    ours.loc[1, "s"] = theirs.loc[1, "s"]
    pd.testing.assert_frame_equal(ours, theirs)


def test_dates_fall_back_to_pandas_writer(tmp_path):
    df = pd.DataFrame({"when": pd.to_datetime(["2020-01-02", "2021-03-04"]), "x": [1, 2]})
    write_tables({"t": df}, tmp_path, formats=())
    back = pd.read_excel(tmp_path / "tables.xlsx", sheet_name="t")
    pd.testing.assert_frame_equal(back, df, check_dtype=False)


def test_a_workbook_made_by_the_helper_process_is_the_one_made_here(tmp_path):
    """write_tables(jobs=...): the helper makes the workbook while this process writes the
    CSV and Parquet files; the same files, in the same order, the same sheets and cells."""
    from carbonshare.report.offload import FigureJobs

    tables = {"t": _awkward(), "m": _matrix(30), "x": pd.DataFrame({"x": [1.0, 2.0]})}
    here = write_tables(tables, tmp_path / "here", labels=LABELS)
    with FigureJobs(process=True) as jobs:
        there = write_tables(tables, tmp_path / "there", labels=LABELS, jobs=jobs)
        assert jobs.keys == [f"workbook {tmp_path / 'there' / 'tables.xlsx'}"]
    assert [p.relative_to(tmp_path / "there") for p in there] == [
        p.relative_to(tmp_path / "here") for p in here
    ]
    ours = pd.read_excel(tmp_path / "here" / "tables.xlsx", sheet_name=None)
    theirs = pd.read_excel(tmp_path / "there" / "tables.xlsx", sheet_name=None)
    assert list(ours) == list(theirs) == ["columns", "t", "m", "x"]
    for name in ours:
        pd.testing.assert_frame_equal(ours[name], theirs[name])
