"""The blue-carbon study's own chart types: trend lines, scatter, model diagnostics, q-curve.

Maps, box plots and bars come from :mod:`carbonshare.report.figures`; these
four draw in the same style (its rc settings and constrained layout) and,
like it, take labelled pandas objects and return a matplotlib Figure.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from carbonshare.report import style
from carbonshare.report.figures import _figure, _rc

__all__ = ["diagnostics", "q_curve", "scatter", "trend_lines"]


def trend_lines(
    history: pd.DataFrame,
    forecast: pd.DataFrame | None = None,
    *,
    title: str = "",
    ylabel: str = "",
) -> Any:
    """One line per column over the years of ``history`` (solid) and ``forecast`` (dashed).

    Parameters
    ----------
    history : year x series.
    forecast : year x series (same columns), drawn dashed from the last history year.
    """
    cols = list(history.columns)
    colors = style.category_colors(cols)
    with _rc():
        fig = _figure(8.0, 4.2)
        ax = fig.add_subplot()
        for c in cols:
            ax.plot(history.index, history[c], color=colors[c], lw=2, label=str(c))
            if forecast is not None and c in forecast:
                f = pd.concat([history[c].iloc[-1:], forecast[c]])
                ax.plot(f.index, f.to_numpy(), color=colors[c], lw=1.6, ls="--")
        if forecast is not None:
            ax.axvline(history.index[-1], color="#888888", lw=0.8, ls=":")
            ax.text(history.index[-1] + 0.3, ax.get_ylim()[1], "forecast (Holt, BAU)",
                    va="top", fontsize=8, color="#555555")  # fmt: skip
        ax.set_xlabel("year")
        ax.set_ylabel(ylabel)
        ax.legend(loc="upper left")
        if title:
            ax.set_title(title)
    return fig


def scatter(
    x: pd.Series,
    y: pd.Series,
    *,
    groups: pd.Series | None = None,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    label_top: int = 6,
    fit_line: bool = True,
) -> Any:
    """Scatter of y on x (coloured by group), a least-squares line and the largest points named."""
    d = pd.concat({"x": x, "y": y}, axis=1, join="inner").dropna()
    with _rc():
        fig = _figure(7.5, 5.0)
        ax = fig.add_subplot()
        if groups is not None:
            g = groups.reindex(d.index).fillna("other")
            order = style.category_order(g.unique())
            colors = style.category_colors(order)
            for k in order:
                m = g == k
                ax.scatter(d.loc[m, "x"], d.loc[m, "y"], s=22, color=colors[k], label=str(k),
                           alpha=0.85, edgecolor="white", linewidth=0.4)  # fmt: skip
            fig.legend(loc="outside right upper")
        else:
            ax.scatter(d["x"], d["y"], s=22, color=style.category_colors(["a"])["a"])
        if fit_line and len(d) > 2:
            b1, b0 = np.polyfit(d["x"], d["y"], 1)
            xs = np.linspace(d["x"].min(), d["x"].max(), 50)
            ax.plot(xs, b0 + b1 * xs, color="#333333", lw=1, ls="--", label="least squares")
        for iso3 in (d["x"] + d["y"]).nlargest(label_top).index:
            ax.annotate(str(iso3), (d.at[iso3, "x"], d.at[iso3, "y"]), fontsize=7,
                        xytext=(3, 3), textcoords="offset points")  # fmt: skip
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if title:
            ax.set_title(title)
    return fig


def diagnostics(observed: pd.Series, fitted: pd.Series, *, title: str = "") -> Any:
    """Observed vs fitted, residuals vs fitted and a normal QQ plot of the residuals."""
    from scipy import stats

    resid = observed - fitted
    color = style.category_colors(["a"])["a"]
    with _rc():
        fig = _figure(11.0, 3.8)
        a1, a2, a3 = fig.subplots(1, 3)
        a1.scatter(fitted, observed, s=8, color=color, alpha=0.6)
        lo = float(min(fitted.min(), observed.min()))
        hi = float(max(fitted.max(), observed.max()))
        a1.plot([lo, hi], [lo, hi], color="#333333", lw=1, ls="--")
        a1.set(xlabel="fitted rate", ylabel="observed rate", title="Observed vs fitted")
        a2.scatter(fitted, resid, s=8, color=color, alpha=0.6)
        a2.axhline(0, color="#333333", lw=1, ls="--")
        a2.set(xlabel="fitted rate", ylabel="residual", title="Residuals vs fitted")
        (osm, osr), (slope, intercept, _) = stats.probplot(resid.to_numpy(), dist="norm")
        a3.scatter(osm, osr, s=8, color=color, alpha=0.6)
        a3.plot(osm, intercept + slope * np.asarray(osm), color="#333333", lw=1, ls="--")
        a3.set(xlabel="normal quantile", ylabel="ordered residual", title="Normal QQ plot")
        if title:
            fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    return fig


def q_curve(curve: pd.DataFrame, *, chosen: dict[str, float], title: str = "",
            scale: float = 1e-6, unit: str = "million US$ per year") -> Any:  # fmt: skip
    """Benefit, cost and net value over the intensity grid; local optima and scenarios marked."""
    cols = ["benefit_usd", "cost_usd", "net_usd"]
    labels = {"benefit_usd": "benefit", "cost_usd": "cost", "net_usd": "net (benefit - cost)"}
    colors = style.category_colors([labels[c] for c in cols])
    with _rc():
        fig = _figure(8.0, 4.2)
        ax = fig.add_subplot()
        for c in cols:
            ax.plot(curve.index, curve[c] * scale, color=colors[labels[c]], lw=2, label=labels[c])
        opt = curve[curve["local_optimum"].astype(bool)]
        ax.scatter(opt.index, opt["net_usd"] * scale, s=40, color="black", zorder=3,
                   label="local optimum of net value")  # fmt: skip
        for name, q in chosen.items():
            ax.axvline(q, color="#888888", lw=0.8, ls=":")
            ax.text(q, ax.get_ylim()[1], f" {name}", va="top", fontsize=8)
        ax.axhline(0, color="#444444", lw=0.6)
        ax.set(xlabel="cooperation intensity q", ylabel=unit)
        ax.legend(loc="best")
        if title:
            ax.set_title(title)
    return fig
