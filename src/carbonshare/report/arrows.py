"""Many arrows as one matplotlib artist (the linkage map's 171 arrows, issue 14.6).

``Axes.annotate(..., arrowprops=...)`` makes one Annotation and one FancyArrowPatch per arrow;
drawing 171 of them (and measuring them for the layout) cost more than the rest of the map.
:class:`ArrowCollection` computes the same paths with the same public matplotlib pieces
(:class:`~matplotlib.patches.ConnectionStyle` ``arc3`` with the shrink in points, then the
:class:`~matplotlib.patches.ArrowStyle` in display space, as FancyArrowPatch does at every
draw) and hands them to the renderer as one path collection, in arrow order (shaft, head,
next arrow...), so the overlaps stack as before. Round caps and joins, as FancyArrowPatch.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba_array
from matplotlib.patches import ArrowStyle, ConnectionStyle
from matplotlib.transforms import IdentityTransform

__all__ = ["ArrowCollection"]


class ArrowCollection(PathCollection):
    """Arrows from ``starts`` to ``ends`` (data coordinates), drawn as
    ``annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle=..., ...))`` would draw
    them, as one artist.

    Parameters
    ----------
    starts, ends : (k, 2) arrays of data coordinates.
    colors : k colours.
    arrowstyle, mutation_scale, shrinkA, shrinkB, linewidth : as for
        :class:`~matplotlib.patches.FancyArrowPatch` (shrink and width in points).
    **kwargs : collection properties (alpha, zorder...).

    Examples
    --------
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> arrows = ArrowCollection([[0, 0], [1, 0]], [[1, 1], [0, 1]], ["red", "blue"])
    >>> _ = fig.add_subplot().add_collection(arrows)
    >>> len(arrows.display_paths(FigureCanvasAgg(fig).get_renderer()))  # shaft and head each
    4
    """

    def __init__(
        self,
        starts,
        ends,
        colors,
        *,
        arrowstyle: str = "-|>",
        mutation_scale: float = 10.0,
        shrinkA: float = 2.0,
        shrinkB: float = 2.0,
        linewidth: float = 1.0,
        **kwargs,
    ) -> None:
        self.starts = np.asarray(starts, dtype=float).reshape(-1, 2)
        self.ends = np.asarray(ends, dtype=float).reshape(-1, 2)
        if self.starts.shape != self.ends.shape:
            raise ValueError(f"{len(self.starts)} starts but {len(self.ends)} ends")
        self.arrow_colors = to_rgba_array(colors)
        if len(self.arrow_colors) != len(self.starts):
            raise ValueError(f"{len(self.arrow_colors)} colours for {len(self.starts)} arrows")
        self.arrowstyle = ArrowStyle(arrowstyle)
        self.mutation_scale = mutation_scale
        self.shrink = (shrinkA, shrinkB)
        kwargs.setdefault("capstyle", "round")
        kwargs.setdefault("joinstyle", "round")
        super().__init__([], linewidths=linewidth, transform=IdentityTransform(), **kwargs)
        self.set_clip_on(False)  # as an annotation's arrow: never cut at the axes' edge
        self.set_in_layout(False)

    def display_paths(self, renderer) -> list:
        """The paths in display coordinates (pixels of ``renderer``), shaft then head of each
        arrow; sets the colours of each path (a head is filled, a shaft is not)."""
        px = renderer.points_to_pixels(1.0)
        xy = self.axes.transData.transform(np.concatenate([self.starts, self.ends]))
        k = len(self.starts)
        connect = ConnectionStyle("arc3")
        paths, faces, edges = [], [], []
        for a, b, color in zip(xy[:k], xy[k:], self.arrow_colors, strict=True):
            line = connect(a, b, shrinkA=self.shrink[0] * px, shrinkB=self.shrink[1] * px)
            parts, fillable = self.arrowstyle(
                line, self.mutation_scale * px, self.get_linewidth()[0] * px, 1
            )
            if not np.iterable(fillable):
                parts, fillable = [parts], [fillable]
            for part, fill in zip(parts, fillable, strict=True):
                paths.append(part)
                faces.append(color if fill else "none")
                edges.append(color)
        self.set_paths(paths)
        self.set_facecolor(faces)
        self.set_edgecolor(edges)
        return paths

    def draw(self, renderer) -> None:
        if not self.get_visible() or not len(self.starts):
            return
        self.display_paths(renderer)
        super().draw(renderer)
