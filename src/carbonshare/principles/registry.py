"""One interface to every allocation rule: ``RULES`` and :func:`allocate`.

Every rule maps data (a panel indexed by (entity, year), or a cross-section)
and keyword parameters to a ``pd.Series`` of shares indexed by entity that
sums to 1. ``Rule.kind`` says what is shared: ``"allowance"`` (who may emit
how much) or ``"burden"`` (who must reduce how much; turn it into allowances
with :func:`carbonshare.principles.budgets.burden_to_allowance`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from carbonshare.errors import ConfigError
from carbonshare.principles import (
    convergence,
    cooperative,
    cumulative,
    efficiency,
    equity,
    gdr,
    hybrid,
    zsg,
)
from carbonshare.principles._shares import check_shares

__all__ = ["RULES", "Rule", "allocate", "rule_table"]


@dataclass(frozen=True)
class Rule:
    """An allocation rule: its function, what it shares and which principle it serves."""

    name: str
    function: Callable[..., pd.Series]
    kind: Literal["allowance", "burden"]
    principle: Literal["equity", "efficiency", "hybrid", "cooperative"]
    summary: str


def _shapley(data: Any = None, *, game, method: str = "auto", allow_negative: bool = False):
    return cooperative.shapley_allocation(game, method=method, allow_negative=allow_negative)


def _alliance(data: Any = None, *, shares: pd.Series):
    return cooperative.alliance_shares(shares)


def _mix(data, *, components: Mapping[str, float], params: Mapping[str, Mapping] | None = None):
    params = dict(params or {})
    unknown = [r for r in components if r not in RULES or r == "mix"]
    if unknown:
        raise ConfigError(f"mix.components: unknown rules {unknown}; available: {sorted(RULES)}")
    kinds = {RULES[r].kind for r in components}
    if len(kinds) > 1:
        raise ConfigError(
            f"mix.components mixes allowance and burden rules ({sorted(components)}); mix rules "
            f"of one kind, or convert burdens with budgets.burden_to_allowance first"
        )
    table = pd.DataFrame({r: allocate(r, data, **params.get(r, {})) for r in components})
    return hybrid.weighted_mix(table, components)


_RULES = [
    Rule(
        "grandfathering",
        equity.grandfathering,
        "allowance",
        "equity",
        "shares of base-year (or window-mean) emissions",
    ),
    Rule(
        "egalitarian",
        equity.egalitarian,
        "allowance",
        "equity",
        "equal per capita: shares of reference-year population",
    ),
    Rule(
        "equal_cumulative_per_capita",
        cumulative.equal_cumulative_per_capita,
        "allowance",
        "equity",
        "population share of the budget since a start year, minus past emissions",
    ),
    Rule(
        "ability_to_pay",
        equity.ability_to_pay,
        "allowance",
        "equity",
        "population weighted by (GDP per capita / world)^-k",
    ),
    Rule(
        "ability_to_pay_reduction",
        equity.ability_to_pay_reduction,
        "burden",
        "equity",
        "reductions proportional to emissions x (GDP per capita / world)^(1/3)",
    ),
    Rule(
        "greenhouse_development_rights",
        gdr.greenhouse_development_rights,
        "burden",
        "equity",
        "responsibility-capability index (Baer et al. 2008)",
    ),
    Rule(
        "polluter_pays",
        equity.polluter_pays,
        "burden",
        "equity",
        "shares of cumulative emissions since a start year",
    ),
    Rule("economic_activity", equity.economic_activity, "allowance", "equity", "shares of GDP"),
    Rule(
        "horizontal_equity",
        equity.horizontal_equity,
        "burden",
        "equity",
        "equal cost as a share of GDP (Rose et al. 1998)",
    ),
    Rule(
        "vertical_equity",
        equity.vertical_equity,
        "burden",
        "equity",
        "cost share rising with GDP per capita (Rose et al. 1998)",
    ),
    Rule(
        "contraction_convergence",
        convergence.contraction_convergence,
        "allowance",
        "equity",
        "linear convergence from grandfathering to equal per capita",
    ),
    Rule(
        "carbon_productivity",
        efficiency.carbon_productivity,
        "allowance",
        "efficiency",
        "emissions weighted by (carbon productivity / world)^k",
    ),
    Rule(
        "benchmarking",
        efficiency.benchmarking,
        "allowance",
        "efficiency",
        "output x benchmark intensity (best in class or percentile)",
    ),
    Rule(
        "zsg_dea",
        zsg.zsg_dea_shares,
        "allowance",
        "efficiency",
        "zero-sum-gains DEA reallocation of base-year emissions to the frontier",
    ),
    Rule(
        "entropy_composite",
        hybrid.entropy_composite,
        "allowance",
        "hybrid",
        "entropy-weighted index of population, cumulative emissions, efficiency",
    ),
    Rule("mix", _mix, "allowance", "hybrid", "user-weighted mix of other rules"),
    Rule(
        "shapley",
        _shapley,
        "allowance",
        "cooperative",
        "Shapley value of a user-defined cooperative game",
    ),
    Rule(
        "alliance",
        _alliance,
        "allowance",
        "cooperative",
        "two-stage Shapley shares of the alliance study",
    ),
]

#: Every rule by name.
RULES: dict[str, Rule] = {r.name: r for r in _RULES}


def allocate(rule: str, data: pd.DataFrame | None = None, **params) -> pd.Series:
    """Shares of ``rule`` applied to ``data`` with ``params``; they sum to 1.

    Parameters
    ----------
    rule : a key of :data:`RULES`.
    data : panel (entity, year) or cross-section (entity); unused by ``shapley``
        (``game=``) and ``alliance`` (``shares=``).
    **params : the rule function's keyword parameters (see its docstring).

    Returns
    -------
    Series indexed by entity, named after the rule. For ``mix`` the kind is the
    kind of its components.

    Raises
    ------
    ConfigError  for an unknown rule or parameter; DataError from the rule.

    Examples
    --------
    >>> panel = pd.DataFrame({"co2_t": [1.0, 3.0], "population": [1.0, 1.0]}, index=["A", "B"])
    >>> allocate("grandfathering", panel).to_dict()
    {'A': 0.25, 'B': 0.75}
    >>> allocate("mix", panel, components={"grandfathering": 1, "egalitarian": 1}).to_dict()
    {'A': 0.375, 'B': 0.625}
    """
    if rule not in RULES:
        raise ConfigError(
            f"unknown allocation rule {rule!r}; choose one of {', '.join(sorted(RULES))}"
        )
    import inspect

    spec = RULES[rule]
    accepted = inspect.signature(spec.function).parameters
    unknown = [p for p in params if p not in accepted]
    if unknown:
        options = [p for p in accepted if p != "data"]
        raise ConfigError(
            f"rule {rule!r} has no parameter {', '.join(unknown)}; its parameters are {options}"
        )
    shares = spec.function(data, **params).rename(rule)
    return check_shares(shares, rule, atol=1e-8)


def rule_table() -> pd.DataFrame:
    """Name, kind, principle and summary of every rule (for docs and the CLI).

    Examples
    --------
    >>> rule_table().loc["zsg_dea", "kind"]
    'allowance'
    """
    return pd.DataFrame(
        [(r.name, r.kind, r.principle, r.summary) for r in _RULES],
        columns=["rule", "kind", "principle", "summary"],
    ).set_index("rule")
