"""Figures drawn in a second process while the study goes on (issue 14.6).

A study's figures (matplotlib, seconds of CPU) need nothing the study computes after its
tables, so they can be drawn on the second core while this process runs the Monte Carlo,
writes the tables and builds the report. :class:`FigureJobs` submits each figure as a job: a
module-level function that makes the Figure, its arguments, and an encoder that turns the
Figure into file bytes (:func:`carbonshare.report.figures.figure_files` for PNG + SVG,
:func:`carbonshare.report.html.figure_png` for a report image). The job returns a
:class:`Rendered`: the bytes, the figure's ``carbonshare_meta`` and the log records it
emitted. Only the caller writes files, so an interrupted run cannot leave figures behind
(:func:`carbonshare.studies.common.study_output` removes what the caller wrote).

An error raised by a figure function reaches the caller as itself (its type and message);
if the helper process dies (killed, out of memory), the caller draws the figure itself, with
a warning. The helper is sent one job at a time, in submission order; when the caller needs
a result whose job the helper has not been sent, it draws the figure itself, so neither
process waits while the other has work queued. The helper process is one
:class:`concurrent.futures.ProcessPoolExecutor` worker, started with ``spawn`` (no fork of a
process that may hold threads, e.g. a Dask client's) as soon as the study starts, so its
imports overlap the study's; it ignores SIGINT: Ctrl-C stops the caller, which cancels the
queued jobs and lets the running one end (under a second). With one core,
``CARBONSHARE_FIGURE_PROCESS=0``, or a main script that a spawned process would run again
(:func:`main_is_guarded`), every job runs in the caller, in submission order; the bytes are
the same either way (tested).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ENV",
    "FIGURE_MODULES",
    "FigureJobs",
    "Rendered",
    "available_cores",
    "main_is_guarded",
    "render",
]

logger = logging.getLogger(__name__)

ENV = "CARBONSHARE_FIGURE_PROCESS"
"""Environment variable: ``0`` draws every figure in the calling process."""


@dataclass
class Rendered:
    """One figure drawn: ``{suffix: bytes}`` from the encoder, ``carbonshare_meta``, log records."""

    files: dict[str, bytes]
    meta: dict | None = None
    records: list[tuple[str, int, str]] = field(default_factory=list)
    """(logger name, level, message) of the warnings emitted while drawing."""

    def replay(self) -> None:
        """Emit the recorded warnings again in this process (the run's log shows them)."""
        for name, level, message in self.records:
            logging.getLogger(name).log(level, "%s", message)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def render(
    maker: Callable[..., Any],
    args: tuple,
    kwargs: dict,
    encode: Callable[[Any], dict[str, bytes] | bytes],
) -> Rendered:
    """``encode(maker(*args, **kwargs))`` with the figure's meta and warnings (the figures of
    carbonshare are made without pyplot: nothing to close). Runs in either process. An encoder
    returning bytes gives ``{"": bytes}``."""
    root = logging.getLogger("carbonshare")
    collect = _Collect()
    root.addHandler(collect)
    try:
        fig = maker(*args, **kwargs)
        files = encode(fig)
    finally:
        root.removeHandler(collect)
    if isinstance(files, bytes):
        files = {"": files}
    return Rendered(files, getattr(fig, "carbonshare_meta", None), collect.records)


def available_cores() -> int:
    """Cores this process may run on (the affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _use_process() -> bool:
    return os.environ.get(ENV, "1").strip() != "0" and available_cores() > 1 and main_is_guarded()


def main_is_guarded(main: Any = None) -> bool:
    """True if a spawned process cannot run this program's top-level code again.

    A ``spawn`` child imports the parent's main script (as ``__mp_main__``, see
    :mod:`multiprocessing`): a script that calls the study outside an
    ``if __name__ == "__main__":`` block would run again there. So the helper process is used
    only when the main module is absent (``python -c``, a notebook, the REPL), a package's
    ``__main__`` (``python -m carbonshare``, which the child skips), or a file whose top level
    holds nothing but imports, definitions, constants and that block (the ``carbonshare``
    console script, a guarded user script). Otherwise the figures are drawn in this process.

    >>> import types
    >>> main_is_guarded(types.SimpleNamespace(__spec__=None))  # python -c, REPL, notebook
    True
    """
    import ast
    import sys

    main = sys.modules.get("__main__") if main is None else main
    spec = getattr(main, "__spec__", None)
    name = getattr(spec, "name", None)
    if name is not None and (name == "__main__" or name.endswith(".__main__")):
        return True
    path = getattr(spec, "origin", None) if name is not None else getattr(main, "__file__", None)
    if path is None:
        return True
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return False
    return all(_harmless(node) for node in tree.body)


def _harmless(node: Any) -> bool:
    """A top-level statement that runs nothing of the program when the module is imported."""
    import ast

    defs = ast.Import | ast.ImportFrom | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    if isinstance(node, defs):
        return True
    if isinstance(node, ast.Expr | ast.Assign | ast.AnnAssign):
        return node.value is None or isinstance(node.value, ast.Constant)
    if isinstance(node, ast.If):
        t = node.test
        return (
            isinstance(t, ast.Compare)
            and isinstance(t.left, ast.Name)
            and t.left.id == "__name__"
            and len(t.comparators) == 1
            and isinstance(t.comparators[0], ast.Constant)
            and t.comparators[0].value == "__main__"
            and isinstance(t.ops[0], ast.Eq)
        )
    return False


FIGURE_MODULES = ("carbonshare.report.figures", "carbonshare.report.robustness")
"""What the helper process imports as it starts (matplotlib, geopandas, pyproj with them)."""


def _worker_init(modules: tuple[str, ...]) -> None:
    """The helper process: Ctrl-C is the caller's to handle; import ``modules`` now; end
    without tearing the interpreter down (the caller waits for the exit, and the helper holds
    nothing to flush: every result went back through the pool's queue before it exits)."""
    import atexit
    import importlib
    import signal

    from carbonshare.runtime import command_gc

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    atexit.register(os._exit, 0)  # runs first (last registered): skips 0.3 s of teardown
    command_gc()
    if any(m.startswith("carbonshare.report") for m in modules):
        import matplotlib

        matplotlib.use("Agg")
    for module in modules:
        importlib.import_module(module)


def _ready() -> bool:
    return True


class FigureJobs:
    """Figure jobs of one study run, drawn in a helper process or here (see the module doc).

    Use as a context manager; on leaving it the helper process is shut down (with an error,
    e.g. Ctrl-C, queued jobs are cancelled first).

    Parameters
    ----------
    process : draw in a helper process; default: when more than one core is available,
        ``CARBONSHARE_FIGURE_PROCESS`` is not ``0`` and the main script is guarded
        (:func:`main_is_guarded`).
    warm : modules the helper process imports as it starts (default: the figure modules).

    The helper process is also :attr:`executor`, for other work of the run that can share
    it the same way (e.g. Monte Carlo chunks, :func:`carbonshare.uncertainty.run.run_samples`).

    Examples
    --------
    >>> from carbonshare.report import figures as F
    >>> import pandas as pd
    >>> with FigureJobs(process=False) as jobs:
    ...     jobs.submit("bars", F.bar, pd.Series({"a": 1.0, "b": 2.0}), encode=F.figure_files)
    ...     sorted(jobs.result("bars").files)
    ['.png', '.svg']
    """

    def __init__(self, process: bool | None = None, warm: tuple[str, ...] = FIGURE_MODULES) -> None:
        self.process = _use_process() if process is None else process
        self._pool: ProcessPoolExecutor | None = None
        self._jobs: dict[str, tuple[Callable, tuple, dict, Callable]] = {}
        self._futures: dict[str, Future] = {}
        # jobs not yet sent to the helper: it gets one at a time, so that every job it has not
        # started can still be drawn here (a pool's queue holds a job it already calls running)
        self._waiting: list[str] = []
        self._lock = threading.Lock()
        self._up: Future | None = None  # the helper's start-up (its imports)
        self._done: dict[str, Rendered] = {}
        if self.process:
            import multiprocessing

            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init,
                initargs=(warm,),
            )
            # starts the process: its imports overlap the study's; no job is sent before they end
            self._up = self._pool.submit(_ready)
            self._up.add_done_callback(self._send)

    @property
    def executor(self) -> ProcessPoolExecutor | None:
        """The helper process (None when everything runs here)."""
        return self._pool

    def __enter__(self) -> FigureJobs:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(cancel=exc_type is not None)

    def close(self, cancel: bool = False) -> None:
        """Shut the helper process down (cancel the queued jobs if ``cancel``)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None

    def submit(
        self,
        key: str,
        maker: Callable[..., Any],
        *args: Any,
        encode: Callable[[Any], dict[str, bytes] | bytes],
        **kwargs: Any,
    ) -> None:
        """Queue ``encode(maker(*args, **kwargs))`` under ``key`` (module-level functions and
        picklable arguments: they travel to the helper process)."""
        if key in self._jobs:
            raise ValueError(f"figure job {key!r} was submitted twice")
        self._jobs[key] = (maker, args, kwargs, encode)
        if self._pool is not None:
            with self._lock:
                self._waiting.append(key)
            self._send()

    def _send(self, _done: Future | None = None) -> None:
        """Send the helper the first waiting job when it has none (also called by the pool's
        thread as a job ends)."""
        with self._lock:
            if self._pool is None or self._up is None or not self._waiting:
                return
            if not self._up.done() or any(not f.done() for f in self._futures.values()):
                return  # still importing, or drawing a job: sent when that ends
            key = self._waiting.pop(0)
            try:
                future = self._pool.submit(render, *self._jobs[key])
            except (BrokenProcessPool, RuntimeError) as exc:  # died, or shut down: drawn here
                self._waiting.insert(0, key)
                if isinstance(exc, BrokenProcessPool):
                    logger.warning("the figure process stopped (%s); %r is drawn here", exc, key)
                return
            self._futures[key] = future
        future.add_done_callback(self._send)

    def _take(self, key: str) -> bool:
        """True if the helper will not draw ``key`` (not sent to it, or cancelled): draw it here."""
        with self._lock:
            if key in self._waiting:
                self._waiting.remove(key)
                return True
            future = self._futures.get(key)
        return future is None or future.cancel()

    def __contains__(self, key: str) -> bool:
        return key in self._jobs

    @property
    def keys(self) -> list[str]:
        """The submitted keys, in submission order."""
        return list(self._jobs)

    def result(self, key: str) -> Rendered:
        """The figure of ``key``: drawn here if its job has not started, else the helper's."""
        if key not in self._done:
            if self._take(key):
                self._done[key] = render(*self._jobs[key])
            else:
                try:
                    self._done[key] = self._futures[key].result()
                except BrokenProcessPool as exc:  # the helper died (killed, out of memory)
                    logger.warning(
                        "the figure process stopped (%s); %r is drawn here (set %s=0 to draw "
                        "every figure here)", exc, key, ENV,
                    )  # fmt: skip
                    self._done[key] = render(*self._jobs[key])
        return self._done[key]

    def results(self, keys: list[str] | None = None) -> dict[str, Rendered]:
        """Results of ``keys`` (default: all), in that order. While any of them is not drawn,
        this process draws the last job of the queue that has not started (whichever it is:
        it is needed later anyway), so it works from the back while the helper works from
        the front, and waits only when nothing is left to take.
        """
        keys = self.keys if keys is None else keys
        while any(key not in self._done for key in keys):
            queued = [k for k in self._jobs if k not in self._done]
            for key in reversed(queued):
                if self._take(key):
                    self._done[key] = render(*self._jobs[key])
                    break
            else:  # every job left is running in the helper: wait for the first one needed
                self.result(next(k for k in keys if k not in self._done))
        return {key: self._done[key] for key in keys}
