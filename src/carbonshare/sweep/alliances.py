"""Sensitivity of the alliance allocation (docs/methods.md part A) to the study's choices.

Each variant is a full run of :func:`carbonshare.studies.alliances.run_alliances` without
figures or report; variants are independent, so they run in parallel on Dask (extra
``[dask]``) or one after another (``scheduler="serial"``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from carbonshare.errors import ConfigError
from carbonshare.sweep.grid import variant_grid

log = logging.getLogger(__name__)

SCHEDULERS = ("processes", "threads", "synchronous", "serial")


@dataclass
class SweepResult:
    """Shares of every variant and a one-row-per-variant summary.

    Attributes
    ----------
    shares : DataFrame, ISO3 x variant label, headline share in % of global emission
        rights (NaN where a variant's country selection leaves a country out).
    alliances : DataFrame, ISO3 x variant label, alliance id.
    summary : DataFrame indexed by variant: countries, alliances, Spearman rank
        correlation and largest absolute difference (percentage points) against the
        base (first) variant, and the largest share's country.
    """

    shares: pd.DataFrame
    alliances: pd.DataFrame
    summary: pd.DataFrame
    warnings: dict[str, list[str]] = field(default_factory=dict)
    """Each distinct warning of the runs -> the variants that raised it."""


def _one_variant(config: Any) -> tuple[pd.Series, pd.Series, list[str]]:
    from carbonshare.studies.alliances import run_alliances

    config = config.model_copy(
        update={
            "output": config.output.model_copy(update={"figures": False, "report": False}),
            # a variant's shares and alliances only: no Monte Carlo per variant
            "uncertainty": config.uncertainty.model_copy(update={"samples": 0}),
        }
    )
    # a variant's warnings come back in its manifest and are logged once by the caller, so
    # that runs in worker processes do not print each of them again over the status line
    package = logging.getLogger("carbonshare")
    level = package.level
    package.setLevel(logging.ERROR)
    try:
        result = run_alliances(config)
    finally:
        package.setLevel(level)
    head = f"share_{config.allocation.methods[0]}"
    cs = result.country_shares
    return cs[head], cs["alliance"], list(result.manifest.warnings)


def sweep_alliances(
    vary: Mapping[str, Sequence[Any]],
    base: Any | None = None,
    *,
    scheduler: str = "processes",
    progress: Callable[[str], None] | None = None,
) -> SweepResult:
    """Run the alliance study for every combination of the varied config fields.

    Parameters
    ----------
    vary : dotted config path -> values, e.g. ``{"weights.method": ["entropy", "pca"]}``;
        the cartesian product is run. The first combination is the base of comparison.
    base : the config the variants start from (default: the paper's, ``AlliancesConfig()``).
    scheduler : a Dask scheduler (``processes``, ``threads``, ``synchronous``; needs the
        ``[dask]`` extra) or ``serial`` (a plain loop, no Dask).
    progress : called with each variant's label as it is submitted (serial: as it starts).

    Returns
    -------
    SweepResult

    Raises
    ------
    ConfigError  for an unknown field path, an invalid value (before any run starts),
        an unknown scheduler, or a Dask scheduler without Dask installed.
    """
    from carbonshare.studies.alliances_config import AlliancesConfig

    if scheduler not in SCHEDULERS:
        raise ConfigError(f"scheduler {scheduler!r} is unknown; use one of {', '.join(SCHEDULERS)}")
    variants = variant_grid(vary, base or AlliancesConfig())
    labels = [label for label, _ in variants]
    notify = progress or (lambda _label: None)
    if scheduler == "serial":
        outputs = []
        for label, config in variants:
            notify(label)
            outputs.append(_one_variant(config))
    else:
        try:
            import dask
        except ImportError:
            raise ConfigError(
                f"scheduler {scheduler!r} needs Dask: pip install 'carbonshare[dask]', "
                "or use --scheduler serial"
            ) from None
        tasks = []
        for label, config in variants:
            notify(label)
            tasks.append(dask.delayed(_one_variant)(config))
        log.info("running %d variants on the dask %s scheduler", len(tasks), scheduler)
        outputs = list(dask.compute(*tasks, scheduler=scheduler))
    shares = pd.concat([s for s, _, _ in outputs], axis=1, keys=labels)
    alliances = pd.concat([a for _, a, _ in outputs], axis=1, keys=labels)
    shares.columns.name = alliances.columns.name = "variant"
    warned: dict[str, list[str]] = {}
    for label, (_, _, texts) in zip(labels, outputs, strict=True):
        for text in texts:
            warned.setdefault(text, []).append(label)
    for text, where in warned.items():
        every = len(where) == len(labels)
        log.warning("%s (%s)", text, "every variant" if every else "variants " + ", ".join(where))
    return SweepResult(shares, alliances, _summary(shares, alliances), warned)


def _summary(shares: pd.DataFrame, alliances: pd.DataFrame) -> pd.DataFrame:
    base = shares.iloc[:, 0]
    rows = {}
    for label in shares:
        s = shares[label]
        both = s.notna() & base.notna()
        rows[label] = {
            "countries": int(s.notna().sum()),
            "alliances": int(alliances[label].nunique()),
            "spearman_vs_base": float(s[both].corr(base[both], method="spearman")),
            "max_abs_diff_pp": float((s[both] - base[both]).abs().max()),
            "largest": str(s.idxmax()),
            "largest_share_pct": float(s.max()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "variant"
    return out
