"""The example files of the how-to guides equal the bundled sources they were copied from.

Run this file as a script to rewrite them (``python tests/docs/test_example_files.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
EU27 = [
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
]  # fmt: skip


def eu27_panel() -> pd.DataFrame:
    from carbonshare.data import load_countries, load_panel

    panel = load_panel(["co2_t", "population", "gdp_usd", "gdp_ppp_usd"]).reset_index()
    panel = panel[panel["iso3"].isin(EU27) & panel["year"].between(1990, 2019)]
    panel.insert(0, "country", panel.pop("iso3").map(load_countries()["name"]))
    return panel.sort_values(["country", "year"]).reset_index(drop=True)


def _flat(df: pd.DataFrame, index_name: str) -> pd.DataFrame:
    out = df.copy()
    if isinstance(out.index, pd.MultiIndex):
        out.index = out.index.get_level_values(-1)
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = out.columns.get_level_values(-1)
    out.index.name = index_name
    out.columns.name = None
    return out


def de1995_industries() -> pd.DataFrame:
    from carbonshare.accounting import load_table

    table = load_table("de1995")
    return pd.DataFrame(
        {
            "industry": table.sectors.get_level_values("sector"),
            "co2_kt": table.F.loc["CO2"].to_numpy(),
            "employment_thousand": table.factors.loc["employment"].to_numpy(),
            "value_added_meur": table.value_added.to_numpy(),
        }
    )


def de1995_table() -> tuple[dict[str, pd.DataFrame], dict]:
    from carbonshare.accounting import load_table

    table = load_table("de1995")
    blocks = {"Z": "sector", "Y": "sector", "V": "row", "F": "row", "F_Y": "row", "factors": "row"}
    frames = {key: _flat(getattr(table, key), name) for key, name in blocks.items()}
    meta = {
        "name": "Germany 1995 (Eurostat manual)",
        "region": "DE",
        "units": table.units,
        "value_added_rows": list(table.value_added_rows),
        "extraction": [["DE", "industry_group"]],
        "source": table.meta["source"],
        "synthetic": False,
    }
    return frames, meta


def write_all() -> None:
    eu27_panel().to_csv(EXAMPLES / "eu27_panel.csv", index=False, float_format="%.17g")
    de1995_industries().to_csv(
        EXAMPLES / "de1995_industries.csv", index=False, float_format="%.17g"
    )
    frames, meta = de1995_table()
    folder = EXAMPLES / "de1995_table"
    folder.mkdir(exist_ok=True)
    for key, df in frames.items():
        df.to_csv(folder / f"{key}.csv", float_format="%.17g")
    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")


def _same(shipped: pd.DataFrame, source: pd.DataFrame) -> None:
    assert list(shipped.columns) == list(source.columns)
    assert list(shipped.index) == list(source.index)
    for column in source.columns:
        if pd.api.types.is_numeric_dtype(source[column]):
            np.testing.assert_allclose(shipped[column], source[column], rtol=1e-12, err_msg=column)
        else:
            assert shipped[column].tolist() == source[column].tolist(), column


def test_eu27_panel_is_the_bundled_data() -> None:
    shipped = pd.read_csv(EXAMPLES / "eu27_panel.csv")
    _same(shipped, eu27_panel())
    assert shipped["country"].nunique() == 27


def test_de1995_industries_is_the_bundled_table() -> None:
    _same(pd.read_csv(EXAMPLES / "de1995_industries.csv"), de1995_industries())


@pytest.mark.parametrize("key", ["Z", "Y", "V", "F", "F_Y", "factors"])
def test_de1995_table_block_is_the_bundled_table(key: str) -> None:
    frames, _ = de1995_table()
    shipped = pd.read_csv(EXAMPLES / "de1995_table" / f"{key}.csv", index_col=0)
    _same(shipped, frames[key])


def test_de1995_table_reads_back_as_the_bundled_table() -> None:
    from carbonshare.accounting import load_table, read_iotable

    shipped, bundled = read_iotable(EXAMPLES / "de1995_table"), load_table("de1995")
    np.testing.assert_allclose(shipped.Z.to_numpy(), bundled.Z.to_numpy())
    np.testing.assert_allclose(shipped.F.to_numpy(), bundled.F.to_numpy())
    assert shipped.meta["synthetic"] is False
    assert json.loads((EXAMPLES / "de1995_table" / "meta.json").read_text()) == de1995_table()[1]


if __name__ == "__main__":
    write_all()
