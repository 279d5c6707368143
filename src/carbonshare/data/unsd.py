"""Reader of the UN Statistics Division National Accounts Main Aggregates GDP file
(used only by the build, to fill GDP where the World Bank has none).

``unsd_ama_gdp/Download-GDPcurrent-USD-countries_2026vintage.xlsx``: sheet 1,
header on row 3 (``CountryID, Country, IndicatorName, 1970..2024``), rows
with ``IndicatorName == "Gross Domestic Product (GDP)"``, current US$.
``CountryID`` is the UN M49 code: it is matched to the ``m49`` column of the
country table; the codes the table lacks (Kosovo, territories, former states,
the two parts of Tanzania) are listed in ``mappings/unsd_m49.csv``. Any other
code stops the build.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from carbonshare.data.raw import BuildLog, check_values, read_mapping
from carbonshare.errors import DataError

SOURCE = "unsd-ama"
RAW_FILE = Path("unsd_ama_gdp") / "Download-GDPcurrent-USD-countries_2026vintage.xlsx"
GDP_ROW = "Gross Domestic Product (GDP)"


def read_unsd_gdp(raw: Path, countries: pd.DataFrame, log: BuildLog) -> pd.DataFrame:
    """UNSD GDP (current US$) as a long frame ``iso3, year, value`` (years >= 1990).

    Parameters
    ----------
    raw : raw data folder.
    countries : the country table (index iso3, column ``m49`` as 3-digit text).
    log : where the rows left out (territories, former states, parts) are listed.

    Raises
    ------
    DataError  naming an M49 code that is neither in the country table nor in
    ``mappings/unsd_m49.csv``, or a non-numeric / negative value.
    """
    df = pd.read_excel(raw / RAW_FILE, sheet_name=0, header=2, dtype={"CountryID": int})
    df = df[df["IndicatorName"].astype(str).str.strip() == GDP_ROW]
    if df.empty or df["CountryID"].duplicated().any():
        raise DataError(f"{SOURCE}: expected one '{GDP_ROW}' row per country in {RAW_FILE}")
    m49 = countries.loc[countries["m49"] != "", "m49"].astype(int)
    by_m49 = dict(zip(m49.to_numpy(), m49.index, strict=True))
    table = read_mapping("unsd_m49.csv")
    listed = dict(zip(table["m49"].astype(int), zip(table["iso3"], table["kind"], strict=True),
                      strict=True))  # fmt: skip
    unknown = sorted(
        f"{c} {n}"
        for c, n in zip(df["CountryID"], df["Country"], strict=True)
        if c not in by_m49 and c not in listed
    )
    if unknown:
        raise DataError(
            f"{SOURCE}: M49 codes {unknown} are neither in the country table nor in "
            "carbonshare/data/mappings/unsd_m49.csv; add them there"
        )
    iso3 = {**by_m49, **{c: i for c, (i, kind) in listed.items() if kind == "country"}}
    for kind in ("territory", "historical", "part"):
        gone = [n for c, n in zip(df["CountryID"], df["Country"], strict=True)
                if listed.get(c, ("", ""))[1] == kind]  # fmt: skip
        log.drop(SOURCE, f"{kind} (mappings/unsd_m49.csv)", [str(g).strip() for g in gone])
    df = df[df["CountryID"].isin(iso3)]
    years = [c for c in df.columns if isinstance(c, int)]
    long = df.melt(id_vars=["CountryID", "Country"], value_vars=years, var_name="year")
    long = long.rename(columns={"Country": "entity"})
    long["iso3"] = long["CountryID"].map(iso3)
    long["year"] = long["year"].astype(int)
    long = long[(long["year"] >= 1990) & long["value"].notna()]
    long = check_values(long, "gdp_usd (UNSD)", SOURCE)
    if long.duplicated(["iso3", "year"]).any():
        raise DataError(f"{SOURCE}: two M49 codes map to one ISO3; check mappings/unsd_m49.csv")
    return long[["iso3", "year", "value"]].sort_values(["iso3", "year"]).reset_index(drop=True)
