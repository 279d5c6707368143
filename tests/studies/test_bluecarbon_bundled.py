"""The blue-carbon study on the bundled data: coverage, real series, CSCC against the raw files, CLI."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from carbonshare.studies.bluecarbon import run_bluecarbon
from carbonshare.studies.bluecarbon_config import BlueCarbonConfig


@pytest.fixture(scope="module")
def real():
    cfg = BlueCarbonConfig(uncertainty={"draws": 10}, sharing={"shapley_samples": 0},
                           output={"figures": False, "report": False})  # fmt: skip
    return run_bluecarbon(cfg)


def test_coverage_and_real_series(real):
    h = real.headlines
    assert h["countries"] >= 110
    assert h["indicators"] >= 15
    assert h["regions"] == 7  # the paper's seven UN SDG groups (the two Oceania groups joined)
    years = real.index.scores.index.get_level_values("year")
    assert (years.min(), years.max()) == (1996, 2019)
    # every indicator is a real bundled series: none is constant, none is a fill of one year only
    X = real.panel.values
    assert (X.std() > 0).all()
    fills = real.panel.fills
    share_filled = fills.groupby("column").size() / len(X)
    assert share_filled.max() < 0.95, share_filled
    # every country of the study is coastal with a blue-carbon ecosystem in the data
    from carbonshare.data.blue import coastal_countries

    assert set(X.index.get_level_values("iso3")) <= set(coastal_countries())


@pytest.mark.parametrize("iso3", ["USA", "IDN", "BRA"])
def test_cscc_of_the_study_equals_the_raw_files(real, raw_dir, iso3):
    raw = pd.read_csv(raw_dir / "cscc_ricke2018" / "rcp_rcp60_dmg_bhm_sr_ssp_SSP2.csv", dtype=str)
    row = raw[(raw["ISO3"] == iso3) & (raw["dmgfuncpar"] == "bootstrap")
              & (raw["climate"] == "uncertain") & (raw["prtp"] == "2") & (raw["eta"] == "1p5")]  # fmt: skip
    assert real.cscc.at[iso3, "cscc_usd_per_tco2"] == pytest.approx(float(row["50%"].item()),
                                                                    rel=5e-6)  # fmt: skip
    assert real.cscc.at[iso3, "cscc_flag"] == ""


def test_sharing_checks_on_the_real_game(real):
    for res in real.sharing.values():
        assert res.checks.loc[["scrb", "esd", "eanc"], "efficient"].all()
        assert bool(res.checks.at[res.chosen, "individually_rational"])


def test_cli_run_on_the_bundled_data(tmp_path):
    from typer.testing import CliRunner

    from carbonshare.cli import app

    cfg = tmp_path / "fast.yaml"
    cfg.write_text("uncertainty: {draws: 5}\nsharing: {shapley_samples: 0}\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["run", "bluecarbon", "--config", str(cfg), "--out", str(out),
                                   "--no-figures", "--no-report"])  # fmt: skip
    assert res.exit_code == 0, res.output
    man = json.loads((out / "manifest.json").read_text())
    assert man["statistics"]["countries"] >= 110
    assert any("OHI" in n for n in man["notes"])
    assert any(r["action"].startswith("filled") for r in man["repairs"])
    assert any(r["action"].startswith("source:") for r in man["repairs"])
