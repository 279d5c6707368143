"""Loaders of the bundled real input-output tables.

=========  ==========================================================  =====================
key        table                                                        satellites
=========  ==========================================================  =====================
de1995     Germany 1995, 6 x 6 product SIOT, Eurostat manual            CO2, CH4, N2O, SO2,
           (Beutel 2008, Table 15.4; air emissions p. 482)              NOx, CO, NMVOC, Dust
                                                                        (kt); employment
de2009     Germany 2009, 6 x 6 SIOT, UN (2018) handbook                 CO2, CH4, N2O (kt);
           (rounded to whole bn EUR; x = P1, rounding gaps kept in a    employment
           final-demand column and a primary-input row)
nl2000     Netherlands 2000, 6 x 6 teaching table (Spicosa)            compensation of
                                                                        employees (no emissions)
us2021     United States 2021, 15 industries, BEA use and supply        none (structure only)
           tables, made symmetric industry-by-industry
=========  ==========================================================  =====================

Every file is a byte-identical copy of the source listed in
``tables/provenance.csv`` (sha256 checked by the tests). Repairs made while
reading (documented caveats of the sources) are logged and recorded in
``table.meta["repairs"]``.

US 2021 symmetric table (industry-technology assumption, BEA's own choice
for its industry-by-industry requirements): with the supply ("make") table
``S`` (commodities x industries), commodity output ``q = S 1`` and market
shares ``D = S^T diag(q)^-1`` (industries x commodities), the
industry-by-industry flows are ``Z = D U`` and final demand ``Y = D E``,
where ``U`` and ``E`` are the intermediate and final uses of commodities.
Column sums are preserved (``1'D = 1'``), so ``x = g`` (industry output)
closes every column with value added. The use table is at purchasers'
prices and the supply table at basic prices; the difference (imports,
trade and transport margins, product taxes) is put in a final-demand
column ``balancing: imports, margins and taxes`` so that rows balance too.
"""

from __future__ import annotations

import hashlib
import logging
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from carbonshare.accounting.iotable import IOTable
from carbonshare.errors import IOTableError

__all__ = ["BUNDLED_TABLES", "load_table", "table_path", "table_provenance"]

logger = logging.getLogger(__name__)

BUNDLED_TABLES = ("de1995", "de2009", "nl2000", "us2021")

_SECTORS_DE = [
    "agriculture_group",
    "industry_group",
    "construction",
    "trade_group",
    "business_services_group",
    "other_services_group",
]
_FD_DE = [
    "final_consumption_households",
    "final_consumption_government",
    "gross_capital_formation",
    "inventory_change",
    "exports",
]


def table_path(relative: str) -> Path:
    """Path of a bundled file, e.g. ``table_path("eurostat_manual_de1995/...csv")``."""
    return Path(str(resources.files("carbonshare.accounting.tables").joinpath(relative)))


def table_provenance() -> pd.DataFrame:
    """Provenance of every bundled file: source, original publication, licence, unit, sha256.

    Examples
    --------
    >>> sorted(table_provenance()["table"].unique())
    ['de1995', 'de2009', 'nl2000', 'us2021']
    """
    return pd.read_csv(table_path("provenance.csv"))


def sha256(relative: str) -> str:
    """sha256 of a bundled file (compare with ``table_provenance()``)."""
    return hashlib.sha256(table_path(relative).read_bytes()).hexdigest()


def load_table(name: str) -> IOTable:
    """Load a bundled real input-output table by key (see the module docstring).

    Parameters
    ----------
    name : {"de1995", "de2009", "nl2000", "us2021"}

    Returns
    -------
    IOTable
        Single-region; ``table.meta`` holds ``source``, ``unit`` and ``repairs``.

    Raises
    ------
    IOTableError
        Unknown key (the message lists the keys).

    Examples
    --------
    >>> t = load_table("de1995")
    >>> t
    IOTable('de1995': 1 region(s), 6 sectors, 5 final-demand columns, stressors=['CO2', 'CH4', 'N2O', 'SO2', 'NOx', 'CO', 'NMVOC', 'Dust'])
    >>> int(t.x.sum()), int(t.F.loc["CO2"].sum())
    (3110430, 687020)
    """
    loaders = {"de1995": _de1995, "de2009": _de2009, "nl2000": _nl2000, "us2021": _us2021}
    if name not in loaders:
        raise IOTableError(
            f"no bundled IO table {name!r}; choose one of {', '.join(BUNDLED_TABLES)} "
            "or read your own with read_iotable(path)"
        )
    table = loaders[name]()
    prov = table_provenance()
    table.meta.setdefault("repairs", [])
    table.meta["files"] = prov.loc[prov["table"] == name, "file"].tolist()
    table.meta["source"] = "; ".join(prov.loc[prov["table"] == name, "original"].unique())
    table.meta["synthetic"] = False
    return table


def _repair(repairs: list[dict], entity: str, field: str, action: str, detail: str) -> None:
    logger.info("%s %s: %s (%s)", entity, field, action, detail)
    repairs.append({"entity": entity, "field": field, "action": action, "detail": detail})


_FD_COLS_DE = [
    "final_consumption_households",
    "final_consumption_government",
    "gross_capital_formation",
    "inventory_change",
    "exports",
]
_V_ROWS_DE = {
    "P7": "imports",
    "D21X31": "net_taxes_on_products",
    "D1": "compensation_employees",
    "D29X39": "other_net_taxes_on_production",
    "K1": "consumption_fixed_capital",
    "B2A3N": "operating_surplus_mixed_income_net",
}
_VALUE_ADDED_ROWS_DE = list(_V_ROWS_DE.values())[2:]  # primary inputs other than imports, taxes


def _siot_blocks(raw: pd.DataFrame, cols: list[str]) -> tuple[pd.DataFrame, ...]:
    """Z, Y, x, V and employment of the two German tables, which share the iotables SIOT layout
    (rows CPA_A ... CPA_O-T, P7, D21X31, D1, ..., P1, EMP-*; columns = ``cols`` + final demand)."""
    rows = ["CPA_A", "CPA_B-E", "CPA_F", "CPA_G-I", "CPA_J-N", "CPA_O-T"]
    Z = pd.DataFrame(raw.loc[rows, cols].to_numpy(float), index=_SECTORS_DE, columns=_SECTORS_DE)
    Y = pd.DataFrame(raw.loc[rows, _FD_COLS_DE].to_numpy(float), index=_SECTORS_DE, columns=_FD_DE)
    x = pd.Series(raw.loc["P1", cols].to_numpy(float), index=_SECTORS_DE)
    V = pd.DataFrame(
        raw.loc[list(_V_ROWS_DE), cols].to_numpy(float),
        index=list(_V_ROWS_DE.values()),
        columns=_SECTORS_DE,
    )
    factors = pd.DataFrame(
        raw.loc[["EMP-WS", "EMP-FTE", "EMP"], cols].to_numpy(float),
        index=["employees", "self_employed", "employment"],
        columns=_SECTORS_DE,
    )
    return Z, Y, x, V, factors


def _de1995() -> IOTable:
    raw = pd.read_csv(table_path("eurostat_manual_de1995/Beutel_15_4_esa2010.csv"))
    raw = raw.set_index("prod_na")
    cols = [
        "agriculture_group",
        "industry_group",
        "construction",
        "trade_group",
        "business_services_group",
        "other_services_group",
    ]
    Z, Y, x, V, factors = _siot_blocks(raw, cols)
    repairs: list[dict] = []
    _repair(
        repairs,
        "DE/industry_group",
        "x",
        "used P1 row (1079446)",
        "the total_final_use column says 1079400; P1 equals the Z + Y row sum",
    )
    air = pd.read_csv(
        table_path("eurostat_manual_de1995/germany_15_3_airpol.csv"), skipinitialspace=True
    ).dropna(how="all")
    air.columns = [c.strip() for c in air.columns]
    air = air.set_index("airpol")
    dropped = [r for r in air.index if r == "Total"]
    air = air.drop(index=dropped)
    _repair(
        repairs,
        "air emissions",
        "Total",
        "dropped row",
        "sum over different pollutants; not a stressor",
    )
    F = pd.DataFrame(air[cols].to_numpy(float), index=list(air.index), columns=_SECTORS_DE)
    F_Y = pd.DataFrame(0.0, index=F.index, columns=_FD_DE)
    F_Y["final_consumption_households"] = air["final_consumption_households"].to_numpy(float)
    t = IOTable(
        Z,
        Y,
        x=x,
        V=V,
        F=F,
        F_Y=F_Y,
        factors=factors,
        value_added_rows=_VALUE_ADDED_ROWS_DE,
        extraction=["industry_group"],
        units={"Z": "million EUR", "F": "thousand tonnes", "factors": "thousand persons"},
        name="de1995",
        region="DE",
    )
    t.meta["repairs"] = repairs
    t.meta["extraction_note"] = (
        "industry_group (CPA B-E) is tagged as extraction: it contains mining and quarrying "
        "(CPA B), the only fossil-fuel extraction in this 6-sector table"
    )
    return t


def _de2009() -> IOTable:
    raw = pd.read_csv(table_path("un_handbook_de2009/germany_2009.csv")).set_index("prod_na")
    cols = [
        "Agriculture",
        "Manufacturing",
        "Construction",
        "Trade_transport_comm",
        "Finance_and_business_services",
        "Other_services",
    ]
    Z, Y, x, V, factors = _siot_blocks(raw, cols)
    gases = ["CO2", "CH4", "N2O"]
    F = pd.DataFrame(raw.loc[gases, cols].to_numpy(float), index=gases, columns=_SECTORS_DE)
    F_Y = pd.DataFrame(raw.loc[gases, _FD_COLS_DE].to_numpy(float), index=gases, columns=_FD_DE)
    repairs: list[dict] = []
    row_gap = x - Z.sum(axis=1) - Y.sum(axis=1)
    col_gap = x - Z.sum(axis=0) - V.sum(axis=0)
    _repair(
        repairs,
        "DE 2009",
        "Y",
        "added column 'rounding discrepancy'",
        "the table is rounded to whole bn EUR; x = P1 minus the row sums "
        f"(largest |gap| {row_gap.abs().max():.0f} bn EUR, {(row_gap.abs() / x).max():.1%})",
    )
    _repair(
        repairs,
        "DE 2009",
        "V",
        "added row 'rounding discrepancy'",
        "x = P1 minus the column sums of Z and primary inputs "
        f"(largest |gap| {col_gap.abs().max():.0f} bn EUR)",
    )
    Y["rounding discrepancy"] = row_gap
    V.loc["rounding discrepancy"] = col_gap
    F_Y["rounding discrepancy"] = 0.0
    t = IOTable(
        Z,
        Y,
        x=x,
        V=V,
        F=F,
        F_Y=F_Y,
        factors=factors,
        value_added_rows=_VALUE_ADDED_ROWS_DE,
        extraction=["industry_group"],
        units={"Z": "billion EUR", "F": "thousand tonnes", "factors": "thousand persons"},
        name="de2009",
        region="DE",
    )
    t.meta["repairs"] = repairs
    t.meta["extraction_note"] = "industry_group (CPA B-E) tagged as extraction (contains mining)"
    return t


def _nl2000() -> IOTable:
    raw = pd.read_csv(table_path("spicosa_nl2000/netherlands_2006.csv"), sep=";")
    raw = raw.set_index("prod_na")
    sectors = [
        "agriculture_group",
        "mining_group",
        "manufacturing_group",
        "utilities_group",
        "construction_group",
        "services_group",
    ]
    Z = pd.DataFrame(raw.loc[sectors, sectors].to_numpy(float), index=sectors, columns=sectors)
    fd = [
        "final_consumption_private",
        "final_consumption_government",
        "gross_fixed_capital_formation",
        "exports",
    ]
    Y = pd.DataFrame(raw.loc[sectors, fd].to_numpy(float), index=sectors, columns=fd)
    x = pd.Series(raw.loc["output_bp", sectors].to_numpy(float), index=sectors)
    V = pd.DataFrame(
        raw.loc[["imports", "net_tax", "value_added_bp"], sectors].to_numpy(float),
        index=["imports", "net_tax", "value_added_bp"],
        columns=sectors,
    )
    factors = pd.DataFrame(
        raw.loc[["compensation_employees"], sectors].to_numpy(float),
        index=["compensation_employees"],
        columns=sectors,
    )
    repairs: list[dict] = []
    _repair(
        repairs,
        "NL 2000",
        "final_consumption_households",
        "not used",
        "final_consumption_private closes the rows (it includes NPISH); the households "
        "column is a part of it",
    )
    t = IOTable(
        Z,
        Y,
        x=x,
        V=V,
        factors=factors,
        value_added_rows=["value_added_bp"],
        extraction=["mining_group"],
        units={"Z": "million EUR", "factors": "million EUR"},
        name="nl2000",
        region="NL",
        rtol=1e-4,
    )
    t.meta["repairs"] = repairs
    return t


def _us2021() -> IOTable:
    use = pd.read_csv(table_path("bea_us2021_qbn/use_15.csv"), na_values=["---"])
    make = pd.read_csv(table_path("bea_us2021_qbn/make_15.csv"), na_values=["---"])
    use = use.set_index("Name")
    make = make.set_index("Name")
    industries = list(use.columns[:15])
    commodities = list(use.index[:17])
    if list(make.columns[:15]) != industries or list(make.index[:17]) != commodities:
        raise IOTableError("the bundled BEA use and supply tables do not share their labels")
    repairs: list[dict] = []
    n_missing = int(use.loc[commodities, industries].isna().sum().sum())
    _repair(repairs, "US 2021", "---", "read as 0", f"{n_missing} suppressed/empty use cells")
    U = use.loc[commodities, industries].fillna(0.0).to_numpy(float)
    fd_cols = [
        "Personal consumption expenditures",
        "Private fixed investment",
        "Change in private inventories",
        "Exports of goods and services",
        "Government consumption expenditures and gross investment",
    ]
    E = use.loc[commodities, fd_cols].fillna(0.0).to_numpy(float)
    S = make.loc[commodities, industries].fillna(0.0).to_numpy(float)  # commodities x industries
    q = S.sum(axis=1)
    D = (S / np.where(q > 0, q, 1.0)[:, None]).T  # industries x commodities, columns sum to 1
    g = use.loc["Total industry output (basic prices)", industries].to_numpy(float)
    Z = D @ U
    Yd = D @ E
    balancing = g - Z.sum(axis=1) - Yd.sum(axis=1)
    _repair(
        repairs,
        "US 2021",
        "Y",
        "added balancing column",
        "purchasers'-price use vs basic-price supply: imports, margins and product taxes "
        f"(sum {balancing.sum():.0f} million USD)",
    )
    Y = pd.DataFrame(
        np.column_stack([Yd, balancing]),
        index=industries,
        columns=[*fd_cols, "balancing: imports, margins and taxes"],
    )
    va = use.loc[
        [
            "Compensation of employees",
            "Other taxes on production",
            "Less: Other subsidies on production",
            "Gross operating surplus",
        ],
        industries,
    ].fillna(0.0)
    va.loc["Less: Other subsidies on production"] *= -1.0
    va.index = [
        "compensation_employees",
        "other_taxes_on_production",
        "other_subsidies_on_production",
        "gross_operating_surplus",
    ]
    t = IOTable(
        pd.DataFrame(Z, index=industries, columns=industries),
        Y,
        x=pd.Series(g, index=industries),
        V=va,
        factors=va.loc[["compensation_employees"]],
        extraction=["Mining"],
        units={"Z": "million USD", "factors": "million USD"},
        name="us2021",
        region="US",
        rtol=1e-4,
    )
    t.meta["repairs"] = repairs
    t.meta["technology_assumption"] = (
        "industry technology (fixed product-sales structure): Z = D U, Y = D E, D = S' diag(q)^-1"
    )
    return t
