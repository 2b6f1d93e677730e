"""RQ105 unknown-directory-action and RQ106 legacy-directory-action (R5)."""

from __future__ import annotations

import csv
from functools import partial
from pathlib import Path

import pytest

import restquery

from .harness import assert_rule_errors, assert_rule_valid
from tests.conftest import CORPUS

CODES = ("RQ105", "RQ106")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus)
        "app.example.com:9000/rest/$directory/login",
        "127.0.0.1:8044/rest/$directory/login",
        "/rest/$directory/login/",
        # what follows the action is R3's; a keyword is R2's
        "/rest/$directory/login/x",
        "/rest/$directory/$all",
        # other resources
        "/rest/Employee/login",
        "/rest/$catalog",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # legacy actions (corpus: logout, currentUser) draw a warning
        ("/rest/$directory/logout", [("RQ106", "logout")]),
        ("/rest/$directory/currentUser", [("RQ106", "currentUser")]),
        ("/rest/$directory/currentUserBelongsTo", [("RQ106", "currentUserBelongsTo")]),
        # anything else is an error
        ("/rest/$directory", [("RQ105", "$directory")]),
        ("/rest/$directory/", [("RQ105", "$directory")]),
        ("/rest/$directory/logon", [("RQ105", "logon")]),
        ("/rest/$directory/Login", [("RQ105", "Login")]),
        ("/rest/$directory/current.User", [("RQ105", "current.User")]),
        ("/rest/$directory/login(1)", [("RQ105", "login(1)")]),
        ("/rest/$directory/foo/bar", [("RQ105", "foo")]),
    ],
)
def test_findings(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_case_fix() -> None:
    url = "/rest/$directory/Login"
    [d] = expect_errors(url, [("RQ105", "Login")])
    assert d.severity == "error"
    assert d.hint == "did you mean `login`?"
    assert d.fix is not None and d.fix.apply(url) == "/rest/$directory/login"


def test_missing_action_hint() -> None:
    [d] = expect_errors("/rest/$directory", [("RQ105", "$directory")])
    assert d.hint == "add `/login`: `/rest/$directory/login`"


def test_legacy_message() -> None:
    [d] = expect_errors("/rest/$directory/logout", [("RQ106", "logout")])
    assert d.severity == "warning"
    assert d.message == (
        "The action `$directory/logout` is legacy; current servers document only "
        "`$directory/login`."
    )


@pytest.mark.parametrize("method", ["GET", "POST", None])
def test_method_does_not_matter(method: str | None) -> None:
    expect_errors("/rest/$directory/logon", [("RQ105", "logon")], method=method)
    expect_valid("/rest/$directory/login", method=method)





def test_corpus() -> None:
    """Every documented example: only the findings the spec calls for (§12.1)."""
    if not CORPUS.exists():
        pytest.skip(f"corpus not found: {CORPUS}")
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    found = [
        (row["url"], d.code, row["url"][d.start : d.end])
        for row in rows
        for d in restquery.validate(row["url"], method=row["method"] or None, select=[*CODES])
        if d.code.startswith("RQ1")
    ]
    assert found == [
        ("/rest/$directory/logout", "RQ106", "logout"),
        ("/rest/$directory/currentUser", "RQ106", "currentUser"),
    ]
