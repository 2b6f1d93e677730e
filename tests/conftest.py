"""Shared fixtures for the restquery test suite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

#: The project's shared directory (spec, corpus, schemas), beside the repository root: present in
#: CI, absent from a user's clone (nothing the suite needs is read from it but drift checks).
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"
#: The docs corpus, a copy of ``../shared/corpus/doc-examples.tsv`` kept in the repository.
CORPUS = Path(__file__).resolve().parent / "fixtures" / "doc-examples.tsv"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` relative to the repository root (spec, corpus, schemas)."""
    return SHARED_DIR


@pytest.fixture(scope="session")
def sarif_schema(shared_dir: Path) -> dict | None:
    """The official SARIF 2.1.0 schema (``../shared/schemas``), or ``None`` where it is not
    beside the repository (a user's clone: the schema is not ours to ship)."""
    path = shared_dir / "schemas" / "sarif-schema-2.1.0.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def validate_sarif(doc: dict, schema: dict | None) -> None:
    """Fail with the first errors of ``doc`` against the SARIF 2.1.0 object model (the
    ``sarif-pydantic`` models) and, when it is at hand, the official JSON schema."""
    from pydantic import ValidationError
    from sarif_pydantic import Sarif

    try:
        Sarif.model_validate(doc)
    except ValidationError as err:
        raise AssertionError(f"not a SARIF 2.1.0 log: {err}") from None
    if schema is None:
        return
    import jsonschema

    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.fixture(autouse=True)
def _no_colour_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests decide colour themselves: ``NO_COLOR`` and ``FORCE_COLOR`` from the
    environment running them (a CI runner may set either) are removed, for subprocesses too."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
