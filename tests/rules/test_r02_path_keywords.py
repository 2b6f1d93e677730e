"""RQ102 unknown-path-keyword (R2)."""

from __future__ import annotations

import csv
from functools import partial
from pathlib import Path

import pytest

import restquery

from .harness import assert_rule_errors, assert_rule_valid
from tests.conftest import CORPUS

expect_valid = partial(assert_rule_valid, "RQ102")
expect_errors = partial(assert_rule_errors, "RQ102")


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus)
        "/rest/$catalog",
        "/rest/$catalog/$all",
        "/rest/$catalog/Employee",
        "/rest/$catalog/authentify",
        "{{APIEndpoint}}/rest/$catalog/$all",
        "/rest/$info",
        "/rest/$upload?$rawPict=true",
        "/rest/$querypath",
        "/rest/$getWebForm",
        "app.example.com:9000/rest/$directory/login",
        "/rest/$singleton/VehicleFactory/buildVehicle",
        "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7",
        "/rest/Employee/$entityset/$release",
        "/rest/People/firstName,employer.name/$entityset/BDCD8AABE13144118A4CF8641D5883F5?$expand=employer",
        "/rest/Students/getAgeAverage/$entityset/17E83633FFB54ECDBF947E5C620BB532",
        # no keyword at all
        "/rest/Company(1)",
        "/rest",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # unknown keywords
        ("/rest/$foo", [("RQ102", "$foo")]),
        ("/rest/$getfile", [("RQ102", "$getfile")]),
        ("/rest/Employee/$entitySet/ABC", [("RQ102", "$entitySet")]),
        # parameters written in the path (with `=` it is the syntax error RQ005)
        ("/rest/Employee/$top", [("RQ102", "$top")]),
        # known keywords out of place
        ("/rest/$all", [("RQ102", "$all")]),
        ("/rest/Employee/$all", [("RQ102", "$all")]),
        ("/rest/$singleton/$all/buildVehicle", [("RQ102", "$all")]),
        ("/rest/$release", [("RQ102", "$release")]),
        ("/rest/$catalog/$release", [("RQ102", "$release")]),
        ("/rest/Employee/$release", [("RQ102", "$release")]),
        ("/rest/Employee/$catalog", [("RQ102", "$catalog")]),
        ("/rest/$catalog/$info", [("RQ102", "$info")]),
        ("/rest/Employee(1)/$upload", [("RQ102", "$upload")]),
        ("/rest/$entityset/ABC", [("RQ102", "$entityset")]),
        ("/rest/$catalog/$entityset", [("RQ102", "$entityset")]),
        ("/rest/Employee/$entityset/$entityset", [("RQ102", "$entityset")]),
        # several at once, in order
        ("/rest/$foo/$bar", [("RQ102", "$foo"), ("RQ102", "$bar")]),
        # percent-encoded `$`: the span covers the text as given
        ("/rest/%24foo", [("RQ102", "%24foo")]),
    ],
)
def test_errors(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_case_is_significant_and_fixed() -> None:
    url = "/rest/$Catalog/$all"
    [d] = expect_errors(url, [("RQ102", "$Catalog")])
    assert d.hint == "did you mean `$catalog`?"
    assert d.fix is not None and d.fix.apply(url) == "/rest/$catalog/$all"
    assert "not a path keyword" in d.message


def test_misplaced_keyword_hint() -> None:
    [d] = expect_errors("/rest/Employee/$all", [("RQ102", "$all")])
    assert d.message == "The path segment `$all` is only allowed right after `$catalog/`."
    assert d.hint == "write `/rest/$catalog/$all`"
    assert d.fix is None


def test_parameter_in_path_hint() -> None:
    [d] = expect_errors("/rest/Employee/$top", [("RQ102", "$top")])
    assert d.hint == "pass `$top` as a query parameter after `?`"


def test_suggestions_hidden() -> None:
    [d] = expect_errors("/rest/$Catalog", [("RQ102", "$Catalog")], hide_suggestions=True)
    assert d.hint is None and d.fix is None


@pytest.mark.parametrize("method", ["GET", "POST", None])
def test_method_does_not_matter(method: str | None) -> None:
    expect_errors("/rest/$foo", [("RQ102", "$foo")], method=method)
    expect_valid("/rest/$catalog", method=method)





def test_corpus() -> None:
    """Every documented example: only the findings the spec calls for (§12.1)."""
    if not CORPUS.exists():
        pytest.skip(f"corpus not found: {CORPUS}")
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    found = [
        (row["url"], d.code, row["url"][d.start : d.end])
        for row in rows
        for d in restquery.validate(row["url"], method=row["method"] or None, select=["RQ102"])
        if d.code.startswith("RQ1")
    ]
    assert found == []
