"""`carbonshare uncertainty alliances`: Monte Carlo uncertainty of every share (issue 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Uncertainty of an allocation: Monte Carlo over data, weights and choices.",
    no_args_is_help=True,
)


@app.command("alliances")
def alliances(
    samples: Annotated[int, typer.Option(help="Monte Carlo samples.")] = 2000,
    seed: Annotated[int, typer.Option(help="Run seed; sample k uses the stream (seed, k).")] = 0,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Address of a running Dask scheduler (tcp://HOST:PORT); default: local processes."
        ),  # fmt: skip
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Local processes (default: all cores).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Output folder (samples resume from it).")] = Path(
        "results/uncertainty"
    ),
    config: Annotated[
        Path | None,
        typer.Option(
            help="Alliance-study config (YAML/TOML); its `uncertainty` section says what varies."
        ),  # fmt: skip
    ] = None,
    preset: Annotated[str | None, typer.Option(help="zhou2024 or zhou2024-closest.")] = None,
    sensitivity: Annotated[
        int,
        typer.Option(help="Saltelli base samples for the Sobol indices (power of 2; 0: none)."),
    ] = 64,
) -> None:
    """Median share and 90 % interval of every country, co-membership and Sobol indices.

    Runs the alliance study once, then --samples perturbed copies of it (data noise,
    weights, discrete choices: the config's `uncertainty` section). Samples stream to
    OUT/samples as Parquet chunks; rerunning the same command resumes an interrupted run.
    Writes tables, figures, report.html and manifest.json into --out.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from carbonshare.studies.alliances import run_alliances
    from carbonshare.studies.alliances_config import AlliancesConfig
    from carbonshare.studies.alliances_output import write_uncertainty
    from carbonshare.studies.common import load_config
    from carbonshare.uncertainty.alliances import uncertainty_alliances

    cfg = load_config(AlliancesConfig, config)
    if preset is not None:
        from carbonshare.studies.alliances_presets import with_preset

        cfg = with_preset(cfg, preset)
    console = Console()
    # the base run without the study's own Monte Carlo: the samples are drawn below
    result = run_alliances(
        cfg.model_copy(update={"uncertainty": cfg.uncertainty.model_copy(update={"samples": 0})})
    )
    result.config = cfg  # the manifest and report record the config as given
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console,
    ) as bar:  # fmt: skip
        task = bar.add_task("samples", total=samples)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        summary = uncertainty_alliances(
            result, cfg.uncertainty, samples=samples, seed=seed, out_dir=out, workers=workers,
            scheduler=scheduler, sensitivity_samples=sensitivity, progress=progress,
        )  # fmt: skip
    write_uncertainty(result, summary, out, samples=samples, seed=seed)
    _summary(console, result, summary, out)


def _summary(console, result, summary, out: Path) -> None:
    from rich.table import Table

    names = result.countries["name"]
    iv = summary.intervals
    t = Table(title=f"Top 15 shares with 90 % intervals ({summary.n_samples:,} samples)")
    for col in ("iso3", "country", "this run %", "median %", "5-95 % interval", "rank 5-95"):
        t.add_column(col, justify="left" if col in ("iso3", "country") else "right")
    for iso3, r in iv.head(15).iterrows():
        t.add_row(
            str(iso3), str(names.get(iso3, iso3)), f"{r.base_pct:.2f}", f"{r.median_pct:.2f}",
            f"{r.p5_pct:.2f} - {r.p95_pct:.2f}", f"{r.rank_p5:.0f} - {r.rank_p95:.0f}",
        )  # fmt: skip
    console.print(t)
    g = summary.gini
    console.print(
        f"Gini of the shares {g['median']:.3f} [{g['p5']:.3f}-{g['p95']:.3f}]; "
        f"{len(summary.failures)} failed samples; outputs in [bold]{out}[/bold]"
    )
