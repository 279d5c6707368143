"""Reading the user files of the accounting area: CSV text of any common encoding, numbers only.

The input-output tables (:func:`carbonshare.accounting.read_iotable`) and the
supply-chain files (:func:`carbonshare.accounting.supply_chain.read_supply_chain`)
read their CSV files through :func:`read_csv_text`, which

- refuses an Excel workbook saved under a ``.csv`` name (one line naming the
  file and the fix) instead of failing inside the CSV parser;
- reads UTF-8 (with or without byte-order mark) and falls back to latin-1
  (ISO-8859-1, which also covers the printable part of Windows-1252) for
  files that are not valid UTF-8; the fallback is logged and returned as a
  repair record so that the run's manifest shows it;

and checks numeric blocks with :func:`numeric_frame`, which names the file,
row and column of the first cell that is not a number.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carbonshare.errors import IOTableError

__all__ = ["numeric_frame", "read_csv_text"]

logger = logging.getLogger(__name__)

_ZIP_MAGIC = b"PK\x03\x04"  # xlsx, ods, zip
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls


def read_csv_text(
    path: Path,
    *,
    repairs: list[dict] | None = None,
    workbook_hint: str = "",
    **kwargs: Any,
) -> pd.DataFrame:
    """``pd.read_csv(path, **kwargs)`` with the checks of the module docstring.

    Parameters
    ----------
    path : the CSV file.
    workbook_hint : str
        Appended to the message for a workbook saved as ``.csv`` (the other
        way of giving the data, if any).
    repairs : list, optional
        Receives ``{"entity", "field", "action", "detail"}`` when the file is
        decoded as latin-1.

    Raises
    ------
    IOTableError
        The file is a spreadsheet workbook, empty, or not parseable as CSV;
        the message names the file.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "nodes.csv"
    >>> _ = p.write_bytes("name,emissions\\nZ\\xfcrich,1\\n".encode("latin-1"))
    >>> fixes = []
    >>> read_csv_text(p, repairs=fixes)["name"].tolist(), fixes[0]["action"]
    (['Zürich'], 'decoded as latin-1')
    """
    head = path.read_bytes()[:8]
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise IOTableError(
            f"{path} is an Excel workbook, not CSV text; save it as CSV (comma-separated)"
            + workbook_hint
        )
    try:
        try:
            return pd.read_csv(path, encoding="utf-8-sig", **kwargs)
        except UnicodeDecodeError:
            out = pd.read_csv(path, encoding="latin-1", **kwargs)
    except pd.errors.EmptyDataError:
        raise IOTableError(f"{path} is empty; give the CSV table with its header row") from None
    except pd.errors.ParserError as exc:
        msg = " ".join(str(exc).split())
        raise IOTableError(
            f"{path} is not a regular CSV table ({msg}); every row needs the same number of "
            "comma-separated cells"
        ) from None
    detail = "the file is not valid UTF-8; read as latin-1 (ISO-8859-1)"
    logger.warning("%s: %s", path, detail)
    if repairs is not None:
        repairs.append(
            {
                "entity": str(path),
                "field": "encoding",
                "action": "decoded as latin-1",
                "detail": detail,
            }
        )
    return out


def _label(value: Any) -> str:
    return "/".join(map(str, value)) if isinstance(value, tuple) else str(value)


def numeric_frame(df: pd.DataFrame, where: str) -> pd.DataFrame:
    """``df`` as floats; a cell that is not a number raises one line naming ``where``, row and column.

    Empty cells stay NaN (the table checks report them with their own fix).

    Examples
    --------
    >>> df = pd.DataFrame({"agri": [1.0, "1,5"]}, index=["agri", "manu"])
    >>> numeric_frame(df, "Z.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    carbonshare.errors.IOTableError: Z.csv: row 'manu', column 'agri' holds '1,5', not a number; ...
    """
    if all(pd.api.types.is_numeric_dtype(t) for t in set(df.dtypes)):  # wide frames: few dtypes
        return df.astype(float)
    out = df.apply(pd.to_numeric, errors="coerce")
    bad = out.isna().to_numpy() & df.notna().to_numpy()
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise IOTableError(
            f"{where}: row {_label(df.index[i])!r}, column {_label(df.columns[j])!r} holds "
            f"{str(df.iat[i, j])!r}, not a number; write plain numbers (decimal point, no "
            "thousands separators or units)"
        )
    return out.astype(float)
