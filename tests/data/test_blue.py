"""Blue-carbon panel and tables against the raw files (read here with plain pandas)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.data.blue import (
    BLUE_COLUMNS,
    DEFAULT_CSCC_CASE,
    LAST_YEAR,
    blue_build_report,
    coastal_countries,
    coastal_exclusions,
    cscc_cases,
    load_blue_flags,
    load_blue_panel,
    load_burial_rates,
    load_cscc,
)
from carbonshare.data.bundled import load_countries
from carbonshare.errors import DataError


@pytest.fixture(scope="module")
def panel():
    return load_blue_panel()


@pytest.fixture(scope="module")
def flags():
    return load_blue_flags()


def test_panel_shape_and_columns(panel):
    assert list(panel.columns) == list(BLUE_COLUMNS)
    assert panel.index.names == ["iso3", "year"]
    countries = load_countries().index
    assert set(panel.index.get_level_values("iso3")) == set(countries)
    years = sorted(set(panel.index.get_level_values("year")))
    assert years == list(range(1996, LAST_YEAR + 1))
    assert all(dtype == np.float64 for dtype in panel.dtypes)


# ------------------------------------------------------------------ mangroves (GMW v3)


@pytest.fixture(scope="module")
def gmw(raw_dir):
    return pd.read_csv(raw_dir / "ohi_mangrove_gmw3" / "gmw_paper_extents_1996-2020.csv")


@pytest.mark.parametrize(
    ("name", "iso3", "year"),
    [
        ("Indonesia", "IDN", 2020),
        ("Australia", "AUS", 1996),
        ("Mexico", "MEX", 2010),
        ("Viet Nam", "VNM", 2016),
    ],
)
def test_mangrove_epochs_equal_raw(panel, flags, gmw, name, iso3, year):
    raw = gmw.loc[(gmw["country"] == name) & (gmw["year"] == year), "km2"].item()
    assert panel.loc[(iso3, year), "mangrove_km2"] == pytest.approx(raw, rel=1e-12)
    assert flags.loc[(iso3, year), "mangrove_km2"] == ""


def test_mangrove_france_adds_its_overseas_departments(panel, gmw):
    dom = ["French Guiana", "Guadeloupe", "Martinique", "Mayotte"]
    raw = gmw[(gmw["country"].isin(dom)) & (gmw["year"] == 2020)]["km2"].sum()
    assert panel.loc[("FRA", 2020), "mangrove_km2"] == pytest.approx(raw)


def test_mangrove_interpolation_between_epochs(panel, flags, gmw):
    idn = gmw[gmw["country"] == "Indonesia"].set_index("year")["km2"]
    # 2000 lies 4/11 of the way from 1996 to 2007
    expected = idn[1996] + (idn[2007] - idn[1996]) * 4 / 11
    assert panel.loc[("IDN", 2000), "mangrove_km2"] == pytest.approx(expected, rel=1e-12)
    # 2013 lies 3/5 of the way from 2010 to 2015
    expected = idn[2010] + (idn[2015] - idn[2010]) * 3 / 5
    assert panel.loc[("IDN", 2013), "mangrove_km2"] == pytest.approx(expected, rel=1e-12)
    interp = [y for y in range(1996, 2021) if y not in idn.index]
    assert (flags.loc["IDN"].loc[interp, "mangrove_km2"] == "interpolated").all()
    # interpolated values stay between their epochs, and nothing after 2020
    assert panel.loc[("IDN", 2021), "mangrove_km2"] != panel.loc[("IDN", 2021), "mangrove_km2"]


def test_mangrove_absent_country_is_zero_flagged(panel, flags):
    assert panel.loc[("NOR", 2005), "mangrove_km2"] == 0.0
    assert flags.loc[("NOR", 2005), "mangrove_km2"] == "absent"


# ------------------------------------------------------------------ OHI habitats and scores


@pytest.fixture(scope="module")
def ohi_regions(raw_dir):
    return pd.read_csv(raw_dir / "ohi_scores" / "regions_list.csv")


def _habitat(raw_dir, habitat):
    return pd.read_csv(raw_dir / "ohi_habitats" / f"hab_{habitat}_extent.csv").set_index("rgn_id")


@pytest.mark.parametrize(
    ("habitat", "rgn_ids", "iso3", "snap"),
    [
        ("seagrass", [216], "IDN", 2020),
        ("seagrass", [209], "CHN", 2020),
        ("saltmarsh", [163], "USA", 2017),
        ("saltmarsh", [180], "GBR", 2017),
        ("saltmarsh", [209], "CHN", 2017),
    ],
)
def test_static_habitat_equals_raw_every_year(panel, flags, raw_dir, habitat, rgn_ids, iso3, snap):
    raw = _habitat(raw_dir, habitat).loc[rgn_ids, "km2"].sum()
    col = f"{habitat}_km2"
    assert panel.loc[iso3, col].to_numpy() == pytest.approx(np.full(LAST_YEAR - 1995, raw))
    assert flags.loc[(iso3, snap), col] == ""
    assert (flags.loc[iso3, col].drop(snap) == "static").all()


def test_habitat_sums_outlying_parts(panel, raw_dir):
    sea = _habitat(raw_dir, "seagrass")["km2"]
    parts = [r for r in (16, 4) if r in sea.index]  # Australia + Macquarie Island
    assert panel.loc[("AUS", 2010), "seagrass_km2"] == pytest.approx(sea[parts].sum())


@pytest.mark.parametrize(
    ("rgn", "iso3", "year"), [(216, "IDN", 2012), (175, "DNK", 2019), (163, "USA", 2024)]
)
def test_ocean_health_equals_raw(panel, raw_dir, rgn, iso3, year):
    raw = pd.read_csv(raw_dir / "ohi_scores" / "index_scores_wide_all_years.csv")
    value = raw.loc[raw["region_id"] == rgn, str(year)].item()
    assert panel.loc[(iso3, year), "ocean_health_index"] == value
    assert np.isnan(panel.loc[(iso3, 2011), "ocean_health_index"])


# ------------------------------------------------------------------ governance (CPI)


@pytest.fixture(scope="module")
def cpi_hub(raw_dir):
    hub = pd.read_csv(raw_dir / "ti_cpi_datahub" / "cpi.csv", encoding="latin-1")
    return hub.dropna(how="all").set_index("country")


@pytest.fixture(scope="module")
def cpi_ti(raw_dir):
    path = raw_dir / "ti_cpi_2012_2023" / "CPI2024_GlobalResultsTrends_loupeat.csv"
    return pd.read_csv(path, sep=";", skiprows=2, encoding="utf-8-sig").set_index("ISO3")


@pytest.mark.parametrize(
    ("name", "iso3", "year"),
    [("Denmark", "DNK", 1996), ("Indonesia", "IDN", 2005), ("Brazil", "BRA", 2011)],
)
def test_cpi_early_years_are_the_datahub_score_times_ten(panel, flags, cpi_hub, name, iso3, year):
    assert panel.loc[(iso3, year), "cpi_0_100"] == pytest.approx(cpi_hub.loc[name, str(year)] * 10)
    assert flags.loc[(iso3, year), "cpi_0_100"] == "rescaled"


@pytest.mark.parametrize(("iso3", "year"), [("DNK", 2019), ("IDN", 2012), ("SOM", 2024)])
def test_cpi_late_years_are_ti_scores(panel, flags, cpi_ti, iso3, year):
    col = f"CPI score {year}" if year >= 2014 else f"CPI Score {year}"
    assert panel.loc[(iso3, year), "cpi_0_100"] == cpi_ti.loc[iso3, col]
    assert flags.loc[(iso3, year), "cpi_0_100"] == ""


def test_cpi_scale_harmonisation_on_the_overlap(cpi_hub, cpi_ti):
    """2012-2017 are in both files: the datahub's 0-10 values x 10 equal TI's 0-100."""
    pairs = [
        ("Denmark", "DNK"),
        ("Indonesia", "IDN"),
        ("Brazil", "BRA"),
        ("Nigeria", "NGA"),
        ("Germany", "DEU"),
    ]
    for name, iso3 in pairs:
        hub = cpi_hub.loc[name]
        for year in range(2014, 2018):
            assert hub[str(year)] * 10 == pytest.approx(cpi_ti.loc[iso3, f"CPI score {year}"])
    overlap = blue_build_report()["notes"]["cpi_overlap"]
    assert overlap["equal_within_0.5"] / overlap["pairs"] > 0.98
    # the few that differ are datahub transcription slips, e.g. New Zealand 2015
    assert "NZL 2015: 88 vs 91" in overlap["differing_by_more_than_0.5"]


def test_cpi_known_published_values(panel):
    """TI's published CPI: Denmark 1996 9.33, Finland 2000 10.0, Iceland 2005 9.7 (0-10)."""
    assert panel.loc[("DNK", 1996), "cpi_0_100"] == pytest.approx(93.3)
    assert panel.loc[("FIN", 2000), "cpi_0_100"] == pytest.approx(100.0)
    assert panel.loc[("ISL", 2005), "cpi_0_100"] == pytest.approx(97.0)
    values = panel["cpi_0_100"].dropna()
    assert values.between(0, 100).all() and values.max() > 90  # one scale throughout


# ------------------------------------------------------------------ science capacity


@pytest.mark.parametrize(
    ("name", "iso3", "year"),
    [("United States", "USA", 1996), ("China", "CHN", 2016), ("Brazil", "BRA", 2005)],
)
def test_env_science_documents_equal_raw(panel, raw_dir, name, iso3, year):
    raw = pd.read_csv(
        raw_dir / "scimago_country_rank" / "isaacdu84_SciPubData_by_area_1996_2016.csv",
        encoding="latin-1",
    )
    row = raw[(raw["Area"] == 2300) & (raw["Year"] == year) & (raw["2"] == name)]
    assert panel.loc[(iso3, year), "env_science_documents"] == row["3"].item()
    assert np.isnan(panel.loc[(iso3, 2017), "env_science_documents"])


# ------------------------------------------------------------------ marine protected areas


@pytest.fixture(scope="module")
def mpa_raw(raw_dir):
    v17 = pd.read_csv(raw_dir / "ohi_lsp_mpa" / "v2017_area_protected_eez.csv")
    v16 = pd.read_csv(raw_dir / "ohi_lsp_mpa" / "v2016_area_protected_eez.csv")
    wdi = pd.read_csv(
        raw_dir / "wb_wdi_ddf" / "ddf--datapoints--er_mrn_ptmr_zs--by--economy--year.csv"
    )
    return v16, v17, wdi


def _pct(df, rgns, year):
    rows = df[df["rgn_id"].isin(rgns) & (df["year"] == year)]
    return 100 * rows["a_prot_km2"].sum() / rows["a_tot_km2"].sum()


def test_mpa_ohi_years_equal_raw(panel, flags, mpa_raw):
    v16, v17, _ = mpa_raw
    assert panel.loc[("AUS", 2010), "mpa_eez_pct"] == pytest.approx(_pct(v17, [16, 4], 2010))
    assert panel.loc[("IDN", 2017), "mpa_eez_pct"] == pytest.approx(_pct(v17, [216], 2017))
    assert flags.loc[("IDN", 2017), "mpa_eez_pct"] == ""
    assert panel.loc[("BRA", 1998), "mpa_eez_pct"] == pytest.approx(_pct(v16, [171], 1998))
    assert flags.loc[("BRA", 1998), "mpa_eez_pct"] == "spliced"


def test_mpa_splice_after_2017_is_wdi_as_published(panel, flags, mpa_raw):
    _, v17, wdi = mpa_raw
    wdi = wdi.set_index(["economy", "year"])["er_mrn_ptmr_zs"]
    for iso3, rgns in (("CHL", [224]), ("AUS", [16, 4]), ("IDN", [216])):
        assert panel.loc[(iso3, 2017), "mpa_eez_pct"] == pytest.approx(_pct(v17, rgns, 2017))
        for year in (2018, 2019, 2022):
            assert panel.loc[(iso3, year), "mpa_eez_pct"] == wdi[(iso3.lower(), year)]
            assert flags.loc[(iso3, year), "mpa_eez_pct"] == "spliced"


def test_mpa_sources_agree_where_they_overlap(panel, mpa_raw):
    """On 2013-2017 OHI/WDPA and WDI mostly agree (same WDPA base, different vintages)."""
    overlap = blue_build_report()["notes"]["mpa_overlap"]
    assert overlap["pairs"] > 700
    assert overlap["median_abs_diff_pts"] < 0.5
    assert overlap["share_within_1pt"] > 0.7
    assert overlap["correlation"] > 0.75
    assert "USA" in overlap["countries_differing_by_10pts_in_2017"]  # WDI counts US territories


# ------------------------------------------------------------------ climate agreements


def test_agreement_score_on_known_dates(panel, flags):
    """UNFCCC, Doha, Paris acts: Indonesia 1994-08-23, 2014-09-30, 2016-10-31;
    United States 1992-10-15, none, and Paris accepted 2016-09-03, left 2020-11-04,
    re-accepted 2021-01-20 (the status file keeps only the last: the rest is a
    flagged correction)."""
    idn = panel.loc["IDN", "climate_agreements_score"]
    assert idn[1996] == 1 and idn[2013] == 1 and idn[2014] == 2 and idn[2015] == 2
    assert idn[2016] == 3 and idn[2020] == 3
    usa = panel.loc["USA", "climate_agreements_score"]
    assert usa[1996] == 1 and usa[2015] == 1
    assert usa[2016] == 2 and usa[2019] == 2 and usa[2020] == 1 and usa[2021] == 2
    chn = panel.loc["CHN", "climate_agreements_score"]  # 1993-01-05, 2014-06-02, 2016-09-03
    assert chn[2013] == 1 and chn[2014] == 2 and chn[2015] == 2 and chn[2016] == 3
    usa_flags = flags.loc["USA", "climate_agreements_score"]
    assert set(usa_flags[usa_flags != ""].index) == {2016, 2017, 2018, 2019}
    assert (flags["climate_agreements_score"] == "corrected").sum() == 4
    assert np.isnan(panel.loc[("TWN", 2010), "climate_agreements_score"])  # in no treaty file
    assert panel["climate_agreements_score"].dropna().isin([0, 1, 2, 3]).all()


# ------------------------------------------------------------------ carbon markets


EU27 = (
    "AUT BEL BGR CYP CZE DEU DNK ESP EST FIN FRA GRC HRV HUN IRL ITA LTU LUX LVA MLT NLD "
    "POL PRT ROU SVK SVN SWE"
).split()


def test_eu_ets_covers_every_member_and_eea(panel):
    ets_year = panel.xs(2015, level="year")["carbon_market_score"]
    for iso3 in EU27 + ["NOR", "ISL", "LIE", "GBR"]:
        assert ets_year[iso3] >= 1, iso3
    score = panel["carbon_market_score"]
    assert score[("BGR", 2006)] == 0 and score[("BGR", 2007)] == 1  # joined the EU in 2007
    assert score[("HRV", 2012)] == 0 and score[("HRV", 2013)] == 1
    assert score[("NOR", 2005)] == 1  # Norway's own carbon tax (1991), before the EU ETS
    assert score[("NOR", 2008)] == 2  # + EU ETS from 2008
    assert score[("MLT", 2004)] == 0 and score[("MLT", 2005)] == 1


def test_carbon_market_score_known_instruments(panel):
    score = panel["carbon_market_score"]
    assert score[("SWE", 2010)] == 2  # carbon tax 1991 + EU ETS
    assert score[("GBR", 2021)] == 2  # UK ETS + carbon price support
    assert score[("CHN", 2012)] == 0 and score[("CHN", 2013)] == 1  # pilot ETSs
    assert score[("USA", 2008)] == 0 and score[("USA", 2009)] == 1  # RGGI
    assert score[("IDN", 2019)] == 0
    assert np.isnan(score[("SWE", 2023)])  # dashboard ends in 2022


# ------------------------------------------------------------------ climate risk


def test_climate_risk_two_editions_at_their_event_years(panel, raw_dir):
    e17 = pd.read_csv(raw_dir / "germanwatch_cri_rw" / "climate-risk-index-1.csv")
    e17 = e17.set_index("rw_country_code")["cri_score"]
    e20 = pd.read_csv(
        raw_dir / "germanwatch_cri2020" / "climate_risk_index_CRI2020_original_upload.csv",
        encoding="utf-8-sig",
    )
    e20 = e20.set_index("Country").iloc[:, 1]
    cri = panel["climate_risk_index"]
    for iso3 in ("MOZ", "IDN", "JPN"):
        assert cri[(iso3, 2015)] == e17[iso3]
    assert cri[("JPN", 2018)] == e20["Japan"] == 5.5
    assert cri[("PHL", 2018)] == e20["Philippines"]
    assert cri[("LAO", 2018)] == e20["Lao People's Democratic Re-\rpublic"]
    years = set(cri.dropna().index.get_level_values("year"))
    assert years == {2015, 2018}


# ------------------------------------------------------------------ coastal set


def test_coastal_set_and_exclusions_partition_the_country_table():
    inc, exc = coastal_countries(), coastal_exclusions()
    table = load_countries()
    assert set(inc) | set(exc.index) == set(table.index)
    assert not set(inc) & set(exc.index)
    assert len(inc) >= 110
    assert table.loc[inc, "coastal"].all()
    assert exc["CHE"] == "landlocked"
    assert (exc.str.len() > 0).all()


def test_coastal_set_has_an_ecosystem(panel):
    area = panel[["mangrove_km2", "saltmarsh_km2", "seagrass_km2"]].groupby("iso3").max()
    assert (area.loc[coastal_countries()] >= 0.01).any(axis=1).all()
    for iso3 in ("IDN", "AUS", "BRA", "NGA", "USA", "GBR"):
        assert iso3 in coastal_countries()


# ------------------------------------------------------------------ static tables


def test_burial_rates_are_mcleod_2011():
    rates = load_burial_rates()
    assert rates.loc["mangrove"].tolist()[:2] == [226.0, 39.0]
    assert rates.loc["saltmarsh"].tolist()[:2] == [218.0, 24.0]
    assert rates.loc["seagrass"].tolist()[:2] == [138.0, 38.0]
    assert rates["source"].str.contains("Mcleod").all()


@pytest.mark.parametrize("iso3", ["USA", "IND", "BRA"])
def test_cscc_default_case_equals_raw(raw_dir, iso3):
    raw = pd.read_csv(raw_dir / "cscc_ricke2018" / "rcp_rcp60_dmg_bhm_sr_ssp_SSP2.csv", dtype=str)
    row = raw[
        (raw["ISO3"] == iso3)
        & (raw["dmgfuncpar"] == "bootstrap")
        & (raw["climate"] == "uncertain")
        & (raw["prtp"] == "2")
        & (raw["eta"] == "1p5")
    ]
    assert load_cscc()[iso3] == pytest.approx(float(row["50%"].item()), rel=5e-6)
    assert load_cscc(statistic="high")[iso3] == pytest.approx(float(row["83.3%"].item()), rel=5e-6)


def test_cscc_world_other_cases_and_errors(raw_dir):
    s = load_cscc()
    assert s.attrs["case"] == DEFAULT_CSCC_CASE
    assert s["WLD"] == pytest.approx(417.5, abs=0.05)  # the paper's headline global SCC
    other = "SSP5/rcp85/bhm_sr/bootstrap/expected/dr3"
    assert other in cscc_cases()
    raw = pd.read_csv(raw_dir / "cscc_ricke2018" / "rcp_rcp85_dmg_bhm_sr_ssp_SSP5.csv", dtype=str)
    row = raw[
        (raw["ISO3"] == "CHN")
        & (raw["dmgfuncpar"] == "bootstrap")
        & (raw["climate"] == "expected")
        & (raw["dr"] == "3")
    ]
    assert load_cscc(other)["CHN"] == pytest.approx(float(row["50%"].item()), rel=5e-6)
    with pytest.raises(DataError, match="cscc_cases"):
        load_cscc("SSP9/nope")
    with pytest.raises(DataError, match="statistic"):
        load_cscc(statistic="mean")
