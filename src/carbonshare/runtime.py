"""Process settings of a carbonshare command (the CLI and its helper processes).

Python's full garbage collection (generation 2) walks every object alive, and a study run
holds pandas, pyarrow and matplotlib with them: with the default thresholds the alliance
study ran eight full collections, 0.66 s of its 12 s (issue 14). :func:`command_gc` runs
one every 1,000 generation-1 collections instead of every 10; young objects are collected
as before, so reference cycles made by the run are still freed.
"""

from __future__ import annotations

import gc

__all__ = ["COMMAND_GC_THRESHOLDS", "command_gc"]

COMMAND_GC_THRESHOLDS = (700, 10, 1000)
"""gc thresholds of a command: Python's defaults (700, 10, 10) but for generation 2."""


def command_gc() -> None:
    """Set :data:`COMMAND_GC_THRESHOLDS` (a process running a command, not a library user's)."""
    gc.set_threshold(*COMMAND_GC_THRESHOLDS)
