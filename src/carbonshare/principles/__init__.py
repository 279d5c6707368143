"""Allocation principles (docs/methods.md C2): how much each entity may emit.

Every rule returns shares that sum to 1, behind one interface::

    >>> import pandas as pd
    >>> from carbonshare.principles import allocate, RULES
    >>> panel = pd.DataFrame({"co2_t": [1.0, 3.0], "population": [3.0, 1.0]}, index=["A", "B"])
    >>> allocate("egalitarian", panel).to_dict()
    {'A': 0.75, 'B': 0.25}

Rules (``RULES``) cover equity (grandfathering, egalitarian, equal cumulative
per capita, ability to pay, GDR, polluter pays, economic activity,
horizontal and vertical equity, contraction and convergence), efficiency
(carbon productivity, benchmarking, ZSG-DEA), hybrids (entropy composite,
weighted mix) and cooperative games (Shapley, alliance shares). Budgets turn
shares into tonnes; :mod:`~carbonshare.principles.compare` and
:mod:`~carbonshare.principles.inequality` compare rules.

scipy is imported only when DEA or rank correlations run.
"""

from carbonshare.principles.budgets import (
    allocate_budget,
    allocate_pathway,
    burden_to_allowance,
    ipcc_ar6_budgets,
    ipcc_ar6_provenance,
    linear_cap_pathway,
    per_capita,
    remaining_carbon_budget,
)
from carbonshare.principles.compare import (
    allowance_table,
    inequality_table,
    rank_correlation,
    winners_losers,
)
from carbonshare.principles.convergence import (
    contraction_convergence,
    contraction_convergence_pathway,
)
from carbonshare.principles.cooperative import alliance_shares, shapley_allocation
from carbonshare.principles.cumulative import ecpc_account, equal_cumulative_per_capita
from carbonshare.principles.dea import dea_efficiency
from carbonshare.principles.efficiency import (
    benchmark_allowances,
    benchmarking,
    carbon_productivity,
)
from carbonshare.principles.equity import (
    ability_to_pay,
    ability_to_pay_reduction,
    economic_activity,
    egalitarian,
    grandfathering,
    horizontal_equity,
    polluter_pays,
    vertical_equity,
)
from carbonshare.principles.gdr import (
    greenhouse_development_rights,
    responsibility_capability_index,
)
from carbonshare.principles.hybrid import (
    composite_index,
    default_composite,
    entropy_composite,
    weighted_mix,
)
from carbonshare.principles.inequality import coefficient_of_variation, gini, theil
from carbonshare.principles.registry import RULES, Rule, allocate, rule_table
from carbonshare.principles.zsg import ZSGResult, zsg_dea, zsg_dea_shares

__all__ = [
    "RULES",
    "Rule",
    "ZSGResult",
    "ability_to_pay",
    "ability_to_pay_reduction",
    "allocate",
    "allocate_budget",
    "allocate_pathway",
    "alliance_shares",
    "allowance_table",
    "benchmark_allowances",
    "benchmarking",
    "burden_to_allowance",
    "carbon_productivity",
    "coefficient_of_variation",
    "composite_index",
    "contraction_convergence",
    "contraction_convergence_pathway",
    "dea_efficiency",
    "default_composite",
    "economic_activity",
    "ecpc_account",
    "egalitarian",
    "entropy_composite",
    "equal_cumulative_per_capita",
    "gini",
    "grandfathering",
    "greenhouse_development_rights",
    "horizontal_equity",
    "inequality_table",
    "ipcc_ar6_budgets",
    "ipcc_ar6_provenance",
    "linear_cap_pathway",
    "per_capita",
    "polluter_pays",
    "rank_correlation",
    "remaining_carbon_budget",
    "responsibility_capability_index",
    "rule_table",
    "shapley_allocation",
    "theil",
    "vertical_equity",
    "weighted_mix",
    "winners_losers",
    "zsg_dea",
    "zsg_dea_shares",
]
