"""Sensitivity sweeps of the alliance study (carbonshare.sweep)."""

from __future__ import annotations

import pandas as pd
import pytest

from carbonshare.cli import main
from carbonshare.errors import ConfigError
from carbonshare.studies.alliances import run_alliances
from carbonshare.studies.alliances_config import AlliancesConfig
from carbonshare.sweep import parse_vary, set_field, sweep_alliances, variant_grid

VARY = {"weights.method": ["entropy", "equal"]}


@pytest.fixture(scope="module")
def serial():
    return sweep_alliances(VARY, scheduler="serial")


def test_base_variant_is_the_plain_study(serial):
    direct = run_alliances(AlliancesConfig()).country_shares["share_two_stage"]
    got = serial.shares["weights.method=entropy"]
    pd.testing.assert_series_equal(got, direct, check_names=False)
    assert serial.summary.loc["weights.method=entropy", "max_abs_diff_pp"] == 0.0
    assert serial.summary.loc["weights.method=entropy", "spearman_vs_base"] == pytest.approx(1.0)


def test_variants_differ_and_each_sums_to_100(serial):
    assert serial.shares.sum().round(9).eq(100.0).all()
    assert serial.summary.loc["weights.method=equal", "max_abs_diff_pp"] > 0


def test_dask_gives_the_serial_result(serial):
    parallel = sweep_alliances(VARY, scheduler="processes")
    pd.testing.assert_frame_equal(parallel.shares, serial.shares)
    pd.testing.assert_frame_equal(parallel.alliances, serial.alliances)


def test_grid_is_the_cartesian_product():
    grid = variant_grid({"a": [1, 2], "b": ["x", None]})
    assert [label for label, _ in grid] == ["a=1, b=x", "a=1, b=null", "a=2, b=x", "a=2, b=null"]


def test_set_field_validates_and_names_the_field():
    assert set_field(AlliancesConfig(), "distances.min_km", 50).distances.min_km == 50
    with pytest.raises(ConfigError, match=r"weights\.methd: 'methd' is not a field of weights"):
        set_field(AlliancesConfig(), "weights.methd", "pca")
    with pytest.raises(ConfigError, match=r"weights\.method: Input should be"):
        set_field(AlliancesConfig(), "weights.method", "magic")


def test_bad_values_fail_before_any_run():
    with pytest.raises(ConfigError, match="distances.min_km"):
        sweep_alliances({"distances.min_km": [None, -5]}, scheduler="serial")


def test_parse_vary_and_its_errors():
    assert parse_vary("alliances.resolution=0.5, 2") == ("alliances.resolution", [0.5, 2])
    with pytest.raises(ConfigError, match="must look like FIELD=VALUE1,VALUE2"):
        parse_vary("weights.method")


def test_unknown_scheduler():
    with pytest.raises(ConfigError, match="scheduler 'gpu' is unknown"):
        sweep_alliances(VARY, scheduler="gpu")


def test_cli_writes_tables(tmp_path, capsys):
    code = main(["sweep", "alliances", "--vary", "weights.method=entropy,equal",
                 "--scheduler", "serial", "--out", str(tmp_path)])  # fmt: skip
    assert code == 0
    summary = pd.read_csv(tmp_path / "summary.csv", index_col="variant")
    assert list(summary.index) == ["weights.method=entropy", "weights.method=equal"]
    assert "weights.method=equal" in capsys.readouterr().out


def test_warnings_are_collected_once_per_sweep(monkeypatch, caplog):
    # each variant's run returns its manifest warnings; the sweep logs each distinct one once,
    # naming the variants that raised it (a worker's own log lines are muted)
    import logging

    import carbonshare.sweep.alliances as S

    def fake_run(config):
        s = pd.Series({"AAA": 60.0, "BBB": 40.0})
        method = config.weights.method
        texts = ["FRT: window narrowed"] + (["weights rescaled"] if method == "equal" else [])
        return s, pd.Series({"AAA": 1, "BBB": 1}), texts

    monkeypatch.setattr(S, "_one_variant", fake_run)
    with caplog.at_level(logging.WARNING, logger="carbonshare.sweep.alliances"):
        result = sweep_alliances(VARY, scheduler="serial")
    assert result.warnings == {
        "FRT: window narrowed": ["weights.method=entropy", "weights.method=equal"],
        "weights rescaled": ["weights.method=equal"],
    }
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "FRT: window narrowed (every variant)",
        "weights rescaled (variants weights.method=equal)",
    ]
