"""`carbonshare run ...`: the end-to-end studies.

Each study registers its command from its own module so that the studies
stay independent: ``alliances`` (METHODS A), ``principles`` (C2),
``responsibility`` (C1, C3).
"""

from __future__ import annotations

import typer

app = typer.Typer(help="Run an end-to-end study on the bundled data.", no_args_is_help=True)

# Each module below adds its command to ``app`` with ``@app.command(...)``.
from carbonshare.cli import run_alliances, run_principles, run_responsibility  # noqa: E402,F401
