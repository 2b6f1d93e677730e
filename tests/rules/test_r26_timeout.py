"""R26: `$timeout` with `$method=entityset` or on `$upload` (RQ324), a positive number of
seconds (RQ325)."""

from __future__ import annotations

from functools import partial

import pytest

import restquery

from tests.rules.harness import assert_rule_errors, assert_rule_valid

CODES = ("RQ324", "RQ325")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    "url",
    [
        # corpus
        '/rest/Person/?$filter="lastName!=Jones"&$method=entityset&$timeout=600',
        '/rest/People/?$filter="ID>320"&$method=entityset&$timeout=600',
        '/rest/Employee?$filter="ID>320"&$method=entityset&$timeout=600',
        '/rest/Employee/?$filter="salary>50000"&$method=entityset&$timeout=1200',
        '{{APIEndpoint}}/rest/Person/?$filter="lastName!=Jones"&$method=entityset&$timeout=600',
        # more
        "/rest/$upload?$rawPict=true&$timeout=120",
        "/rest/$catalog?$timeout=120",  # R42's
        "/rest/Employee(11)?$method=entityset&$timeout=600",
        "/rest/Employee?$timeout=600&$method=ENTITYSET",
        '/rest/Employee?$filter="ID>3"&$method=entityset&$timeout="7200"',
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee?$timeout=600", [("RQ324", "$timeout=600")]),
        # Qodly: an entity-set read, still a warning
        (
            "/rest/Employee/$entityset/CB1BCC603DB0416D939B4ED379277F02?$timeout=7200",
            [
                ("RQ324", "$timeout=7200"),
            ],
        ),
        ('/rest/Employee?$filter="ID>3"&$method=delete&$timeout=60', [("RQ324", "$timeout=60")]),
        # RQ325
        ('/rest/Employee?$filter="ID>3"&$method=entityset&$timeout=10m', [("RQ325", "10m")]),
        ('/rest/Employee?$filter="ID>3"&$method=entityset&$timeout=0', [("RQ325", "0")]),
        ('/rest/Employee?$filter="ID>3"&$method=entityset&$timeout=-5', [("RQ325", "-5")]),
        ("/rest/$upload?$binary=true&$timeout=", [("RQ325", "$timeout=")]),
        ("/rest/Employee?$timeout", [("RQ324", "$timeout"), ("RQ325", "$timeout")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    found = expect_errors(url, expected)
    # A context warning (RQ324); a value that is no lifetime is an error, as `$top=ten` is.
    assert [d.severity for d in found] == [
        "warning" if d.code == "RQ324" else "error" for d in found
    ]


@pytest.mark.parametrize("value", ["ten", "1.5", "600s", "", "-1"])
def test_timeout_values_are_checked_like_the_other_numbers(value: str) -> None:
    timeout = restquery.validate(f"/rest/Employee?$method=entityset&$timeout={value}")
    top = restquery.validate(f"/rest/Employee?$top={value}")
    assert [d.severity for d in timeout if d.code == "RQ325"] == ["error"]
    assert [d.severity for d in top if d.code == "RQ331"] == ["error"]


def test_messages_and_hints() -> None:
    [d] = expect_errors("/rest/Employee?$timeout=600", [("RQ324", "$timeout=600")])
    assert "$method=entityset" in (d.hint or "") and d.fix is None
    [d] = expect_errors("/rest/Employee?$method=entityset&$timeout=1.5", [("RQ325", "1.5")])
    assert d.message == "The `$timeout` parameter takes a positive number of seconds, not `1.5`."
