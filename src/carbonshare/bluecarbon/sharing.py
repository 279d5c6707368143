"""Allocating the gains of cooperation among the coastal countries (docs/methods.md B6).

The game: v(S) = sum_{i in S} Carbon_i(S, q) (annual sequestration in the
horizon year, t CO2, when S cooperates at intensity q); v({i}) is BAU. SCRB,
ESD and EANC need only v(U), v(U \\ i) and v({i}) (n + 1 + n evaluations) and
come from :mod:`carbonshare.games`; so does the sampled Shapley value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from carbonshare import games
from carbonshare.bluecarbon.cooperation import BlueCarbonScenario
from carbonshare.errors import ConfigError

__all__ = [
    "SHARING_RULES",
    "SharingResult",
    "allocation_checks",
    "sequestration_game",
    "share_gains",
]

SHARING_RULES = {"scrb": games.scrb, "esd": games.esd, "eanc": games.eanc}
"""The separable rules of B6, in the order of preference for the chosen rule."""


def sequestration_game(scenario: BlueCarbonScenario, q: float) -> games.CallableGame:
    """The coalition game of B6 over the scenario's countries (a vectorised CallableGame).

    Examples
    --------
    >>> import pandas as pd
    >>> from carbonshare.bluecarbon.cooperation import BlueCarbonScenario
    >>> idx = pd.Index(["A", "B"], name="iso3")
    >>> sc = BlueCarbonScenario(
    ...     capacity=pd.DataFrame({"g": [10.0, 50.0]}, idx), capacity_weights=pd.Series({"g": 1.0}),
    ...     dc_bau=pd.Series([10.0, 50.0], idx), areas=pd.DataFrame({"m": [1.0, 1.0]}, idx),
    ...     burial_rates=pd.Series({"m": 12 / 44}),
    ...     coefficients=pd.DataFrame({"intercept": 0.0, "slope": 0.01}, idx),
    ...     transform="identity")
    >>> g = sequestration_game(sc, 1.0)
    >>> round(g.value(["A"]), 6), round(g.value(["A", "B"]), 6)  # A lifted from 10 to 50
    (1.1, 3.0)
    """
    return games.CallableGame(
        list(scenario.countries),
        lambda M: scenario.coalition_values(M, q),
        vectorized=True,
    )


def allocation_checks(game: games.Game, allocations: pd.DataFrame, tol: float = 1e-9):
    """Efficiency and individual rationality of each allocation (column).

    ``tol`` is relative to scale = max(1, |v(N)|) and covers rounding only: a
    country short of its standalone value by more (however small next to
    v(N)) is a violation.

    Returns
    -------
    DataFrame indexed by rule: efficiency_gap = sum b - v(N),
    ir_violations = #{i: b_i < v({i}) - tol * scale}, min_surplus = min_i
    (b_i - v({i})), efficient, individually_rational.
    """
    single = pd.Series(game.singleton_values(), index=list(game.players))
    grand = game.grand_value()
    scale = max(1.0, abs(grand))
    rows = {}
    for rule, b in allocations.items():
        surplus = b.reindex(single.index) - single
        gap = float(b.sum() - grand)
        viol = int((surplus < -tol * scale).sum())
        rows[rule] = {"efficiency_gap": gap, "ir_violations": viol,
                      "min_surplus": float(surplus.min()),
                      "efficient": abs(gap) <= tol * scale,
                      "individually_rational": viol == 0}  # fmt: skip
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "rule"
    return out


@dataclass
class SharingResult:
    """Allocations of the grand-coalition value and their checks.

    Attributes
    ----------
    allocations : iso3 x rule (t CO2 per year), incl. ``shapley`` when sampled.
    checks : rule x [efficiency_gap, ir_violations, min_surplus, efficient, individually_rational].
    chosen : the rule used for the benefits (first individually rational rule
        of SCRB, ESD, EANC; SCRB when none is).
    shapley_se : iso3 -> standard error of the sampled Shapley value (empty if not sampled).
    values : v(U), sum v({i}), and the game's n.
    """

    allocations: pd.DataFrame
    checks: pd.DataFrame
    chosen: str
    shapley_se: pd.Series
    values: dict


def share_gains(
    game: games.Game,
    rules: tuple[str, ...] | list[str] = ("scrb", "esd", "eanc"),
    *,
    shapley_samples: int = 0,
    seed: int = 0,
) -> SharingResult:
    """SCRB, ESD, EANC (and optionally sampled Shapley) with their checks and the chosen rule.

    Parameters
    ----------
    game : the coalition game (:func:`sequestration_game`).
    rules : subset of :data:`SHARING_RULES` (order = preference).
    shapley_samples : permutations of the sampled Shapley value (0: skip).
    seed : seed of the sampling.

    Examples
    --------
    >>> g = games.TabularGame(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 6})
    >>> res = share_gains(g)
    >>> res.chosen, res.allocations.loc["A"].tolist()
    ('scrb', [2.5, 2.5, 2.5])
    """
    unknown = [r for r in rules if r not in SHARING_RULES]
    if unknown or not rules:
        raise ConfigError(f"sharing rules {unknown or '[]'} are unknown; use scrb, esd, eanc")
    alloc = pd.DataFrame({r: SHARING_RULES[r](game) for r in rules})
    se = pd.Series(dtype=float, name="std_error")
    if shapley_samples:
        sampled = games.shapley_sample(game, samples=int(shapley_samples), seed=seed)
        alloc["shapley"] = sampled.values
        se = sampled.std_error
    alloc.index.name = "iso3"
    checks = allocation_checks(game, alloc)
    ok = [r for r in rules if bool(checks.at[r, "individually_rational"])]
    chosen = ok[0] if ok else rules[0]
    values = {"grand": float(game.grand_value()),
              "standalone_sum": float(np.sum(game.singleton_values())), "n": int(game.n)}  # fmt: skip
    return SharingResult(alloc, checks, chosen, se, values)
