"""The incremental HiGHS path of DEA / ZSG-DEA against one scipy.optimize.linprog call per DMU.

Random instances with ties, duplicated DMUs and degenerate units (zero fixed inputs, zero
outputs in some columns, units on a frontier face, all units alike) under CRS and VRS, radial
and sub-vector. DEA here is input-oriented only (the library has no output orientation).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import DataError
from carbonshare.principles import dea_efficiency, zsg_dea
from carbonshare.principles.dea import EnvelopmentLP


def _instance(rng, n, m, s, coarse):
    """Inputs (first column > 0) and outputs (>= one positive per row). ``coarse`` draws
    small integers, so that ties, duplicated rows and zero entries are frequent."""
    if coarse:
        x = rng.integers(0, 4, (n, m)).astype(float)
        x[:, 0] = rng.integers(1, 4, n)
        y = rng.integers(0, 3, (n, s)).astype(float)
        y[y.sum(axis=1) == 0, 0] = 1.0
    else:
        x = rng.lognormal(1, 1, (n, m))
        y = rng.lognormal(1, 1, (n, s))
    dup = rng.integers(0, n, n // 4)  # some DMUs twice
    x, y = np.vstack([x, x[dup]]), np.vstack([y, y[dup]])
    idx = [f"U{i}" for i in range(len(x))]
    xs = pd.DataFrame(x, index=idx, columns=[f"x{k}" for k in range(m)])
    ys = pd.DataFrame(y, index=idx, columns=[f"y{k}" for k in range(s)])
    return xs, ys


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 40),
    st.integers(1, 3),
    st.integers(1, 2),
    st.sampled_from(["crs", "vrs"]),
    st.booleans(),
    st.booleans(),
    st.integers(0, 2**31 - 1),
)
def test_highspy_equals_linprog(n, m, s, rts, subvector, coarse, seed):
    x, y = _instance(np.random.default_rng(seed), n, m, s, coarse)
    scaled = ["x0"] if subvector else None  # x0 > 0 for every DMU
    fast = dea_efficiency(x, y, rts=rts, scaled=scaled)
    slow = dea_efficiency(x, y, rts=rts, scaled=scaled, solver="linprog")
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-9)
    # pruning to the non-dominated columns is exact: all DMUs as reference give the same
    unpruned = dea_efficiency(x, y, rts=rts, scaled=scaled, reference=x.index)
    np.testing.assert_allclose(fast, unpruned, rtol=0, atol=1e-9)


@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_degenerate_units(rts):
    # all units alike -> all efficient; a unit on the face A-B; a zero fixed input
    x = pd.DataFrame({"q": [2.0, 2.0, 2.0], "k": [1.0, 1.0, 1.0]}, index=list("ABC"))
    y = pd.DataFrame({"g": [1.0, 1.0, 1.0]}, index=x.index)
    assert dea_efficiency(x, y, rts=rts, scaled=["q"]).to_numpy() == pytest.approx([1, 1, 1])
    x = pd.DataFrame({"q": [1.0, 3.0, 2.0, 4.0], "k": [0.0, 2.0, 1.0, 1.0]}, index=list("ABCD"))
    y = pd.DataFrame({"g": [1.0, 3.0, 2.0, 2.0], "h": [0.0, 1.0, 0.5, 0.0]}, index=x.index)
    for scaled in (["q"], None):
        fast = dea_efficiency(x, y, rts=rts, scaled=scaled)
        slow = dea_efficiency(x, y, rts=rts, scaled=scaled, solver="linprog")
        np.testing.assert_allclose(fast, slow, atol=1e-9)
        assert fast["C"] == pytest.approx(1.0)  # C = (A + B) / 2 lies on the face A-B


@settings(max_examples=12, deadline=None)
@given(
    st.integers(3, 30),
    st.sampled_from(["crs", "vrs"]),
    st.booleans(),
    st.booleans(),
    st.integers(0, 2**31 - 1),
)
def test_zsg_highspy_equals_linprog(n, rts, other, coarse, seed):
    x, y = _instance(np.random.default_rng(seed), n, 2, 2, coarse)
    q = x["x0"]
    rest = x[["x1"]] if other else None
    fast = zsg_dea(q, y, rest, rts=rts)
    slow = zsg_dea(q, y, rest, rts=rts, solver="linprog")
    np.testing.assert_allclose(fast.quota, slow.quota, rtol=1e-9)
    np.testing.assert_allclose(fast.efficiency_before, slow.efficiency_before, atol=1e-9)
    np.testing.assert_allclose(fast.efficiency_after, slow.efficiency_after, atol=1e-9)
    assert fast.iterations == slow.iterations


def test_reference_that_does_not_span_names_the_unit():
    # B's fixed input k = 1 is below A's (k = 5): A alone cannot envelop B
    x = pd.DataFrame({"q": [1.0, 1.0], "k": [5.0, 1.0]}, index=["A", "B"])
    y = pd.DataFrame({"g": [1.0, 1.0]}, index=x.index)
    for solver in ("highspy", "linprog"):
        with pytest.raises(DataError, match="LP of B has no optimum"):
            dea_efficiency(x, y, scaled=["q"], reference=["A"], solver=solver)
    with pytest.raises(DataError, match="solver"):
        dea_efficiency(x, y, solver="cplex")


def test_lp_reused_across_units_after_a_failure():
    """A DMU without optimum does not spoil the next solve of the same model."""
    lp = EnvelopmentLP(np.array([[1.0, 5.0]]), np.array([[1.0]]), np.array([True, False]), "crs")
    assert np.isnan(lp.solve(np.array([1.0, 1.0]), np.array([1.0])))
    assert lp.solve(np.array([2.0, 5.0]), np.array([1.0])) == pytest.approx(0.5)


def test_silent():
    """HiGHS writes nothing to the terminal (its banner would land in CLI output). It prints
    at most once per process, hence a fresh interpreter."""
    code = (
        "import pandas as pd; from carbonshare.principles import dea_efficiency; "
        "x = pd.DataFrame({'q': [2.0, 4.0]}); y = pd.DataFrame({'g': [2.0, 2.0]}); "
        "print(dea_efficiency(x, y).tolist())"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout == "[1.0, 0.5]\n" and run.stderr == ""
