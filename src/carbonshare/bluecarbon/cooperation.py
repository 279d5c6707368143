"""Cooperation scenarios: lifting development capacity inside a coalition (docs/methods.md B5).

Cooperation of intensity q in [0, 1] within a coalition S lifts every
member's normalised development-capacity indicators y_ij to at least the
q-quantile Q_j(S) of the same indicator over S's members (type-7 linear
interpolation, as ``numpy.quantile``):

    y'_ij = max(y_ij, Q_j(S)),   dDC_i(S) = sum_j w_j (y'_ij - y_ij) / sum_j w_j.

Settled here (docs/methods.md B5 leaves it open): the lift is measured on the
base-year indicators and added to the country's business-as-usual
development-capacity score of the horizon year, DC_i(S) = DC_i,BAU + dDC_i(S)
(capped at 100). A coalition of one lifts nothing, so v({i}) is the BAU value.
Annual sequestration in the horizon year follows the rate model:

    Carbon_i = S_i,base (1 + Rate_i),  Rate_i = a_i + c_i f(DC_i),

with S_i,base = (44/12) sum_e A_ie r_e (t CO2 per year) and f = ln (DC
floored at ``dc_floor``) or the identity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from carbonshare.bluecarbon.sequestration import CO2_PER_C
from carbonshare.errors import ConfigError, DataError

__all__ = ["BlueCarbonScenario", "capacity_lift", "local_optima"]


def capacity_lift(
    Y: pd.DataFrame, weights: pd.Series, membership: np.ndarray, q: float
) -> np.ndarray:
    """dDC_i(S) for each coalition (row of ``membership``) and country (column).

    Parameters
    ----------
    Y : countries x development-capacity indicators, normalised (0-100).
    weights : indicator -> weight (any positive scale; normalised here).
    membership : bool array (coalitions x countries), columns in the order of ``Y.index``.
    q : intensity in [0, 1].

    Returns
    -------
    float array (coalitions x countries): the lift of each member's score
    (0 for non-members), in score points.

    Examples
    --------
    Three countries, one indicator 10, 20, 60; the median of {10, 60} is 35.

    >>> Y = pd.DataFrame({"g": [10.0, 20.0, 60.0]}, index=["A", "B", "C"])
    >>> capacity_lift(Y, pd.Series({"g": 1.0}), np.array([[True, False, True]]), 0.5)
    array([[25.,  0.,  0.]])
    """
    if not 0.0 <= q <= 1.0:
        raise ConfigError(f"cooperation intensity q={q} must be in [0, 1]")
    M = np.atleast_2d(np.asarray(membership, dtype=bool))
    n = len(Y.index)
    if M.shape[1] != n:
        raise DataError(f"membership has {M.shape[1]} columns for {n} countries")
    w = weights.reindex(Y.columns).to_numpy(dtype=float)
    if np.isnan(w).any() or w.sum() <= 0:
        raise DataError("development-capacity weights are missing or sum to 0")
    w = w / w.sum()
    size = M.sum(axis=1)
    h = np.maximum(size - 1, 0) * q
    lo = np.floor(h).astype(np.int64)
    hi = np.ceil(h).astype(np.int64)
    frac = h - lo
    lift = np.zeros(M.shape)
    for j, col in enumerate(Y.columns):
        v = Y[col].to_numpy(dtype=float)
        order = np.argsort(v, kind="stable")
        sv = v[order]
        # members among the k smallest values (int32 halves the memory traffic)
        count = np.cumsum(M[:, order], axis=1, dtype=np.int32)
        # position of the (r+1)-th smallest member: first column where count > r
        p_lo = (count <= lo[:, None]).sum(axis=1).clip(max=n - 1)
        p_hi = (count <= hi[:, None]).sum(axis=1).clip(max=n - 1)
        Q = sv[p_lo] + frac * (sv[p_hi] - sv[p_lo])
        lift += w[j] * np.where(M, np.maximum(Q[:, None] - v[None, :], 0.0), 0.0)
    return lift


def local_optima(values: pd.Series) -> pd.Series:
    """Local maxima of a curve over an ordered grid (ends count when above their neighbour).

    Examples
    --------
    >>> local_optima(pd.Series([1.0, 3.0, 2.0, 2.5, 2.4], index=[0, .25, .5, .75, 1])).tolist()
    [False, True, False, True, False]
    """
    v = values.to_numpy(dtype=float)
    left = np.r_[-np.inf, v[:-1]]
    right = np.r_[v[1:], -np.inf]
    return pd.Series((v > left) & (v >= right), index=values.index, name="local_optimum")


@dataclass
class BlueCarbonScenario:
    """The country model behind every scenario and the coalition game (docs/methods.md B5-B6).

    Attributes
    ----------
    capacity : countries x development-capacity indicators, base year, normalised.
    capacity_weights : their weights.
    dc_bau : country -> BAU development-capacity score in the horizon year.
    areas : countries x ecosystems, base-year areas (km2).
    burial_rates : ecosystem -> burial rate (g C m-2 yr-1).
    coefficients : countries x [intercept, slope] of the rate model.
    transform : "log" or "identity".
    dc_floor : floor of DC before the logarithm (score points).
    """

    capacity: pd.DataFrame
    capacity_weights: pd.Series
    dc_bau: pd.Series
    areas: pd.DataFrame
    burial_rates: pd.Series
    coefficients: pd.DataFrame
    transform: str = "log"
    dc_floor: float = 1.0

    def __post_init__(self) -> None:
        idx = self.capacity.index
        for name in ("dc_bau", "areas", "coefficients"):
            obj = getattr(self, name)
            missing = idx.difference(obj.index)
            if len(missing):
                raise DataError(f"{name} lacks countries {list(missing[:10])}")
            setattr(self, name, obj.reindex(idx))
        lost = [e for e in self.areas.columns if e not in self.burial_rates.index]
        if lost:
            raise DataError(f"no burial rate for ecosystem(s) {lost}")
        if self.transform not in ("log", "identity"):
            raise ConfigError(f"transform={self.transform!r}; use 'log' or 'identity'")

    @property
    def countries(self) -> pd.Index:
        return self.capacity.index

    def base_sequestration(self, rates: np.ndarray | None = None) -> np.ndarray:
        """S_i,base in t CO2 per year (rates: optional (draws x ecosystems) array)."""
        r = self.burial_rates.reindex(self.areas.columns).to_numpy(dtype=float)
        r = r if rates is None else np.asarray(rates, dtype=float)
        return (r @ self.areas.to_numpy(dtype=float).T) * CO2_PER_C

    def rate(self, dc: np.ndarray) -> np.ndarray:
        """Rate_i = a_i + c_i f(DC_i) (broadcast over leading axes)."""
        dc = np.minimum(np.asarray(dc, dtype=float), 100.0)
        x = np.log(np.maximum(dc, self.dc_floor)) if self.transform == "log" else dc
        a = self.coefficients["intercept"].to_numpy(dtype=float)
        c = self.coefficients["slope"].to_numpy(dtype=float)
        return a + c * x

    def carbon(self, dc: np.ndarray, base: np.ndarray | None = None) -> np.ndarray:
        """Carbon_i = S_i,base (1 + Rate_i(DC_i)), t CO2 per year."""
        base = self.base_sequestration() if base is None else base
        return base * (1.0 + self.rate(dc))

    def coop_dc(self, membership: np.ndarray, q: float, dc_bau: np.ndarray | None = None):
        """DC_i(S) = min(100, DC_i,BAU + dDC_i(S)) for members (BAU for the others)."""
        bau = self.dc_bau.to_numpy(dtype=float) if dc_bau is None else dc_bau
        lift = capacity_lift(self.capacity, self.capacity_weights, membership, q)
        return np.minimum(bau + lift, 100.0)

    def coalition_values(self, membership: np.ndarray, q: float) -> np.ndarray:
        """v(S) = sum_{i in S} Carbon_i(S, q) for each row of ``membership`` (B6)."""
        M = np.atleast_2d(np.asarray(membership, dtype=bool))
        return (self.carbon(self.coop_dc(M, q)) * M).sum(axis=1)

    def bau(self) -> pd.Series:
        """Carbon_i under business as usual, t CO2 per year."""
        return pd.Series(self.carbon(self.dc_bau.to_numpy(dtype=float)), self.countries,
                         name="carbon_bau_tco2")  # fmt: skip

    def cooperation(self, q: float, members: np.ndarray | None = None) -> pd.DataFrame:
        """Per country, when the grand coalition (or ``members``) cooperates at intensity q.

        Returns
        -------
        DataFrame indexed by iso3: dc_bau, dc_lift, dc_coop, carbon_base,
        carbon_bau, carbon_coop (t CO2 per year).
        """
        M = np.ones((1, len(self.countries)), bool) if members is None else members[None, :]
        lift = capacity_lift(self.capacity, self.capacity_weights, M, q)[0]
        dc = np.minimum(self.dc_bau.to_numpy(dtype=float) + lift, 100.0)
        return pd.DataFrame(
            {"dc_bau": self.dc_bau, "dc_lift": lift, "dc_coop": dc,
             "carbon_base": self.base_sequestration(), "carbon_bau": self.bau(),
             "carbon_coop": self.carbon(dc)},
            index=self.countries,
        )  # fmt: skip
