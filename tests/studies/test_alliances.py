"""End-to-end test of the alliance study on the bundled data (runs the study once per module)."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest

from carbonshare.studies.alliances import AllianceResult, run_alliances
from carbonshare.studies.alliances_config import AlliancesConfig

TABLES = (
    "indicators", "weights", "scores", "linkage", "crl_matrix", "alliances", "country_shares",
    "top_decile", "decomposition", "selection", "missing_data", "windows", "statistics",
    "share_structure", "linkage_pairs", "mutual_pairs", "long_links",
    # the Monte Carlo of the default run (uncertainty.samples: 1000); uncertainty_sensitivity
    # only with uncertainty.sensitivity_samples > 0
    "uncertainty_share_intervals", "uncertainty_comembership", "uncertainty_gini",
    "uncertainty_choices_drawn", "uncertainty_failed_samples",
)  # fmt: skip
FIGURES = (
    "linkage_map", "alliance_map", "emission_rights_map", "radar_top_countries",
    "principle_boxplots", "rate_distribution",
)  # fmt: skip


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> tuple[AllianceResult, object]:
    out = tmp_path_factory.mktemp("alliances")
    result = run_alliances(AlliancesConfig(), out_dir=out)
    return result, out


def test_shares_sum_to_100(study):
    result, _ = study
    cs = result.country_shares
    for method in ("two_stage", "shapley", "owen"):
        assert cs[f"share_{method}"].sum() == pytest.approx(100.0, abs=1e-9)
        assert (cs[f"share_{method}"] > 0).all()


def test_default_run_has_the_monte_carlo(study):
    """Issue 11: 1,000 samples are part of the default run: intervals, co-membership, report."""
    result, out = study
    unc = result.uncertainty
    assert unc is not None and unc.n_samples == 1000 and len(unc.failures) == 0
    iv = unc.intervals
    assert set(iv.index) == set(result.country_shares.index)
    assert ((iv["p5_pct"] <= iv["median_pct"]) & (iv["median_pct"] <= iv["p95_pct"])).all()
    # the noise is centred on the run: most of its shares lie inside their own 90 % interval
    inside = (iv["base_pct"] >= iv["p5_pct"]) & (iv["base_pct"] <= iv["p95_pct"])
    assert inside.mean() > 0.5
    assert iv["base_pct"].to_dict() == pytest.approx(
        result.country_shares["share_two_stage"].to_dict(), rel=1e-12
    )
    p = pd.read_csv(out / "tables" / "uncertainty_comembership.csv", index_col="iso3")
    np.testing.assert_allclose(p.to_numpy(), p.to_numpy().T)
    np.testing.assert_allclose(np.diag(p.to_numpy()), 1.0)
    gini = pd.read_csv(out / "tables" / "uncertainty_gini.csv", index_col="statistic")["gini"]
    assert gini["p5"] <= gini["median"] <= gini["p95"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["uncertainty"]["n_samples"] == 1000 and "uncertainty" in manifest["timings_s"]
    html = (out / "report.html").read_text()
    assert "How robust is this allocation?" in html and "90 % intervals" in html


def test_two_stage_alliance_sums_are_the_alliance_values(study):
    result, _ = study
    cs = result.country_shares
    by = cs.groupby("alliance")
    table = result.alliance_table
    np.testing.assert_allclose(by["share_two_stage"].sum()[table.index], table["share_two_stage"])
    # stage 1 gives alliance k its Shapley value Q_k in the quotient game, which is the sum of
    # the Owen values of its members (Owen's quotient property)
    np.testing.assert_allclose(by["share_two_stage"].sum(), by["share_owen"].sum(), rtol=1e-9)


def test_every_country_in_exactly_one_alliance(study):
    result, _ = study
    members = result.members
    assert not members.index.has_duplicates
    assert set(members.index) == set(result.country_shares.index) == set(result.matrix.values.index)
    assert result.alliance_table["size"].sum() == len(members)
    listed = [c for row in result.alliance_table["members"] for c in row.split(", ")]
    assert sorted(listed) == sorted(members.index)


def test_decomposition_parts_sum_to_totals(study):
    result, _ = study
    codes = list(result.grid.index)
    dec = result.decomposition.pivot_table(
        index=["method", "iso3"], columns="part", values="value", aggfunc="sum"
    )
    np.testing.assert_allclose(dec[codes].sum(axis=1), dec["share"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(dec[["Eq", "Ef", "El"]].sum(axis=1), dec["share"], rtol=1e-9)
    cs = result.country_shares
    np.testing.assert_allclose(
        cs[["Eq_pct", "Ef_pct", "El_pct"]].sum(axis=1), cs["share_two_stage"]
    )
    np.testing.assert_allclose(cs[[f"{c}_pct" for c in codes]].sum(axis=1), cs["share_two_stage"])


def test_scores_weights_and_linkage(study):
    result, _ = study
    assert result.weights.sum() == pytest.approx(1.0)
    s = result.scores
    np.testing.assert_allclose(s[["Eq", "Ef", "El"]].sum(axis=1), s["ACI"])
    np.testing.assert_allclose(s[["Sc", "Ec", "Ev"]].sum(axis=1), s["ACI"])
    crl = result.crl
    assert (np.diag(crl) == 0).all()
    np.testing.assert_allclose(crl.to_numpy(), crl.to_numpy().T)
    partner = result.linkage["partner"]
    assert (crl.to_numpy().argmax(axis=1) == crl.columns.get_indexer(partner)).all()
    # Eq. 2-7 written out on the study's own matrix (0 ln 0 = 0)
    X = result.matrix.values
    V = (X - X.min()) / (X.max() - X.min())
    p = (V / V.sum()).to_numpy()
    plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    g = 1 + plogp.sum(axis=0) / np.log(len(X))
    np.testing.assert_allclose(result.weights.to_numpy(), g / g.sum(), rtol=1e-12)
    assert result.weight_details.loc["COP", "column"] == "gdp_usd / co2_wdi_t"
    assert result.weight_details.loc["POP", "column"] == "population"


def test_country_selection_is_stated(study):
    result, _ = study
    sel = result.matrix.selection
    assert sel["included"].sum() == len(result.country_shares) >= 160
    assert (sel.loc[~sel["included"], "reason"].str.len() > 0).all()
    assert (sel.loc[sel["included"], "reason"] == "").all()
    # Taiwan is not in the World Bank data; small states lack the ILOSTAT series
    assert "no population" in sel.loc["TWN", "reason"]
    assert "Taiwan is not a World Bank economy" in sel.loc["TWN", "reason"]
    assert "no labour cost" in sel.loc["TUV", "reason"]


def test_manifest_records_repairs_exclusions_and_sources(study):
    result, out = study
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["study"] == "alliances"
    assert manifest["config"] == result.config.model_dump(mode="json")
    fields = {(r["entity"], r["field"], r["action"]) for r in manifest["repairs"]}
    # forest rents run to 2021 (WDI DDF): no window is narrowed any more
    assert not any(a == "window narrowed" for _, _, a in fields)
    assert any(a == "nearest-year fill" for _, _, a in fields)
    excluded = {e["entity"] for e in manifest["exclusions"]}
    sel = result.matrix.selection
    assert excluded == set(sel.index[~sel["included"]])
    # the forest-rents window is complete again: neither narrowed nor warned about
    assert not any(
        "forest_rents_pct_gdp" in n for n in manifest["notes"] + manifest.get("warnings", [])
    )
    assert len(manifest["sources"]) > 5
    assert set(manifest["timings_s"]) >= {"indicator matrix", "allocation", "tables", "report"}
    assert manifest["statistics"]["n_countries"] == len(result.country_shares)
    assert "report.html" in manifest["outputs"]


def test_outputs_exist(study):
    _, out = study
    for name in TABLES:
        assert (out / "tables" / f"{name}.csv").stat().st_size > 0, name
        assert (out / "tables" / f"{name}.parquet").stat().st_size > 0, name
    sheets = pd.read_excel(out / "tables" / "alliances.xlsx", sheet_name=None)
    assert set(sheets) == {"columns", *TABLES} and list(sheets)[0] == "columns"
    for name in FIGURES:
        for suffix in ("png", "svg"):
            assert (out / "figures" / f"{name}.{suffix}").stat().st_size > 1000, name
    assert (out / "report.html").stat().st_size > 100_000


def test_report_embeds_the_figure_files_and_is_built_before_them(study):
    """The report is built while the figures are drawn (its images are filled in as it is
    written): it embeds the very PNG files of the figures, and its step precedes theirs."""
    _, out = study
    html = (out / "report.html").read_text()
    for name in ("radar_top_countries", "principle_boxplots", "rate_distribution"):
        png = base64.b64encode((out / "figures" / f"{name}.png").read_bytes()).decode()
        assert f"data:image/png;base64,{png}" in html, name
    assert html.count('<figure class="cs-image">') == 3 + 2  # + intervals and co-membership
    steps = list(json.loads((out / "manifest.json").read_text())["timings_s"])
    assert steps[-3:] == ["tables", "report", "figures"]


def test_country_shares_table_columns(study):
    _, out = study
    cs = pd.read_csv(out / "tables" / "country_shares.csv", keep_default_na=False)
    for col in ("iso3", "name", "alliance", "share_two_stage_pct", "share_shapley_pct",
                "share_owen_pct",
                "Eq_pct", "Ef_pct", "El_pct", "POP_pct", "FAR_pct", "rank", "continent",
                "developed"):  # fmt: skip
        assert col in cs.columns, col
    assert cs["rank"].iloc[0] == 1
    assert "NAM" in set(cs["iso3"])  # Namibia's code survives the CSV round trip
    top = pd.read_csv(out / "tables" / "top_decile.csv")
    assert len(top) == round(0.1 * len(cs))


def test_top_table_and_statistics(study):
    result, _ = study
    stats = result.statistics
    cs = result.country_shares
    assert stats["max_min_ratio"] == pytest.approx(
        cs["share_two_stage"].max() / cs["share_two_stage"].min()
    )
    assert stats["largest"] == cs.index[0]
    rate = cs.groupby("alliance")["rate_in_alliance_pct"].sum()
    np.testing.assert_allclose(rate, 100.0)


def test_report_in_headless_chromium(study, tmp_path):
    from carbonshare.report.browser import check_page, require_browser, table_sort_probe

    require_browser()
    _, out = study
    hover_probe = """(function () {
      return Array.from(document.querySelectorAll('.js-plotly-plot')).map(function (p) {
        var texts = [];
        p.data.forEach(function (t) { (t.text || []).forEach(function (x) {
          if (String(x).indexOf('<b>India</b> (IND)') === 0) { texts.push(String(x)); } }); });
        return texts;
      });
    })()"""
    check = check_page(
        out / "report.html", tmp_path / "shot.png", scripts=[table_sort_probe(0, 0), hover_probe]
    )
    assert check.console_errors == []
    assert check.external_requests == []
    assert check.ready
    assert len(check.plots) == 3  # alliance map, emission-rights map, linkage vectors
    for plot in check.plots:
        assert plot["paths"] > 100, plot
        assert plot["nonblank_fraction"] > 0.05, plot
    # hover on each map: country, alliance (named by its lead, India) and share, each once
    for texts in check.script_results[1]:
        assert texts, "India has no hover text"
        text = texts[0]
        assert text.count("<b>India</b>") == 1 and text.count("alliance: India +17") == 1, text
        assert text.count("share") == 1, text
    probe = check.script_results[0]  # the first table: indicator weights, by code
    codes = list(probe["before"])
    assert "FRT" in codes
    assert list(probe["asc"]) == sorted(codes)
    assert list(probe["desc"]) == sorted(codes, reverse=True)


def test_radar_data_both_scales(study):
    from carbonshare.studies.alliances_output import figure_data

    result, _ = study
    cs = result.country_shares
    codes = list(result.grid.index)
    top = cs.index[: result.config.output.top_radar]
    parts = cs[[f"{c}_pct" for c in codes]].set_axis(codes, axis=1)
    share = figure_data(result)["radar"]  # default: fraction of each share
    np.testing.assert_allclose(share.sum(axis=1), 1.0)
    np.testing.assert_allclose(
        share.to_numpy(), (parts.loc[top].T / cs.loc[top, "share_two_stage"]).T
    )
    cfg = result.config.model_copy(deep=True)
    cfg.output.radar_scale = "indicator"
    scaled = figure_data(AllianceResult(**{**vars(result), "config": cfg}))["radar"]
    np.testing.assert_allclose(scaled.to_numpy(), (parts.loc[top] / parts.max()).to_numpy())
    assert scaled.to_numpy().max() <= 1.0
    assert list(scaled.index) == list(share.index)


def test_per_alliance_figures_follow_the_group_settings(study):
    """The boxplots and densities show the alliances the config selects: by size, largest first."""
    from carbonshare.studies.alliances_output import figure_data

    result, _ = study
    sizes = result.country_shares["alliance"].value_counts()

    def shown(**output):
        cfg = result.config.model_copy(deep=True)
        for key, value in output.items():
            setattr(cfg.output, key, value)
        data = figure_data(AllianceResult(**{**vars(result), "config": cfg}))
        return set(result.country_shares.loc[data["in_shown"], "alliance"])

    default = shown()
    assert len(default) == min(8, int((sizes >= 5).sum()))
    assert all(sizes[a] >= 5 for a in default)
    every = shown(group_min_size=1, group_max=len(sizes))
    assert every == set(sizes.index)
    assert shown(group_max=2) == set(sorted(default)[:2])


def test_report_structure_and_counts(study):
    from PIL import Image

    from carbonshare.report.figures import MAX_PNG_PIXELS
    from carbonshare.report.structure import read_report

    result, out = study
    report = read_report(out / "report.html")
    assert report.problems() == []
    manifest = json.loads((out / "manifest.json").read_text())
    # the summary, the manifest and the repairs table count the same repairs
    n = len(manifest["repairs"])
    assert manifest["statistics"]["n_repairs"] == n
    assert report.table("Data repairs").rows == n
    assert f"{n} data repairs" in (out / "report.html").read_text()
    # the top table says what it is: the top decile
    top = report.table("Top decile")
    assert top.rows == len(result.top) == round(0.1 * len(result.country_shares))
    assert f"the {len(result.top)} countries" in top.title
    # the distribution figure shows every value (never clipped)
    meta = manifest["figures"]["rate_distribution"]
    (lo, hi), (dlo, dhi) = meta["x_limits"], meta["data_range"]
    assert (
        lo <= dlo
        and hi >= dhi
        and dhi
        == pytest.approx(
            result.country_shares["rate_in_alliance_pct"][
                result.country_shares["alliance"].isin(meta["groups_shown"])
            ].max()
        )
    )
    for png in (out / "figures").glob("*.png"):
        with Image.open(png) as im:
            assert max(im.size) <= MAX_PNG_PIXELS, png.name
    # alliances are named by their lead country in the report's legends and tables
    lead = result.country_shares.groupby("alliance")["share_two_stage"].idxmax()
    largest = result.alliance_table.index[0]
    name = result.country_shares.loc[lead[largest], "name"]
    size = int(result.alliance_table.loc[largest, "size"])
    assert f"{name} +{size - 1}" in (out / "report.html").read_text()


def test_every_written_column_is_described(study):
    _, out = study
    columns = pd.read_csv(out / "tables" / "columns.csv", keep_default_na=False)
    assert set(columns["table"]) == set(TABLES)
    bare = columns.loc[columns["label"] == "", ["table", "column"]].values.tolist()
    assert bare == []
    units = columns.set_index(["table", "column"])["unit"]
    assert units["indicators", "FRT"] == "% of GDP"
    assert units["country_shares", "share_two_stage_pct"] == "% of global emission rights"


def test_bundled_data_repairs_are_in_the_manifest(study):
    """Values the data build filled (UNSD GDP) or read as missing (forest-rent zeros) are
    marked in the manifest for the countries and windows the study uses."""
    from carbonshare.data import repairs_used

    result, _ = study
    rep = [r for r in result.manifest.repairs if r["action"].startswith("bundled data")]
    got = {(r["entity"], r["field"], r["detail"].split(":")[0]) for r in rep}
    assert ("YEM", "GDP", "gdp_usd 2019") in got and ("YEM", "COP", "gdp_usd 2020") in got
    assert ("GBR", "FRT", "forest_rents_pct_gdp 2019") in got
    # YEM gdp_usd 2019-2020 (GDP and COP), GBR forest rents 2019-2020, TKM 2016-2017
    gdp = repairs_used("gdp_usd", result.country_shares.index, (2016, 2020))
    frt = repairs_used("forest_rents_pct_gdp", result.country_shares.index, (2016, 2020))
    assert len(rep) == 2 * len(gdp) + len(frt) == 8
