"""Budgets: the bundled IPCC AR6 table, tonnes, pathways, conservation, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import DataError
from carbonshare.principles import (
    allocate_budget,
    allocate_pathway,
    burden_to_allowance,
    contraction_convergence_pathway,
    ipcc_ar6_budgets,
    ipcc_ar6_provenance,
    linear_cap_pathway,
    per_capita,
    remaining_carbon_budget,
)

# IPCC (2021) AR6 WG1 SPM, Table SPM.2, GtCO2 from 1 January 2020.
SPM2 = {
    1.5: [900, 650, 500, 400, 300],
    1.7: [1450, 1050, 850, 700, 550],
    2.0: [2300, 1700, 1350, 1150, 900],
}


def test_ipcc_table_matches_spm2():
    t = ipcc_ar6_budgets()
    assert list(t.columns) == [17, 33, 50, 67, 83]
    for warming, row in SPM2.items():
        assert t.loc[warming].tolist() == row
    prov = ipcc_ar6_provenance()
    assert "Table SPM.2" in prov["citation"] and prov["reference_date"] == "2020-01-01"


def test_remaining_budget_and_errors():
    assert remaining_carbon_budget(1.7, 67) == 700e9
    assert remaining_carbon_budget(1.5, 83, emitted_since_2020=100e9) == 200e9
    with pytest.raises(DataError, match="smaller than the 350 GtCO2 already emitted since 2020"):
        remaining_carbon_budget(1.5, 83, emitted_since_2020=350e9)
    with pytest.raises(DataError, match="no IPCC AR6 budget for 3.0 C at 50 %"):
        remaining_carbon_budget(3.0, 50)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.01, 100), min_size=2, max_size=10),
    st.floats(0, 1e12),
)
def test_budget_conserved(weights, budget):
    s = pd.Series(weights) / sum(weights)
    tonnes = allocate_budget(s, budget)
    assert tonnes.sum() == pytest.approx(budget, rel=1e-9, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.floats(1.0, 1e3), st.floats(0.0, 1e5))
def test_linear_pathway_spends_budget(e0, budget):
    cap = linear_cap_pathway(2020, e0, budget)
    assert cap.sum() == pytest.approx(budget, rel=1e-9, abs=1e-9)
    assert (np.diff(cap.to_numpy()) <= 1e-9).all() and (cap >= 0).all()


def test_burden_to_allowance_conserves_cap():
    b = pd.Series({"A": 0.5, "B": 0.3, "C": 0.2})
    e = pd.Series({"A": 10.0, "B": 5.0, "C": 1.0})
    a = burden_to_allowance(b, e, cap=10.0)
    # reduction 6: A cuts 3, B 1.8, C 1.2
    assert a.to_dict() == pytest.approx({"A": 7.0, "B": 3.2, "C": -0.2})
    assert a.sum() == pytest.approx(10.0)


def test_pathway_allocation(toy_panel):
    cap = linear_cap_pathway(2002, 18.0, 90.0)
    shares = contraction_convergence_pathway(toy_panel, cap.index, year=2002, convergence_year=2010)
    tonnes = allocate_pathway(shares, cap)
    assert tonnes.sum().to_numpy() == pytest.approx(cap.to_numpy())
    assert tonnes.to_numpy().sum() == pytest.approx(90.0)
    const = allocate_pathway(shares.iloc[:, 0].rename("s"), cap)
    assert const.sum().to_numpy() == pytest.approx(cap.to_numpy())
    with pytest.raises(DataError, match="no shares for years"):
        allocate_pathway(shares.iloc[:, :2], cap)


def test_per_capita_and_share_errors():
    assert per_capita(pd.Series({"A": 10.0}), pd.Series({"A": 4.0}))["A"] == 2.5
    with pytest.raises(DataError, match="population must be > 0; 1 entities violate it: A"):
        per_capita(pd.Series({"A": 10.0}), pd.Series({"A": 0.0}))
    with pytest.raises(DataError, match="sum to 0.9, not 1"):
        allocate_budget(pd.Series({"A": 0.4, "B": 0.5}), 10.0)
