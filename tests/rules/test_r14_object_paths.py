"""RQ206 property-of-non-object (R14, catalog)."""

from __future__ import annotations

from functools import partial

import pytest

from .harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ206", catalog=CATALOG)
expect_errors = partial(assert_rule_errors, "RQ206", catalog=CATALOG)


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus) that fit the example catalog
        "/rest/Employee/objectAtt.property1/?$compute=$all",
        "/rest/Employee/objectAttribute.property1/?$compute=sum",
        "/rest/Employee/address.city?$distinct=true",
        "/rest/Person?$filter=\"objAttribute.prop2=9181\"",
        "/rest/Employee?$filter=\"salary>20000 AND employer.name!=acme\"",
        "/rest/Company(1)/?$attributes=employees.*",
        "/rest/Employee(1)?$attributes=employer.name",
        "/rest/People/firstName,employer.name/$entityset/BDCD8AABE13144118A4CF8641D5883F5?$expand=employer",
        "/rest/Orders?$filter=\"Quantity > 4 AND Purchaser.Name = user2\"",
        # objects, aliases of objects, relations, and collections in objects
        "/rest/Employee/employerSettings.theme",
        "/rest/Employee?$filter=\"objectAtt.children[].age>3\"",
        "/rest/Employee?$orderby=\"manager.employer.settings.x desc\"",
        # unknown names are R10's
        "/rest/Employee/salry.amount",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee/salary.amount/?$compute=sum", [("RQ206", "amount")]),
        ("/rest/Employee(1)/lastName.first", [("RQ206", "first")]),
        ("/rest/Employee/firstName.x,lastName", [("RQ206", "x")]),
        ("/rest/Employee?$filter=\"salary.x>1 AND employer.name.first=a\"",
         [("RQ206", "x"), ("RQ206", "first")]),
        ("/rest/Employee?$filter=\"employerName.x=1\"", [("RQ206", "x")]),  # alias of a string
        ("/rest/Employee?$orderby=\"birthday.year\"", [("RQ206", "year")]),
        ("/rest/Employee?$attributes=photo.size", [("RQ206", "size")]),
        ("/rest/Employee?$attributes=employer.name.first.*", [("RQ206", "first")]),
        ("/rest/Employee?$expand=photo.x", [("RQ206", "x")]),
    ],
)
def test_errors(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_message() -> None:
    [d] = expect_errors("/rest/Employee/salary.amount/?$compute=sum", [("RQ206", "amount")])
    assert d.message == (
        "The name `amount` cannot follow `salary`, an attribute of type `number` that has no "
        "properties."
    )
    assert d.hint == "remove `.amount`, or name an object or relation attribute"


def test_r10_does_not_report_the_same_part() -> None:
    url = "/rest/Employee/salary.amount"
    assert_rule_errors(("RQ202", "RQ206"), url, [("RQ206", "amount")], catalog=CATALOG)


def test_without_catalog_nothing_runs() -> None:
    assert_rule_valid("RQ206", "/rest/Employee/salary.amount")


@pytest.mark.parametrize("method", ["GET", "POST", None])
def test_method_does_not_matter(method: str | None) -> None:
    expect_errors("/rest/Employee/salary.amount", [("RQ206", "amount")], method=method)
