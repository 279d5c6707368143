"""Equity rules: hand-computed answers, invariances, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import DataError
from carbonshare.principles import (
    ability_to_pay,
    ability_to_pay_reduction,
    economic_activity,
    egalitarian,
    grandfathering,
    horizontal_equity,
    polluter_pays,
    vertical_equity,
)

positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)
scale = st.floats(min_value=1e-3, max_value=1e3)


def xs_strategy(n_min=2, n_max=8):
    return st.integers(n_min, n_max).flatmap(
        lambda n: st.tuples(
            st.lists(positive, min_size=n, max_size=n),
            st.lists(positive, min_size=n, max_size=n),
            st.lists(positive, min_size=n, max_size=n),
        )
    )


def frame(cols) -> pd.DataFrame:
    e, p, g = cols
    return pd.DataFrame(
        {"co2_t": e, "population": p, "gdp_usd": g}, index=[f"E{i}" for i in range(len(e))]
    )


def test_grandfathering_base_year_and_window(toy_panel):
    s = grandfathering(toy_panel, year=2000)
    assert s.to_dict() == pytest.approx({"R": 10 / 15, "M": 4 / 15, "P": 1 / 15})
    # window 2001-2002: means R 10, M 5.5, P 1.5 -> total 17
    w = grandfathering(toy_panel, window=(2001, 2002))
    assert w.to_dict() == pytest.approx({"R": 10 / 17, "M": 5.5 / 17, "P": 1.5 / 17})
    assert grandfathering(toy_panel).equals(grandfathering(toy_panel, year=2002))


def test_egalitarian_and_economic_activity(toy_panel):
    assert egalitarian(toy_panel, year=2001).to_dict() == pytest.approx(
        {"R": 1 / 8, "M": 2 / 8, "P": 5 / 8}
    )
    assert economic_activity(toy_panel).to_dict() == pytest.approx(
        {"R": 40 / 65, "M": 20 / 65, "P": 5 / 65}
    )


def test_ability_to_pay_hand_computed(toy_panel):
    # y = 40, 10, 1 per person; world y_w = 65 / 8.
    y = np.array([40.0, 10.0, 1.0])
    pop = np.array([1.0, 2.0, 5.0])
    yw = 65 / 8
    w = pop * (y / yw) ** -1.0
    s = ability_to_pay(toy_panel, k=1.0)
    assert s.to_numpy() == pytest.approx(w / w.sum())
    # allowances per capita fall with income
    per_capita = s / pd.Series(pop, index=s.index)
    assert per_capita["R"] < per_capita["M"] < per_capita["P"]
    # k = 0 is the egalitarian rule
    assert ability_to_pay(toy_panel, k=0).to_numpy() == pytest.approx(
        egalitarian(toy_panel).to_numpy()
    )


def test_ability_to_pay_reduction_van_den_berg(toy_panel):
    y = np.array([40.0, 10.0, 1.0])
    e = np.array([10.0, 6.0, 2.0])
    b = (y / (65 / 8)) ** (1 / 3) * e
    assert ability_to_pay_reduction(toy_panel).to_numpy() == pytest.approx(b / b.sum())


def test_polluter_pays_cumulative(toy_panel):
    s = polluter_pays(toy_panel, start_year=2001, end_year=2002)
    assert s.to_dict() == pytest.approx({"R": 20 / 34, "M": 11 / 34, "P": 3 / 34})


def test_horizontal_and_vertical_equity(toy_panel):
    assert horizontal_equity(toy_panel).to_dict() == pytest.approx(
        economic_activity(toy_panel).to_dict()
    )
    # v = 1: burden ∝ GDP * y / y_w -> 40*40, 20*10, 5*1 (y_w cancels)
    b = np.array([1600.0, 200.0, 5.0])
    assert vertical_equity(toy_panel, progressivity=1).to_numpy() == pytest.approx(b / b.sum())
    # v = 0 is horizontal equity
    assert vertical_equity(toy_panel, progressivity=0).to_numpy() == pytest.approx(
        horizontal_equity(toy_panel).to_numpy()
    )
    # cost per unit of GDP rises with income under vertical equity
    rate = vertical_equity(toy_panel) / economic_activity(toy_panel)
    assert rate["R"] > rate["M"] > rate["P"]


RULES = [
    grandfathering,
    egalitarian,
    economic_activity,
    ability_to_pay,
    ability_to_pay_reduction,
    horizontal_equity,
    vertical_equity,
]


@settings(max_examples=40, deadline=None)
@given(xs_strategy())
def test_shares_sum_to_one_and_non_negative(cols):
    data = frame(cols)
    for rule in RULES:
        s = rule(data)
        assert s.sum() == pytest.approx(1.0, abs=1e-12)
        assert (s >= 0).all()
        assert list(s.index) == list(data.index)


@settings(max_examples=40, deadline=None)
@given(xs_strategy(), scale)
def test_scaling_invariances(cols, c):
    data = frame(cols)
    scaled_e = data.assign(co2_t=data["co2_t"] * c)
    scaled_p = data.assign(population=data["population"] * c)
    scaled_g = data.assign(gdp_usd=data["gdp_usd"] * c)
    # scaling all emissions leaves grandfathering shares unchanged
    assert grandfathering(scaled_e).to_numpy() == pytest.approx(grandfathering(data).to_numpy())
    # scaling population leaves per-capita and ability-to-pay shares unchanged
    assert egalitarian(scaled_p).to_numpy() == pytest.approx(egalitarian(data).to_numpy())
    assert ability_to_pay(scaled_p).to_numpy() == pytest.approx(ability_to_pay(data).to_numpy())
    # a change of currency leaves every income-based rule unchanged
    for rule in (economic_activity, ability_to_pay, vertical_equity, ability_to_pay_reduction):
        assert rule(scaled_g).to_numpy() == pytest.approx(rule(data).to_numpy())


@settings(max_examples=25, deadline=None)
@given(xs_strategy(3, 6), st.randoms(use_true_random=False))
def test_relabelling_equivariance(cols, rnd):
    data = frame(cols)
    order = list(data.index)
    rnd.shuffle(order)
    for rule in RULES:
        assert rule(data.loc[order]).reindex(data.index).to_numpy() == pytest.approx(
            rule(data).to_numpy()
        )


def test_missing_base_year_data_names_entity(toy_panel):
    broken = toy_panel.copy()
    broken.loc[("M", 2001), "co2_t"] = np.nan
    with pytest.raises(DataError, match=r"co2_t in 2001 is missing for 1 entities: M"):
        grandfathering(broken, year=2001)
    with pytest.raises(DataError, match=r"missing in 2000-2002 .*M.*e\.g\. M: 2001"):
        grandfathering(broken, window=(2000, 2002))
    with pytest.raises(DataError, match=r"year 1999 is not in the data"):
        grandfathering(toy_panel, year=1999)


@pytest.mark.parametrize("value,bound", [(0.0, "> 0"), (-3.0, "> 0")])
def test_zero_or_negative_population(toy_panel, value, bound):
    broken = toy_panel.copy()
    broken.loc[("P", 2002), "population"] = value
    with pytest.raises(DataError, match=rf"population in 2002 must be {bound}.*P: {value:g}"):
        egalitarian(broken, year=2002)
    with pytest.raises(DataError, match="population"):
        ability_to_pay(broken, year=2002)


def test_duplicated_rows_are_an_error_not_a_silent_pick(toy_panel):
    xs = pd.DataFrame({"co2_t": [1.0, 3.0, 5.0]}, index=["A", "B", "A"])
    with pytest.raises(DataError, match=r"1 duplicated entities: A; keep one row per entity"):
        grandfathering(xs)
    doubled = pd.concat([toy_panel, toy_panel.iloc[[0]]])
    with pytest.raises(DataError, match=r"duplicated \(entity, year\) pairs: \('R', 2000\)"):
        grandfathering(doubled, year=2000)
    with pytest.raises(DataError, match="keep one row per entity and year"):
        polluter_pays(doubled, start_year=2000)


def test_bad_parameters(toy_panel):
    with pytest.raises(DataError, match="k must be >= 0"):
        ability_to_pay(toy_panel, k=-1)
    with pytest.raises(DataError, match="progressivity"):
        vertical_equity(toy_panel, progressivity=-0.5)
    with pytest.raises(DataError, match="column 'co2' is missing"):
        grandfathering(toy_panel, emissions="co2")
    with pytest.raises(DataError, match=r"co2_t in 2002 must be >= 0; 3 entities"):
        grandfathering(toy_panel.assign(co2_t=-toy_panel["co2_t"]))
