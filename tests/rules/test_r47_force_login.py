"""R47: force-login mode (RQ357, opt-in)."""

from __future__ import annotations

from functools import partial

import pytest

import restquery
from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ357", select=["RQ357"])
expect_errors = partial(assert_rule_errors, "RQ357", select=["RQ357"])


@pytest.mark.parametrize(
    "url",
    [
        "/rest/$catalog",
        "http://127.0.0.1/rest/$catalog",
        "/rest/$catalog/$all",
        "/rest/$catalog/Employee",
        "/rest/$catalog/authentify",
        "/rest/$getWebForm",
        "app.example.com:9000/rest/$directory/login",
        "/rest/$catalog/getName",  # without a catalog it may be a dataclass description
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee", [("RQ357", "Employee")]),
        ("/rest/Company(1)/staff?$expand=staff", [("RQ357", "Company(1)/staff")]),
        ("/rest/$info", [("RQ357", "$info")]),
        ("/rest/$directory/logout", [("RQ357", "$directory/logout")]),
        (
            "/rest/$singleton/VehicleFactory/buildVehicle",
            [("RQ357", "$singleton/VehicleFactory/buildVehicle")],
        ),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_datastore_functions_with_catalog() -> None:
    expect_errors("/rest/$catalog/getName", [("RQ357", "$catalog/getName")], catalog=CATALOG)
    expect_valid("/rest/$catalog/authentify", catalog=CATALOG)
    expect_valid("/rest/$catalog/Employee", catalog=CATALOG)


def test_off_by_default() -> None:
    assert not [d for d in restquery.validate("/rest/Employee") if d.code == "RQ357"]
    assert restquery.rules.get("RQ357").default is False
