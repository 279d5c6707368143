"""The one exception hierarchy of carbonshare.

Every message says what is wrong, where (country, column, parameter, player)
and how to fix it. The CLI prints ``str(error)`` on one line; ``--debug``
shows the traceback.
"""

from __future__ import annotations


class CarbonshareError(Exception):
    """Base class of every error carbonshare raises on purpose."""


class DataError(CarbonshareError, ValueError):
    """Input data are missing, malformed or out of range."""


class ConfigError(CarbonshareError, ValueError):
    """A study configuration is invalid (the message names the field)."""


class GameError(CarbonshareError, ValueError):
    """A cooperative game or its solution request is invalid."""


class IOTableError(CarbonshareError, ValueError):
    """An input-output table is unbalanced, singular or mislabelled."""
