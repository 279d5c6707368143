"""Config variants for sweeps: dotted field paths, their values, and their cartesian product."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from carbonshare.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def set_field(config: M, path: str, value: Any) -> M:
    """Return a validated copy of ``config`` with the dotted field ``path`` set to ``value``.

    Raises
    ------
    ConfigError  naming the path if a part of it is not a field, or the value is invalid.

    Examples
    --------
    >>> from carbonshare.studies.alliances_config import AlliancesConfig
    >>> set_field(AlliancesConfig(), "weights.method", "critic").weights.method
    'critic'
    """
    from carbonshare.studies.common import validate_config

    data = config.model_dump(mode="python")
    node = data
    parts = path.split(".")
    for depth, part in enumerate(parts):
        if not isinstance(node, dict) or part not in node:
            known = ", ".join(sorted(node)) if isinstance(node, dict) else "(none: not a section)"
            where = ".".join(parts[:depth]) or "the config"
            raise ConfigError(f"{path}: {part!r} is not a field of {where}; fields there: {known}")
        if depth == len(parts) - 1:
            node[part] = value
        else:
            node = node[part]
    return validate_config(type(config), data, source=f"(sweep: {path}={value!r})")


def parse_vary(option: str) -> tuple[str, list[Any]]:
    """Parse a CLI ``--vary`` option ``path=v1,v2,...``; values are read as YAML.

    The values are the items of a YAML flow sequence, so a list value is
    written in brackets and counts as one value.

    Examples
    --------
    >>> parse_vary("distances.min_km=null,50,100")
    ('distances.min_km', [None, 50, 100])
    >>> parse_vary("countries.only=[USA,CAN,MEX],[FRA,DEU]")
    ('countries.only', [['USA', 'CAN', 'MEX'], ['FRA', 'DEU']])
    """
    import yaml

    path, sep, values = option.partition("=")
    if not sep or not path.strip() or not values.strip():
        raise ConfigError(
            f"--vary {option!r} must look like FIELD=VALUE1,VALUE2 "
            "(e.g. weights.method=entropy,pca,critic)"
        )
    try:
        parsed = yaml.safe_load(f"[{values}]")
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ConfigError(
            f"--vary {option!r}: the values cannot be read ({problem}); separate values with "
            "commas and write a list value in brackets, e.g. countries.only=[USA,CAN,MEX]"
        ) from None
    if any(v is None for v in parsed) and "null" not in values.lower() and "~" not in values:
        raise ConfigError(f"--vary {option!r}: an empty value between commas; remove it")
    return path.strip(), parsed


def variant_grid(
    vary: Mapping[str, Sequence[Any]], base: M | None = None
) -> list[tuple[str, M | None]]:
    """The cartesian product of the varied fields, as ``(label, config)`` pairs.

    With ``base`` given each config is validated now (so a bad value fails before any
    work starts); without it the configs are ``None`` and only the labels are built.
    """
    if not vary:
        raise ConfigError("a sweep needs at least one varied field (--vary FIELD=V1,V2)")
    for path, values in vary.items():
        if len(values) == 0:
            raise ConfigError(f"{path}: give at least one value to sweep over")
    paths = list(vary)
    out: list[tuple[str, M | None]] = []
    for combo in itertools.product(*(vary[p] for p in paths)):
        label = ", ".join(f"{p}={_show(v)}" for p, v in zip(paths, combo, strict=True))
        config = base
        if base is not None:
            for p, v in zip(paths, combo, strict=True):
                config = set_field(config, p, v)
        out.append((label, config))
    return out


def _show(value: Any) -> str:
    return "null" if value is None else str(value)
