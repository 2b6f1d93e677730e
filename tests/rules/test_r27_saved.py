"""R27: `$savedfilter` / `$savedorderby` go with the live parameter or an entity-set path
(RQ326) and repeat the live value (RQ327)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

CODES = ("RQ326", "RQ327")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    "url",
    [
        # corpus
        '/rest/People/?$filter="employer.name=Apple"&$savedfilter="employer.name=Apple"&$method=entityset',
        '/rest/People/$entityset/AEA452C2668B4F6E98B6FD2A1ED4A5A8?$savedfilter="employer.name=Apple"',
        '/rest/People/?$filter="lastName!=\'\'"&$savedfilter="lastName!=\'\'"&$orderby="salary"&$savedorderby="salary"&$method=entityset',
        '/rest/People/$entityset/AEA452C2668B4F6E98B6FD2A1ED4A5A8?$savedfilter="lastName!=\'\'"&$savedorderby="salary"',
        '/rest/People?$filter="employer.name=Apple"&$savedfilter="employer.name=Apple"&$method=entityset',
        '/rest/People/$entityset/CC6B48EDBFD64CD694F8EFBFC93F73FC?$savedfilter="employer.name=Apple"',
        # same value, other spelling
        '/rest/People?$filter="ID>3 and salary<10"&$savedfilter="ID > 3 AND salary < 10"&$method=entityset',
        '/rest/People?$orderby="salary"&$savedorderby="salary asc"&$method=entityset',
        '/rest/People?$filter=%22ID%3E3%22&$savedfilter="ID>3"&$method=entityset',
        '/rest/People/firstName/$entityset/BDCD8AABE13144118A4CF8641D5883F5?$savedorderby="salary"',
        '/rest/$info?$savedfilter="ID>3"',  # R42's
        '/rest/$info?$filter="ID>3"&$savedfilter=true',  # R42's
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            '/rest/People?$savedfilter="employer.name=Apple"&$method=entityset',
            [
                ("RQ326", '$savedfilter="employer.name=Apple"'),
            ],
        ),
        (
            '/rest/People?$filter="ID>3"&$savedorderby="salary"&$method=entityset',
            [
                ("RQ326", '$savedorderby="salary"'),
            ],
        ),
        ('/rest/People(3)?$savedfilter="ID>3"', [("RQ326", '$savedfilter="ID>3"')]),
        # corpus (Qodly): `true` instead of the filter string
        (
            '/rest/Employee/?$filter="salary>50000"&$method=entityset&$savedfilter=true',
            [
                ("RQ327", "true"),
            ],
        ),
        (
            '/rest/Employee/?$orderby="salary"&$method=entityset&$savedorderby=TRUE',
            [
                ("RQ327", "TRUE"),
            ],
        ),
        ("/rest/Employee/?$method=entityset&$savedfilter=true", [("RQ327", "true")]),
        # a different value on creation
        (
            '/rest/People/?$filter="ID>3"&$savedfilter="ID>4"&$method=entityset',
            [
                ("RQ327", "ID>4"),
            ],
        ),
        (
            '/rest/People/?$orderby="salary desc"&$savedorderby="salary"&$method=entityset',
            [
                ("RQ327", "salary"),
            ],
        ),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    found = expect_errors(url, expected)
    assert all(d.severity == "warning" for d in found)


def test_fixes() -> None:
    url = '/rest/Employee/?$filter="salary>50000"&$method=entityset&$savedfilter=true'
    [d] = expect_errors(url, [("RQ327", "true")])
    assert d.fix is not None
    assert d.fix.apply(url) == (
        '/rest/Employee/?$filter="salary>50000"&$method=entityset&$savedfilter="salary>50000"'
    )
    url = '/rest/People/?$filter="ID>3"&$savedfilter="ID>4"&$method=entityset'
    [d] = expect_errors(url, [("RQ327", "ID>4")])
    assert d.fix is not None
    assert d.fix.apply(url) == '/rest/People/?$filter="ID>3"&$savedfilter="ID>3"&$method=entityset'
    assert d.message == "The `$savedfilter` value should repeat the `$filter` value exactly."
    url = '/rest/Employee/?$filter="ID>3"&$savedfilter="true"'
    [d] = expect_errors(url, [("RQ327", "true")])
    assert d.fix is not None
    assert d.fix.apply(url) == '/rest/Employee/?$filter="ID>3"&$savedfilter="ID>3"'
    url = '/rest/Employee/?$filter="ID>3"&$savedfilter&$method=entityset'
    [d] = expect_errors(url, [("RQ327", "$savedfilter")])
    assert d.fix is not None
    assert (
        d.fix.apply(url) == '/rest/Employee/?$filter="ID>3"&$savedfilter="ID>3"&$method=entityset'
    )
    assert d.message.endswith("instead of nothing.")
    [d] = expect_errors("/rest/Employee/?$savedfilter=true", [("RQ327", "true")])
    assert d.fix is None  # nothing to copy
    [d] = expect_errors('/rest/People?$savedfilter="ID>3"', [("RQ326", '$savedfilter="ID>3"')])
    assert d.fix is None and "$filter" in (d.hint or "")
