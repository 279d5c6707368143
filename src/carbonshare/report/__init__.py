"""Reports: the offline HTML page, static figures, interactive maps, browser check.

- :class:`Report` (``carbonshare.report.html``): one self-contained HTML file.
- ``carbonshare.report.figures``: matplotlib figures for papers (PNG + SVG).
- ``carbonshare.report.interactive``: plotly figures and maps for the report.
- ``carbonshare.report.browser``: open a page in headless Chromium and check
  that it loads with no console error and no network request.

Only the page builder is imported here; the plotting modules import
matplotlib / plotly / geopandas when used.
"""

from carbonshare.report.html import Report

__all__ = ["Report"]
