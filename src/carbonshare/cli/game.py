"""`carbonshare game ...` commands: solve a game file, check its properties."""

from __future__ import annotations

import csv
import difflib
import json
import math
import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from carbonshare.errors import GameError

app = typer.Typer(
    help="Cooperative games: solve a game file (Shapley, Owen, nucleolus, SCRB...) or check it.",
    no_args_is_help=True,
)


class SolutionName(StrEnum):
    shapley = "shapley"
    owen = "owen"
    two_stage = "two-stage"
    banzhaf = "banzhaf"
    nucleolus = "nucleolus"
    prenucleolus = "prenucleolus"
    least_core = "least-core"
    scrb = "scrb"
    esd = "esd"
    eanc = "eanc"
    proportional = "proportional"
    equal_split = "equal-split"


class Scheme(StrEnum):
    auto = "auto"
    permutation = "permutation"
    antithetic = "antithetic"
    stratified = "stratified"


def read_unions(path: Path) -> dict[str, list[str]] | list[list[str]]:
    """Unions from CSV (columns ``player,union``) or JSON: ``{"union": ["p", ...]}`` or a
    list of lists ``[["A", "B"], ["C"]]``."""
    if not path.exists():
        raise GameError(f"unions file {path} does not exist")
    if path.suffix.lower() == ".json":
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            why = (
                f"not valid JSON ({exc.msg} at line {exc.lineno})"
                if isinstance(exc, json.JSONDecodeError)
                else "not UTF-8 text; save it as UTF-8"
            )
            raise GameError(f"{path}: {why}") from None
        if isinstance(doc, dict) and all(_names(v) for v in doc.values()):
            return {str(k): list(v) for k, v in doc.items()}
        if isinstance(doc, list) and all(_names(v) for v in doc):
            return [list(v) for v in doc]
        raise GameError(
            f"{path}: unions JSON must map union -> list of players, "
            f'{{"U1": ["A", "B"], "U2": ["C"]}}, or list the unions, [["A", "B"], ["C"]]'
        )
    if path.suffix.lower() != ".csv":
        raise GameError(f"unions file {path} must end in .csv or .json")
    try:
        return _read_unions_csv(path)
    except UnicodeDecodeError:
        raise GameError(f"{path}: not UTF-8 text; save the unions CSV as UTF-8") from None


def _names(value) -> bool:
    """True for a JSON list of player names."""
    return isinstance(value, list) and all(isinstance(p, str) for p in value)


def _read_unions_csv(path: Path) -> dict[str, list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "player" not in fields or "union" not in fields:
            raise GameError(
                f"{path}: the unions CSV needs columns 'player' and 'union'; got {reader.fieldnames}"
            )
        out: dict[str, list[str]] = {}
        for line, row in enumerate(reader, start=2):
            row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            for col in ("player", "union"):
                if not row[col]:
                    raise GameError(
                        f"{path}: line {line} has an empty '{col}'; give every player one "
                        "union label (a singleton union is fine)"
                    )
            out.setdefault(row["union"], []).append(row["player"])
    return out


GAME_FILE_HELP = (
    "Game as .csv with columns coalition,value (a coalition with several members is one "
    'quoted, comma-separated cell: "A,B",3; {} or an empty cell is the empty coalition; '
    "every coalition once) or .json "
    '({"players": [...], "values": {"A,B": 3, ...}} or "dividends").'
)

GAME_EPILOG = (
    "Example game CSV (the players are the members of the largest coalition; a "
    "coalition's members are separated by commas in one quoted cell):\n\n\b\n"
    '    coalition,value\n    {},0\n    A,1\n    B,1\n    C,2\n    "A,B",3\n    "A,C",4\n'
    '    "B,C",4\n    "A,B,C",6'
)


def _choice(option: str, given: str, names: list[str]) -> str:
    """A validated choice (hyphens or underscores, any case) or one error line."""
    name = given.strip().replace("_", "-").lower()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise GameError(f"{option} {given!r} is not known; {hint}choose one of {', '.join(names)}")
    return name


@app.command("solve", epilog=GAME_EPILOG)
def solve_cmd(
    game_file: Annotated[Path, typer.Argument(help=GAME_FILE_HELP)],
    solution: Annotated[
        str,
        typer.Option(
            "--solution",
            "-s",
            metavar="NAME",
            help="Solution concept: " + ", ".join(s.value for s in SolutionName) + ".",
        ),
    ] = "shapley",
    unions: Annotated[
        Path | None,
        typer.Option(
            help='A priori unions: CSV player,union; JSON {"U1": ["A", "B"], "U2": ["C"]} '
            'or [["A", "B"], ["C"]].'
        ),
    ] = None,
    cost: Annotated[bool, typer.Option("--cost", help="Treat the values as costs.")] = False,
    samples: Annotated[
        int | None, typer.Option(help="Sample N permutations (Shapley / Owen).")
    ] = None,
    tol: Annotated[
        float | None,
        typer.Option(help="With --samples: stop once every standard error is <= TOL."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed for sampling (with --samples; default 0).")
    ] = None,
    scheme: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Sampling scheme (with --samples): auto (default: antithetic pairs or plain "
            "permutations, whichever a pilot finds less variable), permutation, antithetic, "
            "or stratified (Shapley only).",
        ),
    ] = None,
    normalized: Annotated[
        bool, typer.Option("--normalized", help="Banzhaf normalised to sum to v(N).")
    ] = False,
    out: Annotated[Path | None, typer.Option(help="Write the allocation to .csv or .json.")] = None,
) -> None:
    """Solve a game and print the allocation with its diagnostics."""
    from rich.console import Console
    from rich.table import Table

    from carbonshare.games import read_game, solve

    if out is not None:
        _check_out(out)
    name = _choice("--solution", solution, [s.value for s in SolutionName])
    if scheme is not None:
        scheme = _choice("--scheme", scheme, [s.value for s in Scheme])
    game = read_game(game_file, cost=True if cost else None)
    kw: dict = {}
    if normalized:
        if name != "banzhaf":
            raise GameError(f"--normalized applies to banzhaf only, not {name}")
        kw["normalized"] = True
    if name in ("owen", "two-stage"):
        if unions is None:
            raise GameError(f"--solution {name} needs --unions FILE (player -> union)")
        kw["unions"] = read_unions(unions)
    elif unions is not None:
        raise GameError(f"--unions is only used by owen and two-stage, not {name}")
    if samples is None:
        for flag, given in (("--seed", seed), ("--scheme", scheme), ("--tol", tol)):
            if given is not None:
                raise GameError(f"{flag} only applies with --samples N (sampled shapley or owen)")
    else:
        if name not in ("shapley", "owen"):
            raise GameError(f"--samples applies to shapley and owen, not {name}")
        kw.update(method="sample", samples=samples, seed=0 if seed is None else seed, tol=tol)
        if scheme == Scheme.stratified and name != "shapley":
            raise GameError(f"--scheme {scheme} applies to shapley only")
        if scheme is not None:
            kw["scheme"] = scheme
    sol = solve(game, name, **kw)
    alloc = sol.allocation
    total = float(alloc.sum())
    shares_defined = abs(total) > 1e-9 * float(alloc.abs().sum())  # not 0 up to rounding
    label = f"{name} (normalised)" if normalized else name
    table = Table(title=f"{label} of {game_file.name} ({game.kind} game, {game.n} players)")
    table.add_column("player")
    table.add_column("value", justify="right")
    table.add_column("share", justify="right")
    se = sol.diagnostics.get("std_error")
    if se:
        table.add_column("std. error", justify="right")
    for player, value in alloc.items():
        row = [str(player), f"{value:.6g}", f"{value / total:.4f}" if shares_defined else "-"]
        if se:
            row.append(f"{se[player]:.3g}")
        table.add_row(*row)
    console = Console()
    console.print(table)
    diag = Table(title="diagnostics", show_header=False)
    for key in (
        "grand_value",
        "efficiency_gap",
        "individually_rational",
        "ir_violations",
        "in_core",
        "max_excess",
        "blocking_coalition",
        "in_core_reason",
        "epsilon",
        "samples",
        "scheme",
        "converged",
        "union_values",
        "zero_unions",
    ):
        if key in sol.diagnostics:
            diag.add_row(key, _show(sol.diagnostics[key]))
    console.print(diag)
    if out is not None:
        _write_solution(sol, out)
        console.print(f"wrote {out}")


def _show(value) -> str:
    """A diagnostic for the terminal: floats to 6 significant digits."""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    return str(value)


def _check_out(out: Path) -> None:
    """Fail before any computing if ``--out`` cannot be written (suffix, folder, permissions)."""
    if out.suffix.lower() not in (".csv", ".json"):
        raise GameError(f"--out {out} must end in .csv or .json")
    if out.is_dir():
        raise GameError(f"--out {out} is a folder; give a file name ending in .csv or .json")
    parent = out.parent
    if not parent.is_dir():
        what = "is a file, not a folder" if parent.exists() else "does not exist; create it first"
        raise GameError(f"--out {out}: the folder {parent} {what}")
    try:
        with tempfile.NamedTemporaryFile(dir=parent, prefix=f".{out.name}.", delete=True):
            pass
    except OSError as exc:
        raise GameError(f"--out {out}: cannot write to {parent} ({exc.strerror})") from None


def _write_solution(sol, out: Path) -> None:
    """Write the allocation to .csv or .json atomically (a temporary sibling, then rename),
    so an interrupted run never leaves a partial file."""
    if out.suffix.lower() == ".csv":
        frame = sol.allocation.rename("value").to_frame()
        frame.index.name = "player"
        text = frame.to_csv()
    else:
        doc = {
            "solution": sol.diagnostics["solution"],
            "allocation": {str(k): float(v) for k, v in sol.allocation.items()},
            "diagnostics": _finite_or_null(sol.diagnostics),
        }
        text = json.dumps(doc, indent=1, default=str, allow_nan=False)
    tmp = out.with_name(f".{out.name}.partial")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def _finite_or_null(obj):
    """JSON has no inf / NaN: such floats (e.g. max_excess = -inf for one player) become null."""
    if isinstance(obj, dict):
        return {k: _finite_or_null(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite_or_null(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


@app.command("check", epilog=GAME_EPILOG)
def check_cmd(
    game_file: Annotated[Path, typer.Argument(help=GAME_FILE_HELP)],
    cost: Annotated[bool, typer.Option("--cost", help="Treat the values as costs.")] = False,
) -> None:
    """Properties of a game: superadditivity, convexity, balancedness (core non-empty)."""
    from rich.console import Console
    from rich.table import Table

    from carbonshare.games import (
        DividendGame,
        balancedness_gap,
        convexity_violation,
        core_check,
        least_core,
        read_game,
        shapley_value,
        superadditivity_violation,
    )
    from carbonshare.games.core import MAX_SUPERADDITIVE_PLAYERS, abs_tol
    from carbonshare.games.game import MAX_TABLE_PLAYERS
    from carbonshare.games.nucleolus import MAX_NUCLEOLUS_PLAYERS

    game = read_game(game_file, cost=True if cost else None)
    table = Table(title=f"{game_file.name}: {game.kind} game, {game.n} players", show_header=False)
    table.add_row("v(N)", f"{game.grand_value():.6g}")
    convex_label = "concave" if game.cost else "convex"
    if game.n > MAX_TABLE_PLAYERS:  # only a dividend game gets here: no table, closed forms
        convex = isinstance(game, DividendGame) and game.dividends_nonnegative() and not game.cost
        unknown = f"not checked (2^n coalitions; limit {MAX_TABLE_PLAYERS} players)"
        for row, because in (
            ("superadditive", "convex"),
            (convex_label, "every Harsanyi dividend >= 0"),
            ("balanced (core non-empty)", "convex, Shapley 1971"),
            ("least-core epsilon", None),
            ("Shapley value in core", "convex, Shapley 1971"),
        ):
            table.add_row(row, f"yes ({because})" if convex and because else unknown)
        Console().print(table)
        return
    scale = abs_tol(game)  # 1e-9 of max |v(S)|: verdicts do not depend on the units
    label = "subadditive" if game.cost else "superadditive"
    if game.n <= MAX_SUPERADDITIVE_PLAYERS:
        worst, where = superadditivity_violation(game)
        table.add_row(
            label, "yes" if worst >= -scale else f"no: S={where[0]}, T={where[1]} ({worst:.6g})"
        )
    else:
        table.add_row(label, f"not checked (3^n pairs; limit {MAX_SUPERADDITIVE_PLAYERS} players)")
    worst, where = convexity_violation(game)
    table.add_row(
        convex_label,
        "yes" if worst >= -scale else f"no: S={where[0]}, i={where[1]}, j={where[2]} ({worst:.6g})",
    )
    if game.n <= MAX_NUCLEOLUS_PLAYERS:
        gap = balancedness_gap(game)
        table.add_row(
            "balanced (core non-empty)",
            "yes" if gap <= scale else f"no (Bondareva-Shapley gap {gap:.6g})",
        )
        table.add_row("least-core epsilon", f"{least_core(game).attrs['epsilon']:.6g}")
    else:
        for row in ("balanced (core non-empty)", "least-core epsilon"):
            table.add_row(row, f"not checked (LP over 2^n rows; limit {MAX_NUCLEOLUS_PLAYERS})")
    chk = core_check(game, shapley_value(game))
    table.add_row(
        "Shapley value in core",
        "yes"
        if chk.in_core
        else f"no: max excess {chk.max_excess:.6g} of {chk.blocking_coalition}",
    )
    Console().print(table)
