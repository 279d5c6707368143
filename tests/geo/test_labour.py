"""Labour-cost proxy (docs/methods.md A4): window means of a panel column or ratio."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from carbonshare.errors import ConfigError, DataError
from carbonshare.geo import DEFAULT_LABOUR_PROXY, LABOUR_PROXIES, labour_cost


@pytest.fixture
def panel():
    """A synthetic (iso3, year) panel with hand-checkable numbers."""
    idx = pd.MultiIndex.from_product([["AAA", "BBB", "CCC"], range(2015, 2021)],
                                     names=["iso3", "year"])  # fmt: skip
    n = len(idx)
    return pd.DataFrame(
        {
            "gdp_per_employed": np.r_[np.arange(10.0, 16.0), [np.nan] * 5 + [50.0], [np.nan] * 6],
            "gni_per_capita_usd": np.r_[[1.0] * 6, [2.0] * 6, [3.0] * 6],
            "gdp_usd": np.full(n, 1000.0),
            "population": np.r_[[10.0] * 6, [20.0] * 6, [40.0] * 6],
        },
        index=idx,
    )


def test_default_proxy_is_gdp_per_employed():
    assert DEFAULT_LABOUR_PROXY == "gdp_per_employed"
    assert set(LABOUR_PROXIES) >= {"gdp_per_employed", "gni_per_capita_usd"}


def test_window_mean_known_answer(panel):
    L = labour_cost(panel, countries=["AAA", "BBB"])
    # AAA: 2016-2020 = 11..15 -> 13; BBB: only 2020 = 50
    assert L.tolist() == [13.0, 50.0]
    assert L.attrs["n_years"] == {"AAA": 5, "BBB": 1}
    assert L.attrs["proxy"] == "gdp_per_employed" and L.attrs["years"] == (2016, 2020)
    assert L.name == "labour_cost" and L.index.name == "iso3"


def test_ratio_proxy(panel):
    L = labour_cost(panel, "gdp_per_capita_usd")
    assert L.to_dict() == {"AAA": 100.0, "BBB": 50.0, "CCC": 25.0}
    assert labour_cost(panel, "gni_per_capita_usd", (2015, 2015)).tolist() == [1.0, 2.0, 3.0]


def test_missing_country_raise_or_keep(panel, caplog):
    with pytest.raises(DataError, match=r"no 'gdp_per_employed' value in 2016-2020 for CCC"):
        labour_cost(panel)
    with caplog.at_level(logging.INFO, logger="carbonshare.geo.labour"):
        L = labour_cost(panel, missing="keep")
    assert np.isnan(L["CCC"]) and "CCC" in caplog.text
    assert L.attrs["n_years"]["CCC"] == 0


def test_bad_inputs(panel):
    with pytest.raises(ConfigError, match="'wages' is unknown"):
        labour_cost(panel, "wages")
    with pytest.raises(ConfigError, match="reversed"):
        labour_cost(panel, years=(2020, 2016))
    with pytest.raises(DataError, match="lacks column"):
        labour_cost(panel.drop(columns="population"), "gdp_per_capita_usd")
    bad = panel.copy()
    bad.loc[("BBB", 2020), "gdp_per_employed"] = -5.0
    with pytest.raises(DataError, match=r"<= 0 for BBB 2020 \(-5\)"):
        labour_cost(bad, countries=["BBB"])
    with pytest.raises(DataError, match="ZZZ are not in the panel"):
        labour_cost(panel, countries=["ZZZ"])
    with pytest.raises(DataError, match=r"indexed by \(iso3, year\)"):
        labour_cost(panel.reset_index())


def test_bundled_panel_default_proxy():
    """On the bundled World Bank / ILOSTAT panel: positive and equal to the window mean."""
    from carbonshare.data import load_panel

    panel = load_panel(["gdp_per_employed"])
    L = labour_cost(panel, countries=["DEU", "IND", "USA"])
    for iso3 in L.index:
        s = panel.loc[iso3, "gdp_per_employed"].loc[2016:2020]
        assert L[iso3] == pytest.approx(s.mean())
    assert L["USA"] > L["IND"] > 0
