"""`carbonshare sweep ...`: sensitivity of a study's results to its choices."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Sensitivity sweeps over config variants (parallel on Dask).", no_args_is_help=True
)


@app.command("alliances")
def alliances(
    vary: Annotated[
        list[str],
        typer.Option(
            "--vary", help="FIELD=V1,V2,... (repeatable), e.g. weights.method=entropy,pca,critic"
        ),
    ],
    config: Annotated[Path | None, typer.Option("--config", help="base config (YAML/TOML)")] = None,
    scheduler: Annotated[
        str, typer.Option(help="dask scheduler (processes, threads, synchronous) or serial")
    ] = "processes",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="write shares.csv, alliances.csv and summary.csv here"),
    ] = None,
) -> None:
    """Rerun the alliance study for every combination of the varied fields and compare shares."""
    from rich.console import Console
    from rich.table import Table

    from carbonshare.studies.alliances_config import AlliancesConfig
    from carbonshare.studies.common import check_output_dir, load_config, write_study
    from carbonshare.sweep import parse_vary, sweep_alliances

    base = load_config(AlliancesConfig, config)
    grid = dict(parse_vary(v) for v in vary)
    if out is not None:
        check_output_dir(out)  # before any variant runs
    console = Console(stderr=True)
    with console.status("running variants ..."):
        result = sweep_alliances(
            grid,
            base,
            scheduler=scheduler,
            progress=lambda label: console.print(f"variant: {label}"),
        )
    table = Table(title="alliance-study sensitivity (base = first variant)")
    for col in (
        "variant",
        "countries",
        "alliances",
        "Spearman vs base",
        "max |diff| pp",
        "largest",
    ):
        table.add_column(
            col,
            justify="left" if col in ("variant", "largest") else "right",
            no_wrap=col == "variant",
        )
    for label, row in result.summary.iterrows():
        table.add_row(
            label,
            str(row.countries),
            str(row.alliances),
            f"{row.spearman_vs_base:.3f}",
            f"{row.max_abs_diff_pp:.3f}",
            f"{row.largest} ({row.largest_share_pct:.2f} %)",
        )
    Console().print(table)
    if out is not None:
        write_study(out, lambda folder: _write(result, base, grid, scheduler, folder))
        console.print(f"wrote {out}/shares.csv, alliances.csv, summary.csv, manifest.json")


def _write(result, base, grid, scheduler, folder: Path) -> list[Path]:
    from carbonshare.studies.common import Manifest

    paths = []
    for name in ("shares", "alliances", "summary"):
        paths.append(folder / f"{name}.csv")
        getattr(result, name).to_csv(paths[-1])
    manifest = Manifest("sweep-alliances", base)
    manifest.extra.update(vary=grid, scheduler=scheduler, variants=list(result.summary.index))
    manifest.outputs = [p.name for p in paths]
    return [*paths, manifest.write(folder)]
