"""Writing the blue-carbon study: tables, figures, report.html and manifest.json.

Plotting and page building live in :mod:`carbonshare.report` (and the four
chart types of :mod:`carbonshare.studies.bluecarbon_figures`); this module
only chooses what to show from a :class:`~carbonshare.studies.bluecarbon.BlueCarbonResult`.
"""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from carbonshare.studies.bluecarbon_config import SUBSYSTEM_LABELS, SUBSYSTEMS
from carbonshare.studies.common import ProgressCallback, write_tables
from carbonshare.studies.labels import bluecarbon_labels

if TYPE_CHECKING:
    from carbonshare.report.labels import Labels
    from carbonshare.studies.bluecarbon import BlueCarbonResult

__all__ = ["METHOD_MARKDOWN", "figure_data", "write", "write_figures", "write_report"]

logger = logging.getLogger(__name__)

LABELS = {**SUBSYSTEM_LABELS, "BCDI": "BCDI"}

LONG_TABLES = ("indicators", "normalised", "scores", "bau_forecasts", "rate_data", "fills",
               "uncertainty_draws", "source_repairs")  # fmt: skip
"""Country-year tables written as CSV and Parquet only (not as sheets of the workbook)."""

METHOD_MARKDOWN = r"""
**Indicators (step 1).** The indicators of the config per country and year (docs/methods.md B1).
A missing year takes the value of the same country's nearest year with data (the paper's
"nearby years"; the earlier year on a tie); every fill is in `tables/fills.csv` and the
manifest. A country with no value at all for an indicator is excluded, except for ecosystem
areas, agreement and market scores and science documents, where absence means 0 (recorded).
Carbon sequestration = (44/12) Σ_e A_e r_e with the burial rates r_e (g C m⁻² yr⁻¹).

**Index (step 2, B2-B3).** y = (x − P2.5)/(P97.5 − P2.5) × 100 (negative indicators:
(P97.5 − x)/(…) × 100), clipped to [0, 100]; percentiles over every country-year. Weights by
the composite-indicator handbook PCA: components with eigenvalue > 1, varimax rotation,
squared loadings scaled to unity, each indicator weighted by its largest scaled squared loading
times that factor's share of explained variance, normalised to sum 1. Subsystem score
I_k = Σ_{j∈k} w_j y_j / w_k, BCDI = Σ_k w_k I_k; the global score is the mean over countries.

**Analyses (step 3, B4).** Changes first → last year; Kruskal-Wallis H test of the last-year
scores across UN SDG regional groups; Pearson and Spearman correlation of development capacity
with resource endowment (pooled country-years and last year).

**Rate model (step 4, B4).** Rate_it = A_i,t+4 / A_it − 1 (A = mangrove + salt marsh +
seagrass area); Rate = b0 + b1 ln(DC) + (1 | nation) by maximum likelihood (statsmodels
MixedLM), other candidates compared by AIC.

**Scenarios (steps 5-6, B5).** Holt's linear trend (ETS(A,A,N), statsmodels) per country and
subsystem to the horizon, with prediction intervals; BAU: Carbon_i = S_i (1 + Rate_i(DC_i,BAU)),
S_i = base-year sequestration. Cooperation at intensity q: each member's normalised
development-capacity indicators are lifted to at least the q-quantile over the coalition; the
lift of the base-year score is added to the BAU score. GC: q = 0.5, GDC: q = 0.9.

**Sharing and value (step 7, B6-B7).** v(S) = Σ_{i∈S} Carbon_i(S, q), v({i}) = BAU; SCRB,
ESD and EANC from v(U), v(U∖i), v({i}); the chosen rule is the first individually rational
one (SCRB first). Sampled Shapley with standard errors. benefit_i = CSCC_i (b_i − BAU_i),
cost_i = CSCC_i (Carbon_coop,i − BAU_i), US$ per year (Ricke et al. 2018 CSCC).

**Uncertainty (step 8).** Monte Carlo over the burial rates (normal, cited s.e., truncated at
0) and the BAU development-capacity forecasts (normal, s.d. from the Holt interval).
"""


def _named(result: BlueCarbonResult, iso3: pd.Index) -> list[str]:
    names = result.countries["name"].reindex(iso3)
    return [f"{n} ({i})" for i, n in zip(iso3, names, strict=True)]


def figure_data(result: BlueCarbonResult) -> dict[str, object]:
    """What the figures show, as labelled pandas objects (no plotting)."""
    cfg = result.config
    yc = cfg.years
    scores = result.index.scores
    gl = result.global_scores.rename(columns=LABELS)
    fc_mean = result.forecasts.xs("mean", axis=1, level=1)
    fc_global = fc_mean.groupby(level="year").mean()
    wk = result.index.subsystem_weights.reindex(list(SUBSYSTEMS))
    fc_global["BCDI"] = (fc_global[list(SUBSYSTEMS)] * wk).sum(axis=1)
    fc_global = fc_global.rename(columns=LABELS)
    last = scores.xs(yc.last, level="year")
    region = result.regions_of.reindex(last.index)
    scen = result.scenarios
    added = {
        name: ((scen.loc[name, "carbon_coop"] - scen.loc[name, "carbon_bau"]) / 1e3).rename(
            f"added sequestration vs BAU, {name} (kt CO2 per year)"
        )
        for name in cfg.scenarios.intensities
    }
    head = list(cfg.scenarios.intensities)[-1]
    gv = result.group_values.xs(head, level="scenario")
    bars = (gv[["benefit_usd", "cost_usd"]] / 1e6).droplevel("grouping")
    bars = bars.rename(index={"developed": "All developed countries",
                              "developing": "All developing countries"})  # fmt: skip
    bars.columns = ["benefit", "cost"]
    from carbonshare.bluecarbon import rate_fitted

    fitted = rate_fitted(result.rate_fit, result.rate_data,
                         random_effects=cfg.rate_model.random_effects)  # fmt: skip
    return {
        "global": gl[[LABELS[k] for k in [*SUBSYSTEMS, "BCDI"]]],
        "global_forecast": fc_global[[LABELS[k] for k in [*SUBSYSTEMS, "BCDI"]]],
        "maps": {
            y: scores.xs(y, level="year")["BCDI"].rename(f"BCDI {y}")
            for y in cfg.analysis.map_years
            if y in scores.index.get_level_values("year")
        },
        "last": last.rename(columns=LABELS),
        "region": region,
        "region_wrapped": region.map(lambda r: textwrap.fill(str(r), 16)),
        "added": added,
        "bars": bars,
        "head": head,
        "rate_observed": result.rate_data["rate"],
        "rate_fitted": fitted,
    }


def write_figures(result: BlueCarbonResult, out_dir: Path) -> list[Path]:
    """The study's figures as PNG + SVG."""
    from carbonshare.report import figures as F
    from carbonshare.studies import bluecarbon_figures as G

    d = figure_data(result)
    cfg = result.config
    yc = cfg.years
    n = result.headlines["countries"]
    kw = result.kruskal
    fig_dir = out_dir / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    made = {
        "global_trends": G.trend_lines(
            d["global"], d["global_forecast"],
            title=f"Global BCDI and subsystem scores, mean of {n} coastal countries",
            ylabel="score (0-100)",
        ),
        "regional_boxplots": F.box_by_group(
            d["last"], d["region_wrapped"],
            title=f"Scores by UN SDG region, {yc.last} (Kruskal-Wallis BCDI: H = "
            f"{kw.at['BCDI', 'statistic']:.1f}, p = {kw.at['BCDI', 'pvalue']:.2g})",
            ylabel="score (0-100)",
        ),
        "dc_re_scatter": G.scatter(
            d["last"][LABELS["development_capacity"]], d["last"][LABELS["resource_endowment"]],
            groups=d["region"],
            title=f"Development capacity vs resource endowment, {yc.last}\n(pooled "
            f"country-years: Pearson r = {result.headlines['dc_re_pearson_r_pooled']:.2f}, "
            f"p = {result.headlines['dc_re_pearson_pvalue_pooled']:.2g})",
            xlabel="development capacity (0-100)", ylabel="resource endowment (0-100)",
        ),
        "rate_model_diagnostics": G.diagnostics(
            d["rate_observed"], d["rate_fitted"],
            title=f"Mixed model '{result.rate_fit.chosen}': 4-year growth of blue-carbon area",
        ),
        "benefit_cost_by_group": F.bar(
            d["bars"],
            title=f"{d['head']}: benefit and cost by country group",
            ylabel="million US$ per year",
        ),
        "q_curve": G.q_curve(
            result.curve, chosen=dict(cfg.scenarios.intensities),
            title="Cost-benefit curve of cooperation intensity q (grand coalition, "
            f"{result.sharing[d['head']].chosen.upper()} allocation)",
        ),
    }  # fmt: skip
    vmax = max(float(s.max()) for s in d["maps"].values())
    for year, s in d["maps"].items():
        made[f"bcdi_map_{year}"] = F.choropleth(
            s, title=f"Blue Carbon Development Index, {year}", vmin=0.0, vmax=vmax,
            legend_label="BCDI (0-100)",
        )  # fmt: skip
    for name, s in d["added"].items():
        positive = bool((s.dropna() > 0).all())  # skewed: log colours when every value is > 0
        made[f"added_sequestration_map_{name}"] = F.choropleth(
            s, title=f"Added annual sequestration in {yc.horizon} under {name} vs BAU",
            cmap="viridis", log_color=positive,
            legend_label="kt CO2 per year" + (" (logarithmic colour scale)" if positive else ""),
        )  # fmt: skip
    paths: list[Path] = []
    for name, fig in made.items():
        paths.extend(F.save_figure(fig, fig_dir / name))
    return paths


def _fmt_mt(x: float) -> str:
    return f"{x:.3g}"


def _scaled(df: pd.DataFrame, labels: Labels, scale: float, units: dict[str, str]) -> pd.DataFrame:
    """``df`` times ``scale`` with headers ``label (unit)`` in the scaled units."""
    out = df * scale
    out.columns = [f"{labels.label(c)} ({units[labels.get(c).unit]})" for c in df.columns]
    return out


def write_report(result: BlueCarbonResult, out_dir: Path, figure_paths: list[Path]) -> Path:
    """report.html: summary, method, caveats and exclusions, results (maps, figures, tables),
    config and provenance; each figure shown once, table headers from the study's labels."""
    from carbonshare.report import Report
    from carbonshare.report import interactive as I

    cfg = result.config
    yc = cfg.years
    h = result.headlines
    d = figure_data(result)
    head = d["head"]
    unc = result.uncertainty
    sel = result.panel.selection
    labels = bluecarbon_labels(cfg)
    rep = Report(
        "Blue Carbon Development Index and cooperation scenarios",
        f"{h['countries']} coastal countries, {h['indicators']} indicators, {yc.first}-{yc.last}; "
        f"scenarios to {yc.horizon}",
    )

    def table(df: pd.DataFrame, name: str, title: str, caption: str = "") -> None:
        if "score" in df.columns:  # score codes shown by their names
            df = df.assign(score=df["score"].map(lambda v: LABELS.get(v, v)))
        if "score" in df.index.names:
            df = df.rename(index=LABELS, level="score")
        rep.add_table(labels.rename(df, name), title, caption=caption)

    def rng(key: str, scale: float) -> str:
        if key not in unc.index or pd.isna(unc.at[key, "q2.5"]):
            return ""
        return (f" (95 % Monte Carlo range {unc.at[key, 'q2.5'] * scale:.3g} to "
                f"{unc.at[key, 'q97.5'] * scale:.3g})")  # fmt: skip

    scen_lines = "".join(
        f"- **{name}** (q = {q}): +{_fmt_mt(h[f'added_{name}_Mt_co2'])} Mt CO2/yr"
        f"{rng(f'added_{name}_tco2', 1e-6)}; allocation rule {h[f'{name}_rule'].upper()}.\n"
        for name, q in cfg.scenarios.intensities.items()
    )
    rep.add_section("Summary")
    rep.add_markdown(
        f"- **{h['countries']} countries** in {h['regions']} regions "
        f"({int((~sel['included']).sum())} candidates excluded, {len(result.panel.fills)} "
        "filled country-year values; see *Caveats and exclusions*).\n"
        f"- Global BCDI {h[f'bcdi_global_{yc.first}']:.2f} in {yc.first} → "
        f"{h[f'bcdi_global_{yc.last}']:.2f} in {yc.last} ({h['bcdi_change_pct']:+.1f} %); "
        f"development capacity {h[f'development_capacity_{yc.first}']:.2f} → "
        f"{h[f'development_capacity_{yc.last}']:.2f}, resource endowment "
        f"{h[f'resource_endowment_{yc.first}']:.2f} → {h[f'resource_endowment_{yc.last}']:.2f}.\n"
        f"- Regions differ in BCDI (Kruskal-Wallis p = {h['kruskal_wallis_bcdi_pvalue']:.2g}); "
        f"development capacity vs resource endowment: pooled r = "
        f"{h['dc_re_pearson_r_pooled']:.2f} (p = {h['dc_re_pearson_pvalue_pooled']:.2g}).\n"
        f"- Blue-carbon sequestration in {yc.last}: {h[f'sequestration_{yc.last}_Mt_co2']:.1f} Mt "
        f"CO2/yr. Added by {yc.horizon} (vs {yc.last}): **BAU** "
        f"+{_fmt_mt(h['added_BAU_Mt_co2'])} Mt CO2/yr{rng('added_BAU_tco2', 1e-6)}.\n"
        + scen_lines
        + f"- {head} benefit {h[f'{head}_benefit_musd']:.3g} and cost "
        f"{h[f'{head}_cost_musd']:.3g} million US$/yr (CSCC-valued); the net value of "
        f"cooperation peaks at q = {h['best_q_net_value']:.2f} on the grid.\n"
    )

    rep.add_section("Method")
    rep.add_markdown(METHOD_MARKDOWN)
    table(
        result.index.weights,
        "weights",
        "Indicator weights",
        "PCA loadings, normalisation bounds (raw units of the indicator) and clipped counts.",
    )
    table(result.rate_fit.table, "rate_models", "Rate models compared by AIC",
          "Maximum-likelihood fits; 'chosen' is used for the scenarios.")  # fmt: skip

    rep.add_section("Caveats and exclusions")
    missing = result.manifest.extra.get("missing_indicators", {})
    static = [f"{s.name}" for s in cfg.indicators.values() if "static" in s.note]
    rep.add_markdown(
        "Indicators of the paper without data here: "
        + "; ".join(f"**{k}** ({v})" for k, v in missing.items())
        + (f". Static series (one year for all years): {', '.join(static)}" if static else "")
        + ". `docs/reproduction-bluecarbon.md` compares every headline with the paper.",
        title="Missing and static indicators",
    )
    table(sel[~sel["included"]].drop(columns="included"), "selection", "Excluded countries")
    from carbonshare.bluecarbon import fill_summary

    rep.add_table(
        fill_summary(result.panel.fills),
        "Fills (runs of filled years)",
        caption="Every filled cell is in tables/fills.csv.",
    )
    if len(result.source_repairs):
        table(result.source_repairs, "source_repairs", "Repairs made when the data were built",
              "Interpolated, static, spliced or rescaled source values.")  # fmt: skip
    rep.add_markdown("\n".join(f"- {note}" for note in result.manifest.notes) or "-",
                     title="Notes")  # fmt: skip

    # the interactive maps replace the static map of the same year / scenario
    rep.add_section("Results: maps")
    last = d["maps"].get(yc.last)
    if last is not None:
        rep.add_plotly(
            I.choropleth_map(last, title=f"BCDI {yc.last}", legend_label="BCDI (0-100)", zmin=0),
            f"BCDI {yc.last}", caption="Blue Carbon Development Index (0-100); hover for values.",
        )  # fmt: skip
    added = d["added"][head]
    rep.add_plotly(
        I.choropleth_map(added, title=f"Added sequestration under {head} vs BAU",
                         legend_label="kt CO2 per year"),
        f"Added sequestration, {head}",
        caption=f"Annual sequestration in {yc.horizon} under {head} minus BAU, kt CO2 per year.",
    )  # fmt: skip
    shown = {f"bcdi_map_{yc.last}", f"added_sequestration_map_{head}"}

    figs = {p.stem: p for p in figure_paths if p.suffix == ".png" and p.stem not in shown}
    if figs:
        rep.add_section("Results: figures")
        captions = {
            "global_trends": ("Global trends", "Mean score over the countries per year; dashed: "
                              "mean of the Holt BAU forecasts."),
            **{f"bcdi_map_{y}": (f"BCDI {y}", "Same colour scale on every map; hatched: no data "
                                 "(not a coastal country of the study).")
               for y in cfg.analysis.map_years},
            "regional_boxplots": ("Regions", f"Last-year ({yc.last}) scores by UN SDG region."),
            "dc_re_scatter": ("Development capacity vs resource endowment",
                              "One point per country; dashed: least-squares line."),
            "rate_model_diagnostics": ("Mixed-model diagnostics",
                                       "Fitted values include the nations' random intercepts."),
            **{f"added_sequestration_map_{n}": (f"Added sequestration, {n}",
                                                f"{n} minus BAU in {yc.horizon}, kt CO2/yr.")
               for n in cfg.scenarios.intensities},
            "benefit_cost_by_group": ("Benefit and cost by group",
                                      f"{head}: benefit = CSCC × (allocated − BAU), cost = CSCC × "
                                      "(own sequestration − BAU); development groups, then "
                                      "regions."),
            "q_curve": ("Cost-benefit curve", "Totals over the countries at each q; dots: local "
                        "optima of the net value."),
        }  # fmt: skip
        for stem, (title, caption) in captions.items():
            if stem in figs:
                rep.add_image(figs[stem], title, caption=caption)

    rep.add_section("Results: tables")
    ch = result.changes
    top_n = cfg.analysis.top_n
    cols = [f"BCDI_{yc.first}", f"BCDI_{yc.last}", "BCDI_change"]
    top = ch.sort_values(f"BCDI_{yc.last}", ascending=False).head(top_n)[cols]
    top.index = pd.Index(_named(result, top.index), name="country")
    imp = ch.sort_values("BCDI_change", ascending=False).head(top_n)[cols]
    imp.index = pd.Index(_named(result, imp.index), name="country")
    table(result.global_scores, "global_scores", "Global scores", "Mean over countries.")
    table(top, "country_changes", f"Top {top_n} countries by BCDI {yc.last}")
    table(imp, "country_changes", f"{top_n} most improved countries")
    table(
        result.kruskal,
        "kruskal_wallis",
        "Kruskal-Wallis tests across regions",
        f"Scores of {yc.last}; H statistic, p-value, df = regions − 1.",
    )
    table(result.regions, "regions", "Scores by region", "Scores 0-100.")
    table(result.correlation, "correlation", "Development capacity vs resource endowment")
    mt = {"t CO2 per year": "Mt CO2 per year", "US$ per year": "million US$ per year"}
    totals = result.scenarios.groupby(level="scenario")[
        ["carbon_base", "carbon_bau", "carbon_coop"]
    ].sum()
    rep.add_table(
        labels.rename(_scaled(totals, labels, 1e-6, mt), "scenarios"),
        "Scenario totals",
        caption=f"Base year {yc.last}, BAU and cooperation in {yc.horizon}.",
    )
    table(
        pd.concat({k: v.checks for k, v in result.sharing.items()}, names=["scenario"]),
        "allocation_checks",
        "Allocation checks",
        "Efficiency gap and individual rationality of each rule; the chosen rule is the "
        "first individually rational one.",
    )
    gv = result.group_values
    rep.add_table(labels.rename(_scaled(gv, labels, 1e-6, mt), "group_values"), "Value by group")
    curve = result.curve
    money = ["added_tco2", "benefit_usd", "cost_usd", "net_usd"]
    rep.add_table(_scaled(curve[money], labels, 1e-6, mt).join(
        labels.rename(curve.drop(columns=money), "q_curve")).rename_axis(labels.title("q")),
        "Cost-benefit curve over q")  # fmt: skip
    table(
        result.uncertainty,
        "uncertainty",
        "Monte Carlo uncertainty of the headline numbers",
        f"{cfg.uncertainty.draws} draws; each quantity in the unit of its name "
        "(tco2: t CO2 per year, usd: US$ per year).",
    )
    per_country = result.values.xs(head, level="scenario").join(result.cscc)
    per_country.insert(0, "name", result.countries["name"].reindex(per_country.index))
    table(per_country, "values", f"{head} per country")
    rep.add_json("Headline statistics", h)

    rep.add_section("Config")
    rep.add_json("Config", cfg)
    rep.add_provenance(result.manifest.to_dict())
    return rep.write(out_dir / "report.html")


def write(
    result: BlueCarbonResult, out_dir: Path, *, progress: ProgressCallback | None = None
) -> list[Path]:
    """Write every output of the study into ``out_dir``; returns the paths written."""
    notify = progress or (lambda _step: None)
    manifest = result.manifest
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    notify("tables")
    with manifest.step("tables"):
        tables = result.tables()
        labels = bluecarbon_labels(result.config)
        # the workbook holds the summary tables and their data dictionary (sheet "columns");
        # the long country-year tables (thousands of rows, slow to write as XLSX) are in CSV
        # and Parquet only; columns.csv, written last, describes every table
        summary = {k: v for k, v in tables.items() if k not in LONG_TABLES}
        paths += write_tables(summary, out_dir / "tables", workbook="bluecarbon.xlsx", formats=(),
                              labels=labels)  # fmt: skip
        written = write_tables(tables, out_dir / "tables", workbook=None, labels=labels)
        paths += [p for p in written if p not in paths]
    figure_paths: list[Path] = []
    if result.config.output.figures:
        notify("figures")
        with manifest.step("figures"):
            figure_paths = write_figures(result, out_dir)
        paths += figure_paths
    if result.config.output.report:
        notify("report")
        with manifest.step("report"):
            paths.append(write_report(result, out_dir, figure_paths))
    notify("manifest")
    manifest.outputs = [str(p.relative_to(out_dir)) for p in paths]
    paths.append(manifest.write(out_dir))
    result.paths = paths
    return paths
