"""`carbonshare run alliances`: the main study (docs/methods.md part A, Zhou et al. 2024)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
from carbonshare.errors import ConfigError


@app.command("alliances")
def alliances(
    config: ConfigOption = None,
    out: OutOption = Path("results/alliances"),
    print_config: PrintConfigOption = False,
    no_figures: NoFiguresOption = False,
    no_report: NoReportOption = False,
    panel: PanelOption = None,
    sheet: SheetOption = None,
    preset: Annotated[
        str | None,
        typer.Option(
            help="Named set of options under the config's explicit values: zhou2024 (the "
            "paper's text, the default values) or zhou2024-closest (closest to the published "
            "numbers, not the paper's text).",
        ),
    ] = None,
    samples: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Monte Carlo samples of the shares' 90 % intervals (default: the config's "
            "uncertainty.samples, 1000; 0 turns the Monte Carlo off).",
        ),
    ] = None,
) -> None:
    """Carbon-reduction alliances and emission-rights shares of the world's countries.

    Builds the nine indicators, entropy weights, ACI, the gravity linkage CRL,
    strongest-partner alliances and the two-stage Shapley shares (with
    Shapley and Owen side by side) and the Monte Carlo of the shares (90 %
    intervals, co-membership; --samples 0 skips it), then writes tables,
    figures, report.html and manifest.json into --out.
    """
    from carbonshare.studies.alliances import STEPS, WRITE_STEPS, run_alliances
    from carbonshare.studies.alliances_config import AlliancesConfig
    from carbonshare.studies.common import load_config

    cfg = load_config(AlliancesConfig, config)
    if preset is not None:
        from carbonshare.studies.alliances_presets import with_preset

        cfg = with_preset(cfg, preset)
    if samples is not None:
        cfg.uncertainty.samples = samples
    runner = run_alliances
    if panel is not None or sheet is not None:
        from functools import partial

        from carbonshare.data import read_panel

        if panel is None:
            raise ConfigError("--sheet names a sheet of --panel; pass --panel FILE too")
        runner = partial(run_alliances, panel=read_panel(panel, sheet=sheet))
    ran = run_study(
        cfg,
        runner,
        title="alliances",
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
    from rich.panel import Panel
    from rich.table import Table

    from carbonshare.studies.alliances_presets import preset_label

    label = preset_label(result.config.preset)
    if label:
        console.print(f"preset [bold]{result.config.preset}[/bold]: {label}")
    dg = result.diagnostics
    if dg is not None:
        conc = dg.concentration
        if conc.warning:
            console.print(Panel(conc.warning, title="warning: linkage concentration",
                                border_style="red"))  # fmt: skip
        console.print(
            f"linkage: top pair {100 * conc.top_share:.1f} % of the total, Herfindahl "
            f"{conc.herfindahl:.3f} = {conc.effective_pairs:.1f} effective linked pairs"
        )
        console.print(dg.structure_summary())
        console.print(dg.count_summary())

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
    unc = result.uncertainty
    t2 = Table(
        title=f"Top 10 countries ({head.replace('_', '-')} share of global emission rights)",
        caption=None
        if unc is None
        else f"90 % interval: 5-95 % quantiles over {unc.n_samples:,} Monte Carlo samples",
    )
    cols = ["rank", "iso3", "country", "alliance", "share %", "Shapley %", "Owen %"]
    if unc is not None:
        cols.insert(5, "90 % interval")
    rows = []
    for iso3, row in top.iterrows():
        cells = [
            str(row["rank"]),
            str(iso3),
            str(row["name"]),
            str(row["alliance"]),
            f"{row[f'share_{head}']:.2f}",
            _fmt(row.get("share_shapley")),
            _fmt(row.get("share_owen")),
        ]
        if unc is not None:
            iv = unc.intervals.loc[iso3]
            cells.insert(5, f"{iv['p5_pct']:.2f}-{iv['p95_pct']:.2f}")
        rows.append(cells)
    # a number never wraps; headers wrap between words when the terminal is narrow; the
    # country name takes the width left (cut with an ellipsis; the tables have it whole)
    frame = 3 * len(cols) + 1  # padding and rules
    narrow = [
        max([len(r[k]) for r in rows] + [len(w) for w in c.split()]) for k, c in enumerate(cols)
    ]
    wide = [max(n, len(c)) for n, c in zip(narrow, cols, strict=True)]
    fits = sum(wide) - wide[2] + 24 + frame <= console.width
    widths = wide if fits else narrow
    for k, col in enumerate(cols):
        if col == "country":
            room = console.width - frame - sum(widths) + widths[k]
            t2.add_column(col, no_wrap=True, overflow="ellipsis",
                          width=max(8, min(24, narrow[k], room)))  # fmt: skip
        else:
            t2.add_column(col, justify="left" if col == "iso3" else "right", width=widths[k])
    for cells in rows:
        t2.add_row(*cells)
    console.print(t2)
    from carbonshare.studies.common import exclusion_share

    sel = result.matrix.selection
    excluded = sel.index[~sel["included"].to_numpy()]
    console.print(
        f"[bold]{exclusion_share(list(excluded))}[/bold] (selection.csv); "
        f"{len(result.manifest.repairs)} data repairs (manifest.json)",
        soft_wrap=True,
    )
    for text in result.manifest.warnings:
        console.print(f"[yellow]warning[/yellow]: {text}", soft_wrap=True)
    console.print(
        f"largest / smallest country share: {result.statistics['max_min_ratio']:.3g}; "
        f"outputs in [bold]{out}[/bold]"
    )


def _fmt(value) -> str:
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return "-"
