"""The alliance study's config: defaults follow the paper, bad values are named, options run."""

from __future__ import annotations

import logging

import numpy as np
import pytest
import yaml

from carbonshare.errors import ConfigError
from carbonshare.studies.alliances import run_alliances
from carbonshare.studies.alliances_config import AlliancesConfig
from carbonshare.studies.common import dump_config, load_config, validate_config


def test_defaults_follow_the_paper():
    cfg = AlliancesConfig()
    assert cfg.years.cumulative == (1990, 2020)
    assert cfg.years.mean == (2016, 2020)
    assert list(cfg.indicators) == ["POP", "GDP", "COE", "URB", "COP", "CFT", "SRV", "FRT", "FAR"]
    grid = {c: (s.dimension, s.principle) for c, s in cfg.indicators.items()}
    assert (
        grid["POP"] == ("Sc", "Eq") and grid["COP"] == ("Ec", "Ef") and grid["FAR"] == ("Ev", "El")
    )
    coe = cfg.indicators["COE"]
    assert (coe.column, coe.aggregation, coe.window) == ("co2_wdi_t", "sum", "cumulative")
    cop = cfg.indicators["COP"]
    assert (cop.column, cop.per, cop.window) == ("gdp_usd", "co2_wdi_t", "mean")
    assert all(s.direction == "positive" for s in cfg.indicators.values())
    assert cfg.weights.method == "entropy"
    assert cfg.normalisation.method == "minmax"
    assert cfg.alliances.method == "weak-components"
    assert cfg.allocation.methods[0] == "two_stage"
    assert cfg.missing.sum == "nearest" and cfg.missing.outside_years == 0
    assert cfg.distances.min_km is None


def test_print_config_round_trips():
    text = dump_config(AlliancesConfig())
    assert "# fill rule for cumulated indicators" in text
    assert validate_config(AlliancesConfig, yaml.safe_load(text)) == AlliancesConfig()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weights": {"method": "magic"}}, r"weights\.method: Input should be 'entropy', 'pca'"),
        ({"weights": {"method": "given"}}, r"weights: method=given needs `given: \{POP: w1"),
        (
            {"weights": {"method": "given", "given": {"POP": 1.0}}},
            r"weights\.given has keys \['POP'\] but the indicators are",
        ),
        ({"years": {"mean": [2020, 2016]}}, r"years\.mean: first year 2020 is after last year"),
        ({"yeras": {}}, r"yeras: unknown field"),
        ({"labour_cost": {"proxy": "wages"}}, r"labour_cost\.proxy: 'wages' is not a labour-cost"),
        ({"countries": {"exclude": ["FRANCE"]}}, r"countries\.exclude: \['FRANCE'\] are not ISO3"),
        ({"alliances": {"method": "target"}}, r"alliances: method=target needs `n_alliances"),
        ({"alliances": {"method": "kmeans"}}, r"alliances\.method: Input should be"),
        ({"allocation": {"methods": []}}, r"allocation\.methods: list at least one"),
        ({"allocation": {"methods": ["owen", "owen"]}}, r"lists a method twice"),
        ({"allocation": {"top_fraction": 0}}, r"allocation\.top_fraction: Input should be greater"),
        ({"normalisation": {"bounds": [90, 10]}}, r"normalisation\.bounds: \[90\.0, 10\.0\] must"),
        ({"distances": {"min_km": -5}}, r"distances\.min_km: Input should be greater than 0"),
        (
            {"indicators": {"POP": {"name": "P", "column": "population", "aggregation": "sum",
                                    "window": "cumulative", "unit": "p", "dimension": "Sc",
                                    "principle": "Eq"}}},
            r"indicators: no indicator has dimension Ec, Ev",
        ),
        ({"indicators": {"POP": {"column": "population"}}}, r"indicators\.POP\.name: required"),
        ({"missing": {"sum": "available"}}, r"missing\.sum: Input should be 'nearest', 'scale'"),
    ],
)  # fmt: skip
def test_invalid_configs_name_the_field(data, message):
    with pytest.raises(ConfigError, match=message):
        validate_config(AlliancesConfig, data)


def test_indicators_section_replaces_the_whole_set():
    # a partial COE entry is not merged with the default: the message names the missing fields
    partial = {"indicators": {"COE": {"column": "co2_per_ppp_gdp", "aggregation": "mean",
                                      "window": "mean", "scale": 1.0, "unit": "kg"}}}  # fmt: skip
    with pytest.raises(ConfigError, match=r"indicators\.COE\.name: required field is missing"):
        validate_config(AlliancesConfig, partial)
    # the recipe of docs/alliances.md: start from the full dump and edit one entry
    data = AlliancesConfig().model_dump()
    data["indicators"]["COE"].update(partial["indicators"]["COE"])
    cfg = validate_config(AlliancesConfig, data)
    assert list(cfg.indicators) == list(AlliancesConfig().indicators)
    assert cfg.indicators["COE"].column == "co2_per_ppp_gdp"


def test_invalid_file_names_the_file_and_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("weights:\n  method: magic\n")
    with pytest.raises(ConfigError, match=rf"invalid config {path}: weights\.method"):
        load_config(AlliancesConfig, path)


@pytest.fixture(scope="module")
def bundled():
    from carbonshare.data import load_countries, load_panel

    return load_panel(), load_countries()


def _run(bundled, **changes) -> object:
    data = AlliancesConfig().model_dump()
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        data[section][key] = value
    data["output"].update(figures=False, report=False)
    panel, countries = bundled
    return run_alliances(AlliancesConfig.model_validate(data), panel=panel, countries=countries)


@pytest.mark.parametrize(
    "changes",
    [
        {"weights__method": "pca"},
        {"weights__method": "critic"},
        {"weights__method": "equal"},
        {"normalisation__method": "percentile"},
        {"labour_cost__proxy": "gni_per_capita_usd"},
        {"alliances__method": "louvain"},
        {"alliances__method": "target", "alliances__n_alliances": 15},
        {"missing__outside_years": 5},
        {"missing__sum": "scale", "missing__mean": "nearest"},
    ],
)
def test_alternatives_run(bundled, changes):
    result = _run(bundled, **changes)
    cs = result.country_shares
    for method in result.config.allocation.methods:
        assert cs[f"share_{method}"].sum() == pytest.approx(100.0)
    if changes.get("alliances__method") == "target":
        assert result.members.nunique() == 15
    if "missing__outside_years" in changes:
        # ERI, SSD and VEN come back with their last forest rents (2011, 2015, 2014)
        assert len(cs) == 174
        assert {"VEN", "SSD", "ERI"} <= set(cs.index) and "PRK" not in cs.index


def test_co2_intensity_reading_of_x3(bundled):
    # the paper's Table 1 reading: x3 = CO2 per PPP$ of GDP (2016-2020 mean)
    data = AlliancesConfig().model_dump()
    data["indicators"]["COE"].update(
        column="co2_per_ppp_gdp", aggregation="mean", window="mean", scale=1.0,
        unit="kg CO2 per 2021 PPP$",
    )  # fmt: skip
    data["output"].update(figures=False, report=False)
    cfg = AlliancesConfig.model_validate(data)
    result = run_alliances(cfg, panel=bundled[0], countries=bundled[1])
    assert result.matrix.windows.set_index("indicator").loc["COE", "column"] == "co2_per_ppp_gdp"
    assert result.country_shares["share_two_stage"].sum() == pytest.approx(100.0)


def test_given_weights_and_negative_direction(bundled):
    data = AlliancesConfig().model_dump()
    codes = list(data["indicators"])
    data["weights"] = {"method": "given", "given": dict.fromkeys(codes, 1.0)}
    data["indicators"]["COE"]["direction"] = "negative"
    data["output"].update(figures=False, report=False)
    result = run_alliances(
        AlliancesConfig.model_validate(data), panel=bundled[0], countries=bundled[1]
    )
    np.testing.assert_allclose(result.weights, 1 / 9)
    V = result.normalised["COE"]
    raw = result.matrix.values["COE"]
    assert V[raw.idxmax()] == 0.0 and V[raw.idxmin()] == 1.0


def test_default_monte_carlo_steps_aside_for_options_it_does_not_cover(bundled):
    """The Monte Carlo covers entropy weights and weak-component alliances; with other options
    the study runs without it and a warning names the option (``carbonshare uncertainty
    alliances`` fails on them instead)."""
    result = _run(bundled, alliances__method="louvain")
    assert result.uncertainty is None and "uncertainty" not in result.manifest.extra
    (warning,) = [w for w in result.manifest.warnings if "Monte Carlo" in w]
    assert "louvain" in warning and "uncertainty.samples: 0" in warning
    assert not [w for w in _run(bundled).manifest.warnings if "Monte Carlo" in w]


def test_default_monte_carlo_steps_aside_for_a_panel_without_a_proxy_it_draws(bundled):
    """A user's panel with only the configured labour-cost proxy: the study runs, and the
    warning names the missing series (the default Monte Carlo also draws two other proxies)."""
    panel = bundled[0].drop(columns=["gni_per_capita_usd"])
    result = run_alliances(
        AlliancesConfig(output={"figures": False, "report": False}),
        panel=panel,
        countries=bundled[1],
    )
    assert result.uncertainty is None and len(result.country_shares) > 100
    (warning,) = [w for w in result.manifest.warnings if "Monte Carlo" in w]
    assert "gni_per_capita_usd" in warning and "uncertainty.choices" in warning


def test_distance_floor_is_recorded(bundled):
    result = _run(bundled, distances__min_km=100.0)
    floored = [r for r in result.manifest.repairs if r["action"] == "floored"]
    assert any(r["entity"] in ("COD-COG", "COG-COD") for r in floored)
    d = result.distances.to_numpy()
    assert d[~np.eye(len(d), dtype=bool)].min() == pytest.approx(100.0)


# --- config values are never silently ignored or rescaled (issue 9, items 5, 8, 9) ---


def test_exclude_typo_is_an_error_like_only(bundled):
    with pytest.raises(ConfigError, match=r"countries.exclude: \['ZZZ'\] are not in the country"):
        _run(bundled, countries__exclude=["FRA", "ZZZ"])


@pytest.mark.parametrize(
    ("section", "values", "message"),
    [
        ("weights", {"given": {"POP": 1.0}}, r"weights: .*`given` weights are set but method is"),
        ("alliances", {"n_alliances": 5}, r"alliances: .*n_alliances is set but method is"),
    ],
)
def test_ignored_values_are_errors(section, values, message):
    with pytest.raises(ConfigError, match=message):
        validate_config(AlliancesConfig, {section: values})


def test_given_weights_not_summing_to_one_warn(bundled, caplog):
    codes = list(AlliancesConfig().indicators)
    given = dict.fromkeys(codes, 0.1) | {"POP": 1.3}  # sums to 2.1
    with caplog.at_level(logging.WARNING):
        result = _run(bundled, weights__method="given", weights__given=given)
    assert any("weights.given sum to 2.1, not 1; rescaled" in w for w in result.manifest.warnings)
    assert any(r.levelno == logging.WARNING and "sum to 2.1" in r.message for r in caplog.records)
    assert result.weights["POP"] == pytest.approx(1.3 / 2.1)


def test_narrowed_window_is_a_warning(bundled):
    result = _run(bundled, years__cumulative=(1960, 2020))
    assert any("only for 1990-2020 inside the 1960-2020" in w for w in result.manifest.warnings)


def test_default_mean_fill_is_nearest_year(bundled):
    # docs/methods.md A1: nearest available year within the window, then exclusion
    assert AlliancesConfig().missing.mean == "nearest"
    result = _run(bundled)
    gaps = result.matrix.missing
    means = gaps[gaps["indicator"].isin(["URB", "CFT", "SRV", "FRT", "FAR", "GDP"])]
    assert set(means["action"]) <= {"nearest-year fill", "excluded"}
    assert (means["action"] == "nearest-year fill").any()
    row = means[means["action"] == "nearest-year fill"].iloc[0]  # YEM GDP: 2019-2020 missing
    series = bundled[0][row["column"]].xs(row["iso3"], level="iso3").reindex(range(2016, 2021))
    filled = series.copy()
    for pair in row["detail"].split("; "):
        gap, src = (int(y) for y in pair.split(" <- "))
        assert np.isnan(series[gap]) and not np.isnan(series[src])
        filled[gap] = series[src]
    spec = AlliancesConfig().indicators[row["indicator"]]
    # the mean of the filled window, not the mean of the available years
    assert result.matrix.values.loc[row["iso3"], row["indicator"]] == pytest.approx(
        filled.mean() * spec.scale
    )
