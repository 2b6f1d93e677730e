"""R45: `$directory/login` with POST (RQ355)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ355")
expect_errors = partial(assert_rule_errors, "RQ355")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", "app.example.com:9000/rest/$directory/login"),
        ("POST", "127.0.0.1:8044/rest/$directory/login"),
        (None, "/rest/$directory/login"),
        ("GET", "/rest/$directory/logout"),
        ("GET", "/rest/$directory/currentUser"),
        ("post", "/rest/$directory/login/"),
    ],
)
def test_valid(method: str | None, url: str) -> None:
    expect_valid(url, method=method)


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        ("GET", "/rest/$directory/login", [("RQ355", "$directory/login")]),
        ("PUT", "app.example.com:9000/rest/$directory/login/", [("RQ355", "$directory/login")]),
    ],
)
def test_invalid(method: str, url: str, expected: list[tuple[str, str]]) -> None:
    [d] = expect_errors(url, expected, method=method)
    assert method in d.message
