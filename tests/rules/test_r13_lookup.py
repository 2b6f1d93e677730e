"""RQ205 lookup-attribute-kind (R13, catalog)."""

from __future__ import annotations

from functools import partial

import pytest

from .harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ205", catalog=CATALOG)
expect_errors = partial(assert_rule_errors, "RQ205", catalog=CATALOG)


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus)
        "/rest/Company:companyCode(Acme001)",
        "/rest/Company:companyCode(\"Acme001\")",
        "/rest/Company:companyCode(Acme001)?$attributes=name,address,staff.name",
        "{{ApiEndpoint}}/rest/Users:Name(user1)",
        "/rest/Employee:lastname(Jones)",  # unknown in this catalog: R10's
        # not a look-up
        "/rest/Employee(1)",
        "/rest/Employee/fullName",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected", "kind"),
    [
        ("/rest/Employee:fullName(Jones)", [("RQ205", "fullName")], "a calculated attribute"),
        ("/rest/Employee:employerName(acme)", [("RQ205", "employerName")], "an alias attribute"),
        ("/rest/Employee:employer(1)", [("RQ205", "employer")], "a related-entity (N→1) attribute"),
        ("/rest/Company:staff(1)/name", [("RQ205", "staff")], "a related-entities (1→N) attribute"),
    ],
)
def test_warnings(url: str, expected: list[tuple[str, str]], kind: str) -> None:
    [d] = expect_errors(url, expected)
    assert d.severity == "warning"
    attribute = expected[0][1]
    assert d.message == f"The look-up attribute `{attribute}` is {kind}, not a storage attribute."


def test_encoded_segment_points_at_it() -> None:
    # The same characters as in the raw form: the attribute name, as written.
    expect_errors("/rest/Employee:full%4Eame(Jones)", [("RQ205", "full%4Eame")])


def test_without_catalog_nothing_runs() -> None:
    assert_rule_valid("RQ205", "/rest/Employee:fullName(Jones)")


@pytest.mark.parametrize("method", ["GET", "POST", None])
def test_method_does_not_matter(method: str | None) -> None:
    expect_errors("/rest/Employee:fullName(Jones)", [("RQ205", "fullName")], method=method)
