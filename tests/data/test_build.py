"""The build: shipped files equal a fresh build; mappings; loud failures."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from carbonshare.data import raw as rw
from carbonshare.data.build import build_all, main, write_all
from carbonshare.data.bundled import (
    BUNDLED,
    read_countries_file,
    read_panel_file,
)
from carbonshare.errors import DataError

MAPPINGS = Path(rw.__file__).with_name("mappings")


def test_shipped_panel_equals_fresh_build(fresh_build):
    shipped = read_panel_file(BUNDLED / "panel.csv.gz")
    pd.testing.assert_frame_equal(shipped, fresh_build["panel"], check_exact=True)


def test_shipped_countries_equal_fresh_build(fresh_build, tmp_path):
    write_all(fresh_build, tmp_path)
    shipped = read_countries_file(BUNDLED / "countries.csv")
    fresh = read_countries_file(tmp_path / "countries.csv")
    pd.testing.assert_frame_equal(shipped, fresh, check_exact=True)
    # the in-memory table round-trips through CSV
    assert list(fresh.index) == list(fresh_build["countries"].index)


def test_shipped_boundaries_sources_report_equal_fresh_build(fresh_build):
    with gzip.open(BUNDLED / "boundaries_110m.json.gz", "rt", encoding="utf-8") as fh:
        assert json.load(fh) == fresh_build["boundaries"]
    shipped = pd.read_csv(BUNDLED / "sources.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(shipped, fresh_build["sources"])
    assert json.loads((BUNDLED / "build_report.json").read_text()) == fresh_build["report"]


def test_bundled_size_is_compact():
    total = sum(p.stat().st_size for p in BUNDLED.iterdir())
    assert total < 3_000_000


def test_main_writes_to_out(raw_dir, tmp_path):
    assert main(["--raw", str(raw_dir), "--out", str(tmp_path)]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {p.name for p in BUNDLED.iterdir() if not p.name.startswith(".")}


def test_main_missing_raw(tmp_path, capsys):
    assert main(["--raw", str(tmp_path / "nope"), "--out", str(tmp_path)]) == 2
    assert "raw data folder" in capsys.readouterr().err


# --- mapping tables ---------------------------------------------------------


def test_gcp_names_table(raw_dir):
    table = pd.read_csv(MAPPINGS / "gcp_names.csv", dtype=str, keep_default_na=False)
    assert table["gcp_name"].is_unique and table["iso3"].is_unique
    assert table["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    m = dict(zip(table["gcp_name"], table["iso3"], strict=True))
    assert m["United States of America"] == "USA"
    assert m["Occupied Palestinian Territory"] == "PSE"
    assert m["Swaziland"] == "SWZ"
    assert m["Kosovo"] == "XKX"
    assert m["Democratic Republic of the Congo"] == "COD" and m["Congo"] == "COG"
    assert m["Niger"] == "NER" and m["Nigeria"] == "NGA"
    header = (raw_dir / "global-carbon-atlas" / "mtco2_1960-2021.csv").read_text().splitlines()[0]
    names = [n.strip('"') for n in header.split(";")[1:]]
    assert set(names) == set(m)


def test_gcp_names_agree_with_iso_3166():
    """Independent check of every GCP row: pycountry's exact lookup of the GCP name
    gives the same ISO3; the 11 names pycountry does not know are checked by hand."""
    import pycountry

    table = pd.read_csv(MAPPINGS / "gcp_names.csv", dtype=str, keep_default_na=False)
    by_hand = {
        "Bonaire, Saint Eustatius and Saba": "BES",
        "Cape Verde": "CPV",
        "Democratic Republic of the Congo": "COD",
        "Faeroe Islands": "FRO",
        "Kosovo": "XKX",
        "Micronesia (Federated States of)": "FSM",
        "Occupied Palestinian Territory": "PSE",
        "Saint Helena": "SHN",
        "Swaziland": "SWZ",
        "Turkey": "TUR",
        "Wallis and Futuna Islands": "WLF",
    }
    for name, iso3 in table[["gcp_name", "iso3"]].itertuples(index=False):
        if name in by_hand:
            assert iso3 == by_hand[name], name
        else:
            assert pycountry.countries.lookup(name).alpha_3 == iso3, name


def test_geo_ids_table_agrees_with_gapminder(raw_dir):
    table = pd.read_csv(MAPPINGS / "geo_ids.csv", dtype=str, keep_default_na=False)
    assert table["geo"].is_unique
    ent = pd.read_csv(
        raw_dir / "gapminder-systema-globalis" / "ddf--entities--geo--country.csv",
        dtype=str,
        keep_default_na=False,
    )
    gm = dict(zip(ent["country"], ent["iso3166_1_alpha3"], strict=True))
    for geo, iso3, kind in table[["geo", "iso3", "kind"]].itertuples(index=False):
        if kind == "country" and gm.get(geo):
            assert gm[geo] == iso3, geo
        if kind != "country":
            assert iso3 == ""
    t = table.set_index("geo")["iso3"]
    assert t["kos"] == "XKX" and t["chanisl"] == "CHI" and t["nld_curacao"] == "CUW"


def test_owid_entities_are_aggregates():
    table = pd.read_csv(MAPPINGS / "owid_entities.csv", dtype=str, keep_default_na=False)
    assert set(table["kind"]) == {"aggregate"}
    assert "World" in set(table["entity"])


def test_capital_corrections_table():
    table = pd.read_csv(MAPPINGS / "capital_corrections.csv", dtype=str, keep_default_na=False)
    assert table["iso3"].is_unique
    assert (table["reason"].str.len() > 10).all()
    assert table.set_index("iso3").loc["MMR", "capital"] == "Naypyidaw"


# --- loud failures on unmapped names and bad values -------------------------


def _raw_copy(raw_dir: Path, tmp_path: Path, folder: str) -> Path:
    """A raw folder of symlinks, with ``folder`` copied so it can be edited."""
    new = tmp_path / "raw"
    new.mkdir()
    for sub in raw_dir.iterdir():
        if sub.name == folder:
            shutil.copytree(sub, new / folder)
            for f in (new / folder).iterdir():
                f.chmod(0o644)
        else:
            (new / sub.name).symlink_to(sub)
    return new


def _append(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


def test_unmapped_gcp_name_fails(raw_dir, tmp_path):
    raw = _raw_copy(raw_dir, tmp_path, "global-carbon-atlas")
    path = raw / "global-carbon-atlas" / "mtco2_1960-2021.csv"
    lines = path.read_text().splitlines()
    lines = [lines[0] + ";Atlantis"] + [ln + ";1.0" for ln in lines[1:]]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"\['Atlantis'\] have no ISO3.*gcp_names\.csv"):
        build_all(raw)


def test_negative_gcp_value_fails(raw_dir, tmp_path):
    raw = _raw_copy(raw_dir, tmp_path, "global-carbon-atlas")
    path = raw / "global-carbon-atlas" / "mtco2_1960-2021.csv"
    text = path.read_text().replace("\n2019;", "\n2019;-", 1)  # Afghanistan 2019
    path.write_text(text)
    with pytest.raises(DataError, match=r"co2_t for Afghanistan in 2019 is -.*>= 0"):
        build_all(raw)


def test_non_numeric_value_fails(raw_dir, tmp_path):
    raw = _raw_copy(raw_dir, tmp_path, "datahub-gdp")
    path = raw / "datahub-gdp" / "gdp.csv"
    lines = path.read_text().splitlines()
    lines[1] = ",".join(lines[1].split(",")[:3] + ["n/a"])
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"gdp_usd for Afghanistan in 2000 is 'n/a', not a number"):
        build_all(raw)


def test_percentage_above_100_fails(raw_dir, tmp_path):
    raw = _raw_copy(raw_dir, tmp_path, "owid-clean-cooking")
    path = raw / "owid-clean-cooking" / "access-to-clean-fuels-and-technologies-for-cooking.csv"
    lines = path.read_text().splitlines()
    lines[1] = "Afghanistan,AFG,1990,101.5"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"clean_cooking_pct for Afghanistan in 1990 is 101.5"):
        build_all(raw)


def test_unknown_owid_entity_fails(raw_dir, tmp_path):
    raw = _raw_copy(raw_dir, tmp_path, "owid-consumption-co2")
    path = raw / "owid-consumption-co2" / "consumption-co2-emissions.csv"
    _append(path, "Middle Earth,,2000,5")
    with pytest.raises(DataError, match=r"Middle Earth.*owid_entities\.csv"):
        build_all(raw)


def test_unknown_geo_id_fails(raw_dir, tmp_path):
    raw = _raw_copy(raw_dir, tmp_path, "gapminder-systema-globalis")
    path = (
        raw / "gapminder-systema-globalis" / "ddf--datapoints--forest_area_sq_km--by--geo--time.csv"
    )
    _append(path, "zzz,2000,1.0")
    with pytest.raises(DataError, match=r"geo ids \['zzz'\].*geo_ids\.csv"):
        build_all(raw)


def test_unknown_wb_code_fails(raw_dir, tmp_path):
    raw = _raw_copy(raw_dir, tmp_path, "datahub-population")
    path = raw / "datahub-population" / "population.csv"
    _append(path, "Nowhere,QQQ,2000,5")
    with pytest.raises(DataError, match=r"codes \['QQQ'\] are neither economies nor aggregates"):
        build_all(raw)


def test_capitals_parser_repairs_washington(raw_dir):
    caps = rw.read_capitals(raw_dir / "capitals" / "country-capitals.csv")
    us = caps[caps["code"] == "US"].iloc[0]
    assert us["capital"] == "Washington, D.C." and us["lon"].startswith("-77")
    assert (caps["code"] == "NA").sum() == 1  # Namibia kept as text


# --- CEPII GeoDist pairs ----------------------------------------------------


def test_shipped_cepii_pairs_equal_fresh_build(fresh_build):
    from carbonshare.data.bundled import read_dyads_file

    shipped = read_dyads_file(BUNDLED / "dist_cepii.csv.gz")
    pd.testing.assert_frame_equal(shipped, fresh_build["dyads"], check_exact=True)
    assert (shipped["iso_o"] < shipped["iso_d"]).all()


def test_unknown_cepii_code_fails(raw_dir, tmp_path):
    raw = _raw_copy(raw_dir, tmp_path, "cepii_geodist")
    _append(raw / "cepii_geodist" / "dist_cepii.csv", "XYZ,FRA,0,0,0,0,0,0,0,0,1,1,1,1")
    with pytest.raises(DataError, match=r"codes \['XYZ'\] are neither ISO 3166.*cepii_codes\.csv"):
        build_all(raw)


def test_cepii_legacy_code_next_to_its_iso_code_fails(raw_dir, tmp_path):
    raw = _raw_copy(raw_dir, tmp_path, "cepii_geodist")
    _append(raw / "cepii_geodist" / "dist_cepii.csv", "ROU,FRA,0,1,1,0,0,0,0,0,1,1,1,1")
    with pytest.raises(DataError, match=r"\['ROU'\] appear both as ISO3 codes and as targets"):
        build_all(raw)


def test_bad_cepii_distance_fails(raw_dir, tmp_path):
    raw = _raw_copy(raw_dir, tmp_path, "cepii_geodist")
    path = raw / "cepii_geodist" / "dist_cepii.csv"
    path.write_text(
        path.read_text().replace(
            "ABW,AFG,0,0,0,0,0,0,0,0,13257.81", "ABW,AFG,0,0,0,0,0,0,0,0,n/a", 1
        )
    )
    with pytest.raises(DataError, match=r"dist for ABW-AFG is 'n/a'"):
        build_all(raw)


def test_unknown_unsd_m49_code_fails(raw_dir, tmp_path):
    import openpyxl

    raw = _raw_copy(raw_dir, tmp_path, "unsd_ama_gdp")
    path = raw / "unsd_ama_gdp" / "Download-GDPcurrent-USD-countries_2026vintage.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet["A4"].value == 4  # Afghanistan, first data row
    for row in sheet.iter_rows(min_row=4):
        if row[0].value == 4:
            row[0].value = 999
            row[1].value = "Atlantis"
    book.save(path)
    with pytest.raises(DataError, match=r"M49 codes \['999 Atlantis'\].*unsd_m49\.csv"):
        build_all(raw)
