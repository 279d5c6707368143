"""Interactive plotly maps and Sankey: structure that keeps them offline, hover, errors."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonshare.errors import DataError
from carbonshare.report import interactive as ia
from carbonshare.report.geometry import get_boundaries, prepare_boundaries, ring_area

BASE_LAYERS = ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits", "frame")


def _assert_offline_structure(fig):
    # plotly.js fetches topojson if the FIRST geo trace has a locationmode, or a base layer is on
    first = fig.data[0]
    assert first.type == "scattergeo" and first.locations is None
    for layer in BASE_LAYERS:
        assert fig.layout.geo[f"show{layer}"] is False, layer
    for tr in fig.data:
        if tr.type == "choropleth":
            assert isinstance(tr.geojson, dict) and tr.featureidkey == "properties.iso3"


def test_choropleth_map(co2_per_capita, countries, boundaries, caplog):
    values = co2_per_capita.copy()
    values["XXX"] = 1.0  # neither boundary nor capital
    with caplog.at_level(logging.WARNING):
        fig = ia.choropleth_map(values, hover=countries[["continent"]], title="t")
    _assert_offline_structure(fig)
    assert fig.layout.meta["not_drawn"] == ["XXX"]
    assert "XXX" in caplog.text
    main = next(t for t in fig.data if t.type == "choropleth" and t.showscale is not False)
    i = list(main.locations).index("CHN")
    assert main.z[i] == pytest.approx(co2_per_capita["CHN"])
    assert "continent: Asia" in main.text[i] and "<b>China</b> (CHN)" in main.text[i]
    dots = next(t for t in fig.data if t.name and "small countries" in t.name)
    assert "MDV" in "".join(dots.text)
    # every polygon is either coloured or in the grey "no data" layer, never both
    grey = next(t for t in fig.data if t.name == "no data")
    drawn = set(main.locations) | set(grey.locations)
    assert not set(main.locations) & set(grey.locations)
    assert drawn == {f["properties"]["iso3"] for f in boundaries["features"]} - {"ATA"}


def test_category_map_counts_members(countries):
    fig = ia.category_map(countries["continent"].rename("continent"))
    _assert_offline_structure(fig)
    names = [t.name for t in fig.data if t.showlegend]
    n_europe = int((countries["continent"] == "Europe").sum())
    assert f"Europe ({n_europe})" in names
    with pytest.raises(DataError, match="no colour for category"):
        ia.category_map(countries["continent"], colors={"Europe": "#000000"})


def test_arrow_map_heads_first_and_bearing(countries):
    pts = countries[["capital_lat", "capital_lon"]].set_axis(["lat", "lon"], axis=1)
    links = pd.DataFrame({"partner": ["FRA", "DEU", np.nan]}, index=["DEU", "FRA", "ITA"])
    fig = ia.arrow_map(links, pts, color_by=countries["continent"], title="links")
    _assert_offline_structure(fig)
    heads = fig.data[0]
    assert heads.marker.symbol == "arrow" and heads.marker.angleref == "north"
    # Berlin -> Paris heads roughly west-south-west; Paris -> Berlin east-north-east
    assert 235 < heads.marker.angle[0] % 360 < 265
    assert 55 < heads.marker.angle[1] % 360 < 85
    assert fig.layout.meta["unlinked"] == ["ITA"]


def test_arrow_map_legend_follows_the_given_order(countries):
    pts = countries[["capital_lat", "capital_lon"]].set_axis(["lat", "lon"], axis=1)
    links = pd.DataFrame({"partner": ["FRA", "DEU", "USA", "MEX", "CHN"]},
                         index=["DEU", "FRA", "MEX", "USA", "JPN"])  # fmt: skip
    group = pd.Series({"DEU": "EU", "FRA": "EU", "MEX": "NA", "USA": "NA", "JPN": "Asia"})
    legend = [t.name for t in ia.arrow_map(links, pts, color_by=group).data if t.showlegend]
    assert legend == ["Asia (1)", "EU (2)", "NA (2)"]  # natural order by default
    ordered = ia.arrow_map(links, pts, color_by=group, order=["NA", "EU"])  # Asia not listed
    assert [t.name for t in ordered.data if t.showlegend] == ["NA (2)", "EU (2)", "Asia (1)"]


def test_final_bearing_known_values():
    north = pd.Series({"lat": 10.0, "lon": 0.0})
    south = pd.Series({"lat": -10.0, "lon": 0.0})
    east = pd.Series({"lat": 0.0, "lon": 20.0})
    west = pd.Series({"lat": 0.0, "lon": -20.0})
    assert ia._final_bearing(south, north) == pytest.approx(0.0)
    assert ia._final_bearing(north, south) == pytest.approx(180.0)
    assert ia._final_bearing(west, east) == pytest.approx(90.0)
    assert ia._final_bearing(east, west) == pytest.approx(270.0)


def test_arrow_map_errors(countries):
    pts = countries[["capital_lat", "capital_lon"]].set_axis(["lat", "lon"], axis=1)
    with pytest.raises(DataError, match="needs a 'partner' column"):
        ia.arrow_map(pd.DataFrame({"p": ["FRA"]}, index=["DEU"]), pts)
    with pytest.raises(DataError, match=r"no lat/lon in points for \['XXX'\]"):
        ia.arrow_map(pd.DataFrame({"partner": ["XXX"]}, index=["DEU"]), pts)
    bad = pts.copy()
    bad.loc["FRA", "lat"] = np.nan
    with pytest.raises(DataError, match=r"lat/lon of \['FRA'\] are missing"):
        ia.arrow_map(pd.DataFrame({"partner": ["FRA"]}, index=["DEU"]), bad)


def test_duplicates_rejected():
    s = pd.Series([1.0, 2.0], index=["DEU", "DEU"])
    with pytest.raises(DataError, match=r"duplicate ISO3 codes \['DEU'\]"):
        ia.choropleth_map(s)


def test_sankey_sides_and_errors():
    flows = pd.DataFrame(
        {"source": ["DEU", "DEU", "CHN"], "target": ["DEU", "USA", "DEU"], "value": [5, 1, 2]}
    )
    fig = ia.sankey(flows, "flows", value_label="Mt")
    s = fig.data[0]
    assert list(s.node.label) == ["DEU", "CHN", "DEU", "USA"]  # producers | consumers
    assert list(s.link.source) == [0, 0, 1] and list(s.link.target) == [2, 3, 2]
    chain = pd.DataFrame({"source": ["A", "B"], "target": ["B", "C"], "value": [1.0, 1.0]})
    assert list(ia.sankey(chain).data[0].node.label) == ["A", "B", "C"]
    with pytest.raises(DataError, match="negative or missing value"):
        ia.sankey(chain.assign(value=[1.0, -1.0]))
    with pytest.raises(DataError, match="needs 'source', 'target' and 'value'"):
        ia.sankey(chain.drop(columns="value"))


# ------------------------------------------------------------------ geometry


def test_ring_area_sign():
    ccw = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    assert ring_area(ccw) == 1.0 and ring_area(ccw[::-1]) == -1.0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 2 * np.pi, allow_nan=False), min_size=3, max_size=12, unique=True),
    st.booleans(),
)
def test_prepare_boundaries_winds_for_d3_and_is_idempotent(angles, reverse):
    """Exterior rings end clockwise (d3-geo), holes counter-clockwise, whatever the input."""
    a = np.sort(np.asarray(angles))
    if np.ptp(a) < 0.5:
        return
    outer = np.c_[10 * np.cos(a), 5 * np.sin(a)]
    hole = outer * 0.3
    outer, hole = [*outer.tolist(), outer[0].tolist()], [*hole.tolist(), hole[0].tolist()]
    if reverse:
        outer, hole = outer[::-1], hole
    else:
        hole = hole[::-1]
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"iso3": "SYN", "name": "synthetic test polygon"},
                "geometry": {"type": "Polygon", "coordinates": [outer, hole]},
            }
        ],
    }
    once = prepare_boundaries(get_boundaries(fc), decimals=6)
    rings = once["features"][0]["geometry"]["coordinates"]
    if abs(ring_area(rings[0])) > 1e-9:
        assert ring_area(rings[0]) < 0
    if abs(ring_area(rings[1])) > 1e-9:
        assert ring_area(rings[1]) > 0
    assert prepare_boundaries(once, decimals=6) == once


def test_bundled_boundaries_all_exterior_clockwise(boundaries):
    fc = prepare_boundaries(boundaries)
    for f in fc["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for rings in polys:
            assert ring_area(rings[0]) <= 0, f["properties"]["iso3"]


def test_boundaries_need_iso3_and_name():
    bad = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"ISO_A3": "X"}}],
    }
    with pytest.raises(DataError, match="needs 'iso3' and 'name'"):
        get_boundaries(bad)
    with pytest.raises(DataError, match="FeatureCollection"):
        get_boundaries({"type": "Feature"})


def test_log_and_diverging_colour_scales(co2_per_capita):
    fig = ia.choropleth_map(co2_per_capita, log_color=True)
    main = next(t for t in fig.data if t.type == "choropleth" and t.showscale is not False)
    i = list(main.locations).index("USA")
    assert main.z[i] == pytest.approx(np.log10(co2_per_capita["USA"]))
    assert "14.2" in main.text[i]  # hover keeps the original value (t per person)
    ticks = [float(t) for t in main.colorbar.ticktext]
    assert np.allclose(np.log10(ticks), main.colorbar.tickvals)
    assert ia._log_ticks(0.0, 2.0) == [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
    with pytest.raises(DataError, match="log_color needs values > 0"):
        ia.choropleth_map(co2_per_capita - 1.0, log_color=True)
    signed = co2_per_capita - 5.0
    fig = ia.choropleth_map(signed, zmid=0.0, colorscale="RdBu")
    main = next(t for t in fig.data if t.type == "choropleth" and t.showscale is not False)
    assert main.zmin == pytest.approx(-main.zmax)
    assert main.zmax == pytest.approx(max(abs(signed.min()), signed.max()))


def test_same_group_same_colour_in_every_map(countries):
    """Alliance k has one colour in the alliance map and the linkage map, ordered naturally."""
    from carbonshare.report.style import category_colors, category_order

    groups = pd.Series(np.arange(len(countries)) % 12 + 1, index=countries.index, name="alliance")
    pts = countries[["capital_lat", "capital_lon"]].set_axis(["lat", "lon"], axis=1).dropna()
    links = pd.DataFrame({"partner": ["FRA", "DEU"]}, index=["DEU", "FRA"])  # only 1-2 groups
    cat = ia.category_map(groups)
    arrows = ia.arrow_map(links, pts, color_by=groups)
    fill = {t.legendgroup: t.colorscale[0][1] for t in cat.data if t.showlegend}
    line = {t.name.split(" ")[0]: t.line.color for t in arrows.data if t.showlegend}
    assert line and all(fill[k] == v for k, v in line.items())
    assert [t.legendgroup for t in cat.data if t.showlegend][:3] == ["1", "2", "3"]  # not 1, 10
    assert category_order(["A10", 3, "A9", 1]) == [1, 3, "A9", "A10"]
    assert len(set(category_colors(range(58)).values())) == 58


def test_constant_values_do_not_paint_rounding_noise(co2_per_capita):
    """An equal allocation differs only by float noise: one colour, readable colour bar."""
    rng = np.random.default_rng(1)
    equal = pd.Series(65.44 + rng.normal(0, 1e-13, len(co2_per_capita)), co2_per_capita.index)
    fig = ia.choropleth_map(equal)
    main = next(t for t in fig.data if t.type == "choropleth" and t.showscale is not False)
    assert main.zmin == pytest.approx(65.44 * 0.95) and main.zmax == pytest.approx(65.44 * 1.05)
    assert main.colorbar.tickformat == ",.4~g"
    fig = ia.choropleth_map(equal, log_color=True)  # also fine on a log scale
    main = next(t for t in fig.data if t.type == "choropleth" and t.showscale is not False)
    assert main.zmax > main.zmin


def test_map_geojson_is_shared_not_copied(co2_per_capita, countries, boundaries):
    """plotly deep-copies trace properties on add_trace and on serialising; the boundaries of
    a map trace are the same object throughout, and serialise exactly as a plain dict."""
    import json

    import plotly.io as pio

    maps = [
        ia.choropleth_map(co2_per_capita),
        ia.category_map(countries["continent"].rename("continent")),
        ia.choropleth_map(co2_per_capita, boundaries=boundaries),
    ]
    for fig in maps:
        traces = [t for t in fig.data if t.type == "choropleth"]
        spec = fig.to_plotly_json()
        for trace, raw in zip(fig.data, spec["data"], strict=True):
            if trace.type == "choropleth":
                assert type(trace.geojson) is ia.SharedGeoJSON
                assert raw["geojson"] is trace.geojson
        plain = [json.loads(json.dumps(dict(t.geojson))) for t in traces]
        shared = [t["geojson"] for t in json.loads(pio.to_json(fig))["data"] if "geojson" in t]
        assert shared == plain


def test_bundled_boundaries_prepared_once_given_ones_each_time(co2_per_capita, boundaries):
    assert ia._prepare(None, set()) is ia._prepare(None, {"FRA"})
    assert ia._prepare(None, {"ATA"})[1].keys() == ia._prepare(None, set())[1].keys() | {"ATA"}
    own = {**boundaries, "features": [f for f in boundaries["features"]
                                      if f["properties"]["iso3"] != "FRA"]}  # fmt: skip
    assert "FRA" not in ia._prepare(own, set())[1]
    assert "FRA" in ia._prepare(boundaries, set())[1]


def test_hover_lines_are_the_rows_as_loc_gives_them(countries):
    """One pass over ``hover`` gives what ``hover.loc[iso3]`` gives row by row (its common
    dtype decides the formatting: an int column among float ones reads as a float)."""
    mixed = countries[["continent", "capital_lat"]].assign(
        members=np.arange(len(countries)) * 1000,
        note=pd.array([None, "x"] * (len(countries) // 2) + ["y"] * (len(countries) % 2),
                      dtype="string"),
    )  # fmt: skip
    numeric = mixed[["capital_lat", "members"]]
    for hover in (mixed, numeric, numeric[["members"]]):
        got = ia._hover_lines(hover)
        for iso3 in hover.index[:: max(1, len(hover) // 25)]:
            row = hover.loc[iso3]
            assert got[iso3] == [f"{col}: {ia._fmt(row[col])}" for col in hover.columns]
    members = int(numeric.loc["CHN", "members"])  # a numpy integer in its row, as a Python int
    assert members >= 1000 and ia._hover_lines(numeric[["members"]])["CHN"] == [
        f"members: {members:,}"
    ]
    assert ia._hover_lines(None) == {}
    with pytest.raises(DataError, match=r"hover has duplicate ISO3 codes \['CHN'\]"):
        ia.choropleth_map(pd.Series({"CHN": 1.0}), hover=mixed.loc[["CHN", "CHN"]])
