"""RQ203 unknown-function (R11, catalog)."""

from __future__ import annotations

from functools import partial

import pytest

from restquery.catalog import Catalog

from .harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ203", catalog=CATALOG)
expect_errors = partial(assert_rule_errors, "RQ203", catalog=CATALOG)

HIDDEN = Catalog.from_json({
    "methods": [{"name": "hiddenStore", "applyTo": "dataStore", "exposed": False}],
    "singletons": [{"name": "Tools", "methods": [{"name": "secret", "exposed": False}]}],
    "dataClasses": [
        {"name": "City", "attributes": [{"name": "ID", "kind": "storage", "type": "long"}],
         "methods": [
             {"name": "hiddenClass", "applyTo": "dataClass", "exposed": False},
             {"name": "hiddenEntity", "applyTo": "entity", "exposed": False},
         ]},
    ],
})
NO_SINGLETONS = Catalog.from_json({"dataClasses": [{"name": "City", "attributes": []}]})
SHORT = Catalog.from_json({"dataClasses": [{"name": "Employee", "uri": "/rest/$catalog/Employee"}]})


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus) that fit the example catalog
        "/rest/City/getCity",
        "/rest/City/getCity?$params='[\"Aguada\"]'",
        "/rest/City/getCities",
        "127.0.0.1:8111/rest/City(2)/getPopulation",
        "127.0.0.1:8111/rest/City/getPopulation/?$filter=\"ID<3\"",
        "http://127.0.0.1:8044/rest/Students/setFinalExam",
        "http://127.0.0.1:8044/rest/Products/getUserManual?$params='[1,\"pdf\"]'",
        "http://127.0.0.1:8044/rest/$singleton/Shopping/buildShoppingList?$params='[{\"__DATASET\":\"8DB0556854HDK52FR5974F\",\"__ENTITIES\":true}]'",
        "/rest/$singleton/VehicleFactory/buildVehicle",
        "/rest/Employee/getHighSalaries",
        "/rest/Employee/addEmployee",
        "/rest/Employee(3)/getFullName",
        "/rest/Employee/firstName/getHighSalaries",
        "/rest/Employee/addEmployee(John,Smith)",
        "/rest/Employee/getEmployees/firstName",
        "/rest/People/getHighSalaries/firstName,lastName",
        "{{ApiEndpoint}}/rest/Employee/updateEmployee",
        "/rest/$catalog/authentify",
        "/rest/$catalog/getName",
        "/rest/$catalog/Employee",
        # attributes are not functions
        "/rest/Employee/salary?$compute=sum",
        "/rest/Employee(1)/photo",
        # unknown names that are no function anywhere are R10's (or R9's after $catalog/)
        "/rest/Employee/foo",
        "/rest/$catalog/foo",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/$singleton/VehicleFactory/buildVehicule", [("RQ203", "buildVehicule")]),
        ("/rest/$singleton/vehicleFactory/buildVehicle", [("RQ203", "vehicleFactory")]),
        ("/rest/$singleton/mySingleton/sayHello", [("RQ203", "mySingleton")]),
        ("/rest/Employee/addEmployees(John,Smith)", [("RQ203", "addEmployees")]),
        ("/rest/Employee/addemployee(John)", [("RQ203", "addemployee")]),
        ("/rest/Employee(3)/getHighSalaries", [("RQ203", "getHighSalaries")]),
        ("/rest/Employee(3)/raiseSalaries", [("RQ203", "raiseSalaries")]),
        ("/rest/Employee/getFullName", [("RQ203", "getFullName")]),
    ],
)
def test_errors(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_messages_and_hints() -> None:
    url = "/rest/$singleton/vehicleFactory/buildVehicle"
    [d] = expect_errors(url, [("RQ203", "vehicleFactory")])
    assert d.message == "The name `vehicleFactory` is not a shared singleton of the catalog."
    assert d.fix is not None and d.fix.apply(url) == "/rest/$singleton/VehicleFactory/buildVehicle"
    [d] = expect_errors("/rest/$singleton/VehicleFactory/buildVehicule",
                        [("RQ203", "buildVehicule")])
    assert d.message == "The name `buildVehicule` is not a function of the singleton `VehicleFactory`."
    assert d.hint == "did you mean `buildVehicle`?" and d.fix is None
    [d] = expect_errors("/rest/Employee(3)/getHighSalaries", [("RQ203", "getHighSalaries")])
    assert d.message == "The name `getHighSalaries` is not an entity function of the dataclass `Employee`."
    assert d.hint == "call it on the dataclass: `/rest/Employee/getHighSalaries`"
    [d] = expect_errors("/rest/Employee/getFullName", [("RQ203", "getFullName")])
    assert d.hint == "call it on an entity: `/rest/Employee({key})/getFullName`"
    url = "/rest/Employee/addemployee(John)"
    [d] = expect_errors(url, [("RQ203", "addemployee")])
    assert d.fix is not None and d.fix.apply(url) == "/rest/Employee/addEmployee(John)"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/$catalog/hiddenStore", [("RQ203", "hiddenStore")]),
        ("/rest/$singleton/Tools/secret", [("RQ203", "secret")]),
        ("/rest/City/hiddenClass", [("RQ203", "hiddenClass")]),
        ("/rest/City(1)/hiddenEntity", [("RQ203", "hiddenEntity")]),
    ],
)
def test_not_exposed(url: str, expected: list[tuple[str, str]]) -> None:
    [d] = assert_rule_errors("RQ203", url, expected, catalog=HIDDEN)
    assert "is not an exposed" in d.message


def test_catalog_cannot_tell() -> None:
    # no singletons listed: nothing is known about them
    assert_rule_valid("RQ203", "/rest/$singleton/Any/thing", catalog=NO_SINGLETONS)
    # the short /rest/$catalog form lists no dataclass functions
    assert_rule_valid("RQ203", "/rest/Employee/anything(1,2)", catalog=SHORT)
    assert_rule_valid("RQ203", "/rest/Employee/addEmployees(John,Smith)")


def test_suggestions_hidden() -> None:
    [d] = expect_errors("/rest/$singleton/vehicleFactory/buildVehicle",
                        [("RQ203", "vehicleFactory")], hide_suggestions=True)
    assert d.hint is None and d.fix is None


@pytest.mark.parametrize("method", ["GET", "POST", None])
def test_method_does_not_matter(method: str | None) -> None:
    expect_errors("/rest/$singleton/mySingleton/sayHello", [("RQ203", "mySingleton")],
                  method=method)
