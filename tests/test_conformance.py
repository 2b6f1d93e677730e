"""Runs the language-neutral conformance cases of tests/conformance/ (see its README)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import restquery

HERE = Path(__file__).resolve().parent / "conformance"
SCHEMA = json.loads((HERE / "schema.json").read_text(encoding="utf-8"))
FILES = sorted(p for p in HERE.glob("*.json") if p.name not in ("schema.json", "catalog.json"))


@cache
def _catalog(name: str) -> restquery.Catalog:
    return restquery.Catalog.from_json(HERE / name)


def _cases() -> list[Any]:
    out = []
    for path in FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            out.append(pytest.param(case, id=f"{path.stem}[{i}] {case['url'][:60]}"))
    return out


def test_there_are_conformance_files() -> None:
    assert len(FILES) >= 3
    assert sum(len(json.loads(p.read_text())["cases"]) for p in FILES) >= 100


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_matches_schema(path: Path) -> None:
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), SCHEMA)


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict[str, Any]) -> None:
    catalog = _catalog(case["catalog"]) if case["catalog"] else None
    found = restquery.validate(case["url"], method=case["method"], catalog=catalog)
    got = [{"code": d.code, "start": d.start, "end": d.end} for d in found]
    assert got == case["diagnostics"], [(d.code, d.message) for d in found]
