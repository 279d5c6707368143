"""`carbonshare run responsibility`: carbon responsibility accounts (docs/methods.md C1, C3)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carbonshare.cli.run import (
    ConfigOption,
    NoFiguresOption,
    NoReportOption,
    OutOption,
    PrintConfigOption,
    app,
    run_study,
)


@app.command("responsibility")
def responsibility(
    table: Annotated[
        str | None,
        typer.Option(
            "--table",
            "-t",
            help="de1995 | de2009 | nl2000 | us2021 | PATH (directory of CSVs or .xlsx)",
        ),
    ] = None,
    stressor: Annotated[
        str | None,
        typer.Option(
            "--stressor", "-s", help="Emission row (default CO2 when present, else the first)."
        ),
    ] = None,
    chain: Annotated[
        Path | None,
        typer.Option(
            "--chain",
            help="Supply chain: JSON file, or nodes CSV (name, emissions[, value_added]) with "
            "--chain-edges. Default: carved from the table.",
        ),
    ] = None,
    chain_edges: Annotated[
        Path | None,
        typer.Option("--chain-edges", help="Edges CSV (source, target, value) of a CSV chain."),
    ] = None,
    config: ConfigOption = None,
    out: OutOption = Path("results/responsibility"),
    print_config: PrintConfigOption = False,
    no_figures: NoFiguresOption = False,
    no_report: NoReportOption = False,
) -> None:
    """Who is responsible for emissions: producer, consumer, income, extraction, shared, CEA.

    Computes every perspective from an input-output table (each sums to the
    same total), multipliers and key sectors, trade balances and one
    product's supply-chain accounts (Shapley and nucleolus of its emission
    game), then writes tables, figures, report.html and manifest.json into --out.
    """
    from carbonshare.studies.common import load_config
    from carbonshare.studies.responsibility import (
        STEPS,
        WRITE_STEPS,
        ResponsibilityConfig,
        run_responsibility,
    )

    cfg = load_config(ResponsibilityConfig, config)
    if table is not None:
        cfg.table = table
    if stressor is not None:
        cfg.stressor = stressor
    if chain is not None:
        cfg.chain.path = str(chain)
    if chain_edges is not None:
        cfg.chain.edges_path = str(chain_edges)
    ran = run_study(
        cfg,
        run_responsibility,
        title="responsibility",
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

    t = result.table
    if result.stressor is None:
        tab = Table(title=f"{t.name}: multipliers (no emission accounts)")
        for col in ("sector", "output multiplier", "backward index", "forward index", "class"):
            tab.add_column(col, justify="left" if col in ("sector", "class") else "right")
        for key, row in result.linkages.iterrows():
            tab.add_row(
                str(key[1]),
                f"{result.multipliers.loc[key, 'output_multiplier']:.4f}",
                f"{row['backward_index']:.3f}",
                f"{row['forward_index']:.3f}",
                str(row["class"]),
            )
        console.print(tab)
    else:
        unit = t.units.get("F", "")
        rec = result.reconciliation
        tab = Table(title=f"{t.name}: {result.stressor} by perspective ({unit})")
        for col in ("perspective", "total", "largest holder", "its share %", "conserved"):
            tab.add_column(
                col, justify="left" if col in ("perspective", "largest holder") else "right"
            )
        for p, row in rec.iterrows():
            acc = result.accounts[p]
            top = acc.idxmax()
            tab.add_row(
                str(p),
                f"{row['total']:,.1f}",
                f"{top[0] + ' ' if len(t.regions) > 1 else ''}{top[1]}: {top[2]}",
                f"{100 * acc.max() / row['total']:.1f}",
                "yes" if row["conserved"] else "NO",
            )
        console.print(tab)
        ch = result.chain_accounts
        t2 = Table(
            title=f"Supply chain {result.chain.name} (footprint "
            f"{result.chain.footprint:,.1f} {unit})"
        )
        t2.add_column("member")
        for c in ch.columns:
            t2.add_column(c, justify="right")
        for member, row in ch.iterrows():
            t2.add_row(str(member), *[f"{v:,.1f}" for v in row])
        console.print(t2)
    console.print(f"outputs in [bold]{out}[/bold]")
