"""Cooperative (TU) games and their solutions (docs/methods.md A6, B6, C2, C3).

Games are keyed by explicit player names. Representations: :class:`TabularGame`
(explicit table), :class:`CallableGame` (value function), :class:`DividendGame`
(sparse Harsanyi dividends), and the alliance game of docs/methods.md A6
(:func:`alliance_game`) with exact O(n^2) closed forms.

Importing this package is light: scipy.optimize is imported only by the
LP-based solutions (nucleolus, least core, balancedness).
"""

from carbonshare.games.alliance import AllianceGame, alliance_game
from carbonshare.games.banzhaf import banzhaf_value
from carbonshare.games.core import (
    CoreCheck,
    balancedness_gap,
    convexity_violation,
    core_check,
    excesses,
    is_balanced,
    is_convex,
    is_superadditive,
    superadditivity_violation,
)
from carbonshare.games.dividend import DividendGame, mobius_transform, zeta_transform
from carbonshare.games.game import CallableGame, Game, TabularGame
from carbonshare.games.io import read_game, write_game
from carbonshare.games.nucleolus import least_core, nucleolus, prenucleolus
from carbonshare.games.owen import owen_value, quotient_game, subgame, two_stage_shapley
from carbonshare.games.separable import eanc, equal_split, esd, proportional, scrb
from carbonshare.games.shapley import SampledValue, shapley_sample, shapley_value
from carbonshare.games.solve import SOLUTIONS, Solution, diagnostics, solve
from carbonshare.games.unions import partition

__all__ = [
    "SOLUTIONS",
    "AllianceGame",
    "CoreCheck",
    "Solution",
    "balancedness_gap",
    "convexity_violation",
    "core_check",
    "diagnostics",
    "eanc",
    "equal_split",
    "esd",
    "excesses",
    "is_balanced",
    "is_convex",
    "is_superadditive",
    "least_core",
    "nucleolus",
    "prenucleolus",
    "proportional",
    "read_game",
    "scrb",
    "solve",
    "superadditivity_violation",
    "write_game",
    "CallableGame",
    "DividendGame",
    "Game",
    "SampledValue",
    "TabularGame",
    "alliance_game",
    "banzhaf_value",
    "mobius_transform",
    "owen_value",
    "partition",
    "quotient_game",
    "shapley_sample",
    "shapley_value",
    "subgame",
    "two_stage_shapley",
    "zeta_transform",
]
