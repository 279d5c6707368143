"""Normalisation, PCA weights and the subsystem / BCDI identity against hand computations (B2-B3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.bluecarbon import bcdi, global_scores
from carbonshare.errors import DataError


def _panel(seed=0, n=8, years=(2000, 2001, 2002)):
    rng = np.random.default_rng(seed)
    idx = pd.MultiIndex.from_product(
        [[f"C{i}" for i in range(n)], list(years)], names=["iso3", "year"]
    )
    f = rng.normal(size=len(idx))
    X = pd.DataFrame(
        {
            "a": 10 + 3 * f + rng.normal(0, 0.3, len(idx)),
            "b": 5 + 2 * f + rng.normal(0, 0.3, len(idx)),
            "c": 1 - f + rng.normal(0, 0.3, len(idx)),
            "d": 7 + 0.5 * f + rng.normal(0, 0.3, len(idx)),
        },
        index=idx,
    )
    return X


def _type7(x, p):
    """Hyndman-Fan type 7 percentile by hand: h = (n - 1) p, linear between order statistics."""
    s = np.sort(x)
    h = (len(s) - 1) * p / 100
    lo = int(np.floor(h))
    return s[lo] + (h - lo) * (s[min(lo + 1, len(s) - 1)] - s[lo])


def test_percentile_normalisation_by_hand():
    X = _panel()
    res = bcdi(
        X,
        pd.Series({"a": "D", "b": "D", "c": "R", "d": "R"}),
        {"a": "+", "b": "+", "c": "-", "d": "+"},
        weights="equal",
    )
    for col, sign in (("a", 1), ("c", -1)):
        x = X[col].to_numpy()
        lo, hi = _type7(x, 2.5), _type7(x, 97.5)
        y = (x - lo) / (hi - lo) * 100 if sign > 0 else (hi - x) / (hi - lo) * 100
        np.testing.assert_allclose(res.normalised[col], np.clip(y, 0, 100), atol=1e-10)
        assert res.weights.at[col, "lower"] == pytest.approx(lo)
        # exactly one value below P2.5 and one above P97.5 with 24 distinct values
        assert res.weights.at[col, "clipped_total"] == 2


def test_pca_weights_one_factor_by_hand():
    # one strong common factor: only the first eigenvalue exceeds 1, no rotation, so the
    # handbook weight of indicator j is its scaled squared loading q_j^2 (eigenvector entries)
    X = _panel(seed=3, n=30)
    res = bcdi(X, pd.Series(dict.fromkeys("abcd", "D")), weights="pca")
    Y = res.normalised
    R = np.corrcoef(Y.to_numpy(), rowvar=False)
    val, vec = np.linalg.eigh(R)
    assert (val > 1).sum() == 1
    q = vec[:, -1]
    np.testing.assert_allclose(res.weights["weight"], q**2 / (q**2).sum(), atol=1e-10)
    np.testing.assert_allclose(res.eigenvalues.to_numpy(), val[::-1], atol=1e-10)
    pc1 = bcdi(X, pd.Series(dict.fromkeys("abcd", "D")), weights="pc1")
    np.testing.assert_allclose(pc1.weights["weight"], np.abs(q) / np.abs(q).sum(), atol=1e-10)


def test_subsystem_and_bcdi_identity():
    X = _panel(seed=1)
    groups = pd.Series({"a": "DF", "b": "DF", "c": "RE", "d": "DC"})
    res = bcdi(X, groups, {"c": "-"} | {k: "+" for k in "abd"}, weights="pca")
    w, Y, S = res.weights["weight"], res.normalised, res.scores
    # I_k = weighted mean of its indicators; BCDI = sum_k w_k I_k = sum_j w_j y_j
    np.testing.assert_allclose(S["DF"], (Y["a"] * w["a"] + Y["b"] * w["b"]) / (w["a"] + w["b"]))
    np.testing.assert_allclose(S["RE"], Y["c"])
    np.testing.assert_allclose(S["BCDI"], Y @ w, atol=1e-10)
    np.testing.assert_allclose(
        S["BCDI"], (S[["DF", "RE", "DC"]] * res.subsystem_weights).sum(axis=1)
    )
    assert res.weights["weight"].sum() == pytest.approx(1.0)
    # invariant under the order of the columns and of the rows
    perm = bcdi(X[["d", "c", "b", "a"]].iloc[::-1], groups, {"c": "-"}, weights="pca")
    pd.testing.assert_series_equal(
        perm.scores["BCDI"].sort_index(), S["BCDI"].sort_index(), atol=1e-9
    )
    g = global_scores(S)
    assert g.loc[2001, "BCDI"] == pytest.approx(S.xs(2001, level="year")["BCDI"].mean())


def test_bcdi_refuses_gaps_and_unknown_indicators():
    X = _panel()
    X.iloc[3, 0] = np.nan
    with pytest.raises(DataError, match="fill them first"):
        bcdi(X, pd.Series(dict.fromkeys("abcd", "D")))
    with pytest.raises(DataError, match="no subsystem"):
        bcdi(_panel(), pd.Series(dict.fromkeys("abc", "D")))


def test_package_imports_light():
    import subprocess
    import sys

    heavy = ("statsmodels", "scipy", "matplotlib", "geopandas", "threadpoolctl")
    code = ("import sys, carbonshare.bluecarbon; "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
