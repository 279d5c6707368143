"""Package-level guarantees: version, light import, README/CI agreement, CLI errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import carbonshare
from carbonshare.cli import main

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "plotly", "geopandas", "statsmodels", "networkx")


def test_version_is_pep440():
    assert re.fullmatch(r"\d+\.\d+\.\d+([ab]\d+|rc\d+)?", carbonshare.__version__)


def test_cli_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"carbonshare {carbonshare.__version__}"


@pytest.mark.parametrize(
    ("args", "code", "stream", "text"),
    [
        (["--version"], 0, "stdout", f"carbonshare {carbonshare.__version__}"),
        (["no-such-command"], 2, "stderr", "No such command"),
        (["game", "check", "missing.json"], 2, "stderr", "error:"),
    ],
)
def test_the_command_exits_with_main_s_code_and_flushed_output(args, code, stream, text):
    """`python -m carbonshare` ends with os._exit (no interpreter teardown): the exit code is
    main's and nothing printed is lost, into a pipe too."""
    done = subprocess.run([sys.executable, "-m", "carbonshare", *args], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == code, done.stderr
    assert text in getattr(done, stream)


def test_import_is_light():
    """`import carbonshare` must not pull in the heavy scientific stack."""
    code = f"import sys, carbonshare; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def _readme_command(label: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(label, 1)[1]
    return re.search(r"```(?:bash|sh)?\n(.+?)\n```", block, re.S).group(1).strip()


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = _readme_command("<!-- test-command -->")
    assert command in ci.splitlines()


def test_readme_run_command_runs_the_main_study():
    command = _readme_command("<!-- run-command -->")
    assert "carbonshare run alliances" in command


def test_unknown_command_is_a_usage_error(capsys):
    assert main(["no-such-command"]) == 2
    assert "No such command" in capsys.readouterr().err
