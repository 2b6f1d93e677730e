"""R25: `$method=subentityset` on an entity's related entities named by `$expand` (RQ322);
`$subOrderby` only with it (RQ323)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

CODES = ("RQ322", "RQ323")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    "url",
    [
        # corpus
        "/rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastName ASC",
        "/rest/Users(4)/Orders?$expand=Orders&$method=subentityset",
        "/rest/Company(1)/staff?$expand=staff",
        # more
        '/rest/Company[1]/staff/?$method=SubEntitySet&$expand=staff&$subOrderby="lastName desc, firstName asc"',
        "/rest/Company(1)/employees?$expand=employees&$method=subentityset",  # alias of staff
        "/rest/Employee(1)/directReports?$expand=directReports&$method=subentityset",
        "/rest/$info?$method=subentityset",  # R42's
        "/rest/$info?$subOrderby=lastName",  # R42's
        "/rest/Company(1)/staff?$method=subentityset&$subOrderby=lastName&$expand=staff",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url, method="GET")
    expect_valid(url, catalog=CATALOG)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/rest/Company/staff?$expand=staff&$method=subentityset",
            [("RQ322", "$method=subentityset")],
        ),
        (
            "/rest/Company(1)?$expand=staff&$method=subentityset",
            [("RQ322", "$method=subentityset")],
        ),
        ("/rest/Company(1)/staff?$method=subentityset", [("RQ322", "$method=subentityset")]),
        ("/rest/Company(1)/staff?$method=subentityset&$expand=employees", [("RQ322", "employees")]),
        # RQ323
        (
            "/rest/Company(1)/staff?$expand=staff&$subOrderby=lastName ASC",
            [
                ("RQ323", "$subOrderby=lastName ASC"),
            ],
        ),
        (
            '/rest/Employee?$filter="ID>3"&$method=entityset&$subOrderby="lastName"',
            [
                ("RQ323", '$subOrderby="lastName"'),
            ],
        ),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    found = expect_errors(url, expected)
    assert all(d.severity == "error" for d in found)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/rest/Employee(1)/employer?$expand=employer&$method=subentityset",
            [("RQ322", "employer")],
        ),
        ("/rest/Company(1)/name?$expand=name&$method=subentityset", [("RQ322", "name")]),
        (
            "/rest/Employee(1)/manager?$method=subentityset",
            [
                ("RQ322", "manager"),
                ("RQ322", "$method=subentityset"),
            ],
        ),
    ],
)
def test_schema(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, catalog=CATALOG)


def test_schema_silent_without_catalog_or_when_unknown() -> None:
    expect_valid("/rest/Employee(1)/employer?$expand=employer&$method=subentityset")
    expect_valid("/rest/Employee(1)/employr?$expand=employr&$method=subentityset", catalog=CATALOG)
    expect_valid("/rest/Nobody(1)/things?$expand=things&$method=subentityset", catalog=CATALOG)


def test_fixes_and_messages() -> None:
    url = "/rest/Company(1)/staff?$method=subentityset"
    [d] = expect_errors(url, [("RQ322", "$method=subentityset")])
    assert d.message.endswith("`$expand` is missing.")
    assert d.fix is not None and d.fix.apply(url) == url + "&$expand=staff"
    url = "/rest/Company(1)/staff?$expand=employees&$method=subentityset"
    [d] = expect_errors(url, [("RQ322", "employees")])
    assert (
        d.fix is not None
        and d.fix.apply(url) == "/rest/Company(1)/staff?$expand=staff&$method=subentityset"
    )
    [d] = expect_errors(
        "/rest/Employee(1)/employer?$expand=employer&$method=subentityset",
        [("RQ322", "employer")],
        catalog=CATALOG,
    )
    assert "N→1" in d.message
    [d] = expect_errors(
        "/rest/Company(1)/staff?$expand=staff&$subOrderby=lastName",
        [("RQ323", "$subOrderby=lastName")],
    )
    assert d.fix is None and "$method=subentityset" in (d.hint or "")
