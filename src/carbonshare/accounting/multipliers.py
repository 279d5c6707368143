"""Leontief and Ghosh inverses, multipliers and key-sector linkages.

Notation (Miller & Blair 2009): ``A = Z diag(x)^-1``, ``L = (I - A)^-1``,
``B = diag(x)^-1 Z``, ``G = (I - B)^-1 = diag(x)^-1 L diag(x)``.

- Output multiplier of j: ``1'L e_j`` (column sum of ``L``; Rasmussen's
  backward linkage).
- Input multiplier of a satellite row ``w`` (value added, employment,
  emissions): direct coefficient ``c = w / x``, total ``c' L``, type-I
  multiplier ``(c' L) / c``.
- Forward linkage of i: ``G 1`` (row sum of the Ghosh inverse).
- Key sectors: normalised backward and forward linkages both above 1
  (Rasmussen 1956; Hirschman 1958).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonshare.accounting.iotable import IOTable
from carbonshare.errors import IOTableError

__all__ = [
    "ghosh_inverse",
    "input_multipliers",
    "leontief_inverse",
    "linkages",
    "output_multipliers",
    "satellite_row",
]


def leontief_inverse(table: IOTable) -> pd.DataFrame:
    """The Leontief inverse ``L = (I - A)^-1`` (dense; for small tables and reports).

    Examples
    --------
    >>> from carbonshare.accounting import load_table
    >>> L = leontief_inverse(load_table("de1995"))
    >>> [round(float(L.iloc[i, i]), 4) for i in range(3)]     # Beutel (2008) Table 15.10
    [1.0339, 1.4292, 1.0289]
    """
    L = table.solver().solve(np.eye(table.n))
    return pd.DataFrame(L, index=table.sectors, columns=table.sectors)


def ghosh_inverse(table: IOTable) -> pd.DataFrame:
    """The Ghosh inverse ``G = (I - B)^-1 = diag(x)^-1 L diag(x)`` (row i = downstream use).

    Examples
    --------
    >>> from carbonshare.accounting import load_table
    >>> ghosh_inverse(load_table("de1995")).iloc[:, 0].round(4).tolist()
    [1.0339, 0.0118, 0.0037, 0.0103, 0.0117, 0.0043]
    """
    x = table._safe_x()
    L = table.solver().solve(np.eye(table.n))
    return pd.DataFrame(L * x[None, :] / x[:, None], index=table.sectors, columns=table.sectors)


def output_multipliers(table: IOTable) -> pd.Series:
    """Output multipliers ``1'L`` (column sums of the Leontief inverse).

    Examples
    --------
    >>> from carbonshare.accounting import load_table
    >>> output_multipliers(load_table("de1995")).round(4).tolist()
    [1.7048, 1.8413, 1.8136, 1.6035, 1.5951, 1.3782]
    """
    m = table.solver().solve(np.ones(table.n), trans=True)
    return pd.Series(m, index=table.sectors, name="output_multiplier")


def satellite_row(table: IOTable, row: str | pd.Series) -> pd.Series:
    """A satellite row by name: ``"value_added"``, ``"primary_inputs"``, a row of ``V``,
    ``F`` or ``factors``; or a Series aligned with the sectors.

    Raises
    ------
    IOTableError
        Unknown name (the message lists the available rows).
    """
    if isinstance(row, pd.Series):
        if len(row) != table.n:
            raise IOTableError(f"satellite row has {len(row)} values; the table has {table.n}")
        return pd.Series(np.asarray(row, dtype=float), index=table.sectors, name=row.name)
    if row == "value_added":
        return table.value_added
    if row == "primary_inputs":
        return table.v
    for block in (table.V, table.F, table.factors):
        if block is not None and row in block.index:
            return block.loc[row].rename(row)
    available = ["value_added", "primary_inputs"]
    for block in (table.V, table.F, table.factors):
        if block is not None:
            available += list(block.index)
    raise IOTableError(f"no satellite row {row!r} in table {table.name!r}; use one of {available}")


def input_multipliers(table: IOTable, row: str | pd.Series) -> pd.DataFrame:
    """Direct coefficients, total multipliers ``c'L`` and type-I multipliers of a satellite.

    Parameters
    ----------
    table : IOTable
    row : str or Series
        See :func:`satellite_row` (e.g. ``"value_added"``, ``"employment"``, ``"CO2"``).

    Returns
    -------
    DataFrame indexed by sector with columns ``direct`` (row / x, per unit of
    output), ``total`` (``c'L``: direct + indirect per unit of final demand)
    and ``type_I`` (total / direct; NaN where direct is 0).

    Examples
    --------
    >>> from carbonshare.accounting import load_table
    >>> input_multipliers(load_table("de1995"), "value_added")["total"].round(4).tolist()
    [0.845, 0.7647, 0.8615, 0.9019, 0.9393, 0.9199]
    """
    w = satellite_row(table, row).to_numpy(dtype=float)
    c = w / table._safe_x()
    total = table.solver().solve(c, trans=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        type_i = np.where(c != 0, total / np.where(c != 0, c, 1.0), np.nan)
    return pd.DataFrame({"direct": c, "total": total, "type_I": type_i}, index=table.sectors)


def linkages(table: IOTable) -> pd.DataFrame:
    """Backward (``1'L``) and forward (``G 1``) linkages, normalised, and key-sector class.

    Returns
    -------
    DataFrame indexed by sector: ``backward``, ``forward``, ``backward_index``
    and ``forward_index`` (divided by their means) and ``class``:
    ``key`` (both > 1), ``backward-oriented``, ``forward-oriented`` or ``weak``.

    Examples
    --------
    >>> from carbonshare.accounting import load_table
    >>> linkages(load_table("de1995"))["forward"].round(4).tolist()
    [2.1126, 1.691, 1.3558, 1.5848, 2.1037, 1.2106]
    """
    x = table._safe_x()
    solver = table.solver()
    backward = solver.solve(np.ones(table.n), trans=True)
    forward = solver.solve(x) / x  # G 1 = diag(x)^-1 L x
    bi = backward / backward.mean()
    fi = forward / forward.mean()
    cls = np.where(
        (bi > 1) & (fi > 1),
        "key",
        np.where(bi > 1, "backward-oriented", np.where(fi > 1, "forward-oriented", "weak")),
    )
    return pd.DataFrame(
        {
            "backward": backward,
            "forward": forward,
            "backward_index": bi,
            "forward_index": fi,
            "class": cls,
        },
        index=table.sectors,
    )
