"""`carbonshare run bluecarbon`: the Blue Carbon Development Index study (docs/methods.md part B)."""

from __future__ import annotations

from pathlib import Path

from carbonshare.cli.run import (
    ConfigOption,
    NoFiguresOption,
    NoReportOption,
    OutOption,
    PrintConfigOption,
    app,
    run_study,
)


@app.command("bluecarbon")
def bluecarbon(
    config: ConfigOption = None,
    out: OutOption = Path("results/bluecarbon"),
    print_config: PrintConfigOption = False,
    no_figures: NoFiguresOption = False,
    no_report: NoReportOption = False,
) -> None:
    """Blue Carbon Development Index of the coastal countries, scenarios to 2030, shared gains.

    Builds the indicators (missing years filled from nearby years, each fill
    recorded), percentile-normalised PCA-weighted subsystem scores and BCDI,
    trends, regional tests, the mixed model of area growth, Holt BAU forecasts,
    GC / GDC cooperation, SCRB / ESD / EANC / sampled-Shapley sharing of the
    gains valued with the country-level social cost of carbon, and a Monte
    Carlo of the headline numbers; writes tables, figures, report.html and
    manifest.json into --out.
    """
    from carbonshare.studies.bluecarbon import STEPS, WRITE_STEPS, run_bluecarbon
    from carbonshare.studies.bluecarbon_config import BlueCarbonConfig
    from carbonshare.studies.common import load_config

    cfg = load_config(BlueCarbonConfig, config)
    ran = run_study(
        cfg,
        run_bluecarbon,
        title="bluecarbon",
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

    h = result.headlines
    yc = result.config.years
    table = Table(title=f"Blue Carbon Development Index, {h['countries']} coastal countries")
    for col in ("score (0-100)", str(yc.first), str(yc.last), "change %"):
        table.add_column(col, justify="left" if col.startswith("score") else "right")
    table.add_row(
        "BCDI",
        f"{h[f'bcdi_global_{yc.first}']:.2f}",
        f"{h[f'bcdi_global_{yc.last}']:.2f}",
        f"{h['bcdi_change_pct']:+.1f}",
    )
    for s in ("driving_force", "resource_endowment", "development_capacity"):
        table.add_row(
            s.replace("_", " "),
            f"{h[f'{s}_{yc.first}']:.2f}",
            f"{h[f'{s}_{yc.last}']:.2f}",
            f"{h[f'{s}_change_pct']:+.1f}",
        )
    console.print(table)
    t2 = Table(title=f"Added annual sequestration by {yc.horizon} vs {yc.last}")
    for col in ("scenario", "Mt CO2 per year", "95 % range", "rule"):
        t2.add_column(col, justify="left" if col in ("scenario", "rule") else "right")
    unc = result.uncertainty
    for name in ["BAU", *result.config.scenarios.intensities]:
        key = f"added_{name}_tco2"
        lo, hi = unc.at[key, "q2.5"], unc.at[key, "q97.5"]
        span = "-" if lo != lo else f"{lo / 1e6:.3g} to {hi / 1e6:.3g}"
        t2.add_row(name, f"{h[f'added_{name}_Mt_co2']:.3g}", span, h.get(f"{name}_rule", ""))
    console.print(t2)
    head = list(result.config.scenarios.intensities)[-1]
    console.print(
        f"{head}: benefit {h[f'{head}_benefit_musd']:.3g}, cost {h[f'{head}_cost_musd']:.3g} "
        f"million US$ per year; outputs in [bold]{out}[/bold]"
    )
