"""R42: parameters on descriptive resources (RQ352)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ352")
expect_errors = partial(assert_rule_errors, "RQ352")


@pytest.mark.parametrize(
    "url",
    [
        "/rest/$catalog",
        "/rest/$catalog/$all",
        "/rest/$catalog/Employee",
        "/rest/$catalog/authentify",
        "/rest/$catalog/getName?$params='[1]'",
        "/rest/$info",
        "app.example.com:9000/rest/$directory/login",
        "/rest/$directory/logout",
        "/rest/$querypath",
        "/rest/$getWebForm",
        "/rest/$upload?$rawPict=true",
        "localhost:80/rest/$upload?$binary=true&$timeout=600",
        "/rest/$singleton/VehicleFactory/buildVehicle",
        "/rest/$singleton/SingletonClass/SingletonClassFunction?$params='[\"myparam\"]'",
        "/rest/$catalog?foo=1&$bogus=2",  # unknown parameters: R6
        "/rest/Employee?$top=3",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/$catalog?$top=10", [("RQ352", "$top=10")]),
        ("/rest/$catalog/$all?$params='[1]'", [("RQ352", "$params='[1]'")]),
        ('/rest/$catalog/Employee?$filter="ID>1"', [("RQ352", '$filter="ID>1"')]),
        (
            "/rest/$info?$method=entityset&$timeout=5",
            [("RQ352", "$method=entityset"), ("RQ352", "$timeout=5")],
        ),
        ("/rest/$directory/login?$attributes=name", [("RQ352", "$attributes=name")]),
        ("/rest/$singleton/VehicleFactory/buildVehicle?$top=2", [("RQ352", "$top=2")]),
        ('/rest/$upload?$rawPict=true&$filter="a=1"', [("RQ352", '$filter="a=1"')]),
        ("/rest/$querypath?$expand=x", [("RQ352", "$expand=x")]),
        ("/rest/$getWebForm?$top=1", [("RQ352", "$top=1")]),
        ("/rest/$info/?$Top=1", [("RQ352", "$Top=1")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/$catalog/Employee?$params='[1]'", [("RQ352", "$params='[1]'")]),
        ("/rest/$catalog/getName?$params='[1]'", []),
        ("/rest/$catalog/authentify?$params='[1]'", []),
    ],
)
def test_catalog_tells_function_from_dataclass(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, catalog=CATALOG)


def test_fix_removes_the_parameter() -> None:
    url = "/rest/$catalog?$top=10&$skip=2"
    d1, d2 = expect_errors(url, [("RQ352", "$top=10"), ("RQ352", "$skip=2")])
    assert d1.fix is not None and d1.fix.apply(url) == "/rest/$catalog?$skip=2"
    assert d2.fix is not None and d2.fix.apply(url) == "/rest/$catalog?$top=10"
    assert "`$catalog`" in d1.message and d1.param == "$top"


def test_other_parameter_rules_leave_misplaced_parameters_to_r42() -> None:
    url = (
        '/rest/$catalog?$filter="a=:1 AND b=:x OR c=d*"&$top=2&$method=entityset'
        "&$atomic=true&$asArray=true&$querypath=1&$params='[1]'&$format=looker&$compute=sum"
    )
    codes = tuple(f"RQ{n}" for n in range(333, 361))
    found = assert_rule_errors(
        codes,
        url,
        [
            ("RQ352", '$filter="a=:1 AND b=:x OR c=d*"'),
            ("RQ352", "$top=2"),
            ("RQ352", "$method=entityset"),
            ("RQ352", "$atomic=true"),
            ("RQ352", "$asArray=true"),
            ("RQ352", "$querypath=1"),
            ("RQ352", "$params='[1]'"),
            ("RQ352", "$format=looker"),
            ("RQ352", "$compute=sum"),
        ],
        method="GET",
    )
    assert all(d.severity == "error" for d in found)
