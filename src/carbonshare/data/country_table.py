"""Build the country table from the raw files (used only by the build).

Columns and rules (see docs/data.md):

- ``iso2``, ``m49`` (3-digit string), ``name``: pycountry, with the
  overrides of ``mappings/country_overrides.csv``;
- ``un_region``, ``un_subregion``: Natural Earth ``REGION_UN`` and
  ``SUBREGION``; economies missing from Natural Earth 110m take the M49
  region from ``mappings/un_regions_supplement.csv``;
- ``continent``: ``un_region``, with the Americas split into North America
  (Northern America, Central America, Caribbean) and South America;
- ``sdg_region``: Gapminder's UN SDG region;
- ``wb_region``, ``income_group``: WDI country metadata (FY2022);
- ``developed``: World Bank high income in FY2022;
- ``coastal``: Gapminder ``landlocked`` is ``coastline``;
- ``capital``, ``capital_lat``, ``capital_lon``: the raw capitals list,
  corrected by ``mappings/capital_corrections.csv``;
- ``aliases``: other names from every raw source and ``mappings/aliases.csv``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from carbonshare.data.names import build_name_index
from carbonshare.data.raw import Universe, read_capitals, read_mapping
from carbonshare.errors import DataError

COUNTRY_COLUMNS = (
    "iso2",
    "m49",
    "name",
    "continent",
    "un_region",
    "un_subregion",
    "sdg_region",
    "wb_region",
    "income_group",
    "developed",
    "coastal",
    "capital",
    "capital_lat",
    "capital_lon",
    "aliases",
)

NORTH_AMERICA = frozenset({"Northern America", "Central America", "Caribbean"})


def continent_of(un_region: str, un_subregion: str) -> str:
    """Continent from the M49 region (Americas split into North/South America).

    Examples
    --------
    >>> continent_of("Americas", "Caribbean")
    'North America'
    >>> continent_of("Americas", "South America")
    'South America'
    >>> continent_of("Asia", "Western Asia")
    'Asia'
    """
    if un_region == "Americas":
        return "North America" if un_subregion in NORTH_AMERICA else "South America"
    return un_region


def natural_earth_iso3(props: dict) -> str:
    """ISO3 of a Natural Earth feature: ISO_A3, else ISO_A3_EH, else ADM0_A3 via ne_codes."""
    for key in ("ISO_A3", "ISO_A3_EH"):
        code = str(props.get(key, "-99"))
        if code != "-99":
            return code
    table = read_mapping("ne_codes.csv")
    mapping = dict(zip(table["adm0_a3"], table["iso3"], strict=True))
    adm = str(props.get("ADM0_A3"))
    if adm not in mapping:
        raise DataError(
            f"Natural Earth feature {props.get('ADMIN')!r} (ADM0_A3 {adm}) has ISO_A3 -99 and "
            "no row in carbonshare/data/mappings/ne_codes.csv; add it there"
        )
    return mapping[adm]


def _pycountry_row(iso3: str) -> dict[str, str]:
    import pycountry

    rec = pycountry.countries.get(alpha_3=iso3)
    if rec is None:
        return {"iso2": "", "m49": "", "name": "", "names": []}
    names = [getattr(rec, a) for a in ("name", "official_name", "common_name") if hasattr(rec, a)]
    return {
        "iso2": rec.alpha_2,
        "m49": rec.numeric,
        "name": getattr(rec, "common_name", rec.name),
        "names": names,
    }


def build_countries(raw: Path, universe: Universe, meta: pd.DataFrame) -> pd.DataFrame:
    """The country table indexed by ``iso3`` (see the module docstring for rules)."""
    codes = sorted(universe.iso3)
    rows = {c: _pycountry_row(c) for c in codes}
    aliases: dict[str, set[str]] = {c: set(rows[c].pop("names")) for c in codes}
    df = pd.DataFrame.from_dict(rows, orient="index")
    df.index.name = "iso3"

    wb = meta.set_index("code")
    df["wb_region"] = wb["wb_region"].reindex(df.index).fillna("")
    df["income_group"] = wb["income_group"].reindex(df.index).fillna("")
    for iso3, name in wb["wb_name"].items():
        if iso3 in aliases:
            aliases[iso3].add(name)

    # Natural Earth regions
    ne = json.loads((raw / "naturalearth-110m" / "ne_110m_admin_0_countries.json").read_text())
    ne_rows = {}
    for feat in ne["features"]:
        p = feat["properties"]
        iso3 = natural_earth_iso3(p)
        ne_rows[iso3] = (p["REGION_UN"], p["SUBREGION"])
        if iso3 in aliases:
            aliases[iso3].update(str(p[k]) for k in ("NAME", "NAME_LONG", "ADMIN", "FORMAL_EN"))
    supp = read_mapping("un_regions_supplement.csv").set_index("iso3")
    for iso3 in supp.index:
        if iso3 in ne_rows:
            raise DataError(f"un_regions_supplement.csv lists {iso3}, which Natural Earth has")
    for iso3, (reg, sub) in ((k, ne_rows[k]) for k in ne_rows if k in df.index):
        df.loc[iso3, ["un_region", "un_subregion"]] = [reg, sub]
    for iso3, r in supp.iterrows():
        df.loc[iso3, ["un_region", "un_subregion"]] = [r["un_region"], r["un_subregion"]]

    # Gapminder: SDG region, landlocked, names
    gm = pd.read_csv(
        raw / "gapminder-systema-globalis" / "ddf--entities--geo--country.csv",
        dtype=str,
        keep_default_na=False,
    )
    sdg_names = pd.read_csv(
        raw / "gapminder-systema-globalis" / "ddf--entities--geo--un_sdg_region.csv",
        dtype=str,
        keep_default_na=False,
    ).set_index("un_sdg_region")["name"]
    geo = read_mapping("geo_ids.csv")
    geo_iso = dict(zip(geo["geo"], geo["iso3"], strict=True))
    gm["iso3"] = gm["country"].map(geo_iso).fillna("")
    gm = gm[gm["iso3"].isin(df.index)].set_index("iso3")
    df["sdg_region"] = gm["un_sdg_region"].map(sdg_names).reindex(df.index).fillna("")
    df["landlocked"] = gm["landlocked"].reindex(df.index).fillna("")
    for iso3, name in gm["name"].items():
        aliases[iso3].add(name)

    # overrides
    over = read_mapping("country_overrides.csv")
    for r in over.itertuples(index=False):
        if r.iso3 not in df.index:
            raise DataError(f"country_overrides.csv: {r.iso3} is not in the country table")
        if r.field == "name" and df.loc[r.iso3, "name"]:
            aliases[r.iso3].add(df.loc[r.iso3, "name"])
        df.loc[r.iso3, r.field] = r.value

    df[["un_region", "un_subregion"]] = df[["un_region", "un_subregion"]].fillna("")
    missing = {
        col: df.index[df[col] == ""].tolist()
        for col in ("name", "un_region", "sdg_region", "wb_region", "income_group", "landlocked")
    }
    missing = {k: v for k, v in missing.items() if v}
    if missing:
        raise DataError(
            f"country table has blanks {missing}; fill them in "
            "carbonshare/data/mappings/country_overrides.csv"
        )
    df["continent"] = [
        continent_of(a, b) for a, b in zip(df["un_region"], df["un_subregion"], strict=True)
    ]
    df["developed"] = df["income_group"] == "High income"
    df["coastal"] = df["landlocked"] == "coastline"

    caps = build_capitals(raw, df)
    df = df.join(caps)
    for iso3, name in caps["raw_country"].items():
        aliases[iso3].add(name)

    user_alias = read_mapping("aliases.csv")
    for r in user_alias.itertuples(index=False):
        if r.iso3 not in df.index:
            raise DataError(f"aliases.csv: {r.alias!r} points to {r.iso3}, not in the table")
        aliases[r.iso3].add(r.alias)
    gcp = read_mapping("gcp_names.csv")
    for r in gcp.itertuples(index=False):
        if r.iso3 in aliases:
            aliases[r.iso3].add(r.gcp_name)
    bad = sorted({a for names in aliases.values() for a in names if ";" in str(a)})
    if bad:
        raise DataError(f"aliases {bad} contain ';', the alias separator; rename them")
    df["aliases"] = [
        ";".join(sorted(a for a in aliases[c] if a and a != df.loc[c, "name"])) for c in df.index
    ]
    out = df[list(COUNTRY_COLUMNS)].sort_index()
    build_name_index(out)  # fails on ambiguous names
    return out


def build_capitals(raw: Path, countries: pd.DataFrame) -> pd.DataFrame:
    """Capital name and coordinates per ISO3, raw list + corrections table."""
    cap = read_capitals(raw / "capitals" / "country-capitals.csv")
    corr = read_mapping("capital_corrections.csv").set_index("iso3")
    code_fix = {r["raw_code"]: iso3 for iso3, r in corr.iterrows() if r["raw_code"]}
    iso2_to_3 = {v: k for k, v in countries["iso2"].items() if v}
    iso2_to_3.update(code_fix)
    cap["iso3"] = cap["code"].map(iso2_to_3)
    cap = cap[cap["iso3"].notna()].set_index("iso3")
    if cap.index.duplicated().any():
        raise DataError(
            f"capitals: duplicate rows for {cap.index[cap.index.duplicated()].tolist()}"
        )
    out = pd.DataFrame(index=countries.index)
    out["capital"] = cap["capital"].reindex(out.index)
    out["capital_lat"] = pd.to_numeric(cap["lat"].reindex(out.index))
    out["capital_lon"] = pd.to_numeric(cap["lon"].reindex(out.index))
    out["raw_country"] = cap["country"].reindex(out.index)
    for iso3, r in corr.iterrows():
        out.loc[iso3, ["capital", "capital_lat", "capital_lon"]] = [
            r["capital"],
            float(r["capital_lat"]),
            float(r["capital_lon"]),
        ]
    bad = out.index[
        out["capital"].isna()
        | out["capital_lat"].isna()
        | ((out["capital_lat"] == 0) & (out["capital_lon"] == 0))
        | (out["capital"] == "N/A")
    ].tolist()
    if bad:
        raise DataError(
            f"no usable capital for {bad}; add rows to "
            "carbonshare/data/mappings/capital_corrections.csv"
        )
    out["raw_country"] = out["raw_country"].fillna("")
    return out
