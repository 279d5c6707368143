"""GDR responsibility-capability index and contraction & convergence."""

from __future__ import annotations

import numpy as np
import pytest

from carbonshare.errors import DataError
from carbonshare.principles import (
    contraction_convergence,
    contraction_convergence_pathway,
    egalitarian,
    grandfathering,
    greenhouse_development_rights,
    responsibility_capability_index,
)


def test_rci_hand_computed(toy_panel):
    # 2002: income per capita R 40, M 10, P 1; threshold 5 -> capacity 35, 10, 0
    # responsibility 2000-2002: history 30, 15, 4 x (1 - 5 / y) = 30 * 7/8, 15 * 1/2, 0
    t = responsibility_capability_index(toy_panel, start_year=2000, threshold=5.0)
    cap = np.array([35.0, 10.0, 0.0])
    resp = np.array([30 * 7 / 8, 7.5, 0.0])
    rci = 0.4 * resp / resp.sum() + 0.6 * cap / cap.sum()
    assert t["capacity"].to_numpy() == pytest.approx(cap)
    assert t["responsibility_t"].to_numpy() == pytest.approx(resp)
    assert t["rci"].to_numpy() == pytest.approx(rci)
    s = greenhouse_development_rights(toy_panel, start_year=2000, threshold=5.0)
    assert s.sum() == pytest.approx(1.0)
    assert s["P"] == 0.0  # below the development threshold: no obligation


def test_rci_weights_extremes(toy_panel):
    r = greenhouse_development_rights(
        toy_panel, start_year=2000, threshold=5.0, responsibility_weight=1
    )
    c = greenhouse_development_rights(
        toy_panel, start_year=2000, threshold=5.0, responsibility_weight=0
    )
    assert r.to_numpy() == pytest.approx(np.array([26.25, 7.5, 0]) / 33.75)
    assert c.to_numpy() == pytest.approx(np.array([35.0, 10.0, 0]) / 45)


def test_rci_errors(toy_panel):
    with pytest.raises(
        DataError, match="no entity has income per capita above the development threshold 1000"
    ):
        greenhouse_development_rights(toy_panel, start_year=2000, threshold=1000.0)
    with pytest.raises(DataError, match=r"responsibility_weight = 1.5; it must lie in \[0, 1\]"):
        greenhouse_development_rights(toy_panel, responsibility_weight=1.5)


def test_convergence_endpoints(toy_panel):
    gf = grandfathering(toy_panel, year=2000)
    pc = egalitarian(toy_panel, year=2000)
    at_start = contraction_convergence(
        toy_panel, year=2000, target_year=2000, convergence_year=2040
    )
    at_end = contraction_convergence(toy_panel, year=2000, target_year=2050, convergence_year=2040)
    midway = contraction_convergence(toy_panel, year=2000, target_year=2020, convergence_year=2040)
    assert at_start.to_numpy() == pytest.approx(gf.to_numpy())
    assert at_end.to_numpy() == pytest.approx(pc.to_numpy())
    # exactly equal per capita in the convergence year itself
    at_convergence = contraction_convergence(
        toy_panel, year=2000, target_year=2040, convergence_year=2040
    )
    assert at_convergence.to_numpy() == pytest.approx(pc.to_numpy(), abs=1e-15)
    assert midway.to_numpy() == pytest.approx(0.5 * gf.to_numpy() + 0.5 * pc.to_numpy())


def test_convergence_pathway_and_errors(toy_panel):
    path = contraction_convergence_pathway(
        toy_panel, range(2000, 2045, 5), year=2000, convergence_year=2040
    )
    assert path.sum().to_numpy() == pytest.approx(np.ones(9))
    # R's share falls monotonically towards its population share
    assert (np.diff(path.loc["R"].to_numpy()) <= 1e-15).all()
    with pytest.raises(DataError, match="convergence_year 1990 must be after the base year 2000"):
        contraction_convergence(toy_panel, year=2000, convergence_year=1990)
