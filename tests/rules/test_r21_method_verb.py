"""R21: `$method` values and HTTP verbs (RQ315), Qodly-only verbs (RQ316)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

CODES = ("RQ315", "RQ316")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    ("url", "method"),
    [
        # corpus
        ("/rest/Employee(22)/?$method=delete", "POST"),
        ('/rest/People/?$filter="ID>320"&$method=entityset&$timeout=600', "GET"),
        ("/rest/Employee/$entityset/4C51204DD8184B65AC7D79F09A077F24?$method=release", "GET"),
        (
            "/rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastName ASC",
            "GET",
        ),
        ("/rest/Employee?$method=update&$atomic=true", "POST"),
        ("{{ApiEndpoint}}/rest/Users?$method=insert&$atOnce=true", "POST"),
        ("/rest/Employee(22)?$method=delete", "post"),
        # the method is unknown: nothing to check
        ("/rest/Employee?$method=update", None),
        ("/rest/Employee[123]?$method=delete", None),
        # other verbs are left alone
        ("/rest/Employee?$method=update", "HEAD"),
        ("/rest/Employee?$method=entityset", "OPTIONS"),
        # no $method and an ordinary verb
        ("/rest/Employee(1)", "GET"),
        ("/rest/City/getCity", "POST"),
        # an unknown $method value is R20's
        ("/rest/Employee?$method=remove", "GET"),
        # `$method` on other resources is R42's
        ("/rest/$catalog/Employee?$method=release", "POST"),
        ("/rest/$info?$method=delete", "GET"),
    ],
)
def test_valid(url: str, method: str | None) -> None:
    expect_valid(url, method=method)


@pytest.mark.parametrize(
    ("url", "method", "expected"),
    [
        ("/rest/Employee?$method=update", "GET", [("RQ315", "$method=update")]),
        ("/rest/Employee?$method=validate", "GET", [("RQ315", "$method=validate")]),
        ("/rest/Users?$method=insert", "GET", [("RQ315", "$method=insert")]),
        (
            '/rest/Employee?$filter="ID>3"&$method=entityset',
            "POST",
            [
                ("RQ315", "$method=entityset"),
            ],
        ),
        (
            "/rest/Employee/$entityset/4C51204DD8184B65AC7D79F09A077F24?$method=release",
            "POST",
            [("RQ315", "$method=release")],
        ),
        (
            "/rest/Company(1)/staff?$expand=staff&$method=subentityset",
            "POST",
            [
                ("RQ315", "$method=subentityset"),
            ],
        ),
        ("/rest/Employee?$method=Update", "get", [("RQ315", "$method=Update")]),
        # Qodly verbs used for something else: both codes
        (
            "/rest/Employee?$method=entityset",
            "PUT",
            [
                ("RQ316", "/rest/Employee"),
                ("RQ315", "$method=entityset"),
            ],
        ),
        (
            "/rest/Employee(1)?$method=update",
            "DELETE",
            [
                ("RQ316", "/rest/Employee(1)"),
                ("RQ315", "$method=update"),
            ],
        ),
    ],
)
def test_invalid(url: str, method: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, method=method)


@pytest.mark.parametrize(
    ("url", "method", "expected"),
    [
        # corpus (Qodly)
        ("{{ApiEndpoint}}/rest/Employee[123]", "DELETE", [("RQ316", "/rest/Employee[123]")]),
        ("{{ApiEndpoint}}/rest/Employee[123]?$method=delete", "GET", [("RQ316", "$method=delete")]),
        # PUT / PATCH updates, DELETE with $method=delete: only the verb warning
        ("/rest/Employee?$method=update", "PUT", [("RQ316", "/rest/Employee")]),
        ("/rest/Employee?$method=update", "PATCH", [("RQ316", "/rest/Employee")]),
        ("/rest/Employee(1)?$method=delete", "DELETE", [("RQ316", "/rest/Employee(1)")]),
        (
            "/rest/Employee/$entityset/207BE8235EC24623B98082CAA84CCB7C",
            "patch",
            [
                ("RQ316", "/rest/Employee/$entityset/207BE8235EC24623B98082CAA84CCB7C"),
            ],
        ),
    ],
)
def test_qodly_verbs(url: str, method: str, expected: list[tuple[str, str]]) -> None:
    found = expect_errors(url, expected, method=method)
    assert all(d.severity == "warning" for d in found)


def test_messages_and_hints() -> None:
    [d] = expect_errors(
        "/rest/Employee?$method=update", [("RQ315", "$method=update")], method="GET"
    )
    assert d.message == "A `$method=update` request must be sent with POST, not GET."
    assert d.hint == "send the request with POST"
    [d] = expect_errors("/rest/Employee[123]", [("RQ316", "/rest/Employee[123]")], method="DELETE")
    assert "$method=delete" in (d.hint or "")
    [d] = expect_errors("/rest/Employee", [("RQ316", "/rest/Employee")], method="PUT")
    assert d.hint == "send POST /rest/Employee?$method=update with the entity in the body"
