"""RQ107 unknown-parameter and RQ108 parameter-spelling (R6)."""

from __future__ import annotations

import csv
from functools import partial
from pathlib import Path

import pytest

import restquery

from .harness import assert_rule_errors, assert_rule_valid
from tests.conftest import CORPUS

CODES = ("RQ107", "RQ108")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus)
        "/rest/Person/?$filter=\"lastName!=Jones\"&$method=entityset&$timeout=600",
        "/rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastName ASC",
        "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7?$logicOperator=AND&$otherCollection=C05A0D887C664D4DA1B38366DD21629B",
        "{{ApiEndpoint}}/rest/Users?$method=insert&$atOnce=true",
        "/rest/Employee?$method=update&$atomic=true",
        "/rest/$upload?$rawPict=true",
        "/rest/Employee(1)/photo?$imageformat=jpeg&$version=3&$expand=photo",
        "{{ApiEndpoint}}/rest/Users/?$filter=\"Name begin u\"&$top=3&$asArray=true",
        "/rest/People/?$filter=\"lastName!=''\"&$savedfilter=\"lastName!=''\"&$orderby=\"salary\"&$savedorderby=\"salary\"&$method=entityset",
        "/rest/Company/?$filter=\"name begin a\"&$top=3&$format=looker",
        "/rest/Employee?$filter=\"employer.name=acme\"&$querypath=true",
        "/rest/Orders?$filter=\"Quantity > 4 AND Purchaser.Name = user2\"&$queryplan=true",
        "/rest/Speciality/$entityset/DF6903FB5879404A9A818884CFC6F62A?$clean=true&$method=entityset",
        "/rest/Employee?$top=50&$limit=10&$skip=1&$distinct=true&$compute=sum&$lock=true&$binary=true",
        # names without `$` are R6b's
        "/rest/Person/?filter=\"objAttribute.prop2 == 9181\"",
        "/rest/Employee(22)?& $method=delete",
        # percent-encoded documented names
        "/rest/Employee?%24filter=%22a=1%22",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee?$fitler=\"lastName=Jones\"", [("RQ107", "$fitler")]),
        ("/rest/Employee?$operator=AND", [("RQ107", "$operator")]),
        ("/rest/Employee?$foo", [("RQ107", "$foo")]),
        ("/rest/Employee?$top=1&$bogus=2&$skip=1", [("RQ107", "$bogus")]),
        ("/rest/Employee?$orderBy=\"lastName\"", [("RQ108", "$orderBy")]),
        ("/rest/Employee?$method=update&$atonce=true", [("RQ108", "$atonce")]),
        ("/rest/Employee?$FILTER=\"a=1\"&$Top=2", [("RQ108", "$FILTER"), ("RQ108", "$Top")]),
        ("/rest/Employee?%24orderBy=%22a%22", [("RQ108", "%24orderBy")]),
        ("/rest/Employee?$fitler=1&$orderBy=\"a\"", [("RQ107", "$fitler"), ("RQ108", "$orderBy")]),
    ],
)
def test_findings(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_unknown_hint() -> None:
    [d] = expect_errors("/rest/Employee?$fitler=\"a=1\"", [("RQ107", "$fitler")])
    assert d.hint is not None and d.hint.startswith("did you mean `$filter`")
    assert d.param == "$fitler"
    [d] = expect_errors("/rest/Employee?$operator=AND", [("RQ107", "$operator")])
    assert d.hint == "write `$logicOperator`"


def test_spelling_fix() -> None:
    url = "/rest/Employee?$orderBy=\"lastName\"&$top=1"
    [d] = expect_errors(url, [("RQ108", "$orderBy")])
    assert d.severity == "warning" and d.param == "$orderby"
    assert d.fix is not None and d.fix.apply(url) == "/rest/Employee?$orderby=\"lastName\"&$top=1"


def test_spelling_no_fix_for_encoded_name() -> None:
    [d] = expect_errors("/rest/Employee?%24orderBy=%22a%22", [("RQ108", "%24orderBy")])
    assert d.fix is None


def test_request_without_url_text() -> None:
    req = restquery.parse("/rest/Employee?$orderBy=\"a\"")
    [d] = restquery.validate(req, select=["RQ108"])
    assert d.fix is None and (d.start, d.end) == req.params[0].span


def test_suggestions_hidden() -> None:
    [d] = expect_errors("/rest/Employee?$fitler=1", [("RQ107", "$fitler")], hide_suggestions=True)
    assert d.hint is None


@pytest.mark.parametrize("method", ["GET", "POST", None])
def test_method_does_not_matter(method: str | None) -> None:
    expect_errors("/rest/Employee?$fitler=1", [("RQ107", "$fitler")], method=method)





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
    assert found == []


# ---------------------------------------------------------------------------------------------
# RQ112 ampersand-in-quoted-value
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        '/rest/E?$filter="a=1 %26 b=2"',
        '/rest/E?$filter="a=1 AND b=2"&$top=1',
        "/rest/Person/?$filter=\"lastName=:1\"&$params='[\"O\\u0027Reilly\"]'",
        "/rest/E?$filter=\"a=1\"&$top=1&$skip=2",  # `&` between parameters
    ],
)
def test_rq112_valid(url: str) -> None:
    assert_rule_valid("RQ112", url)


@pytest.mark.parametrize(
    ("url", "expected", "fixed"),
    [
        ('/rest/E?$filter="a=1 & b=2"', [("RQ112", "&")], '/rest/E?$filter="a=1 %26 b=2"'),
        (
            "/rest/Employee(1)?$filter=\"lastName='x&$method=delete&'\"",
            [("RQ112", "&$method=delete&")],
            "/rest/Employee(1)?$filter=\"lastName='x%26$method=delete%26'\"",
        ),
        (
            "/rest/E?$filter=\"a=:1\"&$params='[\"x&$top=x\"]'",
            [("RQ112", "&")],
            "/rest/E?$filter=\"a=:1\"&$params='[\"x%26$top=x\"]'",
        ),
    ],
)
def test_rq112_errors(url: str, expected: list[tuple[str, str]], fixed: str) -> None:
    [d] = assert_rule_errors("RQ112", url, expected)
    assert d.fix is not None and d.fix.apply(url) == fixed
    assert d.hint == "write `&` as `%26` inside the quoted value"


def test_rq112_needs_the_text() -> None:
    # A tree alone cannot tell a raw `&` from `%26`: the rule says nothing rather than guess.
    tree = restquery.parse('/rest/E?$filter="a=1 & b=2"')
    assert "RQ112" not in [d.code for d in restquery.validate(tree)]


# ---------------------------------------------------------------------------------------------
# RQ113 plus-in-value
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("/rest/Employee?$filter=%22ID%3D1%20AND%20ID%3D2%22", {}),
        ("/rest/Employee?$filter=%22ID%3D1+AND+ID%3D2%22", {"plus_as_space": True}),
        ('/rest/Employee?$filter="name=%27a%2Bb%27"', {}),
        ("/rest/Employee/$entityset/AB+C?$top=1", {}),  # not a small-language value
        ("/rest/Employee?$top=1&$skip=2", {}),
    ],
)
def test_rq113_valid(url: str, options: dict[str, bool]) -> None:
    assert_rule_valid("RQ113", url, **options)


@pytest.mark.parametrize(
    ("url", "fixed"),
    [
        (
            "/rest/Employee?$filter=%22ID%3D1+AND+ID%3D2%22",
            "/rest/Employee?$filter=%22ID%3D1%20AND%20ID%3D2%22",
        ),
        (
            "/rest/Employee?$filter=\"name=:1\"&$params='[\"O+Reilly\"]'",
            "/rest/Employee?$filter=\"name=:1\"&$params='[\"O%20Reilly\"]'",
        ),
        ('/rest/Employee?$filter="ID=1+2"', '/rest/Employee?$filter="ID=1%2B2"'),
    ],
)
def test_rq113_warns_with_a_fix_for_the_reading_that_parses(url: str, fixed: str) -> None:
    [d] = assert_rule_errors("RQ113", url, [("RQ113", "+")])
    assert d.fix is not None and d.fix.apply(url) == fixed
    assert "RQ113" not in [x.code for x in restquery.validate(fixed)]


# ---------------------------------------------------------------------------------------------
# RQ114 stray-ampersand
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Employee?$top=1&$skip=2",
        '/rest/Employee?$filter="a=1 && b=2"&$top=2',  # `&&` inside quotes is the AND symbol
        "/rest/Employee?",
        "/rest/Employee?$top=1#&",  # after the `#`: a fragment, never judged
    ],
)
def test_rq114_valid(url: str) -> None:
    assert_rule_valid("RQ114", url)


@pytest.mark.parametrize(
    ("url", "stray", "where", "fixed"),
    [
        ("/rest/Employee?$top=1&&$skip=2", "&", "between", "/rest/Employee?$top=1&$skip=2"),
        ("/rest/Employee?&$top=1", "&", "right after the `?`", "/rest/Employee?$top=1"),
        ("/rest/Employee?$top=1&", "&", "ends with it", "/rest/Employee?$top=1"),
        ("/rest/Employee?$top=1&&&", "&&&", "ends with it", "/rest/Employee?$top=1"),
        ("/rest/Employee?&&", "&&", "holds nothing else", "/rest/Employee?"),
        ("/rest/Employee?$top=1&#part", "&", "ends with it", "/rest/Employee?$top=1#part"),
        (
            '/rest/Employee?$filter="a=1"&&&$top=2',
            "&&",
            "between",
            '/rest/Employee?$filter="a=1"&$top=2',
        ),
    ],
)
def test_rq114_warns_with_a_fix(url: str, stray: str, where: str, fixed: str) -> None:
    [d] = assert_rule_errors("RQ114", url, [("RQ114", stray)])
    assert d.severity == "warning" and where in d.message and d.hint
    assert d.fix is not None and d.fix.apply(url) == fixed
    assert "RQ114" not in [x.code for x in restquery.validate(fixed)]
    # the tree is the one without the stray `&`: nothing else changes
    assert restquery.parse(url) == restquery.parse(fixed)


def test_rq114_is_only_a_warning() -> None:
    # An `&` with no parameter beside it was a syntax error (RQ007, now retired).
    diags = restquery.validate("/rest/Employee?$top=1&&$skip=2&")
    assert [d.code for d in diags] == ["RQ114", "RQ114"]
    assert all(d.severity == "warning" for d in diags)


def test_rq007_is_retired() -> None:
    with pytest.raises(restquery.RestQueryError, match="RQ007 is retired.*RQ114"):
        restquery.validate("/rest/Employee", ignore="RQ007")


# --- RQ115 odata-parameter, RQ116 unquoted-sort (more in tests/test_habits.py) ---------------


@pytest.mark.parametrize(
    ("url", "fixed"),
    [
        ("/rest/Employee?$select=lastName", "/rest/Employee?$attributes=lastName"),
        ("/rest/Employee(1)?$SELECT=lastName,salary", "/rest/Employee(1)?$attributes=lastName,salary"),
    ],
)
def test_rq115_renames_odata_select(url: str, fixed: str) -> None:
    [d] = assert_rule_errors(("RQ107", "RQ115"), url, [("RQ115", url[15:].split("=")[0].split("?")[-1])])
    assert d.fix is not None and d.fix.apply(url) == fixed
    assert_rule_valid(("RQ107", "RQ115"), fixed)


def test_rq115_no_fix_for_an_encoded_name() -> None:
    url = "/rest/Employee?%24select=lastName"
    [d] = assert_rule_errors("RQ115", url, [("RQ115", "%24select")])
    assert d.fix is None and d.hint == "write `$attributes`"


@pytest.mark.parametrize(
    "url",
    [
        '/rest/Employee?$orderby="lastName desc"',
        "/rest/Employee?$orderby='lastName desc'",
        "/rest/Employee?$orderby=lastName",
        "/rest/Employee?$orderby=lastName,salary",
        "/rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastName ASC",
    ],
)
def test_rq116_valid(url: str) -> None:
    assert_rule_valid("RQ116", url)


def test_rq116_quotes_a_bare_sort_list_with_a_space() -> None:
    url = "/rest/Employee?$savedorderby=lastName desc&$orderby=salary  asc"
    found = assert_rule_errors("RQ116", url, [("RQ116", "lastName desc"), ("RQ116", "salary  asc")])
    assert [d.param for d in found] == ["$savedorderby", "$orderby"]
    assert found[1].fix is not None
    assert found[1].fix.apply(url) == '/rest/Employee?$savedorderby=lastName desc&$orderby="salary  asc"'
