"""Fixtures for the report tests: Chromium, and small real inputs from the bundled data."""

from __future__ import annotations

import pandas as pd
import pytest

from carbonshare.report.browser import require_browser


@pytest.fixture
def chromium() -> str:
    """Chromium's path; skips (or fails with CARBONSHARE_REQUIRE_BROWSER=1) if missing."""
    return require_browser()


@pytest.fixture(scope="session")
def boundaries() -> dict:
    """Natural Earth 1:110m boundaries bundled with carbonshare."""
    from carbonshare.data import load_boundaries

    return load_boundaries()


@pytest.fixture(scope="session")
def countries() -> pd.DataFrame:
    from carbonshare.data import load_countries

    return load_countries()


@pytest.fixture(scope="session")
def co2_per_capita() -> pd.Series:
    """Territorial CO2 per person in 2020 (t), bundled GCP and World Bank data."""
    from carbonshare.data import load_panel

    p = load_panel(["co2_t", "population"]).xs(2020, level="year")
    s = (p["co2_t"] / p["population"]).dropna()
    s.name = "CO2 per capita (t)"
    return s
