"""The shortcuts of restquery.syntax.lean build exactly what the LALR parser builds.

Differential: every input is parsed with the shortcuts on and off; both must fail with the same
error, or both succeed with identical trees, spans included (``to_dict`` compares spans).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import restquery
from restquery import parser as parser_module

SHARED = Path(__file__).resolve().parents[2] / "shared"
EXAMPLES = int(os.environ.get("RESTQUERY_HYPOTHESIS_EXAMPLES", "300"))


def _outcome(url: str, fast: bool) -> Any:
    saved = parser_module.FAST_PATHS
    parser_module.FAST_PATHS = fast
    try:
        return ("ok", restquery.parse(url).to_dict())
    except restquery.RestQuerySyntaxError as err:
        return ("error", err.code, tuple(err.span), err.message)
    finally:
        parser_module.FAST_PATHS = saved


def assert_same(url: str) -> None:
    assert _outcome(url, True) == _outcome(url, False), url


def _corpus() -> list[str]:
    with open(SHARED / "corpus" / "doc-examples.tsv", encoding="utf-8") as fh:
        return [row["url"] for row in csv.DictReader(fh, delimiter="\t")]


@pytest.mark.parametrize("url", _corpus())
def test_corpus(url: str) -> None:
    assert_same(url)


TRICKY = [
    # comparators must be matched as the lexer does (no backtracking into a shorter one)
    '/rest/A?$filter="a=="',
    '/rest/A?$filter="a==1"',
    '/rest/A?$filter="a===1"',
    '/rest/A?$filter="a=!1"',
    '/rest/A?$filter="a!=="',
    '/rest/A?$filter="a<=>1"',
    '/rest/A?$filter="a%b"',
    # `not` is a keyword in operand position, a name elsewhere
    '/rest/A?$filter="not=1"',
    '/rest/A?$filter="NOT=1"',
    '/rest/A?$filter="notes=1"',
    '/rest/A?$filter="x.not=1"',
    '/rest/A?$filter=" a = 1 "',
    '/rest/A?$filter="a . b=1"',
    '/rest/A?$filter="a=b c"',
    '/rest/A?$filter="a=\'x y\'"',
    '/rest/A?$filter="a=:1"',
    '/rest/A?$filter="a=:name"',
    '/rest/A?$filter="a=[1]"',
    '/rest/A?$filter="a=1\x0b"',
    '/rest/A?$filter="a=2024-01-31"',
    '/rest/A?$filter="a=2024-02-30"',
    '/rest/A?$filter="a=true"',
    '/rest/A?$filter="a=True"',
    "/rest/A?$filter=%22a%3D%27x%27%22",
    # sort lists and name lists
    '/rest/A?$orderby="a desc, b asc"',
    '/rest/A?$orderby="desc desc"',
    '/rest/A?$orderby="a descending"',
    '/rest/A?$orderby="a,"',
    '/rest/A?$orderby="a, "',
    "/rest/A?$orderby=a\n",
    "/rest/A?$orderby=a DESC",
    "/rest/A?$attributes=a, b.*, c",
    "/rest/A?$attributes=*",
    "/rest/A?$attributes=a.*.b",
    "/rest/A?$expand=a.*",
    "/rest/A?$expand=a,b",
    # segments and keys
    "/rest/A(1)",
    "/rest/A[1]",
    '/rest/A("x/y")',
    "/rest/A(1,2)",
    "/rest/A(",
    "/rest/A()",
    "/rest/A:b(c)",
    "/rest/A/b,c.d",
    "/rest/A/$entityset/0ABC",
    "/rest/A/$entityset/$release",
    "/rest/A/$entityset/X[1]",
    "/rest/A%28%22x%22%29",
    "/rest/%C3%A9t%C3%A9",
    # url level
    "http://h:80/rest/A?",
    "http://h:80x/rest/A",
    "{{Api}}/rest/A",
    "{{Api}}http://h/rest/A",
    "/rest/A?a&&b",
    "/rest/A?a=1&",
    '/rest/A?$filter="x"y',
    '/rest/A?$filter="x"/',
    '/rest/A?$filter="x"/&$top=1',
    "/rest/A?$filter=%22x%22%2F",
    "/rest//A",
    "/rest/A//",
    '/rest/A"b',
]


@pytest.mark.parametrize("url", TRICKY)
def test_tricky(url: str) -> None:
    assert_same(url)


ALPHABET = st.sampled_from(
    list("aAbn1 =!<>#%:,.()[]{}*'\"&|/?$") + ["not ", " AND ", " or ", "desc", "%22", "%26", "%2F"]
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.sampled_from(["$filter", "$orderby", "$attributes", "$expand", "$top", "x"]),
    st.lists(ALPHABET, max_size=12).map("".join),
)
@example("$filter", '"a=="')
def test_generated_values(name: str, value: str) -> None:
    assert_same(f"/rest/A?{name}={value}")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(ALPHABET, max_size=14).map("".join))
def test_generated_paths(tail: str) -> None:
    assert_same("/rest/" + tail)
