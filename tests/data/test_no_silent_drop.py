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

from carbonshare.data import load_countries, load_panel
from carbonshare.data.build import _GM_SERIES

GM = "gapminder-systema-globalis"


def _gm_iso3(raw_dir) -> dict[str, str]:
    ent = pd.read_csv(raw_dir / GM / "ddf--entities--geo--country.csv", dtype=str)
    iso = dict(zip(ent["country"], ent["iso3166_1_alpha3"], strict=True))
    # the two World Bank economies outside ISO 3166
    iso.update({"kos": "XKX", "chanisl": "CHI"})
    return iso


def _assert_same(raw: pd.DataFrame, column: str) -> None:
    table = set(load_countries().index)
    raw = raw[(raw["year"] >= 1990) & raw["iso3"].isin(table) & raw["value"].notna()]
    expected = raw.set_index(["iso3", "year"])["value"].astype(float).sort_index()
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


def test_forest_rents_complete(raw_dir):
    path = raw_dir / "open-numbers-wdi" / "ddf--datapoints--ny_gdp_frst_rt_zs--by--geo--time.csv"
    _assert_same(_ddf(path, _gm_iso3(raw_dir)), "forest_rents_pct_gdp")


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
    wide = pd.read_csv(
        raw_dir / "wb-wdi-2021-urban" / "urban-development-raw-2021.csv",
        skiprows=4,
        keep_default_na=False,
    )
    wide = wide[wide["Indicator Code"] == code]
    years = [c for c in wide.columns if c.strip().isdigit()]
    df = wide.melt(id_vars=["Country Code"], value_vars=years, var_name="year")
    df.columns = ["iso3", "year", "value"]
    df["year"] = df["year"].astype(int)
    df["value"] = pd.to_numeric(df["value"].replace("", np.nan))
    _assert_same(df, column)


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
