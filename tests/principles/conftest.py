"""Shared small panels for the principles tests (hand-checkable numbers, not real data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def build_panel(columns: dict[str, dict[str, list[float]]], years: list[int]) -> pd.DataFrame:
    """Panel (entity, year) from {column: {entity: [value per year]}}."""
    entities = list(next(iter(columns.values())))
    index = pd.MultiIndex.from_product([entities, years], names=["entity", "year"])
    data = {
        col: np.concatenate([np.asarray(per[e], dtype=float) for e in entities])
        for col, per in columns.items()
    }
    return pd.DataFrame(data, index=index)


@pytest.fixture(scope="session")
def make_panel():
    return build_panel


@pytest.fixture
def toy_panel() -> pd.DataFrame:
    """Three entities, 2000-2002: a rich high emitter, a middle one, a poor low emitter."""
    return build_panel(
        {
            "co2_t": {"R": [10.0, 10.0, 10.0], "M": [4.0, 5.0, 6.0], "P": [1.0, 1.0, 2.0]},
            "population": {"R": [1.0, 1.0, 1.0], "M": [2.0, 2.0, 2.0], "P": [5.0, 5.0, 5.0]},
            "gdp_usd": {"R": [40.0, 40.0, 40.0], "M": [20.0, 20.0, 20.0], "P": [5.0, 5.0, 5.0]},
        },
        [2000, 2001, 2002],
    )


def random_cross_section(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Positive random cross-section with the bundled column names."""
    return pd.DataFrame(
        {
            "co2_t": rng.uniform(0.1, 100.0, n),
            "population": rng.uniform(0.1, 100.0, n),
            "gdp_usd": rng.uniform(0.1, 100.0, n),
        },
        index=[f"E{i}" for i in range(n)],
    )


@pytest.fixture(scope="session")
def random_xs():
    return random_cross_section
