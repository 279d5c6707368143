"""Diagnostics of an alliance allocation: linkage concentration, share structure, alliance count.

Three facts about the game v(S) = (sum_S ACI)(sum_{i != j in S} CRL_ij) of docs/methods.md A6
that every run reports (issue 11):

1. **Linkage concentration.** With pair linkage w_ij = CRL_ij + CRL_ji and total
   W = sum_{i<j} w_ij, the pair shares s_ij = w_ij / W, their Herfindahl index
   H = sum s_ij^2 and the effective number of linked pairs 1 / H. Because CRL divides
   by the squared distance, one pair of close capitals can hold most of W; then it
   dominates v(N) and every share.
2. **Structure of the shares.** The one-stage Shapley share is exactly
   Q_i = alpha_i / 3 + 2 rho_i / 3 + eps_i with alpha_i = ACI_i / sum ACI,
   rho_i = sum_j w_ij / (2 W) and sum eps_i = 0
   (:meth:`carbonshare.games.alliance.AllianceGame.shapley_decomposition`): a third of
   the rights follows capacity, two thirds follow linkage. alpha_i / 3 is a floor.
3. **Alliance count.** With a symmetric CRL every cycle of the strongest-partner graph
   has length 2, so each weak component holds exactly one mutual pair of strongest
   partners: the number of alliances equals the number of mutual pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from carbonshare.errors import DataError

__all__ = [
    "AllianceDiagnostics",
    "CONCENTRATION_THRESHOLD",
    "LONG_LINK_KM",
    "LinkageConcentration",
    "diagnose",
    "linkage_concentration",
    "long_links",
    "mutual_pairs",
    "share_decomposition",
]

CONCENTRATION_THRESHOLD = 0.5
"""A single pair holding more than this fraction of all linkage triggers the warning."""

LONG_LINK_KM = 5000.0
"""Strongest-partner links longer than this are listed (km)."""

REMEDY = (
    "distances.source: cepii_distw (population-weighted distances), distances.min_km, "
    "or linkage.transform (e.g. log_minmax) reduce it"
)


@dataclass
class LinkageConcentration:
    """How concentrated the linkage is on a few pairs of countries.

    Attributes
    ----------
    pairs : DataFrame of the strongest pairs (``i``, ``j``, ``linkage`` w_ij, ``share`` of W,
        ``distance_km`` if distances were given), largest first.
    top_share : share of W held by the strongest pair (0-1).
    herfindahl : sum of squared pair shares (1/#pairs ... 1).
    effective_pairs : 1 / herfindahl.
    n_pairs : number of pairs with positive linkage.
    warning : one sentence naming the pair, its distance and the remedy when
        ``top_share`` > the threshold, else None.
    """

    pairs: pd.DataFrame
    top_share: float
    herfindahl: float
    effective_pairs: float
    n_pairs: int
    warning: str | None

    def to_dict(self) -> dict[str, object]:
        """Scalars and the top pairs, JSON-ready (for manifest.json)."""
        return {
            "top_pair_share": self.top_share,
            "herfindahl": self.herfindahl,
            "effective_pairs": self.effective_pairs,
            "n_linked_pairs": self.n_pairs,
            "warning": self.warning,
            "top_pairs": self.pairs.head(5).to_dict(orient="records"),
        }


def _pair_weights(crl: pd.DataFrame) -> np.ndarray:
    if not isinstance(crl, pd.DataFrame) or not crl.index.equals(crl.columns):
        raise DataError("crl must be a square DataFrame with the same labels on both axes")
    c = crl.to_numpy(dtype=float, copy=True)
    np.fill_diagonal(c, 0.0)
    if not np.isfinite(c).all() or (c < 0).any():
        raise DataError("crl has negative or non-finite entries; check the inputs of crl_matrix")
    return c + c.T


def _top_pairs(w: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``top`` largest w_ij over i < j, largest first (ties: row-major order), as
    (i, j, w_ij), without sorting the n(n-1)/2 pairs. ``w`` is overwritten below its diagonal.

    The k-th largest row maximum t is at most the k-th largest pair (the row maxima are k
    distinct pairs), so every pair of the top k lies in a row whose maximum is >= t.

    >>> w = np.array([[0, 5, 1], [5, 0, 5], [1, 5, 0]], dtype=float)
    >>> [a.tolist() for a in _top_pairs(w, 2)]
    [[0, 1], [1, 2], [5.0, 5.0]]
    """
    n = len(w)
    for r in range(n):
        w[r, : r + 1] = -np.inf  # keep i < j only
    k = min(top, n * (n - 1) // 2)
    row_max = w.max(axis=1)
    t = np.partition(row_max, n - k)[n - k] if k < n else -np.inf
    rows = np.flatnonzero(row_max >= t)
    sub = w[rows]
    ri, j = np.nonzero((sub >= t) & (sub > -np.inf))
    i, vals = rows[ri], sub[ri, j]
    order = np.lexsort((j, i, -vals))[:k]
    return i[order], j[order], vals[order]


def linkage_concentration(
    crl: pd.DataFrame,
    distances: pd.DataFrame | None = None,
    *,
    names: pd.Series | None = None,
    threshold: float = CONCENTRATION_THRESHOLD,
    top: int = 10,
) -> LinkageConcentration:
    """Top pair's share of total linkage, Herfindahl index and effective number of pairs.

    s_ij = w_ij / W with w_ij = CRL_ij + CRL_ji and W = sum_{i<j} w_ij;
    H = sum_{i<j} s_ij^2; effective pairs = 1 / H (dimensionless).

    Parameters
    ----------
    crl : square CRL matrix (:func:`carbonshare.cooperation.crl_matrix`).
    distances : km between the countries (labels as ``crl``), to report the pair's distance.
    names : ISO3 -> country name, for the warning.
    threshold : top-pair share above which ``warning`` is set.
    top : number of pairs listed.

    Raises
    ------
    DataError  if ``crl`` is not square or all of its linkage is 0.

    Examples
    --------
    >>> crl = pd.DataFrame([[0, 8, 1], [8, 0, 1], [1, 1, 0]], index=list("ABC"),
    ...                    columns=list("ABC"), dtype=float)
    >>> c = linkage_concentration(crl)
    >>> round(c.top_share, 2), round(c.effective_pairs, 3)
    (0.8, 1.515)
    >>> c.warning[:45]
    'One pair holds 80.0 % of all linkage: A - B. '
    """
    w = _pair_weights(crl)
    total = w.sum() / 2.0  # sum over the pairs i < j (zero diagonal)
    if not total > 0:
        raise DataError("every CRL link is 0; linkage concentration is undefined")
    n_pairs = int(np.count_nonzero(w > 0)) // 2
    herf = float(np.einsum("ij,ij->", w, w) / 2.0 / total**2)
    i, j, vals = _top_pairs(w, top)
    shares = vals / total
    idx = crl.index
    pairs = pd.DataFrame(
        {"i": idx[i].to_numpy(), "j": idx[j].to_numpy(), "linkage": vals, "share": shares}
    )
    if distances is not None:
        rows, cols = distances.index.get_indexer(idx), distances.columns.get_indexer(idx)
        pairs["distance_km"] = distances.to_numpy(dtype=float)[rows[i], cols[j]]
    top_share = float(shares[0])
    warning = None
    if top_share > threshold:
        a, b = pairs.at[0, "i"], pairs.at[0, "j"]
        label = (
            f"{names.get(a, a)} ({a}) - {names.get(b, b)} ({b})"
            if names is not None
            else f"{a} - {b}"
        )
        where = f", {pairs.at[0, 'distance_km']:,.1f} km apart" if "distance_km" in pairs else ""
        warning = (
            f"One pair holds {100 * top_share:.1f} % of all linkage: {label}{where}. "
            "CRL divides by a power of the distance, so this pair dominates v(N) and every "
            f"share; {REMEDY}."
        )
    return LinkageConcentration(
        pairs=pairs,
        top_share=top_share,
        herfindahl=herf,
        effective_pairs=1.0 / herf,
        n_pairs=n_pairs,
        warning=warning,
    )


def share_decomposition(aci: pd.Series, crl: pd.DataFrame) -> pd.DataFrame:
    """One-stage Shapley shares split into capacity, linkage and interaction parts (in %).

    Q_i = alpha_i / 3 + 2 rho_i / 3 + eps_i (exact; see
    :meth:`~carbonshare.games.alliance.AllianceGame.shapley_decomposition`).

    Returns
    -------
    DataFrame indexed like ``aci`` with, in % of global emission rights:
    ``shapley_pct`` (100 Q_i), ``capacity_pct`` (100 alpha_i / 3, also the floor no
    linkage can lower), ``linkage_pct`` (100 * 2 rho_i / 3), ``interaction_pct``
    (100 eps_i, sums to 0); and the shares ``alpha`` (of total ACI) and ``rho`` (of
    total linkage), 0-1.

    Examples
    --------
    >>> aci = pd.Series([1.0, 1.0, 2.0], index=list("ABC"))
    >>> crl = pd.DataFrame([[0, 1, 0], [1, 0, 0], [0, 0, 0]], index=list("ABC"),
    ...                    columns=list("ABC"), dtype=float)
    >>> share_decomposition(aci, crl).round(2)[["shapley_pct", "capacity_pct", "linkage_pct"]]
       shapley_pct  capacity_pct  linkage_pct
    A        41.67          8.33        33.33
    B        41.67          8.33        33.33
    C        16.67         16.67         0.00
    """
    from carbonshare.games import alliance_game

    game = alliance_game(aci, crl)
    alpha, rho, eps = game.shapley_decomposition()
    out = pd.DataFrame(
        {
            "shapley_pct": 100.0 * (alpha / 3 + 2 * rho / 3 + eps),
            "capacity_pct": 100.0 * alpha / 3,
            "linkage_pct": 200.0 * rho / 3,
            "interaction_pct": 100.0 * eps,
            "alpha": alpha,
            "rho": rho,
        },
        index=aci.index.copy(),
    )
    return out


def mutual_pairs(links: pd.DataFrame) -> pd.DataFrame:
    """Mutual pairs of strongest partners (i's partner is j and j's is i), one row per pair.

    Parameters
    ----------
    links : output of :func:`carbonshare.cooperation.strongest_links` (``partner``, ``crl``,
        ``mutual``), optionally with ``distance_km``.

    Returns
    -------
    DataFrame with ``i``, ``j`` (i < j by label), ``crl`` and ``distance_km`` when given.

    Examples
    --------
    >>> links = pd.DataFrame({"partner": ["B", "A", "B"], "crl": [3.0, 3.0, 2.0],
    ...                       "mutual": [True, True, False]}, index=list("ABC"))
    >>> mutual_pairs(links)
       i  j  crl
    0  A  B  3.0
    """
    m = links[links["mutual"].to_numpy(dtype=bool)]
    first = [str(i) < str(p) for i, p in zip(m.index, m["partner"], strict=True)]
    m = m[np.array(first, dtype=bool)]
    out = pd.DataFrame(
        {"i": m.index.to_numpy(), "j": m["partner"].to_numpy(), "crl": m["crl"].to_numpy()}
    )
    if "distance_km" in m:
        out["distance_km"] = m["distance_km"].to_numpy()
    return out.reset_index(drop=True)


def long_links(links: pd.DataFrame, min_km: float = LONG_LINK_KM) -> pd.DataFrame:
    """Strongest-partner links longer than ``min_km`` km, longest first.

    ``links`` must have ``partner`` and ``distance_km`` (as the study's linkage table).

    Examples
    --------
    >>> links = pd.DataFrame({"partner": ["B", "A"], "distance_km": [6000.0, 6000.0]},
    ...                      index=["A", "B"])
    >>> long_links(links).index.tolist()
    ['A', 'B']
    """
    if "distance_km" not in links:
        raise DataError("links need a distance_km column to find long links")
    out = links[links["distance_km"] > min_km]
    return out.sort_values("distance_km", ascending=False, kind="stable")


@dataclass
class AllianceDiagnostics:
    """The three diagnostics of a run (module docstring), as labelled tables and scalars.

    Attributes
    ----------
    concentration : :class:`LinkageConcentration` of the linkage inside v(S).
    structure : :func:`share_decomposition` of the one-stage Shapley shares (%), by country,
        largest share first.
    mutual : :func:`mutual_pairs` (one row per alliance core).
    long : :func:`long_links` (strongest-partner links longer than :data:`LONG_LINK_KM`).
    n_alliances : number of alliances of the run.
    symmetric : whether CRL is symmetric (then, for weak components, alliances = mutual pairs).
    """

    concentration: LinkageConcentration
    structure: pd.DataFrame
    mutual: pd.DataFrame
    long: pd.DataFrame
    n_alliances: int
    symmetric: bool

    def structure_summary(self, top: int = 3) -> str:
        """One paragraph: Q_i = alpha_i/3 + 2 rho_i/3 + eps_i and the countries it explains."""
        st = self.structure
        head = st.head(top)
        parts = "; ".join(
            f"{i} {r.shapley_pct:.1f} = {r.capacity_pct:.2f} + {r.linkage_pct:.2f} "
            f"{'+' if r.interaction_pct >= 0 else '-'} {abs(r.interaction_pct):.2f}"
            for i, r in head.iterrows()
        )
        link_top = st["linkage_pct"].nlargest(2)
        return (
            "Every one-stage Shapley share is exactly Q_i = α_i/3 + 2ρ_i/3 + ε_i: a third "
            "of all rights follows capacity (α_i, share of total ACI; α_i/3 is a floor no "
            "linkage can lower), two thirds follow linkage (ρ_i, share of total CRL), ε sums "
            f"to 0. Largest shares (%, capacity + linkage ± ε): {parts}. The two largest linkage parts ({', '.join(link_top.index)}) "
            f"hold {link_top.sum():.1f} % of all rights."
        )

    def count_summary(self) -> str:
        """The alliance count as mutual pairs, and the long links."""
        pairs = ", ".join(f"{r.i}-{r.j}" for r in self.mutual.itertuples())
        text = f"{len(self.mutual)} mutual strongest pairs ({pairs}); {self.n_alliances} alliances"
        if self.symmetric:
            text += " (CRL is symmetric, so every strongest-partner cycle is a mutual pair)"
        if len(self.long):
            far = ", ".join(
                f"{i}->{r.partner} ({r.distance_km:,.0f} km)" for i, r in self.long.iterrows()
            )
            text += f". Strongest-partner links longer than {LONG_LINK_KM:,.0f} km: {far}"
        return text + "."

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary (for manifest.json)."""
        st = self.structure
        return {
            "linkage_concentration": self.concentration.to_dict(),
            "share_structure": {
                "identity": "Q_i = alpha_i/3 + 2 rho_i/3 + eps_i (one-stage Shapley, %)",
                "max_abs_identity_error_pct": float(
                    (
                        st["capacity_pct"]
                        + st["linkage_pct"]
                        + st["interaction_pct"]
                        - st["shapley_pct"]
                    )
                    .abs()
                    .max()
                ),  # fmt: skip
                "top": st.head(5)[
                    ["shapley_pct", "capacity_pct", "linkage_pct", "interaction_pct"]
                ].to_dict(orient="index"),
            },
            "n_mutual_pairs": len(self.mutual),
            "mutual_pairs": [f"{r.i}-{r.j}" for r in self.mutual.itertuples()],
            "n_alliances": self.n_alliances,
            "long_links": {
                str(i): {"partner": str(r["partner"]), "distance_km": float(r["distance_km"])}
                for i, r in self.long.iterrows()
            },
        }


def diagnose(
    aci: pd.Series,
    linkage_in_game: pd.DataFrame,
    links: pd.DataFrame,
    members: pd.Series,
    distances: pd.DataFrame | None = None,
    *,
    names: pd.Series | None = None,
) -> AllianceDiagnostics:
    """All diagnostics of one run.

    Parameters
    ----------
    aci : ACI per country.
    linkage_in_game : the linkage inside v(S) (CRL, or CRL after ``linkage.transform``).
    links : the strongest-partner table (:func:`~carbonshare.cooperation.strongest_links`,
        with ``distance_km``).
    members : country -> alliance.
    distances : km between the countries.
    names : ISO3 -> country name.
    """
    conc = linkage_concentration(linkage_in_game, distances, names=names)
    structure = share_decomposition(aci, linkage_in_game)
    structure = structure.sort_values("shapley_pct", ascending=False, kind="stable")
    if names is not None:
        structure.insert(0, "name", names.reindex(structure.index))
    c = linkage_in_game.to_numpy()
    step = max(1, (1 << 20) // max(len(c), 1))  # rows per block: no n x n temporaries
    symmetric = all(
        np.allclose(c[lo : lo + step], c[:, lo : lo + step].T, rtol=1e-12, atol=0)
        for lo in range(0, len(c), step)
    )
    return AllianceDiagnostics(
        concentration=conc,
        structure=structure,
        mutual=mutual_pairs(links),
        long=long_links(links) if "distance_km" in links else links.iloc[:0],
        n_alliances=int(members.nunique()),
        symmetric=symmetric,
    )
