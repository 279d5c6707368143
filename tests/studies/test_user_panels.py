"""One validation path for every user panel: files, the ``panel=`` API, countries or not.

Every user panel goes through ``read_table`` -> ``panel_from_table`` ->
``validate_panel`` (carbonshare.data.userdata), whatever the entry point.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.data import load_panel
from carbonshare.data.userdata import prepare_panel, read_panel, read_table, read_user_panel
from carbonshare.errors import DataError
from carbonshare.studies.alliances import run_alliances
from carbonshare.studies.alliances_config import AlliancesConfig
from carbonshare.studies.principles import PrinciplesConfig, run_principles

FEW = ["USA", "DEU", "NAM", "IND", "BRA", "CHN", "FRA", "NGA"]
RULES = [{"rule": "grandfathering"}, {"rule": "egalitarian"}]


def _principles_cfg(**data) -> PrinciplesConfig:
    return PrinciplesConfig(
        data=data,
        rules=RULES,
        budget={"source": "tonnes", "tonnes": 1e11},
        output={"figures": False, "report": False},
    )


@pytest.fixture(scope="module")
def few_panel() -> pd.DataFrame:
    panel = load_panel(["co2_t", "population", "gdp_usd"])
    return panel.loc[panel.index.get_level_values(0).isin(FEW)]


# ----------------------------------------------------------------------------- the panel= API


def test_alliance_panel_with_impossible_values_is_refused():
    panel = load_panel()
    bad = panel.copy()
    bad.loc[("FRA", 2018), "urban_pct"] = 8000.0
    bad.loc[("DEU", 2017), "population"] = -8.3e7
    with pytest.raises(DataError, match=r"panel=: .*urban_pct for FRA in 2018 is 8000") as info:
        run_alliances(AlliancesConfig(), panel=bad)
    assert "population for DEU in 2017 is -8.3e+07" in str(info.value)


def test_principles_panel_two_spellings_of_one_country(few_panel):
    relabelled = few_panel.rename(index={"USA": "United States"}, level=0)
    both = pd.concat([few_panel, relabelled.loc[["United States"]]])
    with pytest.raises(DataError, match=r"'USA' and 'United States' are the same entity USA"):
        run_principles(_principles_cfg(), panel=both)


def test_duplicate_row_in_the_library_api_is_named(few_panel):
    doubled = pd.concat([few_panel, few_panel.loc[[("FRA", 2019)]]])
    with pytest.raises(DataError, match=r"duplicate rows for FRA in 2019; keep one row"):
        prepare_panel(doubled)


def test_iso2_codes_and_trailing_spaces_give_the_iso3_result(few_panel):
    cfg = _principles_cfg()
    ref = run_principles(cfg, panel=few_panel)
    iso2 = {"USA": "US ", "DEU": "DE", "NAM": "NA", "IND": "India", "BRA": "BR"}
    other = few_panel.rename(index=iso2, level=0)
    other.index = other.index.set_names(["iso2", "year"])  # an ISO2 index is not a year problem
    got = run_principles(cfg, panel=other)
    pd.testing.assert_frame_equal(got.shares.sort_index(), ref.shares.sort_index())
    assert "NAM" in got.shares.index and got.names["NAM"] == "Namibia"
    resolved = {r["detail"] for r in got.manifest.repairs if r["action"] == "country code resolved"}
    assert "'NA' read as NAM" in resolved and "'US' read as USA" in resolved


def test_alliance_panel_with_iso2_index_runs_like_iso3():
    panel = load_panel()
    cfg = AlliancesConfig(
        countries={"only": ["USA", "CAN", "MEX", "FRA", "DEU", "ITA", "ESP", "NAM", "ZAF", "BWA"]},
        output={"figures": False, "report": False},
    )
    ref = run_alliances(cfg, panel=panel)
    to_iso2 = {"USA": "US", "NAM": "NA", "DEU": "DE", "ZAF": "ZA"}
    iso2 = panel.rename(index=to_iso2, level=0).rename_axis(["iso2", "year"])
    got = run_alliances(cfg, panel=iso2)
    pd.testing.assert_frame_equal(got.country_shares, ref.country_shares)


def test_non_country_entities_keep_their_names():
    idx = pd.MultiIndex.from_product([["Plant A", "Plant B "], [2019]], names=["plant", "year"])
    panel = pd.DataFrame({"co2_t": [1.0, 3.0]}, index=idx)
    user = prepare_panel(panel, entities="auto")
    assert user.entities == "other"
    assert list(user.panel.index.get_level_values(0)) == ["Plant A", "Plant B"]
    with pytest.raises(DataError, match=r"'Plant B' and 'Plant B ' are the same entity Plant B"):
        prepare_panel(panel.rename(index={"Plant A": "Plant B"}, level=0), entities="other")


# ----------------------------------------------------------------------------- files


def test_namibia_na_survives_every_format(tmp_path, few_panel):
    wide = few_panel.reset_index().rename(columns={"iso3": "iso2"})
    wide["iso2"] = wide["iso2"].replace({"NAM": "NA", "USA": "US"})
    paths = [tmp_path / "p.csv", tmp_path / "p.xlsx", tmp_path / "p.parquet"]
    wide.to_csv(paths[0], index=False)
    wide.to_excel(paths[1], index=False)
    wide.to_parquet(paths[2], index=False)
    for path in paths:
        panel = read_panel(path)
        assert "NAM" in panel.index.get_level_values("iso3"), path
        assert panel.attrs["country_mapping"]["NA"] == "NAM"
    # and the principles study lists Namibia under its name, not under an empty one
    result = run_principles(_principles_cfg(source="csv", path=paths[0]))
    assert result.names["NAM"] == "Namibia" and result.names.notna().all()


def test_latin1_semicolon_file(tmp_path):
    path = tmp_path / "p.csv"
    text = "country;year;population\nCôte d'Ivoire;2019;25716554\nCuraçao;2019;157441\n"
    path.write_bytes(text.encode("latin-1"))
    panel = read_panel(path)
    assert set(panel.index.get_level_values(0)) == {"CIV", "CUW"}
    assert read_table(path).attrs["read_notes"] == ["p.csv: not UTF-8, read as cp1252",
                                                    "p.csv: delimiter ';'"]  # fmt: skip


def test_excel_sheet_by_name(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"read me": ["see data"]}).to_excel(writer, sheet_name="README", index=False)
        pd.DataFrame({"iso3": ["FRA"], "year": [2019], "population": [6.7e7]}).to_excel(
            writer, sheet_name="data", index=False
        )
    with pytest.raises(DataError, match=r"first sheet 'README' .* sheet 'data'; pass --sheet"):
        read_panel(path)
    assert read_panel(path, sheet="data").loc[("FRA", 2019), "population"] == 6.7e7


def test_one_text_cell_is_named_not_a_vanished_column(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text("firm,year,co2,sector\nA,2019,1.5,steel\nB,2019,n/a,cement\nC,2019,2,steel\n")
    with pytest.raises(DataError, match=r"co2 for B in 2019 is 'n/a', not a number"):
        read_user_panel(path, entity_column="firm", entities="other")
    path.write_text("firm,year,co2,sector\nA,2019,1.5,steel\nB,2019,,cement\n")
    user = read_user_panel(path, entity_column="firm", entities="other")
    assert list(user.panel.columns) == ["co2"]  # sector: an attribute, not an indicator
    assert user.attributes["sector"].to_dict() == {"A": "steel", "B": "cement"}
    assert np.isnan(user.panel.loc[("B", 2019), "co2"])
