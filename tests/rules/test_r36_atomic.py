"""R36: `$atomic`/`$atOnce` with GET (RQ339) or without `$method=update` (RQ340)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

CODES = ("RQ339", "RQ340")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    ("url", "method"),
    [
        ("/rest/Employee?$method=update&$atomic=true", "POST"),
        ("/rest/Employee?$method=update&$atomic=true", None),
        (
            "{{ApiEndpoint}}/rest/Users?$method=update&$atomic=true&$filter=\"department='HR'\"",
            "POST",
        ),
        ("/rest/Employee?$method=UPDATE&$atonce=true", "POST"),
        ("/rest/Employee?$atomic=false", "GET"),  # off: R33's warning only
        ("/rest/Employee", "GET"),
    ],
)
def test_valid(url: str, method: str | None) -> None:
    expect_valid(url, method=method)


@pytest.mark.parametrize(
    ("url", "method", "expected"),
    [
        ("/rest/Employee?$atomic=true", "GET", [("RQ339", "$atomic=true")]),
        ("/rest/Employee?$method=update&$atOnce=true", "get", [("RQ339", "$atOnce=true")]),
        # corpus, Qodly-only forms (spec §12.1)
        ("{{ApiEndpoint}}/rest/Users?$atomic=true", "POST", [("RQ340", "$atomic=true")]),
        (
            "{{ApiEndpoint}}/rest/Users?$method=insert&$atOnce=true",
            "POST",
            [("RQ340", "$atOnce=true")],
        ),
        (
            "{{ApiEndpoint}}/rest/Users?$method=delete&$atomic=true",
            "POST",
            [("RQ340", "$atomic=true")],
        ),
        ("/rest/Users?$atonce=true", None, [("RQ340", "$atonce=true")]),
        ("/rest/Users?$atomic=true", "PATCH", [("RQ340", "$atomic=true")]),
    ],
)
def test_invalid(url: str, method: str | None, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, method=method)


def test_severities() -> None:
    [d] = expect_errors("/rest/Employee?$atomic=true", [("RQ339", "$atomic=true")], method="GET")
    assert d.severity == "error" and d.param == "$atomic"
    [d] = expect_errors("/rest/Users?$atonce=true", [("RQ340", "$atonce=true")], method="POST")
    assert d.severity == "warning" and d.param == "$atOnce" and "`$atonce`" in d.message
