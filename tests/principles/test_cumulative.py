"""Equal cumulative per capita: hand-computed account, negative remaining budgets, errors."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import DataError
from carbonshare.principles import ecpc_account, equal_cumulative_per_capita


def test_hand_computed_account_floor(toy_panel, caplog):
    # history 2000-2002: R 30, M 15, P 4 -> H = 49; person-years R 3, M 6, P 15 (24)
    # remaining budget 23 -> B = 72; fair shares 9, 18, 45; owed -21, 3, 41 (sum 23)
    with caplog.at_level(logging.WARNING):
        acc = ecpc_account(toy_panel, start_year=2000, remaining_budget=23.0, negative="floor")
    assert acc["emitted_t"].to_dict() == pytest.approx({"R": 30, "M": 15, "P": 4})
    assert acc["fair_share_t"].to_dict() == pytest.approx({"R": 9, "M": 18, "P": 45})
    assert acc["remaining_t"].to_dict() == pytest.approx({"R": -21, "M": 3, "P": 41})
    # floor: R gets 0, M and P scaled by 23 / 44
    assert acc["allocated_t"].to_dict() == pytest.approx(
        {"R": 0, "M": 3 * 23 / 44, "P": 41 * 23 / 44}
    )
    assert acc["deficit_t"].to_dict() == pytest.approx({"R": -21, "M": 0, "P": 0})
    assert "1 entities have emitted more than their fair share (total deficit 21 t)" in caplog.text
    s = equal_cumulative_per_capita(toy_panel, start_year=2000, remaining_budget=23.0)
    assert s.to_dict() == pytest.approx({"R": 0, "M": 3 / 44, "P": 41 / 44})


def test_keep_negative_and_raise(toy_panel):
    s = equal_cumulative_per_capita(
        toy_panel, start_year=2000, remaining_budget=23.0, negative="keep"
    )
    assert s.to_dict() == pytest.approx({"R": -21 / 23, "M": 3 / 23, "P": 41 / 23})
    assert s.sum() == pytest.approx(1.0)
    with pytest.raises(DataError, match=r"1 entities have already emitted more .*\(R\)"):
        equal_cumulative_per_capita(
            toy_panel, start_year=2000, remaining_budget=23.0, negative="raise"
        )


def test_total_budget_equals_history_plus_remaining(toy_panel):
    a = equal_cumulative_per_capita(toy_panel, start_year=2000, budget=72.0)
    b = equal_cumulative_per_capita(toy_panel, start_year=2000, remaining_budget=23.0)
    assert a.to_numpy() == pytest.approx(b.to_numpy())


def test_reference_population_basis(toy_panel):
    acc = ecpc_account(
        toy_panel,
        start_year=2001,
        remaining_budget=100.0,
        population_basis="reference",
        reference_year=2000,
        negative="keep",
    )
    # H = 20 + 11 + 3 = 34, B = 134, shares 1/8, 2/8, 5/8
    assert acc["fair_share_t"].to_numpy() == pytest.approx(np.array([1, 2, 5]) / 8 * 134)


def test_budget_smaller_than_emitted(toy_panel):
    with pytest.raises(
        DataError, match=r"budget of 40 t from 2000 is smaller than the 49 t already emitted"
    ):
        equal_cumulative_per_capita(toy_panel, start_year=2000, budget=40.0)
    with pytest.raises(DataError, match="remaining_budget = -1 t is negative"):
        equal_cumulative_per_capita(toy_panel, start_year=2000, remaining_budget=-1.0)
    with pytest.raises(DataError, match="exactly one of budget"):
        equal_cumulative_per_capita(toy_panel, start_year=2000)
    with pytest.raises(DataError, match="remaining global budget is 0 t"):
        equal_cumulative_per_capita(toy_panel, start_year=2000, budget=49.0)


def test_needs_a_panel(toy_panel):
    with pytest.raises(DataError, match="needs a panel indexed by"):
        equal_cumulative_per_capita(toy_panel.xs(2000, level=1), remaining_budget=1.0)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.0, 100.0), min_size=6, max_size=6),
    st.lists(st.floats(0.1, 100.0), min_size=3, max_size=3),
    st.floats(0.5, 500.0),
    st.sampled_from(["floor", "keep"]),
)
def test_conservation(make_panel, emissions, pops, remaining, negative):
    panel = make_panel(
        {
            "co2_t": {"A": emissions[:2], "B": emissions[2:4], "C": emissions[4:]},
            "population": {"A": [pops[0]] * 2, "B": [pops[1]] * 2, "C": [pops[2]] * 2},
        },
        [2010, 2011],
    )
    acc = ecpc_account(panel, start_year=2010, remaining_budget=remaining, negative=negative)
    assert acc["allocated_t"].sum() == pytest.approx(remaining)
    assert acc["fair_share_t"].sum() == pytest.approx(sum(emissions) + remaining)
    if negative == "floor":
        assert (acc["allocated_t"] >= 0).all()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(0.1, 100.0), min_size=6, max_size=6),
    st.lists(st.floats(0.1, 100.0), min_size=3, max_size=3),
    st.floats(1.0, 500.0),
    st.floats(0.01, 100.0),
)
def test_invariances(make_panel, emissions, pops, remaining, c):
    def panel(e_scale, p_scale):
        return make_panel(
            {
                "co2_t": {
                    "A": [x * e_scale for x in emissions[:2]],
                    "B": [x * e_scale for x in emissions[2:4]],
                    "C": [x * e_scale for x in emissions[4:]],
                },
                "population": {k: [p * p_scale] * 2 for k, p in zip("ABC", pops, strict=True)},
            },
            [2010, 2011],
        )

    base = equal_cumulative_per_capita(panel(1, 1), start_year=2010, remaining_budget=remaining)
    # scaling population leaves the shares unchanged
    pop_scaled = equal_cumulative_per_capita(
        panel(1, c), start_year=2010, remaining_budget=remaining
    )
    assert pop_scaled.to_numpy() == pytest.approx(base.to_numpy(), abs=1e-12)
    # scaling emissions and the budget together (a change of unit) leaves them unchanged
    unit = equal_cumulative_per_capita(panel(c, 1), start_year=2010, remaining_budget=remaining * c)
    assert unit.to_numpy() == pytest.approx(base.to_numpy(), abs=1e-12)
