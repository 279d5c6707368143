"""The responsibility study: who is responsible for emissions (docs/methods.md C1 and C3).

Composes :mod:`carbonshare.accounting` on one input-output table (a bundled
real table or a user table in the documented layout):

1. load the table (provenance and documented repairs go to the manifest);
2. multipliers (output, value added, employment, emissions) and key-sector
   linkages;
3. the perspectives (production, consumption, income, extraction, shared with
   value-added and final-demand shares, carbon emission added) and their
   reconciliation;
4. regional accounts and emissions embodied in trade, and the
   producer-to-consumer flows ``diag(e) L Y``;
5. the supply-chain accounts of one product (carved from the table, or read
   from a CSV/JSON chain), including the Shapley value and nucleolus of the
   chain's emission game.

:func:`run_responsibility` returns a :class:`ResponsibilityResult`; its
:meth:`~ResponsibilityResult.write` writes tables (CSV, Parquet, one XLSX
workbook), figures (PNG + SVG when ``carbonshare.report.figures`` is
available), ``report.html`` and ``manifest.json``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import Field

from carbonshare.errors import ConfigError
from carbonshare.studies.common import Manifest, ProgressCallback, StudyConfig
from carbonshare.studies.labels import responsibility_labels

__all__ = [
    "STEPS",
    "WRITE_STEPS",
    "ChainConfig",
    "OutputConfig",
    "ResponsibilityConfig",
    "ResponsibilityResult",
    "run_responsibility",
]

logger = logging.getLogger(__name__)

STEPS: tuple[str, ...] = (
    "load table",
    "multipliers",
    "perspectives",
    "trade and flows",
    "supply chain",
)
WRITE_STEPS: tuple[str, ...] = ("tables", "figures", "report")


class ChainConfig(StudyConfig):
    """The product whose supply-chain accounts are computed."""

    path: str | None = Field(
        None,
        description="JSON chain, or nodes CSV (edges CSV in edges_path); default: carve "
        "the chain from the table",
    )
    edges_path: str | None = Field(None, description="edges CSV when path is a nodes CSV")
    product: str | None = Field(
        None,
        description="sector ('region/sector' for a multi-region table) whose final demand "
        "defines the chain; default: the product with the largest footprint",
    )
    category: str | None = Field(None, description="final-demand category (default: all)")
    max_members: int = Field(6, ge=2, le=14, description="members kept (rest merged)")
    consumer_player: bool = Field(False, description="the final consumer plays the game too")


class OutputConfig(StudyConfig):
    figures: bool = Field(True, description="write PNG/SVG figures")
    report: bool = Field(True, description="write report.html")


class ResponsibilityConfig(StudyConfig):
    """Configuration of ``carbonshare run responsibility`` (defaults: Germany 1995, CO2)."""

    table: str = Field(
        "de1995",
        description="bundled table (de1995, de2009, nl2000, us2021) "
        "or a path to a table in the documented layout",
    )
    stressor: str | None = Field(
        None, description="emission row (default: CO2 when present, else the table's first)"
    )
    extraction: list[str] | None = Field(
        None,
        description="sectors tagged as fossil-fuel extraction (default: the table's); "
        "'region/sector' for a multi-region table",
    )
    extraction_method: Literal["supply", "requirements"] = Field(
        "supply",
        description="extraction accounts: 'supply' traces each sector's fuel inputs to their "
        "extraction sector (Ghosh); 'requirements' splits by total requirements L",
    )
    alpha: float | None = Field(
        None, ge=0.0, le=1.0, description="extra shared-responsibility variant with this alpha"
    )
    net_output: bool = Field(True, description="shared responsibility on net output x - Z_ii")
    chain: ChainConfig = Field(default_factory=ChainConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)


@dataclass
class ResponsibilityResult:
    """Everything the study computed (tables by name; see docs/responsibility.md)."""

    config: ResponsibilityConfig
    table: object
    stressor: str | None
    accounts: pd.DataFrame
    reconciliation: pd.DataFrame
    multipliers: pd.DataFrame
    linkages: pd.DataFrame
    alpha: pd.DataFrame
    regional: pd.DataFrame
    embodied_trade: pd.DataFrame
    flows: pd.DataFrame
    chain: object | None
    chain_accounts: pd.DataFrame
    manifest: Manifest
    paths: list[Path] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The output tables by file name."""
        out: dict[str, pd.DataFrame] = {}
        if self.stressor is not None:  # a table without emissions has no accounts
            out["accounts"] = self.accounts.reset_index()
            out["reconciliation"] = self.reconciliation.reset_index()
        out["multipliers"] = self.multipliers.reset_index()
        out["linkages"] = self.linkages.reset_index()
        if self.stressor is not None:
            out.update(
                {
                    "shared_alpha": self.alpha.reset_index(),
                    "regional_accounts": self.regional.reset_index(),
                    "embodied_trade": self.embodied_trade.reset_index(),
                    "producer_consumer_flows": self.flows,
                    "chain_accounts": self.chain_accounts.reset_index(),
                }
            )
            if self.chain is not None:
                ch = self.chain
                out["chain_members"] = (
                    pd.DataFrame(
                        {
                            "output": ch.output,
                            "emissions": ch.emissions,
                            "primary_inputs": ch.primary_inputs,
                            "final_sales": ch.final_sales,
                        }
                    )
                    .rename_axis("member")
                    .reset_index()
                )
        return out

    def write(self, out_dir: str | Path, progress: ProgressCallback | None = None) -> list[Path]:
        """Write tables, figures, report.html (as configured) and manifest.json."""
        from carbonshare.studies.common import write_study

        return write_study(out_dir, lambda folder: write_outputs(self, folder, progress=progress))


def _load(config: ResponsibilityConfig, manifest: Manifest):
    from carbonshare import accounting as acc

    if config.table in acc.BUNDLED_TABLES:
        table = acc.load_table(config.table)
        prov = acc.table_provenance()
        manifest.add_sources(prov[prov["table"] == config.table])
    else:
        path = Path(config.table)
        if not path.exists():
            raise ConfigError(
                f"table: {config.table!r} is neither a bundled table "
                f"({', '.join(acc.BUNDLED_TABLES)}) nor an existing path"
            )
        table = acc.read_iotable(path)
        source = table.meta.get("source") or "user table"
        manifest.add_sources([{"table": table.name, "file": str(path), "source": source}])
        table.meta.setdefault("source", f"user table {path}")
        if table.meta.get("synthetic"):
            manifest.note(
                f"table {table.name} is SYNTHETIC (illustrative numbers, not real data): {source}"
            )
    for r in table.meta.get("repairs", []):
        manifest.repair(r["entity"], r["field"], r["action"], r["detail"])
    for key in ("extraction_note", "technology_assumption"):
        if key in table.meta:
            manifest.note(table.meta[key])
    if config.extraction is not None:
        table = table.with_extraction(config.extraction)
    return table


def _stressor(config: ResponsibilityConfig, table) -> str | None:
    if not table.stressors:
        return None
    if config.stressor is None:
        return "CO2" if "CO2" in table.stressors else table.stressors[0]
    if config.stressor not in table.stressors:
        raise ConfigError(
            f"stressor: {config.stressor!r} is not in table {table.name!r}; "
            f"choose one of {table.stressors}"
        )
    return config.stressor


def _multipliers(table, stressor: str | None) -> pd.DataFrame:
    from carbonshare import accounting as acc

    cols = {"output_multiplier": acc.output_multipliers(table)}
    cols["value_added_total"] = acc.input_multipliers(table, "value_added")["total"]
    if table.factors is not None:
        for row in table.factors.index:
            m = acc.input_multipliers(table, row)
            cols[f"{row}_total"] = m["total"]
            cols[f"{row}_type_I"] = m["type_I"]
    for s in table.stressors:
        m = acc.input_multipliers(table, s)
        cols[f"{s}_direct"] = m["direct"]
        cols[f"{s}_total"] = m["total"]
    return pd.DataFrame(cols)


def _chain(config: ResponsibilityConfig, table, stressor: str):
    from carbonshare.accounting.supply_chain import SupplyChain, read_supply_chain

    c = config.chain
    if c.path is not None:
        return read_supply_chain(c.path, c.edges_path)
    product = c.product
    if product is None:  # the product with the largest footprint m_p y_p
        from carbonshare.accounting import emission_multipliers

        m = emission_multipliers(table, stressor)
        y = (
            table.Y.sum(axis=1)
            if c.category is None
            else table.Y.xs(c.category, axis=1, level="category").sum(axis=1)
        )
        fp = (m * y).where(y > 0)
        key = fp.idxmax()
        product = key if len(table.regions) > 1 else key[1]
    return SupplyChain.from_iotable(
        table, product, stressor=stressor, category=c.category, max_members=c.max_members
    )


def run_responsibility(
    config: ResponsibilityConfig | None = None,
    out_dir: str | Path | None = None,
    progress: ProgressCallback | None = None,
) -> ResponsibilityResult:
    """Run the responsibility study end to end (docs/methods.md C1, C3).

    Parameters
    ----------
    config : study config (default: Germany 1995, CO2).
    out_dir : if given, outputs are written there.
    progress : called with each step's name as it starts.

    Returns
    -------
    ResponsibilityResult

    Raises
    ------
    ConfigError, IOTableError  naming the field, sector or stressor at fault.

    Examples
    --------
    >>> res = run_responsibility()
    >>> bool(res.reconciliation["conserved"].all())
    True
    """
    from carbonshare import accounting as acc
    from carbonshare.accounting.supply_chain import chain_accounts

    config = config or ResponsibilityConfig()
    if out_dir is not None:
        from carbonshare.studies.common import check_output_dir

        check_output_dir(out_dir)  # fail before computing
    notify = progress or (lambda _step: None)
    manifest = Manifest("responsibility", config)

    notify(STEPS[0])
    with manifest.step(STEPS[0]):
        table = _load(config, manifest)
        stressor = _stressor(config, table)
        if stressor is None:
            manifest.note(
                f"table {table.name} has no emission accounts: only multipliers and linkages "
                "are computed"
            )

    notify(STEPS[1])
    with manifest.step(STEPS[1]):
        mult = _multipliers(table, stressor)
        links = acc.linkages(table)

    empty = pd.DataFrame()
    accounts, rec, alpha = empty, empty, empty
    regional, trade, flows, chain, chain_acc = empty, empty, empty, None, empty
    notify(STEPS[2])
    with manifest.step(STEPS[2]):
        if stressor is not None:
            persp = acc.all_perspectives(
                table, stressor, alpha=config.alpha, extraction_method=config.extraction_method
            )
            if not config.net_output:
                variants = {"value_added": "value_added", "final_demand": "final_demand"}
                if config.alpha is not None:
                    variants["given"] = config.alpha
                for key, a in variants.items():
                    persp[f"shared_{key}"] = acc.shared_responsibility(
                        table, stressor, alpha=a, net_output=False
                    )
            rec = acc.reconciliation(persp)
            if not rec["conserved"].all():
                bad = rec.index[~rec["conserved"]].tolist()
                raise ConfigError(f"perspectives {bad} do not conserve the total (report this)")
            accounts = pd.DataFrame(persp)
            accounts = accounts.fillna(0.0)  # a holder absent from a perspective holds 0
            manifest.note(
                "accounts: a holder that a perspective does not name (e.g. a sector under the "
                "consumption perspective) holds 0 by definition"
            )
            alpha = pd.DataFrame(
                {
                    k: acc.shared_alpha(table, k, net_output=config.net_output)
                    for k in ("value_added", "final_demand")
                }
            )

    notify(STEPS[3])
    with manifest.step(STEPS[3]):
        if stressor is not None:
            regional = acc.regional_accounts(table, stressor)
            trade = acc.embodied_trade(table, stressor)
            fl = acc.producer_consumer_flows(table, stressor)
            fl2 = fl.copy()
            fl2.index = fl2.index.set_names(["producer_region", "producer"])
            fl2.columns = fl2.columns.set_names(["consumer_region", "consumer"])
            flows = fl2.stack(level=[0, 1], future_stack=True).rename("value").reset_index()

    notify(STEPS[4])
    with manifest.step(STEPS[4]):
        if stressor is not None:
            chain = _chain(config, table, stressor)
            for r in chain.meta.get("repairs", []):
                manifest.repair(r["entity"], r["field"], r["action"], r["detail"])
            chain_acc = chain_accounts(chain, consumer_player=config.chain.consumer_player)
            manifest.note(
                f"supply chain: {chain.name}, {len(chain.members)} members, footprint "
                f"{chain.footprint:.6g} {chain.unit}"
            )

    result = ResponsibilityResult(
        config=config,
        table=table,
        stressor=stressor,
        accounts=accounts,
        reconciliation=rec,
        multipliers=mult,
        linkages=links,
        alpha=alpha,
        regional=regional,
        embodied_trade=trade,
        flows=flows,
        chain=chain,
        chain_accounts=chain_acc,
        manifest=manifest,
    )
    if out_dir is not None:
        result.paths = result.write(out_dir, progress=progress)
    return result


# ----------------------------------------------------------------------------- outputs

PERSPECTIVE_LABELS = {
    "production": "production (polluter pays)",
    "consumption": "consumption (footprint)",
    "income": "income (downstream, Ghosh)",
    "extraction": "extraction",
    "shared_value_added": "shared, alpha = value-added share",
    "shared_final_demand": "shared, alpha = final-demand share",
    "shared_given": "shared, given alpha",
    "carbon_emission_added": "carbon emission added",
}


CHAIN_RULE_LABELS = {
    "producer": "producer (direct)",
    "consumer": "consumer (footprint)",
    "income": "income (downstream)",
    "shared_value_added": "shared, value-added alpha",
    "shared_final_demand": "shared, final-demand alpha",
    "carbon_emission_added": "carbon emission added",
    "shapley": "Shapley value",
    "nucleolus": "nucleolus",
}

#: items a figure shows (the largest; the rest are summed into one "others" item); the full
#: data are in the tables
TOP_N = 15


def top_with_others(df: pd.DataFrame | pd.Series, n: int = TOP_N) -> pd.DataFrame | pd.Series:
    """The ``n`` rows of largest absolute value (over all columns), largest first, plus one row
    ``"others (k)"`` holding the sum of the ``k`` other rows; unchanged if at most ``n + 1`` rows.

    Sums keep the figure's total equal to the table's (every perspective conserves the total).

    Examples
    --------
    >>> top_with_others(pd.Series([5.0, 1.0, 3.0, 2.0], index=list("abcd")), n=2).to_dict()
    {'a': 5.0, 'c': 3.0, 'others (2)': 3.0}
    """
    if len(df) <= n + 1:
        return df
    size = df.abs() if isinstance(df, pd.Series) else df.abs().max(axis=1)
    keep = size.nlargest(n).index
    rest = df.drop(index=keep).sum()
    label = f"others ({len(df) - n})"
    if isinstance(df, pd.Series):
        return pd.concat([df.loc[keep], pd.Series([rest], index=[label], name=df.name)])
    return pd.concat([df.loc[keep], rest.to_frame(label).T])


def sankey_flows(result: ResponsibilityResult, *, min_share: float = 0.0) -> pd.DataFrame:
    """Producer -> consumer flows for the Sankey figure (source, target, value >= 0).

    Single region: producing sector -> final-demand category (households'
    own emissions as ``households (direct)``). Multi-region: producing region
    -> consuming region. Negative flows (drawn-down inventories) cannot be
    drawn; they are left out and counted in ``attrs["negative_total"]``.
    """
    fl = result.flows
    multi = len(result.table.regions) > 1
    src = fl["producer_region"] if multi else fl["producer"]
    src = src.where(fl["producer_region"] != "final demand", "households (direct)")
    tgt = fl["consumer_region"] if multi else fl["consumer"]
    df = pd.DataFrame({"source": src.astype(str), "target": tgt.astype(str), "value": fl["value"]})
    df = df.groupby(["source", "target"], sort=False, as_index=False)["value"].sum()
    neg = float(df.loc[df["value"] < 0, "value"].sum())
    df = df[df["value"] > min_share * df["value"].clip(lower=0).sum()].reset_index(drop=True)
    for side, word in (("source", "producers"), ("target", "consumers")):  # readable: top N
        tot = df.groupby(side, sort=False)["value"].sum()
        if len(tot) > TOP_N + 1:
            other = tot.index.difference(tot.nlargest(TOP_N).index)
            df.loc[df[side].isin(other), side] = f"other {word} ({len(other)})"
    df = df.groupby(["source", "target"], sort=False, as_index=False)["value"].sum()
    if multi:
        df["source"] = "produced in " + df["source"]
        df["target"] = "consumed in " + df["target"]
    df.attrs["negative_total"] = neg
    return df


def _bar_figure(df: pd.DataFrame, title: str, unit: str):
    import plotly.graph_objects as go

    fig = go.Figure()
    for col in df.columns:
        fig.add_trace(
            go.Bar(
                name=PERSPECTIVE_LABELS.get(col, col),
                x=[str(i) for i in df.index],
                y=df[col].tolist(),
            )
        )
    fig.update_layout(
        barmode="group",
        title=title.replace("\n", "<br>"),
        yaxis_title=unit,
        height=480,
        legend={"orientation": "h", "y": -0.35},
        margin={"b": 160},
    )
    return fig


def _figure_rows(df: pd.DataFrame | pd.Series, title: str) -> tuple[pd.DataFrame | pd.Series, str]:
    """What a bar figure draws: :func:`top_with_others` and a title saying so. An "others" bar
    more than 5 times the largest item would flatten every other bar: it is then left out and
    its share of the total stated in the title instead."""
    shown = top_with_others(df)
    if len(shown) == len(df):
        return shown, title
    title = f"{title}: largest {TOP_N} of {len(df)}"
    size = shown.abs() if isinstance(shown, pd.Series) else shown.abs().max(axis=1)
    if size.iloc[-1] > 5 * size.iloc[:-1].max():
        total = df.to_numpy().sum()
        rest = shown.iloc[-1] if isinstance(shown, pd.Series) else shown.iloc[-1].sum()
        share = f"{rest / total:.0%}" if total else "the rest"
        title += f"\nthe other {len(df) - TOP_N} hold {share} (not drawn)"
        shown = shown.iloc[:-1]
    return shown, title


def _holder_frame(result: ResponsibilityResult, kind: str) -> pd.DataFrame:
    acc = result.accounts
    sub = acc[acc.index.get_level_values("kind") == kind]
    if len(result.table.regions) > 1:
        sub = sub.groupby(level="region", sort=False).sum()
    else:
        sub = sub.droplevel(["region", "kind"])
    return sub.loc[:, (sub.abs() > 0).any()]


def _static_figures(result: ResponsibilityResult, fig_dir: Path) -> list[Path]:
    try:
        from carbonshare.report import figures as F
    except ImportError:
        result.manifest.note("static figures skipped: carbonshare.report.figures is unavailable")
        return []
    import matplotlib.pyplot as plt

    fig_dir.mkdir(parents=True, exist_ok=True)
    made = {}
    multi = len(result.table.regions) > 1
    if result.stressor is not None:
        unit_f = result.table.units.get("F", "")
        unit = f"{result.stressor} ({unit_f})" if unit_f else str(result.stressor)
        held = result.accounts.copy()
        # MRIO: one bar per region and kind of holder (sectors, final demand ...); the
        # holder-level accounts are in tables/accounts.csv
        held.index = [f"{r} ({k})" if multi else f"{h} ({k})" for r, k, h in held.index]
        held = held.groupby(level=0, sort=False).sum()
        for col in held.columns:
            acc = held[col][held[col].abs() > 0].rename(col)
            label = PERSPECTIVE_LABELS.get(col, col)
            if len(acc) < 2:  # one bar says nothing a sentence cannot
                result.manifest.note(
                    f"figure of the {label} accounts not drawn: one holder "
                    f"({', '.join(map(str, acc.index)) or 'none'}) holds everything; see "
                    "tables/accounts.csv"
                )
                continue
            shown, title = _figure_rows(acc, label)
            made[f"accounts_{col}"] = F.bar(shown, title=title, ylabel=unit)
        # one bar per rule, stacked by member: each bar is the product's footprint, split
        chain = result.chain_accounts.rename(columns=lambda c: CHAIN_RULE_LABELS.get(c, c)).T
        chain = chain.loc[:, (chain.abs() > 0).any()]
        made["chain_accounts"] = F.bar(
            chain, title=f"Supply chain: {result.chain.name}", ylabel=unit, stacked=True
        )
    lk = result.linkages[["backward_index", "forward_index"]]
    if not multi:
        lk = lk.droplevel(0)
    else:
        lk.index = ["/".join(map(str, i)) for i in lk.index]
    lk = lk.rename(columns={"backward_index": "backward", "forward_index": "forward"})
    title = "Linkages"
    if len(lk) > TOP_N:  # indices are not additive: the strongest sectors, no "others" bar
        lk = lk.loc[lk.max(axis=1).nlargest(TOP_N).index]
        title += f": {TOP_N} strongest of {len(result.linkages)} sectors"
    made["linkages"] = F.bar(lk, title=title, ylabel="linkage index (mean over sectors = 1)")
    paths: list[Path] = []
    for name, fig in made.items():
        paths.extend(F.save_figure(fig, fig_dir / name))
        plt.close(fig)
    return paths


def _report(result: ResponsibilityResult, out_dir: Path, figure_paths: list[Path]) -> Path:
    from carbonshare.report import Report
    from carbonshare.report import interactive as I

    t = result.table
    s = result.stressor
    unit = t.units.get("F", "")
    rep = Report(
        "Carbon responsibility accounts",
        f"{t.name}: {len(t.regions)} region(s), {t.n} sectors"
        + (f", stressor {s}" + (f" ({unit})" if unit else "") if s else ", no emission accounts"),
    )
    src = t.meta.get("source", "user table")
    lines = [
        f"- **Table**: {t.name} - {src}.",
        f"- **Unit of flows**: {t.units.get('Z', 'n/a')}; emissions: {unit or 'n/a'}.",
    ]
    if s is not None:
        total = float(result.reconciliation.loc["production", "total"])
        lines.append(
            f"- **Total {s}** (industries + final demand): {total:,.1f} {unit}; every "
            "perspective below redistributes exactly this total (see *Reconciliation*)."
        )
        lines.append(
            f"- **Supply chain**: {result.chain.name}, {len(result.chain.members)} "
            f"members, footprint {result.chain.footprint:,.1f} {unit}."
        )
    rep.add_section("Summary")
    rep.add_markdown("\n".join(lines))
    labels = responsibility_labels(s, unit, t.units.get("Z", ""))
    rep.add_section("Method")
    rep.add_markdown(METHOD_MARKDOWN)
    rep.add_section("Caveats and exclusions")
    caveats = [f"- **Warning**: {w}" for w in result.manifest.warnings]
    caveats += [f"- {n}" for n in result.manifest.notes if not n.startswith("supply chain:")]
    caveats += [f"- Excluded {e['entity']}: {e['reason']}" for e in result.manifest.exclusions]
    caveats += [f"- Repaired {r['entity']} {r['field']}: {r['action']} {r['detail']}"
                for r in result.manifest.repairs]  # fmt: skip
    rep.add_markdown("\n".join(caveats) or "No exclusion, repair or warning in this run.")
    if s is not None:
        rep.add_section("Results: perspectives")
        rep.add_table(
            labels.rename(
                result.reconciliation.rename(index=labels.label).reset_index(), "reconciliation"
            ),
            "Reconciliation",
            caption="Each perspective's total against the production-based total.",
        )
        acc = result.accounts.copy()
        rep.add_table(
            labels.rename(acc.reset_index(), "accounts"),
            "Accounts",
            caption=f"{s} in {unit}; kind = sector, final demand (consumers or their "
            "direct emissions), primary input (income receivers), extraction.",
        )
        flows = sankey_flows(result)
        neg = flows.attrs.get("negative_total", 0.0)
        cap = (
            "Emissions move from the producing sectors (left) to the final demand they serve "
            "(right): diag(e) L Y, plus households' direct emissions."
        )
        if neg < 0:
            cap += f" Negative flows (inventory draw-down, total {neg:,.1f}) are not drawn."
        rep.add_plotly(
            I.sankey(flows, f"{s}: from producers to consumers", value_label=unit),
            "Responsibility flow",
            caption=cap,
        )
        sec = _holder_frame(result, "sector")
        pin = _holder_frame(result, "primary input")
        if not pin.empty:
            sec = sec.join(pin["income"].rename("income"), how="outer")
        ext = _holder_frame(result, "extraction")
        if not ext.empty:
            sec = sec.join(ext["extraction"].rename("extraction"), how="outer")
        rep.add_plotly(
            _bar_figure(*_figure_rows(sec.fillna(0.0), "Accounts of producing sectors"), unit),
            "Producer-side perspectives",
            caption="Production, income (primary inputs of the sector), extraction, "
            "shared (producer part) and carbon emission added, by sector.",
        )
        fd = _holder_frame(result, "final demand")
        rep.add_plotly(
            _bar_figure(*_figure_rows(fd, "Accounts of final-demand categories"), unit),
            "Consumer-side perspectives",
            caption="Consumption (footprint) and the consumer part of shared "
            "responsibility, by final-demand category (and region).",
        )
        rep.add_table(
            labels.rename(result.alpha.reset_index(), "shared_alpha"),
            "Shared-responsibility producer shares alpha",
        )
        rep.add_section("Results: trade")
        if len(t.regions) > 1:
            rep.add_table(
                labels.rename(result.regional.reset_index(), "regional_accounts"),
                "Regional accounts",
                caption="balance = exports embodied - imports embodied = production - consumption.",
            )
            rep.add_table(
                labels.rename(result.embodied_trade.reset_index(), "embodied_trade"),
                "Emissions embodied in trade",
                caption="Rows: producing region; columns: consuming region.",
            )
        else:
            rep.add_markdown(
                f"A single-region table ({t.regions[0]}) has no trade between regions: imports "
                "are a primary input and exports a final-demand category (see the consumer-side "
                "perspectives). tables/regional_accounts.csv holds its production and "
                "consumption totals."
            )
        rep.add_section("Results: supply chain")
        rep.add_table(
            labels.rename(result.chain_accounts.reset_index(), "chain_accounts"),
            f"Chain accounts: {result.chain.name}",
            caption="Every column sums to the product's footprint.",
        )
        rep.add_plotly(
            _bar_figure(
                result.chain_accounts.rename(columns=lambda c: CHAIN_RULE_LABELS.get(c, c)),
                "Members' accounts",
                unit,
            ),
            "Chain accounts by rule",
            caption="Shapley and nucleolus of the chain's emission game c(S) (see "
            "docs/responsibility.md).",
        )
    rep.add_section("Results: multipliers and linkages")
    rep.add_table(labels.rename(result.multipliers.reset_index(), "multipliers"), "Multipliers")
    rep.add_table(labels.rename(result.linkages.reset_index(), "linkages"), "Key-sector linkages")
    figs = {p.stem: p for p in figure_paths if p.suffix == ".png"}
    if "linkages" in figs:
        rep.add_image(
            figs["linkages"],
            "Linkages",
            caption="Normalised backward (1'L) and forward (G1) linkages; > 1 on "
            "both = key sector. Per-perspective bar charts are in figures/.",
        )
    rep.add_section("Config")
    rep.add_json("Configuration", result.config.model_dump())
    rep.add_provenance(result.manifest.to_dict())
    return rep.write(out_dir / "report.html")


METHOD_MARKDOWN = """
The table's emissions are redistributed among holders under each perspective; every
perspective conserves the production-based total (see *Reconciliation*).

- **Production**: direct emissions of each sector and of households.
- **Consumption** (footprint): diag(e) L y, the emissions of the whole supply chain
  attributed to the final demand it serves (L: Leontief inverse).
- **Income** (downstream): the Ghosh model attributes emissions to the primary inputs
  (value added) that enable them.
- **Extraction**: emissions attributed to the sectors extracting fossil fuels.
- **Shared responsibility**: a producer share alpha of each sector's emissions (alpha from
  value added or from final demand) stays with the producer, the rest moves downstream.
- **Carbon emission added**: emissions attributed along value added, analogous to value
  added along the chain.
- **Supply chain**: the emission game c(S) of the chain's members; Shapley value and
  nucleolus.
- **Multipliers and linkages**: output, value-added, employment and stressor multipliers
  (direct: per unit of output; total: per unit of final demand); backward (Leontief) and
  forward (Ghosh) linkages normalised by their mean (> 1 on both: key sector).

`docs/responsibility.md` gives every equation and reference.
"""


def write_outputs(
    result: ResponsibilityResult, out_dir: Path, progress: ProgressCallback | None = None
) -> list[Path]:
    """Write tables, figures and report.html (as configured) and manifest.json."""
    from carbonshare.studies.common import write_tables

    notify = progress or (lambda _step: None)
    out_dir.mkdir(parents=True, exist_ok=True)
    m = result.manifest
    paths: list[Path] = []
    notify(WRITE_STEPS[0])
    with m.step(WRITE_STEPS[0]):
        tables = {k: _flat(v) for k, v in result.tables().items()}
        t = result.table
        labels = responsibility_labels(result.stressor, t.units.get("F", ""), t.units.get("Z", ""))
        paths += write_tables(
            tables, out_dir / "tables", workbook="responsibility.xlsx", labels=labels
        )
    figure_paths: list[Path] = []
    if result.config.output.figures:
        notify(WRITE_STEPS[1])
        with m.step(WRITE_STEPS[1]):
            figure_paths = _static_figures(result, out_dir / "figures")
            paths += figure_paths
    if result.config.output.report:
        notify(WRITE_STEPS[2])
        with m.step(WRITE_STEPS[2]):
            paths.append(_report(result, out_dir, figure_paths))
    m.outputs = [str(p.relative_to(out_dir)) for p in paths]
    paths.append(m.write(out_dir))
    return paths


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = ["/".join(map(str, c)) for c in out.columns]
    out.columns = [str(c) for c in out.columns]
    return out
