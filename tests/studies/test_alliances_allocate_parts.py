"""allocate() solves the total and its parts with one CRL (issue 14): against the former
one-game-per-part computation, on random inputs."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import pytest

from carbonshare.cooperation.linkage import stage1_values, two_stage_values
from carbonshare.errors import GameError
from carbonshare.games import alliance_game, owen_value, partition, shapley_value
from carbonshare.studies.alliances import allocate


def _old_allocate(aci_parts, crl, members, methods, stage1):
    """The per-part computation of allocate before issue 14 (ten games, one per part)."""
    aci_total = aci_parts.sum(axis=1)
    game = alliance_game(aci_total, crl)
    members = members.reindex(aci_total.index)
    ids = partition(game, members).ids
    part_games = {p: alliance_game(aci_parts[p], crl) for p in aci_parts.columns}
    out = {}
    for method in methods:
        if method == "two_stage":
            c = game.crl
            total = pd.Series(two_stage_values(game.aci, c, ids, stage1), index=aci_total.index)
            psi = pd.Series(game.within_union_shapley_array(ids), index=total.index)
            q_union = pd.Series(stage1_values(game.aci, c, ids, stage1)[ids], index=total.index)
            size = members.groupby(members).transform("size")
            use_psi = (size > 1) & (psi > 0) & psi.groupby(members).transform("min").gt(0)
            parts = {}
            for p, g in part_games.items():
                psi_p = pd.Series(g.within_union_shapley_array(ids), index=total.index)
                owen_p = stage1_values(g.aci, c, ids, stage1)[ids]
                via_psi = total * psi_p / psi.where(use_psi, 1.0)
                via_union = total * owen_p / q_union.where(q_union > 0, 1.0)
                parts[p] = via_psi.where(use_psi, via_union)
        else:
            solve = shapley_value if method == "shapley" else partial(owen_value, unions=members)
            total = solve(game)
            parts = {p: solve(g) for p, g in part_games.items()}
        frame = pd.DataFrame({"share": total, **parts}) * (100.0 / float(total.sum()))
        frame.index.name = "iso3"
        out[method] = frame
    return out


def _random(n, k, m, seed, *, zero_psi=False):
    rng = np.random.default_rng(seed)
    names = [f"C{i:03d}" for i in range(n)]
    parts = pd.DataFrame(
        rng.uniform(0, 1, (n, k)), index=names, columns=[f"X{j}" for j in range(k)]
    )
    c = rng.lognormal(0, 1, (n, n))
    c[rng.random((n, n)) < 0.2] = 0.0
    np.fill_diagonal(c, np.nan)
    labels = rng.integers(0, m, n)
    if zero_psi:  # an alliance whose members have no ACI: its parts take the stage-1 route
        parts.iloc[np.flatnonzero(labels == 0)] = 0.0
    crl = pd.DataFrame(c, index=names, columns=names)
    order = rng.permutation(n)  # labels in another order than the parts: matched by label
    return parts, crl.iloc[order, order[::-1]], pd.Series(labels + 1, index=names)


@pytest.mark.parametrize("stage1", ["quotient", "within_only", "cross_only"])
@pytest.mark.parametrize(("n", "k", "m", "seed"), [(60, 9, 12, 0), (40, 3, 40, 1), (30, 2, 2, 2)])
def test_allocate_equals_one_game_per_part(n, k, m, seed, stage1):
    parts, crl, members = _random(n, k, m, seed)
    methods = ("two_stage", "shapley", "owen")
    new = allocate(parts, crl, members, methods, stage1=stage1)
    old = _old_allocate(parts, crl, members, methods, stage1)
    for method in methods:
        pd.testing.assert_frame_equal(new[method], old[method], rtol=1e-10, atol=1e-12)


def test_allocate_one_alliance_equals_one_game_per_part():
    parts, crl, members = _random(30, 4, 1, 5)
    new = allocate(parts, crl, members, stage1="within_only")
    old = _old_allocate(parts, crl, members, ("two_stage", "shapley", "owen"), "within_only")
    for method, frame in new.items():
        pd.testing.assert_frame_equal(frame, old[method], rtol=1e-10, atol=1e-12)


def test_allocate_zero_psi_alliance_equals_one_game_per_part():
    parts, crl, members = _random(50, 4, 6, 3, zero_psi=True)
    new = allocate(parts, crl, members)
    old = _old_allocate(parts, crl, members, ("two_stage", "shapley", "owen"), "quotient")
    for method, frame in new.items():
        pd.testing.assert_frame_equal(frame, old[method], rtol=1e-10, atol=1e-12)


def test_allocate_names_a_non_finite_part():
    parts, crl, members = _random(10, 3, 3, 4)
    parts.loc["C004", "X1"] = np.nan
    with pytest.raises(GameError, match=r"'X1' part of the ACI of 'C004'"):
        allocate(parts, crl, members)
