"""RQ110 duplicate-parameter (R7)."""

from __future__ import annotations

import csv
from functools import partial
from pathlib import Path

import pytest

import restquery

from .harness import assert_rule_errors, assert_rule_valid
from tests.conftest import CORPUS

expect_valid = partial(assert_rule_valid, "RQ110")
expect_errors = partial(assert_rule_errors, "RQ110")


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus)
        "/rest/People/?$filter=\"lastName!=''\"&$savedfilter=\"lastName!=''\"&$orderby=\"salary\"&$savedorderby=\"salary\"&$method=entityset",
        "/rest/Employee?$attributes=lastName,employer.name&$top=10&$skip=1/getHighSalaries",
        "/rest/Employee/$entityset/CB1BCC603DB0416D939B4ED379277F02?$skip=20&$top=10",
        # $top and $limit are two names (R30's business); so are $atomic and $atOnce
        "/rest/Employee?$top=10&$limit=10",
        "/rest/Employee?$method=update&$atomic=true&$atOnce=true",
        # unknown names are not compared
        "/rest/Employee?$foo=1&$foo=1",
        "/rest/Employee?filter=1&filter=1",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee?$top=10&$top=20", [("RQ110", "$top=20")]),
        ("/rest/Employee?$top=10&$skip=1&$top=10", [("RQ110", "$top=10")]),
        ("/rest/Employee?$orderby=\"a\"&$orderBy=\"b\"", [("RQ110", "$orderBy=\"b\"")]),
        ("/rest/Employee?$asArray&$asArray", [("RQ110", "$asArray")]),
        (
            "/rest/Employee?$filter=\"a=1\"&$filter=\"a=1\"&$filter=\"b=2\"",
            [("RQ110", "$filter=\"a=1\""), ("RQ110", "$filter=\"b=2\"")],
        ),
    ],
)
def test_warnings(url: str, expected: list[tuple[str, str]]) -> None:
    found = expect_errors(url, expected)
    assert all(d.severity == "warning" for d in found)


def test_equal_values_are_removed() -> None:
    url = "/rest/Employee?$top=10&$skip=1&$top=10"
    [d] = expect_errors(url, [("RQ110", "$top=10")])
    assert d.fix is not None and d.fix.apply(url) == "/rest/Employee?$top=10&$skip=1"
    assert d.message == "The parameter `$top` is given more than once."


def test_equal_values_with_other_quoting() -> None:
    url = "/rest/Employee?$filter=\"a=1\"&$filter=a=1"
    [d] = expect_errors(url, [("RQ110", "$filter=a=1")])
    assert d.fix is not None and d.fix.apply(url) == "/rest/Employee?$filter=\"a=1\""


def test_different_values_have_no_fix() -> None:
    [d] = expect_errors("/rest/Employee?$top=10&$top=20", [("RQ110", "$top=20")])
    assert d.fix is None and d.hint == "keep one `$top`: the values differ"


@pytest.mark.parametrize("method", ["GET", "POST", None])
def test_method_does_not_matter(method: str | None) -> None:
    expect_errors("/rest/Employee?$top=1&$top=2", [("RQ110", "$top=2")], method=method)





def test_corpus() -> None:
    """Every documented example: only the findings the spec calls for (§12.1)."""
    if not CORPUS.exists():
        pytest.skip(f"corpus not found: {CORPUS}")
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    found = [
        (row["url"], d.code, row["url"][d.start : d.end])
        for row in rows
        for d in restquery.validate(row["url"], method=row["method"] or None, select=["RQ110"])
        if d.code.startswith("RQ1")
    ]
    assert found == []
