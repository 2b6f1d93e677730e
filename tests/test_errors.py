"""Syntax errors: codes, spans, messages and hints of :class:`restquery.RestQuerySyntaxError`.

Spans are compared first (as the exact slice of the URL they cover), then a fragment of the
message and of the hint. Every message is also checked for leaked grammar terminal names.
"""

from __future__ import annotations

import pickle
import re
from importlib import resources

import pytest

import restquery
from restquery.syntax import explain as errors_text
from restquery.errors import RestQueryError, RestQueryLimitError, RestQuerySyntaxError


def _error(url: str, **options: object) -> RestQuerySyntaxError:
    with pytest.raises(RestQuerySyntaxError) as info:
        restquery.parse(url, **options)  # type: ignore[arg-type]
    return info.value


def _text(err: RestQuerySyntaxError) -> str:
    return err.url[err.span.start : err.span.end] if err.url is not None else ""


# ---------------------------------------------------------------------------------------------
# Terminal names never reach the user
# ---------------------------------------------------------------------------------------------


def _terminal_names() -> set[str]:
    names = {"$END", "<END-OF-FILE>"}
    for grammar in ("url.lark", "query.lark"):
        text = (resources.files("restquery") / "grammar" / grammar).read_text(encoding="utf-8")
        names.update(re.findall(r"(?m)^([A-Z_][A-Z0-9_]*)(?:\.\d+)?\s*:", text))
    # Lark's names for anonymous literals
    names.update({"LPAR", "RPAR", "LSQB", "RSQB", "LBRACE", "RBRACE", "COLON", "COMMA", "DOT"})
    return names


TERMINALS = _terminal_names()
# Words of the language itself, which a message may quote in capitals.
USER_WORDS = {"AND", "OR", "NOT", "EXCEPT", "IN", "IS", "BEGIN", "ASC", "DESC"}
# Capitals that are ordinary English in a message.
PLAIN_CAPS = {"URL", "UTF", "JSON", "ID", "HTTP"}


def assert_user_words(text: str) -> None:
    assert "$END" not in text and "__ANON" not in text and "END-OF-FILE" not in text, text
    outside = re.sub(r"`[^`]*`", "``", text)
    for word in re.findall(r"\b[A-Z][A-Z0-9_]+\b", outside):
        assert word in PLAIN_CAPS or word in USER_WORDS, f"{word!r} in {text!r}"
    for quoted in re.findall(r"`([^`]*)`", text):
        if quoted.upper() in TERMINALS and quoted.upper() not in USER_WORDS:
            raise AssertionError(f"terminal name {quoted!r} in {text!r}")


#: Malformed URLs, each of which must give a located, readable syntax error.
MALFORMED = [
    '/rest/Employee?$filter="lastName=Jones',
    '/rest/Employee?$filter="lastName=\'Jones"',
    '/rest/Person?$filter="lastName=:1"&$params=\'["Smith"]',
    '/rest/Company("abc',
    '/rest/Employee?$filter="(salary>20000 AND lastName=Jones"',
    '/rest/Employee?$filter="a=1)"',
    "/rest/Company(1",
    "/rest/Company[1",
    '/rest/Employee?$filter="id IN [1,2"',
    '/rest/Employee?$filter="salary>"',
    '/rest/Employee?$filter="a= AND b=1"',
    '/rest/Employee/$filter="salary>20000"',
    "/rest/Company()",
    "/rest/Company[]",
    '/rest/Employee?$filter="a=1 AND"',
    '/rest/Employee?$filter="a=1 AND )"',
    '/rest/Employee?$filter="AND a=1"',
    "/rest//Company",
    '/rest/Employee?$filter="name=%FF"',
    "/rest/Employee?$filter=",
    '/rest/Employee?$filter="salary"',
    '/rest/Employee?$filter="salary 20000"',
    '/rest/Employee?$filter="salary>20000 lastName=Jones"',
    '/rest/Employee?$filter="=5"',
    '/rest/Employee?$filter="a=(1)"',
    '/rest/Employee?$filter="()"',
    '/rest/Employee?$filter="a=1" extra',
    '/rest/Employee?$filter="a=1""',
    '/rest/Employee?$orderby="lastName up"',
    '/rest/Employee?$orderby="lastName,"',
    "/rest/Employee?$attributes=a,,b",
    "/rest/Employee?$expand=a..b",
    "/rest/Employee?$params='[1,'",
    "/rest/Employee?$params='{a:}'",
    "/rest/Employee?$params='[1 2]'",
    "/rest/Company(1)(2)",
    "/rest/Company(1,",
    '/rest/Employee?$filter="a.=1"',
    '/rest/Employee?$filter="a[=1"',
    '/rest/Employee?$filter="a=1 NOT"',
    '/rest/Employee?$filter="a IN [1 2]"',
    "/rest/Employee?$filter=\"a='it''s'\"",
    "/rest/Employee?$filter='lastName=\"x\"'",
    "/rest/$entityset/ABC[",
    "/rest/Employee?=1",
    "/rest/Em\x00ployee",
    '/rest/Employee?$filter="a\x00=1"',
    "\x00",
]


@pytest.mark.parametrize("url", MALFORMED, ids=[ascii(u)[1:-1][:60] for u in MALFORMED])
def test_malformed_url_gives_readable_located_error(url: str) -> None:
    err = _error(url)
    assert isinstance(err, RestQueryError) and isinstance(err, ValueError)
    assert re.fullmatch(r"RQ0\d\d", err.code)
    assert err.code in errors_text.SYNTAX_CODES
    assert err.name == errors_text.SYNTAX_CODES[err.code][0]
    assert 0 <= err.span.start <= err.span.end <= len(url)
    assert err.url == url
    assert err.message[:1].isupper() and err.message.endswith("."), err.message
    assert_user_words(err.message)
    if err.hint is not None:
        assert err.hint[:1].islower() or err.hint[:1] == "`", err.hint
        assert_user_words(err.hint)
    text = str(err)
    assert err.code in text and err.message in text
    assert "\x1b" not in text and "\x00" not in text


# ---------------------------------------------------------------------------------------------
# The common mistakes: code, exact span, message and hint
# ---------------------------------------------------------------------------------------------

COMMON = [
    # (id, url, code, spanned text, message fragment, hint fragment)
    # RQ002 unterminated quotes
    (
        "dq-filter",
        '/rest/Employee?$filter="lastName=Jones',
        "RQ002",
        '"lastName=Jones',
        '`"` that opens the $filter value is never closed',
        'closing `"`',
    ),
    (
        "dq-filter-before-next-param",
        '/rest/Employee?$filter="lastName=Jones&$top=1',
        "RQ002",
        '"lastName=Jones&$top=1',
        "never closed",
        'closing `"`',
    ),
    (
        "sq-text-in-filter",
        '/rest/Employee?$filter="lastName=\'Jones"',
        "RQ002",
        "'Jones",
        "`'` that opens a text in the $filter value",
        "closing `'`",
    ),
    (
        "sq-text-unquoted-filter",
        "/rest/Employee?$filter=lastName='Jones",
        "RQ002",
        "'Jones",
        "never closed",
        "\\u0027",
    ),
    (
        "sq-params",
        '/rest/Person?$filter="lastName=:1"&$params=\'["Smith"]',
        "RQ002",
        '\'["Smith"]',
        "`'` that opens the $params value",
        "closing `'`",
    ),
    (
        "dq-key",
        '/rest/Company("abc',
        "RQ002",
        '"abc',
        "quoted key is never closed",
        'Company("abc")',
    ),
    (
        "dq-key-then-segment",
        '/rest/Company("abc/name',
        "RQ002",
        '"abc',
        "quoted key",
        'closing `"`',
    ),
    # RQ003 unbalanced parentheses and brackets
    (
        "missing-rpar",
        '/rest/Employee?$filter="(salary>20000 AND lastName=Jones"',
        "RQ003",
        "(",
        "`(` in the $filter value is never closed",
        "matching `)`",
    ),
    (
        "missing-rpar-nested",
        '/rest/Employee?$filter="((a=1) AND (b=2)"',
        "RQ003",
        "(",
        "never closed",
        "matching `)`",
    ),
    (
        "extra-rpar",
        '/rest/Employee?$filter="a=1)"',
        "RQ003",
        ")",
        "`)` in the $filter value closes nothing",
        "remove the `)`",
    ),
    (
        "extra-rpar-after-group",
        '/rest/Employee?$filter="(a=1))"',
        "RQ003",
        ")",
        "closes nothing",
        "remove the `)`",
    ),
    (
        "key-paren",
        "/rest/Company(1",
        "RQ003",
        "(",
        "`(` in the path segment `Company(1` is never closed",
        "matching `)`",
    ),
    ("key-bracket", "/rest/Company[1", "RQ003", "[", "`[` in the path segment", "matching `]`"),
    (
        "collection",
        '/rest/Employee?$filter="id IN [1,2"',
        "RQ003",
        "[",
        "`[` in the $filter value",
        "matching `]`",
    ),
    (
        "collection-then-and",
        '/rest/Employee?$filter="id IN [1,2 AND a=1"',
        "RQ003",
        "[",
        "never closed",
        "matching `]`",
    ),
    (
        "extra-rsqb",
        '/rest/Employee?$filter="id IN [1,2]]"',
        "RQ003",
        "]",
        "closes nothing",
        "remove the `]`",
    ),
    (
        "params-array",
        "/rest/Employee?$params='[1,2'",
        "RQ003",
        "[",
        "`[` in the $params value",
        "matching `]`",
    ),
    # RQ004 missing values
    (
        "gt-no-value",
        '/rest/Employee?$filter="salary>"',
        "RQ004",
        ">",
        "no value after `>`",
        "write a value after `>`",
    ),
    (
        "eq-then-and",
        '/rest/Employee?$filter="a= AND b=1"',
        "RQ004",
        "=",
        "no value after `=`",
        "write a value after `=`",
    ),
    (
        "eq-at-end",
        '/rest/Employee?$filter="a=1 AND b="',
        "RQ004",
        "=",
        "no value after `=`",
        "`'Smith'`",
    ),
    ("in-no-value", '/rest/Employee?$filter="id IN"', "RQ004", "IN", "no value after `IN`", "`:1`"),
    (
        "eq-then-rpar",
        '/rest/Employee?$filter="(a=)"',
        "RQ004",
        "=",
        "no value after `=`",
        "value after `=`",
    ),
    (
        "empty-filter",
        "/rest/Employee?$filter=",
        "RQ004",
        "=",
        "$filter parameter has no value",
        "after `$filter=`",
    ),
    (
        "empty-quoted-filter",
        '/rest/Employee?$filter=""',
        "RQ004",
        '""',
        "has no value",
        "remove the parameter",
    ),
    (
        "empty-filter-then-param",
        "/rest/Employee?$filter=&$top=1",
        "RQ004",
        "=",
        "has no value",
        "after `$filter=`",
    ),
    # RQ005 the docs' missing `?`
    (
        "missing-qmark",
        '/rest/Employee/$filter="salary>20000"',
        "RQ005",
        "/$filter",
        "written as a path segment",
        "`?`",
    ),
    (
        "missing-qmark-docs",
        '/rest/Employee/$filter="employer.name=acme AND lastName=Jones"&$querypath=true',
        "RQ005",
        "/$filter",
        "`?` must start the query",
        "/rest/Employee?$filter=",
    ),
    # RQ006 empty keys
    (
        "empty-paren-key",
        "/rest/Company()",
        "RQ006",
        "()",
        "entity key between `(` and `)` is empty",
        "`Company(1)`",
    ),
    ("empty-bracket-key", "/rest/Company[]", "RQ006", "[]", "is empty", "`Company[1]`"),
    # RQ008 dangling logical operators
    (
        "and-at-end",
        '/rest/Employee?$filter="a=1 AND"',
        "RQ008",
        "AND",
        "`AND` in the $filter value has no condition after it",
        "write a condition after `AND`",
    ),
    (
        "and-before-rpar",
        '/rest/Employee?$filter="(a=1 AND )"',
        "RQ008",
        "AND",
        "no condition after it",
        "after `AND`",
    ),
    (
        "and-then-rpar-unopened",
        '/rest/Employee?$filter="a=1 AND )"',
        "RQ008",
        "AND",
        "no condition after it",
        "after `AND`",
    ),
    (
        "and-at-start",
        '/rest/Employee?$filter="AND a=1"',
        "RQ008",
        "AND",
        "no condition before it",
        "write a condition before `AND`",
    ),
    ("lower-or-at-start", '/rest/Employee?$filter="or a=1"', "RQ008", "or", "`OR`", "before `OR`"),
    (
        "spaced-is-not-then-and",
        '/rest/Employee?$filter="a is   not AND b=1"',
        "RQ004",
        "is   not",
        "no value after `IS NOT`",
        "write a value after `IS NOT`",
    ),
    (
        "encoded-eq-then-or",
        "/rest/Employee?$filter=%22a%3D%20or%20b%3D1%22",
        "RQ004",
        "%3D",
        "no value after `=`",
        "write a value after `=`",
    ),
    (
        "not-then-and",
        '/rest/Employee?$filter="NOT AND a=1"',
        "RQ008",
        "AND",
        "follows another logical operator",
        "remove one of the operators",
    ),
    (
        "paren-then-or",
        '/rest/Employee?$filter="a=1 AND (OR b=2)"',
        "RQ008",
        "OR",
        "has no condition before it",
        "write a condition before `OR`",
    ),
    (
        "and-and",
        '/rest/Employee?$filter="a=1 AND AND b=2"',
        "RQ008",
        "AND",
        "follows another logical operator",
        "remove one of the operators",
    ),
    ("symbol-and-at-end", '/rest/Employee?$filter="a=1 &&"', "RQ008", "&&", "`&&`", "after `&&`"),
    (
        "symbol-and-at-start",
        '/rest/Employee?$filter="&& a=1"',
        "RQ008",
        "&&",
        "no condition before it",
        "before `&&`",
    ),
    (
        "not-at-end",
        '/rest/Employee?$filter="a=1 AND NOT"',
        "RQ008",
        "NOT",
        "no condition after it",
        "after `NOT`",
    ),
    (
        "except-at-end",
        '/rest/Employee?$filter="a=1 EXCEPT"',
        "RQ008",
        "EXCEPT",
        "`EXCEPT`",
        "after `EXCEPT`",
    ),
    # RQ009 invalid percent-encoded UTF-8
    ("pct-ff", '/rest/Employee?$filter="name=%FF"', "RQ009", "%FF", "not valid UTF-8", "UTF-8"),
    (
        "pct-c3-alone",
        '/rest/Employee?$filter="name=%C3"',
        "RQ009",
        "%C3",
        "not valid UTF-8",
        "`%C3%A9`",
    ),
    ("pct-c3-then-text", "/rest/Comp%C3any", "RQ009", "%C3", "path segment", "UTF-8"),
    ("pct-in-value", "/rest/Employee?$top=%FF", "RQ009", "%FF", "$top", "UTF-8"),
    ("pct-in-name", "/rest/Employee?$t%FFop=1", "RQ009", "%FF", "parameter name", "UTF-8"),
    # RQ012 empty segment
    ("double-slash", "/rest//Company", "RQ012", "//", "empty segment", "remove one of the `/`"),
    ("double-slash-later", "/rest/Company//name", "RQ012", "//", "empty segment", "remove one"),
    ("double-slash-at-end", "/rest/Company//", "RQ012", "//", "empty segment", "remove one"),
    # RQ001, with words a user knows
    (
        "no-comparator",
        '/rest/Employee?$filter="salary 20000"',
        "RQ001",
        "20000",
        "expected a comparison operator such as `=` or `>`",
        "comparison operator",
    ),
    (
        "two-conditions",
        '/rest/Employee?$filter="salary>20000 lastName=Jones"',
        "RQ001",
        "lastName=Jones",
        "after a complete condition",
        "`AND`, `OR` or `EXCEPT`",
    ),
    (
        "text-with-space",
        '/rest/Employee?$filter="name=John Smith"',
        "RQ001",
        "Smith",
        "expected `AND`, `OR` or `EXCEPT`",
        "single quotes",
    ),
    (
        "doubled-quote",
        "/rest/Employee?$filter=\"a='it''s'\"",
        "RQ001",
        "'s'",
        "after a complete condition",
        "\\u0027",
    ),
    (
        "double-quoted-text",
        "/rest/Employee?$filter='lastName=\"Smith\"'",
        "RQ001",
        '"Smith"',
        "single quotes",
        "`'Smith'`",
    ),
    (
        "dq-inside-dq",
        '/rest/Employee?$filter="lastName="Smith""',
        "RQ001",
        "Smith",
        'after the closing `"` of the $filter value',
        "single quotes",
    ),
    (
        "text-after-quote",
        '/rest/Employee?$filter="a=1"x',
        "RQ001",
        "x",
        "expected `&` or the end of the URL",
        "`&`",
    ),
    (
        "empty-group",
        '/rest/Employee?$filter="()"',
        "RQ001",
        "()",
        "hold no condition",
        "between the parentheses",
    ),
    (
        "paren-value",
        '/rest/Employee?$filter="a=(1)"',
        "RQ001",
        "(",
        "after `=`",
        "remove the parentheses",
    ),
    (
        "orderby-direction",
        '/rest/Employee?$orderby="lastName up"',
        "RQ001",
        "up",
        "expected `ASC`, `DESC` or `,`",
        "`ASC`",
    ),
    (
        "orderby-trailing-comma",
        "/rest/Employee?$orderby=lastName,",
        "RQ001",
        "",
        "$orderby value ends too early; expected an attribute name",
        "attribute name",
    ),
    (
        "params-trailing-comma",
        "/rest/Employee?$params='[1,]'",
        "RQ001",
        ",",
        "followed by no value",
        "trailing comma",
    ),
    (
        "params-missing-value",
        "/rest/Employee?$params='{a:}'",
        "RQ001",
        "}",
        "JSON value",
        "JSON value",
    ),
    (
        "second-key",
        "/rest/Company(1)(2)",
        "RQ001",
        "(2)",
        "after the end of the path segment",
        "new path segment",
    ),
    ("nameless-param", "/rest/Employee?=1", "RQ001", "=", "no name before", "`$top=10`"),
]


@pytest.mark.parametrize(
    ("url", "code", "spanned", "message", "hint"),
    [case[1:] for case in COMMON],
    ids=[case[0] for case in COMMON],
)
def test_common_mistake(url: str, code: str, spanned: str, message: str, hint: str) -> None:
    err = _error(url)
    assert (err.code, url[err.span.start : err.span.end]) == (code, spanned), err.message
    assert message in err.message
    assert err.hint is not None and hint in err.hint
    assert err.name == errors_text.SYNTAX_CODES[code][0]
    assert_user_words(err.message)
    assert_user_words(err.hint)


def test_a_name_that_spells_an_operator_inside_a_path_is_a_name() -> None:
    # Only the first name of an operand can be an operator read as a name: `x.and` is a path.
    restquery.parse('/rest/Employee?$filter="x.and=1"')
    err = _error('/rest/Employee?$filter="x.and a=1"')
    assert err.code == "RQ001" and err.message.startswith("Unexpected `a` ")


def test_missing_rpar_points_at_the_unmatched_one() -> None:
    url = '/rest/Employee?$filter="a=1 AND (b=2 OR (c=3) OR d=4"'
    err = _error(url)
    assert err.code == "RQ003"
    assert err.span.start == url.index("(b=2") and err.span.end == err.span.start + 1


def test_unterminated_quote_runs_to_the_end() -> None:
    url = '/rest/Employee?$filter="lastName=Jones'
    err = _error(url)
    assert (err.span.start, err.span.end) == (url.index('"'), len(url))


# ---------------------------------------------------------------------------------------------
# Percent-encoded URLs: spans point at the raw characters
# ---------------------------------------------------------------------------------------------

ENCODED = [
    ("RQ002", "/rest/Employee?$filter=%22lastName=Jones", "%22lastName=Jones"),
    ("RQ002", "/rest/Employee?$filter=%22lastName=%27Jones%22", "%27Jones"),
    ("RQ003", "/rest/Employee?$filter=%22(salary%3E20000%20AND%20a=1%22", "("),
    ("RQ003", "/rest/Employee?$filter=%22%28a%3D1%20AND%20b%3D2%22", "%28"),
    ("RQ003", "/rest/Employee?$filter=%22a%3D1%29%22", "%29"),
    ("RQ004", "/rest/Employee?$filter=%22salary%3E%22", "%3E"),
    ("RQ004", "/rest/Employee?$filter=%22a%3D%20AND%20b%3D1%22", "%3D"),
    ("RQ008", "/rest/Employee?$filter=%22a=1%20AND%22", "AND"),
    ("RQ008", "/rest/Employee?$filter=%22%C3%A9t%C3%A9=1%20AND%22", "AND"),
    ("RQ001", "/rest/Employee?$filter=%22%C3%A9t%C3%A9%20%C3%A9%22", "%C3%A9"),
    ("RQ002", "/rest/Company(%22abc", "%22abc"),
    ("RQ006", "/rest/Company%28%29", "%28%29"),
    ("RQ003", "/rest/Company%5B1", "%5B"),
    ("RQ009", "/rest/Employee?$filter=%22name=%C3%A9%FF%22", "%FF"),
    ("RQ009", "/rest/Employee?$filter=%22name=%E2%82%22", "%E2%82"),
]


@pytest.mark.parametrize(("code", "url", "spanned"), ENCODED, ids=[e[1][15:55] for e in ENCODED])
def test_spans_index_the_encoded_text(code: str, url: str, spanned: str) -> None:
    err = _error(url)
    assert (err.code, url[err.span.start : err.span.end]) == (code, spanned), err.message


def test_encoded_and_raw_give_the_same_error() -> None:
    raw = _error('/rest/Employee?$filter="(a=1 AND b=2"')
    enc = _error("/rest/Employee?$filter=%22(a=1%20AND%20b=2%22")
    assert (raw.code, raw.message, raw.hint) == (enc.code, enc.message, enc.hint)


def test_bytes_input_spans_index_the_decoded_text() -> None:
    err = _error(b'/rest/Employee?$filter="salary>"')
    assert err.code == "RQ004" and err.span.start == len('/rest/Employee?$filter="salary')


# ---------------------------------------------------------------------------------------------
# The exception object
# ---------------------------------------------------------------------------------------------


def test_hierarchy() -> None:
    assert issubclass(RestQuerySyntaxError, RestQueryError)
    assert issubclass(RestQueryError, ValueError)
    assert issubclass(RestQueryLimitError, RestQuerySyntaxError)
    assert restquery.RestQuerySyntaxError is RestQuerySyntaxError
    with pytest.raises(ValueError):
        restquery.parse("/rest/Company(")


@pytest.mark.parametrize(
    "url",
    ['/rest/Employee?$filter="a=1 AND"', "/rest/Company()", "/rest//Company", "/rest/E?$top=%FF"],
)
def test_str_has_code_and_location(url: str) -> None:
    err = _error(url)
    text = str(err)
    assert text.startswith(f"{err.code}: {err.message}")
    assert f"at {err.span.start}" in text
    assert err.hint is not None and err.hint in text
    assert "\x1b" not in text


ESC = "\x1b[31m"
HOSTILE_TEXT = [
    f"/rest/Employee{ESC}(",
    f'/rest/Employee?$filter="a=1 {ESC}"',
    f'/rest/Employee?$filter="{ESC}"',
    f'/rest/Employee?$filter="a=1"{ESC}',
    f"/rest/Employee?$orderby=a {ESC}",
    f"/rest/Employee?$params='[{ESC}]'",
    f"/rest/Employee{ESC}/$filter=1",
    f"/rest/Employee?$filter=%22a={ESC}%22%20x",
    # the parameter name is echoed in the message of an invalid escape in its value
    f"/rest/Employee?{ESC}=%FF",
    # the origin is echoed in the hint of a missing `?`
    f"{{{{{ESC}}}}}/rest/Employee/$filter=1",
]


@pytest.mark.parametrize("url", HOSTILE_TEXT, ids=[ascii(u)[1:-1] for u in HOSTILE_TEXT])
def test_messages_never_carry_control_characters(url: str) -> None:
    err = _error(url)
    for text in (str(err), err.message, err.hint or ""):
        assert "\x1b" not in text, text


@pytest.mark.parametrize(
    "url",
    [
        '/rest/Employee?$filter="a=1 AND"',
        "/rest/Company(1",
        "/rest/Employee?$top=%FF",
        b"/rest/\xff",
        "x" * 70_000,
        '/rest/Employee?$filter="' + "(" * 70 + "a=1" + ")" * 70 + '"',
        "/rest/E?" + "&".join(f"p{i}=1" for i in range(101)),
    ],
    ids=["filter", "key", "percent", "bytes", "max_length", "max_depth", "max_params"],
)
def test_errors_pickle(url: str | bytes) -> None:
    err = _error(url)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err)
    assert (back.code, back.name, back.span, back.message, back.hint, back.url) == (
        err.code,
        err.name,
        err.span,
        err.message,
        err.hint,
        err.url,
    )
    assert str(back) == str(err)
    assert back.args == err.args


def test_limit_error_is_a_syntax_error_with_code_rq010() -> None:
    err = _error("/rest/Employee?$top=1", max_length=5)
    assert isinstance(err, RestQueryLimitError)
    assert err.code == "RQ010" and "max_length=5" in err.message


def test_non_text_input() -> None:
    for value in (None, 5, 1.5, ["/rest"]):
        err = _error(value)  # type: ignore[arg-type]
        assert err.code == "RQ001" and type(value).__name__ in err.message


# ---------------------------------------------------------------------------------------------
# The code table
# ---------------------------------------------------------------------------------------------


def test_code_table_in_docstring_matches_syntax_codes() -> None:
    doc = errors_text.__doc__ or ""
    rows = dict(re.findall(r"(?m)^(RQ\d{3})\s+([a-z-]+)\s", doc))
    assert rows == {code: name for code, (name, _) in errors_text.SYNTAX_CODES.items()}


def test_every_tested_code_is_documented() -> None:
    codes = {case[2] for case in COMMON} | {case[0] for case in ENCODED}
    assert codes <= set(errors_text.SYNTAX_CODES)
