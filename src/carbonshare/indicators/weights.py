"""Indicator weights: entropy, PCA (handbook or PC1), CRITIC, equal, given.

Every function takes an entities x indicators DataFrame (or, for the
explicit weights, the indicator names) and returns a Series indexed by
indicator, non-negative and summing to 1.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from carbonshare.errors import ConfigError, DataError
from carbonshare.indicators._checks import _first, _names, check_matrix
from carbonshare.indicators.normalise import minmax, zscore

__all__ = [
    "compute_weights",
    "critic_weights",
    "entropy_table",
    "entropy_weights",
    "equal_weights",
    "given_weights",
    "pca_table",
    "pca_weights",
]

log = logging.getLogger(__name__)


def _normalised(X: pd.DataFrame, normalised: bool, directions) -> pd.DataFrame:
    """Min-max normalise raw ``X`` (Eq. 2) or check an already normalised one."""
    if not normalised:
        return minmax(check_matrix(X, nan_hint=False), directions)
    if directions is not None:
        raise ConfigError(
            "directions were given with normalised=True; orient the columns when "
            "normalising, or pass the raw matrix with normalised=False"
        )
    V = check_matrix(X, nan_hint=False)
    negative = V.columns[(V < 0).any()]
    if len(negative):
        raise DataError(
            f"normalised column(s) {_names(negative)} hold negative values; entropy and "
            f"CRITIC weights need non-negative normalised data (use minmax or percentile)"
        )
    return V


def entropy_table(X: pd.DataFrame, *, normalised: bool = False, directions=None) -> pd.DataFrame:
    """Entropy E_j, divergence g_j = 1 - E_j and weight w_j of each indicator.

    Zhou et al. (2024), Eq. 1-7, for n entities and m indicators:

    - V_ij = (x_ij - min_j) / (max_j - min_j)            (Eq. 2, if not normalised)
    - p_ij = V_ij / sum_i V_ij                            (Eq. 3)
    - E_j = -(1 / ln n) sum_i p_ij ln p_ij, 0 ln 0 = 0    (Eq. 4)
    - g_j = 1 - E_j,  w_j = g_j / sum_k g_k               (Eq. 5-6)

    E_j lies in [0, 1]: 1 when the shares are equal (the indicator does not
    discriminate, weight 0), smaller when the indicator is concentrated.

    Parameters
    ----------
    X : DataFrame
        Entities x indicators. Raw values (``normalised=False``, the default:
        min-max normalised first with ``directions``) or an already
        normalised, non-negative matrix (``normalised=True``, used as V).
    normalised : bool, default False
        Whether ``X`` is already the normalised matrix V.
    directions : None, "+", "-", mapping or Series, optional
        Direction per column for the min-max step (raw input only).

    Returns
    -------
    DataFrame
        Index = indicators; columns ``entropy``, ``divergence``, ``weight``.

    Raises
    ------
    DataError
        If a column is constant (raw input), sums to zero (normalised input),
        holds NaN or negative values, or every indicator has entropy 1.
    """
    V = _normalised(X, normalised, directions)
    n = V.shape[0]
    totals = V.sum()
    zero = totals.index[~(totals.to_numpy() > 0)]
    if len(zero):
        raise DataError(
            f"normalised column(s) {_names(zero)} are all zero; their shares p_ij are "
            f"undefined (drop the indicator)"
        )
    p = V.to_numpy() / totals.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    E = -plogp.sum(axis=0) / math.log(n)
    g = 1.0 - E
    if not (g.sum() > 0):
        raise DataError(
            "every indicator has entropy 1 (equal shares for all entities), so entropy "
            "weights are undefined; use equal or given weights"
        )
    g = np.clip(g, 0.0, None)  # E_j <= 1 up to rounding
    return pd.DataFrame({"entropy": E, "divergence": g, "weight": g / g.sum()}, index=V.columns)


def entropy_weights(X: pd.DataFrame, *, normalised: bool = False, directions=None) -> pd.Series:
    """Entropy weights of the indicators in the columns of ``X`` (Eq. 1-7).

    See :func:`entropy_table` for the equations; this returns its ``weight``
    column.

    Parameters
    ----------
    X : DataFrame
        Entities x indicators, raw (default) or already normalised.
    normalised : bool, default False
        True if ``X`` is already the normalised matrix V (values >= 0).
    directions : None, "+", "-", mapping or Series, optional
        Direction per column for the min-max step (raw input only).

    Returns
    -------
    Series
        Indexed by indicator, non-negative, summing to 1 (name ``"weight"``).

    Raises
    ------
    DataError
        If a column is constant, holds NaN, or all entropies are 1.

    Examples
    --------
    >>> X = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 4.0, 10.0]})
    >>> entropy_weights(X).round(4)
    a    0.4358
    b    0.5642
    Name: weight, dtype: float64

    References
    ----------
    Zhou, Xiang, Zhu & Wang (2024), iScience 27, 109412, Eq. 1-7;
    Shannon (1948), Bell Syst. Tech. J. 27, 379-423.
    """
    return entropy_table(X, normalised=normalised, directions=directions)["weight"]


def pca_table(
    X: pd.DataFrame,
    method: str = "handbook",
    *,
    min_eigenvalue: float = 1.0,
    n_factors: int | None = None,
    kaiser_normalise: bool = True,
    directions=None,
) -> pd.DataFrame:
    """Loadings and weights of the PCA weighting (docs/methods.md B3), as a table.

    Handbook procedure (OECD/JRC 2008, section 6.1):

    1. Standardise the indicators (z-scores) and take the eigen-decomposition
       of their correlation matrix R = Q diag(lambda) Q'.
    2. Keep the components with eigenvalue lambda_k > ``min_eigenvalue``
       (Kaiser criterion, 1); loadings A = Q_k sqrt(lambda_k).
    3. Varimax-rotate A (``statsmodels`` ``rotate_factors``; with Kaiser
       row normalisation by default, as in SPSS and R ``varimax``).
    4. Squared rotated loadings a_jk^2 scaled to unity per factor:
       s_jk = a_jk^2 / sum_j a_jk^2. The factor's explained variance is
       EV_k = sum_j a_jk^2 and its share is EV_k / sum_l EV_l.
    5. Indicator j takes its largest s_jk (factor k*(j)) times that factor's
       share; the results are normalised to sum 1.

    ``method="pc1"``: w_j = |q_j1| / sum_k |q_k1| from the first principal
    component (no rotation).

    Parameters
    ----------
    X : DataFrame
        Entities x indicators (raw; standardised here).
    method : {"handbook", "pc1"}
    min_eigenvalue : float, default 1.0
        Components with a larger eigenvalue are kept ("handbook" only).
    n_factors : int, optional
        Keep exactly this many components instead (the handbook's own TAI
        example keeps 4 by its other criteria: each factor explains > 10% of
        the variance and together > 60%).
    kaiser_normalise : bool, default True
        Row-normalise the loadings by the communalities before varimax and
        undo it after.
    directions : None, "+", "-", mapping or Series, optional
        Direction per column (sign flips do not change the weights but are
        accepted for a uniform calling convention).

    Returns
    -------
    DataFrame
        Index = indicators; columns ``loading_<k>`` (rotated loadings),
        ``factor`` (k*), ``scaled_sq_loading``, ``factor_share`` and
        ``weight`` for "handbook"; ``loading_1`` and ``weight`` for "pc1".
        ``attrs["eigenvalues"]`` holds all eigenvalues (descending).

    Raises
    ------
    DataError
        If the matrix is invalid or no eigenvalue exceeds ``min_eigenvalue``.
    ConfigError
        If ``method`` is unknown.
    """
    if method not in ("handbook", "pc1"):
        raise ConfigError(f"PCA weight method {method!r} is unknown; use 'handbook' or 'pc1'")
    Z = zscore(check_matrix(X, nan_hint=False), directions)
    if Z.shape[0] <= Z.shape[1]:
        log.warning(
            "pca_weights: %d entities for %d indicators; the correlation matrix is singular",
            Z.shape[0],
            Z.shape[1],
        )
    R = np.corrcoef(Z.to_numpy(), rowvar=False)
    eigval, eigvec = np.linalg.eigh(R)
    order = np.argsort(eigval)[::-1]
    eigval, eigvec = eigval[order], eigvec[:, order]
    cols = Z.columns
    if method == "pc1":
        q = np.abs(eigvec[:, 0])
        out = pd.DataFrame(
            {"loading_1": eigvec[:, 0] * math.sqrt(eigval[0]), "weight": q / q.sum()}, index=cols
        )
        out.attrs["eigenvalues"] = eigval.tolist()
        return out
    if n_factors is not None:
        if not (1 <= int(n_factors) <= len(cols)):
            raise ConfigError(
                f"n_factors={n_factors!r} must be between 1 and the number of indicators "
                f"({len(cols)})"
            )
        keep = np.arange(len(cols)) < int(n_factors)
    else:
        keep = eigval > min_eigenvalue
    if not keep.any():
        raise DataError(
            f"no principal component has eigenvalue > {min_eigenvalue} (largest "
            f"{eigval[0]:.3g}); the indicators are uncorrelated - lower min_eigenvalue, "
            f"or use method='pc1' or entropy weights"
        )
    A = eigvec[:, keep] * np.sqrt(eigval[keep])
    if A.shape[1] > 1:
        from statsmodels.multivariate.factor_rotation import rotate_factors

        h = np.sqrt((A**2).sum(axis=1, keepdims=True)) if kaiser_normalise else np.ones((1, 1))
        h = np.where(h > 0, h, 1.0)  # an indicator with zero communality stays zero
        rotated, _ = rotate_factors(A / h, "varimax")
        A = rotated * h
    sq = A**2
    explained = sq.sum(axis=0)
    scaled = sq / explained
    share = explained / explained.sum()
    factor = scaled.argmax(axis=1)
    raw = scaled[np.arange(len(cols)), factor] * share[factor]
    out = pd.DataFrame(A, index=cols, columns=[f"loading_{k + 1}" for k in range(A.shape[1])])
    out["factor"] = factor + 1
    out["scaled_sq_loading"] = scaled[np.arange(len(cols)), factor]
    out["factor_share"] = share[factor]
    out["weight"] = raw / raw.sum()
    out.attrs["eigenvalues"] = eigval.tolist()
    return out


def pca_weights(
    X: pd.DataFrame,
    method: str = "handbook",
    *,
    min_eigenvalue: float = 1.0,
    n_factors: int | None = None,
    kaiser_normalise: bool = True,
    directions=None,
) -> pd.Series:
    """PCA weights of the indicators (docs/methods.md B3; OECD/JRC Handbook 2008).

    See :func:`pca_table` for the procedure and parameters; this returns the
    ``weight`` column.

    Returns
    -------
    Series
        Indexed by indicator, non-negative, summing to 1 (name ``"weight"``).

    Examples
    --------
    Two blocks of correlated indicators, uncorrelated across blocks: each
    block forms one rotated factor.

    >>> X = pd.DataFrame({"a1": [1.0, 2, 3, 4, 5, 6], "a2": [1.2, 1.9, 3.1, 4.2, 4.8, 6.1],
    ...                   "b1": [3.0, 1, 4, 1, 5, 9], "b2": [2.9, 1.3, 3.8, 1.1, 5.2, 8.7]})
    >>> w = pca_weights(X)
    >>> float(w.sum().round(12)), bool((w > 0.2).all())
    (1.0, True)

    References
    ----------
    OECD/JRC (2008), Handbook on Constructing Composite Indicators:
    Methodology and User Guide, section 6.1 (Nicoletti et al. 2000).
    Kaiser (1958), Psychometrika 23, 187-200 (varimax).
    """
    table = pca_table(
        X,
        method,
        min_eigenvalue=min_eigenvalue,
        n_factors=n_factors,
        kaiser_normalise=kaiser_normalise,
        directions=directions,
    )
    return table["weight"]


def critic_weights(X: pd.DataFrame, *, normalised: bool = False, directions=None) -> pd.Series:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995).

    On the min-max normalised matrix V (Eq. 2 with directions):

    C_j = sigma_j * sum_k (1 - r_jk),   w_j = C_j / sum_k C_k

    sigma_j: standard deviation of column j of V; r_jk: Pearson correlation
    of columns j and k. The ddof of sigma cancels in w (ddof = 1 used).
    An indicator gets more weight when it varies more and conflicts with the
    others (low or negative correlation).

    Parameters
    ----------
    X : DataFrame
        Entities x indicators, raw (default) or already normalised.
    normalised : bool, default False
        True if ``X`` is already normalised (used as V).
    directions : None, "+", "-", mapping or Series, optional
        Direction per column for the min-max step (raw input only).

    Returns
    -------
    Series
        Indexed by indicator, summing to 1 (name ``"weight"``).

    Raises
    ------
    DataError
        If a column is constant or holds NaN, or all indicators are perfectly
        correlated (every C_j = 0).

    Examples
    --------
    >>> X = pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [1.0, 0.5, 0.0]})
    >>> critic_weights(X).tolist()
    [0.5, 0.5]

    References
    ----------
    Diakoulaki, Mavrotas & Papayannakis (1995), Determining objective weights
    in multiple criteria problems: the CRITIC method, Computers & Operations
    Research 22(7), 763-770.
    """
    V = _normalised(X, normalised, directions)
    sigma = V.std(ddof=1).to_numpy()
    if not (sigma > 0).all():
        flat = V.columns[~(sigma > 0)]
        raise DataError(f"indicator column(s) {_names(flat)} are constant; CRITIC needs variation")
    r = np.corrcoef(V.to_numpy(), rowvar=False).reshape(V.shape[1], V.shape[1])
    C = sigma * (1.0 - np.clip(r, -1.0, 1.0)).sum(axis=1)
    if not C.sum() > 1e-12 * sigma.sum():
        raise DataError(
            "all indicators are perfectly correlated (r = 1), so CRITIC weights are "
            "undefined; use equal weights or drop the redundant indicators"
        )
    return pd.Series(C / C.sum(), index=V.columns, name="weight")


def equal_weights(indicators: pd.DataFrame | Iterable) -> pd.Series:
    """Equal weights w_j = 1/m for the m indicators (columns of a DataFrame or names).

    Examples
    --------
    >>> equal_weights(["a", "b", "c", "d"]).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    names = list(indicators.columns if isinstance(indicators, pd.DataFrame) else indicators)
    if not names:
        raise DataError("equal_weights needs at least one indicator name")
    if len(set(names)) != len(names):
        raise DataError(
            f"duplicate indicator names {_first(pd.Index(names)[pd.Index(names).duplicated()])}"
        )
    return pd.Series(1.0 / len(names), index=pd.Index(names), name="weight")


def given_weights(
    mapping: Mapping | pd.Series,
    indicators: pd.DataFrame | Iterable | None = None,
    *,
    normalise: bool = True,
) -> pd.Series:
    """User-given weights, validated and (by default) rescaled to sum 1.

    Parameters
    ----------
    mapping : mapping or Series
        Indicator -> weight (finite, >= 0, not all zero).
    indicators : DataFrame or iterable of names, optional
        If given, the mapping must name exactly these indicators (missing and
        extra names are reported); the result follows their order.
    normalise : bool, default True
        Rescale to sum 1 (logged when the sum differs from 1); with False a
        sum other than 1 raises.

    Returns
    -------
    Series
        Indexed by indicator (name ``"weight"``).

    Raises
    ------
    DataError
        On missing/extra names, negative or non-finite weights, zero sum.

    Examples
    --------
    >>> given_weights({"a": 2, "b": 2, "c": 4}).tolist()
    [0.25, 0.25, 0.5]
    """
    w = pd.Series(mapping, dtype="float64") if not isinstance(mapping, pd.Series) else mapping
    try:
        w = w.astype("float64")
    except (TypeError, ValueError) as exc:
        raise DataError(f"given weights must be numbers, got {dict(mapping)!r}") from exc
    if indicators is not None:
        names = list(indicators.columns if isinstance(indicators, pd.DataFrame) else indicators)
        missing = [n for n in names if n not in w.index]
        extra = [n for n in w.index if n not in names]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing weight(s) for {_first(missing)}")
            if extra:
                parts.append(f"weight(s) for unknown indicator(s) {_first(extra)}")
            raise DataError(
                "given weights do not match the indicators: "
                + "; ".join(parts)
                + f" (indicators: {_first(names, 12)})"
            )
        w = w.reindex(names)
    bad = w.index[~np.isfinite(w.to_numpy()) | (w.to_numpy() < 0)]
    if len(bad):
        raise DataError(
            f"given weight(s) for {_first(bad)} are negative or not finite "
            f"({_first(w[bad].tolist())}); weights must be finite and >= 0"
        )
    total = float(w.sum())
    if not total > 0:
        raise DataError("given weights are all zero; at least one weight must be positive")
    if not math.isclose(total, 1.0, rel_tol=0.0, abs_tol=1e-9):
        if not normalise:
            raise DataError(
                f"given weights sum to {total:.6g}, not 1; rescale them or pass normalise=True"
            )
        log.info("given_weights: weights sum to %.6g; rescaled to sum 1", total)
    return (w / total).rename("weight")


def compute_weights(X: pd.DataFrame, method: str = "entropy", **kwargs) -> pd.Series:
    """Weights by a method chosen by name (for configs).

    Parameters
    ----------
    X : DataFrame
        Entities x indicators (raw, unless ``normalised=True`` is passed to a
        method that accepts it).
    method : {"entropy", "pca", "critic", "equal", "given"}
        :func:`entropy_weights`, :func:`pca_weights`, :func:`critic_weights`,
        :func:`equal_weights` or :func:`given_weights` (pass ``weights=``).
    **kwargs
        Passed to the chosen function; for "pca" the PCA variant
        ("handbook" or "pc1") is given as ``variant=``.

    Returns
    -------
    Series
        Indexed by the columns of ``X``, summing to 1.

    Raises
    ------
    ConfigError
        If ``method`` is unknown or "given" lacks ``weights``.

    Examples
    --------
    >>> X = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 4.0, 10.0]})
    >>> compute_weights(X, "given", weights={"a": 1, "b": 3}).tolist()
    [0.25, 0.75]
    """
    if method == "entropy":
        return entropy_weights(X, **kwargs)
    if method == "pca":
        return pca_weights(X, kwargs.pop("variant", "handbook"), **kwargs)
    if method == "critic":
        return critic_weights(X, **kwargs)
    if method == "equal":
        return equal_weights(X)
    if method == "given":
        if "weights" not in kwargs:
            raise ConfigError("weights.method 'given' needs weights= (indicator -> weight)")
        return given_weights(kwargs.pop("weights"), X, **kwargs)
    raise ConfigError(
        f"weight method {method!r} is unknown; use 'entropy', 'pca', 'critic', 'equal' or 'given'"
    )
