"""R19: `$distinct=true` needs one attribute at the end of the path (RQ312)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ312")
expect_errors = partial(assert_rule_errors, "RQ312")


@pytest.mark.parametrize(
    "url",
    [
        # corpus
        '/rest/Company/name?$filter="name=a*"&$distinct=true',
        '/rest/Users/Name?$filter="Name=J*"&$distinct=true&$skip=1&$top=1',
        "/rest/Employee/salary?$distinct=true",
        "/rest/Employee/address.city?$distinct=true",
        # more
        "/rest/Employee/employer.name/?$distinct=TRUE",
        "/rest/Employee?$distinct=false",  # off
        "/rest/Employee?$distinct=1",  # R33's
        "/rest/$catalog?$distinct=true",  # R42's
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)
    expect_valid(url, catalog=CATALOG)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Company?$distinct=true", [("RQ312", "$distinct=true")]),
        ("/rest/Company/name,address?$distinct=true", [("RQ312", "$distinct=true")]),
        ("/rest/Company(1)/name?$distinct=true", [("RQ312", "$distinct=true")]),
        ("/rest/Company[1]?$distinct=true", [("RQ312", "$distinct=true")]),
        (
            "/rest/Company/$entityset/DF6903FB5879404A9A818884CFC6F62A?$distinct=true",
            [
                ("RQ312", "$distinct=true"),
            ],
        ),
        ("/rest/Employee/addEmployee(John,Smith)?$distinct=true", [("RQ312", "$distinct=true")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    [d] = expect_errors(url, expected)
    assert d.severity == "error" and d.param == "$distinct"


def test_schema_function() -> None:
    url = "/rest/Company/getCompanies?$distinct=true"
    expect_valid(url)  # without a catalog the name may be an attribute
    [d] = expect_errors(url, [("RQ312", "$distinct=true")], catalog=CATALOG)
    assert d.message.endswith("the path ends with a function.")
