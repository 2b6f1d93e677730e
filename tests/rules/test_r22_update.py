"""R22: `$method=update` (validate, insert) is sent to the bare dataclass (RQ317)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ317")
expect_errors = partial(assert_rule_errors, "RQ317")


@pytest.mark.parametrize(
    "url",
    [
        # corpus
        "/rest/Employee?$method=update&$atomic=true",
        "/rest/Employee/?$method=update",
        "{{ApiEndpoint}}/rest/Employee?$method=update",
        "/rest/Person?$method=update",
        "{{ApiEndpoint}}/rest/Users?$method=update&$atomic=true&$filter=\"department='HR'\"",
        "{{ApiEndpoint}}/rest/Users?$method=insert&$atOnce=true",
        # more
        "/rest/Employee?$method=validate",
        "/rest/Employee(22)?$method=delete",  # R23's
        "/rest/$catalog?$method=update",  # R42's
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url, method="POST")
    expect_valid(url, catalog=CATALOG)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee(22)?$method=update", [("RQ317", "Employee(22)")]),
        ("/rest/Employee[22]/?$method=update", [("RQ317", "Employee[22]")]),
        (
            "/rest/Employee:lastName(Jones)?$method=validate",
            [("RQ317", "Employee:lastName(Jones)")],
        ),
        (
            "/rest/Employee(1)/firstName,lastName?$method=update",
            [
                ("RQ317", "Employee(1)/firstName,lastName"),
            ],
        ),
        ("/rest/Employee/firstName,lastName?$method=update", [("RQ317", "firstName,lastName")]),
        (
            "/rest/Users/$entityset/207BE8235EC24623B98082CAA84CCB7C?$method=insert",
            [
                ("RQ317", "$entityset/207BE8235EC24623B98082CAA84CCB7C"),
            ],
        ),
        ("/rest/Employee/salary/?$method=update", [("RQ317", "salary")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    [d] = expect_errors(url, expected)
    assert d.severity == "error"


def test_messages_and_hints() -> None:
    [d] = expect_errors("/rest/Employee(22)?$method=update", [("RQ317", "Employee(22)")])
    assert (
        d.message
        == "A `$method=update` request is sent to the dataclass itself, not to one entity."
    )
    assert (
        d.hint
        == "send the request to /rest/Employee and put the entity's __KEY and __STAMP in the body"
    )
    [d] = expect_errors(
        "/rest/Employee/getHighSalaries?$method=update",
        [("RQ317", "getHighSalaries")],
        catalog=CATALOG,
    )
    assert d.message.endswith("not to a function.")
