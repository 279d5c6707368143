"""Indicators: normalisation, weights and composite scores (docs/methods.md A1-A3, B2-B3).

>>> import pandas as pd
>>> from carbonshare.indicators import minmax, entropy_weights, aci
>>> X = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 4.0, 10.0]}, index=["X", "Y", "Z"])
>>> aci(minmax(X), entropy_weights(X)).round(3).tolist()
[0.0, 0.359, 1.0]
"""

from carbonshare.indicators.composite import (
    ALLIANCE_GRID,
    DIMENSIONS,
    PRINCIPLES,
    aci,
    alliance_grid,
    composite_score,
    dimension_scores,
    indicator_contributions,
    principle_scores,
    subsystem_scores,
    subsystem_weights,
)
from carbonshare.indicators.normalise import (
    PercentileScores,
    minmax,
    normalise,
    percentile_bounded,
    zscore,
)
from carbonshare.indicators.weights import (
    compute_weights,
    critic_weights,
    entropy_table,
    entropy_weights,
    equal_weights,
    given_weights,
    pca_table,
    pca_weights,
)

__all__ = [
    "ALLIANCE_GRID",
    "DIMENSIONS",
    "PRINCIPLES",
    "PercentileScores",
    "aci",
    "alliance_grid",
    "composite_score",
    "compute_weights",
    "critic_weights",
    "dimension_scores",
    "entropy_table",
    "entropy_weights",
    "equal_weights",
    "given_weights",
    "indicator_contributions",
    "minmax",
    "normalise",
    "pca_table",
    "pca_weights",
    "percentile_bounded",
    "principle_scores",
    "subsystem_scores",
    "subsystem_weights",
    "zscore",
]
