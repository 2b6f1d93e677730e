"""The typed syntax tree of a 4D REST URL.

Every node is a frozen, slotted, keyword-only dataclass. Each carries a :class:`Span` into the
text exactly as it was given to :func:`restquery.parse` (also when that text was
percent-encoded); spans, raw lexemes and redundant parentheses are excluded from equality, so a
tree built by hand compares equal to a parsed one:

>>> import restquery
>>> from restquery.ast import KeySegment, Key
>>> req = restquery.parse("/rest/Company(11)")
>>> req.path.segments[0] == KeySegment(name="Company", key=Key(value=11))
True
>>> req.path.segments[0].span
Span(start=6, end=17)

Edit trees with :func:`dataclasses.replace`; print them with :func:`restquery.unparse`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple, TypeAlias

from restquery.params import canonical_name

__all__ = [
    "AttributeItem",
    "AttributeList",
    "AttributePath",
    "BoolOp",
    "Boolean",
    "CallSegment",
    "Collection",
    "Comparison",
    "Date",
    "EntitySetSegment",
    "Expr",
    "Filter",
    "Formula",
    "Integer",
    "Key",
    "KeySegment",
    "KeywordSegment",
    "LookupSegment",
    "NamesSegment",
    "Node",
    "Not",
    "Null",
    "Number",
    "Origin",
    "Param",
    "ParamValue",
    "Params",
    "Path",
    "PathList",
    "PathPart",
    "Placeholder",
    "RawValue",
    "Request",
    "Segment",
    "SortItem",
    "SortList",
    "Span",
    "Text",
    "Value",
    "Word",
    "to_dict",
]


class Span(NamedTuple):
    """Half-open character range ``[start, end)`` into the text given to ``parse()``."""

    start: int
    end: int


NO_SPAN = Span(0, 0)



@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """Base of every node: only the span, which never takes part in equality."""

    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The node as JSON-ready data: ``{"type": ..., "span": [start, end], ...fields}``."""
        return to_dict(self)


# ---------------------------------------------------------------------------------------------
# Shared pieces: attribute paths and literal keys
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PathPart(Node):
    """One step of an attribute path (spec §4.4).

    ``index`` is ``""`` for ``children[]`` and a letter for the linked-criteria form
    ``locations[a]``; ``class_index`` is ``n`` in the many-to-many form ``actor{2}``.
    """

    name: str
    index: str | None = None
    class_index: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributePath(Node):
    """A dotted path such as ``employer.name`` (spec §4.4, §5, §6)."""

    parts: tuple[PathPart, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The plain names of the parts, without index decorations."""
        return tuple(p.name for p in self.parts)

    @property
    def dotted(self) -> str:
        """The names joined with dots (``"employer.name"``)."""
        return ".".join(p.name for p in self.parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Key(Node):
    """An entity key or look-up value in a path (spec §2.1, P2–P4).

    ``value`` is an ``int`` or ``float`` for bare numbers and the text otherwise; ``quoted``
    records the ``"..."`` form. ``raw`` is the lexeme as written (after percent-decoding).
    """

    value: str | int | float
    quoted: bool = False
    raw: str | None = field(default=None, compare=False, repr=False)


# ---------------------------------------------------------------------------------------------
# URL anatomy (spec §1) and path segments (spec §2)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin(Node):
    """What precedes ``/rest``: ``http://127.0.0.1:8081``, ``localhost:80`` or the Qodly
    placeholder ``{{ApiEndpoint}}`` (spec §1.1)."""

    scheme: str | None = None
    host: str | None = None
    port: int | None = None
    placeholder: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class KeywordSegment(Node):
    """A ``$`` path keyword: ``$catalog``, ``$all``, ``$entityset``, ``$release``, ``$info``,
    ``$directory``, ``$upload``, ``$singleton``, ``$querypath``, ``$getWebForm`` — or an
    unknown one, which the checker reports (spec §2.2, §3.28, R2)."""

    keyword: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NamesSegment(Node):
    """A segment of names: a dataclass, attribute, function or an attribute list
    (``firstName,lastName``). What each name denotes is for the checker to resolve
    against a catalog (spec §2.3)."""

    paths: tuple[AttributePath, ...]

    @property
    def name(self) -> str | None:
        """The name when the segment is a single undotted name, else ``None``."""
        if len(self.paths) == 1 and len(self.paths[0].parts) == 1:
            part = self.paths[0].parts[0]
            if part.index is None and part.class_index is None:
                return part.name
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class KeySegment(Node):
    """``Company(1)`` or ``Company[1]``: one entity by primary key (P2, P3). After the first
    segment the parenthesised form is a legacy one-argument call (L1).

    ``name_span`` is where ``name`` is written: a percent-encoded name is longer in the URL
    than its decoded text, so it cannot be told from ``span`` and ``len(name)``.
    """

    name: str
    key: Key
    brackets: bool = False
    name_span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class LookupSegment(Node):
    """``Company:companyCode(Acme001)``: one entity by a unique attribute (P4); ``name_span``
    and ``attribute_span`` are where the two names are written."""

    name: str
    attribute: str
    value: Key
    name_span: Span = field(default=NO_SPAN, compare=False, repr=False)
    attribute_span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class CallSegment(Node):
    """``addEmployee(John,Smith)``: a v18 project method with arguments (L1), or a composite
    key, which the checker rejects. ``name_span`` is where ``name`` is written."""

    name: str
    args: tuple[Key, ...]
    name_span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class EntitySetSegment(Node):
    """The segment after ``$entityset/``: an entity-set ID (P9, P10, P13), optionally with
    Qodly's ``[key]`` suffix (spec §12 item 19); ``id_span`` is where ``id`` is written."""

    id: str
    key: Key | None = None
    id_span: Span = field(default=NO_SPAN, compare=False, repr=False)


Segment: TypeAlias = KeywordSegment | NamesSegment | KeySegment | LookupSegment | CallSegment | EntitySetSegment


@dataclass(frozen=True, slots=True, kw_only=True)
class Path(Node):
    """The path. ``prefix`` tells whether it starts with ``/rest`` (R1); ``segments`` are
    the segments after it; ``trailing_slash`` records one final ``/`` (spec §1.2)."""

    segments: tuple[Segment, ...] = ()
    prefix: bool = True
    trailing_slash: bool = False


# ---------------------------------------------------------------------------------------------
# $filter (spec §4)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Text(Node):
    """Text: ``'A@'`` (``quoted``) or bare ``acme``. ``@`` is the wildcard (spec §4.5)."""

    value: str
    quoted: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Number(Node):
    """A number; ``raw`` keeps the lexeme (``1.50``) so printing is lossless."""

    value: int | float
    raw: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Date(Node):
    """A ``YYYY-MM-DD`` date (spec §4.5)."""

    value: datetime.date
    raw: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Boolean(Node):
    """``true`` or ``false``: a filter constant or a flag parameter value."""

    value: bool
    raw: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Null(Node):
    """``null``: matches null and undefined values (spec §4.5)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Placeholder(Node):
    """``:1`` (``index``) or ``:name`` (``name``), bound by ``$params`` (spec §4.6)."""

    index: int | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Collection(Node):
    """``[v1,v2,...]``, the right side of ``IN`` (spec §4.5)."""

    items: tuple[Value, ...] = ()


Value: TypeAlias = Text | Number | Date | Boolean | Null | Placeholder | Collection

#: Comparators of spec §4.2 as spelled in the tree (keywords upper-case).
COMPARATORS = (
    "=", "==", "===", "!=", "#", "!==", "<", "<=", ">", ">=", "%", "BEGIN", "IN", "IS", "IS NOT",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison(Node):
    """``left op right``: ``salary > 20000``, ``lastName begin j``. ``op`` is one of
    :data:`COMPARATORS`. ``parens`` counts redundant parentheses written around it."""

    left: AttributePath | Placeholder
    op: str
    right: Value
    parens: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Not(Node):
    """``NOT expr`` (query() syntax, spec §4.3)."""

    operand: Expr
    parens: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Formula(Node):
    """``eval(formula)``: a 4D formula evaluated per entity (query() syntax, spec §4.1).

    ``text`` is what stands between the parentheses, kept as written (up to two levels of
    nested parentheses; quoted text may hold any parenthesis).
    """

    text: str
    parens: int = field(default=0, compare=False, repr=False)


#: Logical operator spellings of spec §4.3 and what each means.
LOGICAL_OPS = {
    "AND": "AND", "&": "AND", "&&": "AND",
    "OR": "OR", "|": "OR", "||": "OR",
    "EXCEPT": "EXCEPT",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class BoolOp(Node):
    """A run of operands joined by one operator spelling: ``a AND b AND c``.

    ``op`` is the spelling (``AND``, ``&&``, ``&``, ``OR``, ``||``, ``|``, ``EXCEPT``); runs are
    flattened, so long chains stay shallow. Precedence: NOT, then AND, then OR and EXCEPT,
    left-associative (spec §4.3, design decision).
    """

    op: str
    operands: tuple[Expr, ...]
    parens: int = field(default=0, compare=False, repr=False)

    @property
    def kind(self) -> str:
        """``"AND"``, ``"OR"`` or ``"EXCEPT"`` whatever the spelling."""
        return LOGICAL_OPS[self.op]


Expr: TypeAlias = Comparison | Not | BoolOp | Formula


# ---------------------------------------------------------------------------------------------
# Parameter values (spec §3, §5, §6)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Filter(Node):
    """A ``$filter`` / ``$savedfilter`` query (spec §4), with query()'s optional
    ``order by`` clause (``order_by``)."""

    expr: Expr
    order_by: SortList | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SortItem(Node):
    """``lastName desc``; ``direction`` is ``"ASC"``, ``"DESC"`` or ``None`` (default
    ascending, spec §5)."""

    path: AttributePath
    direction: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SortList(Node):
    """``$orderby``, ``$savedorderby``, ``$subOrderby`` (spec §5)."""

    items: tuple[SortItem, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributeItem(Node):
    """``employer.name``, ``employer.*`` (``star`` with a path) or ``*`` alone (no path)."""

    path: AttributePath | None = None
    star: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributeList(Node):
    """``$attributes`` (spec §6.1)."""

    items: tuple[AttributeItem, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PathList(Node):
    """``$expand`` (spec §3.5, §6.3): comma-separated attribute paths."""

    paths: tuple[AttributePath, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Params(Node):
    """``$params``: the JSON array of placeholder values or function arguments (spec §3.2).

    ``items`` holds JSON values (``dict``/``list`` inside). ``relaxed`` marks the unquoted-key
    form ``[{vector:[1,2,3]}]`` and ``value_is_array`` is false when the JSON is not an array
    (both reported by the checker, R38).
    """

    items: tuple[Any, ...] = ()
    relaxed: bool = False
    value_is_array: bool = True
    raw: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Integer(Node):
    """An integer value (``$top``, ``$skip``, ``$limit``, ``$timeout``, ``$version``)."""

    value: int
    raw: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Word(Node):
    """An enumerated value kept as written (``$method=delete``, ``$compute=$all``,
    ``$imageformat=JPEG``); the checker knows the allowed sets."""

    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RawValue(Node):
    """A value kept as text: an unknown parameter's value, or a typed parameter whose value
    does not have the expected form (``$top=ten``), for the checker to report."""

    text: str


ParamValue: TypeAlias = Filter | SortList | AttributeList | PathList | Params | Integer | Boolean | Word | RawValue


@dataclass(frozen=True, slots=True, kw_only=True)
class Param(Node):
    """One ``name=value`` query parameter.

    ``name`` is spelled as written; :attr:`canonical` is the documented spelling when the name
    is one of the 29 of spec §3 (matched case-insensitively), else ``None``. ``value`` is
    ``None`` when no ``=`` was written. ``quote`` is the quote character that wrapped the
    value (``'"'``, ``"'"`` or ``""``); ``trailing_slash`` records the docs' stray ``/`` after
    a quoted value (spec §1.2).
    """

    name: str
    value: ParamValue | None = None
    quote: str = ""
    trailing_slash: bool = False

    @property
    def canonical(self) -> str | None:
        return canonical_name(self.name)


@dataclass(frozen=True, slots=True, kw_only=True)
class Request(Node):
    """A whole request URL (spec §1.1), with the HTTP method when it was given."""

    path: Path
    params: tuple[Param, ...] = ()
    origin: Origin | None = None
    method: str | None = None

    def param(self, name: str) -> Param | None:
        """The first parameter whose documented spelling matches ``name``
        (case-insensitive, ``$`` optional): ``req.param("$filter")``."""
        wanted = canonical_name(name if name.startswith("$") else "$" + name)
        for p in self.params:
            if p.canonical is not None and p.canonical == wanted:
                return p
        return None


# ---------------------------------------------------------------------------------------------
# Serialisation
# ---------------------------------------------------------------------------------------------

_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = tuple(f.name for f in fields(cls) if f.name != "span")
        _FIELDS[cls] = names
    return names


def _plain(value: Any) -> Any:
    if isinstance(value, Node):
        return to_dict(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def to_dict(node: Node) -> dict[str, Any]:
    """``node`` as plain JSON-ready data.

    >>> from restquery.ast import Key, to_dict
    >>> to_dict(Key(value=1))
    {'type': 'Key', 'span': [0, 0], 'value': 1, 'quoted': False, 'raw': None}
    """
    out: dict[str, Any] = {"type": type(node).__name__, "span": [node.span[0], node.span[1]]}
    for name in _field_names(type(node)):
        out[name] = _plain(getattr(node, name))
    return out
