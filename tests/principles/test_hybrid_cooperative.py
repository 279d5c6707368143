"""Entropy composite, weighted mix, Shapley and alliance shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import ConfigError, GameError
from carbonshare.games import TabularGame
from carbonshare.principles import (
    alliance_shares,
    composite_index,
    entropy_composite,
    shapley_allocation,
    weighted_mix,
)


def _entropy_weights_by_hand(v: np.ndarray) -> np.ndarray:
    p = v / v.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    e = -plogp.sum(axis=0) / np.log(v.shape[0])
    return (1 - e) / (1 - e).sum()


def test_entropy_composite_default_indicators(toy_panel):
    ci = composite_index(toy_panel, start_year=2000)
    # raw: cumulative CO2 per person-year 2000-2002 (30/3, 15/6, 4/15), GDP / CO2 2002 (4, 20/6, 2.5)
    raw = np.array([[10.0, 4.0], [2.5, 20 / 6], [4 / 15, 2.5]])
    # entropy weights from the min-max normalised matrix ("-" reversed), Zhou et al. Eq. 1-7
    v = (raw - raw.min(0)) / (raw.max(0) - raw.min(0))
    v[:, 0] = 1 - v[:, 0]
    w = _entropy_weights_by_hand(v)
    assert ci.weights.to_numpy() == pytest.approx(w)
    # linear max scaling: min / x for "-", x / max for "+"
    scaled = np.column_stack([raw[:, 0].min() / raw[:, 0], raw[:, 1] / raw[:, 1].max()])
    index = scaled @ w
    assert ci.index.to_numpy() == pytest.approx(index)
    s = entropy_composite(toy_panel, start_year=2000)
    pop = np.array([1.0, 2.0, 5.0])
    assert s.to_numpy() == pytest.approx(pop * index / (pop * index).sum())
    unscaled = entropy_composite(toy_panel, start_year=2000, population=None)
    assert unscaled.to_numpy() == pytest.approx(index / index.sum())


def test_entropy_composite_follows_renamed_columns(toy_panel):
    # a user panel (firms, provinces) names its columns itself: the default
    # indicators must read them, not the bundled co2_t / gdp_usd
    renamed = toy_panel.rename(columns={"co2_t": "co2", "gdp_usd": "value_added"})
    s = entropy_composite(renamed, start_year=2000, emissions="co2", gdp="value_added")
    assert s.to_numpy() == pytest.approx(entropy_composite(toy_panel, start_year=2000).to_numpy())
    ci = composite_index(renamed, start_year=2000, emissions="co2", gdp="value_added")
    assert list(ci.weights.index) == ["cumulative_per_capita:co2", "ratio:value_added/co2"]


def test_composite_bad_direction(toy_panel):
    with pytest.raises(ConfigError, match="must be '\\+' or '-'"):
        entropy_composite(toy_panel, indicators={"population": "up"})


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 10), min_size=3, max_size=3).filter(lambda w: sum(w) > 0))
def test_weighted_mix_is_convex_combination(w):
    shares = pd.DataFrame(
        {"a": [0.2, 0.3, 0.5], "b": [0.6, 0.2, 0.2], "c": [1 / 3, 1 / 3, 1 / 3]}, index=list("XYZ")
    )
    mixed = weighted_mix(shares, dict(zip("abc", w, strict=True)))
    expected = shares.to_numpy() @ (np.array(w) / sum(w))
    assert mixed.to_numpy() == pytest.approx(expected)
    assert mixed.sum() == pytest.approx(1.0)


def test_weighted_mix_errors():
    shares = pd.DataFrame({"a": [0.5, 0.5]}, index=["X", "Y"])
    with pytest.raises(ConfigError, match=r"unknown rules \['z'\]"):
        weighted_mix(shares, {"z": 1})
    with pytest.raises(ConfigError, match="must be >= 0 and not all zero"):
        weighted_mix(shares, {"a": 0})


def test_shapley_allocation_hand_game():
    # v(A)=1, v(B)=2, v(C)=0, v(AB)=6, v(AC)=1, v(BC)=2, v(ABC)=9
    g = TabularGame(
        ["A", "B", "C"],
        {
            ("A",): 1,
            ("B",): 2,
            ("C",): 0,
            ("A", "B"): 6,
            ("A", "C"): 1,
            ("B", "C"): 2,
            ("A", "B", "C"): 9,
        },
    )
    # Shapley by hand (orders ABC ACB BAC BCA CAB CBA):
    # A: 1, 1, 4, 7, 1, 7 -> 21/6; B: 5, 8, 2, 2, 8, 2 -> 27/6; C: 3, 0, 3, 0, 0, 0 -> 6/6
    s = shapley_allocation(g)
    assert s.to_numpy() == pytest.approx(np.array([21, 27, 6]) / 54)


def test_shapley_allocation_errors():
    g = TabularGame(["A", "B"], {("A",): -3, ("B",): 1, ("A", "B"): 1})
    with pytest.raises(GameError, match="negative for A"):
        shapley_allocation(g)
    zero = TabularGame(["A", "B"], {("A",): 1, ("B",): -1, ("A", "B"): 0})
    with pytest.raises(GameError, match="v\\(N\\) = 0"):
        shapley_allocation(zero, allow_negative=True)


def test_alliance_shares():
    assert alliance_shares(pd.Series({"A": 1.0, "B": 3.0})).to_dict() == {"A": 0.25, "B": 0.75}
