"""Tests of carbonshare.studies.common: config files, manifest, tables, progress."""

from __future__ import annotations

import json
from typing import Literal

import pandas as pd
import pytest
import yaml
from pydantic import Field

from carbonshare.errors import ConfigError
from carbonshare.studies.common import (
    Manifest,
    StudyConfig,
    StudyProgress,
    dump_config,
    load_config,
    validate_config,
    write_tables,
)


class Weights(StudyConfig):
    method: Literal["entropy", "pca", "equal"] = "entropy"
    given: dict[str, float] = Field(default_factory=dict)


class Demo(StudyConfig):
    start: int = 1990
    end: int = 2020
    weights: Weights = Field(default_factory=Weights)
    names: list[str] = Field(default_factory=lambda: ["a", "b"])


def test_defaults_when_no_path():
    assert load_config(Demo, None) == Demo()


def test_yaml_round_trip(tmp_path):
    cfg = Demo(start=2000, weights=Weights(method="pca"))
    path = tmp_path / "c.yaml"
    path.write_text(dump_config(cfg))
    assert load_config(Demo, path) == cfg


def test_partial_file_keeps_defaults(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text("weights:\n  method: equal\n")
    cfg = load_config(Demo, path)
    assert cfg.weights.method == "equal"
    assert cfg.start == 1990


def test_toml(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('start = 1995\n[weights]\nmethod = "pca"\n')
    cfg = load_config(Demo, path)
    assert (cfg.start, cfg.weights.method) == (1995, "pca")


def test_empty_file_gives_defaults(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("")
    assert load_config(Demo, path) == Demo()


def test_error_names_nested_field(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("weights:\n  method: magic\n")
    with pytest.raises(ConfigError, match=r"weights\.method: Input should be 'entropy', 'pca'"):
        load_config(Demo, path)


def test_error_names_list_item():
    with pytest.raises(ConfigError, match=r"names\[1\]: Input should be a valid string"):
        validate_config(Demo, {"names": ["a", 3]})


def test_unknown_field_is_named(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("weigths:\n  method: pca\n")
    with pytest.raises(
        ConfigError, match=r"weigths: unknown field; remove it or check its spelling"
    ):
        load_config(Demo, path)


def test_missing_file():
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(Demo, "/nonexistent/c.yaml")


def test_not_a_mapping(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError, match="holds a list, not a mapping"):
        load_config(Demo, path)


def test_bad_syntax(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("start: [1990\n")
    with pytest.raises(ConfigError, match="cannot be parsed"):
        load_config(Demo, path)


def test_assignment_is_validated():
    cfg = Demo()
    with pytest.raises(Exception, match="valid integer"):
        cfg.start = "x"


def test_manifest_records_and_writes(tmp_path):
    m = Manifest("demo", Demo())
    with m.step("load"):
        pass
    with m.step("load"):
        pass
    m.repair("TUV", "population", "filled", "2018 from 2017")
    m.exclude("XKX", "no CO2")
    m.note("forest rents end in 2017")
    m.add_sources(pd.DataFrame({"name": ["wdi"], "vintage": ["2021"]}).set_index("name"))
    m.add_sources([{"name": "gcp", "vintage": float("nan")}])
    m.outputs.append("t.csv")
    path = m.write(tmp_path / "out")
    data = json.loads(path.read_text())
    assert data["study"] == "demo"
    assert data["config"]["weights"]["method"] == "entropy"
    assert set(data["versions"]) >= {"carbonshare", "python", "numpy", "pandas"}
    assert list(data["timings_s"]) == ["load"]
    assert data["repairs"] == [
        {"entity": "TUV", "field": "population", "action": "filled", "detail": "2018 from 2017"}
    ]
    assert data["exclusions"] == [{"entity": "XKX", "reason": "no CO2"}]
    assert data["notes"] == ["forest rents end in 2017"]
    assert data["sources"] == [{"name": "wdi", "vintage": "2021"}, {"name": "gcp", "vintage": None}]
    assert data["outputs"] == ["t.csv"]
    assert data["created_utc"].endswith("+00:00")


def test_manifest_step_times_even_on_error():
    m = Manifest("demo", {"a": 1})
    with pytest.raises(RuntimeError), m.step("boom"):
        raise RuntimeError("x")
    assert "boom" in m.timings
    assert m.to_dict()["config"] == {"a": 1}


def test_write_tables(tmp_path):
    a = pd.DataFrame(
        {"x": [1.5, 2.0], "name": ["A", "B"]}, index=pd.Index(["AAA", "BBB"], name="iso3")
    )
    b = pd.DataFrame({"y": [1, 2]})
    paths = write_tables({"a": a, "b": b}, tmp_path)
    names = sorted(p.name for p in paths)
    assert names == ["a.csv", "a.parquet", "b.csv", "b.parquet", "tables.xlsx"]
    back = pd.read_parquet(tmp_path / "a.parquet")
    pd.testing.assert_frame_equal(back, a, check_dtype=False)
    csv = pd.read_csv(tmp_path / "a.csv", index_col="iso3")
    assert csv.loc["BBB", "x"] == 2.0
    assert list(pd.read_csv(tmp_path / "b.csv").columns) == ["y"]
    sheets = pd.read_excel(tmp_path / "tables.xlsx", sheet_name=None)
    assert set(sheets) == {"a", "b"}


def test_write_tables_long_sheet_names(tmp_path):
    long = "x" * 40
    write_tables(
        {long: pd.DataFrame({"a": [1]}), long + "2": pd.DataFrame({"a": [2]})}, tmp_path, formats=()
    )
    sheets = pd.read_excel(tmp_path / "tables.xlsx", sheet_name=None)
    assert len(sheets) == 2 and all(len(s) <= 31 for s in sheets)


def test_write_tables_bad_format(tmp_path):
    with pytest.raises(ConfigError, match="unknown table format"):
        write_tables({"a": pd.DataFrame()}, tmp_path, formats=("feather",))


def test_progress_marks_steps(tmp_path):
    from rich.console import Console

    console = Console(file=open(tmp_path / "log.txt", "w"), force_terminal=True)
    with StudyProgress(["a", "b"], title="demo", console=console) as progress:
        progress("a")
        progress("b")
        progress("extra")
    console.file.close()
    assert progress.done == ["a", "b", "extra"]
    assert progress.steps == ["a", "b", "extra"]
    assert "done" in (tmp_path / "log.txt").read_text()


def test_progress_is_live_on_a_terminal():
    import io
    import re

    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=100)
    with StudyProgress(["load", "solve"], title="demo", console=console) as progress:
        progress("load")
        progress("solve")
        # drawn while the study works, before the display closes
        during = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", buf.getvalue())
    assert "demo: solve" in during and "done load" in during
    assert "done solve" in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", buf.getvalue())


def test_progress_is_quiet_when_not_a_terminal():
    import io

    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=False)
    with StudyProgress(["load", "solve"], title="demo", console=console) as progress:
        progress("load")
        progress("solve")
    assert progress.done == ["load", "solve"]
    assert buf.getvalue() == ""


def test_write_tables_data_dictionary(tmp_path):
    from carbonshare.report.labels import Labels

    labels = Labels({"co2_t": ("CO2 emissions", "t CO2", "sum over the window")})
    t = pd.DataFrame({"co2_t": [1.0], "other": [2]}, index=pd.Index(["USA"], name="iso3"))
    paths = write_tables({"emissions": t}, tmp_path, workbook="demo.xlsx", labels=labels)
    assert tmp_path / "columns.csv" in paths
    d = pd.read_csv(tmp_path / "columns.csv").fillna("")
    assert d["column"].tolist() == ["iso3", "co2_t", "other"]
    assert d.set_index("column").loc["co2_t", "unit"] == "t CO2"
    sheets = pd.read_excel(tmp_path / "demo.xlsx", sheet_name=None)
    assert list(sheets) == ["columns", "emissions"]
    assert not (tmp_path / "columns.parquet").exists()


def test_dump_config_comments_and_flow_lists():
    class Doc(StudyConfig):
        window: tuple[int, int] = Field((1990, 2020), description="first and last year")
        weights: Weights = Field(default_factory=Weights)

    text = dump_config(Doc())
    assert "window: [1990, 2020]  # first and last year" in text
    assert "weights:\n  method: entropy" in text
    plain = dump_config(Doc(), comments=False)
    assert "#" not in plain
    assert yaml.safe_load(plain) == yaml.safe_load(text) == Doc().model_dump(mode="json")
