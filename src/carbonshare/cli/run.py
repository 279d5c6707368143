"""`carbonshare run ...`: the end-to-end studies.

Each study registers its command from its own module so that the studies
stay independent: ``alliances`` (docs/methods.md part A), ``bluecarbon`` (B), ``principles`` (C2),
``responsibility`` (C1, C3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(help="Run an end-to-end study on the bundled data.", no_args_is_help=True)

# The options every study shares (each command sets its own --out default).
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="YAML or TOML config (start from --print-config)."),
]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="Output directory.")]
PrintConfigOption = Annotated[
    bool,
    typer.Option(
        "--print-config", metavar="", help="Print the effective config (defaults) and exit."
    ),
]
# metavar="": a plain flag in the help (typer would show "<bool>", suggesting a value)
NoFiguresOption = Annotated[
    bool, typer.Option("--no-figures", metavar="", help="Skip the PNG/SVG figures.")
]
NoReportOption = Annotated[bool, typer.Option("--no-report", metavar="", help="Skip report.html.")]
PanelOption = Annotated[
    Path | None,
    typer.Option(
        "--panel",
        help="Your own panel (CSV, TSV, Excel, Parquet; long or wide) instead of the bundled data.",
    ),
]
SheetOption = Annotated[
    str | None, typer.Option("--sheet", help="Excel sheet of --panel (default: the first).")
]


def run_study(
    cfg: Any,
    runner: Callable[..., Any],
    *,
    title: str,
    steps: Sequence[str],
    write_steps: Sequence[str],
    out: Path,
    print_config: bool,
    no_figures: bool,
    no_report: bool,
) -> tuple[Any, Any] | None:
    """Apply the shared flags to ``cfg``, then print it or run the study with a progress display.

    Returns ``(result, console)`` after a run, ``None`` after ``--print-config``.
    """
    from rich.console import Console

    from carbonshare.studies.common import StudyProgress, check_output_dir, dump_config

    if no_figures:
        cfg.output.figures = False
    if no_report:
        cfg.output.report = False
    if print_config:
        typer.echo(dump_config(cfg), nl=False)
        return None
    check_output_dir(out)  # one line before any computing
    console = Console(stderr=True)
    skipped = {
        s for s, on in (("figures", cfg.output.figures), ("report", cfg.output.report)) if not on
    }
    shown = [*steps, *(s for s in write_steps if s not in skipped)]
    # live on a terminal, quiet when stderr is piped or redirected
    with StudyProgress(shown, title=title, console=console) as progress:
        result = runner(cfg, out_dir=out, progress=progress)
    return result, console


# Each module below adds its command to ``app`` with ``@app.command(...)``.
from carbonshare.cli import (  # noqa: E402,F401
    run_alliances,
    run_bluecarbon,
    run_principles,
    run_responsibility,
)
