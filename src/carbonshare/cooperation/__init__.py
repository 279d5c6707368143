"""Cooperation: the carbon reduction gravity model and alliances (docs/methods.md A4-A5)."""

from carbonshare.cooperation.alliances import (
    ALLIANCE_METHODS,
    alliance_table,
    alliances,
    linkage_graph,
    strongest_links,
    strongest_partner,
)
from carbonshare.cooperation.gravity import crl_matrix, gravity_mass

__all__ = [
    "ALLIANCE_METHODS",
    "alliance_table",
    "alliances",
    "crl_matrix",
    "gravity_mass",
    "linkage_graph",
    "strongest_links",
    "strongest_partner",
]
