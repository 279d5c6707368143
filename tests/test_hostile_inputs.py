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

GAME_CASES: list[Case] = []


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

STUDY_CASES: list[Case] = []


@pytest.mark.parametrize("case", STUDY_CASES, ids=lambda c: c.id)
def test_study_inputs(case, tmp_path, capsys):
    _check(case, tmp_path, capsys)
