"""R30: `$top`, `$limit`, `$skip` are whole numbers ≥ 0 (RQ331); `$top` with `$limit` (RQ332)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

CODES = ("RQ331", "RQ332")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    "url",
    [
        # corpus
        '/rest/Company/?$filter="name begin a"&$top=3&$format=looker',
        "/rest/Employee/$entityset/CB1BCC603DB0416D939B4ED379277F02?$skip=20&$top=10",
        "/rest/Employee/getHighSalaries?$attributes=lastName,employer.name&$top=10&$skip=1",
        '/rest/Users/Name?$filter="Name=J*"&$distinct=true&$skip=1&$top=1',
        "/rest/Employee?$top=50",
        "/rest/Employee?$skip=50&$top=10",
        "{{ApiEndpoint}}/rest/Users/?$top=10&$skip=20&$asArray=true",
        # more
        "/rest/Employee?$limit=5&$skip=0",
        '/rest/Employee?$top="5"',
        "/rest/Employee?$TOP=5",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # corpus (§12.1): a path segment written after the query
        (
            "/rest/Employee?$attributes=lastName,employer.name&$top=10&$skip=1/getHighSalaries",
            [("RQ331", "1/getHighSalaries")],
        ),
        ("/rest/Employee?$top=ten", [("RQ331", "ten")]),
        ("/rest/Employee?$top=1.5", [("RQ331", "1.5")]),
        ("/rest/Employee?$skip=-1", [("RQ331", "-1")]),
        ("/rest/Employee?$limit=", [("RQ331", "$limit=")]),
        ("/rest/Employee?$skip", [("RQ331", "$skip")]),
        # RQ332
        ("/rest/Employee?$top=10&$limit=10", [("RQ332", "$limit=10")]),
        ("/rest/Employee?$limit=10&$skip=2&$top=5", [("RQ332", "$top=5")]),
        ("/rest/Employee?$top=x&$limit=10", [("RQ331", "x"), ("RQ332", "$limit=10")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_severities_hints_fixes() -> None:
    url = "/rest/Employee?$attributes=lastName,employer.name&$top=10&$skip=1/getHighSalaries"
    [d] = expect_errors(url, [("RQ331", "1/getHighSalaries")])
    assert d.severity == "error" and d.param == "$skip"
    assert d.hint == "move `/getHighSalaries` into the path, before the `?`"
    [d] = expect_errors("/rest/Employee?$top=10&$limit=10", [("RQ332", "$limit=10")])
    assert d.severity == "warning"
    assert (
        d.fix is not None
        and d.fix.apply("/rest/Employee?$top=10&$limit=10") == "/rest/Employee?$top=10"
    )
    [d] = expect_errors("/rest/Employee?$limit=3&$top=5", [("RQ332", "$top=5")])
    assert d.fix is None and d.hint == "remove $top"
