"""`carbonshare run alliances`: the main study (METHODS.md part A, Zhou et al. 2024)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carbonshare.cli.run import app


@app.command("alliances")
def alliances(
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="YAML or TOML config (start from --print-config)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path(
        "results/alliances"
    ),
    print_config: Annotated[
        bool,
        typer.Option("--print-config", help="Print the config (defaults = the paper's), exit."),
    ] = False,
    no_figures: Annotated[
        bool, typer.Option("--no-figures", help="Skip the PNG/SVG figures.")
    ] = False,
    no_report: Annotated[bool, typer.Option("--no-report", help="Skip report.html.")] = False,
) -> None:
    """Carbon-reduction alliances and emission-rights shares of the world's countries.

    Builds the nine indicators, entropy weights, ACI, the gravity linkage CRL,
    strongest-partner alliances and the two-stage Shapley shares (with
    Shapley and Owen side by side), then writes tables, figures, report.html
    and manifest.json into --out.
    """
    from carbonshare.studies.alliances import STEPS, WRITE_STEPS, run_alliances
    from carbonshare.studies.alliances_config import AlliancesConfig
    from carbonshare.studies.common import StudyProgress, dump_config, load_config

    cfg = load_config(AlliancesConfig, config)
    if no_figures:
        cfg.output.figures = False
    if no_report:
        cfg.output.report = False
    if print_config:
        typer.echo(dump_config(cfg), nl=False)
        return

    from rich.console import Console

    console = Console(stderr=True)
    steps = list(STEPS) + [
        s
        for s in WRITE_STEPS
        if (s != "figures" or cfg.output.figures) and (s != "report" or cfg.output.report)
    ]
    with StudyProgress(steps, title="alliances", console=console) as progress:
        result = run_alliances(cfg, out_dir=out, progress=progress)
    _summary(result, out, console)


def _summary(result, out: Path, console) -> None:
    from rich.table import Table

    shares = result.country_shares
    head = result.config.allocation.methods[0]
    n_all = len(result.alliance_table)
    shown = result.alliance_table.head(10)
    title = f"{n_all} alliances of {len(shares)} countries"
    if n_all > len(shown):
        title += f" (largest {len(shown)} by share; all in alliances.csv)"
    table = Table(title=title)
    for col in ("alliance", "size", "continents", "share %", "largest members"):
        table.add_column(col, justify="right" if col in ("size", "share %") else "left")
    for aid, row in shown.iterrows():
        table.add_row(
            str(aid),
            str(row["size"]),
            str(row["continents"]),
            f"{row['share_pct']:.2f}",
            str(row["largest_members"]),
        )
    console.print(table)
    top = shares.sort_values(f"share_{head}", ascending=False).head(10)
    t2 = Table(title=f"Top 10 countries ({head.replace('_', '-')} share of global emission rights)")
    for col in ("rank", "iso3", "country", "alliance", "share %", "Shapley %", "Owen %"):
        t2.add_column(col, justify="left" if col in ("iso3", "country") else "right")
    for iso3, row in top.iterrows():
        t2.add_row(
            str(row["rank"]),
            str(iso3),
            str(row["name"]),
            str(row["alliance"]),
            f"{row[f'share_{head}']:.2f}",
            _fmt(row.get("share_shapley")),
            _fmt(row.get("share_owen")),
        )
    console.print(t2)
    console.print(
        f"largest / smallest country share: {result.statistics['max_min_ratio']:.3g}; "
        f"outputs in [bold]{out}[/bold]"
    )


def _fmt(value) -> str:
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return "-"
