"""Typed configuration of the blue-carbon study (docs/methods.md part B).

The defaults follow the paper where it is specific and docs/methods.md B5-B7 where it
is vague: 16 of its 18 indicators from the bundled data (finance and MPA
management effectiveness have no data here), "fill with nearby years",
2.5/97.5 percentile bounds over all country-years, handbook PCA weights,
Rate = b0 + b1 ln(DC) + (1 | nation) by maximum likelihood, Holt's linear
trend to 2030, GC = q 0.5 and GDC = q 0.9, SCRB first among the
individually rational rules, Ricke et al. (2018) reference-case CSCC.
``carbonshare run bluecarbon --print-config`` prints them; a user with the
paper's full 18-indicator panel lists those indicators under ``indicators``
and passes the panel (``data.panel``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from carbonshare.studies.alliances_config import CountriesConfig
from carbonshare.studies.common import StudyConfig

__all__ = [
    "BlueCarbonConfig",
    "BlueIndicatorSpec",
    "DERIVED_SEQUESTRATION",
    "SUBSYSTEMS",
    "default_indicators",
]

Subsystem = Literal["driving_force", "resource_endowment", "development_capacity"]
SUBSYSTEMS: tuple[str, ...] = ("driving_force", "resource_endowment", "development_capacity")
"""The three subsystems of B1, in the order of the tables."""

SUBSYSTEM_LABELS = {
    "driving_force": "Driving force",
    "resource_endowment": "Resource endowment",
    "development_capacity": "Development capacity",
}

DERIVED_SEQUESTRATION = "carbon_sequestration_tco2"
"""Column computed by the study as areas x burial rates (t CO2 per year) unless the panel has it."""


class BlueIndicatorSpec(StudyConfig):
    """One indicator of the index (docs/methods.md B1).

    The value of country i in year t is ``column[i, t]`` (divided by
    ``per[i, t]`` when set) times ``scale``.
    """

    name: str = Field(description="long name shown in tables and figures")
    column: str = Field(description="panel column")
    per: str | None = Field(None, description="panel column of a denominator (same year)")
    scale: float = Field(1.0, gt=0, description="unit conversion factor")
    unit: str = Field(description="unit after scaling")
    subsystem: Subsystem = Field(description="driving_force, resource_endowment or "
                                 "development_capacity")  # fmt: skip
    direction: Literal["positive", "negative"] = Field(
        "positive", description="negative: larger is worse for blue carbon"
    )
    absent: Literal["exclude", "zero"] = Field(
        "exclude",
        description="a country with no value in any year: exclude it, or 0 (areas: no such "
        "ecosystem); each case is recorded",
    )
    note: str = Field("", description="data caveat shown in the report")
    optional: bool = Field(
        False,
        description="if the panel lacks the column, leave the indicator out (recorded) "
        "instead of stopping",
    )


def default_indicators() -> dict[str, BlueIndicatorSpec]:
    """The 16 indicators of B1 that the bundled data provide, keyed by short codes."""
    s = BlueIndicatorSpec
    df, re, dc = "driving_force", "resource_endowment", "development_capacity"
    return {
        "CO2": s(name="CO2 emissions", column="co2_t", scale=1e-6, unit="Mt CO2",
                 subsystem=df, direction="negative"),
        "POPD": s(name="Population density", column="population_density",
                  unit="people per km2", subsystem=df, direction="negative"),
        "GDP": s(name="GDP", column="gdp_usd", scale=1e-9, unit="billion current US$",
                 subsystem=df),
        "GDPPC": s(name="GDP per capita", column="gdp_usd", per="population",
                   unit="current US$ per person", subsystem=df),
        "RENEW": s(name="Clean-energy share", column="renewables_pct",
                   unit="% of final energy consumption", subsystem=df, optional=True,
                   note="WDI EG.FEC.RNEW.ZS; left out (recorded) when the panel lacks it"),
        "CRI": s(name="Climate risk (Germanwatch CRI score)", column="climate_risk_index",
                 unit="CRI score (larger = less affected)", subsystem=df,
                 note="CRI editions 2017 and 2020 only: the other years are filled from the "
                 "nearest edition. The score is larger for less affected countries, so it "
                 "enters positively (= climate risk as a negative indicator)."),
        "MANG": s(name="Mangrove area", column="mangrove_km2", unit="km2", subsystem=re,
                  absent="zero", note="GMW v3 epochs, interpolated between epochs at build"),
        "SALT": s(name="Salt-marsh area", column="saltmarsh_km2", unit="km2", subsystem=re,
                  absent="zero", note="static: one OHI habitat year for every year"),
        "SEAG": s(name="Seagrass area", column="seagrass_km2", unit="km2", subsystem=re,
                  absent="zero", note="static: one OHI habitat year for every year"),
        "OHI": s(name="Ecosystem health (Ocean Health Index)", column="ocean_health_index",
                 unit="index 0-100", subsystem=re,
                 note="OHI starts in 2012: 1996-2011 take the nearest year (2012)"),
        "SEQ": s(name="Carbon sequestration", column=DERIVED_SEQUESTRATION, scale=1e-3,
                 unit="kt CO2 per year", subsystem=re, absent="zero",
                 note="areas x burial rates (docs/methods.md B5)"),
        "GOV": s(name="Governance (Corruption Perceptions Index)", column="cpi_0_100",
                 unit="CPI 0-100", subsystem=dc),
        "SCI": s(name="Science capacity (environmental-science documents)",
                 column="env_science_documents", unit="documents", subsystem=dc,
                 absent="zero",
                 note="SCImago 1996-2016: 2017-2019 take 2016; a country absent from "
                 "SCImago has 0 documents"),
        "MPA": s(name="Marine protected areas", column="mpa_eez_pct", unit="% of EEZ",
                 subsystem=dc, note="OHI/WDPA 1996-2017 spliced with WDI"),
        "AGR": s(name="Climate agreements", column="climate_agreements_score",
                 unit="score 0-3", subsystem=dc, absent="zero",
                 note="UNFCCC, Doha amendment, Paris in force; Kyoto's own dates not in the files"),
        "CMK": s(name="Carbon-market status", column="carbon_market_score", unit="score 0-2",
                 subsystem=dc, absent="zero", note="ETS / carbon tax in force (World Bank)"),
    }  # fmt: skip


class DataConfig(CountriesConfig):
    """Where the data come from and which countries enter (``only`` / ``exclude`` as ISO3)."""

    panel: str | None = Field(
        None,
        description="CSV or Parquet with iso3, year and every indicator column (null: the "
        "bundled panel joined with carbonshare.data.blue)",
    )


class YearsConfig(StudyConfig):
    """Historical window and forecast horizon."""

    first: int = Field(1996, description="first year of the index")
    last: int = Field(2019, description="last observed year = base year of the scenarios")
    horizon: int = Field(2030, description="last forecast year")

    @model_validator(mode="after")
    def _order(self) -> YearsConfig:
        if not self.first + 4 <= self.last < self.horizon:
            raise ValueError(
                f"need first + 4 <= last < horizon, got {self.first}, {self.last}, {self.horizon}"
            )
        return self


class FillConfig(StudyConfig):
    """Missing years: filled from the same country's nearby years (every fill recorded)."""

    rule: Literal["nearest", "linear"] = Field(
        "nearest", description="nearest: the paper's 'nearby years'; linear: interpolate inside"
    )


class WeightsConfig(StudyConfig):
    """Indicator weights (docs/methods.md B3)."""

    method: Literal["pca", "pc1", "entropy", "equal", "given"] = Field(
        "pca", description="pca (handbook: eigenvalue > 1, varimax), pc1, entropy, equal, given"
    )
    min_eigenvalue: float = Field(1.0, gt=0, description="components kept by method=pca")
    given: dict[str, float] | None = Field(None, description="weights per code for method=given")
    bounds: tuple[float, float] = Field((2.5, 97.5), description="normalisation percentiles (B2)")

    @field_validator("bounds")
    @classmethod
    def _bounds(cls, v: tuple[float, float]) -> tuple[float, float]:
        if not 0 <= v[0] < v[1] <= 100:
            raise ValueError(f"{list(v)} must satisfy 0 <= low < high <= 100")
        return v


class AnalysisConfig(StudyConfig):
    """Trends, regions and groups (docs/methods.md B4)."""

    region_column: str = Field("sdg_region", description="country-table column of the regions")
    region_merge: dict[str, str] = Field(
        {"Australia and New Zealand": "Oceania",
         "Oceania (exc. Australia and New Zealand)": "Oceania"},
        description="region renames: the paper's seven groups join the two Oceania groups",
    )  # fmt: skip
    group_column: str = Field("developed", description="country-table column: developed or not")
    top_n: int = Field(10, ge=1, description="countries in the top / most-improved tables")
    map_years: list[int] = Field([1996, 2004, 2012, 2019], description="years of the BCDI maps")


class RateModelConfig(StudyConfig):
    """Mixed model of area growth on development capacity (docs/methods.md B4)."""

    candidates: list[Literal["log", "linear", "log_slope", "intercept"]] = Field(
        ["log", "linear", "log_slope", "intercept"], description="models compared by AIC"
    )
    select: Literal["first", "aic"] = Field(
        "first", description="first: the first candidate (the paper's); aic: smallest AIC"
    )
    horizon: int = Field(4, ge=1, description="growth horizon in years (Rate over t..t+h)")
    dc_floor: float = Field(1.0, gt=0, description="DC below this (points) is raised before ln")
    random_effects: bool = Field(True, description="add each nation's predicted intercept")


class SequestrationConfig(StudyConfig):
    """Areas x burial rates (docs/methods.md B5); rates default to Mcleod et al. (2011)."""

    areas: dict[str, str] = Field(
        {"mangrove": "mangrove_km2", "saltmarsh": "saltmarsh_km2", "seagrass": "seagrass_km2"},
        description="ecosystem -> area column (km2)",
    )
    rates: dict[str, tuple[float, float]] | None = Field(
        None,
        description="ecosystem -> [rate, s.e.] in g C m-2 yr-1 (null: "
        "carbonshare.data.blue.load_burial_rates())",
    )


class ScenarioConfig(StudyConfig):
    """Business as usual and cooperation (docs/methods.md B5)."""

    intensities: dict[str, float] = Field(
        {"GC": 0.5, "GDC": 0.9}, description="scenario -> q; the last one is the headline"
    )
    q_step: float = Field(0.05, gt=0, le=0.5, description="step of the cost-benefit q grid")
    interval_alpha: float = Field(0.05, gt=0, lt=1, description="1 - coverage of Holt intervals")

    @field_validator("intensities")
    @classmethod
    def _q(cls, v: dict[str, float]) -> dict[str, float]:
        if not v:
            raise ValueError("give at least one scenario, e.g. {GC: 0.5, GDC: 0.9}")
        bad = {k: q for k, q in v.items() if not 0 <= q <= 1}
        if bad:
            raise ValueError(f"intensities {bad} are outside [0, 1]")
        return v


class SharingConfig(StudyConfig):
    """Allocation of the gains (docs/methods.md B6) and their value (B7)."""

    rules: list[Literal["scrb", "esd", "eanc"]] = Field(
        ["scrb", "esd", "eanc"], description="rules, in order of preference for the chosen one"
    )
    shapley_samples: int = Field(500, ge=0, description="permutations of sampled Shapley (0: none)")
    seed: int = Field(0, description="seed of Shapley sampling and the Monte Carlo")
    cscc_case: str | None = Field(None, description="Ricke et al. case (null: B7 reference)")


class UncertaintyConfig(StudyConfig):
    """Monte Carlo of the headline numbers (burial-rate s.e., Holt intervals)."""

    draws: int = Field(200, ge=0, description="draws (0: skip)")
    workers: int = Field(1, ge=1, description="local processes running the draws")
    scheduler: str | None = Field(
        None, description="address of a running Dask scheduler (tcp://HOST:PORT) to run them"
    )


class OutputConfig(StudyConfig):
    """What is written besides the tables."""

    figures: bool = Field(True, description="static figures (PNG + SVG)")
    report: bool = Field(True, description="self-contained report.html")


class BlueCarbonConfig(StudyConfig):
    """Configuration of ``carbonshare run bluecarbon`` (defaults: the paper, docs/methods.md B5-B7)."""

    data: DataConfig = Field(default_factory=DataConfig)
    years: YearsConfig = Field(default_factory=YearsConfig)
    indicators: dict[str, BlueIndicatorSpec] = Field(
        default_factory=default_indicators,
        description="the indicators by code (this section replaces the whole set)",
    )
    missing: FillConfig = Field(default_factory=FillConfig)
    weights: WeightsConfig = Field(default_factory=WeightsConfig)
    analysis: AnalysisConfig = Field(default_factory=AnalysisConfig)
    rate_model: RateModelConfig = Field(default_factory=RateModelConfig)
    sequestration: SequestrationConfig = Field(default_factory=SequestrationConfig)
    scenarios: ScenarioConfig = Field(default_factory=ScenarioConfig)
    sharing: SharingConfig = Field(default_factory=SharingConfig)
    uncertainty: UncertaintyConfig = Field(default_factory=UncertaintyConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)

    @field_validator("indicators")
    @classmethod
    def _subsystems(cls, v: dict[str, BlueIndicatorSpec]) -> dict[str, BlueIndicatorSpec]:
        present = {s.subsystem for s in v.values()}
        missing = [k for k in SUBSYSTEMS if k not in present]
        if missing:
            raise ValueError(f"no indicator in subsystem(s) {missing}; each needs at least one")
        bad = [k for k in v if not (k and k.replace("_", "").isalnum())]
        if bad:
            raise ValueError(f"indicator codes {bad} must be letters, digits or _")
        return v

    @model_validator(mode="after")
    def _given(self) -> BlueCarbonConfig:
        if self.weights.method == "given":
            keys = set(self.weights.given or {})
            if keys != set(self.indicators):
                raise ValueError(
                    f"weights.given has keys {sorted(keys)} but the indicators are "
                    f"{sorted(self.indicators)}; give one weight per indicator code"
                )
        return self
