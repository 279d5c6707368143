"""Vectorised reader of game CSV files (``coalition,value``), straight into a bitmask table.

A 25-player game has 2^25 = 33.5 million rows. They are parsed block by block with
pyarrow's CSV reader and compute kernels: each coalition cell is trimmed, stripped of
its braces, split at commas, its member names mapped to bit positions, and the bits
OR-ed into one int64 bitmask per row; the values are cast to float64. No Python object
is made per row, so reading costs the bitmasks and values (16 bytes per coalition) plus
the final table (8 bytes) and one count per coalition (8 bytes) for the duplicate and
missing-coalition checks (``benchmarks/bench_games.py`` measures it).

Line numbers are only needed when something is wrong: then the file is scanned again
with the ``csv`` module up to the row at fault, and the error names its line and cell.

Accepted spellings of a coalition: ``A,B`` (quoted in a comma-separated file), with any
whitespace around names, in braces ``{A,B}`` (or ``[A,B]``, ``(A,B)``), members in any
order; ``{}`` or an empty cell is the empty coalition. Files separated by ``;`` or tabs
are recognised from the header line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from carbonshare.errors import GameError
from carbonshare.games.game import MAX_TABLE_PLAYERS, TabularGame, format_coalition

_BLOCK_BYTES = 1 << 22
"""CSV text parsed per block (4 MB, about 60 000 rows of a 25-player game)."""

_MAX_NAMES = 62
"""Distinct names the int64 bitmasks can hold before the grand coalition is known."""

_SEPARATORS = re.compile(r"[;|+&/\s]")

FORMAT_HINT = (
    'write a coalition\'s members separated by commas in one quoted cell, e.g. "A,B",3 '
    "(or {A,B},3; {} is the empty coalition)"
)


def read_csv_game(path: Path, cost: bool) -> TabularGame:
    """Read a ``coalition,value`` CSV into a :class:`TabularGame` (see module docstring).

    The players are the members of the largest coalition (the grand coalition), in the
    order written there.

    Raises
    ------
    GameError  naming the line and coalition at fault (without the file name; the caller
        adds it).
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    delimiter, coal_col, value_col = _header(path)
    names = _Names()
    mask_parts: list[np.ndarray] = []
    value_parts: list[np.ndarray] = []
    grand: tuple[int, np.ndarray] = (-1, np.zeros(0, dtype=np.int64))  # (size, name ids)
    rows = 0
    try:
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(block_size=_BLOCK_BYTES),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, invalid_row_handler=_skip_blank),
            convert_options=pcsv.ConvertOptions(
                column_types={coal_col: pa.string(), value_col: pa.string()},
                include_columns=[coal_col, value_col],
                strings_can_be_null=False,
            ),
        )
        for batch in _batches(reader):
            if batch.num_rows == 0:
                continue
            masks, ids, lengths = _masks(batch.column(coal_col), names, path, delimiter, rows)
            values = _floats(batch.column(value_col), path, delimiter, rows)
            top = int(np.argmax(lengths))
            if lengths[top] > grand[0]:
                start = int(lengths[:top].sum())
                grand = (int(lengths[top]), ids[start : start + lengths[top]])
            mask_parts.append(masks)
            value_parts.append(values)
            rows += len(masks)
    except pa.ArrowInvalid as exc:
        _diagnose(path, delimiter, str(exc))
    if rows == 0:
        raise GameError("the CSV has a header but no coalitions; give one row per coalition")
    masks = np.concatenate(mask_parts)
    values = np.concatenate(value_parts)
    del mask_parts, value_parts
    players = _players(names.list(), grand[1], masks, path, delimiter)
    masks = _reorder_bits(masks, [players.index(p) for p in names.list()])
    return _table(players, masks, values, path, delimiter, cost)


# --- header -----------------------------------------------------------------------------------


def _header(path: Path) -> tuple[str, str, str]:
    """Delimiter and the raw names of the coalition and value columns; refuses binary files
    (an Excel workbook renamed .csv) and non-UTF-8 text with one clear line."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith(b"PK\x03\x04"):
        raise GameError(
            "this is an Excel workbook (.xlsx), not a CSV; save the sheet as CSV UTF-8 "
            "(columns coalition,value)"
        )
    if b"\x00" in head:
        raise GameError("this is a binary file, not a CSV text with columns coalition,value")
    lines = head.splitlines()
    first = next((k for k, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise GameError("the CSV is empty; it needs a header 'coalition,value' and one row each")
    text = _decode(lines[first], first + 1, path)
    if text.startswith("\ufeff"):
        text = text[1:]
    for delimiter in (",", ";", "\t"):
        cells = next(csv.reader([text], delimiter=delimiter))
        keys = [c.strip().lower() for c in cells]
        if "coalition" in keys and "value" in keys:
            return delimiter, cells[keys.index("coalition")], cells[keys.index("value")]
    raise GameError(
        f"the CSV header is {text!r}; it must have columns 'coalition' and 'value' "
        '(e.g. coalition,value then rows like "A,B",3)'
    )


def _decode(raw: bytes, line: int, path: Path) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1]
        guess = raw.decode("cp1252", errors="replace").strip()
        raise GameError(
            f"line {line} is not UTF-8 text (byte 0x{bad.hex()} in {guess!r}); the file looks "
            "Latin-1 / Windows-1252 encoded: save it as UTF-8 (e.g. 'CSV UTF-8' in Excel)"
        ) from None


def _skip_blank(row) -> str:
    """pyarrow invalid-row handler: skip lines holding only spaces, refuse anything else."""
    return "skip" if not row.text.strip() else "error"


def _batches(reader) -> Iterator:
    while True:
        try:
            yield reader.read_next_batch()
        except StopIteration:
            return


# --- coalitions and values --------------------------------------------------------------------


class _Names:
    """Player names in order of first appearance, each with its bit position."""

    def __init__(self) -> None:
        self.position: dict[str, int] = {}

    def ids(self, flat) -> np.ndarray:
        """Bit position of every name of a pyarrow string array (one hash pass)."""
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(flat)
        for name in encoded.dictionary.to_pylist():
            self.position.setdefault(name, len(self.position))
        if len(self.position) > _MAX_NAMES:
            raise GameError(
                f"the file names more than {_MAX_NAMES} different players (e.g. "
                f"{list(self.position)[:5]}); a table game has at most "
                f"{MAX_TABLE_PLAYERS} players"
            )
        lut = np.array([self.position[p] for p in encoded.dictionary.to_pylist()], np.int64)
        return lut[encoded.indices.to_numpy()]

    def list(self) -> list[str]:
        return list(self.position)


def _masks(column, names: _Names, path: Path, delimiter: str, row0: int):
    """Bitmask per row (bit = position in ``names``), member ids in written order, sizes."""
    import pyarrow.compute as pc

    spaced = any(pc.any(pc.match_substring(column, ws)).as_py() for ws in (" ", "\t"))
    text = pc.utf8_trim_whitespace(column) if spaced else column
    for left, right in ("{}", "[]", "()"):
        braced = pc.and_(pc.starts_with(text, left), pc.ends_with(text, right))
        if pc.any(braced).as_py():
            text = pc.if_else(braced, pc.utf8_slice_codeunits(text, 1, -1), text)
    empty = pc.equal(pc.utf8_trim_whitespace(text) if spaced else text, "")
    empty = empty.to_numpy(zero_copy_only=False)
    parts = pc.split_pattern(text, ",")
    lengths = pc.list_value_length(parts).to_numpy().astype(np.int64)
    lengths[empty] = 0
    flat = pc.list_flatten(parts)
    if spaced:
        flat = pc.utf8_trim_whitespace(flat)
    parents = pc.list_parent_indices(parts).to_numpy()
    keep = ~empty[parents]
    if not keep.all():
        flat = flat.filter(keep)
        parents = parents[keep]
    blank = pc.equal(flat, "").to_numpy(zero_copy_only=False)
    if blank.any():
        line, cell = _row_at(path, delimiter, row0 + int(parents[np.argmax(blank)]))
        raise GameError(
            f"line {line}: coalition {cell[0]!r} has an empty player name; {FORMAT_HINT}"
        )
    ids = names.ids(flat)
    bits = np.left_shift(np.int64(1), ids)
    masks = np.zeros(len(lengths), dtype=np.int64)
    full = np.flatnonzero(lengths)
    if full.size:
        starts = np.concatenate([[0], np.cumsum(lengths[full])[:-1]])
        masks[full] = np.bitwise_or.reduceat(bits, starts)
        twice = np.add.reduceat(bits, starts) != masks[full]
        if twice.any():
            line, cell = _row_at(path, delimiter, row0 + int(full[np.argmax(twice)]))
            members = _members(cell[0])
            dup = next(p for k, p in enumerate(members) if p in members[:k])
            raise GameError(
                f"line {line}: player {dup!r} appears twice in coalition "
                f"{format_coalition(members)}; list each member once"
            )
    return masks, ids, lengths


def _floats(column, path: Path, delimiter: str, row0: int) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        values = pc.cast(pc.utf8_trim_whitespace(column), pa.float64()).to_numpy()
    except pa.ArrowInvalid:
        values = None
    bad = (
        np.flatnonzero(~np.isfinite(values))
        if values is not None
        else [next(k for k, v in enumerate(column.to_pylist()) if not _is_float(v))]
    )
    if len(bad):
        line, cell = _row_at(path, delimiter, row0 + int(bad[0]))
        coalition = format_coalition(_members(cell[0]))
        why = "; values must be finite" if _is_float(cell[1]) else ", not a number"
        raise GameError(f"line {line}: value of coalition {coalition} is {cell[1]!r}{why}")
    return values


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() != "" and "_" not in text


def _members(cell: str) -> list[str]:
    """Members of one coalition cell, as the vectorised parser reads it (error paths)."""
    s = cell.strip()
    if s[:1] + s[-1:] in ("{}", "[]", "()"):
        s = s[1:-1]
    return [p.strip() for p in s.split(",")] if s.strip() else []


# --- players, bits and the table --------------------------------------------------------------


def _players(
    names: list[str], grand: np.ndarray, masks: np.ndarray, path: Path, delimiter: str
) -> list[str]:
    """The grand coalition's members in written order; any other name is an error."""
    players = [names[k] for k in grand]
    unknown = [k for k, name in enumerate(names) if name not in players]
    if not unknown:
        return players
    if len(players) == 1:
        odd = next((p for p in names if _SEPARATORS.search(p)), None)
        example = f" (a cell such as {odd!r} is read as one player of that name)" if odd else ""
        raise GameError(
            f"no coalition has more than one member, so there is no grand coalition; "
            f"{FORMAT_HINT}{example}"
        )
    bits = np.int64(0)
    for k in unknown:
        bits |= np.int64(1) << np.int64(k)
    row = int(np.argmax((masks & bits) != 0))
    line, cell = _row_at(path, delimiter, row)
    members = _members(cell[0])
    name = next(p for p in members if p not in players)
    hint = (
        f"; {FORMAT_HINT}"
        if _SEPARATORS.search(name)
        else "; fix the name or add the grand coalition"
    )
    raise GameError(
        f"line {line}: player {name!r} in coalition {format_coalition(members)} is not in the "
        f"grand coalition {format_coalition(players)}{hint}"
    )


def _reorder_bits(masks: np.ndarray, position: list[int]) -> np.ndarray:
    """Move bit k of every mask to bit ``position[k]`` (names in order of first appearance
    -> player order of the grand coalition)."""
    if position == list(range(len(position))):
        return masks
    out = np.zeros_like(masks)
    for k, pos in enumerate(position):
        out |= ((masks >> k) & 1) << pos
    return out


def _table(
    players: list[str],
    masks: np.ndarray,
    values: np.ndarray,
    path: Path,
    delimiter: str,
    cost: bool,
) -> TabularGame:
    n = len(players)
    if n > MAX_TABLE_PLAYERS:
        raise GameError(
            f"the grand coalition has {n} players; a table game holds at most "
            f"{MAX_TABLE_PLAYERS} (2^{n} coalitions); use a DividendGame (JSON 'dividends')"
        )
    counts = np.bincount(masks, minlength=1 << n)
    if counts.max() > 1:
        twice = np.flatnonzero(counts[masks] > 1)
        first = twice[masks[twice] == masks[twice[0]]][:2]
        (line0, _), (line1, cell) = (_row_at(path, delimiter, int(k)) for k in first)
        raise GameError(
            f"line {line1}: coalition {format_coalition(_members(cell[0]))} is given twice "
            f"(also at line {line0}); list each coalition once (the order of its members "
            "does not matter)"
        )
    given = counts > 0
    del counts
    table = np.full(1 << n, np.nan)
    table[masks] = values
    return TabularGame.from_array(players, table, cost=cost, given=given)


# --- error paths: line numbers ----------------------------------------------------------------


def _rows(path: Path, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every data row as pyarrow counts them (blank lines skipped)."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        header = False
        for cells in reader:
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if not header:
                header = True
                keys = [c.strip().lower() for c in cells]
                ci, vi = keys.index("coalition"), keys.index("value")
                width = len(cells)
                continue
            yield reader.line_num, cells, (ci, vi, width)


def _row_at(path: Path, delimiter: str, k: int) -> tuple[int, tuple[str, str]]:
    """Line number and (coalition, value) cells of data row k (0-based)."""
    for pos, (line, cells, (ci, vi, _)) in enumerate(_rows(path, delimiter)):
        if pos == k:
            return line, (cells[ci], cells[vi])
    raise GameError(f"row {k + 2} could not be located in the file")  # pragma: no cover


def _diagnose(path: Path, delimiter: str, arrow_message: str) -> None:
    """Turn a pyarrow parse error into one line naming the line at fault; always raises."""
    with path.open("rb") as fh:
        for line, raw in enumerate(fh, start=1):
            _decode(raw, line, path)
    for line, cells, (ci, vi, width) in _rows(path, delimiter):
        if len(cells) > width:
            raise GameError(
                f"line {line} has {len(cells)} fields but the header has {width}; quote "
                f'a coalition with several members, e.g. "A,B",3'
            )
        if len(cells) <= max(ci, vi):
            raise GameError(
                f"line {line} has {len(cells)} field(s); expected 'coalition,value' "
                f"({','.join(cells)!r})"
            )
    raise GameError(f"the CSV cannot be parsed: {arrow_message}")
