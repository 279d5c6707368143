"""Extraction-based accounts through the supply side (issue 9, item 4), on a hand-worked fuel chain.

The chain (values in money, rows sell to columns; E = {oil, coal} are extraction sectors):

    oil       -> refinery 30, coal 5, transport 20, final demand 65     x = 120
    coal      -> refinery 10, power 50,             final demand 40     x = 100
    refinery  -> transport 50,                      final demand 50     x = 100
    transport -> services 10,                       final demand 90     x = 100
    power     -> services 40,                       final demand 160    x = 200
    services  ->                                    final demand 150    x = 150

Direct CO2: oil 2, coal 4, refinery 6, transport 50, power 100, services 10; households'
own combustion 30 (F_Y). Total 202.

Hand computation of W_kj, the value of extraction product k in sector j's inputs
(W_kj = Z_kj + sum over non-extraction i of W_ki Z_ij / x_i):

    refinery : oil 30,                   coal 10
    transport: oil 20 + 30*50/100 = 35,  coal 10*50/100 = 5
    power    : oil 0,                    coal 50          (coal mining is an origin: the oil
                                                           it buys is not passed on)
    services : oil 35*10/100 = 3.5,      coal 50*40/200 + 5*10/100 = 10.5
    coal     : oil 5,                    coal 0
    oil      : nothing                   -> its 2 t are unattributed
    households (W^Y_k = Y_k + sum_i W_ki Y_i / x_i):
               oil 65 + 30*.5 + 35*.9 + 3.5*1 = 115,  coal 40 + 10*.5 + 5*.9 + 50*.8 + 10.5 = 100

Accounts:
    oil  = 4 (coal) + 6*30/40 + 50*35/40 + 0 (power) + 10*3.5/14 + 30*115/215
         = 4 + 4.5 + 43.75 + 2.5 + 16.0465...
    coal = 6*10/40 + 50*5/40 + 100 + 10*10.5/14 + 30*100/215
         = 1.5 + 6.25 + 100 + 7.5 + 13.9535...
    unattributed = 2
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.accounting import IOTable, extraction_based
from carbonshare.errors import IOTableError

S = ["oil", "coal", "refinery", "transport", "power", "services"]
FLOWS = {
    ("oil", "refinery"): 30.0,
    ("oil", "coal"): 5.0,
    ("oil", "transport"): 20.0,
    ("coal", "refinery"): 10.0,
    ("coal", "power"): 50.0,
    ("refinery", "transport"): 50.0,
    ("transport", "services"): 10.0,
    ("power", "services"): 40.0,
}
FINAL = [65.0, 40.0, 50.0, 90.0, 160.0, 150.0]
CO2 = [2.0, 4.0, 6.0, 50.0, 100.0, 10.0]


def chain(co2=CO2, households=30.0, sparse=False) -> IOTable:
    Z = pd.DataFrame(0.0, index=S, columns=S)
    for (i, j), v in FLOWS.items():
        Z.loc[i, j] = v
    Y = pd.DataFrame({"households": FINAL}, index=S)
    F = pd.DataFrame([co2], index=["CO2"], columns=S)
    F_Y = pd.DataFrame({"households": [households]}, index=["CO2"])
    if sparse:
        import scipy.sparse as sp

        return IOTable(
            sp.csr_matrix(Z.to_numpy()), Y, F=F, F_Y=F_Y, sectors=S, extraction=["oil", "coal"]
        )
    return IOTable(Z, Y, F=F, F_Y=F_Y, extraction=["oil", "coal"])


def held(acc: pd.Series) -> dict[str, float]:
    out = acc.xs("extraction", level="kind").droplevel("region").to_dict()
    out["unattributed"] = float(acc.xs("unattributed", level="kind").sum())
    return out


def test_hand_worked_fuel_chain():
    t = chain()
    assert t.x.tolist() == [120.0, 100.0, 100.0, 100.0, 200.0, 150.0]
    got = held(extraction_based(t, "CO2"))
    assert got["oil"] == pytest.approx(4 + 4.5 + 43.75 + 2.5 + 30 * 115 / 215, rel=1e-12)
    assert got["coal"] == pytest.approx(1.5 + 6.25 + 100 + 7.5 + 30 * 100 / 215, rel=1e-12)
    assert got["unattributed"] == pytest.approx(2.0, rel=1e-12)
    assert sum(got.values()) == pytest.approx(202.0, rel=1e-12)


def test_power_burning_only_coal_credits_only_coal():
    # only power emits: the supply side gives all 100 t to coal mining
    only_power = [0.0, 0.0, 0.0, 0.0, 100.0, 0.0]
    got = held(extraction_based(chain(only_power, households=0.0), "CO2"))
    assert got == pytest.approx({"oil": 0.0, "coal": 100.0, "unattributed": 0.0}, abs=1e-12)
    # the requirements reading (L_kj) credits oil through coal mining's own oil use:
    # L_oil,power = a_oil,coal a_coal,power = (5/100)(50/200) = 0.0125, L_coal,power = 0.25
    req = held(extraction_based(chain(only_power, households=0.0), "CO2", method="requirements"))
    assert req["oil"] == pytest.approx(100 * 0.0125 / 0.2625, rel=1e-12)  # 4.76 t
    assert req["coal"] == pytest.approx(100 * 0.25 / 0.2625, rel=1e-12)


def test_sparse_table_gives_the_same_accounts():
    dense = extraction_based(chain(), "CO2")
    sparse = extraction_based(chain(sparse=True), "CO2")
    np.testing.assert_allclose(sparse.to_numpy(), dense.to_numpy(), rtol=1e-10)


def test_unknown_method_is_refused():
    with pytest.raises(IOTableError, match="extraction method 'ghosh' is unknown.*supply"):
        extraction_based(chain(), "CO2", method="ghosh")
