"""Supply-chain carbon responsibility accounts (docs/methods.md C3).

A product's supply chain is a small closed input-output system: members
(firms or stages) with direct emissions ``f_i``, deliveries between members
``Z_ij`` (value of goods from i to j) and sales to the product's final
consumer ``y_i``. Output is ``x_i = sum_j Z_ij + y_i`` and primary inputs
(value added and inputs from outside the chain) ``v_i = x_i - sum_j Z_ji``.
The product's footprint is ``T = sum_i f_i``.

:func:`chain_accounts` gives each member's account under the rules of
docs/methods.md C1 applied to the chain (producer, consumer, income, shared with
value-added and final-demand shares, carbon emission added) and under two
cooperative rules, the Shapley value and the nucleolus of the chain's
emission game; every column sums to ``T``.

The chain's emission game (:func:`chain_emission_game`)
----------------------------------------------------------
A cost game on the members (optionally plus the final consumer):

    c(S) = sum_k f_k * P_k(S),

where ``P_k(S)`` is the share of member k's output (by value) whose route to
the final consumer passes through at least one member of S (``P_k(S) = 1``
for ``k in S``). ``P`` is the hitting probability of S for the walk that
follows sales shares ``Z_ij / x_i`` and stops at final sales ``y_i / x_i``;
``1 - P_k(S) = h_k`` solves ``h_k = y_k / x_k + sum_{j not in S} Z_kj / x_k h_j``.
``c(S)`` are the emissions that exist only because S takes part: they would
vanish, pro rata in value, if S left the chain. ``c`` is concave (hitting
probabilities are coverage functions), so its Shapley value lies in the
core. In a serial chain 1 -> 2 -> ... -> n -> consumer,
``c(S) = f_1 + ... + f_max(S)`` and the Shapley value shares each firm's
emissions equally among it and all firms downstream of it - the upstream
responsibility of downstream buyers in the spirit of Gopalakrishnan,
Granot, Granot, Sosic & Cui (2021), Management Science 67(7):4172-4190.

References
----------
Lenzen et al. (2007) Ecol. Econ. 61:27-42; Gallego & Lenzen (2005) Econ.
Syst. Res. 17:365-391; Bastianoni et al. (2004) Ecol. Econ. 49:253-257;
Marques et al. (2012) Ecol. Econ. 84:57-65; Shapley (1953); Schmeidler (1969).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carbonshare.accounting import perspectives as P
from carbonshare.accounting.files import numeric_frame, read_csv_text
from carbonshare.accounting.iotable import IOTable
from carbonshare.errors import IOTableError

__all__ = [
    "CHAIN_RULES",
    "FINAL_CONSUMER",
    "SupplyChain",
    "chain_accounts",
    "chain_emission_game",
    "emission_game_table",
    "read_supply_chain",
]

logger = logging.getLogger(__name__)

FINAL_CONSUMER = "final consumer"
_SINKS = {"final consumer", "final_consumer", "final demand", "final_demand", "consumer"}
CHAIN_RULES = (
    "producer",
    "consumer",
    "income",
    "shared_value_added",
    "shared_final_demand",
    "carbon_emission_added",
    "shapley",
    "nucleolus",
)
MAX_GAME_MEMBERS = 16


@dataclass
class SupplyChain:
    """A product's supply chain (see the module docstring).

    Parameters
    ----------
    flows : DataFrame, members x members
        ``flows.loc[i, j]`` = value of goods delivered by i to j (>= 0).
    final_sales : Series, member -> value sold to the product's final consumer.
    emissions : Series, member -> direct emissions.
    value_added : Series, optional
        Member's value added; the rest of its primary inputs
        (``x - 1'Z - value_added``) is recorded as inputs from outside the
        chain. Default: all primary inputs.
    name, unit, value_unit : labels.

    Raises
    ------
    IOTableError
        Unknown members, negative flows or emissions, a member that sells
        nothing, or value added larger than the member's primary inputs.

    Examples
    --------
    A serial chain mine -> mill -> shop -> consumer (illustrative numbers):

    >>> ch = SupplyChain.serial(["mine", "mill", "shop"], emissions=[6.0, 3.0, 1.0],
    ...                         value_added=[10.0, 20.0, 30.0])
    >>> ch.footprint
    10.0
    >>> ch.output.tolist()
    [10.0, 30.0, 60.0]
    """

    flows: pd.DataFrame
    final_sales: pd.Series
    emissions: pd.Series
    value_added: pd.Series | None = None
    name: str = "supply chain"
    unit: str = "t CO2"
    value_unit: str = "currency"
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        members = [str(m) for m in self.flows.index]
        if [str(c) for c in self.flows.columns] != members:
            raise IOTableError("flows must list the same members as rows and columns, in order")
        dup = sorted({m for m in members if members.count(m) > 1})
        if dup:
            raise IOTableError(
                f"member name(s) {dup} appear more than once; member names must be unique"
            )
        if FINAL_CONSUMER in members:
            raise IOTableError(f"{FINAL_CONSUMER!r} is reserved for the product's consumer")
        self.flows = pd.DataFrame(self.flows.to_numpy(float), index=members, columns=members)
        for label in ("final_sales", "emissions", "value_added"):
            s = getattr(self, label)
            if s is None:
                continue
            s = pd.Series(s, dtype=float)
            s.index = s.index.astype(str)
            unknown = sorted(set(s.index) - set(members))
            if unknown:
                raise IOTableError(f"{label} names unknown members {unknown}; members: {members}")
            setattr(self, label, s.reindex(members, fill_value=0.0))
        for label in ("flows", "final_sales", "emissions", "value_added"):
            block = getattr(self, label)
            if block is None:
                continue
            bad = ~np.isfinite(block.to_numpy(dtype=float))
            if bad.any():
                k = int(np.flatnonzero(bad.reshape(len(members), -1).any(axis=1))[0])
                raise IOTableError(
                    f"{label} of member {members[k]} is missing or not finite; give a number "
                    "(0 if the member has none)"
                )
        if (self.flows.to_numpy() < 0).any():
            i, j = np.argwhere(self.flows.to_numpy() < 0)[0]
            raise IOTableError(
                f"flow {members[i]} -> {members[j]} is negative; deliveries must be >= 0"
            )
        if (self.emissions < 0).any():
            bad = self.emissions.index[self.emissions < 0][0]
            raise IOTableError(f"emissions of {bad} are negative; give direct emissions >= 0")
        x = self.output
        if (x <= 0).any():
            bad = x.index[x <= 0][0]
            raise IOTableError(
                f"member {bad} sells nothing (output {x[bad]:g}); give it a delivery or final sales"
            )
        if self.final_sales.sum() <= 0:
            raise IOTableError("no member sells to the final consumer; add final sales")
        prim = self.primary_inputs
        if (prim < -1e-9 * x).any():
            bad = prim.index[prim < -1e-9 * x][0]
            raise IOTableError(
                f"member {bad} buys {self.flows[bad].sum():g} from the chain but its output is only "
                f"{x[bad]:g}; its primary inputs would be negative - check the flows"
            )
        if self.value_added is not None and (self.value_added > prim * (1 + 1e-9) + 1e-12).any():
            bad = self.value_added.index[self.value_added > prim * (1 + 1e-9) + 1e-12][0]
            raise IOTableError(
                f"value added of {bad} ({self.value_added[bad]:g}) exceeds its primary inputs "
                f"x - inputs from the chain = {prim[bad]:g}; fix the flows or the value added"
            )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def serial(
        cls,
        members: Sequence[str],
        *,
        emissions: Sequence[float],
        value_added: Sequence[float],
        name: str = "serial chain",
        unit: str = "t CO2",
    ) -> SupplyChain:
        """A serial chain: member k delivers its whole output to member k + 1, the last
        member sells to the final consumer; output accumulates value added."""
        members = [str(m) for m in members]
        va = np.asarray(value_added, dtype=float)
        x = np.cumsum(va)
        Z = np.zeros((len(members), len(members)))
        for k in range(len(members) - 1):
            Z[k, k + 1] = x[k]
        y = np.zeros(len(members))
        y[-1] = x[-1]
        return cls(
            pd.DataFrame(Z, index=members, columns=members),
            pd.Series(y, index=members),
            pd.Series(np.asarray(emissions, dtype=float), index=members),
            pd.Series(va, index=members),
            name=name,
            unit=unit,
        )

    @classmethod
    def from_iotable(
        cls,
        table: IOTable,
        product: Any,
        *,
        stressor: str | None = None,
        category: Any = None,
        amount: float | None = None,
        max_members: int = 8,
    ) -> SupplyChain:
        """Carve the supply chain of one product's final demand out of an IO table.

        For final demand ``y`` of ``product`` (column ``category``, or all final
        demand of that product; or ``amount``), the chain is the output it
        triggers: ``x* = L e_p y``, ``Z* = A diag(x*)``, ``f* = e * x*``,
        ``v* = (v / x) * x*``; it balances (``Z* 1 + y e_p = x*``) and its
        footprint is ``m_p y``. If the table has more than ``max_members``
        sectors, all but the product and the ``max_members - 2`` largest
        emitters are merged into one member ``"other sectors"`` (rows and
        columns summed, which keeps the balance).
        """
        s = table.stressor(stressor)
        key = table._resolve([product], "product")[0]
        p = table.sectors.get_loc(key)
        if amount is None:
            if category is None:
                amount = float(table._Y[p].sum())
            else:
                cat = table.fd.get_loc(
                    category if isinstance(category, tuple) else (key[0], str(category))
                )
                amount = float(table._Y[p, cat])
        if amount <= 0:
            raise IOTableError(
                f"final demand for {'/'.join(key)} is {amount:g}; carve a chain from a product "
                "with positive final demand (or pass amount=)"
            )
        rhs = np.zeros(table.n)
        rhs[p] = amount
        xs = table.solver().solve(rhs)
        xs = np.where(np.abs(xs) < 1e-15 * amount, 0.0, xs)
        x = table._safe_x()
        A = table._A_dense()
        Zs = A * xs[None, :]
        fs = table.f(s) / x * xs
        vas = table.value_added.to_numpy() / x * xs
        multi = len(table.regions) > 1
        names = ["/".join(k) if multi else k[1] for k in table.sectors]
        ys = np.zeros(table.n)
        ys[p] = amount
        if max_members < 2:
            raise IOTableError("max_members must be >= 2")
        keep = np.ones(table.n, dtype=bool)
        if table.n > max_members:
            keep[:] = False
            keep[p] = True
            order = [i for i in np.argsort(-fs, kind="stable") if i != p]
            keep[order[: max_members - 2]] = True
        if keep.sum() < table.n:
            rest = ~keep
            agg = np.vstack([np.eye(table.n)[keep], rest.astype(float)])  # groups x sectors
            Zs, fs, vas, ys, xs = agg @ Zs @ agg.T, agg @ fs, agg @ vas, agg @ ys, agg @ xs
            names = [n for n, k in zip(names, keep, strict=True) if k] + ["other sectors"]
        # remove members with zero output (not reached by this product)
        live = xs > 0
        members = [n for n, k in zip(names, live, strict=True) if k]
        chain = cls(
            pd.DataFrame(Zs[np.ix_(live, live)], index=members, columns=members),
            pd.Series(ys[live], index=members),
            pd.Series(fs[live], index=members),
            pd.Series(vas[live], index=members),
            name=f"{table.name}: {'/'.join(key)}",
            unit=table.units.get("F", ""),
            value_unit=table.units.get("Z", ""),
        )
        chain.meta.update(
            product=list(key),
            amount=amount,
            stressor=s,
            footprint_in_table=float(np.dot(fs, np.ones_like(fs))),
        )
        return chain

    # ------------------------------------------------------------------ derived
    @property
    def members(self) -> list[str]:
        return list(self.flows.index)

    @property
    def output(self) -> pd.Series:
        """``x_i = sum_j Z_ij + y_i``."""
        return (self.flows.sum(axis=1) + self.final_sales).rename("output")

    @property
    def primary_inputs(self) -> pd.Series:
        """``v_i = x_i - sum_j Z_ji`` (value added and inputs from outside the chain)."""
        return (self.output - self.flows.sum(axis=0)).rename("primary_inputs")

    @property
    def footprint(self) -> float:
        """The product's footprint, ``sum_i f_i``."""
        return float(self.emissions.sum())

    def to_iotable(self) -> IOTable:
        """The chain as a single-region :class:`IOTable` (final demand = the consumer)."""
        prim = self.primary_inputs
        if self.value_added is not None:
            V = pd.DataFrame(
                [self.value_added, prim - self.value_added], index=["value_added", "outside_inputs"]
            )
            va_rows = ["value_added"]
        else:
            V, va_rows = pd.DataFrame([prim], index=["primary_inputs"]), None
        V.columns = self.members
        return IOTable(
            self.flows,
            pd.DataFrame({FINAL_CONSUMER: self.final_sales}),
            V=V,
            F=pd.DataFrame([self.emissions], index=["emissions"]),
            value_added_rows=va_rows,
            units={"Z": self.value_unit, "F": self.unit},
            name=self.name,
            region="chain",
            rtol=1e-9,
        )


def read_supply_chain(path: str | Path, edges: str | Path | None = None) -> SupplyChain:
    """Read a chain from JSON, or from a nodes CSV plus an edges CSV.

    JSON layout::

        {"name": "...", "unit": "t CO2", "value_unit": "EUR",
         "nodes": [{"name": "mine", "emissions": 6, "value_added": 10}, ...],
         "edges": [{"source": "mine", "target": "mill", "value": 10},
                   {"source": "shop", "target": "final consumer", "value": 60}]}

    CSV: ``path`` has columns ``name, emissions[, value_added]``; ``edges``
    has ``source, target, value`` (UTF-8 or latin-1 text). A target named
    ``final consumer`` (or ``final_demand``, ``consumer``) is a sale to the
    product's consumer. Each delivery is given once: a repeated
    ``source -> target`` pair is an error (it is not summed), and so is a
    repeated node name.

    Raises
    ------
    IOTableError
        Missing columns, unknown or repeated member names, repeated edges,
        cells that are not numbers (each named in the message).
    """
    path = Path(path)
    meta: dict[str, Any] = {}
    repairs: list[dict] = []
    if not path.exists():
        raise IOTableError(f"supply-chain file {path} does not exist")
    if path.suffix.lower() == ".json":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
            repairs.append(
                {
                    "entity": str(path),
                    "field": "encoding",
                    "action": "decoded as latin-1",
                    "detail": "the file is not valid UTF-8; read as latin-1 (ISO-8859-1)",
                }
            )
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise IOTableError(f"{path} is not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise IOTableError(f"{path} must hold a JSON object with 'nodes' and 'edges'")
        nodes = pd.DataFrame(data.get("nodes", []))
        links = pd.DataFrame(data.get("edges", []))
        meta = {k: data[k] for k in ("name", "unit", "value_unit") if k in data}
        where_nodes, where_edges = f"{path} (nodes)", f"{path} (edges)"
    else:
        if edges is None:
            raise IOTableError(
                "a CSV chain needs two files: read_supply_chain(nodes_csv, edges_csv) "
                "(on the command line: --chain NODES.csv --chain-edges EDGES.csv)"
            )
        edges = Path(edges)
        for f in (path, edges):
            if not f.exists():
                raise IOTableError(f"supply-chain file {f} does not exist")
        read = {"dtype": {"name": str, "source": str, "target": str}, "keep_default_na": False}
        nodes = read_csv_text(path, repairs=repairs, **read)
        links = read_csv_text(edges, repairs=repairs, **read)
        where_nodes, where_edges = str(path), str(edges)
    for df, cols, what in (
        (nodes, ("name", "emissions"), where_nodes),
        (links, ("source", "target", "value"), where_edges),
    ):
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise IOTableError(
                f"{what} lack(s) column(s) {missing}; need {list(cols)} (found {list(df.columns)})"
            )
    names = [str(n).strip() for n in nodes["name"]]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise IOTableError(
            f"{where_nodes}: node name(s) {dup} appear more than once; give each once"
        )
    numbers = [c for c in ("emissions", "value_added") if c in nodes.columns]
    num = numeric_frame(nodes.set_axis(names)[numbers].replace("", np.nan), where_nodes)
    links = links.assign(
        source=links["source"].astype(str).str.strip(),
        target=links["target"].astype(str).str.strip(),
    )
    values = numeric_frame(
        links[["value"]]
        .replace("", np.nan)
        .set_axis([f"{a} -> {b}" for a, b in zip(links["source"], links["target"], strict=True)]),
        where_edges,
    )["value"].to_numpy()
    Z = pd.DataFrame(0.0, index=names, columns=names)
    y = pd.Series(0.0, index=names)
    seen: dict[tuple[str, str], int] = {}
    for k, (src, tgt) in enumerate(zip(links["source"], links["target"], strict=True)):
        sink = tgt.lower() in _SINKS
        key = (src, FINAL_CONSUMER if sink else tgt)
        if key in seen:
            raise IOTableError(
                f"{where_edges}: edge {src} -> {key[1]} is given twice (edge rows {seen[key] + 1} "
                f"and {k + 1}); give each delivery once (add the values into one edge)"
            )
        seen[key] = k
        if src not in Z.index:
            raise IOTableError(f"edge source {src!r} is not a node; nodes: {names}")
        if sink:
            y[src] = values[k]
        elif tgt in Z.columns:
            Z.loc[src, tgt] = values[k]
        else:
            raise IOTableError(
                f"edge target {tgt!r} is neither a node nor 'final consumer'; nodes: {names}"
            )
    chain = SupplyChain(
        Z,
        y,
        num["emissions"],
        num["value_added"] if "value_added" in num.columns else None,
        name=str(meta.get("name", path.stem)),
        unit=str(meta.get("unit", "t CO2")),
        value_unit=str(meta.get("value_unit", "currency")),
    )
    if repairs:
        chain.meta["repairs"] = repairs
    return chain


def emission_game_table(chain: SupplyChain, *, consumer_player: bool = False) -> np.ndarray:
    """Values ``c(S)`` of the chain's emission game for all ``2^n`` coalitions (bitmask order).

    Bit k is member k (``chain.members`` order); with ``consumer_player`` the
    last bit is the final consumer, who lies on every route (``c(S) = T``
    for every S containing it).
    """
    n = len(chain.members)
    if n + consumer_player > MAX_GAME_MEMBERS:
        raise IOTableError(
            f"the emission game of {n} members has too many coalitions; aggregate the chain "
            f"to <= {MAX_GAME_MEMBERS} members (SupplyChain.from_iotable(max_members=...))"
        )
    x = chain.output.to_numpy()
    B = chain.flows.to_numpy() / x[:, None]
    s = chain.final_sales.to_numpy() / x
    f = chain.emissions.to_numpy()
    T = float(f.sum())
    size = 1 << n
    vals = np.empty(size)
    bits = (np.arange(size)[:, None] >> np.arange(n)[None, :]) & 1
    eye = np.eye(n)
    for mask in range(size):
        out = bits[mask] == 0
        h = np.zeros(n)
        if out.any():
            Bo = B[np.ix_(out, out)]
            h[out] = np.linalg.solve(eye[np.ix_(out, out)] - Bo, s[out])
        vals[mask] = float(f @ (1.0 - h))
    vals[0] = 0.0
    if consumer_player:
        vals = np.concatenate([vals, np.full(size, T)])
    return vals


def chain_emission_game(chain: SupplyChain, *, consumer_player: bool = False) -> Any:
    """The chain's emission game as a cost ``TabularGame`` (see the module docstring)."""
    from carbonshare.games import TabularGame

    players = [*chain.members, FINAL_CONSUMER] if consumer_player else chain.members
    return TabularGame.from_array(
        players, emission_game_table(chain, consumer_player=consumer_player), cost=True
    )


def _holder_series(acc: pd.Series, members: list[str]) -> pd.Series:
    kinds = acc.index.get_level_values("kind")
    holders = acc.index.get_level_values("holder")
    out = pd.Series(0.0, index=[*members, FINAL_CONSUMER])
    for k, h, val in zip(kinds, holders, acc.to_numpy(), strict=True):
        out[FINAL_CONSUMER if k == "final demand" else h] += val
    return out


def chain_accounts(
    chain: SupplyChain,
    *,
    rules: Sequence[str] = CHAIN_RULES,
    consumer_player: bool = False,
    rtol: float = 1e-9,
) -> pd.DataFrame:
    """Each member's responsibility for the product's footprint under several rules.

    Rules (columns): ``producer`` (``f_i``), ``consumer`` (all to the final
    consumer), ``income`` (``v_i (G e)_i``), ``shared_value_added`` and
    ``shared_final_demand`` (Lenzen et al. 2007 with ``alpha_i = va_i / N_i`` or
    ``y_i / N_i``), ``carbon_emission_added`` (cumulative embodied emissions,
    normalised), ``shapley`` and ``nucleolus`` of :func:`chain_emission_game`.

    Returns
    -------
    DataFrame, rows = members + ``"final consumer"``, columns = rules. Every
    column sums to ``chain.footprint``.

    Raises
    ------
    IOTableError
        Unknown rule, or (defensively) a column that does not sum to the footprint.

    Examples
    --------
    >>> ch = SupplyChain.serial(["mine", "mill", "shop"], emissions=[6.0, 3.0, 1.0],
    ...                         value_added=[10.0, 20.0, 30.0])
    >>> acc = chain_accounts(ch, rules=["producer", "shapley"])
    >>> acc["shapley"].round(6).tolist()      # 6/3 + 3/2 + 1 for the shop
    [2.0, 3.5, 4.5, 0.0]
    """
    unknown = [r for r in rules if r not in CHAIN_RULES]
    if unknown:
        raise IOTableError(f"unknown chain rule(s) {unknown}; choose from {list(CHAIN_RULES)}")
    t = chain.to_iotable()
    members = chain.members
    cols: dict[str, pd.Series] = {}
    for rule in rules:
        if rule == "producer":
            acc = P.production_based(t, "emissions")
        elif rule == "consumer":
            acc = P.consumption_based(t, "emissions")
        elif rule == "income":
            acc = P.income_based(t, "emissions")
        elif rule == "shared_value_added":
            acc = P.shared_responsibility(t, "emissions", alpha="value_added")
        elif rule == "shared_final_demand":
            acc = P.shared_responsibility(t, "emissions", alpha="final_demand")
        elif rule == "carbon_emission_added":
            acc = P.carbon_emission_added(t, "emissions")
        else:
            from carbonshare.games import nucleolus, shapley_value

            game = chain_emission_game(chain, consumer_player=consumer_player)
            sol = shapley_value(game) if rule == "shapley" else nucleolus(game)
            cols[rule] = pd.Series(sol.to_numpy(float), index=list(game.players)).reindex(
                [*members, FINAL_CONSUMER], fill_value=0.0
            )
            continue
        cols[rule] = _holder_series(acc, members)
    out = pd.DataFrame(cols)
    out.index.name = "member"
    T = chain.footprint
    bad = [c for c in out.columns if abs(out[c].sum() - T) > rtol * max(abs(T), 1.0)]
    if bad:
        raise IOTableError(f"chain accounts {bad} do not sum to the footprint {T:g}")
    return out
