"""The blue-carbon build: shipped files equal a fresh build; mappings; loud failures."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from carbonshare.data import blue, load_countries, sources
from carbonshare.data.blue_names import BlueLog, map_codes, map_names
from carbonshare.data.build_blue import build_blue, main, write_blue
from carbonshare.data.bundled import read_panel_file
from carbonshare.data.names import build_name_index, match_country
from carbonshare.data.raw import read_mapping
from carbonshare.errors import DataError


@pytest.fixture(scope="module")
def fresh(raw_dir):
    return build_blue(raw_dir)


def test_shipped_panel_and_flags_equal_fresh_build(fresh):
    panel = read_panel_file(blue.BUNDLED / blue.BLUE_PANEL_FILE)
    pd.testing.assert_frame_equal(panel, fresh["panel"], check_exact=False, rtol=1e-9)
    flags = blue.read_blue_flags_file(blue.BUNDLED / blue.BLUE_FLAGS_FILE)
    pd.testing.assert_frame_equal(flags, fresh["flags"].astype(object), check_dtype=False)


def test_shipped_files_equal_fresh_build_bytes(fresh, tmp_path):
    write_blue(fresh, tmp_path)
    for name in blue.BLUE_FILES:
        assert (tmp_path / name).read_bytes() == (blue.BUNDLED / name).read_bytes(), name


def test_main_writes_every_blue_file(raw_dir, tmp_path):
    assert main(["--raw", str(raw_dir), "--out", str(tmp_path)]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert names == set(blue.BLUE_FILES)
    assert not list(tmp_path.glob("*.part"))


def test_main_missing_raw(tmp_path, capsys):
    assert main(["--raw", str(tmp_path / "nope"), "--out", str(tmp_path)]) == 2
    assert "raw data folder" in capsys.readouterr().err


def test_flags_only_where_values_and_known_words(fresh):
    panel, flags = fresh["panel"], fresh["flags"]
    assert (flags.index == panel.index).all() and list(flags.columns) == list(panel.columns)
    assert set(flags.stack().unique()) <= {"", *blue.FLAG_WORDS}
    assert (flags[panel.isna()].fillna("") == "").all().all()


def test_unmapped_name_is_an_error():
    log = BlueLog()
    df = pd.DataFrame({"entity": ["Indonesia", "Atlantis"], "year": [2000, 2000]})
    with pytest.raises(DataError, match="Atlantis.*blue_names.csv"):
        map_names(df, "gmw3", load_countries(), log)


def test_name_table_pointing_outside_the_country_table_is_an_error(monkeypatch):
    import carbonshare.data.blue_names as bn

    table = read_mapping("blue_names.csv")
    table.loc[(table["source"] == "gmw3") & (table["name"] == "Indonesia"), "iso3"] = "IDX"
    monkeypatch.setattr(bn, "read_mapping", lambda name: table.copy())
    df = pd.DataFrame({"entity": ["Indonesia"], "year": [2000]})
    with pytest.raises(DataError, match="IDX.*not in the country table"):
        map_names(df, "gmw3", load_countries(), BlueLog())


def test_unknown_code_is_an_error_and_aggregates_are_logged():
    log = BlueLog()
    df = pd.DataFrame({"entity": ["usa", "wld", "hkg"], "year": [2019] * 3})
    out = map_codes(df, "wdi_mpa", load_countries(), frozenset({"WLD"}), log)
    assert list(out["iso3"]) == ["USA", "HKG"]
    assert log.dropped["wdi_mpa"]["World Bank aggregate"] == ["WLD"]
    with pytest.raises(DataError, match="'QQQ'"):
        map_codes(pd.DataFrame({"entity": ["QQQ"]}), "wdi_mpa", load_countries(), frozenset(), log)


def test_name_table_agrees_with_the_country_table():
    """Every mapped name the country table also knows maps to the same ISO3;
    every left-out name has a reason."""
    table = read_mapping("blue_names.csv")
    index = build_name_index(load_countries())
    for row in table.itertuples():
        hit = match_country(row.name, index)
        if row.iso3 and hit is not None and row.source != "gmw3":
            assert hit == row.iso3, row
        assert row.reason, row
    assert not table.duplicated(["source", "name"]).any()


def test_ohi_region_table_is_complete_and_unique():
    table = read_mapping("blue_ohi_regions.csv")
    assert not table["rgn_id"].duplicated().any()
    main_rows = table[table["role"] == "main"]
    assert not main_rows["iso3"].duplicated().any()
    assert (table.loc[table["iso3"] == "", "role"] == "").all()
    assert table["reason"].str.len().gt(0).all()
    # French overseas departments add their areas to France
    assert set(table.loc[table["iso3"] == "FRA", "rgn_name"]) >= {
        "France",
        "French Guiana",
        "Mayotte",
    }


def test_build_report_records_what_was_left_out():
    rep = blue.blue_build_report()
    assert (
        "Anguilla"
        in rep["dropped"]["gmw3"]["territory outside the country table (not a World Bank economy)"]
    )
    assert any("GLOBAL AVARAGE" in v for v in rep["dropped"]["cpi_datahub"].values())
    assert rep["notes"]["mangrove_epochs"] == [1996, 2007, 2008, 2009, 2010] + list(
        range(2015, 2021)
    )
    assert json.loads(json.dumps(rep)) == rep


def test_sources_lists_the_blue_rows():
    everything = sources(blue=True)
    blue_rows = everything[everything["source"].isin(blue.blue_sources_table()["source"])]
    used = ",".join(blue_rows["used_for"])
    for column in blue.BLUE_COLUMNS:
        assert column in used, column
    assert (blue_rows["commit"].str.len().isin([0, 40])).all()
    assert len(sources()) < len(everything)


def test_cli_data_sources_lists_the_blue_series(capsys):
    from carbonshare.cli import main as cli_main

    assert cli_main(["data", "sources"]) == 0
    out = capsys.readouterr().out
    assert "Global Mangrove Watch" in out and "Carbon Pricing Dashboard" in out
    assert "Ricke" in out and "Mcleod" in out


def _copy(raw_dir, tmp_path, rel):
    dest = tmp_path / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes((raw_dir / rel).read_bytes())
    return dest


def test_bad_raw_values_stop_the_readers(raw_dir, tmp_path):
    from carbonshare.data import raw_blue as rb

    gmw = _copy(raw_dir, tmp_path, rb.GMW_FILE)
    text = gmw.read_text()
    gmw.write_text(text.replace('"Comoros","1996",0.97', '"Comoros","1996",-0.97', 1))
    with pytest.raises(DataError, match="Comoros.*negative"):
        rb.read_gmw(tmp_path)
    gmw.write_text(text.replace('"Comoros","1996",0.97', '"Comoros","1996",n/a', 1))
    with pytest.raises(DataError, match="Comoros.*not a number"):
        rb.read_gmw(tmp_path)
    with pytest.raises(DataError, match="CRI edition 2019"):
        rb.read_cri(raw_dir, 2019)
    with pytest.raises(DataError, match="not found"):
        rb.read_scimago(tmp_path)


def test_conflicting_duplicate_cpi_rows_stop_the_reader(raw_dir, tmp_path):
    from carbonshare.data import raw_blue as rb

    cpi = _copy(raw_dir, tmp_path, rb.CPI_DATAHUB_FILE)
    lines = cpi.read_bytes().split(b"\n")
    denmark = next(line for line in lines if line.startswith(b"Denmark,"))
    cpi.write_bytes(cpi.read_bytes() + denmark.replace(b"9.33", b"9.99") + b"\n")
    with pytest.raises(DataError, match="'Denmark' has two values for 1995"):
        rb.read_cpi_datahub(tmp_path)
