"""Clean pieces: values a validating server accepts without a warning."""

from __future__ import annotations

import functools
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
    Date,
    Expr,
    Filter,
    Key,
    KeySegment,
    LookupSegment,
    Null,
    Number,
    Params,
    Placeholder,
    Segment,
    SortItem,
    SortList,
    Text,
    Value,
)
from restquery.syntax.lexicon import lexicon

if TYPE_CHECKING:
    pass
from restquery.strategies._base import (
    _ANY_CHAR,
    _bare_key,
    names,
)
from restquery.syntax.values import typed_token as _typed_token
from restquery.strategies._trees import (
    _json_data,
    _with_parens,
)
from restquery.strategies._views import (
    _View,
    _apath,
    _names_of,
    _typed_of,
)


# ---------------------------------------------------------------------------------------------
# Clean pieces: values a validating server accepts without a warning
# ---------------------------------------------------------------------------------------------

_ENTITY_SET_IDS = st.text("0123456789ABCDEF", min_size=32, max_size=32)


@functools.cache
def _rest_comparators(words: bool) -> tuple[str, ...]:
    """The REST ``$filter`` page's comparators (spec §4.2): its symbols, and BEGIN if ``words``."""
    from restquery.semantics.operators import REST_COMPARATORS as REST

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
