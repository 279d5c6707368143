"""Figures of the uncertainty of an allocation: share intervals, co-membership, Sobol indices.

Static matplotlib figures in the house style of :mod:`carbonshare.report.figures`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from carbonshare.report.figures import EXACT_LAYOUT, RC, _figure, _rc

__all__ = ["comembership_heatmap", "interval_plot", "sensitivity_heatmap"]


def interval_plot(intervals: pd.DataFrame, names: pd.Series, *, top: int = 30, title: str = ""):
    """Median share and 5-95 % interval of the ``top`` countries, with the run's own share.

    ``intervals`` as :attr:`UncertaintySummary.intervals` (median_pct, p5_pct, p95_pct,
    base_pct), largest first.
    """
    d = intervals.head(top).iloc[::-1]
    labels = [f"{names.get(i, i)} ({i})" for i in d.index]
    with _rc():
        fig = _figure(8.0, 0.22 * len(d) + 1.2)
        ax = fig.add_subplot()
        y = np.arange(len(d))
        ax.hlines(y, d["p5_pct"], d["p95_pct"], color="#0072B2", lw=2.2, label="5-95 % interval")
        ax.plot(d["median_pct"], y, "o", color="#0072B2", ms=4, label="median")
        if "base_pct" in d:
            ax.plot(d["base_pct"], y, "|", color="#D55E00", ms=9, mew=1.6, label="this run")
        ax.set_yticks(y, labels)
        ax.set_xscale("log")
        ax.set_xlabel("share of global emission rights (%, logarithmic)")
        ax.set_title(title)
        ax.legend(loc="lower right")
        ax.grid(axis="y", visible=False)
    return fig


def comembership_heatmap(p: pd.DataFrame, *, title: str = "", max_labels: int = 200) -> Any:
    """P(same alliance) for every pair, rows and columns in clustered order (as given).

    The layout is computed here, not by matplotlib's constrained layout: with a label per row
    and column (342 for 171 countries) every layout pass measures every label again, which made
    this figure cost more than all the others of the report together. The margins follow from
    the longest label at its font size, so the square image, its labels and the colour bar
    fit the figure exactly (no tight bounding box needed either).
    """
    from matplotlib.figure import Figure

    n = len(p)
    labelled = n <= max_labels
    fs = 3.2 if n > 100 else 6
    side = 9.0 if n > 60 else 6.0  # inches of the square image
    longest = max((len(str(x)) for x in [*p.index, *p.columns]), default=0) if labelled else 0
    margin = (0.62 * fs * longest + 9.0) / 72.0 + 0.1  # labels, ticks and a pad, in inches
    top = 0.45 if title else 0.1
    bar = 1.25  # gap, colour bar, its ticks and label
    width, height = margin + side + bar, margin + side + top
    with _rc():
        fig = Figure(figsize=(width, height))
        ax = fig.add_axes((margin / width, margin / height, side / width, side / height))
        im = ax.imshow(
            p.to_numpy(), cmap="viridis", vmin=0, vmax=1, interpolation="nearest", aspect="auto"
        )
        if labelled:
            ax.set_xticks(range(n), p.columns, rotation=90, fontsize=fs)
            ax.set_yticks(range(n), p.index, fontsize=fs)
        ax.grid(False)
        if title:
            fig.text(
                margin / width, 1 - 0.12 / height, title, ha="left", va="top",
                fontsize=RC["axes.titlesize"], fontweight=RC["axes.titleweight"],
            )  # fmt: skip
        cax = fig.add_axes(
            ((margin + side + 0.3) / width, (margin + 0.2 * side) / height, 0.16 / width,
             0.6 * side / height)
        )  # fmt: skip
        cb = fig.colorbar(im, cax=cax)
        cb.set_label("probability of being in the same alliance")
    setattr(fig, EXACT_LAYOUT, True)
    return fig


def sensitivity_heatmap(
    sens: pd.DataFrame, *, index: str = "ST", title: str = "", rows: int = 31
) -> Any:
    """Total (or first-order) Sobol index of each input (columns) on the first ``rows`` outputs
    (rows, in the order of ``sens``)."""
    table = sens.pivot(index="output", columns="input", values=index)
    order = list(dict.fromkeys(sens["output"]))[:rows]
    table = table.loc[order, list(dict.fromkeys(sens["input"]))].clip(lower=0, upper=1)
    with _rc():
        fig = _figure(1.0 + 0.55 * table.shape[1], 1.4 + 0.2 * table.shape[0])
        ax = fig.add_subplot()
        im = ax.imshow(table.to_numpy(), cmap="magma_r", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(table.shape[1]), table.columns, rotation=45, ha="right")
        ax.set_yticks(range(table.shape[0]), table.index)
        for (r, c), v in np.ndenumerate(table.to_numpy()):
            if v >= 0.05:
                ax.text(c, r, f"{v:.2f}", ha="center", va="center", fontsize=5.5,
                        color="white" if v > 0.5 else "black")  # fmt: skip
        ax.grid(False)
        ax.set_title(title)
        cb = fig.colorbar(im, ax=ax, shrink=0.6)
        cb.set_label(f"Sobol index {index} (clipped to 0-1)")
    return fig
