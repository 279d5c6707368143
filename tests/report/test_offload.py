"""FigureJobs: figures drawn in a helper process are the figures drawn here, errors surface."""

from __future__ import annotations

import logging
import sys
import time
import types

import pandas as pd
import pytest

from carbonshare.errors import DataError
from carbonshare.report import figures as F
from carbonshare.report import offload
from carbonshare.report.html import figure_png
from carbonshare.report.offload import FigureJobs


def _submit_all(jobs: FigureJobs, co2: pd.Series) -> None:
    jobs.submit("bars", F.bar, co2.head(8), title="bars", encode=F.figure_files)
    # an unknown code without a capital: a warning and meta["not_drawn"]
    odd = pd.concat([co2.head(40), pd.Series({"XXX": 1.0})])
    jobs.submit("map", F.choropleth, odd, title="map", encode=F.figure_files)
    jobs.submit("report png", F.bar, co2.head(5), encode=figure_png)


def test_helper_process_draws_the_same_bytes(co2_per_capita, caplog):
    with FigureJobs(process=False) as here:
        _submit_all(here, co2_per_capita)
        want = here.results()
    with FigureJobs(process=True) as there:
        assert there.process
        _submit_all(there, co2_per_capita)
        got = {key: there.result(key) for key in ("map", "bars", "report png")}
    assert list(want) == ["bars", "map", "report png"]
    for key, w in want.items():
        assert got[key].files == w.files, key
        assert got[key].meta == w.meta
        assert got[key].records == w.records
    assert sorted(want["bars"].files) == [".png", ".svg"] and list(want["report png"].files) == [""]
    assert want["map"].meta["not_drawn"] == ["XXX"]
    # the helper's warnings are emitted again in this process
    with caplog.at_level(logging.WARNING, logger="carbonshare"):
        got["map"].replay()
    assert "cannot be drawn" in caplog.text and "XXX" in caplog.text


def test_an_error_in_the_helper_surfaces_with_its_message():
    bad = pd.DataFrame({"a": [0.5], "b": [2.0], "c": [0.1]}, index=["AAA"])  # 2.0 > rmax
    with FigureJobs(process=True) as jobs:
        jobs.submit("radar", F.radar, bad, encode=F.figure_files)
        while "radar" not in jobs._futures:  # sent once the helper's imports end
            time.sleep(0.05)
        future = jobs._futures["radar"]
        while not future.done():  # drawn (and failed) in the helper, not taken back here
            time.sleep(0.05)
        with pytest.raises(DataError, match=r"radar value for 'AAA', 'b' is .*2\.0"):
            jobs.result("radar")


def test_a_dead_helper_process_means_drawing_here(co2_per_capita, caplog):
    import multiprocessing

    with FigureJobs(process=False) as here:
        _submit_all(here, co2_per_capita)
        want = here.results()
    with FigureJobs(process=True) as jobs:
        jobs.executor.submit(offload._ready).result()  # the helper is up ...
        for child in multiprocessing.active_children():
            child.kill()  # ... and killed (out of memory, say)
        time.sleep(0.5)
        with caplog.at_level(logging.WARNING, logger="carbonshare"):
            _submit_all(jobs, co2_per_capita)
            got = jobs.results()
    assert "figure process stopped" in caplog.text
    assert {k: r.files for k, r in got.items()} == {k: r.files for k, r in want.items()}


def test_one_core_or_the_switch_draws_here(monkeypatch):
    monkeypatch.setattr(offload, "available_cores", lambda: 1)
    assert FigureJobs().process is False  # no process started
    monkeypatch.setattr(offload, "available_cores", lambda: 2)
    monkeypatch.setenv(offload.ENV, "0")
    assert FigureJobs().process is False
    with FigureJobs(process=False) as jobs:
        jobs.submit("a", F.bar, pd.Series({"x": 1.0}), encode=F.figure_files)
        with pytest.raises(ValueError, match="submitted twice"):
            jobs.submit("a", F.bar, pd.Series({"x": 1.0}), encode=F.figure_files)


GUARDED = """\"\"\"A study script.\"\"\"
import sys

from carbonshare.studies.alliances import run_alliances

OUT = "out"


def main():
    run_alliances(out_dir=OUT)


if __name__ == "__main__":
    sys.exit(main())
"""


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        (GUARDED, True),
        ("from carbonshare.studies.alliances import run_alliances\nrun_alliances(out_dir='o')\n",
         False),
        (GUARDED.replace('OUT = "out"', "OUT = make_out()"), False),
        (GUARDED.replace('if __name__ == "__main__":', 'if __name__ != "__main__":'), False),
        ("def broken(:\n", False),
    ],
)  # fmt: skip
def test_a_script_that_would_run_again_is_drawn_here(tmp_path, monkeypatch, text, guarded):
    """A spawned process imports the main script: only a guarded one gets a helper process."""
    script = tmp_path / "study.py"
    script.write_text(text)
    main = types.SimpleNamespace(__spec__=None, __file__=str(script))
    assert offload.main_is_guarded(main) is guarded
    monkeypatch.setattr(offload, "available_cores", lambda: 2)
    monkeypatch.delenv(offload.ENV, raising=False)
    monkeypatch.setitem(sys.modules, "__main__", main)
    with FigureJobs() as jobs:
        assert jobs.process is guarded


def test_the_helper_process_runs_full_collections_rarely():
    """The helper sets the command's gc thresholds (carbonshare.runtime); this process keeps
    Python's (a library user's process is not the command's to tune)."""
    import gc

    from carbonshare.runtime import COMMAND_GC_THRESHOLDS

    before = gc.get_threshold()
    with FigureJobs(process=True) as jobs:
        assert jobs.executor.submit(gc.get_threshold).result() == COMMAND_GC_THRESHOLDS
    assert gc.get_threshold() == before != COMMAND_GC_THRESHOLDS


def test_a_job_the_helper_has_not_started_is_drawn_here_at_once():
    """The helper is sent one job at a time: the job after the one it draws is still the
    caller's to take (in a pool's queue it would count as running and could not be taken)."""
    import os
    import pickle

    with FigureJobs(process=True) as jobs:
        jobs.executor.submit(offload._ready).result()  # the helper is up and idle
        jobs.submit("slow", time.sleep, 2.0, encode=pickle.dumps)
        jobs.submit("next", os.getpid, encode=pickle.dumps)
        time.sleep(0.3)  # time for a pool to move "next" into its queue
        assert pickle.loads(jobs.result("next").files[""]) == os.getpid()
        jobs.submit("last", os.getpid, encode=pickle.dumps)
        jobs.result("slow")
        while "last" not in jobs._futures:  # sent to the helper as "slow" ended
            time.sleep(0.01)
        assert pickle.loads(jobs.result("last").files[""]) != os.getpid()
