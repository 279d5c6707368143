"""Composite scores: Sc/Ec/Ev, Eq/Ef/El, ACI (Eq. 9 of Zhou et al. 2024), subsystems (docs/methods.md B3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import DataError
from carbonshare.indicators import (
    ALLIANCE_GRID,
    aci,
    alliance_grid,
    composite_score,
    dimension_scores,
    entropy_weights,
    indicator_contributions,
    minmax,
    principle_scores,
    subsystem_scores,
    subsystem_weights,
)

CODES = list(ALLIANCE_GRID.index)


def test_grid_is_table_1_of_the_paper():
    """Rows = dimensions, columns = principles, x1..x9 column-major (Zhou et al. 2024, Table 1)."""
    table = ALLIANCE_GRID.reset_index().pivot(
        index="dimension", columns="principle", values="indicator"
    )
    assert table.loc[["Sc", "Ec", "Ev"], ["Eq", "Ef", "El"]].to_numpy().tolist() == [
        ["POP", "URB", "SRV"],
        ["GDP", "COP", "FRT"],
        ["COE", "CFT", "FAR"],
    ]
    assert ALLIANCE_GRID["symbol"].tolist() == [f"x{k}" for k in range(1, 10)]


def test_scores_known_answer():
    # one country with V = 1 everywhere except x5 = 0; weights 0.1 .. 0.9 / 4.5
    V = pd.DataFrame([[1.0] * 9], index=["AAA"], columns=CODES)
    V["COP"] = 0.0
    w = pd.Series(np.arange(1, 10) / 45.0, index=CODES)
    dims = dimension_scores(V, w)
    # Sc = x1 + x4 + x7 = (1 + 4 + 7)/45, Ec = x2 + x8 = (2 + 8)/45, Ev = x3 + x6 + x9 = 18/45
    np.testing.assert_allclose(dims.loc["AAA"], [12 / 45, 10 / 45, 18 / 45])
    prin = principle_scores(V, w)
    # Eq = x1..x3 = 6/45, Ef = x4 + x6 = 10/45, El = x7..x9 = 24/45
    np.testing.assert_allclose(prin.loc["AAA"], [6 / 45, 10 / 45, 24 / 45])
    assert aci(V, w)["AAA"] == pytest.approx(40 / 45)
    assert list(dims.columns) == ["Sc", "Ec", "Ev"] and list(prin.columns) == ["Eq", "Ef", "El"]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(3, 30))
def test_scores_decompose_aci(seed, n):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.lognormal(size=(n, 9)), columns=CODES, index=[f"C{i}" for i in range(n)])
    V = minmax(X)
    w = entropy_weights(X)
    A = aci(V, w)
    np.testing.assert_allclose(dimension_scores(V, w).sum(axis=1), A, atol=1e-12)
    np.testing.assert_allclose(principle_scores(V, w).sum(axis=1), A, atol=1e-12)
    np.testing.assert_allclose(indicator_contributions(V, w).sum(axis=1), A, atol=1e-12)
    assert ((A >= -1e-12) & (A <= 1 + 1e-12)).all()
    # column order of V does not matter
    shuffled = V[CODES[::-1]]
    pd.testing.assert_series_equal(aci(shuffled, w), A)


def test_alliance_grid_renamed():
    names = dict(zip(CODES, [f"col{k}" for k in range(9)], strict=True))
    grid = alliance_grid(names)
    V = pd.DataFrame(np.eye(9), columns=list(names.values()))
    w = pd.Series(1 / 9, index=V.columns)
    assert dimension_scores(V, w, grid)["Sc"].round(6).tolist() == [
        round(1 / 9, 6) if ALLIANCE_GRID["dimension"].iloc[k] == "Sc" else 0.0 for k in range(9)
    ]
    with pytest.raises(DataError, match="missing code"):
        alliance_grid({"POP": "population"})


def test_score_errors_name_indicators():
    V = pd.DataFrame([[0.5] * 9], columns=CODES)
    w = pd.Series(1 / 9, index=CODES)
    with pytest.raises(DataError, match="no weight for FAR"):
        aci(V, w.drop("FAR"))
    with pytest.raises(DataError, match="in the grid but not in the matrix FAR"):
        dimension_scores(V.drop(columns="FAR"), w.drop("FAR"))
    with pytest.raises(DataError, match="Series"):
        aci(V, w.to_numpy())


def test_subsystem_scores_known_answer():
    """I_k = (1/w_k) sum_{j in k} w_j y_ij and BCDI = sum_k w_k I_k (docs/methods.md B3)."""
    Y = pd.DataFrame({"a": [100.0, 0.0], "b": [0.0, 50.0], "c": [20.0, 80.0]}, index=["P", "Q"])
    w = pd.Series({"a": 0.2, "b": 0.3, "c": 0.5})
    groups = pd.Series({"a": "Drive", "b": "Drive", "c": "Res"})
    scores = subsystem_scores(Y, w, groups)
    # P: Drive = (0.2*100 + 0)/0.5 = 40, Res = 20; Q: Drive = 0.3*50/0.5 = 30, Res = 80
    assert scores.loc["P"].tolist() == pytest.approx([40.0, 20.0])
    assert scores.loc["Q"].tolist() == pytest.approx([30.0, 80.0])
    wk = subsystem_weights(w, groups)
    bcdi = (scores * wk).sum(axis=1)
    pd.testing.assert_series_equal(bcdi, composite_score(Y, w), check_names=False)
    with pytest.raises(DataError, match="zero total weight"):
        subsystem_scores(Y, pd.Series({"a": 0.0, "b": 0.0, "c": 1.0}), groups)
