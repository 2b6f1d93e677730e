"""R49: what `$expand` may name (RQ359)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ359")
expect_errors = partial(assert_rule_errors, "RQ359")

CORPUS = [
    "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
    "/rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastName ASC",
    "/rest/Persons(1)/imageAtt?$imageformat=best&$version=12&$expand=imageAtt",
    "http://127.0.0.1:8082/rest/Company(1)/staff?$expand=staff",
    "/rest/Speciality[1]/infos?$expand=infos",
    "/rest/Employee(1)/photo?$imageformat=best&$version=1&$expand=photo",
    "/rest/Company(1)/?$expand=staff",
    "/rest/Company(1)/name,address,staff?$expand=staff",
    (
        "/rest/People/firstName,employer.name/$entityset/BDCD8AABE13144118A4CF8641D5883F5"
        "?$expand=employer"
    ),
    "/rest/Employee(1)/photo?$imageformat=.png&$expand=photo",
    "/rest/Company(1)?$expand=staff",
    "/rest/Users[10]/Orders?$expand=Orders",
    "/rest/Users(4)/Orders?$expand=Orders&$method=subentityset",
    "{{ApiEndpoint}}/rest/User(5)/profilePicture?$binary=true&$expand=profilePicture",
    "{{ApiEndpoint}}/rest/User?$filter=\"department='HR'\"&$binary=true&$expand=profilePicture",
]


@pytest.mark.parametrize("url", CORPUS)
def test_corpus_without_catalog(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize("url", [u for u in CORPUS if "Persons" not in u and "Speciality" not in u])
def test_corpus_with_catalog(url: str) -> None:
    expect_valid(url, catalog=CATALOG)


@pytest.mark.parametrize(
    "url",
    [
        '/rest/Employee/?$filter="firstName BEGIN a"&$expand=employer',
        "/rest/Employee?$expand=employer.staff",
        "/rest/Company(1)?$expand=employees",  # alias of a relation
        "/rest/Employee?$expand=emplyer",  # unknown: R10
        "/rest/Company(11)/blobAtt?$binary=true&$expand=logo",  # R15's RQ302
        "/rest/Employee(1)/photo?$imageformat=best&$expand=contract",  # R17's
        "/rest/Company(1)/staff?$expand=employer&$method=subentityset",  # R25's
        "/rest/Company/getHighRevenue?$expand=name",  # function result
        "/rest/Company(1)/staff?$expand=staf",  # unknown on Company and Employee: R10
    ],
)
def test_valid_with_catalog(url: str) -> None:
    expect_valid(url, catalog=CATALOG)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Company(1)/staff?$expand=employer", [("RQ359", "employer")]),
        ("/rest/Employee(1)/photo?$expand=phot", [("RQ359", "phot")]),
        ("/rest/Company(1)/staff?$expand=staff,name", [("RQ359", "name")]),
        ("/rest/Company(1)/staff?$expand=%73taf", [("RQ359", "%73taf")]),
    ],
)
def test_invalid_without_catalog(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee?$expand=salary", [("RQ359", "salary")]),
        ("/rest/Employee(1)?$expand=photo", [("RQ359", "photo")]),
        ("/rest/Employee?$expand=employer.name", [("RQ359", "employer.name")]),
        ("/rest/Employee?$expand=objectAtt.x", [("RQ359", "objectAtt.x")]),
        ("/rest/Company/name,address?$expand=staff,city", [("RQ359", "city")]),
        ("/rest/Company(1)/staff?$expand=employer", [("RQ359", "employer")]),
        ("/rest/Company(1)/staff?$expand=name", [("RQ359", "name")]),
    ],
)
def test_invalid_with_catalog(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, catalog=CATALOG)


def test_fix_for_the_path_attribute() -> None:
    url = "/rest/Company(1)/staff?$expand=employer"
    [d] = expect_errors(url, [("RQ359", "employer")])
    assert d.fix is not None and d.fix.apply(url) == "/rest/Company(1)/staff?$expand=staff"
    assert "`staff`" in d.message and d.severity == "error"


def test_relation_suggestion() -> None:
    [d] = expect_errors("/rest/Employee?$expand=manger", [], catalog=CATALOG) or [None]
    assert d is None  # unknown name: R10's business
    [d] = expect_errors("/rest/Employee?$expand=salary", [("RQ359", "salary")], catalog=CATALOG)
    assert d.hint is not None and "$attributes=salary" in d.hint
