"""Shared fixtures for the restquery test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

#: The project's shared directory (spec, corpus, schemas), beside the repository root.
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` relative to the repository root (spec, corpus, schemas)."""
    return SHARED_DIR
