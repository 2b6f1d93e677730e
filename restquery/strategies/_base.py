"""Shared pieces: names, attribute paths, filter values, path segments and paths."""

from __future__ import annotations

import re
import string
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from restquery.ast import (
    AttributePath,
    Boolean,
    CallSegment,
    Collection,
    Date,
    EntitySetSegment,
    Key,
    KeySegment,
    KeywordSegment,
    LookupSegment,
    NamesSegment,
    Null,
    Number,
    Path,
    PathPart,
    Placeholder,
    Segment,
    Text,
    Value,
)
from restquery.syntax.lexicon import NUMBER, PATH_KEYWORDS, lexicon
from restquery.syntax.values import typed_token as _typed_token

if TYPE_CHECKING:
    pass


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
