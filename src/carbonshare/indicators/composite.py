"""Composite scores: dimension (Sc, Ec, Ev), principle (Eq, Ef, El), ACI, subsystems.

All scores are weighted sums of normalised indicators, s_i = sum_{j in G}
w_j V_ij, over a group G of indicators given by a *grid* (indicator ->
dimension, principle) or a *grouping* (indicator -> subsystem).
"""

from __future__ import annotations

import pandas as pd

from carbonshare.errors import DataError
from carbonshare.indicators._checks import _first, check_matrix

__all__ = [
    "ALLIANCE_GRID",
    "DIMENSIONS",
    "PRINCIPLES",
    "aci",
    "alliance_grid",
    "composite_score",
    "dimension_scores",
    "indicator_contributions",
    "principle_scores",
    "subsystem_scores",
    "subsystem_weights",
]

DIMENSIONS = ("Sc", "Ec", "Ev")
"""Dimensions of docs/methods.md A1: society, economy, environment."""

PRINCIPLES = ("Eq", "Ef", "El")
"""Principles of docs/methods.md A1: equity, efficiency, ecology."""

_GRID_ROWS = [
    # code, symbol, dimension, principle, label, unit
    ("POP", "x1", "Sc", "Eq", "Population", "persons (cumulative 1990-2020)"),
    ("GDP", "x2", "Ec", "Eq", "GDP", "current US$"),
    ("COE", "x3", "Ev", "Eq", "CO2 emissions", "t CO2 (cumulative 1990-2020)"),
    ("URB", "x4", "Sc", "Ef", "Urban population", "% of total population"),
    ("COP", "x5", "Ec", "Ef", "Carbon productivity", "US$ per t CO2"),
    ("CFT", "x6", "Ev", "Ef", "Access to clean cooking fuels and technologies", "% of population"),
    ("SRV", "x7", "Sc", "El", "Employment in services", "% of total employment"),
    ("FRT", "x8", "Ec", "El", "Forest rents", "% of GDP"),
    ("FAR", "x9", "Ev", "El", "Forest area", "km2"),
]

ALLIANCE_GRID = pd.DataFrame(
    [r[1:] for r in _GRID_ROWS],
    index=pd.Index([r[0] for r in _GRID_ROWS], name="indicator"),
    columns=["symbol", "dimension", "principle", "label", "unit"],
)
"""The 3 x 3 indicator grid of Zhou et al. (2024), Table 1 (docs/methods.md A1).

Index: the paper's indicator codes (POP, GDP, COE, URB, COP, CFT, SRV, FRT,
FAR); columns ``symbol`` (x1-x9), ``dimension`` (Sc/Ec/Ev), ``principle``
(Eq/Ef/El), ``label`` and ``unit``. Use :func:`alliance_grid` to index it by
your own column names.
"""


def alliance_grid(names: dict[str, str] | None = None) -> pd.DataFrame:
    """The docs/methods.md A1 grid, optionally re-indexed by your indicator names.

    Parameters
    ----------
    names : dict, optional
        Paper code (e.g. ``"POP"``) -> the column name used in your matrix
        (e.g. ``"population"``). Every one of the nine codes must be mapped.

    Returns
    -------
    DataFrame
        A copy of :data:`ALLIANCE_GRID`, index renamed.

    Raises
    ------
    DataError
        If a code is unknown or missing, or two codes map to one name.

    Examples
    --------
    >>> alliance_grid().loc["CFT", ["dimension", "principle"]].tolist()
    ['Ev', 'Ef']
    """
    grid = ALLIANCE_GRID.copy()
    if names is None:
        return grid
    unknown = [k for k in names if k not in grid.index]
    missing = [k for k in grid.index if k not in names]
    if unknown or missing:
        raise DataError(
            f"alliance_grid names: unknown code(s) {_first(unknown) or 'none'}, missing "
            f"code(s) {_first(missing) or 'none'}; map each of {', '.join(grid.index)}"
        )
    if len(set(names.values())) != len(names):
        raise DataError("alliance_grid names map two codes to the same column name")
    return grid.rename(index=names)


def _aligned(V: pd.DataFrame, w: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    V = check_matrix(V, min_rows=1, nan_hint=False)
    if not isinstance(w, pd.Series):
        raise DataError(
            f"weights must be a pandas Series indexed by indicator, got {type(w).__name__}"
        )
    missing = [c for c in V.columns if c not in w.index]
    extra = [c for c in w.index if c not in V.columns]
    if missing or extra:
        raise DataError(
            f"weights and indicator columns differ: no weight for {_first(missing) or 'none'}; "
            f"weight without column for {_first(extra) or 'none'}"
        )
    return V, w.reindex(V.columns).astype("float64")


def _grouped(V: pd.DataFrame, w: pd.Series, groups: pd.Series, order) -> pd.DataFrame:
    V, w = _aligned(V, w)
    missing = [c for c in V.columns if c not in groups.index]
    extra = [c for c in groups.index if c not in V.columns]
    if missing or extra:
        raise DataError(
            f"indicators and grid/grouping differ: not in the grid {_first(missing) or 'none'}; "
            f"in the grid but not in the matrix {_first(extra) or 'none'} (rename the grid "
            f"with alliance_grid(names) or pass a grid for your indicators)"
        )
    groups = groups.reindex(V.columns)
    labels = list(order) if order is not None else list(dict.fromkeys(groups))
    contrib = V * w
    out = {g: contrib.loc[:, (groups == g).to_numpy()].sum(axis=1) for g in labels}
    return pd.DataFrame(out, index=V.index)


def indicator_contributions(V: pd.DataFrame, w: pd.Series) -> pd.DataFrame:
    """Per-indicator contributions w_j V_ij (same labels as ``V``).

    Their row sums are the ACI (Eq. 9); by linearity they split any score
    that is linear in the ACI into nine indicator parts (docs/methods.md A7).

    Examples
    --------
    >>> V = pd.DataFrame({"a": [0.0, 1.0], "b": [1.0, 0.5]}, index=["X", "Y"])
    >>> indicator_contributions(V, pd.Series({"a": 0.4, "b": 0.6}))
         a    b
    X  0.0  0.6
    Y  0.4  0.3
    """
    V, w = _aligned(V, w)
    return V * w


def dimension_scores(
    V: pd.DataFrame, w: pd.Series, grid: pd.DataFrame = ALLIANCE_GRID
) -> pd.DataFrame:
    """Dimension scores Sc, Ec, Ev (docs/methods.md A3).

    Sc_i = sum_{j in Sc} w_j V_ij, likewise Ec_i and Ev_i; rows of the grid.

    Parameters
    ----------
    V : DataFrame
        Entities x indicators, normalised (e.g. :func:`minmax`).
    w : Series
        Indicator weights (e.g. :func:`entropy_weights`).
    grid : DataFrame, default :data:`ALLIANCE_GRID`
        Index = indicator names as in ``V``; column ``dimension``.

    Returns
    -------
    DataFrame
        Columns ``Sc``, ``Ec``, ``Ev`` (dimensionless, sum = ACI).

    Raises
    ------
    DataError
        If ``V``, ``w`` and ``grid`` do not name the same indicators.

    Examples
    --------
    >>> V = pd.DataFrame(1.0, index=["AAA"], columns=ALLIANCE_GRID.index)
    >>> w = pd.Series(1 / 9, index=ALLIANCE_GRID.index)
    >>> dimension_scores(V, w).round(4)
             Sc      Ec      Ev
    AAA  0.3333  0.3333  0.3333
    """
    return _grouped(V, w, grid["dimension"], DIMENSIONS)


def principle_scores(
    V: pd.DataFrame, w: pd.Series, grid: pd.DataFrame = ALLIANCE_GRID
) -> pd.DataFrame:
    """Principle scores Eq, Ef, El (docs/methods.md A3): columns of the grid.

    Eq_i = sum_{j in Eq} w_j V_ij, likewise Ef_i and El_i; see
    :func:`dimension_scores` for the parameters.

    Returns
    -------
    DataFrame
        Columns ``Eq``, ``Ef``, ``El`` (their sum is the ACI, Eq. 9).

    Examples
    --------
    >>> V = pd.DataFrame(0.5, index=["AAA"], columns=ALLIANCE_GRID.index)
    >>> w = pd.Series(1 / 9, index=ALLIANCE_GRID.index)
    >>> principle_scores(V, w).sum(axis=1).round(6).tolist()
    [0.5]
    """
    return _grouped(V, w, grid["principle"], PRINCIPLES)


def composite_score(V: pd.DataFrame, w: pd.Series, name: str = "score") -> pd.Series:
    """Weighted sum s_i = sum_j w_j V_ij over all indicators.

    Examples
    --------
    >>> V = pd.DataFrame({"a": [0.0, 1.0], "b": [1.0, 1.0]}, index=["X", "Y"])
    >>> composite_score(V, pd.Series({"a": 0.5, "b": 0.5})).tolist()
    [0.5, 1.0]
    """
    V, w = _aligned(V, w)
    return (V * w).sum(axis=1).rename(name)


def aci(V: pd.DataFrame, w: pd.Series) -> pd.Series:
    """Abatement Capacity Index ACI_i = Eq_i + Ef_i + El_i = sum_j w_j V_ij (Eq. 9).

    Parameters
    ----------
    V : DataFrame
        Entities x indicators, normalised.
    w : Series
        Indicator weights.

    Returns
    -------
    Series
        Name ``"ACI"``, dimensionless; in [0, 1] when V is min-max
        normalised and the weights sum to 1.

    Examples
    --------
    >>> V = pd.DataFrame({"a": [0.0, 1.0], "b": [0.5, 1.0]}, index=["X", "Y"])
    >>> aci(V, pd.Series({"a": 0.2, "b": 0.8})).tolist()
    [0.4, 1.0]

    References
    ----------
    Zhou, Xiang, Zhu & Wang (2024), iScience 27, 109412, Eq. 9.
    """
    return composite_score(V, w, "ACI")


def subsystem_weights(w: pd.Series, groups: pd.Series) -> pd.Series:
    """Subsystem weights w_k = sum_{j in k} w_j (docs/methods.md B3).

    Examples
    --------
    >>> w = pd.Series({"a": 0.2, "b": 0.3, "c": 0.5})
    >>> subsystem_weights(w, pd.Series({"a": "D", "b": "D", "c": "R"})).tolist()
    [0.5, 0.5]
    """
    missing = [j for j in w.index if j not in groups.index]
    if missing:
        raise DataError(f"indicator(s) {_first(missing)} have no subsystem in the grouping")
    return w.groupby(groups.reindex(w.index), sort=False).sum().rename("weight")


def subsystem_scores(Y: pd.DataFrame, w: pd.Series, groups: pd.Series) -> pd.DataFrame:
    """Subsystem scores I_k = (1 / w_k) sum_{j in k} w_j y_ij (docs/methods.md B3).

    The overall index is sum_k w_k I_k = sum_j w_j y_ij (e.g. the BCDI, on
    the 0-100 scale of :func:`percentile_bounded`); compute it with
    :func:`composite_score` or ``(I * subsystem_weights(w, groups)).sum(axis=1)``.

    Parameters
    ----------
    Y : DataFrame
        Entities (or country-years) x indicators, normalised.
    w : Series
        Indicator weights.
    groups : Series
        Indicator -> subsystem label; columns follow first appearance.

    Returns
    -------
    DataFrame
        One column per subsystem, on the scale of ``Y``.

    Raises
    ------
    DataError
        If a subsystem's weights sum to zero or labels do not match.

    Examples
    --------
    >>> Y = pd.DataFrame({"a": [100.0], "b": [0.0], "c": [50.0]})
    >>> w = pd.Series({"a": 0.25, "b": 0.25, "c": 0.5})
    >>> subsystem_scores(Y, w, pd.Series({"a": "D", "b": "D", "c": "R"}))
          D     R
    0  50.0  50.0
    """
    wk = subsystem_weights(w, groups)
    zero = wk.index[~(wk.to_numpy() > 0)]
    if len(zero):
        raise DataError(f"subsystem(s) {_first(zero)} have zero total weight; I_k is undefined")
    parts = _grouped(Y, w, groups, list(wk.index))
    return parts / wk
