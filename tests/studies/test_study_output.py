"""Atomic study output (studies.common.study_output), the output check, and Ctrl-C.

An interrupted or failed run never leaves a folder that looks complete, and two
runs never mix in one folder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from carbonshare.cli import main
from carbonshare.errors import ConfigError
from carbonshare.studies.common import Manifest, check_output_dir, study_output, write_study

FEW = "data:\n  entities: [CHN, USA, IND, RUS, JPN, DEU, BRA, NGA, ZAF, FRA]\n"


def _write_run(folder: Path, files: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths.append(path)
    return [*paths, Manifest("demo").write(folder)]


def _partials(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if ".partial-" in p.name or ".old-" in p.name]


def test_rerun_replaces_the_whole_folder(tmp_path):
    out = tmp_path / "out"
    write_study(out, lambda d: _write_run(d, {"tables/a.csv": "1", "figures/f.png": "png"}))
    paths = write_study(out, lambda d: _write_run(d, {"tables/a.csv": "2"}))
    # a re-run without figures leaves no figure of the earlier run
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "manifest.json",
        "tables/a.csv",
    ]
    assert paths == [out / "tables/a.csv", out / "manifest.json"]
    assert json.loads((out / "manifest.json").read_text())["complete"] is True
    assert _partials(tmp_path) == []


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_failed_write_leaves_the_earlier_run_untouched(tmp_path, error):
    out = tmp_path / "out"
    write_study(out, lambda d: _write_run(d, {"tables/a.csv": "old"}))

    def failing(folder: Path) -> list[Path]:
        (folder / "tables").mkdir()
        (folder / "tables" / "a.csv").write_text("new, half written")
        raise error

    with pytest.raises(type(error)):
        write_study(out, failing)
    assert (out / "tables" / "a.csv").read_text() == "old"
    assert _partials(tmp_path) == []


def test_failed_first_write_leaves_no_folder(tmp_path):
    with pytest.raises(RuntimeError), study_output(tmp_path / "out") as tmp:
        (tmp / "table.csv").write_text("partial")
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


def test_a_write_without_manifest_is_not_complete(tmp_path):
    with pytest.raises(Exception, match="no manifest.json"):
        write_study(tmp_path / "out", lambda d: [])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("make", "target", "message"),
    [
        (lambda t: (t / "f").write_text("x"), "f", "is an existing file"),
        (lambda t: (t / "f").write_text("x"), "f/sub/out", "which is a file"),
        (lambda t: (t / "mine").mkdir() or (t / "mine" / "paper.tex").write_text("x"), "mine",
         r"not a carbonshare study output \(e\.g\. paper\.tex\)"),
    ],
)  # fmt: skip
def test_check_output_dir_refuses(tmp_path, make, target, message):
    make(tmp_path)
    with pytest.raises(ConfigError, match=message):
        check_output_dir(tmp_path / target)


def test_check_output_dir_unwritable():
    with pytest.raises(ConfigError, match=r"--out /proc/x/y cannot be written"):
        check_output_dir("/proc/x/y")


def test_output_checked_before_computing(tmp_path, monkeypatch, capsys):
    import carbonshare.studies.principles as study

    def never(*args, **kwargs):
        raise AssertionError("the study ran although --out cannot be written")

    monkeypatch.setattr(study, "_load", never)
    (tmp_path / "f").write_text("x")
    assert main(["run", "principles", "--out", str(tmp_path / "f" / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --out") and err.count("\n") == 1


def test_keyboard_interrupt_exits_130_with_one_line(tmp_path, monkeypatch, capsys):
    import carbonshare.studies.principles as study

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(study, "_load", interrupted)
    assert main(["run", "principles", "--out", str(tmp_path / "out")]) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "interrupted" in err
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- a real Ctrl-C


def _start(tmp_path: Path, out: Path, *extra: str) -> subprocess.Popen:
    cfg = tmp_path / "few.yaml"
    cfg.write_text(FEW)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    args = ["run", "principles", "-c", str(cfg), "--out", str(out), *extra]
    # Ctrl-C as at a terminal: a test run started in the background (e.g. `cmd &` in a script)
    # ignores SIGINT, and a child inherits that; the child restores Python's handler first.
    child = (
        "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        f"sys.argv = ['carbonshare', *{args!r}]; runpy.run_module('carbonshare', "
        "run_name='__main__')"
    )
    return subprocess.Popen(
        [sys.executable, "-c", child],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _interrupt_while_writing(proc: subprocess.Popen, parent: Path, name: str) -> tuple[int, str]:
    """Send SIGINT once the run writes into its temporary folder (figures take seconds)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        partial = [p for p in parent.glob(f".{name}.partial-*") if (p / "tables").is_dir()]
        if partial:
            time.sleep(0.3)
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


def test_sigint_while_writing_leaves_no_folder(tmp_path):
    out = tmp_path / "res"
    code, err = _interrupt_while_writing(_start(tmp_path, out), tmp_path, "res")
    assert code == 130, err
    assert "interrupted" in err.splitlines()[-1] and "Traceback" not in err
    assert not out.exists()
    assert _partials(tmp_path) == []


def test_sigint_during_a_rerun_keeps_the_earlier_complete_run(tmp_path):
    out = tmp_path / "res"
    first = _start(tmp_path, out)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    before = json.loads((out / "manifest.json").read_text())
    figures = sorted(p.name for p in (out / "figures").iterdir())
    code, _ = _interrupt_while_writing(_start(tmp_path, out), tmp_path, "res")
    assert code == 130
    after = json.loads((out / "manifest.json").read_text())
    assert after == before and after["complete"] is True
    assert sorted(p.name for p in (out / "figures").iterdir()) == figures
    assert _partials(tmp_path) == []
    # a finished re-run with --no-figures leaves none of the earlier figures
    rerun = _start(tmp_path, out, "--no-figures")
    assert rerun.wait(timeout=300) == 0
    assert not (out / "figures").exists()
    assert "figures" not in json.dumps(json.loads((out / "manifest.json").read_text())["outputs"])


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc (Linux)")
def test_sigint_while_the_figure_process_draws_leaves_no_folder_and_no_process(tmp_path):
    """The alliance study draws its figures in a helper process (carbonshare.report.offload):
    Ctrl-C while it draws still leaves no folder, one line, and no process behind."""
    out = tmp_path / "res"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    env.pop("CARBONSHARE_FIGURE_PROCESS", None)
    args = ["run", "alliances", "--samples", "0", "--out", str(out)]
    child = (
        "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        f"sys.argv = ['carbonshare', *{args!r}]; runpy.run_module('carbonshare', "
        "run_name='__main__')"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", child], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    helpers: set[int] = set()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        helpers.update(_children(proc.pid))
        if [p for p in tmp_path.glob(".res.partial-*") if (p / "tables").is_dir()]:
            break
        time.sleep(0.05)
    helpers.update(_children(proc.pid))
    assert proc.poll() is None, "the run ended before it could be interrupted"
    assert helpers, "no figure process was started"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err.splitlines()[-1] and "Traceback" not in err
    assert not out.exists() and _partials(tmp_path) == []
    time.sleep(0.5)
    assert [pid for pid in helpers if _alive(pid)] == []
