"""RQ109 parameter-without-dollar (R6b)."""

from __future__ import annotations

import csv
from functools import partial
from pathlib import Path

import pytest

import restquery

from .harness import assert_rule_errors, assert_rule_valid
from tests.conftest import CORPUS

expect_valid = partial(assert_rule_valid, "RQ109")
expect_errors = partial(assert_rule_errors, "RQ109")


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Person/?$filter=\"lastName=Smith\"",
        "/rest/Employee(22)/?$method=delete",
        "/rest/Employee?$fitler=1",  # R6's
        "/rest/Employee?%24filter=%22a=1%22",
        "/rest/Employee",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # corpus (§12.1): the $filter page's typo
        ("/rest/Person/?filter=\"objAttribute.prop2 == 9181\"", [("RQ109", "filter")]),
        # doc tables' space after `&` (§1.2)
        ("/rest/Employee?$filter=\"ID=11\"& $method=delete", [("RQ109", " $method")]),
        ("/rest/Employee?$top=1&%20$skip=2", [("RQ109", "%20$skip")]),
        # Qodly's `&?` template (§1.2)
        ("/rest/Employee?$method=entityset&?$timeout=600", [("RQ109", "?$timeout")]),
        # unknown names
        ("/rest/Employee?fitler=1", [("RQ109", "fitler")]),
        ("/rest/Employee?_=1700000000", [("RQ109", "_")]),
        ("/rest/Employee?top=1&skip=2", [("RQ109", "top"), ("RQ109", "skip")]),
    ],
)
def test_warnings(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_add_dollar_fix() -> None:
    url = "/rest/Person/?filter=\"lastName=Smith\""
    [d] = expect_errors(url, [("RQ109", "filter")])
    assert d.severity == "warning"
    assert d.message == "The parameter name `filter` does not start with `$`; the server ignores it."
    assert d.hint == "add `$`: `$filter`"
    assert d.fix is not None and d.fix.apply(url) == "/rest/Person/?$filter=\"lastName=Smith\""


def test_remove_space_fix() -> None:
    url = "/rest/Employee(22)?$top=1& $method=delete"
    [d] = expect_errors(url, [("RQ109", " $method")])
    assert d.hint == "remove the space before `$method`"
    assert d.fix is not None and d.fix.apply(url) == "/rest/Employee(22)?$top=1&$method=delete"


def test_remove_question_mark_fix() -> None:
    url = "/rest/Employee?$method=entityset&?$timeout=600"
    [d] = expect_errors(url, [("RQ109", "?$timeout")])
    assert d.hint == "remove the `?` before `$timeout`"
    assert d.fix is not None and d.fix.apply(url) == "/rest/Employee?$method=entityset&$timeout=600"


def test_encoded_space_has_no_fix() -> None:
    [d] = expect_errors("/rest/Employee?$top=1&%20$skip=2", [("RQ109", "%20$skip")])
    assert d.fix is None and d.hint == "remove the space before `$skip`"


def test_unknown_name_hint() -> None:
    [d] = expect_errors("/rest/Employee?fitler=1", [("RQ109", "fitler")])
    assert d.fix is None
    assert d.hint is not None and "`$filter`" in d.hint


@pytest.mark.parametrize("method", ["GET", "POST", None])
def test_method_does_not_matter(method: str | None) -> None:
    expect_errors("/rest/Person/?filter=\"a=1\"", [("RQ109", "filter")], method=method)





def test_corpus() -> None:
    """Every documented example: only the findings the spec calls for (§12.1)."""
    if not CORPUS.exists():
        pytest.skip(f"corpus not found: {CORPUS}")
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    found = [
        (row["url"], d.code, row["url"][d.start : d.end])
        for row in rows
        for d in restquery.validate(row["url"], method=row["method"] or None, select=["RQ109"])
        if d.code.startswith("RQ1")
    ]
    assert found == [
        ('/rest/Person/?filter="objAttribute.prop2 == 9181"', "RQ109", "filter"),
    ]


def test_stray_character_without_dollar() -> None:
    [d] = expect_errors("/rest/Employee?$top=1&?filter=1", [("RQ109", "?filter")])
    assert d.fix is None and d.param is None
    [d] = expect_errors("/rest/Employee?filter=1", [("RQ109", "filter")])
    assert d.param == "$filter"
