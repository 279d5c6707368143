"""Great-circle distances (haversine), checked against known values and pyproj's WGS84 geodesics."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import DataError
from carbonshare.geo import EARTH_RADIUS_KM, capital_points, geodesic_km, great_circle_km

# City-centre coordinates (decimal degrees, GeoNames / Wikipedia).
CITIES = pd.DataFrame(
    {
        "lat": [51.5074, 48.8566, 40.7128, 34.0522, -33.8688, -41.2866, 35.6762, -34.6037],
        "lon": [-0.1278, 2.3522, -74.0060, -118.2437, 151.2093, 174.7756, 139.6503, -58.3816],
    },
    index=["London", "Paris", "New York", "Los Angeles", "Sydney", "Wellington", "Tokyo",
           "Buenos Aires"],
)  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        # published great-circle distances on the mean-radius sphere
        ("London", "Paris", 343.5),  # ~343.5 km (e.g. Movable Type haversine calculator)
        ("New York", "Los Angeles", 3936.0),  # ~3,936 km / 2,445 mi
        ("Sydney", "Wellington", 2226.0),  # ~2,226 km
    ],
)
def test_known_city_pairs(a, b, km):
    d = great_circle_km(CITIES)
    assert d.loc[a, b] == pytest.approx(km, rel=2e-3)


def test_against_pyproj_wgs84_within_half_percent():
    d = great_circle_km(CITIES)
    g = geodesic_km(CITIES)
    off = ~np.eye(len(CITIES), dtype=bool)
    rel = np.abs(d.to_numpy() - g.to_numpy())[off] / g.to_numpy()[off]
    assert rel.max() < 0.005


def test_special_points():
    P = pd.DataFrame({"lat": [0.0, 0.0, 90.0, -90.0], "lon": [0.0, 180.0, 0.0, 45.0]},
                     index=list("ABNS"))  # fmt: skip
    d = great_circle_km(P)
    half = math.pi * EARTH_RADIUS_KM  # antipodes: half the circumference, 20015.1 km
    assert d.loc["A", "B"] == pytest.approx(half)
    assert d.loc["N", "S"] == pytest.approx(half)
    assert d.loc["A", "N"] == pytest.approx(half / 2)
    assert d.loc["B", "S"] == pytest.approx(half / 2)
    # one degree of longitude on the equator
    one = great_circle_km(pd.DataFrame({"lat": [0.0, 0.0], "lon": [10.0, 11.0]}))
    assert one.iloc[0, 1] == pytest.approx(2 * math.pi * EARTH_RADIUS_KM / 360)


points = st.lists(st.tuples(st.floats(-90, 90), st.floats(-180, 180)), min_size=2, max_size=8).map(
    lambda xs: pd.DataFrame(xs, columns=["lat", "lon"])
)


@settings(max_examples=60, deadline=None)
@given(points)
def test_metric_properties(P):
    d = great_circle_km(P).to_numpy()
    assert np.allclose(d, d.T) and np.all(np.diag(d) == 0)
    assert (d >= 0).all() and (d <= math.pi * EARTH_RADIUS_KM + 1e-6).all()
    # triangle inequality
    assert (d[:, None, :] <= d[:, :, None] + d[None, :, :].transpose(0, 2, 1) + 1e-6).all()


def test_capital_points_and_labels():
    countries = pd.DataFrame(
        {"capital_lat": [51.5072, 48.8567], "capital_lon": [-0.1276, 2.3522], "name": ["UK", "F"]},
        index=pd.Index(["GBR", "FRA"], name="iso3"),
    )
    P = capital_points(countries)
    assert P.columns.tolist() == ["lat", "lon"]
    D = great_circle_km(P)
    assert D.index.tolist() == ["GBR", "FRA"] and D.columns.tolist() == ["GBR", "FRA"]
    pd.testing.assert_frame_equal(
        great_circle_km(countries, lat="capital_lat", lon="capital_lon"), D
    )


def test_bad_coordinates_are_named():
    P = pd.DataFrame({"lat": [10.0, np.nan], "lon": [20.0, 30.0]}, index=["AAA", "TUV"])
    with pytest.raises(DataError, match="coordinates missing or not numeric for TUV"):
        great_circle_km(P)
    P = pd.DataFrame({"lat": [10.0, 120.0], "lon": [20.0, 30.0]}, index=["AAA", "BBB"])
    with pytest.raises(DataError, match=r"out of range for BBB.*swapped"):
        great_circle_km(P)
    with pytest.raises(DataError, match="lack column"):
        great_circle_km(P.rename(columns={"lat": "latitude"}))
    with pytest.raises(DataError, match="duplicate point label"):
        great_circle_km(P.rename(index={"BBB": "AAA"}))


def test_bundled_capitals():
    """All bundled capitals: distinct places, and the sphere within 0.6% of WGS84."""
    from carbonshare.data import load_countries

    P = capital_points(load_countries())
    d = great_circle_km(P).to_numpy()
    g = geodesic_km(P).to_numpy()
    off = ~np.eye(len(P), dtype=bool)
    assert d[off].min() > 5.0  # closest pair: Kinshasa-Brazzaville, about 7.6 km
    rel = np.abs(d - g)[off] / g[off]
    assert rel.max() < 0.006
    assert np.median(rel) < 0.003
