"""Rebuild the bundled data from the raw files.

Usage::

    python -m carbonshare.data.build --raw ../shared/data/raw [--out DIR]

Reads the raw files described in ``SOURCES.md`` / ``SOURCES_BLUE.md``, maps
every name to ISO3 through the explicit tables in ``carbonshare/data/mappings``
and writes into ``carbonshare/data/bundled`` (or ``--out``):

- ``panel.csv.gz``  ISO3 x year panel (1990 to the last year of any source);
- ``countries.csv`` the country table;
- ``boundaries_110m.json.gz`` Natural Earth 110m boundaries with ``iso3``;
- ``dist_cepii.csv.gz`` CEPII GeoDist country pairs (distances, contiguity, language);
- ``repairs.csv``   every repaired country-year of the panel (docs/data.md);
- ``sources.csv``   provenance; ``build_report.json`` what was left out.

An unmapped name, an unknown code or an unexpected value (non-numeric,
non-finite, negative, percentage above 100) stops the build with a
:class:`~carbonshare.errors.DataError` naming it.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import logging
import sys
from pathlib import Path

import pandas as pd

from carbonshare.data import raw as rw
from carbonshare.data import repairs
from carbonshare.data.bundled import (
    BOUNDARIES_FILE,
    BUNDLED,
    COUNTRIES_FILE,
    DYADS_FILE,
    PANEL_FILE,
    REPAIRS_FILE,
    REPORT_FILE,
    SOURCES_FILE,
)
from carbonshare.data.catalog import INDICATOR_NAMES, PERCENT_INDICATORS
from carbonshare.data.cepii import cepii_report, read_cepii_dist
from carbonshare.data.country_table import build_countries, natural_earth_iso3
from carbonshare.data.provenance import sources_frame
from carbonshare.data.unsd import SOURCE as SOURCE_UNSD
from carbonshare.data.unsd import read_unsd_gdp
from carbonshare.errors import DataError

logger = logging.getLogger(__name__)


GM = "gapminder-systema-globalis"
_GM_SERIES = {
    "co2_per_ppp_gdp": "co2_intensity_of_economic_output_kg_co2_per_2021_ppp_of_gdp",
    "urban_pct_recent": "urban_population_percent_of_total",
    "services_employment_pct": "service_workers_percent_of_employment",
    "forest_area_km2": "forest_area_sq_km",
    "gdp_per_employed": "gdpperemployee_us_inflation_adjusted",
    "gni_per_capita_usd": "gnipercapita_atlasmethod_current_us",
    "gni_ppp": "total_gni_ppp_current_international",
}


#: panel column -> (WDI code, file in wb_wdi_api/), World Bank per-indicator downloads
_WDI_API = {
    "co2_wdi_t": ("EN.ATM.CO2E.KT", "API_EN.ATM.CO2E.KT_DS2_en_csv_v2_6299644.csv"),
    "co2_per_ppp_gdp_wdi": ("EN.ATM.CO2E.PP.GD", "API_EN.ATM.CO2E.PP.GD_DS2_en_csv_v2_4904492.csv"),
    "gdp_ppp_usd": ("NY.GDP.MKTP.PP.CD", "API_NY.GDP.MKTP.PP.CD_DS2_en_csv_v2_5455171.csv"),
    "renewables_pct": ("EG.FEC.RNEW.ZS", "API_EG.FEC.RNEW.ZS_DS2_en_csv_v2_5995541.csv"),
}


def build_panel(
    raw: Path, universe: rw.Universe, log: rw.BuildLog, countries: pd.DataFrame
) -> pd.DataFrame:
    """Wide panel indexed by (iso3, year), one float column per indicator.

    The repairs of single country-years (forest-rent zeros read as missing,
    derived 2020 CO2 intensity, UNSD GDP gap fill) go to ``log.repairs``.
    """
    parts: dict[str, pd.DataFrame] = {}
    pct = PERCENT_INDICATORS
    parts["population"] = rw.read_wb_long(
        raw / "datahub-population" / "population.csv", "population", universe, log, "datahub-pop"
    )
    parts["gdp_usd"] = rw.read_wb_long(
        raw / "datahub-gdp" / "gdp.csv", "gdp_usd", universe, log, "datahub-gdp"
    )
    parts["co2_t"] = rw.read_gcp(raw / "global-carbon-atlas" / "mtco2_1960-2021.csv", universe, log)
    parts["co2_consumption_t"] = rw.read_owid(
        raw / "owid-consumption-co2" / "consumption-co2-emissions.csv",
        "co2_consumption_t",
        universe,
        log,
        "owid-consumption-co2",
    )
    parts["clean_cooking_pct"] = rw.read_owid(
        raw / "owid-clean-cooking" / "access-to-clean-fuels-and-technologies-for-cooking.csv",
        "clean_cooking_pct",
        universe,
        log,
        "owid-clean-cooking",
        percent=True,
    )
    wdi = raw / "wb-wdi-2021-urban" / "urban-development-raw-2021.csv"
    parts["urban_pct"] = rw.read_wdi_bulk(
        wdi, "SP.URB.TOTL.IN.ZS", "urban_pct", universe, log, "wb-wdi-2021-urban", percent=True
    )
    parts["population_density"] = rw.read_wdi_bulk(
        wdi, "EN.POP.DNST", "population_density", universe, log, "wb-wdi-2021-urban"
    )
    for name, column in _GM_SERIES.items():
        path = raw / GM / f"ddf--datapoints--{column}--by--geo--time.csv"
        parts[name] = rw.read_ddf(
            path, column, name, universe, log, f"gapminder:{column}", percent=name in pct
        )
    ddf = raw / "wb_wdi_ddf"
    rents = rw.read_wdi_ddf(
        ddf / "ddf--datapoints--ny_gdp_frst_rt_zs--by--economy--year.csv",
        "ny_gdp_frst_rt_zs", "forest_rents_pct_gdp", universe, log, "wdi-ddf:ny_gdp_frst_rt_zs",
        percent=True,
    )  # fmt: skip
    parts["forest_rents_pct_gdp"], rep = repairs.zeros_after_positive(
        rents, "forest_rents_pct_gdp", "wdi-ddf:ny_gdp_frst_rt_zs"
    )
    log.repair(rep)
    parts["mpa_pct"] = rw.read_wdi_ddf(
        ddf / "ddf--datapoints--er_mrn_ptmr_zs--by--economy--year.csv",
        "er_mrn_ptmr_zs", "mpa_pct", universe, log, "wdi-ddf:er_mrn_ptmr_zs", percent=True,
    )  # fmt: skip
    api = raw / "wb_wdi_api"
    for name, (code, file) in _WDI_API.items():
        parts[name] = rw.read_wdi_bulk(
            api / file, code, name, universe, log, f"wdi-api:{code}", percent=name in pct
        )
    co2_kt = parts["co2_wdi_t"]
    parts["co2_wdi_t"] = co2_kt.assign(value=(co2_kt["value"] * 1000).round(3))
    parts["co2_per_ppp_gdp_wdi"], rep = repairs.derive_ratio(
        parts["co2_per_ppp_gdp_wdi"], co2_kt, parts["gdp_ppp_usd"], 1e6, [2020],
        "co2_per_ppp_gdp_wdi", "EN.ATM.CO2E.KT x 1e6 / NY.GDP.MKTP.PP.CD",
    )  # fmt: skip
    log.repair(rep)
    unsd = read_unsd_gdp(raw, countries, log)
    wb_years = (rw.FIRST_YEAR, int(parts["gdp_usd"]["year"].max()))
    parts["gdp_usd"], rep = repairs.gap_fill(
        parts["gdp_usd"], unsd, wb_years, "gdp_usd", SOURCE_UNSD
    )
    log.repair(rep)
    missing = set(INDICATOR_NAMES) - set(parts)
    if missing:
        raise DataError(f"build has no reader for indicators {sorted(missing)}")
    last = max(int(p["year"].max()) for p in parts.values())
    index = pd.MultiIndex.from_product(
        [sorted(universe.iso3), range(rw.FIRST_YEAR, last + 1)], names=["iso3", "year"]
    )
    panel = pd.DataFrame(index=index)
    for name in INDICATOR_NAMES:
        series = parts[name].set_index(["iso3", "year"])["value"]
        panel[name] = series.reindex(index).astype(float)
    return panel


def build_boundaries(raw: Path, countries: pd.DataFrame, digits: int = 3) -> dict:
    """Natural Earth 110m FeatureCollection with properties ``iso3`` and ``name``."""
    ne = json.loads((raw / "naturalearth-110m" / "ne_110m_admin_0_countries.json").read_text())

    def rnd(obj):
        if isinstance(obj, list):
            if obj and isinstance(obj[0], int | float):
                return [round(float(v), digits) for v in obj]
            return [rnd(v) for v in obj]
        return obj

    features = []
    for feat in ne["features"]:
        p = feat["properties"]
        iso3 = natural_earth_iso3(p)
        name = countries.loc[iso3, "name"] if iso3 in countries.index else p["NAME"]
        geom = {
            "type": feat["geometry"]["type"],
            "coordinates": rnd(feat["geometry"]["coordinates"]),
        }
        features.append(
            {
                "type": "Feature",
                "properties": {"iso3": iso3, "name": name, "ne_name": p["NAME"]},
                "geometry": geom,
            }
        )
    features.sort(key=lambda f: f["properties"]["iso3"])
    return {"type": "FeatureCollection", "features": features}


def build_all(raw: Path) -> dict[str, object]:
    """Every bundled object, built in memory from ``raw``."""
    raw = Path(raw)
    if not raw.is_dir():
        raise DataError(f"raw data folder {raw} not found; pass --raw ../shared/data/raw")
    log = rw.BuildLog()
    meta = rw.read_wb_metadata(raw)
    universe = rw.universe_from_metadata(meta)
    countries = build_countries(raw, universe, meta)
    panel = build_panel(raw, universe, log, countries)
    boundaries = build_boundaries(raw, countries)
    dyads = read_cepii_dist(raw, universe, log)
    panel_repairs = pd.concat(log.repairs, ignore_index=True)
    panel_repairs = panel_repairs.sort_values(["column", "iso3", "year"]).reset_index(drop=True)
    report = {
        "first_year": rw.FIRST_YEAR,
        "countries": len(countries),
        "dropped": log.dropped,
        "cepii": cepii_report(dyads, universe),
        "repairs": {
            f"{c} {a}": int(n)
            for (c, a), n in panel_repairs.groupby(["column", "action"]).size().items()
        },
    }
    return {
        "panel": panel,
        "countries": countries,
        "boundaries": boundaries,
        "dyads": dyads,
        "repairs": panel_repairs,
        "sources": sources_frame(),
        "report": report,
    }


def _gzip_bytes(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as fh:
        fh.write(data)
    return buf.getvalue()


def write_all(built: dict[str, object], out: Path) -> list[Path]:
    """Write the objects of :func:`build_all` into ``out``; returns the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    panel: pd.DataFrame = built["panel"]  # type: ignore[assignment]
    countries: pd.DataFrame = built["countries"]  # type: ignore[assignment]
    dyads: pd.DataFrame = built["dyads"]  # type: ignore[assignment]
    files = {
        PANEL_FILE: _gzip_bytes(panel.to_csv(lineterminator="\n").encode()),
        DYADS_FILE: _gzip_bytes(dyads.to_csv(index=False, lineterminator="\n").encode()),
        REPAIRS_FILE: built["repairs"].to_csv(index=False, lineterminator="\n").encode(),  # type: ignore[union-attr]
        COUNTRIES_FILE: countries.to_csv(lineterminator="\n").encode(),
        BOUNDARIES_FILE: _gzip_bytes(
            json.dumps(built["boundaries"], separators=(",", ":"), ensure_ascii=False).encode()
        ),
        SOURCES_FILE: built["sources"].to_csv(index=False, lineterminator="\n").encode(),  # type: ignore[union-attr]
        REPORT_FILE: (json.dumps(built["report"], indent=1, sort_keys=True) + "\n").encode(),
    }
    return write_files(files, out)


def write_files(files: dict[str, bytes], out: Path) -> list[Path]:
    """Write each ``name: bytes`` into ``out``, each through a ``.part`` file renamed when
    complete (an interrupted build never leaves a truncated bundled file); returns the paths."""
    paths = []
    for name, data in files.items():
        path = Path(out) / name
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line of the build (``python -m carbonshare.data.build``)."""
    parser = argparse.ArgumentParser(
        prog="python -m carbonshare.data.build",
        description="Rebuild carbonshare's bundled data from the raw files.",
    )
    parser.add_argument("--raw", required=True, type=Path, help="raw data folder")
    parser.add_argument("--out", type=Path, default=BUNDLED, help=f"output folder ({BUNDLED})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from carbonshare.data.build_blue import build_blue, write_blue

    try:
        built = build_all(args.raw)
        paths = write_all(built, args.out)
        paths += write_blue(build_blue(args.raw, built["countries"]), args.out)  # blue carbon
    except DataError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    for p in paths:
        sys.stderr.write(f"wrote {p} ({p.stat().st_size:,} bytes)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
