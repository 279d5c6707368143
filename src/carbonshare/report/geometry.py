"""Country boundaries for the maps: loading, checking, rewinding, rounding.

The maps take a GeoJSON FeatureCollection whose features carry
``properties["iso3"]`` and ``properties["name"]`` (the shape of
:func:`carbonshare.data.load_boundaries`). plotly.js draws polygons with
d3-geo, which reads rings on the sphere: an exterior ring must run clockwise
(in lon/lat), the opposite of RFC 7946. A counter-clockwise ring is taken as
"the whole globe except this polygon" and floods the map, so
:func:`prepare_boundaries` rewinds every ring (idempotent).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from carbonshare.errors import DataError

__all__ = ["get_boundaries", "prepare_boundaries", "ring_area"]

logger = logging.getLogger(__name__)


def get_boundaries(boundaries: dict | None = None) -> dict:
    """The boundaries to draw: ``boundaries`` if given, else the bundled ones.

    Raises
    ------
    DataError if none are given and :func:`carbonshare.data.load_boundaries`
    is not available, or if a feature lacks ``iso3`` / ``name``.
    """
    if boundaries is None:
        try:
            from carbonshare.data import load_boundaries
        except ImportError as exc:
            raise DataError(
                "no country boundaries: carbonshare.data.load_boundaries is not available; "
                "pass boundaries=<GeoJSON FeatureCollection with properties iso3 and name>"
            ) from exc
        boundaries = load_boundaries()
    if not isinstance(boundaries, dict) or boundaries.get("type") != "FeatureCollection":
        raise DataError(
            "boundaries must be a GeoJSON FeatureCollection dict; got "
            f"{type(boundaries).__name__} (load one with carbonshare.data.load_boundaries())"
        )
    for i, f in enumerate(boundaries.get("features", [])):
        props = f.get("properties") or {}
        if "iso3" not in props or "name" not in props:
            raise DataError(
                f"boundary feature {i} has properties {sorted(props)}; each feature needs "
                "'iso3' and 'name' (rename e.g. ADM0_A3 -> iso3, NAME -> name)"
            )
    return boundaries


def ring_area(ring: Any) -> float:
    """Signed planar area of a lon/lat ring (shoelace); > 0 is counter-clockwise.

    Examples
    --------
    >>> ring_area([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]])
    1.0
    """
    a = np.asarray(ring, dtype=float)
    if len(a) < 3:
        return 0.0
    x, y = a[:, 0], a[:, 1]
    return float(0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def _round_ring(ring: Any, decimals: int) -> list[list[float]]:
    a = np.round(np.asarray(ring, dtype=float)[:, :2], decimals)
    return a.tolist()


def _rewind_polygon(rings: list, decimals: int) -> list:
    out = []
    for k, ring in enumerate(rings):
        r = _round_ring(ring, decimals)
        area = ring_area(r)
        # d3-geo: exterior clockwise (area < 0), holes counter-clockwise.
        if (k == 0 and area > 0) or (k > 0 and area < 0):
            r = r[::-1]
        out.append(r)
    return out


def prepare_boundaries(boundaries: dict, *, decimals: int = 2, drop: tuple[str, ...] = ()) -> dict:
    """A compact copy for plotly: rounded coordinates, d3 winding, only iso3/name kept.

    Parameters
    ----------
    boundaries : FeatureCollection (see :func:`get_boundaries`).
    decimals : decimals kept in coordinates (2 ~ 1 km; Natural Earth 1:110m
        is far coarser).
    drop : ISO3 codes to leave out (e.g. ``("ATA",)``).

    Returns
    -------
    dict, a new FeatureCollection; the input is not changed.
    """
    features = []
    for f in boundaries["features"]:
        props = f["properties"]
        if props["iso3"] in drop:
            continue
        geom = f.get("geometry") or {}
        gtype = geom.get("type")
        if gtype == "Polygon":
            new = {"type": "Polygon", "coordinates": _rewind_polygon(geom["coordinates"], decimals)}
        elif gtype == "MultiPolygon":
            new = {
                "type": "MultiPolygon",
                "coordinates": [_rewind_polygon(p, decimals) for p in geom["coordinates"]],
            }
        else:
            logger.warning("boundary of %s has geometry %r; not drawn", props["iso3"], gtype)
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso3": str(props["iso3"]), "name": str(props["name"])},
                "geometry": new,
            }
        )
    return {"type": "FeatureCollection", "features": features}
