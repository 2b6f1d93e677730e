"""R18: `$compute` over one attribute of the path (RQ308; Qodly's `$attributes` form RQ309),
documented values (RQ310), and with a catalog a suitable type (RQ311)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

CODES = ("RQ308", "RQ309", "RQ310", "RQ311")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)

CORPUS = [
    "/rest/Employee/objectAtt.property1/?$compute=$all",
    "/rest/Employee/salary/?$compute=sum",
    "/rest/Employee/objectAttribute.property1/?$compute=sum",
    "/rest/Employee/salary/?$compute=max",
    "{{ApiEndpoint}}/rest/Employee/salary?$compute=$all",
]


@pytest.mark.parametrize(
    "url",
    CORPUS
    + [
        '/rest/Employee/salary?$filter="salary>1000"&$compute=average',
        "/rest/Employee/lastName?$compute=MIN",
        "/rest/Employee/birthday?$compute=max",
        "/rest/Employee/hireTime?$compute=sum",
        "/rest/Employee/photo?$compute=count",
        "/rest/Employee/employer?$compute=count",
        "/rest/Company/staff?$compute=count",
        "/rest/Employee/age?$compute=average",
        "/rest/Employee/employerName?$compute=max",
        "/rest/Employee/employer.revenues?$compute=sum",
        "/rest/Employee/employerSettings.size?$compute=sum",
        "/rest/Employee/lastName?$compute=$all",
        # no $compute: nothing to check
        "/rest/Employee?$attributes=salary",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)
    expect_valid(url, catalog=CATALOG)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # RQ308: no single attribute at the end of the path
        ("/rest/Employee?$compute=sum", [("RQ308", "$compute=sum")]),
        ("/rest/Employee(1)/salary?$compute=sum", [("RQ308", "$compute=sum")]),
        ("/rest/Employee(1)?$compute=count", [("RQ308", "$compute=count")]),
        ("/rest/Employee/salary,age?$compute=sum", [("RQ308", "$compute=sum")]),
        (
            "/rest/Employee/firstName,lastName/$entityset/CB1BCC603DB0416D939B4ED379277F02?$compute=max",
            [("RQ308", "$compute=max")],
        ),
        (
            "/rest/Employee/$entityset/CB1BCC603DB0416D939B4ED379277F02?$compute=max",
            [
                ("RQ308", "$compute=max"),
            ],
        ),
        ("/rest/Payments?$attributes=Amount,PaymentDate&$compute=sum", [("RQ308", "$compute=sum")]),
        ("/rest/Payments?$attributes=*&$compute=sum", [("RQ308", "$compute=sum")]),
        # RQ310: values
        ("/rest/Employee/salary/?$compute=avg", [("RQ310", "avg")]),
        ("/rest/Employee/salary/?$compute=total", [("RQ310", "total")]),
        ("/rest/Employee/salary/?$compute=", [("RQ310", "$compute=")]),
        ("/rest/Employee/salary/?$compute", [("RQ310", "$compute")]),
        ("/rest/Employee?$compute=all", [("RQ308", "$compute=all"), ("RQ310", "all")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # corpus (Qodly), a warning
        ("/rest/Payments?$attributes=Amount&$compute=$all", [("RQ309", "$attributes=Amount")]),
        (
            "/rest/Payments?$attributes=PaymentDate&$compute=$all",
            [
                ("RQ309", "$attributes=PaymentDate"),
            ],
        ),
        ("/rest/Payments?$attributes=Amount&$compute=sum", [("RQ309", "$attributes=Amount")]),
        ("/rest/Payments?$attributes=Amount&$compute=count", [("RQ309", "$attributes=Amount")]),
        (
            "/rest/Employee/$entityset/CB1BCC603DB0416D939B4ED379277F02?$attributes=salary&$compute=sum",
            [("RQ309", "$attributes=salary")],
        ),
    ],
)
def test_qodly_form(url: str, expected: list[tuple[str, str]]) -> None:
    [d] = expect_errors(url, expected)
    assert d.severity == "warning"
    expect_errors(url, expected, catalog=CATALOG)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee/lastName?$compute=sum", [("RQ311", "lastName")]),
        ("/rest/Employee/birthday?$compute=average", [("RQ311", "birthday")]),
        ("/rest/Employee/isActive?$compute=max", [("RQ311", "isActive")]),
        ("/rest/Employee/photo?$compute=min", [("RQ311", "photo")]),
        ("/rest/Employee/objectAtt?$compute=$all", [("RQ311", "objectAtt")]),
        ("/rest/Employee/objectAtt/?$compute=count", [("RQ311", "objectAtt")]),
        ("/rest/Employee/employer?$compute=max", [("RQ311", "employer")]),
        ("/rest/Employee/employer.name?$compute=sum", [("RQ311", "employer.name")]),
        (
            "/rest/Payments?$attributes=PaymentDate&$compute=sum",
            [("RQ309", "$attributes=PaymentDate"), ("RQ311", "PaymentDate")],
        ),
        # with a catalog the name is a function, not an attribute
        ("/rest/Employee/getHighSalaries?$compute=sum", [("RQ308", "$compute=sum")]),
    ],
)
def test_schema(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, catalog=CATALOG)


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Employee/lastName?$compute=sum",
        "/rest/Employee/getHighSalaries?$compute=sum",
    ],
)
def test_schema_needs_catalog(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Employee/salry?$compute=sum",  # unknown attribute: R10
        "/rest/Nobody/salary?$compute=sum",  # unknown dataclass: R9
        "/rest/Employee/objectAtt.flag?$compute=sum",  # inside an object: type unknown
    ],
)
def test_schema_silent(url: str) -> None:
    assert_rule_valid("RQ311", url, catalog=CATALOG)


def test_fixes_and_hints() -> None:
    url = "/rest/Payments?$attributes=Amount&$compute=sum"
    [d] = expect_errors(url, [("RQ309", "$attributes=Amount")])
    assert d.fix is not None and d.fix.apply(url) == "/rest/Payments/Amount?$compute=sum"
    url = "/rest/Payments/?$compute=sum&$attributes=Amount"
    [d] = expect_errors(url, [("RQ309", "$attributes=Amount")])
    assert d.fix is not None and d.fix.apply(url) == "/rest/Payments/Amount/?$compute=sum"
    [d] = expect_errors("/rest/Employee/salary/?$compute=avg", [("RQ310", "avg")])
    assert "`average`" in (d.hint or "")
    [d] = expect_errors("/rest/Employee?$compute=sum", [("RQ308", "$compute=sum")])
    assert d.message.endswith("no attribute is named.") and d.fix is None
    [d] = expect_errors(
        "/rest/Employee/lastName?$compute=sum", [("RQ311", "lastName")], catalog=CATALOG
    )
    assert "`string`" in d.message
