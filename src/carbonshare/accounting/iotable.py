"""The input-output table: flows, final demand, primary inputs and satellites.

An :class:`IOTable` holds one symmetric (product-by-product or
industry-by-industry) table, single- or multi-regional:

========  =====================  ===============================================
block     shape                  meaning
========  =====================  ===============================================
``Z``     sectors x sectors      inter-industry flows (row = supplier)
``Y``     sectors x fd columns   final demand by category (and consuming region)
``x``     sectors                gross output, ``x = Z 1 + Y 1``
``V``     inputs x sectors       primary inputs (value added components,
                                 imports and taxes of a single-region table)
``F``     stressors x sectors    direct emissions of the producing sectors
``F_Y``   stressors x fd         direct emissions of final demand (households)
``factors`` rows x sectors       other satellites (employment ...)
========  =====================  ===============================================

Sectors are a ``MultiIndex`` ``(region, sector)``; final-demand columns a
``MultiIndex`` ``(region, category)``. A single-region table has one region.

Orientation follows Miller & Blair (2009): ``A = Z diag(x)^-1`` (column j =
inputs per unit of j's output), ``B = diag(x)^-1 Z`` (row i = sales shares).

File layout (:func:`read_iotable`, :meth:`IOTable.write`): a directory with
``Z.csv``, ``Y.csv`` and optional ``V.csv``, ``F.csv``, ``F_Y.csv``,
``factors.csv`` and ``meta.json``, or one ``.xlsx`` workbook with sheets of the
same names (``meta`` as a two-column key/value sheet). Rows and columns of the
sector and final-demand blocks carry two header levels (region, sector or
category); ``V``, ``F``, ``F_Y`` and ``factors`` have one index column (the row
name) and two header rows; a single-region table may use flat labels instead (one
index column and one header row per block). ``meta.json`` may hold ``name``, ``units`` (block ->
unit), ``value_added_rows``, ``extraction`` (list of ``[region, sector]``),
``check_columns`` (false when ``V`` lists only some primary inputs), ``source``
and ``synthetic`` (true for illustrative, not real, data).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carbonshare.accounting.files import numeric_frame, read_csv_text
from carbonshare.accounting.linalg import LeontiefSolver, is_sparse
from carbonshare.errors import IOTableError

__all__ = ["IOTable", "read_iotable"]

logger = logging.getLogger(__name__)

SECTOR_NAMES = ("region", "sector")
FD_NAMES = ("region", "category")


def _label(value: Any) -> str:
    return "/".join(map(str, value)) if isinstance(value, tuple) else str(value)


def _as_multi(index: pd.Index, names: tuple[str, str], region: str, what: str) -> pd.MultiIndex:
    if isinstance(index, pd.MultiIndex):
        if index.nlevels != 2:
            raise IOTableError(
                f"{what} labels have {index.nlevels} levels; use 2 levels "
                f"({names[0]}, {names[1]}) or a flat index for a single region"
            )
        out = pd.MultiIndex.from_tuples([tuple(map(str, t)) for t in index], names=list(names))
    else:
        out = pd.MultiIndex.from_arrays(
            [[region] * len(index), [str(s) for s in index]], names=list(names)
        )
    if out.has_duplicates:
        dup = out[out.duplicated()][0]
        name = dup[1] if out.get_level_values(0).nunique() == 1 else _label(dup)
        raise IOTableError(f"{what} label {name!r} appears twice; give each {what} once")
    return out


def _spellings(index: pd.MultiIndex) -> dict[Any, int]:
    """Accepted spellings of the labels of ``index`` -> position: ``(region, name)``,
    ``"region/name"`` and, in a single-region table, the bare ``name``."""
    single = index.get_level_values(0).nunique() <= 1
    out: dict[Any, int] = {}
    for p, (r, s) in enumerate(index):
        out[(r, s)] = p
        out[f"{r}/{s}"] = p
        if single:
            out[s] = p
    return out


def _names(index: pd.MultiIndex, positions: Iterable[int]) -> list[str]:
    single = index.get_level_values(0).nunique() <= 1
    return [index[p][1] if single else _label(index[p]) for p in positions]


def _listing(items: list[str], limit: int = 8) -> str:
    shown = ", ".join(repr(i) for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _order(labels: pd.Index, target: pd.MultiIndex, what: str, noun: str) -> np.ndarray:
    """Positions in ``labels`` of the labels of ``target``, so that ``block.iloc[order]``
    aligns a block to ``target`` by label (never by position).

    Labels are matched as ``(region, name)``, ``"region/name"`` or (one region)
    ``"name"``. An unknown, a missing or a duplicated label raises
    :class:`IOTableError` naming it.
    """
    if isinstance(labels, pd.MultiIndex) and labels.nlevels == 2:
        as_str = pd.MultiIndex.from_arrays(
            [labels.get_level_values(i).astype(str) for i in range(2)]
        )
        if as_str.equals(target):  # already in order (target labels are unique)
            return np.arange(len(target))
    spell = _spellings(target)
    pos = np.full(len(labels), -1)
    unknown = []
    for k, lab in enumerate(labels):
        key = tuple(map(str, lab)) if isinstance(lab, tuple) else str(lab)
        p = spell.get(key)
        if p is None:
            unknown.append(_label(lab))
        else:
            pos[k] = p
    if unknown:
        raise IOTableError(
            f"{what} name(s) {_listing(unknown)}, which {'is' if len(unknown) == 1 else 'are'} "
            f"not a {noun} of the table (the {noun}s are "
            f"{_listing(_names(target, range(len(target))))}); use the {noun} labels exactly"
        )
    first: dict[int, int] = {}
    for k, p in enumerate(pos):
        if p in first:
            raise IOTableError(
                f"{what} list {noun} {_names(target, [p])[0]!r} twice (as "
                f"{_label(labels[first[p]])!r} and {_label(labels[k])!r}); give each {noun} once"
            )
        first[p] = k
    missing = [p for p in range(len(target)) if p not in first]
    if missing:
        raise IOTableError(
            f"{what} lack {noun}(s) {_listing(_names(target, missing))}; add them "
            "(0 where there is nothing)"
        )
    order = np.empty(len(target), dtype=int)
    order[pos] = np.arange(len(labels))
    return order


def _frame(obj: Any, row_name: str, cols: pd.MultiIndex, what: str, noun: str) -> pd.DataFrame:
    """A stressor/input block as a float DataFrame whose columns are ``cols``, aligned by label."""
    if isinstance(obj, pd.Series):
        obj = obj.to_frame().T
    if not isinstance(obj, pd.DataFrame):
        raise IOTableError(f"{what} must be a pandas DataFrame (rows x columns), got {type(obj)}")
    rows = pd.Index([_label(r) for r in obj.index], name=row_name)
    if rows.has_duplicates:
        raise IOTableError(
            f"{what} lists {row_name} {rows[rows.duplicated()][0]!r} twice; give each row once"
        )
    order = _order(obj.columns, cols, f"the columns of {what}", noun)
    values = numeric_frame(obj, what).to_numpy()[:, order]
    return pd.DataFrame(values, index=rows, columns=cols)


@dataclass(frozen=True)
class BalanceReport:
    """What :meth:`IOTable.check` found: the largest row and column imbalances."""

    row_max_rel: float
    column_max_rel: float | None
    negative_flows: int
    notes: list[str] = field(default_factory=list)


class IOTable:
    """A symmetric input-output table with satellites; see the module docstring.

    Every labelled block is aligned **by label** to the sectors (the rows of
    ``Z``) and the final-demand columns (the columns of ``Y``), never by
    position: the columns of ``Z``, ``V``, ``F``, ``factors`` and the rows of
    ``Y`` may list the sectors in any order, as ``(region, sector)``,
    ``"region/sector"`` or (single region) ``"sector"``.

    Parameters
    ----------
    Z : DataFrame (n, n) or scipy.sparse matrix
        Inter-industry flows, row = supplying sector. A sparse matrix needs
        ``sectors``.
    Y : DataFrame (n, m)
        Final demand, columns = final-demand categories (flat index for a
        single region) or ``(region, category)``.
    x : Series, optional
        Gross output. Default ``Z 1 + Y 1``. If given it must match the row
        sums within ``rtol``. (A plain array, having no labels, is taken in
        the order of the sectors.)
    V : DataFrame (k, n), optional
        Primary inputs by component (rows). ``v = V.sum()`` is the total
        primary input of each sector used by the Ghosh model; if omitted it is
        ``x - 1'Z`` (row ``"primary_inputs"``). If given, ``1'Z + v`` must
        match ``x`` within ``rtol``.
    F, F_Y : DataFrame (s, n) and (s, m), optional
        Direct emissions of sectors and of final demand, one row per stressor.
    factors : DataFrame (q, n), optional
        Other satellites (e.g. employment).
    value_added_rows : sequence of str, optional
        Rows of ``V`` that are value added proper (for value-added
        multipliers); default all rows of ``V``.
    extraction : iterable of sector labels, optional
        Sectors tagged as fossil-fuel extraction (extraction-based accounts).
    units : mapping, optional
        Unit of each block, e.g. ``{"Z": "million EUR", "F": "kt"}``.
    name, region : str
        Table name and, for flat labels, the region name.
    sectors : Index, optional
        Sector labels when ``Z`` is a sparse matrix.
    rtol : float
        Relative tolerance of the balance checks.
    check : bool
        Run :meth:`check` (default).
    check_columns : bool
        Check the column balance ``x = 1'Z + 1'V`` when ``V`` is given
        (default). ``False`` for a ``V`` that lists only some primary inputs
        (e.g. value added of an MRIO without imports and taxes); the Ghosh
        model always uses ``v = x - 1'Z``, never ``V``.

    Raises
    ------
    IOTableError
        Unbalanced rows or columns, negative flows, zero output, a
        non-square ``Z``, a cell that is not a number, an unknown, missing or
        duplicated label; messages name the sector (or label) and the fix.

    Examples
    --------
    >>> Z = pd.DataFrame([[10.0, 20.0], [30.0, 5.0]], index=["a", "b"], columns=["a", "b"])
    >>> Y = pd.DataFrame({"households": [70.0, 65.0]}, index=["a", "b"])
    >>> t = IOTable(Z, Y, F=pd.DataFrame({"a": [5.0], "b": [1.0]}, index=["CO2"]))
    >>> t.x.tolist()
    [100.0, 100.0]
    >>> t.A.round(2).values.tolist()
    [[0.1, 0.2], [0.3, 0.05]]
    """

    def __init__(
        self,
        Z: Any,
        Y: pd.DataFrame,
        *,
        x: pd.Series | None = None,
        V: pd.DataFrame | None = None,
        F: pd.DataFrame | pd.Series | None = None,
        F_Y: pd.DataFrame | pd.Series | None = None,
        factors: pd.DataFrame | None = None,
        value_added_rows: Sequence[str] | None = None,
        extraction: Iterable[Any] | None = None,
        units: Mapping[str, str] | None = None,
        name: str = "",
        region: str = "region",
        sectors: pd.Index | None = None,
        rtol: float = 1e-6,
        check: bool = True,
        check_columns: bool = True,
    ) -> None:
        self.name = name
        self.units = dict(units or {})
        self.meta: dict[str, Any] = {}
        self.rtol = rtol
        self.check_columns = check_columns
        if is_sparse(Z):
            if sectors is None:
                raise IOTableError("a sparse Z needs sectors=Index of sector labels")
            if Z.shape[0] != Z.shape[1] or Z.shape[0] != len(sectors):
                raise IOTableError(
                    f"Z is {Z.shape[0]} x {Z.shape[1]} with {len(sectors)} sector labels; it "
                    "must be square with one label per row and column"
                )
            labels = sectors if isinstance(sectors, pd.MultiIndex) else pd.Index(sectors)
            idx = _as_multi(labels, SECTOR_NAMES, region, "sector")
            self._Z = Z.tocsr().astype(float)
        else:
            if not isinstance(Z, pd.DataFrame):
                raise IOTableError("Z must be a pandas DataFrame or a scipy.sparse matrix")
            idx = _as_multi(Z.index, SECTOR_NAMES, region, "sector")
            if Z.shape[0] != Z.shape[1]:
                rows = set(map(_label, Z.index))
                extra = [_label(c) for c in Z.columns if _label(c) not in rows]
                raise IOTableError(
                    f"Z is not square: {Z.shape[0]} rows but {Z.shape[1]} columns"
                    + (f" (columns without a row: {_listing(extra)})" if extra else "")
                    + "; give one row and one column per sector"
                )
            order = _order(Z.columns, idx, "the columns of Z", "sector")
            self._Z = numeric_frame(Z, "Z").to_numpy()[:, order]
        n = len(idx)
        self.sectors: pd.MultiIndex = idx
        if not isinstance(Y, pd.DataFrame):
            raise IOTableError("Y must be a pandas DataFrame (sectors x final-demand columns)")
        y_order = _order(Y.index, idx, "the rows of Y", "sector")
        self.fd: pd.MultiIndex = _as_multi(
            Y.columns, FD_NAMES, str(idx.get_level_values(0)[0]), "final-demand column"
        )
        self._Y = numeric_frame(Y, "Y").to_numpy()[y_order]
        rowsum = np.asarray(self._Z.sum(axis=1)).ravel() + self._Y.sum(axis=1)
        if x is None:
            self._x = rowsum
        elif isinstance(x, pd.Series):
            x_order = _order(x.index, idx, "the labels of x", "sector")
            self._x = numeric_frame(x.to_frame(), "x").to_numpy()[x_order, 0]
        else:  # an unlabelled array follows the order of the sectors
            self._x = np.asarray(x, dtype=float).ravel()
            if self._x.shape != (n,):
                raise IOTableError(f"x has {self._x.size} values but the table has {n} sectors")
        self.V = None if V is None else _frame(V, "input", idx, "V", "sector")
        self.F = None if F is None else _frame(F, "stressor", idx, "F", "sector")
        self.F_Y = (
            None if F_Y is None else _frame(F_Y, "stressor", self.fd, "F_Y", "final-demand column")
        )
        if self.F_Y is not None and self.F is not None:
            missing = set(self.F_Y.index) - set(self.F.index)
            if missing:
                raise IOTableError(
                    f"F_Y has stressors {sorted(missing)} that F lacks; add them to F (zeros)"
                )
        self.factors = (
            None if factors is None else _frame(factors, "factor", idx, "factors", "sector")
        )
        if value_added_rows is not None and self.V is not None:
            unknown = [r for r in value_added_rows if r not in self.V.index]
            if unknown:
                raise IOTableError(
                    f"value_added_rows {unknown} are not rows of V ({list(self.V.index)})"
                )
        self.value_added_rows = list(value_added_rows) if value_added_rows is not None else None
        self.extraction: pd.MultiIndex = self._resolve(extraction or [], "extraction")
        self._solver: LeontiefSolver | None = None
        self._shared_solvers: dict[tuple, LeontiefSolver] = {}
        self._cache: dict[Any, Any] = {}  # stressor-independent solves (e.g. L y by region)
        labels = set(self.sectors.get_level_values(1)) & set(self.fd.get_level_values(1))
        if labels:
            raise IOTableError(
                f"labels {sorted(labels)} name both a sector and a final-demand category; "
                "rename one of them"
            )
        if check:
            self.check()

    # ------------------------------------------------------------------ labels and blocks
    @property
    def regions(self) -> list[str]:
        """Regions in order of first appearance."""
        return [str(r) for r in pd.unique(self.sectors.get_level_values(0).to_numpy(dtype=object))]

    @property
    def n(self) -> int:
        """Number of sectors (region-sector pairs)."""
        return len(self.sectors)

    @property
    def stressors(self) -> list[str]:
        """Names of the emission rows of ``F``."""
        return [] if self.F is None else list(self.F.index)

    @property
    def is_sparse(self) -> bool:
        return is_sparse(self._Z)

    def _resolve(self, labels: Iterable[Any], what: str) -> pd.MultiIndex:
        spell = _spellings(self.sectors)
        out = []
        for lab in labels:
            key = tuple(map(str, lab)) if isinstance(lab, list | tuple) else str(lab)
            if key not in spell:
                raise IOTableError(
                    f"{what} sector {lab!r} is not a sector of the table; use one of "
                    f"{_listing(_names(self.sectors, range(self.n)), 12)} (as (region, sector) "
                    "or 'region/sector' for MRIO)"
                )
            out.append(self.sectors[spell[key]])
        return pd.MultiIndex.from_tuples(out, names=list(SECTOR_NAMES)) if out else self.sectors[:0]

    @property
    def Z(self) -> pd.DataFrame:
        """Inter-industry flows (dense copy for a sparse table)."""
        Z = self._Z.toarray() if self.is_sparse else self._Z
        return pd.DataFrame(Z, index=self.sectors, columns=self.sectors)

    @property
    def Y(self) -> pd.DataFrame:
        return pd.DataFrame(self._Y, index=self.sectors, columns=self.fd)

    @property
    def x(self) -> pd.Series:
        return pd.Series(self._x, index=self.sectors, name="x")

    @property
    def v(self) -> pd.Series:
        """Total primary inputs ``v = x - 1'Z``: the Ghosh model's inputs (``x' = v' G``).

        Computed from the identity so that Ghosh accounts close exactly; ``V``
        (checked against it within ``rtol``) splits it by component.
        """
        return pd.Series(self._v(), index=self.sectors, name="v")

    def _v(self) -> np.ndarray:
        return self._x - np.asarray(self._Z.sum(axis=0)).ravel()

    @property
    def value_added(self) -> pd.Series:
        """Value added proper: the ``value_added_rows`` of ``V`` (default all of ``v``)."""
        if self.V is None or self.value_added_rows is None:
            return self.v.rename("value_added")
        return self.V.loc[self.value_added_rows].sum().rename("value_added")

    @property
    def A(self) -> pd.DataFrame:
        """Technical coefficients ``A = Z diag(x)^-1`` (dense)."""
        return pd.DataFrame(self._A_dense(), index=self.sectors, columns=self.sectors)

    def _A_dense(self) -> np.ndarray:
        Z = self._Z.toarray() if self.is_sparse else self._Z
        return Z / self._safe_x()[None, :]

    def _A(self) -> Any:
        if self.is_sparse:
            A = self._Z.tocsr(copy=True)
            A.data /= self._safe_x()[A.indices]  # column j scaled by 1 / x_j, pattern kept
            return A
        return self._Z / self._safe_x()[None, :]

    def _safe_x(self) -> np.ndarray:
        bad = np.flatnonzero(~(self._x > 0))
        if bad.size:
            k = int(bad[0])
            lab = "/".join(self.sectors[k])
            held = {w: a for w, a in self._holdings(k).items() if a != 0}
            if self._x[k] == 0 and not held:
                fix = (
                    "it is empty: remove its row and column from every block of the table "
                    f"(in Python: table.drop_sectors([{lab!r}]))"
                )
            else:
                fix = (
                    "it cannot simply be removed since it has "
                    + ", ".join(f"{w} {a:g}" for w, a in held.items())
                    + " - correct its row (x = Z 1 + Y 1 must be > 0) or merge it into another sector"
                    if held
                    else "correct its row (x = Z 1 + Y 1 must be > 0)"
                )
            raise IOTableError(
                f"gross output of {lab} is {self._x[k]:g}; coefficients need x > 0 "
                f"({bad.size} sector(s) affected): {fix}"
            )
        return self._x

    def _holdings(self, k: int, keep: np.ndarray | None = None) -> dict[str, float]:
        """What sector ``k`` has that dropping it would lose: direct emissions, final demand
        and purchases from the (kept) sectors, as sums of absolute values."""
        col = np.abs(np.asarray(self._Z[:, [k]].todense() if self.is_sparse else self._Z[:, k]))
        col = col.ravel()
        if keep is not None:
            col = col[keep]
        return {
            "direct emissions": 0.0 if self.F is None else float(np.abs(self.F.iloc[:, k]).sum()),
            "final demand": float(np.abs(self._Y[k]).sum()),
            "purchases from " + ("the kept sectors" if keep is not None else "sectors"): float(
                col.sum()
            ),
        }

    def solver(self, method: str = "auto") -> LeontiefSolver:
        """The cached factorisation of ``I - A`` (see :class:`LeontiefSolver`)."""
        if self._solver is None or (method != "auto" and self._solver.method != method):
            labels = [f"{r}/{s}" for r, s in self.sectors]
            self._solver = LeontiefSolver(self._A(), labels, method=method)
        return self._solver

    def stressor(self, name: str | None) -> str:
        """Validate a stressor name (``None`` is allowed when ``F`` has exactly one row)."""
        if self.F is None:
            raise IOTableError(
                f"table {self.name!r} has no emissions (F); pass F= or use a table with a "
                "satellite account (de1995, de2009)"
            )
        if name is None:
            if len(self.F.index) == 1:
                return str(self.F.index[0])
            raise IOTableError(
                f"table {self.name!r} has stressors {list(self.F.index)}; pass stressor=<one of them>"
            )
        if name not in self.F.index:
            raise IOTableError(
                f"stressor {name!r} is not in table {self.name!r}; choose one of {list(self.F.index)}"
            )
        return name

    def f(self, stressor: str | None = None) -> np.ndarray:
        """Direct emissions vector of one stressor (positional, internal use)."""
        return self.F.loc[self.stressor(stressor)].to_numpy(dtype=float)

    def f_y(self, stressor: str | None = None) -> np.ndarray:
        """Final-demand direct emissions of one stressor (zeros if there is no ``F_Y``)."""
        s = self.stressor(stressor)
        if self.F_Y is None or s not in self.F_Y.index:
            return np.zeros(len(self.fd))
        return self.F_Y.loc[s].to_numpy(dtype=float)

    # ------------------------------------------------------------------ checks
    def check(self) -> BalanceReport:
        """Check balances and signs; raise :class:`IOTableError` naming the first bad sector.

        Checks: finite values; ``Z >= 0``; ``x = Z 1 + Y 1`` within ``rtol``
        (relative to ``max(|x|, 1)``); ``x = 1'Z + 1'V`` when ``V`` is given.
        Zero-output sectors are allowed here and rejected only when
        coefficients are formed (:meth:`drop_sectors` removes them).
        """
        notes: list[str] = []
        Zdata = self._Z.data if self.is_sparse else self._Z
        for name, arr in (("Z", Zdata), ("Y", self._Y), ("x", self._x)):
            if not np.all(np.isfinite(arr)):
                where = ""
                if not (name == "Z" and self.is_sparse):
                    bad_rows = (~np.isfinite(arr.reshape(len(arr), -1))).any(axis=1)
                    k = int(np.flatnonzero(bad_rows)[0])
                    where = f" (first in the row of {'/'.join(self.sectors[k])})"
                raise IOTableError(
                    f"{name} holds NaN or infinite values{where}; fill them (e.g. 0 for an "
                    "empty cell) or remove the sector's row and column"
                )
        neg = int((Zdata < 0).sum())
        if neg:
            if self.is_sparse:
                coo = self._Z.tocoo()
                k = int(np.flatnonzero(coo.data < 0)[0])
                i, j, val = coo.row[k], coo.col[k], coo.data[k]
            else:
                i, j = np.argwhere(self._Z < 0)[0]
                val = self._Z[i, j]
            raise IOTableError(
                f"Z holds {neg} negative flow(s), e.g. {'/'.join(self.sectors[i])} -> "
                f"{'/'.join(self.sectors[j])} = {val:g}; inter-industry flows must be >= 0 "
                "(move negative entries such as subsidies to V or Y)"
            )
        rowsum = np.asarray(self._Z.sum(axis=1)).ravel() + self._Y.sum(axis=1)
        scale = np.maximum(np.abs(self._x), 1.0)
        rel = np.abs(rowsum - self._x) / scale
        if rel.size and rel.max() > self.rtol:
            k = int(rel.argmax())
            raise IOTableError(
                f"row of {'/'.join(self.sectors[k])} does not balance: Z 1 + Y 1 = {rowsum[k]:.6g} "
                f"but x = {self._x[k]:.6g} (relative gap {rel[k]:.2g} > rtol {self.rtol:g}); "
                "fix the row, pass x=None to use the row sums, or loosen rtol"
            )
        col_rel = None
        if self.V is not None and self.check_columns:
            colsum = np.asarray(self._Z.sum(axis=0)).ravel() + self.V.to_numpy().sum(axis=0)
            crel = np.abs(colsum - self._x) / scale
            col_rel = float(crel.max()) if crel.size else 0.0
            if col_rel > self.rtol:
                k = int(crel.argmax())
                raise IOTableError(
                    f"column of {'/'.join(self.sectors[k])} does not balance: 1'Z + v = "
                    f"{colsum[k]:.6g} but x = {self._x[k]:.6g} (relative gap {crel[k]:.2g}); "
                    "V must list every primary input (value added, imports, taxes)"
                )
        for key in ("F", "F_Y", "V", "factors"):
            block = getattr(self, key)
            if block is None:
                continue
            bad = ~np.isfinite(block.to_numpy(dtype=float))
            if bad.any():
                i, j = np.argwhere(bad)[0]
                col = block.columns[j]
                col = "/".join(map(str, col)) if isinstance(col, tuple) else str(col)
                raise IOTableError(
                    f"{key} holds NaN or infinite values, e.g. row {block.index[i]!r} of {col}; "
                    "fill them (e.g. 0 for no emissions) first"
                )
        return BalanceReport(float(rel.max()) if rel.size else 0.0, col_rel, neg, notes)

    # ------------------------------------------------------------------ transforms
    def with_extraction(self, sectors: Iterable[Any]) -> IOTable:
        """A copy with ``sectors`` tagged as fossil-fuel extraction."""
        out = self.copy()
        out.extraction = out._resolve(sectors, "extraction")
        return out

    def copy(self) -> IOTable:
        import copy

        return copy.copy(self)

    def drop_sectors(self, sectors: Iterable[Any]) -> IOTable:
        """A new table without empty ``sectors`` (their row and column are removed; logged
        and recorded in ``meta["repairs"]``).

        Meant for sectors with zero output. Any sales of a removed sector to the
        others become primary inputs of the buyers (row ``"dropped sectors"`` of
        ``V``) so columns still balance.

        Raises
        ------
        IOTableError
            If a sector to drop has direct emissions, final demand or purchases
            from the kept sectors: dropping it would lose emissions or unbalance
            the rows (aggregate it into another sector instead).
        """
        drop = self._resolve(sectors, "drop")
        keep = ~self.sectors.isin(drop)
        Z = self.Z
        for k in np.flatnonzero(~keep):
            lab = "/".join(self.sectors[k])
            for what, amount in self._holdings(k, keep).items():
                if amount != 0:
                    raise IOTableError(
                        f"sector {lab} has {what} ({amount:g}); drop_sectors removes only empty "
                        "sectors (zero output, no emissions) - aggregate it into another sector"
                    )
        logger.warning("dropping sectors %s from table %s", list(drop), self.name)
        V = (
            self.V
            if self.V is not None
            else pd.DataFrame([self._v()], index=["primary_inputs"], columns=self.sectors)
        )
        moved = Z.loc[~keep, keep].sum()
        V2 = pd.concat([V.loc[:, keep], moved.to_frame("dropped sectors").T])
        out = IOTable(
            Z.loc[keep, keep],
            self.Y.loc[keep],
            x=self.x[keep],
            V=V2,
            F=None if self.F is None else self.F.loc[:, keep],
            F_Y=self.F_Y,
            factors=None if self.factors is None else self.factors.loc[:, keep],
            value_added_rows=self.value_added_rows,
            units=self.units,
            name=self.name,
            extraction=[e for e in self.extraction if e not in drop],
            rtol=self.rtol,
            check_columns=self.check_columns,
        )
        out.meta = {**self.meta, "repairs": [*self.meta.get("repairs", [])]}
        out.meta["repairs"].append(
            {
                "entity": ", ".join("/".join(d) for d in drop),
                "field": "sector",
                "action": "dropped empty sector(s)",
                "detail": "zero output, no emissions or final demand; sales moved to V",
            }
        )
        return out

    def __repr__(self) -> str:
        return (
            f"IOTable({self.name!r}: {len(self.regions)} region(s), {self.n} sectors, "
            f"{len(self.fd)} final-demand columns, stressors={self.stressors})"
        )

    # ------------------------------------------------------------------ files
    def write(self, path: str | Path) -> Path:
        """Write the documented layout: a directory of CSVs, or one ``.xlsx`` workbook."""
        path = Path(path)
        blocks = {"Z": self.Z, "Y": self.Y}
        for key in ("V", "F", "F_Y", "factors"):
            if getattr(self, key) is not None:
                blocks[key] = getattr(self, key)
        meta = {
            "name": self.name,
            "units": self.units,
            "value_added_rows": self.value_added_rows,
            "extraction": [list(e) for e in self.extraction],
            "check_columns": self.check_columns,
            "source": self.meta.get("source"),
            "synthetic": self.meta.get("synthetic"),
        }
        if path.suffix.lower() in (".xlsx", ".xls"):
            path.parent.mkdir(parents=True, exist_ok=True)
            with pd.ExcelWriter(path) as xw:
                for key, df in blocks.items():
                    df.to_excel(xw, sheet_name=key)
                pd.DataFrame({"key": ["meta"], "value": [json.dumps(meta)]}).to_excel(
                    xw, sheet_name="meta", index=False
                )
            return path
        path.mkdir(parents=True, exist_ok=True)
        for key, df in blocks.items():
            df.to_csv(path / f"{key}.csv")
        (path / "meta.json").write_text(json.dumps(meta, indent=2))
        return path

    # ------------------------------------------------------------------ pymrio
    @classmethod
    def from_pymrio(
        cls,
        io: Any,
        extension: str | None = None,
        *,
        value_added: str | None = None,
        factors: str | None = None,
        check: bool = True,
        rtol: float = 1e-6,
    ) -> IOTable:
        """Build a table from a ``pymrio.IOSystem`` (flows ``Z``/``Y`` are required).

        Parameters
        ----------
        io : pymrio.IOSystem
            With ``Z`` and ``Y`` (call ``io.calc_system()`` first if only
            coefficients are present).
        extension : str, optional
            Name of the extension whose ``F``/``F_Y`` become the stressors;
            multi-level stressor labels are joined with ``"|"``.
        value_added : str, optional
            Extension holding primary inputs (e.g. ``"factor_inputs"``); used
            as ``V`` with ``check_columns=False``, since MRIO value added
            rarely closes the columns exactly.
        factors : str, optional
            Extension used as ``factors`` (e.g. employment).

        Notes
        -----
        The table's ``meta["source"]`` names the system; pymrio's test system
        (``pymrio.load_test()``, named ``testmrio``) is labelled
        ``meta["synthetic"] = True``: its numbers are anonymised and of
        undocumented origin, fit for cross-checks only.
        """
        if getattr(io, "Z", None) is None or getattr(io, "Y", None) is None:
            raise IOTableError(
                "the pymrio system has no Z or Y flows; call io.calc_system() (or io.calc_all()) first"
            )

        def ext(name: str) -> Any:
            try:
                return getattr(io, name)
            except AttributeError:
                names = [e.name for e in io.get_extensions(data=True)]
                raise IOTableError(
                    f"pymrio system has no extension {name!r}; choose one of {names}"
                ) from None

        def flat(df: pd.DataFrame | None) -> pd.DataFrame | None:
            if df is None:
                return None
            out = df.copy()
            if isinstance(out.index, pd.MultiIndex):
                out.index = ["|".join(map(str, t)) for t in out.index]
            return out

        F = F_Y = V = fac = None
        units: dict[str, str] = {}
        if extension is not None:
            e = ext(extension)
            F = flat(e.F)
            F_Y = flat(e.F_Y)
            if getattr(e, "unit", None) is not None:
                units["F"] = ", ".join(sorted(set(map(str, e.unit.iloc[:, 0]))))
        if value_added is not None:
            V = flat(ext(value_added).F)
        if factors is not None:
            fac = flat(ext(factors).F)
        x = None if getattr(io, "x", None) is None else io.x.iloc[:, 0]
        name = str(getattr(io, "name", "") or "pymrio")
        table = cls(
            io.Z,
            io.Y,
            x=x,
            V=V,
            F=F,
            F_Y=F_Y,
            factors=fac,
            units=units,
            name=name,
            check=check,
            check_columns=False,
            rtol=rtol,
        )
        table.meta["source"] = f"pymrio IOSystem {name!r}"
        if name == "testmrio":  # pymrio.load_test(): anonymised numbers of undocumented origin
            table.meta["synthetic"] = True
            table.meta["source"] = "pymrio test MRIO (pymrio.load_test()) - SYNTHETIC, illustrative"
        return table

    def to_pymrio(self, extension: str = "stressors") -> Any:
        """Export as a ``pymrio.IOSystem``: ``Z``, ``Y``, ``x``; ``F`` and ``F_Y`` in the
        extension ``extension``; ``V`` (if any) in ``factor_inputs`` and ``factors``
        (if any) in ``factors``, so that ``from_pymrio(io, extension,
        value_added="factor_inputs", factors="factors")`` reads it back.

        Raises
        ------
        IOTableError
            If pymrio is not installed (it is an optional, test-only dependency).
        """
        try:
            import pymrio
        except ImportError as exc:
            raise IOTableError(
                "to_pymrio needs the optional package pymrio; install it with `pip install pymrio`"
            ) from exc
        io = pymrio.IOSystem(
            Z=self.Z, Y=self.Y, x=self.x.to_frame("indout"), name=self.name or "carbonshare"
        )
        if self.F is not None:
            F = self.F.copy()
            F.index.name = "stressor"
            F_Y = None
            if self.F_Y is not None:
                F_Y = self.F_Y.reindex(F.index, fill_value=0.0)
                F_Y.index.name = "stressor"
            unit = pd.DataFrame({"unit": [self.units.get("F", "")] * len(F)}, index=F.index)
            setattr(io, extension, pymrio.Extension(name=extension, F=F, F_Y=F_Y, unit=unit))
        for name, block, unit_key in (
            ("factor_inputs", self.V, "Z"),
            ("factors", self.factors, "factors"),
        ):
            if block is not None:
                block = block.copy()
                block.index.name = "input"
                unit = pd.DataFrame(
                    {"unit": [self.units.get(unit_key, "")] * len(block)}, index=block.index
                )
                setattr(io, name, pymrio.Extension(name=name, F=block, unit=unit))
        return io


def read_iotable(path: str | Path, **kwargs: Any) -> IOTable:
    """Read an :class:`IOTable` from the documented layout (directory of CSVs or ``.xlsx``).

    A single-region table may also be written with flat labels: one index
    column and one header row in every block (the region is ``meta["region"]``,
    default ``"region"``). Blocks are aligned by label (see :class:`IOTable`).
    CSV files may be UTF-8 or latin-1 (the fallback is recorded in
    ``table.meta["repairs"]``). Extra keyword arguments go to :class:`IOTable`
    (e.g. ``rtol``).

    Raises
    ------
    IOTableError
        If ``Z`` or ``Y`` is missing, a cell is not a number (the message
        names the file, row and column) or the blocks do not fit together.
    """
    path = Path(path)
    if not path.exists():
        raise IOTableError(f"IO table path {path} does not exist")
    keys = ("Z", "Y", "V", "F", "F_Y", "factors")
    meta: dict[str, Any] = {}
    repairs: list[dict] = []
    if path.is_dir():
        present = [k for k in keys if (path / f"{k}.csv").exists()]

        def where(key: str) -> str:
            return str(path / f"{key}.csv")

        def read(key: str, **kw: Any) -> pd.DataFrame:
            return read_csv_text(
                path / f"{key}.csv",
                repairs=repairs,
                workbook_hint=", or give the table as one .xlsx workbook with sheets Z, Y, ...",
                **kw,
            )

        if (path / "meta.json").exists():
            try:
                meta = json.loads((path / "meta.json").read_text(encoding="utf-8-sig"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise IOTableError(f"{path / 'meta.json'} is not valid JSON ({exc})") from None
    elif path.suffix.lower() in (".xlsx", ".xls"):
        try:
            book = pd.ExcelFile(path)
        except Exception as exc:  # zipfile.BadZipFile, xlrd/openpyxl errors, ValueError
            raise IOTableError(
                f"{path} cannot be opened as an Excel workbook ({type(exc).__name__}); give an "
                ".xlsx file with sheets Z, Y, ... or a directory of CSV files"
            ) from None
        present = [k for k in keys if k in book.sheet_names]

        def where(key: str) -> str:
            return f"{path}, sheet {key!r}"

        def read(key: str, **kw: Any) -> pd.DataFrame:
            return pd.read_excel(book, sheet_name=key, **kw)

        if "meta" in book.sheet_names:
            m = pd.read_excel(book, sheet_name="meta")
            meta = json.loads(m["value"].iloc[0])
    else:
        raise IOTableError(f"{path}: give a directory of CSV files or an .xlsx workbook")
    for key in ("Z", "Y"):
        if key not in present:
            raise IOTableError(f"{path} has no {key} block ({key}.csv or sheet {key!r}); add it")
    # documented layout: two header rows (region, sector) and two index columns, so the first
    # two lines have a blank cell in column 1 (CSV) or column 0 (Excel, merged header); a
    # single-region table may also use one header row and one index column (flat labels;
    # region from meta or "region"), whose second line starts with a sector label
    head = read("Z", header=None, nrows=2)
    if head.shape[1] < 2 or head.shape[0] < 2:
        raise IOTableError(
            f"{where('Z')} has {head.shape[1]} column(s) and {head.shape[0]} line(s); give the "
            "flows with a header row, one index column and one column per sector (comma-separated)"
        )
    blank = head.iloc[:2, :2].isna().to_numpy()
    flat = not (blank[:, 0].all() or blank[:, 1].all())
    frames: dict[str, pd.DataFrame] = {}
    for key in present:
        # the CSV and Excel readers rename a repeated header ("agri" -> "agri.1"): look first
        lead = 1 if flat or key not in ("Z", "Y") else 2
        raw = read(key, header=None, nrows=1 if flat else 2).iloc[:, lead:]
        labels = [
            "/".join(map(str, t)) for t in zip(*(r.ffill() for _, r in raw.iterrows()), strict=True)
        ]
        dup = sorted({c for c in labels if labels.count(c) > 1})
        if dup:
            raise IOTableError(
                f"{where(key)}: column label(s) {_listing(dup)} appear more than once in the "
                "header; give each column once"
            )
        if flat:
            df = read(key, index_col=0, header=0)
        else:
            idx = [0, 1] if key in ("Z", "Y") else 0
            df = read(key, index_col=idx, header=[0, 1])
        if isinstance(df.index, pd.MultiIndex):
            df.index = pd.MultiIndex.from_tuples([tuple(map(str, c)) for c in df.index])
        else:
            df.index = df.index.astype(str)
        if isinstance(df.columns, pd.MultiIndex):
            df.columns = pd.MultiIndex.from_tuples([tuple(map(str, c)) for c in df.columns])
        else:
            df.columns = df.columns.astype(str)
        frames[key] = numeric_frame(df, where(key))
    if flat:
        kwargs.setdefault("region", meta.get("region", "region"))
    extraction = [tuple(e) for e in meta.get("extraction") or []]
    kwargs.setdefault("check_columns", meta.get("check_columns", True))
    table = IOTable(
        frames["Z"],
        frames["Y"],
        V=frames.get("V"),
        F=frames.get("F"),
        F_Y=frames.get("F_Y"),
        factors=frames.get("factors"),
        value_added_rows=meta.get("value_added_rows"),
        extraction=extraction,
        units=meta.get("units"),
        name=meta.get("name", path.stem),
        **kwargs,
    )
    for key in ("source", "synthetic"):
        if meta.get(key) is not None:
            table.meta[key] = meta[key]
    if repairs:
        table.meta["repairs"] = [*table.meta.get("repairs", []), *repairs]
    return table
