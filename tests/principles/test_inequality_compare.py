"""Gini, Theil, CV against hand-computed values; comparison tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from carbonshare.errors import DataError
from carbonshare.principles import (
    allowance_table,
    coefficient_of_variation,
    gini,
    inequality_table,
    rank_correlation,
    theil,
    winners_losers,
)

values = st.lists(st.floats(0.01, 1e4), min_size=2, max_size=12)


def test_gini_known_values():
    # sum over ordered pairs |x_i - x_j| = 40, n^2 = 25, mean 3: 40 / (2 * 25 * 3) = 4/15
    assert gini([1, 2, 3, 4, 5]) == pytest.approx(4 / 15)
    # one holder of everything among n: (n - 1) / n
    assert gini([0, 0, 0, 10]) == pytest.approx(3 / 4)
    assert gini([7, 7, 7]) == 0.0


def test_theil_known_values():
    # two-point case x = (1, 3), mean 2: T = 0.5 [0.5 ln 0.5 + 1.5 ln 1.5]
    assert theil([1, 3]) == pytest.approx(0.5 * (0.5 * np.log(0.5) + 1.5 * np.log(1.5)))
    assert theil([0, 0, 0, 5]) == pytest.approx(np.log(4))
    assert theil([2, 2]) == 0.0


def test_cv_known_value():
    assert coefficient_of_variation([1, 3]) == pytest.approx(0.5)
    assert coefficient_of_variation([2, 4, 4, 4, 5, 5, 7, 9]) == pytest.approx(2 / 5)


@settings(max_examples=40, deadline=None)
@given(values, st.lists(st.integers(1, 5), min_size=12, max_size=12))
def test_weights_equal_replication(x, reps):
    w = reps[: len(x)]
    expanded = np.repeat(x, w)
    assert gini(x, w) == pytest.approx(gini(expanded), abs=1e-12)
    assert theil(x, w) == pytest.approx(theil(expanded), abs=1e-12)
    assert coefficient_of_variation(x, w) == pytest.approx(
        coefficient_of_variation(expanded), abs=1e-12
    )


@settings(max_examples=40, deadline=None)
@given(values, st.floats(0.01, 100))
def test_scale_invariance_and_bounds(x, c):
    n = len(x)
    assert gini(np.array(x) * c) == pytest.approx(gini(x), abs=1e-12)
    assert theil(np.array(x) * c) == pytest.approx(theil(x), abs=1e-12)
    assert 0 <= gini(x) <= (n - 1) / n + 1e-12
    assert 0 <= theil(x) <= np.log(n) + 1e-12
    # brute-force Gini over all pairs
    a = np.array(x)
    brute = np.abs(a[:, None] - a[None, :]).sum() / (2 * n**2 * a.mean())
    assert gini(x) == pytest.approx(brute, rel=1e-10)


def test_inequality_errors():
    with pytest.raises(DataError, match="1 values are negative"):
        gini([1, -1, 2])
    with pytest.raises(DataError, match="weighted mean is 0"):
        theil([0, 0])


def test_comparison_tables():
    shares = pd.DataFrame(
        {
            "grandfathering": [0.6, 0.3, 0.1],
            "egalitarian": [0.1, 0.3, 0.6],
            "other": [0.5, 0.2, 0.3],
        },
        index=pd.Index(["R", "M", "P"], name="iso3"),
    )
    pop = pd.Series({"R": 1.0, "M": 3.0, "P": 6.0})
    table = allowance_table(shares, 100.0, pop)
    assert table.loc[("R", "grandfathering"), "allowance_t"] == pytest.approx(60.0)
    assert table.loc[("P", "egalitarian"), "per_capita_t"] == pytest.approx(10.0)
    pc = table["per_capita_t"].unstack("rule")
    ineq = inequality_table(pc, pop)
    assert ineq.loc["egalitarian", "gini"] == pytest.approx(0.0, abs=1e-12)
    assert ineq.loc["grandfathering", "gini"] == pytest.approx(gini(pc["grandfathering"], pop))
    change, summary = winners_losers(shares)
    assert change.loc["P", "egalitarian"] == pytest.approx(0.5)
    assert summary.loc["egalitarian", "winners"] == 1 and summary.loc["egalitarian", "losers"] == 1
    assert summary.loc["egalitarian", "shifted_share"] == pytest.approx(0.5)
    assert summary.loc["other", "top_loser"] == "R"
    rho = rank_correlation(shares)
    assert rho.loc["grandfathering", "egalitarian"] == pytest.approx(-1.0)
    tau = rank_correlation(shares, "kendall")
    assert tau.loc["grandfathering", "other"] == pytest.approx(
        stats.kendalltau(shares["grandfathering"], shares["other"]).statistic
    )
    with pytest.raises(DataError, match="reference rule 'sovereignty' is not among"):
        winners_losers(shares, "sovereignty")


def test_rank_correlation_constant_rule_is_nan():
    s = pd.DataFrame({"a": [0.2, 0.3, 0.5], "eq": [1 / 3, 1 / 3, 1 / 3]}, index=list("XYZ"))
    rho = rank_correlation(s)
    assert np.isnan(rho.loc["a", "eq"]) and rho.loc["a", "a"] == 1.0


def test_inequality_table_skips_negative_columns():
    pc = pd.DataFrame({"keep": [-1.0, 3.0], "ok": [1.0, 1.0]}, index=["A", "B"])
    t = inequality_table(pc)
    assert np.isnan(t.loc["keep", "gini"]) and t.loc["keep", "range"] == 4.0
    assert t.loc["ok", "gini"] == 0.0
