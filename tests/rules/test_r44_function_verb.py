"""R44: HTTP verbs of function calls (RQ354)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ354")
expect_errors = partial(assert_rule_errors, "RQ354")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", "/rest/City/getCity"),
        ("GET", "/rest/City/getCity?$params='[\"Aguada\"]'"),
        ("GET", '/rest/City/getCities?$params=\'["Aguada","Paris"]\''),
        ("POST", "127.0.0.1:8111/rest/City(2)/getPopulation"),
        ("POST", '127.0.0.1:8111/rest/City/getPopulation/?$filter="ID<3"'),
        ("POST", "http://127.0.0.1:8044/rest/Students/setFinalExam"),
        ("GET", "http://127.0.0.1:8044/rest/Products/getUserManual?$params='[1,\"pdf\"]'"),
        ("POST", "/rest/$singleton/VehicleFactory/buildVehicle"),
        ("POST", "/rest/$singleton/mySingleton/sayHello"),
        ("POST", "/rest/Employee(3)/getFullName"),
        ("GET", "/rest/Employee/addEmployee(John,Smith)"),  # legacy v18, GET by design
        ("GET", "/rest/Employee/firstName/getHighSalaries"),
        ("GET", "/rest/$singleton/SingletonClass/SingletonClassFunction?$params='[\"myparam\"]'"),
        (None, "/rest/$singleton/VehicleFactory/buildVehicle"),
        ("PUT", "/rest/Employee[123]"),  # not a function
    ],
)
def test_valid_without_catalog(method: str | None, url: str) -> None:
    expect_valid(url, method=method)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/rest/City/getCity?$params='[\"Aguada\"]'"),
        ("GET", "/rest/Products/getUserManual?$params='[1,\"pdf\"]'"),
        ("GET", "/rest/Employee(3)/getFullName"),
        ("GET", "/rest/City(2)/getPopulation"),  # the entity function allows GET
        ("GET", "/rest/$catalog/getName"),
        ("POST", "/rest/$catalog/authentify"),
        ("GET", "/rest/$catalog/Employee"),
        ("GET", "/rest/$singleton/Unknown/fn"),
        ("POST", "/rest/Company/getHighRevenue"),
    ],
)
def test_valid_with_catalog(method: str, url: str) -> None:
    expect_valid(url, method=method, catalog=CATALOG)


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        ("PUT", "/rest/$singleton/VehicleFactory/buildVehicle", [("RQ354", "buildVehicle")]),
        (
            "DELETE",
            "/rest/Employee/addEmployee(John,Smith)",
            [("RQ354", "addEmployee(John,Smith)")],
        ),
        (
            "PATCH",
            "/rest/People/getHighSalaries/firstName,lastName",
            [("RQ354", "getHighSalaries")],
        ),
    ],
)
def test_invalid_without_catalog(method: str, url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, method=method)


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        ("GET", "/rest/Company/getHighRevenue", [("RQ354", "getHighRevenue")]),
        ("GET", "/rest/City/getPopulation", [("RQ354", "getPopulation")]),  # entity selection
        ("GET", "/rest/$catalog/authentify", [("RQ354", "authentify")]),
        ("GET", "/rest/$singleton/VehicleFactory/buildVehicle", [("RQ354", "buildVehicle")]),
        ("PUT", "/rest/City/getCity", [("RQ354", "getCity")]),
        ("DELETE", "/rest/$catalog/getName", [("RQ354", "getName")]),
        (
            "GET",
            "/rest/Employee/raiseSalaries/$entityset/17E83633FFB54ECDBF947E5C620BB532",
            [("RQ354", "raiseSalaries")],
        ),
    ],
)
def test_invalid_with_catalog(method: str, url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, method=method, catalog=CATALOG)


def test_get_without_catalog_is_not_judged() -> None:
    expect_valid("/rest/Company/getHighRevenue", method="GET")


def test_message() -> None:
    [d] = expect_errors(
        "/rest/Company/getHighRevenue",
        [("RQ354", "getHighRevenue")],
        method="GET",
        catalog=CATALOG,
    )
    assert "allowedOnHTTPGET" in d.message and d.severity == "error"
