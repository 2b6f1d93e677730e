from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ101")
expect_errors = partial(assert_rule_errors, "RQ101")


@pytest.mark.parametrize(
    "url",
    ["/rest/Company(1)", "/rest", "/rest/", "http://127.0.0.1:8081/rest/$catalog", "{{ApiEndpoint}}/rest/Users", "localhost:80/rest/$upload?$binary=true"],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    "url,covered,fixed",
    [
        ("/Employee(22)", "/Employee(22)", "/rest/Employee(22)"),
        ("/People/firstName,lastName", "/People/firstName,lastName", "/rest/People/firstName,lastName"),
        ("http://127.0.0.1:8081/Company(1)", "/Company(1)", "http://127.0.0.1:8081/rest/Company(1)"),
        ("rest/Employee", "rest", "/rest/Employee"),
        ("/api/Employee", "/api/Employee", "/rest/api/Employee"),
    ],
)
def test_missing_prefix(url: str, covered: str, fixed: str) -> None:
    [d] = expect_errors(url, [("RQ101", covered)])
    assert d.fix is not None and d.fix.apply(url) == fixed
    assert d.hint == "start the path with `/rest`"
