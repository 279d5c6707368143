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

IO_CASES: list[Case] = []


@pytest.mark.parametrize("case", IO_CASES, ids=lambda c: c.id)
def test_io_inputs(case, tmp_path, capsys):
    _check(case, tmp_path, capsys)


# --- panels, configs, studies, sweep, data: `run alliances|principles`, `data`, `sweep` --------


def _panel_csv(rows: list[str], header: str = "iso3,year,population,co2_t,gdp_usd") -> str:
    return "\n".join([header, *rows]) + "\n"


def _full_panel(countries: list[str], years: range = range(1990, 2020)) -> str:
    """A wide panel with every column the default principles study needs."""
    rows = [f"{c},{y},1e6,2e6,3e9,4e9" for c in countries for y in years]
    return _panel_csv(rows, "iso3,year,population,co2_t,gdp_usd,gni_ppp")


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
       _panel_csv(["USA,2019,1,2,3", "USA ,2019,1,2,3"]), ("USA", "appears twice")),
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
       ("gni_ppp", "PPP")),
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
