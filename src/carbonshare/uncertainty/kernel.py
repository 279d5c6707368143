"""One Monte Carlo sample of the alliance allocation, from a vector of uniforms.

Every random input of a sample is a coordinate of u in [0, 1]^D (layout in
:class:`Context`): standard-normal noise z = Phi^-1(u) per country and indicator and per
country for the labour cost, Dirichlet weights by the gamma quantile function (or bootstrap
indices floor(u n)), and each discrete choice by inverting its cumulative probabilities. A
Monte Carlo sample k draws u from ``numpy.random.default_rng([seed, k])``, so it is
reproducible from the run seed and its index alone; a Saltelli design (SALib) supplies u
directly, so the Sobol indices use the same function.

The sample runs the study's steps on arrays (the closed forms of the library): normalise
(Eq. 2 or percentile-bounded), entropy weights (Eq. 3-7), scores, CRL (Eq. 8), strongest
partners and weak components, and the two-stage shares
(:func:`carbonshare.cooperation.linkage.two_stage_values`). With every noise at 0 and the
study's choices it reproduces ``run_alliances`` (tested).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from carbonshare.cooperation.alliances import successor_components
from carbonshare.errors import ConfigError

__all__ = ["Context", "build_context", "choices_of", "evaluate", "evaluate_with_linkage", "gini"]


@dataclass
class Context:
    """The fixed inputs of every sample (picklable; built once per run).

    u layout: ``[n*m data noise, column-major by indicator][n labour noise][weights: m
    (dirichlet) or n (bootstrap)][one per choice]``.
    """

    iso3: list[str]
    codes: list[str]
    X: np.ndarray
    signs: np.ndarray
    dims: np.ndarray
    labour: dict[str, np.ndarray]
    distances: dict[str, np.ndarray]
    distance_exponent: float
    labour_exponent: float
    stage1: str
    bounds: tuple[float, float]
    sigma: np.ndarray
    sigma_labour: float
    weights: str
    concentration: float
    choices: list[tuple[str, list[str], np.ndarray]]
    fixed: dict[str, str] = field(default_factory=dict)

    def powered_distances(self, source: str) -> np.ndarray:
        """D^a of a source (a = distance_exponent), computed once per run and process."""
        key = (source, self.distance_exponent)
        cache = self.__dict__.setdefault("_powered", {})
        if key not in cache:
            cache[key] = self.distances[source] ** self.distance_exponent
        return cache[key]

    @property
    def n(self) -> int:
        return len(self.iso3)

    @property
    def dim(self) -> int:
        n, m = self.X.shape
        w = {"dirichlet": m, "bootstrap": n, "fixed": 0}[self.weights]
        return n * m + n + w + len(self.choices)

    @property
    def n_uniforms(self) -> int:
        """Length of u (the :class:`~carbonshare.uncertainty.run.SampleModel` name of ``dim``)."""
        return self.dim

    def groups(self) -> tuple[list[str], list[int]]:
        """Names of the uncertain inputs and, per coordinate of u, its input (-1: inactive)."""
        n, m = self.X.shape
        names: list[str] = []
        where = np.full(self.dim, -1)
        for j, code in enumerate(self.codes):
            if self.sigma[j] > 0:
                where[j * n : (j + 1) * n] = len(names)
                names.append(f"data: {code}")
        if self.sigma_labour > 0:
            where[n * m : n * m + n] = len(names)
            names.append("data: labour cost")
        start = n * m + n
        width = self.dim - start - len(self.choices)
        if width:
            where[start : start + width] = len(names)
            names.append(f"weights ({self.weights})")
        for k, (name, options, _) in enumerate(self.choices):
            if len(options) > 1:
                where[start + width + k] = len(names)
                names.append(f"choice: {name}")
        return names, where.tolist()


def gini(x: np.ndarray) -> float:
    """Gini index of non-negative values: sum_i (2i - n - 1) x_(i) / (n sum x), i = 1..n.

    >>> gini(np.array([1.0, 1.0, 1.0])), round(gini(np.array([0.0, 0.0, 1.0])), 4)
    (0.0, 0.6667)
    """
    s = np.sort(np.asarray(x, dtype=float))
    n = len(s)
    return float(((2 * np.arange(1, n + 1) - n - 1) * s).sum() / (n * s.sum()))


def _normalise(x: np.ndarray, signs: np.ndarray, method: str, bounds) -> np.ndarray:
    if method == "minmax":
        lo, hi = x.min(axis=0), x.max(axis=0)
        v = (x - lo) / (hi - lo)
        return np.where(signs > 0, v, 1.0 - v)
    lo = np.percentile(x, bounds[0], axis=0)
    hi = np.percentile(x, bounds[1], axis=0)
    v = np.clip((x - lo) / (hi - lo) * 100.0, 0.0, 100.0)
    return np.where(signs > 0, v, 100.0 - v)


def _entropy(v: np.ndarray) -> np.ndarray:
    p = v / v.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    g = 1.0 + plogp.sum(axis=0) / np.log(v.shape[0])
    return g / g.sum()


def _pick(options: list[str], probs: np.ndarray, u: float) -> str:
    k = int(np.searchsorted(np.cumsum(probs), u, side="right"))
    return options[min(k, len(options) - 1)]


def choices_of(ctx: Context, u: np.ndarray) -> dict[str, str]:
    """The discrete choices of a sample (the last coordinates of u)."""
    chosen = dict(ctx.fixed)
    first = ctx.dim - len(ctx.choices)
    for k, (name, options, probs) in enumerate(ctx.choices):
        chosen[name] = _pick(options, probs, u[first + k])
    return chosen


def evaluate(ctx: Context, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[str, str]]:
    """Shares (% of global emission rights, by country), alliance ids and choices of a sample.

    Raises whatever the steps raise on degenerate draws (the runner retries once and then
    records the error).
    """
    shares, ids, _, chosen = evaluate_with_linkage(ctx, u)
    return shares, ids, chosen


def evaluate_with_linkage(
    ctx: Context, u: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, str]]:
    """:func:`evaluate` that also returns the linkage inside v(S) (CRL after the sample's
    ``linkage_transform``, zero diagonal): shares, alliance ids, linkage, choices."""
    from scipy.special import gammaincinv, ndtri

    from carbonshare.cooperation.linkage import _transform_array, two_stage_values

    n, m = ctx.X.shape
    start = n * m + n
    chosen = choices_of(ctx, u)

    z = ndtri(np.clip(u[: n * m], 1e-12, 1 - 1e-12)).reshape(m, n).T
    x = ctx.X * np.exp(ctx.sigma * z)
    zl = ndtri(np.clip(u[n * m : start], 1e-12, 1 - 1e-12))
    lab = ctx.labour[chosen["labour_proxy"]] * np.exp(ctx.sigma_labour * zl)
    v = _normalise(x, ctx.signs, chosen["normalisation"], ctx.bounds)
    w = _entropy(v)
    if ctx.weights == "dirichlet":
        # gamma quantile function: Gamma(k, 1).ppf(q) = P^-1(k, q)
        g = gammaincinv(ctx.concentration * w, np.clip(u[start : start + m], 1e-12, 1 - 1e-12))
        w = g / g.sum()
    elif ctx.weights == "bootstrap":
        idx = np.minimum((u[start : start + n] * n).astype(int), n - 1)
        w = _entropy(v[idx])
    contrib = v * w
    scores = contrib @ ctx.dims.T  # (n, 3): Sc, Ec, Ev
    aci = contrib.sum(axis=1)
    r = np.cbrt(scores.prod(axis=1)) / lab**ctx.labour_exponent
    crl = np.outer(r, r) / ctx.powered_distances(chosen["distance_source"])
    np.fill_diagonal(crl, 0.0)
    masked = crl.copy()
    np.fill_diagonal(masked, -np.inf)
    ids = successor_components(masked.argmax(axis=1))  # weak components, strongest partners
    link = _transform_array(crl, chosen["linkage_transform"])
    x_alloc = two_stage_values(aci, link, ids, ctx.stage1)
    return 100.0 * x_alloc / x_alloc.sum(), ids, link, chosen


def build_context(result, config=None, panel=None, countries=None) -> Context:
    """The fixed inputs of the Monte Carlo, from a finished study run and the spec.

    Parameters
    ----------
    result : :class:`carbonshare.studies.alliances.AllianceResult` of the base run.
    config : :class:`~carbonshare.uncertainty.spec.UncertaintyConfig` (default: the study
        config's ``uncertainty`` section).
    panel, countries : the data the base run used (default: bundled).

    Raises
    ------
    ConfigError  if the study uses options the kernel does not cover (alliance method other
        than weak-components, weights other than entropy, an only-Shapley/Owen headline) or a
        choice's option does not cover every study country.
    """
    from carbonshare import data as bundled
    from carbonshare import geo
    from carbonshare.studies.alliances import _distances, _floor_distances
    from carbonshare.studies.common import Manifest

    cfg = result.config
    spec = config if config is not None else cfg.uncertainty
    if cfg.alliances.method != "weak-components":
        raise ConfigError(
            f"uncertainty covers alliances.method: weak-components, not {cfg.alliances.method!r}"
        )
    if cfg.weights.method != "entropy":
        raise ConfigError(f"uncertainty covers weights.method: entropy, not {cfg.weights.method!r}")
    if cfg.allocation.methods[0] != "two_stage":
        raise ConfigError("uncertainty covers the two_stage headline share (allocation.methods)")
    unknown = sorted(set(spec.relative_error) - set(cfg.indicators) - {"labour_cost"})
    if unknown:
        raise ConfigError(
            f"uncertainty.relative_error names {unknown}, which are not indicator codes "
            f"({', '.join(cfg.indicators)}) or labour_cost"
        )
    iso3 = list(result.crl.index)
    codes = list(result.grid.index)
    X = result.matrix.values.loc[iso3, codes].to_numpy(dtype=float)
    signs = np.array([1.0 if cfg.indicators[c].direction == "positive" else -1.0 for c in codes])
    dims = np.array([(result.grid["dimension"] == d).to_numpy() for d in ("Sc", "Ec", "Ev")])
    fixed = {
        "distance_source": cfg.distances.source,
        "labour_proxy": cfg.labour_cost.proxy,
        "normalisation": cfg.normalisation.method,
        "linkage_transform": cfg.linkage.transform,
    }
    choices = []
    for name in fixed:
        if name in spec.choices:
            opts = spec.choices[name]
            choices.append((name, list(opts), np.array(list(opts.values()), dtype=float)))
    wanted = {name: [fixed[name]] for name in fixed}
    for name, options, _ in choices:
        wanted[name] = list(dict.fromkeys([fixed[name], *options]))

    user_panel = any(src.get("kind") == "user panel" for src in result.manifest.sources)
    if panel is None and user_panel and len(wanted["labour_proxy"]) > 1:
        raise ConfigError(
            "the base run used a user panel; pass it (panel=...) so that the other labour-cost "
            "proxies of uncertainty.choices come from the same data, or drop labour_proxy from "
            "uncertainty.choices"
        )
    panel = bundled.load_panel() if panel is None else panel
    countries = bundled.load_countries() if countries is None else countries
    first, last = tuple(getattr(cfg.years, cfg.labour_cost.window))
    labour = {}
    for proxy in wanted["labour_proxy"]:
        if proxy == cfg.labour_cost.proxy:
            lab = result.matrix.labour_cost.reindex(iso3)
        else:
            lab = geo.labour_cost(panel, proxy, (first, last), missing="keep").reindex(iso3)
        missing = lab.index[~(lab > 0)]
        if len(missing):
            raise ConfigError(
                f"labour proxy {proxy!r} has no value for {', '.join(missing[:5])} of the study "
                "countries; leave it out of uncertainty.choices.labour_proxy"
            )
        labour[proxy] = lab.to_numpy(dtype=float)
    distances = {}
    for source in wanted["distance_source"]:
        if source == cfg.distances.source:
            D = result.distances
        else:
            alt = cfg.model_copy(
                update={"distances": cfg.distances.model_copy(update={"source": source})}
            )
            D = _distances(countries.loc[iso3], alt)
            D = _floor_distances(D, cfg.distances.min_km, Manifest("uncertainty", cfg))
        d = D.loc[iso3, iso3].to_numpy(dtype=float, copy=True)
        np.fill_diagonal(d, 1.0)
        distances[source] = d
    for name, valid in (("normalisation", ("minmax", "percentile")),
                        ("linkage_transform", ("none", "log_minmax", "rank", "row_normalised"))):  # fmt: skip
        bad = [o for o in wanted[name] if o not in valid]
        if bad:
            raise ConfigError(f"uncertainty.choices.{name}: {bad} unknown; use {valid}")
    err = spec.relative_error
    return Context(
        iso3=iso3,
        codes=codes,
        X=X,
        signs=signs,
        dims=dims.astype(float),
        labour=labour,
        distances=distances,
        distance_exponent=cfg.distances.exponent,
        labour_exponent=cfg.labour_cost.exponent,
        stage1=cfg.allocation.stage1,
        bounds=tuple(cfg.normalisation.bounds),
        sigma=np.array([err.get(c, 0.0) for c in codes]),
        sigma_labour=err.get("labour_cost", 0.0),
        weights=spec.weights,
        concentration=spec.concentration,
        choices=choices,
        fixed=fixed,
    )


def shares_frame(ctx: Context, shares: np.ndarray) -> pd.Series:
    """Label a share vector by ISO3."""
    return pd.Series(shares, index=pd.Index(ctx.iso3, name="iso3"))
