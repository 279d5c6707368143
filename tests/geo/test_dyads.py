"""carbonshare.geo.distance_matrix, contig, comlang_off: CEPII GeoDist against the raw file,
the legacy-code mapping, the capital cross-check and the errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.data import build_report, load_cepii_pairs, load_countries, load_panel
from carbonshare.errors import ConfigError, DataError
from carbonshare.geo import (
    DISTANCE_SOURCES,
    DISTCAP_DIFFERENCES,
    capital_points,
    comlang_off,
    contig,
    distance_matrix,
    distcap_check,
    great_circle_km,
)

RAW_FILE = ("cepii_geodist", "dist_cepii.csv")


@pytest.fixture(scope="module")
def raw_cepii(raw_dir) -> pd.DataFrame:
    """The raw CEPII file read independently of the build ('.' = missing)."""
    return pd.read_csv(raw_dir.joinpath(*RAW_FILE), na_values=["."], keep_default_na=False)


def _raw(raw: pd.DataFrame, o: str, d: str, col: str) -> float:
    row = raw[(raw["iso_o"] == o) & (raw["iso_d"] == d)]
    assert len(row) == 1
    return float(row[col].iloc[0])


@pytest.mark.parametrize(
    ("ours", "cepii"),
    [
        (("DEU", "FRA"), ("DEU", "FRA")),
        (("CAN", "USA"), ("CAN", "USA")),
        (("CHN", "IND"), ("CHN", "IND")),
        (("BGR", "ROU"), ("BGR", "ROM")),  # legacy ROM
        (("COD", "COG"), ("ZAR", "COG")),  # legacy ZAR
        (("IDN", "TLS"), ("IDN", "TMP")),  # legacy TMP
        (("ISR", "PSE"), ("ISR", "PAL")),  # legacy PAL
        (("HRV", "SRB"), ("HRV", "YUG")),  # legacy YUG
        (("CUW", "VEN"), ("ANT", "VEN")),  # legacy ANT
    ],
)
@pytest.mark.parametrize("source", ["cepii_distw", "cepii_dist", "cepii_distcap"])
def test_values_equal_the_raw_file(raw_cepii, ours, cepii, source):
    col = source.removeprefix("cepii_")
    d = distance_matrix(list(ours), source)
    assert d.iloc[0, 1] == d.iloc[1, 0] == pytest.approx(_raw(raw_cepii, *cepii, col), rel=1e-6)


def test_flags_equal_the_raw_file(raw_cepii):
    codes = ["USA", "CAN", "MEX", "GBR", "IRL", "FRA", "BEL", "ESP", "ROU", "MDA"]
    legacy = {"ROU": "ROM"}
    c, lang = contig(codes), comlang_off(codes)
    for a in codes:
        for b in codes:
            if a == b:
                assert c.loc[a, b] == lang.loc[a, b] == 0
                continue
            ra, rb = legacy.get(a, a), legacy.get(b, b)
            assert c.loc[a, b] == _raw(raw_cepii, ra, rb, "contig"), (a, b)
            assert lang.loc[a, b] == _raw(raw_cepii, ra, rb, "comlang_off"), (a, b)
    # known facts, independent of the file
    assert c.loc["USA", "CAN"] == c.loc["ROU", "MDA"] == c.loc["FRA", "ESP"] == 1
    assert c.loc["GBR", "FRA"] == 0
    assert lang.loc["GBR", "USA"] == lang.loc["FRA", "BEL"] == lang.loc["ROU", "MDA"] == 1
    assert lang.loc["FRA", "ESP"] == 0


def test_legacy_code_table():
    from carbonshare.data.cepii import legacy_codes

    table = legacy_codes()
    assert table == {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "PAL": "PSE", "YUG": "SRB",
                     "ANT": "CUW"}  # fmt: skip
    import pycountry

    countries = load_countries()
    for cepii, iso3 in table.items():
        assert pycountry.countries.get(alpha_3=cepii) is None, cepii  # not ISO: needs mapping
        assert iso3 in countries.index, iso3


def test_every_raw_code_is_mapped_or_listed(raw_cepii):
    """Each raw code is a table country (directly or through the legacy table) or a
    territory listed as dropped; the table countries CEPII lacks are listed."""
    from carbonshare.data.cepii import legacy_codes

    codes = set(raw_cepii["iso_o"]) | set(raw_cepii["iso_d"])
    table = set(load_countries().index)
    mapped = {legacy_codes().get(c, c) for c in codes}
    dropped = set(build_report()["dropped"]["cepii-geodist"].popitem()[1])
    assert mapped - table == dropped
    present = set(load_cepii_pairs()["iso_o"]) | set(load_cepii_pairs()["iso_d"])
    assert present == mapped & table
    assert build_report()["cepii"]["countries_absent"] == sorted(table - present)
    assert {"MNE", "SSD", "XKX"} <= table - present


def test_pairs_without_distw_stay_missing_and_are_listed(raw_cepii):
    from carbonshare.data.cepii import legacy_codes

    table = set(load_countries().index)
    raw_missing = raw_cepii[raw_cepii["distw"].isna()].replace(legacy_codes())
    raw_missing = {
        "-".join(sorted((o, d)))
        for o, d in zip(raw_missing["iso_o"], raw_missing["iso_d"], strict=True)
        if o in table and d in table and o != d
    }
    listed = build_report()["cepii"]["pairs_without_distw"]
    assert set(listed) == raw_missing and len(listed) == len(raw_missing) > 0
    pairs = load_cepii_pairs()
    assert set(pairs.loc[pairs["distw"].isna(), "iso_o"] + "-" + pairs.loc[
        pairs["distw"].isna(), "iso_d"]) == raw_missing  # fmt: skip
    with pytest.raises(DataError, match=r"no distw for MAC.*source='capitals'"):
        distance_matrix(["CHN", "MAC", "HKG"], "cepii_distw")
    assert distance_matrix(["CHN", "MAC", "HKG"], "cepii_dist").notna().all().all()


def test_raw_distw_is_symmetric_to_seven_digits(raw_cepii):
    m = raw_cepii.set_index(["iso_o", "iso_d"])["distw"]
    rev = m.copy()
    rev.index = rev.index.swaplevel()
    rev = rev.reindex(m.index)
    assert (m.isna() == rev.isna()).all()
    assert ((m - rev).abs() / m).max() < 1e-6


@pytest.mark.parametrize("source", DISTANCE_SOURCES)
def test_matrix_shape_symmetry_and_order(source):
    codes = ["JPN", "BRA", "ZAF", "DEU", "AUS"]
    d = distance_matrix(codes, source)
    assert list(d.index) == list(d.columns) == codes
    assert d.index.name == "iso3"
    np.testing.assert_array_equal(d.to_numpy(), d.to_numpy().T)
    assert (np.diag(d) == 0).all() and (d.to_numpy()[~np.eye(5, dtype=bool)] > 100).all()
    # relabelling: another order gives the same distances
    rev = distance_matrix(codes[::-1], source)
    pd.testing.assert_frame_equal(rev.loc[codes, codes], d, check_exact=True)
    assert d.attrs["source"]


def test_capitals_source_is_great_circle():
    codes = ["FRA", "NZL", "CHL"]
    expected = great_circle_km(capital_points(load_countries().loc[codes]))
    np.testing.assert_array_equal(distance_matrix(codes).to_numpy(), expected.to_numpy())


def test_distcap_agrees_with_our_capitals_except_listed_countries():
    """CEPII distcap vs carbonshare's capital great circles: every pair off by more than
    3 % and 30 km involves a country of DISTCAP_DIFFERENCES, and each of those has one."""
    pairs = load_cepii_pairs()
    ours = great_circle_km(capital_points(load_countries()))
    d = np.array([ours.loc[o, t] for o, t in zip(pairs["iso_o"], pairs["iso_d"], strict=True)])
    gap = d - pairs["distcap"].to_numpy()
    off = (np.abs(gap) / pairs["distcap"].to_numpy() > 0.03) & (np.abs(gap) > 30)
    bad = pairs[off]
    explained = set(DISTCAP_DIFFERENCES)
    assert all(
        o in explained or t in explained for o, t in zip(bad["iso_o"], bad["iso_d"], strict=True)
    )
    assert explained == {c for c in explained if c in set(bad["iso_o"]) | set(bad["iso_d"])}
    clean = ~pairs["iso_o"].isin(explained) & ~pairs["iso_d"].isin(explained)
    rel = np.abs(gap[clean.to_numpy()]) / pairs.loc[clean, "distcap"].to_numpy()
    assert np.median(rel) < 0.002  # same capitals: different sphere radius and rounding only
    # distcap_check lists exactly these pairs, each with its reason
    check = distcap_check()
    assert len(check) == off.sum() == 462
    assert set(zip(check["iso_o"], check["iso_d"], strict=True)) == set(
        zip(bad["iso_o"], bad["iso_d"], strict=True)
    )
    assert (check["reason"].str.len() > 20).all()
    assert check["gap_pct"].abs().is_monotonic_decreasing


def test_study_countries_have_cepii_distances():
    """The alliance study's countries get every CEPII distance; Montenegro (no CEPII row,
    CEPII's YUG is Serbia and Montenegro) needs fill_from, which lists its pairs."""
    from carbonshare.studies.alliances import indicator_matrix

    codes = list(indicator_matrix(load_panel(), load_countries()).values.index)
    assert len(codes) > 150
    lacking = [c for c in codes if c in build_report()["cepii"]["countries_absent"]]
    assert lacking == ["MNE"]
    for source in ("cepii_distw", "cepii_dist", "cepii_distcap"):
        with pytest.raises(DataError, match=r"no \w+ for MNE; use source='capitals'"):
            distance_matrix(codes, source)
        d = distance_matrix(codes, source, fill_from="capitals")
        assert d.notna().all().all()
        assert len(d.attrs["filled"]) == len(codes) - 1
        assert all("MNE" in p for p in d.attrs["filled"])
        others = [c for c in codes if c != "MNE"]
        pd.testing.assert_frame_equal(d.loc[others, others], distance_matrix(others, source))


def test_errors():
    with pytest.raises(ConfigError, match=r"'cepii' is not a distance source; use one of capitals"):
        distance_matrix(["FRA", "DEU"], "cepii")
    with pytest.raises(ConfigError, match="fill_from='capitals' is the source itself"):
        distance_matrix(["FRA", "DEU"], "capitals", fill_from="capitals")
    with pytest.raises(DataError, match=r"duplicate country code\(s\) \['FRA'\]"):
        distance_matrix(["FRA", "DEU", "FRA"], "cepii_dist")
    with pytest.raises(DataError, match="not the string"):
        distance_matrix("FRA", "cepii_dist")
    with pytest.raises(DataError, match=r"no distw for MNE, XKX; use source='capitals'"):
        distance_matrix(["SRB", "MNE", "XKX"], "cepii_distw")
    with pytest.raises(DataError, match="no capital for ZZZ"):
        distance_matrix(["FRA", "ZZZ"])
    with pytest.raises(DataError, match="no contig for SSD; leave them out"):
        contig(["SDN", "SSD"])
