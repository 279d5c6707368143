"""Plumbing shared by the end-to-end studies: config files, manifest, tables, progress.

A study is a composition of library functions driven by a typed config. This
module holds what every study needs around that composition and nothing of
the science:

- :func:`load_config` / :func:`dump_config` read and write a pydantic config
  as YAML (or TOML), turning validation errors into one :class:`ConfigError`
  whose message names the field path.
- :class:`Manifest` records what a run did (config, versions, data sources,
  timings per step, data repairs, exclusions, notes) and writes
  ``manifest.json``.
- :func:`write_tables` writes each table as CSV and Parquet and all of them as
  the sheets of one XLSX workbook.
- :class:`StudyProgress` is a rich progress display for the CLI, usable as the
  ``progress(step_name)`` callback the study functions accept.
"""

from __future__ import annotations

import json
import logging
import math
import platform
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from carbonshare.errors import ConfigError

__all__ = [
    "Manifest",
    "ProgressCallback",
    "StudyConfig",
    "StudyProgress",
    "dump_config",
    "load_config",
    "validate_config",
    "write_tables",
]

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str], None]
"""Called with a step name when a study starts that step."""

M = TypeVar("M", bound=BaseModel)


class StudyConfig(BaseModel):
    """Base class of study configs: unknown keys are errors, values are re-validated on assignment.

    Examples
    --------
    >>> class Demo(StudyConfig):
    ...     start: int = 1990
    >>> Demo(start=2000).start
    2000
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# ----------------------------------------------------------------------------- config files


def _field_path(loc: Sequence[Any]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int) and parts:
            parts[-1] = f"{parts[-1]}[{item}]"
        else:
            parts.append(str(item))
    return ".".join(parts) or "(top level)"


def _validation_message(exc: ValidationError, source: str) -> str:
    lines = []
    for err in exc.errors():
        msg = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field; remove it or check its spelling (--print-config lists the fields)"
        elif err["type"] == "missing":
            msg = "required field is missing; add it"
        lines.append(f"{_field_path(err['loc'])}: {msg}")
    where = f"invalid config {source}: " if source else "invalid config: "
    return where + "; ".join(lines)


def validate_config(model_cls: type[M], data: Mapping[str, Any], *, source: str = "") -> M:
    """Build ``model_cls`` from a mapping, raising :class:`ConfigError` naming each bad field.

    Examples
    --------
    >>> class Demo(StudyConfig):
    ...     start: int = 1990
    >>> validate_config(Demo, {"start": "abc"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    carbonshare.errors.ConfigError: invalid config: start: Input should be a valid integer, ...
    """
    try:
        return model_cls.model_validate(dict(data))
    except ValidationError as exc:
        raise ConfigError(_validation_message(exc, source)) from None


def load_config(model_cls: type[M], path: str | Path | None = None) -> M:
    """Read a study config from a YAML (``.yaml``/``.yml``) or TOML (``.toml``) file.

    Parameters
    ----------
    model_cls : pydantic model class of the study's config.
    path : file to read; ``None`` gives the defaults (``model_cls()``). Fields
        absent from the file keep their defaults.

    Returns
    -------
    An instance of ``model_cls``.

    Raises
    ------
    ConfigError  if the file is missing or unreadable, is not a mapping, or a
        field is invalid; the message names the field path, e.g.
        ``weights.method: Input should be 'entropy', 'pca', ...``.

    Examples
    --------
    >>> class Demo(StudyConfig):
    ...     start: int = 1990
    >>> load_config(Demo).start
    1990
    """
    if path is None:
        return model_cls()
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist; pass an existing YAML or TOML file")
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".toml":
            import tomllib

            data = tomllib.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:  # yaml.YAMLError / tomllib.TOMLDecodeError
        raise ConfigError(
            f"config file {path} cannot be parsed ({type(exc).__name__}: {exc}); "
            "fix the syntax (start from --print-config)"
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"config file {path} holds a {type(data).__name__}, not a mapping of fields; "
            "start from the output of --print-config"
        )
    return validate_config(model_cls, data, source=str(path))


def _yaml_scalar(value: Any) -> str:
    """One JSON-ready value as inline YAML (lists and mappings in flow style)."""
    import yaml

    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    return text.removesuffix("\n...\n").strip()


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0].strip() if (text or "").strip() else ""


def _commented_yaml(model: BaseModel, indent: int, lines: list[str], comments: bool) -> None:
    pad = " " * indent
    seen_models: set[type] = set()
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        desc = info.description if comments else None
        if isinstance(value, BaseModel):
            header = (desc or _first_line(type(value).__doc__)) if comments else ""
            if header:
                lines.append(f"{pad}# {header}")
            lines.append(f"{pad}{name}:")
            _commented_yaml(value, indent + 2, lines, comments)
        elif (
            isinstance(value, Mapping)
            and value
            and all(isinstance(v, BaseModel) for v in value.values())
        ):
            if desc:
                lines.append(f"{pad}# {desc}")
            lines.append(f"{pad}{name}:")
            for key, sub in value.items():
                lines.append(f"{pad}  {_yaml_scalar(str(key))}:")
                first = type(sub) not in seen_models
                seen_models.add(type(sub))
                _commented_yaml(sub, indent + 4, lines, comments and first)
        else:
            dumped = _yaml_scalar(_jsonable_model_value(model, name))
            line = f"{pad}{name}: {dumped}"
            if desc:
                line = f"{line}  # {desc}"
            lines.append(line)


def _jsonable_model_value(model: BaseModel, name: str) -> Any:
    return model.model_dump(mode="json", include={name})[name]


def dump_config(model: BaseModel, *, comments: bool = True) -> str:
    """The config as YAML text (field order of the model), as printed by ``--print-config``.

    Nested sections are block mappings; leaf values are written inline (lists
    in flow style). With ``comments=True`` each field's ``description`` is
    appended as a YAML comment (for a mapping of sub-models, only on its first
    entry). ``load_config`` reads the text back to an equal model.

    Examples
    --------
    >>> from pydantic import Field
    >>> class Demo(StudyConfig):
    ...     start: int = Field(1990, description="first year")
    ...     names: list[str] = ["a", "b"]
    >>> print(dump_config(Demo()), end="")
    start: 1990  # first year
    names: [a, b]
    """
    lines: list[str] = []
    _commented_yaml(model, 0, lines, comments)
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- manifest


def _jsonable(obj: Any) -> Any:
    """Turn numpy/pandas scalars and containers into plain JSON values (NaN -> None)."""
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalar
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    return str(obj)


def _package_versions() -> dict[str, str]:
    import numpy as np

    import carbonshare

    return {
        "carbonshare": carbonshare.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }


@dataclass
class Manifest:
    """What a study run did, written next to its outputs as ``manifest.json``.

    Parameters
    ----------
    study : name of the study (``"alliances"``...).
    config : the validated config the run used.

    Examples
    --------
    >>> class Demo(StudyConfig):
    ...     start: int = 1990
    >>> m = Manifest("demo", Demo())
    >>> with m.step("load"):
    ...     pass
    >>> m.repair("TUV", "population", "filled", "2018 taken from 2017")
    >>> m.exclude("XKX", "no CO2 data")
    >>> d = m.to_dict()
    >>> d["study"], d["config"], list(d["timings_s"]), d["exclusions"]
    ('demo', {'start': 1990}, ['load'], [{'entity': 'XKX', 'reason': 'no CO2 data'}])
    """

    study: str
    config: BaseModel | Mapping[str, Any] | None = None
    timings: dict[str, float] = field(default_factory=dict)
    repairs: list[dict[str, Any]] = field(default_factory=list)
    exclusions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a step (seconds, wall clock); repeated names accumulate."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0

    def repair(self, entity: str, field: str, action: str, detail: str = "") -> None:
        """Record a data repair (fill, substitution, truncated window...) and log it."""
        self.repairs.append(
            {"entity": str(entity), "field": str(field), "action": str(action), "detail": detail}
        )
        logger.info("repair %s %s: %s %s", entity, field, action, detail)

    def exclude(self, entity: str, reason: str) -> None:
        """Record an entity (country, sector...) left out of the study, and why."""
        self.exclusions.append({"entity": str(entity), "reason": str(reason)})
        logger.info("excluded %s: %s", entity, reason)

    def note(self, text: str) -> None:
        """Record a free-text note (a choice, a deviation from the paper...)."""
        self.notes.append(str(text))
        logger.info("note: %s", text)

    def add_sources(self, sources: pd.DataFrame | Sequence[Mapping[str, Any]]) -> None:
        """Record data sources and vintages (a provenance table or a list of records)."""
        if isinstance(sources, pd.DataFrame):
            frame = sources.reset_index() if sources.index.name is not None else sources
            records = frame.to_dict(orient="records")
        else:
            records = [dict(r) for r in sources]
        self.sources.extend(_jsonable(records))

    def to_dict(self) -> dict[str, Any]:
        """The manifest as plain JSON-ready data."""
        if isinstance(self.config, BaseModel):
            config = self.config.model_dump(mode="json")
        else:
            config = _jsonable(self.config or {})
        return {
            "study": self.study,
            "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "versions": _package_versions(),
            "config": config,
            "timings_s": {k: round(v, 4) for k, v in self.timings.items()},
            "sources": self.sources,
            "repairs": self.repairs,
            "exclusions": self.exclusions,
            "notes": self.notes,
            "outputs": self.outputs,
            **_jsonable(self.extra),
        }

    def write(self, out_dir: str | Path) -> Path:
        """Write ``manifest.json`` into ``out_dir`` (created if needed) and return its path."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        path = out / "manifest.json"
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
        return path


# ----------------------------------------------------------------------------- tables


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "sheet"
    candidate, k = base, 1
    while candidate.lower() in used:
        suffix = f"_{k}"
        candidate, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(candidate.lower())
    return candidate


def _for_parquet(df: pd.DataFrame) -> pd.DataFrame:
    """Parquet needs string column names and no mixed-object columns."""
    out = df.copy()
    out.columns = [str(c) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: v if v is None or isinstance(v, str) else str(v))
    return out


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    workbook: str | None = "tables.xlsx",
    formats: Sequence[str] = ("csv", "parquet"),
) -> list[Path]:
    """Write each table as ``<name>.csv`` / ``<name>.parquet`` and all as sheets of one workbook.

    Parameters
    ----------
    tables : name -> DataFrame; a named index is written as columns.
    out_dir : directory (created if needed).
    workbook : file name of the XLSX workbook, or ``None`` for none.
    formats : any of ``"csv"`` and ``"parquet"``.

    Returns
    -------
    The paths written, in order.

    Raises
    ------
    ConfigError  for an unknown format.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = write_tables({"t": pd.DataFrame({"a": [1, 2]})}, d)
    ...     sorted(p.name for p in paths)
    ['t.csv', 't.parquet', 'tables.xlsx']
    """
    unknown = set(formats) - {"csv", "parquet"}
    if unknown:
        raise ConfigError(f"formats: unknown table format(s) {sorted(unknown)}; use csv, parquet")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name, df in tables.items():
        has_index = any(n is not None for n in df.index.names)
        if "csv" in formats:
            path = out / f"{name}.csv"
            df.to_csv(path, index=has_index)
            paths.append(path)
        if "parquet" in formats:
            path = out / f"{name}.parquet"
            _for_parquet(df).to_parquet(path, index=has_index)
            paths.append(path)
    if workbook:
        path = out / workbook
        used: set[str] = set()
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, df in tables.items():
                has_index = any(n is not None for n in df.index.names)
                df.to_excel(writer, sheet_name=_sheet_name(name, used), index=has_index)
        paths.append(path)
    return paths


# ----------------------------------------------------------------------------- progress


class StudyProgress:
    """A rich progress display over the named steps of a study (CLI side).

    Use as a context manager; the instance is the ``progress(step_name)``
    callback: each call marks the previous step done and starts ``step_name``.

    Parameters
    ----------
    steps : the step names, in order (an unknown name is added on the fly).
    title : label of the overall bar.
    console : a ``rich.console.Console`` (default: stderr).

    Examples
    --------
    >>> with StudyProgress(["load", "solve"], disable=True) as progress:
    ...     progress("load")
    ...     progress("solve")
    >>> progress.done
    ['load', 'solve']
    """

    def __init__(
        self,
        steps: Sequence[str],
        *,
        title: str = "study",
        console: Any | None = None,
        disable: bool = False,
    ) -> None:
        self.steps = list(steps)
        self.title = title
        self.console = console
        self.disable = disable
        self.done: list[str] = []
        self._current: str | None = None
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> StudyProgress:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        console = self.console or Console(stderr=True)
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            disable=self.disable,
            transient=False,
        )
        self._progress.__enter__()
        self._task = self._progress.add_task(self.title, total=len(self.steps))
        return self

    def __call__(self, step: str) -> None:
        self._finish_current()
        if step not in self.steps:
            self.steps.append(step)
            self._progress.update(self._task, total=len(self.steps))
        self._current = step
        self._progress.update(self._task, description=f"{self.title}: {step}")

    def _finish_current(self) -> None:
        if self._current is not None:
            self.done.append(self._current)
            self._progress.advance(self._task)
            if not self.disable:
                self._progress.console.print(f"[green]done[/green] {self._current}")
            self._current = None

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self._finish_current()
            self._progress.update(self._task, description=f"{self.title}: finished")
        self._progress.__exit__(exc_type, exc, tb)
