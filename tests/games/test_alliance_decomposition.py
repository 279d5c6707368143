"""Q_i = alpha_i/3 + 2 rho_i/3 + eps_i (games/alliance.py docstring) against brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.errors import GameError
from carbonshare.games import alliance_game


def _random(n, seed, zeros):
    rng = np.random.default_rng(seed)
    names = [f"P{k}" for k in range(n)]
    aci = pd.Series(rng.uniform(0.0, 2.0, n), index=names)
    c = rng.lognormal(0.0, 2.0, (n, n))  # asymmetric, spread over orders of magnitude
    if zeros:
        c[rng.random((n, n)) < 0.4] = 0.0
        c[0, 1] = 1.0  # keep v(N) > 0
    return aci, pd.DataFrame(c, index=names, columns=names)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("n", [2, 3, 4, 6, 8])
def test_identity_equals_brute_force_shapley_shares(brute, n, seed):
    aci, crl = _random(n, seed, zeros=seed % 2 == 1)
    game = alliance_game(aci, crl)
    a, c = aci.to_dict(), {i: crl.loc[i].to_dict() for i in crl.index}
    v = brute.alliance_v(a, c)
    phi = brute.shapley(list(aci.index), v)
    grand = v(frozenset(aci.index))
    q = np.array([phi[p] / grand for p in aci.index])
    alpha, rho, eps = game.shapley_decomposition()
    # alpha and rho from their definitions, not from the code under test
    w = crl.to_numpy() + crl.to_numpy().T
    np.fill_diagonal(w, 0.0)
    assert alpha == pytest.approx(aci.to_numpy() / aci.sum(), rel=1e-12)
    assert rho == pytest.approx(w.sum(axis=1) / w.sum(), rel=1e-12)
    assert alpha / 3 + 2 * rho / 3 + eps == pytest.approx(q, rel=1e-10, abs=1e-13)
    assert eps.sum() == pytest.approx(0.0, abs=1e-13)
    # the floors hold for every non-negative game
    assert (q >= alpha / 3 - 1e-13).all()
    assert (q >= rho / 3 - 1e-13).all()


def test_floor_is_attained_by_a_country_without_linkage():
    """A country with no link at all gets exactly alpha_i / 3 (its triple terms only)."""
    aci = pd.Series([1.0, 2.0, 3.0], index=list("ABC"))
    crl = pd.DataFrame([[0, 1, 0], [1, 0, 0], [0, 0, 0]], index=list("ABC"), columns=list("ABC"))
    alpha, rho, eps = alliance_game(aci, crl).shapley_decomposition()
    q_c = alpha[2] / 3 + 2 * rho[2] / 3 + eps[2]
    assert rho[2] == 0.0 and q_c == pytest.approx(alpha[2] / 3)
    assert q_c == pytest.approx(0.5 / 3)


def test_zero_grand_value_raises():
    aci = pd.Series([1.0, 1.0], index=list("AB"))
    crl = pd.DataFrame(0.0, index=list("AB"), columns=list("AB"))
    with pytest.raises(GameError, match="v\\(N\\)"):
        alliance_game(aci, crl).shapley_decomposition()
