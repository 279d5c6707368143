"""The label table of each study: human labels, units and descriptions of what it writes and plots.

One :class:`~carbonshare.report.labels.Labels` per study, built from what the library already
knows (the alliance study's indicator specs carry names and units; the rule registry names
the rules), used for figure axes, legends and spokes, report table headers and the data
dictionary ``tables/columns.csv`` written next to the tables.

Shares are written in percent with ``_pct`` in the column name in every study.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carbonshare.report.labels import COMMON, Column, Labels

if TYPE_CHECKING:
    from carbonshare.studies.alliances_config import AlliancesConfig
    from carbonshare.studies.bluecarbon_config import BlueCarbonConfig

__all__ = ["METHOD_LABELS", "RULE_LABELS", "alliance_labels", "bluecarbon_labels",
           "principles_labels", "responsibility_labels", "rule_label",
           "uncertainty_labels"]  # fmt: skip

#: Allocation methods of the alliance study.
METHOD_LABELS = {"two_stage": "Two-stage Shapley", "shapley": "Shapley", "owen": "Owen"}

#: Display names of the allocation rules (carbonshare.principles.registry names).
RULE_LABELS = {
    "grandfathering": "Grandfathering",
    "egalitarian": "Egalitarian (equal per capita)",
    "equal_cumulative_per_capita": "Equal cumulative per capita",
    "ability_to_pay": "Ability to pay",
    "ability_to_pay_reduction": "Ability to pay (reductions)",
    "greenhouse_development_rights": "Greenhouse Development Rights",
    "polluter_pays": "Polluter pays",
    "economic_activity": "Economic activity",
    "horizontal_equity": "Horizontal equity",
    "vertical_equity": "Vertical equity",
    "contraction_convergence": "Contraction and convergence",
    "carbon_productivity": "Carbon productivity",
    "benchmarking": "Benchmarking",
    "zsg_dea": "ZSG-DEA",
    "entropy_composite": "Entropy composite",
    "mix_equity_efficiency": "Equity-efficiency mix",
    "shapley": "Shapley value",
    "alliance": "Alliance study (two-stage Shapley)",
}

PRINCIPLE_LABELS = {"Eq": "Equity", "Ef": "Efficiency", "El": "Ecology"}
DIMENSION_LABELS = {"Sc": "Society", "Ec": "Economy", "Ev": "Environment"}


def rule_label(rule: str) -> str:
    """Display name of a rule (its registry name made readable if it has none).

    Examples
    --------
    >>> rule_label("zsg_dea"), rule_label("my_rule")
    ('ZSG-DEA', 'My rule')
    """
    return RULE_LABELS.get(rule, rule.replace("_", " ").capitalize())


def alliance_labels(config: AlliancesConfig) -> Labels:
    """Label table of the alliance study; indicator names and units come from ``config``.

    Examples
    --------
    >>> from carbonshare.studies.alliances_config import AlliancesConfig
    >>> labels = alliance_labels(AlliancesConfig())
    >>> labels.title("FRT"), labels.title("share_two_stage_pct")
    ('Forest rents (% of GDP)', 'Two-stage Shapley share (% of global emission rights)')
    """
    ind = {code: (spec.name, spec.unit, f"indicator {code}: {spec.column}, {spec.aggregation} "
                  f"over the {spec.window} window")
           for code, spec in config.indicators.items()}  # fmt: skip
    share = "% of global emission rights"
    cols: dict[str, Any] = {
        **ind,
        **{
            f"share_{m}_pct": (f"{lab} share", share, f"{lab} allocation of the emission rights")
            for m, lab in METHOD_LABELS.items()
        },  # fmt: skip
        **{m: lab for m, lab in METHOD_LABELS.items()},
        **{
            f"{p}_pct": (
                f"{lab} part of the share",
                "percentage points",
                f"part of the head-method share due to the {lab.lower()} principle",
            )
            for p, lab in PRINCIPLE_LABELS.items()
        },  # fmt: skip
        **{
            p: (f"{lab} score", "", f"principle score {p} (weighted sum over the grid column)")
            for p, lab in PRINCIPLE_LABELS.items()
        },  # fmt: skip
        **{
            d: (f"{lab} score", "", f"dimension score {d} (weighted sum over the grid row)")
            for d, lab in DIMENSION_LABELS.items()
        },  # fmt: skip
        "alliance": ("Alliance", "", "alliance number (see alliances.csv)"),
        "size": ("Members", "countries", "number of member countries"),
        "members": ("Members (ISO3)", "", "ISO3 codes of the members"),
        "member_names": ("Member names", "", "names of the members"),
        "continents": ("Continents", "", "continents of the members"),
        "n_continents": ("Continents", "count", "number of continents of the members"),
        "largest_members": ("Largest members", "", "members with the largest shares"),
        "share_pct": ("Alliance share", share, "the alliance's head-method share"),
        "rate_in_alliance_pct": (
            "Share of the alliance",
            "% of the alliance's rights",
            "the country's share of its alliance's emission rights",
        ),
        "rank": ("Rank", "", "rank by the head-method share (1 = largest)"),
        "developed": ("Developed", "", "developed country (UN M49 grouping)"),
        "method": ("Method", "", "allocation method"),
        "part": ("Part", "", "indicator or principle part of the share"),
        "value": ("Value", "percentage points", "part of the share"),
        "partner": ("Strongest partner", "", "ISO3 of argmax_j CRL_ij"),
        "partner_name": ("Partner name", "", "name of the strongest partner"),
        "crl": ("CRL with the partner", "", "carbon-reduction linkage (Eq. 8), relative units"),
        "mutual": ("Mutual", "", "the partner's strongest partner is the country"),
        "distance_km": ("Distance", "km", "great-circle distance between capitals"),
        "ACI": ("ACI", "", "allocation comprehensive index Eq + Ef + El (Eq. 9)"),
        "labour_cost": (
            "Labour cost",
            f"unit of {config.labour_cost.proxy}",
            f"labour-cost proxy L ({config.labour_cost.proxy}), window mean",
        ),
        "mass": ("Mass", "", "cube root of Sc Ec Ev (gravity-model mass, Eq. 8)"),
        "included": ("Included", "", "the candidate enters the study"),
        "indicator": ("Indicator", "", "indicator code (see weights.csv)"),
        "column": ("Panel column", "", "column of the data panel"),
        "aggregation": ("Aggregation", "", "sum or mean over the window"),
        "window_asked": ("Window asked", "years", "window of the config"),
        "window_used": ("Window used", "years", "years with data inside the window"),
        "dimension": ("Dimension", "", "Sc society, Ec economy, Ev environment"),
        "principle": ("Principle", "", "Eq equity, Ef efficiency, El ecology"),
        "unit": ("Unit", "", "unit of the indicator"),
        "weight": ("Weight", "", "indicator weight (the nine sum to 1)"),
        "entropy": ("Entropy", "", "information entropy E_j (Eq. 5)"),
        "divergence": ("Divergence", "", "1 - E_j (Eq. 6)"),
        # linkage diagnostics (carbonshare.cooperation.diagnostics)
        "shapley_pct": ("One-stage Shapley share", share, "100 Q_i"),
        "capacity_pct": ("Capacity part", share, "100 alpha_i / 3: the floor no linkage lowers"),
        "linkage_pct": ("Linkage part", share, "100 * 2 rho_i / 3"),
        "interaction_pct": ("Interaction part", share, "100 eps_i (sums to 0)"),
        "alpha": ("Share of total ACI", "0-1", "alpha_i = ACI_i / sum ACI"),
        "rho": ("Share of total linkage", "0-1", "rho_i: the country's share of all CRL"),
        "i": ("Country i", "", "ISO3 of one country of the pair"),
        "j": ("Country j", "", "ISO3 of the other country of the pair"),
        "linkage": ("Pair linkage", "", "CRL_ij + CRL_ji of the pair, relative units"),
        "share": ("Share of all linkage", "0-1", "the pair's share of the total linkage in v(S)"),
    }
    cols["name"] = ("Name", "", "country or indicator name")
    return COMMON | uncertainty_labels() | Labels(
        cols,
        patterns={
            r"(.+)_pct": ("{0} part of the share", "percentage points",
                          "part of the head-method share due to indicator {0}"),
            r"(.+)_norm": ("{0}, normalised", "0-1", "min-max normalised indicator (Eq. 2)"),
        },  # fmt: skip
        tables={"crl_matrix": ("CRL with {column}", "",
                               "carbon-reduction linkage with {column} (Eq. 8), relative units")},
        names={code: spec.name for code, spec in config.indicators.items()},
    )  # fmt: skip


def uncertainty_labels() -> Labels:
    """Labels of the Monte Carlo tables (:meth:`UncertaintySummary.tables`), under their own
    names (``carbonshare uncertainty alliances``) and with the ``uncertainty_`` prefix of
    ``run alliances``.

    Examples
    --------
    >>> uncertainty_labels().title("p95_pct")
    '95 % quantile of the share (% of global emission rights)'
    >>> uncertainty_labels().title("USA", table="uncertainty_comembership")
    'Same alliance as USA (probability)'
    """
    share = "% of global emission rights"
    over = "over the Monte Carlo samples"
    cols = {
        "median_pct": ("Median share", share, f"median {over}"),
        "p5_pct": ("5 % quantile of the share", share, f"lower end of the 90 % interval {over}"),
        "p95_pct": ("95 % quantile of the share", share, f"upper end of the 90 % interval {over}"),
        "mean_pct": ("Mean share", share, f"mean {over}"),
        "base_pct": ("Share in this run", share, "the share without noise (the study's run)"),
        "median_rank": ("Median rank", "", f"rank by share (1 = largest), median {over}"),
        "rank_p5": ("Rank, 5 % quantile", "", f"5 % quantile of the rank {over}"),
        "rank_p95": ("Rank, 95 % quantile", "", f"95 % quantile of the rank {over}"),
        "p_top10": ("Probability of the top 10", "0-1", "fraction of samples ranking it 1-10"),
        "gini": ("Gini index of the shares", "0-1", "p5 / median / p95 over the Monte Carlo "
                 "samples; base: this run"),
        "choice": ("Choice", "", "discrete choice varied by the Monte Carlo"),
        "option": ("Option", "", "option of the choice"),
        "fraction": ("Fraction of samples", "0-1", "samples that drew the option"),
        "sample": ("Sample", "", "Monte Carlo sample index k (stream: run seed, k)"),
        "error": ("Error", "", "why the sample failed (after one retry)"),
        "output": ("Output", "", "the Gini index of the shares or a country's share"),
        "input": ("Uncertain input", "", "group of inputs varied together"),
        "S1": ("First-order Sobol index", "0-1", "share of the output variance due to the "
               "input alone (SALib, Saltelli design)"),
        "S1_conf": ("S1 confidence", "", "95 % confidence half-width of S1 (bootstrap)"),
        "ST": ("Total Sobol index", "0-1", "share of the output variance involving the input"),
        "ST_conf": ("ST confidence", "", "95 % confidence half-width of ST (bootstrap)"),
    }  # fmt: skip
    same = ("Same alliance as {column}", "probability",
            "probability that the row's country and {column} are in the same alliance")  # fmt: skip
    return Labels(cols, tables={"comembership": same, "uncertainty_comembership": same})


def principles_labels(rules: Any = None) -> Labels:
    """Label table of the principles study (rule names from the registry and the config).

    ``rules`` is the study's rules table (index or column ``label`` -> ``rule``), so a rule
    run under its own label is named by its rule.

    Examples
    --------
    >>> principles_labels().title("zsg_dea", table="per_capita_t")
    'ZSG-DEA (t CO2 per person)'
    """
    names = dict(RULE_LABELS)
    if rules is not None and "rule" in getattr(rules, "columns", []):
        labels = rules["label"] if "label" in rules.columns else rules.index
        for k, r in zip(labels, rules["rule"], strict=True):
            names.setdefault(str(k), rule_label(str(r)))  # a label of its own is kept
    return COMMON | Labels(
        {
            "label": ("Rule label", "", "column name of the rule in the outputs"),
            "kind": ("Kind", "", "what the rule shares: allowance or burden"),
            "principle": ("Principle", "", "equity, efficiency, hybrid or cooperative"),
            "summary": ("Summary", "", "what the rule does"),
            "params": ("Parameters", "", "the rule's parameters"),
            "population": ("Population", "persons", "latest value up to the base year"),
            "emissions_t": ("Emissions", "t CO2", "latest value up to the base year"),
            "gini": ("Gini", "", "population-weighted Gini of allowances per person"),
            "theil": ("Theil", "", "population-weighted Theil index"),
            "cv": ("CV", "", "population-weighted coefficient of variation"),
            "min": ("Minimum", "t CO2 per person", "smallest allowance per person"),
            "max": ("Maximum", "t CO2 per person", "largest allowance per person"),
            "range": ("Range", "t CO2 per person", "max - min allowance per person"),
            "winners": ("Winners", "entities", "entities with a larger share than the reference"),
            "losers": ("Losers", "entities", "entities with a smaller share than the reference"),
            "shifted_share_pct": ("Shifted share", "% of the budget",
                                  "share moved between entities against the reference"),
            "top_winner": ("Top winner", "", "entity gaining most against the reference"),
            "top_loser": ("Top loser", "", "entity losing most against the reference"),
            "population_share_pct": ("Population share", "% of population",
                                     "share of cumulative population"),
            "fair_share_t": ("Fair share", "t CO2", "population share of the cumulative budget"),
            "emitted_t": ("Emitted", "t CO2", "cumulative emissions up to the base year"),
            "remaining_t": ("Remaining", "t CO2", "fair share - emitted"),
            "allocated_t": ("Allocated", "t CO2", "allowance of the remaining budget"),
            "deficit_t": ("Deficit", "t CO2", "negative remaining account"),
            "income_ppp_per_capita": ("Income per person", "current PPP $ per person",
                                      "GDP (PPP) / population"),
            "capacity": ("Capacity", "current PPP $", "income above the development threshold"),
            "responsibility_t": ("Responsibility", "t CO2", "cumulative emissions since start"),
            "rci": ("RCI", "", "responsibility-capacity index (weights sum to 1)"),
            "quota_before_t": ("Quota before", "t CO2", "initial quota (ZSG-DEA)"),
            "quota_after_t": ("Quota after", "t CO2", "quota after ZSG-DEA reallocation"),
            "efficiency_before": ("Efficiency before", "0-1", "DEA efficiency before"),
            "efficiency_after": ("Efficiency after", "0-1", "DEA efficiency after"),
        },
        tables={
            "shares_pct": ("{column}", "% of the budget", "allowance share, rule {column}"),
            "raw_shares_pct": ("{column}", "% of the total",
                               "share before burdens become allowances, rule {column}"),
            "allowances_t": ("{column}", "t CO2", "allowance over the budget, rule {column}"),
            "per_capita_t": ("{column}", "t CO2 per person",
                             "allowance over the budget per person, rule {column}"),
            "change_vs_reference_pct": ("{column}", "percentage points",
                                    "share under rule {column} minus the reference share"),
            "rank_spearman": ("{column}", "", "Spearman rank correlation with rule {column}"),
            "rank_kendall": ("{column}", "", "Kendall rank correlation with rule {column}"),
            "pathway_t": ("{column}", "t CO2", "emissions allowed in year {column}"),
        },
        names=names,
    )  # fmt: skip


def responsibility_labels(stressor: str | None, unit: str, flow_unit: str) -> Labels:
    """Label table of the responsibility study (stressor and units from the IO table).

    Examples
    --------
    >>> responsibility_labels("CO2", "kt", "million EUR").title("production")
    'Production-based (kt)'
    """
    s = stressor or "emissions"
    u = unit

    def acc(label: str, desc: str) -> tuple[str, str, str]:
        return (label, u, f"{s} held under the {desc} perspective")

    return COMMON | Labels(
        {
            "kind": ("Kind of holder", "", "sector, final demand, primary input or extraction"),
            "holder": ("Holder", "", "sector or final-demand category holding the account"),
            "production": acc("Production-based", "production"),
            "consumption": acc("Consumption-based", "consumption (footprint)"),
            "income": acc("Income-based", "income (downstream, Ghosh)"),
            "extraction": acc("Extraction-based", "extraction"),
            "shared_value_added": acc("Shared (alpha = value-added share)", "shared"),
            "shared_final_demand": acc("Shared (alpha = final-demand share)", "shared"),
            "carbon_emission_added": acc("Carbon emission added", "emission-added"),
            "shared_given": acc("Shared (given alpha)", "shared"),
            "producer": acc("Producer", "producer"),
            "consumer": acc("Consumer", "consumer"),
            "shapley": acc("Shapley value", "Shapley (chain game)"),
            "nucleolus": acc("Nucleolus", "nucleolus (chain game)"),
            "member": ("Chain member", "", "member of the supply chain"),
            "output": ("Output", flow_unit, "gross output of the member"),
            "emissions": ("Emissions", u, f"direct {s} of the member"),
            "primary_inputs": ("Primary inputs", flow_unit, "value added of the member"),
            "final_sales": ("Final sales", flow_unit, "sales to final demand"),
            "producing region": ("Producing region", "", "region where emitted"),
            "sector": ("Sector", "", "sector of the input-output table"),
            "backward": ("Backward linkage", "", "column sum of the Leontief inverse"),
            "forward": ("Forward linkage", "", "row sum of the Ghosh inverse"),
            "backward_index": ("Backward index", "", "normalised backward linkage (> 1: above"
                               " average)"),
            "forward_index": ("Forward index", "", "normalised forward linkage"),
            "class": ("Class", "", "key, backward- or forward-oriented, independent"),
            "output_multiplier": ("Output multiplier", f"{flow_unit} per {flow_unit}",
                                  "column sum of the Leontief inverse"),
            "producer_region": ("Producer region", "", "region of the producing sector"),
            "consumer_region": ("Consumer region", "", "region of the final demand"),
            "value": ("Flow", u, f"{s} from the producer to the consumer"),
            "perspective": ("Perspective", "", "accounting perspective"),
            "total": ("Total", u, "sum over all holders"),
            "difference": ("Difference", u, "total - production-based total"),
            "relative_difference": ("Relative difference", "", "difference / production total"),
            "holders": ("Holders", "count", "holders with a non-zero account"),
            "negative": ("Negative accounts", "count", "holders with a negative account"),
            "conserved": ("Conserved", "", "the perspective redistributes the total exactly"),
            "exports_embodied": ("Exports embodied", u, f"{s} embodied in exports"),
            "imports_embodied": ("Imports embodied", u, f"{s} embodied in imports"),
            "balance": ("Balance", u, "exports embodied - imports embodied"),
            "value_added": ("Producer share alpha (value added)", "0-1",
                            "producer part of shared responsibility"),
            "final_demand": ("Producer share alpha (final demand)", "0-1",
                             "producer part of shared responsibility"),
        },
        patterns={
            r"(.+)_direct": ("{0} direct intensity", "stressor unit per output unit",
                             "direct {0} per unit of output"),
            r"(.+)_total": ("{0} total multiplier", "stressor unit per unit of final demand",
                            "direct and indirect {0} per unit of final demand"),
            r"(.+)_type_I": ("{0} type I multiplier", "", "total / direct {0}"),
        },
        tables={"embodied_trade": ("Consumed in {column}", u,
                                   f"{s} produced in the row region, consumed in {{column}}")},
        names={"value_added": "Value added", "employees": "Employees",
               "self_employed": "Self-employed", "employment": "Employment"},
    )  # fmt: skip


class _TableLabels(Labels):
    """A label table with exact per-table entries that win over everything else (a column
    name that means different things in different tables of one study)."""

    def __init__(self, base: Labels, per_table: dict[str, dict[str, Any]]) -> None:
        super().__init__()
        self.columns, self.patterns = base.columns, base.patterns
        self.tables, self.names = base.tables, base.names
        self.per_table = {t: {k: Column(*v) for k, v in cols.items()}
                          for t, cols in per_table.items()}  # fmt: skip

    def get(self, name: object, table: str | None = None) -> Column | None:
        own = self.per_table.get(table or "", {}).get(str(name))
        return own if own is not None else super().get(name, table)


def bluecarbon_labels(config: BlueCarbonConfig) -> Labels:
    """Label table of the blue-carbon study; indicator names and units come from ``config``.

    Indicator codes carry their raw unit in ``indicators`` and the 0-100 index scale in
    ``normalised``; scores are on 0-100, sequestration in t CO2 per year, values in US$ per
    year (METHODS B1-B7).

    Examples
    --------
    >>> from carbonshare.studies.bluecarbon_config import BlueCarbonConfig
    >>> labels = bluecarbon_labels(BlueCarbonConfig())
    >>> labels.title("MANG", table="indicators"), labels.title("MANG", table="normalised")
    ('Mangrove area (km2)', 'Mangrove area, normalised (0-100)')
    >>> labels.title("BCDI_change_pct")
    'BCDI change (%)'
    """
    from carbonshare.studies.bluecarbon_config import SUBSYSTEM_LABELS

    scores = {**SUBSYSTEM_LABELS, "BCDI": "BCDI"}
    alt = "|".join(scores)
    t, usd = "t CO2 per year", "US$ per year"
    cols: dict[str, Any] = {
        **{
            k: (
                f"{v} score" if k != "BCDI" else "BCDI",
                "0-100",
                "Blue Carbon Development Index" if k == "BCDI" else f"subsystem score I_k ({v})",
            )
            for k, v in scores.items()
        },
        "year": ("Year", "", "calendar year"),
        "country": ("Country", "", "name (ISO3 code)"),
        "region": ("UN SDG region", "", "UN SDG regional group of the country"),
        "included": ("Included", "", "the candidate country enters the study"),
        "scenario": ("Scenario", "", "BAU, or a cooperation scenario of the config"),
        # weights.csv (PCA weights, METHODS B2)
        "indicator": ("Indicator", "", "indicator code (see indicators.csv)"),
        "subsystem": ("Subsystem", "", "driving force, resource endowment or development capacity"),
        "weight": ("Weight", "0-1", "indicator weight w_j (they sum to 1)"),
        "factor": ("Factor", "", "rotated component with the indicator's largest loading"),
        "scaled_sq_loading": (
            "Scaled squared loading",
            "0-1",
            "squared loading scaled to unity within the factor",
        ),
        "factor_share": ("Factor share", "0-1", "the factor's share of explained variance"),
        "lower": ("Lower bound (P2.5)", "indicator unit", "normalisation lower bound"),
        "upper": ("Upper bound (P97.5)", "indicator unit", "normalisation upper bound"),
        "clipped_below": ("Clipped below", "country-years", "values below P2.5 set to 0"),
        "clipped_above": ("Clipped above", "country-years", "values above P97.5 set to 100"),
        "clipped_total": ("Clipped", "country-years", "values clipped to [0, 100]"),
        "component": ("Component", "", "principal component"),
        "eigenvalue": ("Eigenvalue", "", "eigenvalue of the correlation matrix"),
        # analyses (B4)
        "score": ("Score", "", "subsystem score or BCDI"),
        "n": ("Countries", "count", "number of countries"),
        "median": ("Median", "", "median over the countries"),
        "min": ("Minimum", "", "minimum"),
        "max": ("Maximum", "", "maximum"),
        "df": ("Degrees of freedom", "", "regions - 1"),
        "pvalue": ("p-value", "", "p-value of the test"),
        "sample": ("Sample", "", "pooled country-years or the last year"),
        "method": ("Method", "", "Pearson or Spearman correlation"),
        "r": ("Correlation", "-1 to 1", "correlation coefficient"),
        # rate model (B4)
        "model": ("Model", "", "candidate rate model"),
        "description": ("Description", "", "the model's formula"),
        "aic": ("AIC", "", "Akaike information criterion (ML fit)"),
        "bic": ("BIC", "", "Bayesian information criterion (ML fit)"),
        "llf": ("Log-likelihood", "", "maximised log-likelihood"),
        "n_obs": ("Observations", "country-years", "observations of the fit"),
        "n_groups": ("Nations", "count", "groups of the random intercept"),
        "b0": ("Intercept b0", "", "fixed intercept of Rate"),
        "b1": ("Slope b1", "per unit of ln DC", "fixed slope of Rate on ln(DC)"),
        "b1_pvalue": ("p-value of b1", "", "Wald test of b1 = 0"),
        "re_variance": ("Random-intercept variance", "", "variance of the nation intercepts"),
        "converged": ("Converged", "", "the optimiser converged"),
        "chosen": ("Chosen", "", "the model used for the scenarios"),
        "rate": (
            "Growth rate",
            "fraction over the horizon",
            "A_i,t+h / A_it - 1 of the blue-carbon area",
        ),
        "dc": ("Development capacity", "0-100", "development-capacity score DC_it"),
        "log_dc": ("ln development capacity", "", "ln(DC_it)"),
        # Holt forecasts (B5)
        "smoothing_level": ("Smoothing level alpha", "0-1", "Holt level smoothing"),
        "smoothing_trend": ("Smoothing trend beta", "0-1", "Holt trend smoothing"),
        "initial_level": ("Initial level", "0-100", "Holt initial level"),
        "initial_trend": ("Initial trend", "points per year", "Holt initial trend"),
        "clipped": ("Clipped", "", "the forecast was clipped to [0, 100]"),
        # scenarios and sharing (B5-B7)
        "dc_bau": ("DC, BAU", "0-100", "development capacity at the horizon under BAU"),
        "dc_lift": ("DC lift", "points", "lift of the base-year score by cooperation"),
        "dc_coop": ("DC, cooperation", "0-100", "development capacity under cooperation"),
        "carbon_base": ("Sequestration, base year", t, "S_i in the last observed year"),
        "carbon_bau": ("Sequestration, BAU", t, "Carbon_i at the horizon under BAU"),
        "carbon_coop": (
            "Sequestration, cooperation",
            t,
            "Carbon_i at the horizon under cooperation",
        ),
        "bcdi_bau": ("BCDI, BAU", "0-100", "BCDI at the horizon under BAU"),
        "bcdi_coop": ("BCDI, cooperation", "0-100", "BCDI at the horizon under cooperation"),
        "scrb": ("SCRB", t, "allocation by separable costs remaining benefits"),
        "esd": ("ESD", t, "allocation by equal surplus division"),
        "eanc": ("EANC", t, "allocation by equal allocation of non-separable costs"),
        "shapley": ("Shapley value", t, "sampled Shapley value"),
        "shapley_se": ("Shapley standard error", t, "Monte Carlo standard error"),
        "efficiency_gap": ("Efficiency gap", t, "sum of the allocation - v(U)"),
        "ir_violations": ("IR violations", "countries", "countries given less than v({i})"),
        "min_surplus": ("Smallest surplus", t, "min_i (x_i - v({i}))"),
        "efficient": ("Efficient", "", "the allocation sums to v(U)"),
        "individually_rational": ("Individually rational", "", "x_i >= v({i}) for all i"),
        "allocated_tco2": ("Allocated", t, "sequestration credited by the chosen rule"),
        "bau_tco2": ("BAU", t, "sequestration under BAU"),
        "coop_tco2": ("Cooperation", t, "own sequestration under cooperation"),
        "benefit_usd": ("Benefit", usd, "CSCC x (allocated - BAU)"),
        "cost_usd": ("Cost", usd, "CSCC x (own cooperation sequestration - BAU)"),
        "net_usd": ("Net value", usd, "benefit - cost"),
        "grouping": ("Grouping", "", "development groups or regions"),
        "group": ("Group", "", "country group"),
        "q": ("Cooperation intensity q", "0-1", "quantile the members are lifted to"),
        "added_tco2": ("Added sequestration", t, "grand-coalition sequestration - BAU"),
        "local_optimum": ("Local optimum", "", "a local maximum of the net value"),
        "cscc_usd_per_tco2": (
            "CSCC",
            "US$ per t CO2",
            "country-level social cost of carbon (Ricke et al. 2018)",
        ),
        "cscc_flag": ("CSCC flag", "", "how the CSCC value was obtained"),
        "ecosystem": ("Ecosystem", "", "mangrove, salt marsh or seagrass"),
        "rate_gc_m2_yr": ("Burial rate", "g C per m2 per year", "carbon burial rate r_e"),
        "se_gc_m2_yr": (
            "Burial-rate standard error",
            "g C per m2 per year",
            "standard error of r_e",
        ),
        "source": ("Source", "", "where the value comes from"),
        # uncertainty (step 8) and headlines
        "quantity": ("Quantity", "", "headline quantity (its unit is in its name)"),
        "point": ("Point estimate", "unit of the quantity", "value of the main run"),
        "sd": ("Standard deviation", "unit of the quantity", "over the Monte Carlo draws"),
        "draw": ("Draw", "", "Monte Carlo draw number"),
        "value": ("Value", "unit of the quantity", "headline value"),
        "column": ("Panel column", "", "column of the data panel"),
    }
    for key, lab in (("mean", "Mean"), ("q2.5", "2.5 % quantile"), ("q50", "Median"),
                     ("q97.5", "97.5 % quantile")):  # fmt: skip
        cols[key] = (lab, "", f"{lab.lower()} (over countries or Monte Carlo draws)")
    base = COMMON | Labels(
        cols,
        patterns={
            rf"({alt})_(\d{{4}})": ("{0}, {1}", "0-100", "{0} score in {1}"),
            rf"({alt})_change": ("{0} change", "points", "last-year minus first-year score"),
            rf"({alt})_change_pct": ("{0} change", "%", "relative change first to last year"),
            rf"({alt})_mean": ("{0}, BAU forecast", "0-100", "Holt forecast mean"),
            rf"({alt})_lower": ("{0}, forecast lower bound", "0-100", "Holt prediction interval"),
            rf"({alt})_upper": ("{0}, forecast upper bound", "0-100", "Holt prediction interval"),
            r"loading_(\d+)": ("Loading on factor {0}", "", "varimax-rotated loading"),
            r"added_(.+)_tco2": ("Added sequestration, {0}", t, "scenario {0} minus the "
                                 "base year, per Monte Carlo draw"),
        },
        names=scores,
    )  # fmt: skip
    ind = {code: (spec.name, spec.unit, f"{spec.column}" + (f" / {spec.per}" if spec.per else "")
                  + (f" x {spec.scale:g}" if spec.scale != 1 else ""))
           for code, spec in config.indicators.items()}  # fmt: skip
    norm = {code: (f"{spec.name}, normalised", "0-100", "index y of the indicator (METHODS B2)")
            for code, spec in config.indicators.items()}  # fmt: skip
    return _TableLabels(base, {
        "indicators": ind,
        "normalised": norm,
        "weights": {"name": ("Indicator name", "", "long name of the indicator")},
        "fills": {"year": ("Year filled", "", "the year without data"),
                  "source": ("Source year", "", "the year the value was taken from"),
                  "rule": ("Fill rule", "", "nearest year or interpolation")},
        "source_repairs": {"flag": ("Repair", "", "interpolated, static, spliced or rescaled"),
                           "years": ("Years", "", "years repaired"),
                           "n": ("Values repaired", "country-years", "number of values")},
        "holt_parameters": {"score": ("Score", "", "subsystem score forecast")},
        "correlation": {"n": ("Observations", "", "country-years (pooled) or countries")},
    })  # fmt: skip
