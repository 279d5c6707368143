"""Bundled real tables: provenance and the published values of their sources."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from carbonshare.accounting import (
    ghosh_inverse,
    input_multipliers,
    leontief_inverse,
    linkages,
    load_table,
    output_multipliers,
    table_provenance,
)
from carbonshare.accounting.bundled import table_path
from carbonshare.accounting.perspectives import consumption_based, emission_multipliers
from carbonshare.errors import IOTableError


def test_files_match_their_recorded_sha256():
    prov = table_provenance()
    for rel, digest in zip(prov["file"], prov["sha256"], strict=True):
        assert hashlib.sha256(table_path(rel).read_bytes()).hexdigest() == digest, rel


def test_files_are_byte_identical_to_raw_copies(raw_dir):
    for rel in table_provenance()["file"]:
        assert table_path(rel).read_bytes() == (raw_dir / rel).read_bytes(), rel


def test_unknown_table_names_the_choices():
    with pytest.raises(IOTableError, match="choose one of de1995, de2009, nl2000, us2021"):
        load_table("fr2010")


# --- Eurostat manual, Germany 1995 (Beutel 2008, Table 15.10 ff.; values in SOURCES_IO.md)
def test_de1995_leontief_diagonal(de1995):
    L = leontief_inverse(de1995).to_numpy()
    np.testing.assert_allclose(np.diag(L)[:3].round(4), [1.0339, 1.4292, 1.0289])


def test_de1995_output_multipliers(de1995):
    got = output_multipliers(de1995).round(4).tolist()
    assert got == [1.7048, 1.8413, 1.8136, 1.6035, 1.5951, 1.3782]


def test_de1995_gva_multipliers(de1995):
    got = input_multipliers(de1995, "value_added")["total"].round(4).tolist()
    assert got == [0.8450, 0.7647, 0.8615, 0.9019, 0.9393, 0.9199]


def test_de1995_employment_multipliers(de1995):
    got = input_multipliers(de1995, "employment")["total"].round(4).tolist()
    assert got == [0.0326, 0.0162, 0.0207, 0.0237, 0.0112, 0.0242]


def test_de1995_ghosh_first_column(de1995):
    got = ghosh_inverse(de1995).iloc[:, 0].round(4).tolist()
    assert got == [1.0339, 0.0118, 0.0037, 0.0103, 0.0117, 0.0043]


def test_de1995_forward_linkages_and_x_caveat(de1995):
    # computed values of SOURCES_IO.md (not the iotables test's 1.6691)
    got = linkages(de1995)["forward"].round(4).tolist()
    assert got == [2.1126, 1.6910, 1.3558, 1.5848, 2.1037, 1.2106]
    assert de1995.x.iloc[1] == 1079446.0  # P1, not the 1,079,400 of the total column


def test_de1995_co2_embodied_in_final_demand(de1995):
    cba = consumption_based(de1995, "CO2")
    fd = cba.xs("final demand", level="kind").droplevel("region")
    fy = de1995.F_Y.loc["CO2"].droplevel("region")
    got = (fd - fy).round(1)
    expected = {
        "final_consumption_households": 247356.3,
        "final_consumption_government": 49731.2,
        "gross_capital_formation": 129496.1,
        "inventory_change": 5807.5,
        "exports": 254628.8,
    }
    for k, v in expected.items():
        assert got[k] == pytest.approx(v, abs=0.051), k


# --- UN handbook, Germany 2009: published cumulative coefficients (t per million EUR)
@pytest.mark.parametrize(
    ("gas", "atol"),
    [("CO2", 0.0), ("CH4", 0.03), ("N2O", 0.003)],
)
def test_de2009_published_emission_coefficients(gas, atol):
    t = load_table("de2009")
    pub = pd.read_csv(
        table_path("un_handbook_de2009/germany_2009_emissions_per_unit.csv"),
        header=None,
        index_col=1,
    ).drop(columns=0)
    expected = pub.loc[gas].to_numpy(float)
    got = emission_multipliers(t, gas).to_numpy()  # kt per bn EUR = t per million EUR
    np.testing.assert_allclose(got, expected, rtol=0.01, atol=atol)


# --- Spicosa Netherlands 2000: published type-I income multipliers
def test_nl2000_income_multipliers():
    t = load_table("nl2000")
    mult = input_multipliers(t, "compensation_employees")
    assert mult["type_I"].round(3).tolist() == [2.466, 2.333, 1.84, 2.372, 1.953, 1.417]
    assert mult["direct"].round(3).tolist() == [0.107, 0.042, 0.166, 0.089, 0.238, 0.348]


def test_nl2000_has_no_emissions():
    with pytest.raises(IOTableError, match="has no emissions"):
        consumption_based(load_table("nl2000"))


# --- BEA US 2021: structure only, industry-technology assumption
def test_us2021_symmetric_table_is_balanced_and_productive():
    t = load_table("us2021")
    assert t.n == 15
    Z, Y, x = t.Z.to_numpy(), t.Y.to_numpy(), t.x.to_numpy()
    np.testing.assert_allclose(Z.sum(axis=1) + Y.sum(axis=1), x, rtol=1e-12)
    # column sums of D U equal those of U: value added closes the columns
    np.testing.assert_allclose(Z.sum(axis=0) + t.V.sum().to_numpy(), x, rtol=1e-4)
    om = output_multipliers(t)
    assert ((om > 1) & (om < 4)).all()
    assert any("balancing" in c for c in t.fd.get_level_values(1))


@pytest.mark.parametrize("name", ["de1995", "de2009"])
def test_bundled_tables_conserve_every_perspective(name):
    from carbonshare.accounting import all_perspectives, reconciliation

    t = load_table(name)
    for gas in t.stressors:
        rec = reconciliation(all_perspectives(t, gas))
        assert rec["conserved"].all(), (name, gas)


def test_de2009_rounding_repairs_are_recorded():
    t = load_table("de2009")
    actions = [r["action"] for r in t.meta["repairs"]]
    assert "added column 'rounding discrepancy'" in actions
    assert t.x.tolist() == [42.0, 1451.0, 234.0, 907.0, 1010.0, 721.0]  # P1 kept
