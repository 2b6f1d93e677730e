"""RQ103 invalid-segment-sequence (R3)."""

from __future__ import annotations

import csv
from functools import partial
from pathlib import Path

import pytest

import restquery

from .harness import CATALOG, assert_rule_errors, assert_rule_valid
from tests.conftest import CORPUS

expect_valid = partial(assert_rule_valid, "RQ103")
expect_errors = partial(assert_rule_errors, "RQ103")


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus), one or more per form of §2.4
        "/rest/Company",  # P1
        "/rest/Company(1)",  # P2
        "/rest/Company[1]",  # P3
        "/rest/Company:companyCode(Acme001)",  # P4
        "/rest/Company/name,address",  # P5
        "/rest/People/firstName,lastName/",
        "/rest/Company(1)/name,address",  # P6
        "/rest/Employee/salary/?$compute=sum",  # P7
        "/rest/Employee/objectAtt.property1/?$compute=$all",
        "/rest/Employee/address.city?$distinct=true",
        "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",  # P8
        "/rest/Employees(2)/Lastname",
        "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7",  # P9
        "/rest/People/firstName,employer.name/$entityset/BDCD8AABE13144118A4CF8641D5883F5?$expand=employer",  # P10
        "{{ApiEndpoint}}/rest/Employee/Name,Department/$entityset/528BF90F10894915A4290158B4281E61",
        "/rest/Employee/$entityset/$release",  # P11
        "/rest/City/getCity",  # P12
        "127.0.0.1:8111/rest/City/getPopulation/?$filter=\"ID<3\"",
        "/rest/Students/getAgeAverage/$entityset/17E83633FFB54ECDBF947E5C620BB532",  # P13
        "/rest/Students/getLastSummary/$entityset/?$filter=\"lastname=b@\"",  # §2.4 oddity
        "127.0.0.1:8111/rest/City(2)/getPopulation",  # P14
        "/rest/$catalog",  # P15
        "/rest/$catalog/$all",  # P16
        "/rest/$catalog/Employee",  # P17
        "/rest/$catalog/authentify",  # P18
        "/rest/$singleton/VehicleFactory/buildVehicle",  # P19
        "/rest/$info",  # P20
        "127.0.0.1:8044/rest/$directory/login",  # P21
        "/rest/$upload?$rawPict=true",  # P22
        "/rest/$querypath",  # P23
        "/rest/$getWebForm",  # P24
        "/rest/Employee/addEmployee(John,Smith)",  # L1
        "/rest/Employee/firstName/getHighSalaries",  # L2
        "/rest/People/getHighSalaries/firstName,lastName",
        "/rest/Employee/getEmployees/firstName",
        "/rest/$directory/currentUser",  # L3
        "/rest",
        "/rest/",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # nothing may follow these
        ("/rest/Employee/$entityset/ABC123/lastName", [("RQ103", "lastName")]),
        ("/rest/Employee/$entityset/$release/x", [("RQ103", "x")]),
        ("/rest/$info/cache", [("RQ103", "cache")]),
        ("/rest/$upload/file", [("RQ103", "file")]),
        ("/rest/$querypath/x", [("RQ103", "x")]),
        ("/rest/$directory/login/again", [("RQ103", "again")]),
        ("/rest/$singleton/VehicleFactory/buildVehicle/x", [("RQ103", "x")]),
        ("/rest/$catalog/$all/Employee", [("RQ103", "Employee")]),
        ("/rest/$catalog/Employee/ID", [("RQ103", "ID")]),
        ("/rest/Employee(1)/photo/x", [("RQ103", "x")]),
        ("/rest/Employee/addEmployee(John,Smith)/x", [("RQ103", "x")]),
        ("/rest/Employee/a/b/c", [("RQ103", "c")]),
        ("/rest/Employee/a,b/$entityset/ABC/x", [("RQ103", "x")]),
        # a segment that cannot follow
        ("/rest/Employee(1)/$entityset/ABC", [("RQ103", "$entityset")]),
        ("/rest/Employee(1)/getFullName(1,2)", [("RQ103", "getFullName(1,2)")]),
        ("/rest/Employee/a,b/c,d", [("RQ103", "c,d")]),
        ("/rest/Employee/Company:name(x)", [("RQ103", "Company:name(x)")]),
        ("/rest/$catalog/a.b", [("RQ103", "a.b")]),
        ("/rest/$catalog/Employee(1)", [("RQ103", "Employee(1)")]),
        ("/rest/firstName,lastName", [("RQ103", "firstName,lastName")]),
        ("/rest/employer.name/x", [("RQ103", "employer.name")]),
        # $entityset without an ID
        ("/rest/Employee/$entityset", [("RQ103", "$entityset")]),
        ("/rest/Employee/$entityset/?$filter=\"a=1\"", [("RQ103", "$entityset")]),
        ("/rest/Employee/a,b/$entityset", [("RQ103", "$entityset")]),
    ],
)
def test_errors(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_composite_key_then_bad_sequence() -> None:
    # The composite key itself is R8's (RQ111); RQ103 points at the segment that breaks the form.
    expect_errors("/rest/Company(1,2)/a/b", [("RQ103", "b")])


def test_messages() -> None:
    [d] = expect_errors("/rest/$info/cache", [("RQ103", "cache")])
    assert d.message == (
        "The path follows no documented form: `cache` cannot follow `$info`, which takes only"
        " `privileges`."
    )
    assert d.hint == "remove what follows `$info`, or ask for `$info/privileges`"
    [d] = expect_errors("/rest/Employee/$entityset", [("RQ103", "$entityset")])
    assert "entity-set ID or `$release`" in d.message


@pytest.mark.parametrize("method", ["GET", "POST", None])
def test_info_privileges_is_a_form(method: str | None) -> None:
    # 4D 20 R6 release notes: /rest/$info/privileges; 4D's demo applications POST it.
    assert restquery.validate("/rest/$info/privileges", method=method) == []
    assert restquery.shape.classify(restquery.parse("/rest/$info/privileges")).form == "P20"
    [d] = expect_errors("/rest/$info/privileges/x", [("RQ103", "x")])
    assert "nothing may follow `$info/privileges`" in d.message


@pytest.mark.parametrize(
    "url",
    [
        "/rest/$foo/x",  # R2
        "/rest/Employee/$all",  # R2
        "/rest/Employee/$all/x/y",  # R2
        "/rest/$catalog/$release",  # R2
        "/rest/$singleton/VehicleFactory",  # R4
        "/rest/$singleton",  # R4
        "/rest/$singleton/VehicleFactory/buildVehicle(1,2)/x",  # R4
        "/rest/$directory",  # R5
        "/rest/$directory/foo/bar",  # R5
        "/rest/Company(1,2)",  # R8
        "/rest/Company(1,2)/name",  # R8
    ],
)
def test_left_to_other_rules(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # with a catalog a name/name path needs a function
        ("/rest/Employee/firstName/lastName", [("RQ103", "lastName")]),
        ("/rest/Employee/firstName/getHighSalarys", [("RQ103", "getHighSalarys")]),
        # and a name before $entityset without an ID must be a function
        ("/rest/Employee/firstName/$entityset", [("RQ103", "$entityset")]),
    ],
)
def test_catalog_errors(url: str, expected: list[tuple[str, str]]) -> None:
    found = expect_errors(url, expected, catalog=CATALOG)
    if "Salarys" in url:
        assert found[0].hint == "did you mean `getHighSalaries`?"


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Employee/firstName/getHighSalaries",
        "/rest/People/getHighSalaries/firstName,lastName",
        "/rest/City/getPopulation/$entityset/17E83633FFB54ECDBF947E5C620BB532",
    ],
)
def test_catalog_valid(url: str) -> None:
    expect_valid(url, catalog=CATALOG)


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", None])
def test_method_does_not_matter(method: str | None) -> None:
    expect_errors("/rest/$info/x", [("RQ103", "x")], method=method)
    expect_valid("/rest/Employee/$entityset/$release", method=method)


def test_request_without_url_text() -> None:
    import restquery

    req = restquery.parse("/rest/Employee/$entityset/ABC/x")
    [d] = [d for d in restquery.validate(req, select=["RQ103"])]
    assert d.message.endswith("nothing may follow `Employee/$entityset/ABC`.")





def test_corpus() -> None:
    """Every documented example: only the findings the spec calls for (§12.1)."""
    if not CORPUS.exists():
        pytest.skip(f"corpus not found: {CORPUS}")
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    found = [
        (row["url"], d.code, row["url"][d.start : d.end])
        for row in rows
        for d in restquery.validate(row["url"], method=row["method"] or None, select=["RQ103"])
        if d.code.startswith("RQ1")
    ]
    assert found == []
