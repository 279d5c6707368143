"""The blue-carbon study: BCDI of the coastal countries, scenarios to 2030, sharing the gains (docs/methods.md part B).

End to end on the bundled data (or a user panel) with the library functions
of :mod:`carbonshare.bluecarbon`:

1. :func:`indicator_panel` - the indicators per country-year, missing years
   filled "with nearby years" (every fill recorded), countries without data
   excluded with their reason.
2. percentile normalisation, PCA weights, subsystem scores and BCDI (B2-B3).
3. trends, top and most-improved countries, regions (Kruskal-Wallis),
   development capacity vs resource endowment (B4).
4. the mixed model of area growth on ln(DC), candidates by AIC (B4).
5. Holt BAU forecasts of the subsystems to the horizon (B5).
6. GC / GDC cooperation and the q-grid cost-benefit curve (B5).
7. the coalition game, SCRB / ESD / EANC / sampled Shapley (B6), CSCC values (B7).
8. Monte Carlo of the headline numbers.

:func:`run_bluecarbon` runs them all and returns a :class:`BlueCarbonResult`;
:meth:`BlueCarbonResult.write` writes tables, figures, ``report.html`` and
``manifest.json``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carbonshare import bluecarbon as bc
from carbonshare.errors import ConfigError, DataError
from carbonshare.studies.bluecarbon_config import (
    DERIVED_SEQUESTRATION,
    SUBSYSTEMS,
    BlueCarbonConfig,
)
from carbonshare.studies.common import Manifest, ProgressCallback, check_output_dir

__all__ = [
    "STEPS",
    "WRITE_STEPS",
    "BlueCarbonResult",
    "IndicatorPanel",
    "StudyInputs",
    "indicator_panel",
    "load_inputs",
    "run_bluecarbon",
]

logger = logging.getLogger(__name__)

STEPS: tuple[str, ...] = (
    "data",
    "index",
    "trends and regions",
    "rate model",
    "BAU forecasts",
    "scenarios",
    "sharing and value",
    "uncertainty",
)
WRITE_STEPS: tuple[str, ...] = ("tables", "figures", "report", "manifest")


# ----------------------------------------------------------------------------- step 1


@dataclass
class StudyInputs:
    """The data a run starts from (bundled or the user's)."""

    frame: pd.DataFrame
    """(iso3, year) x every source column."""
    candidates: pd.Index
    """Countries considered (coastal countries with any blue-carbon ecosystem)."""
    countries: pd.DataFrame
    """Country table (name, regions, developed)."""
    burial_rates: pd.DataFrame
    """ecosystem -> rate_gc_m2_yr, se_gc_m2_yr, source."""
    cscc: pd.Series
    """ISO3 -> US$ per t CO2, with the world value."""
    flags: pd.DataFrame | None = None
    """Build-time repair flags of the source columns (bundled data only)."""
    config: BlueCarbonConfig | None = None
    """The config with optional indicators whose column the panel lacks left out."""


def _source_columns(config: BlueCarbonConfig, frame_columns) -> list[str]:
    cols: list[str] = []
    for spec in config.indicators.values():
        if spec.column != DERIVED_SEQUESTRATION or spec.column in frame_columns:
            cols.append(spec.column)
        if spec.per:
            cols.append(spec.per)
    cols += list(config.sequestration.areas.values())
    return list(dict.fromkeys(cols))


def load_inputs(
    config: BlueCarbonConfig,
    manifest: Manifest,
    *,
    panel: pd.DataFrame | None = None,
    countries: pd.DataFrame | None = None,
    burial_rates: pd.DataFrame | None = None,
    cscc: pd.Series | None = None,
) -> StudyInputs:
    """Load the bundled data (or take the user's) and check every configured column is there."""
    from carbonshare import data

    flags = None
    if panel is None and config.data.panel:
        panel = data.read_panel(config.data.panel)
        manifest.note(f"user panel {config.data.panel}")
    if panel is None:
        from carbonshare.data import blue

        blue_panel = blue.load_blue_panel()
        main = data.load_panel()
        frame = main.join(blue_panel, how="outer")
        candidates = pd.Index(blue.coastal_countries())
        flags = blue.load_blue_flags()
        manifest.add_sources(data.sources())
    else:
        frame = panel
        candidates = panel.index.get_level_values("iso3").unique()
    if list(frame.index.names) != ["iso3", "year"]:
        raise DataError(f"the panel is indexed by {list(frame.index.names)}; use (iso3, year)")
    needed = _source_columns(config, frame.columns)
    absent = [c for c in needed if c not in frame.columns]
    optional = [k for k, s in config.indicators.items()
                if s.optional and (s.column in absent or s.per in absent)]  # fmt: skip
    if optional:
        for k in optional:
            spec = config.indicators[k]
            manifest.note(f"indicator {k} ({spec.name}) left out: the panel has no column "
                          f"{spec.column!r} (optional indicator)")  # fmt: skip
        kept = {k: s for k, s in config.indicators.items() if k not in optional}
        config = config.model_copy(update={"indicators": kept})
        needed = _source_columns(config, frame.columns)
        absent = [c for c in needed if c not in frame.columns]
    if absent:
        users = [k for k, s in config.indicators.items() if s.column in absent or s.per in absent]
        raise ConfigError(
            f"column(s) {absent} are not in the panel (indicators {users} or "
            "sequestration.areas); add them to the panel or change the config"
        )
    if countries is None:
        countries = data.load_countries()
    if burial_rates is None:
        if config.sequestration.rates is not None:
            r = config.sequestration.rates
            burial_rates = pd.DataFrame(
                {"rate_gc_m2_yr": {k: v[0] for k, v in r.items()},
                 "se_gc_m2_yr": {k: v[1] for k, v in r.items()}, "source": "config"}
            )  # fmt: skip
        else:
            from carbonshare.data import blue

            burial_rates = blue.load_burial_rates()
    if cscc is None:
        from carbonshare.data import blue

        cscc = blue.load_cscc(config.sharing.cscc_case)
    lost = [e for e in config.sequestration.areas if e not in burial_rates.index]
    if lost:
        raise ConfigError(
            f"sequestration.areas names ecosystem(s) {lost} without a burial rate; the rates "
            f"cover {list(burial_rates.index)}"
        )
    return StudyInputs(frame, candidates, countries, burial_rates, cscc, flags, config)


@dataclass
class IndicatorPanel:
    """The indicators per country-year and what was done to get them."""

    values: pd.DataFrame
    """(iso3, year) x indicator codes, in the configured units, no NaN."""
    areas: pd.DataFrame
    """(iso3, year) x ecosystems, km2 (filled)."""
    fills: pd.DataFrame
    """One row per filled cell: iso3, column, year, source, rule."""
    selection: pd.DataFrame
    """One row per candidate: name, included, reason."""


def indicator_panel(inputs: StudyInputs, config: BlueCarbonConfig, manifest: Manifest):
    """Step 1: select the countries, fill missing years, compute the indicator values."""
    yc = config.years
    cands = inputs.candidates
    sel = pd.DataFrame({"name": inputs.countries["name"].reindex(cands), "included": True,
                        "reason": ""}, index=pd.Index(cands, name="iso3"))  # fmt: skip
    region = config.analysis.region_column

    def drop(iso3, reason):
        if sel.at[iso3, "included"]:
            sel.loc[iso3, ["included", "reason"]] = [False, reason]
            manifest.exclude(iso3, reason)

    if config.data.only is not None:
        for iso3 in cands.difference(pd.Index(config.data.only)):
            drop(iso3, "not in data.only")
        unknown = sorted(set(config.data.only) - set(cands))
        if unknown:
            raise ConfigError(
                f"data.only lists {unknown}, which are not coastal countries of the panel"
            )
    for iso3 in config.data.exclude:
        if iso3 in sel.index:
            drop(iso3, "data.exclude")
        else:
            manifest.note(f"data.exclude lists {iso3}, which is not a coastal country of the panel")
    for iso3 in cands:
        if iso3 not in inputs.countries.index or pd.isna(inputs.countries.at[iso3, region]):
            drop(iso3, f"no {region} in the country table")
    keep = sel.index[sel["included"]]
    cols = _source_columns(config, inputs.frame.columns)
    filled = bc.fill_years(inputs.frame[cols], (yc.first, yc.last), config.missing.rule,
                           entities=keep)  # fmt: skip
    vals = filled.values
    fills = filled.fills
    extra = []
    zero_ok = {c for c in config.sequestration.areas.values()}
    for s in config.indicators.values():
        if s.absent == "zero":
            zero_ok.add(s.column)
    exclude_cols = {s.column for s in config.indicators.values() if s.absent == "exclude"}
    exclude_cols |= {s.per for s in config.indicators.values() if s.per}
    for iso3, col in filled.empty.itertuples(index=False):
        if col in exclude_cols or col not in zero_ok:
            drop(iso3, f"no {col} in any year")
        else:
            vals.loc[iso3, col] = 0.0
            extra.append((iso3, col, f"{yc.first}-{yc.last}", "absent from the source", "zero"))
    if extra:
        years = range(yc.first, yc.last + 1)
        fills = pd.concat(
            [fills, pd.DataFrame([(i, c, y, s, r) for i, c, _, s, r in extra for y in years],
                                 columns=fills.columns)],
            ignore_index=True,
        )  # fmt: skip
    keep = sel.index[sel["included"]]
    vals = vals.loc[keep]
    fills = fills[fills["iso3"].isin(keep)].reset_index(drop=True)
    eco = config.sequestration.areas
    areas = vals[list(eco.values())].set_axis(list(eco), axis=1)
    X = pd.DataFrame(index=vals.index)
    for code, s in config.indicators.items():
        if s.column == DERIVED_SEQUESTRATION and s.column not in vals.columns:
            rates = inputs.burial_rates["rate_gc_m2_yr"]
            x = bc.sequestration(areas, rates)
        else:
            x = vals[s.column]
        if s.per:
            x = x / vals[s.per].where(vals[s.per] != 0)
        X[code] = x * s.scale
    bad = X.index[~np.isfinite(X).all(axis=1)].get_level_values("iso3").unique()
    for iso3 in bad:
        cols_bad = X.columns[~np.isfinite(X.loc[iso3]).all()].tolist()
        drop(iso3, f"indicator(s) {cols_bad} undefined (zero denominator)")
    keep = sel.index[sel["included"]]
    X = X.loc[keep]
    areas = areas.loc[keep]
    fills = fills[fills["iso3"].isin(keep)].reset_index(drop=True)
    if len(keep) < 5:
        raise DataError(
            f"only {len(keep)} countries have every indicator; the study needs at least 5 "
            "(see the excluded countries and their reasons in the manifest)"
        )
    for row in bc.fill_summary(fills).itertuples(index=False):
        manifest.repair(row.iso3, row.column, f"filled ({row.rule})",
                        f"{row.years} from {row.source}")  # fmt: skip
    return IndicatorPanel(X, areas, fills, sel)


def source_flags(flags: pd.DataFrame | None, index: pd.Index, columns: list[str]) -> pd.DataFrame:
    """Build-time repairs of the bundled series (interpolated, static, spliced...) as runs."""
    out_cols = ["iso3", "column", "flag", "years", "n"]
    if flags is None:
        return pd.DataFrame(columns=out_cols)
    f = flags.reindex(index=index, columns=[c for c in columns if c in flags.columns])
    long = f.stack(future_stack=True).rename("flag").reset_index()
    long.columns = ["iso3", "year", "column", "flag"]
    long = long[long["flag"].fillna("").astype(str) != ""]
    if long.empty:
        return pd.DataFrame(columns=out_cols)
    g = long.groupby(["iso3", "column", "flag"], sort=False)["year"]
    return g.agg(years=bc.year_runs, n="size").reset_index()[out_cols]


# ----------------------------------------------------------------------------- the study


@dataclass
class BlueCarbonResult:
    """Everything the blue-carbon study computes."""

    config: BlueCarbonConfig
    manifest: Manifest
    panel: IndicatorPanel
    index: bc.BCDIResult
    global_scores: pd.DataFrame
    changes: pd.DataFrame
    regions: pd.DataFrame
    kruskal: pd.DataFrame
    correlation: pd.DataFrame
    rate_fit: bc.RateModelFit
    rate_data: pd.DataFrame
    forecasts: pd.DataFrame
    forecast_params: pd.DataFrame
    scenario: bc.BlueCarbonScenario
    scenarios: pd.DataFrame
    sharing: dict[str, bc.SharingResult]
    values: pd.DataFrame
    group_values: pd.DataFrame
    curve: pd.DataFrame
    uncertainty: pd.DataFrame
    draws: pd.DataFrame
    headlines: dict[str, Any]
    countries: pd.DataFrame
    regions_of: pd.Series
    cscc: pd.DataFrame
    burial_rates: pd.DataFrame
    source_repairs: pd.DataFrame
    paths: list[Path] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The output tables by file name (columns documented in docs/bluecarbon.md)."""
        meta = self.countries.reindex(self.panel.selection.index)
        scores = self.index.scores.join(meta[["name"]].join(self.regions_of), on="iso3")
        fc = self.forecasts.copy()
        fc.columns = [f"{s}_{k}" for s, k in fc.columns]
        alloc = pd.concat(
            {k: v.allocations.assign(shapley_se=v.shapley_se) if len(v.shapley_se)
             else v.allocations for k, v in self.sharing.items()},
            names=["scenario"],
        )  # fmt: skip
        checks = pd.concat({k: v.checks for k, v in self.sharing.items()}, names=["scenario"])
        eig = self.index.eigenvalues.to_frame()
        heads = pd.DataFrame({"value": [str(v) for v in self.headlines.values()]},
                             index=pd.Index(list(self.headlines), name="quantity"))  # fmt: skip
        return {
            "indicators": self.panel.values,
            "normalised": self.index.normalised,
            "weights": self.index.weights,
            "eigenvalues": eig,
            "scores": scores,
            "global_scores": self.global_scores,
            "country_changes": self.changes,
            "regions": self.regions,
            "kruskal_wallis": self.kruskal,
            "correlation": self.correlation,
            "rate_models": self.rate_fit.table,
            "rate_data": self.rate_data,
            "bau_forecasts": fc,
            "holt_parameters": self.forecast_params,
            "scenarios": self.scenarios,
            "allocations": alloc,
            "allocation_checks": checks,
            "values": self.values,
            "group_values": self.group_values,
            "q_curve": self.curve,
            "uncertainty": self.uncertainty,
            "uncertainty_draws": self.draws,
            "cscc": self.cscc,
            "burial_rates": self.burial_rates,
            "headlines": heads,
            "selection": self.panel.selection,
            "fills": self.panel.fills,
            "source_repairs": self.source_repairs,
        }

    def write(self, out_dir: str | Path, progress: ProgressCallback | None = None) -> list[Path]:
        """Write tables, figures, report.html and manifest.json (figures/report as configured)."""
        from carbonshare.studies import bluecarbon_output
        from carbonshare.studies.common import write_study

        self.paths = write_study(
            out_dir, lambda folder: bluecarbon_output.write(self, folder, progress=progress)
        )
        return self.paths


def _group_values(values: pd.DataFrame, countries: pd.DataFrame, config) -> pd.DataFrame:
    a = config.analysis
    meta = countries.reindex(values.index.get_level_values("iso3").unique())
    dev = meta[a.group_column].map({True: "developed", False: "developing"}).fillna("unclassified")
    parts = []
    region = meta[a.region_column].replace(a.region_merge)
    for label, grouping in (("development", dev), ("region", region)):
        g = values.join(grouping.rename("group"), on="iso3")
        s = g.groupby(["scenario", "group"])[["benefit_usd", "cost_usd", "net_usd",
                                               "coop_tco2", "bau_tco2"]].sum()  # fmt: skip
        parts.append(s.assign(grouping=label))
    return pd.concat(parts).reset_index().set_index(["grouping", "scenario", "group"])


def run_bluecarbon(
    config: BlueCarbonConfig | None = None,
    out_dir: str | Path | None = None,
    progress: ProgressCallback | None = None,
    *,
    panel: pd.DataFrame | None = None,
    countries: pd.DataFrame | None = None,
    burial_rates: pd.DataFrame | None = None,
    cscc: pd.Series | None = None,
) -> BlueCarbonResult:
    """Run the blue-carbon study end to end (docs/methods.md B1-B7).

    Parameters
    ----------
    config : study config (default: the paper's choices and docs/methods.md B5-B7).
    out_dir : if given, tables, figures, report.html and manifest.json are written there.
    progress : called with each step's name as it starts.
    panel : a user panel indexed by (iso3, year) with every configured column
        (default: the bundled panel joined with :mod:`carbonshare.data.blue`).
    countries : country table with the region and development columns
        (default :func:`carbonshare.data.load_countries`).
    burial_rates : ecosystem -> rate_gc_m2_yr, se_gc_m2_yr (default: config or bundled).
    cscc : ISO3 -> US$ per t CO2 with a "WLD" value (default: bundled, B7 case).

    Returns
    -------
    BlueCarbonResult

    Raises
    ------
    ConfigError, DataError  naming the field, country or column at fault.
    """
    config = config or BlueCarbonConfig()
    if out_dir is not None:
        check_output_dir(out_dir)  # fail before computing
    notify = progress or (lambda _step: None)
    manifest = Manifest("bluecarbon", config)
    yc = config.years
    subs = list(SUBSYSTEMS)

    notify(STEPS[0])
    with manifest.step(STEPS[0]):
        inputs = load_inputs(config, manifest, panel=panel, countries=countries,
                             burial_rates=burial_rates, cscc=cscc)  # fmt: skip
        config = inputs.config or config
        ip = indicator_panel(inputs, config, manifest)
        src_cols = _source_columns(config, inputs.frame.columns)
        src_rep = source_flags(inputs.flags, ip.values.index, src_cols)
        for r in src_rep.itertuples(index=False):
            manifest.repair(r.iso3, r.column, f"source: {r.flag}", f"{r.years} (data build)")
        for code, s in config.indicators.items():
            if s.note:
                manifest.note(f"{code} ({s.name}): {s.note}")

    notify(STEPS[1])
    with manifest.step(STEPS[1]):
        groups = pd.Series({k: s.subsystem for k, s in config.indicators.items()})
        directions = {k: "+" if s.direction == "positive" else "-"
                      for k, s in config.indicators.items()}  # fmt: skip
        given = pd.Series(config.weights.given) if config.weights.given else None
        index = bc.bcdi(ip.values, groups, directions, bounds=config.weights.bounds,
                        weights=config.weights.method, min_eigenvalue=config.weights.min_eigenvalue,
                        given=given)  # fmt: skip
        index.weights.insert(0, "name", [config.indicators[c].name for c in index.weights.index])
        scores = index.scores[[*subs, "BCDI"]]
        gscores = bc.global_scores(scores)

    notify(STEPS[2])
    with manifest.step(STEPS[2]):
        changes = bc.country_changes(scores, yc.first, yc.last)
        reg = inputs.countries[config.analysis.region_column].replace(config.analysis.region_merge)
        last = scores.xs(yc.last, level="year")
        regions, kw = [], {}
        for col in scores.columns:
            summ, test = bc.regional_comparison(last[col], reg)
            regions.append(summ.assign(score=col))
            kw[col] = test
        regions = pd.concat(regions).reset_index().set_index(["score", "region"])
        kruskal = pd.DataFrame.from_dict(kw, orient="index")
        kruskal.index.name = "score"
        corr = pd.concat({
            "pooled": bc.capacity_endowment_correlation(scores["development_capacity"],
                                                        scores["resource_endowment"]),
            str(yc.last): bc.capacity_endowment_correlation(last["development_capacity"],
                                                            last["resource_endowment"]),
        }, names=["sample"])  # fmt: skip

    notify(STEPS[3])
    with manifest.step(STEPS[3]):
        rc = config.rate_model
        total_area = ip.areas.sum(axis=1)
        growth = bc.area_growth(total_area, rc.horizon)
        rate_data, floored, static = bc.rate_frame(
            growth, scores["development_capacity"], dc_floor=rc.dc_floor
        )
        if static:
            manifest.note(
                f"rate model: {len(static)} countries whose blue-carbon area does not change in "
                "the data (no mangrove series; salt marsh and seagrass static) are left out of "
                "the estimation; the fitted model still predicts their rate: " + ", ".join(static)
            )
        if len(floored):
            manifest.note(f"rate model: {len(floored)} country-years with DC < {rc.dc_floor} "
                          f"raised to {rc.dc_floor} before ln")  # fmt: skip
        no_area = total_area.groupby(level="iso3").max()
        no_area = no_area.index[no_area <= 0]
        if len(no_area):
            manifest.note(
                f"rate model: {len(no_area)} countries without blue-carbon area have "
                "no growth rate and sequester nothing: " + ", ".join(no_area)
            )
        fit = bc.fit_rate_models(rate_data, list(rc.candidates), rc.select)

    notify(STEPS[4])
    with manifest.step(STEPS[4]):
        sc = config.scenarios
        fc, fparams = bc.holt_forecasts(scores[subs], yc.horizon, alpha=sc.interval_alpha)
        wk = index.subsystem_weights.reindex(subs)
        n_clip = int(fparams["clipped"].sum())
        if n_clip:
            manifest.note(f"Holt: {n_clip} forecast values beyond the 0-100 score range clipped")

    notify(STEPS[5])
    with manifest.step(STEPS[5]):
        keep = ip.values.index.get_level_values("iso3").unique()
        dc_codes = [
            k for k, s in config.indicators.items() if s.subsystem == "development_capacity"
        ]
        at_h = fc.xs(yc.horizon, level="year")
        rates = inputs.burial_rates
        scenario = bc.BlueCarbonScenario(
            capacity=index.normalised.xs(yc.last, level="year")[dc_codes],
            capacity_weights=index.weights["weight"][dc_codes],
            dc_bau=at_h[("development_capacity", "mean")],
            areas=ip.areas.xs(yc.last, level="year"),
            burial_rates=rates["rate_gc_m2_yr"],
            coefficients=bc.rate_coefficients(fit, keep, random_effects=rc.random_effects),
            transform=fit.transform,
            dc_floor=rc.dc_floor,
        )
        bcdi_bau = (at_h.xs("mean", axis=1, level=1)[subs] * wk).sum(axis=1)
        per = {}
        for name, q in sc.intensities.items():
            co = scenario.cooperation(q)
            co["bcdi_bau"] = bcdi_bau
            co["bcdi_coop"] = bcdi_bau + wk["development_capacity"] * (co["dc_coop"] - co["dc_bau"])
            per[name] = co
        scen_table = pd.concat(per, names=["scenario"])
        q_grid = np.round(np.arange(0.0, 1.0 + 1e-9, sc.q_step), 10)

    notify(STEPS[6])
    with manifest.step(STEPS[6]):
        sh = config.sharing
        cs = bc.country_cscc(inputs.cscc, keep)
        flagged = cs.index[cs["cscc_flag"] != ""].tolist()
        if flagged:
            manifest.note(f"CSCC: {len(flagged)} countries take the world value: "
                          + ", ".join(flagged))  # fmt: skip
        sharing, vals = {}, {}
        for name, q in sc.intensities.items():
            game = bc.sequestration_game(scenario, q)
            res = bc.share_gains(game, list(sh.rules), shapley_samples=sh.shapley_samples,
                                 seed=sh.seed)  # fmt: skip
            sharing[name] = res
            co = per[name]
            vals[name] = bc.value_gains(res.allocations[res.chosen], co["carbon_bau"],
                                        co["carbon_coop"], cs["cscc_usd_per_tco2"])  # fmt: skip
        values = pd.concat(vals, names=["scenario"])
        group_values = _group_values(values, inputs.countries, config)
        head_name = list(sc.intensities)[-1]
        curve = bc.cooperation_curve(scenario, q_grid, cs["cscc_usd_per_tco2"],
                                     sharing[head_name].chosen)  # fmt: skip
        optima = curve.index[curve["local_optimum"]]
        best_q = float(curve.loc[optima, "net_usd"].idxmax()) if len(optima) else np.nan

    notify(STEPS[7])
    with manifest.step(STEPS[7]):
        point = bc.headline_numbers(scenario, sc.intensities, cs["cscc_usd_per_tco2"],
                                    sharing[head_name].chosen)  # fmt: skip
        z = _z(sc.interval_alpha)
        dc_sd = (at_h[("development_capacity", "upper")]
                 - at_h[("development_capacity", "lower")]) / (2 * z)  # fmt: skip
        if config.uncertainty.draws:
            draws = bc.monte_carlo(scenario, sc.intensities, cs["cscc_usd_per_tco2"],
                                   rate_se=rates["se_gc_m2_yr"], dc_sd=dc_sd,
                                   draws=config.uncertainty.draws, seed=sh.seed,
                                   rule=sharing[head_name].chosen,
                                   workers=config.uncertainty.workers,
                                   scheduler=config.uncertainty.scheduler)  # fmt: skip
        else:
            draws = pd.DataFrame(columns=list(point))
        unc = bc.summarise_draws(draws.astype(float), point)

    base_total = float(scenario.base_sequestration().sum())
    headlines: dict[str, Any] = {
        "countries": int(len(keep)),
        "indicators": int(len(config.indicators)),
        "regions": int(reg.reindex(keep).nunique()),
        f"bcdi_global_{yc.first}": float(gscores.at[yc.first, "BCDI"]),
        f"bcdi_global_{yc.last}": float(gscores.at[yc.last, "BCDI"]),
        "bcdi_change_pct": float(gscores.at[yc.last, "BCDI"] / gscores.at[yc.first, "BCDI"] - 1)
        * 100,
    }
    for s in subs:
        headlines[f"{s}_{yc.first}"] = float(gscores.at[yc.first, s])
        headlines[f"{s}_{yc.last}"] = float(gscores.at[yc.last, s])
        headlines[f"{s}_change_pct"] = float(gscores.at[yc.last, s] / gscores.at[yc.first, s]
                                             - 1) * 100  # fmt: skip
    headlines["share_keeping_or_raising_resource_endowment_pct"] = float(
        (changes["resource_endowment_change"] >= 0).mean() * 100
    )
    headlines["kruskal_wallis_bcdi_pvalue"] = float(kruskal.at["BCDI", "pvalue"])
    headlines["dc_re_pearson_r_pooled"] = float(corr.loc[("pooled", "pearson"), "r"])
    headlines["dc_re_pearson_pvalue_pooled"] = float(corr.loc[("pooled", "pearson"), "pvalue"])
    headlines["rate_model"] = fit.chosen
    headlines["rate_model_b1"] = float(fit.table.at[fit.chosen, "b1"])
    headlines[f"sequestration_{yc.last}_Mt_co2"] = base_total / 1e6
    headlines["added_BAU_Mt_co2"] = point["added_BAU_tco2"] / 1e6
    for name in sc.intensities:
        headlines[f"added_{name}_Mt_co2"] = point[f"added_{name}_tco2"] / 1e6
        if point["added_BAU_tco2"] != 0:
            headlines[f"{name}_increase_vs_BAU_pct"] = (
                point[f"added_{name}_tco2"] / point["added_BAU_tco2"] - 1
            ) * 100
        headlines[f"{name}_rule"] = sharing[name].chosen
    dev = inputs.countries[config.analysis.group_column].reindex(keep)
    names = list(sc.intensities)
    for name in names:
        co = per[name]
        for label, mask in (("developing", dev == False), ("developed", dev == True)):  # noqa: E712
            m = mask.fillna(False).to_numpy()
            headlines[f"{label}_bcdi_increase_{name}_vs_BAU_pct"] = float(
                (co["bcdi_coop"][m].mean() / co["bcdi_bau"][m].mean() - 1) * 100
            )
    if len(names) > 1:
        m = (dev == True).fillna(False).to_numpy()  # noqa: E712
        gain = {n: float((per[n]["carbon_coop"] - per[n]["carbon_base"])[m].sum()) for n in names}
        headlines[f"developed_added_sequestration_{names[-1]}_vs_{names[0]}_pct"] = (
            (gain[names[-1]] / gain[names[0]] - 1) * 100 if gain[names[0]] else np.nan
        )
    headlines[f"{head_name}_benefit_musd"] = point.get("benefit_usd", np.nan) / 1e6
    headlines[f"{head_name}_cost_musd"] = point.get("cost_usd", np.nan) / 1e6
    headlines["best_q_net_value"] = best_q
    manifest.extra["statistics"] = headlines
    manifest.extra["missing_indicators"] = MISSING_INDICATORS

    result = BlueCarbonResult(
        config=config, manifest=manifest, panel=ip, index=index, global_scores=gscores,
        changes=changes, regions=regions, kruskal=kruskal, correlation=corr, rate_fit=fit,
        rate_data=rate_data, forecasts=fc, forecast_params=fparams, scenario=scenario,
        scenarios=scen_table, sharing=sharing, values=values, group_values=group_values,
        curve=curve, uncertainty=unc, draws=draws, headlines=headlines,
        countries=inputs.countries, regions_of=reg.reindex(keep).rename("region"), cscc=cs, burial_rates=rates, source_repairs=src_rep,
    )  # fmt: skip
    if out_dir is not None:
        result.write(out_dir, progress=notify)
    return result


MISSING_INDICATORS = {
    "finance": "no bundled series of blue-carbon / climate finance per country: left out; the "
    "development-capacity subsystem has one indicator fewer than the paper's",
    "MPA management effectiveness": "no data (the WDPA management-effectiveness records are not "
    "bundled): left out; MPA coverage alone stands for marine protection",
}


def _z(alpha: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(1 - alpha / 2))
