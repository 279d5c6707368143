"""Derived indicators and coverage counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.data import load_panel
from carbonshare.data.coverage import ZHOU_CORE, coverage_table, zhou_complete
from carbonshare.data.derive import carbon_productivity, co2_per_gdp, window_mean
from carbonshare.errors import DataError


def test_carbon_productivity_china_2020():
    p = load_panel(["gdp_usd", "co2_t"])
    cop = carbon_productivity(p).loc[("CHN", 2020)]
    assert cop == pytest.approx(p.loc[("CHN", 2020), "gdp_usd"] / 10956.2134e6)
    # kg per US$ and US$ per t are reciprocal up to the factor 1000
    assert co2_per_gdp(p).loc[("CHN", 2020)] * cop == pytest.approx(1000.0)


def test_forest_rents_window_mean_is_a_repair():
    p = load_panel(["forest_rents_pct_gdp"])
    means, repairs = window_mean(p, (2016, 2020))
    # GBR: 2019-2020 published as 0 after positive values are missing (build repair), so the
    # mean is over 2016-2018 (raw DDF: 0.0057239059, 0.0054705529, 0.0070690...)
    gbr = p.loc["GBR"].loc[2016:2018, "forest_rents_pct_gdp"]
    assert means.loc["GBR", "forest_rents_pct_gdp"] == pytest.approx(gbr.mean())
    row = repairs.set_index("iso3").loc["GBR"]
    assert row["years_used"] == "2016,2017,2018" and row["years_in_window"] == 5
    # a complete country has no repair
    assert "BRA" not in set(repairs["iso3"]) and means.loc["BRA"].notna().all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)), min_size=5, max_size=5))
def test_window_mean_property(values):
    idx = pd.MultiIndex.from_product([["A"], range(2016, 2021)], names=["iso3", "year"])
    p = pd.DataFrame({"x": [np.nan if v is None else v for v in values]}, index=idx)
    means, repairs = window_mean(p, (2016, 2020))
    present = [v for v in values if v is not None]
    if present:
        assert means.loc["A", "x"] == pytest.approx(np.mean(present))
    else:
        assert np.isnan(means.loc["A", "x"])
    assert len(repairs) == (1 if 0 < len(present) < 5 else 0)


def test_coverage_table_counts_match_panel():
    p = load_panel()
    cov = coverage_table(p, [2018, 2023])
    assert cov.loc["population", 2018] == p.xs(2018, level="year")["population"].notna().sum()
    assert cov.loc["forest_rents_pct_gdp", 2018] == 209  # SOURCES_MORE.md: 209 economies
    assert cov.loc["forest_rents_pct_gdp", 2023] == 0  # the series ends in 2021


def test_zhou_complete_rules_and_errors():
    p = load_panel()
    strict = zhou_complete(p)
    loose = zhou_complete(p, rule="any_year")
    assert (loose | ~strict).all()  # strict implies loose
    assert not strict["TWN"]  # no WB data for Taiwan
    with pytest.raises(DataError, match="rule must be"):
        zhou_complete(p, rule="most")
    with pytest.raises(DataError, match=r"lacks indicator\(s\) \['x'\]"):
        zhou_complete(p, indicators=["x"])
    assert "forest_rents_pct_gdp" in ZHOU_CORE


def test_impute_ppp_gdp_fills_only_missing_values_by_group_ratio():
    from carbonshare.data.derive import impute_ppp_gdp

    idx = pd.MultiIndex.from_product([["A", "B", "C", "D", "E", "F", "G"], [2019]],
                                     names=["iso3", "year"])  # fmt: skip
    panel = pd.DataFrame(
        {
            "gdp_usd": [1.0, 2.0, 3.0, 4.0, 5.0, 10.0, 7.0],
            "gdp_ppp_usd": [3.0, 6.0, 9.0, 12.0, 15.0, None, None],
        },
        index=idx,
    )
    groups = pd.Series({"A": "low", "B": "low", "C": "low", "D": "low", "E": "low", "F": "low"})
    values, records = impute_ppp_gdp(panel, groups, 2019)
    assert values.to_dict() == {"F": 30.0, "G": 21.0}  # G has no group: all countries' median
    assert set(records["iso3"]) == {"F", "G"}
    assert records.set_index("iso3").loc["G", "detail"].endswith("no PPP value is published")
    assert "all countries" in records.set_index("iso3").loc["G", "detail"]
    # a group smaller than min_group falls back to all countries too
    _, rec = impute_ppp_gdp(panel, groups, 2019, min_group=10)
    assert (rec["n_group"] == 5).all() and rec["detail"].str.contains("all countries").all()
