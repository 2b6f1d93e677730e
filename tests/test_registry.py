"""The rule registry: complete, ordered, documented, and docs/rules.md in sync."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from restquery.rules import MODULES, RETIRED, get, registry
from restquery.rules._docs import render

ROOT = Path(__file__).resolve().parents[1]
SPEC_RULES = [f"R{n}" for n in range(1, 51)] + ["R6b"]


def test_every_spec_rule_has_a_module_and_rules() -> None:
    specs = {r.spec for r in registry()}
    assert sorted(set(SPEC_RULES) - specs) == []
    modules = {p.stem for p in (ROOT / "restquery" / "rules").glob("r[0-9]*.py")}
    for spec in SPEC_RULES:
        number = spec[1:]
        stem = f"r{int(number.rstrip('b')):02d}{'b' if number.endswith('b') else ''}_"
        assert any(m.startswith(stem) for m in modules), spec


def test_the_module_list_is_every_rule_module_in_order() -> None:
    # A rule module missing from MODULES would never run; one listed twice would run twice.
    on_disk = sorted(p.stem for p in (ROOT / "restquery" / "rules").glob("r[0-9]*.py"))
    assert list(MODULES) == on_disk


def test_rules_never_import_rules() -> None:
    # What several rules need is a fact of restquery.semantics.facts (or of the context), so
    # that a rule module can be read, moved or removed on its own.
    import ast

    for path in sorted((ROOT / "restquery" / "rules").glob("r[0-9]*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                assert not re.match(r"restquery\.rules\.r[0-9]", name), f"{path.name} imports {name}"


def test_codes_are_unique_well_formed_and_never_reused() -> None:
    codes = [r.code for r in registry()]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"RQ[1-9][0-9]{2}", c) for c in codes)
    assert not RETIRED & set(codes)
    names = [r.name for r in registry()]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)*", n) for n in names)


def test_registry_is_in_spec_order() -> None:
    def key(spec: str) -> tuple[int, str]:
        return int(spec[1:].rstrip("b")), spec[-1] if spec.endswith("b") else ""

    specs = [key(r.spec) for r in registry()]
    assert specs == sorted(specs)
    sections = [r.code[2] for r in registry()]
    assert sections == sorted(sections)


@pytest.mark.parametrize("rule", registry(), ids=lambda r: r.code)
def test_rule_is_documented(rule) -> None:  # type: ignore[no-untyped-def]
    assert rule.severity in ("error", "warning")
    doc = rule.doc
    for section in ("Why:", "Example:", "Fix:", "Spec:"):
        assert section in doc, f"{rule.code} docstring lacks {section}"
    assert rule.spec in doc.split("Spec:", 1)[1]
    assert rule.message.endswith(".")
    assert get(rule.code) is rule and get(rule.name) is rule


@pytest.mark.parametrize("rule", registry(), ids=lambda r: r.code)
def test_rule_has_tests(rule) -> None:  # type: ignore[no-untyped-def]
    texts = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests" / "rules").glob("test_*.py"))
    assert texts.count(rule.code) >= 2, f"{rule.code} needs a passing and a failing test"


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render(), "docs/rules.md is stale: python -m restquery.rules._docs --write docs/rules.md"


def test_get_unknown_rule() -> None:
    with pytest.raises(KeyError):
        get("RQ999")
