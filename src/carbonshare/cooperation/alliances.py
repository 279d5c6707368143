"""Strongest partners, the linkage graph and alliances (docs/methods.md A5).

Each country's strongest partner is argmax_{j != i} CRL_ij. The directed
graph i -> strongest partner (one out-edge per node) is the "vector map" of
Zhou et al. (2024, Fig. 1); its weakly connected components are the
alliances (Fig. 2). Alternatives: Louvain communities of the symmetrised
CRL graph, and a target number of alliances by splitting or merging along
the strongest links.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from carbonshare.errors import ConfigError, DataError

__all__ = [
    "ALLIANCE_METHODS",
    "alliance_table",
    "alliances",
    "linkage_graph",
    "strongest_links",
    "strongest_partner",
    "successor_components",
]

log = logging.getLogger(__name__)

ALLIANCE_METHODS = ("weak-components", "louvain", "target")
"""Names accepted by :func:`alliances`."""
WEIGHTINGS = ("share", "crl")
LINKAGES = ("average", "single")


def _first(labels, k: int = 5) -> str:
    labels = list(labels)
    shown = ", ".join(str(x) for x in labels[:k])
    return shown + (f" and {len(labels) - k} more" if len(labels) > k else "")


def _checked_crl(crl: pd.DataFrame) -> np.ndarray:
    """Return the CRL values with the diagonal set to -inf, after checks."""
    if not isinstance(crl, pd.DataFrame):
        raise DataError(
            f"crl must be a square DataFrame (see crl_matrix), got {type(crl).__name__}"
        )
    if crl.shape[0] < 2:
        raise DataError(f"crl has {crl.shape[0]} country; linkage needs at least 2")
    if not crl.index.equals(crl.columns):
        raise DataError(
            "crl index and columns differ; rows and columns must list the same countries "
            "in the same order"
        )
    if crl.index.has_duplicates:
        raise DataError(f"crl has duplicate labels {_first(crl.index[crl.index.duplicated()])}")
    a = crl.to_numpy(dtype="float64", copy=True)
    off = ~np.eye(len(a), dtype=bool)
    bad = off & ~(np.isfinite(a) & (a >= 0))
    if bad.any():
        i, j = np.nonzero(bad)
        pairs = [f"{crl.index[x]}-{crl.index[y]}" for x, y in zip(i, j, strict=True)]
        raise DataError(
            f"crl is negative, infinite or missing for {_first(pairs)}; "
            f"check the inputs of crl_matrix"
        )
    np.fill_diagonal(a, -np.inf)
    return a


def strongest_links(crl: pd.DataFrame, *, ties: str = "first") -> pd.DataFrame:
    """Strongest partner of every country, with the link strength.

    partner_i = argmax_{j != i} CRL_ij. Ties (equal maxima, e.g. a country
    whose gravity mass is 0 so its whole row is 0) are broken by the order of
    ``crl.index`` (the first partner wins) and logged as a warning, or raise.

    Parameters
    ----------
    crl : DataFrame
        Square CRL matrix (:func:`~carbonshare.cooperation.crl_matrix`); the
        diagonal is ignored.
    ties : {"first", "raise"}
        What to do with tied maxima.

    Returns
    -------
    DataFrame
        Index = countries; columns ``partner`` (label), ``crl`` (CRL to the
        partner) and ``mutual`` (True if the partner's strongest partner is
        the country itself).

    Raises
    ------
    DataError
        If ``crl`` is not square with matching labels, has negative or missing
        off-diagonal values, or has ties and ``ties="raise"``.

    Examples
    --------
    >>> crl = pd.DataFrame([[0, 3, 1], [3, 0, 2], [1, 2, 0]],
    ...                    index=["A", "B", "C"], columns=["A", "B", "C"])
    >>> strongest_links(crl)
      partner  crl  mutual
    A       B  3.0    True
    B       A  3.0    True
    C       B  2.0   False
    """
    if ties not in ("first", "raise"):
        raise ConfigError(f"ties={ties!r} is unknown; use 'first' or 'raise'")
    a = _checked_crl(crl)
    best = a.argmax(axis=1)
    top = a[np.arange(len(a)), best]
    tied = (a == top[:, None]).sum(axis=1) > 1
    if tied.any():
        names = crl.index[tied]
        msg = f"strongest partner is tied for {_first(names)} (equal maximal CRL)"
        if ties == "raise":
            raise DataError(msg + "; break the tie in the data or pass ties='first'")
        log.warning("%s; the first partner in index order was taken", msg)
    mutual = best[best] == np.arange(len(a))
    idx = crl.index
    return pd.DataFrame(
        {"partner": idx[best].to_numpy(), "crl": top, "mutual": mutual}, index=idx.copy()
    )


def strongest_partner(crl: pd.DataFrame, *, ties: str = "first") -> pd.Series:
    """Strongest partner argmax_{j != i} CRL_ij of every country (docs/methods.md A5).

    See :func:`strongest_links` for ties and errors.

    Returns
    -------
    Series
        Country -> partner label, name ``"partner"``.

    Examples
    --------
    >>> crl = pd.DataFrame([[0, 3, 1], [3, 0, 2], [1, 2, 0]],
    ...                    index=["A", "B", "C"], columns=["A", "B", "C"])
    >>> strongest_partner(crl).to_dict()
    {'A': 'B', 'B': 'A', 'C': 'B'}
    """
    return strongest_links(crl, ties=ties)["partner"]


def linkage_graph(crl: pd.DataFrame, *, full: bool = False, ties: str = "first"):
    """The linkage graph as a ``networkx.DiGraph``.

    Default: the strongest-partner graph, one edge i -> partner_i per country
    (out-degree 1 everywhere), edge attribute ``crl``. With ``full=True``:
    every off-diagonal pair with CRL > 0, both directions.

    Returns
    -------
    networkx.DiGraph
        Nodes = ``crl.index`` in order.

    Examples
    --------
    >>> crl = pd.DataFrame([[0, 3, 1], [3, 0, 2], [1, 2, 0]],
    ...                    index=["A", "B", "C"], columns=["A", "B", "C"])
    >>> sorted(linkage_graph(crl).edges(data="crl"))
    [('A', 'B', 3.0), ('B', 'A', 3.0), ('C', 'B', 2.0)]
    """
    import networkx as nx

    G = nx.DiGraph()
    G.add_nodes_from(crl.index)
    if not full:
        links = strongest_links(crl, ties=ties)
        G.add_weighted_edges_from(
            zip(links.index, links["partner"], links["crl"], strict=True), weight="crl"
        )
        return G
    a = _checked_crl(crl)
    i, j = np.nonzero(a > 0)
    idx = crl.index
    G.add_weighted_edges_from(zip(idx[i], idx[j], a[i, j], strict=True), weight="crl")
    return G


def successor_components(succ: np.ndarray) -> np.ndarray:
    """Weakly connected components of the graph i -> succ[i] (one edge out of every node), as
    labels 0..m-1 in the order of each component's smallest node (the labels of
    ``scipy.sparse.csgraph.connected_components(..., connection="weak")``, tested equal),
    without building a sparse matrix.

    Every component of such a graph holds exactly one cycle, reached from any of its nodes in
    fewer than n steps: pointer doubling (p <- p[p], ceil(log2 n) + 1 times) puts every node on
    its cycle, a walk around the cycles (length 2 for the symmetric CRL) finds each cycle's
    smallest node, which names the component.

    >>> successor_components(np.array([1, 0, 3, 2, 2])).tolist()
    [0, 0, 1, 1, 1]
    """
    succ = np.asarray(succ)
    n = len(succ)
    p = succ.copy()
    for _ in range(int(np.ceil(np.log2(max(n, 2)))) + 1):
        p = p[p]
    rep, q = p.copy(), succ[p]
    moving = q != p
    while moving.any():  # around each cycle once, keeping its smallest node
        rep = np.where(moving, np.minimum(rep, q), rep)
        q = np.where(moving, succ[q], q)
        moving = q != p
    first = np.full(n, n)
    np.minimum.at(first, rep, np.arange(n))
    roots = np.flatnonzero(first < n)
    label = np.empty(n, dtype=np.int64)
    label[roots[np.argsort(first[roots], kind="stable")]] = np.arange(len(roots))
    return label[rep]


def _label(groups: list, index: pd.Index) -> pd.Series:
    """Alliance ids 1, 2, ... by decreasing size, then by smallest member label."""
    groups = [sorted(g, key=str) for g in groups]
    groups.sort(key=lambda g: (-len(g), str(g[0])))
    ids = {m: k for k, g in enumerate(groups, start=1) for m in g}
    out = pd.Series([ids[c] for c in index], index=index.copy(), name="alliance", dtype="int64")
    return out


def _link_weights(a: np.ndarray, weighting: str) -> np.ndarray:
    """Symmetric, non-negative link weights with a zero diagonal.

    ``"crl"``: (CRL_ij + CRL_ji) / 2 rescaled to max 1. ``"share"``: each
    country's links as shares of its total linkage, P_ij = CRL_ij / sum_k CRL_ik,
    then (P_ij + P_ji) / 2 - every country weighs the same, so a few very
    strong pairs cannot dominate (raw CRL spans many orders of magnitude).
    """
    s = a.copy()
    np.fill_diagonal(s, 0.0)
    if weighting == "share":
        rows = s.sum(axis=1, keepdims=True)
        s = np.divide(s, rows, out=np.zeros_like(s), where=rows > 0)
    s = (s + s.T) / 2.0
    peak = s.max()
    if not peak > 0:
        raise DataError("every CRL link is zero; alliances are undefined (check the scores)")
    return s / peak


def _split_groups(crl: pd.DataFrame, a: np.ndarray, k: int, ties: str) -> list[list[int]]:
    """Union strongest-partner pairs in decreasing CRL until k groups (k >= components)."""
    links = strongest_links(crl, ties=ties)
    pos = crl.index.get_indexer(links["partner"])
    pairs: dict[tuple[int, int], float] = {}
    for i, j in enumerate(pos):
        key = (min(i, int(j)), max(i, int(j)))
        pairs[key] = max(pairs.get(key, 0.0), a[i, j])
    edges = sorted(pairs, key=lambda e: (-pairs[e], e))
    parent = list(range(len(a)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    count = len(a)
    for u, v in edges:
        if count <= k:
            break
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[max(ru, rv)] = min(ru, rv)
            count -= 1
    groups: dict[int, list[int]] = {}
    for x in range(len(a)):
        groups.setdefault(find(x), []).append(x)
    return sorted(groups.values(), key=min)


def _group_links(groups: list[list[int]], w: np.ndarray, linkage: str) -> np.ndarray:
    """Group x group total ("average") or maximal ("single") link weight, O(n^2)."""
    order = np.concatenate([np.asarray(g, dtype=int) for g in groups])
    starts = np.cumsum([0] + [len(g) for g in groups[:-1]])
    ws = w[np.ix_(order, order)]
    reduce = np.add if linkage == "average" else np.maximum
    return reduce.reduceat(reduce.reduceat(ws, starts, axis=0), starts, axis=1)


def _merge_groups(groups: list[list[int]], w: np.ndarray, k: int, linkage: str) -> list[list[int]]:
    """Agglomerate groups (Lance-Williams updates) until k remain.

    average: similarity = total link weight between two groups / (|A| |B|);
    single: the strongest single link between them. Ties go to the pair of
    groups listed first, so the result is deterministic.
    """
    c = len(groups)
    total = _group_links(groups, w, linkage)
    size = np.array([len(g) for g in groups], dtype=float)
    alive = np.ones(c, dtype=bool)
    groups = [list(g) for g in groups]
    while alive.sum() > k:
        sim = total / np.outer(size, size) if linkage == "average" else total.copy()
        sim[~alive, :] = -np.inf
        sim[:, ~alive] = -np.inf
        np.fill_diagonal(sim, -np.inf)
        x, y = divmod(int(sim.argmax()), c)
        if not sim[x, y] > 0:
            raise DataError(
                f"cannot form {k} alliances: the CRL graph splits into {int(alive.sum())} "
                f"groups with no linkage between them (zero CRL); ask for "
                f"n_alliances >= {int(alive.sum())}"
            )
        x, y = min(x, y), max(x, y)
        groups[x] += groups[y]
        alive[y] = False
        size[x] += size[y]
        if linkage == "average":
            total[x, :] += total[y, :]
            total[:, x] += total[:, y]
        else:
            total[x, :] = np.maximum(total[x, :], total[y, :])
            total[:, x] = total[x, :]
    return [groups[g] for g in range(c) if alive[g]]


def alliances(
    crl: pd.DataFrame,
    method: str = "weak-components",
    *,
    resolution: float = 1.0,
    n_alliances: int | None = None,
    seed: int = 0,
    top_k: int | None = None,
    weighting: str = "share",
    linkage: str = "average",
    ties: str = "first",
) -> pd.Series:
    """Alliances from the CRL matrix (docs/methods.md A5).

    Methods
    -------
    ``"weak-components"`` (default, the paper's)
        Weakly connected components of the strongest-partner graph
        i -> argmax_j CRL_ij. With a symmetric CRL every component is a tree
        around one mutual pair of strongest partners.
    ``"louvain"``
        Louvain communities (``networkx.community.louvain_communities``) of the
        undirected linkage graph; ``resolution`` > 1 gives more, smaller
        alliances; ``seed`` fixes the random order; ``top_k`` keeps only each
        country's k strongest links (union over both ends), which makes large
        n tractable. Link weights by ``weighting`` (below).
    ``"target"``
        Exactly ``n_alliances`` alliances, nested with the paper's partition.
        If n_alliances >= the number of weak components c: union the
        strongest-partner pairs in decreasing CRL and stop at n_alliances
        groups (the weakest strongest-partner links are cut; n_alliances = c
        gives the weak components). If n_alliances < c: start from the weak
        components and merge, one pair at a time, the two alliances with the
        largest ``linkage`` similarity of their link weights.

    Link weights (``weighting``, used by "louvain" and by "target" merging):
    ``"share"`` (default) P_ij = CRL_ij / sum_k CRL_ik, each country's links as
    shares of its own total linkage, symmetrised (P_ij + P_ji) / 2; ``"crl"``
    (CRL_ij + CRL_ji) / 2. Both are rescaled to max 1. Raw CRL values span
    many orders of magnitude (1/D^2 and the labour-cost product), so with
    ``"crl"`` a handful of close, low-wage pairs dominate the modularity and
    Louvain returns almost one community; shares give every country the same
    voice. Strongest partners (argmax per row) are the same under both.

    ``linkage`` for "target" merging: ``"average"`` (default; total link
    weight between two alliances divided by the product of their sizes) or
    ``"single"`` (their strongest single link; tends to chain into one large
    alliance).

    Alliance ids are 1, 2, ... ordered by decreasing size, then by the
    alphabetically first member, so they do not depend on the algorithm's
    internal order.

    Parameters
    ----------
    crl : DataFrame
        Square CRL matrix (:func:`~carbonshare.cooperation.crl_matrix`).
    method : {"weak-components", "louvain", "target"}
    resolution : float, default 1.0
        Louvain resolution (> 0).
    n_alliances : int, optional
        Number of alliances for ``"target"`` (1 <= n_alliances <= n).
    seed : int, default 0
        Louvain seed.
    top_k : int, optional
        Louvain sparsification (see above); default all links.
    weighting : {"share", "crl"}
        Link weights for "louvain" and "target" merging.
    linkage : {"average", "single"}
        Similarity of two alliances when "target" merges them.
    ties : {"first", "raise"}
        Tied strongest partners (see :func:`strongest_links`).

    Returns
    -------
    Series
        Country -> alliance id (int, from 1), name ``"alliance"``, in the
        order of ``crl.index``.

    Raises
    ------
    ConfigError
        On an unknown method or invalid parameter.
    DataError
        On an invalid CRL matrix, or when ``n_alliances`` is below the number
        of groups with no linkage between them.

    Examples
    --------
    >>> crl = pd.DataFrame([[0, 5, 1, 0.1], [5, 0, 1, 0.1], [1, 1, 0, 4], [0.1, 0.1, 4, 0]],
    ...                    index=list("ABCD"), columns=list("ABCD"))
    >>> alliances(crl).tolist()
    [1, 1, 2, 2]
    >>> alliances(crl, "target", n_alliances=1).tolist()
    [1, 1, 1, 1]
    >>> alliances(crl, "target", n_alliances=3).tolist()
    [1, 1, 2, 3]

    References
    ----------
    Zhou, Xiang, Zhu & Wang (2024), iScience 27, 109412 (Figs. 1-2);
    Blondel et al. (2008), J. Stat. Mech. P10008 (Louvain);
    Lance & Williams (1967), Computer J. 9, 373-380 (agglomerative updates).
    """
    if method not in ALLIANCE_METHODS:
        raise ConfigError(
            f"alliance method {method!r} is unknown; use one of {', '.join(ALLIANCE_METHODS)}"
        )
    if weighting not in WEIGHTINGS:
        raise ConfigError(f"weighting={weighting!r} is unknown; use 'share' or 'crl'")
    if linkage not in LINKAGES:
        raise ConfigError(f"linkage={linkage!r} is unknown; use 'average' or 'single'")
    if method == "weak-components":  # of the strongest-partner graph (one edge out per node)
        succ = crl.index.get_indexer(strongest_links(crl, ties=ties)["partner"])
        comp = successor_components(succ)
        return _label([list(crl.index[comp == k]) for k in range(comp.max() + 1)], crl.index)
    a = _checked_crl(crl)
    idx, n = crl.index, len(a)
    if method == "target":
        if n_alliances is None or not (1 <= int(n_alliances) <= n):
            raise ConfigError(
                f"n_alliances={n_alliances!r} is invalid for method 'target'; "
                f"give an integer between 1 and {n}"
            )
        k = int(n_alliances)
        groups = _split_groups(crl, a, k, ties)
        if len(groups) > k:
            groups = _merge_groups(groups, _link_weights(a, weighting), k, linkage)
        return _label([[idx[i] for i in g] for g in groups], idx)
    if not resolution > 0:
        raise ConfigError(f"resolution={resolution!r} must be > 0 for method 'louvain'")
    import networkx as nx

    s = _link_weights(a, weighting)
    if top_k is not None:
        if not (1 <= int(top_k) < n):
            raise ConfigError(f"top_k={top_k!r} must be an integer between 1 and {n - 1}")
        order = np.argsort(-s, axis=1, kind="stable")[:, : int(top_k)]
        keep = np.zeros_like(s, dtype=bool)
        keep[np.arange(n)[:, None], order] = True
        s = np.where(keep | keep.T, s, 0.0)
    i, j = np.nonzero(np.triu(s, k=1))
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from(zip(i.tolist(), j.tolist(), s[i, j].tolist(), strict=True))
    comms = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed)
    return _label([[idx[x] for x in c] for c in comms], idx)


def alliance_table(
    members: pd.Series,
    countries: pd.DataFrame,
    *,
    continent: str = "continent",
    name: str | None = "name",
) -> pd.DataFrame:
    """Summary of alliances: members, size, continents spanned.

    Parameters
    ----------
    members : Series
        Country (ISO3) -> alliance id, as from :func:`alliances`.
    countries : DataFrame
        Indexed by ISO3 with a ``continent`` column (and ``name`` if wanted),
        e.g. ``carbonshare.data.load_countries()``.
    continent : str
        Column of ``countries`` with the continent.
    name : str or None
        Column with country names for ``member_names``; None to skip.

    Returns
    -------
    DataFrame
        Index ``alliance``; columns ``size``, ``members`` (ISO3, comma-separated,
        sorted), ``member_names`` (if ``name``), ``continents`` (sorted,
        comma-separated) and ``n_continents``.

    Raises
    ------
    DataError
        If a member is missing from ``countries`` or its continent is missing.

    Examples
    --------
    >>> members = pd.Series({"FRA": 1, "DEU": 1, "MAR": 1, "JPN": 2})
    >>> countries = pd.DataFrame({"continent": ["Europe", "Europe", "Africa", "Asia"]},
    ...                          index=["FRA", "DEU", "MAR", "JPN"])
    >>> alliance_table(members, countries, name=None)  # doctest: +NORMALIZE_WHITESPACE
              size        members      continents  n_continents
    alliance
    1            3  DEU, FRA, MAR  Africa, Europe             2
    2            1            JPN            Asia             1
    """
    if continent not in countries.columns:
        raise DataError(f"countries table lacks the {continent!r} column")
    unknown = [c for c in members.index if c not in countries.index]
    if unknown:
        raise DataError(f"countries {_first(unknown)} are not in the countries table")
    cont = countries[continent].reindex(members.index)
    nocont = cont.index[cont.isna()]
    if len(nocont):
        raise DataError(f"no {continent} for {_first(nocont)}; complete the countries table")
    rows = {}
    cont_of = cont.to_dict()  # label look-ups in plain dicts: O(n) for thousands of alliances
    names = countries[name].to_dict() if name is not None and name in countries.columns else None
    for aid, group in members.groupby(members, sort=True):
        iso = sorted(group.index, key=str)
        conts = sorted({cont_of[c] for c in iso})
        row = {"size": len(iso), "members": ", ".join(iso)}
        if names is not None:
            row["member_names"] = ", ".join(str(names[c]) for c in iso)
        row.update(continents=", ".join(conts), n_continents=len(conts))
        rows[aid] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "alliance"
    return out
