"""The published alliances of Zhou et al. (2024), Table 2, and how far a run is from them.

The table ships as package data (``carbonshare/data/published/zhou2024_table2.json``, typed
from the paper, with its citation). Member names are the paper's English names; they are
mapped to ISO3 through the country table (:func:`carbonshare.data.names.match_country`) plus
the explicit :data:`NAME_OVERRIDES` for names the table does not hold; any other unmapped
name is an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

from carbonshare.errors import DataError

__all__ = [
    "NAME_OVERRIDES",
    "PublishedAlliances",
    "adjusted_rand_index",
    "distance_to_published",
    "load_zhou2024_table2",
]

NAME_OVERRIDES = {"Svalbard and Jan Mayen": "SJM"}
"""Names of Table 2 that are not countries of the country table (ISO 3166-1 code given)."""


@dataclass
class PublishedAlliances:
    """Table 2 of Zhou et al. (2024).

    Attributes
    ----------
    members : ISO3 -> published alliance number (1-15).
    shares : alliance number -> share of global emission rights (%).
    names : ISO3 -> the name printed in the paper.
    citation : the paper.
    """

    members: pd.Series
    shares: pd.Series
    names: pd.Series
    citation: str


def load_zhou2024_table2(countries: pd.DataFrame | None = None) -> PublishedAlliances:
    """Table 2 of Zhou et al. (2024) with members as ISO3 codes.

    Raises
    ------
    DataError  naming a member name that maps to no ISO3 code, or a country listed twice.

    Examples
    --------
    >>> t = load_zhou2024_table2()
    >>> len(t.shares), len(t.members), int(t.members["COD"]), float(t.shares[2])
    (15, 184, 2, 9.78)
    """
    from carbonshare.data.names import _index_of, match_country

    raw = json.loads(
        resources.files("carbonshare.data")
        .joinpath("published/zhou2024_table2.json")
        .read_text(encoding="utf-8")
    )
    index = _index_of(countries)
    iso, alliance, printed, shares = [], [], [], {}
    for key, entry in raw["alliances"].items():
        shares[int(key)] = float(entry["share_pct"])
        for name in entry["members"]:
            code = NAME_OVERRIDES.get(name) or match_country(name, index)
            if code is None:
                raise DataError(
                    f"Table 2 member {name!r} (alliance {key}) maps to no ISO3 code; add it to "
                    "carbonshare.cooperation.published.NAME_OVERRIDES"
                )
            iso.append(code)
            alliance.append(int(key))
            printed.append(name)
    members = pd.Series(alliance, index=pd.Index(iso, name="iso3"), name="alliance")
    if members.index.has_duplicates:
        dup = members.index[members.index.duplicated()][0]
        raise DataError(f"{dup} appears twice in Table 2; fix the name mapping")
    return PublishedAlliances(
        members=members,
        shares=pd.Series(shares, name="share_pct").rename_axis("alliance"),
        names=pd.Series(printed, index=members.index, name="name"),
        citation=raw["source"],
    )


def adjusted_rand_index(a: pd.Series, b: pd.Series) -> float:
    """Adjusted Rand index of two partitions of the same items (Hubert & Arabie 1985).

    ARI = (sum_ij C(n_ij, 2) - E) / ((sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2 - E),
    E = sum_i C(a_i, 2) sum_j C(b_j, 2) / C(n, 2), with n_ij the contingency table.
    1 for identical partitions, about 0 for independent ones. Labels are aligned by index.

    Examples
    --------
    >>> x = pd.Series([1, 1, 2, 2], index=list("ABCD"))
    >>> adjusted_rand_index(x, x.replace({1: 7, 2: 9}))
    1.0
    >>> round(adjusted_rand_index(x, pd.Series([1, 2, 1, 2], index=list("ABCD"))), 3)
    -0.5
    """
    if set(a.index) != set(b.index):
        raise DataError("the two partitions cover different items; align them first")
    table = pd.crosstab(a, b.reindex(a.index)).to_numpy()

    def pairs(x):
        return (x * (x - 1) / 2.0).sum()

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    n = table.sum()
    expected = rows * cols / (n * (n - 1) / 2.0)
    top = (rows + cols) / 2.0 - expected
    return 1.0 if top == 0 else float((index - expected) / top)


def distance_to_published(
    members: pd.Series, alliance_shares: pd.Series, published: PublishedAlliances | None = None
) -> dict[str, float]:
    """How far a run's alliances are from Table 2.

    Parameters
    ----------
    members : ISO3 -> alliance of the run.
    alliance_shares : alliance -> share of global emission rights (%) of the run.
    published : Table 2 (default :func:`load_zhou2024_table2`).

    Returns
    -------
    dict with ``n_common`` (countries in both), ``ari`` (adjusted Rand index on them),
    ``n_alliances`` and ``n_alliances_published``, ``share_min`` / ``share_max`` (range of
    the run's alliance shares, %) and the published ``share_min_published`` /
    ``share_max_published``.
    """
    published = published or load_zhou2024_table2()
    common = members.index.intersection(published.members.index)
    if len(common) < 2:
        raise DataError("fewer than 2 countries in common with Table 2; nothing to compare")
    return {
        "n_common": len(common),
        "ari": adjusted_rand_index(members.loc[common], published.members.loc[common]),
        "n_alliances": int(members.nunique()),
        "n_alliances_published": int(published.members.nunique()),
        "share_min": float(np.min(alliance_shares)),
        "share_max": float(np.max(alliance_shares)),
        "share_min_published": float(published.shares.min()),
        "share_max_published": float(published.shares.max()),
    }
