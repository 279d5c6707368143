"""Carbon reduction gravity model: the CRL matrix (docs/methods.md A4, Eq. 8)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonshare.errors import ConfigError, DataError

__all__ = ["crl_matrix", "gravity_mass"]


def _first(labels, k: int = 5) -> str:
    labels = list(labels)
    shown = ", ".join(str(x) for x in labels[:k])
    return shown + (f" and {len(labels) - k} more" if len(labels) > k else "")


def _series(x, what: str) -> pd.Series:
    if not isinstance(x, pd.Series):
        raise DataError(f"{what} must be a pandas Series indexed by ISO3, got {type(x).__name__}")
    if x.index.has_duplicates:
        raise DataError(f"{what} has duplicate labels {_first(x.index[x.index.duplicated()])}")
    return x.astype("float64")


def gravity_mass(Sc: pd.Series, Ec: pd.Series, Ev: pd.Series) -> pd.Series:
    """Gravity mass M_i = cbrt(Sc_i Ec_i Ev_i), the geometric mean of the dimension scores.

    Parameters
    ----------
    Sc, Ec, Ev : Series
        Dimension scores (>= 0) indexed by ISO3, same labels.

    Returns
    -------
    Series
        Index of ``Sc``, name ``"mass"`` (dimensionless).

    Raises
    ------
    DataError
        If labels differ or a score is negative or missing.

    Examples
    --------
    >>> s = pd.Series([1.0, 8.0], index=["AAA", "BBB"])
    >>> gravity_mass(s, s, s).tolist()
    [1.0, 8.0]
    """
    Sc, Ec, Ev = (_series(x, n) for x, n in ((Sc, "Sc"), (Ec, "Ec"), (Ev, "Ev")))
    for other, name in ((Ec, "Ec"), (Ev, "Ev")):
        if set(other.index) != set(Sc.index):
            diff = set(other.index) ^ set(Sc.index)
            raise DataError(f"Sc and {name} cover different countries ({_first(sorted(diff))})")
    frame = pd.DataFrame({"Sc": Sc, "Ec": Ec.reindex(Sc.index), "Ev": Ev.reindex(Sc.index)})
    bad = frame.index[frame.isna().any(axis=1)]
    if len(bad):
        raise DataError(f"dimension scores missing for {_first(bad)}; fill or exclude them first")
    bad = frame.index[(frame < 0).any(axis=1)]
    if len(bad):
        raise DataError(
            f"negative dimension scores for {_first(bad)}; the gravity model needs scores >= 0 "
            f"(normalise with minmax or percentile_bounded, not zscore)"
        )
    return np.cbrt(frame.prod(axis=1)).rename("mass")


def crl_matrix(
    Sc: pd.Series,
    Ec: pd.Series,
    Ev: pd.Series,
    D: pd.DataFrame,
    L: pd.Series,
    *,
    diagonal: float = 0.0,
    distance_exponent: float = 2.0,
    labour_exponent: float = 1.0,
) -> pd.DataFrame:
    """Carbon reduction linkage CRL_ij (Zhou et al. 2024, Eq. 8).

    CRL_ij = cbrt(Sc_i Ec_i Ev_i) * cbrt(Sc_j Ec_j Ev_j) / (D_ij^2 * L_i * L_j),  i != j

    Parameters
    ----------
    Sc, Ec, Ev : Series
        Dimension scores (>= 0, dimensionless) indexed by ISO3; their index
        fixes the countries and their order.
    D : DataFrame
        Distances between capitals in km (e.g. :func:`carbonshare.geo.great_circle_km`);
        must cover the countries of ``Sc`` (extra rows/columns are ignored).
    L : Series
        Labour cost per country (e.g. :func:`carbonshare.geo.labour_cost`),
        > 0, in the proxy's unit; must cover the countries of ``Sc``.
    diagonal : float, default 0.0
        Value put on the diagonal, where Eq. 8 is undefined. 0 keeps sums over
        i != j natural and never makes a country its own strongest partner;
        pass ``np.nan`` to mark it as undefined.
    distance_exponent, labour_exponent : float, default 2.0 and 1.0
        Sensitivity options of the general gravity form
        M_i M_j / (D_ij^a (L_i L_j)^b); Eq. 8 is a = 2, b = 1 (b = 0 ignores
        labour costs). Other values are not the paper's model.

    Returns
    -------
    DataFrame
        n x n, index and columns = ``Sc.index``, in score^2 / (km^2 * unit(L)^2).
        Symmetric when ``D`` is symmetric.

    Raises
    ------
    DataError
        If a country lacks a distance or labour cost, an off-diagonal distance is
        <= 0 or missing (names the pairs), a labour cost is <= 0 or missing
        (names the countries), or a score is negative.
    ConfigError
        If an exponent is negative or not finite.

    Examples
    --------
    >>> s = pd.Series([1.0, 1.0, 8.0], index=["AAA", "BBB", "CCC"])
    >>> D = pd.DataFrame([[0, 1, 2], [1, 0, 1], [2, 1, 0]], index=s.index, columns=s.index)
    >>> L = pd.Series([1.0, 2.0, 1.0], index=s.index)
    >>> crl_matrix(s, s, s, D, L)
         AAA  BBB  CCC
    AAA  0.0  0.5  2.0
    BBB  0.5  0.0  4.0
    CCC  2.0  4.0  0.0

    References
    ----------
    Zhou, Xiang, Zhu & Wang (2024), iScience 27, 109412, Eq. 8.
    """
    M = gravity_mass(Sc, Ec, Ev)
    idx = M.index
    if not isinstance(D, pd.DataFrame):
        raise DataError(f"D must be a DataFrame of distances (km), got {type(D).__name__}")
    no_d = [c for c in idx if c not in D.index or c not in D.columns]
    if no_d:
        raise DataError(f"no distances for {_first(no_d)}; add their capitals or exclude them")
    L = _series(L, "L (labour cost)")
    no_l = [c for c in idx if c not in L.index]
    if no_l:
        raise DataError(f"no labour cost for {_first(no_l)}; choose another proxy or exclude them")
    lab = L.reindex(idx).to_numpy()
    bad = ~(lab > 0)
    if bad.any():
        where = [f"{c} ({v})" for c, v in zip(idx[bad], lab[bad], strict=True)]
        raise DataError(
            f"labour cost is <= 0 or missing for {_first(where)}; labour costs must be > 0 "
            f"(check the proxy's data)"
        )
    if D.index.equals(idx) and D.columns.equals(idx):
        d = D.to_numpy(dtype="float64", copy=True)
    else:
        d = D.loc[idx, idx].to_numpy(dtype="float64", copy=True)
    off = ~np.eye(len(idx), dtype=bool)
    bad = off & ~(d > 0)
    if bad.any():
        i, j = np.nonzero(np.triu(bad) | np.triu(bad.T))
        pairs = [f"{idx[a]}-{idx[b]} ({d[a, b]})" for a, b in zip(i, j, strict=True)]
        raise DataError(
            f"distance is <= 0 or missing for {len(pairs)} pair(s): {_first(pairs)}; "
            f"distinct countries need distinct capital coordinates"
        )
    if not (np.isfinite(distance_exponent) and distance_exponent >= 0):
        raise ConfigError(f"distance_exponent={distance_exponent!r} must be finite and >= 0")
    if not (np.isfinite(labour_exponent) and labour_exponent >= 0):
        raise ConfigError(f"labour_exponent={labour_exponent!r} must be finite and >= 0")
    r = M.to_numpy() / lab**labour_exponent
    crl = np.outer(r, r)
    np.fill_diagonal(d, 1.0)
    if distance_exponent == 2.0:
        crl /= d
        crl /= d
    else:
        crl /= d**distance_exponent
    np.fill_diagonal(crl, diagonal)
    return pd.DataFrame(crl, index=idx.copy(), columns=idx.copy())
