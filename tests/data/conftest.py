"""Shared fixtures of the data tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def fresh_build(raw_dir):
    """Every bundled object built in memory from the raw files."""
    from carbonshare.data.build import build_all

    return build_all(raw_dir)
