"""The HTML page builder: escaping, tables, one plotly.js, nothing fetched from the network."""

from __future__ import annotations

import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs

from carbonshare.errors import DataError
from carbonshare.report import Report
from carbonshare.report.html import format_number_column

EVIL = '<script>alert("x")</script>'
REMOTE_TAG = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*?(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.I,
)


def _plotly_header() -> str:
    return get_plotlyjs()[:60]


def test_user_text_is_escaped_everywhere():
    df = pd.DataFrame({EVIL: [EVIL, "ok"], "v": [1.0, 2.0]})
    r = Report(EVIL, subtitle=EVIL)
    r.add_section(EVIL).add_table(df, EVIL, caption=EVIL).add_json(EVIL, {EVIL: EVIL})
    r.add_markdown(f"text {EVIL} **bold**")
    html = r.to_html()
    assert EVIL not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<strong>bold</strong>" in html  # markdown still rendered


def test_table_is_sortable_with_numeric_keys_and_indicator_css():
    df = pd.DataFrame(
        {"share": [0.5, np.nan, 0.25], "name": ["b", "a", None]},
        index=pd.Index(["CHN", "USA", "IND"], name="iso3"),
    )
    html = Report("t").add_table(df, "Shares").to_html()
    assert 'class="cs-table cs-sortable"' in html
    assert '<th scope="col" data-type="text">iso3</th>' in html
    assert 'data-type="num" class="cs-num">share</th>' in html
    assert 'data-v="0.5"' in html and 'data-v="0.25"' in html
    assert 'data-v=""' in html  # NaN sorts last, shown as a dash
    # sorting code and the asc/desc indicator
    assert "function sortBy(th)" in html and "aria-sort" in html
    assert 'th[aria-sort="ascending"]::after' in html


def test_unsortable_table_and_default_index_dropped():
    html = Report("t").add_table(pd.DataFrame({"a": [1, 2]}), "T", sortable=False).to_html()
    assert "cs-sortable" not in re.sub(
        r"<style>.*?</style>|<script>.*?</script>", "", html, flags=re.S
    )
    assert ">index<" not in html


def test_long_table_gets_filter_box():
    df = pd.DataFrame({"x": np.arange(40)})
    html = Report("t").add_table(df, "Long").to_html()
    assert 'class="cs-filter"' in html and "40 rows" in html


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (".2f", "3.14"),
        ("{:.1%}", "314.2%"),
        (lambda v: f"<{v:.0f}>", "&lt;3&gt;"),
        ({"v": ".3f"}, "3.142"),
    ],
)
def test_float_format_variants(fmt, expected):
    html = Report("t").add_table(pd.DataFrame({"v": [np.pi]}), "T", float_format=fmt).to_html()
    assert f">{expected}</td>" in html


def test_format_number_column_picks_precision_per_column():
    assert format_number_column(pd.Series([123456.7, 2.5])) == ["123,457", "2"]
    assert format_number_column(pd.Series([12.3456, 1.0])) == ["12.35", "1.00"]
    assert format_number_column(pd.Series([0.0001234, 0.0005])) == ["0.000123", "0.000500"]
    assert format_number_column(pd.Series([1, 2], dtype="Int64")) == ["1", "2"]


def _map_figure(boundaries: dict) -> go.Figure:
    from carbonshare.report.interactive import choropleth_map

    return choropleth_map(pd.Series({"DEU": 1.0, "FRA": 2.0}, name="x"), boundaries=boundaries)


def test_plotlyjs_inlined_once_and_geometry_shared(boundaries):
    r = Report("maps")
    r.add_plotly(_map_figure(boundaries), "A").add_plotly(_map_figure(boundaries), "B")
    html = r.to_html()
    assert html.count(_plotly_header()) == 1
    assert html.count('class="cs-plotly-spec"') == 2
    # each trace carries only its own countries (data / no-data basemap): two distinct
    # geometries, each stored once although both figures use them
    shared = json.loads(
        re.search(r'<script type="application/json" id="cs-shared-data">(.*?)</script>', html, re.S)
        .group(1)
        .replace("<\\/", "</")
    )
    assert len(shared) == 2
    codes = [f["properties"]["iso3"] for gj in shared.values() for f in gj["features"]]
    assert len(codes) == len(set(codes))  # no country drawn twice
    assert html.count('{"$csref"') == 4
    assert not REMOTE_TAG.search(html)


def test_no_plotlyjs_without_plotly_figures():
    html = Report("t").add_markdown("hello").to_html()
    assert _plotly_header() not in html
    assert len(html) < 50_000


def test_no_remote_src_or_href_in_a_full_page(tmp_path, boundaries):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [1, 0])
    r = Report("full")
    r.add_section("S").add_table(pd.DataFrame({"a": [1]}), "T").add_plotly(
        _map_figure(boundaries), "M"
    )
    r.add_image(fig, "F", caption="a line").add_json("config", {"a": 1})
    plt.close(fig)
    path = r.write(tmp_path / "sub" / "report.html")
    html = path.read_text(encoding="utf-8")
    assert not REMOTE_TAG.search(html)
    assert 'src="data:image/png;base64,' in html
    assert re.search(r"<link\b", html) is None
    # the regular expression itself does catch a remote tag
    assert REMOTE_TAG.search('<script src="https://cdn.plot.ly/plotly.min.js"></script>')


def test_script_end_tag_inside_data_cannot_close_the_script():
    fig = go.Figure(go.Bar(x=["</script><b>x"], y=[1]))
    html = Report("t").add_plotly(fig, "bar").to_html()
    spec = re.search(r'class="cs-plotly-spec"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert "<\\/script><b>x" in spec


def test_geojson_url_rejected(boundaries):
    fig = go.Figure(
        go.Choropleth(geojson="https://example.org/world.json", locations=["DEU"], z=[1])
    )
    with pytest.raises(DataError, match="pass the GeoJSON as a dict"):
        Report("t").add_plotly(fig, "remote")


def test_images_from_files(tmp_path):
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1])
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    fig.savefig(png)
    fig.savefig(svg)
    plt.close(fig)
    html = Report("t").add_image(png, "png").add_image(svg, "svg").to_html()
    assert "data:image/png;base64," in html and "data:image/svg+xml;base64," in html
    with pytest.raises(DataError, match="suffix '.txt'"):
        Report("t").add_image(tmp_path / "f.txt", "bad")
    with pytest.raises(DataError, match="does not exist"):
        Report("t").add_image(tmp_path / "missing.png", "bad")


def test_a_deferred_image_is_made_when_the_page_is_rendered(tmp_path):
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1])
    png = tmp_path / "f.png"
    fig.savefig(png)
    plt.close(fig)
    calls = []

    def later():
        calls.append(1)
        return png.read_bytes()

    r = Report("t").add_image(later, "later", caption="drawn meanwhile")
    r.add_image(lambda: png, "from its file")
    assert calls == []  # nothing drawn or read while the report is built
    html = r.to_html()
    assert calls == [1] and html.count("data:image/png;base64,") == 2
    at_once = Report("t").add_image(png, "later", caption="drawn meanwhile")
    at_once.add_image(png, "from its file")
    at_once.created = r.created
    assert html == at_once.to_html()
    with pytest.raises(DataError, match="not a PNG"):
        Report("t").add_image(lambda: b"GIF89a", "bad").to_html()


def test_json_block_is_collapsible_and_dumps_pydantic():
    import pydantic

    class Config(pydantic.BaseModel):
        weights: str = "entropy"

    html = Report("t").add_json("Config used", Config()).to_html()
    assert '<details class="cs-json"><summary>Config used</summary>' in html
    assert "&quot;weights&quot;: &quot;entropy&quot;" in html


def test_toc_footer_and_unique_anchors():
    r = Report("t").add_section("Results").add_markdown("x", title="Notes")
    r.add_section("Results").add_markdown("y", title="Notes")
    html = r.to_html()
    assert 'href="#results"' in html and 'href="#results-2"' in html
    assert 'id="notes"' in html and 'id="notes-2"' in html
    import carbonshare

    assert f"Made with carbonshare {carbonshare.__version__}" in html


def test_add_table_rejects_non_frames():
    with pytest.raises(DataError, match="pass a pandas DataFrame"):
        Report("t").add_table([1, 2], "bad")


def test_multiindex_rows_and_index_name_clashing_with_a_column():
    idx = pd.MultiIndex.from_tuples([("DEU", 2019), ("DEU", 2020)], names=["iso3", "year"])
    df = pd.DataFrame({"iso3": ["x", "y"], "co2": [1.0, 2.0]}, index=idx)
    html = Report("t").add_table(df, "panel").to_html()
    heads = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html)
    assert heads == ["iso3 (index)", "year", "iso3", "co2"]
    assert 'data-v="2019.0">2019</td>' in html


def test_long_tables_are_shortened_visibly(caplog):
    df = pd.DataFrame({"x": np.arange(12_345)})
    with caplog.at_level("WARNING"):
        html = Report("t").add_table(df, "Big", caption="All sectors.", max_rows=100).to_html()
    assert html.count("<tr>") == 101  # header + 100 rows
    assert "Showing the first 100 of 12,345 rows. All sectors." in html
    assert "first 100 of 12345 rows" in caplog.text
    full = Report("t").add_table(df.head(300), "All", max_rows=None).to_html()
    assert full.count("<tr>") == 301
