"""Carbon productivity and benchmarking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import DataError
from carbonshare.principles import (
    benchmark_allowances,
    benchmarking,
    carbon_productivity,
    economic_activity,
    grandfathering,
)


def test_productivity_limits(toy_panel):
    assert carbon_productivity(toy_panel, k=0).to_numpy() == pytest.approx(
        grandfathering(toy_panel).to_numpy()
    )
    assert carbon_productivity(toy_panel, k=1).to_numpy() == pytest.approx(
        economic_activity(toy_panel).to_numpy()
    )
    # k = 0.5: geometric mean sqrt(E * GDP): sqrt(400), sqrt(120), sqrt(10)
    w = np.sqrt([400.0, 120.0, 10.0])
    assert carbon_productivity(toy_panel, k=0.5).to_numpy() == pytest.approx(w / w.sum())


def test_benchmark_hand_example():
    data = pd.DataFrame(
        {"co2_t": [2.0, 6.0, 4.0, 12.0], "gdp_usd": [1.0, 2.0, 1.0, 3.0]},
        index=["A", "B", "C", "D"],
    )
    groups = pd.Series({"A": "steel", "B": "steel", "C": "cement", "D": "cement"})
    t = benchmark_allowances(data, groups=groups)
    # steel intensities 2, 3 -> benchmark 2; cement 4, 4 -> 4
    assert t["benchmark"].to_dict() == {"A": 2.0, "B": 2.0, "C": 4.0, "D": 4.0}
    assert t["allowance_t"].to_dict() == {"A": 2.0, "B": 4.0, "C": 4.0, "D": 12.0}
    assert benchmarking(data, groups=groups).to_numpy() == pytest.approx(
        np.array([2, 4, 4, 12]) / 22
    )
    # median benchmark of one group: intensities 2, 3, 4, 4 -> 3.5
    assert benchmark_allowances(data, percentile=50)["benchmark"].iloc[0] == 3.5


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 8), st.floats(0, 100), st.integers(0, 2**31 - 1))
def test_single_benchmark_gives_output_shares(n, q, seed):
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {"co2_t": rng.uniform(1, 10, n), "gdp_usd": rng.uniform(1, 10, n)},
        index=[f"E{i}" for i in range(n)],
    )
    assert benchmarking(data, percentile=q).to_numpy() == pytest.approx(
        economic_activity(data).to_numpy()
    )


def test_errors():
    data = pd.DataFrame({"co2_t": [1.0, 2.0], "gdp_usd": [0.0, 1.0]}, index=["A", "B"])
    with pytest.raises(DataError, match=r"gdp_usd must be > 0; 1 entities violate it: A"):
        benchmarking(data)
    with pytest.raises(DataError, match=r"percentile = 120"):
        benchmarking(data, percentile=120)
    with pytest.raises(DataError, match=r"k = 2"):
        carbon_productivity(data, k=2)
    ok = data.assign(gdp_usd=[1.0, 1.0])
    with pytest.raises(DataError, match="no group for B"):
        benchmarking(ok, groups=pd.Series({"A": "x"}))
