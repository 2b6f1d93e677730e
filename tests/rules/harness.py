"""Per-rule test harness (graphql-core style): build checkers with ``functools.partial``.

    expect_valid = partial(assert_rule_valid, "RQ301")
    expect_errors = partial(assert_rule_errors, "RQ301")
    expect_errors("/rest/Company(11)/blobAtt?$binary=true", [("RQ301", "$binary=true")])

``assert_rule_errors`` compares the diagnostics *of the rules under test* by code and by the
exact text their span covers, in order; other rules' findings are ignored, so each test pins
one rule. ``assert_rule_valid`` asserts that rule reports nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import restquery
from restquery.catalog import Catalog

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOG = Catalog.from_json(EXAMPLES / "catalog.json")


def _diags(codes: tuple[str, ...], url: str, **kw: Any) -> list[restquery.Diagnostic]:
    kw.setdefault("select", None)
    diags = restquery.validate(url, **kw)
    return [d for d in diags if d.code in codes]


def assert_rule_valid(codes: str | tuple[str, ...], url: str, **kw: Any) -> None:
    """The rules ``codes`` report nothing on ``url``."""
    codes = (codes,) if isinstance(codes, str) else codes
    found = _diags(codes, url, **kw)
    assert not found, f"{url}: unexpected {[(d.code, url[d.start:d.end], d.message) for d in found]}"


def assert_rule_errors(
    codes: str | tuple[str, ...], url: str, expected: list[tuple[str, str]], **kw: Any
) -> list[restquery.Diagnostic]:
    """The rules ``codes`` report exactly ``expected``: ``(code, text under the span)`` pairs."""
    codes = (codes,) if isinstance(codes, str) else codes
    found = _diags(codes, url, **kw)
    got = [(d.code, url[d.start : d.end]) for d in found]
    assert got == expected, f"{url}: expected {expected}, got {got} ({[d.message for d in found]})"
    for d in found:
        assert d.message and (d.message[0].isupper() or d.message[0] == "`"), d.message
        assert d.message.endswith("."), d.message
        assert d.severity == restquery.rules.get(d.code).severity  # type: ignore[attr-defined]
    return found
