"""Geography: great-circle distances between capitals and the labour-cost proxy (METHODS A4)."""

from carbonshare.geo.distance import EARTH_RADIUS_KM, capital_points, geodesic_km, great_circle_km
from carbonshare.geo.labour import DEFAULT_LABOUR_PROXY, LABOUR_PROXIES, labour_cost

__all__ = [
    "DEFAULT_LABOUR_PROXY",
    "EARTH_RADIUS_KM",
    "LABOUR_PROXIES",
    "capital_points",
    "geodesic_km",
    "great_circle_km",
    "labour_cost",
]
