"""Hostile input: explicit limits, no exception but RestQueryError, no recursion, linear time.

Every input here must end in a parse or a :class:`restquery.RestQueryError` — never a
RecursionError, MemoryError, UnicodeError or a Lark exception.
"""

from __future__ import annotations

import gc
import inspect
import itertools
import random
import time
from typing import Any

import pytest

import restquery
from restquery.ast import BoolOp, Not, Request
from restquery.errors import RestQueryError, RestQueryLimitError, RestQuerySyntaxError

F = '/rest/Employee?$filter="%s"'
LIFTED: dict[str, Any] = {"max_length": None, "max_depth": None, "max_params": None}


def outcome(url: Any, **options: Any) -> Request | RestQueryError:
    """Parse ``url``; return the tree or the RestQueryError. Anything else fails the test."""
    try:
        return restquery.parse(url, **options)
    except RestQueryError as err:
        if isinstance(err, RestQuerySyntaxError):
            length = len(url) if isinstance(url, (str, bytes, bytearray)) else 0
            assert 0 <= err.span.start <= err.span.end <= max(length, 0), (err.span, length)
            str(err).encode("utf-8")  # a message can always be logged
        return err


def limit_error(url: Any, **options: Any) -> RestQueryLimitError:
    with pytest.raises(RestQueryLimitError) as info:
        restquery.parse(url, **options)
    err = info.value
    assert err.code == "RQ010" and err.name == "limit-exceeded"
    return err


def filter_expr(req: Request) -> Any:
    param = req.param("$filter")
    assert param is not None
    return param.value.expr


def nth(text: str, sub: str, n: int) -> int:
    """Offset of the ``n``-th (1-based) occurrence of ``sub``."""
    at = -1
    for _ in range(n):
        at = text.index(sub, at + 1)
    return at


# ---------------------------------------------------------------------------------------------
# The limits: keyword options with safe defaults; None lifts them
# ---------------------------------------------------------------------------------------------


def test_limits_are_keyword_options_with_safe_defaults() -> None:
    params = inspect.signature(restquery.parse).parameters
    for name, default in (("max_length", 65_536), ("max_depth", 64), ("max_params", 100)):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert params[name].default == default


def test_max_length() -> None:
    head = "/rest/Employee?$filter=\"lastName='"
    tail = "'\""
    exact = head + "x" * (65_536 - len(head) - len(tail)) + tail
    assert len(exact) == 65_536
    assert isinstance(outcome(exact), Request)
    err = limit_error(exact + "/")
    assert "max_length=65536" in err.message
    assert err.span.start == 65_536
    err = limit_error("/rest/Company(1)", max_length=10)
    assert "max_length=10" in err.message and err.hint and "max_length" in err.hint
    assert isinstance(outcome(exact + "/", max_length=None), Request)


def test_max_depth_parentheses() -> None:
    # (64 parentheses pass the parenthesis scan but not the tree's depth check: see report)
    ok = F % ("(" * 63 + "a=1" + ")" * 63)
    assert isinstance(outcome(ok), Request)
    url = F % ("(" * 65 + "a=1" + ")" * 65)
    err = limit_error(url)
    assert "max_depth=64" in err.message
    assert err.span.start == nth(url, "(", 65) and url[err.span.start : err.span.end] == "("
    err = limit_error(F % "((a=1))", max_depth=1)
    assert "max_depth=1" in err.message
    assert isinstance(outcome(url, max_depth=None), Request)


def test_max_depth_counts_not_and_mixed_operators() -> None:
    nots = F % ("NOT " * 70 + "a=1")
    err = limit_error(nots)
    assert "max_depth=64" in err.message
    assert isinstance(outcome(nots, max_depth=None), Request)
    # OR and EXCEPT alternate: every change of operator nests one level
    mixed = F % ("a=1" + "".join((" OR ", " EXCEPT ")[i % 2] + "a=1" for i in range(100)))
    assert "max_depth=64" in limit_error(mixed).message
    assert isinstance(outcome(mixed, max_depth=None), Request)


def test_max_params() -> None:
    hundred = "/rest/Employee?" + "&".join(f"p{i}=1" for i in range(100))
    assert isinstance(outcome(hundred), Request)
    url = hundred + "&p100=1"
    err = limit_error(url)
    assert "max_params=100" in err.message
    assert err.span.start == url.index("p100")
    assert "max_params=2" in limit_error("/rest/E?$top=1&$skip=1&$timeout=5", max_params=2).message
    assert len(outcome(url, max_params=None).params) == 101  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------
# Big inputs
# ---------------------------------------------------------------------------------------------

MEGABYTE = 1 << 20
BIG = {
    "letters": "a" * MEGABYTE,
    "path": "/rest/" + "a" * MEGABYTE,
    "open-filter": '/rest/Employee?$filter="' + "a" * MEGABYTE,
    "lparens": F % ("(" * MEGABYTE),
    "quotes": "/rest/E?$filter=" + "'" * MEGABYTE,
    "slashes": "/" * MEGABYTE,
    "ampersands": "/rest/E?" + "&" * MEGABYTE,
    "percent": "/rest/E?$filter=" + "%FF" * (MEGABYTE // 3),
}


@pytest.mark.parametrize("url", BIG.values(), ids=BIG.keys())
def test_one_megabyte(url: str) -> None:
    err = limit_error(url)
    assert "max_length=65536" in err.message
    result = outcome(url, max_length=None)
    assert isinstance(result, (Request, RestQuerySyntaxError))


def test_nested_parentheses_100k() -> None:
    n = 100_000
    url = F % ("(" * n + "a=1" + ")" * n)
    assert "max_length=65536" in limit_error(url).message
    err = limit_error(url, max_length=None)
    assert "max_depth=64" in err.message
    assert err.span.start == nth(url, "(", 65) and url[err.span.start : err.span.end] == "("
    result = outcome(url, max_length=None, max_depth=None)
    assert isinstance(result, Request)
    assert filter_expr(result).parens == n
    assert isinstance(
        outcome(F % ("(" * n + "a=1"), max_length=None, max_depth=None), RestQueryError
    )
    assert isinstance(
        outcome(F % ("a=1" + ")" * n), max_length=None, max_depth=None), RestQueryError
    )


def test_nested_not_100k() -> None:
    n = 100_000
    url = F % ("NOT " * n + "a=1")
    assert "max_length=65536" in limit_error(url).message
    err = limit_error(url, max_length=None)
    assert "max_depth=64" in err.message
    assert err.span.start == nth(url, "NOT", 65)
    result = outcome(url, max_length=None, max_depth=None)
    assert isinstance(result, Request)
    assert isinstance(filter_expr(result), Not)


def test_and_chain_50k_is_one_flat_node() -> None:
    url = F % " AND ".join(f"a{i % 10}={i}" for i in range(50_000))
    assert "max_length=65536" in limit_error(url).message
    req = outcome(url, max_length=None)
    assert isinstance(req, Request)
    expr = filter_expr(req)
    assert type(expr) is BoolOp and expr.op == "AND" and len(expr.operands) == 50_000
    assert restquery.unparse(req) == url  # so parse(unparse(req)) == req


def _or_except_chain(n: int) -> str:
    return F % ("a=1" + "".join((" OR ", " EXCEPT ")[i % 2] + f"b={i}" for i in range(n - 1)))


def test_or_except_chain_5k() -> None:
    url = _or_except_chain(5_000)
    assert "max_depth=64" in limit_error(url).message
    assert isinstance(outcome(url, **LIFTED), Request)


def test_or_except_chain_5k_unparses() -> None:
    req = restquery.parse(_or_except_chain(5_000), **LIFTED)
    text = restquery.unparse(req)
    # (text, not trees: dataclass equality itself recurses once per level)
    assert restquery.unparse(restquery.parse(text, **LIFTED)) == text


def test_nested_not_unparses() -> None:
    req = restquery.parse(F % ("NOT " * 5_000 + "a=1"), **LIFTED)
    text = restquery.unparse(req)
    # (text, not trees: dataclass equality itself recurses once per level)
    assert restquery.unparse(restquery.parse(text, **LIFTED)) == text


def test_nested_parentheses_unparse() -> None:
    req = restquery.parse(F % ("(" * 20_000 + "a=1" + ")" * 20_000), **LIFTED)
    assert restquery.parse(restquery.unparse(req), **LIFTED) == req


DEEP = {
    "params-open": "/rest/E?$params='" + "[" * 100_000 + "'",
    "params-nested": "/rest/E?$params='" + "[" * 100_000 + "]" * 100_000 + "'",
    "params-relaxed-open": "/rest/E?$params='" + "[{a:" * 30_000 + "'",
    "params-relaxed-nested": "/rest/E?$params='" + "[{a:" * 30_000 + "1" + "}]" * 30_000 + "'",
    "collection": F % ("id IN [" + ",".join(["1"] * 20_000) + "]"),
    "collection-open": F % ("id IN " + "[" * 50_000),
    "dotted-path": F % (".".join(["a"] * 50_000) + "=1"),
    "orderby": "/rest/E?$orderby=" + ",".join(["a desc"] * 20_000),
    "long-path": "/rest" + "/a" * 20_000,
    "many-params": "/rest/E?" + "&".join(f"p{i}=1" for i in range(10_000)),
    "keys": "/rest/" + "Company(1)/" * 20_000,
}


@pytest.mark.parametrize("url", DEEP.values(), ids=DEEP.keys())
def test_deep_or_long_structures(url: str) -> None:
    assert isinstance(outcome(url), (Request, RestQueryError))
    assert isinstance(outcome(url, **LIFTED), (Request, RestQueryError))


# ---------------------------------------------------------------------------------------------
# Odd characters and odd types
# ---------------------------------------------------------------------------------------------

NUL = "\x00"
POSITIONS = {
    "origin": "http://ho{X}st/rest/Employee",
    "placeholder-origin": "{{{{Api{X}}}}}/rest/Employee",
    "path": "/rest/Emp{X}loyee",
    "key": "/rest/Employee({X})",
    "quoted-key": '/rest/Employee("{X}")',
    "name": "/rest/Employee?$to{X}p=1",
    "value": "/rest/Employee?$top={X}",
    "raw-value": "/rest/Employee?$imageformat={X}",
    "filter-name": '/rest/Employee?$filter="a{X}=1"',
    "filter-value": "/rest/Employee?$filter=\"a='{X}'\"",
    "filter-bare": '/rest/Employee?$filter="a={X}"',
    "filter-op": '/rest/Employee?$filter="a=1 {X} b=2"',
    "orderby": "/rest/Employee?$orderby=a{X}",
    "params": "/rest/Employee?$params='[\"{X}\"]'",
    "only": "{X}",
    "end": "/rest/Employee?$top=1{X}",
}


@pytest.mark.parametrize("template", POSITIONS.values(), ids=POSITIONS.keys())
@pytest.mark.parametrize(
    "char",
    [NUL, chr(0xD800), chr(0xDFFF), "\x1b", "\ufeff", "\u2028"],
    ids=["nul", "high-surrogate", "low-surrogate", "esc", "bom", "ls"],
)
def test_odd_characters_everywhere(template: str, char: str) -> None:
    url = template.replace("{X}", char)
    result = outcome(url)
    assert isinstance(result, (Request, RestQueryError))
    assert isinstance(outcome(url * 3), (Request, RestQueryError))


INVALID_UTF8 = ["%FF", "%C3", "%C3%28", "%E2%82", "%ED%A0%80", "%F4%90%80%80", "%C0%AF", "%80"]
UTF8_PLACES = {
    "path": "/rest/Emp{X}loyee",
    "key": "/rest/Employee({X})",
    "name": "/rest/Employee?$to{X}p=1",
    "value": "/rest/Employee?$imageformat={X}",
    "filter": "/rest/Employee?$filter=%22a={X}%22",
    "params": "/rest/Employee?$params=%27[%22{X}%22]%27",
}


@pytest.mark.parametrize("place", UTF8_PLACES.values(), ids=UTF8_PLACES.keys())
@pytest.mark.parametrize("escape", INVALID_UTF8)
def test_invalid_percent_encoded_utf8(place: str, escape: str) -> None:
    url = place.replace("{X}", escape)
    err = outcome(url)
    assert isinstance(err, RestQuerySyntaxError) and err.code == "RQ009", err
    spanned = url[err.span.start : err.span.end]
    assert spanned and spanned.startswith("%") and spanned in escape


def test_bytes_input() -> None:
    text = "/rest/Employee?$filter=\"lastName='Müller'\""
    assert restquery.parse(text.encode("utf-8")) == restquery.parse(text)
    assert restquery.parse(bytearray(text.encode("utf-8"))) == restquery.parse(text)
    for raw, bad_at in (
        (b"/rest/Emp\xffloyee", 9),
        (b"/rest/E?$filter=\"a='\xc3'\"", 20),
        (b"\xed\xa0\x80", 0),
        (b"/rest/\x00\xfe", 7),
    ):
        err = outcome(raw)
        assert isinstance(err, RestQuerySyntaxError) and err.code == "RQ009"
        assert err.span.start == bad_at


@pytest.mark.parametrize(
    "value",
    [None, 5, 1.5, ["/rest"], object(), memoryview(b"/rest")],
    ids=["none", "int", "float", "list", "object", "memoryview"],
)
def test_non_text_input(value: Any) -> None:
    with pytest.raises(RestQuerySyntaxError):
        restquery.parse(value)


@pytest.mark.parametrize("method", [5, "", "GET POST", "G\x00T", "\ud800"])
def test_odd_methods(method: Any) -> None:
    with pytest.raises(RestQuerySyntaxError):
        restquery.parse("/rest/Employee", method=method)


# ---------------------------------------------------------------------------------------------
# Robustness sweeps: short strings over the delimiter alphabet
# ---------------------------------------------------------------------------------------------

ALPHABET = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "&",
    "|",
    "=",
    ":",
    ",",
    ".",
    " ",
    "/",
    "?",
    "$",
    "%",
    "%2",
    "%FF",
    "a",
    "1",
    "AND",
    "NOT",
    "IN",
    NUL,
    "\ud800",
]
PREFIXES = [
    "",
    "/rest/",
    "/rest/E(",
    "/rest/E?",
    "/rest/E?$filter=",
    '/rest/E?$filter="',
    "/rest/E?$filter=\"a='",
    "/rest/E?$orderby=",
    "/rest/E?$attributes=",
    "/rest/E?$expand=",
    "/rest/E?$params='",
    "/rest/E?$params=",
    "/rest/$entityset/",
]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_exhaustive_short_suffixes(prefix: str) -> None:
    for n in (0, 1, 2):
        for parts in itertools.product(ALPHABET, repeat=n):
            outcome(prefix + "".join(parts))
            outcome(prefix + "".join(parts) + '"')


def test_random_strings() -> None:
    rng = random.Random(20240131)
    for _ in range(3_000):
        text = rng.choice(PREFIXES) + "".join(
            rng.choice(ALPHABET) for _ in range(rng.randint(1, 12))
        )
        outcome(text)
        outcome(text, **LIFTED)


# ---------------------------------------------------------------------------------------------
# Linear time
# ---------------------------------------------------------------------------------------------


def _best_of_3(url: str) -> float:
    # The cyclic garbage collector's pauses grow with the number of live objects and make the
    # ratio noisy; the parser's own work is what is measured.
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            start = time.perf_counter()
            try:
                restquery.parse(url, **LIFTED)
            except RestQuerySyntaxError:
                pass  # refusing the text is as much work as reading it
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best


@pytest.mark.parametrize(
    "build",
    [
        lambda k: F % " AND ".join(f"a{i % 10}={i}" for i in range(k)),
        lambda k: F % ("(" * k + "a=1" + ")" * k),
        lambda k: F % ("NOT " * k + "a=1"),
        lambda k: "/rest/E?" + "&".join(f"p{i}=1" for i in range(k)),
        # texts the lean pass starts on and gives up: each must cost one attempt, not one
        # per position
        lambda k: F % ("a" * (8 * k)),
        lambda k: F % ("a" * (8 * k) + " IN x"),
        lambda k: F % ("a=1 AND " * k + "b"),
        lambda k: F % ("(" + "a=1 OR " * k + "b=2"),
    ],
    ids=[
        "and-chain", "parentheses", "not-chain", "parameters", "long-name", "long-name-in",
        "chain-cut-short", "open-parenthesis-chain",
    ],
)
def test_linear_time(build: Any) -> None:
    _best_of_3(build(100))  # warm up
    small, large = _best_of_3(build(2_000)), _best_of_3(build(16_000))
    # linear gives 8, quadratic 64: 24 leaves room for a loaded machine (a CI run once measured
    # 16.5 on a linear case) and still fails a quadratic one by far
    assert large / small < 24, (small, large)
