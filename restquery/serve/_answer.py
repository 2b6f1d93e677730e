"""What the stand-in answers: every read form, writes, entity sets, function stubs and the
descriptive resources, in 4D's documented response shapes (spec §8, §10)."""

from __future__ import annotations

import datetime
import json
import secrets
import time
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from restquery import sql
from restquery.ast import AttributePath, Filter, Request, SortList
from restquery.integrations._quota import DEFAULT_ENTITY_SET_TIMEOUT
from restquery.serve._store import DataError, EntitySet, Store
from restquery.shape import Shape

__all__ = ["Answer", "Reply", "error"]

#: ``(status, payload, headers)``: a payload of bytes is sent as is, text as HTML, anything
#: else as JSON.
Reply = tuple[int, Any, dict[str, str]]

#: 4D's error codes (spec §8.2) for what the stand-in refuses.
NO_ENTITY, NO_ENTITY_SET, NO_ATTRIBUTE, CANNOT_SAVE, STAMP_CHANGED = 1542, 1802, 1500, 1517, 1263

_ALL = "*"
_DEFAULT_TOP = 100


def error(status: int, code: int, message: str) -> Reply:
    """A refusal: the ``__ERROR`` stack alone as the body (spec §8.2)."""
    return status, {"__ERROR": [{"message": message, "componentSignature": "dbmg", "errCode": code}]}, {}


class _Refusal(Exception):
    def __init__(self, reply: Reply) -> None:
        self.reply = reply


def _refuse(status: int, code: int, message: str) -> _Refusal:
    return _Refusal(error(status, code, message))


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _verb(params: Mapping[str, Any]) -> str:
    """The ``$method`` of a request, lower-case (``""`` without one)."""
    return str(getattr(params.get("$method"), "value", "") or "").lower()


def _key_text(key: Any) -> str:
    return json.dumps(key) if isinstance(key, str) else str(key)


def _tree(paths: Sequence[tuple[tuple[str, ...], bool]]) -> dict[str, Any] | None:
    """``$attributes`` as a tree of names (``employer.name`` → ``{"employer": {"name": {}}}``;
    ``employer.*`` → ``{"employer": "*"}``); ``None``: every attribute."""
    tree: dict[str, Any] = {}
    for names, star in paths:
        if not names:
            return None
        node = tree
        for name in names[:-1]:
            child = node.get(name)
            if child == _ALL:
                break
            node = node.setdefault(name, {})
        else:
            if star:
                node[names[-1]] = _ALL
            elif names[-1] not in node:
                node[names[-1]] = {}
    return tree


class Answer:
    """Answers parsed, validated requests from a :class:`Store`."""

    def __init__(self, store: Store, functions: Mapping[str, Any] | None = None) -> None:
        self.store = store
        self.catalog = store.catalog
        self.functions = dict(functions or {})

    # --- entry point ------------------------------------------------------------------------

    def __call__(self, method: str, request: Request, shape: Shape, body: bytes) -> Reply:
        try:
            return self._dispatch(method.upper(), request, shape, body)
        except _Refusal as refusal:
            return refusal.reply
        except sql.SqlError as exc:
            return error(400, NO_ATTRIBUTE, str(exc))
        except DataError as exc:
            return error(400, CANNOT_SAVE, str(exc))

    def _dispatch(self, method: str, request: Request, shape: Shape, body: bytes) -> Reply:
        params = sql.parameters(request)
        verb = _verb(params)
        if shape.resource == "catalog":
            return self._catalog(shape)
        if shape.resource == "info":
            return 200, self._info(privileges_only=shape.tail is not None), {}
        if shape.resource == "directory":
            name = shape.tail_name or ""
            if name == "login":
                return 200, {"result": True}, {"set-cookie": f"WASID4D={secrets.token_hex(16).upper()}; path=/; HttpOnly"}
            if name == "currentUser":
                return 200, {"result": {"userName": "guest", "ID": 0}}, {}
            return 200, {"result": name == "logout"}, {}
        if shape.resource == "upload":
            upload_id = secrets.token_hex(16).upper()
            self.store.uploads[upload_id] = body
            return 200, {"ID": upload_id}, {}
        if shape.resource == "querypath":
            return 200, {"queryPath": {"steps": []}}, {}
        if shape.resource == "webform":
            return 200, "<!DOCTYPE html><html><head><title>restquery serve</title></head><body></body></html>", {}
        if shape.resource == "singleton":
            names = [getattr(s, "name", "") for s in shape.segments[1:]]
            return self._function("$singleton." + ".".join(names))
        dc = self.catalog.dataclass(shape.dataclass or "")
        if dc is None or dc.name not in self.store.tables:
            raise _refuse(404, NO_ATTRIBUTE, f'The "{shape.dataclass}" dataclass cannot be found')
        if shape.release:
            return self._release(body)
        if shape.tail_kind == "function" or shape.function is not None or shape.form in ("L1", "L2"):
            if shape.entity_set is not None:
                self._entity_set(dc, shape.entity_set.id)
            if shape.entity:
                self._find(dc, shape)
            name = getattr(shape.function or shape.tail, "name", None) or "function"
            return self._function(f"{dc.name}.{name}")
        if (method == "POST" and verb in ("update", "insert")) or method in ("PUT", "PATCH"):
            return self._update(dc, body, params, shape)
        if verb == "delete" or method == "DELETE":
            return self._delete(dc, shape, params)
        if shape.entity_set is not None:
            entity_set = self._entity_set(dc, shape.entity_set.id)
            if verb == "release":
                self.store.sets.pop(entity_set.id, None)
                return 200, {"ok": True}, {}
            return self._set_read(dc, entity_set, params, shape)
        if shape.entity:
            return self._entity_read(dc, shape, params)
        return self._collection_read(dc, request, params, shape)

    # --- reads -----------------------------------------------------------------------------

    def _attributes(self, params: Mapping[str, Any], shape: Shape) -> dict[str, Any] | None:
        paths: list[tuple[tuple[str, ...], bool]] = []
        if shape.projection is not None:
            paths += [(p.names, False) for p in shape.projection.paths]
        for item in getattr(params.get("$attributes"), "items", ()):
            paths.append((item.path.names if item.path is not None else (), item.star))
        return _tree(paths) if paths else None

    def _expand(self, params: Mapping[str, Any]) -> dict[str, Any]:
        tree: dict[str, Any] = {}
        for path in getattr(params.get("$expand"), "paths", ()):
            node = tree
            for name in path.names:
                node = node.setdefault(name, {})
        return tree

    def _selection(self, dc: Any, params: Mapping[str, Any], extra: Any = None,
                   keys: Sequence[Any] | None = None, *, whole: bool = False,
                   ) -> tuple[list[dict[str, Any]], int, int, list[Any]]:
        """The page of rows ``params`` asks for, the total count, the first index and, with
        ``whole`` or an entity set's ``keys``, the keys of the whole ordered selection (else
        the database counts and pages it)."""
        table = self.store.tables[dc.name]
        pk = table.c[dc.primary_key.name]
        values = list(getattr(params.get("$params"), "items", ()))
        conditions = []
        flt = params.get("$filter")
        if isinstance(flt, Filter):
            conditions.append(sql.where(flt.expr, dc.name, self.store.tables, self.catalog, values))
        if extra is not None:
            conditions.append(extra)
        if keys is not None:
            conditions.append(pk.in_(list(keys)))
        query = sa.select(pk)
        if conditions:
            query = query.where(*conditions)
        order = params.get("$orderby")
        if order is not None:
            query = query.order_by(*sql.order_by(order, dc.name, self.store.tables, self.catalog))
        else:
            query = query.order_by(pk)
        skip = int(getattr(params.get("$skip"), "value", 0) or 0)
        top_param = params.get("$top")
        top = int(top_param.value) if top_param is not None else (dc.default_top_size or _DEFAULT_TOP)
        if not whole and keys is None:
            count = self.store.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
            page = [r[dc.primary_key.name] for r in self.store.rows(query.limit(max(top, 0)).offset(skip))]
            return self._rows_in_order(dc, page), int(count), skip, page
        ordered = [r[dc.primary_key.name] for r in self.store.rows(query)]
        if keys is not None and order is None:
            position = {k: n for n, k in enumerate(keys)}
            ordered.sort(key=lambda k: position.get(k, 0))
        return self._rows_in_order(dc, ordered[skip : skip + max(top, 0)]), len(ordered), skip, ordered

    def _rows_in_order(self, dc: Any, page: Sequence[Any]) -> list[dict[str, Any]]:
        by_key = {r[dc.primary_key.name]: r for r in self._rows_by_key(dc, page)} if page else {}
        return [by_key[k] for k in page if k in by_key]

    def _collection(self, dc: Any, params: Mapping[str, Any], shape: Shape, extra: Any = None,
                    keys: Sequence[Any] | None = None, entity_set: EntitySet | None = None) -> Reply:
        verb = _verb(params)
        rows, count, first, ordered = self._selection(dc, params, extra, keys, whole=verb == "entityset")
        attrs, expand = self._attributes(params, shape), self._expand(params)
        entities = [self._entity(dc, r, attrs, expand) for r in rows]
        if getattr(params.get("$asArray"), "value", False) is True:
            return 200, entities, {}
        doc: dict[str, Any] = {}
        if verb == "entityset" or entity_set is not None:
            if entity_set is None or verb == "entityset":
                timeout = int(getattr(params.get("$timeout"), "value", None) or DEFAULT_ENTITY_SET_TIMEOUT)
                saved = {name: params[key] for key, name in (("$savedfilter", "$filter"), ("$savedorderby", "$orderby"))
                         if isinstance(params.get(key), (Filter, SortList))}
                if saved and "$params" in params:
                    saved["$params"] = params["$params"]
                entity_set = self.store.new_set(dc.name, ordered, timeout, saved=saved or None,
                                                sorted="$orderby" in params)
            doc["__ENTITYSET"] = f"/rest/{dc.name}/$entityset/{entity_set.id}"
        doc.update({"__entityModel": dc.name, "__DATACLASS": dc.name, "__GlobalStamp": 0, "__COUNT": count,
                    "__SENT": len(entities), "__FIRST": first, "__ENTITIES": entities})
        return 200, doc, {}

    def _collection_read(self, dc: Any, request: Request, params: Mapping[str, Any], shape: Shape) -> Reply:
        if shape.form == "P7" and ("$compute" in params or "$distinct" in params):
            rows = self.store.rows(sql.select(request, self.store.tables, self.catalog))
            if "$compute" in params:
                (row,) = rows
                name = ".".join(shape.tail.paths[0].names) if shape.tail is not None else "value"
                values = {k: _json_value(v) for k, v in row.items()}
                if str(params["$compute"].value).lower() == "$all":
                    return 200, {name: values}, {}
                return 200, next(iter(values.values())), {}
            return 200, [_json_value(r["value"]) for r in rows], {}
        if shape.form == "P1" and "$compute" in params:
            items = [i.path for i in getattr(params.get("$attributes"), "items", ()) if i.path is not None]
            if not items:
                raise _refuse(400, NO_ATTRIBUTE, "$compute needs an attribute")
            return self._compute_on(dc, request, items[0], params)
        return self._collection(dc, params, shape)

    def _compute_on(self, dc: Any, request: Request, path: AttributePath, params: Mapping[str, Any]) -> Reply:
        from dataclasses import replace

        from restquery.ast import NamesSegment

        seg = NamesSegment(paths=(path,))
        kept = tuple(p for p in request.params if p.canonical != "$attributes")
        as_p7 = replace(request, path=replace(request.path, segments=(*request.path.segments[:1], seg)), params=kept)
        from restquery.shape import classify

        return self._collection_read(dc, as_p7, params, classify(as_p7, self.catalog))

    def _find(self, dc: Any, shape: Shape) -> dict[str, Any]:
        table = self.store.tables[dc.name]
        selector = shape.selector
        attribute = getattr(selector, "attribute", None) or dc.primary_key.name
        raw = getattr(selector, "key", None) or getattr(selector, "value", None)
        if raw is None and getattr(selector, "args", None):
            raw = selector.args[0]  # type: ignore[union-attr]
        value = getattr(raw, "value", None)
        if attribute not in table.c:
            raise _refuse(404, NO_ATTRIBUTE, f'The "{attribute}" attribute cannot be found in the "{dc.name}" dataclass')
        column = table.c[attribute]
        try:
            if isinstance(column.type, sa.Integer):
                value = int(value) if float(value) == int(float(value)) else None  # type: ignore[arg-type]
            elif isinstance(column.type, sa.Float):
                value = float(value)  # type: ignore[arg-type]
            elif isinstance(column.type, sa.String):
                value = str(value)
            else:
                value = None
        except (TypeError, ValueError, OverflowError):
            value = None
        if isinstance(value, int) and abs(value) > sql.INT64_MAX:
            value = None
        rows = self.store.rows(sa.select(table).where(column == value).limit(1)) if value is not None else []
        if not rows:
            raise _refuse(404, NO_ENTITY, f'Cannot find entity with "{getattr(raw, "raw", value)}" key in the "{dc.name}" dataclass')
        return rows[0]

    def _entity_read(self, dc: Any, shape: Shape, params: Mapping[str, Any]) -> Reply:
        row = self._find(dc, shape)
        key = row[dc.primary_key.name]
        if getattr(params.get("$lock"), "value", None) is not None:
            return 200, {"result": True, "__STATUS": {"success": True, "status": 0, "statusText": "OK"}}, {}
        if shape.tail is not None and shape.tail_kind != "function":
            attr = dc.attribute(shape.tail_name or "")
            if attr is None:
                raise _refuse(404, NO_ATTRIBUTE, f'The "{shape.tail_name}" attribute cannot be found in the "{dc.name}" dataclass')
            if attr.is_picture or attr.type_class == "blob":
                data = row.get(attr.name)
                if data is None:
                    raise _refuse(404, NO_ENTITY, f'"{attr.name}" of this entity is empty')
                if attr.is_picture:
                    return 200, bytes(data), {"content-type": "image/png"}
                if getattr(params.get("$binary"), "value", False) is True:
                    return 200, bytes(data), {"content-type": "application/octet-stream",
                                              "content-disposition": f'attachment; filename="{attr.name}"'}
                return 200, {attr.name: self._value(dc, attr, row, None, {})}, {}
            target = self.catalog.relation_target(dc, attr) if attr.is_relation else None
            if target is not None and attr.kind == "relatedEntities" and attr.path:
                back = self.store.tables[target.name].c.get(attr.path)
                if back is None:
                    raise _refuse(404, NO_ATTRIBUTE, f'"{attr.name}" leads nowhere')
                return self._collection(target, params, shape, extra=back == key)
            if target is not None and attr.kind == "relatedEntity":
                fk = row.get(attr.name)
                found = self._rows_by_key(target, [fk]) if fk is not None else []
                if not found:
                    raise _refuse(404, NO_ENTITY, f'"{attr.name}" of this entity is empty')
                return 200, self._entity(target, found[0], self._attributes(params, shape), self._expand(params)), {}
            return 200, {attr.name: self._value(dc, attr, row, None, {})}, {}
        return 200, self._entity(dc, row, self._attributes(params, shape), self._expand(params)), {}

    def _entity_set(self, dc: Any, set_id: str) -> EntitySet:
        found = self.store.get_set(dc.name, set_id)
        if found is not None:
            return found
        gone = self.store.expired.get(set_id.upper())
        if gone is None or gone.dataclass != dc.name or not gone.saved:
            raise _refuse(404, NO_ENTITY_SET, f'The entity set "{set_id}" cannot be found')
        # expired, but its filter or order was saved: 4D builds it again ($savedfilter)
        keys = self._selection(dc, gone.saved, whole=True)[3]
        return self.store.new_set(dc.name, keys, gone.timeout, saved=gone.saved, sorted=gone.sorted, id=gone.id)

    def _set_read(self, dc: Any, entity_set: EntitySet, params: Mapping[str, Any], shape: Shape) -> Reply:
        keys = entity_set.keys
        other_id = getattr(params.get("$otherCollection"), "value", None)
        if other_id is not None:
            other = self._entity_set(dc, str(other_id)).keys
            op = str(getattr(params.get("$logicOperator"), "value", "AND")).upper()
            if op == "INTERSECT":
                return 200, {"result": bool(set(keys) & set(other))}, {}
            mine, theirs = set(keys), set(other)
            if op == "OR":
                keys = keys + [k for k in other if k not in mine]
            elif op == "EXCEPT":
                keys = [k for k in keys if k not in theirs]
            else:
                keys = [k for k in keys if k in theirs]
            return self._collection(dc, params, shape, keys=keys)  # with $method=entityset, a new set
        return self._collection(dc, params, shape, keys=keys, entity_set=None if _verb(params) == "entityset" else entity_set)

    def _rows_by_key(self, dc: Any, keys: Sequence[Any]) -> list[dict[str, Any]]:
        table = self.store.tables[dc.name]
        return self.store.rows(sa.select(table).where(table.c[dc.primary_key.name].in_(list(keys))))

    # --- entities as JSON ---------------------------------------------------------------------

    def _entity(self, dc: Any, row: Mapping[str, Any], attrs: dict[str, Any] | None, expand: dict[str, Any],
                depth: int = 0) -> dict[str, Any]:
        key = row.get(dc.primary_key.name)
        out: dict[str, Any] = {"__KEY": str(key), "__TIMESTAMP": self.store.created,
                               "__STAMP": self.store.stamp(dc.name, key)}
        for attr in dc.attributes.values():
            if attrs is not None and attr.name not in attrs:
                continue
            sub = attrs.get(attr.name) if attrs is not None else None
            out[attr.name] = self._value(dc, attr, row, sub, expand.get(attr.name), depth)
        return out

    def _value(self, dc: Any, attr: Any, row: Mapping[str, Any], sub: Any, expand: Any, depth: int = 0) -> Any:
        key = row.get(dc.primary_key.name)
        uri = f"/rest/{dc.name}({_key_text(key)})/{attr.name}"
        if attr.kind == "storage":
            value = row.get(attr.name)
            if attr.is_picture:
                return None if value is None else {"__deferred": {"uri": f"{uri}?$imageformat=best&$version={self.store.stamp(dc.name, key)}&$expand={attr.name}", "image": True}}
            if attr.type_class == "blob":
                return None if value is None else {"__deferred": {"uri": f"{uri}?$binary=true&$expand={attr.name}"}}
            return _json_value(value)
        target = self.catalog.relation_target(dc, attr) if attr.is_relation else None
        nested = expand is not None or (sub not in (None, {}))
        attrs = None if sub in (None, {}, _ALL) else sub
        if attr.kind == "relatedEntity" and target is not None:
            fk = row.get(attr.name)
            if fk is None:
                return None
            if nested and depth < 3:
                found = self._rows_by_key(target, [fk])
                if found:
                    return self._entity(target, found[0], attrs, expand or {}, depth + 1)
            return {"__deferred": {"uri": f"/rest/{target.name}({_key_text(fk)})", "__KEY": str(fk)}}
        if attr.kind == "relatedEntities" and target is not None:
            back = self.store.tables[target.name].c.get(attr.path or "")
            if nested and depth < 3 and back is not None:
                table = self.store.tables[target.name]
                rows = self.store.rows(sa.select(table).where(back == key).order_by(table.c[target.primary_key.name]).limit(_DEFAULT_TOP))
                entities = [self._entity(target, r, attrs, expand or {}, depth + 1) for r in rows]
                return {"__COUNT": len(entities), "__ENTITIES": entities}
            return {"__deferred": {"uri": f"{uri}?$expand={attr.name}"}}
        if attr.kind == "alias" and attr.path:
            return self._alias(dc, row, attr.path.split("."))
        return None  # calculated attributes: the stand-in runs no code

    def _alias(self, dc: Any, row: Mapping[str, Any], names: list[str], hops: int = 0) -> Any:
        attr = dc.attribute(names[0])
        if attr is None or hops > 8:
            return None
        if len(names) == 1:
            return self._value(dc, attr, row, None, None, 3) if attr.kind != "alias" else self._alias(dc, row, (attr.path or "").split("."), hops + 1)
        if attr.kind == "relatedEntity":
            target = self.catalog.relation_target(dc, attr)
            fk = row.get(attr.name)
            found = self._rows_by_key(target, [fk]) if target is not None and fk is not None else []
            return self._alias(target, found[0], names[1:], hops + 1) if found else None
        if attr.kind == "storage" and attr.type_class == "object":
            value = row.get(attr.name)
            for name in names[1:]:
                value = value.get(name) if isinstance(value, dict) else None
            return value
        return None

    # --- writes -------------------------------------------------------------------------------

    def _update(self, dc: Any, body: bytes, params: Mapping[str, Any], shape: Shape) -> Reply:
        try:
            doc = json.loads(body.decode("utf-8")) if body.strip() else {}
        except (UnicodeDecodeError, ValueError):
            raise _refuse(400, CANNOT_SAVE, "The body is not JSON") from None
        items = doc if isinstance(doc, list) else [doc]
        if not all(isinstance(i, dict) for i in items):
            raise _refuse(400, CANNOT_SAVE, "The body must be an entity or a list of entities")
        table = self.store.tables[dc.name]
        pk = dc.primary_key.name
        # PUT or PATCH /rest/Employee(2): the entity the URL names, unless the body says
        addressed = self._find(dc, shape)[pk] if shape.entity else None
        saved = []
        with self.store.lock:
            for item in items:
                key = item.get("__KEY", item.get(pk, addressed))
                values = self.store.decode_row(dc, item, f"{dc.name} entity")
                existing = self._rows_by_key(dc, [self._coerce_key(dc, key)]) if key is not None else []
                if existing:
                    key = existing[0][pk]
                    stamp = item.get("__STAMP")
                    if stamp is not None and stamp != self.store.stamp(dc.name, key):
                        entity = self._entity(dc, existing[0], None, {})
                        entity["__ERROR"] = error(200, STAMP_CHANGED, "The entity was changed by another process")[1]["__ERROR"]
                        saved.append(entity)
                        continue
                    values.pop(pk, None)
                    if values:
                        self.store.execute(table.update().where(table.c[pk] == key).values(values))
                    self.store.stamps[(dc.name, key)] = self.store.stamp(dc.name, key) + 1
                else:
                    values[pk] = self._coerce_key(dc, key) if key is not None else self._new_key(dc)
                    try:
                        self.store.execute(table.insert().values(values))
                    except sa.exc.IntegrityError:
                        raise _refuse(400, CANNOT_SAVE, "The new entity cannot be saved: its key is taken") from None
                    key = values[pk]
                    self.store.stamps[(dc.name, key)] = 1
                saved.append(self._entity(dc, self._rows_by_key(dc, [key])[0], None, {}))
        if isinstance(doc, list):
            return 200, {"__ENTITIES": saved}, {}
        return 200, saved[0], {}

    def _coerce_key(self, dc: Any, key: Any) -> Any:
        column = self.store.tables[dc.name].c[dc.primary_key.name]
        if isinstance(column.type, sa.Integer):
            try:
                value = int(key)
            except (TypeError, ValueError):
                raise _refuse(400, CANNOT_SAVE, f"{key!r} is not a key of {dc.name}") from None
            if abs(value) > sql.INT64_MAX:
                raise _refuse(400, CANNOT_SAVE, f"{key!r} is not a key of {dc.name}")
            return value
        return str(key)

    def _new_key(self, dc: Any) -> Any:
        column = self.store.tables[dc.name].c[dc.primary_key.name]
        if isinstance(column.type, sa.Integer):
            return int(self.store.scalar(sa.select(sa.func.coalesce(sa.func.max(column), 0)))) + 1
        return secrets.token_hex(16).upper()

    def _delete(self, dc: Any, shape: Shape, params: Mapping[str, Any]) -> Reply:
        table = self.store.tables[dc.name]
        pk = table.c[dc.primary_key.name]
        if shape.entity_set is not None:
            keys = self._entity_set(dc, shape.entity_set.id).keys
        elif shape.entity:
            keys = [self._find(dc, shape)[dc.primary_key.name]]
        else:  # the selection the request reads (its $filter), whole
            keys = self._selection(dc, {k: v for k, v in params.items() if k not in ("$top", "$skip")}, whole=True)[3]
        with self.store.lock:
            self.store.execute(table.delete().where(pk.in_(keys)))
            for key in keys:
                self.store.stamps.pop((dc.name, key), None)
        return 200, {"ok": True}, {}

    def _release(self, body: bytes) -> Reply:
        try:
            doc = json.loads(body.decode("utf-8")) if body.strip() else []
        except (UnicodeDecodeError, ValueError):
            raise _refuse(400, NO_ENTITY_SET, "The body is not JSON") from None
        ids = doc if isinstance(doc, list) else doc.get("entitySets", []) if isinstance(doc, dict) else []
        for item in ids:
            self.store.sets.pop(str(item).rsplit("/", 1)[-1].upper(), None)
        return 200, {"ok": True}, {}

    # --- functions and descriptions ----------------------------------------------------------

    def _function(self, name: str) -> Reply:
        value = self.functions.get(name)
        if isinstance(value, dict) and any(k in value for k in ("__ENTITIES", "__KEY", "__ERROR")):
            return (400 if "__ERROR" in value else 200), value, {}
        return 200, {"result": value}, {}

    def _catalog(self, shape: Shape) -> Reply:
        from restquery.serve._documents import catalog_document, dataclass_document

        if shape.form == "P15":
            return 200, catalog_document(self.catalog, full=False), {}
        if shape.form == "P16":
            return 200, catalog_document(self.catalog, full=True), {}
        name = shape.tail_name or ""
        dc = self.catalog.dataclass(name)
        if dc is not None:
            return 200, dataclass_document(dc), {}
        return self._function(f"$catalog.{name}")

    def _info(self, privileges_only: bool) -> dict[str, Any]:
        if privileges_only:
            return {"privileges": []}
        self.store.expire()
        now = time.monotonic()
        wall = datetime.datetime.now(datetime.timezone.utc)
        sets = [{"id": s.id, "dataClass": s.dataclass, "selectionSize": len(s.keys), "sorted": s.sorted,
                 "refreshed": wall.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                 "expires": (wall + datetime.timedelta(seconds=max(s.expires - now, 0))).strftime("%Y-%m-%dT%H:%M:%S.000Z")}
                for s in self.store.sets.values()]
        return {"cacheSize": 209_715_200, "usedCache": 3_136_000, "entitySetCount": len(sets), "entitySet": sets,
                "ProgressInfo": [], "sessionInfo": [], "privileges": []}
