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
        small(x=pd.Series([100.0, 90.0]))


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
    with pytest.raises(IOTableError, match="Z holds NaN"):
        IOTable(Z, pd.DataFrame({"hh": [7.0, 6.0]}, index=["a", "b"]))


def test_zero_output_sector_is_named_with_fix():
    Z = pd.DataFrame([[1.0, 0.0], [0.0, 0.0]], index=["a", "b"], columns=["a", "b"])
    t = IOTable(Z, pd.DataFrame({"hh": [4.0, 0.0]}, index=["a", "b"]))
    with pytest.raises(IOTableError, match=r"gross output of region/b is 0.*drop_sectors"):
        t.A  # noqa: B018
    t2 = t.drop_sectors(["b"])
    assert t2.n == 1


def test_singular_leontief_names_the_sector():
    A = np.array([[0.5, 0.0], [0.5, 0.0]])  # column a sums to 1
    A[1, 1] = 1.0
    with pytest.raises(IOTableError, match=r"singular.*region/b"):
        LeontiefSolver(A, ["region/a", "region/b"])


def test_mismatched_labels_and_shapes():
    Z = pd.DataFrame([[1.0]], index=["a"], columns=["b"])
    with pytest.raises(IOTableError, match="different labels"):
        IOTable(Z, pd.DataFrame({"hh": [1.0]}, index=["a"]))
    Z = pd.DataFrame([[1.0]], index=["a"], columns=["a"])
    with pytest.raises(IOTableError, match="Y has 2 rows"):
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
