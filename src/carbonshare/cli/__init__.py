"""The ``carbonshare`` command line.

Each command group lives in its own module and registers a ``typer.Typer``
named ``app``; this module only assembles them and turns carbonshare errors
into one readable line (``--debug`` for the traceback).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn

import typer

from carbonshare import __version__
from carbonshare.cli import data as data_cli
from carbonshare.cli import game as game_cli
from carbonshare.cli import run as run_cli
from carbonshare.cli import sweep as sweep_cli
from carbonshare.cli import uncertainty as uncertainty_cli
from carbonshare.errors import CarbonshareError

app = typer.Typer(
    rich_markup_mode=None,  # plain help: flags show as flags, not "<bool>"
    name="carbonshare",
    help="Fair allocation of carbon: emission rights, responsibility accounts, cooperation gains.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(data_cli.app, name="data")
app.add_typer(game_cli.app, name="game")
app.add_typer(run_cli.app, name="run")
app.add_typer(sweep_cli.app, name="sweep")
app.add_typer(uncertainty_cli.app, name="uncertainty")

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"carbonshare {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        metavar="",
        help="Print the version and exit.",
    ),
    debug: bool = typer.Option(
        False, "--debug", metavar="", help="Show full tracebacks and debug logs."
    ),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", metavar="", help="Show info-level log messages."
    ),
) -> None:
    _state["debug"] = debug
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    # user-facing lines are sentences; --debug adds the module that logged them
    fmt = "%(levelname)s %(name)s: %(message)s" if debug else "%(levelname)s: %(message)s"
    logging.basicConfig(level=level, format=fmt)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``carbonshare`` script; returns the exit code."""
    try:
        code = app(args=argv, prog_name="carbonshare", standalone_mode=False)
    except CarbonshareError as exc:
        if _state["debug"]:
            raise
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        return 2
    except (typer.Abort, KeyboardInterrupt):
        return _interrupted()
    except typer.Exit as exc:
        return _interrupted() if exc.exit_code == INTERRUPTED else exc.exit_code
    except Exception as exc:
        # Usage errors of click (vendored by recent typer as ``typer._click``) know how to show
        # themselves; duck-typing keeps this independent of where click lives.
        if callable(getattr(exc, "show", None)) and isinstance(
            getattr(exc, "exit_code", None), int
        ):
            exc.show()
            return exc.exit_code
        if _state["debug"]:
            raise
        typer.secho(
            f"error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
            err=True,
            fg=typer.colors.RED,
        )
        return 1
    # typer turns Ctrl-C into the return value 130 when not in standalone mode
    if isinstance(code, int) and not isinstance(code, bool) and code != 0:
        return _interrupted() if code == INTERRUPTED else code
    return 0


def console(argv: list[str] | None = None) -> NoReturn:
    """The ``carbonshare`` console script and ``python -m carbonshare``: :func:`main`, then exit.

    Every output is written and closed when :func:`main` returns (the studies write inside
    context managers, helper processes are shut down), so the process ends with
    :func:`os._exit` after flushing the log and the standard streams: tearing down the
    interpreter (freeing every pandas, matplotlib and geopandas object one by one) would add
    0.2-0.4 s to every command and change nothing on disk. Call :func:`main` to stay in
    Python (tests, scripts). The garbage collector runs full collections rarely
    (:func:`carbonshare.runtime.command_gc`).
    """
    from carbonshare.runtime import command_gc

    command_gc()
    code = main(argv)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``carbonshare ... | head``)
            pass
    os._exit(code)


INTERRUPTED = 130
"""Exit code of an interrupted run (128 + SIGINT)."""


def _interrupted() -> int:
    typer.secho(
        "error: interrupted (Ctrl-C); the run stopped before finishing and wrote no output",
        err=True,
        fg=typer.colors.RED,
    )
    return INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    console()
