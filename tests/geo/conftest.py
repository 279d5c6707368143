"""Fixtures of the geo tests."""

from __future__ import annotations

from pathlib import Path

import pytest

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw data folder ``<repo>/../shared/data/raw`` (skip only if absent, as in tests/data)."""
    if not RAW.is_dir():
        pytest.skip(f"raw data folder {RAW} is absent (CI has ../shared beside the clone)")
    return RAW
