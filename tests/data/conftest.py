"""Shared fixtures of the data tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RAW = REPO.parent / "shared" / "data" / "raw"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw data folder ``<repo>/../shared/data/raw`` (skip only if absent)."""
    if not RAW.is_dir():
        pytest.skip(f"raw data folder {RAW} is absent (CI has ../shared beside the clone)")
    return RAW


@pytest.fixture(scope="session")
def fresh_build(raw_dir):
    """Every bundled object built in memory from the raw files."""
    from carbonshare.data.build import build_all

    return build_all(raw_dir)
