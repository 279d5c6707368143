"""Named sets of alliance-study options (``--preset NAME`` or ``preset:`` in the YAML).

A preset is a nested mapping of config values applied *under* the values a user gives:
explicit fields win. Each preset has a label that runs show wherever the preset is used.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CLOSEST_GRID",
    "PRESETS",
    "Preset",
    "apply_preset",
    "closest_search",
    "reading_table",
    "preset_label",
    "with_preset",
]

CLOSEST_GRID: dict[str, list[Any]] = {
    "distances.source": ["capitals", "cepii_distw"],
    "distances.exponent": [1.0, 1.15, 2.0],
    "distances.min_km": [None, 900.0],
    "labour_cost.exponent": [0.0, 1.0],
    "linkage.transform": ["none", "log_minmax", "rank", "row_normalised"],
    "allocation.stage1": ["quotient", "within_only", "cross_only"],
}
"""The options searched for ``zhou2024-closest`` (288 variants; no other knob enters)."""


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
    "zhou2024-closest": Preset(
        label="closest to the published numbers, not the paper's text",
        values={
            "distances": {"source": "cepii_distw", "exponent": 2.0, "min_km": 900.0},
            "labour_cost": {"exponent": 1.0},
            "linkage": {"transform": "rank"},
            "allocation": {"stage1": "cross_only"},
        },
        description="The variant of CLOSEST_GRID with the smallest closest_score against "
        "Table 2 (docs/reproduction.md): population-weighted CEPII distances floored at "
        "900 km, the rank of each link instead of its CRL in v(S), and a stage 1 that counts "
        "only the links between alliances. Not what the paper says it did.",
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


def closest_score(metrics: Mapping[str, float]) -> float:
    """Distance of a run to Table 2 (smaller = closer), from :func:`distance_to_published`.

    (1 - ARI) + |n_alliances - 15| / 15
    + (|min share - published min| + |max share - published max|) / published max
    """
    return (
        (1.0 - metrics["ari"])
        + abs(metrics["n_alliances"] - metrics["n_alliances_published"])
        / metrics["n_alliances_published"]
        + (
            abs(metrics["share_min"] - metrics["share_min_published"])
            + abs(metrics["share_max"] - metrics["share_max_published"])
        )
        / metrics["share_max_published"]
    )


def closest_search(grid: Mapping[str, list[Any]] | None = None, base: Any = None):
    """Score every variant of ``grid`` against Table 2 (the ``zhou2024-closest`` search).

    Each variant is evaluated with the exact array kernel of the Monte Carlo at zero noise
    (:func:`carbonshare.uncertainty.kernel.evaluate`, tested equal to ``run_alliances``), so
    the 288 variants take seconds. A variant whose allocation is undefined is kept with its
    error and an infinite score.

    Returns a DataFrame (one row per variant: the grid's fields, the metrics of
    :func:`carbonshare.cooperation.published.distance_to_published`, ``score`` from
    :func:`closest_score` and ``error``), closest first.
    """
    import itertools

    import numpy as np
    import pandas as pd

    from carbonshare.cooperation.published import distance_to_published, load_zhou2024_table2
    from carbonshare.studies.alliances import run_alliances
    from carbonshare.studies.alliances_config import AlliancesConfig
    from carbonshare.sweep.grid import set_field
    from carbonshare.uncertainty.kernel import build_context, evaluate
    from carbonshare.uncertainty.spec import UncertaintyConfig

    grid = dict(grid or CLOSEST_GRID)
    base = base or AlliancesConfig()
    base = set_field(set_field(base, "output.figures", False), "output.report", False)
    base = set_field(base, "uncertainty.samples", 0)  # the variants are scored without noise
    published = load_zhou2024_table2()
    sources = grid.get("distances.source", [base.distances.source])
    spec = UncertaintyConfig(
        relative_error={}, weights="fixed",
        choices={"distance_source": {s: 1 / len(sources) for s in sources}},
    )  # fmt: skip
    contexts = {}
    for floor in grid.get("distances.min_km", [base.distances.min_km]):
        result = run_alliances(set_field(base, "distances.min_km", floor))
        contexts[floor] = build_context(result, spec)
    rows = []
    for combo in itertools.product(*grid.values()):
        values = dict(zip(grid, combo, strict=True))
        ctx = contexts[values.get("distances.min_km", base.distances.min_km)]
        ctx.distance_exponent = values.get("distances.exponent", base.distances.exponent)
        ctx.labour_exponent = values.get("labour_cost.exponent", base.labour_cost.exponent)
        ctx.stage1 = values.get("allocation.stage1", base.allocation.stage1)
        ctx.choices = []
        ctx.fixed = dict(ctx.fixed) | {
            "distance_source": values.get("distances.source", base.distances.source),
            "linkage_transform": values.get("linkage.transform", base.linkage.transform),
        }
        row = dict(values)
        try:
            with np.errstate(all="raise"):
                shares, ids, _ = evaluate(ctx, np.full(ctx.dim, 0.5))
            members = pd.Series(ids, index=ctx.iso3)
            metrics = distance_to_published(
                members, pd.Series(shares).groupby(ids).sum(), published
            )
            row |= metrics | {"score": closest_score(metrics), "error": ""}
        except (ArithmeticError, ValueError) as exc:
            row |= {"score": np.inf, "error": f"{type(exc).__name__}: {exc}"}
        rows.append(row)
    return pd.DataFrame(rows).sort_values("score", kind="stable").reset_index(drop=True)


READINGS: dict[str, dict[str, Any]] = {
    "literal (zhou2024)": {"preset": "zhou2024"},
    "cepii_distw": {"distances": {"source": "cepii_distw"}},
    "zhou2024-closest": {"preset": "zhou2024-closest"},
}
"""The three readings compared with Table 2 in the report and docs/reproduction.md."""


#: The options a reading may change and still be computed from the run's own indicator
#: matrix, weights and scores with the exact array kernel (carbonshare.uncertainty.kernel).
KERNEL_FIELDS = {
    "distances": ("source", "exponent", "min_km"),
    "labour_cost": ("exponent",),
    "linkage": ("transform",),
    "allocation": ("stage1",),
}


def _study_dump(cfg: Any, drop_kernel_fields: bool = False) -> dict[str, Any]:
    """The config as a dict without what does not change the allocation (output, uncertainty,
    preset name), and without :data:`KERNEL_FIELDS` if asked."""
    data = cfg.model_dump(mode="json", exclude={"output", "uncertainty", "preset"})
    if drop_kernel_fields:
        for section, names in KERNEL_FIELDS.items():
            for name in names:
                data[section].pop(name, None)
    return data


def _on_bundled_data(result: Any) -> bool:
    from carbonshare import data as bundled

    if any(src.get("kind") == "user panel" for src in result.manifest.sources):
        return False
    return result.countries.equals(bundled.load_countries())


def _kernel_reading(result: Any, cfg: Any):
    """Members, alliance shares (%) and linkage in v(S) of ``cfg`` computed from ``result``.

    ``cfg`` differs from ``result.config`` only in :data:`KERNEL_FIELDS`, so the indicator
    matrix, weights, ACI and scores are the run's; distances, CRL, alliances and the two-stage
    shares are recomputed by :func:`carbonshare.uncertainty.kernel.evaluate_with_linkage` at
    zero noise (tested equal to ``run_alliances``).
    """
    import numpy as np
    import pandas as pd

    from carbonshare.studies.alliances import _distances, _floor_distances
    from carbonshare.studies.common import Manifest
    from carbonshare.uncertainty.kernel import build_context, evaluate_with_linkage
    from carbonshare.uncertainty.spec import UncertaintyConfig

    exact = UncertaintyConfig(samples=0, relative_error={}, weights="fixed", choices={})
    ctx = build_context(result, exact, countries=result.countries)
    base = result.config.distances
    if (cfg.distances.source, cfg.distances.min_km) != (base.source, base.min_km):
        scratch = Manifest("reading", cfg)  # the run's manifest keeps only its own repairs
        D = _floor_distances(
            _distances(result.countries.loc[ctx.iso3], cfg, scratch), cfg.distances.min_km,
            scratch,
        )  # fmt: skip
        d = D.loc[ctx.iso3, ctx.iso3].to_numpy(dtype=float, copy=True)
        np.fill_diagonal(d, 1.0)
        ctx.distances = {cfg.distances.source: d}
    ctx.fixed = ctx.fixed | {
        "distance_source": cfg.distances.source, "linkage_transform": cfg.linkage.transform,
    }  # fmt: skip
    ctx.distance_exponent = cfg.distances.exponent
    ctx.labour_exponent = cfg.labour_cost.exponent
    ctx.stage1 = cfg.allocation.stage1
    shares, ids, link, _ = evaluate_with_linkage(ctx, np.full(ctx.dim, 0.5))
    members = pd.Series(ids, index=pd.Index(ctx.iso3, name="iso3"), name="alliance")
    linkage = pd.DataFrame(link, index=ctx.iso3, columns=ctx.iso3)
    return members, pd.Series(shares).groupby(ids).sum(), linkage


def reading_table(
    base: Any = None,
    readings: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    result: Any = None,
):
    """Distance to Table 2 of each reading (a row each; ``error`` says why one could not run).

    Columns: ``ari``, ``n_common``, ``n_alliances`` (published: 15), ``share_min`` /
    ``share_max`` (range of alliance shares, %), ``top_pair_share`` (linkage concentration).

    ``result``: a finished run on the bundled data. A reading with the run's config is the
    run itself; a reading that differs from it only in :data:`KERNEL_FIELDS` is computed from
    the run's indicator matrix and weights (:func:`_kernel_reading`, the same numbers as a
    run of its own, tested); any other reading is run in full.
    """
    import pandas as pd

    from carbonshare.cooperation.diagnostics import linkage_concentration
    from carbonshare.cooperation.published import distance_to_published, load_zhou2024_table2
    from carbonshare.errors import CarbonshareError, ConfigError
    from carbonshare.studies.alliances import run_alliances
    from carbonshare.studies.alliances_config import AlliancesConfig
    from carbonshare.studies.common import validate_config

    published = load_zhou2024_table2()
    data = (base or AlliancesConfig()).model_dump(mode="python", exclude_unset=True)
    data = _merge(data, {"output": {"figures": False, "report": False}})
    data = _merge(data, {"uncertainty": {"samples": 0}})
    if result is not None and not _on_bundled_data(result):
        result = None
    rows = {}
    for label, values in (readings or READINGS).items():
        try:
            cfg = validate_config(AlliancesConfig, _merge(data, values), source=label)
            found = None
            if result is not None and _study_dump(cfg) == _study_dump(result.config):
                found = (result.members, result.alliance_table["share_pct"],
                         result.diagnostics.concentration.top_share)  # fmt: skip
            elif result is not None and _study_dump(cfg, True) == _study_dump(result.config, True):
                try:
                    members, shares, linkage = _kernel_reading(result, cfg)
                    found = (members, shares, linkage_concentration(linkage).top_share)
                except ConfigError:  # options the kernel does not cover: run in full below
                    found = None
            if found is None:
                r = run_alliances(cfg)
                found = (r.members, r.alliance_table["share_pct"],
                         r.diagnostics.concentration.top_share)  # fmt: skip
            members, shares, top_share = found
            m = distance_to_published(members, shares, published)
            rows[label] = m | {"top_pair_share": top_share, "error": ""}
        except CarbonshareError as exc:
            rows[label] = {"error": str(exc)}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "reading"
    return out
