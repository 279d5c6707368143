"""Static figures render to PNG and SVG on small real inputs; bad inputs raise clear errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.errors import DataError
from carbonshare.report import figures as F
from carbonshare.report import style


@pytest.fixture(scope="module")
def panel_2020() -> pd.DataFrame:
    from carbonshare.data import load_panel

    return load_panel(["co2_t", "population", "gdp_usd"]).xs(2020, level="year").dropna()


@pytest.fixture(scope="module")
def capitals(countries) -> pd.DataFrame:
    return countries[["capital_lat", "capital_lon"]].set_axis(["lat", "lon"], axis=1).dropna()


def _saved(fig, tmp_path, name):
    paths = F.save_figure(fig, tmp_path / "figs" / name)
    assert [p.suffix for p in paths] == [".png", ".svg"]
    png, svg = paths
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    from PIL import Image

    with Image.open(png) as im:
        w, h = im.size
        px = np.asarray(im.convert("L"))
    # 200 dpi: at least 4 inches wide, and something drawn
    assert w >= 800 and h >= 400
    assert (px < 250).mean() > 0.01
    return svg.read_text(encoding="utf-8")


def test_choropleth_hatches_no_data_and_dots_small_countries(tmp_path, co2_per_capita, boundaries):
    fig = F.choropleth(co2_per_capita, title="CO2 per capita 2020", legend_label="t")
    meta = fig.carbonshare_meta
    with_polygon = {f["properties"]["iso3"] for f in boundaries["features"]} - {"ATA"}
    # no-data countries are exactly the polygons without a value (e.g. Western Sahara)
    assert set(meta["no_data"]) == with_polygon - set(co2_per_capita.index)
    assert "ESH" in meta["no_data"] and "Puerto Rico" in meta["no_data_names"]
    # small island states with a value are drawn at their capital
    assert {"MDV", "TUV", "MLT"} <= set(meta["as_points"])
    svg = _saved(fig, tmp_path, "choropleth")
    assert "CO2 per capita 2020" in svg  # text kept as text


def test_category_map_and_arrow_map(tmp_path, countries, capitals):
    fig = F.category_map(countries["continent"], title="Continents")
    assert "no data" in _saved(fig, tmp_path, "continents")
    # each capital -> nearest other capital (haversine), coloured by continent
    lat, lon = np.radians(capitals["lat"].to_numpy()), np.radians(capitals["lon"].to_numpy())
    d = (
        np.sin((lat[:, None] - lat) / 2) ** 2
        + np.cos(lat[:, None]) * np.cos(lat) * np.sin((lon[:, None] - lon) / 2) ** 2
    )
    np.fill_diagonal(d, np.inf)
    links = pd.DataFrame({"partner": capitals.index[d.argmin(axis=1)]}, index=capitals.index)
    links.loc["FRA", "partner"] = np.nan
    fig = F.arrow_map(links, capitals, color_by=countries["continent"], title="Nearest capital")
    assert fig.carbonshare_meta["unlinked"] == ["FRA"]
    _saved(fig, tmp_path, "arrows")


def test_category_map_colours_and_hatches_each_category():
    """130 categories: the first MAX_DISTINCT (58) colours plain, the next 58 hatched, the rest
    hatched the other way; each country filled with its category's colour (one collection per
    hatch, the countries in category order)."""
    from matplotlib.colors import to_hex

    k = style.MAX_DISTINCT
    world = F._world(None)
    codes = world.geometry.area.sort_values(ascending=False).index[:130]  # none drawn as a dot
    labels = pd.Series([f"c{i:03d}" for i in range(len(codes))], index=codes)
    fig = F.category_map(labels, title="130 categories")
    no_data = style.NO_DATA_COLOR.lower()
    fills = {}
    for coll in fig.axes[0].collections:
        colours = {to_hex(f) for f in coll.get_facecolors()}
        if len(coll.get_paths()) > 1 and colours != {no_data}:
            fills.setdefault(coll.get_hatch(), set()).update(colours)
    cats = sorted(labels.unique())
    palette = {c: v.lower() for c, v in style.category_colors(cats).items()}
    # country by country (one patch each) in the first collection, in its category's colour
    first = next(c for c in fig.axes[0].collections if len(c.get_facecolors()) > 1)
    assert [to_hex(f) for f in first.get_facecolors()] == [palette[labels[c]] for c in codes[:k]]
    assert fills == {
        None: {palette[c] for c in cats[:k]},
        F.HATCHES[1]: {palette[c] for c in cats[k : 2 * k]},
        F.HATCHES[2]: {palette[c] for c in cats[2 * k :]},
    }


def test_arrow_map_errors(capitals):
    with pytest.raises(DataError, match="needs a 'partner' column"):
        F.arrow_map(pd.DataFrame({"to": ["FRA"]}, index=["DEU"]), capitals)
    with pytest.raises(DataError, match=r"no lat/lon in points for \['XXX'\]"):
        F.arrow_map(pd.DataFrame({"partner": ["XXX"]}, index=["DEU"]), capitals)


def test_radar_small_multiples_and_range_check(tmp_path, panel_2020):
    top = panel_2020["co2_t"].nlargest(8).index
    norm = panel_2020.loc[top] / panel_2020.max()
    fig = F.radar(norm, title="Top emitters")
    polar = [a for a in fig.axes if a.name == "polar"]
    assert len(polar) == 2  # 8 rows -> 4 + 4
    # coinciding polygons stay visible: the lines of a panel differ in style
    styles = [ln.get_linestyle() for ln in polar[0].lines if not ln.get_label().startswith("_")]
    assert len(styles) == 4 and len(set(styles)) == 4
    _saved(fig, tmp_path, "radar")
    with pytest.raises(DataError, match=r"'CHN', 'co2_t'.*\[0, 1.0\]"):
        F.radar(panel_2020.loc[top])
    with pytest.raises(DataError, match="at least 3 columns"):
        F.radar(norm.iloc[:, :2])


def test_box_and_kde_handle_tiny_groups(tmp_path, panel_2020, countries):
    groups = countries["continent"].reindex(panel_2020.index).copy()
    groups["TUV"] = "one member"
    values = np.log10(panel_2020[["co2_t", "population"]])
    fig = F.box_by_group(values, groups, ylabel="log10")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert "one member\n(n=1)" in labels
    _saved(fig, tmp_path, "box")
    same = values["co2_t"].copy()
    groups2 = groups.copy()
    groups2[["DEU", "FRA"]] = "equal"
    same[["DEU", "FRA"]] = 7.0  # two members, zero spread: no density either
    fig = F.kde_by_group(same, groups2, title="density")
    assert fig.carbonshare_meta["no_density"] == ["equal", "one member"]
    _saved(fig, tmp_path, "kde")
    with pytest.raises(DataError, match="no entity of values has a group"):
        F.kde_by_group(same, pd.Series({"XXX": "a"}))


def test_kde_curve_is_scipy_gaussian_kde(panel_2020, countries):
    from scipy.stats import gaussian_kde

    v = np.log10(panel_2020["co2_t"])
    g = countries["continent"].reindex(v.index)
    fig = F.kde_by_group(v, g, grid_points=64)
    line = next(ln for ln in fig.axes[0].lines if ln.get_label().startswith("Europe"))
    x, y = line.get_data()
    assert np.allclose(y, gaussian_kde(v[g == "Europe"].to_numpy())(x))


def test_kde_with_support_reflects_at_the_bounds():
    from scipy.stats import gaussian_kde

    # shares in % crowded against 0: a plain KDE puts mass below 0, the reflected one does not
    v = pd.Series([0.5, 1.0, 2.0, 3.0, 40.0, 1.5], index=list("ABCDEF"))
    g = pd.Series("k", index=v.index)
    fig = F.kde_by_group(v, g, grid_points=2001, support=(0.0, 100.0))
    x, y = next(ln for ln in fig.axes[0].lines if ln.get_label().startswith("k")).get_data()
    assert x.min() == 0.0 and x.max() <= 100.0
    kde = gaussian_kde(v.to_numpy())
    assert np.allclose(y, kde(x) + kde(-x) + kde(200.0 - x))
    assert not np.allclose(y, kde(x))
    # all the mass is on [0, 100]: integrate the reflected density over the whole support
    xs = np.linspace(0.0, 100.0, 20001)
    ys = kde(xs) + kde(-xs) + kde(200.0 - xs)
    assert np.trapezoid(ys, xs) == pytest.approx(1.0, abs=1e-3)
    with pytest.raises(DataError, match=r"value -1.0 of 'A' is outside the support \(0.0, 100.0\)"):
        F.kde_by_group(v.replace(0.5, -1.0), g, support=(0.0, 100.0))


def test_dot_dumbbell_bar(tmp_path, panel_2020):
    pc = panel_2020["co2_t"] / panel_2020["population"]
    top = pc.nlargest(10).index
    df = pd.DataFrame({"2020": pc[top], "half": pc[top] / 2})
    _saved(F.dot_plot(df, title="dots", xlabel="t"), tmp_path, "dots")
    _saved(F.dumbbell(df["2020"], df["half"], xlabel="t"), tmp_path, "dumbbell")
    parts = pd.DataFrame({"Eq": [1.0, 2.0, -0.5], "Ef": [0.5, 1.0, 1.0]}, index=["A1", "A2", "A3"])
    fig = F.bar(parts, stacked=True, ylabel="%")
    # stacked: second series starts where the first ended (negative parts stack downwards)
    rects = fig.axes[0].patches
    assert [r.get_y() for r in rects[3:]] == [1.0, 2.0, 0.0]
    _saved(fig, tmp_path, "bar")
    _saved(F.bar(pc[top], horizontal=True), tmp_path, "barh")
    with pytest.raises(DataError, match="only in a"):
        F.dumbbell(df["2020"], df["half"].iloc[:5])
    with pytest.raises(DataError, match="sort="):
        F.dumbbell(df["2020"], df["half"], sort="size")
    with pytest.raises(DataError, match="needs values > 0"):
        F.dot_plot(df - 100, log=True)


def test_maps_explain_missing_geopandas(monkeypatch, co2_per_capita):
    import builtins

    real_import = builtins.__import__

    def no_geopandas(name, *args, **kwargs):
        if name == "geopandas":
            raise ImportError("No module named 'geopandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_geopandas)
    with pytest.raises(ImportError, match=r"carbonshare\[maps\]"):
        F.choropleth(co2_per_capita, boundaries={"type": "FeatureCollection", "features": []})
    with pytest.raises(ImportError, match=r"carbonshare\[maps\]"):
        F.arrow_map(pd.DataFrame({"partner": ["FRA"]}, index=["DEU"]), pd.DataFrame())


def test_choropleth_log_and_centred_norms(co2_per_capita):
    from matplotlib.colors import LogNorm, TwoSlopeNorm

    fig = F.choropleth(co2_per_capita, log_color=True)
    cbar = next(a for a in fig.axes if a.get_label() == "<colorbar>")
    assert isinstance(cbar._colorbar.norm, LogNorm)
    fig = F.choropleth(co2_per_capita - 5.0, center=0.0, cmap="RdBu_r")
    norm = next(a for a in fig.axes if a.get_label() == "<colorbar>")._colorbar.norm
    assert isinstance(norm, TwoSlopeNorm) and norm.vmin == pytest.approx(-norm.vmax)
    with pytest.raises(DataError, match="log_color needs values > 0"):
        F.choropleth(co2_per_capita - 1.0, log_color=True)


def test_svg_is_reproducible(tmp_path):
    parts = pd.DataFrame({"Eq": [1.0, 2.0], "Ef": [0.5, 1.0]}, index=["A1", "A2"])
    a = F.save_figure(F.bar(parts, title="same"), tmp_path / "a")[1].read_bytes()
    b = F.save_figure(F.bar(parts, title="same"), tmp_path / "b")[1].read_bytes()
    assert a == b


def test_constant_values_get_one_colour(co2_per_capita):
    equal = pd.Series(65.44, index=co2_per_capita.index) + np.linspace(
        0, 1e-12, len(co2_per_capita)
    )
    for log in (False, True):
        fig = F.choropleth(equal, log_color=log)
        norm = next(a for a in fig.axes if a.get_label() == "<colorbar>")._colorbar.norm
        assert norm.vmax > norm.vmin
        assert 0.45 < float(norm(65.44)) < 0.55  # the middle of the scale


def test_bar_ticks_stay_short_for_large_values():
    """Values of 1e8 (e.g. kg of CO2) get '120 M' tick labels, not 11-character numbers."""
    fig = F.bar(pd.Series({"industry": 1.2e8, "households": 4.5e7}, name="CO2 (kg)"))
    fig.canvas.draw()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels() if t.get_text()]
    numeric = [lab for lab in labels if any(ch.isdigit() for ch in lab)]
    assert numeric and all(len(lab) <= 6 for lab in numeric), numeric
    assert any(lab.endswith(" M") for lab in numeric)


def test_figure_size_is_bounded_whatever_the_data(tmp_path):
    from PIL import Image

    from carbonshare.report.figures import MAX_INCHES, MAX_PNG_PIXELS, _figure, save_figure

    fig = _figure(40.0, 600.0)  # what 3000 rows at 0.2 inch would ask for
    assert max(fig.get_size_inches()) <= MAX_INCHES
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    png, _ = save_figure(fig, tmp_path / "big")
    with Image.open(png) as im:
        assert max(im.size) <= MAX_PNG_PIXELS
