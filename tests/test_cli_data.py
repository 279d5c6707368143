"""`carbonshare data ...` commands, through carbonshare.cli.main."""

from __future__ import annotations

import json
import sys
import types

import pandas as pd
import pytest

from carbonshare.cli import main


def test_data_help(capsys):
    assert main(["data", "--help"]) == 0
    out = capsys.readouterr().out
    for cmd in ("info", "sources", "show", "export", "refresh", "build"):
        assert cmd in out


def test_info(capsys):
    assert main(["data", "info"]) == 0
    out = capsys.readouterr().out
    assert "population" in out and "forest_rents_pct_gdp" in out
    assert "Zhou et al. (2024)" in out
    assert "168 countries have a value in every year 2016-2020" in " ".join(out.split())
    # every series with its real first and last year
    rows = {line.split()[0]: line.split()[1:3] for line in out.splitlines() if line.strip()}
    assert rows["co2_t"] == ["1990", "2021"] and rows["co2_wdi_t"] == ["1990", "2020"]
    assert rows["mpa_pct"] == ["2013", "2024"] and rows["forest_rents_pct_gdp"] == ["1990", "2021"]
    assert rows["services_employment_pct"] == ["1991", "2023"]


def test_show_taiwan_says_why_data_are_missing(capsys):
    assert main(["data", "show", "TWN"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Taiwan is not a World Bank economy" in out
    assert "No data at all for 16 indicators: population, gdp_usd," in out


def test_info_years_option(capsys):
    assert main(["data", "info", "--years", "2017-2018"]) == 0
    assert "2017" in capsys.readouterr().out
    assert main(["data", "info", "--years", "1800"]) == 2
    assert "outside the panel" in capsys.readouterr().err


def test_sources(capsys):
    assert main(["data", "sources"]) == 0
    out = capsys.readouterr().out
    assert "Global Carbon" in out and "CC BY 4.0" in out


def test_show_china(capsys):
    assert main(["data", "show", "CHN"]) == 0
    out = capsys.readouterr().out
    assert "China (CHN)" in out and "Beijing" in out and "co2_t" in out


def test_show_by_name(capsys):
    assert main(["data", "show", "Viet Nam"]) == 0
    assert "(VNM)" in capsys.readouterr().out


def test_show_unknown_is_one_line(capsys):
    assert main(["data", "show", "Germny"]) == 2
    err = capsys.readouterr().err
    assert "unknown country 'Germny'" in err and "DEU" in err
    assert "Traceback" not in err


def test_debug_gives_the_traceback(monkeypatch):
    import carbonshare.cli as cli
    from carbonshare.errors import DataError

    monkeypatch.setitem(cli._state, "debug", False)  # restored after the test
    with pytest.raises(DataError, match="unknown country 'Germny'"):
        main(["--debug", "data", "show", "Germny"])


def test_info_bad_window_prints_no_table(capsys):
    assert main(["data", "info", "--window", "2020-2016"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "--window '2020-2016': the first year is after the last" in err


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export(fmt, tmp_path, capsys):
    out = tmp_path / f"panel.{fmt}"
    args = ["data", "export", "--format", fmt, "--out", str(out)]
    assert main([*args, "--indicators", "population,co2_t"]) == 0
    if fmt == "csv":
        df = pd.read_csv(out)
    elif fmt == "parquet":
        df = pd.read_parquet(out)
    else:
        df = pd.read_excel(out, sheet_name="panel")
        assert set(pd.ExcelFile(out).sheet_names) == {"panel", "countries", "sources", "indicators"}
    assert list(df.columns) == ["iso3", "year", "population", "co2_t"]
    row = df[(df["iso3"] == "CHN") & (df["year"] == 2020)]
    assert row["co2_t"].iloc[0] == pytest.approx(10956.2134e6)


def test_export_countries_table(tmp_path):
    out = tmp_path / "c.csv"
    assert main(["data", "export", "--table", "countries", "--out", str(out)]) == 0
    df = pd.read_csv(out, keep_default_na=False)
    assert "NAM" in set(df["iso3"]) and "capital_lat" in df.columns


def test_export_indicators_only_for_the_panel(tmp_path, capsys):
    out = tmp_path / "c.csv"
    args = ["data", "export", "--table", "countries", "--indicators", "co2_t", "--out", str(out)]
    assert main(args) == 2
    assert "it does not apply to --table countries" in capsys.readouterr().err
    assert not out.exists()


def test_export_bad_indicator(tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["data", "export", "--out", str(out), "--indicators", "gdp"]) == 2
    assert "unknown indicator(s) ['gdp']" in capsys.readouterr().err


def test_refresh_with_recorded_responses(monkeypatch, tmp_path, capsys):
    from pathlib import Path

    fixture = Path(__file__).parent / "data" / "fixtures" / "wbgapi_fetch_sample.json"
    records = json.loads(fixture.read_text())["records"]

    def fetch(series, economy="all", time="all", skipAggs=False, skipBlanks=False, **kw):
        years = set(time)
        for r in records:
            if r["series"] == series and r["time"] in years and not (skipAggs and r["aggregate"]):
                if not (skipBlanks and r["value"] is None):
                    yield dict(r)

    mod = types.ModuleType("wbgapi")
    mod.data = types.SimpleNamespace(fetch=fetch)
    monkeypatch.setitem(sys.modules, "wbgapi", mod)
    monkeypatch.setenv("CARBONSHARE_CACHE", str(tmp_path))
    args = ["data", "refresh", "--indicators", "population", "--years", "2019-2020"]
    assert main(args) == 0
    assert (tmp_path / "wb_panel.csv.gz").is_file()
    assert "wrote" in capsys.readouterr().out


def test_build_command(tmp_path, capsys, raw_dir):
    assert main(["data", "build", "--raw", str(raw_dir), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "panel.csv.gz").is_file()


@pytest.mark.parametrize("name", ["panel.parquet", "panel.xlsx", "panel.csv"])
def test_export_format_from_the_extension(name, tmp_path):
    # issue 9 item 15: `--out x.parquet` without --format wrote CSV text into a .parquet file
    out = tmp_path / name
    assert main(["data", "export", "--out", str(out), "--indicators", "population"]) == 0
    read = {".parquet": pd.read_parquet, ".xlsx": pd.read_excel, ".csv": pd.read_csv}
    df = read[out.suffix](out)
    assert list(df.columns) == ["iso3", "year", "population"] and len(df) > 1000
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left
