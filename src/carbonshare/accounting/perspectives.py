"""Who is responsible for emissions: the perspectives of docs/methods.md C1.

Every function returns a labelled ``pd.Series`` of accounts indexed by
``(region, kind, holder)``: ``kind`` is ``"sector"`` (a producing sector),
``"final demand"`` (a final-demand category: its consumers, or its own
direct emissions ``F_Y``), ``"primary input"`` (income receivers of a
sector), ``"extraction"`` (an extraction sector) or ``"unattributed"``.
All perspectives of a table sum to the same total, ``1'f + 1'f_Y`` (all
direct emissions of the stressor), which :func:`reconciliation` verifies.

Notation: ``e = f / x`` direct intensities; multipliers ``m' = e' L``
(solved from ``(I - A)' m = e``, no inverse formed); ``L f`` from
``(I - A) z = f``.

=================================  ===========================================================
perspective                        account
=================================  ===========================================================
production (polluter pays)         sector i: ``f_i``; category c: ``f_Y,c``
consumption (footprint)            category c: ``m' Y_c + f_Y,c``
income (downstream, Ghosh)         sector i's primary inputs: ``v_i (G e)_i = v_i (L f)_i / x_i``
extraction                         extraction sector k: ``sum_j f_j W_kj / sum_{k' in E} W_k'j``,
                                   ``W_kj`` = value of k's product in j's inputs, traced
                                   downstream through non-extraction sectors (Ghosh)
shared (Lenzen et al. 2007)        sector: ``alpha_i U_i``; category c:
                                   ``sum_i (1 - alpha_i) U_i Y_ic / N_i + f_Y,c``
carbon emission added              sector i: ``(1'f) U0_i / 1'U0`` with ``U0_i = m_i N_i``
(Bastianoni et al. 2004)
=================================  ===========================================================

``N_i = x_i - Z_ii`` is net output (intra-sector deliveries excluded) and
``U`` solves ``U_j = f_j + sum_{i != j} (1 - alpha_i) U_i Z_ij / N_i``.

References
----------
Miller & Blair (2009) *Input-Output Analysis*, 2nd ed.; Lenzen, Murray, Sack
& Wiedmann (2007) Ecol. Econ. 61:27-42; Gallego & Lenzen (2005) Econ. Syst.
Res. 17:365-391; Marques, Rodrigues, Lenzen & Domingos (2012) Ecol. Econ.
84:57-65; Bastianoni, Pulselli & Tiezzi (2004) Ecol. Econ. 49:253-257;
Peters (2008) Ecol. Econ. 65:13-23 (emissions embodied in trade).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
import pandas as pd

from carbonshare.accounting.iotable import IOTable
from carbonshare.accounting.linalg import LeontiefSolver
from carbonshare.errors import IOTableError

__all__ = [
    "PERSPECTIVES",
    "all_perspectives",
    "carbon_emission_added",
    "consumption_based",
    "embodied_trade",
    "emission_multipliers",
    "extraction_based",
    "footprint_by_product",
    "income_based",
    "producer_consumer_flows",
    "production_based",
    "reconciliation",
    "regional_accounts",
    "shared_responsibility",
    "shared_alpha",
]

logger = logging.getLogger(__name__)

ACCOUNT_NAMES = ["region", "kind", "holder"]
PERSPECTIVES = (
    "production",
    "consumption",
    "income",
    "extraction",
    "shared_value_added",
    "shared_final_demand",
    "carbon_emission_added",
)


def _sector_index(table: IOTable, kind: str = "sector") -> pd.MultiIndex:
    r = table.sectors.get_level_values(0)
    s = table.sectors.get_level_values(1)
    return pd.MultiIndex.from_arrays([r, [kind] * table.n, s], names=ACCOUNT_NAMES)


def _fd_index(table: IOTable) -> pd.MultiIndex:
    r = table.fd.get_level_values(0)
    c = table.fd.get_level_values(1)
    return pd.MultiIndex.from_arrays([r, ["final demand"] * len(c), c], names=ACCOUNT_NAMES)


def _accounts(parts: list[pd.Series], name: str) -> pd.Series:
    out = pd.concat(parts)
    out.name = name
    return out


def _fy_series(table: IOTable, stressor: str) -> pd.Series:
    return pd.Series(table.f_y(stressor), index=_fd_index(table))


def emission_multipliers(table: IOTable, stressor: str | None = None) -> pd.Series:
    """Total emission multipliers ``m' = e' L`` (emissions per unit of final demand).

    Examples
    --------
    >>> from carbonshare.accounting import load_table
    >>> emission_multipliers(load_table("de1995"), "CO2").round(4).tolist()
    [0.4185, 0.7686, 0.2725, 0.2357, 0.0583, 0.1234]
    """
    s = table.stressor(stressor)
    m = _solved(table, "e'L", s)
    return pd.Series(m.copy(), index=table.sectors, name=f"{s} multiplier")


#: stressors solved together (one block solve) by :func:`_solved`: the chunk of this many
#: stressors, in the table's order, that holds the one asked for
STRESSOR_BLOCK = 16


def _solved(table: IOTable, kind: str, stressor: str) -> np.ndarray:
    """``m = (I - A)^-T e`` (``kind="e'L"``) or ``(I - A)^-1 f`` (``"L f"``) for one stressor.

    Consumption, footprint-by-product and carbon-emission-added accounts all
    need the same multipliers ``e'L`` of a stressor; income accounts ``L f``.
    Each is solved once per table and solver method (:func:`_by_stressor`) and
    reused by every perspective that needs it.
    """
    trans = kind == "e'L"
    solver = table.solver()
    rhs = (lambda s: table.f(s) / table._safe_x()) if trans else table.f
    return _by_stressor(
        table, (kind, solver.method), stressor, lambda B: solver.solve(B, trans=trans), rhs
    )


def _by_stressor(table: IOTable, key: tuple, stressor: str, solve, rhs) -> np.ndarray:
    """``solve(rhs(stressor))``, cached in the table under ``key`` until its ``F`` changes.

    The chunk of :data:`STRESSOR_BLOCK` stressors (in the table's order) that
    holds ``stressor`` is solved at once: one block solve reads ``I - A`` once
    per step for all of them.
    """
    source, value = table._cache.get((*key, stressor), (None, None))
    if source is not table.F:  # a new F (same stressor names, new values) is solved anew
        names = table.stressors
        start = names.index(stressor) // STRESSOR_BLOCK * STRESSOR_BLOCK
        chunk = names[start : start + STRESSOR_BLOCK]
        solved = solve(np.column_stack([rhs(s) for s in chunk]))
        for c, s in enumerate(chunk):
            table._cache[(*key, s)] = (table.F, np.ascontiguousarray(solved[:, c]))
        value = table._cache[(*key, stressor)][1]
    return value


def production_based(table: IOTable, stressor: str | None = None) -> pd.Series:
    """Production-based (territorial, polluter-pays) accounts: ``f`` and ``f_Y``.

    Examples
    --------
    >>> from carbonshare.accounting import load_table
    >>> round(production_based(load_table("de1995"), "CO2").sum())
    904157
    """
    s = table.stressor(stressor)
    return _accounts(
        [pd.Series(table.f(s), index=_sector_index(table)), _fy_series(table, s)], "production"
    )


def consumption_based(table: IOTable, stressor: str | None = None) -> pd.Series:
    """Consumption-based accounts (footprints) by final-demand category and region.

    ``c_c = m' Y_c + f_Y,c`` for every final-demand column ``c`` (category of a
    consuming region), with ``m' = e' L``.

    Examples
    --------
    >>> from carbonshare.accounting import load_table
    >>> cba = consumption_based(load_table("de1995"), "CO2")
    >>> round(float(cba[("DE", "final demand", "exports")]), 1)
    254628.8
    """
    s = table.stressor(stressor)
    m = emission_multipliers(table, s).to_numpy()
    emb = m @ table._Y
    return _accounts([pd.Series(emb + table.f_y(s), index=_fd_index(table))], "consumption")


def footprint_by_product(table: IOTable, stressor: str | None = None) -> pd.DataFrame:
    """Footprint of each consuming region by consumed product (pymrio's ``D_cba``).

    Entry (product s, region r) = ``sum_o m_(o,s) y_(o,s),r`` where ``y_r``
    is region r's final demand summed over categories and ``o`` runs over the
    origin regions. Excludes ``F_Y``. Returns product x consuming-region.
    """
    s = table.stressor(stressor)
    m = emission_multipliers(table, s).to_numpy()
    Yr = _final_demand_summed_by_region(table)
    contrib = pd.DataFrame(m[:, None] * Yr.to_numpy(), index=table.sectors, columns=Yr.columns)
    return contrib.groupby(level="sector", sort=False).sum()


def _final_demand_summed_by_region(table: IOTable) -> pd.DataFrame:
    """Final demand summed over the categories of each consuming region (sectors x regions,
    regions in order of appearance in ``Y``); computed once per table (``Y`` is fixed)."""
    if "Y by region" not in table._cache:
        codes, regions = pd.factorize(table.fd.get_level_values(0))
        order = np.argsort(codes, kind="stable")
        starts = np.searchsorted(codes[order], np.arange(len(regions)))
        Yr = np.add.reduceat(table._Y[:, order], starts, axis=1)
        table._cache["Y by region"] = pd.DataFrame(
            Yr, index=table.sectors, columns=pd.Index(regions, name="region")
        )
    return table._cache["Y by region"]


def _final_demand_by_region(table: IOTable) -> pd.DataFrame:
    """Final demand summed by consuming region; columns in the order of ``table.regions``
    (then any region that only consumes), so that the trade matrix has a true diagonal."""
    Yr = _final_demand_summed_by_region(table)
    order = [r for r in table.regions if r in Yr.columns]
    return Yr[order + [r for r in Yr.columns if r not in order]]


def _output_for_regions(table: IOTable) -> tuple[pd.Index, np.ndarray]:
    """``L Y_r`` (sectors x consuming regions): the output each region's final demand needs.

    It does not depend on the stressor, so it is solved once per table (all
    regions as right-hand sides of one solve) and reused by every stressor and by
    :func:`embodied_trade` and :func:`regional_accounts`.
    """
    key = ("L Y by region", table.solver().method)
    if key not in table._cache:
        Yr = _final_demand_by_region(table)
        X = table.solver().solve(Yr.to_numpy()).reshape(table.n, -1)
        table._cache[key] = (Yr.columns, X)
    return table._cache[key]


def embodied_trade(table: IOTable, stressor: str | None = None) -> pd.DataFrame:
    """Emissions by producing region (rows) for the final demand of each consuming region.

    ``E_rs = sum_{i in r} e_i (L y_s)_i`` with ``y_s`` region s's final demand
    (all categories). The diagonal is domestic; off-diagonal entries are
    emissions embodied in trade (Peters 2008). Excludes ``F_Y``.
    """
    s = table.stressor(stressor)
    regions, X = _output_for_regions(table)
    e = table.f(s) / table._safe_x()
    contrib = pd.DataFrame(e[:, None] * X, index=table.sectors, columns=regions)
    out = contrib.groupby(level="region", sort=False).sum()
    out.index.name = "producing region"
    out.columns.name = "consuming region"
    return out


def regional_accounts(table: IOTable, stressor: str | None = None) -> pd.DataFrame:
    """Production, consumption and trade accounts per region.

    Columns: ``production`` (``f`` of the region's sectors + its ``f_Y``),
    ``consumption`` (footprint of its final demand + its ``f_Y``),
    ``exports_embodied`` (its producers' emissions for other regions' final
    demand), ``imports_embodied`` (other regions' emissions for its final
    demand) and ``balance = exports_embodied - imports_embodied =
    production - consumption`` (positive = net exporter of emissions).

    For a single-region table imports are not modelled (they are a primary
    input); exports to the rest of the world are the final-demand category
    that names them, and the columns reduce to production and consumption.
    """
    s = table.stressor(stressor)
    E = embodied_trade(table, s)
    fy = pd.Series(table.f_y(s), index=table.fd).groupby(level="region", sort=False).sum()
    fy = fy.reindex(E.index, fill_value=0.0)
    dom = pd.Series([E.at[r, r] if r in E.columns else 0.0 for r in E.index], index=E.index)
    exp_ = E.sum(axis=1) - dom
    imp = E.sum(axis=0).reindex(E.index) - dom
    production = (
        pd.Series(table.f(s), index=table.sectors).groupby(level="region", sort=False).sum()
    )
    out = pd.DataFrame(
        {
            "production": production.reindex(E.index) + fy,
            "consumption": E.sum(axis=0).reindex(E.index) + fy,
            "exports_embodied": exp_,
            "imports_embodied": imp,
        }
    )
    out["balance"] = out["exports_embodied"] - out["imports_embodied"]
    out.index.name = "region"
    return out


def income_based(
    table: IOTable, stressor: str | None = None, *, by_component: bool = False
) -> pd.Series | pd.DataFrame:
    """Income-based (downstream) accounts: emissions enabled by each sector's primary inputs.

    ``w_i = v_i (G e)_i = v_i (L f)_i / x_i`` with ``v = x - 1'Z`` (all primary
    inputs, including imports and taxes in a single-region table), so that
    ``sum_i w_i = v' G e = x' e = 1'f`` (Marques et al. 2012; Ghosh model as in
    Miller & Blair 2009, ch. 12). ``f_Y`` stays with its final-demand category
    (no primary input enables households' own combustion).

    Relation to pymrio: ``M_down = S (G' - I)`` gives per unit of output the
    emissions enabled downstream *excluding* the sector's own; here
    ``(G e)_i = M_down_i + S_i`` per unit of primary input, times ``v_i``.

    Parameters
    ----------
    by_component : bool
        Return a DataFrame (components of ``V`` x sectors) splitting ``w_i`` in
        proportion to each primary-input component (needs ``V``).

    Examples
    --------
    >>> from carbonshare.accounting import load_table
    >>> w = income_based(load_table("de1995"), "CO2")
    >>> [round(float(w[("DE", "primary input", s)]), 1) for s in ("agriculture_group", "industry_group")]
    [18115.0, 423507.7]
    """
    s = table.stressor(stressor)
    x = table._safe_x()
    per_input = _solved(table, "L f", s) / x  # (G e)_i
    w = table._v() * per_input
    if by_component:
        if table.V is None:
            raise IOTableError(f"table {table.name!r} has no V; by_component needs primary inputs")
        Vc = table.V.to_numpy()
        tot = Vc.sum(axis=0)
        share = np.divide(Vc, tot, out=np.zeros_like(Vc), where=tot != 0)
        return pd.DataFrame(share * w[None, :], index=table.V.index, columns=table.sectors)
    return _accounts(
        [pd.Series(w, index=_sector_index(table, "primary input")), _fy_series(table, s)],
        "income",
    )


EXTRACTION_METHODS = ("supply", "requirements")


def extraction_based(
    table: IOTable,
    stressor: str | None = None,
    *,
    extraction: list | None = None,
    method: str = "supply",
) -> pd.Series:
    """Extraction-based accounts: emissions credited to the tagged extraction sectors.

    ``method="supply"`` (default; where each sector's fuel comes from). The
    supply-side (Ghosh) model traces the output of every extraction sector
    ``k in E`` downstream through the other sectors until it is used:
    ``W_kj``, the value of k's product in sector j's inputs, solves

        ``W_kj = Z_kj + sum_{i not in E} W_ki Z_ij / x_i``,

    i.e. ``W_E = A_E (I - D A)^-1 diag(x)`` with ``D`` = diag(1 for
    non-extraction sectors, 0 for extraction sectors) and ``A_E`` the rows of
    ``A`` of the extraction sectors. Extraction sectors are where fuel
    *originates*: their own purchases are not passed on in their output, so a
    power plant burning only coal credits all its emissions to coal mining
    even if coal mining buys oil (the oil burnt by the mine is the mine's own
    emissions, credited to oil). Sector j's emissions are split over ``k`` in
    proportion to ``W_kj``; households' direct emissions ``f_Y,c`` in
    proportion to ``W^Y_kc = Y_kc + sum_{i not in E} W_ki Y_ic / x_i``.

    ``method="requirements"`` (the earlier reading, kept as an option): split
    ``f_j`` by the total requirements ``L_kj`` (and ``f_Y,c`` by
    ``(L Y_c)_k``). It also credits extraction sectors that reach j only
    through another extraction sector's own purchases (docs/responsibility.md
    works the difference out on a fuel chain).

    Emissions of a sector with no input from any extraction sector go to the
    ``("all", "unattributed", "no extraction input")`` account, so the total is
    always conserved. Both are input-output (value-based) approximations of
    fuel origin; exact extraction accounts need physical fuel-flow data
    (Steininger et al. 2016).

    Parameters
    ----------
    extraction : list of sector labels, optional
        Default ``table.extraction`` (set by the bundled loaders).
    method : {"supply", "requirements"}

    Raises
    ------
    IOTableError
        If no extraction sector is tagged, or the method is unknown.

    Examples
    --------
    Coal mining (bought by power) buys oil; power buys only coal:

    >>> s = ["oil", "coal", "power"]
    >>> Z = pd.DataFrame([[0, 10.0, 0], [0, 0, 50.0], [0, 0, 0]], index=s, columns=s)
    >>> Y = pd.DataFrame({"households": [90.0, 50.0, 200.0]}, index=s)
    >>> F = pd.DataFrame({"oil": [0.0], "coal": [20.0], "power": [100.0]}, index=["CO2"])
    >>> t = IOTable(Z, Y, F=F, extraction=["oil", "coal"])
    >>> extraction_based(t, "CO2").xs("extraction", level="kind").round(2).tolist()
    [20.0, 100.0]
    >>> req = extraction_based(t, "CO2", method="requirements")
    >>> req.xs("extraction", level="kind").round(2).tolist()  # oil gets 9.09 of power's 100
    [10.91, 109.09]
    """
    s = table.stressor(stressor)
    if method not in EXTRACTION_METHODS:
        raise IOTableError(
            f"extraction method {method!r} is unknown; use one of {list(EXTRACTION_METHODS)}"
        )
    ext = table._resolve(extraction, "extraction") if extraction is not None else table.extraction
    if len(ext) == 0:
        raise IOTableError(
            f"table {table.name!r} tags no extraction sectors; pass extraction=[...] or "
            "table.with_extraction([...])"
        )
    pos = table.sectors.get_indexer(ext)
    f = table.f(s)
    fy = table.f_y(s)
    if method == "requirements":
        rhs = np.zeros((table.n, len(pos)))
        rhs[pos, np.arange(len(pos))] = 1.0
        W = table.solver().solve(rhs, trans=True).T  # rows k of L, shape (|E|, n)
        WY = W @ table._Y
    else:
        W, WY = _extraction_origin(table, pos)

    def split(weights: np.ndarray, amounts: np.ndarray) -> tuple[np.ndarray, float]:
        tot = weights.sum(axis=0)
        ok = tot > 0
        share = np.divide(weights, tot, out=np.zeros_like(weights), where=ok)
        return share @ amounts, float(amounts[~ok].sum())

    a_sec, u_sec = split(W, f)
    a_fd, u_fd = split(WY, fy)
    idx = pd.MultiIndex.from_arrays(
        [ext.get_level_values(0), ["extraction"] * len(ext), ext.get_level_values(1)],
        names=ACCOUNT_NAMES,
    )
    un = pd.Series(
        [u_sec + u_fd],
        index=pd.MultiIndex.from_tuples(
            [("all", "unattributed", "no extraction input")], names=ACCOUNT_NAMES
        ),
    )
    if u_sec + u_fd:
        logger.info("extraction accounts: %.6g of %s has no extraction input", u_sec + u_fd, s)
    return _accounts([pd.Series(a_sec + a_fd, index=idx), un], "extraction")


def _extraction_origin(table: IOTable, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``W_E = A_E (I - D A)^-1 diag(x)`` and ``W^Y = Y_E + W_E diag(1/x) D Y`` (see
    :func:`extraction_based`), from one factorisation of ``I - D A`` per extraction set."""
    import scipy.sparse as sp

    x = table._safe_x()
    keep = np.ones(table.n)
    keep[pos] = 0.0
    A = table._A()
    DA = (sp.diags(keep) @ A).tocsr() if table.is_sparse else A * keep[:, None]
    key = ("extraction origin", tuple(pos))
    solver = table._shared_solvers.get(key)
    if solver is None:
        method = table._solver.method if table._solver is not None else "auto"
        solver = LeontiefSolver(DA, [f"{r}/{c}" for r, c in table.sectors], method=method)
        table._shared_solvers[key] = solver
    AE = A[pos].toarray() if table.is_sparse else A[pos]
    # W_E' = diag(x) (I - D A)^-T A_E'
    W = (solver.solve(AE.T, trans=True) * x[:, None]).T
    Y = table._Y
    WY = Y[pos] + (W / x[None, :]) @ (keep[:, None] * Y)
    return W, WY


def shared_alpha(
    table: IOTable, alpha: str | float | pd.Series = "value_added", *, net_output: bool = True
) -> pd.Series:
    """The producer share ``alpha_i`` of shared responsibility.

    - ``"value_added"``: ``alpha_i = va_i / N_i``, value added (``table.value_added``)
      over net output ``N_i = x_i - Z_ii`` (Lenzen et al. 2007).
    - ``"final_demand"``: ``alpha_i = y_i / N_i``, the share of net output sold to
      final demand (Gallego & Lenzen 2005 variant).
    - a number or a Series per sector: given shares.

    With ``net_output=False``, ``N_i = x_i``.

    Raises
    ------
    IOTableError
        If any ``alpha_i`` falls outside [0, 1] (the message names the sector).
    """
    x = table._safe_x()
    diag = np.asarray(table._Z.diagonal()).ravel()
    N = x - diag if net_output else x
    if isinstance(alpha, str):
        if alpha == "value_added":
            a = table.value_added.to_numpy() / N
        elif alpha == "final_demand":
            a = table._Y.sum(axis=1) / N
        else:
            raise IOTableError(
                f"alpha={alpha!r} is unknown; use 'value_added', 'final_demand', a number or a Series"
            )
    elif isinstance(alpha, pd.Series):
        a = alpha.reindex(table.sectors).to_numpy(dtype=float)
        if np.isnan(a).any():
            raise IOTableError("alpha Series must give a value for every (region, sector)")
    else:
        a = np.full(table.n, float(alpha))
    bad = np.flatnonzero((a < -1e-12) | (a > 1 + 1e-12) | ~np.isfinite(a))
    if bad.size:
        r, sct = table.sectors[bad[0]]
        raise IOTableError(
            f"alpha for {r}/{sct} is {a[bad[0]]:.4g}; producer shares must lie in [0, 1] "
            "(negative value added or final demand?) - pass alpha explicitly"
        )
    return pd.Series(np.clip(a, 0.0, 1.0), index=table.sectors, name="alpha")


def shared_responsibility(
    table: IOTable,
    stressor: str | None = None,
    *,
    alpha: str | float | pd.Series = "value_added",
    net_output: bool = True,
) -> pd.Series:
    """Shared producer-consumer responsibility (Lenzen et al. 2007; Gallego & Lenzen 2005).

    Each sector j accumulates ``U_j = f_j + sum_{i != j} (1 - alpha_i) U_i Z_ij / N_i``
    (its own emissions plus the shares its suppliers pass on in proportion to
    its purchases), keeps ``alpha_j U_j`` and passes ``(1 - alpha_j) U_j`` on to
    its buyers in proportion to sales, ``Z_jk / N_j`` to sector k and
    ``Y_jc / N_j`` to final-demand column c. Since ``sum_{k != j} Z_jk + sum_c Y_jc
    = N_j``, everything passed on is received, and the accounts sum to
    ``1'f + 1'f_Y`` exactly. ``alpha = 1`` gives the production-based accounts,
    ``alpha = 0`` the consumption-based ones (then ``U_i / N_i = m_i``).

    ``U`` is solved from ``(I - K)' U = f`` with ``K_ij = (1 - alpha_i) Z_ij / N_i``
    (diagonal zero when ``net_output``) by one LU factorisation (sparse LU or
    GMRES for a sparse table, following the method of ``table.solver()``).

    Parameters
    ----------
    alpha : see :func:`shared_alpha`.
    net_output : bool
        Exclude intra-sector deliveries ``Z_ii`` (Lenzen et al. 2007). Default True.

    Examples
    --------
    >>> from carbonshare.accounting import load_table
    >>> t = load_table("de1995")
    >>> bool(np.isclose(shared_responsibility(t, "CO2").sum(), production_based(t, "CO2").sum()))
    True
    """
    s = table.stressor(stressor)
    a = shared_alpha(table, alpha, net_output=net_output).to_numpy()
    x = table._safe_x()
    diag = np.asarray(table._Z.diagonal()).ravel()
    N = x - diag if net_output else x
    if np.any(N <= 0):
        k = int(np.flatnonzero(N <= 0)[0])
        raise IOTableError(
            f"net output of {'/'.join(table.sectors[k])} is {N[k]:g}; it sells only to itself - "
            "use net_output=False or aggregate it"
        )
    pass_share = (1.0 - a) / N
    f = table.f(s)
    # one factorisation per (alpha, net_output) and table, shared by all stressors
    method = table._solver.method if table._solver is not None else "auto"
    key = (alpha, net_output, method) if isinstance(alpha, str | float | int) else None
    solver = table._shared_solvers.get(key) if key is not None else None
    if solver is None:
        if table.is_sparse:
            K = table._Z.tocsr(copy=True)
            rows = np.repeat(np.arange(table.n), np.diff(K.indptr))
            K.data *= pass_share[rows]  # row i scaled by (1 - alpha_i) / N_i, pattern kept
            if net_output:
                K.data[K.indices == rows] = 0.0
                K.eliminate_zeros()
        else:
            K = table._Z * pass_share[:, None]
            if net_output:
                K[np.diag_indices_from(K)] = 0.0
        labels = [f"{r}/{sct}" for r, sct in table.sectors]
        solver = LeontiefSolver(K, labels, method=method)
        if key is not None:
            table._shared_solvers[key] = solver
    if key is None:
        U = solver.solve(f, trans=True)
    else:
        U = _by_stressor(table, ("U", *key), s, lambda B: solver.solve(B, trans=True), table.f)
    producer = a * U
    consumer = ((1.0 - a) * U / N) @ table._Y + table.f_y(s)
    name = alpha if isinstance(alpha, str) else "given"
    return _accounts(
        [
            pd.Series(producer, index=_sector_index(table)),
            pd.Series(consumer, index=_fd_index(table)),
        ],
        f"shared_{name}",
    )


def carbon_emission_added(table: IOTable, stressor: str | None = None) -> pd.Series:
    """Carbon emission added (Bastianoni, Pulselli & Tiezzi 2004), normalised.

    Each producing stage is responsible in proportion to the emissions
    accumulated up to it, i.e. embodied in its net output,
    ``U0_i = m_i N_i`` (``m' = e'L``; in a linear chain ``U0_k = f_1 + ... + f_k``),
    scaled so the producers' accounts sum to ``1'f``:
    ``cea_i = (1'f) U0_i / 1'U0``. Downstream stages carry more than their
    direct emissions, upstream stages less. ``f_Y`` stays with final demand.
    The unnormalised sum ``1'U0`` double counts (Lenzen et al. 2007 discuss
    this); the normalisation is our reading that makes CEA an allocation.
    """
    s = table.stressor(stressor)
    m = emission_multipliers(table, s).to_numpy()
    N = table._safe_x() - np.asarray(table._Z.diagonal()).ravel()
    U0 = m * N
    f = table.f(s)
    tot = U0.sum()
    cea = f.sum() * U0 / tot if tot > 0 else f.copy()
    return _accounts(
        [pd.Series(cea, index=_sector_index(table)), _fy_series(table, s)], "carbon_emission_added"
    )


def producer_consumer_flows(table: IOTable, stressor: str | None = None) -> pd.DataFrame:
    """Emissions of each producing sector (rows) caused by each final-demand column.

    ``diag(e) L Y`` plus a ``direct (final demand)`` row holding ``f_Y``; the
    row sums are the production accounts (``f``, since ``L Y 1 = x``) and the
    column sums the consumption accounts. Used for Sankey figures.
    """
    s = table.stressor(stressor)
    X = table.solver().solve(table._Y)
    e = table.f(s) / table._safe_x()
    flows = pd.DataFrame(e[:, None] * X, index=table.sectors, columns=table.fd)
    fy = pd.DataFrame(
        [table.f_y(s)],
        columns=table.fd,
        index=pd.MultiIndex.from_tuples(
            [("final demand", "direct")], names=list(table.sectors.names)
        ),
    )
    return pd.concat([flows, fy])


def all_perspectives(
    table: IOTable,
    stressor: str | None = None,
    *,
    extraction: list | None = None,
    extraction_method: str = "supply",
    alpha: str | float | pd.Series | None = None,
) -> dict[str, pd.Series]:
    """Every perspective that the table supports, keyed as in :data:`PERSPECTIVES`.

    Extraction accounts are included when extraction sectors are tagged (or
    given); shared responsibility with ``alpha`` adds a ``shared_given`` entry.
    """
    s = table.stressor(stressor)
    out = {
        "production": production_based(table, s),
        "consumption": consumption_based(table, s),
        "income": income_based(table, s),
    }
    if extraction is not None or len(table.extraction):
        out["extraction"] = extraction_based(
            table, s, extraction=extraction, method=extraction_method
        )
    out["shared_value_added"] = shared_responsibility(table, s, alpha="value_added")
    out["shared_final_demand"] = shared_responsibility(table, s, alpha="final_demand")
    if alpha is not None and not isinstance(alpha, str):
        out["shared_given"] = shared_responsibility(table, s, alpha=alpha)
    out["carbon_emission_added"] = carbon_emission_added(table, s)
    return out


def reconciliation(
    accounts: Mapping[str, pd.Series], total: float | None = None, *, rtol: float = 1e-9
) -> pd.DataFrame:
    """Check that every perspective sums to the same total.

    Parameters
    ----------
    accounts : mapping perspective -> accounts Series
    total : float, optional
        The reference total (default: the ``production`` accounts' sum, else the first).
    rtol : float
        Relative tolerance of ``conserved``.

    Returns
    -------
    DataFrame indexed by perspective: ``total``, ``difference``,
    ``relative_difference``, ``holders`` (number of accounts), ``negative``
    (number of negative accounts) and ``conserved`` (bool).

    Examples
    --------
    >>> from carbonshare.accounting import load_table
    >>> rec = reconciliation(all_perspectives(load_table("de1995"), "CO2"))
    >>> bool(rec["conserved"].all()), round(rec.loc["income", "total"])
    (True, 904157)
    """
    if not accounts:
        raise IOTableError("reconciliation needs at least one perspective")
    if total is None:
        ref = accounts.get("production", next(iter(accounts.values())))
        total = float(ref.sum())
    rows = {}
    for key, acc in accounts.items():
        t = float(acc.sum())
        rows[key] = {
            "total": t,
            "difference": t - total,
            "relative_difference": (t - total) / abs(total) if total else t - total,
            "holders": int(acc.size),
            "negative": int((acc < 0).sum()),
            "conserved": bool(abs(t - total) <= rtol * max(abs(total), 1.0)),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "perspective"
    return out
