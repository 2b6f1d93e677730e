"""R50: `$expand` for relations (RQ360)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ360")
expect_errors = partial(assert_rule_errors, "RQ360")

P10_EXPAND = (
    "/rest/People/firstName,employer.name/$entityset/BDCD8AABE13144118A4CF8641D5883F5"
    "?$expand=employer"
)


@pytest.mark.parametrize(
    "url",
    [
        # server-generated deferred form, picture, BLOB and sub-entity-set uses (corpus)
        "http://127.0.0.1:8082/rest/Company(1)/staff?$expand=staff",
        "/rest/Speciality[1]/infos?$expand=infos",
        "/rest/Users[10]/Orders?$expand=Orders",
        "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
        "/rest/Employee(1)/photo?$imageformat=best&$version=1&$expand=photo",
        "/rest/Persons(1)/imageAtt?$imageformat=best&$version=12&$expand=imageAtt",
        "/rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastName ASC",
        "/rest/Users(4)/Orders?$expand=Orders&$method=subentityset",
        "{{ApiEndpoint}}/rest/User?$filter=\"department='HR'\"&$binary=true&$expand=profilePicture",
        "/rest/Company(1)?$attributes=staff.*",
        "/rest/Company/getHighRevenue?$expand=staff",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Company(1)/?$expand=staff", [("RQ360", "staff")]),
        ("/rest/Company(1)?$expand=staff", [("RQ360", "staff")]),
        ("/rest/Company[1]?$expand=staff", [("RQ360", "staff")]),
        ("/rest/Company(1)/name,address,staff?$expand=staff", [("RQ360", "staff")]),
        ('/rest/Employee/?$filter="firstName BEGIN a"&$expand=employer', [("RQ360", "employer")]),
        (
            "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7?$expand=employer",
            [("RQ360", "employer")],
        ),
        (P10_EXPAND, [("RQ360", "employer")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Company(1)?$expand=staff", [("RQ360", "staff")]),
        ("/rest/Company(1)?$expand=employees", [("RQ360", "employees")]),
        ("/rest/Employee?$expand=employer,salary", [("RQ360", "employer")]),  # salary: R49
        ("/rest/Employee?$expand=emplyer", []),  # unknown: R10
    ],
)
def test_with_catalog(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, catalog=CATALOG)


def test_hint() -> None:
    [d] = expect_errors("/rest/Company(1)?$expand=staff", [("RQ360", "staff")])
    assert d.hint is not None and "$attributes=staff.*" in d.hint and d.severity == "warning"
