"""Requests built from Python values, checked as they are built: a client's URLs cannot be
wrong.

>>> from restquery.build import F, Q
>>> q = (Q("Employee").filter((F.salary > 20000) & F.lastName.begins("O'Re"))
...      .orderby(F.lastName.desc(), F.firstName).top(10))
>>> q.url(encode=False)
'/rest/Employee?$filter="salary>:1 AND lastName BEGIN :2"&$params=\\'[20000,"O\\\\u0027Re"]\\'&$orderby="lastName DESC,firstName"&$top=10'

Values go into ``$params`` behind ``:N`` placeholders (spec §3.2, R38), so that no value,
however hostile (``'``, ``"``, ``&``, ``x OR salary>0``), is read as filter text;
``Q(..., inline=True)`` writes them into the filter instead, as the printer quotes them, and
refuses a value that would not read back the same. Every builder is immutable: each method
returns a new one, checked by :func:`restquery.validate` (with the builder's catalog, if
any); an error raises :class:`~restquery.ValidationError` at the call that caused it, with the
code and "did you mean" ``validate`` gives. :meth:`Q.url` is the request as sent, guaranteed to
parse back to :meth:`Q.request`.

``F.salary``, ``F.employer.name`` name attributes (a path of any length); they compare with
``>``, ``>=``, ``<``, ``<=``, ``==``, ``!=``, and have ``begins``, ``is_in``, ``is_null``,
``asc``/``desc``; conditions combine with ``&``, ``|`` and ``~``.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

from restquery.ast import (
    AttributeItem,
    AttributeList,
    AttributePath,
    Boolean,
    BoolOp,
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
    NamesSegment,
    Not,
    Null,
    Number,
    Param,
    Params,
    Path,
    PathList,
    PathPart,
    Placeholder,
    Request,
    Segment,
    SortItem,
    SortList,
    Text,
    Value,
    Word,
)
from restquery.errors import RestQueryError, ValidationError

__all__ = ["F", "Condition", "Field", "Fields", "Q", "Sort"]


#: Warnings of ``validate`` that a builder refuses as errors: a parameter on a path form that
#: ignores it (``Q("Employee", 1).top(5)``), a `$timeout` where no entity set is made, paging
#: an entity set the server pages itself. A hand-written URL may carry them; a built one has
#: no reason to.
REFUSED_WARNINGS = frozenset(
    {"parameter-on-single-entity", "timeout-context", "paging-ignored-on-entityset"}
)


class BuildError(RestQueryError):
    """A builder was used in a way no request can express (``and`` between conditions, a
    value of a type no filter holds)."""


# --- fields and conditions -----------------------------------------------------------------


T = TypeVar("T")


class Field(Generic[T]):
    """An attribute path: ``F.salary``, ``F.employer.name`` (a ``Field[Any]``), or a typed one
    of a module ``restquery codegen`` wrote (``Employee.salary: Field[float]``), whose
    comparisons take values of its type only."""

    __slots__ = ("_names",)
    _names: tuple[str, ...]

    def __init__(self, names: tuple[str, ...]) -> None:
        object.__setattr__(self, "_names", names)

    def __getattr__(self, name: str) -> Field[Any]:
        if name.startswith("__"):
            raise AttributeError(name)
        return Field((*self._names, name))

    def __setattr__(self, name: str, value: object) -> None:
        raise BuildError("a field is immutable")

    def __repr__(self) -> str:
        return f"F.{'.'.join(self._names)}"

    @property
    def path(self) -> str:
        """The dotted path, ``employer.name``."""
        return ".".join(self._names)

    def _cmp(self, op: str, value: object) -> Condition:
        return Condition("cmp", (self, op, value))

    # The comparisons build conditions, not booleans: a Field is no dict key.
    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, value: T | None) -> Condition:  # type: ignore[override]
        return self.is_null() if value is None else self._cmp("=", value)

    def __ne__(self, value: T | None) -> Condition:  # type: ignore[override]
        return ~self.is_null() if value is None else self._cmp("!=", value)

    def __gt__(self, value: T) -> Condition:
        return self._cmp(">", value)

    def __ge__(self, value: T) -> Condition:
        return self._cmp(">=", value)

    def __lt__(self, value: T) -> Condition:
        return self._cmp("<", value)

    def __le__(self, value: T) -> Condition:
        return self._cmp("<=", value)

    def begins(self, text: T) -> Condition:
        """``path begin text`` (spec §4.2)."""
        return self._cmp("BEGIN", text)

    def is_in(self, values: Iterable[T]) -> Condition:
        """``path IN [v1, v2]`` (spec §4.2)."""
        return self._cmp("IN", list(values))

    def is_null(self) -> Condition:
        """``path=null``."""
        return Condition("null", (self,))

    def asc(self) -> Sort:
        return Sort(self, "ASC")

    def desc(self) -> Sort:
        return Sort(self, "DESC")


class _Fields:
    """``F``: ``F.name`` is the :class:`Field` of that attribute."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Field[Any]:
        if name.startswith("__"):
            raise AttributeError(name)
        return Field((name,))

    def __call__(self, path: str) -> Field[Any]:
        """``F("employer.name")``: a path written as text."""
        return Field(tuple(path.split(".")))


F = _Fields()


class Fields:
    """Base of the classes ``restquery codegen`` writes, one per dataclass: an instance is the
    dataclass (``Q(Employee)``) or the attributes reached through a relation
    (``Employee.employer.name``), its fields prefixed with the relation's path."""

    __restquery_dataclass__: str = ""

    def __init__(self, prefix: tuple[str, ...] = ()) -> None:
        self._prefix = prefix

    def _field(self, name: str) -> Field[Any]:
        return Field((*self._prefix, name))


@dataclasses.dataclass(frozen=True)
class Sort:
    """A sort item: a field and its direction."""

    field: Field[Any]
    direction: str | None = None


@dataclasses.dataclass(frozen=True, eq=False)
class Condition:
    """A filter condition: a comparison, ``null`` test, or ``&``/``|``/``~`` of others."""

    kind: str  # "cmp", "null", "and", "or", "not"
    parts: tuple[Any, ...]

    def __and__(self, other: Condition) -> Condition:
        return Condition("and", (self, _condition(other)))

    def __or__(self, other: Condition) -> Condition:
        return Condition("or", (self, _condition(other)))

    def __invert__(self) -> Condition:
        return Condition("not", (self,))

    def __bool__(self) -> bool:
        raise BuildError(
            "a condition has no truth value: combine conditions with & (and), | (or) and ~ (not),"
            " each in parentheses, as in (F.a > 1) & (F.b == 2)"
        )


def _condition(value: object) -> Condition:
    if not isinstance(value, Condition):
        raise BuildError(f"conditions combine with conditions, not {type(value).__name__}")
    return value


# --- values -----------------------------------------------------------------------------------


def _json_value(value: object) -> object:
    """``value`` as $params carries it: JSON data (a date as its ISO text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    raise BuildError(f"a filter value is text, a number, a boolean, a date or null, not {type(value).__name__}")


def _inline(value: object) -> Value:
    """``value`` written in the filter."""
    if value is None:
        return Null()
    if isinstance(value, bool):
        return Boolean(value=value)
    if isinstance(value, (int, float)):
        return Number(value=value)
    if isinstance(value, str):
        return Text(value=value, quoted=True)
    if isinstance(value, datetime.datetime):
        raise BuildError("a filter compares dates, not date-times: pass a date")
    if isinstance(value, datetime.date):
        return Date(value=value)
    raise BuildError(f"a filter value is text, a number, a boolean, a date or null, not {type(value).__name__}")


class _Values:
    """The values of a filter: placeholders in order, or written inline."""

    def __init__(self, inline: bool) -> None:
        self.inline = inline
        self.items: list[object] = []

    def node(self, value: object) -> Value:
        if self.inline:
            return _inline(value)
        self.items.append(_json_value(value))
        return Placeholder(index=len(self.items))


def _apath(field: Field[Any] | str) -> AttributePath:
    names = field._names if isinstance(field, Field) else tuple(field.split("."))
    if not all(names):
        raise BuildError(f"{field!r} is not an attribute path")
    return AttributePath(parts=tuple(PathPart(name=n) for n in names))


def _expr(cond: Condition, values: _Values) -> Expr:
    kind, parts = cond.kind, cond.parts
    if kind == "cmp":
        field, op, value = parts
        if op == "IN":
            right: Value = Collection(items=tuple(values.node(v) for v in value))
        else:
            right = values.node(value)
        return Comparison(left=_apath(field), op=op, right=right)
    if kind == "null":
        return Comparison(left=_apath(parts[0]), op="=", right=Null())
    if kind == "not":
        return Not(operand=_expr(parts[0], values), parens=1)
    op = "AND" if kind == "and" else "OR"
    operands: list[Expr] = []
    for p in parts:
        e = _expr(p, values)
        # a nested group of the other operator keeps its parentheses (R41: no mixed chains)
        if isinstance(e, BoolOp) and e.op != op:
            e = BoolOp(op=e.op, operands=e.operands, parens=1)
        if isinstance(e, BoolOp) and e.op == op and not e.parens:
            operands.extend(e.operands)
        else:
            operands.append(e)
    return BoolOp(op=op, operands=tuple(operands))


# --- the request builder ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _State:
    dataclass: str
    key: object = None
    attribute: str | None = None
    entity_set: str | None = None
    function: str | None = None
    args: tuple[object, ...] | None = None
    where: Condition | None = None
    order: tuple[Sort, ...] = ()
    attributes: tuple[str, ...] = ()
    expand: tuple[str, ...] = ()
    top: int | None = None
    skip: int | None = None
    binary: bool = False
    method: str | None = None
    timeout: int | None = None


class Q:
    """A request to build: ``Q("Employee")``, ``Q("Employee", 11)`` (an entity by key),
    ``Q(Employee)`` (a dataclass of a module ``restquery codegen`` wrote). ``catalog`` (a
    :class:`~restquery.Catalog`, or what ``validate`` takes) checks names and types at each
    call, ``policy`` (a :class:`restquery.Policy`) the server's limits; ``inline`` writes
    values in the filter instead of ``$params``."""

    __slots__ = ("_catalog", "_inline", "_policy", "_state")

    def __init__(
        self, dataclass: object, key: object = None, *, catalog: Any = None, inline: bool = False,
        policy: Any = None,
    ) -> None:
        name = getattr(dataclass, "__restquery_dataclass__", dataclass)
        if not isinstance(name, str) or not name:
            raise BuildError(f"a dataclass is named by a string, not {type(dataclass).__name__}")
        if catalog is not None and not hasattr(catalog, "dataclasses"):
            from restquery.catalog import catalog_argument

            catalog = catalog_argument(catalog)
        from restquery.policy import policy_argument

        self._catalog = catalog
        self._inline = inline
        self._policy = policy_argument(policy)
        self._state = _State(name, key)
        self._check()

    # --- building ---------------------------------------------------------------------------

    def _with(self, **changes: Any) -> Q:
        new = object.__new__(Q)
        new._catalog = self._catalog
        new._inline = self._inline
        new._policy = self._policy
        new._state = dataclasses.replace(self._state, **changes)
        new._check()
        return new

    def filter(self, condition: Condition) -> Q:
        """``$filter``: the condition, AND the one already given."""
        cond = _condition(condition)
        where = self._state.where
        return self._with(where=cond if where is None else where & cond)

    def orderby(self, *items: Sort | Field[Any] | str) -> Q:
        """``$orderby``: fields (ascending as the server sorts) or ``F.x.desc()``."""
        order = tuple(i if isinstance(i, Sort) else Sort(i if isinstance(i, Field) else F(i)) for i in items)
        return self._with(order=self._state.order + order)

    def attributes(self, *paths: Field[Any] | str) -> Q:
        """``$attributes``: the attributes to return (``"employer.name"`` or ``F.employer.name``)."""
        return self._with(attributes=self._state.attributes + tuple(_path_text(p) for p in paths))

    def expand(self, *paths: Field[Any] | str) -> Q:
        """``$expand``: relation or BLOB attributes to expand."""
        return self._with(expand=self._state.expand + tuple(_path_text(p) for p in paths))

    def top(self, n: int) -> Q:
        return self._with(top=_count("top", n))

    def skip(self, n: int) -> Q:
        return self._with(skip=_count("skip", n))

    def attribute(self, name: str) -> Q:
        """The path segment of one attribute: ``Q("User", 5).attribute("profilePicture")``."""
        return self._with(attribute=name)

    def binary(self) -> Q:
        """``$binary=true``: download the BLOB or picture attribute of the path, with the
        ``$expand`` naming it that the server needs (R15)."""
        attr = self._state.attribute
        if attr is None:
            raise BuildError("$binary downloads an attribute: name it first with .attribute(name)")
        expand = self._state.expand if attr in self._state.expand else (*self._state.expand, attr)
        return self._with(binary=True, expand=expand)

    def entityset(self, entity_set: str | None = None, *, timeout: int | None = None) -> Q:
        """``entityset(timeout=600)`` creates an entity set of this request
        (``$method=entityset``); ``entityset("9718A3…")`` reads an existing one."""
        if entity_set is not None:
            return self._with(entity_set=entity_set)
        return self._with(method="entityset", timeout=None if timeout is None else _count("timeout", timeout))

    def release(self) -> Q:
        """``$method=release`` of the entity set read (spec §3.13)."""
        return self._with(method="release")

    def update(self) -> Q:
        """``$method=update`` (POST): create or update the entities of the JSON body."""
        return self._with(method="update")

    def delete(self) -> Q:
        """``$method=delete`` (POST): drop the entity (or the selection) of the path."""
        return self._with(method="delete")

    def call(self, function: str, args: Sequence[object] = ()) -> Q:
        """A class function (POST): its name as a path segment, ``args`` as the JSON body."""
        return self._with(function=function, args=tuple(_json_value(a) for a in args))

    # --- the request ------------------------------------------------------------------------

    @property
    def dataclass(self) -> str:
        """The name of the dataclass the request starts from."""
        return self._state.dataclass

    @property
    def http_method(self) -> str:
        """The HTTP verb the request is sent with."""
        posted = self._state.function is not None or self._state.method in ("update", "delete")
        return "POST" if posted else "GET"

    def body(self) -> bytes | None:
        """The JSON body (a class function's arguments), or ``None``."""
        if self._state.args is None:
            return None
        import json

        return json.dumps(list(self._state.args), ensure_ascii=False).encode("utf-8")

    def request(self) -> Request:
        """The :class:`restquery.ast.Request` this builder makes."""
        return self._build()

    def url(self, *, encode: bool = True) -> str:
        """The URL: percent-encoded, ready for the wire; ``encode=False`` as the docs write it.
        It parses back to :meth:`request` (checked: a value that would not is refused)."""
        from restquery.parser import parse
        from restquery.printer import unparse

        if self._policy is not None:
            self._check(complete=True)
        req = self.request()
        text = unparse(req, encode=encode)
        back = parse(text, method=self.http_method)
        if back != req:
            raise BuildError(
                "the request cannot be written so that it reads back the same; with inline=True,"
                " pass hostile values through placeholders (the default)"
            )
        if self._policy is not None:  # what only the text shows: its length (max_url_length)
            found = self._policy.check(back, text, self.http_method)
            if found:
                raise ValidationError(f"{found[0].code}: {found[0].message}", found)
        return text

    def _build(self) -> Request:
        s = self._state
        segments: list[Segment] = []
        if s.key is None:
            segments.append(NamesSegment(paths=(_apath(s.dataclass),)))
        else:
            segments.append(KeySegment(name=s.dataclass, key=_key(s.key)))
        if s.entity_set is not None:
            segments += [KeywordSegment(keyword="$entityset"), EntitySetSegment(id=s.entity_set)]
        if s.attribute is not None:
            segments.append(NamesSegment(paths=(_apath(s.attribute),)))
        if s.function is not None:
            segments.append(NamesSegment(paths=(_apath(s.function),)))
        params: list[Param] = []
        values = _Values(self._inline)
        if s.where is not None:
            params.append(Param(name="$filter", value=Filter(expr=_expr(s.where, values)), quote='"'))
        if values.items:
            params.append(Param(name="$params", value=Params(items=tuple(values.items)), quote="'"))
        if s.order:
            items = tuple(SortItem(path=_apath(o.field), direction=o.direction) for o in s.order)
            params.append(Param(name="$orderby", value=SortList(items=items), quote='"'))
        if s.attributes:
            attrs = tuple(AttributeItem(path=_apath(a)) for a in s.attributes)
            params.append(Param(name="$attributes", value=AttributeList(items=attrs)))
        if s.binary:
            params.append(Param(name="$binary", value=Boolean(value=True, raw="true")))
        if s.expand:
            params.append(Param(name="$expand", value=PathList(paths=tuple(_apath(e) for e in s.expand))))
        if s.top is not None:
            params.append(Param(name="$top", value=Integer(value=s.top)))
        if s.skip is not None:
            params.append(Param(name="$skip", value=Integer(value=s.skip)))
        if s.method is not None:
            params.append(Param(name="$method", value=Word(value=s.method)))
        if s.timeout is not None:
            params.append(Param(name="$timeout", value=Integer(value=s.timeout)))
        req = Request(path=Path(segments=tuple(segments)), params=tuple(params), method=self.http_method)
        return req

    def _check(self, complete: bool = False) -> None:
        """Raise on what the request as built so far gets wrong; ``complete``: it is about to
        be sent, so a policy's ``require_top`` applies too (a later call may add ``$top``)."""
        import restquery

        req = self.request()
        found = restquery.validate(req, catalog=self._catalog, method=self.http_method, policy=self._policy)
        errors = [
            d for d in found
            if (d.severity == "error" or d.name in REFUSED_WARNINGS) and (complete or d.name != "top-required")
        ]
        if errors:
            first = errors[0]
            hint = f" ({first.hint})" if first.hint else ""
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise ValidationError(f"{first.code}: {first.message}{hint}{more}", found)

    def __repr__(self) -> str:
        try:
            return f"Q({self.url(encode=False)!r})"
        except RestQueryError:
            return f"Q({self._state.dataclass!r})"


def _path_text(path: Field[Any] | str) -> str:
    return path.path if isinstance(path, Field) else path


def _count(what: str, n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise BuildError(f"${what} takes a whole number of 0 or more, not {n!r}")
    return n


def _key(value: object) -> Key:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise BuildError(f"an entity key is a number or a text, not {type(value).__name__}")
    return Key(value=value, quoted=isinstance(value, str))
