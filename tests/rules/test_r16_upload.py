"""R16: `$upload` takes exactly one of `$rawPict=true` / `$binary=true` and POST (RQ304)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ304")
expect_errors = partial(assert_rule_errors, "RQ304")


@pytest.mark.parametrize(
    ("url", "method"),
    [
        # corpus
        ("/rest/$upload?$rawPict=true", "POST"),
        ("localhost:80/rest/$upload?$binary=true", "POST"),
        # method unknown: the verb is not checked
        ("/rest/$upload?$rawPict=true", None),
        ("/rest/$upload/?$binary=TRUE&$timeout=120", None),
        # not an upload: $binary there is R15's
        ("/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt", "GET"),
        ("/rest/Company(11)/blobAtt?$binary=false&$expand=blobAtt", "GET"),
        # other values are R33's
        ("/rest/$upload?$rawPict=1", "POST"),
        ("/rest/$upload?$binary", "POST"),
    ],
)
def test_valid(url: str, method: str | None) -> None:
    expect_valid(url, method=method)
    expect_valid(url, method=method, catalog=CATALOG)


@pytest.mark.parametrize(
    ("url", "method", "expected"),
    [
        ("/rest/$upload", "POST", [("RQ304", "$upload")]),
        ("/rest/$upload", None, [("RQ304", "$upload")]),
        ("/rest/$upload/?$timeout=120", None, [("RQ304", "$upload")]),
        ("/rest/$upload?$rawPict=true&$binary=true", "POST", [("RQ304", "$binary=true")]),
        ("/rest/$upload?$binary=true&$rawPict=true", None, [("RQ304", "$rawPict=true")]),
        ("/rest/$upload?$rawPict=false", "POST", [("RQ304", "false")]),
        ("/rest/$upload?$rawPict=false&$binary=true", "POST", [("RQ304", "false")]),
        ("/rest/$upload?$rawPict=true", "GET", [("RQ304", "$upload")]),
        ("localhost:80/rest/$upload?$binary=true", "PUT", [("RQ304", "$upload")]),
        ("/rest/$upload", "GET", [("RQ304", "$upload"), ("RQ304", "$upload")]),
    ],
)
def test_invalid(url: str, method: str | None, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, method=method)


def test_messages_and_hints() -> None:
    [d] = expect_errors("/rest/$upload", [("RQ304", "$upload")], method="POST")
    assert d.severity == "error"
    assert d.message.endswith("neither is given.")
    assert "$rawPict=true" in (d.hint or "") and d.fix is None
    [d] = expect_errors("/rest/$upload?$rawPict=true", [("RQ304", "$upload")], method="get")
    assert "GET" in d.message and d.hint == "send the request with POST"
