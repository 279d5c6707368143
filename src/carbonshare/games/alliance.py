"""The alliance game of docs/methods.md A6 and its closed-form solutions.

v(S) = ( sum_{i in S} a_i ) * ( sum_{i, j in S, i != j} c_ij )      (Eq. 10 of [A])

with a = ACI (alliance carbon index of each country) and c = CRL (carbon
reduction linkage, not necessarily symmetric; its diagonal is ignored).

Harsanyi dividends. Write w_ij = c_ij + c_ji (i != j), so that
sum_{i != j in S} c_ij = sum_{{i,j} subset S} w_ij and

  v(S) = sum_{k in S} sum_{{i,j} subset S} a_k w_ij.

A term with k in {i, j} depends only on the pair {i, j}; a term with k
outside {i, j} depends on the triple {i, j, k}. Since v is this sum of
products of membership indicators, its dividends are, uniquely,

  d_{ij}  = (a_i + a_j) w_ij                                   (pairs)
  d_{ijk} = a_i w_jk + a_j w_ik + a_k w_ij                     (triples)

and every other dividend is 0. With r_i = sum_j w_ij, (w a)_i = sum_j w_ij a_j,
A = sum a and W = sum_{i<j} w_ij, the sums of the dividends containing i are

  P_i = sum_{j} d_{ij}       = a_i r_i + (w a)_i
  T_i = sum_{j<k} d_{ijk}    = a_i (W - r_i) + r_i (A - a_i) - (w a)_i

(the second: the a_i-terms add up the weights of all pairs not containing i;
the other two terms, summed over unordered {j, k}, equal the ordered sum
sum_{j != k} w_ij a_k = sum_j w_ij (A - a_i - a_j)). Hence, in O(n^2):

  Shapley  phi_i  = P_i / 2 + T_i / 3
  Banzhaf  beta_i = P_i / 2 + T_i / 4

Owen value with unions (alliances). A pair dividend always gives d/2 to each
member (whether or not they share a union). A triple dividend gives d/3 to
each member if its members are in one union or in three different unions;
if two members (i, j) share a union and the third (k) does not, the two
unions get d/2 each, so k gets d/2 and i, j get d/4. Let B_i be the sum of
triple dividends in which i shares its union with exactly one other member,
and C_i the sum of those in which the other two share a union without i:

  Owen_i = P_i / 2 + T_i / 3 - B_i / 12 + C_i / 6.

With U = i's union, A_U = sum_{j in U} a_j, R^in_i = sum_{j in U} w_ij,
R^out_i = r_i - R^in_i, W_V = sum of w over pairs inside union V,
h_j = A_{U(j)} - a_j:

  B_i = a_i (sum_{j in U} R^out_j - R^out_i) + (A_U - a_i) R^out_i + (A - A_U) R^in_i
  C_i = a_i (sum_V W_V - W_U) + sum_{j not in U} w_ij h_j

Two-stage Shapley (docs/methods.md A6). Stage 1: the quotient game of the unions,
v*(T) = v(union of the members of T); its dividends are the sums of the
dividends of v over coalitions touching exactly the unions of T, so its
Shapley value Q_k equals the sum of the Owen values of union k's members
(Owen's quotient property). Stage 2: in the subgame of union U,
psi_i = P^U_i / 2 + T^U_i / 3 (the same formulas with w restricted to pairs
inside U and A, W replaced by A_U, W_U); country i gets Q_U psi_i / sum_U psi.

Capacity / linkage decomposition of the Shapley shares. Substituting P_i and
T_i, phi_i = a_i W / 3 + r_i A / 3 + ((w a)_i - a_i r_i) / 6, and v(N) = A W.
With alpha_i = a_i / A (share of total ACI) and rho_i = r_i / (2 W) (share of
total linkage; sum_i r_i = 2 W) the one-stage Shapley share Q_i = phi_i / v(N) is

  Q_i = alpha_i / 3 + 2 rho_i / 3 + eps_i,
  eps_i = sum_j w_ij (a_j - a_i) / (6 A W),   sum_i eps_i = 0

(eps is antisymmetric in the pair (i, j), so it cancels over all countries:
it moves share from a country to partners with higher capacity and back).
Each triple dividend a_k w_ij gives 1/3 to k (the alpha part) and 1/3 to each
of i and j (the rho part); the pair dividends, counted in both, leave the
correction eps. With a, w >= 0: Q_i - alpha_i / 3 = (r_i (2A - a_i) + (w a)_i)
/ (6 A W) >= 0, so alpha_i / 3 is a floor no linkage can lower (and likewise
Q_i >= rho_i / 3).

Several ACI vectors, one CRL. Every closed form above is linear in a for a
fixed w, so the games that share a CRL and differ only in ACI (the total and
its indicator parts in the alliance study) are solved together: the methods
``*_columns`` take an (n, k) matrix of ACI columns and return (n, k) values,
with the one O(n^2) pass over w (a single product w A) shared by all columns.
Union sums (R^in, the within-union products) are taken block by block over
the unions, so no second n x n array is built.

All formulas are checked against brute force on explicit tables in the tests.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from carbonshare.errors import GameError
from carbonshare.games.dividend import DividendGame
from carbonshare.games.game import Game

logger = logging.getLogger(__name__)


class AllianceGame(DividendGame):
    """The alliance game v(S) = (sum_{S} a) * (sum_{i != j in S} c_ij) (docs/methods.md A6).

    A :class:`DividendGame` whose dividends live on pairs and triples; its
    Shapley, Owen, Banzhaf and two-stage values use O(n^2) closed forms (see
    the module docstring) and never materialise the n^3 triples. Build it
    with :func:`alliance_game`.

    Attributes
    ----------
    aci : float array (n,), a_i.
    crl : float array (n, n), c_ij with zero diagonal.
    """

    def __init__(
        self, players: Sequence[Hashable], aci: np.ndarray, crl: np.ndarray, *, copy: bool = True
    ) -> None:
        Game.__init__(self, players, cost=False)
        self.aci = np.asarray(aci, dtype=float)
        crl = np.array(crl, dtype=float, copy=True) if copy else np.asarray(crl, dtype=float)
        np.fill_diagonal(crl, 0.0)
        self.crl = crl
        self._w = crl + crl.T
        self._lazy_groups: dict[int, tuple[np.ndarray, np.ndarray]] | None = None

    # -- evaluation ----------------------------------------------------------------------------
    def values(self, membership: np.ndarray) -> np.ndarray:
        x = np.asarray(membership, dtype=float)
        total_aci = x @ self.aci
        linkage = np.einsum("mi,ij,mj->m", x, self.crl, x, optimize=True)
        return total_aci * linkage

    def table(self) -> np.ndarray:
        return Game.table(self)

    @property
    def groups(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Pair and triple dividends, materialised on first use (O(n^3) memory)."""
        if self._lazy_groups is None:
            a, w, n = self.aci, self._w, self.n
            i, j = np.triu_indices(n, 1)
            pairs = (np.stack([i, j], axis=1), (a[i] + a[j]) * w[i, j])
            if n >= 3:
                ii, jj, kk = _triples(n)
                vals = a[ii] * w[jj, kk] + a[jj] * w[ii, kk] + a[kk] * w[ii, jj]
                triples = (np.stack([ii, jj, kk], axis=1), vals)
            else:
                triples = (np.zeros((0, 3), dtype=np.int64), np.zeros(0))
            self._lazy_groups = {2: pairs, 3: triples}
        return self._lazy_groups

    def dividends_nonnegative(self) -> bool:
        """True if all dividends are >= 0; O(n^2) sufficient test ACI >= 0 and CRL >= 0 first."""
        if (self.aci >= 0).all() and (self._w >= 0).all():
            return True
        return super().dividends_nonnegative()

    # -- closed forms --------------------------------------------------------------------------
    def _pair_triple_sums(self) -> tuple[np.ndarray, np.ndarray]:
        return _pair_triple_sums(self.aci, self._w)

    def shapley_array(self) -> np.ndarray:
        return shapley_closed_form(self.aci, self._w)

    def shapley_decomposition(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(alpha, rho, eps) with Shapley share Q_i = alpha_i/3 + 2 rho_i/3 + eps_i (module doc).

        alpha_i = a_i / A, rho_i = r_i / (2 W), eps_i = sum_j w_ij (a_j - a_i) / (6 A W);
        all dimensionless and exact. Raises GameError if A W = v(N) = 0 (no shares).
        """
        a, w = self.aci, self._w
        total_a, total_w = a.sum(), w.sum() / 2.0
        if not total_a * total_w != 0:
            raise GameError(
                "v(N) = (sum ACI)(sum CRL) is 0, so shares are undefined; give some positive "
                "ACI and some positive CRL"
            )
        r = w.sum(axis=1)
        eps = (w @ a - a * r) / (6.0 * total_a * total_w)
        return a / total_a, r / (2.0 * total_w), eps

    def banzhaf_array(self) -> np.ndarray:
        pair, triple = self._pair_triple_sums()
        return pair / 2.0 + triple / 4.0

    def owen_array(self, ids: np.ndarray) -> np.ndarray:
        return self.owen_columns(self.aci, ids)

    def within_union_shapley_array(self, ids: np.ndarray) -> np.ndarray:
        return within_union_closed_form(self.aci, self._w, ids)

    # -- several ACI vectors with this CRL ------------------------------------------------------
    def shapley_columns(self, aci: np.ndarray) -> np.ndarray:
        """Shapley values of the games with this CRL and ACI = each column of ``aci``.

        ``aci`` is (n,) or (n, k); the result has its shape. v is linear in ACI, so column
        k is the part of the Shapley value that ACI column k brings (the columns of a split
        of ACI add up to the value of the whole). One product w A for all columns.

        >>> g = AllianceGame(list("ABC"), [1.0, 2.0, 3.0], np.ones((3, 3)))
        >>> parts = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])  # columns add up to ACI
        >>> g.shapley_columns(parts).sum(axis=1).tolist(), g.shapley_array().tolist()
        ([11.0, 12.0, 13.0], [11.0, 12.0, 13.0])
        """
        return shapley_closed_form(np.asarray(aci, dtype=float), self._w)

    def within_union_columns(self, aci: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """psi (Shapley value in the own union's subgame) for each ACI column; as
        :meth:`shapley_columns`, ``ids`` the union index 0..m-1 of each player."""
        return within_union_closed_form(np.asarray(aci, dtype=float), self._w, ids)

    def owen_columns(self, aci: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Owen value with unions ``ids`` (0..m-1) for each ACI column (module docstring);
        (n,) or (n, k) in, same shape out, one product w [A, A_U] for all columns.

        >>> g = AllianceGame(list("ABC"), [1.0, 2.0, 3.0], np.ones((3, 3)))
        >>> ids = np.array([0, 0, 1])
        >>> parts = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])  # columns add up to ACI
        >>> g.owen_columns(parts, ids).sum(axis=1).tolist(), g.owen_array(ids).tolist()
        ([10.0, 11.0, 15.0], [10.0, 11.0, 15.0])
        """
        a = np.asarray(aci, dtype=float)
        x = a.reshape(len(a), -1)
        w, k = self._w, x.shape[1]
        m = int(ids.max()) + 1
        a_own = _union_sums(x, ids, m)[ids]
        both = np.hstack([x, a_own])
        w_both = w @ both  # [w a, w a_own]
        r_in, w_in_both = within_union_products(w, ids, both)
        r = w.sum(axis=1)[:, None]
        r_in = r_in[:, None]
        wa = w_both[:, :k]
        pair = x * r + wa
        triple = x * (w.sum() / 2.0 - r) + r * (x.sum(axis=0) - x) - wa
        r_out = r - r_in
        rout_u = _union_sums(r_out, ids, m)
        w_u = _union_sums(r_in, ids, m) / 2.0
        b = x * (rout_u[ids] - r_out) + (a_own - x) * r_out + (x.sum(axis=0) - a_own) * r_in
        # (w - w_in) h with h = a_own - a
        w_out_h = (w_both[:, k:] - wa) - (w_in_both[:, k:] - w_in_both[:, :k])
        c = x * (w_u.sum() - w_u[ids]) + w_out_h
        out = pair / 2.0 + triple / 3.0 - b / 12.0 + c / 6.0
        return out.reshape(a.shape)


def _union_sums(x: np.ndarray, ids: np.ndarray, m: int) -> np.ndarray:
    """Sum of the rows of ``x`` ((n,) or (n, k)) in each union 0..m-1: (m,) or (m, k)."""
    if x.ndim == 1:
        return np.bincount(ids, x, minlength=m)
    return np.stack([np.bincount(ids, col, minlength=m) for col in x.T], axis=1)


#: Up to this many players :func:`within_union_products` builds w_in (two n x n temporaries,
#: 9 MB at 1,024): one pass instead of a gather per union, 15x faster at n = 171.
DENSE_UNION_MAX = 1024


def within_union_products(
    w: np.ndarray, ids: np.ndarray, x: np.ndarray, dense_max: int = DENSE_UNION_MAX
) -> tuple[np.ndarray, np.ndarray]:
    """R^in_i = sum_{j in U(i)} w_ij and (w_in x)_i = sum_{j in U(i)} w_ij x_j.

    w_in is w restricted to pairs inside a union. Above ``dense_max`` players it is never
    built: each union's block of w is read on its own (memory of the largest union's block).

    Parameters
    ----------
    w : (n, n) pair weights; ids : (n,) union index 0..m-1; x : (n,) or (n, k);
    dense_max : the largest n for which w_in is built.

    Examples
    --------
    >>> w = np.array([[0, 1, 2], [1, 0, 4], [2, 4, 0]], dtype=float)
    >>> r_in, wx = within_union_products(w, np.array([0, 1, 0]), np.array([1.0, 10.0, 100.0]))
    >>> r_in.tolist(), wx.tolist()
    ([2.0, 0.0, 2.0], [200.0, 0.0, 2.0])
    """
    if len(ids) <= dense_max:
        w_in = np.where(ids[:, None] == ids[None, :], w, 0.0)
        return w_in.sum(axis=1), w_in @ x
    order = np.argsort(ids, kind="stable")
    bounds = np.flatnonzero(np.diff(ids[order])) + 1
    r_in = np.zeros(len(ids))
    wx = np.zeros(np.shape(x))
    for members in np.split(order, bounds):
        if len(members) < 2:
            continue  # a singleton has no pair inside its union
        block = w[np.ix_(members, members)]
        r_in[members] = block.sum(axis=1)
        wx[members] = block @ x[members]
    return r_in, wx


def _pair_triple_sums(a: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P and T of the module docstring; ``a`` (n,) or (n, k) ACI columns, one product w a."""
    r = w.sum(axis=1)
    if a.ndim == 2:
        r = r[:, None]
    wa = w @ a
    pair = a * r + wa
    triple = a * (w.sum() / 2.0 - r) + r * (a.sum(axis=0) - a) - wa
    return pair, triple


def shapley_closed_form(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Shapley value phi_i = P_i / 2 + T_i / 3 (module docstring) from ACI ``a`` ((n,) or
    (n, k) columns, one game each) and the symmetric pair weights ``w`` = CRL + CRL^T with
    zero diagonal; arrays in, array of the shape of ``a`` out."""
    pair, triple = _pair_triple_sums(a, w)
    return pair / 2.0 + triple / 3.0


def within_union_closed_form(a: np.ndarray, w: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """psi_i: Shapley value of i in its own union's subgame (``ids`` 0..m-1), arrays only;
    ``a`` (n,) or (n, k) ACI columns (one game each), result of the same shape."""
    m = int(ids.max()) + 1
    r_in, wa_in = within_union_products(w, ids, a)
    if a.ndim == 2:
        r_in = r_in[:, None]
    a_own = _union_sums(a, ids, m)[ids]
    w_own = (_union_sums(r_in, ids, m) / 2.0)[ids]
    pair = a * r_in + wa_in
    triple = a * (w_own - r_in) + r_in * (a_own - a) - wa_in
    return pair / 2.0 + triple / 3.0


def _triples(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All i < j < k as three int arrays (lexicographic)."""
    i, j = np.triu_indices(n, 1)
    counts = n - 1 - j
    ii = np.repeat(i, counts)
    jj = np.repeat(j, counts)
    start = np.repeat(np.cumsum(counts) - counts, counts)
    kk = jj + 1 + (np.arange(counts.sum()) - start)
    return ii, jj, kk


def alliance_game(aci: pd.Series, crl: pd.DataFrame) -> AllianceGame:
    """The cooperative game of docs/methods.md A6 (Eq. 10 of Zhou et al. 2024).

    v(S) = ( sum_{i in S} ACI_i ) * ( sum_{i, j in S, i != j} CRL_ij )

    ACI is dimensionless (a composite index); CRL is the carbon reduction
    linkage of the gravity model (Eq. 8); v has units ACI x CRL. CRL need not
    be symmetric; its diagonal is ignored (it may hold NaN).

    Parameters
    ----------
    aci : Series indexed by player (e.g. ISO3), finite values.
    crl : DataFrame with the same labels as ``aci`` on both axes (any order).

    Returns
    -------
    AllianceGame (a DividendGame) with players ``aci.index``; its Shapley,
    Owen, Banzhaf and two-stage values are exact O(n^2) closed forms.

    Raises
    ------
    GameError  naming a label missing from ``crl``, a duplicated label or a
        non-finite entry.

    Examples
    --------
    >>> aci = pd.Series({"A": 1.0, "B": 2.0, "C": 3.0})
    >>> crl = pd.DataFrame(1.0, index=list("ABC"), columns=list("ABC"))
    >>> g = alliance_game(aci, crl)
    >>> g.value(["A", "B"]), g.grand_value()
    (6.0, 36.0)

    References
    ----------
    Zhou, Xiang, Zhu & Wang (2024), iScience 27, 109412, Eq. 10-13.
    """
    if not isinstance(aci, pd.Series):
        raise GameError(f"aci must be a pandas Series indexed by player; got {type(aci).__name__}")
    if not isinstance(crl, pd.DataFrame):
        raise GameError(
            f"crl must be a pandas DataFrame indexed by player on both axes; got {type(crl).__name__}"
        )
    for what, labels in (
        ("aci index", aci.index),
        ("crl index", crl.index),
        ("crl columns", crl.columns),
    ):
        if labels.has_duplicates:
            raise GameError(
                f"{what} has duplicated label {labels[labels.duplicated()][0]!r}; labels must be unique"
            )
    players = list(aci.index)
    for what, labels in (("index", crl.index), ("columns", crl.columns)):
        missing = [p for p in players if p not in labels]
        extra = [p for p in labels if p not in aci.index]
        if missing or extra:
            raise GameError(
                f"crl {what} do not match the aci index: missing {missing[:10]}, extra {extra[:10]}; "
                "give CRL for exactly the players of ACI"
            )
    a = pd.to_numeric(aci, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(a))
    if bad.size:
        raise GameError(
            f"ACI of {players[bad[0]]!r} is {aci.iloc[bad[0]]!r}; ACI must be a finite number "
            "(impute or exclude the country first)"
        )
    in_order = crl.index.equals(aci.index) and crl.columns.equals(aci.index)
    frame = crl if in_order else crl.loc[players, players]
    if not all(pd.api.types.is_numeric_dtype(t) for t in frame.dtypes):
        frame = frame.apply(pd.to_numeric, errors="coerce")
    c = frame.to_numpy(dtype=float, copy=True)  # the game's own copy (one n x n array)
    np.fill_diagonal(c, 0.0)
    bad2 = np.argwhere(~np.isfinite(c))
    if bad2.size:
        r, k = bad2[0]
        raise GameError(
            f"CRL[{players[r]!r}, {players[k]!r}] is not a finite number; every off-diagonal "
            "CRL entry must be finite (use 0 for no linkage)"
        )
    return AllianceGame(players, a, c, copy=False)
