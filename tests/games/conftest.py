"""Brute-force reference implementations, written straight from the definitions.

They enumerate coalitions or orders in plain Python and share no code with
carbonshare.games, so agreement with them is an independent check.
"""

from __future__ import annotations

import itertools
import math
from types import SimpleNamespace

import pytest


def subsets(items):
    items = list(items)
    for r in range(len(items) + 1):
        yield from (frozenset(c) for c in itertools.combinations(items, r))


def shapley(players, v):
    """phi_i = sum_{S subset N-i} |S|!(n-|S|-1)!/n! [v(S+i) - v(S)] (Shapley 1953)."""
    n = len(players)
    out = {}
    for i in players:
        others = [p for p in players if p != i]
        tot = 0.0
        for s in subsets(others):
            w = math.factorial(len(s)) * math.factorial(n - len(s) - 1) / math.factorial(n)
            tot += w * (v(s | {i}) - v(s))
        out[i] = tot
    return out


def banzhaf(players, v):
    """beta_i = 2^{-(n-1)} sum_{S subset N-i} [v(S+i) - v(S)] (Banzhaf 1965)."""
    n = len(players)
    out = {}
    for i in players:
        others = [p for p in players if p != i]
        out[i] = sum(v(s | {i}) - v(s) for s in subsets(others)) / 2 ** (n - 1)
    return out


def owen(players, v, unions):
    """Owen (1977) formula: double sum over sets of other unions and subsets of one's own union.

    ``unions`` is a list of lists of players.
    """
    m = len(unions)
    out = {}
    for k, uk in enumerate(unions):
        other_unions = [frozenset(u) for j, u in enumerate(unions) if j != k]
        for i in uk:
            own = [p for p in uk if p != i]
            tot = 0.0
            for t in range(m):
                for tset in itertools.combinations(other_unions, t):
                    q = frozenset().union(*tset)
                    wt = math.factorial(t) * math.factorial(m - t - 1) / math.factorial(m)
                    for s in subsets(own):
                        ws = (
                            math.factorial(len(s))
                            * math.factorial(len(uk) - len(s) - 1)
                            / math.factorial(len(uk))
                        )
                        tot += wt * ws * (v(q | s | {i}) - v(q | s))
            out[i] = tot
    return out


def two_stage(players, v, unions):
    """docs/methods.md A6: Shapley of the quotient game, then within-union Shapley scaled."""
    labels = list(range(len(unions)))
    members = {k: frozenset(u) for k, u in enumerate(unions)}

    def vq(tset):
        return v(frozenset().union(*(members[k] for k in tset)) if tset else frozenset())

    q = shapley(labels, vq)
    out = {}
    for k, uk in enumerate(unions):
        psi = shapley(list(uk), lambda s: v(frozenset(s)))
        tot = sum(psi.values())
        for i in uk:
            if len(uk) == 1:
                out[i] = q[k]
            elif tot == 0:  # scaling undefined: equal split (carbonshare's on_zero="equal")
                out[i] = q[k] / len(uk)
            else:
                out[i] = q[k] * psi[i] / tot
    return out


def alliance_v(aci, crl):
    """v(S) = (sum_{i in S} a_i)(sum_{i != j in S} c_ij) straight from Eq. 10 (dict inputs)."""

    def v(s):
        s = list(s)
        return sum(aci[i] for i in s) * sum(crl[i][j] for i in s for j in s if i != j)

    return v


@pytest.fixture
def brute():
    return SimpleNamespace(
        subsets=subsets,
        shapley=shapley,
        banzhaf=banzhaf,
        owen=owen,
        two_stage=two_stage,
        alliance_v=alliance_v,
    )
