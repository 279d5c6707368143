"""Normalisation: min-max (Eq. 2 of Zhou et al. 2024), percentile-bounded (docs/methods.md B2), z-score."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from carbonshare.errors import ConfigError, DataError
from carbonshare.indicators import minmax, normalise, percentile_bounded, zscore

# ---------------------------------------------------------------------------- fixtures


@pytest.fixture
def X():
    return pd.DataFrame(
        {"pop": [10.0, 20.0, 40.0, 50.0], "co2": [4.0, 1.0, 3.0, 2.0]},
        index=pd.Index(["AAA", "BBB", "CCC", "DDD"], name="iso3"),
    )


def matrices(min_rows=2, max_rows=12, cols=3):
    """Random matrices with well-spread (non-constant) columns."""
    return arrays(
        np.float64,
        st.tuples(st.integers(min_rows, max_rows), st.just(cols)),
        elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
    ).filter(lambda a: (np.ptp(a, axis=0) > 1e-3 * (1 + np.abs(a).max())).all())


def frame(a):
    return pd.DataFrame(a, columns=[f"c{k}" for k in range(a.shape[1])])


# ---------------------------------------------------------------------------- min-max


def test_minmax_known_answer(X):
    V = minmax(X, {"co2": "-"})
    # pop: (x - 10) / 40; co2 negative: (4 - x) / 3
    assert V["pop"].tolist() == [0.0, 0.25, 0.75, 1.0]
    np.testing.assert_allclose(V["co2"], [0.0, 1.0, 1 / 3, 2 / 3])
    assert V.index.equals(X.index) and V.columns.equals(X.columns)


def test_minmax_direction_forms_agree(X):
    a = minmax(X, {"co2": "-"})
    b = minmax(X, pd.Series({"co2": "negative", "pop": "+"}))
    c = minmax(X, {"co2": -1})
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    pd.testing.assert_frame_equal(minmax(X, "-"), 1.0 - minmax(X))


@settings(max_examples=60, deadline=None)
@given(matrices())
def test_minmax_range_and_affine_invariance(a):
    X = frame(a)
    V = minmax(X)
    assert np.allclose(V.min(), 0.0) and np.allclose(V.max(), 1.0)
    # a positive affine change of units leaves min-max scores unchanged
    pd.testing.assert_frame_equal(minmax(X * 3.5 + 7.0), V, atol=1e-9)
    # a negative direction is the reflection
    pd.testing.assert_frame_equal(minmax(X, "-"), 1.0 - V, atol=1e-12)


def test_minmax_constant_column_is_named(X):
    X = X.assign(flat=5.0)
    with pytest.raises(DataError, match=r"'flat' have no spread \(max - min = 0"):
        minmax(X)


def test_minmax_nan_is_named_or_kept(X):
    X.loc["BBB", "pop"] = np.nan
    with pytest.raises(DataError, match=r"'pop'.*missing values for BBB"):
        minmax(X)
    V = minmax(X, allow_nan=True)
    assert np.isnan(V.loc["BBB", "pop"])
    assert V["pop"].dropna().tolist() == [0.0, 0.75, 1.0]


def test_minmax_bad_inputs(X):
    with pytest.raises(DataError, match="not in the matrix"):
        minmax(X, {"co2x": "-"})
    with pytest.raises(DataError, match=r"direction '\?' for 'co2'"):
        minmax(X, {"co2": "?"})
    with pytest.raises(DataError, match="not numeric"):
        minmax(X.assign(name=["a", "b", "c", "d"]))
    with pytest.raises(DataError, match=r"'pop' is infinite for CCC"):
        minmax(X.assign(pop=[1.0, 2.0, np.inf, 3.0]))
    with pytest.raises(DataError, match="DataFrame"):
        minmax(X.to_numpy())
    with pytest.raises(DataError, match="duplicate row"):
        minmax(X.rename(index={"BBB": "AAA"}))


# ---------------------------------------------------------------------------- percentile


def test_percentile_bounded_known_answer():
    # 1..41: P2.5 = 2 and P97.5 = 40 (linear interpolation, positions 1 and 39)
    X = pd.DataFrame({"area": np.arange(1.0, 42.0), "risk": np.arange(1.0, 42.0)})
    scores, bounds, clipped = percentile_bounded(X, directions={"risk": "-"})
    assert bounds.loc["area"].tolist() == [2.0, 40.0]
    assert clipped.loc["area"].tolist() == [1, 1, 2]
    y = (X["area"] - 2.0) / 38.0 * 100.0
    np.testing.assert_allclose(scores["area"], y.clip(0, 100))
    np.testing.assert_allclose(scores["risk"], (100 - y).clip(0, 100))
    assert scores["area"].iloc[0] == 0.0 and scores["area"].iloc[-1] == 100.0


def test_percentile_bounded_no_clip_counts_but_keeps():
    X = pd.DataFrame({"area": np.arange(1.0, 42.0)})
    res = percentile_bounded(X, clip=False)
    assert res.scores["area"].min() < 0 and res.scores["area"].max() > 100
    assert int(res.clipped.loc["area", "total"]) == 2


def test_percentile_bounded_logs_clipping(caplog):
    X = pd.DataFrame({"area": np.arange(1.0, 42.0)})
    with caplog.at_level(logging.INFO, logger="carbonshare.indicators.normalise"):
        percentile_bounded(X)
    assert "2 value(s) of 'area'" in caplog.text


def test_percentile_matches_numpy_over_panel():
    rng = np.random.default_rng(3)
    idx = pd.MultiIndex.from_product([["A", "B", "C"], range(1996, 2020)], names=["iso3", "year"])
    X = pd.DataFrame({"x": rng.lognormal(size=len(idx))}, index=idx)
    res = percentile_bounded(X, 5, 95)
    lo, hi = np.percentile(X["x"], [5, 95])
    assert res.bounds.loc["x"].tolist() == pytest.approx([lo, hi])
    assert res.clipped.loc["x", "below"] == (X["x"] < lo).sum()


@settings(max_examples=50, deadline=None)
@given(matrices(min_rows=5, max_rows=40))
def test_percentile_range(a):
    X = frame(a)
    try:
        res = percentile_bounded(X)
    except DataError:  # bounds may coincide when many values repeat
        return
    assert ((res.scores >= 0) & (res.scores <= 100)).all().all()
    outside = (X < res.bounds["lower"]) | (X > res.bounds["upper"])
    assert outside.sum().tolist() == res.clipped["total"].tolist()


def test_percentile_bad_bounds():
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
    with pytest.raises(ConfigError, match="lower=90, upper=10"):
        percentile_bounded(X, 90, 10)
    with pytest.raises(DataError, match=r"'a' have no spread \(P97.5 - P2.5 = 0"):
        percentile_bounded(pd.DataFrame({"a": [1.0] * 50 + [2.0]}))


# ---------------------------------------------------------------------------- z-score


def test_zscore_known_answer():
    Z = zscore(pd.DataFrame({"a": [2.0, 4.0, 6.0, 8.0], "b": [1.0, 1.0, 1.0, 5.0]}), {"b": "-"})
    sd_a = np.std([2, 4, 6, 8], ddof=1)
    np.testing.assert_allclose(Z["a"], (np.array([2, 4, 6, 8]) - 5) / sd_a)
    np.testing.assert_allclose(Z["b"], [0.5, 0.5, 0.5, -1.5])
    np.testing.assert_allclose(Z.std(ddof=1), 1.0)


def test_zscore_constant_column():
    with pytest.raises(DataError, match=r"'k' have no spread \(standard deviation = 0"):
        zscore(pd.DataFrame({"a": [1.0, 2.0], "k": [3.0, 3.0]}))


def test_normalise_dispatch(X):
    pd.testing.assert_frame_equal(normalise(X, "minmax", {"co2": "-"}), minmax(X, {"co2": "-"}))
    pd.testing.assert_frame_equal(normalise(X, "zscore"), zscore(X))
    pd.testing.assert_frame_equal(normalise(X, "percentile"), percentile_bounded(X).scores)
    with pytest.raises(ConfigError, match="'rank' is unknown"):
        normalise(X, "rank")
