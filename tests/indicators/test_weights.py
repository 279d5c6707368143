"""Weights: entropy (Eq. 1-7 of Zhou et al. 2024), PCA (OECD/JRC 2008), CRITIC, equal, given."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from carbonshare.errors import ConfigError, DataError
from carbonshare.indicators import (
    compute_weights,
    critic_weights,
    entropy_table,
    entropy_weights,
    equal_weights,
    given_weights,
    minmax,
    pca_table,
    pca_weights,
)


def matrices(min_rows=3, max_rows=15, min_cols=2, max_cols=5):
    return arrays(
        np.float64,
        st.tuples(st.integers(min_rows, max_rows), st.integers(min_cols, max_cols)),
        elements=st.floats(0, 1e4, allow_nan=False, allow_infinity=False),
    ).filter(lambda a: (np.ptp(a, axis=0) > 1e-3 * (1 + a.max())).all())


def frame(a):
    return pd.DataFrame(a, columns=[f"c{k}" for k in range(a.shape[1])])


# ---------------------------------------------------------------------------- entropy

# Worked example by hand (n = 3 countries, ln 3 = 1.098612):
#   a = (1, 2, 3):  V = (0, 1/2, 1),    p = (0, 1/3, 2/3)
#       E_a = -(0 + 1/3 ln 1/3 + 2/3 ln 2/3) / ln 3 = (0.366204 + 0.270310) / 1.098612
#           = 0.579380                                      (0 ln 0 = 0)
#   b = (2, 4, 10): V = (0, 1/4, 1),    p = (0, 1/5, 4/5)
#       E_b = -(1/5 ln 1/5 + 4/5 ln 4/5) / ln 3 = (0.321888 + 0.178515) / 1.098612
#           = 0.455486
#   g = (0.420620, 0.544514), sum 0.965134 -> w = (0.435815, 0.564185)
WORKED = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 4.0, 10.0]}, index=["X", "Y", "Z"])


def test_entropy_worked_example():
    table = entropy_table(WORKED)
    np.testing.assert_allclose(table["entropy"], [0.579380, 0.455486], atol=1e-6)
    np.testing.assert_allclose(table["divergence"], [0.420620, 0.544514], atol=1e-6)
    np.testing.assert_allclose(table["weight"], [0.435815, 0.564185], atol=1e-6)
    # the same in closed form
    Ea = 1 / 3 + (2 / 3) * math.log(1.5) / math.log(3)
    Eb = -(0.2 * math.log(0.2) + 0.8 * math.log(0.8)) / math.log(3)
    assert table.loc["a", "weight"] == pytest.approx((1 - Ea) / (2 - Ea - Eb), rel=1e-12)


def test_entropy_normalised_input_is_used_as_is():
    V = minmax(WORKED)
    pd.testing.assert_series_equal(entropy_weights(V, normalised=True), entropy_weights(WORKED))
    # an already normalised matrix that is not min-max: V used directly as shares
    V2 = pd.DataFrame({"a": [1.0, 1.0, 2.0], "b": [1.0, 2.0, 3.0]})
    p = np.array([[0.25, 1 / 6], [0.25, 1 / 3], [0.5, 0.5]])
    E = -(p * np.log(p)).sum(axis=0) / np.log(3)
    np.testing.assert_allclose(entropy_weights(V2, normalised=True), (1 - E) / (1 - E).sum())


def test_entropy_uniform_shares_get_zero_weight():
    V = pd.DataFrame({"flat": [0.7] * 5, "x": [0.0, 0.1, 0.2, 0.5, 1.0]})
    w = entropy_weights(V, normalised=True)
    assert w["flat"] == pytest.approx(0.0, abs=1e-12)
    assert w["x"] == pytest.approx(1.0)


def test_entropy_concentrated_indicator_has_entropy_zero():
    # all mass on one entity: p = (0, 0, 1), E = 0 (0 ln 0 = 0), maximal divergence
    V = pd.DataFrame({"one": [0.0, 0.0, 1.0], "x": [0.2, 0.3, 1.0]})
    t = entropy_table(V, normalised=True)
    assert t.loc["one", "entropy"] == pytest.approx(0.0, abs=1e-15)
    assert t["weight"].idxmax() == "one"


@settings(max_examples=60, deadline=None)
@given(matrices(), st.randoms(use_true_random=False))
def test_entropy_invariants(a, rnd):
    X = frame(a)
    w = entropy_weights(X)
    assert w.sum() == pytest.approx(1.0) and (w >= 0).all()
    t = entropy_table(X)
    assert ((t["entropy"] >= -1e-12) & (t["entropy"] <= 1 + 1e-12)).all()
    # cross-check with scipy's Shannon entropy (which also takes 0 ln 0 = 0)
    from scipy.stats import entropy

    V = minmax(X)
    E = np.array([entropy(V[c] / V[c].sum()) for c in V.columns]) / np.log(len(X))
    np.testing.assert_allclose(t["entropy"], E, atol=1e-12)
    np.testing.assert_allclose(w, (1 - E) / (1 - E).sum(), atol=1e-12)
    # permuting entities leaves weights unchanged; permuting indicators permutes them
    rows = list(range(len(X)))
    rnd.shuffle(rows)
    pd.testing.assert_series_equal(entropy_weights(X.iloc[rows]), w, atol=1e-12)
    cols = list(X.columns)
    rnd.shuffle(cols)
    pd.testing.assert_series_equal(entropy_weights(X[cols]), w[cols], atol=1e-12)
    # a change of units does not matter
    pd.testing.assert_series_equal(entropy_weights(X * 1000.0 + 3.0), w, atol=1e-9)


def test_entropy_bad_inputs():
    with pytest.raises(DataError, match=r"'b' have no spread"):
        entropy_weights(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 3.0]}))
    with pytest.raises(DataError, match=r"'a'.*negative values"):
        entropy_weights(pd.DataFrame({"a": [-1.0, 2.0], "b": [3.0, 4.0]}), normalised=True)
    with pytest.raises(DataError, match=r"'b'.*all zero"):
        entropy_weights(pd.DataFrame({"a": [1.0, 2.0], "b": [0.0, 0.0]}), normalised=True)
    with pytest.raises(DataError, match="entropy 1"):
        entropy_weights(pd.DataFrame({"a": [1.0, 1.0], "b": [2.0, 2.0]}), normalised=True)
    with pytest.raises(DataError, match=r"'a' has missing values for Y"):
        entropy_weights(WORKED.assign(a=[1.0, np.nan, 3.0]))
    with pytest.raises(ConfigError, match="directions were given with normalised=True"):
        entropy_weights(WORKED, normalised=True, directions={"a": "-"})


# ---------------------------------------------------------------------------- PCA


def exact_correlation_data(R: np.ndarray, n: int = 40, seed: int = 0) -> pd.DataFrame:
    """Data whose sample correlation matrix is exactly R (whitened noise times chol(R))."""
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, len(R)))
    Z -= Z.mean(axis=0)
    Q, _ = np.linalg.qr(Z)  # orthonormal, centred columns
    X = Q @ np.linalg.cholesky(R).T * 7.0 + 3.0
    return pd.DataFrame(X, columns=[f"x{k + 1}" for k in range(len(R))])


def block_R(ra: float, rb: float) -> np.ndarray:
    R = np.eye(5)
    R[:3, :3] = ra + (1 - ra) * np.eye(3)
    R[3:, 3:] = rb + (1 - rb) * np.eye(2)
    return R


def test_pca_handbook_known_answer_block_structure():
    """Two uncorrelated blocks: 3 indicators (r = 0.6) and 2 indicators (r = 0.5).

    Eigenvalues 1 + 2(0.6) = 2.2 and 1 + 0.5 = 1.5 exceed 1; each block is one
    factor already in simple structure (varimax changes nothing). Squared
    loadings scaled to unity: 1/3 in block A, 1/2 in block B; factor shares
    2.2/3.7 and 1.5/3.7. Weights: A: (1/3)(2.2/3.7) = 0.198198, B: (1/2)(1.5/3.7)
    = 0.202703 (they already sum to 1).
    """
    X = exact_correlation_data(block_R(0.6, 0.5))
    t = pca_table(X)
    np.testing.assert_allclose(t.attrs["eigenvalues"], [2.2, 1.5, 0.5, 0.4, 0.4], atol=1e-10)
    np.testing.assert_allclose(t["weight"], [2.2 / 11.1] * 3 + [1.5 / 7.4] * 2, atol=1e-10)
    np.testing.assert_allclose(t["scaled_sq_loading"], [1 / 3] * 3 + [1 / 2] * 2, atol=1e-10)
    assert t["factor"].iloc[:3].nunique() == 1 and t["factor"].iloc[3:].nunique() == 1
    assert t["factor"].iloc[0] != t["factor"].iloc[3]
    # without Kaiser normalisation the same (rows already load on one factor)
    np.testing.assert_allclose(pca_weights(X, kaiser_normalise=False), t["weight"], atol=1e-10)


def test_pca_pc1_known_answer():
    X = exact_correlation_data(block_R(0.6, 0.5))
    np.testing.assert_allclose(pca_weights(X, "pc1"), [1 / 3] * 3 + [0.0] * 2, atol=1e-10)


def independent_handbook_weights(X: pd.DataFrame, kaiser: bool) -> np.ndarray:
    """The handbook steps written out separately, with statsmodels' PCA for the eigen part."""
    from statsmodels.multivariate.factor_rotation import rotate_factors
    from statsmodels.multivariate.pca import PCA

    pca = PCA(X.to_numpy(), standardize=True, method="eig", normalize=False)
    lam = np.asarray(pca.eigenvals) / len(X)  # statsmodels: eigenvalues of Z'Z = n R
    keep = lam > 1.0
    # statsmodels' loadings are the eigenvectors (normalize=False keeps unit norm)
    A = np.asarray(pca.loadings)[:, keep] * np.sqrt(lam[keep])
    if kaiser:
        h = np.linalg.norm(A, axis=1, keepdims=True)
        L, _ = rotate_factors(A / h, "varimax")
        L = L * h
    else:
        L, _ = rotate_factors(A, "varimax")
    sq = L**2
    ev = sq.sum(axis=0)
    best = (sq / ev).argmax(axis=1)
    w = (sq / ev)[np.arange(len(sq)), best] * (ev / ev.sum())[best]
    return w / w.sum()


@pytest.mark.parametrize("kaiser", [True, False])
def test_pca_handbook_matches_independent_computation(kaiser):
    rng = np.random.default_rng(11)
    f = rng.standard_normal((60, 2))
    X = pd.DataFrame(
        {
            "g1": f[:, 0] + 0.4 * rng.standard_normal(60),
            "g2": f[:, 0] + 0.6 * rng.standard_normal(60),
            "g3": f[:, 0] + 0.3 * f[:, 1] + 0.5 * rng.standard_normal(60),
            "h1": f[:, 1] + 0.5 * rng.standard_normal(60),
            "h2": f[:, 1] + 0.7 * rng.standard_normal(60),
            "u": rng.standard_normal(60),
        }
    )
    t = pca_table(X, kaiser_normalise=kaiser)
    # eigenvalues agree with numpy on the correlation matrix
    np.testing.assert_allclose(
        t.attrs["eigenvalues"], np.sort(np.linalg.eigvalsh(np.corrcoef(X.T)))[::-1], atol=1e-10
    )
    np.testing.assert_allclose(t["weight"], independent_handbook_weights(X, kaiser), atol=1e-8)
    # rotation preserves the communalities (row sums of squared loadings)
    loadings = t.filter(like="loading_").to_numpy()
    lam, Q = np.linalg.eigh(np.corrcoef(X.T))
    keep = lam > 1
    A = Q[:, keep] * np.sqrt(lam[keep])
    np.testing.assert_allclose((loadings**2).sum(axis=1), (A**2).sum(axis=1), atol=1e-10)


@settings(max_examples=30, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(10, 40),
    st.integers(3, 6),
    st.floats(0.1, 100),
    st.randoms(use_true_random=False),
)
def test_pca_invariants(seed, n, m, scale, rnd):
    # continuous data with a common factor (ties between eigenvalues have probability 0)
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, 1)) + rng.standard_normal((n, m))
    X = frame(a)
    w = pca_weights(X)
    assert w.sum() == pytest.approx(1.0) and (w >= 0).all()
    # standardisation makes the weights unit-free; entity order does not matter
    pd.testing.assert_series_equal(pca_weights(X * scale - 1.0), w, atol=1e-6)
    rows = list(range(n))
    rnd.shuffle(rows)
    pd.testing.assert_series_equal(pca_weights(X.iloc[rows]), w, atol=1e-6)
    pc1 = pca_weights(X, "pc1")
    assert pc1.sum() == pytest.approx(1.0) and (pc1 >= 0).all()


# Technology Achievement Index data of the OECD/JRC Handbook (2008) worked example
# (UNDP Human Development Report 2001; 23 countries, 8 indicators; the handbook's data
# listing, pp. 152-153; telephones and electricity are logs).
TAI_COLUMNS = ["patents", "royalties", "internet", "exports", "telephones", "electricity",
               "schooling", "university"]  # fmt: skip
TAI_ROWS = {
    "Finland": [187, 125.6, 200.2, 50.7, 3.08, 4.15, 10, 27.4],
    "United States": [289, 130, 179.1, 66.2, 3, 4.07, 12, 13.9],
    "Sweden": [271, 156.6, 125.8, 59.7, 3.1, 4.14, 11.4, 15.3],
    "Japan": [994, 64.6, 49, 80.8, 3, 3.86, 9.5, 10],
    "Korea, Rep. of": [779, 9.8, 4.8, 66.7, 2.97, 3.65, 10.8, 23.2],
    "Netherlands": [189, 151.2, 136, 50.9, 3.02, 3.77, 9.4, 9.5],
    "United Kingdom": [82, 134, 57.4, 61.9, 3.02, 3.73, 9.4, 14.9],
    "Canada": [31, 38.6, 108, 48.7, 2.94, 4.18, 11.6, 14.2],
    "Australia": [75, 18.2, 125.9, 16.2, 2.94, 3.94, 10.9, 25.3],
    "Singapore": [8, 25.5, 72.3, 74.9, 2.95, 3.83, 7.1, 24.2],
    "Germany": [235, 36.8, 41.2, 64.2, 2.94, 3.75, 10.2, 14.4],
    "Norway": [103, 20.2, 193.6, 19, 3.12, 4.39, 11.9, 11.2],
    "Ireland": [106, 110.3, 48.6, 53.6, 2.97, 3.68, 9.4, 12.3],
    "Belgium": [72, 73.9, 58.9, 47.6, 2.91, 3.86, 9.3, 13.6],
    "New Zealand": [103, 13, 146.7, 15.4, 2.86, 3.91, 11.7, 13.1],
    "Austria": [165, 14.8, 84.2, 50.3, 2.99, 3.79, 8.4, 13.6],
    "France": [205, 33.6, 36.4, 58.9, 2.97, 3.8, 7.9, 12.6],
    "Israel": [74, 43.6, 43.2, 45, 2.96, 3.74, 9.6, 11],
    "Spain": [42, 8.6, 21, 53.4, 2.86, 3.62, 7.3, 15.6],
    "Italy": [13, 9.8, 30.4, 51, 3, 3.65, 7.2, 13],
    "Czech Republic": [28, 4.2, 25, 51.7, 2.75, 3.68, 9.5, 8.2],
    "Hungary": [26, 6.2, 21.6, 63.5, 2.73, 3.46, 9.1, 7.7],
    "Slovenia": [105, 4, 20.3, 49.5, 2.84, 3.71, 7.1, 10.6],
}
TAI = pd.DataFrame.from_dict(TAI_ROWS, orient="index", columns=TAI_COLUMNS, dtype=float)


def test_pca_handbook_tai_worked_example():
    """OECD/JRC Handbook (2008), Tables 16-17, on the TAI data.

    Table 16: variance explained 41.9, 21.8, 12.3, 11.1, 6.0, 3.7, 2.2, 0.9 % (eigenvalue / 8).
    Table 17 keeps 4 factors (each > 10% of the variance); after varimax the patents row
    reads loadings 0.07, 0.97, 0.06, 0.06 and scaled squared loadings 0.00, 0.67, 0, 0.
    """
    t = pca_table(TAI, n_factors=4)
    pct = 100 * np.array(t.attrs["eigenvalues"]) / 8
    np.testing.assert_allclose(pct, [41.9, 21.8, 12.3, 11.1, 6.0, 3.7, 2.2, 0.9], atol=0.15)
    patents = np.sort(np.abs(t.loc["patents", [f"loading_{k}" for k in range(1, 5)]]))
    np.testing.assert_allclose(patents, [0.06, 0.06, 0.07, 0.97], atol=0.015)
    assert t.loc["patents", "scaled_sq_loading"] == pytest.approx(0.67, abs=0.005)
    assert t["weight"].sum() == pytest.approx(1.0)
    # the default Kaiser criterion keeps only the two factors with eigenvalue > 1
    assert pca_table(TAI).filter(like="loading_").shape[1] == 2
    with pytest.raises(ConfigError, match="n_factors=9"):
        pca_table(TAI, n_factors=9)


def test_pca_bad_inputs():
    X = exact_correlation_data(np.eye(3))
    with pytest.raises(DataError, match="no principal component has eigenvalue > 1"):
        pca_weights(X)
    with pytest.raises(ConfigError, match="'varimax' is unknown"):
        pca_weights(X, "varimax")


# ---------------------------------------------------------------------------- CRITIC


def test_critic_hand_checked():
    """a = (0, .5, 1), b = (0, 1, .5), c = 1 - a: sigma = 0.5 each (ddof 1),
    r_ab = 0.5, r_ac = -1, r_bc = -0.5.
    C_a = 0.5 (0 + 0.5 + 2) = 1.25, C_b = 0.5 (0.5 + 0 + 1.5) = 1.0,
    C_c = 0.5 (2 + 1.5 + 0) = 1.75; sum 4 -> w = (0.3125, 0.25, 0.4375).
    """
    V = pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [0.0, 1.0, 0.5], "c": [1.0, 0.5, 0.0]})
    np.testing.assert_allclose(critic_weights(V, normalised=True), [0.3125, 0.25, 0.4375])
    # raw input is min-max normalised first: same answer in other units
    np.testing.assert_allclose(critic_weights(V * 40 + 2), [0.3125, 0.25, 0.4375])


@settings(max_examples=40, deadline=None)
@given(matrices(min_rows=4), st.randoms(use_true_random=False))
def test_critic_invariants(a, rnd):
    X = frame(a)
    V = minmax(X)
    if np.allclose(V.corr(), 1.0, atol=1e-12):
        with pytest.raises(DataError, match="perfectly correlated"):
            critic_weights(X)
        return
    if np.allclose(V.corr(), 1.0, atol=1e-6):
        return  # nearly collinear: the weights are numerically meaningless
    w = critic_weights(X)
    assert w.sum() == pytest.approx(1.0) and (w >= 0).all()
    rows = list(range(len(X)))
    rnd.shuffle(rows)
    pd.testing.assert_series_equal(critic_weights(X.iloc[rows]), w, atol=1e-9)
    pd.testing.assert_series_equal(critic_weights(X * 0.01 + 5.0), w, atol=1e-7)
    # brute force: the definition with pandas' own std and corr
    C = V.std() * (1 - V.corr()).sum()
    pd.testing.assert_series_equal(w, (C / C.sum()).rename("weight"), atol=1e-12)


def test_critic_constant_column():
    with pytest.raises(DataError, match=r"'k' have no spread"):
        critic_weights(pd.DataFrame({"a": [1.0, 2.0, 3.0], "k": [1.0, 1.0, 1.0]}))
    with pytest.raises(DataError, match="perfectly correlated"):
        critic_weights(pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [10.0, 20.0, 40.0]}))


# ---------------------------------------------------------------------------- equal, given, dispatch


def test_equal_and_given():
    assert equal_weights(WORKED).tolist() == [0.5, 0.5]
    w = given_weights({"b": 3, "a": 1}, WORKED)
    assert w.index.tolist() == ["a", "b"] and w.tolist() == [0.25, 0.75]
    assert given_weights(pd.Series({"a": 0.5, "b": 0.5}), normalise=False).tolist() == [0.5, 0.5]


def test_given_weights_errors():
    with pytest.raises(DataError, match=r"missing weight\(s\) for b"):
        given_weights({"a": 1.0}, WORKED)
    with pytest.raises(DataError, match=r"unknown indicator\(s\) zz"):
        given_weights({"a": 1.0, "b": 1.0, "zz": 1.0}, WORKED)
    with pytest.raises(DataError, match=r"for a are negative"):
        given_weights({"a": -1.0, "b": 2.0})
    with pytest.raises(DataError, match="all zero"):
        given_weights({"a": 0.0, "b": 0.0})
    with pytest.raises(DataError, match="sum to 2, not 1"):
        given_weights({"a": 1.0, "b": 1.0}, normalise=False)
    with pytest.raises(DataError, match="duplicate indicator names"):
        equal_weights(["a", "a"])


def test_compute_weights_dispatch():
    pd.testing.assert_series_equal(compute_weights(WORKED), entropy_weights(WORKED))
    pd.testing.assert_series_equal(compute_weights(WORKED, "critic"), critic_weights(WORKED))
    pd.testing.assert_series_equal(compute_weights(WORKED, "equal"), equal_weights(WORKED))
    X = exact_correlation_data(block_R(0.6, 0.5))
    pd.testing.assert_series_equal(compute_weights(X, "pca", variant="pc1"), pca_weights(X, "pc1"))
    with pytest.raises(ConfigError, match="needs weights="):
        compute_weights(WORKED, "given")
    with pytest.raises(ConfigError, match="'ahp' is unknown"):
        compute_weights(WORKED, "ahp")
