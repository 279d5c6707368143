"""Refresh the World Bank indicators from the WDI API (extra ``[worldbank]``).

``carbonshare data refresh`` downloads the World Bank series behind the
bundled panel with `wbgapi <https://pypi.org/project/wbgapi/>`_ into a user
cache folder; :func:`load_refreshed_panel` reads them back in the shape of
:func:`carbonshare.data.load_panel`. The bundled data are never modified.
Non-WB columns (GCP CO2, consumption CO2) are not refreshed.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

from carbonshare.errors import DataError

logger = logging.getLogger(__name__)

#: Panel column -> World Bank WDI series code fetched by :func:`refresh`.
WB_SERIES: dict[str, str] = {
    "population": "SP.POP.TOTL",
    "gdp_usd": "NY.GDP.MKTP.CD",
    "co2_per_ppp_gdp": "EN.GHG.CO2.RT.GDP.PP.KD",
    "urban_pct": "SP.URB.TOTL.IN.ZS",
    "clean_cooking_pct": "EG.CFT.ACCS.ZS",
    "services_employment_pct": "SL.SRV.EMPL.ZS",
    "forest_rents_pct_gdp": "NY.GDP.FRST.RT.ZS",
    "forest_area_km2": "AG.LND.FRST.K2",
    "gdp_per_employed": "SL.GDP.PCAP.EM.KD",
    "gni_per_capita_usd": "NY.GNP.PCAP.CD",
    "gni_ppp": "NY.GNP.MKTP.PP.CD",
    "population_density": "EN.POP.DNST",
    "gdp_ppp_usd": "NY.GDP.MKTP.PP.CD",
    "renewables_pct": "EG.FEC.RNEW.ZS",
    "mpa_pct": "ER.MRN.PTMR.ZS",
}

PANEL_FILE = "wb_panel.csv.gz"
META_FILE = "wb_refresh.json"


def cache_dir() -> Path:
    """The user cache folder of carbonshare.

    ``$CARBONSHARE_CACHE`` if set; otherwise ``%LOCALAPPDATA%\\carbonshare\\Cache``
    on Windows, ``~/Library/Caches/carbonshare`` on macOS and
    ``$XDG_CACHE_HOME/carbonshare`` (default ``~/.cache/carbonshare``) elsewhere.

    Examples
    --------
    >>> isinstance(cache_dir(), Path)
    True
    """
    env = os.environ.get("CARBONSHARE_CACHE")
    if env:
        return Path(env).expanduser()
    home = Path.home()
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        return base / "carbonshare" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "carbonshare"
    return Path(os.environ.get("XDG_CACHE_HOME", home / ".cache")) / "carbonshare"


def _wbgapi():
    try:
        import wbgapi
    except ImportError as exc:
        raise DataError(
            "carbonshare data refresh needs wbgapi; install it with: "
            "pip install carbonshare[worldbank]"
        ) from exc
    return wbgapi


def records_to_panel(
    records: Iterable[dict], indicators: Sequence[str], countries: pd.Index
) -> tuple[pd.DataFrame, list[str]]:
    """Turn wbgapi ``data.fetch`` records into a wide panel.

    Parameters
    ----------
    records : dicts with ``value``, ``series``, ``economy``, ``aggregate``
        and ``time`` (``labels=False, numericTimeKeys=True``).
    indicators : panel columns requested (keys of :data:`WB_SERIES`).
    countries : ISO3 codes of the country table.

    Returns
    -------
    (panel indexed by iso3, year; economies left out because they are not
    in the country table).

    Raises
    ------
    DataError  on a non-numeric, non-finite, negative or > 100 % value.
    """
    from carbonshare.data.raw import check_values
    from carbonshare.data.validate import is_percent

    code_to_name = {WB_SERIES[i]: i for i in indicators}
    rows = [
        {"iso3": r["economy"], "year": r["time"], "series": r["series"], "value": r["value"]}
        for r in records
        if not r.get("aggregate", False) and r["value"] is not None
    ]
    df = pd.DataFrame(rows, columns=["iso3", "year", "series", "value"])
    unknown_series = sorted(set(df["series"]) - set(code_to_name))
    if unknown_series:
        raise DataError(f"wbgapi returned series {unknown_series} that were not requested")
    df["year"] = df["year"].map(lambda t: int(str(t).removeprefix("YR")))
    df["indicator"] = df["series"].map(code_to_name)
    outside = sorted(set(df["iso3"]) - set(countries))
    df = df[df["iso3"].isin(countries)]
    parts = []
    for name, sub in df.groupby("indicator"):
        sub = sub.assign(entity=sub["iso3"])
        parts.append(check_values(sub, str(name), "World Bank API", percent=is_percent(str(name))))
    long = pd.concat(parts) if parts else df.assign(value=pd.Series(dtype=float))
    wide = long.pivot_table(
        index=["iso3", "year"], columns="indicator", values="value", aggfunc="first"
    )
    wide = wide.reindex(columns=list(indicators)).astype(float)
    wide.columns.name = None
    return wide.sort_index(), outside


def refresh(
    indicators: Sequence[str] | None = None,
    *,
    years: tuple[int, int] | None = None,
    out_dir: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Download the World Bank series of the panel into the cache.

    Parameters
    ----------
    indicators : panel columns to fetch (default: all of :data:`WB_SERIES`).
    years : inclusive range (default 1990 to the current year).
    out_dir : folder to write to (default :func:`cache_dir`).
    progress : called with each series code before it is fetched.

    Returns
    -------
    Path of the written panel (``wb_panel.csv.gz``; metadata in
    ``wb_refresh.json``: retrieval time, series, wbgapi version, economies
    left out).

    Raises
    ------
    DataError  if wbgapi is missing, an indicator has no WB series, or the
        API returns bad values.
    """
    wb = _wbgapi()
    indicators = list(indicators or WB_SERIES)
    bad = [i for i in indicators if i not in WB_SERIES]
    if bad:
        raise DataError(
            f"no World Bank series for {bad}; refreshable indicators: {', '.join(WB_SERIES)}"
        )
    lo, hi = years or (1990, _dt.date.today().year)
    from carbonshare.data.bundled import _countries

    records: list[dict] = []
    for name in indicators:
        code = WB_SERIES[name]
        if progress is not None:
            progress(code)
        logger.info("fetching %s (%s) %d-%d", code, name, lo, hi)
        try:
            records.extend(
                wb.data.fetch(
                    code,
                    economy="all",
                    time=range(lo, hi + 1),
                    skipAggs=True,
                    skipBlanks=True,
                    numericTimeKeys=True,
                )
            )
        except Exception as exc:  # network or API errors, reported with the series
            raise DataError(
                f"World Bank API request for {code} ({name}) failed: {exc}; "
                "check the network connection or retry later"
            ) from exc
    panel, outside = records_to_panel(records, indicators, _countries().index)
    out = Path(out_dir) if out_dir is not None else cache_dir()
    out.mkdir(parents=True, exist_ok=True)
    path = out / PANEL_FILE
    panel.to_csv(path, lineterminator="\n")
    meta = {
        "retrieved_utc": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "years": [lo, hi],
        "series": {i: WB_SERIES[i] for i in indicators},
        "wbgapi_version": getattr(wb, "__version__", "unknown"),
        "rows": len(panel),
        "economies_not_in_country_table": outside,
    }
    (out / META_FILE).write_text(json.dumps(meta, indent=1) + "\n")
    if outside:
        logger.info("left out %d economies not in the country table: %s", len(outside), outside)
    return path


def load_refreshed_panel(cache: str | Path | None = None) -> pd.DataFrame:
    """The panel written by :func:`refresh` (same shape as ``load_panel``).

    Raises
    ------
    DataError  if no refresh has been run (says which command to run).
    """
    from carbonshare.data.bundled import read_panel_file

    path = Path(cache or cache_dir()) / PANEL_FILE
    if not path.is_file():
        raise DataError(f"no refreshed data at {path}; run: carbonshare data refresh")
    df = read_panel_file(path)
    df.attrs["refresh"] = json.loads((path.parent / META_FILE).read_text())
    return df
