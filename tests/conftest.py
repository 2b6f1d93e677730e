"""Shared fixtures for the restquery test suite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

#: The project's shared directory (spec, corpus, schemas), beside the repository root.
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` relative to the repository root (spec, corpus, schemas)."""
    return SHARED_DIR


@pytest.fixture(scope="session")
def sarif_schema(shared_dir: Path) -> dict:
    """The official SARIF 2.1.0 schema (``../shared/schemas``)."""
    return json.loads((shared_dir / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validate_sarif(doc: dict, schema: dict) -> None:
    """Fail with the first schema errors of ``doc``."""
    import jsonschema

    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
