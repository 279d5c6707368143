"""The responsibility study and its CLI (docs/methods.md C1, C3) on the bundled real tables."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from carbonshare.errors import ConfigError
from carbonshare.studies.responsibility import (
    ResponsibilityConfig,
    run_responsibility,
    sankey_flows,
)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("resp")
    cfg = ResponsibilityConfig(output={"figures": True, "report": True})
    return run_responsibility(cfg, out_dir=out), out


def test_outputs_and_manifest(written):
    res, out = written
    for name in (
        "accounts",
        "reconciliation",
        "multipliers",
        "linkages",
        "chain_accounts",
        "regional_accounts",
        "producer_consumer_flows",
    ):
        assert (out / "tables" / f"{name}.csv").exists(), name
        assert (out / "tables" / f"{name}.parquet").exists(), name
    assert (out / "tables" / "responsibility.xlsx").exists()
    for stem in (
        "accounts_production",
        "accounts_consumption",
        "accounts_income",
        "chain_accounts",
        "linkages",
    ):
        assert (out / "figures" / f"{stem}.png").exists(), stem
        assert (out / "figures" / f"{stem}.svg").exists(), stem
    man = json.loads((out / "manifest.json").read_text())
    assert man["study"] == "responsibility"
    assert any("P1" in r["action"] for r in man["repairs"])
    assert "load table" in man["timings_s"]
    rec = pd.read_csv(out / "tables" / "reconciliation.csv")
    assert rec["conserved"].all()
    np.testing.assert_allclose(rec["total"], 904157.0, rtol=1e-12)


def test_accounts_table_columns_sum_to_total(written):
    res, _ = written
    np.testing.assert_allclose(res.accounts.sum().to_numpy(), 904157.0, rtol=1e-12)
    np.testing.assert_allclose(res.chain_accounts.sum().to_numpy(), res.chain.footprint, rtol=1e-9)


def test_sankey_flows_are_nonnegative_and_reported(written):
    res, _ = written
    fl = sankey_flows(res)
    assert (fl["value"] > 0).all()
    # the inventory-change category draws down stocks of some products: reported, not hidden
    assert fl.attrs["negative_total"] <= 0


def test_report_renders_offline(written):
    from carbonshare.report.browser import check_page, require_browser

    require_browser()
    _, out = written
    check = check_page(out / "report.html", out / "shot.png")
    assert check.console_errors == []
    assert check.external_requests == []
    assert check.nonblank_fraction > 0.02
    assert len(check.plots) >= 3


def test_table_without_emissions_runs_multipliers_only(tmp_path):
    res = run_responsibility(
        ResponsibilityConfig(table="nl2000", output={"figures": False, "report": False})
    )
    assert res.stressor is None
    assert res.multipliers["compensation_employees_type_I"].round(3).tolist() == [
        2.466,
        2.333,
        1.84,
        2.372,
        1.953,
        1.417,
    ]
    assert any("no emission accounts" in n for n in res.manifest.notes)
    # no empty accounts/reconciliation files for a table without emissions
    assert set(res.tables()) == {"multipliers", "linkages"}


def test_bad_config_names_the_field(tmp_path):
    with pytest.raises(ConfigError, match="stressor: 'SF6' is not in table"):
        run_responsibility(ResponsibilityConfig(stressor="SF6"))
    with pytest.raises(ConfigError, match="table: 'nowhere' is neither a bundled table"):
        run_responsibility(ResponsibilityConfig(table="nowhere"))


def test_user_table_and_chain_file(tmp_path):
    from carbonshare.accounting import load_table

    load_table("de2009").write(tmp_path / "t")
    chain = {
        "nodes": [{"name": "a", "emissions": 2.0}, {"name": "b", "emissions": 1.0}],
        "edges": [
            {"source": "a", "target": "b", "value": 5.0},
            {"source": "b", "target": "final consumer", "value": 9.0},
        ],
    }
    (tmp_path / "c.json").write_text(json.dumps(chain))
    cfg = ResponsibilityConfig(
        table=str(tmp_path / "t"),
        chain={"path": str(tmp_path / "c.json")},
        output={"figures": False, "report": False},
    )
    res = run_responsibility(cfg)
    assert res.chain_accounts.loc["b", "shapley"] == pytest.approx(2.0)  # 2/2 + 1


def test_cli_runs(tmp_path):
    from carbonshare.cli import main

    code = main(
        [
            "run",
            "responsibility",
            "--table",
            "de2009",
            "--no-figures",
            "--no-report",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    assert (tmp_path / "manifest.json").exists()
    assert main(["run", "responsibility", "--table", "xx9999", "--out", str(tmp_path)]) == 2


def test_cli_print_config(capsys):
    from carbonshare.cli import main

    assert main(["run", "responsibility", "--print-config", "--table", "us2021"]) == 0
    out = capsys.readouterr().out
    assert "table: us2021" in out
    assert "max_members: 6" in out


def test_synthetic_user_table_without_co2_uses_its_first_stressor(tmp_path):
    pymrio = pytest.importorskip("pymrio")
    from carbonshare.accounting import IOTable

    t = IOTable.from_pymrio(pymrio.load_test().calc_all(), "emissions")
    t.write(tmp_path / "mrio")
    cfg = ResponsibilityConfig(
        table=str(tmp_path / "mrio"), output={"figures": False, "report": False}
    )
    res = run_responsibility(cfg)
    assert res.stressor == "emission_type1|air"
    assert any("SYNTHETIC" in n for n in res.manifest.notes)
    assert bool(res.reconciliation["conserved"].all())
    # trade balance = production - consumption for every region
    reg = res.regional
    np.testing.assert_allclose(
        reg["balance"], reg["production"] - reg["consumption"], rtol=1e-9, atol=1e-3
    )


def test_net_output_false_applies_to_the_given_alpha_too():
    from carbonshare.accounting import load_table, shared_responsibility

    cfg = ResponsibilityConfig(alpha=0.3, net_output=False, output={"figures": False})
    res = run_responsibility(cfg)
    want = shared_responsibility(load_table("de1995"), "CO2", alpha=0.3, net_output=False)
    np.testing.assert_allclose(
        res.accounts["shared_given"].reindex(want.index).to_numpy(), want.to_numpy()
    )


def test_report_structure_and_data_dictionary(written):
    from carbonshare.report.structure import read_report

    res, out = written
    assert read_report(out / "report.html").problems() == []
    columns = pd.read_csv(out / "tables" / "columns.csv", keep_default_na=False)
    bare = columns.loc[columns["label"] == "", ["table", "column"]].values.tolist()
    assert bare == []
    unit = res.table.units["F"]
    assert columns.set_index(["table", "column"]).loc[("accounts", "production"), "unit"] == unit


# --- issue 13: figures a researcher can read, whatever the size of the table ------------------


def test_one_bar_figure_is_not_drawn_and_the_reason_is_noted(written):
    res, out = written
    # de1995 tags one extraction sector, which holds everything: a one-bar chart says nothing
    assert not (out / "figures" / "accounts_extraction.png").exists()
    assert any("extraction accounts not drawn" in n for n in res.manifest.notes)


def test_linkages_figure_has_its_axis_label(written):
    _, out = written
    assert "linkage index (mean over sectors = 1)" in (out / "figures" / "linkages.svg").read_text()


def test_single_region_report_has_no_one_by_one_trade_table(written):
    _, out = written
    html = (out / "report.html").read_text()
    assert "Emissions embodied in trade" not in html
    assert "has no trade between regions" in html


def test_figures_of_a_large_table_show_the_top_items_and_stay_readable(tmp_path):
    from PIL import Image

    from carbonshare.studies.responsibility import TOP_N, top_with_others

    from ..accounting.conftest import random_table

    t = random_table(7, n=120)
    t.write(tmp_path / "big")
    res = run_responsibility(
        ResponsibilityConfig(table=str(tmp_path / "big"), extraction=["s0", "s1", "s2"]),
        out_dir=tmp_path / "out",
    )
    pngs = sorted((tmp_path / "out" / "figures").glob("*.png"))
    assert pngs
    for png in pngs:
        w, h = Image.open(png).size
        assert w <= 1600 and h <= 1200, (png.name, w, h)
    # the figure's bars: the TOP_N largest and one "others" bar with the rest, same total
    acc = res.accounts["production"].xs("sector", level="kind").droplevel("region")
    shown = top_with_others(acc)
    assert len(shown) == TOP_N + 1 and shown.index[-1] == f"others ({len(acc) - TOP_N})"
    assert shown.sum() == pytest.approx(acc.sum(), rel=1e-12)
    assert set(shown.index[:-1]) == set(acc.abs().nlargest(TOP_N).index)
    # the full data stay in the tables
    assert len(pd.read_csv(tmp_path / "out" / "tables" / "linkages.csv")) == 120


def test_an_others_bar_that_would_flatten_the_figure_is_stated_not_drawn():
    from carbonshare.studies.responsibility import TOP_N, _figure_rows

    flat = pd.Series(1.0, index=[f"s{i}" for i in range(200)])
    shown, title = _figure_rows(flat, "production")
    assert len(shown) == TOP_N and "others" not in " ".join(shown.index)
    assert title == f"production: largest {TOP_N} of 200\nthe other 185 hold 92% (not drawn)"
    skewed = pd.Series([100.0] * 17 + [1.0] * 33, index=[f"s{i}" for i in range(50)])
    shown, title = _figure_rows(skewed, "production")  # others = 2 * 100 + 33 <= 5 * 100: drawn
    assert shown.index[-1] == "others (35)" and shown.iloc[-1] == 2 * 100 + 33
    assert title == f"production: largest {TOP_N} of 50"
