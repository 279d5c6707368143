"""Linkage concentration without sorting every pair (issue 14): against the former full sort."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.cooperation.diagnostics import diagnose, linkage_concentration


def _old(crl: pd.DataFrame, top: int):
    c = crl.to_numpy(dtype=float, copy=True)
    np.fill_diagonal(c, 0.0)
    w = c + c.T
    i, j = np.triu_indices(len(w), 1)
    vals = w[i, j]
    shares = vals / vals.sum()
    order = np.argsort(-shares, kind="stable")[:top]
    return i[order], j[order], vals[order], float((shares**2).sum()), int((vals > 0).sum())


@pytest.mark.parametrize(("n", "top", "seed"), [(40, 10, 0), (7, 30, 1), (3, 10, 2), (60, 1, 3)])
def test_top_pairs_equal_full_sort(n, top, seed):
    rng = np.random.default_rng(seed)
    c = rng.integers(0, 4, (n, n)).astype(float)  # many ties and zeros
    names = [f"C{k}" for k in range(n)]
    crl = pd.DataFrame(c, index=names, columns=names)
    d = pd.DataFrame(rng.uniform(1, 9, (n, n)), index=names, columns=names)
    got = linkage_concentration(crl, d.iloc[::-1, ::-1], top=top)
    i, j, vals, herf, n_pairs = _old(crl, top)
    assert got.pairs["i"].tolist() == [names[k] for k in i]
    assert got.pairs["j"].tolist() == [names[k] for k in j]
    np.testing.assert_allclose(got.pairs["linkage"], vals)
    np.testing.assert_allclose(got.pairs["distance_km"], d.to_numpy()[i, j])
    assert got.herfindahl == pytest.approx(herf, rel=1e-12)
    assert got.n_pairs == n_pairs


def test_symmetry_check_by_blocks():
    rng = np.random.default_rng(4)
    a = rng.uniform(size=(30, 30))
    names = [f"C{k}" for k in range(30)]
    links = pd.DataFrame({"partner": names[1:] + names[:1], "crl": 1.0, "mutual": False},
                         index=names)  # fmt: skip
    members = pd.Series(1, index=names)
    aci = pd.Series(1.0, index=names)
    sym = pd.DataFrame(a + a.T, index=names, columns=names)
    assert diagnose(aci, sym, links, members).symmetric
    asym = sym.copy()
    asym.iloc[29, 3] += 1e-3
    assert not diagnose(aci, asym, links, members).symmetric
