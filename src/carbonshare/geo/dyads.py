"""Country-pair matrices from a named source: distances (km), contiguity, common language.

``capitals`` is carbonshare's own great-circle distance between the capitals
of the country table (:func:`carbonshare.geo.great_circle_km`); the
``cepii_*`` sources are the CEPII GeoDist distances (Mayer & Zignago 2011,
bundled by the data build, see :func:`carbonshare.data.load_cepii_pairs`):

=================  ===============================================================
source             distance d_ij (km)
=================  ===============================================================
``capitals``       great circle between the capitals of ``load_countries()``
``cepii_distw``    population-weighted: sum_k sum_l (pop_k/pop_i)(pop_l/pop_j) d_kl
                   over the main cities k of i and l of j (Head & Mayer 2002),
                   the standard distance of gravity models
``cepii_dist``     great circle between the main cities (by population)
``cepii_distcap``  great circle between the capitals, CEPII's coordinates
=================  ===============================================================

CEPII writes ``distw`` to 7 significant digits for each ordered pair; the two
directions differ by at most 1e-6 relative, and the bundled table keeps the
``iso_o < iso_d`` row, so every matrix here is exactly symmetric.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from carbonshare.errors import ConfigError, DataError

__all__ = [
    "DISTANCE_SOURCES",
    "DISTCAP_DIFFERENCES",
    "comlang_off",
    "contig",
    "distance_matrix",
    "distcap_check",
]

DISTANCE_SOURCES: tuple[str, ...] = ("capitals", "cepii_distw", "cepii_dist", "cepii_distcap")
"""Names accepted by :func:`distance_matrix`."""

_CEPII_COLUMN = {"cepii_distw": "distw", "cepii_dist": "dist", "cepii_distcap": "distcap"}

DISTCAP_DIFFERENCES: dict[str, str] = {
    "WSM": "CEPII puts Apia at 171.75 E; it lies at 171.76 W (sign of the longitude), 1,780 km",
    "BOL": "CEPII uses Sucre (constitutional capital); carbonshare La Paz (seat of "
    "government), 420 km apart",
    "NZL": "CEPII puts Wellington at 44.28 S; it lies at 41.29 S, 332 km",
    "MMR": "CEPII uses Rangoon (Yangon, capital until 2005); carbonshare Naypyidaw, 331 km apart",
    "GIN": "CEPII puts Conakry at 15.72 W; it lies at 13.71 W, 221 km",
    "COL": "CEPII puts Bogota at 75.07 W; it lies at 74.07 W, 109 km",
    "PSE": "CEPII uses Gaza; carbonshare Ramallah (administrative seat), 83 km apart",
    "BDI": "CEPII uses Bujumbura; carbonshare Gitega (capital since 2019), 68 km apart",
    "ISR": "CEPII uses Tel Aviv; carbonshare Jerusalem, 54 km apart",
    "NGA": "CEPII puts Abuja at 9.18 N 7.17 E, about 35 km west of the city (9.06 N, 7.50 E)",
}
"""Countries whose capital-to-capital distances differ from CEPII ``distcap`` by
more than 3 % and 30 km, and why (checked in tests/geo/test_dyads.py; docs/data.md)."""


@lru_cache(maxsize=8)
def _square(column: str) -> pd.DataFrame:
    """Full symmetric matrix of one CEPII column over every country it covers."""
    from carbonshare.data import load_cepii_pairs

    pairs = load_cepii_pairs()
    codes = sorted(set(pairs["iso_o"]) | set(pairs["iso_d"]))
    pos = {c: k for k, c in enumerate(codes)}
    i = pairs["iso_o"].map(pos).to_numpy()
    j = pairs["iso_d"].map(pos).to_numpy()
    m = np.full((len(codes), len(codes)), np.nan)
    v = pairs[column].to_numpy(dtype=float)
    m[i, j] = v
    m[j, i] = v
    np.fill_diagonal(m, 0.0)
    return pd.DataFrame(m, index=pd.Index(codes, name="iso3"), columns=pd.Index(codes, name="iso3"))


def _codes(iso3: Sequence[str]) -> list[str]:
    if isinstance(iso3, str):
        raise DataError(f"iso3 must be a list of ISO3 codes, not the string {iso3!r}")
    codes = [str(c) for c in iso3]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise DataError(f"duplicate country code(s) {dup}; list each country once")
    return codes


def _lacking(m: pd.DataFrame, codes: list[str]) -> list[str]:
    """What ``m`` (a full CEPII matrix) lacks among ``codes``: countries without a row or
    without any value, then single pairs ``"AAA-BBB"`` with a missing value."""
    none = m.isna().sum(axis=1) == len(m) - 1
    lacking = [c for c in codes if c not in m.index or none[c]]
    rest = [c for c in codes if c not in lacking]
    sub = m.loc[rest, rest].to_numpy()
    i, j = np.nonzero(np.triu(np.isnan(sub), k=1))
    return lacking + [f"{rest[a]}-{rest[b]}" for a, b in zip(i, j, strict=True)]


def distance_matrix(
    iso3: Sequence[str],
    source: str = "capitals",
    *,
    countries: pd.DataFrame | None = None,
    fill_from: str | None = None,
) -> pd.DataFrame:
    """Symmetric matrix of country-to-country distances in km from a named source.

    Parameters
    ----------
    iso3 : ISO3 codes of the countries, each once; rows and columns follow this order.
    source : one of :data:`DISTANCE_SOURCES` (table in the module docstring).
    countries : country table with ``capital_lat`` / ``capital_lon`` for
        ``source="capitals"`` (default: :func:`carbonshare.data.load_countries`).
    fill_from : another source for the pairs ``source`` lacks (e.g.
        ``"capitals"``); every filled pair is listed in ``.attrs["filled"]``.
        Default None: a lacking country is an error.

    Returns
    -------
    DataFrame, index and columns ``iso3``, km, zero diagonal, no NaN;
    ``.attrs["source"]`` describes the source, ``.attrs["filled"]`` lists the
    pairs ``"AAA-BBB"`` taken from ``fill_from`` (empty without it).

    Raises
    ------
    ConfigError  for an unknown source (lists the known ones).
    DataError  naming every country the source lacks (or, for ``capitals``,
        every country without capital coordinates) and the fallback.

    Examples
    --------
    >>> d = distance_matrix(["FRA", "DEU", "ITA"], "cepii_distw")
    >>> d.round(0).to_numpy().tolist()
    [[0.0, 790.0, 892.0], [790.0, 0.0, 1014.0], [892.0, 1014.0, 0.0]]
    >>> round(float(distance_matrix(["FRA", "DEU"]).loc["FRA", "DEU"]))
    878
    >>> m = distance_matrix(["SRB", "MNE", "HRV"], "cepii_distw", fill_from="capitals")
    >>> m.attrs["filled"]
    ['SRB-MNE', 'MNE-HRV']

    References
    ----------
    Mayer & Zignago (2011), Notes on CEPII's distances measures: the GeoDist
    database, CEPII WP 2011-25; Head & Mayer (2002), Illusory border effects,
    CEPII WP 2002-01.
    """
    codes = _codes(iso3)
    for name, value in (("source", source), ("fill_from", fill_from)):
        if value is not None and value not in DISTANCE_SOURCES:
            raise ConfigError(
                f"{name}={value!r} is not a distance source; use one of "
                f"{', '.join(DISTANCE_SOURCES)}"
            )
    if fill_from == source:
        raise ConfigError(f"fill_from={fill_from!r} is the source itself; name another source")
    if source == "capitals":
        out = _from_capitals(codes, countries, fill_from)
    else:
        column = _CEPII_COLUMN[source]
        m = _square(column).reindex(index=codes, columns=codes)
        holes = m.isna().to_numpy(copy=True)
        np.fill_diagonal(holes, False)
        if holes.any():
            lacking = _lacking(_square(column), codes)
            if fill_from is None:
                raise DataError(
                    f"CEPII GeoDist has no {column} for {', '.join(lacking)}; use "
                    "source='capitals' (great-circle km between capitals), pass "
                    "fill_from='capitals' to take only their pairs from it, or leave them out "
                    "(docs/data.md lists the countries CEPII lacks)"
                )
            other = distance_matrix(codes, fill_from, countries=countries)
            m = m.where(~holes, other)
        arr = m.to_numpy(copy=True)
        np.fill_diagonal(arr, 0.0)  # a country the source lacks has NaN on the diagonal
        out = pd.DataFrame(arr, index=codes, columns=codes)
        out.attrs["source"] = f"CEPII GeoDist {column} (Mayer & Zignago 2011), km"
        i, j = np.nonzero(np.triu(holes))
        out.attrs["filled"] = [f"{codes[a]}-{codes[b]}" for a, b in zip(i, j, strict=True)]
        if out.attrs["filled"]:
            out.attrs["source"] += f"; {len(out.attrs['filled'])} pairs from {fill_from}"
    out.index.name = out.columns.name = "iso3"
    return out


def _from_capitals(
    codes: list[str], countries: pd.DataFrame | None, fill_from: str | None
) -> pd.DataFrame:
    from carbonshare.geo.distance import capital_points, great_circle_km

    if countries is None:
        from carbonshare.data import load_countries

        countries = load_countries()
    absent = [c for c in codes if c not in countries.index]
    if absent:
        raise DataError(
            f"no capital for {', '.join(absent)} in the country table; pass countries= "
            "with capital_lat/capital_lon for them or leave them out"
        )
    out = great_circle_km(capital_points(countries.loc[codes]))
    out.attrs["source"] = "great-circle km between capitals (carbonshare country table)"
    out.attrs["filled"] = []
    return out


def distcap_check(
    countries: pd.DataFrame | None = None, *, rel: float = 0.03, km: float = 30.0
) -> pd.DataFrame:
    """CEPII ``distcap`` against carbonshare's capital great circles, pair by pair.

    A pair disagrees when |d_ours - distcap| > ``rel`` x distcap **and** > ``km``
    (coordinates rounded to a few km make short pairs differ by more than 3 %).

    Returns
    -------
    DataFrame, one row per disagreeing pair: ``iso_o, iso_d, distcap_km,
    capitals_km, gap_pct, reason`` (from :data:`DISTCAP_DIFFERENCES`, "" if
    unexplained), largest gap first.

    Examples
    --------
    >>> check = distcap_check()
    >>> bool((check["reason"] != "").all()), check.iloc[0][["iso_o", "iso_d"]].tolist()
    (True, ['VUT', 'WSM'])
    """
    from carbonshare.data import load_cepii_pairs

    pairs = load_cepii_pairs()
    ours = distance_matrix(sorted(set(pairs["iso_o"]) | set(pairs["iso_d"])), countries=countries)
    d = ours.to_numpy()[
        ours.index.get_indexer(pairs["iso_o"]), ours.index.get_indexer(pairs["iso_d"])
    ]
    gap = d - pairs["distcap"].to_numpy()
    off = (np.abs(gap) > rel * pairs["distcap"].to_numpy()) & (np.abs(gap) > km)
    out = pairs.loc[off, ["iso_o", "iso_d", "distcap"]].rename(columns={"distcap": "distcap_km"})
    out["capitals_km"] = d[off]
    out["gap_pct"] = 100 * gap[off] / out["distcap_km"]
    out["reason"] = [
        "; ".join(f"{c}: {DISTCAP_DIFFERENCES[c]}" for c in (o, t) if c in DISTCAP_DIFFERENCES)
        for o, t in zip(out["iso_o"], out["iso_d"], strict=True)
    ]
    order = out["gap_pct"].abs().sort_values(ascending=False).index
    return out.loc[order].reset_index(drop=True)


def _flag(iso3: Sequence[str], column: str, what: str) -> pd.DataFrame:
    codes = _codes(iso3)
    lacking = _lacking(_square(column), codes)
    if lacking:
        raise DataError(
            f"CEPII GeoDist has no {column} for {', '.join(lacking)}; leave them out "
            "(docs/data.md lists the countries CEPII lacks)"
        )
    out = _square(column).loc[codes, codes].astype(int)
    out.attrs["source"] = what
    return out


def contig(iso3: Sequence[str]) -> pd.DataFrame:
    """1 where two countries share a land border (CEPII ``contig``), else 0.

    Returns
    -------
    DataFrame of 0/1 (int), index and columns ``iso3``, zero diagonal.

    Raises
    ------
    DataError  naming the countries CEPII lacks.

    Examples
    --------
    >>> contig(["FRA", "DEU", "GBR"]).to_numpy().tolist()
    [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    """
    return _flag(iso3, "contig", "CEPII GeoDist contig (shared land border)")


def comlang_off(iso3: Sequence[str]) -> pd.DataFrame:
    """1 where two countries share an official language (CEPII ``comlang_off``), else 0.

    Returns
    -------
    DataFrame of 0/1 (int), index and columns ``iso3``, zero diagonal.

    Raises
    ------
    DataError  naming the countries CEPII lacks.

    Examples
    --------
    >>> comlang_off(["FRA", "BEL", "DEU"]).loc["FRA"].tolist()
    [0, 1, 0]
    """
    return _flag(iso3, "comlang_off", "CEPII GeoDist comlang_off (common official language)")
