"""`carbonshare game ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="game commands.", no_args_is_help=True)
