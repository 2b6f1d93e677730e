"""The strategies themselves (see :mod:`restquery.strategies`, which loads this module on
first use)."""

from __future__ import annotations

import datetime
import functools
import re
import string
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

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
    Expr,
    Filter,
    Formula,
    Integer,
    Key,
    KeySegment,
    KeywordSegment,
    LookupSegment,
    NamesSegment,
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
    Segment,
    SortItem,
    SortList,
    Text,
    Value,
    Word,
)
from restquery.params import PARAMETERS, canonical_name, value_kind
from restquery.printer import unparse
from restquery.syntax.lexicon import DATE, INTEGER, NUMBER, PATH_KEYWORDS, lexicon

if TYPE_CHECKING:
    from restquery.catalog import Catalog


#: HTTP methods a request may carry (spec §1.6).
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# KEYWORDS (never drawn as names) and LOGICAL_SPELLINGS (spec §4.3) are the lexicon's, read on
# first use: Hypothesis imports this module through its entry point, which must stay cheap.
def __getattr__(name: str) -> Any:
    if name in ("KEYWORDS", "LOGICAL_SPELLINGS"):
        return lexicon().keywords if name == "KEYWORDS" else tuple(lexicon().logical)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _is_keyword(name: str) -> bool:
    return name.lower() in lexicon().keywords

# Characters that stress quoting and escaping, mixed into drawn text.
_TRICKY = " '\"()&|:[],@*%?/#=<>!\\{}$.-+\t\n~éß名😀"
_ANY_CHAR = st.one_of(st.sampled_from(_TRICKY), st.characters(codec="utf-8"))
# Non-ASCII letters that do not case-fold to ASCII (so no keyword hides in a name).
_NAME_START = st.sampled_from(string.ascii_letters + "_" + "éüñøЖж名")
_NAME_REST = st.sampled_from(string.ascii_letters + string.digits + "_" + "éü名")


# ---------------------------------------------------------------------------------------------
# Names and attribute paths
# ---------------------------------------------------------------------------------------------


def names() -> st.SearchStrategy[str]:
    """Identifiers usable anywhere a name goes: ``firstName``, ``_x2``, ``名前``; never a keyword.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(names())
    ... def check(name):
    ...     assert not _is_keyword(name)
    >>> check()
    """
    curated = st.sampled_from(
        [
            "Employee",
            "lastName",
            "employer",
            "name",
            "ID",
            "android",
            "notes",
            "orders",
            "beginDate",
            "isActive",
            "Index",
            "exceptions",
            "order",
            "ascending",
            "descr",
            "nullable",
            "trueValue",
            "_KEY",
            "US_Cities",
            "Café",
            "名前",
        ]
    )
    drawn = st.builds(
        lambda first, rest: first + rest, _NAME_START, st.text(_NAME_REST, max_size=8)
    )
    return st.one_of(curated, drawn).filter(lambda n: not _is_keyword(n))


def _path_parts(indexed: bool) -> st.SearchStrategy[PathPart]:
    if not indexed:
        return st.builds(PathPart, name=names())
    return st.builds(
        PathPart,
        name=names(),
        index=st.one_of(st.none(), st.just(""), st.sampled_from("aAbz")),
        class_index=st.one_of(st.none(), st.integers(0, 12)),
    )


def attribute_paths(
    *, indexed: bool = True, max_parts: int = 3
) -> st.SearchStrategy[AttributePath]:
    """Dotted attribute paths (spec §4.4): ``employer.name``, ``children[].age``,
    ``roles.actor{2}.lastName``. ``indexed=False`` leaves out ``[]``/``{n}`` (path segments).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(attribute_paths(indexed=False))
    ... def check(path):
    ...     assert all(p.index is None for p in path.parts)
    >>> check()
    """
    plain = _path_parts(False)
    part = st.one_of(plain, plain, _path_parts(True)) if indexed else plain
    return st.builds(AttributePath, parts=st.lists(part, min_size=1, max_size=max_parts).map(tuple))


# ---------------------------------------------------------------------------------------------
# Filter values (spec §4.5, §4.6)
# ---------------------------------------------------------------------------------------------


def _typed_token(text: str) -> bool:
    """Whether the grammar reads this bare token as a number, date, boolean or null."""
    if NUMBER.fullmatch(text) or text in lexicon().json_literals:
        return True
    if DATE.fullmatch(text):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return False
        return True
    return False


def _bare_texts(pattern: re.Pattern[str]) -> st.SearchStrategy[str]:
    curated = st.sampled_from(
        [
            "john",
            "acme",
            "Jones",
            "A@",
            "@Smith@",
            "J@",
            "a*",
            "O'Reilly",
            "v20",
            "x:y",
            "a]b",
            "100%",
            "%41",
            "and",
            "NOT",
            "orange",
            "2024-02-30",
            "+5",
            "-5a",
            "é",
            "1.2.3",
        ]
    )
    drawn = st.text(_ANY_CHAR, min_size=1, max_size=10)
    return st.one_of(curated, drawn).filter(
        lambda t: bool(pattern.fullmatch(t)) and not _typed_token(t)
    )


def texts(*, in_collection: bool = False) -> st.SearchStrategy[Text]:
    """Text values: bare (``Text("john")``) or single-quoted (``Text("A@ B", quoted=True)``).

    ``in_collection=True`` draws items of an ``IN [...]`` list, where a quoted text may hold
    ``'`` (it is written as a JSON string, ``"d'e"``).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(texts())
    ... def check(text):
    ...     assert not (text.quoted and "'" in text.value)
    >>> check()
    """
    pattern = lexicon().pattern("query.ITEM_BARE" if in_collection else "query.BARE")
    bare = _bare_texts(pattern).map(lambda v: Text(value=v))
    quoted_text = st.text(_ANY_CHAR, max_size=12)
    if not in_collection:
        quoted_text = quoted_text.filter(lambda v: "'" not in v)
    quoted = quoted_text.map(lambda v: Text(value=v, quoted=True))
    return st.one_of(bare, quoted)


def _numbers() -> st.SearchStrategy[Number]:
    plain = st.one_of(
        st.integers(-(10**12), 10**12),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
    ).map(lambda v: Number(value=v))
    with_raw = st.sampled_from([("1.50", 1.5), ("-0", 0), ("007", 7), ("2.0", 2.0)]).map(
        lambda p: Number(value=p[1], raw=p[0])
    )
    return st.one_of(plain, with_raw)


def _placeholders() -> st.SearchStrategy[Placeholder]:
    return st.one_of(
        st.integers(0, 30).map(lambda i: Placeholder(index=i)),
        names().map(lambda n: Placeholder(name=n)),
    )


def _scalar_values(*, in_collection: bool) -> st.SearchStrategy[Value]:
    return st.one_of(
        texts(in_collection=in_collection),
        _numbers(),
        st.dates().map(lambda d: Date(value=d)),
        st.booleans().map(lambda b: Boolean(value=b)),
        st.just(Null()),
        _placeholders(),
    )


def filter_values() -> st.SearchStrategy[Value]:
    """Values of a comparison (spec §4.5): text, number, date, boolean, null, placeholder or an
    ``IN`` collection of those.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(filter_values())
    ... def check(value):
    ...     assert value is not None
    >>> check()
    """
    collection = st.lists(_scalar_values(in_collection=True), max_size=4).map(
        lambda items: Collection(items=tuple(items))
    )
    return st.one_of(_scalar_values(in_collection=False), collection)


# ---------------------------------------------------------------------------------------------
# Filters (spec §4)
# ---------------------------------------------------------------------------------------------


def _readable_after(op: str, value: Value) -> bool:
    # After IS, bare text starting with the word NOT would read as the IS NOT comparator.
    if not isinstance(value, Text) or value.quoted or op not in lexicon().word_comparators:
        return True
    return not lexicon().extends_comparator(op, value.value)


def comparisons() -> st.SearchStrategy[Comparison]:
    """``left op right`` with every comparator of spec §4.2 and every value form:
    ``salary>20000``, ``lastName BEGIN j``, ``id IN [1,2]``, ``:1=5``.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(comparisons())
    ... def check(c):
    ...     assert c.op in lexicon().comparators
    >>> check()
    """
    left = st.one_of(attribute_paths(), attribute_paths(), _placeholders())

    def build(op: str) -> st.SearchStrategy[Comparison]:
        right = filter_values().filter(lambda v: _readable_after(op, v))
        return st.builds(Comparison, left=left, op=st.just(op), right=right)

    return st.sampled_from(lexicon().comparators).flatmap(build)


_FORMULA_PLAIN = st.text(
    st.one_of(
        st.sampled_from(string.ascii_letters + string.digits + " .,=<>+-*/#&|:;@[]{}$%éß名"),
        st.characters(codec="utf-8", exclude_characters="()'\""),
    ),
    max_size=6,
)


def _formula_texts(depth: int = 2) -> st.SearchStrategy[str]:
    piece: st.SearchStrategy[str] = st.one_of(
        _FORMULA_PLAIN,
        _FORMULA_PLAIN.filter(lambda t: "'" not in t).map(lambda t: f"'{t}'"),
        _FORMULA_PLAIN.map(lambda t: '"' + t + '"'),
        st.sampled_from(["'('", '")"', "'a)b'"]),
    )
    if depth > 0:
        piece = st.one_of(piece, _formula_texts(depth - 1).map(lambda t: f"({t})"))
    return st.lists(piece, max_size=4).map("".join)


def formulas() -> st.SearchStrategy[Formula]:
    """``eval(...)`` formulas (query() syntax, spec §4.1): ``eval(This.salary>1000)``,
    ``eval(Length(This.name)=3)``; parentheses nest at most two levels inside, and quoted text
    may hold any parenthesis.

    >>> import restquery
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(formulas())
    ... def check(f):
    ...     assert restquery.unparse(f).lower().startswith("eval(")
    >>> check()
    """
    curated = st.sampled_from(
        ["This.salary>1000", "Length(This.lastName)=3", "This.a=(1+(2*3))", " ", "x=')'"]
    )
    return st.one_of(curated, _formula_texts()).map(lambda t: Formula(text=t))


def _with_parens(node: Any, parens: int) -> Any:
    # ``parens`` counts redundant parentheses; it is not compared, only printed.
    return type(node)(**{k: getattr(node, k) for k in _EXPR_FIELDS[type(node)]}, parens=parens)


_EXPR_FIELDS: dict[type, tuple[str, ...]] = {
    Comparison: ("left", "op", "right"),
    Not: ("operand",),
    BoolOp: ("op", "operands"),
    Formula: ("text",),
}


def expressions(*, max_depth: int = 3, max_operands: int = 4) -> st.SearchStrategy[Expr]:
    """Filter expressions: comparisons combined with NOT and n-ary AND/OR/EXCEPT runs in every
    spelling, nested at most ``max_depth`` levels; some nodes carry redundant parentheses.

    Any nesting is drawn, including a run nested in a run of the same operator: the printer
    adds the parentheses that keep it apart.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(expressions(max_depth=2))
    ... def check(expr):
    ...     assert not isinstance(expr, BoolOp) or len(expr.operands) >= 2
    >>> check()
    """

    def parenthesised(inner: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        return st.tuples(inner, st.sampled_from([0, 0, 0, 0, 0, 1, 2])).map(
            lambda pair: _add_parens(*pair)
        )

    def extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        negation = st.builds(Not, operand=children)
        run = st.builds(
            BoolOp,
            op=st.sampled_from(tuple(lexicon().logical)),
            operands=st.lists(children, min_size=2, max_size=max_operands).map(tuple),
        )
        return st.one_of(negation, run, run)

    base: st.SearchStrategy[Expr] = st.one_of(comparisons(), comparisons(), formulas())
    strategy = parenthesised(base)
    for _ in range(max_depth):
        strategy = parenthesised(st.one_of(base, extend(strategy)))
    return strategy


def _add_parens(expr: Any, parens: int) -> Any:
    return _with_parens(expr, parens) if parens else expr


def filters(
    catalog: Any = None, *, dataclass: str | None = None, max_depth: int = 3
) -> st.SearchStrategy[Filter]:
    """``$filter`` values (:class:`~restquery.ast.Filter` trees).

    Without ``catalog``: schema-free trees over every comparator, logical spelling, value form
    and nesting the grammar reads (see :func:`expressions`), for round trips and robustness.

    With ``catalog`` (a :class:`~restquery.Catalog`, a ``$catalog`` JSON document or a path to
    one): filters a 4D server would run on ``dataclass`` (a name in the catalog; any exposed
    dataclass when not given). Every attribute path resolves in the catalog (``lastName``,
    ``employer.name``, ``staff.salary``, ``address.city``), values have the attribute's type,
    only the comparators and operators of the REST ``$filter`` page are used, groups are
    parenthesised and no ``:n`` placeholder is drawn (placeholders need ``$params``; use
    :func:`urls` for whole requests). ``max_depth`` bounds the nesting.

    >>> import restquery
    >>> from restquery.ast import Param, Path, Request
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(filters())
    ... def check(flt):
    ...     req = Request(path=Path(), params=(Param(name="$filter", value=flt, quote='"'),))
    ...     assert restquery.parse(restquery.unparse(req)) == req
    >>> check()
    >>> cat = restquery.Catalog.from_json({"dataClasses": [{"name": "Employee",
    ...     "key": [{"name": "ID"}], "attributes": [
    ...         {"name": "ID", "kind": "storage", "type": "long"},
    ...         {"name": "lastName", "kind": "storage", "type": "string"},
    ...         {"name": "salary", "kind": "storage", "type": "number"}]}]})
    >>> @settings(max_examples=5)
    ... @given(filters(cat, dataclass="Employee"))
    ... def check_schema(flt):
    ...     req = restquery.parse("/rest/Employee")
    ...     req = Request(path=req.path, params=(Param(name="$filter", value=flt, quote='"'),))
    ...     assert restquery.validate(restquery.unparse(req), catalog=cat) == []
    >>> check_schema()
    """
    if catalog is None:
        if dataclass is not None:
            raise InvalidArgument("filters(dataclass=...) needs a catalog")
        order_by = st.one_of(st.none(), st.none(), st.none(), sort_lists())
        return st.builds(
            lambda e, o: Filter(expr=e, order_by=o), expressions(max_depth=max_depth), order_by
        )
    schema = _schema(catalog)
    if dataclass is not None:
        found = [v for v in schema.views if v.name == dataclass]
        if not found:
            raise InvalidArgument(f"the catalog has no exposed dataclass {dataclass!r}")
        view: st.SearchStrategy[_View] = st.just(found[0])
    else:
        view = schema.view(lambda v: bool(v.filterable))
    return view.flatmap(
        lambda v: _clean_filters(v, max_depth=max_depth, placeholders=False).map(lambda p: p[0])
    )


# ---------------------------------------------------------------------------------------------
# Sort lists, attribute lists, $expand, $params (spec §3.2, §3.5, §5, §6)
# ---------------------------------------------------------------------------------------------


def sort_lists() -> st.SearchStrategy[SortList]:
    """``$orderby`` values: ``lastName DESC,salary``.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(sort_lists())
    ... def check(sl):
    ...     assert all(i.direction in (None, "ASC", "DESC") for i in sl.items)
    >>> check()
    """
    item = st.builds(
        SortItem, path=attribute_paths(), direction=st.sampled_from([None, "ASC", "DESC"])
    )
    return st.lists(item, min_size=1, max_size=4).map(lambda items: SortList(items=tuple(items)))


def attribute_lists() -> st.SearchStrategy[AttributeList]:
    """``$attributes`` values: ``*`` alone, or ``name,employer.*,staff.name``.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(attribute_lists())
    ... def check(al):
    ...     assert len(al.items) == 1 or all(i.path is not None for i in al.items)
    >>> check()
    """
    star = st.just(AttributeList(items=(AttributeItem(star=True),)))
    item = st.builds(AttributeItem, path=attribute_paths(), star=st.booleans())
    listed = st.lists(item, min_size=1, max_size=4).map(
        lambda items: AttributeList(items=tuple(items))
    )
    return st.one_of(star, listed, listed)


def path_lists() -> st.SearchStrategy[PathList]:
    """``$expand`` values: ``photo`` or ``employer,manager``.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(path_lists())
    ... def check(pl):
    ...     assert pl.paths
    >>> check()
    """
    return st.lists(attribute_paths(), min_size=1, max_size=3).map(
        lambda paths: PathList(paths=tuple(paths))
    )


_JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(_ANY_CHAR, max_size=10),
)


def _json_data(
    max_leaves: int = 8, chars: st.SearchStrategy[str] = _ANY_CHAR
) -> st.SearchStrategy[Any]:
    scalars = _JSON_SCALARS if chars is _ANY_CHAR else st.one_of(
        _JSON_SCALARS.filter(lambda v: not isinstance(v, str)), st.text(chars, max_size=10)
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.one_of(names(), st.text(chars, max_size=6)), inner, max_size=3),
        ),
        max_leaves=max_leaves,
    )


def _has_name_key(data: Any) -> bool:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if any(_is_name(k) and k not in lexicon().json_literals for k in item):
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def json_params() -> st.SearchStrategy[Params]:
    """``$params`` values: a JSON array (``["john",20000]``), a bare non-array value, or the
    relaxed form with unquoted keys (``[{vector:[1,2,3],threshold:1}]``).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(json_params())
    ... def check(p):
    ...     assert p.value_is_array or len(p.items) == 1
    >>> check()
    """
    array = st.lists(_json_data(), max_size=4).map(lambda items: Params(items=tuple(items)))
    single = (
        _json_data()
        .filter(lambda d: not isinstance(d, list))
        .map(lambda d: Params(items=(d,), value_is_array=False))
    )
    vector = st.builds(
        lambda vec, threshold: {"vector": vec, "metric": "cosine", "threshold": threshold},
        st.lists(st.integers(-5, 5), min_size=1, max_size=4),
        st.floats(0, 1),
    )
    relaxed = (
        st.lists(st.one_of(vector, _json_data()), min_size=1, max_size=3)
        .filter(_has_name_key)
        .map(lambda items: Params(items=tuple(items), relaxed=True))
    )
    return st.one_of(array, array, single, relaxed)


# ---------------------------------------------------------------------------------------------
# Parameters (spec §3)
# ---------------------------------------------------------------------------------------------


def _unquoted_ok(text: str) -> bool:
    """Whether an unquoted value reads back unquoted (no surrounding quotes, no stray slash)."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return False
    return not (len(text) >= 3 and text[-1] == "/" and text[0] == text[-2] and text[0] in "\"'")


def _raw_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["", "x", "a%26b", "100%", "a b", "'x", "x'", "é", "a=b", "?"]),
        st.text(_ANY_CHAR, max_size=12),
    )


def param_values(name: str | None = None) -> st.SearchStrategy[Any]:
    """Values of the parameter ``name`` as the parser types them (spec §3): ``Filter`` for
    ``$filter``, ``Integer`` or ``RawValue`` for ``$top``, ``Word`` for ``$method``,
    ``RawValue`` for unknown names, ... Without ``name``, values of any parameter.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(param_values("$top"))
    ... def check(v):
    ...     assert isinstance(v, (Integer, RawValue))
    >>> check()
    """
    if name is None:
        return st.sampled_from(sorted(PARAMETERS) + ["$custom"]).flatmap(param_values)
    kind = value_kind(name)
    canonical = canonical_name(name)
    if kind is None:
        return _raw_texts().map(lambda t: RawValue(text=t))
    if kind == "int":
        integer = st.one_of(
            st.integers(-5, 10**6).map(lambda v: Integer(value=v)),
            st.integers(0, 999).map(lambda v: Integer(value=v, raw=f"00{v}")),
        )
        not_int = _raw_texts().filter(lambda t: not INTEGER.fullmatch(t))
        return st.one_of(integer, integer, not_int.map(lambda t: RawValue(text=t)))
    if kind == "bool":
        boolean = st.sampled_from(["true", "false", "TRUE", "False"]).map(
            lambda r: Boolean(value=r.lower() == "true", raw=r)
        )
        bad = (
            _raw_texts()
            .filter(lambda t: t.lower() not in ("true", "false"))
            .map(lambda t: RawValue(text=t))
        )
        return st.one_of(boolean, boolean, bad)
    if kind == "word":
        words = st.one_of(
            st.sampled_from(
                [
                    "delete",
                    "entityset",
                    "release",
                    "subentityset",
                    "update",
                    "validate",
                    "insert",
                    "$all",
                    "sum",
                    "average",
                    "JPEG",
                    "best",
                    ".png",
                    "image/gif",
                    "AND",
                    "intersect",
                    "looker",
                    "json",
                    "9718A30BF61343C796345F3BE5B01CE7",
                ]
            ),
            st.text(_ANY_CHAR, min_size=1, max_size=10),
        ).map(lambda w: Word(value=w))
        return st.one_of(words, words, words, st.just(RawValue(text="")))
    saved_true = st.sampled_from(["true", "TRUE", "True"]).map(lambda r: Boolean(value=True, raw=r))
    saved = canonical in ("$savedfilter", "$savedorderby")
    if kind == "filter":
        return st.one_of(filters(), saved_true) if saved else filters()
    if kind == "sort":
        return st.one_of(sort_lists(), saved_true) if saved else sort_lists()
    if kind == "attributes":
        return attribute_lists()
    if kind == "paths":
        return path_lists()
    return json_params()


def _name_spellings(canonical: str) -> st.SearchStrategy[str]:
    variants = [canonical, canonical.lower(), canonical.upper()]
    if canonical == "$atOnce":
        variants.append("$atonce")
    return st.sampled_from(variants)


def _unknown_names() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["$custom", "filter", "$operator", "$getfile", "?$timeout", "x y", "a?b"]),
        names().map(lambda n: "$" + n),
        st.text(_ANY_CHAR, min_size=1, max_size=8),
    ).filter(lambda n: canonical_name(n) is None)


def _unquoted_allowed(value: Any) -> bool:
    if isinstance(value, (RawValue, Word)):
        return _unquoted_ok(value.text if isinstance(value, RawValue) else value.value)
    if isinstance(value, Params) and not value.value_is_array:
        return not isinstance(value.items[0], str)
    return True


def _quotes_for(name: str, value: Any) -> st.SearchStrategy[str]:
    kind = value_kind(name)
    if kind in ("filter", "sort"):
        preferred = ['"', '"', "", "'"]
    elif kind == "json":
        preferred = ["'", "'", "", '"']
    else:
        preferred = ["", "", '"', "'"]
    if not _unquoted_allowed(value):
        preferred = [q for q in preferred if q]
    return st.sampled_from(preferred)


def _param_for(name: str) -> st.SearchStrategy[Param]:
    def with_value(value: Any) -> st.SearchStrategy[Param]:
        def build(quote: str, slash: bool) -> Param:
            return Param(name=name, value=value, quote=quote, trailing_slash=bool(quote) and slash)

        return st.builds(build, _quotes_for(name, value), st.sampled_from([False] * 5 + [True]))

    with_values = param_values(name).flatmap(with_value)
    return st.one_of(with_values, with_values, with_values, st.just(Param(name=name)))


def params(name: str | None = None) -> st.SearchStrategy[Param]:
    """``name=value`` query parameters for all 29 spellings of spec §3 (in any letter case),
    names without ``$`` and unknown names, with values typed as the parser types them, a
    consistent quote and sometimes the docs' stray ``/`` after a quoted value.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(params("$orderby"))
    ... def check(p):
    ...     assert p.value is None or isinstance(p.value, SortList)
    >>> check()
    """
    if name is not None:
        return _param_for(name)
    known = st.sampled_from(sorted(PARAMETERS)).flatmap(_name_spellings)
    return st.one_of(known, known, known, _unknown_names()).flatmap(_param_for)


# ---------------------------------------------------------------------------------------------
# Path segments and paths (spec §2)
# ---------------------------------------------------------------------------------------------


def _bare_key(text: str) -> bool:
    """Whether the path grammar reads ``text`` back as a bare text key (not a number)."""
    return bool(lexicon().pattern("url.BARE_KEY").fullmatch(text)) and not NUMBER.fullmatch(text)


def _is_name(text: str) -> bool:
    return bool(lexicon().pattern("query.NAME").fullmatch(text))


def _text_keys() -> st.SearchStrategy[Key]:
    bare = st.one_of(
        st.sampled_from(["IT0911AB2200", "Acme001", "a b", "x-1", "1.2.3", "é", "a:b", "$x"]),
        st.text(_ANY_CHAR, min_size=1, max_size=10),
    ).filter(_bare_key)
    quoted = st.text(_ANY_CHAR, max_size=10).filter(lambda t: '"' not in t)
    return st.one_of(
        bare.map(lambda t: Key(value=t)), quoted.map(lambda t: Key(value=t, quoted=True))
    )


def keys() -> st.SearchStrategy[Key]:
    """Entity keys and look-up values (spec §2.1): ``22``, ``-1.5``, ``IT0911AB2200``,
    ``"a/b (c)"``.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(keys())
    ... def check(key):
    ...     assert not (key.quoted and '"' in key.value)
    >>> check()
    """
    numbers = st.one_of(
        st.integers(-(10**9), 10**12), st.floats(allow_nan=False, allow_infinity=False)
    ).map(lambda v: Key(value=v))
    return st.one_of(numbers, _text_keys(), _text_keys())


def _names_segments() -> st.SearchStrategy[NamesSegment]:
    paths = st.lists(attribute_paths(indexed=False, max_parts=2), min_size=1, max_size=3)
    single = names().map(lambda n: NamesSegment(paths=(AttributePath(parts=(PathPart(name=n),)),)))
    return st.one_of(single, single, paths.map(lambda p: NamesSegment(paths=tuple(p))))


def _key_segments() -> st.SearchStrategy[KeySegment]:
    return st.builds(KeySegment, name=names(), key=keys(), brackets=st.booleans())


def _lookup_segments() -> st.SearchStrategy[LookupSegment]:
    return st.builds(LookupSegment, name=names(), attribute=names(), value=keys())


def _call_segments() -> st.SearchStrategy[CallSegment]:
    return st.builds(
        CallSegment, name=names(), args=st.lists(keys(), min_size=2, max_size=3).map(tuple)
    )


_HEX_ID = st.text("0123456789ABCDEF", min_size=32, max_size=32)


def _entity_set_segments() -> st.SearchStrategy[EntitySetSegment]:
    odd_ids = st.text(_ANY_CHAR, min_size=1, max_size=10).filter(
        lambda t: t[0] != "$" and not any(c in t for c in "[]/")
    )
    return st.builds(
        EntitySetSegment,
        id=st.one_of(_HEX_ID, _HEX_ID, odd_ids),
        key=st.one_of(st.none(), st.none(), keys()),
    )


# With an unknown keyword and a misspelt one, which R2 reports.
_PATH_KEYWORDS = [*PATH_KEYWORDS, "$getfile", "$Catalog"]


def segments() -> st.SearchStrategy[Segment]:
    """One path segment of any kind: ``$catalog``, ``firstName,lastName``, ``Company(1)``,
    ``Company[IT09]``, ``Company:code(A1)``, ``addEmployee(John,Smith)`` or an entity-set ID.
    An entity-set ID only parses right after ``$entityset``: use :func:`paths` for whole paths.

    >>> import restquery
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(segments())
    ... def check(seg):
    ...     assert restquery.unparse(seg)
    >>> check()
    """
    return st.one_of(
        st.sampled_from(_PATH_KEYWORDS).map(lambda k: KeywordSegment(keyword=k)),
        _names_segments(),
        _key_segments(),
        _lookup_segments(),
        _call_segments(),
        _entity_set_segments(),
    )


def _entity_set_tail() -> st.SearchStrategy[list[Segment]]:
    target = st.one_of(
        _entity_set_segments(), _entity_set_segments(), st.just(KeywordSegment(keyword="$release"))
    )
    return target.map(lambda t: [KeywordSegment(keyword="$entityset"), t])


def _dataclass_paths() -> st.SearchStrategy[list[Segment]]:
    head = st.one_of(
        _names_segments().filter(lambda s: s.name is not None),
        _key_segments(),
        _lookup_segments(),
    )
    middle = st.lists(
        st.one_of(_names_segments(), _names_segments(), _call_segments(), _key_segments()),
        max_size=2,
    )
    tail: st.SearchStrategy[list[Segment]] = st.one_of(st.just([]), st.just([]), _entity_set_tail())
    return st.builds(lambda h, m, t: [h, *m, *t], head, middle, tail)


def _name_segment(name: str) -> NamesSegment:
    return NamesSegment(paths=(AttributePath(parts=(PathPart(name=name),)),))


def _keyword_paths() -> st.SearchStrategy[list[Segment]]:
    kw = KeywordSegment
    catalog = st.one_of(
        st.just([kw(keyword="$catalog")]),
        st.just([kw(keyword="$catalog"), kw(keyword="$all")]),
        names().map(lambda n: [kw(keyword="$catalog"), _name_segment(n)]),
    )
    simple = st.sampled_from(["$info", "$upload", "$querypath", "$getWebForm", "$getfile"]).map(
        lambda k: [kw(keyword=k)]
    )
    directory = st.sampled_from(["login", "logout", "currentUser", "currentUserBelongsTo"]).map(
        lambda n: [kw(keyword="$directory"), _name_segment(n)]
    )
    singleton = st.builds(
        lambda c, f: [kw(keyword="$singleton"), _name_segment(c), _name_segment(f)],
        names(),
        names(),
    )
    return st.one_of(catalog, simple, directory, singleton)


def paths() -> st.SearchStrategy[Path]:
    """Whole paths (spec §2.4): ``/rest/Company(1)/name,address``,
    ``/rest/Employee/$entityset/9718…``, ``/rest/$catalog/$all``, ``/rest/$directory/login``,
    legacy forms, sometimes a trailing ``/`` or no ``/rest`` prefix.

    >>> import restquery
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(paths())
    ... def check(path):
    ...     assert restquery.parse(restquery.unparse(path) or "?").path == path
    >>> check()
    """
    segs: st.SearchStrategy[list[Segment]] = st.one_of(
        _dataclass_paths(), _dataclass_paths(), _keyword_paths(), st.just([])
    )

    def build(seg_list: list[Segment], prefix: bool, trailing: bool) -> Path:
        if not prefix and seg_list and getattr(seg_list[0], "name", None) == "rest":
            prefix = True  # without the prefix a first `rest` segment would read as it
        return Path(segments=tuple(seg_list), prefix=prefix, trailing_slash=trailing)

    return st.builds(
        build, segs, st.sampled_from([True] * 9 + [False]), st.sampled_from([False] * 3 + [True])
    )


# ---------------------------------------------------------------------------------------------
# Origins and whole requests (spec §1.1)
# ---------------------------------------------------------------------------------------------


def origins() -> st.SearchStrategy[Origin]:
    """What precedes ``/rest``: ``http://127.0.0.1:8081``, ``localhost:80``, ``example.com``,
    ``{{ApiEndpoint}}``.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(origins())
    ... def check(o):
    ...     assert o.placeholder or o.host
    >>> check()
    """
    host = st.one_of(
        st.sampled_from(["127.0.0.1", "localhost", "app.example.com", "[::1]", "127.0.01", "a-b"]),
        st.text(string.ascii_lowercase + string.digits + ".-", min_size=1, max_size=12),
    )
    server = st.builds(
        Origin,
        scheme=st.sampled_from([None, "http", "https"]),
        host=host,
        port=st.one_of(st.none(), st.integers(0, 65535)),
    )
    placeholder = st.sampled_from(["{{ApiEndpoint}}", "{{APIEndpoint}}", "{{}}"]).map(
        lambda p: Origin(placeholder=p)
    )
    return st.one_of(server, server, placeholder)


def requests(catalog: Any = None, *, max_params: int = 5) -> st.SearchStrategy[Request]:
    """Whole request trees: an optional origin, a path, up to ``max_params`` parameters and
    an optional HTTP method.

    Without ``catalog`` the trees are schema-free and cover the whole grammar (every path
    form, parameter spelling, value form, quote), valid or not: what ``parse`` can return.

    With ``catalog`` (a :class:`~restquery.Catalog`, a ``$catalog`` JSON document or a path to
    one) every name is one the catalog defines: exposed dataclasses, their attributes (through
    relations and into object attributes), functions on the target they apply to, singletons,
    keys of the primary key's type. The trees start from a valid request (:func:`urls`) and get
    up to ``max_params`` more parameters that name only catalog attributes, so the schema rules
    (RQ2xx) never fire while parameter rules (RQ3xx) may.

    >>> import restquery
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(requests())
    ... def check(req):
    ...     assert restquery.parse(restquery.unparse(req), method=req.method) == req
    >>> check()
    >>> cat = restquery.Catalog.from_json({"dataClasses": [{"name": "Employee",
    ...     "key": [{"name": "ID"}], "attributes": [
    ...         {"name": "ID", "kind": "storage", "type": "long"},
    ...         {"name": "lastName", "kind": "storage", "type": "string"},
    ...         {"name": "salary", "kind": "storage", "type": "number"}]}]})
    >>> @settings(max_examples=5)
    ... @given(requests(cat))
    ... def check_schema(req):
    ...     codes = [d.code for d in restquery.validate(req, catalog=cat)]
    ...     assert not [c for c in codes if c.startswith("RQ2")], codes
    >>> check_schema()
    """
    if catalog is None:
        return st.builds(
            Request,
            path=paths(),
            params=st.lists(params(), max_size=max_params).map(tuple),
            origin=st.one_of(st.none(), st.none(), origins()),
            method=st.one_of(st.none(), st.sampled_from(METHODS)),
        )
    return _catalog_requests(_schema(catalog), max_params)


# ---------------------------------------------------------------------------------------------
# Schema views: the names a valid request may use, from a catalog or schema-free
# ---------------------------------------------------------------------------------------------

#: Attribute type classes that hold one comparable value (filters, sorts, look-ups).
_SCALAR_CLASSES = frozenset({"numeric", "string", "date", "boolean", "uuid"})
#: Property names drawn below ``object`` attributes (the catalog does not list them).
_PROPERTIES = ("city", "property1", "zipCode", "level")
#: ``$compute`` values each attribute type class supports (spec §3.9, R18).
_COMPUTE_BY_CLASS: dict[str, tuple[str, ...]] = {
    "numeric": ("$all", "average", "count", "min", "max", "sum"),
    "string": ("count", "min", "max"),
    "uuid": ("count", "min", "max"),
    "date": ("count", "min", "max"),
    "boolean": ("count",),
    "object": ("$all", "average", "count", "min", "max", "sum"),  # a property below an object
    "any": ("$all", "average", "count", "min", "max", "sum"),
}
_IMAGE_FORMATS = ("best", "GIF", "PNG", "JPEG", "TIFF", "png", ".png", "image/png", "image/jpeg")

#: A typed attribute path: the names from the dataclass, and the type class at its end
#: (``"any"`` when unknown).
_Typed = tuple[tuple[str, ...], str]


def _safe_name(name: str) -> bool:
    """A catalog name the generators may print as is (an identifier that is no keyword)."""
    return _is_name(name) and not _is_keyword(name)


class _View:
    """What one dataclass offers to the generators. A ``None`` field means schema-free: any
    name drawn by :func:`names` (the checker cannot tell a wrong one without a catalog)."""

    __slots__ = (
        "blobs",
        "class_functions",
        "entity_functions",
        "filterable",
        "key",
        "known",
        "lookups",
        "name",
        "non_storage",
        "pictures",
        "sortable",
        "storage",
        "to_many",
        "to_one",
    )

    def __init__(
        self,
        name: str,
        *,
        key: str = "any",
        filterable: tuple[_Typed, ...] | None = None,
        sortable: tuple[_Typed, ...] | None = None,
        storage: tuple[_Typed, ...] | None = None,
        lookups: tuple[_Typed, ...] | None = None,
        pictures: tuple[str, ...] | None = None,
        blobs: tuple[str, ...] | None = None,
        to_one: tuple[tuple[str, str], ...] | None = None,
        to_many: tuple[tuple[str, str], ...] | None = None,
        class_functions: tuple[tuple[str, bool], ...] | None = None,
        entity_functions: tuple[tuple[str, bool], ...] | None = None,
        non_storage: tuple[str, ...] = (),
        known: frozenset[str] = frozenset(),
    ) -> None:
        self.name = name
        self.key = key
        self.filterable = filterable
        self.sortable = sortable
        self.storage = storage
        self.lookups = lookups
        self.pictures = pictures
        self.blobs = blobs
        self.to_one = to_one
        self.to_many = to_many
        self.class_functions = class_functions
        self.entity_functions = entity_functions
        self.non_storage = non_storage
        self.known = known

    @property
    def free(self) -> bool:
        """True for a schema-free view."""
        return self.filterable is None

    def __repr__(self) -> str:
        return f"_View({self.name!r}{', schema-free' if self.free else ''})"


class _Schema:
    """Every view of a catalog, its datastore functions and singletons (or schema-free)."""

    def __init__(self, catalog: Catalog | None) -> None:
        self.catalog = catalog
        self.views: tuple[_View, ...] = ()
        self.datastore_functions: tuple[tuple[str, bool], ...] | None = None
        self.singletons: tuple[tuple[str, str, bool], ...] | None = None
        self.dataclass_names: frozenset[str] = frozenset()
        if catalog is not None:
            self.views = tuple(_views(catalog))
            self.dataclass_names = frozenset(catalog.dataclasses)
            self.datastore_functions = tuple(
                (f.name, f.allowed_on_http_get)
                for f in catalog.functions
                if f.exposed and _safe_name(f.name) and catalog.dataclass(f.name) is None
            )
            self.singletons = tuple(
                (s.name, f.name, f.allowed_on_http_get)
                for s in catalog.singletons.values()
                if _safe_name(s.name)
                for f in s.functions
                if f.exposed and _safe_name(f.name)
            )

    @property
    def free(self) -> bool:
        return self.catalog is None

    def has(self, need: Callable[[_View], bool]) -> bool:
        """Whether some dataclass satisfies ``need`` (always, schema-free)."""
        return self.free or any(need(v) for v in self.views)

    def view(self, need: Callable[[_View], bool] | None = None) -> st.SearchStrategy[_View]:
        """A dataclass view; with a catalog, one that satisfies ``need``."""
        if self.free:
            return names().map(_View)
        chosen = [v for v in self.views if need is None or need(v)]
        if not chosen:
            raise InvalidArgument("the catalog has no dataclass these requests need")
        return st.sampled_from(chosen)

    def target(self, name: str) -> _View | None:
        for v in self.views:
            if v.name == name:
                return v
        return None


def _views(cat: Catalog) -> list[_View]:
    out = []
    for dc in cat.dataclasses.values():
        if not dc.exposed or not _safe_name(dc.name):
            continue
        if not dc.attributes_known:  # a short $catalog: attribute names cannot be checked
            out.append(_View(dc.name))
            continue
        functions = [f for f in dc.functions if f.exposed and _safe_name(f.name)]
        shadowed = {f.name for f in dc.functions}
        attrs = [
            a
            for a in dc.attributes.values()
            if a.exposed and _safe_name(a.name) and a.name not in shadowed
        ]

        def resolves(names: tuple[str, ...], dc: Any = dc) -> bool:
            return cat.resolve_path(dc, names).ok

        def scalar(a: Any) -> bool:
            return not a.is_relation and a.type_class in _SCALAR_CLASSES

        plain = [((a.name,), a.type_class) for a in attrs if scalar(a) and a.kind != "calculated"]
        storage = [((a.name,), a.type_class) for a in attrs if scalar(a) and a.kind == "storage"]
        objects = [
            ((a.name, p), "object")
            for a in attrs
            if a.is_object and a.kind == "storage"
            for p in _PROPERTIES[:2]
        ]
        to_one: list[tuple[str, str]] = []
        to_many: list[tuple[str, str]] = []
        hops_one: list[_Typed] = []
        hops_many: list[_Typed] = []
        for a in attrs:
            if not a.is_relation:
                continue
            target = cat.relation_target(dc, a)
            if target is None or not target.exposed or not _safe_name(target.name):
                continue
            (to_one if a.is_related_entity else to_many).append((a.name, target.name))
            target_shadowed = {f.name for f in target.functions}
            for b in target.attributes.values():
                if (
                    b.exposed
                    and _safe_name(b.name)
                    and b.name not in target_shadowed
                    and scalar(b)
                    and b.kind == "storage"
                ):
                    (hops_one if a.is_related_entity else hops_many).append(
                        ((a.name, b.name), b.type_class)
                    )
        sortable = tuple(p for p in plain + objects + hops_one if resolves(p[0]))
        filterable = tuple(p for p in plain + objects + hops_one + hops_many if resolves(p[0]))
        pk = dc.primary_key
        key = "any"
        if pk is not None and pk.type_class in ("numeric", "string", "uuid"):
            key = pk.type_class
        out.append(
            _View(
                dc.name,
                key=key if len(dc.key) == 1 else "none",
                filterable=filterable,
                sortable=sortable,
                storage=tuple(storage) + tuple(o for o in objects if resolves(o[0])),
                lookups=tuple(p for p in storage if p[1] in ("string", "numeric")),
                pictures=tuple(a.name for a in attrs if a.is_picture and a.kind == "storage"),
                blobs=tuple(a.name for a in attrs if a.is_blob and a.kind == "storage"),
                to_one=tuple(to_one),
                to_many=tuple(to_many),
                class_functions=tuple(
                    (f.name, f.allowed_on_http_get)
                    for f in functions
                    if f.apply_to in ("dataClass", "entitySelection")
                ),
                entity_functions=tuple(
                    (f.name, f.allowed_on_http_get) for f in functions if f.apply_to == "entity"
                ),
                non_storage=tuple(
                    a.name for a in attrs if a.kind in ("calculated", "alias") or a.is_relation
                ),
                known=frozenset(dc.attributes) | {f.name for f in dc.functions},
            )
        )
    return out


def _schema(catalog: Any) -> _Schema:
    """The schema view of ``catalog`` (a Catalog, a JSON document or a path; None: free)."""
    if catalog is None:
        return _Schema(None)
    from restquery.catalog import catalog_argument

    return _Schema(catalog_argument(catalog))


def _names_of(options: tuple[str, ...] | None) -> st.SearchStrategy[str]:
    return names() if options is None else st.sampled_from(options)


def _typed_of(options: tuple[_Typed, ...] | None, max_parts: int = 2) -> st.SearchStrategy[_Typed]:
    if options is None:
        return st.lists(names(), min_size=1, max_size=max_parts).map(lambda n: (tuple(n), "any"))
    return st.sampled_from(options)


def _apath(names_: tuple[str, ...]) -> AttributePath:
    return AttributePath(parts=tuple(PathPart(name=n) for n in names_))


def _names_seg(*names_: str) -> NamesSegment:
    return NamesSegment(paths=tuple(_apath((n,)) for n in names_))


def _dotted_seg(names_: tuple[str, ...]) -> NamesSegment:
    return NamesSegment(paths=(_apath(names_),))


def _kw(keyword: str) -> KeywordSegment:
    return KeywordSegment(keyword=keyword)


def _param(name: str, value: Any = None, quote: str = "") -> Param:
    return Param(name=name, value=value, quote=quote)


def _true(name: str) -> Param:
    return Param(name=name, value=Boolean(value=True, raw="true"))


def _int_param(name: str, value: int) -> Param:
    return Param(name=name, value=Integer(value=value))


def _word(name: str, value: str) -> Param:
    return Param(name=name, value=Word(value=value))


def _request(
    segments: Sequence[Any],
    params_: Sequence[Param] = (),
    *,
    trailing: bool = False,
) -> Request:
    return Request(
        path=Path(segments=tuple(segments), trailing_slash=trailing), params=tuple(params_)
    )


# ---------------------------------------------------------------------------------------------
# Clean pieces: values a validating server accepts without a warning
# ---------------------------------------------------------------------------------------------

_ENTITY_SET_IDS = st.text("0123456789ABCDEF", min_size=32, max_size=32)


@functools.cache
def _rest_comparators(words: bool) -> tuple[str, ...]:
    """The REST ``$filter`` page's comparators (spec §4.2): its symbols, and BEGIN if ``words``."""
    from restquery.rules.r41_query_syntax import REST_COMPARATORS as REST

    return tuple(c for c in lexicon().comparators if c in REST and (words or not c.isalpha()))
# Texts of valid URLs hold no `&`: written raw inside the quoted $params it draws RQ112.
_VALID_CHAR = _ANY_CHAR.filter(lambda c: c != "&")

_JSON_SCALAR_VALUES = st.one_of(
    st.text(_VALID_CHAR, max_size=8),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.none(),
)


# Constructive counterparts of texts() and keys() for valid URLs: drawn from alphabets that
# already satisfy the grammar's terminals, so (almost) nothing is rejected. The regular
# expressions stay as a safety net.
_UNPRINTABLE: Any = ("Cc", "Cs", "Zl", "Zp", "Zs")
_WORDISH = st.one_of(
    st.sampled_from(string.ascii_letters + string.digits + "@.-_+%!#$~éß名😀"),
    st.characters(exclude_categories=_UNPRINTABLE, exclude_characters="*'\"()&|:[]\\,/?=%"),
)


def _bare_clean(first_excluded: str) -> st.SearchStrategy[str]:
    return st.builds(
        str.__add__,
        _WORDISH.filter(lambda c: c not in first_excluded),
        st.text(_WORDISH, max_size=9),
    )


def _clean_texts() -> st.SearchStrategy[Text]:
    """Filter texts with no ``*`` (RQ350), bare or single-quoted."""
    bare = (
        _bare_clean("'")
        .filter(lambda t: bool(lexicon().pattern("query.BARE").fullmatch(t)))
        .filter(lambda t: not _typed_token(t))
        .map(lambda v: Text(value=v))
    )
    # No `&`: written raw inside the quoted filter it draws RQ112 (other parsers split there).
    quoted = st.text(
        st.one_of(st.sampled_from(" ()|:[],@%?/#=<>!$.-+éß名"), _WORDISH), max_size=12
    ).map(lambda v: Text(value=v, quoted=True))
    return st.one_of(bare, quoted)


def _clean_text_keys() -> st.SearchStrategy[Key]:
    """Non-empty text keys, bare or double-quoted."""
    bare = (
        _bare_clean("")
        .filter(_bare_key)
        .map(lambda t: Key(value=t))
    )
    quoted = st.builds(
        str.__add__,
        _WORDISH,
        st.text(st.one_of(_WORDISH, st.sampled_from(" ,()[]/?&")), max_size=9),
    ).map(lambda t: Key(value=t, quoted=True))
    return st.one_of(bare, quoted)


def _clean_values(type_class: str) -> st.SearchStrategy[Value]:
    numbers: st.SearchStrategy[Value] = st.one_of(
        st.integers(-(10**9), 10**9), st.floats(allow_nan=False, allow_infinity=False)
    ).map(lambda v: Number(value=v))
    dates: st.SearchStrategy[Value] = st.dates().map(lambda d: Date(value=d))
    booleans: st.SearchStrategy[Value] = st.booleans().map(lambda b: Boolean(value=b))
    text: st.SearchStrategy[Value] = _clean_texts()
    by_class: dict[str, st.SearchStrategy[Value]] = {
        "numeric": numbers,
        "string": text,
        "uuid": text,
        "date": dates,
        "boolean": booleans,
    }
    typed = by_class.get(type_class, st.one_of(numbers, dates, booleans, text, text))
    return st.one_of(typed, typed, typed, st.just(Null()))


_SENTINEL = Placeholder(index=0)


@st.composite
def _clean_comparisons(draw: st.DrawFn, view: _View, placeholders: bool) -> Comparison:
    names_, type_class = draw(_typed_of(view.filterable))
    op = draw(st.sampled_from(_rest_comparators(type_class in ("string", "any"))))
    if placeholders and draw(st.integers(0, 3)) == 0:
        value: Value = _SENTINEL
    else:
        value = draw(_clean_values(type_class))
    return Comparison(left=_apath(names_), op=op, right=value)


@st.composite
def _clean_expressions(draw: st.DrawFn, view: _View, depth: int, placeholders: bool) -> Expr:
    if depth <= 0 or draw(st.integers(0, 2)) == 0:
        return draw(_clean_comparisons(view, placeholders))
    op = draw(st.sampled_from(("AND", "AND", "OR", "EXCEPT")))
    count = draw(st.integers(2, 3))
    operands = []
    for _ in range(count):
        operand = draw(_clean_expressions(view, depth - 1, placeholders))
        if isinstance(operand, BoolOp):  # parenthesise every group: no RQ351, no doubt
            operand = _with_parens(operand, 1)
        operands.append(operand)
    return BoolOp(op=op, operands=tuple(operands))


def _number_placeholders(expr: Expr, counter: list[int]) -> Expr:
    """Replace each sentinel placeholder by ``:1``, ``:2``, ... in reading order."""
    if isinstance(expr, Comparison):
        if expr.right is _SENTINEL:
            counter[0] += 1
            return Comparison(
                left=expr.left, op=expr.op, right=Placeholder(index=counter[0]), parens=expr.parens
            )
        return expr
    if isinstance(expr, BoolOp):
        return BoolOp(
            op=expr.op,
            operands=tuple(_number_placeholders(o, counter) for o in expr.operands),
            parens=expr.parens,
        )
    return expr


def _clean_filters(
    view: _View, *, max_depth: int = 2, placeholders: bool = True
) -> st.SearchStrategy[tuple[Filter, int]]:
    """Warning-free filters on ``view`` and the number of ``:n`` placeholders they use."""

    def finish(expr: Expr) -> tuple[Filter, int]:
        counter = [0]
        numbered = _number_placeholders(expr, counter)
        return Filter(expr=numbered), counter[0]

    return _clean_expressions(view, max_depth, placeholders).map(finish)


def _clean_sort_lists(view: _View) -> st.SearchStrategy[SortList]:
    item = st.builds(
        lambda typed, direction: SortItem(path=_apath(typed[0]), direction=direction),
        _typed_of(view.sortable),
        st.sampled_from([None, "ASC", "DESC"]),
    )
    return st.lists(item, min_size=1, max_size=3).map(lambda i: SortList(items=tuple(i)))


def _clean_attribute_lists(view: _View) -> st.SearchStrategy[AttributeList]:
    paths_ = _typed_of(view.filterable).map(lambda t: AttributeItem(path=_apath(t[0])))
    relations = _names_of(
        None if view.to_one is None else tuple(n for n, _ in view.to_one + (view.to_many or ()))
    )
    if view.to_one is not None and not (view.to_one or view.to_many):
        starred: st.SearchStrategy[AttributeItem] = paths_
    else:
        starred = relations.map(lambda n: AttributeItem(path=_apath((n,)), star=True))
    if view.filterable is not None and not view.filterable:
        item = starred
    else:
        item = st.one_of(paths_, paths_, paths_, starred)
    listed = st.lists(item, min_size=1, max_size=4).map(lambda i: AttributeList(items=tuple(i)))
    return st.one_of(st.just(AttributeList(items=(AttributeItem(star=True),))), listed, listed)


def _clean_json_params(count: int) -> st.SearchStrategy[Params]:
    return st.lists(_JSON_SCALAR_VALUES, min_size=count, max_size=count).map(
        lambda items: Params(items=tuple(items))
    )


def _function_args() -> st.SearchStrategy[Params]:
    data = _json_data(chars=_VALID_CHAR).filter(lambda d: not _mentions_vector(d))
    return st.lists(data, max_size=3).map(lambda items: Params(items=tuple(items)))


def _mentions_vector(data: Any) -> bool:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if any("vector" in str(k).lower() for k in item):
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _clean_keys(key_type: str) -> st.SearchStrategy[Key]:
    numbers = st.integers(0, 10**9)
    if key_type == "numeric":
        return st.one_of(
            numbers.map(lambda v: Key(value=v)),
            numbers.map(lambda v: Key(value=str(v), quoted=True)),
        )
    if key_type == "uuid":
        return st.text("0123456789ABCDEF", min_size=32, max_size=32).map(
            lambda v: Key(value=v, quoted=True)
        )
    texts_ = _clean_text_keys()
    if key_type == "string":
        return texts_
    return st.one_of(numbers.map(lambda v: Key(value=v)), texts_)


def _lookup_keys(type_class: str) -> st.SearchStrategy[Key]:
    return _clean_keys("numeric" if type_class == "numeric" else "string")


@st.composite
def _entity_segment(draw: st.DrawFn, view: _View) -> Segment:
    """One entity: ``D(key)``, ``D[key]`` or ``D:attribute(value)``."""
    lookups = view.lookups
    if view.key == "none" or (lookups is not None and lookups and draw(st.integers(0, 3)) == 0):
        if lookups is not None and not lookups:  # pragma: no cover - filtered by _ENTITY_NEED
            raise InvalidArgument(f"{view.name} has no key and no look-up attribute")
        names_, type_class = draw(_typed_of(lookups, max_parts=1))
        return LookupSegment(
            name=view.name, attribute=names_[0], value=draw(_lookup_keys(type_class))
        )
    if view.free and draw(st.integers(0, 4)) == 0:
        return LookupSegment(
            name=view.name, attribute=draw(names()), value=draw(_clean_keys("any"))
        )
    return KeySegment(name=view.name, key=draw(_clean_keys(view.key)), brackets=draw(st.booleans()))


def _any(view: _View) -> bool:
    return True


def _has_entity(view: _View) -> bool:
    return view.free or view.key != "none" or bool(view.lookups)


# ---------------------------------------------------------------------------------------------
# Valid requests, one documented form at a time (spec §2.4, §3)
# ---------------------------------------------------------------------------------------------


@st.composite
def _read_params(
    draw: st.DrawFn,
    view: _View,
    *,
    entity_set: bool = False,
    create: bool | None = None,
    want_filter: bool | None = None,
) -> list[Param]:
    """Parameters of a collection read (P1, P5, P9, P10), warning-free together."""
    out: list[Param] = []
    has_filter = draw(st.booleans()) if want_filter is None else want_filter
    flt: Filter | None = None
    if has_filter and not (view.filterable is not None and not view.filterable):
        flt, count = draw(_clean_filters(view))
        out.append(_param("$filter", flt, draw(st.sampled_from(['"', '"', '"', "'", ""]))))
        if count:
            out.append(_param("$params", draw(_clean_json_params(count)), "'"))
    sort: SortList | None = None
    if draw(st.booleans()) and not (view.sortable is not None and not view.sortable):
        sort = draw(_clean_sort_lists(view))
        out.append(_param("$orderby", sort, draw(st.sampled_from(['"', '"', "'", ""]))))
    if create is None:
        create = draw(st.integers(0, 3)) == 0
    if create:
        out.append(_word("$method", "entityset"))
        if draw(st.booleans()):
            out.append(_int_param("$timeout", draw(st.integers(1, 86_400))))
        if flt is not None and draw(st.booleans()):
            out.append(_param("$savedfilter", flt, '"'))
        if sort is not None and draw(st.booleans()):
            out.append(_param("$savedorderby", sort, '"'))
    else:
        top = draw(st.sampled_from([None, "$top", "$limit"]))
        if top is not None:
            out.append(_int_param(top, draw(st.integers(0, 10_000))))
        if draw(st.booleans()):
            out.append(_int_param("$skip", draw(st.integers(0, 10_000))))
    if draw(st.booleans()):
        out.append(_param("$attributes", draw(_clean_attribute_lists(view))))
    as_array = draw(st.integers(0, 3)) == 0
    if as_array:
        out.append(_true("$asArray"))
    if draw(st.integers(0, 3)) == 0:
        out.append(
            _word("$format", "json" if as_array else draw(st.sampled_from(["json", "looker"])))
        )
    if flt is not None:
        for name in ("$querypath", "$queryplan"):
            if draw(st.integers(0, 4)) == 0:
                out.append(_true(name))
    return out


@st.composite
def _sc_read(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """P1, P5, P9, P10: a dataclass, its attribute list, an entity set; collection parameters."""
    view = draw(schema.view())
    segs: list[Segment] = [_names_seg(view.name)]
    if draw(st.integers(0, 3)) == 0 and not (view.sortable is not None and len(view.sortable) < 2):
        pool = view.sortable
        if pool is None:
            picked = draw(st.lists(names(), min_size=2, max_size=3, unique=True))
            segs.append(NamesSegment(paths=tuple(_apath((n,)) for n in picked)))
        else:
            chosen = draw(st.lists(st.sampled_from(pool), min_size=2, max_size=3, unique=True))
            segs.append(NamesSegment(paths=tuple(_apath(t[0]) for t in chosen)))
    entity_set = draw(st.integers(0, 3)) == 0
    if entity_set:
        segs += [_kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    create = False if method not in (None, "GET") else None
    params_ = draw(_read_params(view, entity_set=entity_set, create=create))
    trailing = not entity_set and draw(st.integers(0, 3)) == 0
    return _request(segs, draw(st.permutations(params_)), trailing=trailing)


@st.composite
def _sc_entity(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """P2, P3, P4, P6: one entity, maybe an attribute list after it; ``$attributes``, ``$lock``."""
    view = draw(schema.view(_has_entity))
    segs: list[Segment] = [draw(_entity_segment(view))]
    out: list[Param] = []
    projected = draw(st.integers(0, 3)) == 0 and (view.sortable is None or len(view.sortable) >= 2)
    if projected:
        if view.sortable is None:
            picked = draw(st.lists(names(), min_size=2, max_size=3, unique=True))
            segs.append(NamesSegment(paths=tuple(_apath((n,)) for n in picked)))
        else:
            chosen = draw(
                st.lists(st.sampled_from(view.sortable), min_size=2, max_size=3, unique=True)
            )
            segs.append(NamesSegment(paths=tuple(_apath(t[0]) for t in chosen)))
    elif draw(st.booleans()):
        out.append(_param("$lock", Boolean(value=draw(st.booleans()))))
    if draw(st.booleans()):
        out.append(_param("$attributes", draw(_clean_attribute_lists(view))))
    return _request(segs, draw(st.permutations(out)), trailing=draw(st.booleans()))


@st.composite
def _sc_attribute(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """P8: one entity's attribute, maybe with the deferred ``$expand`` of a relation."""
    view = draw(schema.view(lambda v: _has_entity(v) and bool(v.storage or v.to_one or v.to_many)))
    entity = draw(_entity_segment(view))
    if view.free:
        name = draw(names())
        expand = draw(st.booleans())
    else:
        relations = tuple(n for n, _ in (view.to_one or ()) + (view.to_many or ()))
        scalars = tuple(t[0][0] for t in view.storage or () if len(t[0]) == 1)
        name = draw(st.sampled_from(relations + scalars))
        expand = name in relations and draw(st.booleans())
    params_ = [_param("$expand", PathList(paths=(_apath((name,)),)))] if expand else []
    return _request([entity, _names_seg(name)], params_, trailing=draw(st.booleans()))


def _binary_need(v: _View) -> bool:
    return bool(v.blobs or v.pictures)


@st.composite
def _sc_binary(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``$binary=true&$expand=attr`` on one entity's BLOB or picture, or on a collection with
    ``$filter`` and ``$orderby`` (the seed document, spec R15)."""
    view = draw(schema.view(lambda v: _binary_need(v) and _has_entity(v)))
    attr = draw(_names_of(None if view.free else (view.blobs or ()) + (view.pictures or ())))
    binary = [_true("$binary"), _param("$expand", PathList(paths=(_apath((attr,)),)))]
    if draw(st.booleans()):
        segs: list[Segment] = [draw(_entity_segment(view)), _names_seg(attr)]
        return _request(segs, draw(st.permutations(binary)))
    extra: list[Param] = []
    if draw(st.booleans()) and view.filterable != ():
        flt, _count = draw(_clean_filters(view, placeholders=False))
        extra.append(_param("$filter", flt, '"'))
    if draw(st.booleans()) and view.sortable != ():
        extra.append(_param("$orderby", draw(_clean_sort_lists(view)), '"'))
    return _request([_names_seg(view.name)], draw(st.permutations(extra + binary)))


@st.composite
def _sc_image(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``$imageformat`` and/or ``$version`` on one entity's picture, named in ``$expand``."""
    view = draw(schema.view(lambda v: bool(v.pictures) and _has_entity(v)))
    attr = draw(_names_of(view.pictures))
    which = draw(st.sampled_from(["format", "version", "both"]))
    out = [_param("$expand", PathList(paths=(_apath((attr,)),)))]
    if which != "version":
        out.append(_word("$imageformat", draw(st.sampled_from(_IMAGE_FORMATS))))
    if which != "format":
        out.append(_int_param("$version", draw(st.integers(0, 1000))))
    segs = [draw(_entity_segment(view)), _names_seg(attr)]
    return _request(segs, draw(st.permutations(out)))


@st.composite
def _sc_compute(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """P7 with ``$compute`` (a value the attribute's type supports) or ``$distinct=true``."""
    view = draw(schema.view(lambda v: bool(v.storage)))
    names_, type_class = draw(_typed_of(view.storage))
    out: list[Param] = []
    if draw(st.booleans()):
        out.append(_word("$compute", draw(st.sampled_from(_COMPUTE_BY_CLASS[type_class]))))
    else:
        out.append(_true("$distinct"))
    if draw(st.booleans()) and view.filterable != ():
        flt, count = draw(_clean_filters(view))
        out.append(_param("$filter", flt, '"'))
        if count:
            out.append(_param("$params", draw(_clean_json_params(count)), "'"))
    segs = [_names_seg(view.name), _dotted_seg(names_)]
    return _request(segs, draw(st.permutations(out)), trailing=draw(st.booleans()))


@st.composite
def _sc_subentityset(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``D(key)/relation?$expand=relation&$method=subentityset[&$subOrderby=...]`` (1→N)."""
    view = draw(schema.view(lambda v: bool(v.to_many) and _has_entity(v)))
    if view.free:
        relation, target = draw(names()), _View("")
    else:
        assert view.to_many
        relation, target_name = draw(st.sampled_from(view.to_many))
        target = schema.target(target_name) or _View(target_name)
    out = [
        _param("$expand", PathList(paths=(_apath((relation,)),))),
        _word("$method", "subentityset"),
    ]
    if draw(st.booleans()) and target.sortable != ():
        out.append(_param("$subOrderby", draw(_clean_sort_lists(target))))
    segs = [draw(_entity_segment(view)), _names_seg(relation)]
    return _request(segs, draw(st.permutations(out)))


@st.composite
def _sc_entity_set_ops(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``$logicOperator`` with ``$otherCollection``, or ``$clean=true&$method=entityset``,
    on ``D/$entityset/ID`` (spec §3.21–§3.23)."""
    view = draw(schema.view())
    segs = [_names_seg(view.name), _kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    if draw(st.booleans()):
        op = draw(st.sampled_from(["AND", "OR", "EXCEPT", "INTERSECT", "and", "intersect"]))
        out = [_word("$logicOperator", op), _word("$otherCollection", draw(_ENTITY_SET_IDS))]
        if op.upper() != "INTERSECT" and draw(st.booleans()):
            out.append(_word("$method", "entityset"))
    else:
        out = [_true("$clean"), _word("$method", "entityset")]
    return _request(segs, draw(st.permutations(out)))


@st.composite
def _sc_release(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``POST D/$entityset/$release`` (4D 21 R4)."""
    view = draw(schema.view())
    return _request([_names_seg(view.name), _kw("$entityset"), _kw("$release")])


@st.composite
def _sc_update(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``POST D?$method=update[&$atomic=true]`` (PUT and PATCH: Qodly's forms)."""
    view = draw(schema.view())
    out = [_word("$method", "update")]
    flag = draw(st.sampled_from([None, "$atomic", "$atOnce"]))
    if flag is not None:
        out.append(_true(flag))
    return _request(
        [_names_seg(view.name)], draw(st.permutations(out)), trailing=draw(st.booleans())
    )


@st.composite
def _sc_delete(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``$method=delete`` on one entity, a filtered dataclass or an entity set (POST; the
    DELETE verb may leave ``$method`` out)."""
    view = draw(schema.view())
    kind = draw(st.sampled_from(["entity", "filter", "entityset"]))
    if kind == "entity" and not _has_entity(view):
        kind = "entityset"
    if kind == "filter" and view.filterable == ():
        kind = "entityset"
    out: list[Param] = []
    if method != "DELETE" or draw(st.booleans()):
        out.append(_word("$method", "delete"))
    if kind == "entity":
        segs: list[Segment] = [draw(_entity_segment(view))]
    elif kind == "filter":
        segs = [_names_seg(view.name)]
        flt, count = draw(_clean_filters(view))
        out.append(_param("$filter", flt, '"'))
        if count:
            out.append(_param("$params", draw(_clean_json_params(count)), "'"))
    else:
        segs = [
            _names_seg(view.name),
            _kw("$entityset"),
            EntitySetSegment(id=draw(_ENTITY_SET_IDS)),
        ]
    return _request(
        segs, draw(st.permutations(out)), trailing=kind == "entity" and draw(st.booleans())
    )


def _functions(schema: _Schema, get: bool) -> list[str]:
    """The kinds of function call the schema offers (with GET: only GET-callable ones)."""
    if schema.free:
        return ["class", "entity", "datastore", "singleton"]
    kinds = []
    if any(ok or not get for v in schema.views for _, ok in v.class_functions or ()):
        kinds.append("class")
    if any(
        (ok or not get) and _has_entity(v)
        for v in schema.views
        for _, ok in v.entity_functions or ()
    ):
        kinds.append("entity")
    if any(ok or not get for _, ok in schema.datastore_functions or ()):
        kinds.append("datastore")
    if any(ok or not get for _, _, ok in schema.singletons or ()):
        kinds.append("singleton")
    return kinds


@st.composite
def _sc_function(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """P12, P14, P18, P19: a dataclass, entity, datastore or singleton function, with its
    arguments in ``$params``; with GET only functions the catalog allows on GET."""
    get = method == "GET"
    kind = draw(st.sampled_from(_functions(schema, get)))

    def callable_(fns: tuple[tuple[str, bool], ...] | None) -> tuple[str, ...] | None:
        if fns is None:
            return None
        return tuple(n for n, ok in fns if ok or not get)

    if kind == "class":
        view = draw(schema.view(lambda v: bool(callable_(v.class_functions))))
        segs: list[Segment] = [
            _names_seg(view.name),
            _names_seg(draw(_names_of(callable_(view.class_functions)))),
        ]
    elif kind == "entity":
        view = draw(schema.view(lambda v: bool(callable_(v.entity_functions)) and _has_entity(v)))
        fn = draw(_names_of(callable_(view.entity_functions)))
        segs = [draw(_entity_segment(view)), _names_seg(fn)]
    elif kind == "datastore":
        fn = draw(_names_of(callable_(schema.datastore_functions)))
        if schema.free:
            assume(fn != "$all")
        segs = [_kw("$catalog"), _names_seg(fn)]
    else:
        if schema.singletons is None:
            single, fn = draw(names()), draw(names())
        else:
            single, fn, _ = draw(st.sampled_from([s for s in schema.singletons if s[2] or not get]))
        segs = [_kw("$singleton"), _names_seg(single), _names_seg(fn)]
    out = [_param("$params", draw(_function_args()), "'")] if draw(st.booleans()) else []
    return _request(segs, out)


@st.composite
def _sc_descriptive(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``$catalog``, ``$catalog/$all``, ``$catalog/{dataClass}``, ``$info``, ``$querypath``,
    ``$getWebForm``."""
    kinds = ["catalog", "all", "info", "webform", "querypath"]
    kinds += ["dataclass"] if schema.has(_any) else []
    kind = draw(st.sampled_from(kinds))
    if kind == "catalog":
        return _request([_kw("$catalog")])
    if kind == "all":
        return _request([_kw("$catalog"), _kw("$all")])
    if kind == "dataclass":
        view = draw(schema.view())
        return _request([_kw("$catalog"), _names_seg(view.name)])
    if kind == "info":
        return _request([_kw("$info")])
    if kind == "querypath":
        return _request([_kw("$querypath")])
    return _request([_kw("$getWebForm")])


def _sc_login(schema: _Schema, method: str | None) -> st.SearchStrategy[Request]:
    """``POST $directory/login``."""
    return st.just(_request([_kw("$directory"), _names_seg("login")]))


@st.composite
def _sc_upload(draw: st.DrawFn, schema: _Schema, method: str | None) -> Request:
    """``POST $upload?$rawPict=true`` or ``?$binary=true``, maybe with ``$timeout``."""
    out = [_true(draw(st.sampled_from(["$rawPict", "$binary"])))]
    if draw(st.booleans()):
        out.append(_int_param("$timeout", draw(st.integers(1, 3600))))
    return _request([_kw("$upload")], draw(st.permutations(out)))


_Scenario = Callable[[_Schema, "str | None"], st.SearchStrategy[Request]]

#: name -> (strategy, verbs it is valid with, availability in a schema).
_SCENARIOS: dict[str, tuple[_Scenario, frozenset[str], Callable[[_Schema], bool]]] = {
    "read": (_sc_read, frozenset({"GET"}), lambda s: s.has(_any)),
    "entity": (_sc_entity, frozenset({"GET"}), lambda s: s.has(_has_entity)),
    "attribute": (
        _sc_attribute,
        frozenset({"GET"}),
        lambda s: s.has(lambda v: _has_entity(v) and bool(v.storage or v.to_one or v.to_many)),
    ),
    "binary": (
        _sc_binary,
        frozenset({"GET"}),
        lambda s: s.has(lambda v: _binary_need(v) and _has_entity(v)),
    ),
    "image": (
        _sc_image,
        frozenset({"GET"}),
        lambda s: s.has(lambda v: bool(v.pictures) and _has_entity(v)),
    ),
    "compute": (_sc_compute, frozenset({"GET"}), lambda s: s.has(lambda v: bool(v.storage))),
    "subentityset": (
        _sc_subentityset,
        frozenset({"GET"}),
        lambda s: s.has(lambda v: bool(v.to_many) and _has_entity(v)),
    ),
    "entityset": (_sc_entity_set_ops, frozenset({"GET"}), lambda s: s.has(_any)),
    "release": (_sc_release, frozenset({"POST"}), lambda s: s.has(_any)),
    "update": (_sc_update, frozenset({"POST", "PUT", "PATCH"}), lambda s: s.has(_any)),
    "delete": (_sc_delete, frozenset({"POST", "DELETE"}), lambda s: s.has(_any)),
    "function": (_sc_function, frozenset({"POST"}), lambda s: bool(_functions(s, False))),
    "function-get": (_sc_function, frozenset({"GET"}), lambda s: bool(_functions(s, True))),
    "descriptive": (_sc_descriptive, frozenset({"GET"}), lambda s: True),
    "login": (_sc_login, frozenset({"POST"}), lambda s: True),
    "upload": (_sc_upload, frozenset({"POST"}), lambda s: True),
}

#: The verbs :func:`urls` accepts (``None``: the HTTP method is not known).
URL_METHODS = (None, "GET", "POST", "PUT", "PATCH", "DELETE")


def _valid_requests(schema: _Schema, method: str | None) -> st.SearchStrategy[Request]:
    chosen = [
        fn(schema, method)
        for fn, verbs, available in _SCENARIOS.values()
        if (method is None or method in verbs) and available(schema)
    ]
    if not chosen:
        raise InvalidArgument(f"no valid request of this catalog is sent with {method}")
    return st.one_of(chosen)


def urls(
    catalog: Any = None, *, method: str | None = None, encode: bool = False
) -> st.SearchStrategy[str]:
    """URLs that parse and that :func:`restquery.validate` finds nothing wrong with.

    Built valid, one documented form at a time (spec §2.4): collection reads with
    ``$filter`` (and the ``$params`` its ``:n`` placeholders need), ``$orderby``, paging,
    ``$attributes``, ``$method=entityset`` with ``$timeout`` and saved values; one entity, its
    attributes and relations; ``$binary`` and picture downloads; ``$compute`` and
    ``$distinct``; ``$method=subentityset``; entity-set combinations and ``$clean``;
    ``$method=update`` and ``delete``; ``$entityset/$release``; function calls (dataclass,
    entity, datastore, singleton); ``$catalog``, ``$info``, ``$getWebForm``,
    ``$directory/login``, ``$upload``. No rejection sampling is involved.

    ``catalog`` (a :class:`~restquery.Catalog`, a ``$catalog`` JSON document or a path to one)
    makes every name one the catalog defines, with values of the attribute's type, and the URL
    valid under ``validate(url, catalog=catalog)``.

    ``method`` is the HTTP verb the URL will be sent with (``None``: unknown, any form):
    ``"GET"`` draws reads and GET-callable functions, ``"POST"`` writes, function calls,
    uploads and logins, ``"PUT"``/``"PATCH"`` Qodly's updates, ``"DELETE"`` Qodly's deletes.
    ``validate(url, catalog=catalog, method=method)`` then returns ``[]`` — except that every
    PUT, PATCH or DELETE request draws the warning RQ316 (a Qodly-only verb) and nothing else.

    ``encode=True`` gives the wire form (percent-encoded, ASCII, no space or quote), ready for
    an HTTP client; it validates the same. URLs never carry an origin: join them to your
    server's base URL.

    Send generated requests to a server under test (a 4D or Qodly server, or a mock of one)::

        import httpx
        import restquery
        from hypothesis import given, settings
        from restquery.strategies import urls

        CATALOG = restquery.Catalog.from_json("catalog.json")   # GET /rest/$catalog/$all

        @settings(max_examples=500, deadline=None)
        @given(urls(CATALOG, method="GET", encode=True))
        def test_server_answers_valid_requests(url):
            with httpx.Client(base_url="http://127.0.0.1:8081") as client:
                response = client.get(url)
            # a valid request may find nothing (404), but never breaks the server
            assert response.status_code < 500, (url, response.text)

    >>> import restquery
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(urls(method="GET"))
    ... def check(url):
    ...     assert restquery.validate(url, method="GET") == []
    >>> check()
    """
    if method is not None:
        method = method.upper()
    if method not in URL_METHODS:
        raise InvalidArgument(f"method must be one of {URL_METHODS[1:]} or None, not {method!r}")
    schema = _schema(catalog)
    return _valid_requests(schema, method).map(lambda r: unparse(r, encode=encode))


# ---------------------------------------------------------------------------------------------
# Catalog-consistent requests (requests(catalog))
# ---------------------------------------------------------------------------------------------


@st.composite
def _catalog_requests(draw: st.DrawFn, schema: _Schema, max_params: int) -> Request:
    method = draw(st.sampled_from(URL_METHODS))
    req = draw(_valid_requests(schema, method))
    view = _params_view(schema, req)
    extra: list[Param] = []
    budget = max(0, max_params - len(req.params))
    for _ in range(draw(st.integers(0, budget))):
        extra.append(draw(_schema_safe_params(view)))
    if draw(st.integers(0, 3)) == 0:
        req = Request(path=req.path, params=req.params, origin=draw(origins()))
    all_params = tuple(draw(st.permutations(list(req.params) + extra)))
    return Request(path=req.path, params=all_params, origin=req.origin, method=method)


def _params_view(schema: _Schema, req: Request) -> _View | None:
    """The dataclass whose attributes the parameters of ``req`` name: the path's dataclass,
    or the target of the relation that ends the path; ``None`` when they name none (a scalar
    attribute, a function, a descriptive resource)."""
    from restquery.shape import classify

    shape = classify(req, schema.catalog)
    if shape.resource != "dataclass" or shape.dataclass is None:
        return None
    view = schema.target(shape.dataclass)
    if view is None or shape.function is not None:
        return None
    if shape.tail is not None:
        relations = dict((view.to_one or ()) + (view.to_many or ()))
        target = relations.get(shape.tail_name or "")
        return schema.target(target) if target else None
    return view


def _request_dataclass(req: Request) -> str | None:
    segs = req.path.segments
    if not segs:
        return None
    first = segs[0]
    if isinstance(first, NamesSegment):
        return first.name
    if isinstance(first, (KeySegment, LookupSegment, CallSegment)):
        return first.name
    return None


def _schema_safe_params(view: _View | None) -> st.SearchStrategy[Param]:
    """Parameters that name no attribute, or only attributes of ``view``."""
    nameless = [n for n, kind in PARAMETERS.items() if kind in ("int", "bool", "word", "json")]
    plain = st.one_of(
        st.sampled_from(nameless).flatmap(_param_for),
        _unknown_names().flatmap(_param_for),
    )
    if view is None or view.free:
        return plain
    named: list[st.SearchStrategy[Param]] = []
    if view.filterable:
        named.append(
            _clean_filters(view, placeholders=False).map(lambda p: _param("$filter", p[0], '"'))
        )
    if view.sortable:
        named.append(_clean_sort_lists(view).map(lambda s: _param("$orderby", s, '"')))
    if view.filterable:
        named.append(_clean_attribute_lists(view).map(lambda a: _param("$attributes", a)))
    relations = tuple(n for n, _ in (view.to_one or ()) + (view.to_many or ()))
    if relations:
        named.append(
            st.sampled_from(relations).map(
                lambda n: _param("$expand", PathList(paths=(_apath((n,)),)))
            )
        )
    return st.one_of(plain, *named)


# ---------------------------------------------------------------------------------------------
# Invalid requests: one targeted mutation of a valid one per code
# ---------------------------------------------------------------------------------------------


class InvalidURL(NamedTuple):
    """A URL, the code :func:`restquery.validate` must report for it, and the HTTP verb to
    validate (and send) it with (``None``: any, the finding does not depend on it).

    Unpacks as a triple: ``url, code, method = case``.
    """

    url: str
    code: str
    method: str | None


class _Mutation(NamedTuple):
    code: str
    what: str
    build: Callable[[_Schema], st.SearchStrategy[tuple[str, str | None]]]
    needs_catalog: bool = False
    opt_in: bool = False
    available: Callable[[_Schema], bool] = lambda s: True


_MUTATIONS: dict[str, _Mutation] = {}


def _mutation(
    code: str,
    what: str,
    *,
    needs_catalog: bool = False,
    opt_in: bool = False,
    available: Callable[[_Schema], bool] = lambda s: True,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _MUTATIONS[code] = _Mutation(code, what, st.composite(fn), needs_catalog, opt_in, available)
        return fn

    return register


def _replace_params(req: Request, params_: list[Param] | tuple[Param, ...]) -> Request:
    return Request(path=req.path, params=tuple(params_), origin=req.origin, method=req.method)


def _drop(req: Request, *names_: str) -> Request:
    return _replace_params(req, [p for p in req.params if p.canonical not in names_])


def _add(req: Request, *params_: Param) -> Request:
    return _replace_params(req, list(req.params) + list(params_))


def _set_segments(req: Request, segments: Sequence[Any]) -> Request:
    path = Path(
        segments=tuple(segments), prefix=req.path.prefix, trailing_slash=req.path.trailing_slash
    )
    return Request(path=path, params=req.params, origin=req.origin, method=req.method)


def _get(req: Request, name: str) -> Param:
    p = req.param(name)
    assert p is not None, (name, req)
    return p


def _misspell(name: str, taken: Callable[[str], bool]) -> st.SearchStrategy[str]:
    """Typos of ``name`` (a letter doubled, dropped, swapped, changed) that ``taken`` rejects."""
    cands = set()
    for i in range(len(name)):
        cands.add(name[:i] + name[i] + name[i:])
        if len(name) > 1:
            cands.add(name[:i] + name[i + 1 :])
        if i + 1 < len(name):
            cands.add(name[:i] + name[i + 1] + name[i] + name[i + 2 :])
        cands.add(name[:i] + ("x" if name[i] != "x" else "y") + name[i + 1 :])
    good = sorted(c for c in cands if c and _safe_name(c) and not taken(c))
    good = good or [name + "Zz"]
    return st.sampled_from(good)


def _filter_text_url(req: Request, text_of_filter: Callable[[str], str]) -> str:
    """The URL of ``req`` whose last parameter is a ``"``-quoted ``$filter``, with its text
    (as printed, escapes included) replaced by ``text_of_filter(text)``: string-level
    mutations for syntax errors."""
    flt = req.params[-1]
    assert flt.canonical == "$filter" and flt.quote == '"' and not flt.trailing_slash
    url = unparse(req)
    head = unparse(_replace_params(req, req.params[:-1]))
    start = len(head) + 1 + len(flt.name) + 2  # after `&$filter="`
    assert url[start - 2 : start] == '="' and url.endswith('"'), url
    return url[:start] + text_of_filter(url[start:-1]) + '"'


@st.composite
def _filtered_read(draw: st.DrawFn, schema: _Schema, *, placeholders: bool = True) -> Request:
    """A valid collection read whose last parameter is ``$filter="..."``."""
    view = draw(schema.view(lambda v: v.filterable != ()))
    flt, count = draw(_clean_filters(view, placeholders=placeholders))
    out = [p for p in draw(_read_params(view, create=False, want_filter=False))]
    if count:
        out.append(_param("$params", draw(_clean_json_params(count)), "'"))
    out.append(_param("$filter", flt, '"'))
    return _request([_names_seg(view.name)], out)


def _first_comparison(expr: Expr) -> Comparison:
    while not isinstance(expr, Comparison):
        expr = expr.operands[0] if isinstance(expr, BoolOp) else expr.operand  # type: ignore[union-attr]
    return expr


def _replace_first_comparison(expr: Expr, new: Expr) -> Expr:
    if isinstance(expr, Comparison):
        return new
    if isinstance(expr, BoolOp):
        first = _replace_first_comparison(expr.operands[0], new)
        return BoolOp(op=expr.op, operands=(first,) + expr.operands[1:], parens=expr.parens)
    return expr


def _with_filter_expr(req: Request, expr: Expr) -> Request:
    return _replace_params(
        req,
        [
            Param(
                name=p.name, value=Filter(expr=expr), quote=p.quote, trailing_slash=p.trailing_slash
            )
            if p.canonical == "$filter"
            else p
            for p in req.params
        ],
    )


# -- syntax errors (RQ0xx, raised by the parser) ------------------------------------------------


@_mutation("RQ001", "write text after the closing quote of the $filter value")
def _m001(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    stray = draw(st.one_of(st.sampled_from(["x", " AND", "a=1", " OR b=2"]), names()))
    return _filter_text_url(req, lambda t: t) + stray, None


@_mutation("RQ002", "drop the closing quote of the quoted $filter value")
def _m002(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    return _filter_text_url(req, lambda t: t)[:-1], None


@_mutation("RQ003", "open a parenthesis in $filter and never close it")
def _m003(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    return _filter_text_url(req, lambda t: "(" + t), None


@_mutation("RQ004", "append a comparison whose value is missing to $filter")
def _m004(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema, placeholders=False))
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    op = draw(st.sampled_from(_rest_comparators(False)))
    return _filter_text_url(req, lambda t: f"{t} AND {unparse(first.left)}{op}"), None


@_mutation("RQ005", "replace the `?` before the first $ parameter with `/`")
def _m005(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema, placeholders=False))  # no $params JSON (see fuzz/)
    req = Request(path=Path(segments=req.path.segments), params=req.params)
    url = unparse(req)
    head = unparse(Request(path=req.path))
    return head + "/" + url[len(head) + 1 :], None


@_mutation("RQ006", "empty the key of the entity: `D()`")
def _m006(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_entity(schema, "GET"))
    first = req.path.segments[0]
    assert isinstance(first, (KeySegment, LookupSegment))
    name = first.name
    url = unparse(req)
    seg = unparse(first)
    assert url.startswith("/rest/" + seg)
    return "/rest/" + _name_text(name) + "()" + url[len("/rest/" + seg) :], "GET"


def _name_text(name: str) -> str:
    return unparse(_names_seg(name))


@_mutation("RQ007", "put an `&` with no parameter right after the `?`")
def _m007(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    url = unparse(req)
    head = unparse(Request(path=req.path))
    return head + "?&" + url[len(head) + 1 :], None


@_mutation("RQ008", "end $filter with a dangling AND")
def _m008(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    op = draw(st.sampled_from(["AND", "OR", "EXCEPT"]))
    return _filter_text_url(req, lambda t: f"{t} {op}"), None


@_mutation("RQ009", "insert a percent-encoded byte that is not UTF-8 into $filter")
def _m009(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    bad = draw(st.sampled_from(["%FF", "%C3", "%80", "%E2%82"]))
    return _filter_text_url(req, lambda t: t + bad), None


@_mutation("RQ010", "nest $filter in more parentheses than the default max_depth")
def _m010(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    from restquery.syntax.limits import DEFAULT_MAX_DEPTH

    req = draw(_filtered_read(schema))
    n = DEFAULT_MAX_DEPTH + draw(st.integers(1, 5))
    return _filter_text_url(req, lambda t: "(" * n + t + ")" * n), None


@_mutation("RQ012", "double the `/` after /rest")
def _m012(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    method = draw(st.sampled_from(["GET", "POST"]))
    req = draw(_valid_requests(schema, method))
    assume(req.path.segments)
    url = unparse(req)
    return "/rest/" + url[len("/rest") :], method


@_mutation("RQ013", "append a $top with more digits than MAX_NUMBER_DIGITS")
def _m013(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    from restquery.syntax.values import MAX_NUMBER_DIGITS

    req = draw(_filtered_read(schema))
    n = MAX_NUMBER_DIGITS + draw(st.integers(1, 50))
    digits = draw(st.sampled_from("123456789")) + "0" * (n - 1)
    return unparse(req) + "&$top=" + digits, None


# -- path structure (RQ1xx) -----------------------------------------------------------------


@_mutation("RQ101", "drop the /rest prefix")
def _m101(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    method = draw(st.sampled_from(["GET", "POST"]))
    req = draw(_valid_requests(schema, method))
    assume(req.path.segments)
    path = Path(segments=req.path.segments, prefix=False, trailing_slash=req.path.trailing_slash)
    url = unparse(Request(path=path, params=req.params))
    assume(_not_read_as_prefix(url, req))
    return url, method


def _not_read_as_prefix(url: str, req: Request) -> bool:
    # A first segment called `rest` would be read as the prefix again.
    first = req.path.segments[0]
    return getattr(first, "name", None) != "rest"


@_mutation("RQ102", "misspell a path keyword, or put `$all` after a dataclass")
def _m102(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    if draw(st.booleans()):
        kw = draw(st.sampled_from(["$catalog", "$info", "$getWebForm"]))
        bad = draw(st.sampled_from([kw.upper(), kw.capitalize(), kw + "s", kw[:-1]]))
        assume(bad != kw)
        return unparse(_request([_kw(bad)])), "GET"
    view = draw(schema.view())
    return unparse(_request([_names_seg(view.name), _kw("$all")])), "GET"


@_mutation("RQ103", "add a segment after an entity-set ID or after $info")
def _m103(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    extra = _names_seg(draw(_names_of(None if view.free else (view.name,))))
    if draw(st.booleans()):
        return unparse(_request([_kw("$info"), extra])), "GET"
    req = draw(_sc_read(schema, "GET"))
    segs = list(req.path.segments)
    if not any(isinstance(s, EntitySetSegment) for s in segs):
        segs += [_kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    req = _drop(req, "$method", "$timeout", "$savedfilter", "$savedorderby")
    return unparse(_set_segments(req, segs + [extra])), "GET"


@_mutation("RQ104", "leave the function name out of a $singleton path")
def _m104(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    single = (
        draw(names())
        if schema.singletons is None or not schema.singletons
        else draw(st.sampled_from([s[0] for s in schema.singletons]))
    )
    return unparse(_request([_kw("$singleton"), _names_seg(single)])), "POST"


@_mutation("RQ105", "misspell the $directory action")
def _m105(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    action = draw(st.sampled_from(["Login", "LOGIN", "logon", "signin", "log-in"]))
    return unparse(
        _request(
            [_kw("$directory"), _names_seg(action)] if _safe_name(action) else [_kw("$directory")]
        )
    ), "POST"


@_mutation("RQ106", "use a legacy $directory action")
def _m106(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    action = draw(st.sampled_from(["logout", "currentUser", "currentUserBelongsTo"]))
    return unparse(_request([_kw("$directory"), _names_seg(action)])), None


@st.composite
def _read_with_params(draw: st.DrawFn, schema: _Schema) -> Request:
    req = draw(_sc_read(schema, "GET"))
    if not req.params:
        req = _add(req, _int_param("$top", draw(st.integers(0, 100))))
    return req


@_mutation("RQ107", "misspell a parameter name")
def _m107(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_read_with_params(schema))
    i = draw(st.integers(0, len(req.params) - 1))
    p = req.params[i]
    bad = draw(_misspell(p.name[1:], lambda n: canonical_name("$" + n) is not None))
    params_ = list(req.params)
    params_[i] = Param(name="$" + bad, value=_as_raw(p), quote=p.quote)
    return unparse(_replace_params(req, params_)), "GET"


def _as_raw(p: Param) -> Any:
    """The value of ``p`` as an unknown parameter would carry it (its text)."""
    if p.value is None:
        return None
    return RawValue(text=unparse(p.value))


@_mutation("RQ108", "write a parameter name in another letter case")
def _m108(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_read_with_params(schema))
    i = draw(st.integers(0, len(req.params) - 1))
    p = req.params[i]
    spelling = draw(st.sampled_from([p.name.upper(), p.name.lower(), p.name.swapcase()]))
    assume(spelling != p.name)
    params_ = list(req.params)
    params_[i] = Param(name=spelling, value=p.value, quote=p.quote, trailing_slash=p.trailing_slash)
    return unparse(_replace_params(req, params_)), "GET"


@_mutation("RQ109", "drop the `$` of a parameter name")
def _m109(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_read_with_params(schema))
    i = draw(st.integers(0, len(req.params) - 1))
    p = req.params[i]
    params_ = list(req.params)
    params_[i] = Param(name=p.name[1:], value=_as_raw(p), quote=p.quote)
    return unparse(_replace_params(req, params_)), "GET"


@_mutation("RQ110", "repeat a parameter")
def _m110(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_read_with_params(schema))
    p = draw(st.sampled_from(req.params))
    return unparse(_add(req, p)), "GET"


@_mutation("RQ111", 'empty the entity key (`D("")`) or make it composite (`D(1,2)`)')
def _m111(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    if draw(st.booleans()):
        first: Segment = KeySegment(
            name=view.name, key=Key(value="", quoted=True), brackets=draw(st.booleans())
        )
    else:
        args = draw(st.lists(_clean_keys("numeric"), min_size=2, max_size=3))
        first = CallSegment(name=view.name, args=tuple(args))
    return unparse(_request([first])), "GET"


# -- schema (RQ2xx, need a catalog) ----------------------------------------------------------


@_mutation("RQ112", "write a raw `&` inside the quoted $filter value")
def _m112(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema, placeholders=False))
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    value = draw(st.sampled_from(["a&b", "&", "x&$method=delete&"]))
    new = Comparison(left=first.left, op="=", right=Text(value=value, quoted=True))
    return unparse(_with_filter_expr(req, _replace_first_comparison(flt.expr, new))), "GET"


@_mutation("RQ201", "misspell the dataclass name", needs_catalog=True)
def _m201(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    first = req.path.segments[0]
    assert isinstance(first, NamesSegment) and first.name
    bad = draw(_misspell(first.name, lambda n: n in schema.dataclass_names))
    return unparse(_set_segments(req, (_names_seg(bad),) + req.path.segments[1:])), "GET"


@_mutation(
    "RQ202",
    "misspell an attribute in $filter",
    needs_catalog=True,
    available=lambda s: s.has(lambda v: bool(v.filterable)),
)
def _m202(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema))
    view = schema.target(_request_dataclass(req) or "")
    assert view is not None
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    assert isinstance(first.left, AttributePath)
    bad = draw(_misspell(first.left.parts[0].name, lambda n: n in view.known))
    left = AttributePath(parts=(PathPart(name=bad),) + first.left.parts[1:])
    new = Comparison(left=left, op=first.op, right=first.right)
    return unparse(_with_filter_expr(req, _replace_first_comparison(flt.expr, new))), "GET"


def _has_functions(schema: _Schema) -> bool:
    return bool(schema.singletons) or any(
        v.class_functions or v.entity_functions for v in schema.views
    )


@_mutation(
    "RQ203",
    "misspell a function, or call an entity function on the dataclass",
    needs_catalog=True,
    available=_has_functions,
)
def _m203(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    options = []
    if schema.singletons:
        options.append("singleton")
    if any(v.entity_functions for v in schema.views):
        options.append("entity-on-dataclass")
    if any(v.class_functions and _has_entity(v) for v in schema.views):
        options.append("class-on-entity")
    kind = draw(st.sampled_from(options))
    if kind == "singleton":
        assert schema.singletons
        single, fn, _ = draw(st.sampled_from(schema.singletons))
        known = {f for s, f, _ in schema.singletons if s == single}
        bad = draw(_misspell(fn, lambda n: n in known))
        return unparse(_request([_kw("$singleton"), _names_seg(single), _names_seg(bad)])), "POST"
    if kind == "entity-on-dataclass":
        view = draw(schema.view(lambda v: bool(v.entity_functions)))
        fn = draw(st.sampled_from([n for n, _ in view.entity_functions or ()]))
        assume(fn not in {n for n, _ in view.class_functions or ()})
        return unparse(_request([_names_seg(view.name), _names_seg(fn)])), "POST"
    view = draw(schema.view(lambda v: bool(v.class_functions) and _has_entity(v)))
    fn = draw(st.sampled_from([n for n, _ in view.class_functions or ()]))
    assume(fn not in {n for n, _ in view.entity_functions or ()})
    return unparse(_request([draw(_entity_segment(view)), _names_seg(fn)])), "POST"


@_mutation(
    "RQ204",
    "give a text key to a numeric primary key",
    needs_catalog=True,
    available=lambda s: any(v.key == "numeric" for v in s.views),
)
def _m204(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: v.key == "numeric"))
    key = draw(st.sampled_from(["acme", "A1", "IT0911AB2200", "x-1", "one"]))
    return unparse(_request([KeySegment(name=view.name, key=Key(value=key))])), "GET"


@_mutation(
    "RQ205",
    "look an entity up by a calculated, alias or relation attribute",
    needs_catalog=True,
    available=lambda s: any(v.non_storage for v in s.views),
)
def _m205(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: bool(v.non_storage)))
    attr = draw(st.sampled_from(view.non_storage))
    seg = LookupSegment(name=view.name, attribute=attr, value=draw(_clean_keys("string")))
    return unparse(_request([seg])), "GET"


@_mutation(
    "RQ206",
    "follow a scalar attribute with a property name in $filter",
    needs_catalog=True,
    available=lambda s: s.has(
        lambda v: any(t[1] in _SCALAR_CLASSES and len(t[0]) == 1 for t in v.filterable or ())
    ),
)
def _m206(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    def scalars(v: _View) -> list[_Typed]:
        return [t for t in v.filterable or () if t[1] in _SCALAR_CLASSES and len(t[0]) == 1]

    view = draw(schema.view(lambda v: bool(scalars(v))))
    names_, _ = draw(st.sampled_from(scalars(view)))
    prop = draw(st.sampled_from(["amount", "value", "x"]))
    left = _apath(names_ + (prop,))
    flt = Filter(expr=Comparison(left=left, op="=", right=Number(value=1)))
    return unparse(_request([_names_seg(view.name)], [_param("$filter", flt, '"')])), "GET"


# -- parameters (RQ3xx) ----------------------------------------------------------------------


def _binary_available(s: _Schema) -> bool:
    return s.has(lambda v: _binary_need(v) and _has_entity(v))


@st.composite
def _entity_binary(draw: st.DrawFn, schema: _Schema) -> Request:
    """A valid ``D(key)/attr?$binary=true&$expand=attr``."""
    view = draw(schema.view(lambda v: _binary_need(v) and _has_entity(v)))
    attr = draw(_names_of(None if view.free else (view.blobs or ()) + (view.pictures or ())))
    segs: list[Segment] = [draw(_entity_segment(view)), _names_seg(attr)]
    return _request(segs, [_true("$binary"), _param("$expand", PathList(paths=(_apath((attr,)),)))])


@_mutation("RQ301", "drop the $expand that goes with $binary=true", available=_binary_available)
def _m301(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(st.one_of(_entity_binary(schema), _sc_binary(schema, "GET")))
    return unparse(_drop(req, "$expand")), "GET"


def _other_name(draw: st.DrawFn, view: _View, avoid: str) -> str:
    pool = (
        None
        if view.free
        else tuple(
            n
            for n in (view.blobs or ())
            + (view.pictures or ())
            + tuple(t[0][0] for t in view.storage or ())
            if n != avoid
        )
    )
    if pool is not None and not pool:
        pool = (avoid + "2",)
    name = draw(_names_of(pool))
    assume(name != avoid)
    return name


@_mutation(
    "RQ302",
    "make $expand name another attribute than the downloaded one",
    available=_binary_available,
)
def _m302(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_entity_binary(schema))
    view = schema.target(_request_dataclass(req) or "") or _View("")
    tail = req.path.segments[1]
    assert isinstance(tail, NamesSegment) and tail.name
    other = _other_name(draw, view, tail.name)
    req = _add(_drop(req, "$expand"), _param("$expand", PathList(paths=(_apath((other,)),))))
    return unparse(req), "GET"


def _scalar_storage(v: _View) -> tuple[str, ...]:
    return tuple(t[0][0] for t in v.storage or () if len(t[0]) == 1 and t[1] in _SCALAR_CLASSES)


@_mutation(
    "RQ303",
    "download a string or number attribute with $binary",
    needs_catalog=True,
    available=lambda s: any(_scalar_storage(v) and _has_entity(v) for v in s.views),
)
def _m303(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: bool(_scalar_storage(v)) and _has_entity(v)))
    attr = draw(st.sampled_from(_scalar_storage(view)))
    segs: list[Segment] = [draw(_entity_segment(view)), _names_seg(attr)]
    req = _request(segs, [_true("$binary"), _param("$expand", PathList(paths=(_apath((attr,)),)))])
    return unparse(req), "GET"


@_mutation("RQ304", "upload without a kind flag, with both, or with GET")
def _m304(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_upload(schema, "POST"))
    how = draw(st.sampled_from(["none", "both", "get"]))
    if how == "none":
        return unparse(_drop(req, "$rawPict", "$binary")), "POST"
    if how == "both":
        return unparse(
            _add(_drop(req, "$rawPict", "$binary"), _true("$rawPict"), _true("$binary"))
        ), "POST"
    return unparse(req), "GET"


def _image_available(s: _Schema) -> bool:
    return s.has(lambda v: bool(v.pictures) and _has_entity(v))


@_mutation(
    "RQ305", "drop the $expand that goes with $imageformat/$version", available=_image_available
)
def _m305(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_image(schema, "GET"))
    return unparse(_drop(req, "$expand")), "GET"


@_mutation(
    "RQ306",
    "give $imageformat an undocumented format or $version a non-number",
    available=_image_available,
)
def _m306(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_image(schema, "GET"))
    if draw(st.booleans()):
        bad = _word(
            "$imageformat", draw(st.sampled_from(["jpg", "bmp", "webp", "image/jpg", "svg"]))
        )
        return unparse(_add(_drop(req, "$imageformat"), bad)), "GET"
    bad = _param("$version", RawValue(text=draw(st.sampled_from(["latest", "v2", "1.5", "x"]))))
    return unparse(_add(_drop(req, "$version"), bad)), "GET"


@_mutation(
    "RQ307",
    "ask a string attribute for $imageformat",
    needs_catalog=True,
    available=lambda s: any(_scalar_storage(v) and _has_entity(v) for v in s.views),
)
def _m307(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: bool(_scalar_storage(v)) and _has_entity(v)))
    attr = draw(st.sampled_from(_scalar_storage(view)))
    segs: list[Segment] = [draw(_entity_segment(view)), _names_seg(attr)]
    out = [_word("$imageformat", "png"), _param("$expand", PathList(paths=(_apath((attr,)),)))]
    return unparse(_request(segs, out)), "GET"


def _compute_available(s: _Schema) -> bool:
    return s.has(lambda v: bool(v.storage))


@st.composite
def _compute(draw: st.DrawFn, schema: _Schema) -> Request:
    req = draw(_sc_compute(schema, "GET"))
    if req.param("$compute") is None:
        req = _add(_drop(req, "$distinct"), _word("$compute", "count"))
    return req


@_mutation("RQ308", "move the $compute attribute out of the path", available=_compute_available)
def _m308(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_compute(schema))
    return unparse(_set_segments(req, req.path.segments[:1])), "GET"


@_mutation(
    "RQ309",
    "name the $compute attribute with $attributes (Qodly's form)",
    available=_compute_available,
)
def _m309(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_compute(schema))
    tail = req.path.segments[1]
    assert isinstance(tail, NamesSegment)
    req = _add(
        _set_segments(req, req.path.segments[:1]),
        _param("$attributes", AttributeList(items=(AttributeItem(path=tail.paths[0]),))),
    )
    return unparse(req), "GET"


@_mutation("RQ310", "give $compute an undocumented value", available=_compute_available)
def _m310(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_compute(schema))
    bad = draw(st.sampled_from(["avg", "total", "mean", "countDistinct", "all"]))
    return unparse(_add(_drop(req, "$compute"), _word("$compute", bad))), "GET"


@_mutation(
    "RQ311",
    "sum or average a string attribute",
    needs_catalog=True,
    available=lambda s: any(t[1] == "string" for v in s.views for t in v.storage or ()),
)
def _m311(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: any(t[1] == "string" for t in v.storage or ())))
    attr = draw(st.sampled_from([t[0] for t in view.storage or () if t[1] == "string"]))
    out = [_word("$compute", draw(st.sampled_from(["sum", "average"])))]
    return unparse(_request([_names_seg(view.name), _dotted_seg(attr)], out)), "GET"


@_mutation(
    "RQ312", "ask $distinct on the dataclass instead of an attribute", available=_compute_available
)
def _m312(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_compute(schema, "GET"))
    req = _add(_drop(req, "$compute", "$distinct"), _true("$distinct"))
    return unparse(_set_segments(req, req.path.segments[:1])), "GET"


@_mutation("RQ313", "give $method an undocumented value")
def _m313(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_delete(schema, "POST"))
    bad = draw(st.sampled_from(["remove", "destroy", "create", "save", "get"]))
    return unparse(_add(_drop(req, "$method"), _word("$method", bad))), "POST"


@_mutation("RQ314", "write the legacy $method=validate or Qodly's $method=insert")
def _m314(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_update(schema, "POST"))
    req = _drop(req, "$atomic", "$atOnce", "$method")
    return unparse(
        _add(req, _word("$method", draw(st.sampled_from(["validate", "insert"]))))
    ), "POST"


@_mutation("RQ315", "send $method=update with GET, or $method=entityset with POST")
def _m315(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    if draw(st.booleans()):
        req = draw(_sc_update(schema, "POST"))
        return unparse(_drop(req, "$atomic", "$atOnce")), "GET"
    req = draw(_sc_entity_set_ops(schema, "GET"))
    if req.param("$method") is None:
        req = _add(req, _word("$method", "entityset"))
    return unparse(req), "POST"


@_mutation("RQ316", "send a request with DELETE, or $method=delete with GET")
def _m316(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    if draw(st.booleans()):
        return draw(_urls_for(schema, "DELETE")), "DELETE"
    req = draw(_sc_delete(schema, "POST"))
    return unparse(req), "GET"


def _urls_for(schema: _Schema, method: str) -> st.SearchStrategy[str]:
    return _valid_requests(schema, method).map(unparse)


@_mutation("RQ317", "send $method=update to one entity")
def _m317(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_update(schema, "POST"))
    view = draw(schema.view(_has_entity))
    return unparse(_set_segments(req, [draw(_entity_segment(view))])), "POST"


@_mutation(
    "RQ318",
    "send $method=delete to an entity's attribute",
    available=lambda s: s.has(
        lambda v: _has_entity(v) and bool(v.storage or v.to_one or v.to_many)
    ),
)
def _m318(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_attribute(schema, "GET"))
    return unparse(_add(_drop(req, "$expand"), _word("$method", "delete"))), "POST"


@_mutation("RQ319", "drop the $filter of a filtered delete")
def _m319(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    req = _request([_names_seg(view.name)], [_word("$method", "delete")])
    return unparse(req), "POST"


@_mutation("RQ320", "send $method=release to a dataclass")
def _m320(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    return unparse(_request([_names_seg(view.name)], [_word("$method", "release")])), "GET"


@_mutation("RQ321", "release an entity set with the deprecated $method=release")
def _m321(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    segs = [_names_seg(view.name), _kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    return unparse(_request(segs, [_word("$method", "release")])), "GET"


def _sub_available(s: _Schema) -> bool:
    return s.has(lambda v: bool(v.to_many) and _has_entity(v))


@_mutation("RQ322", "drop the $expand of $method=subentityset", available=_sub_available)
def _m322(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_subentityset(schema, "GET"))
    return unparse(_drop(req, "$expand")), "GET"


@_mutation("RQ323", "keep $subOrderby but drop $method=subentityset", available=_sub_available)
def _m323(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_subentityset(schema, "GET"))
    if req.param("$subOrderby") is None:
        view = schema.target(_request_dataclass(req) or "") or _View("")
        target = view
        if not view.free:
            rel = req.path.segments[1]
            assert isinstance(rel, NamesSegment)
            target_name = dict(view.to_many or ()).get(rel.name or "", "")
            target = schema.target(target_name) or _View(target_name)
        assume(target.sortable != ())
        req = _add(req, _param("$subOrderby", draw(_clean_sort_lists(target))))
    return unparse(_drop(req, "$method")), "GET"


@_mutation("RQ324", "add $timeout to a plain read")
def _m324(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    req = _drop(req, "$method", "$timeout", "$savedfilter", "$savedorderby")
    return unparse(_add(req, _int_param("$timeout", draw(st.integers(1, 7200))))), "GET"


@st.composite
def _creation(draw: st.DrawFn, schema: _Schema, *, want_filter: bool | None = None) -> Request:
    """A valid ``GET D?...&$method=entityset``."""
    view = draw(schema.view(lambda v: want_filter is not True or v.filterable != ()))
    params_ = draw(_read_params(view, create=True, want_filter=want_filter))
    return _request([_names_seg(view.name)], params_)


@_mutation("RQ325", "give $timeout zero, a negative number or text")
def _m325(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_creation(schema)), "$timeout")
    bad = draw(
        st.one_of(
            st.integers(-100_000, 0).map(lambda v: _int_param("$timeout", v)),
            st.sampled_from(["10m", "1h", "never"]).map(
                lambda t: _param("$timeout", RawValue(text=t))
            ),
        )
    )
    return unparse(_add(req, bad)), "GET"


@_mutation(
    "RQ326",
    "send $savedfilter without its $filter when creating an entity set",
    available=lambda s: s.has(lambda v: v.filterable != ()),
)
def _m326(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_creation(schema, want_filter=True)), "$savedfilter", "$params")
    flt = _get(req, "$filter")
    req = _drop(req, "$filter", "$querypath", "$queryplan")
    return unparse(_add(req, Param(name="$savedfilter", value=flt.value, quote='"'))), "GET"


@_mutation(
    "RQ327",
    "write $savedfilter=true instead of repeating the filter",
    available=lambda s: s.has(lambda v: v.filterable != ()),
)
def _m327(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_creation(schema, want_filter=True)), "$savedfilter")
    return unparse(_add(req, _true("$savedfilter"))), "GET"


@_mutation("RQ328", "drop $otherCollection, or give $logicOperator an unknown operator")
def _m328(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    segs = [_names_seg(view.name), _kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    if draw(st.booleans()):
        out = [_word("$logicOperator", draw(st.sampled_from(["AND", "OR", "EXCEPT", "INTERSECT"])))]
    else:
        out = [
            _word("$logicOperator", draw(st.sampled_from(["XOR", "NOT", "UNION", "MINUS"]))),
            _word("$otherCollection", draw(_ENTITY_SET_IDS)),
        ]
    return unparse(_request(segs, out)), "GET"


@_mutation("RQ329", "combine $logicOperator=INTERSECT with $method=entityset")
def _m329(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    segs = [_names_seg(view.name), _kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    out = [
        _word("$logicOperator", "INTERSECT"),
        _word("$otherCollection", draw(_ENTITY_SET_IDS)),
        _word("$method", "entityset"),
    ]
    return unparse(_request(segs, draw(st.permutations(out)))), "GET"


@_mutation("RQ330", "drop the $method=entityset that goes with $clean=true")
def _m330(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    segs = [_names_seg(view.name), _kw("$entityset"), EntitySetSegment(id=draw(_ENTITY_SET_IDS))]
    return unparse(_request(segs, [_true("$clean")])), "GET"


@_mutation("RQ331", "make $top, $limit or $skip negative")
def _m331(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    req = _drop(
        req, "$top", "$limit", "$skip", "$method", "$timeout", "$savedfilter", "$savedorderby"
    )
    name = draw(st.sampled_from(["$top", "$limit", "$skip"]))
    return unparse(_add(req, _int_param(name, draw(st.integers(-(10**6), -1))))), "GET"


@_mutation("RQ332", "give both $top and $limit")
def _m332(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    req = _drop(req, "$top", "$limit", "$method", "$timeout", "$savedfilter", "$savedorderby")
    n = draw(st.integers(0, 100))
    return unparse(_add(req, _int_param("$top", n), _int_param("$limit", n))), "GET"


@_mutation("RQ333", "page ($top/$skip) while creating an entity set")
def _m333(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_creation(schema))
    name = draw(st.sampled_from(["$top", "$limit", "$skip"]))
    return unparse(_add(req, _int_param(name, draw(st.integers(0, 100))))), "GET"


@_mutation("RQ334", "lock a collection, or give $lock a value other than true/false")
def _m334(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    if draw(st.booleans()):
        req = draw(_sc_read(schema, "GET"))
        return unparse(_add(req, _true("$lock"))), "GET"
    req = _drop(draw(_sc_entity(schema, "GET")), "$lock")
    return unparse(
        _add(req, _param("$lock", RawValue(text=draw(st.sampled_from(["yes", "1", "on"])))))
    ), "GET"


@_mutation("RQ335", "write a flag with a value other than true/false")
def _m335(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_sc_read(schema, "GET")), "$asArray", "$format")
    text = draw(st.sampled_from(["1", "yes", "on", "", "TRUE!"]))
    return unparse(_add(req, _param("$asArray", RawValue(text=text)))), "GET"


@_mutation("RQ336", "set a flag to false")
def _m336(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_sc_read(schema, "GET")), "$asArray", "$format")
    return unparse(_add(req, _param("$asArray", Boolean(value=False, raw="false")))), "GET"


@_mutation("RQ337", "give $format an unknown value")
def _m337(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_sc_read(schema, "GET")), "$format", "$asArray")
    return unparse(
        _add(req, _word("$format", draw(st.sampled_from(["xml", "csv", "JSONL", "html"]))))
    ), "GET"


@_mutation("RQ338", "add $asArray=true to $compute or $distinct", available=_compute_available)
def _m338(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_compute(schema, "GET"))
    return unparse(_add(req, _true("$asArray"))), "GET"


@_mutation("RQ339", "send $atomic=true with GET")
def _m339(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    return unparse(_add(req, _true(draw(st.sampled_from(["$atomic", "$atOnce"]))))), "GET"


@_mutation("RQ340", "add $atomic=true to a delete")
def _m340(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_delete(schema, "POST"))
    return unparse(_add(req, _true(draw(st.sampled_from(["$atomic", "$atOnce"]))))), "POST"


@_mutation("RQ341", "ask $querypath or $queryplan without a $filter")
def _m341(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    req = _drop(req, "$filter", "$params", "$savedfilter", "$querypath", "$queryplan")
    return unparse(_add(req, _true(draw(st.sampled_from(["$querypath", "$queryplan"]))))), "GET"


@st.composite
def _with_placeholders(draw: st.DrawFn, schema: _Schema) -> Request:
    """A valid read whose ``$filter`` uses ``:1``... and ``$params`` feeds them."""
    view = draw(schema.view(lambda v: v.filterable != ()))
    flt, count = draw(_clean_filters(view))
    if count == 0:  # make the first comparison use :1
        first = _first_comparison(flt.expr)
        new = Comparison(left=first.left, op=first.op, right=Placeholder(index=1))
        flt = Filter(expr=_replace_first_comparison(flt.expr, new))
        count = 1
    out = [_param("$filter", flt, '"'), _param("$params", draw(_clean_json_params(count)), "'")]
    return _request([_names_seg(view.name)], out)


@_mutation("RQ342", "send $params as a bare JSON value instead of an array")
def _m342(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_with_placeholders(schema))
    value = draw(
        st.one_of(_JSON_SCALAR_VALUES, st.dictionaries(names(), _JSON_SCALAR_VALUES, max_size=2))
    )
    return unparse(
        _add(
            _drop(req, "$params"),
            _param("$params", Params(items=(value,), value_is_array=False), "'"),
        )
    ), "GET"


@_mutation("RQ343", "write $params as relaxed JSON with unquoted keys")
def _m343(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_with_placeholders(schema))
    p = _get(req, "$params").value
    assert isinstance(p, Params)
    items = list(p.items)
    items[0] = {draw(names().filter(lambda n: "vector" not in n.lower())): items[0]}
    return unparse(
        _add(
            _drop(req, "$params"), _param("$params", Params(items=tuple(items), relaxed=True), "'")
        )
    ), "GET"


@_mutation("RQ344", "drop the last $params element a placeholder needs")
def _m344(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_with_placeholders(schema))
    p = _get(req, "$params").value
    assert isinstance(p, Params)
    return unparse(
        _add(_drop(req, "$params"), _param("$params", Params(items=p.items[:-1]), "'"))
    ), "GET"


@_mutation("RQ345", "add a $params element no placeholder uses")
def _m345(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_with_placeholders(schema))
    p = _get(req, "$params").value
    assert isinstance(p, Params)
    extra = draw(_JSON_SCALAR_VALUES)
    return unparse(
        _add(_drop(req, "$params"), _param("$params", Params(items=p.items + (extra,)), "'"))
    ), "GET"


@_mutation("RQ346", "replace an indexed placeholder by a named one")
def _m346(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_with_placeholders(schema))
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    new = Comparison(left=first.left, op=first.op, right=Placeholder(name=draw(names())))
    return unparse(_with_filter_expr(req, _replace_first_comparison(flt.expr, new))), "GET"


@_mutation("RQ347", "give an entity-set ID that is not 32 hexadecimal characters")
def _m347(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    bad = draw(
        st.one_of(
            st.sampled_from(["ABC123", "entitySetID", "0ANUMBER", "{{entitySetID}}"]),
            st.text("0123456789ABCDEF", min_size=1, max_size=31),
            st.text("0123456789ABCDEF", min_size=33, max_size=40),
        )
    )
    segs = [_names_seg(view.name), _kw("$entityset"), EntitySetSegment(id=bad)]
    return unparse(_request(segs)), "GET"


@_mutation("RQ348", "compare with a $params vector using `=`")
def _m348(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view())
    attr = draw(
        _names_of(
            None
            if view.free
            else tuple(t[0][0] for t in view.storage or () if t[1] == "object")
            or tuple(t[0][0] for t in view.filterable or ())
            or (view.name,)
        )
    )
    op = draw(st.sampled_from(["=", "!=", "BEGIN", "=="]))
    flt = Filter(expr=Comparison(left=_apath((attr,)), op=op, right=Placeholder(index=1)))
    vector = {
        "vector": draw(st.lists(st.floats(-1, 1, width=32), min_size=1, max_size=4)),
        "metric": "cosine",
        "threshold": 0.8,
    }
    out = [_param("$filter", flt, '"'), _param("$params", Params(items=(vector,)), "'")]
    return unparse(_request([_names_seg(view.name)], out)), "GET"


@_mutation("RQ349", "use a query()-only comparator or operator spelling in $filter")
def _m349(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema, placeholders=False))
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    op = draw(st.sampled_from(["==", "#", "!==", "==="]))
    new = Comparison(left=first.left, op=op, right=first.right)
    expr = _replace_first_comparison(flt.expr, new)
    if isinstance(expr, BoolOp) and draw(st.booleans()):
        expr = BoolOp(
            op={"AND": "&&", "OR": "||"}.get(expr.op, expr.op),
            operands=expr.operands,
            parens=expr.parens,
        )
    return unparse(_with_filter_expr(req, expr)), "GET"


@_mutation("RQ350", "write `*` as a wildcard in a $filter text")
def _m350(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_filtered_read(schema, placeholders=False))
    flt = _get(req, "$filter").value
    assert isinstance(flt, Filter)
    first = _first_comparison(flt.expr)
    value = draw(st.sampled_from(["a*", "*son", "J*n*", "*"]))
    new = Comparison(
        left=first.left,
        op=draw(st.sampled_from(["=", "!="])),
        right=Text(value=value, quoted=draw(st.booleans())),
    )
    return unparse(_with_filter_expr(req, _replace_first_comparison(flt.expr, new))), "GET"


@_mutation("RQ351", "mix AND with OR without parentheses")
def _m351(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: v.filterable != ()))
    comps = [draw(_clean_comparisons(view, False)) for _ in range(3)]
    inner = BoolOp(op="AND", operands=(comps[0], comps[1]))
    outer_op = draw(st.sampled_from(["OR", "EXCEPT"]))
    operands = (inner, comps[2]) if draw(st.booleans()) else (comps[2], inner)
    flt = Filter(expr=BoolOp(op=outer_op, operands=operands))
    return unparse(_request([_names_seg(view.name)], [_param("$filter", flt, '"')])), "GET"


@_mutation("RQ352", "add a data parameter to $catalog, $info or $directory/login")
def _m352(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    if draw(st.booleans()):
        req = draw(_sc_login(schema, "POST"))
        method = "POST"
    else:
        req = draw(_sc_descriptive(schema, "GET"))
        method = "GET"
    extra = draw(
        st.sampled_from(
            [
                _int_param("$top", 10),
                _int_param("$skip", 5),
                _true("$asArray"),
                _word("$method", "entityset"),
            ]
        )
    )
    return unparse(_add(req, extra)), method


@_mutation("RQ353", "sort, filter or page one entity")
def _m353(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_entity(schema, "GET"))
    assume(len(req.path.segments) == 1)
    req = _drop(req, "$lock")
    view = schema.target(_request_dataclass(req) or "") or _View("x")
    extra = draw(
        st.one_of(
            st.just(_int_param("$top", 10)),
            st.just(_int_param("$skip", 1)),
            _clean_sort_lists(view).map(lambda s: _param("$orderby", s, '"'))
            if view.sortable != ()
            else st.just(_true("$asArray")),
        )
    )
    return unparse(_add(req, extra)), "GET"


@_mutation(
    "RQ354",
    "call a function with PUT (or, with a catalog, with GET when it is not allowed on GET)",
    available=lambda s: bool(_functions(s, False)),
)
def _m354(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    if not schema.free and draw(st.booleans()):
        not_get = [
            ("class", v, n) for v in schema.views for n, ok in v.class_functions or () if not ok
        ] + [("singleton", None, s) for s in schema.singletons or () if not s[2]]
        if not_get:
            kind, view, what = draw(st.sampled_from(not_get))
            if kind == "class":
                assert view is not None
                return unparse(_request([_names_seg(view.name), _names_seg(what)])), "GET"  # type: ignore[arg-type]
            return unparse(
                _request([_kw("$singleton"), _names_seg(what[0]), _names_seg(what[1])])
            ), "GET"
    if schema.free:  # without a catalog only a $singleton path is surely a function call
        req = _request([_kw("$singleton"), _names_seg(draw(names())), _names_seg(draw(names()))])
    else:
        req = draw(_sc_function(schema, "POST"))
    return unparse(req), draw(st.sampled_from(["PUT", "PATCH", "DELETE"]))


@_mutation("RQ355", "open a session with GET $directory/login")
def _m355(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    return unparse(_request([_kw("$directory"), _names_seg("login")])), draw(
        st.sampled_from(["GET", "PUT"])
    )


@_mutation("RQ356", "release entity sets with GET $entityset/$release")
def _m356(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_release(schema, "POST"))
    return unparse(req), "GET"


@_mutation("RQ357", "read data without a session (force-login mode)", opt_in=True)
def _m357(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = draw(_sc_read(schema, "GET"))
    return unparse(req), "GET"


@_mutation("RQ358", "write an entity key in parentheses", opt_in=True)
def _m358(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: v.key != "none"))
    seg = KeySegment(name=view.name, key=draw(_clean_keys(view.key)), brackets=False)
    return unparse(_request([seg])), "GET"


@_mutation(
    "RQ359",
    "make $expand name another attribute on an entity's attribute",
    available=lambda s: s.has(
        lambda v: _has_entity(v) and bool(v.storage or v.to_one or v.to_many)
    ),
)
def _m359(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    req = _drop(draw(_sc_attribute(schema, "GET")), "$expand")
    tail = req.path.segments[1]
    assert isinstance(tail, NamesSegment) and tail.name
    view = schema.target(_request_dataclass(req) or "") or _View("")
    other = _other_name(draw, view, tail.name)
    return unparse(_add(req, _param("$expand", PathList(paths=(_apath((other,)),))))), "GET"


@_mutation(
    "RQ360",
    "load a relation of a collection with $expand",
    available=lambda s: s.has(lambda v: bool(v.to_one or v.to_many)),
)
def _m360(draw: st.DrawFn, schema: _Schema) -> tuple[str, str | None]:
    view = draw(schema.view(lambda v: bool(v.to_one or v.to_many)))
    relation = draw(
        _names_of(
            None if view.free else tuple(n for n, _ in (view.to_one or ()) + (view.to_many or ()))
        )
    )
    return unparse(
        _request(
            [_names_seg(view.name)], [_param("$expand", PathList(paths=(_apath((relation,)),)))]
        )
    ), "GET"


#: code -> what its mutation does to a valid request. Every rule of the registry and every
#: syntax code has one (tested); some need a catalog or an opt-in selection, see
#: :data:`NOT_FROM_URL_ALONE`.
MUTATIONS: dict[str, str] = {code: m.what for code, m in sorted(_MUTATIONS.items())}

#: Codes :func:`invalid_urls` can only produce with more than the URL text, and why.
NOT_FROM_URL_ALONE: dict[str, str] = {
    **{
        code: "needs a catalog: only the schema can tell a wrong name or type"
        for code, m in sorted(_MUTATIONS.items())
        if m.needs_catalog
    },
    **{
        code: "opt-in rule: reported only when selected (select=['RQ', code])"
        for code, m in sorted(_MUTATIONS.items())
        if m.opt_in
    },
    **{
        code: "needs the HTTP verb, which is not part of the URL (InvalidURL.method)"
        for code in ("RQ315", "RQ316", "RQ339", "RQ354", "RQ355", "RQ356")
    },
}


def _as_case(code: str) -> Callable[[tuple[str, str | None]], InvalidURL]:
    def build(pair: tuple[str, str | None]) -> InvalidURL:
        return InvalidURL(pair[0], code, pair[1])

    return build


def invalid_urls(
    catalog: Any = None, *, codes: Iterable[str] | None = None, opt_in: bool = False
) -> st.SearchStrategy[InvalidURL]:
    """Invalid URLs, each with the code :func:`restquery.validate` must report for it:
    ``InvalidURL(url, code, method)``, which unpacks as ``url, code, method = case``.

    Each is one targeted mutation of a valid request (:data:`MUTATIONS` lists them): drop the
    ``$expand`` that goes with ``$binary`` (RQ301), misspell an attribute (RQ202, with a
    catalog), unbalance a quote (RQ002) or a parenthesis (RQ003), a negative ``$top``
    (RQ331), a ``$method`` sent with the wrong HTTP verb (RQ315), and one mutation for every
    other syntax code and rule. ``method`` is the verb to validate and send the URL with
    (``None`` when the finding does not depend on it): ``validate(url, catalog=catalog,
    method=method)`` includes ``code``.

    ``catalog`` turns on the schema mutations (RQ2xx, RQ303, RQ307, RQ311) and draws names
    from it. ``codes`` restricts the draw to some codes. ``opt_in=True`` adds the opt-in rules
    RQ357 and RQ358, which :func:`restquery.validate` reports only when selected
    (``select=["RQ", code]``).

    >>> import restquery
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(invalid_urls(codes=["RQ301", "RQ331", "RQ002"]))
    ... def check(case):
    ...     url, code, method = case
    ...     assert code in [d.code for d in restquery.validate(url, method=method)]
    >>> check()
    """
    schema = _schema(catalog)
    wanted = None if codes is None else {c.upper() for c in codes}
    if wanted is not None and wanted - set(_MUTATIONS):
        raise InvalidArgument(f"no mutation for {sorted(wanted - set(_MUTATIONS))}")
    chosen = []
    for code, m in sorted(_MUTATIONS.items()):
        if wanted is not None and code not in wanted:
            continue
        if m.needs_catalog and schema.free:
            continue
        if m.opt_in and not (opt_in or (wanted is not None and code in wanted)):
            continue
        if not m.available(schema):
            continue
        chosen.append(m.build(schema).map(_as_case(code)))
    if not chosen:
        raise InvalidArgument("no mutation applies to these codes with this catalog")
    return st.one_of(chosen)
