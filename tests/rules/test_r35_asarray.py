"""R35: `$asArray=true` with another result shape (RQ338)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ338")
expect_errors = partial(assert_rule_errors, "RQ338")


@pytest.mark.parametrize(
    "url",
    [
        '{{ApiEndpoint}}/rest/Users/?$filter="Name begin u"&$top=3&$asArray=true',
        '{{ApiEndpoint}}/rest/Users/?$orderby="Name desc"&$asArray=true',
        "{{ApiEndpoint}}/rest/Users/?$top=10&$skip=20&$asArray=true",
        "/rest/Company?$format=json&$asArray=true",
        "/rest/Company?$format=looker&$asArray=false",
        "/rest/Company/name?$distinct=false&$asArray=true",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Company?$format=looker&$asArray=true", [("RQ338", "$asArray=true")]),
        ("/rest/Employee/salary?$compute=sum&$asArray=true", [("RQ338", "$asArray=true")]),
        ("/rest/Company/name?$asArray=true&$distinct=true", [("RQ338", "$asArray=true")]),
        ("/rest/Company/name?$asarray=TRUE&$distinct=true", [("RQ338", "$asarray=TRUE")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_message_names_the_other_parameter() -> None:
    [d] = expect_errors("/rest/Company?$format=looker&$asArray=true", [("RQ338", "$asArray=true")])
    assert "`$format=looker`" in d.message and d.severity == "warning"
