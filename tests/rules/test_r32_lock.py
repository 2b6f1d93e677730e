"""R32: `$lock` is true/false on one entity (RQ334)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ334")
expect_errors = partial(assert_rule_errors, "RQ334")


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Customers(1)/?$lock=true",  # corpus, trailing slash
        "/rest/Customers(1)?$lock=false",
        "/rest/Customers[1]/?$lock=true",
        "/rest/Company:companyCode(Acme001)?$lock=TRUE",
        "/rest/Customers(1)",
        "/rest/$catalog?$lock=true",  # descriptive resources are R42's
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Customers(1)/?$lock=yes", [("RQ334", "yes")]),
        ("/rest/Customers(1)/?$lock=1", [("RQ334", "1")]),
        ("/rest/Customers(1)/?$lock", [("RQ334", "$lock")]),
        ("/rest/Customers(1)/?$lock=", [("RQ334", "$lock=")]),
        ("/rest/Customers?$lock=true", [("RQ334", "$lock=true")]),
        (
            "/rest/Customers/$entityset/9718A30BF61343C796345F3BE5B01CE7?$lock=true",
            [("RQ334", "$lock=true")],
        ),
        ("/rest/Company(1)/staff?$lock=true", [("RQ334", "$lock=true")]),
        ("/rest/Company(1)/name,address?$lock=false", [("RQ334", "$lock=false")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_missing_value_fix() -> None:
    url = "/rest/Customers(1)/?$lock"
    [d] = expect_errors(url, [("RQ334", "$lock")])
    assert d.fix is not None and d.fix.apply(url) == "/rest/Customers(1)/?$lock=true"


def test_percent_encoded_value_span() -> None:
    url = "/rest/Customers(1)?$lock=%79es"
    expect_errors(url, [("RQ334", "%79es")])
