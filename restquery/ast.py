"""The typed syntax tree of a 4D REST URL.

Every node is immutable (assigning an attribute raises :class:`AttributeError`) and carries a
:class:`Span` into the text exactly as it was given to :func:`restquery.parse` (also when that
text was percent-encoded); spans, raw lexemes and redundant parentheses are excluded from
equality and hashing, so a tree built by hand compares equal to a parsed one:

>>> import restquery
>>> from restquery.ast import Comparison, KeySegment, Key
>>> req = restquery.parse("/rest/Company(11)")
>>> req.path.segments[0] == KeySegment(name="Company", key=Key(value=11))
True
>>> req.path.segments[0].span
Span(start=6, end=17)

Nodes take their fields by keyword, or positionally in the order the class declares them
(``span`` last). Edit a tree with :meth:`Node.replace` (:func:`dataclasses.replace`
and :func:`dataclasses.fields` work on nodes too); visit it with :meth:`Node.walk` and
:meth:`Node.find_all`; print it with :func:`restquery.unparse`:

>>> flt = restquery.parse('/rest/E?$filter="a=1 AND NOT b=2"').param("filter").value
>>> [c.left.dotted for c in flt.find_all(Comparison)]
['a', 'b']
"""

from __future__ import annotations

from collections import namedtuple

from restquery._nodes import DataclassFields, Field, rebuild, setup
from restquery._nodes import finish as _finish_nodes
from restquery._nodes import field as _field
from restquery._nodes import node as _node
from restquery.params import canonical_name

# Neither typing nor dataclasses is imported at run time: together they cost more than the
# whole tree. mypy reads the TYPE_CHECKING branches (and treats the node classes as
# dataclasses: restquery._nodes.node is a dataclass_transform).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import dataclasses
    import datetime
    from collections.abc import Iterator
    from operator import attrgetter
    from typing import Any, ClassVar, NamedTuple, Self, TypeAlias, TypeVar

    N = TypeVar("N", bound="Node")
    V = TypeVar("V", bound="Node")


__all__ = [
    "AttributeItem", "AttributeList", "AttributePath", "BoolOp", "Boolean", "CallSegment",
    "Collection", "Comparison", "Date", "EntitySetSegment", "Expr", "Filter", "Formula", "Integer",
    "Key", "KeySegment", "KeywordSegment", "LookupSegment", "NamesSegment", "Node", "Not", "Null",
    "Number", "Origin", "Param", "ParamValue", "Params", "Path", "PathList", "PathPart",
    "Placeholder", "RawValue", "Request", "Segment", "SortItem", "SortList", "Span", "Template",
    "Text", "Value", "Word", "cover", "is_template", "to_dict",
]

if TYPE_CHECKING:

    class Span(NamedTuple):
        start: int
        end: int

else:
    Span = namedtuple("Span", ("start", "end"), module=__name__)
    Span.__doc__ = "Half-open character range ``[start, end)`` into the text given to ``parse()``."


NO_SPAN = Span(0, 0)

_new_tuple = tuple.__new__

#: The default of every span field (``span``, ``name_span``, ...).
_SPAN = _field(default=NO_SPAN, compare=False)


def _span_of(node: Any) -> Span:
    # Constructors keep a span as the integer start << 32 | end when they can (restquery._nodes);
    # None, on a class with _span_from, is the span of its children.
    packed = node._span
    if packed.__class__ is int:
        return _new_tuple(Span, (packed >> 32, packed & 0xFFFFFFFF))
    if packed is None and node._span_from is not None:
        return _new_tuple(Span, (_edge(node, 0), _edge(node, 1)))
    span: Span = packed
    return span


def _edge(node: Any, side: int) -> int:
    """The start (side 0) or end (side 1) of ``node``'s span, following derived spans down
    the first or last child without recursion."""
    while True:
        packed = node._span
        if packed.__class__ is int:
            return packed >> 32 if side == 0 else packed & 0xFFFFFFFF
        ends = node._span_from
        if packed is not None or ends is None:
            edge: int = node.span[side]
            return edge
        child = getattr(node, ends[side])
        node = child[-side] if child.__class__ is tuple else child

class Node:
    """Base of every node: only the span, which never takes part in equality."""

    __slots__ = ("_span",)

    _fields: ClassVar[tuple[Field, ...]]
    _compared: ClassVar[tuple[str, ...]]
    _key: ClassVar[attrgetter[Any]]
    _data: ClassVar[tuple[str, ...]]
    # A function giving the direct children, the last first; None for leaves.
    _children: ClassVar[Any] = None
    # The fields whose first and last nodes bound a span left to be derived (span=None).
    _span_from: ClassVar[tuple[str, str] | None] = None
    if TYPE_CHECKING:

        @classmethod
        def _new(cls: type[N], *fields: Any) -> N:
            """The parser's constructor: every field positional, the span (packed) last."""
            ...

    if TYPE_CHECKING:
        __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

        @property
        def span(self) -> Span: ...

        @property
        def _span(self) -> Any: ...

    else:
        __dataclass_fields__ = DataclassFields()
        span = property(_span_of, doc="Where the node is written in the URL.")

        def __setattr__(self, name, value):
            from dataclasses import FrozenInstanceError

            raise FrozenInstanceError(f"cannot assign to field {name!r}")

        def __delattr__(self, name):
            from dataclasses import FrozenInstanceError

            raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            key = self._key
            same: bool = key(self) == key(other)
            return same
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._compared)
        return f"{type(self).__qualname__}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        return rebuild, (type(self), tuple(getattr(self, f.name) for f in self._fields))

    def replace(self, **changes: Any) -> Self:
        """A copy of the node with the given fields changed: ``cmp.replace(op="!=")`` (as
        :func:`dataclasses.replace` does); an unknown field name raises :class:`TypeError`."""
        args = {f.name: getattr(self, f.name) for f in self._fields}
        args.update(changes)
        return type(self)(**args)

    def walk(self) -> Iterator[Node]:
        """Every node of the subtree, this one first, in document order (pre-order: a node
        before its children, the children as they are written). Iterative, so trees of any
        depth can be walked.

        >>> import restquery
        >>> [type(n).__name__ for n in restquery.parse("/rest/E?$top=5").walk()]
        ['Request', 'Path', 'NamesSegment', 'AttributePath', 'PathPart', 'Param', 'Integer']
        """
        stack: list[Node] = [self]
        pop, push = stack.pop, stack.extend
        while stack:
            node = pop()
            yield node
            children = node._children
            if children is not None:
                push(children(node))

    def find_all(self, kind: type[N], *kinds: type[N]) -> Iterator[N]:
        """The nodes of :meth:`walk` that are instances of any of the given classes."""
        wanted = (kind, *kinds) if kinds else kind
        stack: list[Node] = [self]
        pop, push = stack.pop, stack.extend
        while stack:
            node = pop()
            if isinstance(node, wanted):
                yield node
            children = node._children
            if children is not None:
                push(children(node))

    def to_dict(self) -> dict[str, Any]:
        """The node as JSON-ready data: ``{"type": ..., "span": [start, end], ...fields}``."""
        return to_dict(self)


def cover(first: Node, last: Node) -> Span:
    """The span from the start of ``first`` to the end of ``last``, the span of a node made of
    both. Cheaper than ``Span(first.span.start, last.span.end)``, which makes two spans first.

    >>> from restquery.ast import PathPart, Span, cover
    >>> cover(PathPart("a", span=Span(0, 1)), PathPart("b", span=Span(2, 3)))
    Span(start=0, end=3)
    """
    a, b = first._span, last._span
    if a.__class__ is int and b.__class__ is int:
        return _new_tuple(Span, (a >> 32, b & 0xFFFFFFFF))
    return Span(_edge(first, 0), _edge(last, 1))


def as_span(span: Span | int) -> Span:
    """``span`` as a :class:`Span`, also when it is packed (``start << 32 | end``)."""
    if isinstance(span, int):
        return _new_tuple(Span, (span >> 32, span & 0xFFFFFFFF))
    return span


def cover_packed(first: Node, last: Node) -> int:
    """:func:`cover` as the packed integer nodes keep (``start << 32 | end``)."""
    a, b = first._span, last._span
    if a.__class__ is int and b.__class__ is int:
        return (a >> 32) << 32 | (b & 0xFFFFFFFF)
    return _edge(first, 0) << 32 | _edge(last, 1)


setup(Node, (Field("span", "Span", _SPAN),), None)


# ---------------------------------------------------------------------------------------------
# Shared pieces: attribute paths and literal keys
# ---------------------------------------------------------------------------------------------


@_node
class PathPart(Node):
    """One step of an attribute path (spec §4.4).

    ``index`` is ``""`` for ``children[]`` and a letter for the linked-criteria form
    ``locations[a]``; ``class_index`` is ``n`` in the many-to-many form ``actor{2}``.
    """

    name: str
    index: str | None = None
    class_index: int | None = None
    span: Span = _SPAN


@_node
class AttributePath(Node):
    """A dotted path such as ``employer.name`` (spec §4.4, §5, §6)."""

    parts: tuple[PathPart, ...]
    span: Span = _SPAN

    _span_from = ("parts", "parts")

    @property
    def names(self) -> tuple[str, ...]:
        """The plain names of the parts, without index decorations."""
        return tuple([p.name for p in self.parts])

    @property
    def dotted(self) -> str:
        """The names joined with dots (``"employer.name"``)."""
        return ".".join([p.name for p in self.parts])


@_node
class Key(Node):
    """An entity key or look-up value in a path (spec §2.1, P2–P4).

    ``value`` is an ``int`` or ``float`` for bare numbers and the text otherwise; ``quoted``
    records the ``"..."`` form. ``raw`` is the lexeme as written (after percent-decoding).
    """

    value: str | int | float
    quoted: bool = False
    raw: str | None = _field(default=None, compare=False)
    span: Span = _SPAN


# ---------------------------------------------------------------------------------------------
# URL anatomy (spec §1) and path segments (spec §2)
# ---------------------------------------------------------------------------------------------


@_node
class Origin(Node):
    """What precedes ``/rest``: ``http://127.0.0.1:8081``, ``localhost:80`` or the Qodly
    placeholder ``{{ApiEndpoint}}`` (spec §1.1)."""

    scheme: str | None = None
    host: str | None = None
    port: int | None = None
    placeholder: str | None = None
    span: Span = _SPAN


@_node
class KeywordSegment(Node):
    """A ``$`` path keyword: ``$catalog``, ``$all``, ``$entityset``, ``$release``, ``$info``,
    ``$directory``, ``$upload``, ``$singleton``, ``$querypath``, ``$getWebForm`` — or an
    unknown one, which the checker reports (spec §2.2, §3.28, R2)."""

    keyword: str
    span: Span = _SPAN


@_node
class NamesSegment(Node):
    """A segment of names: a dataclass, attribute, function or an attribute list
    (``firstName,lastName``). What each name denotes is for the checker to resolve
    against a catalog (spec §2.3)."""

    paths: tuple[AttributePath, ...]
    span: Span = _SPAN

    _span_from = ("paths", "paths")

    @property
    def name(self) -> str | None:
        """The name when the segment is a single undotted name, else ``None``."""
        if len(self.paths) == 1 and len(self.paths[0].parts) == 1:
            part = self.paths[0].parts[0]
            if part.index is None and part.class_index is None:
                return part.name
        return None


@_node
class KeySegment(Node):
    """``Company(1)`` or ``Company[1]``: one entity by primary key (P2, P3). After the first
    segment the parenthesised form is a legacy one-argument call (L1).

    ``name_span`` is where ``name`` is written: a percent-encoded name is longer in the URL
    than its decoded text, so it cannot be told from ``span`` and ``len(name)``.
    """

    name: str
    key: Key
    brackets: bool = False
    name_span: Span = _SPAN
    span: Span = _SPAN


@_node
class LookupSegment(Node):
    """``Company:companyCode(Acme001)``: one entity by a unique attribute (P4); ``name_span``
    and ``attribute_span`` are where the two names are written."""

    name: str
    attribute: str
    value: Key
    name_span: Span = _SPAN
    attribute_span: Span = _SPAN
    span: Span = _SPAN


@_node
class CallSegment(Node):
    """``addEmployee(John,Smith)``: a v18 project method with arguments (L1), or a composite
    key, which the checker rejects. ``name_span`` is where ``name`` is written."""

    name: str
    args: tuple[Key, ...]
    name_span: Span = _SPAN
    span: Span = _SPAN


@_node
class EntitySetSegment(Node):
    """The segment after ``$entityset/``: an entity-set ID (P9, P10, P13), optionally with
    Qodly's ``[key]`` suffix (spec §12 item 19); ``id_span`` is where ``id`` is written."""

    id: str
    key: Key | None = None
    id_span: Span = _SPAN
    span: Span = _SPAN


Segment: TypeAlias = KeywordSegment | NamesSegment | KeySegment | LookupSegment | CallSegment | EntitySetSegment


@_node
class Path(Node):
    """The path. ``prefix`` tells whether it starts with ``/rest`` (R1); ``segments`` are
    the segments after it; ``trailing_slash`` records one final ``/`` (spec §1.2)."""

    segments: tuple[Segment, ...] = ()
    prefix: bool = True
    trailing_slash: bool = False
    span: Span = _SPAN


# ---------------------------------------------------------------------------------------------
# $filter (spec §4)
# ---------------------------------------------------------------------------------------------


@_node
class Text(Node):
    """Text: ``'A@'`` (``quoted``) or bare ``acme``. ``@`` is the wildcard (spec §4.5)."""

    value: str
    quoted: bool = False
    span: Span = _SPAN


@_node
class Number(Node):
    """A number; ``raw`` keeps the lexeme (``1.50``) so printing is lossless."""

    value: int | float
    raw: str | None = _field(default=None, compare=False)
    span: Span = _SPAN


@_node
class Date(Node):
    """A ``YYYY-MM-DD`` date (spec §4.5)."""

    value: datetime.date
    raw: str | None = _field(default=None, compare=False)
    span: Span = _SPAN


@_node
class Boolean(Node):
    """``true`` or ``false``: a filter constant or a flag parameter value."""

    value: bool
    raw: str | None = _field(default=None, compare=False)
    span: Span = _SPAN


@_node
class Null(Node):
    """``null``: matches null and undefined values (spec §4.5)."""

    span: Span = _SPAN


@_node
class Placeholder(Node):
    """``:1`` (``index``) or ``:name`` (``name``), bound by ``$params`` (spec §4.6)."""

    index: int | None = None
    name: str | None = None
    span: Span = _SPAN


@_node
class Template(Node):
    """A template placeholder standing for a value: Postman's ``{{id}}``, the docs' syntax lines,
    a code template's hole (spec §1.1, §12). ``text`` is as written (``{{salary}}``, or a bare
    token holding one, ``{{name}}@``). What it holds is unknown: no rule judges it. A name that
    holds a template (``{{dataClass}}``, ``Employee_{{x}}``) stays a name; see :func:`is_template`.
    A whole parameter value may be one too (``$top={{n}}``, ``$filter={{filter}}``), and so
    may a JSON value inside ``$params`` (``[{{id}}]``, ``[{"ID":{{id}}}]``), where it stands
    for one value (spec §3.2; see :meth:`Params.templates`)."""

    text: str
    span: Span = _SPAN


def is_template(text: str) -> bool:
    """Whether a name, key or text holds a template placeholder (``{{dataClass}}``,
    ``Employee_{{suffix}}``): the grammar lets ``{{`` into a name only as a template.

    >>> is_template("{{dataClass}}"), is_template("Employee")
    (True, False)
    """
    return "{{" in text and "}}" in text


@_node
class Collection(Node):
    """``[v1,v2,...]``, the right side of ``IN`` (spec §4.5)."""

    items: tuple[Value, ...] = ()
    span: Span = _SPAN


Value: TypeAlias = Text | Number | Date | Boolean | Null | Placeholder | Template | Collection

#: Comparators of spec §4.2 as spelled in the tree (keywords upper-case).
COMPARATORS = (
    "=", "==", "===", "!=", "#", "!==", "<", "<=", ">", ">=", "%", "BEGIN", "IN", "IS", "IS NOT",
)


@_node
class Comparison(Node):
    """``left op right``: ``salary > 20000``, ``lastName begin j``. ``op`` is one of
    :data:`COMPARATORS`. ``parens`` counts redundant parentheses written around it."""

    left: AttributePath | Placeholder
    op: str
    right: Value
    parens: int = _field(default=0, compare=False)
    span: Span = _SPAN

    _span_from = ("left", "right")


@_node
class Not(Node):
    """``NOT expr`` (query() syntax, spec §4.3)."""

    operand: Expr
    parens: int = _field(default=0, compare=False)
    span: Span = _SPAN


@_node
class Formula(Node):
    """``eval(formula)``: a 4D formula evaluated per entity (query() syntax, spec §4.1).

    ``text`` is what stands between the parentheses, kept as written (up to two levels of
    nested parentheses; quoted text may hold any parenthesis).
    """

    text: str
    parens: int = _field(default=0, compare=False)
    span: Span = _SPAN


#: Logical operator spellings of spec §4.3 and what each means.
LOGICAL_OPS = {
    "AND": "AND", "&": "AND", "&&": "AND",
    "OR": "OR", "|": "OR", "||": "OR",
    "EXCEPT": "EXCEPT",
}


@_node
class BoolOp(Node):
    """A run of operands joined by one operator spelling: ``a AND b AND c``.

    ``op`` is the spelling (``AND``, ``&&``, ``&``, ``OR``, ``||``, ``|``, ``EXCEPT``); runs are
    flattened, so long chains stay shallow. Precedence: NOT, then AND, then OR and EXCEPT,
    left-associative (spec §4.3, design decision).
    """

    op: str
    operands: tuple[Expr, ...]
    parens: int = _field(default=0, compare=False)
    span: Span = _SPAN

    _span_from = ("operands", "operands")

    @property
    def kind(self) -> str:
        """``"AND"``, ``"OR"`` or ``"EXCEPT"`` whatever the spelling."""
        return LOGICAL_OPS[self.op]


Expr: TypeAlias = Comparison | Not | BoolOp | Formula


# ---------------------------------------------------------------------------------------------
# Parameter values (spec §3, §5, §6)
# ---------------------------------------------------------------------------------------------


@_node
class Filter(Node):
    """A ``$filter`` / ``$savedfilter`` query (spec §4), with query()'s optional
    ``order by`` clause (``order_by``)."""

    expr: Expr
    order_by: SortList | None = None
    span: Span = _SPAN

    # Derived only where no order_by is written (the lean pass leaves those spans to derive).
    _span_from = ("expr", "expr")


@_node
class SortItem(Node):
    """``lastName desc``; ``direction`` is ``"ASC"``, ``"DESC"`` or ``None`` (default
    ascending, spec §5)."""

    path: AttributePath
    direction: str | None = None
    span: Span = _SPAN


@_node
class SortList(Node):
    """``$orderby``, ``$savedorderby``, ``$subOrderby`` (spec §5)."""

    items: tuple[SortItem, ...]
    span: Span = _SPAN


@_node
class AttributeItem(Node):
    """``employer.name``, ``employer.*`` (``star`` with a path) or ``*`` alone (no path)."""

    path: AttributePath | None = None
    star: bool = False
    span: Span = _SPAN


@_node
class AttributeList(Node):
    """``$attributes`` (spec §6.1)."""

    items: tuple[AttributeItem, ...]
    span: Span = _SPAN


@_node
class PathList(Node):
    """``$expand`` (spec §3.5, §6.3): comma-separated attribute paths."""

    paths: tuple[AttributePath, ...]
    span: Span = _SPAN


@_node
class Params(Node):
    """``$params``: the JSON array of placeholder values or function arguments (spec §3.2).

    ``items`` holds JSON values (``dict``/``list`` inside; a template placeholder written as a
    value, ``[{{id}}]``, is a :class:`Template`, see :meth:`templates`). ``relaxed`` marks the
    unquoted-key form ``[{vector:[1,2,3]}]`` and ``value_is_array`` is false when the JSON is not an array
    (both reported by the checker, R38).
    """

    items: tuple[Any, ...] = ()
    relaxed: bool = False
    value_is_array: bool = True
    raw: str | None = _field(default=None, compare=False)
    span: Span = _SPAN

    def templates(self) -> tuple[Template, ...]:
        """The template placeholders written as JSON values in :attr:`items`, in text order.

        >>> import restquery
        >>> [t.text for t in restquery.parse('/rest/E?$params=[1,{"ID":{{id}}}]').param("$params").value.templates()]
        ['{{id}}']
        """
        found: list[Template] = []
        stack: list[Any] = list(self.items)
        while stack:
            value = stack.pop()
            if isinstance(value, Template):
                found.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(value)
            elif isinstance(value, dict):
                stack.extend(value.values())
        found.sort(key=lambda t: t.span[0])
        return tuple(found)


@_node
class Integer(Node):
    """An integer value (``$top``, ``$skip``, ``$limit``, ``$timeout``, ``$version``)."""

    value: int
    raw: str | None = _field(default=None, compare=False)
    span: Span = _SPAN


@_node
class Word(Node):
    """An enumerated value kept as written (``$method=delete``, ``$compute=$all``,
    ``$imageformat=JPEG``); the checker knows the allowed sets."""

    value: str
    span: Span = _SPAN


@_node
class RawValue(Node):
    """A value kept as text: an unknown parameter's value, or a typed parameter whose value
    does not have the expected form (``$top=ten``), for the checker to report."""

    text: str
    span: Span = _SPAN


ParamValue: TypeAlias = (
    Filter | SortList | AttributeList | PathList | Params | Integer | Boolean | Word | RawValue | Template
)


@_node
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
    span: Span = _SPAN

    @property
    def canonical(self) -> str | None:
        return canonical_name(self.name)


@_node
class Request(Node):
    """A whole request URL (spec §1.1), with the HTTP method when it was given.

    ``fragment`` is the text after a raw ``#`` (RFC 3986 §3.5), without the ``#``: a client
    never sends it, so it is kept and printed back but never judged. The request's span ends
    where the fragment's ``#`` stands.
    """

    path: Path
    params: tuple[Param, ...] = ()
    origin: Origin | None = None
    method: str | None = None
    fragment: str | None = None
    span: Span = _SPAN

    # The origin is written before the path.
    _walk_order = ("origin", "path", "params")

    def param(self, name: str) -> Param | None:
        """The first parameter whose documented spelling matches ``name``
        (case-insensitive, ``$`` optional): ``req.param("$filter")``."""
        wanted = canonical_name(name if name.startswith("$") else "$" + name)
        for p in self.params:
            if p.canonical is not None and p.canonical == wanted:
                return p
        return None

    def value(self, name: str, kind: type[V]) -> V:
        """The value of parameter ``name`` (as :meth:`param` finds it), checked to be a
        ``kind`` node, so that typed code needs no narrowing of its own:
        ``req.value("$top", Integer).value``. Raises :class:`~restquery.RestQueryError` when
        the request has no such parameter, or its value is another kind of node.

        >>> from restquery import parse
        >>> parse("/rest/Employee?$top=10").value("$top", Integer).value
        10
        """
        from restquery.errors import RestQueryError

        p = self.param(name)
        if p is None:
            raise RestQueryError(f"the request has no {name} parameter")
        value = p.value
        if not isinstance(value, kind):
            got = "no value" if value is None else f"a {type(value).__name__}"
            raise RestQueryError(f"{p.name} holds {got}, not a {kind.__name__}")
        return value


# ---------------------------------------------------------------------------------------------
# Serialisation
# ---------------------------------------------------------------------------------------------


def to_dict(node: Node) -> dict[str, Any]:
    """``node`` as plain JSON-ready data (:mod:`restquery._tree_data`).

    >>> from restquery.ast import Key, to_dict
    >>> to_dict(Key(value=1))
    {'type': 'Key', 'span': [0, 0], 'value': 1, 'quoted': False, 'raw': None}
    """
    from restquery._tree_data import node_data

    return node_data(node)


# Every node class is declared: compile their constructors at once (restquery._nodes).
_finish_nodes()
