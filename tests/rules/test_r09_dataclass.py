"""RQ201 unknown-dataclass (R9, catalog)."""

from __future__ import annotations

from functools import partial

import pytest

from restquery.catalog import Catalog

from .harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ201", catalog=CATALOG)
expect_errors = partial(assert_rule_errors, "RQ201", catalog=CATALOG)

QODLY = Catalog.from_json({
    "methods": [{"name": "hidden", "applyTo": "dataStore", "exposed": False}],
    "dataClasses": [
        {"name": "Employee", "exposed": True, "attributes": []},
        {"name": "Secret", "exposed": False, "attributes": []},
    ],
})
SHORT = Catalog.from_json({"dataClasses": [{"name": "Employee", "uri": "/rest/$catalog/Employee"}]})


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus) whose dataclass is in the example catalog
        "/rest/Company(1)",
        "/rest/Company[1]",
        "/rest/Company:companyCode(Acme001)",
        "/rest/Employee/salary/?$compute=sum",
        "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7",
        "{{ApiEndpoint}}/rest/Users:Name(user1)",
        "/rest/City/getCity",
        "/rest/$catalog",
        "/rest/$catalog/$all",
        "/rest/$catalog/Employee",  # P17
        "/rest/$catalog/authentify",  # P18: a datastore function
        "/rest/$catalog/getName",
        "/rest/$info",
        "/rest/$singleton/VehicleFactory/buildVehicle",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employe(1)", [("RQ201", "Employe")]),
        ("/rest/employee", [("RQ201", "employee")]),
        ("/rest/Employees(2)/Lastname", [("RQ201", "Employees")]),
        ("/rest/Employe/firstName,lastName", [("RQ201", "Employe")]),
        ("/rest/Compagny:companyCode(Acme001)", [("RQ201", "Compagny")]),
        ("/rest/Speciality/$entityset/DF6903FB5879404A9A818884CFC6F62A", [("RQ201", "Speciality")]),
        ("/rest/$catalog/Employe", [("RQ201", "Employe")]),
        ("/rest/$catalog/nothing", [("RQ201", "nothing")]),
    ],
)
def test_errors(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_case_fix_and_hint() -> None:
    url = "/rest/employee(1)?$top=1"
    [d] = expect_errors(url, [("RQ201", "employee")])
    assert d.message == "The dataclass `employee` is not in the catalog."
    assert d.hint == "did you mean `Employee`?"
    assert d.fix is not None and d.fix.apply(url) == "/rest/Employee(1)?$top=1"


def test_suggestions_hidden() -> None:
    [d] = expect_errors("/rest/employee", [("RQ201", "employee")], hide_suggestions=True)
    assert d.hint is None and d.fix is None


def test_not_exposed() -> None:
    [d] = assert_rule_errors("RQ201", "/rest/Secret(1)", [("RQ201", "Secret")], catalog=QODLY)
    assert d.message == "The dataclass `Secret` is not exposed."
    assert_rule_errors("RQ201", "/rest/$catalog/Secret", [("RQ201", "Secret")], catalog=QODLY)
    # not exposed dataclasses are not suggested
    [d] = assert_rule_errors("RQ201", "/rest/Secrte", [("RQ201", "Secrte")], catalog=QODLY)
    assert d.hint is None


def test_short_catalog_checks_names() -> None:
    assert_rule_valid("RQ201", "/rest/Employee(1)/anything", catalog=SHORT)
    assert_rule_errors("RQ201", "/rest/Employe(1)", [("RQ201", "Employe")], catalog=SHORT)


def test_catalog_without_datastore_functions() -> None:
    # A 4D /rest/$catalog lists no datastore functions: `$catalog/x` may name one.
    assert_rule_valid("RQ201", "/rest/$catalog/authentify", catalog=SHORT)
    # ...unless the name is a dataclass name in another case.
    assert_rule_errors("RQ201", "/rest/$catalog/employee", [("RQ201", "employee")], catalog=SHORT)


def test_datastore_function_not_exposed_is_r11s() -> None:
    assert_rule_valid("RQ201", "/rest/$catalog/hidden", catalog=QODLY)


def test_without_catalog_nothing_runs() -> None:
    assert_rule_valid("RQ201", "/rest/Nothing(1)")


@pytest.mark.parametrize("method", ["GET", "POST", None])
def test_method_does_not_matter(method: str | None) -> None:
    expect_errors("/rest/Employe", [("RQ201", "Employe")], method=method)
