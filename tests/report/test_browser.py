"""Headless Chromium: the report loads offline, draws its maps, and its tables sort.

Skipped when Chromium is missing, unless CARBONSHARE_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

from carbonshare.report import Report
from carbonshare.report.browser import check_page, is_external, table_sort_probe
from carbonshare.report.interactive import category_map, choropleth_map


def test_report_end_to_end(tmp_path, chromium, boundaries, countries, co2_per_capita):
    table = (
        co2_per_capita.rename("co2_pc")
        .to_frame()
        .join(countries[["name", "continent"]])
        .sort_index()
        .head(30)
    )
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.hist(co2_per_capita, bins=30, color="#0072B2")
    ax.set_xlabel("t CO2 per person, 2020")
    r = Report("CO2 per capita, 2020", "bundled GCP + World Bank data")
    r.add_section("Table").add_table(table, "CO2 per capita", caption="first 30 countries")
    r.add_section("Maps").add_plotly(
        choropleth_map(co2_per_capita, hover=countries[["continent"]], boundaries=boundaries),
        "Choropleth",
    )
    r.add_plotly(category_map(countries["continent"], boundaries=boundaries), "Continents")
    r.add_image(fig, "Histogram")
    plt.close(fig)
    page = r.write(tmp_path / "report.html")

    # columns: iso3, co2_pc, name, continent -> sort column 1 (numeric)
    check = check_page(page, tmp_path / "shot.png", scripts=[table_sort_probe(0, 1)])
    assert check.ready
    assert check.console_errors == []
    assert check.external_requests == []
    assert check.requests[0] == page.resolve().as_uri()
    assert [u[:22] for u in check.requests[1:]] == ["data:image/png;base64,"]
    assert check.title == "CO2 per capita, 2020"
    assert check.screenshot_path.stat().st_size > 10_000
    assert check.nonblank_fraction > 0.1
    assert len(check.plots) == 2
    for plot in check.plots:  # every country polygon drawn, and visibly
        assert plot["paths"] > 150
        assert plot["nonblank_fraction"] > 0.1

    probe = check.script_results[0]
    expected = table["co2_pc"].to_numpy()
    asc = [float(t.replace(",", "")) for t in probe["asc"]]
    desc = [float(t.replace(",", "")) for t in probe["desc"]]
    assert asc == sorted(asc) and desc == sorted(desc, reverse=True)
    assert asc != [float(t.replace(",", "")) for t in probe["before"]]
    assert len(asc) == len(expected)
    assert probe["indicator"] == ["ascending", "descending"]


def test_text_columns_sort_alphabetically(tmp_path, chromium):
    df = pd.DataFrame({"name": ["beta", "Alpha", "gamma", "delta"], "n": [2, 1, 10, 3]})
    page = Report("sort").add_table(df, "T").write(tmp_path / "t.html")
    check = check_page(page, None, scripts=[table_sort_probe(0, 0), table_sort_probe(0, 1)])
    assert check.script_results[0]["asc"] == ["Alpha", "beta", "delta", "gamma"]
    # numeric, not lexicographic ("10" after "3")
    assert check.script_results[1]["asc"] == ["1", "2", "3", "10"]
    assert check.ok


def test_checker_catches_remote_requests_and_errors(tmp_path, chromium):
    """Positive control: the check is able to fail."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>bad</title>"
        '<script src="https://cdn.example.invalid/lib.js"></script></head>'
        "<body><p>x</p><script>console.error('boom'); undefinedFunction();</script>"
        "</body></html>",
        encoding="utf-8",
    )
    check = check_page(page, tmp_path / "bad.png", full_page=False)
    assert check.external_requests == ["https://cdn.example.invalid/lib.js"]
    assert any("boom" in e for e in check.console_errors)
    assert any("undefinedFunction" in e for e in check.console_errors)
    assert not check.ok


def test_maps_alone_make_no_request(tmp_path, chromium, boundaries, co2_per_capita):
    """The map figures stay offline even outside a Report (plain plotly write_html)."""
    fig = choropleth_map(co2_per_capita, boundaries=boundaries, title="alone")
    page = tmp_path / "alone.html"
    fig.write_html(page, include_plotlyjs=True)
    check = check_page(page, None)
    assert check.external_requests == []
    assert check.console_errors == []
    assert check.plots and check.plots[0]["paths"] > 150


def test_is_external():
    assert is_external("http://example.org") and is_external("//cdn.plot.ly/x.js")
    assert is_external("wss://example.org/socket")
    for url in ("file:///tmp/a.html", "data:image/png;base64,AA", "blob:file:///x", "about:blank"):
        assert not is_external(url)


def test_stderr_fallback_reports_only_uncaught_and_not_twice(tmp_path):
    """Chromium's console log (stderr) adds uncaught errors the protocol missed, once."""
    from carbonshare.report.browser import BrowserSession

    log = tmp_path / "stderr.log"
    log.write_text(
        '[1:1:1122/1.0:INFO:CONSOLE:1] "hello", source: file:///a.html (1)\n'
        '[1:1:1122/1.0:INFO:CONSOLE:3] "Uncaught TypeError: x is null", source: file:///a.html (3)\n',
        encoding="utf-8",
    )
    session = BrowserSession.__new__(BrowserSession)  # no browser: only the log is read
    session._pipe = None
    session._stderr_path = log
    assert session.console_errors() == ["Uncaught TypeError: x is null"]

    class _Events:
        events = [
            {
                "method": "Runtime.exceptionThrown",
                "params": {
                    "exceptionDetails": {
                        "exception": {"description": "TypeError: x is null\n at a"}
                    }
                },
            }
        ]

    session._pipe = _Events()
    assert session.console_errors() == ["TypeError: x is null\n at a"]


def test_require_browser_skips_or_fails(monkeypatch):
    import pytest

    from carbonshare.report import browser

    monkeypatch.setattr(browser, "find_chromium", lambda: None)
    monkeypatch.delenv("CARBONSHARE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium not found"):
        browser.require_browser()
    monkeypatch.setenv("CARBONSHARE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="CARBONSHARE_REQUIRE_BROWSER is set"):
        browser.require_browser()


def test_arrow_heads_are_rotated_in_the_browser(tmp_path, chromium, countries, boundaries):
    """plotly.js applies per-point marker angles only from a geo subplot's first trace."""
    from carbonshare.report.interactive import arrow_map

    pts = countries[["capital_lat", "capital_lon"]].set_axis(["lat", "lon"], axis=1)
    links = pd.DataFrame({"partner": ["FRA", "DEU", "ZAF"]}, index=["DEU", "FRA", "EGY"])
    fig = arrow_map(links, pts, color_by=countries["continent"], boundaries=boundaries)
    page = Report("arrows").add_plotly(fig, "arrows").write(tmp_path / "arrows.html")
    heads = (
        "Array.from(document.querySelectorAll('.scatterlayer .trace')[0]"
        ".querySelectorAll('path.point')).map(e => e.getAttribute('d'))"
    )
    check = check_page(page, None, scripts=[heads])
    assert check.ok
    shapes = check.script_results[0]
    assert len(shapes) == 3
    assert len(set(shapes)) == 3  # west-, east- and south-pointing heads differ


def test_figures_below_the_page_screenshot_are_checked(tmp_path, chromium, countries, boundaries):
    """A map under 12,000 px of text (beyond the full-page screenshot) is still measured."""
    r = Report("long page")
    for k in range(30):
        r.add_markdown("A long method text. " * 150, title=f"part {k}")
    r.add_plotly(category_map(countries["continent"], boundaries=boundaries), "late map")
    check = check_page(r.write(tmp_path / "long.html"), tmp_path / "long.png")
    assert check.ok
    (plot,) = check.plots
    assert plot["y"] > 12_000
    assert plot["nonblank_fraction"] > 0.1
