"""IOTable construction, checks, files and solvers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.accounting import IOTable, consumption_based, leontief_inverse, read_iotable
from carbonshare.accounting.linalg import LeontiefSolver
from carbonshare.errors import IOTableError

from .conftest import random_table


def small(**kw):
    Z = pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=["a", "b"], columns=["a", "b"])
    Y = pd.DataFrame({"households": [70.0, 65.0]}, index=["a", "b"])
    return IOTable(Z, Y, F=pd.DataFrame({"a": [5.0], "b": [1.0]}, index=["CO2"]), **kw)


def test_hand_checkable_leontief():
    # A = [[.1,.2],[.3,.05]]; det(I-A) = .9*.95 - .06 = .795
    L = leontief_inverse(small()).to_numpy()
    np.testing.assert_allclose(L, np.array([[0.95, 0.2], [0.3, 0.9]]) / 0.795)


def test_labels_are_region_sector_multiindex():
    t = small(region="DE")
    assert t.sectors.names == ["region", "sector"]
    assert t.fd.tolist() == [("DE", "households")]
    assert t.regions == ["DE"]


def test_unbalanced_row_names_the_sector():
    with pytest.raises(IOTableError, match=r"row of region/b does not balance.*pass x=None"):
        small(x=pd.Series([100.0, 90.0], index=["a", "b"]))


def test_unbalanced_column_names_the_sector():
    V = pd.DataFrame({"a": [60.0], "b": [70.0]}, index=["gva"])  # a: 100 - 40 = 60 ok; b: 75
    with pytest.raises(IOTableError, match=r"column of region/b does not balance"):
        small(V=V)


def test_negative_flow_is_named():
    Z = pd.DataFrame([[10.0, -2.0], [30.0, 5.0]], index=["a", "b"], columns=["a", "b"])
    Y = pd.DataFrame({"hh": [70.0, 65.0]}, index=["a", "b"])
    with pytest.raises(IOTableError, match=r"region/a -> region/b = -2.*must be >= 0"):
        IOTable(Z, Y)


def test_nan_is_rejected():
    Z = pd.DataFrame([[np.nan, 2.0], [3.0, 5.0]], index=["a", "b"], columns=["a", "b"])
    with pytest.raises(IOTableError, match="Z holds NaN.*row of region/a.*fill them"):
        IOTable(Z, pd.DataFrame({"hh": [7.0, 6.0]}, index=["a", "b"]))
    Z = pd.DataFrame([[1.0, 2.0], [3.0, 5.0]], index=["a", "b"], columns=["a", "b"])
    with pytest.raises(IOTableError, match="Y holds NaN.*row of region/b"):
        IOTable(Z, pd.DataFrame({"hh": [7.0, np.inf]}, index=["a", "b"]))


def test_nan_in_satellites_is_named():
    with pytest.raises(IOTableError, match=r"F holds NaN.*row 'CO2' of region/b"):
        IOTable(small().Z, small().Y, F=pd.DataFrame({"a": [5.0], "b": [np.nan]}, index=["CO2"]))
    with pytest.raises(IOTableError, match=r"V holds NaN.*row 'wages' of region/a"):
        IOTable(
            small().Z,
            small().Y,
            V=pd.DataFrame({"a": [np.nan], "b": [75.0]}, index=["wages"]),
        )


def test_zero_output_sector_is_named_with_fix():
    Z = pd.DataFrame([[1.0, 0.0], [0.0, 0.0]], index=["a", "b"], columns=["a", "b"])
    t = IOTable(Z, pd.DataFrame({"hh": [4.0, 0.0]}, index=["a", "b"]))
    with pytest.raises(IOTableError, match=r"gross output of region/b is 0.*drop_sectors"):
        t.A  # noqa: B018
    t2 = t.drop_sectors(["b"])
    assert t2.n == 1
    assert t2.meta["repairs"][-1]["entity"] == "region/b"


def test_drop_sectors_refuses_to_lose_emissions_or_unbalance_rows():
    Z = pd.DataFrame([[1.0, 0.0], [0.0, 0.0]], index=["a", "b"], columns=["a", "b"])
    Y = pd.DataFrame({"hh": [4.0, 0.0]}, index=["a", "b"])
    F = pd.DataFrame({"a": [1.0], "b": [2.0]}, index=["CO2"])  # b emits with zero output
    with pytest.raises(IOTableError, match="region/b has direct emissions.*aggregate"):
        IOTable(Z, Y, F=F).drop_sectors(["b"])
    Z2 = pd.DataFrame([[1.0, 3.0], [0.0, 0.0]], index=["a", "b"], columns=["a", "b"])
    with pytest.raises(IOTableError, match="region/b has purchases from the kept sectors"):
        IOTable(Z2, Y).drop_sectors(["b"])


def test_singular_leontief_names_the_sector():
    A = np.array([[0.5, 0.0], [0.5, 0.0]])  # column a sums to 1
    A[1, 1] = 1.0
    with pytest.raises(IOTableError, match=r"singular.*region/b"):
        LeontiefSolver(A, ["region/a", "region/b"])


def test_singular_sparse_gmres_names_the_sectors():
    import scipy.sparse as sp

    # a and b only deliver to each other, all of their inputs: I - A is singular
    A = sp.csr_matrix(np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.5]]))
    solver = LeontiefSolver(A, ["r/a", "r/b", "r/c"])
    with pytest.raises(IOTableError, match=r"did not converge.*r/a, r/b.*singular"):
        solver.solve(np.ones(3))


def test_mismatched_labels_and_shapes():
    Z = pd.DataFrame([[1.0]], index=["a"], columns=["b"])
    with pytest.raises(IOTableError, match="columns of Z name.*'b'.*not a sector"):
        IOTable(Z, pd.DataFrame({"hh": [1.0]}, index=["a"]))
    Z = pd.DataFrame([[1.0]], index=["a"], columns=["a"])
    with pytest.raises(IOTableError, match="rows of Y name.*'b'.*not a sector"):
        IOTable(Z, pd.DataFrame({"hh": [1.0, 2.0]}, index=["a", "b"]))


def test_sector_and_category_name_clash():
    Z = pd.DataFrame([[1.0]], index=["a"], columns=["a"])
    with pytest.raises(IOTableError, match="name both a sector and a final-demand category"):
        IOTable(Z, pd.DataFrame({"a": [1.0]}, index=["a"]))


@pytest.mark.parametrize("fmt", ["dir", "xlsx"])
def test_file_round_trip(tmp_path, de1995, fmt):
    path = tmp_path / ("t" if fmt == "dir" else "t.xlsx")
    de1995.write(path)
    back = read_iotable(path)
    np.testing.assert_allclose(back.Z.to_numpy(), de1995.Z.to_numpy())
    np.testing.assert_allclose(back.F.to_numpy(), de1995.F.to_numpy())
    np.testing.assert_allclose(back.F_Y.to_numpy(), de1995.F_Y.to_numpy())
    assert back.value_added_rows == de1995.value_added_rows
    assert list(back.extraction) == list(de1995.extraction)
    np.testing.assert_allclose(
        consumption_based(back, "CO2").to_numpy(), consumption_based(de1995, "CO2").to_numpy()
    )


@pytest.mark.parametrize("fmt", ["dir", "xlsx"])
def test_read_flat_single_region_layout(tmp_path, fmt):
    # one index column and one header row per block (a hand-written single-region table)
    Z = pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=["a", "b"], columns=["a", "b"])
    Y = pd.DataFrame({"households": [70.0, 65.0]}, index=["a", "b"])
    F = pd.DataFrame({"a": [5.0], "b": [1.0]}, index=["CO2"])
    if fmt == "dir":
        path = tmp_path / "flat"
        path.mkdir()
        for key, df in (("Z", Z), ("Y", Y), ("F", F)):
            df.to_csv(path / f"{key}.csv")
    else:
        path = tmp_path / "flat.xlsx"
        with pd.ExcelWriter(path) as xw:
            for key, df in (("Z", Z), ("Y", Y), ("F", F)):
                df.to_excel(xw, sheet_name=key)
    t = read_iotable(path)
    assert list(t.sectors) == [("region", "a"), ("region", "b")]
    np.testing.assert_allclose(t.A.to_numpy(), [[0.1, 0.2], [0.3, 0.05]])
    assert consumption_based(t, "CO2").sum() == pytest.approx(6.0)


def test_read_aligns_y_rows_in_another_order(tmp_path, de1995):
    de1995.write(tmp_path / "t")
    y = pd.read_csv(tmp_path / "t" / "Y.csv", header=[0, 1], index_col=[0, 1])
    y.iloc[::-1].to_csv(tmp_path / "t" / "Y.csv")
    back = read_iotable(tmp_path / "t")
    np.testing.assert_allclose(back.Y.to_numpy(), de1995.Y.to_numpy())


def test_read_missing_block(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(IOTableError, match="has no Z block"):
        read_iotable(tmp_path / "x")


def test_mrio_random_table_regions():
    t = random_table(1, n=3, regions=2)
    assert t.regions == ["r0", "r1"]
    assert len(t.fd) == 4


def test_to_pymrio_without_pymrio(monkeypatch, de1995):
    import builtins

    real = builtins.__import__

    def fake(name, *a, **k):
        if name == "pymrio":
            raise ImportError("no pymrio")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(IOTableError, match="pip install pymrio"):
        de1995.to_pymrio()


def test_partial_value_added_skips_only_the_column_check():
    Z = pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=["a", "b"], columns=["a", "b"])
    Y = pd.DataFrame({"households": [70.0, 65.0]}, index=["a", "b"])
    V = pd.DataFrame({"a": [1.0], "b": [2.0]}, index=["value added"])  # far from closing
    with pytest.raises(IOTableError, match="column of region/b does not balance"):
        IOTable(Z, Y, V=V)
    t = IOTable(Z, Y, V=V, check_columns=False)
    np.testing.assert_allclose(t.v.to_numpy(), [60.0, 75.0])  # Ghosh inputs x - 1'Z, not V
    with pytest.raises(IOTableError, match="row of region/b does not balance"):
        IOTable(Z, Y, V=V, x=pd.Series([100.0, 99.0], index=["a", "b"]), check_columns=False)


@pytest.mark.parametrize("fmt", ["dir", "xlsx"])
def test_pymrio_table_file_round_trip_keeps_partial_v_and_synthetic_label(
    tmp_path, pymrio_test, fmt
):
    # pymrio's value added does not close the MRIO columns: written tables must read back
    t = IOTable.from_pymrio(pymrio_test, "emissions", value_added="factor_inputs")
    assert t.meta["synthetic"] is True and "SYNTHETIC" in t.meta["source"]
    path = tmp_path / ("t" if fmt == "dir" else "t.xlsx")
    t.write(path)
    back = read_iotable(path)
    assert back.meta["synthetic"] is True
    assert not back.check_columns
    assert back.sectors.equals(t.sectors) and back.fd.equals(t.fd)
    np.testing.assert_allclose(back.V.to_numpy(), t.V.to_numpy())
    np.testing.assert_allclose(back.F_Y.to_numpy(), t.F_Y.to_numpy())
    np.testing.assert_allclose(
        consumption_based(back, "emission_type1|air").to_numpy(),
        consumption_based(t, "emission_type1|air").to_numpy(),
        rtol=1e-12,
    )
