"""The options of issue 11: each runs from the config, the sweep and the CLI, and does what it
says (checked against the library functions it composes)."""

from __future__ import annotations

import numpy as np
import pytest

from carbonshare import geo
from carbonshare.cooperation import crl_matrix
from carbonshare.cooperation.linkage import stage1_values, transform_linkage
from carbonshare.errors import ConfigError
from carbonshare.studies.alliances import run_alliances
from carbonshare.studies.alliances_config import AlliancesConfig
from carbonshare.studies.alliances_presets import PRESETS, with_preset
from carbonshare.studies.common import load_config
from carbonshare.sweep.grid import set_field

ONLY = ["FRA", "DEU", "ESP", "ITA", "POL", "USA", "CAN", "MEX", "BRA", "ARG", "CHN", "IND",
        "JPN", "KOR", "COD", "COG", "NGA", "ZAF", "EGY", "AUS"]  # fmt: skip


def cfg(**fields):
    c = AlliancesConfig(countries={"only": ONLY}, output={"figures": False, "report": False})
    for path, value in fields.items():
        c = set_field(c, path.replace("__", "."), value)
    return c


@pytest.fixture(scope="module")
def base():
    return run_alliances(cfg())


def test_exponents_enter_crl_as_powers(base):
    r = run_alliances(cfg(distances__exponent=1.0, labour_cost__exponent=0.0))
    s = base.scores
    expected = crl_matrix(s["Sc"], s["Ec"], s["Ev"], base.distances, s["labour_cost"],
                          distance_exponent=1.0, labour_exponent=0.0)  # fmt: skip
    np.testing.assert_allclose(r.crl, expected, rtol=1e-12)
    d = base.distances.to_numpy()
    off = ~np.eye(len(d), dtype=bool)
    lab = s["labour_cost"].to_numpy()
    # CRL(a=2, b=1) * D / (L_i L_j) ... equals CRL(a=1, b=0) / (L_i L_j) * ... : ratio is D L_i L_j
    ratio = r.crl.to_numpy()[off] / base.crl.to_numpy()[off]
    np.testing.assert_allclose(ratio, (d * np.outer(lab, lab))[off], rtol=1e-10)


@pytest.mark.parametrize("transform", ["log_minmax", "rank", "row_normalised"])
def test_transform_changes_the_game_not_the_alliances(base, transform):
    r = run_alliances(cfg(linkage__transform=transform))
    assert r.members.equals(base.members)
    assert r.crl.equals(base.crl)
    np.testing.assert_allclose(r.game_linkage, transform_linkage(base.crl, transform))
    assert not np.allclose(r.country_shares["share_two_stage"].sort_index(),
                           base.country_shares["share_two_stage"].sort_index())  # fmt: skip


@pytest.mark.parametrize("stage1", ["within_only", "cross_only"])
def test_stage1_sets_the_alliance_totals(base, stage1):
    r = run_alliances(cfg(allocation__stage1=stage1))
    ids = r.members.reindex(r.crl.index).to_numpy() - 1
    q = stage1_values(r.scores["ACI"].reindex(r.crl.index).to_numpy(), r.crl.to_numpy(), ids,
                      stage1)  # fmt: skip
    totals = r.country_shares.groupby("alliance")["share_two_stage"].sum().sort_index()
    np.testing.assert_allclose(totals.to_numpy(), 100 * q / q.sum(), rtol=1e-9)
    # the principle parts still add up to each share
    cs = r.country_shares
    np.testing.assert_allclose(cs[["Eq_pct", "Ef_pct", "El_pct"]].sum(axis=1),
                               cs["share_two_stage"], rtol=1e-9, atol=1e-12)  # fmt: skip


def test_min_km_is_recorded_and_diagnostics_follow(base):
    r = run_alliances(cfg(distances__min_km=1000.0))
    assert r.distances.to_numpy()[~np.eye(len(r.distances), dtype=bool)].min() == 1000.0
    assert any(rep["field"] == "distance_km" for rep in r.manifest.repairs)
    assert base.diagnostics.concentration.top_share > 0.5  # COD-COG, 7.6 km
    assert r.diagnostics.concentration.top_share < base.diagnostics.concentration.top_share
    assert r.manifest.extra["diagnostics"]["n_alliances"] == r.statistics["n_alliances"]


def test_distance_source_from_geo_or_a_clear_error():
    if hasattr(geo, "distance_matrix"):
        r = run_alliances(cfg(distances__source="cepii_distw"))
        want = geo.distance_matrix(list(r.crl.index), "cepii_distw", fill_from="capitals")
        np.testing.assert_allclose(r.distances.loc[want.index, want.index], want)
    else:
        with pytest.raises(ConfigError, match="distances.source"):
            run_alliances(cfg(distances__source="cepii_distw"))


def test_presets_sit_under_explicit_values(tmp_path):
    assert with_preset(AlliancesConfig(), "zhou2024") == AlliancesConfig(preset="zhou2024")
    closest = with_preset(AlliancesConfig(), "zhou2024-closest")
    assert closest.linkage.transform == "rank"
    assert closest.distances.source == "cepii_distw"
    assert closest.allocation.stage1 == "cross_only"
    mine = with_preset(AlliancesConfig(linkage={"transform": "none"}), "zhou2024-closest")
    assert mine.linkage.transform == "none" and mine.distances.min_km == 900.0
    path = tmp_path / "c.yaml"
    path.write_text("preset: zhou2024-closest\nallocation:\n  stage1: quotient\n")
    loaded = load_config(AlliancesConfig, path)
    assert loaded.allocation.stage1 == "quotient" and loaded.linkage.transform == "rank"
    assert "not the paper's text" in PRESETS["zhou2024-closest"].label
    # the preset is only options of issue 11: nothing else differs from the defaults
    keys = {k for section in PRESETS["zhou2024-closest"].values.values() for k in section}
    assert keys <= {"source", "exponent", "min_km", "transform", "stage1"}
    with pytest.raises(ConfigError, match="unknown"):
        with_preset(AlliancesConfig(), "zhou2025")


def test_options_are_sweepable():
    from carbonshare.sweep.alliances import sweep_alliances

    res = sweep_alliances(
        {"linkage.transform": ["none", "rank"], "allocation.stage1": ["quotient", "cross_only"]},
        cfg(),
        scheduler="serial",
    )
    assert res.shares.shape[1] == 4
    np.testing.assert_allclose(res.shares.sum(), 100.0)


def test_cli_preset_and_summary(tmp_path):
    from carbonshare.cli import main

    out = tmp_path / "run"
    yaml = tmp_path / "c.yaml"
    yaml.write_text(f"countries:\n  only: {ONLY}\n")
    code = main(["run", "alliances", "--config", str(yaml), "--preset", "zhou2024", "--out",
                 str(out), "--no-figures", "--no-report"])  # fmt: skip
    assert code == 0
    import json

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["config"]["preset"] == "zhou2024"
    assert manifest["diagnostics"]["linkage_concentration"]["top_pair_share"] > 0.5
    assert (out / "tables" / "share_structure.csv").exists()


def test_reading_table_from_the_run_equals_full_runs(monkeypatch):
    """The report's distance-to-Table-2 panel reuses the run: the literal reading is the run
    itself, cepii_distw and zhou2024-closest come from its indicator matrix and weights through
    the exact kernel; the numbers are those of a full run of each reading."""
    import pandas as pd

    from carbonshare.studies import alliances as study
    from carbonshare.studies.alliances_presets import READINGS, reading_table

    base = cfg(uncertainty__samples=0)
    run = run_alliances(base)
    full = reading_table(base)
    calls = []
    real = study.run_alliances
    monkeypatch.setattr(study, "run_alliances", lambda *a, **k: calls.append(a) or real(*a, **k))
    fast = reading_table(base, result=run)
    assert calls == [] and list(fast.index) == list(READINGS)
    assert (full["error"] == "").all()
    pd.testing.assert_frame_equal(fast, full, rtol=1e-9)
    # a run on other options (here: CRITIC weights) is not a reading of ``base``: full runs
    other = run_alliances(cfg(uncertainty__samples=0, weights__method="critic"))
    pd.testing.assert_frame_equal(reading_table(base, result=other), full, rtol=1e-9)
    assert len(calls) == len(READINGS)
