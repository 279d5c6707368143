"""One look for every study: theme, number format, honest distributions, flat maps flagged."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from carbonshare.report import Report, style
from carbonshare.report import figures as F
from carbonshare.report.html import format_number_column


def _specs(page: str) -> list[dict]:
    return [
        json.loads(m.replace("<\\/", "</"))
        for m in re.findall(r'class="cs-plotly-spec"[^>]*>(.*?)</script>', page, re.S)
    ]


def test_every_plotly_figure_gets_the_report_theme_not_plotly_grey():
    import plotly.express as px
    import plotly.graph_objects as go

    grey = px.bar(pd.DataFrame({"x": ["a", "b"], "y": [1, 2]}), x="x", y="y")
    plain = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    own = go.Figure(layout={"plot_bgcolor": "#fafafa"})
    page = (
        Report("t")
        .add_plotly(grey, "grey")
        .add_plotly(plain, "plain")
        .add_plotly(own, "own")
        .to_html()
    )
    specs = _specs(page)
    assert len(specs) == 3
    for spec in specs:
        theme = spec["layout"]["template"]["layout"]
        assert theme["plot_bgcolor"] == "white"  # plotly's default theme is #E5ECF6
        assert theme["font"]["family"] == style.FONT_FAMILY
    # a figure's own setting wins over the theme
    assert specs[2]["layout"]["plot_bgcolor"] == "#fafafa"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([20.19, 0.00123, 0.0], ["20.19", "0.00123", "0.00"]),  # was "0.00" for 0.00123
        ([1234.5, 0.4], ["1,234", "0.400"]),
        ([-0.00004, 3.0, 0.5], ["-0.0000400", "3.0000", "0.5000"]),
    ],
)
def test_small_values_never_print_as_zero(values, expected):
    assert format_number_column(pd.Series(values)) == expected


def test_format_number_significant_digits():
    assert style.format_number(0.0001234) == "0.000123"
    assert style.format_number(-12.345) == "-12.3"
    assert style.format_number(999.6) == "1,000"


def test_wide_tables_keep_their_first_column_in_view():
    page = Report("t").add_table(pd.DataFrame({"iso3": ["A"], "v": [1.0]}), "T").to_html()
    assert re.search(r"tbody td:first-child \{ position: sticky; left: 0", page)


def test_distribution_figure_never_clips_and_shows_points_for_small_groups():
    # shares inside alliances reach 50 %: the axis must reach them too
    rng = np.random.default_rng(1)
    values = pd.Series(
        np.r_[[50.0, 50.0], rng.uniform(0, 41, 6), rng.uniform(0, 30, 25)],
        index=[f"c{i}" for i in range(33)],
        name="share of the alliance (%)",
    )
    groups = pd.Series(["pair"] * 2 + ["six"] * 6 + ["many"] * 25, index=values.index)
    fig = F.strip_by_group(values, groups)
    meta = fig.carbonshare_meta
    lo, hi = meta["x_limits"]
    assert lo < values.min() and hi > values.max() == 50.0
    assert meta["density_groups"] == ["many"]  # 2 and 6 points: no smooth density
    assert sorted(meta["groups_shown"]) == ["many", "pair", "six"]
    ax = fig.axes[0]
    assert ax.get_xlim()[1] >= 50.0
    n_points = sum(len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_offsets"))
    assert n_points >= len(values)  # every value is drawn


def test_distribution_figure_caps_rows_and_says_so():
    values = pd.Series(np.arange(80.0), index=[f"c{i}" for i in range(80)])
    groups = pd.Series(np.arange(80) // 1, index=values.index)  # 80 groups of one
    fig = F.strip_by_group(values, groups, max_groups=30)
    meta = fig.carbonshare_meta
    assert len(meta["groups_shown"]) == 30 and len(meta["groups_left_out"]) == 50
    assert "50 groups" in fig.axes[0].get_title(loc="left")


def test_nearly_constant_fields_are_flagged_on_both_maps(boundaries):
    from carbonshare.report import interactive as I

    flat = pd.Series({"USA": 63.2, "CHN": 65.0, "IND": 68.1, "BRA": 64.0}, name="t per person")
    varied = pd.Series({"USA": 15.0, "CHN": 8.0, "IND": 2.0, "BRA": 2.5}, name="t per person")
    assert "Nearly constant" in I.choropleth_map(flat, boundaries=boundaries).layout.meta[
        "spread_note"
    ]
    assert I.choropleth_map(varied, boundaries=boundaries).layout.meta["spread_note"] == ""
    pytest.importorskip("geopandas")
    fig = F.choropleth(flat, boundaries=boundaries)
    assert "Nearly constant" in fig.carbonshare_meta["spread_note"]
    assert "Nearly constant" in fig.axes[0].get_title(loc="left")
