"""One entry point for every solution: ``solve(game, "shapley")`` -> :class:`Solution`.

Diagnostics reported for every allocation x:

- ``efficiency_gap`` = x(N) - v(N) and ``efficient`` (|gap| <= tol);
- ``individually_rational``: x_i >= v({i}) (cost games: x_i <= c({i})),
  with the players who fall short in ``ir_violations``;
- for table and dividend games with n <= 22 (other games: n <= 12):
  ``in_core``, ``max_excess`` (max over S != {}, N of v(S) - x(S), or
  x(S) - c(S) for cost games) and ``blocking_coalition``; otherwise these
  are None (not checked, with ``in_core_reason``), except that the exact
  Shapley value of a convex dividend game (all dividends >= 0) is in the
  core by Shapley (1971) and is reported as such.

Every tolerance is relative to the game's unit, max |v(S)| over its table (over
v(N) and the v({i}) when the table is not built), so the verdicts do not
depend on the units of the game.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from carbonshare.errors import GameError
from carbonshare.games.banzhaf import banzhaf_value
from carbonshare.games.core import aligned_allocation, core_check
from carbonshare.games.dividend import DividendGame
from carbonshare.games.game import MAX_TABLE_PLAYERS, Game, TabularGame, value_unit
from carbonshare.games.owen import owen_value, two_stage_shapley
from carbonshare.games.separable import eanc, equal_split, esd, proportional, scrb
from carbonshare.games.shapley import shapley_value

logger = logging.getLogger(__name__)


@dataclass
class Solution:
    """An allocation and its diagnostics.

    Attributes
    ----------
    allocation : Series player -> value (name = solution name).
    diagnostics : dict (see module docstring), JSON-serialisable.
    """

    allocation: pd.Series
    diagnostics: dict = field(default_factory=dict)


def _nucleolus(game: Game, **kw) -> pd.Series:
    from carbonshare.games.nucleolus import nucleolus

    return nucleolus(game, **kw)


def _prenucleolus(game: Game, **kw) -> pd.Series:
    from carbonshare.games.nucleolus import prenucleolus

    return prenucleolus(game, **kw)


def _least_core(game: Game, **kw) -> pd.Series:
    from carbonshare.games.nucleolus import least_core

    return least_core(game, **kw)


SOLUTIONS: dict[str, tuple[Callable[..., pd.Series], tuple[str, ...]]] = {
    "shapley": (shapley_value, ("method", "samples", "tol", "seed", "scheme")),
    "owen": (owen_value, ("unions", "method", "samples", "tol", "seed", "scheme")),
    "two-stage": (two_stage_shapley, ("unions", "method", "on_zero", "samples", "seed")),
    "banzhaf": (banzhaf_value, ("normalized",)),
    "nucleolus": (_nucleolus, ("tol",)),
    "prenucleolus": (_prenucleolus, ("tol",)),
    "least-core": (_least_core, ()),
    "scrb": (scrb, ()),
    "esd": (esd, ()),
    "eanc": (eanc, ()),
    "proportional": (proportional, ("weights",)),
    "equal-split": (equal_split, ()),
}
"""Solution name -> (function, accepted keyword arguments)."""


def solve(game: Game, solution: str, *, diag_tol: float = 1e-9, **kw) -> Solution:
    """Compute a named solution and its diagnostics.

    Parameters
    ----------
    game : any game.
    solution : one of ``SOLUTIONS`` (shapley, owen, two-stage, banzhaf,
        nucleolus, prenucleolus, least-core, scrb, esd, eanc, proportional,
        equal-split); underscores are accepted for hyphens.
    diag_tol : tolerance of the diagnostics, relative to max |v(S)| (see module docstring).
    **kw : passed to the solution (e.g. ``unions=`` for owen / two-stage,
        ``samples=`` and ``tol=`` (stopping tolerance) for sampled Shapley / Owen,
        ``tol=`` (dual threshold) for the nucleolus); unknown keywords raise.

    Returns
    -------
    Solution

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> g = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) ** 2))
    >>> sol = solve(g, "shapley")
    >>> sol.allocation.tolist(), sol.diagnostics["in_core"]
    ([3.0, 3.0, 3.0], True)
    """
    name = solution.replace("_", "-").lower()
    if name not in SOLUTIONS:
        raise GameError(f"unknown solution {solution!r}; choose one of {', '.join(SOLUTIONS)}")
    fn, accepted = SOLUTIONS[name]
    unknown = [k for k in kw if k not in accepted]
    if unknown:
        raise GameError(
            f"solution {name!r} does not take {', '.join(unknown)}; it accepts "
            f"{', '.join(accepted) or 'no options'}"
        )
    if name in ("owen", "two-stage") and kw.get("unions") is None:
        raise GameError(f"solution {name!r} needs unions= (player -> union label)")
    alloc = fn(game, **{k: v for k, v in kw.items() if v is not None})
    diag = diagnostics(game, alloc, tol=diag_tol)
    diag["solution"] = name
    for key in (
        "std_error",
        "samples",
        "converged",
        "scheme",
        "epsilon",
        "union_values",
        "zero_unions",
    ):
        if key in alloc.attrs:
            diag[key] = alloc.attrs[key]
    return Solution(alloc, diag)


def diagnostics(game: Game, allocation: pd.Series, *, tol: float = 1e-9) -> dict:
    """Efficiency, individual rationality and core facts of an allocation.

    Examples
    --------
    >>> from carbonshare.games import TabularGame
    >>> g = TabularGame(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 6})
    >>> d = diagnostics(g, pd.Series({"A": 0.5, "B": 5.5}))
    >>> d["individually_rational"], d["ir_violations"], d["in_core"]
    (False, ['A'], False)
    """
    grand = game.grand_value()
    x = aligned_allocation(game, allocation)
    single = game.singleton_values()
    cheap_table = isinstance(game, TabularGame | DividendGame) or game.n <= 12
    core_checked = game.n <= min(MAX_TABLE_PLAYERS, 22) and cheap_table
    # tolerances relative to the game's unit: max |v| over the table when it is built,
    # else over v(N) and the v({i})
    unit = value_unit(game.table() if core_checked else np.append(single, grand))
    scale = tol * unit
    short = x > single + scale if game.cost else x < single - scale
    gap = float(x.sum() - grand)
    out: dict = {
        "game_kind": game.kind,
        "n_players": game.n,
        "grand_value": grand,
        "allocated": float(x.sum()),
        "efficiency_gap": gap,
        "efficient": bool(abs(gap) <= scale),
        "individually_rational": bool(not short.any()),
        "ir_violations": [game.players[k] for k in np.flatnonzero(short)],
        "in_core": None,
        "max_excess": None,
        "blocking_coalition": None,
    }
    if core_checked:
        chk = core_check(game, allocation, tol=tol)
        out.update(
            in_core=chk.in_core,
            max_excess=chk.max_excess,
            blocking_coalition=list(chk.blocking_coalition) if chk.blocking_coalition else None,
        )
    elif (
        isinstance(game, DividendGame)
        and allocation.name == "shapley"
        and "std_error" not in allocation.attrs
        and not game.cost
        and game.dividends_nonnegative()
    ):
        out["in_core"] = True
        out["in_core_reason"] = "convex game (all dividends >= 0): Shapley value is in the core"
    else:
        out["in_core_reason"] = (
            f"not checked: {game.n} players of a {type(game).__name__} (2^n coalitions)"
        )
    return out
