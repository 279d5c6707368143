"""Typed configuration of the alliance study (docs/methods.md part A, Zhou et al. 2024).

The defaults follow the paper: the nine indicators of its Table 1, population
and CO2 cumulated over 1990-2020, the other indicators averaged over
2016-2020, all oriented "more = more rights", min-max normalised, entropy
weights, capital-to-capital great-circle distances, a labour-cost proxy,
strongest-partner alliances as weakly connected components and the two-stage
Shapley allocation. ``carbonshare run alliances --print-config`` prints them;
every field can be overridden from a YAML or TOML file.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from carbonshare.studies.common import StudyConfig
from carbonshare.uncertainty.spec import UncertaintyConfig

__all__ = [
    "AllianceMethodConfig",
    "AlliancesConfig",
    "AllocationConfig",
    "CountriesConfig",
    "DistanceConfig",
    "IndicatorSpec",
    "LabourCostConfig",
    "LinkageConfig",
    "MissingDataConfig",
    "NormalisationConfig",
    "OutputConfig",
    "WeightsConfig",
    "YearsConfig",
    "default_indicators",
]

Window = Literal["cumulative", "mean"]
Dimension = Literal["Sc", "Ec", "Ev"]
Principle = Literal["Eq", "Ef", "El"]


class YearsConfig(StudyConfig):
    """The two time windows of the paper ("Quantification" section), inclusive."""

    cumulative: tuple[int, int] = Field(
        (1990, 2020), description="window of the cumulated indicators (population, CO2)"
    )
    mean: tuple[int, int] = Field(
        (2016, 2020), description="window of the averaged indicators (all others)"
    )

    @field_validator("cumulative", "mean")
    @classmethod
    def _ordered(cls, v: tuple[int, int]) -> tuple[int, int]:
        if v[0] > v[1]:
            raise ValueError(f"first year {v[0]} is after last year {v[1]}; write [first, last]")
        return v


class IndicatorSpec(StudyConfig):
    """One cell of the 3 x 3 indicator grid (docs/methods.md A1).

    The value of country i is ``agg_t column[i, t]`` over the indicator's
    window, or, when ``per`` is set, the ratio of window sums
    ``sum_t column[i, t] / sum_t per[i, t]`` (e.g. carbon productivity =
    GDP / CO2), times ``scale``.
    """

    name: str = Field(description="long name shown in figures")
    column: str = Field(description="panel column (carbonshare.data.indicator_catalog())")
    per: str | None = Field(None, description="panel column of a denominator (ratio of sums)")
    aggregation: Literal["sum", "mean"] = Field(description="time aggregation over the window")
    window: Window = Field(description="which window of `years` applies")
    scale: float = Field(1.0, gt=0, description="unit conversion factor applied to the value")
    unit: str = Field(description="unit of the value after aggregation and scale")
    dimension: Dimension = Field(description="row of the grid: Sc, Ec or Ev")
    principle: Principle = Field(description="column of the grid: Eq, Ef or El")
    direction: Literal["positive", "negative"] = Field(
        "positive", description="positive: more = more emission rights"
    )


def default_indicators() -> dict[str, IndicatorSpec]:
    """The nine indicators of Table 1 of Zhou et al. (2024), keyed by the paper's codes (A1).

    CO2 (x3 and the denominator of x5) is the paper's own series, WDI EN.ATM.CO2E.KT
    (CAIT-based, 1990-2020, panel column ``co2_wdi_t``); GCP ``co2_t`` is the
    alternative (docs/reproduction.md).
    """
    spec = IndicatorSpec
    return {
        "POP": spec(name="Population", column="population", aggregation="sum",
                    window="cumulative", scale=1e-9, unit="billion person-years",
                    dimension="Sc", principle="Eq"),
        "GDP": spec(name="GDP", column="gdp_usd", aggregation="mean", window="mean",
                    scale=1e-9, unit="billion current US$", dimension="Ec", principle="Eq"),
        "COE": spec(name="CO2 emissions", column="co2_wdi_t", aggregation="sum", window="cumulative",
                    scale=1e-6, unit="Mt CO2", dimension="Ev", principle="Eq"),
        "URB": spec(name="Urban population", column="urban_pct", aggregation="mean",
                    window="mean", unit="% of population", dimension="Sc", principle="Ef"),
        "COP": spec(name="Carbon productivity", column="gdp_usd", per="co2_wdi_t",
                    aggregation="sum", window="mean", unit="current US$ per t CO2",
                    dimension="Ec", principle="Ef"),
        "CFT": spec(name="Clean cooking access", column="clean_cooking_pct", aggregation="mean",
                    window="mean", unit="% of population", dimension="Ev", principle="Ef"),
        "SRV": spec(name="Employment in services", column="services_employment_pct",
                    aggregation="mean", window="mean", unit="% of employment",
                    dimension="Sc", principle="El"),
        "FRT": spec(name="Forest rents", column="forest_rents_pct_gdp", aggregation="mean",
                    window="mean", unit="% of GDP", dimension="Ec", principle="El"),
        "FAR": spec(name="Forest area", column="forest_area_km2", aggregation="mean",
                    window="mean", scale=1e-3, unit="thousand km2", dimension="Ev",
                    principle="El"),
    }  # fmt: skip


class MissingDataConfig(StudyConfig):
    """What to do with years missing inside a window (never silent: every case is recorded).

    ``sum`` (cumulated indicators): ``nearest`` fills a missing year with the
    value of the nearest year that has data inside the window (the earlier one
    on a tie); ``scale`` multiplies the sum of the available years by
    (years in window / years available); ``exclude`` drops the country.
    ``mean`` (averaged indicators): ``available`` averages the years that have
    data; ``nearest`` fills as above and then averages; ``exclude`` drops it.
    A country with no data at all inside a window is excluded, unless
    ``outside_years`` > 0 lets it take its nearest year up to that many years
    before or after the window (its value then stands for every window year).
    """

    sum: Literal["nearest", "scale", "exclude"] = Field(
        "nearest", description="fill rule for cumulated indicators"
    )
    mean: Literal["available", "nearest", "exclude"] = Field(
        "nearest", description="fill rule for averaged indicators (docs/methods.md A1: nearest)"
    )
    outside_years: int = Field(
        0,
        ge=0,
        description="a country with no data in a window takes its nearest year at most this "
        "many years outside it (0: exclude it, the paper's rule)",
    )


class CountriesConfig(StudyConfig):
    """Which countries enter the study.

    Start from every country of ``carbonshare.data.load_countries()`` that has
    capital coordinates, keep those with all indicators and the labour cost
    after the fill rule, then apply ``include`` / ``exclude``.
    """

    exclude: list[str] = Field(default_factory=list, description="ISO3 codes to leave out")
    only: list[str] | None = Field(
        None, description="if set, the study uses just these ISO3 codes (subject to data)"
    )

    @field_validator("exclude", "only")
    @classmethod
    def _upper(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        bad = [c for c in v if not (isinstance(c, str) and len(c) == 3 and c.isalpha())]
        if bad:
            raise ValueError(f"{bad} are not ISO3 codes; use three letters such as CHN")
        return [c.upper() for c in v]


class NormalisationConfig(StudyConfig):
    """Normalisation V of the indicator matrix (docs/methods.md A2, Eq. 2)."""

    method: Literal["minmax", "percentile"] = Field(
        "minmax", description="minmax (Eq. 2) or percentile-bounded min-max"
    )
    bounds: tuple[float, float] = Field(
        (2.5, 97.5), description="percentiles used by method=percentile"
    )

    @field_validator("bounds")
    @classmethod
    def _bounds(cls, v: tuple[float, float]) -> tuple[float, float]:
        if not 0 <= v[0] < v[1] <= 100:
            raise ValueError(f"{list(v)} must satisfy 0 <= low < high <= 100")
        return v


class WeightsConfig(StudyConfig):
    """Indicator weights w_j (docs/methods.md A2; entropy is the paper's)."""

    method: Literal["entropy", "pca", "critic", "equal", "given"] = Field(
        "entropy", description="entropy (Eq. 1-7), pca (docs/methods.md B3), critic, equal or given"
    )
    given: dict[str, float] | None = Field(
        None, description="weights per indicator code (POP, GDP, ...) for method=given"
    )

    @model_validator(mode="after")
    def _given(self) -> WeightsConfig:
        if self.method == "given" and not self.given:
            raise ValueError(
                "method=given needs `given: {POP: w1, GDP: w2, ...}` with one weight per indicator"
            )
        if self.method != "given" and self.given:
            raise ValueError(
                f"`given` weights are set but method is {self.method!r}, which ignores them; "
                "set method: given or remove given"
            )
        return self


class LabourCostConfig(StudyConfig):
    """Labour cost L_i of the gravity model (Eq. 8); the paper names no series.

    A proxy of :data:`carbonshare.geo.labour.LABOUR_PROXIES`, averaged over
    the years of the window that have data. Default: GDP per person employed
    (constant PPP$, ILOSTAT; the concept of WDI SL.GDP.PCAP.EM.KD). The unit
    of L only scales CRL by a constant; alliances and shares do not depend on it.
    """

    proxy: str = Field(
        "gdp_per_employed",
        description="gdp_per_employed, gni_per_capita_usd, gdp_per_capita_usd or "
        "gni_ppp_per_capita",
    )
    window: Window = Field("mean", description="which window of `years` applies")
    exponent: float = Field(
        1.0,
        ge=0,
        description="b in CRL = M_i M_j / (D^a (L_i L_j)^b); 1 is Eq. 8, 0 ignores labour costs",
    )

    @field_validator("proxy")
    @classmethod
    def _known(cls, v: str) -> str:
        from carbonshare.geo.labour import LABOUR_PROXIES

        if v not in LABOUR_PROXIES:
            raise ValueError(
                f"{v!r} is not a labour-cost proxy; use one of {', '.join(LABOUR_PROXIES)}"
            )
        return v


class DistanceConfig(StudyConfig):
    """Distances D_ij of the gravity model (Eq. 8), in km.

    ``source``: ``capitals`` (great-circle distance between capitals, the paper's) or a
    CEPII GeoDist measure (:func:`carbonshare.geo.distance_matrix`): ``cepii_distw``
    (population-weighted between the main cities, the standard of gravity models),
    ``cepii_dist`` (between the most populated cities), ``cepii_distcap`` (capitals).
    D enters CRL to the power ``exponent`` (2 in Eq. 8), so two capitals a few km apart
    (Kinshasa and Brazzaville, 7.6 km) dominate the linkage and the game. ``min_km``
    floors every distance (each floored pair is recorded); ``null`` = no floor.
    """

    source: Literal["capitals", "cepii_distw", "cepii_dist", "cepii_distcap"] = Field(
        "capitals", description="capitals (the paper) or a CEPII GeoDist distance"
    )
    exponent: float = Field(
        2.0, ge=0, description="a in CRL = M_i M_j / (D^a (L_i L_j)^b); 2 is Eq. 8"
    )
    fill_from: Literal["capitals"] | None = Field(
        "capitals",
        description="pairs a CEPII source lacks (e.g. Montenegro) come from capital distances, "
        "each recorded as a repair; null: such a country is an error",
    )

    min_km: float | None = Field(
        None, gt=0, description="floor on every distance, km (null: none, the paper's)"
    )


class LinkageConfig(StudyConfig):
    """The linkage inside the game v(S) (carbonshare.cooperation.linkage); never alliances."""

    transform: Literal["none", "log_minmax", "rank", "row_normalised"] = Field(
        "none",
        description="none (the paper), log_minmax (log CRL scaled to 0-1), rank (rank / number "
        "of pairs) or row_normalised (each country's links as shares of its own linkage)",
    )


class AllianceMethodConfig(StudyConfig):
    """How alliances are formed from the CRL matrix (docs/methods.md A5, carbonshare.cooperation.alliances)."""

    method: Literal["weak-components", "louvain", "target"] = Field(
        "weak-components",
        description="weak-components of the strongest-partner graph (the paper's), louvain "
        "communities of the CRL graph, or target = exactly n_alliances",
    )
    resolution: float = Field(1.0, gt=0, description="louvain resolution (> 1: more alliances)")
    n_alliances: int | None = Field(None, ge=1, description="number of alliances for target")
    seed: int = Field(0, description="louvain random seed")
    top_k: int | None = Field(
        None, ge=1, description="louvain: keep each country's k strongest links"
    )
    weighting: Literal["share", "crl"] = Field(
        "share", description="link weights of louvain / target merging: share of own CRL or CRL"
    )
    linkage: Literal["average", "single"] = Field(
        "average", description="similarity of two alliances when target merges them"
    )

    @model_validator(mode="after")
    def _target(self) -> AllianceMethodConfig:
        if self.method == "target" and self.n_alliances is None:
            raise ValueError("method=target needs `n_alliances: <int>`")
        if self.method != "target" and self.n_alliances is not None:
            raise ValueError(
                f"n_alliances is set but method is {self.method!r}, which ignores it; "
                "set method: target or remove n_alliances"
            )
        return self


class AllocationConfig(StudyConfig):
    """Allocation of emission rights with the alliance game (docs/methods.md A6-A7)."""

    methods: list[Literal["two_stage", "shapley", "owen"]] = Field(
        default_factory=lambda: ["two_stage", "shapley", "owen"],
        description="solutions computed side by side; the first is the headline share",
    )
    top_fraction: float = Field(
        0.1, gt=0, le=1, description="fraction of countries in `top_decile`"
    )
    stage1: Literal["quotient", "within_only", "cross_only"] = Field(
        "quotient",
        description="stage-1 game of two_stage: quotient (v of the union, docs/methods.md A6), "
        "within_only (links inside each alliance only) or cross_only (links between alliances)",
    )

    @field_validator("methods")
    @classmethod
    def _nonempty(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("list at least one of two_stage, shapley, owen")
        if len(set(v)) != len(v):
            raise ValueError(f"{v} lists a method twice")
        return v


class OutputConfig(StudyConfig):
    """What is written besides the tables."""

    figures: bool = Field(True, description="static figures (PNG + SVG)")
    report: bool = Field(True, description="self-contained report.html")
    top_radar: int = Field(10, ge=1, le=30, description="countries shown in the radar figure")
    radar_scale: Literal["share", "indicator"] = Field(
        "share",
        description="radar spokes: share = each indicator's part as a fraction of the country's "
        "share; indicator = each part divided by that indicator's largest part (0-1, docs/methods.md A7)",
    )
    group_min_size: int = Field(
        5,
        ge=1,
        description="per-alliance boxplots and densities: alliances with >= this many members",
    )
    group_max: int = Field(
        8,
        ge=1,
        description="per-alliance boxplots and densities: at most this many (largest first)",
    )


class AlliancesConfig(StudyConfig):
    """Configuration of ``carbonshare run alliances`` (defaults = Zhou et al. 2024).

    ``preset`` names a set of values (:data:`carbonshare.studies.alliances_presets.PRESETS`)
    applied under the fields given explicitly: explicit values win.
    """

    preset: str | None = Field(
        None,
        description="zhou2024 (the paper's text) or zhou2024-closest (closest to the "
        "published numbers, not the paper's text); explicit fields override it",
    )
    years: YearsConfig = Field(default_factory=YearsConfig)
    indicators: dict[str, IndicatorSpec] = Field(
        default_factory=default_indicators,
        description="the indicators by code (this section replaces the whole set: list every "
        "indicator with every field)",
    )
    missing: MissingDataConfig = Field(default_factory=MissingDataConfig)
    countries: CountriesConfig = Field(default_factory=CountriesConfig)
    normalisation: NormalisationConfig = Field(default_factory=NormalisationConfig)
    weights: WeightsConfig = Field(default_factory=WeightsConfig)
    labour_cost: LabourCostConfig = Field(default_factory=LabourCostConfig)
    distances: DistanceConfig = Field(default_factory=DistanceConfig)
    linkage: LinkageConfig = Field(default_factory=LinkageConfig)
    alliances: AllianceMethodConfig = Field(default_factory=AllianceMethodConfig)
    allocation: AllocationConfig = Field(default_factory=AllocationConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    uncertainty: UncertaintyConfig = Field(default_factory=UncertaintyConfig)

    @model_validator(mode="before")
    @classmethod
    def _apply_preset(cls, data):
        from carbonshare.studies.alliances_presets import apply_preset

        return apply_preset(data)

    @field_validator("indicators")
    @classmethod
    def _grid(cls, v: dict[str, IndicatorSpec]) -> dict[str, IndicatorSpec]:
        for axis, names in (("dimension", ("Sc", "Ec", "Ev")), ("principle", ("Eq", "Ef", "El"))):
            present = {getattr(s, axis) for s in v.values()}
            missing = [n for n in names if n not in present]
            if missing:
                raise ValueError(
                    f"no indicator has {axis} {', '.join(missing)}; every {axis} needs at least "
                    "one indicator (the gravity model multiplies Sc, Ec and Ev)"
                )
        bad = [k for k in v if not (k and k.replace("_", "").isalnum())]
        if bad:
            raise ValueError(f"indicator codes {bad} must be letters, digits or _ (e.g. POP)")
        return v

    @model_validator(mode="after")
    def _given_keys(self) -> AlliancesConfig:
        if self.weights.method == "given" and self.weights.given is not None:
            keys, want = set(self.weights.given), set(self.indicators)
            if keys != want:
                raise ValueError(
                    f"weights.given has keys {sorted(keys)} but the indicators are "
                    f"{sorted(want)}; give one weight per indicator code"
                )
        return self
