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
  the sheets of one XLSX workbook; a table of more than :data:`LARGE_TABLE_CELLS`
  cells goes to Parquet only (a matrix in long form), with a note in the workbook.
- :func:`study_output` makes a study's output folder atomic: the study writes
  into a temporary sibling folder that replaces ``out_dir`` only once
  everything (manifest last, with ``complete: true``) is written; an error or
  Ctrl-C leaves ``out_dir`` as it was and no partial folder.
  :func:`check_output_dir` checks the folder can be written, before any
  computing (a study calls it first).
- :func:`nearest_year_fill` is the missing-year rule of the studies (docs/methods.md
  A1: nearest available year within the window, then exclusion).
- :class:`StudyProgress` is a rich progress display for the CLI, usable as the
  ``progress(step_name)`` callback the study functions accept.
"""

from __future__ import annotations

import io
import json
import logging
import math
import os
import platform
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from carbonshare.errors import ConfigError, DataError
from carbonshare.report.labels import Labels

if TYPE_CHECKING:
    from carbonshare.report.offload import FigureJobs

__all__ = [
    "Manifest",
    "ProgressCallback",
    "StudyConfig",
    "StudyProgress",
    "check_output_dir",
    "dump_config",
    "exclusion_share",
    "load_config",
    "nearest_year_fill",
    "study_output",
    "validate_config",
    "workbook_bytes",
    "write_study",
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
    warnings: list[str] = field(default_factory=list)
    complete: bool = False

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

    def warn(self, text: str) -> None:
        """Record a warning the user must see (a config value adjusted or ignored...).

        Logged at WARNING level (shown by the CLI) and listed at the top of the report.
        """
        self.warnings.append(str(text))
        logger.warning("%s", text)

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
            "warnings": self.warnings,
            "notes": self.notes,
            "outputs": self.outputs,
            **_jsonable(self.extra),
            **({"complete": True} if self.complete else {}),
        }

    def write(self, out_dir: str | Path) -> Path:
        """Write ``manifest.json`` (the last file of a run: ``complete: true``) into ``out_dir``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        self.complete = True
        path = out / "manifest.json"
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
        return path


# ----------------------------------------------------------------------------- output folder


def _existing_ancestor(path: Path) -> Path:
    for parent in [path, *path.parents]:
        if parent.exists() or parent.is_symlink():
            return parent
    return Path(path.anchor or ".")


def check_output_dir(out_dir: str | Path) -> Path:
    """Check that a study can write ``out_dir``, before it computes anything.

    The folder may exist (it is then replaced as a whole when the new run is
    complete, so it must hold a previous study output or nothing) or not
    (missing parents are created). A probe folder is created and removed next
    to it, so an unwritable place (``/proc``, a read-only disk) fails here.

    Returns
    -------
    The absolute path.

    Raises
    ------
    ConfigError  in one line naming the path and the reason: an existing file,
        a path under a file, a folder holding other files, no permission.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     check_output_dir(Path(d, "new", "out")).name
    'out'
    """
    out = Path(out_dir).expanduser().absolute()
    where = f"--out {out_dir}"
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{where} is an existing file; choose a folder path")
    base = _existing_ancestor(out.parent)
    if base.exists() and not base.is_dir():
        raise ConfigError(f"{where} lies under {base}, which is a file; choose a folder path")
    if out.is_dir():
        stray = _foreign_files(out)
        if stray:
            raise ConfigError(
                f"{where} exists and holds files that are not a carbonshare study output "
                f"(e.g. {stray[0]}); a run replaces the whole folder, so choose a new or "
                "empty folder"
            )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        probe = Path(tempfile.mkdtemp(prefix=f".{out.name}.probe-", dir=out.parent))
        probe.rmdir()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"{where} cannot be written ({reason}: {exc.filename or out.parent}); "
                          "choose a folder you can write") from None  # fmt: skip
    return out


def _foreign_files(out: Path) -> list[str]:
    """Entries of ``out`` when it is neither empty nor a study output (has manifest.json)."""
    entries = sorted(p.name for p in out.iterdir())
    if not entries or "manifest.json" in entries:
        return []
    return entries


@contextmanager
def study_output(out_dir: str | Path) -> Iterator[Path]:
    """Atomic output folder of a study run: write into the yielded folder, moved into place at exit.

    The study writes every file into a temporary sibling folder
    (``.<name>.partial-*`` next to ``out_dir``), the manifest last. When the
    block ends without error the folder replaces ``out_dir`` (an earlier
    run's folder is removed as a whole, so two runs never mix: a re-run with
    ``--no-figures`` leaves no old figures). When the block raises (an error,
    Ctrl-C) the temporary folder is deleted and ``out_dir`` is left as it was.
    SIGINT is held back during the final swap of the two folders.

    Used by every study (``alliances``, ``principles``, ``responsibility``...)::

        with study_output(out_dir) as tmp:
            paths = write_everything(result, tmp)   # manifest.json last
        paths = [out_dir / p.relative_to(tmp) for p in paths]

    Raises
    ------
    ConfigError  as :func:`check_output_dir`.
    """
    final = check_output_dir(out_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.partial-", dir=final.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not (tmp / "manifest.json").is_file():
        shutil.rmtree(tmp, ignore_errors=True)
        raise DataError(f"the study wrote no manifest.json into {final}; nothing was replaced")
    _swap(tmp, final)


def write_study(out_dir: str | Path, write: Callable[[Path], list[Path]]) -> list[Path]:
    """Run ``write(folder)`` inside :func:`study_output` and return the final paths.

    ``write`` writes every output into the folder it is given (manifest.json
    last) and returns the paths it wrote; they are returned under ``out_dir``.
    """
    with study_output(out_dir) as tmp:
        written = write(tmp)
    return [Path(out_dir) / p.relative_to(tmp) for p in written]


def _swap(tmp: Path, final: Path) -> None:
    blocked = hasattr(signal, "pthread_sigmask")
    if blocked:
        old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        old = None
        if final.exists():
            old = final.with_name(f".{final.name}.old-{os.getpid()}")
            final.rename(old)
        tmp.rename(final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)


# ----------------------------------------------------------------------------- missing years


def nearest_row_fill(row: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Fill NaN entries from the nearest non-NaN position (the earlier one on a tie).

    Returns the filled copy and the ``(filled position, source position)`` pairs.

    Examples
    --------
    >>> nearest_row_fill(np.array([np.nan, 1.0, np.nan, np.nan, 5.0]))[1]
    [(0, 1), (2, 1), (3, 4)]
    """
    have = np.flatnonzero(~np.isnan(row))
    out = row.copy()
    pairs = []
    for t in np.flatnonzero(np.isnan(row)):
        src = int(have[np.argmin(np.abs(have - t) * 2 + (have > t))])
        out[t] = row[src]
        pairs.append((int(t), src))
    return out, pairs


def nearest_year_fill(
    wide: pd.DataFrame, *, what: str = "value"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill each missing year from the nearest year with data in the same row (docs/methods.md A1).

    The rule of every study: a missing year inside the window takes the value
    of the nearest year that has data inside the window (the earlier one on a
    tie); an entity with no data in the window stays empty (the study then
    excludes it). Nothing is filled silently: every fill is a row of the
    returned record.

    Parameters
    ----------
    wide : entities x years (the window), NaN = no data.
    what : name of the series, for the record.

    Returns
    -------
    (filled frame, record) with record columns ``entity, field, years_missing,
    action, detail`` (``detail`` lists ``year <- source year``).

    Examples
    --------
    >>> w = pd.DataFrame({1990: [np.nan, 1.0], 1991: [2.0, np.nan], 1992: [4.0, np.nan]},
    ...                  index=["NAM", "XXX"])
    >>> filled, record = nearest_year_fill(w, what="co2_t")
    >>> filled.loc["NAM"].tolist(), record["detail"].tolist()
    ([2.0, 2.0, 4.0], ['1990 <- 1991', '1991 <- 1990; 1992 <- 1990'])
    """
    arr = wide.to_numpy(dtype=float, copy=True)
    years = np.asarray(wide.columns)
    rows = []
    for k in np.flatnonzero(np.isnan(arr).any(axis=1)):
        if np.isnan(arr[k]).all():
            continue
        arr[k], pairs = nearest_row_fill(arr[k])
        gaps, sources = [t for t, _ in pairs], [src for _, src in pairs]
        rows.append(
            {
                "entity": str(wide.index[k]),
                "field": what,
                "years_missing": ", ".join(str(years[t]) for t in gaps),
                "action": "nearest-year fill",
                "detail": "; ".join(
                    f"{years[t]} <- {years[s]}" for t, s in zip(gaps, sources, strict=True)
                ),
            }
        )
    record = pd.DataFrame(rows, columns=["entity", "field", "years_missing", "action", "detail"])
    return pd.DataFrame(arr, index=wide.index, columns=wide.columns), record


def exclusion_share(excluded: Sequence[str], **totals: pd.Series) -> str:
    """One sentence: how many entities are excluded and their share of each total.

    Examples
    --------
    >>> pop = pd.Series({"A": 90.0, "B": 10.0})
    >>> exclusion_share(["B"], population=pop)
    '1 entity excluded, holding 10 % of population'
    >>> exclusion_share([], population=pop)
    'no entity excluded'
    >>> exclusion_share(["B", "C"], population=pop)
    '2 entities excluded, holding 10 % of population (1 without data)'
    """
    n = len(excluded)
    if n == 0:
        return "no entity excluded"
    parts, unknown_all = [], []
    for name, series in totals.items():
        s = series.astype(float)
        values = s.reindex(list(excluded))
        unknown = int(values.isna().sum())
        if unknown == n or not s.sum() > 0:
            unknown_all.append(name)
            continue
        share = 100.0 * values.sum() / s.sum()
        parts.append(f"{share:.3g} % of {name}" + (f" ({unknown} without data)" if unknown else ""))
    text = f"{n} {'entity' if n == 1 else 'entities'} excluded"
    text += ", holding " + ", ".join(parts) if parts else ""
    return text + (f"; their {' and '.join(unknown_all)} unknown" if unknown_all else "")


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


#: A table with more cells than this (rows x columns, the index counted as columns) is written
#: to Parquet only (a matrix in long form) and kept out of the workbook: at 5,000 countries the
#: 5,000 x 5,000 CRL matrix took 452 s and 10.6 GB as a sheet, and a sheet holds at most
#: 1,048,576 rows and 16,384 columns.
LARGE_TABLE_CELLS = 200_000

_SHEET_ROWS, _SHEET_COLUMNS = 1_048_576, 16_384
_LONG_BLOCK_CELLS = 1 << 20  # cells per Parquet row group of a long-form matrix


def _is_matrix(df: pd.DataFrame) -> bool:
    """A square matrix: the same labels, in the same order, on both axes (e.g. CRL)."""
    return df.index.nlevels == 1 and len(df) > 1 and df.columns.equals(df.index)


def _cells(df: pd.DataFrame, has_index: bool) -> int:
    return len(df) * (df.shape[1] + (df.index.nlevels if has_index else 0))


def _fits_sheet(df: pd.DataFrame, has_index: bool) -> bool:
    width = df.shape[1] + (df.index.nlevels if has_index else 0)
    return len(df) < _SHEET_ROWS and width <= _SHEET_COLUMNS


def _long_names(df: pd.DataFrame) -> tuple[str, str]:
    """Column names of a matrix in long form: its row label, its column label."""
    row, col = df.index.name, df.columns.name
    return str(row or "row"), str(col if col is not None and col != row else "column")


def _write_long_matrix(df: pd.DataFrame, path: Path) -> None:
    """A matrix as Parquet in long form (row label, column label, value; one row per cell),
    written in row groups of about a million cells, so no long copy of the matrix is built.
    The labels are dictionary-encoded (pandas reads them back as categoricals)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    row_name, col_name = _long_names(df)
    rows = pa.array(df.index.astype(str).to_numpy(dtype=object), type=pa.string())
    cols = pa.array(df.columns.astype(str).to_numpy(dtype=object), type=pa.string())
    values = df.to_numpy()
    n, m = values.shape
    step = max(1, _LONG_BLOCK_CELLS // max(m, 1))
    writer = None
    try:
        for lo in range(0, n, step):
            hi = min(n, lo + step)
            block = pa.table(
                {
                    row_name: pa.DictionaryArray.from_arrays(
                        np.repeat(np.arange(lo, hi, dtype=np.int32), m), rows
                    ),
                    col_name: pa.DictionaryArray.from_arrays(
                        np.tile(np.arange(m, dtype=np.int32), hi - lo), cols
                    ),
                    "value": pa.array(values[lo:hi].ravel()),
                }
            )
            if writer is None:
                writer = pq.ParquetWriter(path, block.schema)
            writer.write_table(block)
    finally:
        if writer is not None:
            writer.close()


def _note_sheet(name: str, df: pd.DataFrame, has_index: bool, files: list[str]) -> pd.DataFrame:
    """The one-cell sheet that stands in the workbook for a table kept out of it."""
    shape = f"{len(df):,} x {df.shape[1]:,}"
    if _cells(df, has_index) > LARGE_TABLE_CELLS or not _fits_sheet(df, has_index):
        why = (
            f"{name} has {shape} = {_cells(df, has_index):,} cells, more than "
            f"{LARGE_TABLE_CELLS:,}, the most carbonshare puts on a sheet (an XLSX sheet cannot "
            f"hold more than {_SHEET_ROWS:,} rows or {_SHEET_COLUMNS:,} columns)"
        )
    else:
        why = f"{name} is a {shape} matrix, for programs more than for reading in a sheet"
    return pd.DataFrame({"note": [f"{why}: it is in {' and '.join(files)} next to this workbook."]})


def _written_as(df: pd.DataFrame, large: bool, files: list[str], sheet: bool) -> str:
    """Where a table is, for the ``written_as`` column of the data dictionary."""
    where = ", ".join(files) or "-"
    if large:
        form = "long form ({}, {}, value), ".format(*_long_names(df)) if _is_matrix(df) else ""
        return f"{where} only, {form}more than {LARGE_TABLE_CELLS:,} cells"
    return where + (", workbook sheet" if sheet else ", not in the workbook" if files else "")


def _long_dictionary(name: str, df: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """Data-dictionary rows of a matrix written in long form."""
    row_name, col_name = _long_names(df)
    row = labels.get(row_name, name)
    entry = labels.get(f"the {col_name}", name)  # the table's default, e.g. "CRL with {column}"
    described = f"{entry.description}; " if entry is not None and entry.description else ""
    records = [
        (row_name, row.label if row else "Row label", "", row.description if row else ""),
        (col_name, "Column label", "", f"the column of the {name} matrix (one row per cell)"),
        ("value", entry.label if entry else f"{name} entry", entry.unit if entry else "",
         f"{described}the entry in row {row_name}, column {col_name}"),
    ]  # fmt: skip
    return pd.DataFrame(
        [{"table": name, "column": c, "label": lab, "unit": u, "description": d}
         for c, lab, u, d in records]
    )  # fmt: skip


def _excel_value(v: Any) -> Any:
    """A cell value xlsxwriter writes as pandas would: NA blank, inf as text, numpy -> Python."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float):
        return None if v != v else (v if abs(v) != float("inf") else str(v))
    return v if isinstance(v, (str, bool, int)) else str(v)


def _sheet_values(col: pd.Series) -> list:
    """The cells of one column; plain numbers without NaN/inf go through unchanged."""
    plain = isinstance(col.dtype, np.dtype)  # not a nullable extension type (pd.NA)
    if plain and (col.dtype.kind in "iu" or (col.dtype.kind == "f" and np.isfinite(col).all())):
        return col.tolist()
    return [_excel_value(v) for v in col.to_numpy(dtype=object)]


def _write_sheet(book: Any, sheet: str, df: pd.DataFrame, has_index: bool, header: Any) -> bool:
    """One table as a sheet, row by row through xlsxwriter (no per-cell pandas formatting):
    header row, then the index (when named) and the columns; NaN / NA are blank cells.
    False (nothing written) for a table it does not write as pandas would."""
    kinds = {t.kind for t in df.dtypes} | {df.index.dtype.kind}
    if df.index.nlevels > 1:
        kinds |= {level.dtype.kind for level in df.index.levels}
    if df.columns.nlevels > 1 or kinds & {"M", "m"}:
        return False  # multi-row headers and dates: pandas' own writer
    if has_index and set(df.index.names) & set(df.columns):
        return False
    frame = df.reset_index() if has_index else df
    ws = book.add_worksheet(sheet)
    ws.write_row(0, 0, [str(c) for c in frame.columns], header)
    columns = [_sheet_values(col) for _, col in frame.items()]
    for r, row in enumerate(zip(*columns, strict=True), start=1):
        ws.write_row(r, 0, row)
    return True


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    workbook: str | None = "tables.xlsx",
    formats: Sequence[str] = ("csv", "parquet"),
    labels: Labels | None = None,
    jobs: FigureJobs | None = None,
) -> list[Path]:
    """Write each table as ``<name>.csv`` / ``<name>.parquet`` and all as sheets of one workbook.

    With ``labels`` (the study's label table) the data dictionary of every column (table,
    column, label, unit, description, written_as) is written next to the tables as
    ``columns.csv`` and as the first sheet, ``columns``, of the workbook, so every written
    table carries its units; ``written_as`` says in which files each table is.

    Large tables and matrices (issue 14). A table of more than :data:`LARGE_TABLE_CELLS`
    (200,000) cells, the index counted as columns, or too big for an XLSX sheet, is written to
    Parquet only; a square matrix (the same labels on both axes, e.g. the CRL matrix) then in
    long form, ``<row label>, <column label>, value`` with one row per cell, written in blocks.
    A matrix of any size is kept out of the workbook (as CSV / Parquet it is written as today).
    In the workbook, a table kept out has a sheet of its name with a note saying where the
    table is and why. The workbook itself is written row by row with XlsxWriter.

    Parameters
    ----------
    tables : name -> DataFrame; a named index is written as columns.
    out_dir : directory (created if needed).
    workbook : file name of the XLSX workbook (``<study>.xlsx``), or ``None`` for none.
    formats : any of ``"csv"`` and ``"parquet"`` (a large table is written as Parquet even
        without ``"parquet"``, so no table is lost).
    labels : the study's :class:`~carbonshare.report.labels.Labels`; None writes no
        dictionary.
    jobs : a :class:`~carbonshare.report.offload.FigureJobs` whose helper process makes the
        workbook (:func:`workbook_bytes`) while this process writes the CSV and Parquet files;
        this process writes every file.

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

    A 600 x 600 matrix (360,000 cells) goes to Parquet only, in long form:

    >>> m = pd.DataFrame(np.ones((600, 600)), index=[f"C{i}" for i in range(600)])
    >>> m.columns = m.index
    >>> with tempfile.TemporaryDirectory() as d:
    ...     names = [p.name for p in write_tables({"m": m}, d)]
    ...     back = pd.read_parquet(Path(d) / "m.parquet")
    ...     note = pd.read_excel(Path(d) / "tables.xlsx")["note"][0]
    >>> names, back.shape, list(back.columns)
    (['m.parquet', 'tables.xlsx'], (360000, 3), ['row', 'column', 'value'])
    >>> note[:50]
    'm has 600 x 600 = 360,000 cells, more than 200,000'
    """
    unknown = set(formats) - {"csv", "parquet"}
    if unknown:
        raise ConfigError(f"formats: unknown table format(s) {sorted(unknown)}; use csv, parquet")
    if labels is not None and "columns" in tables:
        raise ConfigError("a table named 'columns' would overwrite the data dictionary")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # what goes where, before anything is written: the workbook can then be made elsewhere
    # (``jobs``) while the CSV and Parquet files are written here
    plans = [_plan_table(name, df, formats) for name, df in tables.items()]
    sheets: dict[str, pd.DataFrame] = {}  # the table, or the note standing in for it
    dictionary_parts: list[pd.DataFrame] = []
    for name, df, has_index, large, matrix, files in plans:
        kept_out = large or (matrix and bool(files))
        if workbook:
            sheets[name] = _note_sheet(name, df, has_index, files) if kept_out else df
        if labels is not None:
            part = (
                _long_dictionary(name, df, labels)
                if large and matrix
                else labels.dictionary({name: df})
            )
            written = _written_as(df, large, files, bool(workbook) and not kept_out)
            dictionary_parts.append(part.assign(written_as=written))
    dictionary = None
    if labels is not None:
        dictionary = pd.concat(dictionary_parts, ignore_index=True) if dictionary_parts else (
            labels.dictionary({}).assign(written_as="")
        )  # fmt: skip
        sheets = {"columns": dictionary.set_index("table"), **sheets}
    key = f"workbook {out / workbook}" if workbook else ""
    if workbook and jobs is not None:
        jobs.submit(key, workbook_bytes, sheets, encode=bytes)
    paths: list[Path] = []
    table_paths: list[Path] = []
    for _, df, has_index, large, matrix, files in plans:
        for file in files:
            path = out / file
            if large and matrix:
                _write_long_matrix(df, path)
            elif file.endswith(".csv"):
                df.to_csv(path, index=has_index)
            else:
                _for_parquet(df).to_parquet(path, index=has_index)
            table_paths.append(path)
    if dictionary is not None:
        dictionary.to_csv(out / "columns.csv", index=False)
        paths.append(out / "columns.csv")
    paths += table_paths
    if workbook:
        path = out / workbook
        path.write_bytes(workbook_bytes(sheets) if jobs is None else jobs.result(key).files[""])
        paths.append(path)
    return paths


def _plan_table(name: str, df: pd.DataFrame, formats: Sequence[str]) -> tuple:
    """(name, df, has_index, large, matrix, files) of one table of :func:`write_tables`."""
    has_index = any(n is not None for n in df.index.names)
    large = _cells(df, has_index) > LARGE_TABLE_CELLS or not _fits_sheet(df, has_index)
    if large:
        files = [f"{name}.parquet"]
    else:
        files = [f"{name}.{fmt}" for fmt in ("csv", "parquet") if fmt in formats]
    return name, df, has_index, large, _is_matrix(df), files


def workbook_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """The XLSX workbook of ``sheets`` (name -> table), written in one go with XlsxWriter
    (cells are data: no formulas, no links)."""
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    used: set[str] = set()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        header = writer.book.add_format({"bold": True})
        for name, df in sheets.items():
            sheet = _sheet_name(name, used)
            has_index = any(n is not None for n in df.index.names)
            if not _write_sheet(writer.book, sheet, df, has_index, header):
                df.to_excel(writer, sheet_name=sheet, index=has_index)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- progress


class StudyProgress:
    """A rich progress display over the named steps of a study (CLI side).

    Use as a context manager; the instance is the ``progress(step_name)``
    callback: each call marks the previous step done and starts ``step_name``,
    redrawing the bar at once, so the display is live while the study works.
    On a terminal each finished step also prints a ``done <step>`` line; when
    the console is not a terminal (output piped or redirected to a file) the
    display is quiet: no bar, no lines.

    Parameters
    ----------
    steps : the step names, in order (an unknown name is added on the fly).
    title : label of the overall bar.
    console : a ``rich.console.Console`` (default: stderr).
    disable : True for no display; None (default) decides by the console:
        live on a terminal, quiet otherwise.

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
        disable: bool | None = None,
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
        if self.disable is None:
            self.disable = not console.is_terminal
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
        if not self.disable:
            self._progress.refresh()  # draw the new step now, not at the next tick

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
