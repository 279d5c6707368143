"""`carbonshare run principles`: every allocation rule side by side (METHODS.md C2)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carbonshare.cli.run import app


@app.command("principles")
def principles(
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="YAML or TOML config (start from --print-config)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path(
        "results/principles"
    ),
    print_config: Annotated[
        bool,
        typer.Option("--print-config", help="Print the config (defaults: bundled data) and exit."),
    ] = False,
    no_figures: Annotated[
        bool, typer.Option("--no-figures", help="Skip the PNG/SVG figures.")
    ] = False,
    no_report: Annotated[bool, typer.Option("--no-report", help="Skip report.html.")] = False,
) -> None:
    """Allocation principles compared: equity, efficiency (ZSG-DEA), hybrid rules.

    Runs every configured rule on the bundled country panel (or a CSV of
    provinces or firms, see data.source), turns the shares into tonnes of the
    IPCC AR6 remaining budget, and compares them (Gini, Theil, winners and
    losers, rank correlations). Writes tables, figures, report.html and
    manifest.json into --out.
    """
    from carbonshare.studies.common import StudyProgress, dump_config, load_config
    from carbonshare.studies.principles import STEPS, WRITE_STEPS, PrinciplesConfig, run_principles

    cfg = load_config(PrinciplesConfig, config)
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
    with StudyProgress(steps, title="principles", console=console) as progress:
        result = run_principles(cfg, out_dir=out, progress=progress)
    _summary(result, out, console)


def _summary(result, out: Path, console) -> None:
    from rich.table import Table

    ref = result.config.reference
    table = Table(
        title=(
            f"{len(result.shares.columns)} rules, {len(result.shares)} entities, "
            f"budget {result.budget_t / 1e9:.4g} GtCO2"
        )
    )
    for col in ("rule", "kind", "Gini", "t/person", "win/lose", "largest share"):
        table.add_column(
            col, justify="right" if col in ("Gini", "t/person", "win/lose") else "left"
        )
    for rule, row in result.inequality.iterrows():
        wl = result.winners_losers.loc[rule] if rule in result.winners_losers.index else None
        top = result.shares[rule].idxmax()
        table.add_row(
            str(rule),
            str(result.rules.loc[rule, "kind"]),
            _fmt(row["gini"]),
            f"{_fmt(row['min'], '.3g')}-{_fmt(row['max'], '.3g')}",
            "-" if wl is None else f"{wl['winners']}/{wl['losers']}",
            f"{top} {100 * result.shares.loc[top, rule]:.1f} %",
        )
    console.print(table)
    console.print(
        f"winners / losers against [bold]{ref}[/bold]; {len(result.manifest.exclusions)} entities "
        f"excluded (see manifest.json); outputs in [bold]{out}[/bold]"
    )


def _fmt(value, spec: str = ".3f") -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "-"
    return "-" if v != v else format(v, spec)
