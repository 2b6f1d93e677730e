"""R20: `$method` values (RQ313), legacy and Qodly-only ones (RQ314)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

CODES = ("RQ313", "RQ314")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    "url",
    [
        # corpus
        "/rest/Employee(22)/?$method=delete",
        '/rest/People/?$filter="ID>320"&$method=entityset&$timeout=600',
        "/rest/Employee/$entityset/4C51204DD8184B65AC7D79F09A077F24?$method=release",
        "/rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastName ASC",
        "/rest/Employee?$method=update&$atomic=true",
        "/rest/Users(4)/Orders?$expand=Orders&$method=subentityset",
        # case-insensitive, quoted
        "/rest/Employee?$method=UPDATE",
        '/rest/Employee(1)?$method="delete"',
        '/rest/Employee?$filter="ID=1"&$method=EntitySet',
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee(22)?$method=remove", [("RQ313", "remove")]),
        ("/rest/Employee(22)?$method=delet", [("RQ313", "delet")]),
        ("/rest/Employee?$method=entitySets", [("RQ313", "entitySets")]),
        ("/rest/Employee?$method=", [("RQ313", "$method=")]),
        ("/rest/Employee?$method", [("RQ313", "$method")]),
        ('/rest/Employee?$method="up date"', [("RQ313", "up date")]),
        # legacy / Qodly-only values (corpus: $method=insert)
        ("/rest/Users?$method=insert&$atOnce=true", [("RQ314", "insert")]),
        ("/rest/Employee?$method=validate", [("RQ314", "validate")]),
        ("/rest/Employee?$method=Validate", [("RQ314", "Validate")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_severities_hints_fixes() -> None:
    url = "/rest/Employee(22)?$method=delet"
    [d] = expect_errors(url, [("RQ313", "delet")])
    assert d.severity == "error" and "`delete`" in (d.hint or "")
    assert d.fix is not None and d.fix.apply(url) == "/rest/Employee(22)?$method=delete"
    assert d.message == "The `$method` parameter needs a documented value, not `delet`."
    [d] = expect_errors(url, [("RQ313", "delet")], hide_suggestions=True)
    assert d.fix is None and "did you mean" not in (d.hint or "")
    [d] = expect_errors("/rest/Employee?$method=", [("RQ313", "$method=")])
    assert d.message.endswith("not an empty value.")
    [d] = expect_errors("/rest/Users?$method=insert", [("RQ314", "insert")])
    assert d.severity == "warning" and "Qodly" in d.message and d.fix is None
    [d] = expect_errors("/rest/Employee?$method=validate", [("RQ314", "validate")])
    assert "legacy" in d.message
