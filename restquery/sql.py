"""``$filter``, ``$orderby``, ``$top``/``$skip`` and ``$attributes`` as SQLAlchemy Core, over
tables made from a :class:`~restquery.Catalog`; and :func:`matches`, an in-memory evaluator of
the same filters with the same semantics (for tests, and for the stand-in server).

>>> import sqlalchemy as sa, restquery
>>> from restquery.sql import tables, select
>>> cat = restquery.Catalog.from_json({"dataClasses": [{"name": "E", "attributes": [
...     {"name": "ID", "kind": "storage", "type": "long", "identifying": True},
...     {"name": "name", "kind": "storage", "type": "string"}]}]})
>>> t = tables(cat, sa.MetaData())
>>> print(select(restquery.parse('/rest/E?$filter="name=j@"&$top=2'), t, cat))  # doctest: +NORMALIZE_WHITESPACE
SELECT "E"."ID", "E".name FROM "E"
WHERE "E".name IS NOT NULL AND rq_fold("E".name) LIKE rq_fold(:rq_fold_1) ESCAPE '\\' LIMIT :param_1

4D's semantics, as ``docs/sql.md`` pins them with their sources:

* text comparisons ignore case and diacritics (``rq_fold``: case folding and the removal of
  combining marks; :func:`install` registers it in SQLite);
* ``@`` is a wildcard at any position for ``=``, ``==``, ``!=`` and ``IN``; ``===``, ``!==``,
  ``IS`` and ``IS NOT`` take it literally;
* ``begin`` is a prefix match; ``EXCEPT`` is ``AND NOT``; ``=null`` / ``!=null`` test for null;
  ``!=`` on a value leaves out entities whose attribute is null (assumed, as SQL);
* a relation path (``employer.name``, ``staff.lastName``) holds when some related entity
  matches (an ``IN`` subquery);
* dates compare as dates, booleans as booleans.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

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

__all__ = ["SqlError", "fold", "install", "matches", "select", "tables", "where"]


class SqlError(RestQueryError):
    """A request this translation does not cover (a formula, a keyword search, an object
    attribute's path), or that names what the catalog lacks."""


#: The column type of each Python type values are compared with (codegen's reading of the
#: catalog's types); ``object`` (blobs, pictures, objects, vectors) makes no column.
_COLUMNS: dict[str, Any] = {"int": sa.Integer, "float": sa.Float, "str": sa.String, "bool": sa.Boolean,
                            "datetime.date": sa.Date}


def _column_type(type_name: str | None) -> Any:
    from restquery.codegen import python_type

    kind = _COLUMNS.get(python_type(type_name))
    return None if kind is None else kind()


def tables(catalog: Any, metadata: sa.MetaData) -> dict[str, sa.Table]:
    """A table per dataclass: a column per scalar storage attribute, and per ``relatedEntity``
    a column holding the related entity's key (named as the relation)."""
    out: dict[str, sa.Table] = {}
    for dc in catalog.dataclasses.values():
        columns: list[sa.Column[Any]] = []
        pk = dc.primary_key.name if dc.primary_key is not None else None
        for attr in dc.attributes.values():
            if attr.kind == "storage":
                kind = _column_type(attr.type)
                if kind is not None:
                    columns.append(sa.Column(attr.name, kind, primary_key=attr.name == pk))
            elif attr.kind == "relatedEntity":
                columns.append(sa.Column(attr.name, sa.Integer()))
        out[dc.name] = sa.Table(dc.name, metadata, *columns)
    return out


def fold(text: str) -> str:
    """Text as 4D compares it: case folded, combining marks (diacritics) removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def install(dbapi_connection: Any, *_: Any) -> None:
    """Register ``rq_fold`` in a SQLite connection: ``sa.event.listen(engine, "connect",
    install)``."""
    dbapi_connection.create_function("rq_fold", 1, lambda v: None if v is None else fold(str(v)), deterministic=True)


_WILDCARD_OPS = frozenset({"=", "==", "!="})
_LITERAL_OPS = frozenset({"===", "!==", "IS", "IS NOT"})


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("@", "%")


class _Ctx:
    def __init__(self, catalog: Any, tables_: Mapping[str, sa.Table], params: Sequence[Any]) -> None:
        self.catalog = catalog
        self.tables = tables_
        self.params = params

    def value(self, node: Any, attr: Any = None) -> Any:
        """The value ``node`` stands for; a placeholder's, from ``$params``, as the type of
        ``attr`` reads it (JSON writes a date as text)."""
        if isinstance(node, Placeholder):
            if node.index is None or not 1 <= node.index <= len(self.params):
                raise SqlError(f"placeholder :{node.index} has no value in $params")
            value = self.params[node.index - 1]
            if attr is not None and (attr.type or "").lower() == "date" and isinstance(value, str):
                try:
                    return datetime.date.fromisoformat(value)
                except ValueError:
                    raise SqlError(f"placeholder :{node.index} holds {value!r}, not a date") from None
            return value
        if isinstance(node, Null):
            return None
        if isinstance(node, (Text, Number, Boolean, Date)):
            return node.value
        raise SqlError(f"a {type(node).__name__} value is not translated")


def _resolve(ctx: _Ctx, dataclass: str, path: AttributePath) -> tuple[list[tuple[Any, Any]], Any]:
    """The relation hops of ``path`` (``(dataclass, attribute)`` each) and its last attribute."""
    dc = ctx.catalog.dataclass(dataclass)
    hops: list[tuple[Any, Any]] = []
    for n, part in enumerate(path.parts):
        if part.index is not None or part.class_index is not None:
            raise SqlError("paths into collections ([]) are not translated")
        attr = dc.attribute(part.name) if dc is not None else None
        if attr is None:
            raise SqlError(f"`{dc.name if dc else dataclass}` has no attribute `{part.name}`")
        if n == len(path.parts) - 1:
            return hops, (dc, attr)
        target = ctx.catalog.relation_target(dc, attr)
        if target is None:
            raise SqlError(f"`{part.name}` leads nowhere the catalog knows")
        hops.append((dc, attr))
        dc = target
    raise SqlError("an empty attribute path")


def _condition(ctx: _Ctx, dataclass: str, cmp: Comparison) -> Any:
    if not isinstance(cmp.left, AttributePath):
        raise SqlError("a placeholder as an attribute is not translated")
    hops, (dc, attr) = _resolve(ctx, dataclass, cmp.left)
    table = ctx.tables[dc.name]
    if attr.name not in table.c:
        raise SqlError(f"`{attr.name}` is not a column (a {attr.type} attribute)")
    column = table.c[attr.name]
    clause = _compare(ctx, column, attr, cmp)
    value = None if cmp.op.upper() == "IN" else ctx.value(cmp.right, attr)
    if value is not None or cmp.op.upper() == "IN":
        # Two-valued, as 4D's sets are: a null attribute makes a comparison false, never
        # unknown, so that NOT and EXCEPT take the complement (SQL would drop the row).
        clause = sa.and_(column.is_not(None), clause)
    # walk the hops back: each is "this entity's related one(s) match"
    for owner, rel in reversed(hops):
        own = ctx.tables[owner.name]
        target = ctx.catalog.relation_target(owner, rel)
        tgt = ctx.tables[target.name]
        tpk = tgt.c[target.primary_key.name]
        if rel.kind == "relatedEntity":
            fk = own.c[rel.name]
            clause = sa.and_(fk.is_not(None), fk.in_(sa.select(tpk).where(clause)))
        else:  # relatedEntities: the target's relation back to us holds our key
            back = tgt.c[rel.path or ""]
            opk = own.c[owner.primary_key.name]
            clause = opk.in_(sa.select(back).where(clause, back.is_not(None)))
    return clause


def _compare(ctx: _Ctx, column: Any, attr: Any, cmp: Comparison) -> Any:
    op = cmp.op.upper()
    is_text = (attr.type or "").lower() in ("string", "text", "uuid")
    if op == "IN":
        if not isinstance(cmp.right, Collection):
            raise SqlError("IN takes a collection")
        values = [ctx.value(v, attr) for v in cmp.right.items]
        if is_text:
            parts = [_text_equal(column, v, wildcard=True) for v in values]
            return sa.or_(*parts) if parts else sa.false()
        return column.in_(values)
    value = ctx.value(cmp.right, attr)
    if value is None:
        if op in ("=", "==", "===", "IS"):
            return column.is_(None)
        if op in ("!=", "!==", "IS NOT"):
            return column.is_not(None)
        raise SqlError(f"{cmp.op} null is not a comparison")
    if op == "BEGIN":
        if not is_text:
            raise SqlError("begin compares text")
        # `@` in a begin value is taken as written (assumed): the prefix is escaped whole
        pattern = str(value).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return sa.func.rq_fold(column).like(sa.func.rq_fold(pattern), escape="\\")
    if is_text and isinstance(value, str):
        if op in ("=", "==", "===", "IS"):
            return _text_equal(column, value, wildcard=op in _WILDCARD_OPS)
        if op in ("!=", "!==", "IS NOT"):
            return sa.and_(column.is_not(None), sa.not_(_text_equal(column, value, wildcard=op in _WILDCARD_OPS)))
        folded, text = sa.func.rq_fold(column), fold(value)
        if op == "<":
            return folded < text
        if op == "<=":
            return folded <= text
        if op == ">":
            return folded > text
        if op == ">=":
            return folded >= text
        raise SqlError(f"the comparator {cmp.op} is not translated (a keyword search needs the index 4D keeps)")
    if op in ("=", "==", "===", "IS"):
        return column == value
    if op in ("!=", "!==", "IS NOT"):
        return column != value
    if op == "<":
        return column < value
    if op == "<=":
        return column <= value
    if op == ">":
        return column > value
    if op == ">=":
        return column >= value
    raise SqlError(f"the comparator {cmp.op} is not translated")


def _text_equal(column: Any, value: Any, wildcard: bool) -> Any:
    text = str(value)
    if wildcard and "@" in text:
        return sa.func.rq_fold(column).like(sa.func.rq_fold(_like_pattern(text)), escape="\\")
    return sa.func.rq_fold(column) == fold(text)


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
            op = node.op.upper()
            if op in ("AND", "&"):
                return sa.and_(*parts)
            if op in ("OR", "|"):
                return sa.or_(*parts)
            if op in ("EXCEPT", "^"):
                out = parts[0]
                for p in parts[1:]:
                    out = sa.and_(out, sa.not_(p))
                return out
        raise SqlError(f"a {type(node).__name__} is not translated")

    return walk(expr)


#: ``$compute`` keywords and their aggregate functions (spec §3.9); ``$all`` is all of them
#: for numbers, ``count``, ``min`` and ``max`` for text.
COMPUTE: dict[str, Any] = {"count": sa.func.count, "sum": sa.func.sum, "average": sa.func.avg, "min": sa.func.min,
           "max": sa.func.max}


def select(request: Request, tables_: Mapping[str, sa.Table], catalog: Any) -> Any:
    """``SELECT`` of what ``request`` reads: its dataclass's table, ``$filter`` (with
    ``$params``), ``$orderby``, ``$attributes``, ``$top`` and ``$skip``; on one attribute of
    the collection (``/rest/Employee/salary``), ``$compute`` (one row of aggregates, labelled
    by keyword) and ``$distinct=true`` (its distinct values, after ``$top``/``$skip``)."""
    from restquery.shape import classify

    shape = classify(request, catalog)
    dataclass = shape.dataclass
    if shape.form not in ("P1", "P7") or dataclass is None or dataclass not in tables_:
        raise SqlError("the request reads no collection of a dataclass of the catalog")
    table = tables_[dataclass]
    params: dict[str, Any] = {p.canonical: p.value for p in request.params if p.canonical}
    values = list(getattr(params.get("$params"), "items", ()))
    attribute = None
    attr_name = shape.tail_name if shape.form == "P7" else None
    if attr_name is not None:
        if attr_name not in table.c:
            raise SqlError(f"`{attr_name}` is not a column of `{dataclass}`")
        attribute = table.c[attr_name]
    compute = params.get("$compute")
    if compute is not None:
        if attribute is None:
            raise SqlError("$compute needs the attribute as a path segment (/rest/Employee/salary)")
        keyword = str(getattr(compute, "value", "")).lower()
        numeric = isinstance(attribute.type, (sa.Integer, sa.Float))
        keywords = (list(COMPUTE) if numeric else ["count", "min", "max"]) if keyword == "$all" else [keyword]
        if any(k not in COMPUTE for k in keywords) or (not numeric and {"sum", "average"} & set(keywords)):
            raise SqlError(f"$compute={keyword} does not apply to `{attribute.name}`")
        query = sa.select(*(COMPUTE[k](attribute).label(k) for k in keywords))
        flt = params.get("$filter")
        if isinstance(flt, Filter):
            query = query.where(where(flt.expr, dataclass, tables_, catalog, values))
        return query
    attrs = params.get("$attributes")
    if attribute is not None:
        cols = [attribute]
    elif attrs:
        cols = [table.c[i.path.parts[0].name] for i in attrs.items if i.path is not None]
    else:
        cols = list(table.c)
    query = sa.select(*cols)
    flt = params.get("$filter")
    if isinstance(flt, Filter):
        query = query.where(where(flt.expr, dataclass, tables_, catalog, values))
    order = params.get("$orderby")
    for item in getattr(order, "items", ()):
        col = table.c[item.path.parts[0].name]
        query = query.order_by(col.desc() if (item.direction or "").upper() == "DESC" else col.asc())
    top, skip = params.get("$top"), params.get("$skip")
    if top is not None:
        query = query.limit(top.value)
    if skip is not None:
        query = query.offset(skip.value)
    distinct = params.get("$distinct")
    if distinct is not None and getattr(distinct, "value", False) is True:
        if attribute is None:
            raise SqlError("$distinct needs the attribute as a path segment (/rest/Company/name)")
        inner = query.subquery()
        return sa.select(inner.c[attribute.name]).distinct().order_by(inner.c[attribute.name])
    return query


# --- the in-memory evaluator ---------------------------------------------------------------------


def matches(expr: Any, dataclass: str, entity: Mapping[str, Any], catalog: Any,
            data: Mapping[str, Sequence[Mapping[str, Any]]], params: Sequence[Any] = ()) -> bool:
    """Whether ``entity`` of ``dataclass`` passes the filter ``expr``: the semantics of
    :func:`where`, in Python (``data``: every dataclass's rows, for relation paths)."""
    ctx = _Ctx(catalog, {}, params)

    def walk(node: Any, dc_name: str, row: Mapping[str, Any]) -> bool:
        if isinstance(node, Comparison):
            return _holds(ctx, node, dc_name, row, data)
        if isinstance(node, Not):
            return not walk(node.operand, dc_name, row)
        if isinstance(node, BoolOp):
            op = node.op.upper()
            results = [walk(o, dc_name, row) for o in node.operands]
            if op in ("AND", "&"):
                return all(results)
            if op in ("OR", "|"):
                return any(results)
            return results[0] and not any(results[1:])
        raise SqlError(f"a {type(node).__name__} is not evaluated")

    return walk(expr, dataclass, entity)


def _holds(ctx: _Ctx, cmp: Comparison, dataclass: str, row: Mapping[str, Any],
           data: Mapping[str, Sequence[Mapping[str, Any]]]) -> bool:
    hops, (dc, attr) = _resolve(ctx, dataclass, cmp.left)  # type: ignore[arg-type]
    rows: list[Mapping[str, Any]] = [row]
    for owner, rel in hops:
        target = ctx.catalog.relation_target(owner, rel)
        pk = target.primary_key.name
        nxt: list[Mapping[str, Any]] = []
        for r in rows:
            if rel.kind == "relatedEntity":
                nxt += [t for t in data[target.name] if r.get(rel.name) is not None and t.get(pk) == r.get(rel.name)]
            else:
                opk = r.get(owner.primary_key.name)
                nxt += [t for t in data[target.name] if t.get(rel.path or "") == opk and opk is not None]
        rows = nxt
    return any(_value_holds(ctx, r.get(attr.name), attr, cmp) for r in rows)


def _value_holds(ctx: _Ctx, have: Any, attr: Any, cmp: Comparison) -> bool:
    op = cmp.op.upper()
    is_text = (attr.type or "").lower() in ("string", "text", "uuid")
    if op == "IN":
        values = [ctx.value(v, attr) for v in cmp.right.items]  # type: ignore[union-attr]
        if have is None:
            return False
        if is_text:
            return any(_text_match(have, v, True) for v in values)
        return have in values
    value = ctx.value(cmp.right, attr)
    if value is None:
        return (have is None) if op in ("=", "==", "===", "IS") else (have is not None)
    if have is None:
        return False
    if op == "BEGIN":
        return fold(str(have)).startswith(fold(str(value)))
    if is_text and isinstance(value, str):
        if op in ("=", "==", "===", "IS"):
            return _text_match(have, value, op in _WILDCARD_OPS)
        if op in ("!=", "!==", "IS NOT"):
            return not _text_match(have, value, op in _WILDCARD_OPS)
        a, b = fold(str(have)), fold(value)
        if op not in ("<", "<=", ">", ">="):
            raise SqlError(f"the comparator {cmp.op} is not evaluated")
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    if op in ("=", "==", "===", "IS"):
        return bool(have == value)
    if op in ("!=", "!==", "IS NOT"):
        return bool(have != value)
    return bool({"<": have < value, "<=": have <= value, ">": have > value, ">=": have >= value}[op])


def _text_match(have: Any, value: Any, wildcard: bool) -> bool:
    text = fold(str(value))
    if wildcard and "@" in text:
        regex = "".join(".*" if c == "@" else re.escape(c) for c in text)
        return re.fullmatch(regex, fold(str(have)), re.DOTALL) is not None
    return fold(str(have)) == text

