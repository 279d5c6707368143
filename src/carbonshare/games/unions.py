"""A priori unions (coalition structures) used by the Owen value and the
two-stage Shapley allocation (docs/methods.md A6: the alliances are the unions)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carbonshare.errors import GameError
from carbonshare.games.game import Game, format_coalition

UnionsLike = pd.Series | Mapping[Hashable, Iterable[Hashable]]


@dataclass(frozen=True)
class Partition:
    """A partition of the players into unions.

    Attributes
    ----------
    labels : union labels, in order of first appearance.
    ids : int array (n,), ``ids[k]`` = position in ``labels`` of the union of
        ``game.players[k]``.
    """

    labels: tuple[Hashable, ...]
    ids: np.ndarray

    @property
    def m(self) -> int:
        """Number of unions."""
        return len(self.labels)


def partition(game: Game, unions: UnionsLike) -> Partition:
    """Check and index a priori unions against the players of ``game``.

    Parameters
    ----------
    game : the game.
    unions : ``pd.Series`` player -> union label (every player exactly once),
        a mapping union label -> list of players, or a list of lists of players
        (``[["A", "B"], ["C"]]``; each union is labelled by its members, ``{A,B}``).

    Raises
    ------
    GameError  naming a player that is unknown, missing or in two unions.

    Examples
    --------
    >>> from carbonshare.games.game import TabularGame
    >>> g = TabularGame.from_function(["a", "b", "c"], len)
    >>> p = partition(g, {"X": ["a", "c"], "Y": ["b"]})
    >>> p.labels, p.ids.tolist()
    (('X', 'Y'), [0, 1, 0])
    >>> partition(g, [["a", "c"], ["b"]]).labels
    ('{a,c}', '{b}')
    """
    groups = None
    if isinstance(unions, Mapping):
        groups = list(unions.items())
    elif isinstance(unions, list | tuple) and all(isinstance(u, list | tuple) for u in unions):
        groups = [(format_coalition(members), members) for members in unions]
    if isinstance(unions, pd.Series):
        if unions.index.has_duplicates:
            dup = unions.index[unions.index.duplicated()][0]
            raise GameError(f"player {dup!r} appears twice in the unions; give one union each")
        pairs = list(unions.items())
    elif groups is not None:
        pairs = []
        owner: dict[Hashable, Hashable] = {}
        for label, members in groups:
            if isinstance(members, str):
                members = [members]
            if not isinstance(members, Iterable):
                raise GameError(
                    f"union {label!r} is {members!r}; give each union a list of player names"
                )
            for p in members:
                if not isinstance(p, Hashable):
                    raise GameError(f"union {label!r} lists {p!r}, which is not a player name")
                if p in owner:
                    raise GameError(
                        f"player {p!r} is in union {owner[p]!r} and in union {label!r}; "
                        "a priori unions must not overlap"
                    )
                owner[p] = label
                pairs.append((p, label))
    else:
        raise GameError(
            f"unions must be a pandas Series (player -> union), a mapping (union -> players) "
            f"or a list of lists of players; got {type(unions).__name__}"
        )
    ids = np.full(game.n, -1, dtype=np.int64)
    labels: list[Hashable] = []
    pos: dict[Hashable, int] = {}
    for player, label in pairs:
        k = game.index.get(player)
        if k is None:
            raise GameError(
                f"unions name player {player!r}, who is not a player of the game; "
                f"players are {list(game.players)[:10]}{' ...' if game.n > 10 else ''}"
            )
        if label is None or (np.ndim(label) == 0 and pd.isna(label)):
            raise GameError(f"player {player!r} has no union label (NaN); give every player one")
        if label not in pos:
            pos[label] = len(labels)
            labels.append(label)
        ids[k] = pos[label]
    missing = [game.players[k] for k in np.flatnonzero(ids < 0)]
    if missing:
        raise GameError(
            f"{len(missing)} players are in no union: {missing[:10]}; every player needs "
            "a union (a singleton union is fine)"
        )
    return Partition(tuple(labels), ids)
