"""R31: paging parameters are ignored when `$method=entityset` saves a set (RQ333)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ333")
expect_errors = partial(assert_rule_errors, "RQ333")


@pytest.mark.parametrize(
    "url",
    [
        '/rest/People/?$filter="ID>320"&$method=entityset&$timeout=600',
        "/rest/Employee/$entityset/CB1BCC603DB0416D939B4ED379277F02?$skip=20&$top=10",
        "/rest/Employee?$skip=50&$top=10",
        "/rest/Employee?$top=10&$method=subentityset",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            '/rest/People/?$filter="ID>320"&$top=10&$method=entityset',
            [("RQ333", "$top=10")],
        ),
        (
            "/rest/Employee?$skip=5&$limit=10&$method=ENTITYSET",
            [("RQ333", "$skip=5"), ("RQ333", "$limit=10")],
        ),
        ("/rest/Employee?$method=entityset&$top=3", [("RQ333", "$top=3")]),
    ],
)
def test_paging_ignored(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_fix_removes_the_parameter() -> None:
    url = "/rest/Employee?$method=entityset&$top=3"
    [d] = expect_errors(url, [("RQ333", "$top=3")])
    assert d.severity == "warning"
    assert d.param == "$top"
    assert d.fix is not None and d.fix.apply(url) == "/rest/Employee?$method=entityset"
