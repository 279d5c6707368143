"""Cross-checks of the bundled panel against independent raw files.

The OWID CO2 dataset of December 2020 (GCB 2020 vintage, raw folder
``owid-co2-data-2020``) is not used by the build, so it is an independent
check of the GCP territorial CO2 (GCB 2022) and of the WB population. Vintages
differ, so the tolerances are a few percent.
"""

from __future__ import annotations

import pandas as pd
import pytest

from carbonshare.data import INDICATOR_NAMES, load_panel

BIG = ["CHN", "USA", "IND", "RUS", "JPN", "DEU", "IRN", "KOR", "SAU", "IDN", "CAN", "BRA", "ZAF"]


@pytest.fixture(scope="module")
def owid2020(raw_dir):
    df = pd.read_csv(raw_dir / "owid-co2-data-2020" / "owid-co2-data.csv")
    df = df[df["iso_code"].str.fullmatch(r"[A-Z]{3}", na=False)]
    return df.set_index(["iso_code", "year"])


def _rel_gaps(ours: pd.Series, theirs: pd.Series) -> pd.Series:
    return ((ours - theirs) / theirs).abs()


def test_gcp_co2_matches_owid_2020(owid2020):
    """GCB 2022 vs GCB 2020, 2018 values: median gap < 2 %, all < 10 %
    (South Africa's coal emissions were revised by about 7 %)."""
    panel = load_panel(["co2_t"])
    ours = pd.Series({c: panel.loc[(c, 2018), "co2_t"] / 1e6 for c in BIG})  # Mt
    theirs = pd.Series({c: owid2020.loc[(c, 2018), "co2"] for c in BIG})
    gaps = _rel_gaps(ours, theirs)
    assert gaps.median() < 0.02
    assert (gaps < 0.10).all(), gaps[gaps >= 0.10]


def test_population_matches_owid_2020(owid2020):
    """WDI 2025 vs UN WPP 2019 (in OWID 2020), 2015 values: median gap < 2 %,
    all < 8 % (Iran and Saudi Arabia were revised by 5-6 %)."""
    panel = load_panel(["population"])
    ours = pd.Series({c: panel.loc[(c, 2015), "population"] for c in BIG})
    theirs = pd.Series({c: owid2020.loc[(c, 2015), "population"] for c in BIG})
    gaps = _rel_gaps(ours, theirs)
    assert gaps.median() < 0.02
    assert (gaps < 0.08).all(), gaps[gaps >= 0.08]


def test_country_co2_total_close_to_owid(owid2020):
    """Sum over the country table vs the sum of OWID's ISO-coded countries, 2018: within 3 %."""
    ours = load_panel(["co2_t"]).xs(2018, level="year")["co2_t"].sum() / 1e6
    total = owid2020.xs(2018, level="year")["co2"].sum()
    assert ours == pytest.approx(total, rel=0.03)


def test_urban_vintages_agree(raw_dir):
    """WDI 2021 urban share (urban_pct) and the 2026 vintage (urban_pct_recent)
    differ by UN WUP revisions: median absolute gap in 2020 below 3 points
    (some gaps are large, e.g. Aruba 18 points; see docs/data.md)."""
    p = load_panel(["urban_pct", "urban_pct_recent"]).xs(2020, level="year").dropna()
    gap = (p["urban_pct"] - p["urban_pct_recent"]).abs()
    assert len(p) > 200
    assert gap.median() < 3.0


def test_docs_describe_every_indicator():
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "data.md"
    text = doc.read_text(encoding="utf-8")
    for name in INDICATOR_NAMES:
        assert f"`{name}`" in text, name
