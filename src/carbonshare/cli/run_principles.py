"""`carbonshare run principles`: every allocation rule side by side (docs/methods.md C2)."""

from __future__ import annotations

from pathlib import Path

from carbonshare.cli.run import (
    ConfigOption,
    NoFiguresOption,
    NoReportOption,
    OutOption,
    PanelOption,
    PrintConfigOption,
    SheetOption,
    app,
    run_study,
)


@app.command("principles")
def principles(
    config: ConfigOption = None,
    out: OutOption = Path("results/principles"),
    print_config: PrintConfigOption = False,
    no_figures: NoFiguresOption = False,
    no_report: NoReportOption = False,
    panel: PanelOption = None,
    sheet: SheetOption = None,
) -> None:
    """Allocation principles compared: equity, efficiency (ZSG-DEA), hybrid rules.

    Runs every configured rule on the bundled country panel (or a CSV of
    provinces or firms, see data.source), turns the shares into tonnes of the
    IPCC AR6 remaining budget, and compares them (Gini, Theil, winners and
    losers, rank correlations). Writes tables, figures, report.html and
    manifest.json into --out.
    """
    from carbonshare.studies.common import load_config
    from carbonshare.studies.principles import STEPS, WRITE_STEPS, PrinciplesConfig, run_principles

    cfg = load_config(PrinciplesConfig, config)
    if panel is not None or sheet is not None:
        from carbonshare.studies.common import validate_config
        from carbonshare.studies.principles import DataConfig

        update = {"sheet": sheet} if sheet is not None else {}
        if panel is not None:
            update |= {"source": "csv", "path": panel}
        cfg.data = validate_config(DataConfig, cfg.data.model_dump() | update, source="(--panel)")
    ran = run_study(
        cfg,
        run_principles,
        title="principles",
        steps=STEPS,
        write_steps=WRITE_STEPS,
        out=out,
        print_config=print_config,
        no_figures=no_figures,
        no_report=no_report,
    )
    if ran is not None:
        _summary(ran[0], out, ran[1])


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
        f"[bold]{result.excluded_text}[/bold] (excluded.csv); "
        f"{len(result.manifest.repairs)} missing values filled (data.fill: "
        f"{result.config.data.fill})",
        soft_wrap=True,
    )
    for text in result.manifest.warnings:
        console.print(f"[yellow]warning[/yellow]: {text}", soft_wrap=True)
    console.print(f"winners / losers against [bold]{ref}[/bold]; outputs in [bold]{out}[/bold]")


def _fmt(value, spec: str = ".3f") -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "-"
    return "-" if v != v else format(v, spec)
