"""The alliance study: carbon-reduction alliances and emission-rights shares (docs/methods.md part A).

Zhou, Xiang, Zhu & Wang (2024), "Mapping carbon reduction: a cross-continental
study of alliance strategies", iScience 27, 109412, end to end on the bundled
data. The study composes library functions; each step is also a function
usable alone:

1. :func:`indicator_matrix` - the nine indicators per country over the paper's
   windows, with the missing-data rule of the config (every repair recorded).
2. normalisation and weights (:mod:`carbonshare.indicators`).
3. dimension scores Sc, Ec, Ev, principle scores Eq, Ef, El and ACI (Eq. 9).
4. capital-to-capital distances and labour cost (:mod:`carbonshare.geo`).
5. CRL matrix (Eq. 8), strongest partners and alliances (:mod:`carbonshare.cooperation`).
6. :func:`allocate` - two-stage Shapley, Shapley and Owen shares (Eq. 10-13,
   :mod:`carbonshare.games`) with their exact principle and indicator parts.
7. :func:`alliance_statistics` - the tables the paper reports.

:func:`run_alliances` runs them all and returns an :class:`AllianceResult`;
:meth:`AllianceResult.write` writes tables, figures, ``report.html`` and
``manifest.json``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from carbonshare.cooperation.diagnostics import AllianceDiagnostics
from carbonshare.data.coverage import country_note
from carbonshare.data.userdata import prepare_panel
from carbonshare.errors import ConfigError, DataError, GameError
from carbonshare.studies.alliances_config import AlliancesConfig
from carbonshare.studies.common import (
    Manifest,
    ProgressCallback,
    check_output_dir,
    nearest_row_fill,
)
from carbonshare.uncertainty.summary import UncertaintySummary

__all__ = [
    "STEPS",
    "WRITE_STEPS",
    "alliance_statistics",
    "allocate",
    "AllianceResult",
    "IndicatorMatrix",
    "aggregate_window",
    "indicator_matrix",
    "run_alliances",
]

logger = logging.getLogger(__name__)

STEPS: tuple[str, ...] = (
    "indicator matrix",
    "weights and scores",
    "distances and labour cost",
    "linkage and alliances",
    "allocation",
    "statistics",
    "uncertainty",
)
"""Names of the computing steps, in order (the CLI adds the writing steps)."""

WRITE_STEPS: tuple[str, ...] = ("tables", "report", "figures", "manifest")


# ----------------------------------------------------------------------------- step 1


@dataclass
class WindowAggregate:
    """One panel column aggregated over a window, with what was done about missing years."""

    values: pd.Series
    """iso3 -> aggregate (NaN where the country is excluded)."""
    gaps: pd.DataFrame
    """One row per country with a missing year: iso3, years_missing, action, detail."""
    years: tuple[int, int]
    """The window actually used (narrowed to the years the panel has for this column)."""


def _outside_value(row: pd.Series, window: tuple[int, int], outside: int):
    """(year, value) of the nearest non-missing year within ``outside`` years of the window."""
    if outside <= 0:
        return None
    first, last = window
    data = row.dropna()
    years = np.asarray(data.index, dtype=int)
    dist = np.where(years < first, first - years, years - last)
    ok = (dist > 0) & (dist <= outside)
    if not ok.any():
        return None
    cand = np.flatnonzero(ok)
    best = cand[np.lexsort((years[cand], dist[cand]))[0]]
    return int(years[best]), float(data.iloc[best])


def aggregate_window(
    series: pd.Series,
    years: tuple[int, int],
    how: str,
    fill: str,
    *,
    countries: pd.Index | None = None,
    outside: int = 0,
) -> WindowAggregate:
    """Aggregate a (iso3, year) panel column over an inclusive window of years.

    ``how="sum"``: sum_t x_it (e.g. cumulative population or CO2);
    ``how="mean"``: mean_t x_it. Missing years inside the window follow
    ``fill``: ``"nearest"`` takes the value of the nearest year with data
    inside the window (the earlier one on a tie), ``"available"`` (means)
    averages the years with data, ``"scale"`` (sums) multiplies the sum of
    the available years by (years in window / years available), ``"exclude"``
    leaves the country out (NaN). A country with no data in the window is NaN.
    When the panel has no value at all for some window years (e.g. a series
    that ends earlier), the window is first narrowed to the years it has.

    Parameters
    ----------
    series : Series indexed by (iso3, year), NaN = no data.
    years : (first, last), inclusive.
    how : "sum" or "mean".
    fill : "nearest", "available", "scale" or "exclude".
    countries : the countries wanted (default: all in ``series``).
    outside : years beyond the window a country with no data inside may use.

    Returns
    -------
    WindowAggregate

    Raises
    ------
    DataError  if the panel has no value at all inside the window.
    ConfigError  for an unknown ``how`` or ``fill``.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["AAA", "BBB"], [2016, 2017, 2018]],
    ...                                  names=["iso3", "year"])
    >>> s = pd.Series([1.0, np.nan, 3.0, 2.0, 2.0, 2.0], index=idx)
    >>> agg = aggregate_window(s, (2016, 2018), "sum", "nearest")
    >>> agg.values.tolist()
    [5.0, 6.0]
    >>> agg.gaps[["iso3", "years_missing", "action"]].values.tolist()
    [['AAA', '2017', 'nearest-year fill']]
    """
    if how not in ("sum", "mean"):
        raise ConfigError(f"aggregation {how!r} is unknown; use 'sum' or 'mean'")
    allowed = {"sum": ("nearest", "scale", "exclude"), "mean": ("nearest", "available", "exclude")}
    if fill not in allowed[how]:
        raise ConfigError(
            f"fill rule {fill!r} does not apply to '{how}'; use one of {', '.join(allowed[how])}"
        )
    first, last = years
    wide_all = series.unstack("year")
    if countries is not None:
        wide_all = wide_all.reindex(countries)
    wide = wide_all.reindex(columns=range(first, last + 1))
    present = wide.columns[wide.notna().any(axis=0)]
    if len(present) == 0:
        raise DataError(
            f"{series.name or 'the column'} has no value in {first}-{last}; "
            "choose a window the data cover (see carbonshare.data.indicator_catalog())"
        )
    used = (int(present.min()), int(present.max()))
    wide = wide.loc[:, used[0] : used[1]]
    arr = wide.to_numpy(dtype=float)
    year_labels = np.asarray(wide.columns, dtype=int)
    n_years = arr.shape[1]
    have = ~np.isnan(arr)
    n_have = have.sum(axis=1)
    values = np.where(n_have == n_years, arr.sum(axis=1), np.nan)
    if how == "mean":
        values = values / n_years
    gaps = []
    for k in np.flatnonzero(n_have < n_years):
        iso3, row = wide.index[k], arr[k]
        if n_have[k] == 0:
            near = _outside_value(wide_all.loc[iso3], used, outside)
            if near is None:
                gaps.append((iso3, f"{used[0]}-{used[1]}", "excluded", "no data in the window"))
            else:
                year, value = near
                values[k] = value * n_years if how == "sum" else value
                gaps.append((iso3, f"{used[0]}-{used[1]}", "nearest year outside the window",
                             f"{year} value used for every year"))  # fmt: skip
            continue
        missing = ", ".join(str(y) for y in year_labels[np.isnan(row)])
        if fill == "exclude":
            gaps.append((iso3, missing, "excluded", "missing years and fill rule 'exclude'"))
            continue
        if fill == "nearest":
            filled, sources = nearest_row_fill(row)
            values[k] = filled.sum() if how == "sum" else filled.mean()
            detail = "; ".join(f"{year_labels[t]} <- {year_labels[s]}" for t, s in sources)
            gaps.append((iso3, missing, "nearest-year fill", detail))
        elif fill == "scale":
            values[k] = np.nansum(row) * n_years / n_have[k]
            detail = f"sum of {n_have[k]} available years x {n_years}/{n_have[k]}"
            gaps.append((iso3, missing, "scaled sum", detail))
        else:  # available
            values[k] = np.nanmean(row)
            gaps.append((iso3, missing, "mean of available years", f"{n_have[k]} of {n_years}"))
    gap_frame = pd.DataFrame(gaps, columns=["iso3", "years_missing", "action", "detail"])
    return WindowAggregate(
        values=pd.Series(values, index=wide.index, name=series.name), gaps=gap_frame, years=used
    )


@dataclass
class IndicatorMatrix:
    """Step 1: the indicator matrix and the record of how it was built."""

    values: pd.DataFrame
    """Included countries (iso3) x indicator codes, in the units of the config."""
    selection: pd.DataFrame
    """Every candidate country: name, continent, included (bool), reason."""
    missing: pd.DataFrame
    """Per country and indicator with a missing year: years_missing, action, detail."""
    windows: pd.DataFrame
    """Per indicator (and the labour cost): panel column(s), window asked, window used."""
    labour_cost: pd.Series
    """Labour cost L_i of the included countries, in the config's unit."""


def _window(config: AlliancesConfig, which: str) -> tuple[int, int]:
    return tuple(getattr(config.years, which))


def _window_text(config: AlliancesConfig, which: str) -> str:
    first, last = _window(config, which)
    return f"{first}-{last}"


def _labour_cost(
    panel: pd.DataFrame,
    config: AlliancesConfig,
    candidates: pd.Index,
    manifest: Manifest,
    window_rows: list[dict],
) -> pd.Series:
    """Labour cost by :func:`carbonshare.geo.labour_cost`; partial windows are recorded."""
    from carbonshare.geo import labour_cost

    lc = config.labour_cost
    first, last = _window(config, lc.window)
    labour = labour_cost(panel, lc.proxy, (first, last), missing="keep")
    n_years = pd.Series(labour.attrs.get("n_years", {}), dtype="float64")
    window_rows.append(
        {"indicator": "labour_cost", "column": lc.proxy, "aggregation": "mean",
         "window_asked": f"{first}-{last}", "window_used": f"{first}-{last}"}
    )  # fmt: skip
    full = last - first + 1
    for iso3, n in n_years.items():
        if 0 < n < full and iso3 in labour.index and np.isfinite(labour[iso3]):
            manifest.repair(
                iso3, "labour_cost", "mean of available years",
                f"{lc.proxy}: {int(n)} of {full} years in {first}-{last}",
            )  # fmt: skip
    return labour.reindex(candidates)


def _fill_rule(config: AlliancesConfig, how: str) -> str:
    return config.missing.sum if how == "sum" else config.missing.mean


def indicator_matrix(
    panel: pd.DataFrame,
    countries: pd.DataFrame,
    config: AlliancesConfig | None = None,
    manifest: Manifest | None = None,
) -> IndicatorMatrix:
    """Build the indicator matrix of docs/methods.md A1 for the study countries.

    Candidates are the countries of ``countries`` (``load_countries()``)
    with capital coordinates, restricted by ``config.countries``. For each
    indicator the panel column is aggregated over its window
    (:func:`aggregate_window`; a ratio indicator divides the aggregates of
    ``column`` and ``per``) and multiplied by ``scale``. The labour cost is
    aggregated the same way. A country enters the study if it has every
    indicator and the labour cost after the fill rule. Every repair and
    exclusion goes to ``manifest`` (and the log).

    Parameters
    ----------
    panel : wide panel indexed by (iso3, year), as :func:`carbonshare.data.load_panel`.
    countries : country table indexed by iso3 with ``name``, ``continent``,
        ``capital_lat``, ``capital_lon``.
    config : study config (defaults: the paper's).
    manifest : where repairs, exclusions and notes are recorded.

    Returns
    -------
    IndicatorMatrix

    Raises
    ------
    ConfigError  if an indicator names a column the panel lacks.
    DataError  if fewer than three countries remain.
    """
    config = config or AlliancesConfig()
    manifest = manifest or Manifest("alliances", config)
    needed = {s.column for s in config.indicators.values()}
    needed |= {s.per for s in config.indicators.values() if s.per}
    absent = sorted(needed - set(panel.columns))
    if absent:
        raise ConfigError(
            f"indicators name panel column(s) {absent} that the panel does not have; "
            f"use one of {', '.join(map(str, panel.columns))}"
        )

    candidates = countries.index.astype(str)
    reasons: dict[str, list[str]] = {c: [] for c in candidates}
    coords = countries[["capital_lat", "capital_lon"]].astype(float)
    for iso3 in candidates[coords.isna().any(axis=1).to_numpy()]:
        reasons[iso3].append("no capital coordinates")
    if config.countries.only is not None:
        unknown = sorted(set(config.countries.only) - set(candidates))
        if unknown:
            raise ConfigError(
                f"countries.only: {unknown} are not in the country table; use ISO3 codes of "
                "carbonshare.data.load_countries()"
            )
        for iso3 in candidates:
            if iso3 not in config.countries.only:
                reasons[iso3].append("not in countries.only")
    unknown = sorted(set(config.countries.exclude) - set(candidates))
    if unknown:
        raise ConfigError(
            f"countries.exclude: {unknown} are not in the country table; use ISO3 codes of "
            "carbonshare.data.load_countries()"
        )
    for iso3 in config.countries.exclude:
        reasons[iso3].append("in countries.exclude")

    values: dict[str, pd.Series] = {}
    gap_rows: list[pd.DataFrame] = []
    window_rows = []

    def aggregate(column: str, how: str, which: str, code: str) -> pd.Series:
        asked = _window(config, which)
        agg = aggregate_window(
            panel[column], asked, how, _fill_rule(config, how), countries=candidates,
            outside=config.missing.outside_years,
        )  # fmt: skip
        window_rows.append(
            {"indicator": code, "column": column, "aggregation": how,
             "window_asked": f"{asked[0]}-{asked[1]}", "window_used": f"{agg.years[0]}-{agg.years[1]}"}
        )  # fmt: skip
        if agg.years != asked:
            text = (
                f"{code}: the panel has {column} only for {agg.years[0]}-{agg.years[1]} inside "
                f"the {asked[0]}-{asked[1]} window; the {how} uses those years"
            )
            manifest.warn(text)
            manifest.repair("all countries", code, "window narrowed", text)
        gaps = agg.gaps.assign(indicator=code, column=column)
        gap_rows.append(gaps)
        return agg.values

    for code, spec in config.indicators.items():
        x = aggregate(spec.column, spec.aggregation, spec.window, code)
        if spec.per:
            d = aggregate(spec.per, spec.aggregation, spec.window, code)
            bad = d.index[(d <= 0).to_numpy()]
            for iso3 in bad:
                reasons[iso3].append(f"{code}: {spec.per} is <= 0 so {spec.column}/{spec.per} "
                                     "is undefined")  # fmt: skip
            x = x / d.where(d > 0)
        values[code] = x * spec.scale
    labour = _labour_cost(panel, config, candidates, manifest, window_rows)
    for iso3 in labour.index[labour.isna().to_numpy()]:
        reasons[iso3].append(
            f"no labour cost ({config.labour_cost.proxy}) in {_window_text(config, config.labour_cost.window)}"
        )

    matrix = pd.DataFrame(values, index=candidates)
    matrix.index.name = "iso3"
    gaps = pd.concat(gap_rows, ignore_index=True) if gap_rows else pd.DataFrame()
    no_data = gaps[gaps["action"] == "excluded"]
    for row in no_data.itertuples():
        reasons[row.iso3].append(
            f"no {row.column} for {row.indicator} ({row.detail}, {row.years_missing})"
        )

    for iso3, why in reasons.items():
        if why and country_note(iso3):
            why.append(country_note(iso3))
    selection = pd.DataFrame(
        {
            "name": countries["name"].reindex(candidates).to_numpy(),
            "continent": countries["continent"].reindex(candidates).to_numpy(),
            "included": [not reasons[c] for c in candidates],
            "reason": ["; ".join(dict.fromkeys(reasons[c])) for c in candidates],
        },
        index=pd.Index(candidates, name="iso3"),
    )
    included = selection.index[selection["included"].to_numpy()]
    if len(included) < 3:
        raise DataError(
            f"only {len(included)} countries have every indicator and a labour cost; the study "
            "needs at least 3 (relax countries.only / missing rules, or check the panel)"
        )
    for iso3, row in selection[~selection["included"]].iterrows():
        manifest.exclude(iso3, row["reason"])
    repaired = gaps[(gaps["action"] != "excluded") & gaps["iso3"].isin(included)]
    for row in repaired.itertuples():
        manifest.repair(
            row.iso3,
            row.indicator,
            row.action,
            f"{row.column} missing {row.years_missing}: {row.detail}",
        )
    missing = gaps[gaps["iso3"].isin(included) | (gaps["action"] == "excluded")]
    missing = missing[["iso3", "indicator", "column", "years_missing", "action", "detail"]]
    return IndicatorMatrix(
        values=matrix.loc[included],
        selection=selection,
        missing=missing.reset_index(drop=True),
        windows=pd.DataFrame(window_rows).drop_duplicates().reset_index(drop=True),
        labour_cost=labour.loc[included].rename("labour_cost"),
    )


# ----------------------------------------------------------------------------- steps 2-5


def _grid(config: AlliancesConfig) -> pd.DataFrame:
    """The indicator grid of the config in the shape carbonshare.indicators expects."""
    rows = {
        code: {"dimension": s.dimension, "principle": s.principle, "name": s.name, "unit": s.unit}
        for code, s in config.indicators.items()
    }
    grid = pd.DataFrame.from_dict(rows, orient="index")
    grid.index.name = "indicator"
    return grid


def _distances(
    countries: pd.DataFrame, config: AlliancesConfig, manifest: Manifest | None = None
) -> pd.DataFrame:
    """Distance matrix (km) of the study countries from ``distances.source``.

    A CEPII source lacking a country takes that country's pairs from ``distances.fill_from``
    (each pair recorded as a repair), or fails naming it when fill_from is null.
    """
    from carbonshare import geo

    source = config.distances.source
    if source == "capitals":
        return geo.great_circle_km(geo.capital_points(countries))
    if not hasattr(geo, "distance_matrix"):
        raise ConfigError(
            f"distances.source={source!r} needs the CEPII distance table "
            "(carbonshare.geo.distance_matrix), which this installation lacks; use "
            "distances.source: capitals"
        )
    fill = config.distances.fill_from
    D = geo.distance_matrix(list(countries.index), source, countries=countries, fill_from=fill)
    for pair in D.attrs.get("filled", []):
        if manifest is not None:
            manifest.repair(pair, "distance_km", f"from {fill}", f"{source} lacks the pair")
    return D


def _floor_distances(D: pd.DataFrame, min_km: float | None, manifest: Manifest) -> pd.DataFrame:
    """Apply the config's distance floor (recording every floored pair); None = unchanged."""
    if min_km is None:
        return D
    d = D.to_numpy(copy=True)
    off = ~np.eye(len(d), dtype=bool)
    low = np.argwhere(np.triu(off & (d < min_km)))
    for i, j in low:
        manifest.repair(
            f"{D.index[i]}-{D.columns[j]}", "distance_km", "floored",
            f"{d[i, j]:.1f} km -> {min_km:g} km (distances.min_km)",
        )  # fmt: skip
    d[off] = np.maximum(d[off], min_km)
    return pd.DataFrame(d, index=D.index, columns=D.columns)


def _weights(V: pd.DataFrame, config: AlliancesConfig, manifest: Manifest) -> pd.Series:
    from carbonshare.indicators import compute_weights

    method = config.weights.method
    if method in ("entropy", "critic"):
        return compute_weights(V, method, normalised=True)
    if method == "given":
        given = config.weights.given or {}
        total = float(sum(given.values()))
        w = compute_weights(V, "given", weights=given)
        if abs(total - 1.0) > 1e-9:
            manifest.warn(
                f"weights.given sum to {total:.6g}, not 1; rescaled to sum 1: "
                + ", ".join(f"{k} {v:.4g}" for k, v in w.items())
            )
        return w
    return compute_weights(V, method)


# ----------------------------------------------------------------------------- step 6


PARTS_PRINCIPLES = ("Eq", "Ef", "El")


def allocate(
    aci_parts: pd.DataFrame,
    crl: pd.DataFrame,
    members: pd.Series,
    methods: tuple[str, ...] | list[str] = ("two_stage", "shapley", "owen"),
    *,
    stage1: str = "quotient",
) -> dict[str, pd.DataFrame]:
    """Emission-rights shares Q (Eq. 13, in %) and their exact decomposition (docs/methods.md A6-A7).

    The game is v(S) = (sum_{i in S} ACI_i)(sum_{i != j in S} CRL_ij)
    (:func:`carbonshare.games.alliance_game`); ACI is the row sum of
    ``aci_parts`` (e.g. the nine w_j V_ij, or Eq, Ef, El). v is linear in ACI,
    so for the linear solutions (Shapley, Owen) the value of the game with
    ACI replaced by one part is that part's contribution, and the parts add
    up to the total exactly. The two-stage value Q_k psi_i / sum_k psi is not
    linear (psi: Shapley value in the alliance's own game); its parts keep the
    alliance factor Q_k / sum_k psi fixed and split psi_i linearly, which is
    again exact. Every part is expressed in % of global emission rights.

    The total and all parts are solved together as ACI columns of one game
    (:meth:`~carbonshare.games.alliance.AllianceGame.shapley_columns` and siblings): the CRL
    is checked and copied once and the O(n^2) work (one product w A) is done once, so
    memory stays a few n x n arrays however many parts there are.

    Parameters
    ----------
    aci_parts : countries x parts, non-negative, summing per row to ACI.
    crl : CRL matrix of the same countries (Eq. 8).
    members : country -> alliance (the a priori unions).
    methods : any of "two_stage", "shapley", "owen".
    stage1 : stage-1 game of "two_stage" (:data:`carbonshare.cooperation.linkage.STAGE1_GAMES`;
        "quotient" is docs/methods.md A6).

    Returns
    -------
    dict method -> DataFrame (countries x ["share"] + parts), in % (shares sum to 100).
    """
    from carbonshare.cooperation.linkage import stage1_values, two_stage_split
    from carbonshare.games import alliance_game, partition

    aci_total = aci_parts.sum(axis=1)
    game = alliance_game(aci_total, crl)  # CRL validated and copied once, for every part
    parts = aci_parts.reindex(aci_total.index).to_numpy(dtype=float)
    bad = np.argwhere(~np.isfinite(parts))
    if bad.size:
        i, k = bad[0]
        raise GameError(
            f"the {aci_parts.columns[k]!r} part of the ACI of {aci_total.index[i]!r} is not a "
            "finite number; ACI must be a finite number (impute or exclude the country first)"
        )
    members = members.reindex(aci_total.index)
    ids = partition(game, members).ids
    # column 0: the total ACI, then one column per part; v is linear in ACI
    columns = np.column_stack([game.aci, parts])
    index = aci_total.index
    out: dict[str, pd.DataFrame] = {}
    for method in methods:
        if method == "two_stage":
            q_union = stage1_values(columns, game.crl, ids, stage1)  # Q_k: total, parts
            psi_all = game.within_union_columns(columns, ids)  # stage 2, linear in ACI
            total = pd.Series(two_stage_split(q_union[:, 0], psi_all[:, 0], ids), index=index)
            q_all = q_union[ids]
            q, psi = q_all[:, :1], psi_all[:, :1]
            # parts: psi split linearly (alliances with every psi > 0), else Q_k split
            min_psi = np.full(ids.max() + 1, np.inf)
            np.minimum.at(min_psi, ids, psi[:, 0])
            use_psi = ((np.bincount(ids)[ids] > 1) & (min_psi[ids] > 0))[:, None]
            via_psi = psi_all[:, 1:] / np.where(use_psi, psi, 1.0)
            via_union = q_all[:, 1:] / np.where(q > 0, q, 1.0)
            values = total.to_numpy()[:, None] * np.where(use_psi, via_psi, via_union)
        else:
            both = (
                game.shapley_columns(columns)
                if method == "shapley"
                else game.owen_columns(columns, ids)
            )
            total, values = pd.Series(both[:, 0], index=index), both[:, 1:]
        grand = float(total.sum())
        if not grand > 0:
            raise DataError(
                "the grand coalition's value is 0 (no positive ACI with positive CRL); "
                "shares are undefined - check the indicator matrix"
            )
        frame = pd.DataFrame(
            np.column_stack([total.to_numpy(), values]) * (100.0 / grand),
            index=index.copy(),
            columns=["share", *aci_parts.columns],
        )
        frame.index.name = "iso3"
        out[method] = frame
    return out


# ----------------------------------------------------------------------------- step 7


def alliance_statistics(
    shares: Mapping[str, pd.DataFrame],
    members: pd.Series,
    countries: pd.DataFrame,
    grid: pd.DataFrame,
    *,
    top_fraction: float = 0.1,
) -> dict[str, object]:
    """The tables and figures of merit the paper reports (docs/methods.md A7).

    Parameters
    ----------
    shares : output of :func:`allocate` (method -> countries x [share, indicator parts], %).
    members : country -> alliance id.
    countries : country table (name, continent, developed).
    grid : indicator -> dimension, principle (the config's grid).
    top_fraction : fraction of countries in the top table (the paper's 10 %).

    Returns
    -------
    dict with ``country_shares``, ``alliances``, ``top`` (DataFrames),
    ``decomposition`` (long: iso3, method, part, value) and the scalars
    ``max_min_ratio``, ``largest``, ``smallest``, ``top_share_pct``.
    """
    from carbonshare.cooperation import alliance_table

    methods = list(shares)
    head = methods[0]
    idx = shares[head].index
    codes = [c for c in shares[head].columns if c != "share"]
    meta = countries.reindex(idx)
    cs = pd.DataFrame(
        {"name": meta["name"], "alliance": members.reindex(idx)},
        index=idx,
    )
    for m in methods:
        cs[f"share_{m}"] = shares[m]["share"]
    head_parts = shares[head][codes]
    principle_parts = head_parts.T.groupby(grid["principle"].reindex(codes)).sum().T
    for p in PARTS_PRINCIPLES:
        cs[f"{p}_pct"] = principle_parts[p] if p in principle_parts else 0.0
    for code in codes:
        cs[f"{code}_pct"] = head_parts[code]
    alliance_share = cs.groupby("alliance")[f"share_{head}"].transform("sum")
    cs["rate_in_alliance_pct"] = cs[f"share_{head}"] / alliance_share * 100.0
    cs["rank"] = cs[f"share_{head}"].rank(ascending=False, method="min").astype("int64")
    cs["continent"] = meta["continent"]
    cs["developed"] = meta["developed"].astype("boolean") if "developed" in meta else pd.NA
    cs = cs.sort_values("rank")

    table = alliance_table(members.reindex(idx), countries)
    by = cs.groupby("alliance")
    for m in methods:
        table[f"share_{m}"] = by[f"share_{m}"].sum()
    for p in PARTS_PRINCIPLES:
        table[f"{p}_pct"] = by[f"{p}_pct"].sum()
    table["largest_members"] = by.apply(
        lambda g: ", ".join(g.sort_values(f"share_{head}", ascending=False).index[:3]),
        include_groups=False,
    )
    table["share_pct"] = table[f"share_{head}"]
    table = table.sort_values("share_pct", ascending=False)

    n_top = max(1, int(round(top_fraction * len(cs))))
    top = cs.head(n_top)[
        ["rank", "name", "alliance", f"share_{head}", "continent", "developed"]
        + [f"share_{m}" for m in methods[1:]]
        + [f"{p}_pct" for p in PARTS_PRINCIPLES]
    ]

    long = []
    for m in methods:
        frame = shares[m].copy()
        principle = frame[codes].T.groupby(grid["principle"].reindex(codes)).sum().T
        frame = pd.concat([frame, principle], axis=1)
        stacked = frame.stack().rename("value").reset_index()
        stacked.columns = ["iso3", "part", "value"]
        stacked.insert(1, "method", m)
        long.append(stacked)
    decomposition = pd.concat(long, ignore_index=True)

    head_share = cs[f"share_{head}"]
    smallest = float(head_share.min())
    return {
        "country_shares": cs,
        "alliances": table,
        "top": top,
        "decomposition": decomposition,
        "max_min_ratio": float(head_share.max() / smallest) if smallest > 0 else float("inf"),
        "largest": str(head_share.idxmax()),
        "smallest": str(head_share.idxmin()),
        "top_share_pct": float(top[f"share_{head}"].sum()),
    }


# ----------------------------------------------------------------------------- the study


@dataclass
class AllianceResult:
    """Everything the alliance study computes (tables indexed by ISO3 / indicator / alliance)."""

    config: AlliancesConfig
    matrix: IndicatorMatrix
    normalised: pd.DataFrame
    weights: pd.Series
    scores: pd.DataFrame
    distances: pd.DataFrame
    crl: pd.DataFrame
    linkage: pd.DataFrame
    members: pd.Series
    shares: dict[str, pd.DataFrame]
    country_shares: pd.DataFrame
    alliance_table: pd.DataFrame
    top: pd.DataFrame
    decomposition: pd.DataFrame
    statistics: dict[str, object]
    manifest: Manifest
    countries: pd.DataFrame
    grid: pd.DataFrame
    weight_details: pd.DataFrame = field(default_factory=pd.DataFrame)
    game_linkage: pd.DataFrame | None = None
    """The linkage inside v(S): CRL after ``linkage.transform`` (CRL itself for none)."""
    diagnostics: AllianceDiagnostics | None = None
    """Linkage concentration, share structure, mutual pairs and long links (issue 11)."""
    uncertainty: UncertaintySummary | None = None
    """Monte Carlo summary when ``uncertainty.samples`` > 0 (carbonshare.uncertainty)."""
    paths: list[Path] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The output tables by file name (see docs/alliances.md for their columns)."""
        raw = self.matrix.values
        ind = pd.concat(
            [
                self.countries["name"].reindex(raw.index),
                raw,
                self.normalised.add_suffix("_norm"),
            ],
            axis=1,
        )
        crl = self.crl.rename_axis(index="iso3")  # no copy of the n x n values
        stats = pd.DataFrame(
            {"value": [str(v) for v in self.statistics.values()]},
            index=pd.Index(list(self.statistics), name="statistic"),
        )
        return {
            "indicators": ind,
            "weights": self.weight_details,
            "scores": self.scores,
            "linkage": self.linkage,
            "crl_matrix": crl,
            "alliances": self.alliance_table,
            "country_shares": self.country_shares,
            "top_decile": self.top,
            "decomposition": self.decomposition,
            "selection": self.matrix.selection,
            "missing_data": self.matrix.missing,
            "windows": self.matrix.windows,
            "statistics": stats,
            **self._diagnostic_tables(),
            **(
                {f"uncertainty_{k}": v for k, v in self.uncertainty.tables().items()}
                if self.uncertainty is not None
                else {}
            ),
        }

    def _diagnostic_tables(self) -> dict[str, pd.DataFrame]:
        dg = self.diagnostics
        if dg is None:
            return {}
        return {
            "share_structure": dg.structure,
            "linkage_pairs": dg.concentration.pairs,
            "mutual_pairs": dg.mutual,
            "long_links": dg.long,
        }

    def write(
        self, out_dir: str | Path, progress: ProgressCallback | None = None, *, jobs=None
    ) -> list[Path]:
        """Write tables, figures (if configured), report.html (if configured) and manifest.json.

        ``jobs``: the :class:`~carbonshare.report.offload.FigureJobs` drawing the figures
        (default: :func:`carbonshare.studies.alliances_output.figure_jobs`).
        """
        from carbonshare.studies import alliances_output
        from carbonshare.studies.common import write_study

        self.paths = write_study(
            out_dir,
            lambda folder: alliances_output.write(self, folder, progress=progress, jobs=jobs),
        )
        return self.paths


def _scalar_stats(stats: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in stats.items() if not isinstance(v, pd.DataFrame)}


def run_alliances(
    config: AlliancesConfig | None = None,
    out_dir: str | Path | None = None,
    progress: ProgressCallback | None = None,
    *,
    panel: pd.DataFrame | None = None,
    countries: pd.DataFrame | None = None,
) -> AllianceResult:
    """Run the alliance study of Zhou et al. (2024) end to end (docs/methods.md A1-A7).

    Parameters
    ----------
    config : study config (default: the paper's choices).
    out_dir : if given, tables, figures, report.html and manifest.json are
        written there (figures and report as set in ``config.output``).
    progress : called with each step's name as it starts (e.g. a
        :class:`~carbonshare.studies.common.StudyProgress`).
    panel, countries : user data in the shape of
        :func:`carbonshare.data.load_panel` / :func:`carbonshare.data.load_countries`
        (default: the bundled data).

    Returns
    -------
    AllianceResult

    Raises
    ------
    ConfigError, DataError  naming the field, country or column at fault.

    Examples
    --------
    >>> result = run_alliances()
    >>> len(result.country_shares), result.statistics["n_alliances"]
    (171, 39)
    >>> print(f"{result.country_shares['share_two_stage'].sum():.6f}")
    100.000000
    """
    config = config or AlliancesConfig()
    if out_dir is not None:
        check_output_dir(out_dir)  # fail before computing
    notify = progress or (lambda _step: None)
    if out_dir is None:
        return _run(config, notify, panel, countries, None, None)
    from carbonshare.studies.alliances_output import figure_jobs

    # one helper process (half the Monte Carlo chunks, then the figures), started now: its
    # imports overlap the study's
    with figure_jobs(config) as jobs:
        return _run(config, notify, panel, countries, out_dir, jobs)


def _run(config, notify, panel, countries, out_dir, jobs) -> AllianceResult:
    """:func:`run_alliances` after its checks; ``jobs`` (with ``out_dir``): the helper process
    of :func:`carbonshare.studies.alliances_output.figure_jobs`."""
    from carbonshare import cooperation
    from carbonshare import indicators as ind
    from carbonshare.cooperation.diagnostics import diagnose
    from carbonshare.cooperation.linkage import transform_linkage

    manifest = Manifest("alliances", config)

    notify(STEPS[0])
    with manifest.step(STEPS[0]):
        from carbonshare import data

        bundled = panel is None
        if bundled:
            panel = data.load_panel()
            manifest.add_sources(data.sources())
        else:  # a user panel: the one validation path of every user panel
            user = prepare_panel(panel, entities="countries")
            panel = user.panel
            for spelled, iso3 in user.mapping.items():
                manifest.repair(
                    iso3, "iso3", "country code resolved", f"{spelled!r} read as {iso3}"
                )
            manifest.add_sources([{"name": "user panel (panel=)", "kind": "user panel"}])
        countries = data.load_countries() if countries is None else countries
        matrix = indicator_matrix(panel, countries, config, manifest)
        X = matrix.values
        if bundled:  # values the data build filled or derived are marked in the manifest
            for code, spec in config.indicators.items():
                for col in filter(None, (spec.column, spec.per)):
                    used = data.repairs_used(col, X.index, _window(config, spec.window))
                    for r in used.itertuples():
                        manifest.repair(r.iso3, code, f"bundled data: {r.action}",
                                        f"{col} {r.year}: {r.detail}")  # fmt: skip
    grid = _grid(config)

    notify(STEPS[1])
    with manifest.step(STEPS[1]):
        directions = {c: ("+" if s.direction == "positive" else "-")
                      for c, s in config.indicators.items()}  # fmt: skip
        kwargs = {}
        if config.normalisation.method == "percentile":
            kwargs = dict(zip(("lower", "upper"), config.normalisation.bounds, strict=True))
        V = ind.normalise(X, config.normalisation.method, directions, **kwargs)
        w = _weights(V, config, manifest)
        dims = ind.dimension_scores(V, w, grid)
        principles = ind.principle_scores(V, w, grid)
        contributions = ind.indicator_contributions(V, w)
        scores = pd.concat([dims, principles, ind.aci(V, w)], axis=1)
        weight_details = grid.assign(weight=w)
        specs = [config.indicators[c] for c in grid.index]
        weight_details["column"] = [f"{s.column} / {s.per}" if s.per else s.column for s in specs]
        if config.weights.method == "entropy":
            et = ind.entropy_table(V, normalised=True)
            weight_details = weight_details.join(et.drop(columns="weight", errors="ignore"))

    notify(STEPS[2])
    with manifest.step(STEPS[2]):
        D = _floor_distances(
            _distances(countries.loc[X.index], config, manifest),
            config.distances.min_km,
            manifest,
        )
        L = matrix.labour_cost
        scores["labour_cost"] = L

    notify(STEPS[3])
    with manifest.step(STEPS[3]):
        crl = cooperation.crl_matrix(
            dims["Sc"], dims["Ec"], dims["Ev"], D, L,
            distance_exponent=config.distances.exponent,
            labour_exponent=config.labour_cost.exponent,
        )  # fmt: skip
        game_linkage = transform_linkage(crl, config.linkage.transform)
        scores["mass"] = cooperation.gravity_mass(dims["Sc"], dims["Ec"], dims["Ev"])
        links = cooperation.strongest_links(crl)
        am = config.alliances
        members = cooperation.alliances(
            crl, am.method, resolution=am.resolution, n_alliances=am.n_alliances,
            seed=am.seed, top_k=am.top_k, weighting=am.weighting, linkage=am.linkage,
        )  # fmt: skip
        linkage = links.assign(
            name=countries["name"].reindex(links.index),
            partner_name=countries["name"].reindex(links["partner"]).to_numpy(),
            distance_km=[D.at[i, p] for i, p in links["partner"].items()],
            alliance=members,
        )

    notify(STEPS[4])
    with manifest.step(STEPS[4]):
        shares = allocate(
            contributions, game_linkage, members, config.allocation.methods,
            stage1=config.allocation.stage1,
        )  # fmt: skip
        diagnostics = diagnose(
            scores["ACI"], game_linkage, linkage, members, D, names=countries["name"]
        )
        if diagnostics.concentration.warning:
            logger.info(diagnostics.concentration.warning)
        manifest.extra["diagnostics"] = diagnostics.to_dict()

    notify(STEPS[5])
    with manifest.step(STEPS[5]):
        stats = alliance_statistics(
            shares, members, countries, grid, top_fraction=config.allocation.top_fraction
        )
        scalars = _scalar_stats(stats)
        scalars.update(
            n_countries=len(X),
            n_alliances=int(members.nunique()),
            n_excluded=int((~matrix.selection["included"]).sum()),
            n_repairs=len(manifest.repairs),
        )
        manifest.extra["statistics"] = scalars

    result = AllianceResult(
        config=config,
        matrix=matrix,
        normalised=V,
        weights=w,
        scores=scores,
        distances=D,
        crl=crl,
        linkage=linkage,
        members=members,
        shares=shares,
        country_shares=stats["country_shares"],
        alliance_table=stats["alliances"],
        top=stats["top"],
        decomposition=stats["decomposition"],
        statistics=scalars,
        manifest=manifest,
        countries=countries,
        grid=grid,
        weight_details=weight_details,
        game_linkage=game_linkage,
        diagnostics=diagnostics,
    )
    notify(STEPS[6])
    if config.uncertainty.samples > 0:
        from carbonshare.uncertainty.alliances import uncertainty_alliances

        with manifest.step(STEPS[6]):
            try:
                # its chunks shared with the helper process of the figures, if any
                executor = jobs.executor if jobs is not None else None
                result.uncertainty = uncertainty_alliances(
                    result, workers=1, panel=panel, executor=executor
                )
            # an option the Monte Carlo does not cover, or a panel without the series of one
            # of its choices (e.g. a user's panel with one labour-cost proxy): the study stands
            except (ConfigError, DataError) as exc:
                manifest.warn(
                    f"Monte Carlo of the shares skipped (no 90 % intervals): {exc}. Set "
                    "uncertainty.samples: 0 (or --samples 0) to run without it, or change "
                    "uncertainty.choices."
                )
            else:
                manifest.extra["uncertainty"] = result.uncertainty.to_dict()
    if out_dir is not None:
        result.write(out_dir, progress=notify, jobs=jobs)
    return result
