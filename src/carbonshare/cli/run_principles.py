"""`carbonshare run principles`."""

from __future__ import annotations

from carbonshare.cli.run import app  # noqa: F401  (commands are registered on it)
