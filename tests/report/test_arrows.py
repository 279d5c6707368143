"""ArrowCollection (the linkage map's arrows as one artist) against annotate's arrows."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from carbonshare.report import figures as F
from carbonshare.report.arrows import ArrowCollection

STYLE = {"arrowstyle": "-|>", "mutation_scale": 7, "shrinkA": 0, "shrinkB": 2}


def _random_arrows(seed: int, k: int = 60):
    rng = np.random.default_rng(seed)
    starts, ends = rng.uniform(0, 10, (k, 2)), rng.uniform(0, 10, (k, 2))
    colors = [tuple(c) for c in rng.uniform(0, 1, (k, 3))]
    return starts, ends, colors


def _png(fig, dpi: int) -> np.ndarray:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return np.asarray(Image.open(buf).convert("RGB")).astype(int)


def _axes():
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.set_xlim(-1, 11)
    ax.set_ylim(-1, 11)
    ax.set_aspect("equal")
    return fig, ax


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("dpi", [72, 200])
def test_same_pixels_as_one_annotation_per_arrow(seed, dpi):
    starts, ends, colors = _random_arrows(seed)
    old, ax = _axes()
    for a, b, c in zip(starts, ends, colors, strict=True):
        ax.annotate("", xy=b, xytext=a, arrowprops=dict(color=c, lw=0.9, alpha=0.9, **STYLE))
    new, ax = _axes()
    ax.add_collection(
        ArrowCollection(starts, ends, colors, linewidth=0.9, alpha=0.9, **STYLE), autolim=False
    )
    a, b = _png(old, dpi), _png(new, dpi)
    assert a.shape == b.shape
    diff = np.abs(a - b).max(axis=2)
    # the same paths, colours and stacking; anti-aliasing may round a few pixels by one level
    assert diff.max() <= 2 and (diff > 0).mean() < 1e-3


def test_one_shaft_and_head_per_arrow_at_the_right_ends():
    starts, ends, colors = _random_arrows(3, k=12)
    fig, ax = _axes()
    arrows = ArrowCollection(starts, ends, colors, linewidth=0.9, **STYLE)
    ax.add_collection(arrows, autolim=False)
    renderer = FigureCanvasAgg(fig).get_renderer()
    paths = arrows.display_paths(renderer)
    assert len(paths) == 2 * len(starts)
    px = renderer.points_to_pixels(1.0)
    a, b = ax.transData.transform(starts), ax.transData.transform(ends)
    for k in range(len(starts)):
        shaft, head = paths[2 * k].vertices, paths[2 * k + 1].vertices
        np.testing.assert_allclose(shaft[0], a[k], atol=1e-9)  # shrinkA = 0
        u = (b[k] - a[k]) / np.linalg.norm(b[k] - a[k])
        tip = b[k] - 2 * px * u  # shrinkB = 2 pt
        # the head's point lies on the link, drawn back by its stroke so that the stroked
        # outline ends at the shrunk tip (as FancyArrowPatch does)
        point = head[np.argmin(np.linalg.norm(head - tip, axis=1))]
        off = point - tip
        assert abs(off[0] * u[1] - off[1] * u[0]) < 1e-6
        assert -0.9 * 2 * px < off @ u <= 0
    faces = arrows.get_facecolor()
    assert (faces[0::2, 3] == 0).all() and np.allclose(
        faces[1::2, :3], arrows.get_edgecolor()[1::2, :3]
    )


def test_arrow_map_draws_every_link_once(countries):
    capitals = countries[["capital_lat", "capital_lon"]].set_axis(["lat", "lon"], axis=1)
    codes = ["DEU", "FRA", "ITA", "ESP", "USA", "CAN", "FJI", "TON"]
    links = pd.DataFrame(
        {"partner": ["FRA", "DEU", "FRA", "FRA", "CAN", "USA", "TON", np.nan]}, index=codes
    )
    fig = F.arrow_map(links, capitals)
    (arrows,) = [c for c in fig.axes[0].collections if isinstance(c, ArrowCollection)]
    assert len(arrows.starts) == 7  # TON has no partner
    pts = F._capital_points(codes, capitals)
    want_ends = pts.loc[links["partner"].dropna().tolist(), ["x", "y"]].to_numpy()
    np.testing.assert_allclose(arrows.ends, want_ends)
    # FJI -> TON crosses 180°: the arrow comes back at the other edge of the map
    assert arrows.starts[6][0] * pts.at["FJI", "x"] < 0


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="2 starts but 1 ends"):
        ArrowCollection([[0, 0], [1, 1]], [[1, 1]], ["red", "red"])
    with pytest.raises(ValueError, match="1 colours for 2 arrows"):
        ArrowCollection([[0, 0], [1, 1]], [[1, 1], [0, 0]], ["red"])
