"""CRL matrix, Eq. 8 of Zhou et al. (2024)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.cooperation import crl_matrix, gravity_mass
from carbonshare.errors import ConfigError, DataError
from carbonshare.geo import great_circle_km


def synthetic(n: int, seed: int):
    rng = np.random.default_rng(seed)
    idx = pd.Index([f"C{i:03d}" for i in range(n)], name="iso3")
    Sc, Ec, Ev = (pd.Series(rng.uniform(0.01, 0.4, n), index=idx) for _ in range(3))
    P = pd.DataFrame({"lat": rng.uniform(-60, 70, n), "lon": rng.uniform(-180, 180, n)}, index=idx)
    L = pd.Series(rng.lognormal(9, 1, n), index=idx)
    return Sc, Ec, Ev, great_circle_km(P), L


def test_known_answer_by_hand():
    idx = ["AAA", "BBB", "CCC"]
    Sc = pd.Series([0.1, 0.2, 0.3], index=idx)
    Ec = pd.Series([0.8, 0.5, 0.3], index=idx)
    Ev = pd.Series([0.125, 0.1, 0.3], index=idx)
    # masses: cbrt(0.01) = 0.215443, cbrt(0.01) = 0.215443, cbrt(0.027) = 0.3
    D = pd.DataFrame([[0, 1000, 2000], [1000, 0, 500], [2000, 500, 0]], index=idx, columns=idx)
    L = pd.Series([40000.0, 20000.0, 10000.0], index=idx)
    crl = crl_matrix(Sc, Ec, Ev, D, L)
    m = np.cbrt([0.01, 0.01, 0.027])
    assert crl.loc["AAA", "BBB"] == pytest.approx(m[0] * m[1] / (1000**2 * 40000 * 20000))
    assert crl.loc["BBB", "CCC"] == pytest.approx(m[1] * m[2] / (500**2 * 20000 * 10000))
    assert crl.loc["AAA", "CCC"] == pytest.approx(m[0] * m[2] / (2000**2 * 40000 * 10000))
    assert np.all(np.diag(crl) == 0)
    assert np.isnan(np.diag(crl_matrix(Sc, Ec, Ev, D, L, diagonal=np.nan))).all()
    np.testing.assert_allclose(gravity_mass(Sc, Ec, Ev), m)


def test_order_follows_scores_and_extra_rows_are_ignored():
    Sc, Ec, Ev, D, L = synthetic(6, 1)
    sub = Sc.index[[4, 1, 2]]
    crl = crl_matrix(Sc[sub], Ec[sub[::-1]], Ev[sub], D, L)
    assert crl.index.tolist() == sub.tolist() and crl.columns.tolist() == sub.tolist()
    full = crl_matrix(Sc, Ec, Ev, D, L)
    pd.testing.assert_frame_equal(crl, full.loc[sub, sub])


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 25), st.integers(0, 2**32 - 1), st.floats(0.1, 10), st.floats(0.1, 10))
def test_symmetry_and_scaling(n, seed, a, b):
    Sc, Ec, Ev, D, L = synthetic(n, seed)
    crl = crl_matrix(Sc, Ec, Ev, D, L)
    np.testing.assert_allclose(crl, crl.T, rtol=1e-12)
    assert (crl.to_numpy()[~np.eye(n, dtype=bool)] > 0).all()
    # Eq. 8 is homogeneous: scores x a -> CRL x a^2; distances x b -> CRL / b^2
    np.testing.assert_allclose(crl_matrix(Sc * a, Ec * a, Ev * a, D, L), crl * a**2, rtol=1e-10)
    np.testing.assert_allclose(crl_matrix(Sc, Ec, Ev, D * b, L), crl / b**2, rtol=1e-10)
    # brute force, pair by pair
    i, j = 0, n - 1
    m = np.cbrt(Sc * Ec * Ev)
    expected = m.iloc[i] * m.iloc[j] / (D.iloc[i, j] ** 2 * L.iloc[i] * L.iloc[j])
    assert crl.iloc[i, j] == pytest.approx(expected, rel=1e-12)


def test_exponents():
    Sc, Ec, Ev, D, L = synthetic(5, 3)
    m = np.cbrt(Sc * Ec * Ev).to_numpy()
    crl = crl_matrix(Sc, Ec, Ev, D, L, distance_exponent=1.0, labour_exponent=0.0)
    expected = np.outer(m, m) / np.where(D > 0, D, 1.0)
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(crl, expected, rtol=1e-12)
    pd.testing.assert_frame_equal(
        crl_matrix(Sc, Ec, Ev, D, L, distance_exponent=2.0000000001),
        crl_matrix(Sc, Ec, Ev, D, L),
        rtol=1e-6,
    )
    with pytest.raises(ConfigError, match="distance_exponent=-1"):
        crl_matrix(Sc, Ec, Ev, D, L, distance_exponent=-1)


def test_bad_inputs_name_pairs_and_countries():
    Sc, Ec, Ev, D, L = synthetic(4, 2)
    D2 = D.copy()
    D2.loc["C001", "C002"] = D2.loc["C002", "C001"] = 0.0
    with pytest.raises(DataError, match=r"distance is <= 0 or missing for 1 pair\(s\): C001-C002"):
        crl_matrix(Sc, Ec, Ev, D2, L)
    with pytest.raises(DataError, match=r"labour cost is <= 0 or missing for C003 \(-1.0\)"):
        crl_matrix(Sc, Ec, Ev, D, L.where(L.index != "C003", -1.0))
    with pytest.raises(DataError, match="no labour cost for C000"):
        crl_matrix(Sc, Ec, Ev, D, L.drop("C000"))
    with pytest.raises(DataError, match="no distances for C002"):
        crl_matrix(Sc, Ec, Ev, D.drop(index="C002"), L)
    with pytest.raises(DataError, match=r"negative dimension scores for C001.*not zscore"):
        crl_matrix(Sc.where(Sc.index != "C001", -0.1), Ec, Ev, D, L)
    with pytest.raises(DataError, match="Sc and Ev cover different countries"):
        crl_matrix(Sc, Ec, Ev.drop("C000"), D, L)
