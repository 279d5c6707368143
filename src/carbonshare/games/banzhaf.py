"""The Banzhaf value, raw and normalised.

beta_i = 2^{-(n-1)} sum_{S subset N \\ {i}} [v(S u {i}) - v(S)]
       = 2^{-(n-1)} [ 2 sum_{S containing i} v(S) - sum_S v(S) ]   (tables)
       = sum_{T containing i} d_T / 2^{|T|-1}                     (dividends)

The raw Banzhaf value need not sum to v(N); the normalised value rescales it
to v(N) (Coleman's / Banzhaf's normalisation).

References
----------
Banzhaf, J. F. (1965). Weighted voting doesn't work: a mathematical analysis.
Rutgers Law Review 19, 317-343. Owen, G. (1975). Multilinear extensions and
the Banzhaf value. Naval Research Logistics Quarterly 22(4), 741-750.
"""

from __future__ import annotations

import pandas as pd

from carbonshare.errors import GameError
from carbonshare.games.dividend import DividendGame
from carbonshare.games.game import MAX_TABLE_PLAYERS, Game, allocation_series, bit_marginals


def banzhaf_value(game: Game, *, normalized: bool = False) -> pd.Series:
    """Banzhaf value (raw, or normalised to sum to v(N)).

    Parameters
    ----------
    game : a dividend game (closed form) or a game with n <= 25 (table).
    normalized : rescale so that the values sum to v(N).

    Returns
    -------
    Series player -> value, name ``"banzhaf"`` (``"banzhaf_normalized"``).

    Raises
    ------
    GameError  if ``normalized`` and the raw values sum to 0 (|sum| <= 1e-9 sum |beta|).

    Examples
    --------
    Three-player majority game (each pivotal in 2 of 4 orders of the others):

    >>> from carbonshare.games import TabularGame
    >>> maj = TabularGame.from_function(["A", "B", "C"], lambda s: float(len(s) >= 2))
    >>> banzhaf_value(maj).tolist()
    [0.5, 0.5, 0.5]
    >>> banzhaf_value(maj, normalized=True).round(4).tolist()
    [0.3333, 0.3333, 0.3333]

    References
    ----------
    Banzhaf (1965); Owen (1975).
    """
    if isinstance(game, DividendGame):
        beta = game.banzhaf_array()
    else:
        if game.n > MAX_TABLE_PLAYERS:
            raise GameError(
                f"the Banzhaf value of this {game.n}-player {type(game).__name__} needs its "
                f"2^{game.n} table (limit {MAX_TABLE_PLAYERS} players); give the game as a "
                "DividendGame for the closed form (there is no sampled Banzhaf)"
            )
        table = game.table()
        beta = (2.0 * bit_marginals(table) - table.sum()) / 2.0 ** (game.n - 1)
    if not normalized:
        return allocation_series(game, beta, "banzhaf")
    total = beta.sum()
    if abs(total) <= 1e-9 * abs(beta).sum():  # 0, or cancelled to rounding level
        raise GameError(
            "the raw Banzhaf values sum to 0, so they cannot be normalised to v(N); "
            "use normalized=False"
        )
    return allocation_series(game, beta * (game.grand_value() / total), "banzhaf_normalized")
