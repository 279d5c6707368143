"""Supply-chain responsibility accounts and the chain's emission game."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.accounting import emission_multipliers
from carbonshare.accounting.supply_chain import (
    CHAIN_RULES,
    FINAL_CONSUMER,
    SupplyChain,
    chain_accounts,
    emission_game_table,
    read_supply_chain,
)
from carbonshare.errors import IOTableError


def serial():
    # illustrative numbers (hand-checkable), not data
    return SupplyChain.serial(
        ["mine", "mill", "shop"], emissions=[6.0, 3.0, 1.0], value_added=[10.0, 20.0, 30.0]
    )


def brute_shapley(table: np.ndarray, n: int) -> np.ndarray:
    """Shapley value by the permutation definition (independent of carbonshare.games)."""
    phi = np.zeros(n)
    perms = list(itertools.permutations(range(n)))
    for perm in perms:
        mask = 0
        for p in perm:
            phi[p] += table[mask | (1 << p)] - table[mask]
            mask |= 1 << p
    return phi / math.factorial(n)


def test_serial_game_values_are_cumulative():
    vals = emission_game_table(serial())
    # c(S) = f_1 + ... + f_max(S)
    assert vals.tolist() == [0.0, 6.0, 9.0, 9.0, 10.0, 10.0, 10.0, 10.0]


def test_serial_shapley_shares_emissions_with_downstream():
    acc = chain_accounts(serial(), rules=["shapley"])
    # mine: 6/3; mill: 6/3 + 3/2; shop: 6/3 + 3/2 + 1
    np.testing.assert_allclose(acc["shapley"].to_numpy(), [2.0, 3.5, 4.5, 0.0])


def test_all_rules_sum_to_the_footprint_and_simple_rules():
    acc = chain_accounts(serial())
    assert list(acc.columns) == list(CHAIN_RULES)
    np.testing.assert_allclose(acc.sum().to_numpy(), 10.0)
    assert acc.loc[FINAL_CONSUMER, "consumer"] == pytest.approx(10.0)
    np.testing.assert_allclose(acc["producer"].to_numpy(), [6.0, 3.0, 1.0, 0.0])
    # CEA: cumulative 6, 9, 10 normalised to 10
    np.testing.assert_allclose(
        acc["carbon_emission_added"].iloc[:3], 10 * np.array([6, 9, 10]) / 25
    )


def test_income_serial_closed_form():
    # each stage sells all to the next: G_ij = 1 for j >= i, so (G e)_i = sum_{j >= i} f_j / x_j
    acc = chain_accounts(serial(), rules=["income"])["income"]
    x = np.array([10.0, 30.0, 60.0])
    f = np.array([6.0, 3.0, 1.0])
    va = np.array([10.0, 20.0, 30.0])
    ge = np.array([(f[i:] / x[i:]).sum() for i in range(3)])
    np.testing.assert_allclose(acc.iloc[:3].to_numpy(), va * ge)


def test_shapley_matches_brute_force_and_lies_in_core():
    flows = pd.DataFrame(
        [[0, 4.0, 2.0, 0], [0, 0, 1.0, 3.0], [0, 0, 0, 2.0], [0, 0, 0, 0]],
        index=list("abcd"),
        columns=list("abcd"),
    )
    ch = SupplyChain(
        flows,
        pd.Series({"a": 1.0, "b": 1.0, "c": 2.0, "d": 6.0}),
        pd.Series({"a": 5.0, "b": 2.0, "c": 1.0, "d": 0.5}),
    )
    table = emission_game_table(ch)
    acc = chain_accounts(ch, rules=["shapley", "nucleolus"])
    np.testing.assert_allclose(
        acc["shapley"].iloc[:4].to_numpy(), brute_shapley(table, 4), rtol=1e-10
    )
    for alloc in (acc["shapley"].iloc[:4].to_numpy(), acc["nucleolus"].iloc[:4].to_numpy()):
        for mask in range(1, 16):
            members = [k for k in range(4) if mask >> k & 1]
            assert alloc[members].sum() <= table[mask] + 1e-9  # cost-game core


def test_nucleolus_matches_an_independent_sequential_lp():
    # the same 4-member chain as above; reference computed in a scratch script by
    # Maschler's sequential LPs (scipy.optimize.linprog, cost-game excess x(S) - c(S)),
    # independent of carbonshare.games
    flows = pd.DataFrame(
        [[0, 4.0, 2.0, 0], [0, 0, 1.0, 3.0], [0, 0, 0, 2.0], [0, 0, 0, 0]],
        index=list("abcd"),
        columns=list("abcd"),
    )
    ch = SupplyChain(
        flows,
        pd.Series({"a": 1.0, "b": 1.0, "c": 2.0, "d": 6.0}),
        pd.Series({"a": 5.0, "b": 2.0, "c": 1.0, "d": 0.5}),
    )
    nuc = chain_accounts(ch, rules=["nucleolus"])["nucleolus"]
    np.testing.assert_allclose(
        nuc.iloc[:4].to_numpy(), [2.359524, 2.045238, 1.95, 2.145238], atol=2e-6
    )


def test_consumer_player_is_a_veto_player():
    acc = chain_accounts(serial(), rules=["shapley"], consumer_player=True)
    assert acc["shapley"].sum() == pytest.approx(10.0)
    # emissions of firm k are shared among k..n and the consumer
    assert acc.loc[FINAL_CONSUMER, "shapley"] == pytest.approx(6 / 4 + 3 / 3 + 1 / 2)


def test_from_iotable_footprint_is_the_multiplier_times_demand(de1995):
    ch = SupplyChain.from_iotable(
        de1995, "construction", stressor="CO2", category="gross_capital_formation", max_members=4
    )
    m = emission_multipliers(de1995, "CO2")[("DE", "construction")]
    assert ch.footprint == pytest.approx(m * 191715.0, rel=1e-10)
    assert len(ch.members) == 4 and "other sectors" in ch.members
    acc = chain_accounts(ch)
    np.testing.assert_allclose(acc.sum().to_numpy(), ch.footprint, rtol=1e-9)
    full = SupplyChain.from_iotable(de1995, "construction", stressor="CO2", max_members=6)
    assert len(full.members) == 6


def test_from_iotable_rejects_zero_demand(de1995):
    with pytest.raises(IOTableError, match="carve a chain from a product with positive"):
        SupplyChain.from_iotable(
            de1995, "construction", stressor="CO2", category="inventory_change"
        )


def test_read_json_and_csv(tmp_path):
    data = {
        "name": "bread",
        "unit": "kg CO2",
        "value_unit": "EUR",
        "nodes": [
            {"name": "farm", "emissions": 6, "value_added": 10},
            {"name": "mill", "emissions": 3, "value_added": 20},
            {"name": "shop", "emissions": 1, "value_added": 30},
        ],
        "edges": [
            {"source": "farm", "target": "mill", "value": 10},
            {"source": "mill", "target": "shop", "value": 30},
            {"source": "shop", "target": "final consumer", "value": 60},
        ],
    }
    p = tmp_path / "chain.json"
    p.write_text(json.dumps(data))
    ch = read_supply_chain(p)
    assert ch.name == "bread" and ch.unit == "kg CO2"
    np.testing.assert_allclose(chain_accounts(ch)["shapley"].to_numpy(), [2.0, 3.5, 4.5, 0.0])
    pd.DataFrame(data["nodes"]).to_csv(tmp_path / "n.csv", index=False)
    pd.DataFrame(data["edges"]).to_csv(tmp_path / "e.csv", index=False)
    ch2 = read_supply_chain(tmp_path / "n.csv", tmp_path / "e.csv")
    pd.testing.assert_frame_equal(ch2.flows, ch.flows)


def test_missing_values_name_the_member(tmp_path):
    chain = {
        "nodes": [
            {"name": "mine", "emissions": 6, "value_added": 10},
            {"name": "mill", "emissions": 3},
            {"name": "shop", "emissions": 1, "value_added": 30},
        ],
        "edges": [
            {"source": "mine", "target": "mill", "value": 10},
            {"source": "mill", "target": "shop", "value": 30},
            {"source": "shop", "target": "final consumer", "value": 60},
        ],
    }
    (tmp_path / "c.json").write_text(json.dumps(chain))
    with pytest.raises(IOTableError, match="value_added of member mill is missing"):
        read_supply_chain(tmp_path / "c.json")
    chain["nodes"][1]["value_added"] = 20
    chain["nodes"][2]["emissions"] = None
    (tmp_path / "c.json").write_text(json.dumps(chain))
    with pytest.raises(IOTableError, match="emissions of member shop is missing"):
        read_supply_chain(tmp_path / "c.json")


def test_bad_chains_are_explained(tmp_path):
    with pytest.raises(IOTableError, match="unknown chain rule"):
        chain_accounts(serial(), rules=["magic"])
    flows = pd.DataFrame([[0, 5.0], [0, 0]], index=["a", "b"], columns=["a", "b"])
    with pytest.raises(IOTableError, match="member b buys 5 from the chain"):
        SupplyChain(flows, pd.Series({"b": 2.0}), pd.Series({"a": 1.0, "b": 1.0}))
    with pytest.raises(IOTableError, match="emissions of a are negative"):
        SupplyChain(flows, pd.Series({"b": 9.0}), pd.Series({"a": -1.0, "b": 1.0}))
    p = tmp_path / "c.json"
    p.write_text(
        json.dumps(
            {
                "nodes": [{"name": "a", "emissions": 1}],
                "edges": [{"source": "a", "target": "zz", "value": 1}],
            }
        )
    )
    with pytest.raises(IOTableError, match="edge target 'zz' is neither a node"):
        read_supply_chain(p)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 6), seed=st.integers(0, 10_000))
def test_property_random_chains_conserve_under_every_rule(n, seed):
    rng = np.random.default_rng(seed)
    Z = np.triu(rng.uniform(0, 5, (n, n)) * (rng.random((n, n)) < 0.7), k=1)
    y = rng.uniform(0.1, 5, n)
    va = rng.uniform(0.5, 5, n)
    # choose output so that primary inputs are positive: scale final sales
    names = [f"m{i}" for i in range(n)]
    flows = pd.DataFrame(Z, index=names, columns=names)
    x = Z.sum(axis=1) + y
    prim = x - Z.sum(axis=0)
    y = y + np.clip(-prim, 0, None) + 0.1
    ch = SupplyChain(
        flows,
        pd.Series(y, index=names),
        pd.Series(rng.uniform(0, 3, n), index=names),
        pd.Series(np.minimum(va, (Z.sum(axis=1) + y - Z.sum(axis=0))), index=names),
    )
    acc = chain_accounts(ch)
    np.testing.assert_allclose(acc.sum().to_numpy(), ch.footprint, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        acc["shapley"].iloc[:n].to_numpy(),
        brute_shapley(emission_game_table(ch), n),
        rtol=1e-9,
        atol=1e-12,
    )


# --- issue 9, items 13-14: messages of the supply-chain reader ----------------------------------


def _chain_files(tmp_path, nodes: str | bytes, edges: str | bytes):
    for name, content in (("nodes.csv", nodes), ("edges.csv", edges)):
        p = tmp_path / name
        p.write_bytes(content) if isinstance(content, bytes) else p.write_text(content)
    return tmp_path / "nodes.csv", tmp_path / "edges.csv"


NODES = "name,emissions,value_added\nmine,6,10\nmill,3,20\nshop,1,30\n"
EDGES = "source,target,value\nmine,mill,10\nmill,shop,30\nshop,final consumer,60\n"


def test_repeated_edge_is_a_duplicate_not_a_sum(tmp_path):
    # summed, the two mine -> mill edges (10 + 10) would be reported as an imbalance of mill
    files = _chain_files(tmp_path, NODES, EDGES + "mine,mill,10\n")
    with pytest.raises(
        IOTableError, match=r"edge mine -> mill is given twice \(edge rows 1 and 4\)"
    ):
        read_supply_chain(*files)
    json_chain = {
        "nodes": [{"name": "a", "emissions": 1}],
        "edges": [
            {"source": "a", "target": "final consumer", "value": 1},
            {"source": "a", "target": "consumer", "value": 1},
        ],
    }
    (tmp_path / "c.json").write_text(json.dumps(json_chain))
    with pytest.raises(IOTableError, match="edge a -> final consumer is given twice"):
        read_supply_chain(tmp_path / "c.json")


def test_repeated_member_names_are_named():
    Z = pd.DataFrame(np.zeros((2, 2)), index=["a", "a"], columns=["a", "a"])
    with pytest.raises(IOTableError, match=r"member name\(s\) \['a'\] appear more than once"):
        SupplyChain(
            Z, pd.Series([1.0, 1.0], index=["a", "a"]), pd.Series([1.0, 1.0], index=["a", "a"])
        )


def test_latin1_chain_files_are_read_and_the_decoding_recorded(tmp_path):
    enc = (
        NODES.replace("mill", "m\xfchle").encode("latin-1"),
        EDGES.replace("mill", "m\xfchle").encode("latin-1"),
    )
    ch = read_supply_chain(*_chain_files(tmp_path, *enc))
    assert ch.members == ["mine", "m\xfchle", "shop"]
    assert [r["action"] for r in ch.meta["repairs"]] == ["decoded as latin-1"] * 2


def test_workbook_saved_as_csv_is_named(tmp_path):
    import io

    buf = io.BytesIO()
    pd.DataFrame({"name": ["a"]}).to_excel(buf)
    files = _chain_files(tmp_path, buf.getvalue(), EDGES)
    with pytest.raises(IOTableError, match="nodes.csv is an Excel workbook, not CSV text"):
        read_supply_chain(*files)
