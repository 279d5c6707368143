"""The blue-carbon study end to end on a synthetic coastal panel: outputs, records, checks, browser."""

from __future__ import annotations

import json

import numpy as np
import pytest

from carbonshare import bluecarbon as bc
from carbonshare.errors import ConfigError
from carbonshare.studies.bluecarbon import run_bluecarbon
from carbonshare.studies.bluecarbon_config import BlueCarbonConfig
from carbonshare.studies.common import dump_config, load_config


def _synthetic():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "bluecarbon" / "synthetic.py"
    spec = importlib.util.spec_from_file_location("bluecarbon_synthetic", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_S = _synthetic()
burial_rates, cscc, synthetic_panel = _S.burial_rates, _S.cscc, _S.synthetic_panel

FAST = {"uncertainty": {"draws": 20}, "sharing": {"shapley_samples": 200}}


def _run(cfg=None, out=None, panel=None):
    cfg = cfg or BlueCarbonConfig(**FAST)
    return run_bluecarbon(
        cfg,
        out,
        panel=synthetic_panel() if panel is None else panel,
        burial_rates=burial_rates(),
        cscc=cscc(),
    )


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    out = tmp_path_factory.mktemp("bluecarbon")
    return _run(out=out), out


def test_outputs_written(study):
    result, out = study
    tables = {p.stem for p in (out / "tables").glob("*.csv")}
    assert {
        "scores",
        "weights",
        "global_scores",
        "rate_models",
        "bau_forecasts",
        "allocations",
        "values",
        "q_curve",
        "uncertainty",
        "fills",
        "selection",
    } <= tables
    assert {p.stem for p in (out / "tables").glob("*.parquet")} == tables - {"columns"}
    assert (out / "tables" / "bluecarbon.xlsx").is_file()
    figs = {p.stem for p in (out / "figures").glob("*.png")}
    assert {
        "global_trends",
        "regional_boxplots",
        "dc_re_scatter",
        "rate_model_diagnostics",
        "benefit_cost_by_group",
        "q_curve",
        "bcdi_map_1996",
        "bcdi_map_2004",
        "bcdi_map_2012",
        "bcdi_map_2019",
        "added_sequestration_map_GC",
        "added_sequestration_map_GDC",
    } == figs
    man = json.loads((out / "manifest.json").read_text())
    assert man["study"] == "bluecarbon"
    assert man["statistics"]["countries"] == 22
    html = (out / "report.html").read_text()
    assert "Blue Carbon Development Index" in html and "Kruskal-Wallis" in html


def test_every_fill_is_recorded(study):
    result, out = study
    raw = synthetic_panel().sort_index()
    keep = result.panel.values.index.get_level_values("iso3").unique()
    window = raw.loc[(keep, slice(1996, 2019)), :]
    fills = result.panel.fills
    for col in ("ocean_health_index", "climate_risk_index", "env_science_documents", "gdp_usd"):
        holes = window.index[window[col].isna()]
        logged = set(map(tuple, fills.loc[fills["column"] == col, ["iso3", "year"]].to_numpy()))
        assert set(holes) == logged, col
    # OHI 1996-2011 takes 2012 under the nearest rule
    assert (
        result.panel.values.loc[("IDN", 1996), "OHI"]
        == raw.loc[("IDN", 2012), "ocean_health_index"]
    )
    man = json.loads((out / "manifest.json").read_text())
    assert any(r["field"] == "ocean_health_index" and "2012" in r["detail"] for r in man["repairs"])
    # countries without seagrass get 0, recorded as such
    assert result.panel.values.loc[("SAU", 2019), "SEAG"] == 0.0
    assert ((fills["iso3"] == "SAU") & (fills["rule"] == "zero")).any()


def test_index_identity_and_weights(study):
    result, _ = study
    idx = result.index
    w = idx.weights["weight"]
    np.testing.assert_allclose(idx.scores["BCDI"], idx.normalised[w.index] @ w, atol=1e-9)
    assert w.sum() == pytest.approx(1.0)
    g = result.global_scores
    assert g.loc[2019, "BCDI"] == pytest.approx(idx.scores.xs(2019, level="year")["BCDI"].mean())


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.ConvergenceWarning")
def test_mixed_model_equals_direct_statsmodels_call(study):
    import statsmodels.formula.api as smf

    result, _ = study
    frame = result.rate_data
    direct = smf.mixedlm("rate ~ np.log(dc)", frame, groups=frame["iso3"]).fit(reml=False)
    assert result.rate_fit.table.at["log", "b1"] == pytest.approx(
        direct.fe_params.iloc[1], rel=1e-4
    )
    assert result.rate_fit.table.at["log", "aic"] == pytest.approx(direct.aic, rel=1e-6)


def test_holt_in_the_study_equals_the_library_call(study):
    result, _ = study
    dc = result.index.scores.loc["IDN", "development_capacity"]
    f = bc.holt_forecast(dc, 2030).clip(0, 100)
    got = result.forecasts.loc["IDN"]["development_capacity"]
    np.testing.assert_allclose(got["mean"], f["mean"], rtol=1e-9)


def test_sharing_rules_efficient_and_ir_on_the_study_game(study):
    result, _ = study
    sc = result.scenario
    for name, q in result.config.scenarios.intensities.items():
        res = result.sharing[name]
        n = len(sc.countries)
        vU = sc.coalition_values(np.ones((1, n), bool), q)[0]
        single = sc.bau()
        for rule in ("scrb", "esd", "eanc", "shapley"):
            b = res.allocations[rule]
            assert b.sum() == pytest.approx(vU, rel=1e-9)
            ir = bool((b >= single - 1e-9 * vU).all())
            assert bool(res.checks.at[rule, "individually_rational"]) == ir
        assert (
            res.checks.loc[res.chosen, "individually_rational"]
            or not res.checks["individually_rational"].any()
        )
        assert res.shapley_se.notna().all()
    table = result.tables()["allocations"]
    assert table["shapley_se"].notna().all() and (table["shapley_se"] >= 0).all()
    # values: benefit - cost = CSCC x (allocated - own sequestration)
    v = result.values.xs(name, level="scenario")
    c = result.cscc["cscc_usd_per_tco2"]
    np.testing.assert_allclose(
        v["net_usd"], c * (v["allocated_tco2"] - v["coop_tco2"]), rtol=1e-9, atol=1e-6
    )
    assert result.cscc.at["FJI", "cscc_flag"] == "world value"


def test_report_in_headless_chromium(study, tmp_path):
    from carbonshare.report.browser import check_page, require_browser, table_sort_probe

    require_browser()
    _, out = study
    check = check_page(out / "report.html", tmp_path / "shot.png", scripts=[table_sort_probe(0, 0)])
    assert check.console_errors == []
    assert check.external_requests == []
    assert check.ready
    assert len(check.plots) == 2
    for plot in check.plots:
        assert plot["paths"] > 20, plot


def test_user_panel_errors_and_exclusions():
    panel = synthetic_panel().drop(columns="cpi_0_100")
    with pytest.raises(ConfigError, match="cpi_0_100.*GOV"):
        _run(panel=panel)
    # an optional indicator whose column is missing is left out, and the run says so
    cfg = BlueCarbonConfig(**FAST, output={"figures": False, "report": False})
    lean = _run(cfg, panel=synthetic_panel().drop(columns="renewables_pct"))
    assert "RENEW" not in lean.index.weights.index and lean.headlines["indicators"] == 15
    assert any("RENEW" in n and "left out" in n for n in lean.manifest.notes)
    panel = synthetic_panel()
    panel.loc["KEN", "cpi_0_100"] = np.nan
    cfg = BlueCarbonConfig(
        **FAST, output={"figures": False, "report": False}, data={"exclude": ["FJI"]}
    )
    result = _run(cfg, panel=panel)
    sel = result.panel.selection
    assert sel.at["KEN", "reason"] == "no cpi_0_100 in any year"
    assert sel.at["FJI", "reason"] == "data.exclude"
    assert result.headlines["countries"] == 20
    with pytest.raises(ConfigError, match="not coastal countries"):
        _run(BlueCarbonConfig(**FAST, data={"only": ["IDN", "CHE"]}))


def test_config_round_trip_and_errors(tmp_path):
    cfg = BlueCarbonConfig()
    path = tmp_path / "c.yaml"
    path.write_text(dump_config(cfg))
    assert load_config(BlueCarbonConfig, path) == cfg
    assert len(cfg.indicators) == 16
    path.write_text("scenarios:\n  intensities: {GC: 1.5}\n")
    with pytest.raises(ConfigError, match="outside"):
        load_config(BlueCarbonConfig, path)
    path.write_text("weights:\n  method: given\n  given: {CO2: 1}\n")
    with pytest.raises(ConfigError, match="one weight per indicator"):
        load_config(BlueCarbonConfig, path)


def test_cli_print_config():
    from typer.testing import CliRunner

    from carbonshare.cli import app

    res = CliRunner().invoke(app, ["run", "bluecarbon", "--print-config"])
    assert res.exit_code == 0, res.output
    assert "region_merge" in res.output and "intensities" in res.output


def test_report_structure_and_data_dictionary(study):
    """The standard sections, each figure once, and every written column labelled with units."""
    import pandas as pd

    from carbonshare.report.structure import read_report

    result, out = study
    report = read_report(out / "report.html")
    assert report.problems() == []
    assert [s for s in report.sections if s.startswith("Results")] == [
        "Results: maps", "Results: figures", "Results: tables"
    ]  # fmt: skip
    columns = pd.read_csv(out / "tables" / "columns.csv", keep_default_na=False)
    bare = columns.loc[columns["label"] == "", ["table", "column"]].values.tolist()
    assert bare == []
    assert set(columns["table"]) == set(result.tables())
    units = columns.set_index(["table", "column"])["unit"]
    assert units[("indicators", "MANG")] == "km2"  # the raw unit of the config
    assert units[("normalised", "MANG")] == "0-100"  # the same code on the index scale
    assert units[("values", "benefit_usd")] == "US$ per year"
    sheets = pd.ExcelFile(out / "tables" / "bluecarbon.xlsx").sheet_names
    assert sheets[0] == "columns"
