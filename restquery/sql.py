"""``$filter``, ``$orderby``, ``$top``/``$skip``, ``$attributes``, ``$compute`` and ``$distinct``
as SQLAlchemy Core, over tables made from a :class:`~restquery.Catalog`; and :func:`matches`, an
in-memory evaluator of the same filters with the same semantics (for tests, and to check a
translation).

>>> import sqlalchemy as sa, restquery
>>> from restquery.sql import tables, select
>>> cat = restquery.Catalog.from_json({"dataClasses": [{"name": "E", "attributes": [
...     {"name": "ID", "kind": "storage", "type": "long", "identifying": True},
...     {"name": "name", "kind": "storage", "type": "string"}]}]})
>>> t = tables(cat, sa.MetaData())
>>> print(select(restquery.parse('/rest/E?$filter="name=j@"&$top=2'), t, cat))  # doctest: +NORMALIZE_WHITESPACE
SELECT "E"."ID", "E".name FROM "E"
WHERE "E".name IS NOT NULL AND rq_fold("E".name) LIKE :rq_fold_1 ESCAPE '\\' LIMIT :param_1

4D's semantics, as ``docs/sql.md`` pins them with their sources:

* text comparisons ignore case and diacritics (``rq_fold``: case folding and the removal of
  combining marks; :func:`install` registers it in SQLite);
* ``@`` is a wildcard at any position for ``=``, ``==``, ``!=`` and ``IN``; ``===``, ``!==``,
  ``IS`` and ``IS NOT`` take it literally;
* ``begin`` is a prefix match; ``EXCEPT`` is ``AND NOT``; ``=null`` / ``!=null`` test for null;
  a null attribute makes every other comparison false (assumed), so ``NOT`` is the complement;
* a value of another type than the attribute's matches nothing, and differs (``!=``) from every
  value that is not null (assumed);
* a relation path (``employer.name``, ``staff.lastName``) holds when some related entity
  matches (an ``IN`` subquery); an alias is its path; a path into an object attribute
  (``settings.city``) reads the JSON (``json_extract``), typed per entity; ``[]`` in it
  (``settings.tags[].name``) holds when some element of the collection matches;
* dates compare as dates, booleans as booleans.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa

from restquery.ast import (
    AttributePath,
    Boolean,
    BoolOp,
    Collection,
    Comparison,
    Date,
    Filter,
    Not,
    Null,
    Number,
    Placeholder,
    Request,
    Text,
)
from restquery.errors import RestQueryError
from restquery.semantics.operators import COMPARATORS

__all__ = ["COMPUTE", "SqlError", "fold", "install", "matches", "order_by", "parameters", "select", "tables", "where"]


class SqlError(RestQueryError):
    """A request this translation does not cover (a formula, a keyword search, linked
    criteria ``[a]``), or that names what the catalog lacks."""


#: The kind of value each catalog type class compares as; ``json`` for object attributes
#: (typed per entity), and no entry for what a filter does not compare (BLOBs, pictures).
_KINDS = {"string": "text", "uuid": "text", "numeric": "number", "boolean": "bool", "date": "date",
          "object": "json"}

#: The column type of each kind (and of BLOBs and pictures, stored but never compared).
_COLUMN_TYPES: dict[str, Any] = {"text": sa.String, "bool": sa.Boolean, "date": sa.Date,
                                 "blob": sa.LargeBinary, "picture": sa.LargeBinary}

#: ``json_type`` answers, per kind of value.
_JSON_TYPES = {"text": ("text",), "number": ("integer", "real"), "bool": ("true", "false")}

# The comparators by what they test (restquery.semantics.operators); IN compares each
# element with `=`.
_EQ = frozenset(c for c, m in COMPARATORS.items() if m.test == "eq")
_NE = frozenset(c for c, m in COMPARATORS.items() if m.test == "ne")
_WILDCARD = frozenset(c for c, m in COMPARATORS.items() if m.wildcard and m.test in ("eq", "ne"))
_ORDER = frozenset(c for c, m in COMPARATORS.items() if m.test in ("lt", "le", "gt", "ge"))
_BEGIN = frozenset(c for c, m in COMPARATORS.items() if m.test == "begin")
_IN = frozenset(c for c, m in COMPARATORS.items() if m.test == "in")
#: The largest integer SQLite stores (a 64-bit one).
INT64_MAX = 2**63 - 1


def _kind(attr: Any) -> str | None:
    return _KINDS.get(attr.type_class)


def _column_type(attr: Any) -> Any:
    cls = attr.type_class
    if cls == "numeric":
        from restquery.codegen import python_type

        return sa.Float() if python_type(attr.type) == "float" else sa.Integer()
    if cls == "object":
        return sa.JSON(none_as_null=True)
    kind = _COLUMN_TYPES.get(_KINDS.get(cls, cls))
    return None if kind is None else kind()


def tables(catalog: Any, metadata: sa.MetaData) -> dict[str, sa.Table]:
    """A table per dataclass: a column per storage attribute (objects as JSON, BLOBs and
    pictures as bytes; vectors make none), and per ``relatedEntity`` a column holding the
    related entity's key (named as the relation)."""
    out: dict[str, sa.Table] = {}
    for dc in catalog.dataclasses.values():
        columns: list[sa.Column[Any]] = []
        pk = dc.primary_key.name if dc.primary_key is not None else None
        for attr in dc.attributes.values():
            if attr.kind == "storage":
                kind = _column_type(attr)
                if kind is not None:
                    columns.append(sa.Column(attr.name, kind, primary_key=attr.name == pk))
            elif attr.kind == "relatedEntity":
                target = catalog.relation_target(dc, attr)
                key = target.primary_key if target is not None else None
                kind = _column_type(key) if key is not None else None
                columns.append(sa.Column(attr.name, kind if kind is not None else sa.Integer()))
        out[dc.name] = sa.Table(dc.name, metadata, *columns)
    return out


def fold(text: str) -> str:
    """Text as 4D compares it: case folded, combining marks (diacritics) removed; a lone
    surrogate (which SQLite cannot store) reads as U+FFFD."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _storable("".join(c for c in decomposed if not unicodedata.combining(c)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def _storable(text: str) -> str:
    """``text`` with each lone surrogate (which SQLite cannot store) as U+FFFD."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if _has_surrogate(text) else text


def install(dbapi_connection: Any, *_: Any) -> None:
    """Register ``rq_fold`` in a SQLite connection: ``sa.event.listen(engine, "connect",
    install)``."""
    dbapi_connection.create_function("rq_fold", 1, lambda v: None if v is None else fold(str(v)), deterministic=True)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _Term(NamedTuple):
    """What a filter's attribute path reads: the relation hops (``(dataclass, attribute)``
    each), the attribute at the end, the path inside it (an object attribute) and the kind of
    value it holds (``none``: a calculated attribute, null here; ``json``: per entity).
    ``each``: in ``settings.tags[].name``, how many names of ``sub`` lead to the collection
    whose elements are compared (``1``: ``tags``), else ``None``."""

    hops: tuple[tuple[Any, Any], ...]
    attr: Any
    sub: tuple[str, ...]
    kind: str
    each: int | None = None


class _Ctx:
    def __init__(self, catalog: Any, tables_: Mapping[str, sa.Table], params: Sequence[Any]) -> None:
        self.catalog = catalog
        self.tables = tables_
        self.params = params

    def value(self, node: Any, kind: str) -> Any:
        """The value ``node`` stands for; a placeholder's, from ``$params``, read as ``kind``
        reads it (JSON writes a date as text; an empty text is the null date, assumed; other text
        stays text)."""
        if isinstance(node, Placeholder):
            if node.index is None or not 1 <= node.index <= len(self.params):
                raise SqlError(f"placeholder :{node.index} has no value in $params")
            value = self.params[node.index - 1]
            if kind == "date" and isinstance(value, str):
                if value == "":
                    return None
                try:
                    return datetime.date.fromisoformat(value)
                except ValueError:
                    return value  # a text, which no date equals
            return value
        if isinstance(node, Null):
            return None
        if isinstance(node, (Text, Number, Boolean, Date)):
            return node.value
        raise SqlError(f"a {type(node).__name__} value is not translated")

    def resolve(self, dataclass: str, path: Any) -> _Term:
        if not isinstance(path, AttributePath):
            raise SqlError("a placeholder as an attribute is not translated")
        if any(p.class_index is not None for p in path.parts):
            raise SqlError("many-to-many class indexes ({n}) are not translated")
        if any(p.index for p in path.parts):
            raise SqlError("linked criteria ([a]) are not translated")
        collections = [n for n, p in enumerate(path.parts) if p.index is not None]
        if len(collections) > 1:
            raise SqlError("a path through more than one collection ([]) is not translated")
        names = list(path.names)
        dc = self.catalog.dataclass(dataclass)
        hops: list[tuple[Any, Any]] = []
        aliases = 0
        i = 0
        while i < len(names):
            attr = dc.attribute(names[i]) if dc is not None else None
            if attr is None:
                raise SqlError(f"`{dc.name if dc else dataclass}` has no attribute `{names[i]}`")
            last = i == len(names) - 1
            if attr.kind == "alias" and attr.path and aliases < 8:
                aliases += 1
                names[i : i + 1] = attr.path.split(".")
                continue
            if attr.is_relation:
                target = self.catalog.relation_target(dc, attr)
                if target is None or target.primary_key is None:
                    raise SqlError(f"`{attr.name}` leads nowhere the catalog knows")
                if last:
                    if attr.kind != "relatedEntity":
                        raise SqlError(f"`{attr.name}` is a set of entities, not a value")
                    return _Term(tuple(hops), attr, (), _kind(target.primary_key) or "number")
                hops.append((dc, attr))
                dc, i = target, i + 1
                continue
            kind = "none" if attr.kind == "calculated" else _kind(attr)
            if collections and (kind != "json" or len(names) != len(path.parts)):
                raise SqlError("[] is translated on a collection inside an object attribute only")
            if kind == "json":
                each = collections[0] - i if collections else None
                if each is not None and each < 0:
                    raise SqlError("[] is translated on a collection inside an object attribute only")
                return _Term(tuple(hops), attr, tuple(names[i + 1 :]), kind, each)
            if not last:
                raise SqlError(f"`{attr.name}` has no attributes (a {attr.type} attribute)")
            if kind is None or (kind != "none" and self.tables and attr.name not in self.tables[dc.name].c):
                raise SqlError(f"`{attr.name}` is not compared (a {attr.type} attribute)")
            return _Term(tuple(hops), attr, (), kind)
        raise SqlError("an empty attribute path")


# --- the decision both engines render -----------------------------------------------------------


def _value_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime.date):
        return "date"
    return "other"


def _plan(op: str, kind: str, value: Any) -> tuple[Any, ...]:
    """What the comparison ``<attribute of kind> op value`` tests, in terms both engines
    render: ``("null",)``, ``("notnull",)``, ``("false",)``, ``("cmp", op, kind, value)`` (the
    attribute is not null and compares so), or ``("json", op, kind, value)`` (per entity:
    ``cmp`` when its value has that kind, else ``!=`` holds unless it is null)."""
    if value is None:
        if op in _EQ:
            return ("null",)
        if op in _NE:
            return ("notnull",)
        return ("false",)  # an ordering or begin against null (assumed)
    if op not in _EQ and op not in _NE and op not in _ORDER and op not in _BEGIN:
        raise SqlError(f"the comparator {op} is not translated (a keyword search needs 4D's index)")
    vk = _value_kind(value)
    if kind == "json":
        if vk == "date":
            vk, value = "text", value.isoformat()
        return ("json", op, vk, value) if vk in _JSON_TYPES else ("notnull",) if op in _NE else ("false",)
    if kind == "none":
        return ("false",)
    if vk != kind or (op in _BEGIN and kind != "text"):
        return ("notnull",) if op in _NE else ("false",)
    return ("cmp", op, vk, value)


def _plans(ctx: _Ctx, term: _Term, cmp: Comparison) -> list[tuple[Any, ...]]:
    """The plans of ``cmp`` whose OR it is (one, or one per ``IN`` element)."""
    op = cmp.op.upper()
    if op in _IN:
        if not isinstance(cmp.right, Collection):
            raise SqlError("IN takes a collection")
        return [_plan("=", term.kind, ctx.value(v, term.kind)) for v in cmp.right.items]
    return [_plan(op, term.kind, ctx.value(cmp.right, term.kind))]


# --- SQL -------------------------------------------------------------------------------------------


def _bind(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and abs(value) > INT64_MAX:
        try:
            return float(value)
        except OverflowError:
            return math.copysign(math.inf, value)
    if isinstance(value, str):
        return _storable(value)
    return value


def _sql_cmp(expr: Any, op: str, kind: str, value: Any) -> Any:
    if kind == "text":
        folded, text = sa.func.rq_fold(expr), fold(value)
        if op in _BEGIN:  # `@` in a begin value is taken as written (assumed)
            return folded.like(_escape(text) + "%", escape="\\")
        if op in _EQ or op in _NE:
            test = (folded.like(_escape(text).replace("@", "%"), escape="\\")
                    if op in _WILDCARD and "@" in text else folded == text)
            return test if op in _EQ else sa.not_(test)
        return _ordered(folded, op, text)
    bound = sa.literal(_bind(value))
    if op in _EQ:
        return expr == bound
    if op in _NE:
        return expr != bound
    return _ordered(expr, op, bound)


def _ordered(left: Any, op: str, right: Any) -> Any:
    test = COMPARATORS[op].test
    if test == "lt":
        return left < right
    if test == "le":
        return left <= right
    if test == "gt":
        return left > right
    return left >= right


def _json_path(sub: Sequence[str]) -> str:
    return "$" + "".join('."' + s.replace('"', '\\"') + '"' for s in sub)


def _sql_plan(plan: tuple[Any, ...], term: _Term, table: Any) -> Any:
    what = plan[0]
    if term.kind == "none":
        return sa.true() if what == "null" else sa.false()
    column = table.c[term.attr.name]
    if term.kind == "json" and term.each is not None:
        # some element of the collection: EXISTS over json_each, each element read back from
        # the column by its full path (a scalar element has no properties: null, not an error)
        array = _json_path(term.sub[: term.each])
        each = sa.func.json_each(column, array).table_valued(sa.column("fullkey", sa.String)).alias()
        element = each.c.fullkey.concat(_json_path(term.sub[term.each :])[1:])
        test = _sql_json(plan, sa.func.json_type(column, element), sa.func.json_extract(column, element))
        return sa.and_(sa.func.json_type(column, array) == "array",
                       sa.exists(sa.select(sa.literal(1)).select_from(each).where(test)))
    if term.kind == "json":
        path = _json_path(term.sub)
        return _sql_json(plan, sa.func.json_type(column, path), sa.func.json_extract(column, path))
    if what == "null":
        return column.is_(None)
    if what == "notnull":
        return column.is_not(None)
    if what == "false":
        return sa.false()
    _, op, kind, value = plan
    return sa.and_(column.is_not(None), _sql_cmp(column, op, kind, value))


def _sql_json(plan: tuple[Any, ...], jtype: Any, expr: Any) -> Any:
    """The plan on a value read from JSON: ``jtype`` its ``json_type``, ``expr`` its value."""
    what = plan[0]
    if what == "null":
        return sa.or_(jtype.is_(None), jtype == "null")
    if what == "notnull":
        return sa.and_(jtype.is_not(None), jtype != "null")
    if what == "false":
        return sa.false()
    _, op, kind, value = plan
    # two-valued like every comparison: a missing path (json_type NULL) is false here
    same = sa.and_(jtype.is_not(None), jtype.in_(_JSON_TYPES[kind]), _sql_cmp(expr, op, kind, value))
    if op in _NE:
        return sa.or_(same, sa.and_(jtype.is_not(None), jtype.not_in((*_JSON_TYPES[kind], "null"))))
    return same


def _levels(ctx: _Ctx, dataclass: str, term: _Term) -> list[Any]:
    """The table of each level of ``term``'s path: ``dataclass``'s, then an alias of each
    relation's target, so that a relation to the same dataclass (``manager.lastName``) is not
    correlated with the outer query."""
    levels: list[Any] = [ctx.tables[dataclass]]
    for owner, rel in term.hops:
        levels.append(ctx.tables[ctx.catalog.relation_target(owner, rel).name].alias())
    return levels


def _condition(ctx: _Ctx, dataclass: str, cmp: Comparison) -> Any:
    term = ctx.resolve(dataclass, cmp.left)
    levels = _levels(ctx, dataclass, term)
    parts = [_sql_plan(p, term, levels[-1]) for p in _plans(ctx, term, cmp)]
    clause = parts[0] if len(parts) == 1 else sa.or_(*parts) if parts else sa.false()
    for n in reversed(range(len(term.hops))):
        owner, rel = term.hops[n]
        own, tgt = levels[n], levels[n + 1]
        target = ctx.catalog.relation_target(owner, rel)
        if rel.kind == "relatedEntity":
            fk = own.c[rel.name]
            clause = sa.and_(fk.is_not(None), fk.in_(sa.select(tgt.c[target.primary_key.name]).where(clause)))
        else:  # relatedEntities: the target's relation back to us holds our key
            if (rel.path or "") not in tgt.c:
                raise SqlError(f"`{rel.name}` names no relation back from `{target.name}`")
            back = tgt.c[rel.path or ""]
            clause = own.c[owner.primary_key.name].in_(sa.select(back).where(clause, back.is_not(None)))
    return clause


def where(expr: Any, dataclass: str, tables_: Mapping[str, sa.Table], catalog: Any,
          params: Sequence[Any] = ()) -> Any:
    """The SQL condition of the filter expression ``expr`` on ``dataclass``."""
    ctx = _Ctx(catalog, tables_, params)

    def walk(node: Any) -> Any:
        if isinstance(node, Comparison):
            return _condition(ctx, dataclass, node)
        if isinstance(node, Not):
            return sa.not_(walk(node.operand))
        if isinstance(node, BoolOp):
            parts = [walk(o) for o in node.operands]
            kind = node.kind
            if kind == "AND":
                return sa.and_(*parts)
            if kind == "OR":
                return sa.or_(*parts)
            out = parts[0]
            for p in parts[1:]:
                out = sa.and_(out, sa.not_(p))
            return out
        raise SqlError(f"a {type(node).__name__} is not translated")

    return walk(expr)


def _value_expr(ctx: _Ctx, dataclass: str, path: Any) -> Any:
    """The SQL expression of an attribute path's value for one entity of ``dataclass`` (to-one
    relations as scalar subqueries), for sorting and ``$compute``; text folded for sorting is
    the caller's business."""
    term = ctx.resolve(dataclass, path)
    if any(rel.kind != "relatedEntity" for _, rel in term.hops):
        raise SqlError(f"`{'.'.join(path.names)}` goes through a set of entities: it has no one value")
    levels = _levels(ctx, dataclass, term)
    leaf = levels[-1]
    if term.kind == "none":
        expr: Any = sa.null()
    elif term.kind == "json":
        expr = sa.func.json_extract(leaf.c[term.attr.name], _json_path(term.sub))
    else:
        expr = leaf.c[term.attr.name]
    for n in reversed(range(len(term.hops))):
        owner, rel = term.hops[n]
        target = ctx.catalog.relation_target(owner, rel)
        expr = (sa.select(expr).where(levels[n + 1].c[target.primary_key.name] == levels[n].c[rel.name])
                .scalar_subquery())
    return expr, term


def order_by(sort: Any, dataclass: str, tables_: Mapping[str, sa.Table], catalog: Any) -> list[Any]:
    """The ``ORDER BY`` terms of a parsed sort list (``$orderby``): text in 4D's order (folded),
    to-one relation paths and object paths included; the primary key last, so that pages are
    stable."""
    ctx = _Ctx(catalog, tables_, ())
    out = []
    for item in getattr(sort, "items", ()):
        expr, term = _value_expr(ctx, dataclass, item.path)
        if term.kind == "text":
            expr = sa.func.rq_fold(expr)
        out.append(expr.desc() if (item.direction or "").upper() == "DESC" else expr.asc())
    dc = catalog.dataclass(dataclass)
    if dc is not None and dc.primary_key is not None and dc.primary_key.name in tables_[dataclass].c:
        out.append(tables_[dataclass].c[dc.primary_key.name].asc())
    return out


#: ``$compute`` keywords and their aggregate functions (spec §3.9); ``$all`` is all of them
#: for numbers, ``count``, ``min`` and ``max`` for text.
COMPUTE: dict[str, Any] = {"count": sa.func.count, "sum": sa.func.sum, "average": sa.func.avg, "min": sa.func.min,
                           "max": sa.func.max}


def parameters(request: Request) -> dict[str, Any]:
    """The value of each parameter of ``request`` by its documented name, a synonym under the
    name it stands for (``$limit`` as ``$top``); the first occurrence wins."""
    from restquery.params import parameter

    out: dict[str, Any] = {}
    for p in request.params:
        if p.canonical:
            decl = parameter(p.canonical)
            out.setdefault(decl.same_as or p.canonical if decl is not None else p.canonical, p.value)
    return out


def select(request: Request, tables_: Mapping[str, sa.Table], catalog: Any) -> Any:
    """``SELECT`` of what ``request`` reads: its dataclass's table, ``$filter`` (with
    ``$params``), ``$orderby``, ``$attributes`` (the storage columns it names, the key
    first), ``$top`` and ``$skip``; on one attribute of the collection
    (``/rest/Employee/salary``, ``/rest/User/settings.city``), ``$compute`` (one row of
    aggregates, labelled by keyword) and ``$distinct=true`` (its distinct values, after
    ``$top``/``$skip``)."""
    from restquery.shape import classify

    shape = classify(request, catalog)
    dataclass = shape.dataclass
    if shape.form not in ("P1", "P5", "P7") or dataclass is None or dataclass not in tables_:
        raise SqlError("the request reads no collection of a dataclass of the catalog")
    table = tables_[dataclass]
    params = parameters(request)
    values = list(getattr(params.get("$params"), "items", ()))
    ctx = _Ctx(catalog, tables_, values)
    flt = params.get("$filter")
    condition = where(flt.expr, dataclass, tables_, catalog, values) if isinstance(flt, Filter) else None
    attribute = term = None
    if shape.form == "P7" and shape.tail is not None:
        attribute, term = _value_expr(ctx, dataclass, shape.tail.paths[0])
        attribute = attribute.label("value")
    compute = params.get("$compute")
    if compute is not None:
        if attribute is None or term is None:
            raise SqlError("$compute needs the attribute as a path segment (/rest/Employee/salary)")
        keyword = str(getattr(compute, "value", "")).lower()
        numeric = term.kind in ("number", "json")
        keywords = (list(COMPUTE) if numeric else ["count", "min", "max"]) if keyword == "$all" else [keyword]
        if any(k not in COMPUTE for k in keywords) or (not numeric and {"sum", "average"} & set(keywords)):
            raise SqlError(f"$compute={keyword} does not apply to `{shape.tail.paths[0]}`")  # type: ignore[union-attr]
        inner = sa.select(attribute)
        if condition is not None:
            inner = inner.where(condition)
        sub = inner.subquery()
        return sa.select(*(COMPUTE[k](sub.c.value).label(k) for k in keywords))
    if attribute is not None:
        cols = [attribute]
    else:
        cols = list(table.c)
        attrs = params.get("$attributes")
        named = [i.path.parts[0].name for i in getattr(attrs, "items", ()) if i.path is not None]
        if named and not any(i.path is None for i in getattr(attrs, "items", ())):
            keep = [c for c in table.c if c.primary_key or c.name in named]
            cols = keep or cols
    query = sa.select(*cols)
    if condition is not None:
        query = query.where(condition)
    order = params.get("$orderby")
    if order is not None:
        query = query.order_by(*order_by(order, dataclass, tables_, catalog))
    top, skip = params.get("$top"), params.get("$skip")
    if top is not None:
        query = query.limit(top.value)
    if skip is not None:
        query = query.offset(skip.value)
    distinct = params.get("$distinct")
    if distinct is not None and getattr(distinct, "value", False) is True:
        if attribute is None:
            raise SqlError("$distinct needs the attribute as a path segment (/rest/Company/name)")
        page = query.subquery()
        return sa.select(page.c.value).distinct().order_by(page.c.value)
    return query


# --- the in-memory evaluator ---------------------------------------------------------------------


def _json_value(value: Any, sub: Sequence[str]) -> Any:
    for name in sub:
        if not isinstance(value, dict) or name not in value:
            return None
        value = value[name]
    return value


def _json_kind(value: Any) -> str:
    kind = _value_kind(value)
    return "other" if kind == "date" else kind


def _py_cmp(have: Any, op: str, kind: str, value: Any) -> bool:
    if kind == "text":
        a, b = fold(str(have)), fold(value)
        if op in _BEGIN:
            return a.startswith(b)
        if op in _EQ or op in _NE:
            if op in _WILDCARD and "@" in b:
                test = re.fullmatch("".join(".*" if c == "@" else re.escape(c) for c in b), a, re.DOTALL) is not None
            else:
                test = a == b
            return test if op in _EQ else not test
        return bool(_ordered(a, op, b))
    value = _bind(value) if kind != "bool" else value
    if op in _EQ:
        return bool(have == value)
    if op in _NE:
        return bool(have != value)
    return bool(_ordered(have, op, value))


def _py_plan(plan: tuple[Any, ...], term: _Term, row: Mapping[str, Any]) -> bool:
    if term.kind == "none":
        return bool(plan[0] == "null")
    have = row.get(term.attr.name)
    if term.kind == "json" and term.each is not None:
        items = _json_value(have, term.sub[: term.each])
        return isinstance(items, list) and any(
            _py_value_plan(plan, _json_value(item, term.sub[term.each :])) for item in items)
    if term.kind == "json":
        have = _json_value(have, term.sub)
    return _py_value_plan(plan, have)


def _py_value_plan(plan: tuple[Any, ...], have: Any) -> bool:
    what = plan[0]
    if what == "null":
        return have is None
    if what == "notnull":
        return have is not None
    if what == "false" or have is None:
        return False
    _, op, kind, value = plan
    if what == "json" and _json_kind(have) != kind:
        return op in _NE
    return _py_cmp(have, op, kind, value)


def matches(expr: Any, dataclass: str, entity: Mapping[str, Any], catalog: Any,
            data: Mapping[str, Sequence[Mapping[str, Any]]], params: Sequence[Any] = ()) -> bool:
    """Whether ``entity`` of ``dataclass`` passes the filter ``expr``: the semantics of
    :func:`where`, in Python (``data``: every dataclass's rows, for relation paths; object
    attributes as parsed JSON)."""
    ctx = _Ctx(catalog, {}, params)

    def holds(cmp: Comparison, row: Mapping[str, Any]) -> bool:
        term = ctx.resolve(dataclass, cmp.left)
        rows: list[Mapping[str, Any]] = [row]
        for owner, rel in term.hops:
            target = ctx.catalog.relation_target(owner, rel)
            pk = target.primary_key.name
            nxt: list[Mapping[str, Any]] = []
            for r in rows:
                if rel.kind == "relatedEntity":
                    key = r.get(rel.name)
                    nxt += [t for t in data[target.name] if key is not None and t.get(pk) == key]
                else:
                    opk = r.get(owner.primary_key.name)
                    nxt += [t for t in data[target.name] if opk is not None and t.get(rel.path or "") == opk]
            rows = nxt
        plans = _plans(ctx, term, cmp)
        return any(_py_plan(p, term, r) for r in rows for p in plans)

    def walk(node: Any) -> bool:
        if isinstance(node, Comparison):
            return holds(node, entity)
        if isinstance(node, Not):
            return not walk(node.operand)
        if isinstance(node, BoolOp):
            kind = node.kind
            results = [walk(o) for o in node.operands]
            if kind == "AND":
                return all(results)
            if kind == "OR":
                return any(results)
            return results[0] and not any(results[1:])
        raise SqlError(f"a {type(node).__name__} is not evaluated")

    return walk(expr)
