"""Geography: country-pair distances (capitals, CEPII GeoDist), contiguity, common language,
and the labour-cost proxy (docs/methods.md A4)."""

from carbonshare.geo.distance import EARTH_RADIUS_KM, capital_points, geodesic_km, great_circle_km
from carbonshare.geo.dyads import (
    DISTANCE_SOURCES,
    DISTCAP_DIFFERENCES,
    comlang_off,
    contig,
    distance_matrix,
    distcap_check,
)
from carbonshare.geo.labour import DEFAULT_LABOUR_PROXY, LABOUR_PROXIES, labour_cost

__all__ = [
    "DEFAULT_LABOUR_PROXY",
    "DISTANCE_SOURCES",
    "DISTCAP_DIFFERENCES",
    "EARTH_RADIUS_KM",
    "LABOUR_PROXIES",
    "capital_points",
    "comlang_off",
    "contig",
    "distance_matrix",
    "distcap_check",
    "geodesic_km",
    "great_circle_km",
    "labour_cost",
]
