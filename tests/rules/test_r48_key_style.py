"""R48: `(key)` vs `[key]` (RQ358, opt-in)."""

from __future__ import annotations

from functools import partial

import pytest

import restquery
from tests.rules.harness import assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ358", select=["RQ358"])
expect_errors = partial(assert_rule_errors, "RQ358", select=["RQ358"])


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Company[1]",
        "{{ApiEndpoint}}/rest/Employee[123]",
        "/rest/Speciality[1]/infos?$expand=infos",
        "/rest/Company:companyCode(Acme001)",
        "/rest/Employee/addEmployee(John,Smith)",
        "/rest/Company",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected", "fixed"),
    [
        ("/rest/Company(1)", [("RQ358", "(1)")], "/rest/Company[1]"),
        (
            "/rest/Employee(22)/?$method=delete",
            [("RQ358", "(22)")],
            "/rest/Employee[22]/?$method=delete",
        ),
        (
            '/rest/Company("IT0911AB2200")/name',
            [("RQ358", '("IT0911AB2200")')],
            '/rest/Company["IT0911AB2200"]/name',
        ),
        ("/rest/Company(%22AB%22)", [("RQ358", "(%22AB%22)")], "/rest/Company[%22AB%22]"),
        ('/rest/Company("a]b")', [("RQ358", '("a]b")')], None),
        ("/rest/Company%281%29", [("RQ358", "%281%29")], None),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]], fixed: str | None) -> None:
    [d] = expect_errors(url, expected)
    if fixed is None:
        assert d.fix is None
        return
    assert d.fix is not None and d.fix.apply(url) == fixed
    before = restquery.parse(url).path.segments[0]
    after = restquery.parse(fixed).path.segments[0]
    assert after.key == before.key and after.brackets  # type: ignore[union-attr]
    expect_valid(fixed)


def test_off_by_default() -> None:
    assert not [d for d in restquery.validate("/rest/Company(1)") if d.code == "RQ358"]
