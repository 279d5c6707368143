"""World Bank refresh with recorded responses (no network)."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from carbonshare.data import load_panel
from carbonshare.data.refresh import (
    WB_SERIES,
    cache_dir,
    load_refreshed_panel,
    records_to_panel,
    refresh,
)
from carbonshare.errors import DataError

FIXTURE = Path(__file__).with_name("fixtures") / "wbgapi_fetch_sample.json"


def _recorded() -> list[dict]:
    return json.loads(FIXTURE.read_text())["records"]


@pytest.fixture
def fake_wbgapi(monkeypatch):
    """A stand-in ``wbgapi`` module whose data.fetch replays the fixture."""
    calls = []

    def fetch(series, economy="all", time="all", skipAggs=False, skipBlanks=False, **kw):
        calls.append({"series": series, "time": list(time), "skipAggs": skipAggs})
        years = set(time)
        for r in _recorded():
            if r["series"] != series or r["time"] not in years:
                continue
            if skipAggs and r["aggregate"]:
                continue
            if skipBlanks and r["value"] is None:
                continue
            yield dict(r)

    mod = types.ModuleType("wbgapi")
    mod.__version__ = "recorded"
    mod.data = types.SimpleNamespace(fetch=fetch)
    monkeypatch.setitem(sys.modules, "wbgapi", mod)
    return calls


def test_refresh_writes_cache(fake_wbgapi, tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONSHARE_CACHE", str(tmp_path))
    path = refresh(["population", "gdp_usd", "urban_pct"], years=(2019, 2020))
    assert path == tmp_path / "wb_panel.csv.gz"
    assert [c["series"] for c in fake_wbgapi] == [
        "SP.POP.TOTL",
        "NY.GDP.MKTP.CD",
        "SP.URB.TOTL.IN.ZS",
    ]
    assert all(c["skipAggs"] for c in fake_wbgapi)
    got = load_refreshed_panel()
    assert list(got.columns) == ["population", "gdp_usd", "urban_pct"]
    assert "WLD" not in got.index.get_level_values("iso3")
    # the recorded values are the raw WB values, which the bundled panel also holds
    bundled = load_panel(["population", "gdp_usd", "urban_pct"])
    for key in [("FRA", 2020), ("NAM", 2019), ("XKX", 2020)]:
        assert got.loc[key, "population"] == bundled.loc[key, "population"]
    assert got.loc[("FRA", 2020), "urban_pct"] == bundled.loc[("FRA", 2020), "urban_pct"]
    meta = got.attrs["refresh"]
    assert meta["series"]["gdp_usd"] == "NY.GDP.MKTP.CD" and meta["wbgapi_version"] == "recorded"


def test_records_to_panel_rejects_negative():
    recs = [
        {"value": -5.0, "series": "SP.POP.TOTL", "economy": "FRA", "aggregate": False, "time": 2020}
    ]
    with pytest.raises(DataError, match=r"population for FRA in 2020 is -5.0 .*>= 0"):
        records_to_panel(recs, ["population"], load_panel().index.levels[0])


def test_records_to_panel_reports_outside_economies():
    recs = [
        {
            "value": 5.0,
            "series": "SP.POP.TOTL",
            "economy": "ZZZ",
            "aggregate": False,
            "time": "YR2020",
        }
    ]
    panel, outside = records_to_panel(recs, ["population"], load_panel().index.levels[0])
    assert outside == ["ZZZ"] and panel.empty


def test_refresh_unknown_indicator(fake_wbgapi, tmp_path):
    with pytest.raises(DataError, match=r"no World Bank series for \['co2_t'\]"):
        refresh(["co2_t"], out_dir=tmp_path)


def test_refresh_without_wbgapi(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "wbgapi", None)
    with pytest.raises(DataError, match=r"pip install carbonshare\[worldbank\]"):
        refresh(out_dir=tmp_path)


def test_api_failure_is_reported(monkeypatch, tmp_path):
    def boom(*a, **k):
        raise ConnectionError("no route to host")

    mod = types.ModuleType("wbgapi")
    mod.data = types.SimpleNamespace(fetch=boom)
    monkeypatch.setitem(sys.modules, "wbgapi", mod)
    with pytest.raises(DataError, match=r"request for SP.POP.TOTL \(population\) failed"):
        refresh(["population"], out_dir=tmp_path)


def test_load_refreshed_missing(tmp_path):
    with pytest.raises(DataError, match=r"run: carbonshare data refresh"):
        load_refreshed_panel(tmp_path)


def test_cache_dir_platforms(monkeypatch, tmp_path):
    monkeypatch.delenv("CARBONSHARE_CACHE", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "carbonshare"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cache_dir().parts[-3:] == ("Library", "Caches", "carbonshare")
    monkeypatch.setenv("CARBONSHARE_CACHE", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x"


def test_series_codes_match_catalog():
    from carbonshare.data.catalog import indicator_spec

    for name, code in WB_SERIES.items():
        assert indicator_spec(name).wb_code == code
