"""RQ104 singleton-path-shape (R4)."""

from __future__ import annotations

import csv
from functools import partial
from pathlib import Path

import pytest

import restquery

from .harness import CATALOG, assert_rule_errors, assert_rule_valid
from tests.conftest import CORPUS

expect_valid = partial(assert_rule_valid, "RQ104")
expect_errors = partial(assert_rule_errors, "RQ104")


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus)
        "/rest/$singleton/VehicleFactory/buildVehicle",
        "/rest/$singleton/mySingleton/sayHello",
        "http://127.0.0.1:8044/rest/$singleton/Shopping/buildShoppingList?$params='[{\"__DATASET\":\"8DB0556854HDK52FR5974F\",\"__ENTITIES\":true}]'",
        "/rest/$singleton/SingletonClass/SingletonClassFunction?$params='[\"myparam\"]'",
        "/rest/$singleton/VehicleFactory/buildVehicle/",
        # extra segments are R3's; keywords are R2's; other resources are not concerned
        "/rest/$singleton/VehicleFactory/buildVehicle/x",
        "/rest/$singleton/$all/buildVehicle",
        "/rest/$singleton/VehicleFactory/$info",
        "/rest/Employee/singleton",
        "/rest/$catalog",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/$singleton", [("RQ104", "$singleton")]),
        ("/rest/$singleton/", [("RQ104", "$singleton")]),
        ("/rest/$singleton/VehicleFactory", [("RQ104", "$singleton/VehicleFactory")]),
        ("/rest/$singleton/VehicleFactory/?$params='[1]'", [("RQ104", "$singleton/VehicleFactory")]),
        ("/rest/$singleton/VehicleFactory/buildVehicle(1,2)", [("RQ104", "buildVehicle(1,2)")]),
        ("/rest/$singleton/VehicleFactory/buildVehicle(1)", [("RQ104", "buildVehicle(1)")]),
        ("/rest/$singleton/Vehicle.Factory/buildVehicle", [("RQ104", "Vehicle.Factory")]),
        ("/rest/$singleton/VehicleFactory/build,Vehicle", [("RQ104", "build,Vehicle")]),
        ("/rest/$singleton/VehicleFactory(1)/buildVehicle", [("RQ104", "VehicleFactory(1)")]),
    ],
)
def test_errors(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_hints() -> None:
    [d] = expect_errors("/rest/$singleton/VehicleFactory", [("RQ104", "$singleton/VehicleFactory")])
    assert d.hint == "add the function name after the singleton class"
    [d] = expect_errors("/rest/$singleton/F/f(1,2)", [("RQ104", "f(1,2)")])
    assert d.hint is not None and "$params" in d.hint


@pytest.mark.parametrize("method", ["GET", "POST", None])
def test_with_method_and_catalog(method: str | None) -> None:
    expect_errors("/rest/$singleton/VehicleFactory", [("RQ104", "$singleton/VehicleFactory")],
                  method=method, catalog=CATALOG)
    expect_valid("/rest/$singleton/VehicleFactory/buildVehicle", method=method, catalog=CATALOG)





def test_corpus() -> None:
    """Every documented example: only the findings the spec calls for (§12.1)."""
    if not CORPUS.exists():
        pytest.skip(f"corpus not found: {CORPUS}")
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    found = [
        (row["url"], d.code, row["url"][d.start : d.end])
        for row in rows
        for d in restquery.validate(row["url"], method=row["method"] or None, select=["RQ104"])
        if d.code.startswith("RQ1")
    ]
    assert found == []
