"""The one interface: every rule through allocate() gives shares summing to 1."""

from __future__ import annotations

import pandas as pd
import pytest

from carbonshare.errors import ConfigError
from carbonshare.games import TabularGame
from carbonshare.principles import RULES, allocate, rule_table

PARAMS = {
    "equal_cumulative_per_capita": {"start_year": 2000, "remaining_budget": 100.0},
    "polluter_pays": {"start_year": 2000},
    "greenhouse_development_rights": {"start_year": 2000, "threshold": 5.0},
    "entropy_composite": {"start_year": 2000},
    "contraction_convergence": {"year": 2000, "target_year": 2010, "convergence_year": 2020},
    "mix": {"components": {"egalitarian": 2, "grandfathering": 1}},
    "shapley": {
        "game": TabularGame(
            ["R", "M", "P"],
            {
                ("R",): 1,
                ("M",): 1,
                ("P",): 1,
                ("R", "M"): 3,
                ("R", "P"): 2,
                ("M", "P"): 2,
                ("R", "M", "P"): 6,
            },
        )
    },
    "alliance": {"shares": pd.Series({"R": 1.0, "M": 2.0, "P": 3.0})},
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_sums_to_one(rule, toy_panel):
    s = allocate(rule, toy_panel, **PARAMS.get(rule, {}))
    assert s.name == rule
    assert s.sum() == pytest.approx(1.0)
    assert set(s.index) == {"R", "M", "P"}


def test_rule_table_lists_every_rule_with_kind():
    t = rule_table()
    assert set(t.index) == set(RULES)
    assert set(t["kind"]) == {"allowance", "burden"}
    burden = set(t.index[t["kind"] == "burden"])
    assert {"polluter_pays", "greenhouse_development_rights"} <= burden


def test_errors(toy_panel):
    with pytest.raises(ConfigError, match="unknown allocation rule 'sovereignty'; choose one of"):
        allocate("sovereignty", toy_panel)
    with pytest.raises(
        ConfigError, match=r"rule 'egalitarian' has no parameter base_year; its parameters are"
    ):
        allocate("egalitarian", toy_panel, base_year=2000)
    with pytest.raises(ConfigError, match="mixes allowance and burden rules"):
        allocate("mix", toy_panel, components={"egalitarian": 1, "polluter_pays": 1})


def test_import_is_light():
    import subprocess
    import sys

    code = (
        "import sys, carbonshare.principles; "
        "print(any(m.startswith(('scipy.optimize', 'matplotlib', 'plotly')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
