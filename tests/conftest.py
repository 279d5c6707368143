"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

RAW = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "raw"
"""The raw source data, ``<repo>/../shared/data/raw`` (beside the clone, as in CI)."""


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw data folder. Without it the tests that read it skip, unless
    ``CARBONSHARE_REQUIRE_RAW=1`` (set by ``.ci/run``): then its absence is a failure."""
    if not RAW.is_dir():
        message = f"raw data folder {RAW} is absent (put ../shared beside the clone)"
        if os.environ.get("CARBONSHARE_REQUIRE_RAW") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return RAW
