"""Bundled real country data, country names and codes, user data and validation.

Light at import: pandas only (geopandas and wbgapi are imported inside the
functions that need them).

>>> from carbonshare.data import load_panel, load_countries
>>> load_panel(["population"]).loc[("IND", 2020), "population"] > 1e9
np.True_
"""

from carbonshare.data.bundled import (
    build_report,
    indicator_catalog,
    load_boundaries,
    load_boundaries_gdf,
    load_cepii_pairs,
    load_countries,
    load_panel,
    panel_repairs,
    repairs_used,
    sources,
)
from carbonshare.data.catalog import INDICATOR_NAMES, ZHOU_INDICATORS
from carbonshare.data.names import to_iso3
from carbonshare.data.userdata import read_panel
from carbonshare.data.validate import panel_problems, validate_panel

__all__ = [
    "INDICATOR_NAMES",
    "ZHOU_INDICATORS",
    "build_report",
    "indicator_catalog",
    "load_boundaries",
    "load_boundaries_gdf",
    "load_cepii_pairs",
    "load_countries",
    "load_panel",
    "panel_problems",
    "panel_repairs",
    "read_panel",
    "repairs_used",
    "sources",
    "to_iso3",
    "validate_panel",
]
