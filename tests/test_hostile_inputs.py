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

STUDY_CASES: list[Case] = []


@pytest.mark.parametrize("case", STUDY_CASES, ids=lambda c: c.id)
def test_study_inputs(case, tmp_path, capsys):
    _check(case, tmp_path, capsys)
