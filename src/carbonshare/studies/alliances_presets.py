"""Named sets of alliance-study options (``--preset NAME`` or ``preset:`` in the YAML).

A preset is a nested mapping of config values applied *under* the values a user gives:
explicit fields win. Each preset has a label that runs show wherever the preset is used.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PRESETS", "Preset", "apply_preset", "preset_label", "with_preset"]


@dataclass(frozen=True)
class Preset:
    """A named set of config values and the label shown with every result that uses it."""

    label: str
    values: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""


PRESETS: dict[str, Preset] = {
    "zhou2024": Preset(
        label="the paper's text (literal reading of Zhou et al. 2024)",
        description="Capital distances squared, labour cost to the power 1, the raw linkage "
        "in v(S) and the quotient game in stage 1: Eq. 8-13 as written. The defaults.",
    ),
}


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def apply_preset(data: Any) -> Any:
    """Config data with the named preset's values filled in under the explicit ones.

    Examples
    --------
    >>> apply_preset({"preset": "zhou2024", "weights": {"method": "pca"}})["weights"]
    {'method': 'pca'}
    >>> apply_preset({"preset": "nope"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: preset 'nope' is unknown; use one of zhou2024...
    """
    if not isinstance(data, Mapping) or data.get("preset") is None:
        return data
    name = data["preset"]
    if name not in PRESETS:
        raise ValueError(f"preset {name!r} is unknown; use one of {', '.join(PRESETS)}")
    return _merge(PRESETS[name].values, data)


def preset_label(name: str | None) -> str | None:
    """The label to show for a preset (None for no preset)."""
    return None if name is None else PRESETS[name].label


def with_preset(config: Any, name: str) -> Any:
    """A validated copy of ``config`` with preset ``name`` under its explicitly set fields.

    Raises ConfigError naming the preset if it is unknown.
    """
    from carbonshare.errors import ConfigError
    from carbonshare.studies.common import validate_config

    if name not in PRESETS:
        raise ConfigError(f"--preset {name!r} is unknown; use one of {', '.join(PRESETS)}")
    data = config.model_dump(mode="python", exclude_unset=True)
    data["preset"] = name
    return validate_config(type(config), data, source=f"(preset {name})")
