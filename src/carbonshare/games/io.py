"""Read and write games as JSON or CSV, with validation.

JSON (one object)::

    {"players": ["A", "B", "C"],          # optional; fixes the player order
     "kind": "benefit",                    # or "cost"; optional, default benefit
     "values": [{"coalition": ["A"], "value": 1.0}, ...]}

``"values"`` may also be an object keyed by coalition strings
(``{"A,B": 3.0, "{}": 0}``). A dividend game uses ``"dividends"`` instead of
``"values"`` (unlisted coalitions have dividend 0). Without ``"players"``, the
players of a table are the members of its largest coalition, in the order
written there, and those of a dividend game every player named, in order of
appearance. A key given twice in one JSON object is an error (JSON itself
would keep the last value silently).

CSV: two columns ``coalition,value``; a coalition is written ``A,B`` (quoted
by the CSV writer), optionally in braces ``{A,B}``; ``{}`` or an empty cell
is the empty coalition. The players are the members of the largest coalition
(the grand coalition), in the order written there. The reader is vectorised
(:mod:`carbonshare.games.io_csv`): a 25-player file is parsed straight into
bitmasks without a Python object per row.

Every table must list each non-empty coalition exactly once; errors name the
file, the line and the coalition at fault.
"""

from __future__ import annotations

import csv
import json
import logging
import math
from collections.abc import Hashable
from pathlib import Path

from carbonshare.errors import GameError
from carbonshare.games.dividend import DividendGame
from carbonshare.games.game import Game, TabularGame
from carbonshare.games.io_csv import read_csv_game

logger = logging.getLogger(__name__)


def parse_coalition(text: str) -> tuple[str, ...]:
    """Players of a coalition string: ``"A,B"``, ``"{A, B}"``, ``"{}"`` or ``""``.

    Examples
    --------
    >>> parse_coalition("{DEU, FRA}"), parse_coalition("{}")
    (('DEU', 'FRA'), ())
    """
    s = str(text).strip()
    if s.startswith("{") and s.endswith("}"):
        s = s[1:-1]
    parts = [p.strip() for p in s.split(",")] if s.strip() else []
    if any(p == "" for p in parts):
        raise GameError(f"coalition {text!r} has an empty player name; write e.g. 'A,B' or '{{}}'")
    return tuple(parts)


def read_game(path: str | Path, *, cost: bool | None = None) -> Game:
    """Read a game from a ``.json`` or ``.csv`` file.

    Parameters
    ----------
    path : file path.
    cost : the kind (True = cost game) for files that do not say it: CSV files
        are benefit games unless ``cost=True``; a JSON file's ``"kind"`` is used,
        and a ``cost`` that contradicts it is an error.

    Returns
    -------
    TabularGame, or DividendGame for JSON with ``"dividends"``.

    Raises
    ------
    GameError  naming the file and the coalition or line at fault.
    """
    path = Path(path)
    if not path.exists():
        raise GameError(f"game file {path} does not exist")
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return _read_json(path, cost)
        if suffix == ".csv":
            return read_csv_game(path, bool(cost))
    except GameError as exc:
        raise GameError(f"{path}: {exc}") from None
    raise GameError(f"game file {path} must end in .json or .csv (got {suffix or 'no suffix'!r})")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """json object hook: a key given twice is an error (json would keep the last silently)."""
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise GameError(
                f"the key {key!r} is given twice in one JSON object (JSON keeps only the last "
                "value); give each coalition (and each field) once"
            )
        out[key] = value
    return out


def _read_json(path: Path, cost: bool | None) -> Game:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"), object_pairs_hook=_unique_keys)
    except UnicodeDecodeError as exc:
        raise GameError(
            f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from None
    except json.JSONDecodeError as exc:
        raise GameError(f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(doc, dict):
        raise GameError("the JSON must be an object with 'values' (or 'dividends')")
    kind = doc.get("kind", "benefit")
    if kind not in ("benefit", "cost"):
        raise GameError(f"'kind' is {kind!r}; it must be 'benefit' or 'cost'")
    if cost is not None and "kind" in doc and (kind == "cost") != bool(cost):
        flag = "cost=True (--cost)" if cost else "cost=False"
        raise GameError(
            f'the file says "kind": "{kind}" but {flag} was given; remove one of them '
            "(a game's kind is not overridden silently)"
        )
    is_cost = (kind == "cost") if cost is None else bool(cost)
    if ("values" in doc) == ("dividends" in doc):
        raise GameError("give exactly one of 'values' (a table) or 'dividends'")
    key = "values" if "values" in doc else "dividends"
    raw = doc[key]
    pairs: list[tuple[tuple[Hashable, ...], object]] = []
    if isinstance(raw, dict):
        for k, val in raw.items():
            pairs.append((parse_coalition(k), val))
    elif isinstance(raw, list):
        for pos, entry in enumerate(raw):
            if not isinstance(entry, dict) or "coalition" not in entry or "value" not in entry:
                raise GameError(
                    f"'{key}' entry {pos} is {entry!r}; each entry needs 'coalition' and 'value'"
                )
            coal = entry["coalition"]
            if isinstance(coal, str):
                coal = parse_coalition(coal)
            if not isinstance(coal, list | tuple):
                raise GameError(f"'{key}' entry {pos}: coalition {coal!r} must be a list of names")
            odd = next(
                (m for m in coal if isinstance(m, bool) or not isinstance(m, str | int)), None
            )
            if odd is not None:
                raise GameError(
                    f"'{key}' entry {pos}: coalition member {odd!r} is not a player name; a "
                    'coalition is a flat list of names, e.g. ["A", "B"]'
                )
            pairs.append((tuple(coal), entry["value"]))
    else:
        raise GameError(f"'{key}' must be a list of {{coalition, value}} objects or an object")
    where = (
        [f"'{key}' key {k!r}" for k in raw]
        if isinstance(raw, dict)
        else [f"'{key}' entry {pos}" for pos in range(len(raw))]
    )
    _check_listed_once(pairs, where)
    players = doc.get("players")
    if players is None and key == "dividends":  # every named player, in order of appearance
        players = list(dict.fromkeys(p for coal, _ in pairs for p in coal))
    elif players is None:
        players = _infer_players(pairs)
    elif not isinstance(players, list):
        raise GameError(f"'players' must be a list of names; got {players!r}")
    pairs = [(c, _number(v, c)) for c, v in pairs]
    if key == "dividends":
        return DividendGame(players, pairs, cost=is_cost)
    return TabularGame(players, pairs, cost=is_cost)


def _infer_players(pairs: list[tuple[tuple[Hashable, ...], object]]) -> list[Hashable]:
    if not pairs:
        raise GameError("no coalitions given")
    grand = max(pairs, key=lambda p: len(set(p[0])))[0]
    players = list(dict.fromkeys(grand))
    known = set(players)
    for coal, _ in pairs:
        unknown = [p for p in coal if p not in known]
        if unknown:
            raise GameError(
                f"player {unknown[0]!r} in coalition {{{','.join(map(str, coal))}}} is not in the "
                f"grand coalition {{{','.join(map(str, players))}}}; fix the name or add the "
                "grand coalition"
            )
    return players


def _check_listed_once(pairs: list[tuple[tuple[Hashable, ...], object]], where: list[str]) -> None:
    """Raise GameError, naming the line (CSV) or entry (JSON), for a coalition that lists a
    player twice or a coalition given twice (in any member order)."""
    first: dict[frozenset, str] = {}
    for (coal, _), here in zip(pairs, where, strict=True):
        name = "{" + ",".join(map(str, coal)) + "}"
        dup = next((p for k, p in enumerate(coal) if p in coal[:k]), None)
        if dup is not None:
            raise GameError(
                f"{here}: player {dup!r} appears twice in coalition {name}; list each member once"
            )
        key = frozenset(coal)
        if key in first:
            raise GameError(
                f"{here}: coalition {name} is given twice (also at {first[key]}); list each "
                "coalition once (the order of its members does not matter)"
            )
        first[key] = here


def _number(val: object, coal: tuple, line: int | None = None) -> float:
    where = f"line {line}: " if line is not None else ""
    name = "{" + ",".join(map(str, coal)) + "}"
    if isinstance(val, bool):
        raise GameError(f"{where}value of coalition {name} is {val!r}, not a number")
    try:
        out = float(val)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise GameError(f"{where}value of coalition {name} is {val!r}, not a number") from None
    if not math.isfinite(out):
        raise GameError(f"{where}value of coalition {name} is {val!r}; values must be finite")
    return out


def write_game(game: Game, path: str | Path) -> Path:
    """Write a game to ``.json`` or ``.csv`` (all 2^n coalitions; dividend games
    as JSON keep their sparse dividends).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> g = TabularGame(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 6})
    >>> p = write_game(g, pathlib.Path(tempfile.mkdtemp()) / "g.csv")
    >>> read_game(p).value(["A", "B"])
    6.0
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        raise GameError(f"write_game: {path} must end in .json or .csv")
    for p in game.players:
        if not isinstance(p, str) or "," in p or "{" in p or "}" in p or p != p.strip():
            raise GameError(
                f"player name {p!r} cannot be written to a game file; names must be strings "
                "without commas, braces or surrounding spaces"
            )
    if suffix == ".json":
        doc: dict[str, object] = {"players": list(game.players), "kind": game.kind}
        if isinstance(game, DividendGame) and not isinstance(game, TabularGame):
            doc["dividends"] = [
                {"coalition": list(c), "value": v} for c, v in game.dividends().items()
            ]
        else:
            table = game.table()
            doc["values"] = [
                {"coalition": list(game.members(m)), "value": float(table[m])}
                for m in range(1, 1 << game.n)
            ]
        path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
        return path
    if game.cost:
        logger.warning(
            "%s: a CSV game file has no 'kind'; this cost game must be read back with "
            "read_game(path, cost=True) or `--cost` (JSON keeps the kind)",
            path,
        )
    table = game.table()
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["coalition", "value"])
        for m in range(1 << game.n):
            writer.writerow([",".join(game.members(m)) if m else "{}", repr(float(table[m]))])
    return path
