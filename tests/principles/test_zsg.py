"""ZSG-DEA: Lins et al. (2003) closed form, hand example, conservation, convergence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import DataError
from carbonshare.principles import allocate, dea_efficiency, zsg_dea


def test_hand_example():
    # q = (6, 2), y = (1, 3): CCR theta_A = (1/6) / (3/2) = 1/9, theta_B = 1.
    # targets 2/3 and 2 (sum 8/3) scaled by 8 / (8/3) = 3 -> 2 and 6.
    q = pd.Series({"A": 6.0, "B": 2.0})
    y = pd.DataFrame({"gdp": [1.0, 3.0]}, index=["A", "B"])
    r = zsg_dea(q, y)
    assert r.efficiency_before.to_numpy() == pytest.approx([1 / 9, 1.0])
    assert r.quota.to_numpy() == pytest.approx([2.0, 6.0])
    assert r.efficiency_after.to_numpy() == pytest.approx([1.0, 1.0])
    assert r.converged and r.iterations == 1


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 15), st.integers(0, 2**31 - 1))
def test_lins_closed_form_single_input_output(n, seed):
    """Lins et al. (2003): under CRS with one input and one output the ZSG-efficient
    quota of every DMU is proportional to its output, q_i* = Q y_i / sum_j y_j."""
    rng = np.random.default_rng(seed)
    idx = [f"D{i}" for i in range(n)]
    q = pd.Series(rng.uniform(1, 100, n), index=idx)
    y = pd.DataFrame({"y": rng.uniform(1, 100, n)}, index=idx)
    r = zsg_dea(q, y)
    expected = q.sum() * y["y"] / y["y"].sum()
    assert r.quota.to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-9)
    assert r.shares.sum() == pytest.approx(1.0)
    # efficiencies before are the classical CCR ones: (y/q) / max(y/q)
    ratio = y["y"] / q
    assert r.efficiency_before.to_numpy() == pytest.approx((ratio / ratio.max()).to_numpy())


@settings(max_examples=10, deadline=None)
@given(
    st.integers(4, 12), st.sampled_from(["crs", "vrs"]), st.booleans(), st.integers(0, 2**31 - 1)
)
def test_conservation_every_iteration_and_frontier(n, rts, other, seed):
    rng = np.random.default_rng(seed)
    idx = [f"D{i}" for i in range(n)]
    q = pd.Series(rng.uniform(1, 100, n), index=idx)
    y = pd.DataFrame(rng.uniform(1, 100, (n, 2)), index=idx, columns=["gdp", "jobs"])
    x = pd.DataFrame({"pop": rng.uniform(1, 100, n)}, index=idx) if other else None
    r = zsg_dea(q, y, x, rts=rts, max_iter=200)
    assert r.history["total"].to_numpy() == pytest.approx(
        np.full(len(r.history), q.sum()), rel=1e-12
    )
    assert r.quota.sum() == pytest.approx(q.sum(), rel=1e-12)
    assert r.converged
    # projected quotas stay on the frontier after the common rescaling (CRS and VRS)
    assert r.iterations <= 1
    assert (r.efficiency_after >= 1 - 1e-6).all()
    # the reported "after" efficiencies are those of an independent DEA run on the result
    frame = (
        r.quota.rename("q").to_frame() if x is None else pd.concat([r.quota.rename("q"), x], axis=1)
    )
    check = dea_efficiency(frame, y, rts=rts, scaled=["q"], form="multiplier")
    assert check.to_numpy() == pytest.approx(r.efficiency_after.to_numpy(), abs=1e-7)


@settings(max_examples=15, deadline=None)
@given(st.integers(2, 10), st.floats(0.01, 100), st.integers(0, 2**31 - 1))
def test_scaling_quota_leaves_crs_shares_unchanged(n, c, seed):
    rng = np.random.default_rng(seed)
    idx = [f"D{i}" for i in range(n)]
    q = pd.Series(rng.uniform(1, 100, n), index=idx)
    y = pd.DataFrame(rng.uniform(1, 100, (n, 2)), index=idx, columns=["a", "b"])
    assert zsg_dea(q * c, y).shares.to_numpy() == pytest.approx(zsg_dea(q, y).shares.to_numpy())


def test_registry_rule_and_errors():
    data = pd.DataFrame(
        {"co2_t": [6.0, 2.0, 4.0], "gdp_usd": [1.0, 3.0, 2.0], "population": [1.0, 1.0, 2.0]},
        index=["A", "B", "C"],
    )
    s = allocate("zsg_dea", data, inputs=["population"], rts="vrs")
    assert s.sum() == pytest.approx(1.0)
    with pytest.raises(DataError, match="every output is zero for B"):
        allocate("zsg_dea", data.assign(gdp_usd=[1.0, 0.0, 2.0]))
    with pytest.raises(DataError, match=r"ZSG-DEA quota must be > 0; 1 entities violate it: A"):
        zsg_dea(pd.Series({"A": 0.0, "B": 1.0}), pd.DataFrame({"y": [1.0, 1.0]}, index=["A", "B"]))


@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("other", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_reference_verification_equals_a_full_dea(rts, other, seed):
    """The cheap verification (originally non-dominated units as reference) is exact."""
    rng = np.random.default_rng(seed)
    n = 60
    idx = [f"U{i}" for i in range(n)]
    q = pd.Series(rng.lognormal(3, 1, n), index=idx)
    y = pd.DataFrame({"gdp": q * rng.lognormal(0, 0.6, n), "jobs": rng.lognormal(1, 1, n)}, idx)
    x = pd.DataFrame({"pop": rng.lognormal(2, 1, n)}, index=idx) if other else None
    fast = zsg_dea(q, y, x, rts=rts)
    full = zsg_dea(q, y, x, rts=rts, verify="full")
    pd.testing.assert_series_equal(fast.quota, full.quota, rtol=1e-9)
    assert fast.converged and full.converged
    # an unpruned DEA of the final data confirms every unit is on the frontier
    frame = fast.quota.rename("quota").to_frame()
    if x is not None:
        frame = frame.join(x)
    theta = dea_efficiency(frame, y, rts=rts, scaled=["quota"])
    np.testing.assert_allclose(theta, 1.0, atol=1e-6)
    np.testing.assert_allclose(fast.efficiency_after, theta, atol=1e-7)


def test_reference_must_be_units_of_the_table():
    x = pd.DataFrame({"q": [2.0, 4.0]}, index=["A", "B"])
    y = pd.DataFrame({"gdp": [2.0, 2.0]}, index=["A", "B"])
    with pytest.raises(DataError, match="'Z'"):
        dea_efficiency(x, y, reference=["Z"])
    with pytest.raises(DataError, match="verify"):
        zsg_dea(x["q"], y, verify="sometimes")
