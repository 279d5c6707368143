"""Hostile inputs: every entry point answers bad input with one clear line.

Each case runs the command line in-process (``carbonshare.cli.main``) on files it
writes into ``tmp_path`` and asserts three things:

1. the exit code (2 for a carbonshare error, 130 for an interrupt, 0 where the
   input is an accepted alternative);
2. that the message names the culprit (every string in ``expect`` appears in
   stderr, case-insensitively) and is a single line with no traceback;
3. that no partial or stale output is left: the ``--out`` target (if any) does
   not exist afterwards unless the case says the run succeeds.

The cases are grouped by area so that each area's owner edits one list only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from carbonshare.cli import main


@dataclass(frozen=True)
class Case:
    """One hostile input.

    ``files`` maps a file name to its content (str is written as UTF-8 text,
    bytes as they are); ``argv`` may use ``{tmp}`` for the case's folder and
    ``{out}`` for an output path that must not appear when ``code != 0``.
    """

    id: str
    argv: tuple[str, ...]
    expect: tuple[str, ...]
    code: int = 2
    files: dict[str, str | bytes] = field(default_factory=dict)


def _run(case: Case, tmp_path: Path, capsys) -> tuple[int, str]:
    for name, content in case.files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    argv = [a.format(tmp=tmp_path, out=out) for a in case.argv]
    code = main(argv)
    err = capsys.readouterr().err
    if case.code != 0:
        assert not out.exists(), f"{case.id}: a failed run left {out}"
    return code, err


def _check(case: Case, tmp_path: Path, capsys) -> None:
    code, err = _run(case, tmp_path, capsys)
    assert code == case.code, f"{case.id}: exit {code}, stderr: {err}"
    if case.code != 0:
        assert "Traceback" not in err, err
        lines = [line for line in err.splitlines() if line.startswith("error:")]
        assert len(lines) == 1, f"{case.id}: expected one error line, got: {err!r}"
    for word in case.expect:
        assert word.lower() in err.lower(), f"{case.id}: {word!r} not in {err!r}"


# --- games: `carbonshare game ...` -------------------------------------------------------------

_MAJ = 'coalition,value\n{},0\nA,0\nB,0\nC,0\n"A,B",1\n"A,C",1\n"B,C",1\n"A,B,C",1\n'
_MAJ_JSON = '{"values": {"A": 0, "B": 0, "C": 0, "A,B": 1, "A,C": 1, "B,C": 1, "A,B,C": 1}}'


def _solve(*args: str, game: str = "g.csv") -> tuple[str, ...]:
    return ("game", "solve", f"{{tmp}}/{game}", *args)


def _game(name: str, content: str | bytes, argv: tuple[str, ...], expect, code: int = 2, **files):
    return Case(name, argv, tuple(expect), code, {argv[2].split("/")[-1]: content, **files})


GAME_CASES: list[Case] = [
    # -- table files: missing, duplicated, unknown, non-finite ----------------------------------
    _game("missing-coalition", 'coalition,value\nA,1\n"A,B",3\n', _solve(), ["no value", "{B}"]),
    _game(
        "unknown-player",
        'coalition,value\nA,1\nB,2\nC,1\n"A,B",3\n',
        _solve(),
        ["line 4", "player 'C'", "not in the grand coalition {A,B}"],
    ),
    _game(
        "duplicate-coalition-reordered",
        'coalition,value\nA,1\nB,2\n"A,B",3\n"B,A",4\n',
        _solve(),
        ["line 5", "{B,A} is given twice", "line 4"],
    ),
    _game(
        "player-twice-in-a-coalition",
        'coalition,value\nA,1\nB,2\n"A,A",3\n"A,B",3\n',
        _solve(),
        ["line 4", "player 'A' appears twice"],
    ),
    _game("nan-value", 'coalition,value\nA,1\nB,nan\n"A,B",3\n', _solve(), ["line 3", "'nan'"]),
    _game("inf-value", 'coalition,value\nA,1\nB,-inf\n"A,B",3\n', _solve(), ["{B}", "'-inf'"]),
    _game(
        "text-value",
        'coalition,value\nA,1\nB,two\n"A,B",3\n',
        _solve(),
        ["line 3", "'two'", "not a number"],
    ),
    _game(
        "nonzero-empty-coalition",
        'coalition,value\n{},5\nA,1\nB,2\n"A,B",3\n',
        _solve(),
        ["v({}) = 5.0", "must have value 0"],
    ),
    _game(
        "value-near-float-limit",
        'coalition,value\nA,1\nB,2\n"A,B",1.5e308\n',
        _solve("-s", "nucleolus"),
        ["{A,B}", "1.5e+308", "larger units"],
    ),
    _game(
        "empty-imputation-set",
        'coalition,value\nA,2\nB,2\n"A,B",3\n',
        _solve("-s", "nucleolus"),
        ["imputation set is empty", "prenucleolus"],
    ),
    _game(
        "too-many-players-for-a-table",
        "coalition,value\n"
        + "".join(f"P{k},1\n" for k in range(26))
        + '"'
        + ",".join(f"P{k}" for k in range(26))
        + '",30\n',
        _solve(),
        ["26 players", "at most 25"],
    ),
    # -- file format ----------------------------------------------------------------------------
    _game("empty-file", "", _solve(), ["the CSV is empty"]),
    _game("header-only", "coalition,value\n", _solve(), ["no coalitions"]),
    _game("wrong-header", "set,worth\nA,1\n", _solve(), ["'set,worth'", "'coalition' and 'value'"]),
    _game(
        "unquoted-multi-member-coalition",
        "coalition,value\nA,1\nB,2\nA,B,3\n",
        _solve(),
        ["line 4 has 3 fields", '"A,B",3'],
    ),
    _game(
        "space-separated-members",
        "coalition,value\nA,1\nB,1\nC,1\nA B,2\nA C,2\nB C,2\nA B C,4\n",
        _solve(),
        ["no coalition has more than one member", "'A B'", '"A,B"'],
    ),
    _game(
        "semicolon-separated-members",
        'coalition,value\nA,1\nB,1\nA;B,2\n"A,B",2\n',
        _solve(),
        ["line 4", "'A;B'", "separated by commas"],
    ),
    _game(
        "latin-1-csv",
        'coalition,value\nA,1\nB,2\n"A,B",3\nCaf\xe9,1\n'.encode("latin-1"),
        _solve(),
        ["line 5", "not UTF-8", "Latin-1"],
    ),
    _game("xlsx-passed-as-csv", b"PK\x03\x04" + bytes(60), _solve(), ["Excel workbook", "CSV"]),
    _game("binary-file", b"\x00\x01\x02coalition", _solve(), ["binary file"]),
    _game("xlsx-suffix", "x", _solve(game="g.xlsx"), ["g.xlsx", "must end in .json or .csv"]),
    Case("game-file-missing", _solve(game="nope.csv"), ("nope.csv", "does not exist")),
    # -- JSON -----------------------------------------------------------------------------------
    _game(
        "json-duplicate-key",
        '{"values": {"A": 1, "B": 2, "A,B": 3, "A,B": 4}}',
        _solve(game="g.json"),
        ["'A,B'", "given twice", "keeps only the last"],
    ),
    _game(
        "json-latin-1",
        '{"values": {"Caf\xe9": 1}}'.encode("latin-1"),
        _solve(game="g.json"),
        ["g.json", "not UTF-8", "0xe9"],
    ),
    _game(
        "cost-flag-against-benefit-kind",
        '{"kind": "benefit", "values": {"A": 1, "B": 1, "A,B": 3}}',
        _solve("--cost", game="g.json"),
        ['"kind": "benefit"', "--cost"],
    ),
    _game("json-invalid", '{"values": {"A": 1,', _solve(game="g.json"), ["not valid JSON"]),
    _game(
        "json-bad-kind",
        '{"kind": "profit", "values": {"A": 1}}',
        _solve(game="g.json"),
        ["'kind' is 'profit'", "'benefit' or 'cost'"],
    ),
    _game(
        "json-string-players-integer-coalitions",
        '{"players": ["1", "2"], "values": [{"coalition": [1], "value": 1}, '
        '{"coalition": [2], "value": 1}, {"coalition": [1, 2], "value": 3}]}',
        _solve(game="g.json"),
        ["unknown player 1", "the player is '1', a str"],
    ),
    _game(
        "json-nested-coalition",
        '{"values": [{"coalition": [["A", "B"]], "value": 1}]}',
        _solve(game="g.json"),
        ["entry 0", "['A', 'B']", "flat list"],
    ),
    _game(
        "json-values-and-dividends",
        '{"values": {"A": 1}, "dividends": {"A": 1}}',
        _solve(game="g.json"),
        ["exactly one of 'values'"],
    ),
    _game(
        "json-duplicate-dividend",
        '{"dividends": [{"coalition": ["A", "B"], "value": 1}, '
        '{"coalition": ["B", "A"], "value": 2}]}',
        _solve(game="g.json"),
        ["entry 1", "{B,A} is given twice"],
    ),
    # -- options --------------------------------------------------------------------------------
    _game(
        "misspelt-solution", _MAJ, _solve("-s", "shaply"), ["'shaply'", "did you mean 'shapley'"]
    ),
    _game(
        "misspelt-scheme",
        _MAJ,
        _solve("--samples", "50", "--scheme", "antithetik"),
        ["--scheme 'antithetik'", "did you mean 'antithetic'"],
    ),
    _game("owen-without-unions", _MAJ, _solve("-s", "owen"), ["needs --unions"]),
    _game("unions-for-shapley", _MAJ, _solve("--unions", "{tmp}/u.csv"), ["--unions is only used"]),
    _game(
        "seed-without-samples", _MAJ, _solve("--seed", "3"), ["--seed only applies with --samples"]
    ),
    _game(
        "samples-for-nucleolus",
        _MAJ,
        _solve("-s", "nucleolus", "--samples", "100"),
        ["--samples applies to shapley and owen"],
    ),
    _game("too-few-samples", _MAJ, _solve("--samples", "1"), ["samples=1", "at least 2"]),
    _game(
        "normalized-for-shapley", _MAJ, _solve("--normalized"), ["--normalized applies to banzhaf"]
    ),
    _game("out-without-suffix", _MAJ, _solve("--out", "{out}"), ["--out", "must end in .csv"]),
    _game(
        "out-in-missing-folder",
        _MAJ,
        _solve("--out", "{out}/x/a.json"),
        ["folder", "does not exist"],
    ),
    _game(
        "out-under-a-file",
        _MAJ,
        _solve("--out", "{tmp}/g.csv/a.json"),
        ["g.csv", "is a file, not a folder"],
    ),
    _game(
        "out-is-a-folder",
        _MAJ,
        _solve("--out", "{tmp}/d.json"),
        ["d.json", "is a folder"],
        **{"d.json/keep.txt": "x"},
    ),
    _game(
        "out-under-proc",
        _MAJ,
        _solve("-s", "nucleolus", "--out", "/proc/a.json"),
        ["/proc", "cannot write"],
    ),
    # -- unions files ---------------------------------------------------------------------------
    _game(
        "unions-file-missing",
        _MAJ,
        _solve("-s", "owen", "--unions", "{tmp}/none.csv"),
        ["none.csv", "does not exist"],
    ),
    _game(
        "unions-unknown-player",
        _MAJ,
        _solve("-s", "owen", "--unions", "{tmp}/u.csv"),
        ["player 'Z'", "not a player of the game"],
        **{"u.csv": "player,union\nA,X\nB,X\nC,Y\nZ,Y\n"},
    ),
    _game(
        "unions-overlap",
        _MAJ,
        _solve("-s", "two-stage", "--unions", "{tmp}/u.json"),
        ["player 'B'", "must not overlap"],
        **{"u.json": '[["A", "B"], ["B", "C"]]'},
    ),
    _game(
        "unions-miss-a-player",
        _MAJ,
        _solve("-s", "owen", "--unions", "{tmp}/u.json"),
        ["in no union", "'C'"],
        **{"u.json": '{"X": ["A", "B"]}'},
    ),
    _game(
        "unions-json-wrong-shape",
        _MAJ,
        _solve("-s", "owen", "--unions", "{tmp}/u.json"),
        ["unions JSON must map union", '[["A", "B"], ["C"]]'],
        **{"u.json": '{"X": "A"}'},
    ),
    _game(
        "unions-csv-empty-union",
        _MAJ,
        _solve("-s", "owen", "--unions", "{tmp}/u.csv"),
        ["line 3", "empty 'union'"],
        **{"u.csv": "player,union\nA,X\nB,\nC,Y\n"},
    ),
    _game(
        "unions-csv-latin-1",
        _MAJ,
        _solve("-s", "owen", "--unions", "{tmp}/u.csv"),
        ["u.csv", "not UTF-8"],
        **{"u.csv": "player,union\nA,\xc9U\nB,\xc9U\nC,Y\n".encode("latin-1")},
    ),
    # -- accepted alternatives (exit 0) ---------------------------------------------------------
    _game(
        "unions-as-list-of-lists",
        _MAJ,
        _solve("-s", "owen", "--unions", "{tmp}/u.json"),
        [],
        code=0,
        **{"u.json": '[["A", "B"], ["C"]]'},
    ),
    _game(
        "semicolon-delimited-file",
        "coalition;value\nA;1\nB;2\nA,B;6\n",
        _solve(),
        [],
        code=0,
    ),
    _game(
        "check-a-large-dividend-game",
        '{"dividends": {' + ", ".join(f'"P{k},P{k + 1}": 1' for k in range(29)) + "}}",
        ("game", "check", "{tmp}/g.json"),
        [],
        code=0,
    ),
    _game("game-json-for-check", _MAJ_JSON, ("game", "check", "{tmp}/g.json"), [], code=0),
]


@pytest.mark.parametrize("case", GAME_CASES, ids=lambda c: c.id)
def test_game_inputs(case, tmp_path, capsys):
    _check(case, tmp_path, capsys)


# --- input-output tables: `carbonshare run responsibility ...` --------------------------------


def _io_table(**replace: str | bytes | None) -> dict[str, str | bytes]:
    """A small valid single-region table (flat labels) in ``t/``; ``replace`` swaps a file's
    content (``None`` removes it)."""
    files: dict[str, str | bytes | None] = {
        "Z.csv": ",agri,manu,power\nagri,10,20,5\nmanu,30,5,10\npower,5,15,10\n",
        "Y.csv": ",households,exports\nagri,50,15\nmanu,40,20\npower,60,10\n",
        "F.csv": ",agri,manu,power\nCO2,5,10,80\n",
        **replace,
    }
    return {f"t/{k}": v for k, v in files.items() if v is not None}


def _xlsx_bytes() -> bytes:
    import io

    import pandas as pd

    buf = io.BytesIO()
    pd.DataFrame({"agri": [1.0]}, index=["agri"]).to_excel(buf)
    return buf.getvalue()


_RUN_IO = ("run", "responsibility", "--out", "{out}", "--no-figures", "--no-report")
_TABLE = (*_RUN_IO, "--table", "{tmp}/t")
_NODES = "name,emissions,value_added\nmine,6,10\nmill,3,20\nshop,1,30\n"
_EDGES = "source,target,value\nmine,mill,10\nmill,shop,30\nshop,final consumer,60\n"
_CHAIN = (*_RUN_IO, "--chain", "{tmp}/nodes.csv", "--chain-edges", "{tmp}/edges.csv")

IO_CASES: list[Case] = [
    Case(
        "io-f-column-not-a-sector",
        _TABLE,
        ("manufacturing", "columns of F", "manu"),
        files=_io_table(**{"F.csv": ",agri,manufacturing,power\nCO2,5,10,80\n"}),
    ),
    Case(
        "io-f-column-missing",
        _TABLE,
        ("columns of F lack", "power"),
        files=_io_table(**{"F.csv": ",agri,manu\nCO2,5,10\n"}),
    ),
    Case(
        "io-f-column-repeated",
        _TABLE,
        ("F.csv", "'agri'", "more than once"),
        files=_io_table(**{"F.csv": ",agri,manu,power,agri\nCO2,5,10,80,1\n"}),
    ),
    Case(
        "io-f-stressor-repeated",
        _TABLE,
        ("stressor 'CO2' twice",),
        files=_io_table(**{"F.csv": ",agri,manu,power\nCO2,5,10,80\nCO2,1,1,1\n"}),
    ),
    Case(
        "io-z-row-repeated",
        _TABLE,
        ("'agri' appears twice",),
        files=_io_table(
            **{"Z.csv": ",agri,manu,power\nagri,10,20,5\nagri,30,5,10\npower,5,15,10\n"}
        ),
    ),
    Case(
        "io-z-not-square",
        _TABLE,
        ("not square", "3 rows but 4 columns", "'oil'"),
        files=_io_table(
            **{"Z.csv": ",agri,manu,power,oil\nagri,10,20,5,0\nmanu,30,5,10,0\npower,5,15,10,0\n"}
        ),
    ),
    Case(
        "io-z-columns-unknown",
        _TABLE,
        ("columns of Z", "'energy'"),
        files=_io_table(
            **{"Z.csv": ",agri,manu,energy\nagri,10,20,5\nmanu,30,5,10\npower,5,15,10\n"}
        ),
    ),
    Case(
        "io-y-row-unknown",
        _TABLE,
        ("rows of Y", "'manufacturing'"),
        files=_io_table(
            **{"Y.csv": ",households,exports\nagri,50,15\nmanufacturing,40,20\npower,60,10\n"}
        ),
    ),
    Case(
        "io-f-y-column-unknown",
        _TABLE,
        ("columns of F_Y", "'household'"),
        files=_io_table(**{"F_Y.csv": ",household,exports\nCO2,7,0\n"}),
    ),
    Case(
        "io-text-in-z",
        _TABLE,
        ("Z.csv", "row 'manu'", "column 'agri'", "'30 EUR'"),
        files=_io_table(
            **{"Z.csv": ",agri,manu,power\nagri,10,20,5\nmanu,30 EUR,5,10\npower,5,15,10\n"}
        ),
    ),
    Case(
        "io-text-in-f",
        _TABLE,
        ("F.csv", "row 'CO2'", "column 'power'", "'80 kt'"),
        files=_io_table(**{"F.csv": ",agri,manu,power\nCO2,5,10,80 kt\n"}),
    ),
    Case(
        "io-empty-f-cell",
        _TABLE,
        ("F holds NaN", "power"),
        files=_io_table(**{"F.csv": ",agri,manu,power\nCO2,5,10,\n"}),
    ),
    Case(
        "io-negative-flow",
        _TABLE,
        ("negative", "manu -> region/agri"),
        files=_io_table(
            **{"Z.csv": ",agri,manu,power\nagri,10,20,5\nmanu,-30,5,10\npower,5,15,10\n"}
        ),
    ),
    Case(
        "io-zero-output-sector-with-emissions",
        _TABLE,
        ("gross output of region/power is 0", "direct emissions 80", "cannot simply be removed"),
        files=_io_table(
            **{
                "Z.csv": ",agri,manu,power\nagri,10,20,0\nmanu,30,5,0\npower,0,0,0\n",
                "Y.csv": ",households,exports\nagri,50,15\nmanu,40,20\npower,0,0\n",
            }
        ),
    ),
    Case(
        "io-xlsx-saved-as-csv",
        _TABLE,
        ("Z.csv", "Excel workbook", "save it as CSV"),
        files=_io_table(**{"Z.csv": _xlsx_bytes()}),
    ),
    Case(
        "io-empty-y-file",
        _TABLE,
        ("Y.csv", "empty"),
        files=_io_table(**{"Y.csv": ""}),
    ),
    Case("io-no-y-block", _TABLE, ("no Y block",), files=_io_table(**{"Y.csv": None})),
    Case(
        "io-latin1-table",
        _TABLE,
        (),
        code=0,
        files=_io_table(
            **{
                "Z.csv": ",agri,m\xe9tal,power\nagri,10,20,5\nm\xe9tal,30,5,10\npower,5,15,10\n".encode(
                    "latin-1"
                ),
                "Y.csv": ",households,exports\nagri,50,15\nm\xe9tal,40,20\npower,60,10\n".encode(
                    "latin-1"
                ),
                "F.csv": ",agri,m\xe9tal,power\nCO2,5,10,80\n".encode("latin-1"),
            }
        ),
    ),
    Case("io-table-neither-bundled-nor-path", (*_RUN_IO, "--table", "de2019"), ("'de2019'",)),
    Case(
        "io-table-is-a-csv-file",
        (*_RUN_IO, "--table", "{tmp}/t/Z.csv"),
        ("Z.csv", "directory of CSV files"),
        files=_io_table(),
    ),
    Case(
        "io-table-xlsx-corrupt",
        (*_RUN_IO, "--table", "{tmp}/t.xlsx"),
        ("t.xlsx", "cannot be opened as an Excel workbook"),
        files={"t.xlsx": "agri,manu\n1,2\n"},
    ),
    Case(
        "io-unknown-stressor", (*_TABLE, "--stressor", "CH4"), ("'CH4'", "CO2"), files=_io_table()
    ),
    Case(
        "io-extraction-not-a-sector",
        (*_TABLE, "--config", "{tmp}/c.yaml"),
        ("extraction sector 'mining'", "'agri'"),
        files={**_io_table(), "c.yaml": "extraction: [mining]\n"},
    ),
    Case(
        "io-meta-json-invalid",
        _TABLE,
        ("meta.json", "not valid JSON"),
        files=_io_table(**{"meta.json": "{name: t}"}),
    ),
    Case(
        "io-chain-edge-repeated",
        _CHAIN,
        ("edge mine -> mill is given twice", "edges.csv"),
        files={"nodes.csv": _NODES, "edges.csv": _EDGES + "mine,mill,5\n"},
    ),
    Case(
        "io-chain-node-repeated",
        _CHAIN,
        ("node name(s) ['mine']", "more than once"),
        files={"nodes.csv": _NODES + "mine,1,1\n", "edges.csv": _EDGES},
    ),
    Case(
        "io-chain-edge-target-unknown",
        _CHAIN,
        ("edge target 'mil'",),
        files={"nodes.csv": _NODES, "edges.csv": _EDGES.replace("mine,mill", "mine,mil")},
    ),
    Case(
        "io-chain-text-value",
        _CHAIN,
        ("edges.csv", "mill -> shop", "'thirty'"),
        files={"nodes.csv": _NODES, "edges.csv": _EDGES.replace("30", "thirty")},
    ),
    Case(
        "io-chain-text-emissions",
        _CHAIN,
        ("nodes.csv", "row 'mill'", "'3 t'"),
        files={"nodes.csv": _NODES.replace("mill,3", "mill,3 t"), "edges.csv": _EDGES},
    ),
    Case(
        "io-chain-xlsx-saved-as-csv",
        _CHAIN,
        ("nodes.csv", "Excel workbook"),
        files={"nodes.csv": _xlsx_bytes(), "edges.csv": _EDGES},
    ),
    Case(
        "io-chain-csv-without-edges",
        (*_RUN_IO, "--chain", "{tmp}/nodes.csv"),
        ("--chain-edges",),
        files={"nodes.csv": _NODES},
    ),
    Case(
        "io-chain-missing-column",
        _CHAIN,
        ("nodes.csv", "['emissions']"),
        files={"nodes.csv": _NODES.replace("emissions", "co2"), "edges.csv": _EDGES},
    ),
    Case(
        "io-chain-json-invalid",
        (*_RUN_IO, "--chain", "{tmp}/chain.json"),
        ("chain.json", "not valid JSON"),
        files={"chain.json": '{"nodes": [}'},
    ),
    Case(
        "io-chain-latin1",
        _CHAIN,
        (),
        code=0,
        files={
            "nodes.csv": _NODES.replace("mill", "m\xfchle").encode("latin-1"),
            "edges.csv": _EDGES.replace("mill", "m\xfchle").encode("latin-1"),
        },
    ),
]


@pytest.mark.parametrize("case", IO_CASES, ids=lambda c: c.id)
def test_io_inputs(case, tmp_path, capsys):
    _check(case, tmp_path, capsys)


# --- panels, configs, studies, sweep, data: `run alliances|principles`, `data`, `sweep` --------


def _panel_csv(rows: list[str], header: str = "iso3,year,population,co2_t,gdp_usd") -> str:
    return "\n".join([header, *rows]) + "\n"


def _full_panel(countries: list[str], years: range = range(1990, 2020)) -> str:
    """A wide panel with every column the default principles study needs."""
    rows = [f"{c},{y},1e6,2e6,3e9,4e9" for c in countries for y in years]
    return _panel_csv(rows, "iso3,year,population,co2_t,gdp_usd,gdp_ppp_usd")


def _xlsx(sheets: dict[str, dict[str, list]]) -> bytes:
    import io

    import pandas as pd

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, cols in sheets.items():
            pd.DataFrame(cols).to_excel(writer, sheet_name=name, index=False)
    return buf.getvalue()


_BOOK = _xlsx(
    {
        "README": {"about": ["carbon panel, see sheet data"]},
        "data": {"iso3": ["USA", "FRA"], "year": [2019, 2019], "population": [3.3e8, 6.7e7]},
    }
)
_PRINCIPLES = ("run", "principles", "--out", "{out}", "--panel")
_ALLIANCES = ("run", "alliances", "--out", "{out}")
_SWEEP = ("sweep", "alliances", "--scheduler", "serial", "--vary")


def _p(id, name, content, expect, *extra, code=2):
    """A `run principles --panel FILE` case."""
    return Case(id, (*_PRINCIPLES, f"{{tmp}}/{name}", *extra), expect, code, {name: content})


def _cfg(id, text, expect, study=_ALLIANCES):
    return Case(id, (*study, "--config", "{tmp}/c.yaml"), expect, 2, {"c.yaml": text})


STUDY_CASES: list[Case] = [
    # --- one validation path for user panels (issue 9, items 6, 13, 14) ---
    _p("two-spellings-of-one-country", "p.csv",
       _panel_csv(["USA,2019,1,2,3", "United States,2019,1,2,3"]), ("'USA'", "'United States'")),
    _p("trailing-space-splits-nothing", "p.csv",
       _panel_csv(["USA,2019,1,2,3", "USA ,2019,1,2,3"]), ("duplicate rows for USA", "USA ")),
    _p("iso2-iso3-mix-of-one-country", "p.csv",
       _panel_csv(["DE,2019,1,2,3", "DEU,2019,1,2,3"]), ("'DE'", "'DEU'")),
    _p("latin1-unknown-country", "p.csv",
       _panel_csv(["C\xf4te d'Ivoir,2019,1,2,3"]).encode("latin-1"), ("Ivoir",)),
    _p("xlsx-named-csv", "p.csv", _BOOK, ("p.csv", "Excel", "rename")),
    _p("year-FY1993", "p.csv", _panel_csv(["FRA,FY1993,1,2,3"]), ("FY1993", "FRA")),
    _p("text-in-numeric-cell", "p.csv",
       _panel_csv(["FRA,2019,abc,2,3", "DEU,2019,5,2,3"]), ("population", "'abc'", "FRA")),
    _p("decimal-comma-in-semicolon-file", "p.csv",
       "iso3;year;population\nFRA;2019;2,5\nDEU;2019;3\n", ("population", "'2,5'")),
    _p("first-sheet-is-readme", "p.xlsx", _BOOK, ("README", "--sheet", "'data'")),
    _p("unknown-sheet", "p.xlsx", _BOOK, ("nope", "README"), "--sheet", "nope"),
    _p("negative-population", "p.csv",
       _panel_csv(["FRA,2019,-5,2,3", "DEU,2019,5,2,3"]), ("population", "FRA", "-5")),
    _p("percent-of-8000", "p.csv",
       _panel_csv(["FRA,2019,8000", "DEU,2019,50"], "iso3,year,urban_pct"), ("urban_pct", "8000")),
    _p("unknown-country", "p.csv", _panel_csv(["Atlantis,2019,1,2,3"]), ("Atlantis",)),
    _p("no-country-column", "p.csv", "place,year,population\nX,2019,1\n",
       ("no country column", "place")),
    _p("no-year-column", "p.csv", "iso3,period,population\nFRA,2019,1\n", ("'year'", "period")),
    _p("empty-country-cell", "p.csv", _panel_csv(["FRA,2019,1,2,3", ",2019,1,2,3"]),
       ("row 3", "iso3")),
    Case("panel-file-missing", (*_PRINCIPLES, "{tmp}/none.csv"), ("none.csv", "not found")),
    _p("unknown-file-type", "p.json", "{}", ("p.json", "unknown file type")),
    _p("empty-file", "p.csv", "", ("p.csv", "not a readable CSV")),
    _p("binary-file-named-csv", "p.csv", b"\x00\x01\x02garbage\x00", ("p.csv", "not a text file")),
    _p("long-duplicate-row", "p.csv",
       "iso3,year,indicator,value\nFRA,2019,population,1\nFRA,2019,population,2\n",
       ("duplicate", "FRA")),
    _p("long-extra-column", "p.csv", "iso3,year,indicator,value,note\nFRA,2019,population,1,x\n",
       ("unexpected", "note")),
    _p("infinite-value", "p.csv", _panel_csv(["FRA,2019,inf,2,3", "DEU,2019,1,2,3"]),
       ("population", "not finite")),
    _p("single-entity", "p.csv", _full_panel(["FRA"]), ("1 entity", "FRA", "at least 2")),
    _p("window-outside-the-data", "p.csv", _full_panel(["FRA", "DEU"], range(2015, 2020)),
       ("co2_t", "2015-2019", "history_start to 2015")),
    _p("gdr-without-ppp-income", "p.csv",
       _panel_csv([f"{c},{y},1,2,3" for c in ("FRA", "DEU") for y in range(1990, 2020)]),
       ("gdp_ppp_usd", "PPP")),
    Case("sheet-without-panel", (*_ALLIANCES, "--sheet", "data"), ("--panel",)),
    # --- configs (items 8, 9) ---
    _cfg("exclude-typo", "countries:\n  exclude: [ZZZ]\n", ("countries.exclude", "ZZZ")),
    _cfg("only-typo", "countries:\n  only: [USA, ZZZ]\n", ("countries.only", "ZZZ")),
    _cfg("given-weights-ignored", "weights:\n  given: {POP: 1}\n", ("weights", "given")),
    _cfg("n-alliances-ignored", "alliances:\n  n_alliances: 5\n", ("n_alliances", "target")),
    _cfg("unknown-field", "weights:\n  methd: pca\n", ("weights.methd", "unknown field")),
    _cfg("yaml-syntax", "weights: [unclosed\n", ("c.yaml", "cannot be parsed")),
    _cfg("config-is-a-list", "- a\n- b\n", ("c.yaml", "not a mapping")),
    _cfg("window-reversed", "years:\n  mean: [2020, 2016]\n", ("years.mean", "2020")),
    Case("config-missing", (*_ALLIANCES, "--config", "{tmp}/none.yaml"), ("none.yaml", "exist")),
    _cfg("history-after-base", "history_start: 2030\n", ("history_start", "2030"),
         ("run", "principles", "--out", "{out}")),
    _cfg("unknown-rule", "rules:\n  - rule: sovereignty\n", ("sovereignty",),
         ("run", "principles", "--out", "{out}")),
    _cfg("reference-not-a-rule", "reference: nope\n", ("reference", "nope"),
         ("run", "principles", "--out", "{out}")),
    # --- output paths, checked before computing (item 12) ---
    Case("out-is-a-file", ("run", "alliances", "--out", "{tmp}/f.txt"), ("f.txt", "existing file"),
         files={"f.txt": "mine"}),
    Case("out-under-a-file", ("run", "principles", "--out", "{tmp}/f.txt/res"),
         ("f.txt", "is a file"), files={"f.txt": "mine"}),
    Case("out-under-proc", ("run", "alliances", "--out", "/proc/carbonshare-out"), ("/proc",)),
    Case("out-holds-other-files", ("run", "principles", "--out", "{tmp}/mine"),
         ("mine", "not a carbonshare study output"), files={"mine/thesis.tex": "x"}),
    # --- sweep ---
    Case("vary-unclosed-list", (*_SWEEP, "countries.only=[USA,CAN,MEX"), ("countries.only",
         "brackets")),
    Case("vary-unknown-field", (*_SWEEP, "weights.nope=1,2"), ("nope", "not a field")),
    Case("vary-bad-value", (*_SWEEP, "weights.method=magic"), ("weights.method", "magic")),
    Case("vary-no-equals", (*_SWEEP, "weights.method"), ("FIELD=",)),
    Case("vary-bad-scheduler", ("sweep", "alliances", "--scheduler", "mpi", "--vary",
         "weights.method=pca"), ("scheduler", "mpi")),
    Case("sweep-out-under-file", (*_SWEEP, "weights.method=pca", "--out", "{tmp}/f.txt/s"),
         ("f.txt", "is a file"), files={"f.txt": "mine"}),
    # --- data ---
    Case("info-years-reversed", ("data", "info", "--years", "2020-2016"), ("--years",)),
    Case("info-years-text", ("data", "info", "--years", "FY2016"), ("--years", "FY2016")),
    Case("export-extension-mismatch", ("data", "export", "--out", "{tmp}/x.parquet", "--format",
         "csv"), (".parquet", "csv")),
    Case("export-unknown-extension", ("data", "export", "--out", "{tmp}/x.json"), (".json",)),
    Case("export-out-is-folder", ("data", "export", "--out", "{tmp}/d"), ("is a folder",),
         files={"d/keep.txt": "x"}),
    Case("check-bad-entities", ("data", "check", "{tmp}/p.csv", "--entities", "planets"),
         ("--entities",), files={"p.csv": _panel_csv(["FRA,2019,1,2,3"])}),
    Case("check-parquet-holding-xlsx", ("data", "check", "{tmp}/p.parquet"), ("Excel",),
         files={"p.parquet": _BOOK}),
    # accepted alternatives (exit 0)
    Case("check-latin1", ("data", "check", "{tmp}/p.csv"), (), 0,
         {"p.csv": _panel_csv(["C\xf4te d'Ivoire,2019,1,2,3"]).encode("latin-1")}),
    Case("check-semicolon-namibia-na", ("data", "check", "{tmp}/p.csv"), (), 0,
         {"p.csv": "iso2;year;population\nNA;2019;2.5e6\nDE;2019;8.3e7\n"}),
    Case("check-named-sheet", ("data", "check", "{tmp}/p.xlsx", "--sheet", "data"), (), 0,
         {"p.xlsx": _BOOK}),
    Case("export-parquet-by-extension", ("data", "export", "--out", "{tmp}/x.parquet",
         "--indicators", "population"), (), 0),
]  # fmt: skip


@pytest.mark.parametrize("case", STUDY_CASES, ids=lambda c: c.id)
def test_study_inputs(case, tmp_path, capsys):
    _check(case, tmp_path, capsys)
