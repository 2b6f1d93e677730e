"""RQ111 invalid-key (R8)."""

from __future__ import annotations

import csv
from functools import partial
from pathlib import Path

import pytest

import restquery

from .harness import CATALOG, assert_rule_errors, assert_rule_valid
from tests.conftest import CORPUS

expect_valid = partial(assert_rule_valid, "RQ111")
expect_errors = partial(assert_rule_errors, "RQ111")


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus)
        "/rest/Company(1)",
        "/rest/Company[1]",
        "{{ApiEndpoint}}/rest/Employee[123]",
        "/rest/Company:companyCode(Acme001)",
        "/rest/Company:companyCode(\"Acme001\")",
        "{{ApiEndpoint}}/rest/Users:Name(user1)",
        "/rest/Employee/addEmployee(John,Smith)",  # L1: arguments, not a key
        # quoted keys with a comma are one key
        "/rest/Company(\"1,2\")",
        "/rest/Company[\"a,b\"]",
        # a one-argument legacy call after the dataclass is not a key
        "/rest/Employee/addEmployee(\"\")",
        "/rest/Employee/$entityset/ABC[123]",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Company(\"\")", [("RQ111", "\"\"")]),
        ("/rest/Company[\"\"]", [("RQ111", "\"\"")]),
        ("/rest/Company( )", [("RQ111", " ")]),
        ("/rest/Company[%20]/name", [("RQ111", "%20")]),
        ("/rest/Company:companyCode(\"\")", [("RQ111", "\"\"")]),
        ("/rest/Company(1,2)", [("RQ111", "1,2")]),
        ("/rest/Company(1,\"x\")/name", [("RQ111", "1,\"x\"")]),
        ("/rest/Employee/$entityset/ABC[\"\"]", [("RQ111", "\"\"")]),
    ],
)
def test_errors(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_messages() -> None:
    [d] = expect_errors("/rest/Company(\"\")", [("RQ111", "\"\"")])
    assert d.message == "The entity key is empty."
    [d] = expect_errors("/rest/Company:companyCode(\"\")", [("RQ111", "\"\"")])
    assert d.message == "The look-up value is empty."
    assert d.hint == "give the `companyCode` value of the entity"
    [d] = expect_errors("/rest/Company(1,2)", [("RQ111", "1,2")])
    assert "composite key" in d.message
    assert d.hint is not None and "quote" in d.hint


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", None])
def test_method_and_catalog_do_not_matter(method: str | None) -> None:
    expect_errors("/rest/Company(1,2)", [("RQ111", "1,2")], method=method, catalog=CATALOG)
    expect_valid("/rest/Company(1)", method=method, catalog=CATALOG)





def test_corpus() -> None:
    """Every documented example: only the findings the spec calls for (§12.1)."""
    if not CORPUS.exists():
        pytest.skip(f"corpus not found: {CORPUS}")
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    found = [
        (row["url"], d.code, row["url"][d.start : d.end])
        for row in rows
        for d in restquery.validate(row["url"], method=row["method"] or None, select=["RQ111"])
        if d.code.startswith("RQ1")
    ]
    assert found == []
