"""`carbonshare run alliances` through carbonshare.cli.main."""

from __future__ import annotations

import json

import pandas as pd
import yaml

from carbonshare.cli import main
from carbonshare.studies.alliances_config import AlliancesConfig
from carbonshare.studies.common import validate_config


def test_print_config_prints_the_defaults(capsys):
    assert main(["run", "alliances", "--print-config"]) == 0
    text = capsys.readouterr().out
    assert validate_config(AlliancesConfig, yaml.safe_load(text)) == AlliancesConfig()


def test_print_config_shows_the_file_merged_with_defaults(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    path.write_text("weights:\n  method: pca\n")
    assert main(["run", "alliances", "--config", str(path), "--print-config"]) == 0
    cfg = validate_config(AlliancesConfig, yaml.safe_load(capsys.readouterr().out))
    assert cfg.weights.method == "pca"
    assert cfg.years == AlliancesConfig().years


def test_run_without_figures_and_report(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["run", "alliances", "--out", str(out), "--no-figures", "--no-report"])
    assert code == 0
    err = capsys.readouterr().err
    assert "Top 10 countries" in err and "alliances of" in err
    assert (out / "tables" / "country_shares.csv").exists()
    assert not (out / "report.html").exists()
    assert not (out / "figures").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["config"]["output"] == {
        "figures": False,
        "report": False,
        "top_radar": 10,
        "radar_scale": "share",
        "group_min_size": 5,
        "group_max": 8,
    }
    shares = pd.read_csv(out / "tables" / "country_shares.csv")
    assert abs(shares["share_two_stage_pct"].sum() - 100) < 1e-9
    # the default run carries the Monte Carlo: each top share with its 90 % interval
    assert "90 % interval" in err and "over 1,000 Monte Carlo samples" in err
    iv = pd.read_csv(out / "tables" / "uncertainty_share_intervals.csv", index_col="iso3")
    assert len(iv) == len(shares) and manifest["uncertainty"]["n_samples"] == 1000


def test_samples_0_turns_the_monte_carlo_off(tmp_path, capsys):
    out = tmp_path / "out"
    args = ["run", "alliances", "--out", str(out), "--no-figures", "--no-report", "--samples"]
    assert main([*args, "0"]) == 0
    err = capsys.readouterr().err
    assert "Top 10 countries" in err and "Monte Carlo samples" not in err
    assert not list((out / "tables").glob("uncertainty_*"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["config"]["uncertainty"]["samples"] == 0 and "uncertainty" not in manifest
    assert main([*args, "-1", "--print-config"]) == 2  # not a count: one line naming --samples
    assert "--samples" in capsys.readouterr().err


def test_bad_config_exits_2_naming_the_field(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("alliances:\n  method: kmeans\n")
    code = main(["run", "alliances", "--config", str(path), "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert "alliances.method: Input should be 'weak-components', 'louvain' or 'target'" in err
    assert not (tmp_path / "o").exists()


def test_missing_config_file(tmp_path, capsys):
    assert main(["run", "alliances", "--config", str(tmp_path / "nope.yaml")]) == 2
    assert "does not exist" in capsys.readouterr().err
