"""What varies in the Monte Carlo of the alliance allocation (issue 11), as a typed config.

Defaults, and why:

- **Data**: multiplicative log-normal noise x_ij * exp(sigma_j z_ij), z ~ N(0, 1), independent
  per country and indicator (the median stays the reported value). sigma_j is the relative
  error of each indicator (:data:`DEFAULT_RELATIVE_ERROR`): 2 % for population, 5 % for GDP,
  forest area and urban share, 10 % for CO2, carbon productivity, clean cooking, services
  employment and the labour cost (modelled or survey-based series), 20 % for forest rents
  (a price x volume estimate). These are order-of-magnitude statements about the sources, not
  estimated errors; change them in the config.
- **Weights**: Dirichlet(kappa w) around each sample's entropy weights w, kappa = 200 (the
  standard deviation of a weight of 0.1 is then about 0.02), or ``bootstrap``: the entropy
  weights of a resample of the countries with replacement, or ``fixed``.
- **Discrete choices**: option -> probability. By default only what the paper leaves open
  varies: the labour-cost series (the paper names no series; the three proxies that cover
  every study country, equally likely). Distance source, normalisation and linkage transform
  stay at the paper's reading unless given.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from carbonshare.studies.common import StudyConfig

__all__ = ["DEFAULT_RELATIVE_ERROR", "UncertaintyConfig"]

DEFAULT_RELATIVE_ERROR: dict[str, float] = {
    "POP": 0.02, "GDP": 0.05, "COE": 0.10, "URB": 0.05, "COP": 0.10, "CFT": 0.10,
    "SRV": 0.10, "FRT": 0.20, "FAR": 0.05, "labour_cost": 0.10,
}  # fmt: skip
"""sigma of log x per indicator code (and the labour cost)."""

CHOICES = ("distance_source", "labour_proxy", "normalisation", "linkage_transform")


class UncertaintyConfig(StudyConfig):
    """Monte Carlo of the alliance allocation: data noise, weights and discrete choices."""

    samples: int = Field(
        1000,
        ge=0,
        description="Monte Carlo samples run with `run alliances` (about 1.5 s for 1,000; "
        "0 turns the Monte Carlo off: `uncertainty.samples: 0` or `run alliances --samples 0`; "
        "`carbonshare uncertainty alliances` takes its own --samples)",
    )
    seed: int = Field(0, ge=0, description="run seed; sample k uses the stream (seed, k)")
    relative_error: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_RELATIVE_ERROR),
        description="sigma of the log-normal noise per indicator code and labour_cost (0: exact)",
    )
    weights: str = Field(
        "dirichlet", description="dirichlet (around entropy weights), bootstrap or fixed"
    )
    concentration: float = Field(200.0, gt=0, description="kappa of the Dirichlet weights")
    choices: dict[str, dict[str, float]] = Field(
        default_factory=lambda: {
            "labour_proxy": {
                "gdp_per_employed": 1 / 3,
                "gni_per_capita_usd": 1 / 3,
                "gdp_per_capita_usd": 1 / 3,
            }
        },
        description="option -> probability for distance_source, labour_proxy, normalisation, "
        "linkage_transform; absent: the study config's choice",
    )
    sensitivity_samples: int = Field(
        0,
        ge=0,
        description="Saltelli base samples N of the Sobol indices (N (groups + 2) extra runs; "
        "0: none; a power of 2, e.g. 64)",
    )
    chunk_size: int = Field(250, ge=1, description="samples per task and per Parquet chunk")

    @field_validator("relative_error")
    @classmethod
    def _sigmas(cls, v: dict[str, float]) -> dict[str, float]:
        bad = {k: s for k, s in v.items() if not (s >= 0)}
        if bad:
            raise ValueError(f"relative errors {bad} must be >= 0")
        return v

    @field_validator("weights")
    @classmethod
    def _weights(cls, v: str) -> str:
        if v not in ("dirichlet", "bootstrap", "fixed"):
            raise ValueError(f"{v!r}: use dirichlet, bootstrap or fixed")
        return v

    @field_validator("choices")
    @classmethod
    def _choices(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for name, options in v.items():
            if name not in CHOICES:
                raise ValueError(f"{name!r} is not a choice; use {', '.join(CHOICES)}")
            if not options or any(not (p >= 0) for p in options.values()):
                raise ValueError(f"{name}: give option: probability pairs with p >= 0")
            total = sum(options.values())
            if abs(total - 1.0) > 1e-6:
                raise ValueError(f"{name}: probabilities sum to {total:g}, not 1")
        return v

    @field_validator("sensitivity_samples")
    @classmethod
    def _pow2(cls, v: int) -> int:
        if v and v & (v - 1):
            raise ValueError(f"{v} is not a power of 2 (Saltelli sampling needs one, e.g. 64)")
        return v
