"""Numbers of any length: only RestQueryError leaves the library, and a number over the digit
limit is RQ013 ``number-too-long``, located on the number exactly as it is written.

Python refuses to convert between ``int`` and ``str`` past 4 300 digits (CVE-2020-10735) with a
bare ``ValueError``; every place where the library reads or prints a number is exercised here,
at 5 000 and 100 000 digits, raw and percent-encoded.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import restquery
from restquery import RestQueryError, RestQueryLimitError, UnparseError
from restquery.syntax.values import MAX_NUMBER_DIGITS
from restquery.ast import (
    AttributePath,
    Collection,
    Comparison,
    Filter,
    Integer,
    Key,
    KeySegment,
    NamesSegment,
    Number,
    Origin,
    Param,
    Params,
    PathPart,
    Placeholder,
    Request,
    SortItem,
    SortList,
)
from restquery.ast import Path as UrlPath
from restquery.syntax.explain import INTEGRATION_CODES, SYNTAX_CODES
from restquery.parser import parse_value

REPO = Path(__file__).resolve().parents[2]
CATALOG = restquery.Catalog.from_json(REPO / "examples" / "catalog.json")

# `<N>` is the long number the error must point at; `<S>` the same digits somewhere they are
# no number (inside a JSON string), which the span must skip.
POSITIONS = [
    ("top", "/rest/Employee?$top=<N>"),
    ("top-negative", "/rest/Employee?$top=-<N>"),
    ("top-quoted", '/rest/Employee?$top="<N>"'),
    ("skip", "/rest/Employee?$skip=<N>"),
    ("limit", "/rest/Employee?$limit=<N>"),
    ("timeout", "/rest/Employee?$method=entityset&$timeout=<N>"),
    ("version", "/rest/Employee(1)/photo?$imageformat=best&$version=<N>&$expand=photo"),
    ("key-parens", "/rest/Employee(<N>)"),
    ("key-brackets", "/rest/Employee[<N>]"),
    ("key-real", "/rest/Employee(<N>.5)"),
    ("key-encoded", "/rest/Employee%28<N>%29"),
    ("lookup", "/rest/Employee:ID(<N>)"),
    ("call", "/rest/Employee/addEmployee(<N>,2)"),
    ("entity-set-key", "/rest/Employee/$entityset/4E5A3A2C[<N>]"),
    ("filter", '/rest/Employee?$filter="salary=<N>"'),
    ("filter-lalr", '/rest/Employee?$filter="salary=<N> AND lastName=a"'),
    ("filter-negative", '/rest/Employee?$filter="salary>-<N>"'),
    ("filter-real", '/rest/Employee?$filter="salary<<N>.25"'),
    ("filter-in", '/rest/Employee?$filter="ID IN [1,<N>]"'),
    ("filter-encoded", "/rest/Employee?$filter=%22salary%3D<N>%22"),
    ("placeholder", '/rest/Employee?$filter="salary=:<N>"'),
    ("placeholder-lalr", '/rest/Employee?$filter="salary=:<N> OR ID=1"'),
    ("placeholder-in", '/rest/Employee?$filter="ID IN [:<N>]"'),
    ("class-index", "/rest/Employee?$filter=\"roles.actor{<N>}.lastName='a'\""),
    ("class-index-sort", "/rest/Employee?$orderby=roles.actor{<N>}.lastName"),
    ("params", "/rest/Employee?$filter=\"ID=:1\"&$params='[<N>]'"),
    ("params-negative", "/rest/Employee?$filter=\"ID=:1\"&$params='[-<N>]'"),
    ("params-real", "/rest/Employee?$filter=\"ID=:1\"&$params='[1.<N>]'"),
    ("params-exponent", "/rest/Employee?$filter=\"ID=:1\"&$params='[1e<N>]'"),
    ("params-nested", "/rest/Employee?$filter=\"ID=:1\"&$params='[{\"a\":[2,<N>]}]'"),
    ("params-after-string", "/rest/Employee?$filter=\"ID=:1\"&$params='[\"<S>\",<N>]'"),
    ("params-relaxed", "/rest/Employee?$filter=\"ID=:1\"&$params='[{a:<N>}]'"),
    ("params-deep", "/rest/Employee?$filter=\"ID=:1\"&$params='" + "[" * 1200 + "<N>" + "]" * 1200 + "'"),
    ("port", "http://localhost:<N>/rest/Employee"),
    ("port-no-scheme", "localhost:<N>/rest/Employee"),
]

def _spanned(template: str, digits: str) -> tuple[str, tuple[int, int]]:
    """The URL, and where the number is written in it (sign, point and exponent included,
    the `:` of a placeholder and the braces of a class index not)."""
    before, after = template.split("<N>")
    before = before.replace("<S>", digits)
    url = before + digits + after
    start, end = len(before), len(before) + len(digits)
    lexeme = re.search(r"-?(?:[0-9][.e])?$", before[-3:])
    assert lexeme is not None
    start -= len(lexeme.group())
    tail = re.match(r"\.[0-9]+", after)
    if tail is not None:
        end += len(tail.group())
    return url, (start, end)


def _digits_in(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


LENGTHS = [5_000, 100_000]


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize(("where", "template"), POSITIONS, ids=[p[0] for p in POSITIONS])
def test_parse_refuses_a_long_number_where_it_is(where: str, template: str, length: int) -> None:
    url, span = _spanned(template, "7" * length)
    with pytest.raises(RestQueryLimitError) as info:
        restquery.parse(url, max_length=None)
    err = info.value
    assert (err.code, err.name) == ("RQ013", "number-too-long"), err
    assert tuple(err.span) == span, (url[err.span.start : err.span.start + 20], err.span, span)
    digits = _digits_in(url[span[0] : span[1]])
    assert err.message == (
        f"The number is {digits} digits long, over the limit of {MAX_NUMBER_DIGITS} digits."
    )
    assert err.hint and err.url == url


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize(("where", "template"), POSITIONS, ids=[p[0] for p in POSITIONS])
def test_validate_reports_it(where: str, template: str, length: int) -> None:
    url, span = _spanned(template, "7" * length)
    for catalog in (None, CATALOG):
        diags = restquery.validate(url, catalog=catalog, method="GET", max_length=None)
        assert [(d.code, d.name, tuple(d.span)) for d in diags] == [
            ("RQ013", "number-too-long", span)
        ]
        assert diags[0].severity == "error" and diags[0].hint


@pytest.mark.parametrize(("where", "template"), POSITIONS, ids=[p[0] for p in POSITIONS])
def test_the_url_length_limit_comes_first(where: str, template: str) -> None:
    url, _ = _spanned(template, "7" * 100_000)
    with pytest.raises(RestQueryLimitError) as info:
        restquery.parse(url)
    assert info.value.code == "RQ010"


@pytest.mark.parametrize(("where", "template"), POSITIONS, ids=[p[0] for p in POSITIONS])
def test_the_limit_is_exact(where: str, template: str) -> None:
    # The limit counts digits: a point, a sign or an `e` do not count.
    url, span = _spanned(template, "7" * MAX_NUMBER_DIGITS)
    extra = _digits_in(url[span[0] : span[1]]) - MAX_NUMBER_DIGITS
    at_limit, _ = _spanned(template, "7" * (MAX_NUMBER_DIGITS - extra))
    over, over_span = _spanned(template, "7" * (MAX_NUMBER_DIGITS - extra + 1))
    if where.startswith("port"):
        restquery.parse(at_limit)  # ports are not judged by the parser
    elif where != "params-real" and where != "params-exponent":
        assert [d.code for d in restquery.validate(at_limit)] != ["RQ013"]
    with pytest.raises(RestQueryLimitError) as info:
        restquery.parse(over)
    assert (info.value.code, tuple(info.value.span)) == ("RQ013", over_span)


def test_the_limit_holds_whatever_the_process_allows() -> None:
    # 640 is the lowest int/str digit limit a process can set: every number the parser takes
    # converts under any setting.
    threshold = getattr(sys.int_info, "str_digits_check_threshold", MAX_NUMBER_DIGITS)
    assert MAX_NUMBER_DIGITS <= threshold
    with _int_str_digits(threshold):
        digits = "9" * MAX_NUMBER_DIGITS
        for _, template in POSITIONS:
            url = template.replace("<S>", "1").replace("<N>", digits)
            if "e<N>" in template or "1.<N>" in template or "<N>." in template:
                continue
            try:
                req = restquery.parse(url, max_length=None)
            except RestQueryError as err:
                assert err.code != "RQ013", (template, err)
            else:
                restquery.unparse(req)
                restquery.validate(req)


@contextmanager
def _int_str_digits(limit: int) -> Iterator[None]:
    get = getattr(sys, "get_int_max_str_digits", None)
    if get is None:  # pragma: no cover - an interpreter without the limit
        yield
        return
    before = get()
    sys.set_int_max_str_digits(limit)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(before)


def test_encoded_digits_are_counted_and_spanned_as_written() -> None:
    url = "/rest/Employee?$top=%31" + "2" * 700
    err = _syntax_error(url)
    assert (err.code, tuple(err.span)) == ("RQ013", (20, len(url)))
    assert "701 digits" in err.message


def _syntax_error(url: str) -> restquery.RestQuerySyntaxError:
    with pytest.raises(restquery.RestQuerySyntaxError) as info:
        restquery.parse(url, max_length=None)
    return info.value


# ---------------------------------------------------------------------------------------------
# Ordinary numbers are read as before
# ---------------------------------------------------------------------------------------------

BIG = "123456789012345678901234567890"  # 30 digits: past 64 bits, far below the limit


def _one(url: str) -> Any:
    return restquery.parse(url)


def test_big_ordinary_numbers_still_parse() -> None:
    big = int(BIG)
    assert _one(f"/rest/Employee?$top={BIG}").params[0].value == Integer(value=big)
    assert _one(f"/rest/Employee({BIG})").path.segments[0].key == Key(value=big)
    assert _one(f"/rest/Employee({BIG}.5)").path.segments[0].key == Key(value=float(BIG + ".5"))
    flt = _one(f'/rest/Employee?$filter="salary={BIG}"').params[0].value
    assert flt.expr.right == Number(value=big) and flt.expr.right.raw == BIG
    flt = _one(f'/rest/Employee?$filter="salary=-{BIG}.25 AND ID=1"').params[0].value
    assert flt.expr.operands[0].right == Number(value=float(f"-{BIG}.25"))
    flt = _one(f'/rest/Employee?$filter="salary=:{BIG}"').params[0].value
    assert flt.expr.right == Placeholder(index=big)
    req = _one(f"/rest/Employee?$filter=\"ID=:1\"&$params='[{BIG},{BIG}.5,1e300]'")
    assert req.param("$params").value.items == (big, float(BIG + ".5"), 1e300)
    assert _one(f"http://localhost:{BIG}/rest/Employee").origin == Origin(
        scheme="http", host="localhost", port=big
    )
    path = _one(f"/rest/Employee?$orderby=roles.actor{{{BIG}}}.lastName").params[0].value
    assert path.items[0].path.parts[1].class_index == big


def test_numbers_at_the_limit_print_back() -> None:
    digits = "8" * MAX_NUMBER_DIGITS
    for url in (
        f"/rest/Employee?$top={digits}",
        f"/rest/Employee({digits})",
        f'/rest/Employee?$filter="salary={digits} AND ID=:{digits}"',
        f"/rest/Employee?$filter=\"ID=:1\"&$params='[{digits}]'",
        f"http://localhost:{digits}/rest/Employee",
    ):
        req = restquery.parse(url)
        assert restquery.parse(restquery.unparse(req)) == req
        assert restquery.parse(restquery.unparse(req, encode=True)) == req


def test_a_real_out_of_range_is_a_located_error_not_infinity() -> None:
    # 400 digits are within the limit, but no real holds them: never a silent inf.
    digits = "9" * 400
    for url in (
        f'/rest/Employee?$filter="salary={digits}.5"',
        f"/rest/Employee({digits}.5)",
        f"/rest/Employee?$filter=\"ID=:1\"&$params='[{digits}.5]'",
        "/rest/Employee?$filter=\"ID=:1\"&$params='[1e400]'",
    ):
        err = _syntax_error(url)
        assert err.code == "RQ001", (url, err)
        assert "range" in err.message
    # An integer that long is an integer: Python holds it.
    req = restquery.parse(f'/rest/Employee?$filter="salary={digits}"')
    assert req.params[0].value.expr.right.value == int(digits)


def test_placeholder_names_with_other_digits_are_names() -> None:
    # `²` is a digit to str.isdigit() but not to int(): it makes a name, as the grammar says.
    for text in ("salary=:²", "salary=:² AND ID=1"):
        req = restquery.parse(f'/rest/Employee?$filter="{text}"')
        cmp = req.params[0].value.expr
        cmp = cmp if isinstance(cmp, Comparison) else cmp.operands[0]
        assert cmp.right == Placeholder(name="²")


def test_parse_value_refuses_too() -> None:
    with pytest.raises(RestQueryLimitError) as info:
        parse_value("$filter", "a=" + "1" * 5000)
    assert info.value.code == "RQ013" and tuple(info.value.span) == (2, 5002)


# ---------------------------------------------------------------------------------------------
# unparse() of hand-built trees
# ---------------------------------------------------------------------------------------------

HUGE = 10**5000  # a literal would be refused by the interpreter's own limit


def _req(*params: Param, segments: tuple[Any, ...] | None = None, origin: Origin | None = None) -> Request:
    segs = segments or (NamesSegment(paths=(AttributePath(parts=(PathPart(name="Employee"),)),)),)
    return Request(path=UrlPath(segments=segs), params=params, origin=origin)


def _cmp(right: Any) -> Param:
    left = AttributePath(parts=(PathPart(name="salary"),))
    return Param(name="$filter", value=Filter(expr=Comparison(left=left, op="=", right=right)), quote='"')


UNPRINTABLE = [
    ("top", lambda n: _req(Param(name="$top", value=Integer(value=n)))),
    ("key", lambda n: _req(segments=(KeySegment(name="Employee", key=Key(value=n)),))),
    ("number", lambda n: _req(_cmp(Number(value=n)))),
    ("collection", lambda n: _req(_cmp(Collection(items=(Number(value=1), Number(value=n)))))),
    ("placeholder", lambda n: _req(_cmp(Placeholder(index=abs(n))))),
    ("port", lambda n: _req(origin=Origin(scheme="http", host="h", port=n))),
    ("class-index", lambda n: _req(Param(name="$orderby", value=SortList(items=(
        SortItem(path=AttributePath(parts=(PathPart(name="a", class_index=abs(n)), PathPart(name="b")))),
    ))))),
    ("params", lambda n: _req(Param(name="$params", value=Params(items=(n,)), quote="'"))),
    ("params-nested", lambda n: _req(Param(name="$params", value=Params(items=({"a": [1, n]},)), quote="'"))),
]


@pytest.mark.parametrize("sign", [1, -1], ids=["positive", "negative"])
@pytest.mark.parametrize("size", [HUGE, 10**MAX_NUMBER_DIGITS], ids=["5001-digits", "641-digits"])
@pytest.mark.parametrize(("where", "build"), UNPRINTABLE, ids=[u[0] for u in UNPRINTABLE])
def test_unparse_refuses_an_integer_too_long_to_print(where: str, build: Any, size: int, sign: int) -> None:
    req = build(sign * size)
    for encode in (False, True):
        with pytest.raises(UnparseError, match="digits"):
            restquery.unparse(req, encode=encode)


def test_unparse_ignores_a_raw_lexeme_too_long_to_read() -> None:
    req = _req(Param(name="$top", value=Integer(value=1, raw="0" * 5000 + "1")))
    assert restquery.unparse(req) == "/rest/Employee?$top=1"
    req = _req(_cmp(Number(value=2, raw="0" * 5000 + "2")))
    assert restquery.unparse(req) == '/rest/Employee?$filter="salary=2"'


def test_unparse_refuses_a_non_finite_params_number() -> None:
    for value in (float("inf"), float("nan")):
        with pytest.raises(UnparseError):
            restquery.unparse(Params(items=(value,)))


# ---------------------------------------------------------------------------------------------
# Catalogs
# ---------------------------------------------------------------------------------------------


def _catalog_text() -> str:
    return (REPO / "examples" / "catalog.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("number", ["7" * 5000, "-" + "7" * 5000, "7" * 700, "7" * 100_000])
def test_catalog_with_a_long_number_is_a_catalog_error(number: str) -> None:
    text = _catalog_text().replace('"dataClasses"', f'"x": [{number}], "dataClasses"', 1)
    for doc in (text, text.encode("utf-8")):
        with pytest.raises(restquery.CatalogError, match="digits"):
            restquery.Catalog.from_json(doc)
    diags_or_error: Any
    try:
        diags_or_error = restquery.validate("/rest/Employee", catalog=text)
    except RestQueryError as err:
        diags_or_error = err
    assert isinstance(diags_or_error, restquery.CatalogError)


def test_catalog_document_holding_a_huge_integer() -> None:
    doc = json.loads(_catalog_text())
    doc["dataClasses"][0]["defaultTopSize"] = HUGE
    with pytest.raises(restquery.CatalogError, match="defaultTopSize"):
        restquery.Catalog.from_json(doc)
    doc["dataClasses"][0]["defaultTopSize"] = 100
    doc["x"] = [HUGE]  # a field the catalog does not read
    restquery.Catalog.from_json(doc)


# ---------------------------------------------------------------------------------------------
# The code tables
# ---------------------------------------------------------------------------------------------


def test_codes_are_registered() -> None:
    assert SYNTAX_CODES["RQ013"][0] == "number-too-long"
    assert "RQ014" not in SYNTAX_CODES  # parse() never raises it: the integrations do
    message = (
        "The request target is not in the form the server routes: it could reach the REST"
        " server without being checked."
    )
    assert INTEGRATION_CODES["RQ014"] == ("ambiguous-target", message)
    assert not set(SYNTAX_CODES) & set(INTEGRATION_CODES)
