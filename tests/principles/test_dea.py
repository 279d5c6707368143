"""DEA efficiency: textbook answers, envelopment vs multiplier, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import DataError
from carbonshare.principles import dea_efficiency
from carbonshare.principles.dea import non_dominated


def test_cooper_seiford_tone_two_inputs():
    # Cooper, Seiford & Tone (2007), two inputs / one output example of ch. 3 (DMUs A-F).
    # By hand: the frontier is C(8,1)-D(4,2)-E(2,4); A(4,3) projects radially on the
    # segment D-E (x1 + x2 = 6): theta = 6/7; B(7,3) on C-D (x1 + 4 x2 = 12): theta = 12/19.
    x = pd.DataFrame(
        {"x1": [4, 7, 8, 4, 2, 10], "x2": [3, 3, 1, 2, 4, 1]}, index=list("ABCDEF"), dtype=float
    )
    y = pd.DataFrame({"y": np.ones(6)}, index=x.index)
    expected = [6 / 7, 12 / 19, 1, 1, 1, 1]
    for form in ("envelopment", "multiplier"):
        assert dea_efficiency(x, y, form=form).to_numpy() == pytest.approx(expected, abs=1e-9)


def test_single_input_output_ccr_and_bcc_by_hand():
    x = pd.DataFrame({"x": [2.0, 3.0, 6.0, 9.0, 4.0]}, index=list("ABCDE"))
    y = pd.DataFrame({"y": [1.0, 3.0, 4.0, 4.0, 2.0]}, index=x.index)
    # CCR: (y/x) / max(y/x) with max = 1 (B)
    ccr = dea_efficiency(x, y, rts="crs")
    assert ccr.to_numpy() == pytest.approx([0.5, 1.0, 2 / 3, 4 / 9, 0.5])
    # BCC frontier A(2,1)-B(3,3)-C(6,4): D needs x = 6 for y = 4 -> 6/9;
    # E needs x = 2.5 for y = 2 (on A-B) -> 2.5/4
    bcc = dea_efficiency(x, y, rts="vrs")
    assert bcc.to_numpy() == pytest.approx([1.0, 1.0, 1.0, 2 / 3, 0.625])
    assert dea_efficiency(x, y, rts="vrs", form="multiplier").to_numpy() == pytest.approx(
        bcc.to_numpy()
    )


def test_non_dominated():
    x = pd.DataFrame({"x": [1.0, 2.0, 1.0, 3.0]}, index=list("ABCD"))
    y = pd.DataFrame({"y": [1.0, 2.0, 2.0, 1.0]}, index=x.index)
    assert list(non_dominated(x, y)) == ["C"]


@settings(max_examples=15, deadline=None)
@given(
    st.integers(3, 12),
    st.integers(1, 3),
    st.integers(1, 2),
    st.sampled_from(["crs", "vrs"]),
    st.booleans(),
    st.integers(0, 2**31 - 1),
)
def test_envelopment_equals_multiplier(n, m, s, rts, subvector, seed):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(1, 10, (n, m)), columns=[f"x{k}" for k in range(m)])
    y = pd.DataFrame(rng.uniform(1, 10, (n, s)), columns=[f"y{k}" for k in range(s)])
    scaled = ["x0"] if subvector else None
    env = dea_efficiency(x, y, rts=rts, scaled=scaled)
    mul = dea_efficiency(x, y, rts=rts, scaled=scaled, form="multiplier")
    assert env.to_numpy() == pytest.approx(mul.to_numpy(), abs=1e-7)
    assert (env <= 1 + 1e-9).all() and (env > 0).all()
    assert env.max() == pytest.approx(1.0)
    # BCC efficiency >= CCR efficiency; sub-vector efficiency <= radial efficiency
    if rts == "vrs":
        assert (env >= dea_efficiency(x, y, rts="crs", scaled=scaled) - 1e-9).all()
    if subvector:
        assert (env <= dea_efficiency(x, y, rts=rts) + 1e-9).all()


def test_bad_input_messages():
    x = pd.DataFrame({"q": [1.0, 2.0]}, index=["A", "B"])
    with pytest.raises(DataError, match="every output is zero for B; a unit that produces nothing"):
        dea_efficiency(x, pd.DataFrame({"gdp": [1.0, 0.0]}, index=["A", "B"]))
    with pytest.raises(DataError, match="'q' is negative"):
        dea_efficiency(-x, pd.DataFrame({"gdp": [1.0, 1.0]}, index=["A", "B"]))
    with pytest.raises(DataError, match="'gdp' is missing or infinite for A"):
        dea_efficiency(x, pd.DataFrame({"gdp": [np.nan, 1.0]}, index=["A", "B"]))
    with pytest.raises(DataError, match=r"scaled inputs \['q'\] are zero for A"):
        dea_efficiency(x.assign(q=[0.0, 1.0]), pd.DataFrame({"gdp": [1.0, 1.0]}, index=["A", "B"]))
    with pytest.raises(DataError, match="same entity index"):
        dea_efficiency(x, pd.DataFrame({"gdp": [1.0, 1.0]}, index=["B", "A"]))


@settings(max_examples=10, deadline=None)
@given(
    st.integers(3, 10),
    st.sampled_from(["crs", "vrs"]),
    st.floats(0.01, 100),
    st.integers(0, 2**31 - 1),
)
def test_units_invariance(n, rts, c, seed):
    """Changing the unit of any input or output column leaves every efficiency unchanged."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(1, 10, (n, 2)), columns=["q", "k"])
    y = pd.DataFrame(rng.uniform(1, 10, (n, 1)), columns=["gdp"])
    base = dea_efficiency(x, y, rts=rts, scaled=["q"])
    assert dea_efficiency(
        x.assign(q=x["q"] * c), y, rts=rts, scaled=["q"]
    ).to_numpy() == pytest.approx(base.to_numpy(), abs=1e-7)
    assert dea_efficiency(x, y * c, rts=rts, scaled=["q"]).to_numpy() == pytest.approx(
        base.to_numpy(), abs=1e-7
    )
