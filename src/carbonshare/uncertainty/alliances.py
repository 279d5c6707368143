"""The Monte Carlo of the alliance study, end to end: base run, samples, summary, Sobol indices."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from carbonshare.uncertainty.kernel import Context, build_context
from carbonshare.uncertainty.run import Progress, load_samples, run_design, run_samples
from carbonshare.uncertainty.spec import UncertaintyConfig
from carbonshare.uncertainty.summary import UncertaintySummary, sobol_indices, summarise

__all__ = ["saltelli_problem", "uncertainty_alliances"]

# Sobol indices: the Gini index of the shares and every country's share (largest median first)

logger = logging.getLogger(__name__)

SHARED_CHUNK = 50
"""Samples per chunk when the chunks are shared with an ``executor`` (and not written): this
process takes chunks from the back of the queue while the executor works from the front, so
small chunks split the work evenly (chunking never changes a result)."""


def saltelli_problem(ctx: Context) -> tuple[dict, np.ndarray]:
    """SALib problem over the active coordinates of u, grouped by uncertain input.

    Returns the problem dict and the indices of the active coordinates in u.
    """
    names, where = ctx.groups()
    active = np.flatnonzero(np.asarray(where) >= 0)
    problem = {
        "num_vars": len(active),
        "names": [f"u{i}" for i in active],
        "bounds": [[0.0, 1.0]] * len(active),
        "groups": [names[where[i]] for i in active],
    }
    return problem, active


def uncertainty_alliances(
    result=None,
    spec: UncertaintyConfig | None = None,
    *,
    config=None,
    samples: int | None = None,
    seed: int | None = None,
    out_dir: str | Path | None = None,
    workers: int | None = None,
    client=None,
    scheduler: str | None = None,
    sensitivity_samples: int | None = None,
    progress: Progress | None = None,
    panel: pd.DataFrame | None = None,
    executor=None,
) -> UncertaintySummary:
    """Uncertainty of every share of the alliance allocation (issue 11).

    Parameters
    ----------
    result : a finished :class:`~carbonshare.studies.alliances.AllianceResult` (default: run
        the study with ``config``).
    spec : what varies (default: ``result.config.uncertainty``).
    samples, seed, sensitivity_samples : override the spec's.
    out_dir : stream samples to Parquet there and resume from it (see
        :mod:`carbonshare.uncertainty.run`).
    workers, client, scheduler : where samples run (local processes, a
        ``distributed.Client``, or a scheduler address ``tcp://HOST:PORT``).
    executor : an executor the caller already has, shared with this process (see
        :func:`~carbonshare.uncertainty.run.run_samples`).
    progress : called with (done, total).
    panel : the panel of the base run when it was a user panel (for the other labour-cost
        proxies of the choices); default: the bundled panel.

    Returns
    -------
    UncertaintySummary (with Sobol indices when ``sensitivity_samples`` > 0).

    Examples
    --------
    >>> s = uncertainty_alliances(samples=20, workers=1, sensitivity_samples=0)
    >>> s.n_samples, bool((s.intervals["p5_pct"] <= s.intervals["p95_pct"]).all())
    (20, True)
    """
    if result is None:
        from carbonshare.studies.alliances import run_alliances
        from carbonshare.studies.alliances_config import AlliancesConfig

        config = config or AlliancesConfig()
        spec = spec or config.uncertainty
        # the base run without the study's own Monte Carlo: the samples are drawn below
        result = run_alliances(
            config.model_copy(update={"uncertainty": spec.model_copy(update={"samples": 0})})
        )
    spec = spec or result.config.uncertainty
    samples = spec.samples if samples is None else samples
    seed = spec.seed if seed is None else seed
    n_sobol = spec.sensitivity_samples if sensitivity_samples is None else sensitivity_samples
    ctx = build_context(result, spec, panel=panel, countries=result.countries)
    chunk_size = spec.chunk_size
    if executor is not None and out_dir is None:  # two processes meet in the middle of the queue
        chunk_size = min(chunk_size, SHARED_CHUNK)
    got = run_samples(
        ctx, samples, seed, chunk_size=chunk_size, out_dir=out_dir, workers=workers,
        client=client, scheduler=scheduler, progress=progress, executor=executor,
    )  # fmt: skip
    frames = load_samples(got) if isinstance(got, Path) else got
    base = result.country_shares[f"share_{result.config.allocation.methods[0]}"]
    names = [name for name, _, _ in ctx.choices]
    summary = summarise(frames, ctx.iso3, base, names)
    if n_sobol:
        summary.sensitivity = _sensitivity(ctx, summary, n_sobol, seed)
    return summary


def _sensitivity(ctx: Context, summary: UncertaintySummary, n: int, seed: int) -> pd.DataFrame:
    from SALib.sample import sobol as sobol_sample

    problem, active = saltelli_problem(ctx)
    design = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    rows = np.full((len(design), ctx.dim), 0.5)
    rows[:, active] = design
    logger.info("Sobol indices: %d design samples", len(rows))
    frame = run_design(ctx, rows)
    top = list(summary.intervals.index)  # every country, largest median share first
    outputs = pd.concat(
        [frame[["gini"]].rename(columns={"gini": "Gini of shares"}),
         frame[[f"share:{c}" for c in top]].set_axis(top, axis=1)],
        axis=1,
    )  # fmt: skip
    return sobol_indices(problem, outputs, seed=seed)
