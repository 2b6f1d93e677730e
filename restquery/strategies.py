"""Hypothesis strategies that build restquery syntax trees directly.

Every strategy draws trees that some URL spells, so ``parse(unparse(tree)) == tree`` is a
property to test (``tests/test_roundtrip.py``). Trees are built from AST nodes, not derived
from the grammar with ``hypothesis.extra.lark.from_lark``, whose strings mostly fail to parse
on a keyword grammar (see the project's lessons).

What the trees respect, so the printer can spell them and the parser reads them back equal:

* names are identifiers that are none of the filter and sort keywords (:data:`KEYWORDS`,
  case-insensitively);
* a text drawn unquoted is one the grammar reads back as bare text (``john``, ``A@``,
  ``O'Reilly``), a quoted one holds no ``'`` (``IN`` collections may, written as JSON strings);
* ``BoolOp`` nodes have at least two operands; nesting is bounded;
* a parameter's value has the type the parser gives its name (``$top`` → ``Integer`` or
  ``RawValue``, ``$filter`` → ``Filter``, unknown names → ``RawValue``), with a consistent
  quote;
* segments stand where the path grammar reads them (an entity-set ID right after
  ``$entityset``, never elsewhere).

Importing this module imports Hypothesis; ``import restquery`` never imports this module.

>>> import restquery
>>> from hypothesis import given, settings
>>> @settings(max_examples=10)
... @given(requests())
... def check(req):
...     assert restquery.parse(restquery.unparse(req), method=req.method) == req
>>> check()
"""

from __future__ import annotations

import datetime
import re
import string
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from restquery.ast import (
    COMPARATORS,
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

if TYPE_CHECKING:
    from restquery.catalog import Catalog

__all__ = [
    "KEYWORDS",
    "attribute_lists",
    "attribute_paths",
    "comparisons",
    "expressions",
    "filter_values",
    "filters",
    "json_params",
    "keys",
    "names",
    "origins",
    "param_values",
    "params",
    "path_lists",
    "paths",
    "requests",
    "segments",
    "sort_lists",
    "texts",
]

#: Words the filter and sort grammars read as keywords; never drawn as names.
KEYWORDS = frozenset(
    {"and", "or", "except", "not", "begin", "in", "is", "asc", "desc", "true", "false", "null"}
)

#: Logical operator spellings (spec §4.3).
LOGICAL_SPELLINGS = ("AND", "&", "&&", "OR", "|", "||", "EXCEPT")

#: HTTP methods a request may carry (spec §1.6).
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# Mirrors of the grammar's terminals (grammar/query.lark, grammar/url.lark).
_BARE = re.compile(r"[^\s'\"()&|:\[][^\s\"()&|]*")
_ITEM_BARE = re.compile(r"[^\s'\"()&|:\[\],][^\s\"()&|\],]*")
_BARE_KEY = re.compile(r"[^/?&()\[\],\"]+")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INT = re.compile(r"[+-]?[0-9]+")
_NOT_WORD = re.compile(r"not\b", re.IGNORECASE)
_NAME = re.compile(r"[^\W\d]\w*")

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
    ...     assert name.lower() not in KEYWORDS
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
    return st.one_of(curated, drawn).filter(lambda n: n.lower() not in KEYWORDS)


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
    if _NUMBER.fullmatch(text) or text in ("true", "false", "null"):
        return True
    if _DATE.fullmatch(text):
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
    bare = _bare_texts(_ITEM_BARE if in_collection else _BARE).map(lambda v: Text(value=v))
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
    return not (
        op == "IS" and isinstance(value, Text) and not value.quoted and _NOT_WORD.match(value.value)
    )


def comparisons() -> st.SearchStrategy[Comparison]:
    """``left op right`` with every comparator of spec §4.2 and every value form:
    ``salary>20000``, ``lastName BEGIN j``, ``id IN [1,2]``, ``:1=5``.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(comparisons())
    ... def check(c):
    ...     assert c.op in COMPARATORS
    >>> check()
    """
    left = st.one_of(attribute_paths(), attribute_paths(), _placeholders())

    def build(op: str) -> st.SearchStrategy[Comparison]:
        right = filter_values().filter(lambda v: _readable_after(op, v))
        return st.builds(Comparison, left=left, op=st.just(op), right=right)

    return st.sampled_from(COMPARATORS).flatmap(build)


def _with_parens(node: Any, parens: int) -> Any:
    # ``parens`` counts redundant parentheses; it is not compared, only printed.
    return type(node)(**{k: getattr(node, k) for k in _EXPR_FIELDS[type(node)]}, parens=parens)


_EXPR_FIELDS: dict[type, tuple[str, ...]] = {
    Comparison: ("left", "op", "right"),
    Not: ("operand",),
    BoolOp: ("op", "operands"),
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
            op=st.sampled_from(LOGICAL_SPELLINGS),
            operands=st.lists(children, min_size=2, max_size=max_operands).map(tuple),
        )
        return st.one_of(negation, run, run)

    base: st.SearchStrategy[Expr] = comparisons()
    strategy = parenthesised(base)
    for _ in range(max_depth):
        strategy = parenthesised(st.one_of(base, extend(strategy)))
    return strategy


def _add_parens(expr: Any, parens: int) -> Any:
    return _with_parens(expr, parens) if parens else expr


def filters(*, catalog: Catalog | None = None, max_depth: int = 3) -> st.SearchStrategy[Filter]:
    """``$filter`` values (:class:`~restquery.ast.Filter` trees), schema-free.

    ``catalog`` is reserved for catalog-aware generation (names drawn from a ``$catalog``
    document), which comes with the checker; for now any value is accepted and ignored.

    >>> import restquery
    >>> from restquery.ast import Param, Path, Request
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(filters())
    ... def check(flt):
    ...     req = Request(path=Path(), params=(Param(name="$filter", value=flt, quote='"'),))
    ...     assert restquery.parse(restquery.unparse(req)) == req
    >>> check()
    """
    del catalog  # catalog-aware drawing comes with the checker
    return expressions(max_depth=max_depth).map(lambda e: Filter(expr=e))


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


def _json_data(max_leaves: int = 8) -> st.SearchStrategy[Any]:
    return st.recursive(
        _JSON_SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.one_of(names(), st.text(_ANY_CHAR, max_size=6)), inner, max_size=3),
        ),
        max_leaves=max_leaves,
    )


def _has_name_key(data: Any) -> bool:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if any(_NAME.fullmatch(k) and k not in ("true", "false", "null") for k in item):
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
        bad = _raw_texts().filter(lambda t: not _INT.fullmatch(t)).map(lambda t: RawValue(text=t))
        return st.one_of(integer, integer, bad)
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


def _text_keys() -> st.SearchStrategy[Key]:
    bare = st.one_of(
        st.sampled_from(["IT0911AB2200", "Acme001", "a b", "x-1", "1.2.3", "é", "a:b", "$x"]),
        st.text(_ANY_CHAR, min_size=1, max_size=10),
    ).filter(lambda t: bool(_BARE_KEY.fullmatch(t)) and not _NUMBER.fullmatch(t))
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


_PATH_KEYWORDS = [
    "$catalog",
    "$all",
    "$entityset",
    "$release",
    "$singleton",
    "$info",
    "$directory",
    "$upload",
    "$querypath",
    "$getWebForm",
    "$getfile",
    "$Catalog",
]


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


def requests(*, catalog: Catalog | None = None, max_params: int = 5) -> st.SearchStrategy[Request]:
    """Whole request trees: an optional origin, a path, up to ``max_params`` parameters and
    an optional HTTP method.

    ``catalog`` is reserved for catalog-aware generation (dataclass and attribute names drawn
    from a ``$catalog`` document), which comes with the checker; for now any value is accepted
    and ignored, and the trees are schema-free.

    >>> import restquery
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(requests())
    ... def check(req):
    ...     assert restquery.parse(restquery.unparse(req), method=req.method) == req
    >>> check()
    """
    del catalog  # catalog-aware drawing comes with the checker
    return st.builds(
        Request,
        path=paths(),
        params=st.lists(params(), max_size=max_params).map(tuple),
        origin=st.one_of(st.none(), st.none(), origins()),
        method=st.one_of(st.none(), st.sampled_from(METHODS)),
    )
