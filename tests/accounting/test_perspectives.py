"""Perspectives: cross-checks against pymrio, conservation and invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.accounting import (
    IOTable,
    all_perspectives,
    carbon_emission_added,
    consumption_based,
    embodied_trade,
    extraction_based,
    footprint_by_product,
    income_based,
    producer_consumer_flows,
    production_based,
    reconciliation,
    regional_accounts,
    shared_alpha,
    shared_responsibility,
)
from carbonshare.errors import IOTableError

from .conftest import random_table

AIR = "emission_type1|air"


@pytest.fixture(scope="module")
def mrio(pymrio_test):
    # pymrio's test system is SYNTHETIC (anonymised, undocumented origin): cross-check only
    return IOTable.from_pymrio(pymrio_test, "emissions", value_added="factor_inputs")


def test_pymrio_d_cba_and_d_pba(mrio, pymrio_test):
    ext = pymrio_test.emissions
    for s, key in (
        (AIR, ("emission_type1", "air")),
        ("emission_type2|water", ("emission_type2", "water")),
    ):
        ours = footprint_by_product(mrio, s)
        theirs = ext.D_cba.loc[key].unstack("region").loc[ours.index, ours.columns]
        np.testing.assert_allclose(ours.to_numpy(), theirs.to_numpy(), rtol=1e-9, atol=0)
        pba = production_based(mrio, s).xs("sector", level="kind")
        np.testing.assert_allclose(pba.to_numpy(), ext.D_pba.loc[key].to_numpy(), rtol=1e-9)


def test_pymrio_regional_accounts(mrio, pymrio_test):
    ext = pymrio_test.emissions
    key = ("emission_type1", "air")
    reg = regional_accounts(mrio, AIR)
    np.testing.assert_allclose(reg["consumption"], ext.D_cba_reg.loc[key][reg.index], rtol=1e-9)
    np.testing.assert_allclose(reg["production"], ext.D_pba_reg.loc[key][reg.index], rtol=1e-9)
    np.testing.assert_allclose(
        reg["imports_embodied"], ext.D_imp_reg.loc[key][reg.index], rtol=1e-9
    )
    np.testing.assert_allclose(
        reg["exports_embodied"], ext.D_exp_reg.loc[key][reg.index], rtol=1e-9
    )
    np.testing.assert_allclose(reg["balance"], reg["production"] - reg["consumption"], rtol=1e-9)
    E = embodied_trade(mrio, AIR)
    assert E.shape == (6, 6)


def test_consumption_by_region_and_category_sums_to_pymrio(mrio, pymrio_test):
    cba = consumption_based(mrio, AIR)
    by_region = cba.groupby(level="region").sum()
    theirs = pymrio_test.emissions.D_cba_reg.loc[("emission_type1", "air")]
    np.testing.assert_allclose(by_region[theirs.index], theirs, rtol=1e-9)


def test_income_based_relates_to_pymrio_m_down(mrio, pymrio_test):
    import pymrio

    io = pymrio_test
    G = pymrio.calc_G(pymrio.calc_B(io.Z, io.x))
    ext = io.emissions
    M_down = pymrio.calc_M_down(ext.S, G).loc[("emission_type1", "air")]
    S = ext.S.loc[("emission_type1", "air")]
    inc = income_based(mrio, AIR).xs("primary input", level="kind")
    np.testing.assert_allclose(inc.to_numpy(), (mrio.v * (M_down + S)).to_numpy(), rtol=1e-9)


def test_pymrio_round_trip(mrio):
    io2 = mrio.to_pymrio()
    back = IOTable.from_pymrio(io2, "stressors")
    np.testing.assert_allclose(back.Z.to_numpy(), mrio.Z.to_numpy())
    np.testing.assert_allclose(back.F.to_numpy(), mrio.F.to_numpy())
    assert list(back.F.index) == list(mrio.F.index)
    assert back.sectors.equals(mrio.sectors) and back.fd.equals(mrio.fd)
    np.testing.assert_allclose(back.F_Y.to_numpy(), mrio.F_Y.to_numpy())


def test_pymrio_round_trip_keeps_primary_inputs_and_factors(de1995):
    io = de1995.to_pymrio()
    back = IOTable.from_pymrio(io, "stressors", value_added="factor_inputs", factors="factors")
    np.testing.assert_allclose(back.V.to_numpy(), de1995.V.to_numpy())
    assert list(back.V.index) == list(de1995.V.index)
    np.testing.assert_allclose(back.factors.to_numpy(), de1995.factors.to_numpy())
    np.testing.assert_allclose(
        income_based(back, "CO2").to_numpy(), income_based(de1995, "CO2").to_numpy()
    )


def test_from_pymrio_unknown_extension(pymrio_test):
    with pytest.raises(IOTableError, match="no extension 'nope'"):
        IOTable.from_pymrio(pymrio_test, "nope")


def test_all_perspectives_conserve_on_de1995(de1995):
    acc = all_perspectives(de1995, "CO2")
    rec = reconciliation(acc)
    assert rec["conserved"].all()
    assert rec.loc["production", "total"] == pytest.approx(904157.0)
    assert set(acc) >= {
        "production",
        "consumption",
        "income",
        "extraction",
        "shared_value_added",
        "shared_final_demand",
        "carbon_emission_added",
    }


def test_reconciliation_flags_a_broken_account(de1995):
    acc = all_perspectives(de1995, "CO2")
    acc["broken"] = acc["production"] * 1.01
    rec = reconciliation(acc)
    assert not rec.loc["broken", "conserved"]
    assert rec.loc["broken", "relative_difference"] == pytest.approx(0.01)


def test_shared_alpha_one_is_production_and_zero_is_consumption(de1995):
    prod = production_based(de1995, "CO2")
    cons = consumption_based(de1995, "CO2")
    s1 = shared_responsibility(de1995, "CO2", alpha=1.0)
    s0 = shared_responsibility(de1995, "CO2", alpha=0.0)
    np.testing.assert_allclose(s1.reindex(prod.index).to_numpy(), prod.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(s0.xs("sector", level="kind").to_numpy(), 0.0, atol=1e-9)
    np.testing.assert_allclose(
        s0.xs("final demand", level="kind").to_numpy(),
        cons.xs("final demand", level="kind").to_numpy(),
        rtol=1e-10,
    )
    for net in (True, False):
        s0g = shared_responsibility(de1995, "CO2", alpha=0.0, net_output=net)
        np.testing.assert_allclose(
            s0g.xs("final demand", level="kind").to_numpy(), cons.to_numpy(), rtol=1e-10
        )


def test_shared_value_added_alpha_definition(de1995):
    a = shared_alpha(de1995, "value_added")
    x, zdiag = de1995.x.to_numpy(), np.diag(de1995.Z.to_numpy())
    np.testing.assert_allclose(a.to_numpy(), de1995.value_added.to_numpy() / (x - zdiag))
    with pytest.raises(IOTableError, match="alpha=.*unknown"):
        shared_alpha(de1995, "magic")
    with pytest.raises(IOTableError, match=r"must lie in \[0, 1\]"):
        shared_alpha(de1995, 1.5)


def test_income_total_equals_production_total(de1995):
    inc = income_based(de1995, "CO2")
    assert inc.sum() == pytest.approx(production_based(de1995, "CO2").sum(), rel=1e-12)
    comp = income_based(de1995, "CO2", by_component=True)
    np.testing.assert_allclose(
        comp.sum().to_numpy(), inc.xs("primary input", level="kind").to_numpy(), rtol=1e-12
    )


def test_extraction_accounts(de1995):
    acc = extraction_based(de1995, "CO2")
    assert acc.sum() == pytest.approx(904157.0, rel=1e-12)
    # the only tagged sector is industry (contains mining); every sector buys from it
    assert acc.xs("extraction", level="kind").sum() == pytest.approx(904157.0, rel=1e-12)
    t = de1995.with_extraction(["agriculture_group", "industry_group"])
    acc2 = extraction_based(t, "CO2")
    assert acc2.sum() == pytest.approx(904157.0, rel=1e-12)
    with pytest.raises(IOTableError, match="is not a sector of the table"):
        de1995.with_extraction(["coal"])


def test_extraction_unattributed_when_no_upstream_extraction():
    # two disconnected sectors: b never buys from the extraction sector a
    Z = pd.DataFrame([[1.0, 0.0], [0.0, 2.0]], index=["a", "b"], columns=["a", "b"])
    Y = pd.DataFrame({"hh": [9.0, 8.0]}, index=["a", "b"])
    t = IOTable(Z, Y, F=pd.DataFrame({"a": [3.0], "b": [4.0]}, index=["CO2"]), extraction=["a"])
    acc = extraction_based(t)
    assert acc[("region", "extraction", "a")] == pytest.approx(3.0)
    assert acc[("all", "unattributed", "no extraction input")] == pytest.approx(4.0)


def test_cea_serial_chain_is_cumulative():
    # 1 -> 2 -> 3 -> final demand; U0_k = f_1 + ... + f_k
    Z = pd.DataFrame(
        [[0, 10.0, 0], [0, 0, 30.0], [0, 0, 0]], index=list("abc"), columns=list("abc")
    )
    Y = pd.DataFrame({"hh": [0.0, 0.0, 60.0]}, index=list("abc"))
    t = IOTable(Z, Y, F=pd.DataFrame([[6.0, 3.0, 1.0]], index=["CO2"], columns=list("abc")))
    cea = carbon_emission_added(t).xs("sector", level="kind").to_numpy()
    cum = np.array([6.0, 9.0, 10.0])
    np.testing.assert_allclose(cea, 10.0 * cum / cum.sum())


def test_producer_consumer_flows_margins(de1995):
    flows = producer_consumer_flows(de1995, "CO2")
    prod = production_based(de1995, "CO2")
    np.testing.assert_allclose(
        flows.iloc[:-1].sum(axis=1).to_numpy(),
        prod.xs("sector", level="kind").to_numpy(),
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        flows.sum(axis=0).to_numpy(), consumption_based(de1995, "CO2").to_numpy(), rtol=1e-9
    )


def test_stressor_must_be_named_when_several(de1995):
    with pytest.raises(IOTableError, match="pass stressor="):
        production_based(de1995)
    with pytest.raises(IOTableError, match="stressor 'CO3' is not in table"):
        production_based(de1995, "CO3")


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 6),
    regions=st.integers(1, 3),
    alpha=st.floats(0.0, 1.0),
)
def test_property_every_perspective_conserves_the_total(seed, n, regions, alpha):
    t = random_table(seed, n=n, regions=regions).with_extraction(
        [t for t in random_table(seed, n=n, regions=regions).sectors[:1]]
    )
    acc = all_perspectives(t, "CO2", alpha=alpha)
    rec = reconciliation(acc, rtol=1e-9)
    assert rec["conserved"].all(), rec
    reg = regional_accounts(t, "CO2")
    assert reg["balance"].sum() == pytest.approx(0.0, abs=1e-9 * rec.loc["production", "total"])


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_property_dense_sparse_and_gmres_agree(seed):
    import scipy.sparse as sp

    t = random_table(seed, n=6)
    ts = IOTable(sp.csr_matrix(t.Z.to_numpy()), t.Y, F=t.F, F_Y=t.F_Y, sectors=t.sectors, rtol=1e-9)
    assert ts.solver().method == "gmres"
    for method in ("gmres", "splu"):
        ts.solver(method)
        for fn in (consumption_based, income_based, shared_responsibility):
            np.testing.assert_allclose(fn(ts, "CO2").to_numpy(), fn(t, "CO2").to_numpy(), rtol=1e-9)


def test_mrio_extraction_sectors_by_region_slash_sector(mrio):
    ext = ["reg1/mining", ("reg2", "mining")]
    acc = extraction_based(mrio.with_extraction(ext), "emission_type1|air")
    assert acc.sum() == pytest.approx(production_based(mrio, "emission_type1|air").sum(), rel=1e-12)
    held = acc.xs("extraction", level="kind")
    assert list(held.index) == [("reg1", "mining"), ("reg2", "mining")]
    with pytest.raises(IOTableError, match="'region/sector' for MRIO"):
        mrio.with_extraction(["mining"])


def _shared_by_iteration(t, a, net_output=True):
    """Lenzen et al. (2007) by plain fixed-point iteration of
    U_j = f_j + sum_{i != j} (1 - a_i) U_i Z_ij / N_i (independent of LeontiefSolver)."""
    Z, Y, x = t.Z.to_numpy(), t.Y.to_numpy(), t.x.to_numpy()
    f, fy = t.f("CO2"), t.f_y("CO2")
    N = x - np.diag(Z) if net_output else x
    K = (1 - a)[:, None] * Z / N[:, None]
    if net_output:
        np.fill_diagonal(K, 0.0)
    U = f.copy()
    for _ in range(5000):
        U_next = f + K.T @ U
        if np.allclose(U_next, U, rtol=1e-15, atol=0.0):
            break
        U = U_next
    return np.concatenate([a * U, ((1 - a) * U / N) @ Y + fy])


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 5),
    regions=st.integers(1, 3),
    net=st.booleans(),
)
def test_property_shared_matches_iteration_and_limits(seed, n, regions, net):
    t = random_table(seed, n=n, regions=regions)
    a = pd.Series(np.random.default_rng(seed).uniform(0, 1, t.n), index=t.sectors)
    got = shared_responsibility(t, "CO2", alpha=a, net_output=net)
    np.testing.assert_allclose(
        got.to_numpy(), _shared_by_iteration(t, a.to_numpy(), net), rtol=1e-9, atol=1e-12
    )
    prod = production_based(t, "CO2")
    cons = consumption_based(t, "CO2")
    s1 = shared_responsibility(t, "CO2", alpha=1.0, net_output=net)
    s0 = shared_responsibility(t, "CO2", alpha=0.0, net_output=net)
    np.testing.assert_allclose(s1.reindex(prod.index).to_numpy(), prod.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(
        s0.xs("final demand", level="kind").to_numpy(), cons.to_numpy(), rtol=1e-9
    )
    np.testing.assert_allclose(s0.xs("sector", level="kind").to_numpy(), 0.0, atol=1e-12)
