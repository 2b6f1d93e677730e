"""R41: query()-only syntax (RQ349), `*` wildcard (RQ350), mixed AND/OR (RQ351)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

CODES = ("RQ349", "RQ350", "RQ351")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    "url",
    [
        '/rest/Employee?$filter="lastName begin j"',
        '/rest/Employee?$filter="salary>20000 AND employer.name!=acme"&$orderby="lastName"',
        '/rest/Orders?$filter="Quantity > 4 AND Purchaser.Name = user2"&$queryplan=true',
        '/rest/Person?$filter="lastName=:1"&$params=\'["O\\u0027Reilly"]\'',
        "/rest/Employee/?$filter=\"department='HR'\"&$method=entityset",
        '/rest/Person/?$filter="lastName!=Jones"&$method=entityset&$timeout=600',
        "/rest/People/firstName,lastName/?$filter=\"lastName='A@'\"/",
        "/rest/Order?$filter=customerID=123",
        '/rest/Person?$filter="lastName=O\'Reilly"',
        '/rest/Person?$filter="(a=1 AND b=2) OR c=3"',
        '/rest/Person?$filter="a=1 OR (b=2 AND c=3)"',
        '/rest/Person?$filter="a=1 AND b=2 AND c=3"',
        '/rest/Person?$filter="a=1 OR b=2 or c=3"',
        '/rest/Person/?filter="objAttribute.prop2 == 9181"',  # unknown parameter: not a filter
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ('/rest/Person?$filter="objAttribute.prop2 == 9181"', [("RQ349", "==")]),
        ('/rest/Person?$filter="lastName %23 Jones"', [("RQ349", "%23")]),
        ('/rest/Person?$filter="lastName===Jones"', [("RQ349", "===")]),
        ('/rest/Person?$filter="lastName IS NOT Jones"', [("RQ349", "IS NOT")]),
        ('/rest/Person?$filter="ID IN [1,2]"', [("RQ349", "IN")]),
        ('/rest/Person?$filter="lastName % Jo"', [("RQ349", "%")]),
        ('/rest/Person?$filter="NOT (a=1)"', [("RQ349", "NOT")]),
        ('/rest/Person?$filter="(not a=1)"', [("RQ349", "not")]),
        ('/rest/Person?$filter="a=1 & b=2 & c=3"', [("RQ349", "&"), ("RQ349", "&")]),
        ('/rest/Person?$filter="a=1 || b=2"', [("RQ349", "||")]),
        ("/rest/Person?$filter=%22a%3D%3D1%22", [("RQ349", "%3D%3D")]),
        # RQ350
        ('/rest/Company/name?$filter="name=a*"&$distinct=true', [("RQ350", "a*")]),
        ("/rest/People/firstName,lastName/?$filter=\"lastName='A*'\"/", [("RQ350", "'A*'")]),
        ('/rest/Users/Name?$filter="Name=J*"&$distinct=true&$skip=1&$top=1', [("RQ350", "J*")]),
        (
            '/rest/Person?$filter="name=a*"&$savedfilter="name=a*"',
            [("RQ350", "a*"), ("RQ350", "a*")],
        ),
        # RQ351
        ('/rest/Person?$filter="a=1 AND b=2 OR c=3"', [("RQ351", "a=1 AND b=2")]),
        ('/rest/Person?$filter="c=3 OR a=1 and b=2"', [("RQ351", "a=1 and b=2")]),
        ('/rest/Person?$filter="a=1 AND b=2 EXCEPT c=3"', [("RQ351", "a=1 AND b=2")]),
        ('/rest/Person?$filter="a=1 OR b=2 EXCEPT c=3"', [("RQ351", "a=1 OR b=2")]),
        (
            '/rest/Person?$filter="(a=1 AND b=2 OR c=3) AND d=4"',
            [("RQ351", "a=1 AND b=2")],
        ),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


@pytest.mark.parametrize(
    ("url", "fixed"),
    [
        ('/rest/Person?$filter="a == 1"', '/rest/Person?$filter="a = 1"'),
        ('/rest/Person?$filter="a%231"', '/rest/Person?$filter="a!=1"'),  # a raw `#` ends the URL
        ('/rest/Person?$filter="a=1&b=2"', '/rest/Person?$filter="a=1 AND b=2"'),
        ('/rest/Person?$filter="a=1 || b=2"', '/rest/Person?$filter="a=1 OR b=2"'),
    ],
)
def test_rest_equivalent_fix(url: str, fixed: str) -> None:
    [d] = [d for d in expect_errors(url, [("RQ349", d_text(url))])]
    assert d.fix is not None and d.fix.apply(url) == fixed
    expect_valid(fixed)


def d_text(url: str) -> str:
    for op in ("==", "%23", "&", "||"):
        if op in url.split("$filter=", 1)[1]:
            return op
    raise AssertionError(url)


def test_no_fix_without_rest_equivalent() -> None:
    [d] = expect_errors('/rest/Person?$filter="a IS b"', [("RQ349", "IS")])
    assert d.fix is None and d.severity == "warning"


def test_star_is_literal_with_literal_comparators() -> None:
    expect_errors("/rest/Person?$filter=\"a==='x*'\"", [("RQ349", "===")])
    expect_errors('/rest/Person?$filter="a IS x* AND b % y*"', [("RQ349", "IS"), ("RQ349", "%")])


def test_star_hint() -> None:
    [d] = expect_errors("/rest/Company?$filter=\"name='a*'\"", [("RQ350", "'a*'")])
    assert d.hint == "write 'a@' if a wildcard is meant"


@pytest.mark.parametrize(
    "url,covered",
    [
        ('/rest/Employee?$filter="eval(This.age>20)"', "eval(This.age>20)"),
        ('/rest/Employee?$filter="salary>1 order by lastName desc"', "lastName desc"),
    ],
)
def test_formulas_and_order_by_are_query_syntax(url: str, covered: str) -> None:
    assert_rule_errors("RQ349", url, [("RQ349", covered)])


# --- RQ361 wildcard-both-ends (opt-in, on under --strict; more in tests/test_habits.py) -------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee?$filter=\"lastName='@on@'\"", [("RQ361", "'@on@'")]),
        ('/rest/Employee?$filter="city=@ar@ AND name IN [\'@x@\', \'y\']"',
         [("RQ361", "@ar@"), ("RQ361", "'@x@'")]),
        ("/rest/Employee?$filter=\"lastName!='@on@'\"", [("RQ361", "'@on@'")]),
    ],
)
def test_rq361_full_scans(url: str, expected: list[tuple[str, str]]) -> None:
    assert_rule_errors("RQ361", url, expected, select=["RQ361"])


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Employee?$filter=\"lastName='on@'\"",
        "/rest/Employee?$filter=\"lastName==='@on@'\"",
        "/rest/Employee?$filter=\"lastName IS '@on@'\"",
        "/rest/Employee?$filter=\"lastName='@'\"",
        "/rest/Employee?$filter=\"lastName='@@'\"",
    ],
)
def test_rq361_valid(url: str) -> None:
    assert_rule_valid("RQ361", url, select=["RQ361"])
