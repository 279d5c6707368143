"""Blue Carbon Development Index and cooperation scenarios (docs/methods.md part B).

One module per step: :mod:`~carbonshare.bluecarbon.fill` (nearby-year fills),
:mod:`~carbonshare.bluecarbon.index` (normalisation, PCA weights, subsystem
scores, BCDI; B2-B3), :mod:`~carbonshare.bluecarbon.trends` (trends, regions,
correlation; B4), :mod:`~carbonshare.bluecarbon.rate_model` (mixed model; B4),
:mod:`~carbonshare.bluecarbon.holt` (BAU forecasts; B5),
:mod:`~carbonshare.bluecarbon.sequestration` (areas x burial rates; B5),
:mod:`~carbonshare.bluecarbon.cooperation` (capacity lift at intensity q; B5),
:mod:`~carbonshare.bluecarbon.sharing` (the game and SCRB/ESD/EANC/Shapley; B6),
:mod:`~carbonshare.bluecarbon.valuation` (CSCC values, q-curve; B7),
:mod:`~carbonshare.bluecarbon.uncertainty` (Monte Carlo).

The study that composes them is :mod:`carbonshare.studies.bluecarbon`.
"""

from carbonshare.bluecarbon.cooperation import BlueCarbonScenario, capacity_lift, local_optima
from carbonshare.bluecarbon.fill import (
    FILL_RULES,
    FilledPanel,
    fill_summary,
    fill_years,
    year_runs,
)
from carbonshare.bluecarbon.holt import holt_forecast, holt_forecasts
from carbonshare.bluecarbon.index import BCDI_WEIGHTS, BCDIResult, bcdi, global_scores
from carbonshare.bluecarbon.rate_model import (
    RATE_MODELS,
    RateModelFit,
    area_growth,
    fit_rate_models,
    rate_coefficients,
    rate_fitted,
    rate_frame,
)
from carbonshare.bluecarbon.sequestration import CO2_PER_C, mean_burial_rate, sequestration
from carbonshare.bluecarbon.sharing import (
    SHARING_RULES,
    SharingResult,
    allocation_checks,
    sequestration_game,
    share_gains,
)
from carbonshare.bluecarbon.trends import (
    capacity_endowment_correlation,
    country_changes,
    regional_comparison,
)
from carbonshare.bluecarbon.uncertainty import headline_numbers, monte_carlo, summarise_draws
from carbonshare.bluecarbon.valuation import cooperation_curve, country_cscc, value_gains

__all__ = [
    "BCDI_WEIGHTS",
    "BCDIResult",
    "BlueCarbonScenario",
    "CO2_PER_C",
    "FILL_RULES",
    "FilledPanel",
    "RATE_MODELS",
    "RateModelFit",
    "SHARING_RULES",
    "SharingResult",
    "allocation_checks",
    "area_growth",
    "bcdi",
    "capacity_endowment_correlation",
    "capacity_lift",
    "cooperation_curve",
    "country_changes",
    "country_cscc",
    "fill_summary",
    "fill_years",
    "fit_rate_models",
    "global_scores",
    "headline_numbers",
    "holt_forecast",
    "holt_forecasts",
    "local_optima",
    "mean_burial_rate",
    "monte_carlo",
    "rate_coefficients",
    "rate_fitted",
    "rate_frame",
    "regional_comparison",
    "sequestration",
    "sequestration_game",
    "share_gains",
    "summarise_draws",
    "value_gains",
    "year_runs",
]
