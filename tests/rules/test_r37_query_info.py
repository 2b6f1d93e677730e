"""R37: `$querypath`/`$queryplan` without `$filter` (RQ341)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ341")
expect_errors = partial(assert_rule_errors, "RQ341")


@pytest.mark.parametrize(
    "url",
    [
        '/rest/Orders?$filter="Quantity > 4 AND Purchaser.Name = user2"&$queryplan=true',
        '/rest/Employee?$filter="lastName=Jones"&$querypath=true',
        "/rest/$querypath",
        "/rest/Employee?$querypath=false",
        "/rest/$info?$querypath=true",  # R42's
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee?$querypath=true", [("RQ341", "$querypath=true")]),
        (
            "/rest/Employee?$queryplan=true&$querypath=true",
            [("RQ341", "$queryplan=true"), ("RQ341", "$querypath=true")],
        ),
        ('/rest/Employee?$orderby="lastName"&$QueryPlan=true', [("RQ341", "$QueryPlan=true")]),
        ('/rest/Employee?filter="lastName=Jones"&$querypath=true', [("RQ341", "$querypath=true")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)
