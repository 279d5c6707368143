"""Reader of the CEPII GeoDist country-pair file (used only by the build).

``cepii_geodist/dist_cepii.csv`` (Mayer & Zignago 2011, CEPII working paper
2011-25; Etalab Open Licence 2.0) has one row per ordered country pair. The
build keeps the pairs of two country-table economies, each once (``iso_o <
iso_d`` after mapping), with the columns

======================  ==========================================================
``contig``              1 if the two countries share a land border, else 0
``comlang_off``         1 if they share an official language, else 0
``dist``                great-circle km between their main cities
``distcap``             great-circle km between their capitals
``distw``               population-weighted km (Head & Mayer 2002, theta = 1)
``distwces``            population-weighted km with theta = -1 (CES)
======================  ==========================================================

CEPII codes are ISO 3166 alpha-3 except six legacy codes (ROM, ZAR, TMP,
PAL, YUG, ANT), mapped by ``mappings/cepii_codes.csv``. Codes of ISO 3166
territories outside the country table are dropped and listed in
``build_report.json``; any other code stops the build. The file writes a
missing value as ``.``; those stay missing (NaN) and the pairs are listed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from carbonshare.data.raw import BuildLog, Universe, read_mapping
from carbonshare.errors import DataError

SOURCE = "cepii-geodist"
RAW_FILE = Path("cepii_geodist") / "dist_cepii.csv"
FLAGS = ("contig", "comlang_off")
DISTANCES = ("dist", "distcap", "distw", "distwces")
DYAD_COLUMNS = ("iso_o", "iso_d", *FLAGS, *DISTANCES)


def legacy_codes() -> dict[str, str]:
    """CEPII legacy code -> ISO3, from ``mappings/cepii_codes.csv``.

    Examples
    --------
    >>> legacy_codes()["ZAR"]
    'COD'
    """
    table = read_mapping("cepii_codes.csv")
    return dict(zip(table["cepii"], table["iso3"], strict=True))


def _code_map(codes: list[str], universe: Universe, log: BuildLog) -> dict[str, str]:
    """CEPII code -> ISO3 of the country table; territories dropped, unknown codes fail."""
    import pycountry

    legacy = legacy_codes()
    clash = sorted(set(legacy.values()) & set(codes))
    if clash:
        raise DataError(
            f"{SOURCE}: {clash} appear both as ISO3 codes and as targets of legacy codes in "
            "mappings/cepii_codes.csv; remove the legacy row"
        )
    out, outside, unknown = {}, [], []
    for code in codes:
        iso3 = legacy.get(code, code)
        if iso3 in universe.iso3:
            out[code] = iso3
        elif pycountry.countries.get(alpha_3=iso3) is not None:
            outside.append(code)
        else:
            unknown.append(code)
    if unknown:
        raise DataError(
            f"{SOURCE}: codes {unknown} are neither ISO 3166 alpha-3 codes nor listed in "
            "carbonshare/data/mappings/cepii_codes.csv; add them there"
        )
    log.drop(SOURCE, "ISO 3166 territory not in the country table", outside)
    return out


def read_cepii_dist(raw: Path, universe: Universe, log: BuildLog) -> pd.DataFrame:
    """Country pairs of the country table, each once, with flags and distances (km).

    Returns
    -------
    DataFrame with columns :data:`DYAD_COLUMNS` (``iso_o < iso_d``), sorted;
    ``contig`` and ``comlang_off`` as 0/1 integers, distances as floats (NaN
    where CEPII writes ``.``).

    Raises
    ------
    DataError  on an unknown code, a non-numeric or negative value, a flag
    other than 0/1, or a pair present twice after the mapping.
    """
    path = raw / RAW_FILE
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    codes = sorted(set(df["iso_o"]) | set(df["iso_d"]))
    mapping = _code_map(codes, universe, log)
    df = df[df["iso_o"].isin(mapping) & df["iso_d"].isin(mapping)].copy()
    df["iso_o"] = df["iso_o"].map(mapping)
    df["iso_d"] = df["iso_d"].map(mapping)
    df = df[df["iso_o"] < df["iso_d"]]
    dup = df.duplicated(["iso_o", "iso_d"])
    if dup.any():
        row = df[dup].iloc[0]
        raise DataError(f"{SOURCE}: pair {row['iso_o']}-{row['iso_d']} appears twice after mapping")
    for col in FLAGS:
        bad = ~df[col].isin(["0", "1"])
        if bad.any():
            row = df[bad].iloc[0]
            raise DataError(
                f"{SOURCE}: {col} for {row['iso_o']}-{row['iso_d']} is {row[col]!r}, not 0 or 1"
            )
        df[col] = df[col].astype(int)
    for col in DISTANCES:
        text = df[col].str.strip()
        num = pd.to_numeric(text.where(text != "."), errors="coerce")
        bad = (num.isna() & (text != ".")) | (num < 0) | ~np.isfinite(num.fillna(0.0))
        if bad.any():
            row = df[bad].iloc[0]
            raise DataError(
                f"{SOURCE}: {col} for {row['iso_o']}-{row['iso_d']} is {row[col]!r}; "
                "distances must be numbers >= 0 ('.' = missing)"
            )
        df[col] = num.astype(float)
    df = df.sort_values(["iso_o", "iso_d"]).reset_index(drop=True)
    return df[list(DYAD_COLUMNS)]


def cepii_report(dyads: pd.DataFrame, universe: Universe) -> dict[str, list[str]]:
    """What the CEPII pairs lack: table countries absent, pairs without ``distw``.

    Examples
    --------
    >>> d = pd.DataFrame({"iso_o": ["A"], "iso_d": ["B"], "distw": [float("nan")]})
    >>> cepii_report(d, Universe(frozenset("ABC"), frozenset()))
    {'countries_absent': ['C'], 'pairs_without_distw': ['A-B']}
    """
    present = set(dyads["iso_o"]) | set(dyads["iso_d"])
    no_w = dyads[dyads["distw"].isna()]
    return {
        "countries_absent": sorted(universe.iso3 - present),
        "pairs_without_distw": [
            f"{o}-{d}" for o, d in zip(no_w["iso_o"], no_w["iso_d"], strict=True)
        ],
    }
