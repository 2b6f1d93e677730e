"""R46: `$entityset/$release` with POST (RQ356)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ356")
expect_errors = partial(assert_rule_errors, "RQ356")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", "/rest/Employee/$entityset/$release"),
        (None, "/rest/Employee/$entityset/$release"),
        ("GET", "/rest/Employee/$entityset/4C51204DD8184B65AC7D79F09A077F24?$method=release"),
    ],
)
def test_valid(method: str | None, url: str) -> None:
    expect_valid(url, method=method)


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        ("GET", "/rest/Employee/$entityset/$release", [("RQ356", "Employee/$entityset/$release")]),
        (
            "DELETE",
            "http://127.0.0.1:8081/rest/Employee/$entityset/$release/",
            [("RQ356", "Employee/$entityset/$release")],
        ),
    ],
)
def test_invalid(method: str, url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, method=method)
