"""Importing indicators, geo and cooperation must not pull in the heavy optional stack."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("statsmodels", "networkx", "scipy", "pyproj", "matplotlib", "geopandas")


def test_subpackages_import_light():
    code = (
        "import sys, carbonshare.indicators, carbonshare.geo, carbonshare.cooperation; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
