"""Syntax trees: filters, sort and attribute lists, parameters, origins, whole requests."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from restquery.ast import (
    AttributeItem,
    AttributeList,
    Boolean,
    BoolOp,
    Comparison,
    Expr,
    Filter,
    Formula,
    Integer,
    Not,
    Origin,
    Param,
    Params,
    PathList,
    RawValue,
    Request,
    SortItem,
    SortList,
    Text,
    Value,
    Word,
)
from restquery.params import PARAMETERS, TABLE, canonical_name, declared, value_kind
from restquery.syntax.lexicon import INTEGER, lexicon

if TYPE_CHECKING:
    from restquery.strategies._views import _View
from restquery.strategies._base import (
    METHODS,
    _ANY_CHAR,
    _is_name,
    _placeholders,
    attribute_paths,
    filter_values,
    names,
    paths,
)


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
    # The schema-aware filters are built from the clean pieces, which read this module.
    from restquery.strategies._clean import _clean_filters
    from restquery.strategies._views import _schema

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


#: Words of ``word`` parameters: every documented value (from the parameter table), in its
#: case and another, and an entity-set ID.
_WORDS = sorted(
    {v for p in TABLE for v in (*p.values, *p.legacy_values)}
    | {v.swapcase() for p in TABLE for v in p.values[:2]}
    | {"9718A30BF61343C796345F3BE5B01CE7"}
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
            st.sampled_from(_WORDS),
            st.text(_ANY_CHAR, min_size=1, max_size=10),
        ).map(lambda w: Word(value=w))
        return st.one_of(words, words, words, st.just(RawValue(text="")))
    saved_true = st.sampled_from(["true", "TRUE", "True"]).map(lambda r: Boolean(value=True, raw=r))
    saved = canonical is not None and declared(canonical).takes_true
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
    variants = [canonical, canonical.lower(), canonical.upper(), *declared(canonical).spellings]
    return st.sampled_from(list(dict.fromkeys(variants)))


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
    from restquery.strategies._views import _schema
    from restquery.strategies._valid import _catalog_requests

    return _catalog_requests(_schema(catalog), max_params)
