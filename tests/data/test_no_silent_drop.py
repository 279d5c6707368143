"""No value is lost between the raw files and the panel.

Independent of the build's mapping tables: Gapminder / open-numbers ids are
mapped with Gapminder's own entity file (``iso3166_1_alpha3``), OWID rows by
their ``Code`` column and World Bank rows by their country code. For every
raw series, the (country, year >= 1990) pairs with a value for a country of
the table must be exactly the non-missing cells of the panel column, with
equal values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.data import load_countries, load_panel, panel_repairs
from carbonshare.data.build import _GM_SERIES

GM = "gapminder-systema-globalis"


def _gm_iso3(raw_dir) -> dict[str, str]:
    ent = pd.read_csv(raw_dir / GM / "ddf--entities--geo--country.csv", dtype=str)
    iso = dict(zip(ent["country"], ent["iso3166_1_alpha3"], strict=True))
    # the two World Bank economies outside ISO 3166
    iso.update({"kos": "XKX", "chanisl": "CHI"})
    return iso


def _assert_same(raw: pd.DataFrame, column: str, *, scale: float = 1.0) -> None:
    """Panel column == raw values (x scale) of table countries from 1990, once the build's
    recorded repairs (panel_repairs) are applied: gap fills added, zeros read as missing
    dropped, derived values added."""
    table = set(load_countries().index)
    raw = raw[(raw["year"] >= 1990) & raw["iso3"].isin(table) & raw["value"].notna()]
    expected = raw.set_index(["iso3", "year"])["value"].astype(float) * scale
    rep = panel_repairs(column).set_index(["iso3", "year"])
    dropped = rep[rep["action"] == "zero after positive values set to missing"]
    assert (expected.loc[dropped.index] == 0).all()  # only published zeros are dropped
    added = rep.loc[rep["action"] != "zero after positive values set to missing", "value"]
    assert not set(added.index) & set(expected.index)  # never over a published value
    expected = pd.concat([expected.drop(dropped.index), added]).sort_index()
    got = load_panel([column])[column].dropna().sort_index()
    lost = sorted(set(expected.index) - set(got.index))
    extra = sorted(set(got.index) - set(expected.index))
    assert lost == [] and extra == [], (column, lost[:10], extra[:10])
    np.testing.assert_allclose(got.loc[expected.index].to_numpy(), expected.to_numpy(), rtol=1e-12)


def _ddf(path, iso) -> pd.DataFrame:
    df = pd.read_csv(path)
    df.columns = ["geo", "year", "value"]
    return df.assign(iso3=df["geo"].map(iso))


@pytest.mark.parametrize("column", sorted(_GM_SERIES))
def test_gapminder_series_complete(raw_dir, column):
    path = raw_dir / GM / f"ddf--datapoints--{_GM_SERIES[column]}--by--geo--time.csv"
    _assert_same(_ddf(path, _gm_iso3(raw_dir)), column)


@pytest.mark.parametrize(
    ("column", "indicator"),
    [("forest_rents_pct_gdp", "ny_gdp_frst_rt_zs"), ("mpa_pct", "er_mrn_ptmr_zs")],
)
def test_wdi_ddf_series_complete(raw_dir, column, indicator):
    df = pd.read_csv(
        raw_dir / "wb_wdi_ddf" / f"ddf--datapoints--{indicator}--by--economy--year.csv"
    )
    df.columns = ["economy", "year", "value"]
    _assert_same(df.assign(iso3=df["economy"].str.upper()), column)


@pytest.mark.parametrize(
    ("column", "file", "scale"),
    [
        ("co2_wdi_t", "API_EN.ATM.CO2E.KT_DS2_en_csv_v2_6299644.csv", 1000.0),
        ("co2_per_ppp_gdp_wdi", "API_EN.ATM.CO2E.PP.GD_DS2_en_csv_v2_4904492.csv", 1.0),
        ("gdp_ppp_usd", "API_NY.GDP.MKTP.PP.CD_DS2_en_csv_v2_5455171.csv", 1.0),
        ("renewables_pct", "API_EG.FEC.RNEW.ZS_DS2_en_csv_v2_5995541.csv", 1.0),
    ],
)
def test_wdi_api_series_complete(raw_dir, column, file, scale):
    _assert_same(_wb_wide(raw_dir / "wb_wdi_api" / file), column, scale=scale)


def _wb_wide(path, code: str | None = None) -> pd.DataFrame:
    """A World Bank wide download (4 header lines) as iso3, year, value."""
    wide = pd.read_csv(path, skiprows=4, keep_default_na=False)
    if code is not None:
        wide = wide[wide["Indicator Code"] == code]
    years = [c for c in wide.columns if c.strip().isdigit()]
    df = wide.melt(id_vars=["Country Code"], value_vars=years, var_name="year")
    df.columns = ["iso3", "year", "value"]
    df["year"] = df["year"].astype(int)
    df["value"] = pd.to_numeric(df["value"].replace("", np.nan))
    return df


@pytest.mark.parametrize(
    ("column", "path"),
    [
        (
            "clean_cooking_pct",
            "owid-clean-cooking/access-to-clean-fuels-and-technologies-for-cooking.csv",
        ),
        ("co2_consumption_t", "owid-consumption-co2/consumption-co2-emissions.csv"),
    ],
)
def test_owid_series_complete(raw_dir, column, path):
    df = pd.read_csv(raw_dir / path, keep_default_na=False)
    df.columns = ["entity", "iso3", "year", "value"]
    df["value"] = pd.to_numeric(df["value"].replace("", np.nan))
    _assert_same(df, column)


@pytest.mark.parametrize(
    ("column", "path"),
    [("population", "datahub-population/population.csv"), ("gdp_usd", "datahub-gdp/gdp.csv")],
)
def test_datahub_series_complete(raw_dir, column, path):
    df = pd.read_csv(raw_dir / path, keep_default_na=False)
    df.columns = ["entity", "iso3", "year", "value"]
    df["value"] = pd.to_numeric(df["value"].replace("", np.nan))
    _assert_same(df, column)


@pytest.mark.parametrize(
    ("column", "code"), [("urban_pct", "SP.URB.TOTL.IN.ZS"), ("population_density", "EN.POP.DNST")]
)
def test_wdi_bulk_series_complete(raw_dir, column, code):
    path = raw_dir / "wb-wdi-2021-urban" / "urban-development-raw-2021.csv"
    _assert_same(_wb_wide(path, code), column)


def test_gcp_complete(raw_dir):
    """Every GCP country column with a value for a table country is in co2_t (x 1e6)."""
    wide = pd.read_csv(
        raw_dir / "global-carbon-atlas" / "mtco2_1960-2021.csv", sep=";", index_col="Year"
    )
    panel = load_panel(["co2_t"])["co2_t"]
    table = load_countries()
    # which raw column feeds each country, found by its names and aliases (which include
    # the GCP names; gcp_names.csv itself is checked against ISO 3166 in test_build.py)
    names = {iso3: {row["name"], *str(row["aliases"]).split(";")} for iso3, row in table.iterrows()}
    fed = {iso3 for iso3 in table.index if panel.loc[iso3].notna().any()}
    assert len(fed) == 205
    for iso3 in fed:
        cols = [c for c in wide.columns if c in names[iso3]]
        assert len(cols) == 1, (iso3, cols)
        raw = wide[cols[0]].loc[1990:].dropna() * 1e6
        got = panel.loc[iso3].dropna()
        assert list(got.index) == list(raw.index), iso3
        np.testing.assert_allclose(got.to_numpy(), raw.to_numpy(), rtol=1e-9)
    # the GCP columns that feed nothing are exactly the entities outside the table
    used = {c for iso3 in fed for c in wide.columns if c in names[iso3]}
    assert len(wide.columns) - len(used) == 12
