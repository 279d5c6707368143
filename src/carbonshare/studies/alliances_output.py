"""Writing the alliance study: tables, figures, report.html and manifest.json.

Plotting and page building live in :mod:`carbonshare.report`; this module
only chooses what to show from an :class:`~carbonshare.studies.alliances.AllianceResult`.
"""

from __future__ import annotations

import logging
import textwrap
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from carbonshare.report import style
from carbonshare.report.labels import COMMON, Labels
from carbonshare.studies.common import ProgressCallback, write_tables
from carbonshare.studies.labels import alliance_labels, uncertainty_labels

if TYPE_CHECKING:
    from carbonshare.report import Report
    from carbonshare.report.offload import FigureJobs
    from carbonshare.studies.alliances import AllianceResult
    from carbonshare.studies.alliances_config import AlliancesConfig

__all__ = [
    "FIGURES",
    "METHOD_MARKDOWN",
    "add_robustness",
    "build_report",
    "figure_data",
    "figure_jobs",
    "robustness_figures",
    "submit_figures",
    "submit_robustness",
    "write",
    "write_figures",
    "write_report",
    "written_tables",
]

logger = logging.getLogger(__name__)

ALLIANCE_METHODS = {
    "weak-components": "weak components of the strongest-partner graph",
    "louvain": "Louvain communities of the linkage graph",
    "target": "strongest links merged to a target number",
}

RADAR_SCALES = {
    "share": "(fraction of each share per indicator)",
    "indicator": "(indicator parts, 1 = the largest part of that indicator)",
}

METHOD_LABELS = {"two_stage": "two-stage Shapley", "shapley": "Shapley", "owen": "Owen"}

#: Alliances with their own colour in maps and legends (the largest by share); the rest grey.
N_COLORED_ALLIANCES = 18

METHOD_MARKDOWN = r"""
**Data (step 1).** For each country *i* the nine indicators of Table 1 of Zhou et al. (2024):
population and CO2 emissions summed over the cumulative window, the others averaged over the
mean window; carbon productivity is GDP / CO2 (ratio of the window sums). Missing years follow
the fill rule of the config; every repair and exclusion is listed below and in `manifest.json`.

**Normalisation and weights (step 2).** V_ij = (x_ij − min_j) / (max_j − min_j) (Eq. 2);
p_ij = V_ij / Σ_i V_ij; E_j = −(1/ln n) Σ_i p_ij ln p_ij with 0 ln 0 = 0; w_j = (1 − E_j) /
Σ_k (1 − E_k) (Eq. 3-7, entropy weights).

**Scores (step 3).** Dimension scores Sc, Ec, Ev are the weighted sums w_j V_ij over the rows of
the 3 × 3 grid, principle scores Eq, Ef, El over its columns; ACI_i = Eq_i + Ef_i + El_i (Eq. 9).

**Linkage (steps 4-5).** CRL_ij = ∛(Sc_i Ec_i Ev_i) ∛(Sc_j Ec_j Ev_j) / (D_ij² L_i L_j) (Eq. 8),
D = great-circle distance between capitals (km), L = labour-cost proxy. Each country's strongest
partner is argmax_j CRL_ij; alliances are the weakly connected components of the graph
i → partner(i) (the paper's rule; the config may choose Louvain communities or a target number).

**Allocation (step 6).** v(S) = (Σ_{i∈S} ACI_i)(Σ_{i≠j∈S} CRL_ij) (Eq. 10). Stage 1: the
alliances are the players of the quotient game; alliance k gets its Shapley value Q_k.
Stage 2: inside k, country i gets Q_k ψ_i / Σ_{j∈k} ψ_j with ψ the Shapley value of v restricted
to k. Shares are in % of global emission rights (Eq. 13). The one-stage Shapley value over all
countries and the Owen value with the alliances as unions are shown side by side (exact closed
forms, no sampling).

**Decomposition (step 7).** v is linear in ACI = Σ_j w_j V_ij, so the Shapley and Owen values
split exactly into nine indicator parts (and, summing the grid columns, Eq/Ef/El parts). For the
two-stage value the alliance factor Q_k / Σ_k ψ is kept and ψ_i is split linearly, which is exact
too: the parts add up to each country's share.
"""


def figure_data(result: AllianceResult) -> dict[str, pd.DataFrame | pd.Series]:
    """What the figures show, as labelled pandas objects (no plotting)."""
    cs = result.country_shares
    head = result.config.allocation.methods[0]
    labels = alliance_labels(result.config)
    share = cs[f"share_{head}"].rename("share of global emission rights (%)")
    alliance = cs["alliance"].rename("alliance")
    # alliances named by their lead country ("DR Congo +14"), ranked by share for colours
    names = cs["name"].to_dict()
    group_label = style.group_labels(cs["alliance"], cs[f"share_{head}"], names)
    ranked = list(result.alliance_table.index)
    alliance_label = cs["alliance"].map(group_label).rename("alliance")
    colors = style.ranked_category_colors(
        [group_label[a] for a in ranked], n_distinct=N_COLORED_ALLIANCES
    )
    codes = list(result.grid.index)
    parts = cs[[f"{c}_pct" for c in codes]].set_axis(codes, axis=1)
    n_radar = result.config.output.top_radar
    top = cs.index[:n_radar]
    if result.config.output.radar_scale == "indicator":
        # docs/methods.md A7: each indicator's part scaled to 0-1 by its largest part over all countries
        radar = parts.loc[top] / parts.max().where(parts.max() > 0, 1.0)
    else:
        radar = parts.loc[top].div(cs.loc[top, f"share_{head}"], axis=0)
    radar = radar.clip(lower=0.0)
    radar.index = [f"{cs.at[i, 'name']} ({i})" for i in radar.index]
    radar.columns = [textwrap.fill(labels.label(c), 16) for c in radar.columns]
    sizes = cs["alliance"].map(cs["alliance"].value_counts())
    out_cfg = result.config.output
    big = sizes[sizes >= out_cfg.group_min_size].index
    shown = list(dict.fromkeys(cs.loc[big, "alliance"].sort_values()))[: out_cfg.group_max]
    in_shown = cs["alliance"].isin(shown)
    principle_pct = cs[["Eq_pct", "Ef_pct", "El_pct"]].div(cs[f"share_{head}"], axis=0) * 100
    principle_pct.columns = ["Equity", "Efficiency", "Ecology"]
    points = result.countries.loc[cs.index, ["capital_lat", "capital_lon"]].set_axis(
        ["lat", "lon"], axis=1
    )
    members = result.alliance_table["member_names"].map(lambda t: _shorten(str(t), 90))
    partner = result.linkage["partner"].reindex(cs.index)
    hover = pd.DataFrame(
        {
            "alliance": alliance_label,
            "members": cs["alliance"].map(members),
            "share (%)": share.map(style.format_number),
            "rank": cs["rank"],
            "strongest partner": partner.map(lambda p: names.get(p, p)),
        }
    )
    return {
        "share": share,
        "alliance": alliance,
        "alliance_label": alliance_label,
        "alliance_order": [group_label[a] for a in ranked],
        "alliance_colors": colors,
        "labels": labels,
        "links": result.linkage.loc[cs.index, ["partner"]],
        "points": points,
        "radar": radar,
        "principle_pct": principle_pct,
        "rate": cs["rate_in_alliance_pct"].rename("share within the alliance (%)"),
        "in_shown": in_shown,
        "hover": hover,
    }


def _shorten(text: str, width: int) -> str:
    """``text`` cut at a comma to at most ``width`` characters, with how many were left out."""
    if len(text) <= width:
        return text
    items = text.split(", ")
    kept: list[str] = []
    for item in items:
        if len(", ".join([*kept, item])) > width:
            break
        kept.append(item)
    return f"{', '.join(kept)} and {len(items) - len(kept)} more"


#: The six figures of the study, in the order of their files and of ``manifest.json``.
FIGURES = (
    "linkage_map",
    "alliance_map",
    "emission_rights_map",
    "radar_top_countries",
    "principle_boxplots",
    "rate_distribution",
)

#: The order they are queued in, after the robustness figures (co-membership first): the helper
#: process draws from the front, this process from the back once the report is built. So the
#: maps and the clustered heatmap (geopandas and scipy, imported in the helper only) come first,
#: the plain charts last, the costlier first within each.
DRAW_ORDER = (
    "emission_rights_map",
    "alliance_map",
    "linkage_map",
    "radar_top_countries",
    "principle_boxplots",
    "rate_distribution",
)


def figure_jobs(config: AlliancesConfig) -> FigureJobs:
    """The helper process of a run that writes its outputs
    (:class:`carbonshare.report.offload.FigureJobs`): it shares the Monte Carlo chunks with
    this process, then draws the figures while this process writes the tables and builds the
    report; the workbook is a job too, taken by whichever process is free (after the Monte
    Carlo of a tables-only run, the helper makes it while this process writes the CSV and
    Parquet files). No figure and no Monte Carlo: everything runs here."""
    from carbonshare.report.offload import FIGURE_MODULES, FigureJobs

    out, samples = config.output, config.uncertainty.samples
    warm: tuple[str, ...] = ()
    if out.figures or (out.report and samples > 0):
        warm += FIGURE_MODULES
    if samples > 0:
        warm += ("carbonshare.uncertainty.run",)
    if not warm:  # a process for the workbook alone costs more than it saves (measured)
        return FigureJobs(process=False)
    if not out.figures:  # the helper is free for the workbook once the samples are done
        warm += ("xlsxwriter",)
    return FigureJobs(warm=warm)


def submit_figures(result: AllianceResult, jobs: FigureJobs) -> None:
    """Queue the six figures of the study (PNG + SVG bytes, carbonshare.report.figures)."""
    from carbonshare.report import figures as F

    d = figure_data(result)
    head = METHOD_LABELS[result.config.allocation.methods[0]]
    n = len(result.country_shares)
    n_all = result.statistics["n_alliances"]
    method = result.config.alliances.method
    shown = d["in_shown"]
    n_shown = int(d["alliance"][shown].nunique())
    rmax = float(np.ceil(d["radar"].to_numpy().max() * 10) / 10)
    made = {
        "linkage_map": (F.arrow_map, (d["links"], d["points"]), dict(
            color_by=d["alliance_label"],
            colors=d["alliance_colors"],
            legend=False,
            title=f"Strongest carbon-reduction partner of each of {n} countries (argmax CRL), "
            "coloured by alliance as in alliance_map",
        )),
        "alliance_map": (F.category_map, (d["alliance_label"],), dict(
            colors=d["alliance_colors"],
            order=d["alliance_order"],
            legend_max=N_COLORED_ALLIANCES,
            legend_title="alliance (lead country + other members), largest share first",
            title=f"{n_all} carbon-reduction alliances ({ALLIANCE_METHODS[method]})",
        )),
        "emission_rights_map": (F.choropleth, (d["share"],), dict(
            title=f"Share of global emission rights, {head}",
            cmap="viridis",
            legend_label="share of global emission rights (%, logarithmic colour scale)",
            log_color=True,
        )),
        "radar_top_countries": (F.radar, (d["radar"],), dict(
            title=f"Where the shares of the top {len(d['radar'])} countries come from "
            + RADAR_SCALES[result.config.output.radar_scale],
            rmax=rmax,
        )),
        "principle_boxplots": (F.box_by_group, (d["principle_pct"][shown], d["alliance_label"][shown]), dict(
            title=f"Contribution of the three principles to the shares, the {n_shown} largest "
            "alliances (by members)",
            ylabel="part of the country's share (%)",
        )),
        "rate_distribution": (F.strip_by_group, (d["rate"][shown], d["alliance"][shown]), dict(
            group_labels=dict(zip(d["alliance"], d["alliance_label"], strict=True)),
            colors={a: d["alliance_colors"][lab]
                    for a, lab in zip(d["alliance"], d["alliance_label"], strict=True)},
            title=f"Members' shares of their alliance, the {n_shown} largest alliances "
            "(by members)",
            xlabel=d["labels"].title("rate_in_alliance_pct"),
        )),
    }  # fmt: skip
    for name in DRAW_ORDER:
        maker, args, kwargs = made[name]
        jobs.submit(name, maker, *args, encode=F.figure_files, **kwargs)


def write_figures(
    result: AllianceResult, out_dir: Path, jobs: FigureJobs | None = None
) -> list[Path]:
    """The six figures of the study as PNG + SVG (carbonshare.report.figures), from ``jobs``
    (default: drawn here); what each map could not show goes to ``manifest.json``."""
    from carbonshare.report.figures import write_figure_files
    from carbonshare.report.offload import FigureJobs

    if jobs is None:
        jobs = FigureJobs(process=False)
    if FIGURES[0] not in jobs:
        submit_figures(result, jobs)
    drawn = jobs.results(list(FIGURES))
    fig_dir = out_dir / "figures"
    paths: list[Path] = []
    for name, rendered in drawn.items():
        rendered.replay()
        paths.extend(write_figure_files(rendered.files, fig_dir / name))
        if rendered.meta:  # what each figure could not show, or its data range (manifest.json)
            result.manifest.extra.setdefault("figures", {})[name] = rendered.meta
    return paths


#: Shares in percent carry ``_pct`` in their names in the written tables (all studies).
PCT_NAMES = {f"share_{m}": f"share_{m}_pct" for m in METHOD_LABELS}


def written_tables(result: AllianceResult) -> dict[str, pd.DataFrame]:
    """The tables as written (``tables/``): :meth:`AllianceResult.tables` with PCT_NAMES."""
    return {name: df.rename(columns=PCT_NAMES) for name, df in result.tables().items()}


def _labelled(result: AllianceResult, table: str, df: pd.DataFrame | None = None) -> pd.DataFrame:
    """A table (default: the written one) with human headers, label and unit, for the report;
    an alliance number is followed by the alliance's name (its lead country), as in the maps."""
    frame = (result.tables()[table] if df is None else df).rename(columns=PCT_NAMES)
    cs = result.country_shares
    names = style.group_labels(cs["alliance"], cs[f"share_{result.config.allocation.methods[0]}"],
                               cs["name"].to_dict())  # fmt: skip
    if "alliance" in frame.columns:
        at = frame.columns.get_loc("alliance") + 1
        frame = frame.copy()
        frame.insert(at, "alliance_name", frame["alliance"].map(names))
    elif frame.index.name == "alliance":
        frame = frame.copy()
        frame.insert(0, "alliance_name", frame.index.map(names))
    labels = alliance_labels(result.config) | Labels(
        {"alliance_name": ("Alliance name", "", "member with the largest share + others")}
    )
    return labels.rename(frame, table)


def write_report(
    result: AllianceResult,
    out_dir: Path,
    jobs: FigureJobs | None = None,
    *,
    report: Report | None = None,
) -> Path:
    """report.html: :func:`build_report` (or the given ``report``), then config and provenance
    (the run's step timings and figure notes as they are when it is written)."""
    rep = build_report(result, jobs) if report is None else report
    rep.add_section("Config")
    rep.add_json("Config", result.config)
    rep.add_provenance({**result.manifest.to_dict(), "statistics": result.statistics})
    return rep.write(out_dir / "report.html")


def _png(jobs: FigureJobs, stem: str, suffix: str = ".png", replay: bool = False) -> bytes:
    """The PNG bytes of a figure job (a deferred image of the report)."""
    rendered = jobs.result(stem)
    if replay:  # its warnings reach the run's log (figures written as files replay their own)
        rendered.replay()
    return rendered.files[suffix]


def build_report(result: AllianceResult, jobs: FigureJobs | None = None) -> Report:
    """The report up to its config and provenance: summary, method, caveats and exclusions,
    results, robustness. Its figures come from ``jobs`` when the page is written (deferred
    images), so it is built while they are drawn; without ``jobs`` it has the robustness
    figures only (drawn here)."""
    from carbonshare.report import Report
    from carbonshare.report import interactive as I

    d = figure_data(result)
    cfg = result.config
    head = cfg.allocation.methods[0]
    stats = result.statistics
    cs = result.country_shares
    n_all = stats["n_alliances"]
    top1 = cs.iloc[0]
    largest_alliance = result.alliance_table.iloc[0]
    repairs = pd.DataFrame(result.manifest.repairs, columns=["entity", "field", "action", "detail"])
    fmt = style.format_number
    rep = Report(
        "Carbon-reduction alliances and emission rights",
        f"Zhou et al. (2024) method on the bundled data: {len(cs)} countries, {n_all} alliances",
    )
    rep.add_section("Summary")
    rep.add_markdown(
        f"- **{len(cs)} countries** enter the study ({stats['n_excluded']} candidates excluded, "
        f"{len(repairs)} data repairs; see *Caveats and exclusions*).\n"
        f"- **{n_all} alliances**; the largest by emission rights is "
        f"{d['alliance_label'][cs['alliance'] == result.alliance_table.index[0]].iloc[0]} "
        f"(alliance {result.alliance_table.index[0]}: {largest_alliance['size']} members, "
        f"{fmt(largest_alliance['share_pct'])} % of global rights; continents: "
        f"{largest_alliance['continents']}).\n"
        f"- The largest {METHOD_LABELS[head]} share goes to **{top1['name']}** "
        f"({fmt(top1[f'share_{head}'])} %); the top decile ({len(result.top)} countries) holds "
        f"{fmt(stats['top_share_pct'])} %; largest / smallest country share = "
        f"{fmt(stats['max_min_ratio'])}.\n",
    )
    if result.manifest.warnings:  # config values adjusted or windows narrowed: shown first
        rep.add_markdown(
            "\n".join(f"- **Warning**: {w}" for w in result.manifest.warnings), title="Warnings"
        )
    _add_diagnostics(rep, result)  # concentration warning, share structure

    rep.add_section("Method")
    rep.add_markdown(METHOD_MARKDOWN)
    rep.add_table(
        _labelled(result, "weights"), "Indicator weights",
        caption=f"{cfg.weights.method} weights of the nine indicators.",
    )  # fmt: skip

    rep.add_section("Caveats and exclusions")
    close = result.linkage.sort_values("distance_km").iloc[0]
    rep.add_markdown(
        f"The linkage CRL divides by the squared distance between capitals, so a pair of very "
        f"close capitals dominates it: the closest pair here is {close['name']} – "
        f"{close['partner_name']} ({fmt(close['distance_km'])} km). Read the shares with that "
        "in mind; `docs/reproduction.md` lists every difference from the paper's data.",
        title="Caveat",
    )
    sel = result.matrix.selection
    rep.add_table(
        _labelled(result, "selection", sel[~sel["included"]].drop(columns="included")),
        "Excluded countries",
        caption="Candidates (countries with capital coordinates) left out, and why.",
    )
    if len(repairs):
        rep.add_table(
            _labelled(result, "repairs", repairs),
            "Data repairs",
            caption=f"The {len(repairs)} repairs of this run (also in manifest.json): missing "
            "years filled and windows narrowed.",
        )
    rep.add_table(_labelled(result, "windows"), "Time windows")
    for note in result.manifest.notes:
        rep.add_markdown(f"- {note}")

    rep.add_section("Results")
    # every map already shows the country's name; the hover adds what the map does not show
    hover = d["hover"]
    rep.add_plotly(
        I.category_map(
            d["alliance_label"],
            hover=hover.drop(columns="alliance"),
            colors=d["alliance_colors"],
            order=d["alliance_order"],
            title=f"{n_all} alliances, named by their member with the largest share",
        ),
        "Alliances",
        caption=f"Alliances: {ALLIANCE_METHODS[cfg.alliances.method]}. Each alliance is named "
        f"by its member with the largest share (+ the number of other members) and listed "
        f"largest share first; the {N_COLORED_ALLIANCES} largest have their own colours, the "
        "others are grey. Hover for the members.",
    )
    rep.add_plotly(
        I.choropleth_map(
            d["share"],
            hover=hover.drop(columns="share (%)"),
            title="Share of global emission rights (%)",
            legend_label="share (%)",
            log_color=True,
        ),
        "Emission rights",
        caption=f"{METHOD_LABELS[head]} shares, % of global emission rights (Eq. 13), on a "
        "logarithmic colour scale (the shares span more than two orders of magnitude); hover "
        "for the values.",
    )
    rep.add_plotly(
        I.arrow_map(
            d["links"],
            d["points"],
            hover=hover.drop(columns=["alliance", "strongest partner"]),
            color_by=d["alliance_label"],
            colors=d["alliance_colors"],
            order=d["alliance_order"],
            title="Strongest carbon-reduction partner",
        ),  # fmt: skip
        "Linkage vectors",
        caption="Arrow from each country's capital to its strongest partner (argmax CRL), "
        "coloured by alliance as in the map above.",
    )
    rep.add_table(
        _labelled(result, "alliances", result.alliance_table.drop(columns=["share_pct"])),
        "Alliances",
        caption="Shares in % of global emission rights; equity/efficiency/ecology: parts of the "
        f"{METHOD_LABELS[head]} share (percentage points).",
    )
    top_pct = 100 * cfg.allocation.top_fraction
    rep.add_table(
        _labelled(result, "top_decile"),
        f"{'Top decile' if top_pct == 10 else f'Top {top_pct:g} %'}: the {len(result.top)} "
        "countries with the largest shares",
        caption=f"The top {top_pct:g} % of the {len(cs)} countries "
        "by share (config allocation.top_fraction); tables/top_decile.csv.",
    )
    _add_structure_table(rep, result)
    cols = ["name", "alliance", "rank", "continent", "developed"]
    cols += [f"share_{m}" for m in cfg.allocation.methods] + ["Eq_pct", "Ef_pct", "El_pct"]
    cols += ["rate_in_alliance_pct"]
    rep.add_table(
        _labelled(result, "country_shares", cs[cols]), "Country shares",
        caption="Click a header to sort.",
    )  # fmt: skip
    rep.add_table(
        _labelled(result, "scores"), "Scores",
        caption="Dimension and principle scores, ACI (Eq. 9), labour cost and mass (Eq. 8).",
    )  # fmt: skip
    groups = (
        f"Alliances with at least {cfg.output.group_min_size} members (at most the "
        f"{cfg.output.group_max} largest; config output.group_min_size / group_max), named by "
        "their member with the largest share; the others are in alliances.csv and "
        "country_shares.csv."
    )
    titles = {
        "radar_top_countries": (
            "Indicator contributions of the top countries",
            "Fraction of each country's share contributed by each indicator (the exact "
            "decomposition of step 7; the fractions of a country add up to 1).",
        ),
        "principle_boxplots": (
            "Contribution of the three principles per alliance",
            "Equity, efficiency and ecology parts of each member's share, in % of that "
            "share. " + groups,
        ),
        "rate_distribution": (
            "Distribution of shares within each alliance",
            "Every member's share of its alliance's emission rights (points); a box for "
            "alliances of 5 or more members; a density only from 20 members. The axis covers "
            "every value. " + groups,
        ),
    }
    for stem, (title, caption) in titles.items():
        if jobs is not None and stem in jobs:
            rep.add_image(partial(_png, jobs, stem), title, caption=caption)

    _add_published_panel(rep, result)
    if result.uncertainty is not None:
        add_robustness(
            rep, result.uncertainty, result.countries["name"], cfg.uncertainty, jobs=jobs
        )
    return rep


def _add_diagnostics(rep, result: AllianceResult) -> None:
    """The diagnostics the report leads with: concentration warning, share structure, count."""
    from carbonshare.studies.alliances_presets import preset_label

    label = preset_label(result.config.preset)
    if label:
        rep.add_markdown(f"**Preset `{result.config.preset}`: {label}.**", title="Preset")
    dg = result.diagnostics
    if dg is None:
        return
    conc = dg.concentration
    if conc.warning:
        rep.add_markdown(f"**Warning.** {conc.warning}", title="Linkage concentration")
    rep.add_markdown(
        f"The strongest pair holds {100 * conc.top_share:.1f} % of all linkage in v(S); "
        f"Herfindahl index of the pair shares {conc.herfindahl:.3f}, i.e. "
        f"{conc.effective_pairs:.1f} effective linked pairs out of {conc.n_pairs:,}.\n\n"
        + dg.structure_summary()
        + "\n\n"
        + dg.count_summary(),
        title="Diagnosis" if conc.warning else "Linkage concentration and share structure",
    )


def describe_spec(spec) -> str:
    """One sentence on what the Monte Carlo varied (for captions)."""
    errs = ", ".join(f"{k} {100 * v:g} %" for k, v in spec.relative_error.items() if v > 0)
    weights = {
        "dirichlet": f"Dirichlet weights around the entropy weights (concentration "
        f"{spec.concentration:g})",
        "bootstrap": "entropy weights of a bootstrap resample of the countries",
        "fixed": "the entropy weights of each sample",
    }[spec.weights]
    choices = "; ".join(
        f"{name}: " + ", ".join(f"{o} ({p:.0%})" for o, p in opts.items())
        for name, opts in spec.choices.items()
    )
    return (
        f"Log-normal noise per country and indicator (relative error: {errs or 'none'}); "
        f"{weights}; discrete choices: {choices or 'none (the config’s)'}."
    )


def robustness_figures(summary, names: pd.Series) -> dict[str, tuple]:
    """The figures of "How robust is this allocation?": stem -> (maker, args, kwargs, title,
    caption), makers of :mod:`carbonshare.report.robustness`."""
    from carbonshare.report import robustness as R

    iv = summary.intervals
    figs = {
        "share_intervals": (
            R.interval_plot, (iv, names),
            {"title": f"Top {min(30, len(iv))} shares with their 90 % intervals"},
            "Shares with their 90 % intervals",
            "Dot: median over the samples; bar: 5-95 % interval; red tick: this run's share.",
        ),
        "comembership": (
            R.comembership_heatmap, (summary.comembership,),
            {"title": "Probability that two countries share an alliance"},
            "Co-membership",
            "Rows and columns in the order of an average-linkage clustering of 1 - P; blocks "
            "are alliances that hold across the samples, smears are alliances that do not.",
        ),
    }  # fmt: skip
    if len(summary.sensitivity):
        figs["sensitivity"] = (
            R.sensitivity_heatmap, (summary.sensitivity,),
            {"title": "Total Sobol index of each uncertain input"},
            "Sensitivity indices",
            "Total-order Sobol indices (SALib, Saltelli design) of each input on the Gini index "
            "of the shares and on the shares of the 30 largest countries (every country in "
            "sensitivity.csv); values below 0.05 are not printed. Estimates from few design "
            "samples are noisy: read the confidence columns of sensitivity.csv.",
        )  # fmt: skip
    return figs


def submit_robustness(
    jobs: FigureJobs, summary, names: pd.Series, fig_dir: Path | None = None
) -> None:
    """Queue the figures of :func:`add_robustness`: PNG + SVG files when they are saved to
    ``fig_dir``, else the report's PNG. The co-membership heatmap first (its clustering needs
    scipy: the helper process, which takes the queue from the front, should draw it)."""
    from carbonshare.report.figures import figure_files
    from carbonshare.report.html import figure_png

    encode = figure_png if fig_dir is None else figure_files
    figs = robustness_figures(summary, names)
    for stem in sorted(figs, key=lambda s: s != "comembership"):
        maker, args, kwargs, _, _ = figs[stem]
        jobs.submit(stem, maker, *args, encode=encode, **kwargs)


def add_robustness(
    rep,
    summary,
    names: pd.Series,
    spec,
    fig_dir: Path | None = None,
    jobs: FigureJobs | None = None,
) -> list[Path]:
    """The report section "How robust is this allocation?" (figures saved to ``fig_dir``;
    drawn by ``jobs`` when :func:`submit_robustness` queued them there, else here; without
    ``fig_dir`` they are deferred images, drawn by the time the page is written)."""
    from carbonshare.report.figures import write_figure_files
    from carbonshare.report.offload import FigureJobs

    iv = summary.intervals
    g = summary.gini
    rep.add_section("How robust is this allocation?")
    top = iv.head(5)
    lines = ", ".join(
        f"{names.get(i, i)} {r.median_pct:.2f} % [{r.p5_pct:.2f}-{r.p95_pct:.2f}]"
        for i, r in top.iterrows()
    )
    rep.add_markdown(
        f"{summary.n_samples:,} Monte Carlo samples ({len(summary.failures)} failed). "
        + describe_spec(spec)
        + f"\n\nMedian share and 5-95 % interval of the largest: {lines}. Gini index of the "
        f"shares {g['median']:.3f} [{g['p5']:.3f}-{g['p95']:.3f}].",
        title="Summary of the samples",
    )
    figs = robustness_figures(summary, names)
    if jobs is None or next(iter(figs)) not in jobs:
        jobs = FigureJobs(process=False)
        submit_robustness(jobs, summary, names, fig_dir)
    paths: list[Path] = []
    if fig_dir is None:
        for stem, (_, _, _, title, caption) in figs.items():
            rep.add_image(partial(_png, jobs, stem, "", replay=True), title, caption=caption)
    else:
        for stem, rendered in jobs.results(list(figs)).items():
            rendered.replay()
            _, _, _, title, caption = figs[stem]
            paths += write_figure_files(rendered.files, fig_dir / stem)
            rep.add_image(fig_dir / f"{stem}.png", title, caption=caption)
    if not len(summary.sensitivity):
        rep.add_markdown(
            "Sobol sensitivity indices were not computed in this run "
            "(uncertainty.sensitivity_samples: 0; they take about 900 more samples and a SALib "
            "analysis per country). `carbonshare uncertainty alliances` computes them "
            "(--sensitivity 64 by default).",
            title="Sensitivity indices",
        )
    shown = iv.head(30).copy()
    shown.insert(0, "name", names.reindex(shown.index))
    rep.add_table(
        (COMMON | uncertainty_labels()).rename(shown), "Share intervals (top 30)",
        caption="Shares in % of global emission rights; ranks by share (1 = largest).",
    )  # fmt: skip
    return paths


def _add_published_panel(rep, result: AllianceResult) -> None:
    """Distance of this run and of three readings to Table 2 of the paper."""
    from carbonshare.cooperation.published import distance_to_published, load_zhou2024_table2
    from carbonshare.studies.alliances_presets import reading_table

    published = load_zhou2024_table2()
    this = distance_to_published(result.members, result.alliance_table["share_pct"], published)
    this["top_pair_share"] = (
        result.diagnostics.concentration.top_share if result.diagnostics else np.nan
    )
    table = reading_table(result=result)  # the readings of the bundled data
    table.loc["this run"] = this | {"error": ""}
    shown = pd.DataFrame(
        {
            "adjusted Rand index": table["ari"],
            "countries compared": table["n_common"],
            "alliances (paper: 15)": table["n_alliances"],
            "alliance shares %": [
                f"{a:.1f} - {b:.1f}" if pd.notna(a) else ""
                for a, b in zip(
                    table.get("share_min", np.nan), table.get("share_max", np.nan), strict=True
                )
            ],  # fmt: skip
            "top pair's share of linkage %": 100 * table["top_pair_share"],
            "note": table["error"].fillna("").str.split(";").str[0],
        }
    )
    rep.add_section("Distance to the published study")
    rep.add_table(
        shown,
        "Alliances compared with Table 2 of Zhou et al. (2024)",
        caption=f"Table 2: {published.shares.min():.1f}-{published.shares.max():.1f} % per "
        "alliance, 15 alliances. Adjusted Rand index of the alliances on the countries in both "
        "(1 = the same partition, 0 = no better than chance). zhou2024-closest is the variant "
        "closest to the published numbers, not the paper's text (docs/reproduction.md). "
        f"Source: {published.citation}",
    )


def _add_structure_table(rep, result: AllianceResult) -> None:
    dg = result.diagnostics
    if dg is None:
        return
    st = dg.structure.head(15).copy()
    st["two-stage share %"] = (
        result.country_shares["share_two_stage"].reindex(st.index)
        if ("share_two_stage" in result.country_shares)
        else np.nan
    )
    rep.add_table(
        st.rename(
            columns={
                "shapley_pct": "Shapley share %",
                "capacity_pct": "capacity α/3 %",
                "linkage_pct": "linkage 2ρ/3 %",
                "interaction_pct": "ε %",
                "alpha": "α (share of ACI)",
                "rho": "ρ (share of linkage)",
            }
        ),  # fmt: skip
        "Where the shares come from",
        caption="One-stage Shapley share = capacity part α/3 + linkage part 2ρ/3 + ε (exact; "
        "share_structure.csv has every country). α/3 is a floor: no linkage can give a country "
        "less.",
    )


def write(
    result: AllianceResult,
    out_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    jobs: FigureJobs | None = None,
) -> list[Path]:
    """Write every output of the study into ``out_dir``; returns the paths written.

    The figures are drawn by ``jobs`` (:func:`figure_jobs`; default: a new one, closed here):
    in a helper process while this one writes the tables and builds the report.
    """
    if jobs is None:
        with figure_jobs(result.config) as own:
            return write(result, out_dir, progress=progress, jobs=own)
    notify = progress or (lambda _step: None)
    manifest = result.manifest
    cfg = result.config
    if cfg.output.report and result.uncertainty is not None:
        submit_robustness(jobs, result.uncertainty, result.countries["name"])
    if cfg.output.figures and FIGURES[0] not in jobs:
        submit_figures(result, jobs)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    notify("tables")
    with manifest.step("tables"):
        paths += write_tables(
            written_tables(result),
            out_dir / "tables",
            workbook="alliances.xlsx",
            labels=alliance_labels(result.config),
            jobs=jobs,
        )
    report = None
    if cfg.output.report:
        notify("report")
        with manifest.step("report"):
            report = build_report(result, jobs)  # while the helper process draws the figures
    if cfg.output.figures:
        notify("figures")
        with manifest.step("figures"):
            paths += write_figures(result, out_dir, jobs)
    if report is not None:
        with manifest.step("report"):  # its figures are drawn by now (or drawn here)
            paths.append(write_report(result, out_dir, report=report))
    notify("manifest")
    manifest.outputs = [str(p.relative_to(out_dir)) for p in paths]
    paths.append(manifest.write(out_dir))
    result.paths = paths
    return paths


def write_uncertainty(result: AllianceResult, summary, out_dir: Path, **run) -> list[Path]:
    """Tables, figures, report.html and manifest.json of ``carbonshare uncertainty alliances``."""
    from carbonshare.report import Report
    from carbonshare.studies.common import Manifest

    out_dir = Path(out_dir)
    cfg = result.config
    manifest = Manifest("uncertainty alliances", cfg)
    manifest.extra["uncertainty"] = summary.to_dict() | {"run": run}
    if result.diagnostics is not None:
        manifest.extra["diagnostics"] = result.diagnostics.to_dict()
    paths = write_tables(
        summary.tables(), out_dir / "tables", workbook="uncertainty.xlsx",
        labels=uncertainty_labels(),
    )  # fmt: skip
    rep = Report(
        "How robust is this allocation?",
        f"Monte Carlo of the alliance study (Zhou et al. 2024 method): {summary.n_samples:,} "
        f"samples, {len(summary.intervals)} countries",
    )
    _add_diagnostics(rep, result)
    paths += add_robustness(rep, summary, result.countries["name"], cfg.uncertainty,
                            out_dir / "figures")  # fmt: skip
    rep.add_json("Config", cfg)
    paths.append(rep.write(out_dir / "report.html"))
    manifest.outputs = [str(p.relative_to(out_dir)) for p in paths]
    paths.append(manifest.write(out_dir))
    return paths
