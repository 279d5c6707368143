"""validate_panel and read_panel: one test per bad input, checking the message."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.data import load_panel, panel_problems, read_panel, validate_panel
from carbonshare.errors import DataError


def _panel(**cols) -> pd.DataFrame:
    base = {"iso3": ["FRA", "DEU"], "year": [2020, 2020]}
    base.update(cols)
    return pd.DataFrame(base)


def test_valid_panel_passes_and_is_float():
    out = validate_panel(_panel(population=[67e6, 83e6], urban_pct=["80.1", 77.5]))
    assert list(out.index.names) == ["iso3", "year"]
    assert out.dtypes.tolist() == [np.float64, np.float64]
    assert out.loc[("FRA", 2020), "urban_pct"] == 80.1


def test_bundled_panel_is_valid():
    validate_panel(load_panel(), required=["population", "gdp_usd", "co2_t"])


def test_unknown_country():
    df = _panel(population=[1.0, 2.0]).assign(iso3=["FRA", "GBX"])
    with pytest.raises(DataError, match=r"unknown country 'GBX' in the iso3 index; no close match"):
        validate_panel(df)
    df = _panel(population=[1.0, 2.0]).assign(iso3=["FRA", "Frnace"])
    with pytest.raises(
        DataError, match=r"unknown country 'Frnace'.*closest known names: france \(FRA\)"
    ):
        validate_panel(df)


def test_duplicate_country_year():
    df = pd.DataFrame({"iso3": ["FRA", "FRA"], "year": [2020, 2020], "population": [1.0, 2.0]})
    with pytest.raises(DataError, match=r"duplicate rows for FRA in 2020"):
        validate_panel(df)


def test_non_numeric_value():
    with pytest.raises(DataError, match=r"gdp_usd for DEU in 2020 is 'abc', not a number"):
        validate_panel(_panel(gdp_usd=["1e9", "abc"]))


def test_non_finite_value():
    with pytest.raises(DataError, match=r"co2_t for FRA in 2020 is inf, not finite"):
        validate_panel(_panel(co2_t=[np.inf, 1.0]))


def test_non_finite_value_reported_once():
    """inf in a percentage (or -inf in a count) is one problem, not also a range error."""
    problems = panel_problems(_panel(urban_pct=[np.inf, 50.0], population=[-np.inf, 1.0]))
    assert problems == [
        "urban_pct for FRA in 2020 is inf, not finite; use a finite number",
        "population for FRA in 2020 is -inf, not finite; use a finite number",
    ]


@pytest.mark.parametrize("col", ["population", "gdp_usd", "forest_area_km2", "land_area"])
def test_negative_counts(col):
    with pytest.raises(DataError, match=rf"{col} for DEU in 2020 is -3; {col} must be >= 0"):
        validate_panel(_panel(**{col: [1.0, -3.0]}))


@pytest.mark.parametrize(("col", "bad"), [("urban_pct", 120.0), ("my_share_pct", -1.0)])
def test_percent_out_of_range(col, bad):
    msg = "percentages must be in" if bad > 100 else "must be >= 0"
    with pytest.raises(DataError, match=rf"{col} for FRA in 2020 is {bad:g}.*{msg}"):
        validate_panel(_panel(**{col: [bad, 50.0]}))


def test_years_outside_range():
    df = _panel(population=[1.0, 2.0]).assign(year=[1850, 2020])
    with pytest.raises(DataError, match=r"year 1850 for FRA is outside 1900-2100"):
        validate_panel(df)
    with pytest.raises(DataError, match=r"year 2020 for DEU is outside 1990-2019"):
        validate_panel(_panel(population=[1.0, 2.0]), years=(1990, 2019))


def test_whole_years_written_as_decimals_are_accepted():
    df = _panel(population=[1.0, 2.0]).assign(year=["2020.0", "2020"])
    out = validate_panel(df)
    assert out.index.get_level_values("year").tolist() == [2020, 2020]
    assert out.index.get_level_values("year").dtype == np.int64


def test_duplicate_year_written_two_ways():
    df = pd.DataFrame({"iso3": ["FRA", "FRA"], "year": ["2020", "2020.0"], "population": [1, 2]})
    with pytest.raises(DataError, match=r"duplicate rows for FRA in 2020;"):
        validate_panel(df)


def test_non_integer_year():
    df = _panel(population=[1.0, 2.0]).assign(year=[2020.5, 2020])
    with pytest.raises(DataError, match=r"year 2020.5 for FRA is not a whole number"):
        validate_panel(df)


def test_missing_required_indicator():
    with pytest.raises(
        DataError, match=r"missing required indicator\(s\) \['gdp_usd'\].*add the column"
    ):
        validate_panel(_panel(population=[1.0, 2.0]), required=["population", "gdp_usd"])


def test_all_problems_listed_in_one_error():
    df = _panel(population=[-1.0, "x"])
    with pytest.raises(DataError, match=r"^2 problem\(s\) in the panel"):
        validate_panel(df)


def test_no_index_no_columns():
    with pytest.raises(DataError, match=r"needs an \(iso3, year\) index"):
        validate_panel(pd.DataFrame({"a": [1]}))


def test_nothing_dropped_or_filled():
    df = _panel(population=[np.nan, 2.0])
    out = validate_panel(df)
    assert len(out) == 2 and np.isnan(out.loc[("FRA", 2020), "population"])


# --- read_panel ----------------------------------------------------------------

WIDE = (
    "country,year,population,urban_pct\nViet Nam,2020,97338583,37.3\nRussia,2020,144073139,74.8\n"
)
LONG = (
    "iso3,year,indicator,value\n"
    "NAM,2020,population,2489098\n"
    "NAM,2020,urban_pct,51.9\n"
    "KOR,2019,population,51764822\n"
)


def test_read_wide_csv_harmonises_names(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(WIDE)
    out = read_panel(path, required=["population"])
    assert list(out.index) == [("VNM", 2020), ("RUS", 2020)]
    assert out.loc[("VNM", 2020), "urban_pct"] == 37.3
    assert out.attrs["country_mapping"] == {"Viet Nam": "VNM", "Russia": "RUS"}


def test_read_long_csv_keeps_namibia(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(LONG)
    out = read_panel(path)
    assert out.loc[("NAM", 2020), "urban_pct"] == 51.9
    assert np.isnan(out.loc[("KOR", 2019), "urban_pct"])


def test_read_excel_and_parquet(tmp_path):
    df = pd.DataFrame(
        {"country": ["Korea, Rep.", "Türkiye"], "year": [2020, 2020], "gdp_usd": [1.6e12, 7.2e11]}
    )
    xl, pq = tmp_path / "p.xlsx", tmp_path / "p.parquet"
    df.to_excel(xl, index=False)
    df.to_parquet(pq)
    for path in (xl, pq):
        out = read_panel(path)
        assert list(out.index.get_level_values("iso3")) == ["KOR", "TUR"]
        assert out["gdp_usd"].tolist() == [1.6e12, 7.2e11]


def test_read_parquet_saved_with_its_index(tmp_path):
    """A panel saved with its (iso3, year) index reads back unchanged."""
    panel = load_panel(["population", "urban_pct"]).loc[["FRA", "NAM"]]
    path = tmp_path / "p.parquet"
    panel.to_parquet(path)
    pd.testing.assert_frame_equal(read_panel(path), panel, check_freq=False)


def test_read_unknown_country_lists_close_matches(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("country,year,population\nGermny,2020,1\n")
    with pytest.raises(DataError, match=r"unknown country 'Germny'; closest known names: germany"):
        read_panel(path)


def test_read_two_names_same_country_is_duplicate(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("country,year,population\nTurkey,2020,1\nTürkiye,2020,2\n")
    with pytest.raises(DataError, match=r"duplicate rows for TUR in 2020"):
        read_panel(path)


def test_read_long_duplicate(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(LONG + "NAM,2020,urban_pct,52\n")
    with pytest.raises(DataError, match=r"duplicate rows for NAM in 2020 \(urban_pct\)"):
        read_panel(path)


def test_read_na_text_is_not_missing(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("iso3,year,population\nFRA,2020,n/a\n")
    with pytest.raises(DataError, match=r"population for FRA in 2020 is 'n/a', not a number"):
        read_panel(path)


def test_read_missing_columns_and_types(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("place,year,x\nFRA,2020,1\n")
    with pytest.raises(DataError, match=r"no country column"):
        read_panel(a)
    b = tmp_path / "b.csv"
    b.write_text("iso3,x\nFRA,1\n")
    with pytest.raises(DataError, match=r"no 'year' column"):
        read_panel(b)
    c = tmp_path / "c.json"
    c.write_text("{}")
    with pytest.raises(DataError, match=r"unknown file type \.json"):
        read_panel(c)
    with pytest.raises(DataError, match=r"not found"):
        read_panel(tmp_path / "none.csv")


def test_read_wide_with_name_and_code_columns(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("iso3,country,year,gdp_growth\nFRA,France,2020,-7.5\n")
    out = read_panel(path)
    assert list(out.columns) == ["gdp_growth"]  # growth may be negative
    assert out.loc[("FRA", 2020), "gdp_growth"] == -7.5
