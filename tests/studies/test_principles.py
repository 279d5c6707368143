"""The principles study end to end: bundled countries, a user CSV of provinces, the CLI."""

from __future__ import annotations

import json
import logging

import numpy as np
import pandas as pd
import pytest

from carbonshare.errors import ConfigError, DataError
from carbonshare.principles import gini, remaining_carbon_budget
from carbonshare.studies.common import load_config
from carbonshare.studies.principles import PrinciplesConfig, run_principles

COUNTRIES = ["CHN", "USA", "IND", "RUS", "JPN", "DEU", "BRA", "NGA", "ZAF", "FRA", "IDN",
             "MEX", "ETH", "GBR", "AUS", "EGY", "BGD", "CAN", "ARG", "KEN"]  # fmt: skip


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    out = tmp_path_factory.mktemp("principles")
    cfg = PrinciplesConfig(data={"entities": COUNTRIES})
    return run_principles(cfg, out_dir=out), out


def test_shares_and_budget_conserved(study):
    result, _ = study
    assert result.shares.shape == (20, 16)
    np.testing.assert_allclose(result.shares.sum(), 1.0, atol=1e-9)
    np.testing.assert_allclose(result.raw_shares.sum(), 1.0, atol=1e-9)
    assert result.budget_t == remaining_carbon_budget(1.5, 50)
    np.testing.assert_allclose(result.allowances.sum(), result.budget_t, rtol=1e-9)
    # C&C pathway spends the budget year by year
    assert result.pathway.to_numpy().sum() == pytest.approx(result.budget_t, rel=1e-9)


def test_rule_answers_on_real_data(study):
    result, _ = study
    pop = result.population
    # egalitarian: equal per capita allowances, Gini 0
    pc = result.per_capita["egalitarian"]
    assert pc.max() == pytest.approx(pc.min())
    assert result.inequality.loc["egalitarian", "gini"] == pytest.approx(0.0, abs=1e-12)
    # grandfathering: shares of 2019 emissions, winners/losers reference
    e = result.emissions
    assert result.shares["grandfathering"].to_numpy() == pytest.approx((e / e.sum()).to_numpy())
    assert result.inequality.loc["grandfathering", "gini"] == pytest.approx(
        gini(result.per_capita["grandfathering"], pop)
    )
    assert "grandfathering" not in result.winners_losers.index
    # burden rules are converted: allowance = E - b (sum E - cap), cap = 0.7 sum E
    b = result.raw_shares["polluter_pays"]
    expected = (e - b * 0.3 * e.sum()) / (0.7 * e.sum())
    assert result.shares["polluter_pays"].to_numpy() == pytest.approx(expected.to_numpy())
    # ZSG-DEA: every unit on the frontier after, total conserved
    z = result.zsg
    assert z["quota_after_t"].sum() == pytest.approx(z["quota_before_t"].sum())
    assert (z["efficiency_after"] > 1 - 1e-6).all()
    assert (z["efficiency_before"] < 1 - 1e-6).any()
    # ECPC deficit reported in the manifest (floored, not silent)
    assert any("emitted more than their fair share" in n for n in result.manifest.notes)
    # rank correlations are symmetric with unit diagonal
    rho = result.spearman
    np.testing.assert_allclose(rho.to_numpy(), rho.to_numpy().T)
    np.testing.assert_allclose(np.diag(rho), 1.0)


def test_outputs_written(study):
    result, out = study
    tables = {p.name for p in (out / "tables").iterdir()}
    for name in ("shares_pct", "allowances_t", "per_capita_t", "inequality", "winners_losers",
                 "rank_spearman", "zsg_dea", "ecpc_account", "gdr_rci", "pathway_t"):  # fmt: skip
        assert f"{name}.csv" in tables and f"{name}.parquet" in tables
    assert "principles.xlsx" in tables and "columns.csv" in tables
    figures = {p.name for p in (out / "figures").iterdir()}
    for stem in ("per_capita_dot_plot", "dumbbell_egalitarian", "map_grandfathering"):
        assert f"{stem}.png" in figures and f"{stem}.svg" in figures
    shares = pd.read_csv(out / "tables" / "shares_pct.csv", index_col="iso3")
    assert shares.loc["CHN", "name"] == "China"
    # written in percent: each rule column sums to 100, equal to the fractions x 100
    np.testing.assert_allclose(shares.drop(columns="name").sum(), 100.0, atol=1e-7)
    assert shares.loc["CHN", "grandfathering"] == pytest.approx(
        100 * result.shares.loc["CHN", "grandfathering"]
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["study"] == "principles"
    assert manifest["config"]["budget"]["warming"] == 1.5
    assert set(manifest["timings_s"]) >= {"data", "rules", "budget", "comparison", "tables"}
    assert "report.html" in manifest["outputs"]
    html = (out / "report.html").read_text()
    assert "Allocation principles compared" in html and "Winners and losers" in html


def test_report_in_headless_chromium(study, tmp_path):
    from carbonshare.report.browser import check_page, require_browser, table_sort_probe

    require_browser()
    _, out = study
    check = check_page(out / "report.html", tmp_path / "shot.png", scripts=[table_sort_probe(0, 0)])
    assert check.console_errors == []
    assert check.external_requests == []
    assert check.ready
    # one map per default map rule, but for the nearly constant egalitarian one
    assert len(check.plots) == 2
    for plot in check.plots:
        assert plot["paths"] > 100, plot


def _provinces_csv(path):
    rows = []
    rng = np.random.default_rng(7)
    for i, name in enumerate(["Anhui", "Beijing", "Fujian", "Gansu", "Hebei", "Jilin"]):
        pop = 10e6 * (1 + i)
        for year in range(2005, 2016):
            rows.append(
                {
                    "province": name,
                    "year": year,
                    "co2": 1e8 * (1 + 0.3 * i) * (1 + 0.02 * (year - 2005)) * rng.uniform(0.9, 1.1),
                    "pop": pop,
                    "gdp": 5e11 * (1 + 0.5 * ((i * 7) % 5)) * (1 + 0.07 * (year - 2005)),
                    "sector": None if name == "Gansu" else ("north" if i % 2 else "south"),
                }
            )
    pd.DataFrame(rows).to_csv(path, index=False)


def _provinces_yaml(tmp_path, csv):
    cfg = tmp_path / "provinces.yaml"
    cfg.write_text(
        f"""
data:
  source: csv
  path: {csv}
  entity_column: province
  emissions: co2
  population: pop
  gdp: gdp
base_year: 2015
history_start: 2005
budget:
  source: tonnes
  tonnes: 1.0e+10
rules:
  - rule: grandfathering
  - rule: egalitarian
  - rule: equal_cumulative_per_capita
    params: {{negative: keep}}
  - rule: benchmarking
    params: {{groups: sector}}
  - rule: zsg_dea
    params: {{inputs: [pop], rts: vrs}}
  - rule: polluter_pays
  - rule: entropy_composite
  - rule: mix
    params: {{components: {{egalitarian: 1, grandfathering: 1}}}}
output:
  figures: false
  report: false
"""
    )
    return cfg


def test_user_csv_of_provinces(tmp_path):
    csv = tmp_path / "provinces.csv"
    _provinces_csv(csv)
    cfg = load_config(PrinciplesConfig, _provinces_yaml(tmp_path, csv))
    result = run_principles(cfg, out_dir=tmp_path / "out")
    assert list(result.shares.index) == ["Anhui", "Beijing", "Fujian", "Gansu", "Hebei", "Jilin"]
    np.testing.assert_allclose(result.shares.sum(), 1.0, atol=1e-9)
    np.testing.assert_allclose(result.allowances.sum(), 1e10, rtol=1e-9)
    assert result.ecpc is not None and (result.ecpc["deficit_t"] == 0).all()  # 'keep'
    assert result.zsg["efficiency_after"].min() > 1 - 1e-6
    # a province without a sector is benchmarked in an 'unclassified' group, recorded
    assert any("1 entities have no 'sector'" in n and "Gansu" in n for n in result.manifest.notes)
    # the entropy composite reads the panel's own column names (co2, gdp)
    assert list(result.shares.columns).count("entropy_composite") == 1
    assert (tmp_path / "out" / "tables" / "shares_pct.csv").is_file()


def test_shapley_rule_from_a_game_file(tmp_path):
    # v(S) = (sum_{i in S} a_i)^2 has Shapley value phi_i = a_i sum_j a_j (each pair's
    # cross term 2 a_i a_j is split equally), so the shares are a_i / sum_j a_j
    import itertools

    csv = tmp_path / "provinces.csv"
    _provinces_csv(csv)
    names = ["Anhui", "Beijing", "Fujian", "Gansu", "Hebei", "Jilin"]
    a = dict(zip(names, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], strict=True))
    game = tmp_path / "game.csv"
    rows = ["coalition,value"]
    for k in range(1, 7):
        for coalition in itertools.combinations(names, k):
            rows.append(f'"{",".join(coalition)}",{sum(a[p] for p in coalition) ** 2}')
    game.write_text("\n".join(rows) + "\n")
    data = {"source": "csv", "path": csv, "entity_column": "province", "emissions": "co2",
            "population": "pop", "gdp": "gdp"}  # fmt: skip
    cfg = PrinciplesConfig(
        data=data,
        base_year=2015,
        history_start=2005,
        budget={"source": "tonnes", "tonnes": 1e9},
        rules=[{"rule": "grandfathering"}, {"rule": "shapley", "params": {"game": str(game)}}],
        output={"figures": False, "report": False},
    )
    result = run_principles(cfg)
    assert result.shares["shapley"].to_dict() == pytest.approx({p: a[p] / 21 for p in names})
    assert result.rules.loc["shapley", "kind"] == "allowance"
    # the game's players must be the entities of the study
    cfg.data.entities = names[:5]
    with pytest.raises(DataError, match=r"players not in the data or excluded: \['Jilin'\]"):
        run_principles(cfg)
    with pytest.raises(ValueError, match="params.game: the 'shapley' rule needs the path"):
        PrinciplesConfig(rules=[{"rule": "grandfathering"}, {"rule": "shapley"}])


def test_ecpc_deficit_logged_once(caplog):
    cfg = PrinciplesConfig(
        data={"entities": COUNTRIES},
        rules=[{"rule": "grandfathering"}, {"rule": "equal_cumulative_per_capita"}],
        output={"figures": False, "report": False},
    )
    with caplog.at_level(logging.WARNING, logger="carbonshare.principles.cumulative"):
        result = run_principles(cfg)
    assert caplog.text.count("have emitted more than their fair share") == 1
    assert (result.ecpc["deficit_t"] < 0).any()  # the account is still in the result


def test_budget_notes(study, tmp_path):
    result, _ = study
    # base year 2019: the IPCC budget starts on 1 January 2020, nothing is subtracted
    assert any("nothing subtracted (base year 2019" in n for n in result.manifest.notes)
    # a user panel with the global IPCC budget: the mismatch is recorded, not silent
    csv = tmp_path / "provinces.csv"
    _provinces_csv(csv)
    cfg = PrinciplesConfig(
        data={"source": "csv", "path": csv, "entity_column": "province", "emissions": "co2",
              "population": "pop", "gdp": "gdp"},
        base_year=2015, history_start=2005,
        rules=[{"rule": "grandfathering"}, {"rule": "egalitarian"}],
        output={"figures": False, "report": False},
    )  # fmt: skip
    notes = run_principles(cfg).manifest.notes
    assert any("whole global IPCC budget is shared among the entities" in n for n in notes)


def test_cli_print_config_and_run(tmp_path, capsys):
    from carbonshare.cli import main

    assert main(["run", "principles", "--print-config"]) == 0
    printed = capsys.readouterr().out
    assert "base_year: 2019" in printed and "zsg_dea" in printed
    csv = tmp_path / "provinces.csv"
    _provinces_csv(csv)
    cfg = _provinces_yaml(tmp_path, csv)
    out = tmp_path / "cli"
    assert main(["run", "principles", "--config", str(cfg), "--out", str(out)]) == 0
    assert (out / "manifest.json").is_file()
    assert "6 entities" in capsys.readouterr().err


def test_config_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - rule: sovereignty\n")
    with pytest.raises(ConfigError, match=r"rules\[0\]\.rule: unknown rule 'sovereignty'"):
        load_config(PrinciplesConfig, bad)
    bad.write_text("data:\n  source: csv\n")
    with pytest.raises(ConfigError, match="a CSV path is required"):
        load_config(PrinciplesConfig, bad)
    bad.write_text("reference: egalitarian_x\n")
    with pytest.raises(ConfigError, match="reference.*not among the rules"):
        load_config(PrinciplesConfig, bad)


def test_budget_smaller_than_emitted_is_an_error():
    from carbonshare.data import load_panel

    cfg = PrinciplesConfig(
        base_year=2021,
        budget={"warming": 1.5, "likelihood": 83},
        rules=[{"rule": "grandfathering"}],
        output={"figures": False, "report": False},
    )
    panel = load_panel(["co2_t", "population", "gdp_usd"])
    panel = panel.loc[panel.index.get_level_values(0).isin(COUNTRIES)]
    # 2020-2021 emissions of the 20 countries (~55 Gt) fit in the 300 Gt budget ...
    assert run_principles(cfg, panel=panel).budget_t < 300e9
    # ... ten times as much does not: a clear error, not a negative budget
    boosted = panel.assign(co2_t=panel["co2_t"] * 10)
    with pytest.raises(
        DataError, match=r"300 GtCO2 from 2020 is smaller than the .* GtCO2 already"
    ):
        run_principles(cfg, panel=boosted)


def test_alliance_rule_runs_the_alliance_study():
    cfg = PrinciplesConfig(
        data={"entities": COUNTRIES},
        rules=[{"rule": "grandfathering"}, {"rule": "alliance", "params": {"method": "two_stage"}}],
        output={"figures": False, "report": False},
    )
    result = run_principles(cfg)
    assert result.shares["alliance"].sum() == pytest.approx(1.0)
    from carbonshare.studies.alliances import run_alliances
    from carbonshare.studies.alliances_config import AlliancesConfig

    ref = run_alliances(AlliancesConfig(output={"figures": False, "report": False}))
    two_stage = ref.country_shares["share_two_stage"].reindex(result.shares.index)
    assert result.shares["alliance"].to_numpy() == pytest.approx(
        (two_stage / two_stage.sum()).to_numpy()
    )
    given = pd.Series(1.0, index=COUNTRIES)
    equal = run_principles(cfg, alliance=given)
    assert equal.shares["alliance"].to_numpy() == pytest.approx(np.full(20, 1 / 20))


def test_excluded_entities_are_recorded():
    panel = pd.DataFrame(
        {
            "co2_t": [1.0, 2.0, np.nan, 3.0, 1.0, 1.0],
            "population": [1.0, 1.0, 1.0, 1.0, 2.0, 2.0],
            "gdp_usd": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        },
        index=pd.MultiIndex.from_product([["A", "B", "C"], [2018, 2019]], names=["iso3", "year"]),
    )
    cfg = PrinciplesConfig(
        data={"kind": "other"},  # A, B, C are not countries
        base_year=2019,
        history_start=2018,
        budget={"source": "tonnes", "tonnes": 10.0},
        rules=[{"rule": "grandfathering"}, {"rule": "egalitarian"}],
        output={"figures": False, "report": False},
    )
    # default rule (docs/methods.md A1, as the alliance study): nearest year within the window
    result = run_principles(cfg, panel=panel)
    assert list(result.shares.index) == ["A", "B", "C"]
    assert result.manifest.exclusions == []
    assert result.manifest.repairs == [
        {"entity": "B", "field": "co2_t", "action": "nearest-year fill",
         "detail": "missing 2018: 2018 <- 2019"}
    ]  # fmt: skip
    assert result.shares.loc["B", "grandfathering"] == pytest.approx(3 / 6)
    # fill: exclude drops B, and says so with its share of population and emissions
    cfg.data.fill = "exclude"
    result = run_principles(cfg, panel=panel)
    assert list(result.shares.index) == ["A", "C"]
    assert result.manifest.exclusions == [{"entity": "B", "reason": "no co2_t in 2018"}]
    assert result.excluded_text == (
        "1 entity excluded, holding 25 % of population, 50 % of emissions"
    )


def test_user_panel_bad_input(tmp_path):
    from carbonshare.data.userdata import read_user_panel

    def read(path, column):
        return read_user_panel(path, entity_column=column, entities="other")

    with pytest.raises(DataError, match="not found"):
        read(tmp_path / "none.csv", "firm")
    csv = tmp_path / "firms.csv"
    csv.write_text("firm,year,co2\nA,2020,1\nA,2020,2\n")
    with pytest.raises(DataError, match="duplicate rows for A"):
        read(csv, "firm")
    with pytest.raises(DataError, match="has no column 'plant'"):
        read(csv, "plant")
    csv.write_text("firm,year,co2,population,gdp_usd\nA,2020,1,-5,1\nB,2020,2,3,1\n")
    cfg = PrinciplesConfig(
        data={"source": "csv", "path": csv, "entity_column": "firm"},
        base_year=2020, history_start=2020, budget={"source": "tonnes", "tonnes": 5.0},
        rules=[{"rule": "grandfathering"}, {"rule": "egalitarian"}],
        output={"figures": False, "report": False},
    )  # fmt: skip
    cfg.data.emissions = "co2"
    # a negative population is a data error naming the cell (not an exclusion for another reason)
    with pytest.raises(DataError, match=r"firms.csv: .*population for A in 2020 is -5"):
        run_principles(cfg)


def test_gdr_income_is_ppp_per_person(study):
    """GDR's 7,500 threshold is PPP $ per person: recompute the RCI independently (Baer et al.)."""
    from carbonshare.data import load_panel

    result, _ = study
    panel = load_panel(["co2_t", "population", "gdp_ppp_usd", "gdp_usd"])
    at = panel.xs(2019, level="year").loc[COUNTRIES]
    y = at["gdp_ppp_usd"] / at["population"]
    T = 7500.0
    emissions = panel["co2_t"].unstack().loc[COUNTRIES, 1990:2019].sum(axis=1)
    R = emissions * (1 - T / y).clip(lower=0)
    C = at["population"] * (y - T).clip(lower=0)
    rci = 0.4 * R / R.sum() + 0.6 * C / C.sum()
    got = result.rci
    assert (got["income_ppp_per_capita"] > T).sum() == (y > T).sum()
    # market-rate GDP would put fewer countries above the threshold: the test can tell them apart
    assert (at["gdp_usd"] / at["population"] > T).sum() < (y > T).sum()
    assert got.loc["USA", "rci"] == pytest.approx(rci["USA"], rel=1e-9)
    np.testing.assert_allclose(got["rci"].reindex(COUNTRIES), rci.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(
        result.raw_shares["greenhouse_development_rights"].reindex(COUNTRIES), rci.to_numpy()
    )
    assert any("current international $ (PPP)" in n for n in result.manifest.notes)
    from carbonshare.studies.principles import DataConfig

    assert "PPP" in DataConfig.model_fields["gdp_ppp"].description


def test_one_missing_value_does_not_drop_a_country(tmp_path, capsys):
    """Namibia lacks CO2 for 1990: filled from 1991 (recorded), not excluded (issue 9, item 7)."""
    from carbonshare.cli import main

    out = tmp_path / "out"
    assert main(["run", "principles", "--no-figures", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if "excluded" in x and "holding" in x)
    n = int(line.split()[0])
    manifest = json.loads((out / "manifest.json").read_text())
    assert n == len(manifest["exclusions"]) and n < 26
    assert "% of population" in line and "% of emissions" in line
    shares = pd.read_csv(out / "tables" / "shares_pct.csv", keep_default_na=False, index_col="iso3")
    assert "NAM" in shares.index and shares.loc["NAM", "name"] == "Namibia"
    assert {"entity": "NAM", "field": "co2_t", "action": "nearest-year fill",
            "detail": "missing 1990: 1990 <- 1991"} in manifest["repairs"]  # fmt: skip
    excluded = pd.read_csv(out / "tables" / "excluded.csv", keep_default_na=False)
    assert len(excluded) == n and excluded["reason"].str.len().gt(0).all()
    html = (out / "report.html").read_text()
    # the exclusions are shown above the results
    assert html.index("Exclusions") < html.index("Allowance shares")
    assert manifest["excluded"] in html and manifest["complete"] is True


def test_report_structure(study):
    from carbonshare.report.structure import read_report

    result, out = study
    report = read_report(out / "report.html")
    assert report.problems() == []  # standard sections, no map twice, bounded images
    # every map is interactive once; its static version stays in figures/ only
    maps = [t for t in report.titles() if t.startswith("Map")]
    assert len(maps) == len(set(maps)) == len(result.config.output.map_rules)
    # the egalitarian allowance per person is nearly constant: said, not mapped
    egal = next(b for b in report.blocks if b.title == "Map: Egalitarian (equal per capita)")
    assert egal.kind == "markdown"
    assert "Nearly constant" in (out / "report.html").read_text()  # and says why
    # shares in percent under human headers
    shares = report.table("Allowance shares")
    assert "Grandfathering (% of the budget)" in shares.headers


def test_every_written_column_is_described(study):
    _, out = study
    columns = pd.read_csv(out / "tables" / "columns.csv", keep_default_na=False)
    bare = columns.loc[columns["label"] == "", ["table", "column"]].values.tolist()
    assert bare == []
    units = columns.set_index(["table", "column"])["unit"]
    assert units["shares_pct", "zsg_dea"] == "% of the budget"
    assert units["per_capita_t", "egalitarian"] == "t CO2 per person"
    sheets = pd.read_excel(out / "tables" / "principles.xlsx", sheet_name=None)
    assert list(sheets)[0] == "columns"


def test_economies_without_ppp_figures_stay_with_a_recorded_imputation():
    """Issue 10: the principles study keeps Eritrea, North Korea, South Sudan and Venezuela."""
    from carbonshare.studies.principles import PrinciplesConfig, run_principles

    result = run_principles(PrinciplesConfig())
    excluded = {e["entity"] for e in result.manifest.exclusions}
    assert not {"ERI", "PRK", "SSD", "VEN", "CUB", "SYR"} & excluded
    prk = [
        r for r in result.manifest.repairs if r["entity"] == "PRK" and r["field"] == "gdp_ppp_usd"
    ]
    assert len(prk) == 1 and "Low income" in prk[0]["detail"]
    cfg = PrinciplesConfig.model_validate({"data": {"ppp_fill": "none"}})
    excluded_none = {e["entity"] for e in run_principles(cfg).manifest.exclusions}
    assert "PRK" in excluded_none
