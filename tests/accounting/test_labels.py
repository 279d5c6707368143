"""Blocks of an IOTable are aligned by label, never by position (issue 9, item 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbonshare.accounting import (
    IOTable,
    all_perspectives,
    linkages,
    output_multipliers,
    production_based,
    read_iotable,
    regional_accounts,
)
from carbonshare.errors import IOTableError

from .conftest import random_table


def _blocks(t: IOTable) -> dict:
    rng = np.random.default_rng(0)
    V = pd.DataFrame(
        [t.v.to_numpy() * 0.7, t.v.to_numpy() * 0.3], index=["wages", "taxes"], columns=t.sectors
    )
    fac = pd.DataFrame([rng.uniform(1, 9, t.n)], index=["jobs"], columns=t.sectors)
    return {"Z": t.Z, "Y": t.Y, "x": t.x, "V": V, "F": t.F, "F_Y": t.F_Y, "factors": fac}


def _build(b: dict, **kw) -> IOTable:
    return IOTable(
        b["Z"],
        b["Y"],
        x=b["x"],
        V=b["V"],
        F=b["F"],
        F_Y=b["F_Y"],
        factors=b["factors"],
        extraction=kw.pop("extraction", None),
        rtol=1e-9,
        **kw,
    )


def _results(t: IOTable) -> dict[str, pd.Series | pd.DataFrame]:
    """Every result, indexed by label and sorted, so positions cannot matter."""
    out = {k: v.sort_index() for k, v in all_perspectives(t, "CO2").items()}
    out["multipliers"] = output_multipliers(t).sort_index()
    out["linkages"] = linkages(t).drop(columns="class").sort_index()
    out["regional"] = regional_accounts(t, "CO2").sort_index()
    return out


def _assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        pd.testing.assert_index_equal(a[k].index, b[k].index)
        np.testing.assert_allclose(b[k].to_numpy(float), a[k].to_numpy(float), rtol=1e-9, atol=1e-9)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    regions=st.sampled_from([1, 2]),
    perm_seed=st.integers(0, 10_000),
    slash=st.booleans(),
)
def test_permuting_any_block_leaves_every_perspective_unchanged(seed, regions, perm_seed, slash):
    t = random_table(seed, n=4, regions=regions)
    first = t.sectors[0][1] if regions == 1 else t.sectors[0]
    ref = _results(_build(_blocks(t), extraction=[first]))
    rng = np.random.default_rng(perm_seed)
    b = _blocks(t)
    shuffled = {}
    for key, block in b.items():
        if isinstance(block, pd.Series):
            shuffled[key] = block.iloc[rng.permutation(len(block))]
            continue
        block = block.iloc[rng.permutation(block.shape[0]), rng.permutation(block.shape[1])]
        if slash and key in ("F", "V", "factors"):  # the 'region/sector' spelling of labels
            block.columns = ["/".join(c) for c in block.columns]
        shuffled[key] = block
    _assert_same(ref, _results(_build(shuffled, extraction=[first])))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), perm_seed=st.integers(0, 10_000))
def test_relabelling_consistently_leaves_every_perspective_unchanged(seed, perm_seed):
    """Renaming the sectors by a bijection (in every block) renames the accounts and nothing else."""
    t = random_table(seed, n=5)
    b = _blocks(t)
    names = [s for _, s in t.sectors]
    new = dict(zip(names, np.random.default_rng(perm_seed).permutation(names), strict=True))
    ren = {}
    for key, block in b.items():
        block = block.copy()
        if isinstance(block, pd.Series):
            block.index = [new[s] for _, s in block.index]
        else:
            if key in ("Z", "Y"):
                block.index = [new[s] for _, s in block.index]
            if key in ("Z", "V", "F", "factors"):
                block.columns = [new[s] for _, s in block.columns]
        ren[key] = block
    ref = _results(_build(b, extraction=[names[0]]))
    got = _results(_build(ren, extraction=[new[names[0]]]))
    back = {v: k for k, v in new.items()}
    for k, res in got.items():
        level = (
            "holder"
            if "holder" in res.index.names
            else ("sector" if "sector" in res.index.names else None)
        )
        if level is not None:
            res = res.rename(index=lambda s: back.get(s, s), level=level).sort_index()
        got[k] = res
    _assert_same(ref, got)


# --- the literal reproductions of the issue ---------------------------------------------------


def _two_sector(**blocks):
    Z = pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=["agri", "manu"], columns=["agri", "manu"])
    Y = pd.DataFrame({"households": [70.0, 65.0]}, index=["agri", "manu"])
    return IOTable(Z, Y, **blocks)


def test_f_columns_in_another_order_than_z_go_to_the_right_sector():
    # F lists manu first: agri must still get agri's 5 t (positional matching gave it manu's 1 t)
    t = _two_sector(F=pd.DataFrame({"manu": [1.0], "agri": [5.0]}, index=["CO2"]))
    prod = production_based(t, "CO2")
    assert prod[("region", "sector", "agri")] == 5.0
    assert prod[("region", "sector", "manu")] == 1.0


def test_f_y_and_factor_columns_are_aligned_too():
    t = _two_sector(
        F=pd.DataFrame({"agri": [5.0], "manu": [1.0]}, index=["CO2"]),
        factors=pd.DataFrame({"manu": [2.0], "agri": [9.0]}, index=["jobs"]),
    )
    assert t.factors.loc["jobs"].tolist() == [9.0, 2.0]


def test_unknown_label_is_named():
    with pytest.raises(
        IOTableError, match=r"columns of F name\(s\) 'manufacturing'.*'agri', 'manu'"
    ):
        _two_sector(F=pd.DataFrame({"agri": [5.0], "manufacturing": [1.0]}, index=["CO2"]))


def test_missing_label_is_named():
    with pytest.raises(IOTableError, match=r"columns of factors lack sector\(s\) 'manu'"):
        _two_sector(factors=pd.DataFrame({"agri": [5.0]}, index=["jobs"]))


def test_duplicated_label_is_named_as_a_duplicate():
    Z = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], index=["agri", "agri"], columns=["agri", "manu"])
    with pytest.raises(IOTableError, match="sector label 'agri' appears twice"):
        IOTable(Z, pd.DataFrame({"hh": [5.0, 5.0]}, index=["agri", "agri"]))
    with pytest.raises(IOTableError, match="columns of F list sector 'agri' twice"):
        _two_sector(
            F=pd.DataFrame([[5.0, 1.0, 2.0]], index=["CO2"], columns=["agri", "manu", "agri"])
        )
    with pytest.raises(IOTableError, match="F lists stressor 'CO2' twice"):
        _two_sector(
            F=pd.DataFrame([[5.0, 1.0], [1.0, 1.0]], index=["CO2", "CO2"], columns=["agri", "manu"])
        )


def test_non_square_z_is_reported_as_such(tmp_path):
    Z = pd.DataFrame([[1.0, 2.0, 0.0], [3.0, 4.0, 0.0]], index=["a", "b"], columns=["a", "b", "c"])
    with pytest.raises(IOTableError, match=r"Z is not square: 2 rows but 3 columns.*'c'"):
        IOTable(Z, pd.DataFrame({"hh": [5.0, 5.0]}, index=["a", "b"]))
    # the same from files (today: "rows of Y" with numbers as labels)
    Z.to_csv(tmp_path / "Z.csv")
    pd.DataFrame({"hh": [5.0, 5.0]}, index=["a", "b"]).to_csv(tmp_path / "Y.csv")
    with pytest.raises(IOTableError, match=r"Z is not square: 2 rows but 3 columns"):
        read_iotable(tmp_path)


def test_files_with_permuted_blocks_read_back_the_same(tmp_path, de1995):
    de1995.write(tmp_path / "t")
    for key in ("F", "V", "factors", "Z"):
        df = pd.read_csv(
            tmp_path / "t" / f"{key}.csv", header=[0, 1], index_col=[0, 1] if key == "Z" else 0
        )
        df.iloc[:, ::-1].to_csv(tmp_path / "t" / f"{key}.csv")
    back = read_iotable(tmp_path / "t")
    for k, v in all_perspectives(de1995, "CO2").items():
        pd.testing.assert_series_equal(all_perspectives(back, "CO2")[k], v, rtol=1e-12)


def test_text_in_a_numeric_cell_names_file_row_and_column(tmp_path):
    Z = pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=["agri", "manu"], columns=["agri", "manu"])
    Z.to_csv(tmp_path / "Z.csv")
    pd.DataFrame({"households": [70.0, 65.0]}, index=["agri", "manu"]).to_csv(tmp_path / "Y.csv")
    (tmp_path / "F.csv").write_text(",agri,manu\nCO2,5,n/a t\n")
    with pytest.raises(IOTableError, match=r"F.csv: row 'CO2', column 'manu' holds 'n/a t'"):
        read_iotable(tmp_path)
