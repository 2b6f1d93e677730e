"""Unit tests of the canonical printer (restquery/printer.py).

Corpus and property round trips are in test_roundtrip.py.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

import restquery
from restquery import RestQueryError, UnparseError, parse, unparse
from restquery.ast import (
    AttributeItem,
    AttributeList,
    AttributePath,
    BoolOp,
    CallSegment,
    Collection,
    Comparison,
    Date,
    EntitySetSegment,
    Filter,
    Integer,
    Key,
    KeySegment,
    KeywordSegment,
    LookupSegment,
    NamesSegment,
    Node,
    Not,
    Null,
    Number,
    Origin,
    Param,
    Params,
    Path,
    PathList,
    PathPart,
    Placeholder,
    RawValue,
    Request,
    SortItem,
    SortList,
    Text,
    Word,
)


def ap(*names: str) -> AttributePath:
    return AttributePath(parts=tuple(PathPart(name=n) for n in names))


def eq(name: str, value: int = 1, parens: int = 0) -> Comparison:
    return Comparison(left=ap(name), op="=", right=Number(value=value), parens=parens)


def cmp(op: str, right: Any) -> Comparison:
    return Comparison(left=ap("a"), op=op, right=right)


def names(*names: str) -> NamesSegment:
    return NamesSegment(paths=tuple(ap(n) for n in names))


def with_param(name: str, value: Node | None, quote: str = "", **kw: Any) -> Request:
    return Request(
        path=Path(segments=(names("E"),)),
        params=(Param(name=name, value=value, quote=quote, **kw),),
    )


def filter_url(expr: Any) -> Request:
    return with_param("$filter", Filter(expr=expr), '"')


a, b, c, d = eq("a"), eq("b", 2), eq("c", 3), eq("d", 4)


# ---------------------------------------------------------------------------------------------
# Parentheses: exactly where the tree needs or records them
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "(a=1 OR b=2) AND c=3",
        "a=1 OR (b=2 OR c=3)",
        "a=1 OR (b=2 AND c=3)",
        "NOT (a=1 AND b=2)",
        "NOT (a=1)",
        "((a=1))",
        "a=1 AND NOT b=2",
        "a=1 AND b=2 OR c=3 EXCEPT d=4",
        "a=1 EXCEPT (b=2 OR c=3)",
    ],
)
def test_parsed_parentheses_print_as_written(text: str) -> None:
    url = f'/rest/E?$filter="{text}"'
    assert unparse(parse(url)) == url


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        # required: a lower-precedence run inside a higher one
        (BoolOp(op="AND", operands=(BoolOp(op="OR", operands=(a, b)), c)), "(a=1 OR b=2) AND c=3"),
        (BoolOp(op="&&", operands=(a, BoolOp(op="|", operands=(b, c)))), "a=1 && (b=2 | c=3)"),
        # required: a run nested on the right (left-associative) ...
        (BoolOp(op="OR", operands=(a, BoolOp(op="OR", operands=(b, c)))), "a=1 OR (b=2 OR c=3)"),
        (
            BoolOp(op="OR", operands=(a, BoolOp(op="EXCEPT", operands=(b, c)))),
            "a=1 OR (b=2 EXCEPT c=3)",
        ),
        # ... or on the left with the same spelling, which would merge into the parent's run
        (BoolOp(op="OR", operands=(BoolOp(op="OR", operands=(a, b)), c)), "(a=1 OR b=2) OR c=3"),
        # not required: a different spelling on the left, a tighter run anywhere
        (
            BoolOp(op="OR", operands=(BoolOp(op="EXCEPT", operands=(a, b)), c)),
            "a=1 EXCEPT b=2 OR c=3",
        ),
        (BoolOp(op="AND", operands=(BoolOp(op="&", operands=(a, b)), c)), "a=1 & b=2 AND c=3"),
        (BoolOp(op="OR", operands=(a, BoolOp(op="AND", operands=(b, c)))), "a=1 OR b=2 AND c=3"),
        (BoolOp(op="AND", operands=(Not(operand=a), b)), "NOT a=1 AND b=2"),
        # NOT: parentheses around a run, once; none around a comparison or a NOT
        (Not(operand=BoolOp(op="AND", operands=(a, b))), "NOT (a=1 AND b=2)"),
        (Not(operand=BoolOp(op="AND", operands=(a, b), parens=1)), "NOT (a=1 AND b=2)"),
        (Not(operand=Not(operand=a)), "NOT NOT a=1"),
        (Not(operand=eq("a", parens=1)), "NOT (a=1)"),
        # recorded redundant parentheses are kept
        (eq("a", parens=2), "((a=1))"),
        (BoolOp(op="AND", operands=(a, b), parens=1), "(a=1 AND b=2)"),
        # a one-operand run prints its operand, in its parent's context
        (BoolOp(op="AND", operands=(a,)), "a=1"),
        (Not(operand=BoolOp(op="AND", operands=(a,))), "NOT a=1"),
        (
            BoolOp(
                op="AND",
                operands=(BoolOp(op="OR", operands=(BoolOp(op="OR", operands=(a, b)),)), c),
            ),
            "(a=1 OR b=2) AND c=3",
        ),
    ],
)
def test_hand_built_parentheses(expr: Any, text: str) -> None:
    assert unparse(Filter(expr=expr)) == text
    req = filter_url(expr)
    assert parse(unparse(req)).params[0].value.expr == _drop_single_runs(expr)


def _drop_single_runs(expr: Any) -> Any:
    if isinstance(expr, BoolOp):
        if len(expr.operands) == 1:
            return _drop_single_runs(expr.operands[0])
        return BoolOp(op=expr.op, operands=tuple(_drop_single_runs(o) for o in expr.operands))
    if isinstance(expr, Not):
        return Not(operand=_drop_single_runs(expr.operand))
    return expr


def test_deep_trees_print_without_recursion() -> None:
    expr: Any = a
    for _ in range(5000):
        expr = Not(operand=expr)
    assert unparse(Filter(expr=expr)) == "NOT " * 5000 + "a=1"
    expr = a
    for _ in range(3000):
        expr = BoolOp(op="OR", operands=(b, expr))
    text = unparse(Filter(expr=expr))
    assert text == "b=2 OR (" * 2999 + "b=2 OR a=1" + ")" * 2999
    url = f'/rest/E?$filter="{text}"'
    assert unparse(parse(url, max_depth=None)) == url


# ---------------------------------------------------------------------------------------------
# Numbers, dates and other filter values
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Number(value=3), "3"),
        (Number(value=-12), "-12"),
        (Number(value=2.5), "2.5"),
        (Number(value=2.0), "2.0"),
        (Number(value=-0.0), "-0.0"),
        (Number(value=1e16), "10000000000000000.0"),
        (Number(value=1.5e-7), "0.00000015"),
        (Number(value=-1.25e22), "-12500000000000000000000.0"),
        (Number(value=10**30), "1" + "0" * 30),
        (Number(value=1.5, raw="1.50"), "1.50"),
        (Number(value=2.0, raw="7"), "2.0"),  # a raw lexeme that disagrees is ignored
        (Number(value=2, raw="2e0"), "2"),
        (Date(value=datetime.date(2024, 1, 31)), "2024-01-31"),
        (Date(value=datetime.date(99, 1, 2)), "0099-01-02"),
        (restquery.ast.Boolean(value=True), "true"),
        (Null(), "null"),
        (Placeholder(index=1), ":1"),
        (Placeholder(name="x"), ":x"),
        (Collection(items=()), "[]"),
        (
            Collection(
                items=(
                    Number(value=1),
                    Text(value="a b", quoted=True),
                    Text(value="d'e", quoted=True),
                )
            ),
            "[1,'a b',\"d'e\"]",
        ),
    ],
)
def test_value_formatting(value: Node, text: str) -> None:
    assert unparse(value) == text
    assert unparse(cmp("=", value)) == "a=" + text
    assert parse(unparse(filter_url(cmp("=", value)))) == filter_url(cmp("=", value))


def test_floats_never_use_exponents() -> None:
    for value in (1e-300, 1e300, 5e-324, 1.7976931348623157e308, 123456789.123e10):
        text = unparse(Number(value=value))
        assert "e" not in text.lower()
        assert float(text) == value


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True, "1"])
def test_unprintable_numbers(value: Any) -> None:
    with pytest.raises(UnparseError):
        unparse(Number(value=value))


def test_keys_print_numbers_plainly() -> None:
    seg = KeySegment(name="E", key=Key(value=1e20))
    assert unparse(seg) == "E(100000000000000000000.0)"


# ---------------------------------------------------------------------------------------------
# Text quoting
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        (Text(value="john"), "john"),
        (Text(value="john", quoted=True), "'john'"),
        (Text(value="A@"), "A@"),
        (Text(value="a*"), "a*"),
        (Text(value="O'Reilly"), "O'Reilly"),
        (Text(value="O'Reilly", quoted=True), "O'Reilly"),  # no quoted spelling: bare
        (Text(value="a b"), "'a b'"),  # no bare spelling: quoted
        (Text(value=""), "''"),
        (Text(value="123"), "'123'"),
        (Text(value="-1.5"), "'-1.5'"),
        (Text(value="2024-01-31"), "'2024-01-31'"),
        (Text(value="2024-02-30"), "2024-02-30"),  # not a date, so bare text
        (Text(value="true"), "'true'"),
        (Text(value="null"), "'null'"),
        (Text(value="True"), "True"),
        (Text(value="and"), "and"),
        (Text(value=":x"), "':x'"),
        (Text(value="(x"), "'(x'"),
        (Text(value="a&b"), "'a&b'"),
        (Text(value="a|b"), "'a|b'"),
        (Text(value='a"b'), "'a\"b'"),
        (Text(value="[x"), "'[x'"),
        (Text(value="x]"), "x]"),
    ],
)
def test_text_quoting(text: Text, printed: str) -> None:
    assert unparse(text) == printed
    req = filter_url(cmp("=", text))
    again = parse(unparse(req)).params[0].value.expr.right
    assert again.value == text.value


def test_text_after_is_never_reads_as_is_not() -> None:
    assert unparse(cmp("IS", Text(value="not"))) == "a IS 'not'"
    assert unparse(cmp("IS", Text(value="NOT-x"))) == "a IS 'NOT-x'"
    assert unparse(cmp("IS", Text(value="notes"))) == "a IS notes"
    assert unparse(cmp("=", Text(value="not"))) == "a=not"
    with pytest.raises(UnparseError):
        unparse(cmp("IS", Text(value="not'x")))


def test_symbol_comparator_is_kept_apart_from_the_value() -> None:
    assert unparse(cmp("=", Text(value="=x"))) == "a= =x"
    req = filter_url(cmp("=", Text(value="=x")))
    assert parse(unparse(req)) == req


@pytest.mark.parametrize("value", ["it's here", "'", "a' b", "x'(y"])
def test_text_with_quote_and_no_bare_spelling_raises(value: str) -> None:
    with pytest.raises(UnparseError) as info:
        unparse(filter_url(cmp("=", Text(value=value))))
    assert isinstance(info.value, RestQueryError)
    assert isinstance(info.value, ValueError)
    assert "placeholder" in str(info.value)


def test_text_with_quote_inside_a_collection_is_a_json_string() -> None:
    req = filter_url(cmp("IN", Collection(items=(Text(value="it's here", quoted=True),))))
    text = unparse(req)
    assert text == '/rest/E?$filter="a IN [%22it\'s here%22]"'
    assert parse(text) == req


def test_unparse_error_is_a_restquery_error() -> None:
    assert issubclass(UnparseError, RestQueryError)
    assert issubclass(UnparseError, ValueError)
    assert restquery.UnparseError is UnparseError


# ---------------------------------------------------------------------------------------------
# Nodes printed alone
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("node", "text"),
    [
        (
            Filter(expr=BoolOp(op="AND", operands=(a, cmp("BEGIN", Text(value="j"))))),
            "a=1 AND a BEGIN j",
        ),
        (BoolOp(op="||", operands=(a, b)), "a=1 || b=2"),
        (cmp("IS NOT", Null()), "a IS NOT null"),
        (Text(value="A@ x"), "'A@ x'"),
        (
            SortList(items=(SortItem(path=ap("x", "y"), direction="desc"), SortItem(path=ap("z")))),
            "x.y DESC,z",
        ),
        (
            AttributeList(
                items=(AttributeItem(path=ap("staff"), star=True), AttributeItem(path=ap("n")))
            ),
            "staff.*,n",
        ),
        (AttributeList(items=(AttributeItem(star=True),)), "*"),
        (PathList(paths=(ap("photo"), ap("employer"))), "photo,employer"),
        (Params(items=("O'Reilly", 1, None)), '["O\\u0027Reilly",1,null]'),
        (
            Params(items=({"vector": [1, 2], "q r": True},), relaxed=True),
            '[{vector:[1,2],"q r":true}]',
        ),
        (Integer(value=10), "10"),
        (Word(value="delete"), "delete"),
        (RawValue(text="a&b"), "a&b"),
        (
            AttributePath(parts=(PathPart(name="children", index=""), PathPart(name="age"))),
            "children[].age",
        ),
        (
            Path(
                segments=(
                    names("E"),
                    KeywordSegment(keyword="$entityset"),
                    EntitySetSegment(id="AB12"),
                ),
                trailing_slash=True,
            ),
            "/rest/E/$entityset/AB12/",
        ),
        (KeySegment(name="Company", key=Key(value="IT09", quoted=True)), 'Company("IT09")'),
        (LookupSegment(name="E", attribute="code", value=Key(value="A1")), "E:code(A1)"),
        (CallSegment(name="add", args=(Key(value="John"), Key(value=2))), "add(John,2)"),
        (Origin(scheme="http", host="127.0.0.1", port=8081), "http://127.0.0.1:8081"),
        (Param(name="$top", value=Integer(value=3)), "$top=3"),
    ],
)
def test_nodes_print_alone(node: Node, text: str) -> None:
    assert unparse(node) == text


def test_encode_spells_the_wire_form() -> None:
    req = parse('/rest/Café("a b")?$filter="name=\'é\' AND x>1"&$params=\'["O\\u0027R"]\'')
    encoded = unparse(req, encode=True)
    assert encoded == (
        "/rest/Caf%C3%A9(%22a%20b%22)?$filter=%22name=%27%C3%A9%27%20AND%20x%3E1%22"
        "&$params=%27[%22O%5Cu0027R%22]%27"
    )
    assert parse(encoded) == req


def test_only_an_empty_query_prints_a_lone_question_mark() -> None:
    assert unparse(parse("?")) == "?"
    assert unparse(parse("/rest/E?")) == "/rest/E"


# ---------------------------------------------------------------------------------------------
# Malformed hand-built trees raise UnparseError and nothing else
# ---------------------------------------------------------------------------------------------

E = names("E")


def _path(*segs: Any, **kw: Any) -> Request:
    return Request(path=Path(segments=segs, **kw))


MALFORMED: list[tuple[str, Any]] = [
    (
        "empty names segment",
        _path(NamesSegment(paths=())),
    ),
    ("empty attribute path", _path(NamesSegment(paths=(AttributePath(parts=()),)))),
    (
        "indexed part in a path segment",
        _path(NamesSegment(paths=(AttributePath(parts=(PathPart(name="a", index=""),)),))),
    ),
    ("keyword without $", _path(KeywordSegment(keyword="catalog"))),
    ("name starting with a digit", _path(KeySegment(name="1abc", key=Key(value=1)))),
    ("boolean key", _path(KeySegment(name="E", key=Key(value=True)))),
    ("None key", _path(KeySegment(name="E", key=Key(value=None)))),  # type: ignore[arg-type]
    (
        "quoted key with a double quote",
        _path(KeySegment(name="E", key=Key(value='a"b', quoted=True))),
    ),
    ("call with one argument", _path(CallSegment(name="f", args=(Key(value=1),)))),
    ("entity-set ID outside $entityset", _path(E, EntitySetSegment(id="AB12"))),
    ("name after $entityset", _path(E, KeywordSegment(keyword="$entityset"), names("x"))),
    (
        "entity-set ID starting with $",
        _path(E, KeywordSegment(keyword="$entityset"), EntitySetSegment(id="$x")),
    ),
    ("first segment rest without prefix", _path(names("rest"), prefix=False)),
    ("not a segment", _path(Text(value="x"))),
    ("empty parameter name", with_param("", Integer(value=1))),
    ("bad quote", with_param("$x", RawValue(text="y"), quote="`")),
    (
        "stray slash after an unquoted value",
        with_param("$x", RawValue(text="y"), trailing_slash=True),
    ),
    ("unquoted value reading as quoted", with_param("$x", RawValue(text="'y'"))),
    ("unquoted value reading as quoted with slash", with_param("$x", RawValue(text="'y'/"))),
    ("quote without value", with_param("$x", None, quote='"')),
    (
        "relaxed params without a bare key",
        with_param("$params", Params(items=(1,), relaxed=True), "'"),
    ),
    (
        "non-array params with two items",
        with_param("$params", Params(items=(1, 2), value_is_array=False), "'"),
    ),
    (
        "non-array params holding an array",
        with_param("$params", Params(items=([1],), value_is_array=False), "'"),
    ),
    ("NaN in params", with_param("$params", Params(items=(float("nan"),)), "'")),
    ("object in params", with_param("$params", Params(items=(object(),)), "'")),
    (
        "int key in relaxed params",
        with_param("$params", Params(items=({1: 2, "a": 1},), relaxed=True)),
    ),
    ("unknown logical operator", filter_url(BoolOp(op="XOR", operands=(a, b)))),
    ("run without operands", filter_url(BoolOp(op="AND", operands=()))),
    ("unknown comparator", filter_url(cmp("~", Number(value=1)))),
    (
        "text left of a comparator",
        filter_url(Comparison(left=Text(value="x"), op="=", right=Null())),
    ),
    ("nested collection", filter_url(cmp("IN", Collection(items=(Collection(),))))),
    ("datetime as a date", filter_url(cmp("=", Date(value=datetime.datetime(2024, 1, 1, 12, 0))))),
    ("placeholder without index or name", filter_url(cmp("=", Placeholder()))),
    ("negative placeholder", filter_url(cmp("=", Placeholder(index=-1)))),
    ("text holding a number", filter_url(cmp("=", Text(value=5)))),  # type: ignore[arg-type]
    ("sort node as a filter value", filter_url(cmp("=", SortList(items=())))),
    ("not an expression", filter_url(Text(value="x"))),
    (
        "bad sort direction",
        with_param("$orderby", SortList(items=(SortItem(path=ap("x"), direction="UP"),))),
    ),
    ("empty sort list", with_param("$orderby", SortList(items=()))),
    ("empty attribute list", with_param("$attributes", AttributeList(items=()))),
    (
        "star sharing a list",
        with_param(
            "$attributes",
            AttributeList(items=(AttributeItem(star=True), AttributeItem(path=ap("x")))),
        ),
    ),
    (
        "attribute item without path or star",
        with_param("$attributes", AttributeList(items=(AttributeItem(),))),
    ),
    ("empty expand", with_param("$expand", PathList(paths=()))),
    (
        "two-letter index",
        with_param(
            "$expand", PathList(paths=(AttributePath(parts=(PathPart(name="a", index="ab"),)),))
        ),
    ),
    (
        "negative class index",
        with_param(
            "$expand", PathList(paths=(AttributePath(parts=(PathPart(name="a", class_index=-1),)),))
        ),
    ),
    ("integer holding text", with_param("$top", Integer(value="5"))),  # type: ignore[arg-type]
    ("empty word", with_param("$method", Word(value=""))),
    ("segment as a parameter value", with_param("$x", E)),  # type: ignore[arg-type]
    ("host with a space", Request(path=Path(), origin=Origin(host="a b"))),
    ("scheme with a space", Request(path=Path(), origin=Origin(scheme="ht tp", host="x"))),
    ("negative port", Request(path=Path(), origin=Origin(host="x", port=-1))),
    ("origin without host", Request(path=Path(), origin=Origin(scheme="http"))),
    ("bad placeholder origin", Request(path=Path(), origin=Origin(placeholder="{x}"))),
    ("path is not a Path", Request(path=None)),  # type: ignore[arg-type]
    ("a string", "/rest/E"),
    ("None", None),
]


@pytest.mark.parametrize("tree", [m[1] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
@pytest.mark.parametrize("encode", [False, True], ids=["raw", "encoded"])
def test_malformed_trees_raise_unparse_error(tree: Any, encode: bool) -> None:
    with pytest.raises(UnparseError):
        unparse(tree, encode=encode)
