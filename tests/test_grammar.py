"""Grammar and parser tests: url.lark / query.lark through ``restquery.parse`` (spec §1–§6).

Trees are compared with hand-built nodes (spans are excluded from equality); spans are
checked separately by slicing the URL exactly as it was given.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterator

import pytest

import restquery
from restquery.ast import (
    AttributeItem,
    AttributeList,
    AttributePath,
    Boolean,
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
    Span,
    Text,
    Word,
)

# ---------------------------------------------------------------------------------------------
# Builders for expected trees
# ---------------------------------------------------------------------------------------------


def ap(dotted: str) -> AttributePath:
    """``"employer.name"`` -> AttributePath of plain parts."""
    return AttributePath(parts=tuple(PathPart(name=n) for n in dotted.split(".")))


def names(*dotted: str) -> NamesSegment:
    return NamesSegment(paths=tuple(ap(d) for d in dotted))


def kw(keyword: str) -> KeywordSegment:
    return KeywordSegment(keyword=keyword)


def cmp(left: str | Node, op: str, right: Node) -> Comparison:
    return Comparison(left=ap(left) if isinstance(left, str) else left, op=op, right=right)


def num(v: int | float) -> Number:
    return Number(value=v)


def AND(*ops: Node, op: str = "AND") -> BoolOp:
    return BoolOp(op=op, operands=ops)


def OR(*ops: Node, op: str = "OR") -> BoolOp:
    return BoolOp(op=op, operands=ops)


def EXCEPT(*ops: Node) -> BoolOp:
    return BoolOp(op="EXCEPT", operands=ops)


A1, B2, C3 = cmp("a", "=", num(1)), cmp("b", "=", num(2)), cmp("c", "=", num(3))


def filter_expr(text: str) -> Node:
    """The expression of ``$filter="text"`` parsed inside a whole URL."""
    req = restquery.parse(f'/rest/Employee?$filter="{text}"')
    value = req.param("$filter").value
    assert isinstance(value, Filter)
    return value.expr


def param_of(url: str, name: str) -> Param:
    p = restquery.parse(url).param(name)
    assert p is not None, f"{name} not found in {url}"
    return p


def iter_nodes(node: Any) -> Iterator[Node]:
    """Every AST node below (and including) ``node``."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Node):
            yield n
            for f in dataclasses.fields(n):
                if f.name != "span":
                    stack.append(getattr(n, f.name))
        elif isinstance(n, tuple):
            stack.extend(n)


def sliced(url: str, node: Node) -> str:
    return url[node.span.start : node.span.end]


# ---------------------------------------------------------------------------------------------
# 1. The grammars build with strict=True (no conflicts, no colliding terminals)
# ---------------------------------------------------------------------------------------------


def test_grammars_build_strict() -> None:
    from restquery.syntax.grammar import build_parsers

    parsers = build_parsers(strict=True, cache=False, accelerate=False)
    assert len(parsers) == 2
    url_parser, query_parser = parsers
    assert set(url_parser.options.start) >= {"url", "segment", "entity_set"}
    assert set(query_parser.options.start) >= {
        "filter",
        "sort_list",
        "attribute_list",
        "path_list",
        "json_value",
    }


def test_strict_parser_builds_same_filter_tree() -> None:
    """The strictly built query parser yields the same tree as the one parse() uses."""
    from restquery.syntax.decode import OffsetMap
    from restquery.syntax.grammar import build_parsers
    from restquery.syntax.transformer import CURRENT_MAP

    _, query_parser = build_parsers(strict=True, cache=False, accelerate=False)
    token = CURRENT_MAP.set(OffsetMap(0))
    try:
        tree = query_parser.parse("a=1 AND b=2 OR c=3", start="filter")
    finally:
        CURRENT_MAP.reset(token)
    assert tree == Filter(expr=OR(AND(A1, B2), C3))


# ---------------------------------------------------------------------------------------------
# 2. Path forms P1–P24, L1–L3 (spec §2.4)
# ---------------------------------------------------------------------------------------------

PATH_FORMS = [
    # P1
    ("P1", "/rest/Company", (names("Company"),)),
    # P2
    ("P2", "/rest/Company(1)", (KeySegment(name="Company", key=Key(value=1)),)),
    ("P2", "/rest/Employee(22)/?$method=delete", (KeySegment(name="Employee", key=Key(value=22)),)),
    (
        "P2",
        '/rest/Company("IT0911AB2200")',
        (KeySegment(name="Company", key=Key(value="IT0911AB2200", quoted=True)),),
    ),
    # P3
    ("P3", "/rest/Company[1]", (KeySegment(name="Company", key=Key(value=1), brackets=True),)),
    (
        "P3",
        "/rest/Company[IT0911AB2200]",
        (KeySegment(name="Company", key=Key(value="IT0911AB2200"), brackets=True),),
    ),
    # P4
    (
        "P4",
        "/rest/Company:companyCode(Acme001)",
        (LookupSegment(name="Company", attribute="companyCode", value=Key(value="Acme001")),),
    ),
    (
        "P4",
        '/rest/Company:companyCode("Acme001")',
        (
            LookupSegment(
                name="Company", attribute="companyCode", value=Key(value="Acme001", quoted=True)
            ),
        ),
    ),
    (
        "P4",
        "/rest/Employee:lastname(Jones)",
        (LookupSegment(name="Employee", attribute="lastname", value=Key(value="Jones")),),
    ),
    # P5
    ("P5", "/rest/Company/name,address", (names("Company"), names("name", "address"))),
    ("P5", "/rest/People/firstName,lastName/", (names("People"), names("firstName", "lastName"))),
    # P6
    (
        "P6",
        "/rest/Company(1)/name,address",
        (KeySegment(name="Company", key=Key(value=1)), names("name", "address")),
    ),
    (
        "P6",
        "/rest/People:firstName(Larry)/firstName,lastName/",
        (
            LookupSegment(name="People", attribute="firstName", value=Key(value="Larry")),
            names("firstName", "lastName"),
        ),
    ),
    # P7
    ("P7", "/rest/Employee/salary/?$compute=sum", (names("Employee"), names("salary"))),
    (
        "P7",
        "/rest/Employee/objectAtt.property1/?$compute=$all",
        (names("Employee"), names("objectAtt.property1")),
    ),
    (
        "P7",
        '/rest/Company/name?$filter="name=a*"&$distinct=true',
        (names("Company"), names("name")),
    ),
    # P8
    (
        "P8",
        "/rest/Employee(1)/photo?$imageformat=best&$version=1&$expand=photo",
        (KeySegment(name="Employee", key=Key(value=1)), names("photo")),
    ),
    (
        "P8",
        "/rest/Users(4)/Orders?$expand=Orders&$method=subentityset",
        (KeySegment(name="Users", key=Key(value=4)), names("Orders")),
    ),
    # P9
    (
        "P9",
        "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7",
        (
            names("Employee"),
            kw("$entityset"),
            EntitySetSegment(id="9718A30BF61343C796345F3BE5B01CE7"),
        ),
    ),
    # P10
    (
        "P10",
        "/rest/People/firstName,employer.name/$entityset/BDCD8AABE13144118A4CF8641D5883F5"
        "?$expand=employer",
        (
            names("People"),
            names("firstName", "employer.name"),
            kw("$entityset"),
            EntitySetSegment(id="BDCD8AABE13144118A4CF8641D5883F5"),
        ),
    ),
    # P11: $release after $entityset is a keyword, not an entity-set ID
    (
        "P11",
        "/rest/Employee/$entityset/$release",
        (names("Employee"), kw("$entityset"), kw("$release")),
    ),
    # P12
    ("P12", "/rest/City/getCity", (names("City"), names("getCity"))),
    ("P12", "/rest/City/getCity?$params='[\"Aguada\"]'", (names("City"), names("getCity"))),
    # P13
    (
        "P13",
        "/rest/Students/getAgeAverage/$entityset/17E83633FFB54ECDBF947E5C620BB532",
        (
            names("Students"),
            names("getAgeAverage"),
            kw("$entityset"),
            EntitySetSegment(id="17E83633FFB54ECDBF947E5C620BB532"),
        ),
    ),
    # P14
    (
        "P14",
        "/rest/City(2)/getPopulation",
        (KeySegment(name="City", key=Key(value=2)), names("getPopulation")),
    ),
    # P15–P18
    ("P15", "/rest/$catalog", (kw("$catalog"),)),
    ("P16", "/rest/$catalog/$all", (kw("$catalog"), kw("$all"))),
    ("P17", "/rest/$catalog/Employee", (kw("$catalog"), names("Employee"))),
    ("P18", "/rest/$catalog/authentify", (kw("$catalog"), names("authentify"))),
    # P19
    (
        "P19",
        "/rest/$singleton/VehicleFactory/buildVehicle",
        (kw("$singleton"), names("VehicleFactory"), names("buildVehicle")),
    ),
    # P20–P24
    ("P20", "/rest/$info", (kw("$info"),)),
    ("P21", "app.example.com:9000/rest/$directory/login", (kw("$directory"), names("login"))),
    ("P22", "/rest/$upload?$rawPict=true", (kw("$upload"),)),
    ("P22", "localhost:80/rest/$upload?$binary=true", (kw("$upload"),)),
    ("P23", "/rest/$querypath", (kw("$querypath"),)),
    ("P24", "/rest/$getWebForm", (kw("$getWebForm"),)),
    # L1: v18 project method with arguments
    (
        "L1",
        "/rest/Employee/addEmployee(John,Smith)",
        (
            names("Employee"),
            CallSegment(name="addEmployee", args=(Key(value="John"), Key(value="Smith"))),
        ),
    ),
    # L2
    (
        "L2",
        "/rest/Employee/firstName/getHighSalaries",
        (names("Employee"), names("firstName"), names("getHighSalaries")),
    ),
    (
        "L2",
        "/rest/People/getHighSalaries/firstName,lastName",
        (names("People"), names("getHighSalaries"), names("firstName", "lastName")),
    ),
    # L3
    ("L3", "/rest/$directory/logout", (kw("$directory"), names("logout"))),
    ("L3", "/rest/$directory/currentUser", (kw("$directory"), names("currentUser"))),
    (
        "L3",
        "/rest/$directory/currentUserBelongsTo",
        (kw("$directory"), names("currentUserBelongsTo")),
    ),
    # Qodly: entity inside an entity set (§12 item 19) and server URIs with [key]
    (
        "Q19",
        "{{ApiEndpoint}}/rest/Employee/$entityset/ID[123]",
        (names("Employee"), kw("$entityset"), EntitySetSegment(id="ID", key=Key(value=123))),
    ),
    (
        "Q",
        "/rest/Speciality[1]/infos?$expand=infos",
        (KeySegment(name="Speciality", key=Key(value=1), brackets=True), names("infos")),
    ),
]


@pytest.mark.parametrize(
    "form, url, segments", PATH_FORMS, ids=[f"{f}:{u}" for f, u, _ in PATH_FORMS]
)
def test_path_forms(form: str, url: str, segments: tuple[Node, ...]) -> None:
    path = restquery.parse(url).path
    assert path.prefix is True
    assert path.segments == segments
    assert [type(s) for s in path.segments] == [type(s) for s in segments]


KEYS = [
    # url, expected key, brackets, python type of the value
    ("/rest/Company(1)", Key(value=1), False, int),
    ("/rest/Company[1]", Key(value=1), True, int),
    ("/rest/Company(-5)", Key(value=-5), False, int),
    ("/rest/Company[-5]", Key(value=-5), True, int),
    ("/rest/Company(1.5)", Key(value=1.5), False, float),
    ("/rest/Company[-2.25]", Key(value=-2.25), True, float),
    ('/rest/Company("IT0911")', Key(value="IT0911", quoted=True), False, str),
    ('/rest/Company["IT0911"]', Key(value="IT0911", quoted=True), True, str),
    ("/rest/Company(IT0911)", Key(value="IT0911"), False, str),
    ("/rest/Company[IT0911]", Key(value="IT0911"), True, str),
    # quoted digits stay text
    ('/rest/Company("12")', Key(value="12", quoted=True), False, str),
    ('/rest/Company["12"]', Key(value="12", quoted=True), True, str),
    # a quoted key may hold "/" (quote-aware segment splitting)
    ('/rest/Company("a/b")', Key(value="a/b", quoted=True), False, str),
]


@pytest.mark.parametrize("url, key, brackets, typ", KEYS, ids=[k[0] for k in KEYS])
def test_keys(url: str, key: Key, brackets: bool, typ: type) -> None:
    (seg,) = restquery.parse(url).path.segments
    assert isinstance(seg, KeySegment)
    assert seg.name == "Company"
    assert seg.brackets is brackets
    assert seg.key == key
    assert type(seg.key.value) is typ


PREFIX_AND_SLASH = [
    # url, prefix, trailing_slash, number of segments
    ("/rest/Company", True, False, 1),
    ("/rest/Company/", True, True, 1),
    ("/rest/People(3)/", True, True, 1),
    ("/rest/People/firstName,lastName/", True, True, 2),
    ("/rest/Customers(1)/?$lock=true", True, True, 1),
    ("/rest/Employee?$filter=\"a=1\"", True, False, 1),
    ("/rest", True, False, 0),
    ("/rest/", True, True, 0),
    ("/rest/$catalog", True, False, 1),
    # doc-table shorthand without /rest
    ("/Employee(22)", False, False, 1),
    ("/People/firstName,lastName", False, False, 2),
    ("/Company/", False, True, 1),
]


@pytest.mark.parametrize("url, prefix, trailing, count", PREFIX_AND_SLASH)
def test_prefix_and_trailing_slash(url: str, prefix: bool, trailing: bool, count: int) -> None:
    path = restquery.parse(url).path
    assert path.prefix is prefix
    assert path.trailing_slash is trailing
    assert len(path.segments) == count


def test_path_without_rest_keeps_its_first_segment() -> None:
    path = restquery.parse("/Employee(22)").path
    assert path == Path(
        segments=(KeySegment(name="Employee", key=Key(value=22)),), prefix=False
    )


ORIGINS = [
    # url, scheme, host, port, placeholder
    ("http://127.0.0.1:8081/rest/Company(1)", "http", "127.0.0.1", 8081, None),
    ("https://127.0.0.1:8081/rest/Company(1)", "https", "127.0.0.1", 8081, None),
    ("127.0.0.1:8111/rest/City/getCity", None, "127.0.0.1", 8111, None),
    ("localhost:80/rest/$upload?$binary=true", None, "localhost", 80, None),
    ("http://127.0.0.1/rest/$catalog", "http", "127.0.0.1", None, None),
    ("app.example.com:9000/rest/$directory/login", None, "app.example.com", 9000, None),
    ("{{ApiEndpoint}}/rest/Employee", None, None, None, "{{ApiEndpoint}}"),
    ("{{APIEndpoint}}/rest/$catalog/$all", None, None, None, "{{APIEndpoint}}"),
]


@pytest.mark.parametrize(
    "url, scheme, host, port, placeholder", ORIGINS, ids=[o[0] for o in ORIGINS]
)
def test_origins(
    url: str, scheme: str | None, host: str | None, port: int | None, placeholder: str | None
) -> None:
    req = restquery.parse(url)
    assert req.origin == Origin(scheme=scheme, host=host, port=port, placeholder=placeholder)
    assert req.path.prefix is True
    origin_text = url[: url.index("/rest")]
    assert sliced(url, req.origin) == origin_text
    assert req.span == Span(0, len(url))


def test_ipv6_origin() -> None:
    # the ORIGIN terminal accepts a bracketed IPv6 host; splitting it must not crash
    url = "http://[::1]:8080/rest/$catalog"
    req = restquery.parse(url)
    assert req.origin is not None
    assert req.origin.scheme == "http"
    assert req.origin.host in ("[::1]", "::1")
    assert req.origin.port == 8080
    assert sliced(url, req.origin) == "http://[::1]:8080"
    assert req.path.segments == (kw("$catalog"),)


def test_no_origin() -> None:
    assert restquery.parse("/rest/Company").origin is None


# ---------------------------------------------------------------------------------------------
# 3. Parameters (spec §3): the 29 spellings and their typed values
# ---------------------------------------------------------------------------------------------

PARAMETERS = [
    ('$filter="salary>20000"', Filter(expr=cmp("salary", ">", num(20000))), '"'),
    ("$params='[\"john\",20000]'", Params(items=("john", 20000)), "'"),
    (
        '$orderby="lastName desc, salary asc"',
        SortList(
            items=(
                SortItem(path=ap("lastName"), direction="DESC"),
                SortItem(path=ap("salary"), direction="ASC"),
            )
        ),
        '"',
    ),
    (
        "$attributes=name,staff.name",
        AttributeList(items=(AttributeItem(path=ap("name")), AttributeItem(path=ap("staff.name")))),
        "",
    ),
    ("$expand=staff", PathList(paths=(ap("staff"),)), ""),
    ("$binary=true", Boolean(value=True), ""),
    ("$imageformat=jpeg", Word(value="jpeg"), ""),
    ("$version=3", Integer(value=3), ""),
    ("$compute=$all", Word(value="$all"), ""),
    ("$distinct=true", Boolean(value=True), ""),
    ("$top=10", Integer(value=10), ""),
    ("$limit=5", Integer(value=5), ""),
    ("$skip=20", Integer(value=20), ""),
    ("$method=delete", Word(value="delete"), ""),
    (
        "$subOrderby=lastName ASC",
        SortList(items=(SortItem(path=ap("lastName"), direction="ASC"),)),
        "",
    ),
    ("$timeout=600", Integer(value=600), ""),
    (
        '$savedfilter="employer.name=Apple"',
        Filter(expr=cmp("employer.name", "=", Text(value="Apple"))),
        '"',
    ),
    ('$savedorderby="salary"', SortList(items=(SortItem(path=ap("salary")),)), '"'),
    ("$lock=false", Boolean(value=False), ""),
    ("$asArray=true", Boolean(value=True), ""),
    ("$atomic=true", Boolean(value=True), ""),
    ("$atOnce=true", Boolean(value=True), ""),
    ("$clean=true", Boolean(value=True), ""),
    ("$logicOperator=AND", Word(value="AND"), ""),
    (
        "$otherCollection=C05A0D887C664D4DA1B38366DD21629B",
        Word(value="C05A0D887C664D4DA1B38366DD21629B"),
        "",
    ),
    ("$querypath=true", Boolean(value=True), ""),
    ("$queryplan=true", Boolean(value=True), ""),
    ("$rawPict=true", Boolean(value=True), ""),
    ("$format=looker", Word(value="looker"), ""),
]


def test_parameter_table_covers_all_29_spellings() -> None:
    from restquery.params import PARAMETERS as KNOWN

    written = {text.split("=", 1)[0] for text, _, _ in PARAMETERS}
    assert len(written) == 29
    assert written == set(KNOWN)


@pytest.mark.parametrize(
    "text, value, quote", PARAMETERS, ids=[p[0].split("=")[0] for p in PARAMETERS]
)
def test_parameter_values(text: str, value: Node, quote: str) -> None:
    name = text.split("=", 1)[0]
    req = restquery.parse("/rest/Employee?" + text)
    (param,) = req.params
    assert param.name == name
    assert param.canonical == name
    assert param.value == value
    assert type(param.value) is type(value)
    assert param.quote == quote
    assert req.param(name) is param


def test_atonce_maps_to_canonical_atOnce() -> None:
    req = restquery.parse("/rest/Users?$method=insert&$atonce=true")
    p = req.params[1]
    assert p.name == "$atonce"
    assert p.canonical == "$atOnce"
    assert p.value == Boolean(value=True)
    assert req.param("$atOnce") is p


UNKNOWN_PARAMS = [
    ("$x=1", "$x", "1", ""),
    ("$getfile=abc", "$getfile", "abc", ""),
    ('filter="objAttribute.prop2 == 9181"', "filter", "objAttribute.prop2 == 9181", '"'),
    ("top=10", "top", "10", ""),
]


@pytest.mark.parametrize(
    "text, name, raw, quote", UNKNOWN_PARAMS, ids=[u[0] for u in UNKNOWN_PARAMS]
)
def test_unknown_parameters_kept_raw(text: str, name: str, raw: str, quote: str) -> None:
    req = restquery.parse("/rest/Person/?" + text)
    (param,) = req.params
    assert param == Param(name=name, value=RawValue(text=raw), quote=quote)
    assert param.canonical is None


def test_param_without_dollar_is_not_found_as_filter() -> None:
    req = restquery.parse('/rest/Person/?filter="a=1"')
    assert req.param("$filter") is None


BADLY_TYPED = [
    ("$top=ten", RawValue(text="ten")),
    ("$skip=1/getHighSalaries", RawValue(text="1/getHighSalaries")),
    ("$timeout=1.5", RawValue(text="1.5")),
    ("$lock=yes", RawValue(text="yes")),
    ("$binary=1", RawValue(text="1")),
    ("$savedfilter=true", Boolean(value=True)),
    ("$savedorderby=true", Boolean(value=True)),
    ("$distinct=TRUE", Boolean(value=True)),
]


@pytest.mark.parametrize("text, value", BADLY_TYPED, ids=[b[0] for b in BADLY_TYPED])
def test_parameter_values_of_unexpected_form(text: str, value: Node) -> None:
    (param,) = restquery.parse("/rest/Employee?" + text).params
    assert param.value == value
    assert type(param.value) is type(value)


@pytest.mark.parametrize("text", ["$lock", "$atomic", "$x", "filter"])
def test_param_without_equals_has_no_value(text: str) -> None:
    req = restquery.parse("/rest/Customers(1)/?" + text)
    (param,) = req.params
    assert param.name == text
    assert param.value is None


def test_request_param_lookup() -> None:
    req = restquery.parse('/rest/Employee?$filter="a=1"&$top=10&$atonce=true')
    assert req.param("$filter") is req.params[0]
    assert req.param("$FILTER") is req.params[0]
    assert req.param("filter") is req.params[0]  # "$" optional
    assert req.param("$top").value == Integer(value=10)
    assert req.param("$atOnce") is req.params[2]
    assert req.param("$limit") is None
    assert req.param("$orderby") is None


def test_parameter_order_is_kept() -> None:
    req = restquery.parse('/rest/People/?$method=entityset&$filter="ID>320"&$timeout=600')
    assert [p.name for p in req.params] == ["$method", "$filter", "$timeout"]


# ---------------------------------------------------------------------------------------------
# 4. The $filter language (spec §4)
# ---------------------------------------------------------------------------------------------

COMPARATORS = [
    ("a=1", "="),
    ("a==1", "=="),
    ("a===1", "==="),
    ("a!=1", "!="),
    ("a%231", "#"),  # a raw `#` ends the URL: the operator travels encoded
    ("a!==1", "!=="),
    ("a<1", "<"),
    ("a<=1", "<="),
    ("a>1", ">"),
    ("a>=1", ">="),
    ("a % 1", "%"),
    ("a%1", "%"),
    ("a begin 1", "BEGIN"),
    ("a IN 1", "IN"),
    ("a IS 1", "IS"),
    ("a IS NOT 1", "IS NOT"),
    ("a is  not 1", "IS NOT"),
    ("a = 1", "="),
    ("a  >=  1", ">="),
]


@pytest.mark.parametrize("text, op", COMPARATORS, ids=[c[0] for c in COMPARATORS])
def test_comparators(text: str, op: str) -> None:
    assert filter_expr(text) == cmp("a", op, num(1))


LOGIC = [
    ("a=1 AND b=2", "AND", "AND"),
    ("a=1 & b=2", "&", "AND"),
    ("a=1&b=2", "&", "AND"),
    ("a=1 && b=2", "&&", "AND"),
    ("a=1 OR b=2", "OR", "OR"),
    ("a=1 | b=2", "|", "OR"),
    ("a=1||b=2", "||", "OR"),
    ("a=1 EXCEPT b=2", "EXCEPT", "EXCEPT"),
]


@pytest.mark.parametrize("text, op, kind", LOGIC, ids=[x[0] for x in LOGIC])
def test_logical_operators(text: str, op: str, kind: str) -> None:
    expr = filter_expr(text)
    assert expr == BoolOp(op=op, operands=(A1, B2))
    assert expr.kind == kind


def test_logical_symbols_inside_a_whole_url_are_not_separators() -> None:
    req = restquery.parse('/rest/Employee?$filter="a=1 & b=2 | c=3"&$top=5')
    assert [p.name for p in req.params] == ["$filter", "$top"]
    assert req.params[0].value.expr == OR(AND(A1, B2, op="&"), C3, op="|")


NOTS = [
    ("NOT a=1", Not(operand=A1)),
    ("NOT(a=1)", Not(operand=A1)),
    ("NOT (a=1 OR b=2)", Not(operand=OR(A1, B2))),
    ("NOT NOT a=1", Not(operand=Not(operand=A1))),
    ("a=1 AND NOT b=2", AND(A1, Not(operand=B2))),
]


@pytest.mark.parametrize("text, expected", NOTS, ids=[n[0] for n in NOTS])
def test_not(text: str, expected: Node) -> None:
    assert filter_expr(text) == expected


ATTRIBUTE_PATHS = [
    ("employer.name=acme", ap("employer.name")),
    (
        "children[].age>10",
        AttributePath(parts=(PathPart(name="children", index=""), PathPart(name="age"))),
    ),
    (
        "places.locations[a].kind='school'",
        AttributePath(
            parts=(
                PathPart(name="places"),
                PathPart(name="locations", index="a"),
                PathPart(name="kind"),
            )
        ),
    ),
    (
        "roles.actor{2}.lastName=Smith",
        AttributePath(
            parts=(
                PathPart(name="roles"),
                PathPart(name="actor", class_index=2),
                PathPart(name="lastName"),
            )
        ),
    ),
    ("objAttribute.prop2 == 9181", ap("objAttribute.prop2")),
    ("_private_1=1", ap("_private_1")),
]


@pytest.mark.parametrize("text, path", ATTRIBUTE_PATHS, ids=[a[0] for a in ATTRIBUTE_PATHS])
def test_filter_attribute_paths(text: str, path: AttributePath) -> None:
    expr = filter_expr(text)
    assert isinstance(expr, Comparison)
    assert expr.left == path


VALUES = [
    ("'A@'", Text(value="A@", quoted=True)),
    ("''", Text(value="", quoted=True)),
    ("'this AND that'", Text(value="this AND that", quoted=True)),
    ("j", Text(value="j")),
    ("J@", Text(value="J@")),
    ("a*", Text(value="a*")),
    ("*b@", Text(value="*b@")),
    ("john@example.com", Text(value="john@example.com")),
    ("O'Reilly", Text(value="O'Reilly")),
    ("20000", Number(value=20000)),
    ("0", Number(value=0)),
    ("-5", Number(value=-5)),
    ("1.5", Number(value=1.5)),
    ("-0.25", Number(value=-0.25)),
    ("2024-01-31", Date(value=datetime.date(2024, 1, 31))),
    ("2024-13-45", Text(value="2024-13-45")),  # not a real date
    ("true", Boolean(value=True)),
    ("false", Boolean(value=False)),
    ("True", Text(value="True")),  # boolean constants are case-sensitive
    ("FALSE", Text(value="FALSE")),
    ("null", Null()),
    ("[1,2,3]", Collection(items=(num(1), num(2), num(3)))),
    ("[1, 2, 3]", Collection(items=(num(1), num(2), num(3)))),
    ("['a','b']", Collection(items=(Text(value="a", quoted=True), Text(value="b", quoted=True)))),
    ('["a","b"]', Collection(items=(Text(value="a", quoted=True), Text(value="b", quoted=True)))),
    ("[]", Collection(items=())),
    (":1", Placeholder(index=1)),
    (":12", Placeholder(index=12)),
    (":name", Placeholder(name="name")),
]


@pytest.mark.parametrize("value_text, value", VALUES, ids=[v[0] for v in VALUES])
def test_filter_values(value_text: str, value: Node) -> None:
    # $filter is double-quoted in the URL, so a '"' inside a collection cannot be written raw
    op = "IN" if value_text.startswith("[") else "="
    if '"' in value_text:
        expr = restquery.parse(
            "/rest/Employee?$filter=" + "a IN " + value_text
        ).param("$filter").value.expr
    else:
        expr = filter_expr(f"a {op} {value_text}")
    assert isinstance(expr, Comparison)
    assert expr.op == op
    assert expr.right == value
    assert type(expr.right) is type(value)
    if isinstance(value, (Number, Boolean)):
        assert type(expr.right.value) is type(value.value)


def test_date_value_is_a_datetime_date() -> None:
    expr = filter_expr("birthday>=2000-02-29")
    assert isinstance(expr.right, Date)
    assert expr.right.value == datetime.date(2000, 2, 29)
    assert isinstance(expr.right.value, datetime.date)


def test_placeholder_on_the_left() -> None:
    assert filter_expr(":1=5") == Comparison(left=Placeholder(index=1), op="=", right=num(5))


def test_placeholders_with_params() -> None:
    req = restquery.parse(
        '/rest/Employee?$filter="firstName=:1 AND salary>:2"&$params=\'["john",20000]\''
    )
    assert req.param("$filter").value.expr == AND(
        cmp("firstName", "=", Placeholder(index=1)), cmp("salary", ">", Placeholder(index=2))
    )
    assert req.param("$params").value.items == ("john", 20000)


# ---------------------------------------------------------------------------------------------
# Adversarial names and values: never keywords (lessons.md item 2)
# ---------------------------------------------------------------------------------------------

ADVERSARIAL_NAMES = [
    "android",
    "order",
    "notes",
    "nullable",
    "beginDate",
    "exceptions",
    "anything",
    "trueValue",
    "isActive",
    "Index",
    "inStock",
    "orders",
    "island",
    "AND_x",
    "ORx",
    "NOTE",
]


@pytest.mark.parametrize("name", ADVERSARIAL_NAMES)
def test_adversarial_identifiers_in_filters(name: str) -> None:
    url = f'/rest/Employee?$filter="{name}=1 AND {name}.x>2"'
    req = restquery.parse(url)
    assert req.param("$filter").value.expr == AND(
        cmp(name, "=", num(1)), cmp(f"{name}.x", ">", num(2))
    )
    assert restquery.unparse(req) == url


@pytest.mark.parametrize("name", ADVERSARIAL_NAMES)
def test_adversarial_identifiers_after_not_and_or(name: str) -> None:
    url = f'/rest/Employee?$filter="a=1 OR NOT {name}=2"'
    req = restquery.parse(url)
    assert req.param("$filter").value.expr == OR(A1, Not(operand=cmp(name, "=", num(2))))
    assert restquery.unparse(req) == url


@pytest.mark.parametrize("name", ADVERSARIAL_NAMES)
def test_adversarial_identifiers_in_paths_and_lists(name: str) -> None:
    url = f'/rest/{name}/{name},x?$orderby="{name} DESC"&$attributes={name}.{name}&$expand={name}'
    req = restquery.parse(url)
    assert req.path.segments == (names(name), names(name, "x"))
    assert req.param("$orderby").value == SortList(
        items=(SortItem(path=ap(name), direction="DESC"),)
    )
    assert req.param("$attributes").value == AttributeList(
        items=(AttributeItem(path=ap(f"{name}.{name}")),)
    )
    assert req.param("$expand").value == PathList(paths=(ap(name),))
    assert restquery.unparse(req) == url


ADVERSARIAL_VALUES = [
    ("'freeland'", Text(value="freeland", quoted=True)),
    ("'this AND that'", Text(value="this AND that", quoted=True)),
    ("'a OR b'", Text(value="a OR b", quoted=True)),
    ("'NOT me'", Text(value="NOT me", quoted=True)),
    ("android", Text(value="android")),
    ("Notes", Text(value="Notes")),
    ("orders", Text(value="orders")),
    ("island", Text(value="island")),
    ("nullable", Text(value="nullable")),
    ("trueValue", Text(value="trueValue")),
    ("begin", Text(value="begin")),
    ("and", Text(value="and")),
    ("NOT", Text(value="NOT")),
    ("in", Text(value="in")),
]


@pytest.mark.parametrize(
    "value_text, value", ADVERSARIAL_VALUES, ids=[v[0] for v in ADVERSARIAL_VALUES]
)
def test_adversarial_values(value_text: str, value: Text) -> None:
    url = f'/rest/Employee?$filter="name={value_text} AND b=2"'
    req = restquery.parse(url)
    assert req.param("$filter").value.expr == AND(cmp("name", "=", value), B2)
    assert restquery.unparse(req) == url


# ---------------------------------------------------------------------------------------------
# Precedence (design: NOT, then AND, then OR/EXCEPT at one level, left-associative)
# ---------------------------------------------------------------------------------------------

PRECEDENCE = [
    ("a=1 AND b=2 OR c=3", OR(AND(A1, B2), C3)),
    ("a=1 OR b=2 AND c=3", OR(A1, AND(B2, C3))),
    ("a=1 OR b=2 EXCEPT c=3", EXCEPT(OR(A1, B2), C3)),
    ("a=1 EXCEPT b=2 OR c=3", OR(EXCEPT(A1, B2), C3)),
    ("a=1 EXCEPT b=2 AND c=3", EXCEPT(A1, AND(B2, C3))),
    ("NOT a=1 AND b=2", AND(Not(operand=A1), B2)),
    ("NOT a=1 OR b=2", OR(Not(operand=A1), B2)),
    ("a=1 AND b=2 AND c=3", AND(A1, B2, C3)),
    ("a=1 OR b=2 OR c=3", OR(A1, B2, C3)),
    ("a=1 & b=2 & c=3", AND(A1, B2, C3, op="&")),
    ("a=1 | b=2 | c=3", OR(A1, B2, C3, op="|")),
    ("a=1 & b=2 | c=3", OR(AND(A1, B2, op="&"), C3, op="|")),
    ("a=1 | b=2 && c=3", OR(A1, AND(B2, C3, op="&&"), op="|")),
    ("(a=1 OR b=2) AND c=3", AND(OR(A1, B2), C3)),
    ("a=1 AND (b=2 OR c=3)", AND(A1, OR(B2, C3))),
    ("NOT (a=1 AND b=2) OR c=3", OR(Not(operand=AND(A1, B2)), C3)),
    ("a=1 OR (b=2 EXCEPT c=3)", OR(A1, EXCEPT(B2, C3))),
]


@pytest.mark.parametrize("text, expected", PRECEDENCE, ids=[p[0] for p in PRECEDENCE])
def test_precedence(text: str, expected: Node) -> None:
    assert filter_expr(text) == expected


def test_nary_chain_is_one_flat_node() -> None:
    expr = filter_expr("a=1 AND b=2 AND c=3 AND a=1")
    assert isinstance(expr, BoolOp)
    assert expr.op == "AND"
    assert len(expr.operands) == 4
    assert all(isinstance(o, Comparison) for o in expr.operands)


def test_mixed_spellings_of_and_do_not_merge() -> None:
    # runs of one spelling become one node; a change of spelling starts a new level
    assert filter_expr("a=1 AND b=2 && c=3") == AND(AND(A1, B2), C3, op="&&")


PARENS = [
    ("(a=1)", A1, 1),
    ("((a=1))", A1, 2),
    ("(a=1 AND b=2)", AND(A1, B2), 1),
    ("(((a=1 OR b=2)))", OR(A1, B2), 3),
    ("(NOT a=1)", Not(operand=A1), 1),
    ("a=1", A1, 0),
]


@pytest.mark.parametrize("text, expected, parens", PARENS, ids=[p[0] for p in PARENS])
def test_parentheses_recorded_not_compared(text: str, expected: Node, parens: int) -> None:
    expr = filter_expr(text)
    assert expr == expected  # parens excluded from equality
    assert expr.parens == parens
    assert dataclasses.replace(expr, parens=parens + 5) == expr


def test_parentheses_survive_printing() -> None:
    url = '/rest/Employee?$filter="(a=1 OR b=2) AND c=3"'
    assert restquery.unparse(restquery.parse(url)) == url
    req = restquery.parse('/rest/Employee?$filter="((a=1))"')
    assert restquery.parse(restquery.unparse(req)).param("$filter").value.expr.parens == 2


# ---------------------------------------------------------------------------------------------
# Case-insensitive keywords and directions
# ---------------------------------------------------------------------------------------------

KEYWORD_CASES = [
    ("a=1 and b=2", AND(A1, B2)),
    ("a=1 And b=2", AND(A1, B2)),
    ("a=1 Or b=2", OR(A1, B2)),
    ("a=1 or b=2", OR(A1, B2)),
    ("a=1 except b=2", EXCEPT(A1, B2)),
    ("a=1 Except b=2", EXCEPT(A1, B2)),
    ("not a=1", Not(operand=A1)),
    ("Not a=1", Not(operand=A1)),
    ("a BEGIN j", cmp("a", "BEGIN", Text(value="j"))),
    ("a begin j", cmp("a", "BEGIN", Text(value="j"))),
    ("a Begin j", cmp("a", "BEGIN", Text(value="j"))),
    ("a in [1]", cmp("a", "IN", Collection(items=(num(1),)))),
    ("a In [1]", cmp("a", "IN", Collection(items=(num(1),)))),
    ("a is null", cmp("a", "IS", Null())),
    ("a Is Not null", cmp("a", "IS NOT", Null())),
]


@pytest.mark.parametrize("text, expected", KEYWORD_CASES, ids=[k[0] for k in KEYWORD_CASES])
def test_keywords_are_case_insensitive(text: str, expected: Node) -> None:
    assert filter_expr(text) == expected


DIRECTIONS = [
    ("lastName asc", "ASC"),
    ("lastName ASC", "ASC"),
    ("lastName Asc", "ASC"),
    ("lastName desc", "DESC"),
    ("lastName DESC", "DESC"),
    ("lastName dEsC", "DESC"),
    ("lastName", None),
]


@pytest.mark.parametrize("text, direction", DIRECTIONS)
def test_sort_directions_case_insensitive(text: str, direction: str | None) -> None:
    value = param_of(f'/rest/Employee?$orderby="{text}"', "$orderby").value
    assert value == SortList(items=(SortItem(path=ap("lastName"), direction=direction),))


# ---------------------------------------------------------------------------------------------
# Sort lists, $attributes, $expand, $params (spec §3.2, §3.5, §5, §6.1)
# ---------------------------------------------------------------------------------------------

SORTS = [
    (
        '$orderby="lastName desc, salary asc"',
        (("lastName", "DESC"), ("salary", "ASC")),
    ),
    ('$orderby="lastName,firstName"', (("lastName", None), ("firstName", None))),
    (
        '$orderby="lastName asc, department.name desc"',
        (("lastName", "ASC"), ("department.name", "DESC")),
    ),
    ('$orderby="salary DESC"', (("salary", "DESC"),)),
    ("$orderby=salary", (("salary", None),)),
    ("$subOrderby=lastName ASC", (("lastName", "ASC"),)),
    (
        '$subOrderby="lastName desc, firstName asc"',
        (("lastName", "DESC"), ("firstName", "ASC")),
    ),
    ('$savedorderby="salary"', (("salary", None),)),
    ('$orderby="a ,b  desc ,  c"', (("a", None), ("b", "DESC"), ("c", None))),
]


@pytest.mark.parametrize("text, items", SORTS, ids=[s[0] for s in SORTS])
def test_sort_lists(text: str, items: tuple[tuple[str, str | None], ...]) -> None:
    (param,) = restquery.parse("/rest/Employee?" + text).params
    assert param.value == SortList(
        items=tuple(SortItem(path=ap(p), direction=d) for p, d in items)
    )


ATTRIBUTES = [
    ("*", (AttributeItem(star=True),)),
    ("employees.*", (AttributeItem(path=ap("employees"), star=True),)),
    ("employer.*", (AttributeItem(path=ap("employer"), star=True),)),
    ("employees.lastname", (AttributeItem(path=ap("employees.lastname")),)),
    (
        "name,address,staff.name",
        tuple(AttributeItem(path=ap(p)) for p in ("name", "address", "staff.name")),
    ),
    ("name, address", (AttributeItem(path=ap("name")), AttributeItem(path=ap("address")))),
    (
        "name,  staff.*, employer.name",
        (
            AttributeItem(path=ap("name")),
            AttributeItem(path=ap("staff"), star=True),
            AttributeItem(path=ap("employer.name")),
        ),
    ),
]


@pytest.mark.parametrize("text, items", ATTRIBUTES, ids=[a[0] for a in ATTRIBUTES])
def test_attributes(text: str, items: tuple[AttributeItem, ...]) -> None:
    value = param_of("/rest/Company(1)?$attributes=" + text, "$attributes").value
    assert value == AttributeList(items=items)


EXPANDS = [
    ("staff", ("staff",)),
    ("photo", ("photo",)),
    ("employer,staff", ("employer", "staff")),
    ("employer, staff.manager", ("employer", "staff.manager")),
]


@pytest.mark.parametrize("text, paths", EXPANDS)
def test_expand_lists(text: str, paths: tuple[str, ...]) -> None:
    value = param_of("/rest/Company(1)?$expand=" + text, "$expand").value
    assert value == PathList(paths=tuple(ap(p) for p in paths))


PARAMS_VALUES = [
    # text after "$params=", items, relaxed, value_is_array, quote
    ("'[\"john\",20000]'", ("john", 20000), False, True, "'"),
    ("'[\"Aguada\",\"Paris\"]'", ("Aguada", "Paris"), False, True, "'"),
    ("'[1,\"pdf\"]'", (1, "pdf"), False, True, "'"),
    (
        "'[{\"__DATASET\":\"8DB0556854HDK52FR5974F\",\"__ENTITIES\":true}]'",
        ({"__DATASET": "8DB0556854HDK52FR5974F", "__ENTITIES": True},),
        False,
        True,
        "'",
    ),
    (
        '[{"vector":[1,2,3],"metric":"cosine","threshold":0.95}]',
        ({"vector": [1, 2, 3], "metric": "cosine", "threshold": 0.95},),
        False,
        True,
        "",
    ),
    ("[1,2]", (1, 2), False, True, ""),
    (
        "'[{vector:[1,2,3],threshold:1}]'",
        ({"vector": [1, 2, 3], "threshold": 1},),
        True,
        True,
        "'",
    ),
    ("'[\"O\\u0027Reilly\"]'", ("O'Reilly",), False, True, "'"),
    ("'{\"a\":1}'", ({"a": 1},), False, False, "'"),
    ("'5'", (5,), False, False, "'"),
    ("'[]'", (), False, True, "'"),
    ("'[null,true,false,-1.5]'", (None, True, False, -1.5), False, True, "'"),
]


@pytest.mark.parametrize(
    "text, items, relaxed, is_array, quote", PARAMS_VALUES, ids=[p[0] for p in PARAMS_VALUES]
)
def test_params_json(
    text: str, items: tuple[Any, ...], relaxed: bool, is_array: bool, quote: str
) -> None:
    param = param_of("/rest/City/getCities?$params=" + text, "$params")
    assert param.value == Params(items=items, relaxed=relaxed, value_is_array=is_array)
    assert param.value.items == items
    assert param.value.relaxed is relaxed
    assert param.value.value_is_array is is_array
    assert param.quote == quote


def test_params_quote_escape_decodes_to_single_quote() -> None:
    url = "/rest/Person?$filter=\"lastName=:1\"&$params='[\"O\\u0027Reilly\"]'"
    req = restquery.parse(url)
    assert req.param("$params").value.items == ("O'Reilly",)
    assert req.param("$filter").value.expr == cmp("lastName", "=", Placeholder(index=1))


# ---------------------------------------------------------------------------------------------
# Spans index the URL as given (raw or percent-encoded)
# ---------------------------------------------------------------------------------------------

ENC_FILTER = "/rest/Employee?$filter=%22lastName%3D%27Jones%27%22"

SPANS: list[tuple[str, Callable[[Request], Node], str]] = [
    ("/rest/Company(11)", lambda r: r.path.segments[0], "Company(11)"),
    ("/rest/Company(11)", lambda r: r.path.segments[0].key, "11"),
    ("/rest/Company[IT0911]", lambda r: r.path.segments[0], "Company[IT0911]"),
    ('/rest/Company("IT0911")', lambda r: r.path.segments[0].key, '"IT0911"'),
    ("/rest/Company:companyCode(Acme001)", lambda r: r.path.segments[0].value, "Acme001"),
    ("/rest/Company/name,address", lambda r: r.path.segments[1], "name,address"),
    ("/rest/Company/name,address", lambda r: r.path.segments[1].paths[1], "address"),
    ("/rest/Company/name,address/", lambda r: r.path, "/rest/Company/name,address/"),
    ("/rest/Employee/$entityset/ABC123", lambda r: r.path.segments[1], "$entityset"),
    ("/rest/Employee/$entityset/ABC123", lambda r: r.path.segments[2], "ABC123"),
    ("/rest/Employee/addEmployee(John,Smith)", lambda r: r.path.segments[1].args[1], "Smith"),
    ("http://127.0.0.1:8081/rest/Company(1)", lambda r: r.origin, "http://127.0.0.1:8081"),
    ('/rest/Employee?$filter="salary>20000"', lambda r: r.params[0], '$filter="salary>20000"'),
    ('/rest/Employee?$filter="salary>20000"', lambda r: r.params[0].value, "salary>20000"),
    ('/rest/Employee?$filter="salary>20000"', lambda r: r.params[0].value.expr.right, "20000"),
    (
        '/rest/Employee?$filter="salary>20000 AND employer.name!=acme"&$top=3',
        lambda r: r.params[0].value.expr.operands[1],
        "employer.name!=acme",
    ),
    (
        '/rest/Employee?$filter="salary>20000 AND employer.name!=acme"&$top=3',
        lambda r: r.params[0].value.expr.operands[1].left,
        "employer.name",
    ),
    (
        '/rest/Employee?$filter="salary>20000 AND employer.name!=acme"&$top=3',
        lambda r: r.params[1].value,
        "3",
    ),
    (
        '/rest/Employee?$filter="a=1 AND (b=2 OR c=3)"',
        lambda r: r.params[0].value.expr.operands[1],
        "(b=2 OR c=3)",
    ),
    ('/rest/Employee?$filter="NOT a=1"', lambda r: r.params[0].value.expr, "NOT a=1"),
    ('/rest/Employee?$filter="a IN [1,2]"', lambda r: r.params[0].value.expr.right, "[1,2]"),
    ('/rest/Employee?$filter="a=:1"', lambda r: r.params[0].value.expr.right, ":1"),
    ('/rest/Employee?$filter="a=\'A@\'"', lambda r: r.params[0].value.expr.right, "'A@'"),
    (
        '/rest/Employee?$orderby="lastName desc, salary asc"',
        lambda r: r.params[0].value.items[1],
        "salary asc",
    ),
    ("/rest/Company(1)?$attributes=name, staff.*", lambda r: r.params[0].value.items[1], "staff.*"),
    ("/rest/Company(1)?$expand=staff", lambda r: r.params[0].value, "staff"),
    ("/rest/Employee?$params='[1,2]'", lambda r: r.params[0].value, "[1,2]"),
    ("/rest/Employee?$top=10&$skip=5", lambda r: r.params[1], "$skip=5"),
    (
        "/rest/People/firstName,lastName/?$filter=\"lastName='A@'\"/",
        lambda r: r.params[0],
        "$filter=\"lastName='A@'\"/",
    ),
    # percent-encoded
    (ENC_FILTER, lambda r: r.params[0].value.expr, "lastName%3D%27Jones%27"),
    (ENC_FILTER, lambda r: r.params[0].value.expr.left, "lastName"),
    (ENC_FILTER, lambda r: r.params[0].value.expr.right, "%27Jones%27"),
    (ENC_FILTER, lambda r: r.params[0], "$filter=%22lastName%3D%27Jones%27%22"),
    (
        "/rest/Employee?$filter=%22salary%3E20000%20AND%20lastName%3DJones%22",
        lambda r: r.params[0].value.expr.operands[1],
        "lastName%3DJones",
    ),
    (
        '/rest/Employee?$filter="lastName=Ren%C3%A9"',
        lambda r: r.params[0].value.expr.right,
        "Ren%C3%A9",
    ),
    ("/rest/Caf%C3%A9(1)", lambda r: r.path.segments[0], "Caf%C3%A9(1)"),
    ("/rest/Caf%C3%A9/na%C3%AFve", lambda r: r.path.segments[1], "na%C3%AFve"),
    (
        "/rest/Employee?$orderby=%22lastName%20desc%22",
        lambda r: r.params[0].value.items[0],
        "lastName%20desc",
    ),
    ("/rest/Company(%22a%2Fb%22)", lambda r: r.path.segments[0].key, "%22a%2Fb%22"),
    (
        "/rest/Employee?$filter=%22name%3D%27A%26B%27%22&$top=1",
        lambda r: r.params[0].value.expr.right,
        "%27A%26B%27",
    ),
    # the docs' stray "/" after a quoted value, written raw and percent-encoded (spec §1.2)
    (
        "/rest/People/firstName,lastName/?$filter=%22lastName%3D%27A%40%27%22/",
        lambda r: r.params[0],
        "$filter=%22lastName%3D%27A%40%27%22/",
    ),
    (
        "/rest/People/firstName,lastName/?$filter=%22lastName%3D%27A%40%27%22%2F",
        lambda r: r.params[0],
        "$filter=%22lastName%3D%27A%40%27%22%2F",
    ),
    (
        "/rest/People/firstName,lastName/?$filter=%22lastName%3D%27A%40%27%22%2F&$top=1",
        lambda r: r.params[0],
        "$filter=%22lastName%3D%27A%40%27%22%2F",
    ),
]


@pytest.mark.parametrize("url, get, text", SPANS, ids=[f"{u} -> {t}" for u, _, t in SPANS])
def test_spans_slice_the_url(url: str, get: Callable[[Request], Node], text: str) -> None:
    node = get(restquery.parse(url))
    assert sliced(url, node) == text


SPAN_URLS = [
    ENC_FILTER,
    '/rest/Employee?$filter="salary>20000 AND employer.name!=acme"&$orderby="lastName,firstName"',
    "http://127.0.0.1:8081/rest/Person/?$filter=\"lastName=O'Reilly\"",
    "/rest/Person?$filter=\"lastName=:1\"&$params='[\"O\\u0027Reilly\"]'",
    "/rest/Employee?$filter=%22lastName%3DRen%C3%A9%20OR%20NOT%20(a%3E1)%22&$top=5",
    "/rest/Caf%C3%A9(%22x%22)/na%C3%AFve?$attributes=a,%20b.*",
]


@pytest.mark.parametrize("url", SPAN_URLS)
def test_all_spans_within_url_and_nested(url: str) -> None:
    req = restquery.parse(url)
    assert req.span == Span(0, len(url))
    for node in iter_nodes(req):
        assert 0 <= node.span.start <= node.span.end <= len(url), node
    # every child span lies within its parent's
    for node in iter_nodes(req):
        for f in dataclasses.fields(node):
            child = getattr(node, f.name)
            kids = child if isinstance(child, tuple) else (child,)
            for kid in kids:
                if isinstance(kid, Node) and kid.span != Span(0, 0):
                    assert node.span.start <= kid.span.start <= kid.span.end <= node.span.end, (
                        node,
                        kid,
                    )


def test_encoded_filter_decodes_to_same_tree_as_raw() -> None:
    raw = restquery.parse("/rest/Employee?$filter=\"lastName='Jones'\"")
    enc = restquery.parse(ENC_FILTER)
    assert enc == raw
    assert enc.params[0].value.expr == cmp("lastName", "=", Text(value="Jones", quoted=True))


def test_utf8_escapes_decode() -> None:
    req = restquery.parse('/rest/Caf%C3%A9?$filter="lastName=Ren%C3%A9"')
    assert req.path.segments == (names("Café"),)
    assert req.param("$filter").value.expr == cmp("lastName", "=", Text(value="René"))


ENCODED_DELIMITERS = [
    # %26 inside a value: not a parameter separator
    ("/rest/Employee?$x=A%26B&$top=1", 2, lambda r: r.params[0].value, RawValue(text="A&B")),
    (
        "/rest/Employee?$filter=\"name='A%26B'\"&$top=1",
        2,
        lambda r: r.params[0].value.expr.right,
        Text(value="A&B", quoted=True),
    ),
    ("/rest/City/getCity?$params='[\"a%26b\"]'", 1, lambda r: r.params[0].value.items, ("a&b",)),
    # %3D in a name/value position does not split name from value
    ("/rest/Employee?$x=a%3Db", 1, lambda r: r.params[0].value, RawValue(text="a=b")),
    # %2F inside a segment: not a path separator
    (
        "/rest/Company(%22a%2Fb%22)",
        0,
        lambda r: r.path.segments,
        (KeySegment(name="Company", key=Key(value="a/b", quoted=True)),),
    ),
    (
        "/rest/Employee?$filter=\"path='a%2Fb'\"",
        1,
        lambda r: r.params[0].value.expr.right,
        Text(value="a/b", quoted=True),
    ),
    # %3F does not start the query
    (
        "/rest/Company(%22a%3Fb%22)",
        0,
        lambda r: r.path.segments,
        (KeySegment(name="Company", key=Key(value="a?b", quoted=True)),),
    ),
]


@pytest.mark.parametrize(
    "url, nparams, get, expected", ENCODED_DELIMITERS, ids=[e[0] for e in ENCODED_DELIMITERS]
)
def test_encoded_delimiters_are_not_structural(
    url: str, nparams: int, get: Callable[[Request], Any], expected: Any
) -> None:
    req = restquery.parse(url)
    assert len(req.params) == nparams
    assert get(req) == expected


def test_encoded_slash_in_path_keeps_segment_count() -> None:
    assert len(restquery.parse("/rest/Company(%22a%2Fb%22)/name").path.segments) == 2
    assert len(restquery.parse('/rest/Company("a/b")/name').path.segments) == 2


LITERALS = [
    # + is literal (RFC 3986), never a space
    ('/rest/Employee?$filter="a=1+2"', Text(value="1+2")),
    ('/rest/Employee?$filter="name=John+Smith"', Text(value="John+Smith")),
    ("/rest/Employee?$filter=\"name='A+B'\"", Text(value="A+B", quoted=True)),
    # %20 is a space
    ("/rest/Employee?$filter=\"name='A%20B'\"", Text(value="A B", quoted=True)),
]


@pytest.mark.parametrize("url, value", LITERALS, ids=[x[0] for x in LITERALS])
def test_plus_is_literal(url: str, value: Text) -> None:
    assert restquery.parse(url).param("$filter").value.expr.right == value


def test_plus_literal_in_other_values() -> None:
    req = restquery.parse("/rest/City/getCity?$params='[\"a+b\"]'&$x=c+d")
    assert req.param("$params").value.items == ("a+b",)
    assert req.params[1].value == RawValue(text="c+d")


BARE_PERCENT = [
    ("/rest/Employee?$filter=\"name % 'x'\"", cmp("name", "%", Text(value="x", quoted=True))),
    ("/rest/Employee?$filter=\"name %'x'\"", cmp("name", "%", Text(value="x", quoted=True))),
    ('/rest/Employee?$filter="name % john"', cmp("name", "%", Text(value="john"))),
    ('/rest/Employee?$filter="name%john"', cmp("name", "%", Text(value="john"))),
]


@pytest.mark.parametrize("url, expected", BARE_PERCENT, ids=[b[0] for b in BARE_PERCENT])
def test_bare_percent_is_the_contains_comparator(url: str, expected: Comparison) -> None:
    req = restquery.parse(url)
    expr = req.param("$filter").value.expr
    assert expr == expected
    # the span covers the raw "%" as written
    assert "%" in sliced(url, expr)


# ---------------------------------------------------------------------------------------------
# Hand-built trees, to_dict()
# ---------------------------------------------------------------------------------------------

HAND_BUILT = [
    (
        "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
        Request(
            path=Path(segments=(KeySegment(name="Company", key=Key(value=11)), names("blobAtt"))),
            params=(
                Param(name="$binary", value=Boolean(value=True)),
                Param(name="$expand", value=PathList(paths=(ap("blobAtt"),))),
            ),
        ),
    ),
    (
        'http://127.0.0.1:8081/rest/Employee?$filter="salary>20000 AND employer.name!=acme"'
        '&$orderby="lastName,firstName"',
        Request(
            origin=Origin(scheme="http", host="127.0.0.1", port=8081),
            path=Path(segments=(names("Employee"),)),
            params=(
                Param(
                    name="$filter",
                    quote='"',
                    value=Filter(
                        expr=AND(
                            cmp("salary", ">", num(20000)),
                            cmp("employer.name", "!=", Text(value="acme")),
                        )
                    ),
                ),
                Param(
                    name="$orderby",
                    quote='"',
                    value=SortList(
                        items=(SortItem(path=ap("lastName")), SortItem(path=ap("firstName")))
                    ),
                ),
            ),
        ),
    ),
    (
        "{{ApiEndpoint}}/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7/?$top=10",
        Request(
            origin=Origin(placeholder="{{ApiEndpoint}}"),
            path=Path(
                segments=(
                    names("Employee"),
                    kw("$entityset"),
                    EntitySetSegment(id="9718A30BF61343C796345F3BE5B01CE7"),
                ),
                trailing_slash=True,
            ),
            params=(Param(name="$top", value=Integer(value=10)),),
        ),
    ),
    (
        "/rest/People/firstName,lastName/?$filter=\"lastName='A@'\"/",
        Request(
            path=Path(
                segments=(names("People"), names("firstName", "lastName")), trailing_slash=True
            ),
            params=(
                Param(
                    name="$filter",
                    quote='"',
                    trailing_slash=True,
                    value=Filter(expr=cmp("lastName", "=", Text(value="A@", quoted=True))),
                ),
            ),
        ),
    ),
]


@pytest.mark.parametrize("url, tree", HAND_BUILT, ids=[h[0] for h in HAND_BUILT])
def test_hand_built_trees_equal_parsed(url: str, tree: Request) -> None:
    parsed = restquery.parse(url)
    assert parsed == tree
    assert restquery.parse(url, method="post") == dataclasses.replace(tree, method="POST")
    assert parsed != dataclasses.replace(tree, method="GET")


def test_spans_and_raw_do_not_take_part_in_equality() -> None:
    assert Number(value=1, raw="1", span=Span(3, 4)) == Number(value=1, raw="01", span=Span(9, 11))
    assert Key(value=1, raw="1") == Key(value=1, raw="1.0")


DICT_URLS = [
    "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
    'http://127.0.0.1:8081/rest/Employee?$filter="birthday>=2000-01-01 AND NOT (a IN [1,\'x\'])"',
    "{{ApiEndpoint}}/rest/Employee/$entityset/ID[123]",
    "/rest/Person?$filter=\"lastName=:1\"&$params='[{\"a\":[1,2]},null]'",
    "/rest/Company:companyCode(Acme001)?$attributes=name,staff.*&$orderby=\"name desc\"&$x",
    "/rest/Employee/addEmployee(John,Smith)",
    ENC_FILTER,
]


@pytest.mark.parametrize("url", DICT_URLS)
def test_to_dict_is_json_serialisable(url: str) -> None:
    req = restquery.parse(url)
    d = req.to_dict()
    text = json.dumps(d)
    back = json.loads(text)
    assert back == d
    assert d["type"] == "Request"
    assert d["span"] == [0, len(url)]
    assert d["path"]["type"] == "Path"
    types = {n["type"] for n in _dicts(d)}
    assert {type(n).__name__ for n in iter_nodes(req)} == types
    for n in _dicts(d):
        assert isinstance(n["span"], list) and len(n["span"]) == 2


def test_to_dict_contents() -> None:
    url = '/rest/Employee?$filter="birthday>=2000-01-31"'
    d = restquery.parse(url).to_dict()
    f = d["params"][0]
    assert f["name"] == "$filter"
    cmp_d = f["value"]["expr"]
    assert cmp_d["type"] == "Comparison"
    assert cmp_d["op"] == ">="
    start = url.index("2000")
    assert cmp_d["right"] == {
        "type": "Date",
        "span": [start, start + 10],
        "value": "2000-01-31",
        "raw": "2000-01-31",
    }
    assert url[slice(*cmp_d["span"])] == "birthday>=2000-01-31"


def _dicts(d: Any) -> Iterator[dict[str, Any]]:
    if isinstance(d, dict):
        if "type" in d and "span" in d:
            yield d
        for v in d.values():
            yield from _dicts(v)
    elif isinstance(d, list):
        for v in d:
            yield from _dicts(v)


# ---------------------------------------------------------------------------------------------
# parse(unparse(ast)) == ast for every URL of this file (design: quality bars)
# ---------------------------------------------------------------------------------------------

ROUNDTRIP_URLS = sorted(
    set(
        [u for _, u, _ in PATH_FORMS]
        + [u for u, *_ in KEYS]
        + [u for u, *_ in ORIGINS]
        + [u for u, *_ in SPANS]
        + [h[0] for h in HAND_BUILT]
        + DICT_URLS
        + SPAN_URLS
        + [u for u, *_ in ENCODED_DELIMITERS]
        + [u for u, _ in LITERALS]
        + [u for u, _ in BARE_PERCENT]
        + ["/rest/Employee?" + t for t, *_ in PARAMETERS + BADLY_TYPED + UNKNOWN_PARAMS]
        + [f'/rest/Employee?$filter="{t}"' for t, *_ in COMPARATORS + LOGIC + NOTS + PRECEDENCE]
        + [f'/rest/Employee?$filter="{t}"' for t, *_ in PARENS + KEYWORD_CASES + ATTRIBUTE_PATHS]
        + [f'/rest/Employee?$filter="a = {v}"' for v, _ in VALUES if not v.startswith("[")]
        + [
            f'/rest/Employee?$filter="a IN {v}"'
            for v, _ in VALUES
            if v.startswith("[") and '"' not in v
        ]
        + [
            # bare text shaped like a date that is not a real one (typed as Text)
            '/rest/Employee?$filter="d=2024-02-30"',
            '/rest/Employee?$filter="d IN [0000-00-00,2024-01-01]"',
        ]
    )
)


@pytest.mark.parametrize("url", ROUNDTRIP_URLS)
@pytest.mark.parametrize("encode", [False, True], ids=["raw", "encoded"])
def test_parse_unparse_roundtrip(url: str, encode: bool) -> None:
    req = restquery.parse(url)
    assert restquery.parse(restquery.unparse(req, encode=encode)) == req


# ---------------------------------------------------------------------------------------------
# Thread safety smoke test
# ---------------------------------------------------------------------------------------------

THREAD_URLS = (
    [u for _, u, _ in PATH_FORMS]
    + [u for u, *_ in SPANS]
    + [h[0] for h in HAND_BUILT]
    + DICT_URLS
    + [f'/rest/Employee?$filter="{t}"' for t, _ in PRECEDENCE]
    + [f'/rest/Employee?$filter="{t}"' for t, _ in COMPARATORS]
)


def test_parse_is_thread_safe() -> None:
    urls = [THREAD_URLS[i % len(THREAD_URLS)] for i in range(200)]
    sequential = [restquery.parse(u) for u in urls]
    with ThreadPoolExecutor(8) as pool:
        concurrent = list(pool.map(restquery.parse, urls))
    assert len(concurrent) == 200
    for url, a, b in zip(urls, sequential, concurrent):
        assert a == b, url
        # to_dict carries every span (and raw lexeme): they must match too
        assert a.to_dict() == b.to_dict(), url
