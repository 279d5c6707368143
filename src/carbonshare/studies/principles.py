"""The principles study: every allocation rule side by side (docs/methods.md C2).

Composes :mod:`carbonshare.principles` on the bundled country panel (or a
user panel of provinces or firms read from CSV):

1. ``data`` - the panel, the entities with complete data (exclusions recorded).
2. ``rules`` - every configured rule's shares; burden rules are turned into
   allowances with :func:`~carbonshare.principles.budgets.burden_to_allowance`.
3. ``budget`` - the global budget (IPCC AR6 Table SPM.2 or given tonnes) and
   the tonnes and per-capita allowances of every rule.
4. ``comparison`` - inequality (Gini, Theil, CV), winners and losers against
   the reference rule, rank correlations, ZSG-DEA efficiencies, the ECPC
   account and a contraction-and-convergence pathway.

:func:`run_principles` returns a :class:`PrinciplesResult`; its ``write``
method writes tables (CSV, Parquet, XLSX), figures (PNG, SVG), report.html and
manifest.json.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import Field, field_validator, model_validator

from carbonshare.data.coverage import country_note
from carbonshare.errors import ConfigError, DataError
from carbonshare.studies.common import (
    Manifest,
    StudyConfig,
    check_output_dir,
    exclusion_share,
    write_study,
)
from carbonshare.studies.labels import principles_labels

__all__ = [
    "STEPS",
    "WRITE_STEPS",
    "BudgetConfig",
    "DataConfig",
    "OutputConfig",
    "PrinciplesConfig",
    "PrinciplesResult",
    "RuleConfig",
    "run_principles",
]

logger = logging.getLogger(__name__)

STEPS: tuple[str, ...] = ("data", "rules", "budget", "comparison")
WRITE_STEPS: tuple[str, ...] = ("tables", "figures", "report", "manifest")

ProgressCallback = Callable[[str], None]


# ----------------------------------------------------------------------------- config


class DataConfig(StudyConfig):
    """Where the panel comes from and which columns hold what."""

    source: Literal["bundled", "csv"] = "bundled"
    path: Path | None = Field(
        None, description="user panel file: CSV, TSV, Excel or Parquet (long or wide)"
    )
    sheet: str | None = Field(None, description="Excel sheet of the panel (default: the first)")
    kind: Literal["auto", "countries", "other"] = Field(
        "auto",
        description="entities of a user panel: countries (names/codes resolved to ISO3), other "
        "(provinces, firms: names kept) or auto (countries if every name is one)",
    )
    entity_column: str | None = Field(
        None,
        description="entity column of a user panel (default: the first of iso3, iso2, m49, "
        "code, country_code, country, country_name, name, entity)",
    )
    year_column: str = "year"
    emissions: str = Field("co2_t", description="annual emissions column, t CO2")
    population: str = Field("population", description="population column, persons")
    gdp: str = Field("gdp_usd", description="output column (GDP, value added), any currency")
    gdp_ppp: str = Field(
        "gdp_ppp_usd",
        description="income at purchasing-power parity for GDR, current international $ per "
        "year (total, not per person); GDR's 7,500 threshold is in PPP $ per person",
    )
    ppp_fill: Literal["income_group", "none"] = Field(
        "income_group",
        description="bundled data: a country with GDP but no GDP PPP in history_start-"
        "base_year gets base-year GDP PPP = GDP x the median PPP / market-rate ratio of its "
        "World Bank income group (recorded as a repair); none: such a country is excluded",
    )
    fill: Literal["nearest", "exclude"] = Field(
        "nearest",
        description="missing years: nearest year with data within history_start-base_year "
        "(docs/methods.md A1, as the alliance study), or exclude the entity",
    )
    entities: list[str] | None = Field(None, description="keep only these entities")

    @model_validator(mode="after")
    def _path_for_csv(self) -> DataConfig:
        if self.source == "csv" and self.path is None:
            raise ValueError("path: a CSV path is required when source is 'csv'")
        return self


class BudgetConfig(StudyConfig):
    """The global budget shared by the rules."""

    source: Literal["ipcc", "tonnes"] = "ipcc"
    warming: float = Field(1.5, description="IPCC AR6 warming level, degrees C (1.5, 1.7, 2.0)")
    likelihood: int = Field(50, description="IPCC AR6 likelihood, % (17, 33, 50, 67, 83)")
    tonnes: float | None = Field(None, description="explicit budget after the base year, t CO2")

    @model_validator(mode="after")
    def _tonnes_given(self) -> BudgetConfig:
        if self.source == "tonnes" and (self.tonnes is None or self.tonnes <= 0):
            raise ValueError(
                "tonnes: a positive budget in t CO2 is required when source is 'tonnes'"
            )
        return self


class RuleConfig(StudyConfig):
    """One rule to run, with its parameters (see docs/principles.md)."""

    rule: str
    label: str | None = Field(None, description="column name in the outputs (default: rule)")
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("rule")
    @classmethod
    def _known(cls, value: str) -> str:
        from carbonshare.principles import RULES

        if value not in RULES:
            raise ValueError(f"unknown rule {value!r}; choose one of {', '.join(sorted(RULES))}")
        return value

    @model_validator(mode="after")
    def _game_file(self) -> RuleConfig:
        if self.rule == "shapley" and not isinstance(self.params.get("game"), str | Path):
            raise ValueError(
                "params.game: the 'shapley' rule needs the path of a game file (.json or .csv, "
                "see carbonshare.games.read_game) whose players are the study's entities"
            )
        return self

    @property
    def name(self) -> str:
        return self.label or self.rule


def _default_rules() -> list[RuleConfig]:
    names = [
        "grandfathering",
        "egalitarian",
        "equal_cumulative_per_capita",
        "ability_to_pay",
        "ability_to_pay_reduction",
        "greenhouse_development_rights",
        "polluter_pays",
        "economic_activity",
        "horizontal_equity",
        "vertical_equity",
        "contraction_convergence",
        "carbon_productivity",
        "benchmarking",
        "zsg_dea",
        "entropy_composite",
    ]
    params: dict[str, dict[str, Any]] = {
        "zsg_dea": {"inputs": ["population"]},
        "benchmarking": {"groups": "income_group", "percentile": 10.0},
    }
    rules = [RuleConfig(rule=n, params=params.get(n, {})) for n in names]
    rules.append(
        RuleConfig(
            rule="mix",
            label="mix_equity_efficiency",
            params={"components": {"egalitarian": 1.0, "grandfathering": 1.0, "zsg_dea": 1.0}},
        )
    )
    return rules


class OutputConfig(StudyConfig):
    """What to write."""

    figures: bool = True
    report: bool = True
    figure_entities: int = Field(25, description="largest emitters shown in the dot plot")
    dot_rules: list[str] = Field(
        default_factory=lambda: [
            "grandfathering",
            "egalitarian",
            "equal_cumulative_per_capita",
            "ability_to_pay",
            "contraction_convergence",
            "zsg_dea",
            "entropy_composite",
        ],
        description="rules shown in the per-capita dot plot",
    )
    dumbbell_rules: list[str] = Field(
        default_factory=lambda: ["egalitarian", "equal_cumulative_per_capita", "zsg_dea"]
    )
    map_rules: list[str] = Field(
        default_factory=lambda: ["grandfathering", "egalitarian", "equal_cumulative_per_capita"]
    )


class PrinciplesConfig(StudyConfig):
    """Config of ``carbonshare run principles`` (defaults: bundled data, 1.5 C / 50 %)."""

    data: DataConfig = Field(default_factory=DataConfig)
    base_year: int = Field(2019, description="base / reference year of every rule")
    history_start: int = Field(1990, description="first year of cumulative emissions")
    budget: BudgetConfig = Field(default_factory=BudgetConfig)
    burden_reduction: float = Field(
        0.3,
        ge=0.0,
        le=1.0,
        description="burden rules -> allowances: cap = (1 - r) x base-year emissions",
    )
    reference: str = Field("grandfathering", description="rule that winners/losers compare with")
    pathway_rule: str = Field(
        "contraction_convergence", description="rule whose tonnes are given per year"
    )
    convergence_year: int = 2050
    rules: list[RuleConfig] = Field(default_factory=_default_rules)
    output: OutputConfig = Field(default_factory=OutputConfig)

    @model_validator(mode="after")
    def _consistent(self) -> PrinciplesConfig:
        names = [r.name for r in self.rules]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"rules: labels must be unique, repeated: {dupes} (set label)")
        if self.reference not in names:
            raise ValueError(f"reference: {self.reference!r} is not among the rules {names}")
        if self.history_start > self.base_year:
            raise ValueError(
                f"history_start: {self.history_start} is after base_year {self.base_year}"
            )
        return self


# ----------------------------------------------------------------------------- data


def _load(config: PrinciplesConfig, panel: pd.DataFrame | None, manifest: Manifest):
    """The panel, entity names (countries only) and entity attributes (e.g. income group)."""
    from carbonshare.data import load_countries, load_panel, sources
    from carbonshare.data.userdata import prepare_panel, read_user_panel

    d = config.data
    if panel is None and d.source == "bundled":
        panel = load_panel()
        attributes = load_countries()
        manifest.add_sources(sources())
        return _restrict(panel, d.entities), attributes["name"], attributes
    if panel is None:
        assert d.path is not None
        user = read_user_panel(
            d.path, entity_column=d.entity_column, year_column=d.year_column,
            entities=d.kind, sheet=d.sheet,
        )  # fmt: skip
        manifest.add_sources([{"file": str(d.path), "kind": "user panel"}])
    else:
        user = prepare_panel(panel, entities=d.kind)
        manifest.add_sources([{"name": "user panel (panel=)", "kind": "user panel"}])
    for text in user.notes:
        manifest.note(text)
    for spelled, code in user.mapping.items():
        manifest.repair(code, "entity", "country code resolved", f"{spelled!r} read as {code}")
    names, attributes = None, user.attributes
    if user.entities == "countries":
        countries = load_countries()
        names = countries["name"]
        own = user.attributes.rename(columns=lambda c: f"{c}_user" if c in countries else c)
        attributes = countries.join(own)
        manifest.note("user panel read as countries (names and codes resolved to ISO3)")
    return _restrict(user.panel, d.entities), names, attributes


def _record_build_repairs(config: PrinciplesConfig, entities: pd.Index, manifest: Manifest):
    """Copy the bundled data's build repairs of the values used into the manifest."""
    from carbonshare.data import repairs_used

    yearly, base = _needed_columns(config)
    spans = {c: (config.history_start, config.base_year) for c in yearly}
    spans.update({c: (config.base_year, config.base_year) for c in base if c not in spans})
    for col, years in spans.items():
        for r in repairs_used(col, entities, years).itertuples():
            manifest.repair(r.iso3, col, f"bundled data: {r.action}", f"{r.year}: {r.detail}")


def _restrict(panel: pd.DataFrame, entities: list[str] | None) -> pd.DataFrame:
    if entities is None:
        return panel
    have = panel.index.get_level_values(0)
    unknown = sorted(set(entities) - set(have))
    if unknown:
        raise ConfigError(f"data.entities: not in the data: {unknown[:10]}")
    return panel.loc[have.isin(entities)]


def _needed_columns(config: PrinciplesConfig) -> tuple[list[str], list[str]]:
    """(columns needed every year of the window, columns needed in the base year)."""
    d = config.data
    yearly = [d.emissions, d.population]
    base = [d.gdp]
    rules = {r.rule for r in config.rules}
    for r in config.rules:
        rules |= set(r.params.get("components", {})) if r.rule == "mix" else set()
    if "greenhouse_development_rights" in rules and d.gdp_ppp not in base:
        base.append(d.gdp_ppp)
    return yearly, base


def _impute_ppp(panel: pd.DataFrame, config: PrinciplesConfig) -> tuple[pd.DataFrame, list]:
    """Base-year GDP PPP for GDR where no PPP value exists in the whole window (data.ppp_fill).

    North Korea, Cuba, Syria and a few small economies publish no PPP figures; without them
    GDR's capability (PPP $ per person above 7,500) is undefined and every rule would lose
    them. :func:`carbonshare.data.derive.impute_ppp_gdp` imputes from GDP at market rates.
    Returns the panel and one ``(entity, detail)`` per imputed value, for the caller to record
    as repairs of the entities that stay in the study.
    """
    from carbonshare.data import load_countries
    from carbonshare.data.derive import impute_ppp_gdp

    d = config.data
    if d.gdp_ppp not in _needed_columns(config)[1] or d.gdp_ppp not in panel.columns:
        return panel, []
    years = panel.index.get_level_values(1)
    window = panel.loc[(years >= config.history_start) & (years <= config.base_year), d.gdp_ppp]
    has_any = window.notna().groupby(level=0).any()
    values, records = impute_ppp_gdp(
        panel, load_countries()["income_group"], config.base_year, gdp=d.gdp, gdp_ppp=d.gdp_ppp
    )
    keep = [c for c in values.index if not has_any.get(c, False)]
    if not keep:
        return panel, []
    panel = panel.copy()
    imputed = []
    for row in records[records["iso3"].isin(keep)].itertuples():
        panel.loc[(row.iso3, config.base_year), d.gdp_ppp] = values[row.iso3]
        imputed.append((row.iso3, row.detail))
    return panel, imputed


def _complete_entities(panel: pd.DataFrame, config: PrinciplesConfig, manifest: Manifest):
    """Entities with the values the rules need, after the fill rule; the others are excluded.

    Missing years inside ``history_start``-``base_year`` take the nearest year
    with data in that window (``data.fill: nearest``, docs/methods.md A1, the rule of the
    alliance study); every fill is a manifest repair. An entity with no data in
    the window, or a non-positive population, base-year emissions or GDP, is
    excluded and recorded.
    """
    from carbonshare.studies.common import nearest_year_fill

    d = config.data
    years = list(range(config.history_start, config.base_year + 1))
    yearly, base = _needed_columns(config)
    for col in (*yearly, *base):
        if col not in panel.columns:
            field = {d.emissions: "emissions", d.population: "population", d.gdp: "gdp"}
            hint = (
                "GDR's threshold is in PPP $ per person: add a GDP or GNI PPP column"
                if col == d.gdp_ppp and col not in field
                else "set the data.* column names"
            )
            raise DataError(
                f"the data have no column {col!r} (data.{field.get(col, 'gdp_ppp')}); {hint}; "
                f"columns are {list(panel.columns)}"
            )
    entities = panel.index.get_level_values(0).unique()
    if len(entities) < 2:
        raise DataError(_too_few_message(panel, config, entities, yearly + base))
    _check_coverage(panel, config, yearly, base)
    reasons: dict[str, list[str]] = {}
    filled: dict[str, pd.DataFrame] = {}
    records: list[pd.DataFrame] = []
    for col in (*yearly, *base):
        wide = panel[col].unstack().reindex(index=entities, columns=years)
        empty = wide.index[wide.isna().all(axis=1).to_numpy()]
        for e in empty:
            reasons.setdefault(e, []).append(
                f"no {col} in {config.history_start}-{config.base_year}"
            )
        if d.fill == "exclude":
            need = wide[[config.base_year]] if col in base else wide
            gaps = need.index[need.isna().any(axis=1).to_numpy()].difference(empty)
            for e in gaps:
                reasons.setdefault(e, []).append(f"no {col} in {_years_text(need.loc[e])}")
            filled[col] = need
            continue
        out, record = nearest_year_fill(wide, what=col)
        if col in base:  # only the base-year value is used: fill and record only that one
            out = out[[config.base_year]]
            mark = f"{config.base_year} <-"
            record = record[record["detail"].str.contains(mark, regex=False)]
            record = record.assign(
                detail=[
                    next(p for p in r.split("; ") if p.startswith(mark)) for r in record["detail"]
                ],
                years_missing=str(config.base_year),
            )
        records.append(record.assign(field=col))
        filled[col] = out
    for e in entities:
        if e in reasons:
            continue
        if filled[d.population].loc[e].min() <= 0:
            reasons[e] = [
                f"non-positive {d.population} in {config.history_start}-{config.base_year}"
            ]
        elif filled[d.emissions].loc[e, config.base_year] <= 0:
            reasons[e] = [f"non-positive {d.emissions} in {config.base_year}"]
        elif any(filled[c].loc[e, config.base_year] <= 0 for c in base):
            reasons[e] = [f"non-positive {'/'.join(base)} in {config.base_year}"]
    for entity, why in reasons.items():
        if country_note(entity):
            why.append(country_note(entity))
        manifest.exclude(entity, "; ".join(why))
    for record in records:  # the fills of the entities that stay in the study
        for row in record[~record["entity"].isin(list(reasons))].itertuples():
            detail = f"missing {row.years_missing}: {row.detail}"
            manifest.repair(row.entity, row.field, row.action, detail)
    keep = pd.Index([e for e in entities if e not in reasons], name=panel.index.names[0])
    if len(keep) < 2:
        raise DataError(_too_few_message(panel, config, keep, yearly + base))
    sub = panel.loc[panel.index.get_level_values(0).isin(keep)]
    sub = sub.loc[sub.index.get_level_values(1) <= config.base_year]
    full = pd.MultiIndex.from_product(
        [keep, sorted(set(sub.index.get_level_values(1)) | set(years))], names=sub.index.names
    )
    sub = sub.reindex(full)
    for col, wide in filled.items():
        current = sub[col].unstack()
        cols = list(wide.columns)
        current.loc[keep, cols] = wide.loc[keep, cols].to_numpy()
        sub[col] = current.stack(future_stack=True).reindex(full)
    return sub, keep, _exclusion_table(panel, config, reasons)


def _coverage(panel: pd.DataFrame, col: str) -> str:
    yrs = panel[col].dropna().index.get_level_values(1)
    return f"{yrs.min()}-{yrs.max()}" if len(yrs) else "no year"


def _check_coverage(panel: pd.DataFrame, config: PrinciplesConfig, yearly, base) -> None:
    """Years the whole panel lacks are not filled: a window outside the data is an error."""
    first, last = config.history_start, config.base_year
    for col in (*yearly, *base):
        have = set(panel[col].dropna().index.get_level_values(1))
        need = range(first, last + 1) if col in yearly else [last]
        lacking = [y for y in need if y not in have]
        if not lacking:
            continue
        cover = _coverage(panel, col)
        if col in yearly and lacking[-1] < last and lacking == list(range(first, lacking[-1] + 1)):
            fix = f"set history_start to {lacking[-1] + 1} or later"
        else:
            fix = "choose history_start and base_year inside the years the data cover"
        span = f"{lacking[0]}-{lacking[-1]}" if len(lacking) > 1 else str(lacking[0])
        raise DataError(
            f"{col} has no value for any entity in {span} (the data cover {cover}; the study "
            f"needs {first}-{last}); {fix}"
        )


def _too_few_message(panel, config, keep, columns) -> str:
    ids = panel.index.get_level_values(0).unique()
    n_all = len(ids)
    if n_all < 2:
        return (
            f"the data hold {n_all} entity ({', '.join(map(str, ids))}); the principles study "
            "shares a budget among at least 2 entities: add entities"
        )
    cover = [f"{col} {_coverage(panel, col)}" for col in columns]
    return (
        f"only {len(keep)} of {n_all} entities have {', '.join(columns)} for "
        f"{config.history_start}-{config.base_year} (the data cover: {'; '.join(cover)}); "
        "choose history_start and base_year inside those years, or complete the panel"
    )


def _exclusion_table(panel: pd.DataFrame, config: PrinciplesConfig, reasons: dict) -> pd.DataFrame:
    """Excluded entities with their latest population and emissions up to the base year."""
    d = config.data
    upto = panel.loc[panel.index.get_level_values(1) <= config.base_year]
    latest = {
        col: upto[col].dropna().groupby(level=0).last() if col in upto else pd.Series(dtype=float)
        for col in (d.population, d.emissions)
    }
    table = pd.DataFrame(
        {
            "reason": ["; ".join(r) for r in reasons.values()],
            "population": latest[d.population].reindex(list(reasons)).to_numpy(),
            "emissions_t": latest[d.emissions].reindex(list(reasons)).to_numpy(),
        },
        index=pd.Index(list(reasons), name=panel.index.names[0]),
    )
    return table


def _years_text(row: pd.Series) -> str:
    gaps = [int(y) for y, v in row.items() if pd.isna(v)]
    if len(gaps) > 3:
        return f"{gaps[0]}-{gaps[-1]} ({len(gaps)} years)"
    return ", ".join(map(str, gaps))


# ----------------------------------------------------------------------------- rules


def _defaults_for(rule: str, config: PrinciplesConfig, remaining_budget: float) -> dict[str, Any]:
    from carbonshare.principles import RULES

    d = config.data
    accepted = inspect.signature(RULES[rule].function).parameters
    candidates = {
        "year": config.base_year,
        "end_year": config.base_year,
        "start_year": config.history_start,
        "emissions": d.emissions,
        "population": d.population,
        "gdp": d.gdp,
        "output": d.gdp,
        "remaining_budget": remaining_budget,
        "convergence_year": config.convergence_year,
        "target_year": config.base_year + 1,
        "outputs": [d.gdp],
    }
    if rule in ("ability_to_pay_reduction", "greenhouse_development_rights"):
        candidates.pop("end_year")
    if rule == "greenhouse_development_rights":
        # the 7,500 development threshold of Baer et al. is in PPP $ per person
        candidates["gdp"] = d.gdp_ppp
    return {k: v for k, v in candidates.items() if k in accepted}


def _rule_shares(
    spec: RuleConfig,
    panel: pd.DataFrame,
    config: PrinciplesConfig,
    remaining_budget: float,
    extra: dict[str, Any],
) -> pd.Series:
    from carbonshare.principles import RULES, allocate

    params = _defaults_for(spec.rule, config, remaining_budget) | dict(spec.params)
    if spec.rule == "benchmarking":
        params = _resolve_groups(params, spec.name, extra)
    if spec.rule == "mix":
        comps = params.get("components", {})
        sub = dict(params.get("params", {}))
        configured = {r.name: r for r in config.rules}
        for r in comps:
            if r in RULES:
                own = dict(configured[r].params) if r in configured else {}
                sub[r] = _defaults_for(r, config, remaining_budget) | own | dict(sub.get(r, {}))
                if r == "benchmarking":
                    sub[r] = _resolve_groups(sub[r], f"mix.{r}", extra)
        params["params"] = sub
    if spec.rule == "shapley":
        params["game"] = _read_study_game(params["game"], panel, extra["manifest"])
    if spec.rule == "alliance":
        params.pop("method", None)
        shares = extra.get("alliance")
        params["shares"] = shares.reindex(panel.index.get_level_values(0).unique())
    return allocate(spec.rule, panel, **params)


def _read_study_game(path: str | Path, panel: pd.DataFrame, manifest: Manifest):
    """The user's game file for the ``shapley`` rule; its players must be the entities."""
    from carbonshare.games import read_game

    game = read_game(path)
    players = {str(p) for p in game.players}
    entities = {str(e) for e in panel.index.get_level_values(0).unique()}
    if players != entities:
        extra = sorted(players - entities)
        missing = sorted(entities - players)
        raise DataError(
            f"rules: the shapley game {path} has players that are not the study's entities "
            f"(players not in the data or excluded: {extra[:8]}; entities not in the game: "
            f"{missing[:8]}); give the game exactly the entities, or restrict data.entities"
        )
    manifest.add_sources([{"file": str(path), "kind": "cooperative game (shapley rule)"}])
    return game


def _resolve_groups(params: dict[str, Any], label: str, extra: dict[str, Any]) -> dict[str, Any]:
    """``groups`` given as a column name -> entity -> group Series (countries table / CSV)."""
    groups = params.get("groups")
    if not isinstance(groups, str):
        return params
    attributes: pd.DataFrame = extra["attributes"]
    if groups not in attributes.columns:
        extra["manifest"].note(
            f"{label}: no entity attribute {groups!r} in the data, so one benchmark for all"
        )
        return params | {"groups": None}
    values = attributes[groups].astype(object).where(attributes[groups].notna(), "unclassified")
    unclassified = values.index[attributes[groups].isna().to_numpy()]
    if len(unclassified):
        extra["manifest"].note(
            f"{label}: {len(unclassified)} entities have no {groups!r} and share one benchmark "
            f"group 'unclassified': {', '.join(map(str, unclassified[:10]))}"
        )
    return params | {"groups": values}


# ----------------------------------------------------------------------------- result


@dataclass
class PrinciplesResult:
    """Everything the principles study computes (tables indexed by entity / rule)."""

    config: PrinciplesConfig
    rules: pd.DataFrame
    raw_shares: pd.DataFrame
    shares: pd.DataFrame
    budget_t: float
    population: pd.Series
    emissions: pd.Series
    allowances: pd.DataFrame
    per_capita: pd.DataFrame
    inequality: pd.DataFrame
    change: pd.DataFrame
    winners_losers: pd.DataFrame
    spearman: pd.DataFrame
    kendall: pd.DataFrame
    zsg: pd.DataFrame | None
    ecpc: pd.DataFrame | None
    rci: pd.DataFrame | None
    pathway: pd.DataFrame
    names: pd.Series | None
    manifest: Manifest
    excluded: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Excluded entities: reason, latest population and emissions up to the base year."""
    excluded_text: str = ""
    """How many entities are excluded and their share of population and emissions."""
    paths: list[Path] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Output tables by file name (columns described in docs/principles.md)."""
        idx_name = "entity" if self.names is None else "iso3"

        def named(df: pd.DataFrame) -> pd.DataFrame:
            out = df.copy()
            out.index.name = idx_name
            if self.names is not None:
                out.insert(0, "name", self.names.reindex(out.index))
            return out

        # shares are written in percent, with _pct in the name (one convention for all studies)
        winners = self.winners_losers.rename_axis("rule")
        winners = winners.assign(shifted_share=100.0 * winners["shifted_share"]).rename(
            columns={"shifted_share": "shifted_share_pct"}
        )
        tables = {
            "rules": self.rules,
            "shares_pct": named(100.0 * self.shares),
            "raw_shares_pct": named(100.0 * self.raw_shares),
            "allowances_t": named(self.allowances),
            "per_capita_t": named(self.per_capita),
            "inequality": self.inequality.rename_axis("rule"),
            "change_vs_reference_pct": named(100.0 * self.change),
            "winners_losers": winners,
            "rank_spearman": self.spearman.rename_axis("rule"),
            "rank_kendall": self.kendall.rename_axis("rule"),
            "pathway_t": named(self.pathway.rename(columns=str)),
            "excluded": self.excluded.rename_axis(idx_name),
        }
        ecpc = self.ecpc
        if ecpc is not None and "population_share" in ecpc.columns:
            ecpc = ecpc.assign(population_share=100.0 * ecpc["population_share"]).rename(
                columns={"population_share": "population_share_pct"}
            )
        for key, table in (
            ("zsg_dea", self.zsg),
            ("ecpc_account", ecpc),
            ("gdr_rci", self.rci),
        ):
            if table is not None:
                tables[key] = named(table)
        return tables

    def write(self, out_dir: str | Path, progress: ProgressCallback | None = None) -> list[Path]:
        """Write tables, figures, report.html and manifest.json into ``out_dir`` (atomically)."""
        self.paths = write_study(out_dir, lambda folder: _write(self, folder, progress))
        return self.paths


def run_principles(
    config: PrinciplesConfig | None = None,
    out_dir: str | Path | None = None,
    progress: ProgressCallback | None = None,
    *,
    panel: pd.DataFrame | None = None,
    alliance: pd.Series | None = None,
) -> PrinciplesResult:
    """Run every configured allocation rule and compare them (docs/methods.md C2).

    Parameters
    ----------
    config : study config (default: bundled data, IPCC 1.5 C / 50 % budget).
    out_dir : if given, the outputs are written there.
    progress : called with each step name.
    panel : a ready panel (entity, year) instead of ``config.data``.
    alliance : entity -> alliance-study allocation, for an ``alliance`` rule.

    Returns
    -------
    PrinciplesResult

    Raises
    ------
    ConfigError, DataError  naming the field, entity or rule at fault.
    """
    from carbonshare import principles as P

    config = config or PrinciplesConfig()
    if out_dir is not None:
        check_output_dir(out_dir)  # fail before computing
    manifest = Manifest("principles", config)
    notify = progress or (lambda _step: None)
    d = config.data

    notify("data")
    with manifest.step("data"):
        raw, names, attributes = _load(config, panel, manifest)
        imputed = []
        if panel is None and d.source == "bundled" and d.ppp_fill == "income_group":
            raw, imputed = _impute_ppp(raw, config)
        data, entities, excluded = _complete_entities(raw, config, manifest)
        for entity, detail in imputed:  # only the entities that stay, as for the year fills
            if entity in entities:
                manifest.repair(entity, d.gdp_ppp, "imputed from GDP at market rates", detail)
        if panel is None and d.source == "bundled":  # mark values the data build filled
            _record_build_repairs(config, entities, manifest)
        alliance = _alliance_shares(config, alliance, manifest)
        if alliance is not None:
            missing = entities.difference(alliance.dropna().index)
            why = "not in the alliance study (needed by the alliance rule)"
            for entity in missing:
                manifest.exclude(entity, why)
            extra_rows = _exclusion_table(raw, config, {e: [why] for e in missing})
            excluded = pd.concat([excluded, extra_rows])
            entities = entities.difference(missing, sort=False)
            if len(entities) < 2:
                raise DataError(
                    "fewer than 2 entities have alliance-study shares; drop the alliance rule"
                )
            data = data.loc[data.index.get_level_values(0).isin(entities)]
        population = data[d.population].xs(config.base_year, level=1).reindex(entities)
        emissions = data[d.emissions].xs(config.base_year, level=1).reindex(entities)
        budget = _budget(config, raw, entities, manifest)

    notify("rules")
    with manifest.step("rules"):
        raw_shares: dict[str, pd.Series] = {}
        for spec in config.rules:
            extra = {"alliance": alliance, "attributes": attributes, "manifest": manifest}
            raw_shares[spec.name] = _rule_shares(spec, data, config, budget, extra)
        raw_df = pd.DataFrame(raw_shares).reindex(entities)
        kinds = {s.name: _kind(s) for s in config.rules}
        cap = (1.0 - config.burden_reduction) * float(emissions.sum())
        shares = raw_df.copy()
        for name, kind in kinds.items():
            if kind == "burden":
                allowance = P.burden_to_allowance(raw_df[name].rename(name), emissions, cap)
                shares[name] = allowance / cap
        negative = {n: int((shares[n] < 0).sum()) for n in shares.columns if (shares[n] < 0).any()}
        for name, count in negative.items():
            manifest.note(
                f"{name}: {count} entities get a negative allowance (their burden exceeds their "
                f"base-year emissions); kept, not clipped"
            )
        burden = [n for n, k in kinds.items() if k == "burden"]
        if burden:
            manifest.note(
                f"burden rules {burden} turned into allowances with A_i = E_i - b_i (sum E - C), "
                f"E = {d.emissions} {config.base_year}, C = (1 - {config.burden_reduction}) sum E"
            )

    notify("budget")
    with manifest.step("budget"):
        allowances = shares * budget
        per_capita = allowances.div(population, axis=0)
        pathway = _pathway(config, data, emissions, budget, shares)

    notify("comparison")
    with manifest.step("comparison"):
        inequality = P.inequality_table(per_capita, population)
        change, summary = P.winners_losers(shares, config.reference)
        spearman = P.rank_correlation(shares, "spearman")
        kendall = P.rank_correlation(shares, "kendall")
        zsg, ecpc, rci = _details(config, data, budget, manifest)

    rules_table = pd.DataFrame(
        {
            "rule": [s.rule for s in config.rules],
            "kind": [kinds[s.name] for s in config.rules],
            "principle": [P.RULES[s.rule].principle for s in config.rules],
            "summary": [P.RULES[s.rule].summary for s in config.rules],
            "params": [str(s.params) if s.params else "" for s in config.rules],
        },
        index=pd.Index([s.name for s in config.rules], name="label"),
    )
    manifest.extra["budget_t"] = budget
    manifest.extra["entities"] = len(entities)
    if names is not None:
        excluded.insert(0, "name", names.reindex(excluded.index))
    excluded_text = exclusion_share(
        list(excluded.index),
        population=pd.concat([population, excluded["population"]]),
        emissions=pd.concat([emissions, excluded["emissions_t"]]),
    )
    manifest.extra["excluded"] = excluded_text
    result = PrinciplesResult(
        config=config,
        rules=rules_table,
        raw_shares=raw_df,
        shares=shares,
        budget_t=budget,
        population=population,
        emissions=emissions,
        allowances=allowances,
        per_capita=per_capita,
        inequality=inequality,
        change=change,
        winners_losers=summary,
        spearman=spearman,
        kendall=kendall,
        zsg=zsg,
        ecpc=ecpc,
        rci=rci,
        pathway=pathway,
        names=None if names is None else names.reindex(entities),
        manifest=manifest,
        excluded=excluded,
        excluded_text=excluded_text,
    )
    if out_dir is not None:
        result.write(out_dir, progress)
    return result


def _alliance_shares(
    config: PrinciplesConfig, given: pd.Series | None, manifest: Manifest
) -> pd.Series | None:
    """The alliance study's allocation for an ``alliance`` rule (run here if not given)."""
    specs = [r for r in config.rules if r.rule == "alliance"]
    if not specs:
        return None
    if given is not None:
        return given.astype(float)
    method = specs[0].params.get("method", "two_stage")
    if config.data.source != "bundled":
        raise ConfigError(
            "rules: the 'alliance' rule needs the alliance study, which runs on the bundled "
            "country data only; remove it for a user panel or pass alliance= to run_principles"
        )
    from carbonshare.studies.alliances import run_alliances
    from carbonshare.studies.alliances_config import AlliancesConfig

    result = run_alliances(
        AlliancesConfig(output={"figures": False, "report": False}, uncertainty={"samples": 0})
    )
    column = f"share_{method}"
    if column not in result.country_shares.columns:
        options = [c[6:] for c in result.country_shares.columns if c.startswith("share_")]
        raise ConfigError(f"rules: alliance method {method!r} unknown; choose one of {options}")
    manifest.note(
        f"alliance rule: {method} shares of the alliance study (Zhou et al. 2024) with its "
        f"default config, renormalised over the entities of this study"
    )
    return result.country_shares[column].astype(float)


def _kind(spec: RuleConfig) -> str:
    from carbonshare.principles import RULES

    if spec.rule == "mix":
        comps = list(spec.params.get("components", {}))
        return RULES[comps[0]].kind if comps and comps[0] in RULES else "allowance"
    return RULES[spec.rule].kind


def _budget(config: PrinciplesConfig, raw: pd.DataFrame, entities: pd.Index, manifest) -> float:
    from carbonshare.principles import ipcc_ar6_provenance, remaining_carbon_budget

    b = config.budget
    if b.source == "tonnes":
        assert b.tonnes is not None
        manifest.note(f"budget: {b.tonnes:.6g} t CO2 after {config.base_year} (given)")
        return float(b.tonnes)
    emitted = 0.0
    if config.base_year >= 2020:
        e = raw[config.data.emissions].unstack().reindex(index=entities)
        emitted = float(e.loc[:, 2020 : config.base_year].sum().sum())
    budget = remaining_carbon_budget(b.warming, b.likelihood, emitted_since_2020=emitted)
    prov = ipcc_ar6_provenance()
    spent = (
        f"minus {emitted / 1e9:.4g} GtCO2 emitted 2020-{config.base_year} by the entities"
        if config.base_year >= 2020
        else f"nothing subtracted (base year {config.base_year} ends before the budget starts)"
    )
    manifest.note(
        f"budget: IPCC AR6 {b.warming} C / {b.likelihood} % from 2020 ({prov['citation']}); "
        f"{spent} -> {budget / 1e9:.4g} GtCO2. The IPCC budget covers all CO2 (incl. land "
        f"use); the panel's {config.data.emissions} may be fossil only."
    )
    if config.data.source == "csv":
        manifest.note(
            "budget: the whole global IPCC budget is shared among the entities of the user "
            "panel; for provinces or firms set budget.source: tonnes to their own budget"
        )
        logger.warning(
            "the global IPCC AR6 budget is shared among the %d entities of a user panel; set "
            "budget.source: tonnes for a sub-national or firm budget",
            len(entities),
        )
    manifest.add_sources([{"name": "IPCC AR6 WG1 remaining carbon budgets", **prov}])
    return budget


def _pathway(config, data, emissions, budget, shares) -> pd.DataFrame:
    from carbonshare.principles import (
        allocate_pathway,
        contraction_convergence_pathway,
        linear_cap_pathway,
    )

    cap = linear_cap_pathway(config.base_year + 1, float(emissions.sum()), budget)
    if config.pathway_rule == "contraction_convergence":
        d = config.data
        frame = contraction_convergence_pathway(
            data,
            list(cap.index),
            year=config.base_year,
            convergence_year=config.convergence_year,
            emissions=d.emissions,
            population=d.population,
        )
        return allocate_pathway(frame, cap)
    if config.pathway_rule not in shares.columns:
        raise ConfigError(f"pathway_rule: {config.pathway_rule!r} is not among the rules")
    return allocate_pathway(shares[config.pathway_rule], cap)


def _details(config: PrinciplesConfig, data: pd.DataFrame, budget: float, manifest: Manifest):
    from carbonshare import principles as P

    d = config.data
    zsg = ecpc = rci = None
    specs = {s.rule: s for s in config.rules}
    if "zsg_dea" in specs:
        p = _defaults_for("zsg_dea", config, budget) | dict(specs["zsg_dea"].params)
        q = data[d.emissions].xs(config.base_year, level=1)
        y = pd.DataFrame({c: data[c].xs(config.base_year, level=1) for c in p["outputs"]})
        inputs = p.get("inputs", ())
        x = (
            pd.DataFrame({c: data[c].xs(config.base_year, level=1) for c in inputs})
            if inputs
            else None
        )
        res = P.zsg_dea(q, y, x, rts=p.get("rts", "crs"), tol=p.get("tol", 1e-6))
        zsg = pd.concat(
            [q.rename("quota_before_t"), res.quota.rename("quota_after_t"),
             res.efficiency_before, res.efficiency_after],
            axis=1,
        )  # fmt: skip
        manifest.note(
            f"ZSG-DEA: {res.iterations} reallocation(s), converged={res.converged}, "
            f"{int((res.efficiency_before < 1 - 1e-9).sum())} of {len(q)} units below the frontier "
            f"before"
        )
    if "equal_cumulative_per_capita" in specs:
        p = _defaults_for("equal_cumulative_per_capita", config, budget)
        p |= dict(specs["equal_cumulative_per_capita"].params)
        # the rule itself has already logged any deficit: do not log it a second time
        quiet = logging.getLogger("carbonshare.principles.cumulative")
        level = quiet.level
        quiet.setLevel(logging.ERROR)
        try:
            ecpc = P.ecpc_account(data, **p)
        finally:
            quiet.setLevel(level)
        over = ecpc.index[ecpc["remaining_t"] < 0]
        if len(over):
            manifest.note(
                f"equal_cumulative_per_capita: {len(over)} entities have emitted more than their "
                f"fair share since {config.history_start} (total deficit "
                f"{-ecpc['remaining_t'].clip(upper=0).sum() / 1e9:.4g} GtCO2); handling: "
                f"negative={p.get('negative', 'floor')!r}"
            )
    if "greenhouse_development_rights" in specs:
        p = _defaults_for("greenhouse_development_rights", config, budget)
        p |= dict(specs["greenhouse_development_rights"].params)
        rci = P.responsibility_capability_index(data, **p)
        rci = rci.rename(columns={"income_per_capita": "income_ppp_per_capita"})
        threshold = p.get("threshold", 7500.0)
        manifest.note(
            f"GDR: income per person = {p['gdp']} / {p['population']} in {p['year']}, current "
            f"international $ (PPP); development threshold {threshold:g} PPP $ per person; "
            f"{int((rci['income_ppp_per_capita'] > threshold).sum())} of {len(rci)} entities above it"
        )
    return zsg, ecpc, rci


# ----------------------------------------------------------------------------- writing


def _figure_data(result: PrinciplesResult) -> dict[str, Any]:
    """What the figures show (labelled pandas objects, no plotting)."""
    top = result.emissions.sort_values(ascending=False).index[
        : result.config.output.figure_entities
    ]
    labels = top if result.names is None else pd.Index(
        [f"{result.names.get(e, e)}" for e in top]
    )  # fmt: skip
    cols = [r for r in result.config.output.dot_rules if r in result.per_capita.columns]
    dots = result.per_capita.loc[top, cols or list(result.per_capita.columns)].set_axis(labels)
    names = principles_labels(result.rules)
    dots.columns = [names.label(c) for c in dots.columns]
    return {"top": top, "dots": dots, "labels": names}


def _write(
    result: PrinciplesResult, out_dir: Path, progress: ProgressCallback | None
) -> list[Path]:
    from carbonshare.studies.common import write_tables

    notify = progress or (lambda _step: None)
    manifest = result.manifest
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    notify("tables")
    with manifest.step("tables"):
        paths += write_tables(
            result.tables(),
            out_dir / "tables",
            workbook="principles.xlsx",
            labels=principles_labels(result.rules),
        )
    figure_paths: list[Path] = []
    if result.config.output.figures:
        notify("figures")
        with manifest.step("figures"):
            figure_paths = _write_figures(result, out_dir / "figures")
        paths += figure_paths
    if result.config.output.report:
        notify("report")
        with manifest.step("report"):
            paths.append(_write_report(result, out_dir))
    notify("manifest")
    manifest.outputs = [str(p.relative_to(out_dir)) for p in paths] + ["manifest.json"]
    paths.append(manifest.write(out_dir))
    return paths


def _write_figures(result: PrinciplesResult, fig_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from carbonshare.report import figures as F

    fig_dir.mkdir(parents=True, exist_ok=True)
    d = _figure_data(result)
    ref = result.config.reference
    paths: list[Path] = []
    fig = F.dot_plot(
        d["dots"],
        title="",
        xlabel="allowance per person (t CO2 over the budget)",
    )
    paths += F.save_figure(fig, fig_dir / "per_capita_dot_plot")
    plt.close(fig)
    for rule in result.config.output.dumbbell_rules:
        if rule not in result.per_capita.columns or rule == ref:
            continue
        labels = d["dots"].index
        a_name, b_name = d["labels"].label(ref), d["labels"].label(rule)
        a = result.per_capita.loc[d["top"], ref].set_axis(labels).rename(a_name)
        b = result.per_capita.loc[d["top"], rule].set_axis(labels).rename(b_name)
        fig = F.dumbbell(
            a,
            b,
            title=f"{b_name} vs {a_name}",
            xlabel="allowance per person (t CO2 over the budget)",
        )
        paths += F.save_figure(fig, fig_dir / f"dumbbell_{rule}")
        plt.close(fig)
    if result.names is not None:
        for rule in result.config.output.map_rules:
            if rule not in result.per_capita.columns:
                continue
            fig = F.choropleth(
                result.per_capita[rule],
                title=f"Allowance per person over the budget, {d['labels'].label(rule)}",
                cmap="viridis",
                legend_label="t CO2 per person",
            )
            paths += F.save_figure(fig, fig_dir / f"map_{rule}")
            plt.close(fig)
    return paths


METHOD_MARKDOWN = """
**Budget.** The remaining global CO2 budget after the base year: IPCC AR6 WG1 Table SPM.2 for
the chosen warming level and likelihood (less the emissions between the table's start and the
base year), or a given number of tonnes.

**Rules.** Each rule of the table below shares the budget among the entities (carbonshare's
rule registry; `docs/principles.md` gives each equation). An *allowance* rule shares the
budget directly; a *burden* rule shares a reduction, turned into allowances as base-year
emissions minus the burden share of a cut of `burden_reduction` of those emissions, then
rescaled to the budget. Shares are in % of the budget; allowances per person divide by
base-year population.

**Comparison.** Inequality of allowances per person weighted by population (Gini, Theil,
coefficient of variation: every person counts once); winners and losers against the
reference rule (share difference in percentage points; shifted share = sum of the gains);
Spearman and Kendall rank correlations between the rules' shares.

**Data.** Population and emissions of the base year; a missing year takes the nearest year
with data inside the window (`data.fill`), and an entity without data is excluded; both are
listed under *Caveats and exclusions*.
"""


def _write_report(result: PrinciplesResult, out_dir: Path) -> Path:
    """report.html: summary, method, caveats and exclusions, results, config, provenance."""
    from carbonshare.report import Report, style

    cfg = result.config
    ref = cfg.reference
    n = len(result.shares)
    ineq = result.inequality
    labels = principles_labels(result.rules)
    tables = result.tables()
    most_equal = ineq["gini"].idxmin() if ineq["gini"].notna().any() else "-"
    least_equal = ineq["gini"].idxmax() if ineq["gini"].notna().any() else "-"
    rep = Report(
        "Allocation principles compared",
        f"{len(cfg.rules)} rules, {n} entities, base year {cfg.base_year}, "
        f"budget {result.budget_t / 1e9:.4g} GtCO2",
    )
    budget_source = (
        f"IPCC AR6 Table SPM.2, {cfg.budget.warming} °C / {cfg.budget.likelihood} %"
        if cfg.budget.source == "ipcc"
        else "given"
    )
    rep.add_section("Summary")
    rep.add_markdown(
        f"- **Budget**: {result.budget_t / 1e9:.4g} GtCO2 after {cfg.base_year} "
        f"({budget_source}).\n"
        f"- **Entities**: {n} ({result.excluded_text}; missing years filled by "
        f"`data.fill: {cfg.data.fill}`, see Caveats and exclusions).\n"
        f"- **Most equal per-capita allowances** (population-weighted Gini): "
        f"{labels.label(most_equal)}; **least equal**: {labels.label(least_equal)}.\n"
        f"- Winners and losers are measured against **{labels.label(ref)}**. Burden rules "
        f"(polluter pays, GDR, horizontal / vertical equity, ability-to-pay reductions) are "
        f"turned into allowances with a {cfg.burden_reduction:.0%} cut from base-year "
        "emissions.\n"
    )
    rep.add_section("Method")
    rep.add_markdown(METHOD_MARKDOWN)
    rep.add_table(
        labels.rename(tables["rules"], "rules"),
        "Rules run",
        caption="Kind: what the rule shares (allowance or burden).",
    )
    rep.add_section("Caveats and exclusions")
    if result.manifest.warnings:
        rep.add_markdown(
            "\n".join(f"- **Warning**: {w}" for w in result.manifest.warnings), title="Warnings"
        )
    rep.add_markdown(
        f"**{result.excluded_text[0].upper() + result.excluded_text[1:]}** (population and "
        f"emissions: latest value up to {cfg.base_year}); their share of the budget goes to the "
        f"{n} entities below. {len(result.manifest.repairs)} missing values were filled "
        f"(rule `data.fill: {cfg.data.fill}`: nearest year with data in "
        f"{cfg.history_start}-{cfg.base_year}).",
        title="Exclusions",
    )
    if len(result.excluded):
        rep.add_table(labels.rename(tables["excluded"], "excluded"), "Excluded entities")
    if result.manifest.repairs:
        rep.add_table(labels.rename(pd.DataFrame(result.manifest.repairs)), "Data repairs")
    if result.manifest.notes:
        rep.add_markdown("\n".join(f"- {note}" for note in result.manifest.notes), title="Notes")

    rep.add_section("Results")

    def table(name: str, title: str, caption: str = "") -> None:
        df = tables[name]
        if df.index.name == "rule":  # rows are rules: show their names
            df = df.set_axis(df.index.map(labels.label).rename("rule"))
        rep.add_table(labels.rename(df, name), title, caption=caption)

    table("shares_pct", "Allowance shares (% of the budget)", "Each rule column sums to 100 %.")
    table("per_capita_t", "Allowance per person (t CO2 over the budget)")
    table(
        "inequality",
        "Inequality of per-capita allowances",
        "Gini, Theil and CV weighted by population (every person counts once).",
    )
    table("winners_losers", f"Winners and losers against {labels.label(ref)}")
    table("rank_spearman", "Spearman rank correlation between rules")
    table("rank_kendall", "Kendall rank correlation between rules")
    if "zsg_dea" in tables:
        table("zsg_dea", "ZSG-DEA quotas and efficiencies before / after")
    if "ecpc_account" in tables:
        table("ecpc_account", "Equal cumulative per capita account")
    if "gdr_rci" in tables:
        table(
            "gdr_rci",
            "Greenhouse Development Rights: responsibility and capacity",
            f"Income per person: {cfg.data.gdp_ppp} / {cfg.data.population}, current "
            "international $ (PPP) per person; capacity counts income above the 7,500 PPP $ "
            "development threshold (Baer et al. 2008).",
        )
    if result.names is not None:
        from carbonshare.report import interactive as I

        shares = 100.0 * result.shares
        for rule in cfg.output.map_rules:
            if rule not in result.per_capita.columns:
                continue
            name = labels.label(rule)
            values = result.per_capita[rule]
            if style.spread_note(values):  # a flat map with a colour bar would pretend variation
                rep.add_markdown(
                    f"Nearly constant: every allowance per person lies between "
                    f"{style.format_number(values.min())} and "
                    f"{style.format_number(values.max())} t CO2; a map would show one colour, "
                    "so none is drawn.",
                    title=f"Map: {name}",
                )
                continue
            hover = pd.DataFrame(
                {
                    "share (%)": shares[rule].map(style.format_number),
                    "t CO2 per person": result.per_capita[rule].map(style.format_number),
                }
            )
            rep.add_plotly(
                I.choropleth_map(
                    result.per_capita[rule],
                    hover=hover,
                    title=f"Allowance per person under {name} (t CO2 over the budget)",
                    legend_label="t CO2 per person",
                ),
                f"Map: {name}",
            )
    if cfg.output.figures:
        captions = {
            "per_capita_dot_plot": (
                f"Allowance per person (t CO2 over the budget) by rule, the "
                f"{cfg.output.figure_entities} largest emitters of {cfg.base_year}"
            ),
        }
        # the maps are shown above, interactive; their static versions stay in figures/
        for path in sorted((out_dir / "figures").glob("*.png")):
            stem = path.stem
            if stem.startswith("map_"):
                continue
            caption = captions.get(stem, "")
            title = "Allowance per person by rule"
            if stem.startswith("dumbbell_"):
                other = labels.label(stem.removeprefix("dumbbell_"))
                title = f"{other} against {labels.label(ref)}"
                caption = f"Allowance per person: {labels.label(ref)} (circle) vs {other} (diamond)"
            rep.add_image(path, title, caption=caption)
    rep.add_section("Config")
    rep.add_json("Config", cfg)
    rep.add_provenance(result.manifest.to_dict())
    return rep.write(out_dir / "report.html")
