"""R43: collection parameters on a single entity (RQ353)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ353")
expect_errors = partial(assert_rule_errors, "RQ353")


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Company(1)",
        "/rest/Company(1)/?$attributes=employees.lastname",
        "/rest/Company:companyCode(Acme001)?$attributes=name,address,staff.name",
        "/rest/Employee(22)/?$method=delete",
        "/rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastName ASC",
        "/rest/Users[10]/Orders?$expand=Orders&$top=3",  # P8: related entities
        "/rest/Employee(11)?$method=entityset&$timeout=600&$top=3",  # Qodly table
        '/rest/Employee?$filter="ID>1"&$orderby="lastName"&$top=3',
        "/rest/Company(1)?$distinct=true&$compute=sum",  # R19/R18 errors
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ('/rest/Employee(1)?$orderby="lastName"', [("RQ353", '$orderby="lastName"')]),
        (
            '/rest/Employee[1]?$filter="ID>1"&$top=2',
            [("RQ353", '$filter="ID>1"'), ("RQ353", "$top=2")],
        ),
        (
            "/rest/Employee:lastname(Jones)?$skip=1&$limit=2",
            [("RQ353", "$skip=1"), ("RQ353", "$limit=2")],
        ),
        ("/rest/Company(1)/name,address?$asArray=true", [("RQ353", "$asArray=true")]),
        ("/rest/Company(1)/?$format=looker", [("RQ353", "$format=looker")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_entity_function_with_catalog() -> None:
    url = '/rest/City(2)/getPopulation?$filter="ID>1"'
    expect_valid(url)  # without a catalog: P8, maybe related entities
    [d] = expect_errors(url, [("RQ353", '$filter="ID>1"')], catalog=CATALOG)
    assert d.severity == "warning" and d.param == "$filter"
