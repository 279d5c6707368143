"""Running the Monte Carlo: chunks of samples on local processes or an existing Dask cluster.

Samples are cut into chunks of ``chunk_size``; each chunk is one task. Tasks run in this
process (``workers=1``), on local processes (:class:`concurrent.futures.ProcessPoolExecutor`)
or on a Dask cluster (``client=`` a :class:`distributed.Client` or ``scheduler=
"tcp://HOST:PORT"``). Every sample k is a pure function of (run seed, k), so the engine and
the chunking never change a result.

What one sample computes is the caller's: the alliance study's
:class:`~carbonshare.uncertainty.kernel.Context` (shares, alliances, choices), or any picklable
:class:`SampleModel` (``n_uniforms`` and ``evaluate(u) -> {name: float}``; one column per
name), e.g. :class:`carbonshare.bluecarbon.uncertainty.HeadlineModel`. Sample k gets
``u = numpy.random.default_rng([seed, k]).random(n_uniforms)``.

With ``out_dir`` each finished chunk is written at once to
``out_dir/samples/chunk=NNNNNN/part.parquet`` (written to a temporary name, then renamed),
next to ``out_dir/samples/run.json`` (seed, samples, chunk size and a hash of the inputs). A
rerun with the same inputs skips the chunks already on disk: an interrupted run resumes from
its completed chunks; a rerun with other inputs is refused. A sample that raises is retried
once and then recorded with its error (NaN shares / values); the run goes on and the summary
counts it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import pickle
import time
from collections.abc import Callable, Iterable
from concurrent.futures import BrokenExecutor
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np
import pandas as pd

from carbonshare.errors import ConfigError
from carbonshare.uncertainty.kernel import Context, choices_of, evaluate, gini

__all__ = ["SampleModel", "chunks_of", "load_samples", "run_chunk", "run_samples", "uniforms"]

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Called with (samples done, samples in total)."""

T = TypeVar("T")


class SampleModel(Protocol):
    """One Monte Carlo sample as a pure function of its uniforms (picklable; built once per run).

    ``n_uniforms``: length of u. ``evaluate(u)``: u in [0, 1)^n_uniforms -> {name: value};
    the same names for every u. A raised error or a non-finite value fails the sample.
    """

    @property
    def n_uniforms(self) -> int: ...

    def evaluate(self, u: np.ndarray) -> dict[str, float]: ...


Model = Context | SampleModel


def uniforms(model: Model, seed: int, index: int) -> np.ndarray:
    """u of sample ``index`` of a run with ``seed`` (independent streams).

    >>> class M:
    ...     n_uniforms = 3
    >>> bool((uniforms(M(), 1, 7) == uniforms(M(), 1, 7)).all())
    True
    """
    return np.random.default_rng([seed, index]).random(model.n_uniforms)


def chunks_of(samples: int, chunk_size: int) -> list[tuple[int, int]]:
    """[start, stop) ranges covering 0..samples-1.

    >>> chunks_of(5, 2)
    [(0, 2), (2, 4), (4, 5)]
    """
    return [(s, min(s + chunk_size, samples)) for s in range(0, samples, chunk_size)]


def _twice(fn: Callable[[], T]) -> tuple[T | None, str]:
    """fn(), retried once; (result, "") or (None, the last error)."""
    error = ""
    for attempt in (1, 2):
        try:
            with np.errstate(all="ignore"):  # a non-finite result is caught by fn
                return fn(), ""
        except Exception as exc:  # recorded per sample; never aborts the run
            error = f"{type(exc).__name__}: {exc}"
            logger.debug("sample failed (attempt %d): %s", attempt, error)
    return None, error


def _one(ctx: Context, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict, str]:
    def once():
        shares, ids, chosen = evaluate(ctx, u)
        if not np.isfinite(shares).all():
            raise FloatingPointError("non-finite share")
        return shares, ids, chosen

    result, error = _twice(once)
    if result is not None:
        return *result, ""
    n = ctx.n
    return np.full(n, np.nan), np.full(n, -1), choices_of(ctx, u), error


def run_chunk(model: Model, seed: int, start: int, stop: int) -> pd.DataFrame:
    """Samples start..stop-1 as one wide frame: ``sample``, ``error``, then for a Context
    ``gini``, one column per discrete choice, ``share:ISO3`` (% of global emission rights) and
    ``alliance:ISO3``; for a :class:`SampleModel` one column per name of ``evaluate``."""
    return _frame(model, [(k, uniforms(model, seed, k)) for k in range(start, stop)])


def run_design(model: Model, rows: np.ndarray, offset: int = 0) -> pd.DataFrame:
    """Samples from given uniforms (e.g. a Saltelli design), numbered from ``offset``."""
    return _frame(model, [(offset + k, u) for k, u in enumerate(rows)])


def _frame(model: Model, draws: Iterable[tuple[int, np.ndarray]]) -> pd.DataFrame:
    """The samples of ``draws`` with one BLAS thread: samples run side by side in processes
    (or Dask workers), and BLAS threads of two processes fighting over two cores made a sample
    of the alliance study take 3.2 ms instead of 0.7 ms."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return _samples_frame(model, draws)


def _samples_frame(model: Model, draws: Iterable[tuple[int, np.ndarray]]) -> pd.DataFrame:
    if isinstance(model, Context):
        return _context_frame(model, draws)
    records = []
    for k, u in draws:

        def once(u=u):
            values = {name: float(v) for name, v in model.evaluate(u).items()}
            if not np.isfinite(list(values.values())).all():
                raise FloatingPointError("non-finite value")
            return values

        values, error = _twice(once)
        records.append({"sample": k, "error": error} | (values or {}))
    return pd.DataFrame.from_records(records)  # a failed sample: NaN values


def _context_frame(ctx: Context, draws: Iterable[tuple[int, np.ndarray]]) -> pd.DataFrame:
    records, shares, ids = [], [], []
    names = [name for name, _, _ in ctx.choices]
    for k, u in draws:
        s, a, chosen, error = _one(ctx, u)
        records.append(
            {"sample": k, "error": error, "gini": gini(s) if not error else np.nan}
            | {name: chosen.get(name, "") for name in names}
        )
        shares.append(s)
        ids.append(a)
    head = pd.DataFrame.from_records(records, columns=["sample", "error", "gini", *names])
    sh = pd.DataFrame(np.array(shares), columns=[f"share:{c}" for c in ctx.iso3])
    al = pd.DataFrame(np.array(ids, dtype=np.int16), columns=[f"alliance:{c}" for c in ctx.iso3])
    return pd.concat([head, sh, al], axis=1)


def _fingerprint(model: Model, seed: int, samples: int, chunk_size: int) -> dict:
    if dataclasses.is_dataclass(model):
        declared = {f.name: getattr(model, f.name) for f in dataclasses.fields(model)}  # no caches
    else:
        declared = model
    digest = hashlib.sha256(pickle.dumps(declared, protocol=4)).hexdigest()
    return {"seed": seed, "samples": samples, "chunk_size": chunk_size, "inputs_sha256": digest}


def _chunk_path(root: Path, start: int) -> Path:
    return root / f"chunk={start:09d}" / "part.parquet"


def _write_chunk(root: Path, start: int, frame: pd.DataFrame) -> None:
    path = _chunk_path(root, start)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".parquet.tmp")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def run_samples(
    model: Model,
    samples: int,
    seed: int = 0,
    *,
    chunk_size: int = 250,
    out_dir: str | Path | None = None,
    workers: int | None = None,
    client=None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    executor=None,
) -> list[pd.DataFrame] | Path:
    """Run ``samples`` Monte Carlo samples; return the frames, or the Parquet folder.

    Parameters
    ----------
    model : :func:`~carbonshare.uncertainty.kernel.build_context` or a :class:`SampleModel`.
    samples, seed : number of samples and run seed (sample k uses (seed, k)).
    chunk_size : samples per task and per Parquet chunk.
    out_dir : stream chunks to ``out_dir/samples`` (and resume from it); None: in memory.
    workers : local processes (default: all cores; 1 = this process).
    client, scheduler : a ``distributed.Client`` or the address of a running Dask
        scheduler (``tcp://HOST:PORT``); then the cluster runs the chunks.
    progress : called with (done, total) after each chunk.
    executor : a :class:`concurrent.futures.Executor` the run already has (e.g. the helper
        process of :class:`carbonshare.report.offload.FigureJobs`): every chunk is queued
        there and this process runs the queued chunks from the back (those it can still
        cancel) while the executor works from the front; ``workers`` is then ignored.

    Raises
    ------
    ConfigError  if ``out_dir`` holds samples of a run with other inputs, or the scheduler
        cannot be reached.
    """
    notify = progress or (lambda _done, _total: None)
    todo = chunks_of(samples, chunk_size)
    root = None
    frames: list[pd.DataFrame] = []
    if out_dir is not None:
        root = Path(out_dir) / "samples"
        root.mkdir(parents=True, exist_ok=True)
        meta = _fingerprint(model, seed, samples, chunk_size)
        meta_path = root / "run.json"
        if meta_path.exists():
            old = json.loads(meta_path.read_text())
            if old != meta:
                raise ConfigError(
                    f"{root} holds samples of another run ({old}); use another --out or delete "
                    "that folder"
                )
        else:
            meta_path.write_text(json.dumps(meta, indent=1))
        done = [(a, b) for a, b in todo if _chunk_path(root, a).exists()]
        if done:
            logger.info("resuming: %d of %d chunks already on disk", len(done), len(todo))
        todo = [c for c in todo if c not in done]
        finished = sum(b - a for a, b in done)
    else:
        finished = 0
    notify(finished, samples)

    def collect(start: int, frame: pd.DataFrame) -> None:
        nonlocal finished
        if root is not None:
            _write_chunk(root, start, frame)
        else:
            frames.append(frame)
        finished += len(frame)
        notify(finished, samples)

    if client is not None or scheduler is not None:
        _on_dask(model, seed, todo, collect, client, scheduler)
    elif executor is not None:
        futures = [(a, b, executor.submit(run_chunk, model, seed, a, b)) for a, b in todo]
        for a, b, future in reversed(futures):
            if future.cancel():  # not started there: run it here
                collect(a, run_chunk(model, seed, a, b))
        for a, b, future in futures:
            if future.cancelled():
                continue
            try:
                frame = future.result()
            except BrokenExecutor as exc:  # the helper process died: run the chunk here
                logger.warning("samples %d-%d run here: %s", a, b - 1, exc)
                frame = run_chunk(model, seed, a, b)
            collect(a, frame)
    else:
        workers = workers or os.cpu_count() or 1
        if workers == 1 or len(todo) <= 1:
            for a, b in todo:
                collect(a, run_chunk(model, seed, a, b))
        else:
            from concurrent.futures import ProcessPoolExecutor, as_completed

            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(run_chunk, model, seed, a, b): a for a, b in todo}
                for fut in as_completed(futures):
                    collect(futures[fut], fut.result())
    if root is not None:
        return root
    return sorted(frames, key=lambda f: int(f["sample"].iloc[0]))


def _on_dask(model, seed, todo, collect, client, scheduler) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ConfigError(
            "a Dask scheduler needs dask.distributed: pip install 'carbonshare[dask]'"
        ) from None
    own = None
    if client is None:
        try:
            own = client = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                "`dask scheduler` and `dask worker ADDRESS`, or leave --scheduler out"
            ) from None
    try:
        # hash=False: a fresh key per run, so releasing an earlier run's copy cannot cancel this one
        model_future = client.scatter(model, broadcast=True, hash=False)
        futures = [client.submit(run_chunk, model_future, seed, a, b, pure=False) for a, b in todo]
        start_of = {fut.key: a for fut, (a, _) in zip(futures, todo, strict=True)}
        started = time.perf_counter()
        for fut in as_completed(futures):
            collect(start_of[fut.key], fut.result())
        logger.info("dask: %d chunks in %.1f s", len(todo), time.perf_counter() - started)
    finally:
        if own is not None:
            own.close()


def load_samples(root: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Read the samples of a run folder (``out_dir/samples``), ordered by sample."""
    import pyarrow.parquet as pq

    files = sorted(Path(root).glob("chunk=*/part.parquet"))
    if not files:
        return pd.DataFrame(columns=columns)
    frames = [pq.read_table(f, columns=columns).to_pandas() for f in files]
    return pd.concat(frames, ignore_index=True)
