"""Unit tests of the alliance study's own steps: time windows, indicator matrix, allocation.

The allocation test cases are small enough to check by hand and by brute
force over all coalitions (carbonshare.games.TabularGame).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import ConfigError, DataError
from carbonshare.games import TabularGame, owen_value, shapley_value, two_stage_shapley
from carbonshare.studies.alliances import aggregate_window, allocate, indicator_matrix
from carbonshare.studies.alliances_config import AlliancesConfig
from carbonshare.studies.common import Manifest

# ----------------------------------------------------------------------------- aggregate_window


def _series(rows: dict[str, dict[int, float]], name: str = "x") -> pd.Series:
    data = {(iso, y): v for iso, years in rows.items() for y, v in years.items()}
    s = pd.Series(data, name=name, dtype="float64")
    s.index.names = ["iso3", "year"]
    return s


def test_sum_nearest_fill_prefers_earlier_year_on_tie():
    s = _series({"AAA": {2000: 1.0, 2001: np.nan, 2002: 5.0}, "BBB": {2000: 1, 2001: 1, 2002: 1}})
    agg = aggregate_window(s, (2000, 2002), "sum", "nearest")
    assert agg.values["AAA"] == 1.0 + 1.0 + 5.0  # 2001 is 1 year from 2000 and 2002: take 2000
    assert agg.gaps.loc[0, "detail"] == "2001 <- 2000"


def test_sum_nearest_fill_at_the_edge():
    s = _series({"AAA": {2000: np.nan, 2001: np.nan, 2002: 4.0}, "BBB": {2000: 1.0}})
    agg = aggregate_window(s, (2000, 2002), "sum", "nearest")
    assert agg.values["AAA"] == 12.0
    assert agg.gaps.loc[0, "years_missing"] == "2000, 2001"


def test_mean_of_available_years():
    s = _series({"AAA": {2000: 2.0, 2001: np.nan, 2002: 4.0}, "BBB": {2000: 3, 2001: 3, 2002: 3}})
    agg = aggregate_window(s, (2000, 2002), "mean", "available")
    assert agg.values.tolist() == [3.0, 3.0]
    assert agg.gaps["action"].tolist() == ["mean of available years"]


def test_scaled_sum_and_exclude():
    s = _series({"AAA": {2000: 2.0, 2001: np.nan, 2002: 4.0}, "BBB": {2000: 1, 2001: 1, 2002: 1}})
    assert aggregate_window(s, (2000, 2002), "sum", "scale").values["AAA"] == pytest.approx(9.0)
    excl = aggregate_window(s, (2000, 2002), "sum", "exclude")
    assert np.isnan(excl.values["AAA"]) and excl.values["BBB"] == 3.0
    assert excl.gaps["action"].tolist() == ["excluded"]


def test_window_narrowed_to_years_the_panel_has():
    # like forest rents, which end in 2017 in the bundled data
    s = _series({"AAA": {2016: 1.0, 2017: 3.0}, "BBB": {2016: 2.0, 2017: 2.0}})
    agg = aggregate_window(s, (2016, 2020), "mean", "available")
    assert agg.years == (2016, 2017)
    assert agg.values.tolist() == [2.0, 2.0]
    assert agg.gaps.empty


def test_no_data_in_window_excludes_unless_outside_years_allowed():
    s = _series({"AAA": {2010: 5.0, 2013: 7.0}, "BBB": {2016: 1.0, 2017: 1.0}})
    agg = aggregate_window(s, (2016, 2017), "mean", "available")
    assert np.isnan(agg.values["AAA"])
    assert agg.gaps.loc[0, "action"] == "excluded"
    near = aggregate_window(s, (2016, 2017), "sum", "nearest", outside=3)
    assert near.values["AAA"] == 14.0  # 2013 value stands for both window years
    assert near.gaps.loc[0, "action"] == "nearest year outside the window"
    too_far = aggregate_window(s, (2016, 2017), "mean", "available", outside=2)
    assert np.isnan(too_far.values["AAA"])


def test_aggregate_window_errors():
    s = _series({"AAA": {2000: 1.0}})
    with pytest.raises(DataError, match="has no value in 2010-2012"):
        aggregate_window(s, (2010, 2012), "mean", "available")
    with pytest.raises(ConfigError, match="fill rule 'available' does not apply to 'sum'"):
        aggregate_window(s, (2000, 2000), "sum", "available")
    with pytest.raises(ConfigError, match="aggregation 'median' is unknown"):
        aggregate_window(s, (2000, 2000), "median", "available")


# ----------------------------------------------------------------------------- indicator_matrix


def _tiny_inputs():
    """A 5-country panel with hand-set gaps (not real data) and a country table."""
    codes = ["AAA", "BBB", "CCC", "DDD", "EEE"]
    years = range(2016, 2021)
    idx = pd.MultiIndex.from_product([codes, years], names=["iso3", "year"])
    rng = np.random.default_rng(1)
    panel = pd.DataFrame(
        {
            col: rng.uniform(1, 10, len(idx))
            for col in [
                "population", "gdp_usd", "co2_wdi_t", "urban_pct", "clean_cooking_pct",
                "services_employment_pct", "forest_rents_pct_gdp", "forest_area_km2",
                "gdp_per_employed",
            ]
        },
        index=idx,
    )  # fmt: skip
    panel.loc[("AAA", 2018), "co2_wdi_t"] = np.nan  # repaired by nearest-year fill
    panel.loc["CCC", "forest_area_km2"] = np.nan  # no data: excluded
    panel.loc[(slice(None), [2018, 2019, 2020]), "forest_rents_pct_gdp"] = np.nan  # window narrows
    countries = pd.DataFrame(
        {
            "name": ["A", "B", "C", "D", "E"],
            "continent": ["Europe", "Asia", "Africa", "Asia", "Africa"],
            "developed": [True, False, False, False, False],
            "capital_lat": [10.0, 20.0, 30.0, np.nan, -5.0],
            "capital_lon": [10.0, 25.0, 30.0, 40.0, 15.0],
        },
        index=pd.Index(codes, name="iso3"),
    )
    return panel, countries


def _tiny_config() -> AlliancesConfig:
    return AlliancesConfig(years={"cumulative": (2016, 2020), "mean": (2016, 2020)})


def test_indicator_matrix_selection_repairs_and_exclusions():
    panel, countries = _tiny_inputs()
    manifest = Manifest("alliances", _tiny_config())
    m = indicator_matrix(panel, countries, _tiny_config(), manifest)
    assert m.values.index.tolist() == ["AAA", "BBB", "EEE"]
    assert list(m.values.columns) == list(_tiny_config().indicators)
    sel = m.selection
    assert sel.loc["CCC", "reason"] == (
        "no forest_area_km2 for FAR (no data in the window, 2016-2020)"
    )
    assert sel.loc["DDD", "reason"] == "no capital coordinates"
    assert {e["entity"] for e in manifest.exclusions} == {"CCC", "DDD"}
    fills = [r for r in manifest.repairs if r["entity"] == "AAA"]
    assert {r["field"] for r in fills} == {"COE", "COP"}
    assert all(r["action"] == "nearest-year fill" for r in fills)
    narrowed = [r for r in manifest.repairs if r["action"] == "window narrowed"]
    assert [r["field"] for r in narrowed] == ["FRT"]
    assert any("FRT" in n and "2016-2017" in n for n in manifest.warnings)
    windows = m.windows.set_index("indicator")
    assert windows.loc["FRT", "window_used"] == "2016-2017"


def test_indicator_matrix_aggregates_and_ratio():
    panel, countries = _tiny_inputs()
    m = indicator_matrix(panel, countries, _tiny_config())
    bbb = panel.loc["BBB"]
    assert m.values.loc["BBB", "POP"] == pytest.approx(bbb["population"].sum() * 1e-9)
    assert m.values.loc["BBB", "GDP"] == pytest.approx(bbb["gdp_usd"].mean() * 1e-9)
    assert m.values.loc["BBB", "COP"] == pytest.approx(
        bbb["gdp_usd"].sum() / bbb["co2_wdi_t"].sum()
    )
    assert m.labour_cost["BBB"] == pytest.approx(bbb["gdp_per_employed"].mean())


def test_indicator_matrix_config_restrictions():
    panel, countries = _tiny_inputs()
    cfg = _tiny_config()
    cfg.countries.exclude = ["BBB", "EEE"]
    with pytest.raises(DataError, match="only 1 countries have every indicator"):
        indicator_matrix(panel, countries, cfg)
    cfg = _tiny_config()
    cfg.countries.only = ["AAA", "ZZZ"]
    with pytest.raises(ConfigError, match=r"countries.only: \['ZZZ'\] are not in the country"):
        indicator_matrix(panel, countries, cfg)


def test_indicator_matrix_unknown_column():
    panel, countries = _tiny_inputs()
    cfg = _tiny_config()
    cfg.indicators["FAR"].column = "forest_cover"
    with pytest.raises(ConfigError, match=r"panel column\(s\) \['forest_cover'\]"):
        indicator_matrix(panel, countries, cfg)


# ----------------------------------------------------------------------------- allocate


def _brute_game(aci: pd.Series, crl: pd.DataFrame) -> TabularGame:
    """v(S) = (sum ACI)(sum_{i != j in S} CRL_ij) evaluated coalition by coalition."""
    players = list(aci.index)

    def v(S) -> float:
        S = list(S)
        return float(aci[S].sum() * (crl.loc[S, S].to_numpy().sum() - np.trace(crl.loc[S, S])))

    return TabularGame.from_function(players, v)


def test_allocate_hand_checked_three_countries():
    # ACI = (1, 2, 3), CRL_ij = 1: v(N) = 6 * 6 = 36. Dividends: pairs (a_i + a_j) * 2,
    # triple 12. Shapley: A = 3 + 4 + 4 = 11, B = 12, C = 13. Unions {A, B}, {C}:
    # Q_AB = (6 + 36) / 2 = 21, Q_C = 15, two-stage A = B = 10.5; Owen A = 3 + 4 + 3 = 10,
    # B = 3 + 5 + 3 = 11, C = 4 + 5 + 6 = 15.
    players = ["A", "B", "C"]
    parts = pd.DataFrame({"p": [1.0, 2.0, 3.0]}, index=players)
    crl = pd.DataFrame(1.0, index=players, columns=players)
    members = pd.Series([1, 1, 2], index=players)
    out = allocate(parts, crl, members)
    expect = {
        "shapley": [11, 12, 13],
        "two_stage": [10.5, 10.5, 15],
        "owen": [10, 11, 15],
    }
    for method, values in expect.items():
        np.testing.assert_allclose(out[method]["share"], np.array(values) / 36 * 100)


@st.composite
def _cases(draw):
    n = draw(st.integers(3, 6))
    k = draw(st.integers(1, 3))
    pos = st.floats(0.0, 5.0, allow_nan=False)
    parts = np.array(draw(st.lists(pos, min_size=n * k, max_size=n * k))).reshape(n, k)
    parts[:, 0] += 0.1  # every ACI > 0
    c = np.array(draw(st.lists(st.floats(0.01, 3.0), min_size=n * n, max_size=n * n)))
    crl = c.reshape(n, n)
    crl = (crl + crl.T) / 2
    np.fill_diagonal(crl, 0.0)
    groups = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    names = [f"P{i}" for i in range(n)]
    return (
        pd.DataFrame(parts, index=names, columns=[f"x{j}" for j in range(k)]),
        pd.DataFrame(crl, index=names, columns=names),
        pd.Series(groups, index=names),
    )


@settings(max_examples=25, deadline=None)
@given(_cases())
def test_allocate_invariants(case):
    parts, crl, members = case
    out = allocate(parts, crl, members)
    brute = _brute_game(parts.sum(axis=1), crl)
    phi = shapley_value(brute, method="exact")
    np.testing.assert_allclose(out["shapley"]["share"], phi / phi.sum() * 100, atol=1e-9)
    two = two_stage_shapley(brute, members, method="explicit")
    np.testing.assert_allclose(out["two_stage"]["share"], two / two.sum() * 100, atol=1e-9)
    for frame in out.values():
        assert frame["share"].sum() == pytest.approx(100.0)
        # the decomposition is exact: the parts add up to each share
        np.testing.assert_allclose(frame[parts.columns].sum(axis=1), frame["share"], atol=1e-9)
    # two-stage and Owen give each alliance the same total, its stage-1 value Q_k
    by = members.reindex(parts.index)
    np.testing.assert_allclose(
        out["two_stage"]["share"].groupby(by).sum(), out["owen"]["share"].groupby(by).sum()
    )
    # Shapley and Owen parts are the values of the games with ACI replaced by each part
    owen = owen_value(brute, by, method="exact")
    for col in parts.columns:
        part_game = _brute_game(parts[col], crl)
        part_phi = shapley_value(part_game, method="exact")
        np.testing.assert_allclose(out["shapley"][col], part_phi / phi.sum() * 100, atol=1e-9)
        part_owen = owen_value(part_game, by, method="exact")
        np.testing.assert_allclose(out["owen"][col], part_owen / owen.sum() * 100, atol=1e-9)
        # two-stage parts: country i keeps its alliance factor Q_k / sum_k psi and gets
        # psi_i^part, the Shapley value of the alliance's own game with ACI -> the part; a
        # singleton alliance takes the stage-1 value of the part game
        q_part = two_stage_shapley(part_game, by, method="explicit").groupby(by).sum()
        expect = pd.Series(0.0, index=parts.index)
        for k, group in by.groupby(by):
            S = list(group.index)
            if len(S) == 1:
                expect[S] = q_part[k]
                continue
            sub = crl.loc[S, S]
            psi = shapley_value(_brute_game(parts.loc[S].sum(axis=1), sub), method="exact")
            psi_p = shapley_value(_brute_game(parts.loc[S, col], sub), method="exact")
            expect[S] = two[S] * psi_p / psi
        np.testing.assert_allclose(out["two_stage"][col], expect / two.sum() * 100, atol=1e-9)


def test_allocate_zero_grand_value():
    players = ["A", "B"]
    with pytest.raises(DataError, match="grand coalition's value is 0"):
        allocate(
            pd.DataFrame({"p": [0.0, 0.0]}, index=players),
            pd.DataFrame(1.0, index=players, columns=players),
            pd.Series([1, 1], index=players),
        )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0.0, 1e6, allow_nan=False)), min_size=5, max_size=5))
def test_aggregate_window_rules_bound_the_result(row):
    values = {2000 + k: (np.nan if v is None else v) for k, v in enumerate(row)}
    s = _series({"AAA": values, "BBB": dict.fromkeys(range(2000, 2005), 1.0)})
    have = np.array([v for v in row if v is not None])
    for how, fill in [("mean", "available"), ("mean", "nearest"), ("sum", "nearest"),
                      ("sum", "scale")]:  # fmt: skip
        value = aggregate_window(s, (2000, 2004), how, fill).values["AAA"]
        if have.size == 0:
            assert np.isnan(value)
            continue
        per_year = value / 5 if how == "sum" else value
        # every rule averages or repeats observed values: the per-year level stays in range
        assert have.min() - 1e-6 <= per_year <= have.max() + 1e-6
        if have.size == 5:
            assert value == pytest.approx(have.sum() if how == "sum" else have.mean())
    assert aggregate_window(s, (2000, 2004), "mean", "available").values["AAA"] == (
        pytest.approx(have.mean()) if have.size else pytest.approx(np.nan, nan_ok=True)
    )
