"""The stand-in's data: one SQLite table per dataclass (:func:`restquery.sql.tables`), rows
seeded from the catalog's types or loaded from a JSON file, stamps, and entity sets."""

from __future__ import annotations

import datetime
import json
import random
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from restquery import sql
from restquery.errors import RestQueryError

__all__ = ["DataError", "EntitySet", "Store"]

#: A 1×1 PNG: the picture every seeded picture attribute holds.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201d8f1a0a40000000049454e44ae426082"
)

_WORDS = ("Émile", "Zoë", "Smith", "Jones", "O'Neil", "Straße", "acme", "Larry", "Müller", "Nakamura",
          "São Paulo", "Paris", "ÅSA", "Chen", "López")


class DataError(RestQueryError):
    """A ``--data`` file that does not fit the catalog (an unknown dataclass or attribute, a
    value of the wrong type, a malformed document)."""


class EntitySet:
    """An entity set: the keys of a selection, in order, kept until ``expires``. ``saved``:
    the ``$filter``, ``$orderby`` and ``$params`` that ``$savedfilter`` and ``$savedorderby``
    asked to keep, to build it again once expired; ``sorted``: it was made with ``$orderby``."""

    __slots__ = ("dataclass", "expires", "id", "keys", "saved", "sorted", "timeout")

    def __init__(self, dataclass: str, keys: Sequence[Any], timeout: float, *, saved: Mapping[str, Any] | None = None,
                 sorted: bool = False, id: str | None = None) -> None:
        self.id = id or secrets.token_hex(16).upper()
        self.dataclass = dataclass
        self.keys = list(keys)
        self.timeout = timeout
        self.expires = time.monotonic() + timeout
        self.saved = saved
        self.sorted = sorted


class Store:
    """SQLite through SQLAlchemy (in memory, or the file ``database``), for ``catalog``."""

    def __init__(self, catalog: Any, database: str | None = None) -> None:
        url = f"sqlite:///{database}" if database else "sqlite://"
        # one connection shared by the server's threads (an in-memory database lives in it)
        self.engine = sa.create_engine(url, poolclass=sa.pool.StaticPool,
                                       connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", sql.install)
        self.catalog = catalog
        self.metadata = sa.MetaData()
        self.tables = sql.tables(catalog, self.metadata)
        self.metadata.create_all(self.engine)  # an existing file keeps its tables and rows
        self.lock = threading.RLock()
        self.stamps: dict[tuple[str, Any], int] = {}
        self.sets: dict[str, EntitySet] = {}
        #: expired entity sets whose filter or order was saved ($savedfilter, $savedorderby)
        self.expired: dict[str, EntitySet] = {}
        self.uploads: dict[str, bytes] = {}
        self.created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    # --- loading ----------------------------------------------------------------------------

    def empty(self) -> bool:
        """No table holds a row (a new database, or one in memory)."""
        with self.lock, self.engine.connect() as conn:
            return all(conn.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first() is None
                       for t in self.tables.values())

    def seed(self, rows: int = 12, seed: int = 0) -> None:
        """Fill every table with ``rows`` entities drawn from the catalog's types (the same
        ``seed``, the same rows); relations point at existing entities."""
        rng = random.Random(seed)
        keys = {name: [self._seed_key(dc, n) for n in range(1, rows + 1)] for name, dc in self.catalog.dataclasses.items()}
        data: dict[str, list[dict[str, Any]]] = {}
        for name, dc in self.catalog.dataclasses.items():
            out = []
            for key in keys[name]:
                row: dict[str, Any] = {}
                for attr in dc.attributes.values():
                    if attr.name not in self.tables[name].c:
                        continue
                    if dc.primary_key is not None and attr.name == dc.primary_key.name:
                        row[attr.name] = key
                    elif attr.kind == "relatedEntity":
                        target = self.catalog.relation_target(dc, attr)
                        pool = keys.get(target.name, []) if target is not None else []
                        row[attr.name] = rng.choice(pool) if pool and rng.random() < 0.85 else None
                    else:
                        row[attr.name] = self._seed_value(attr, rng)
                out.append(row)
            data[name] = out
        self.insert(data)

    @staticmethod
    def _seed_key(dc: Any, n: int) -> Any:
        pk = dc.primary_key
        return str(n) if pk is not None and pk.type_class in ("string", "uuid") else n

    @staticmethod
    def _seed_value(attr: Any, rng: random.Random) -> Any:
        cls = attr.type_class
        if cls == "picture":
            return PNG
        if cls == "blob":
            return bytes(rng.randrange(256) for _ in range(64))
        if rng.random() < 0.1:
            return None
        if cls == "numeric":
            from restquery.codegen import python_type

            return rng.randint(0, 100_000) if python_type(attr.type) == "int" else round(rng.uniform(0, 1e5), 2)
        if cls in ("string", "uuid"):
            return rng.choice(_WORDS) + (f" {rng.randint(1, 99)}" if rng.random() < 0.3 else "")
        if cls == "boolean":
            return rng.random() < 0.5
        if cls == "date":
            return datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 27_000))
        if cls == "object":
            return {"city": rng.choice(_WORDS), "property1": rng.randint(0, 9), "active": rng.random() < 0.5}
        return None

    def load(self, path: str | Path) -> None:
        """Load ``{"Dataclass": [{attribute: value, ...}, ...], ...}`` (dates as ISO text,
        relations as the related entity's key or ``{"__KEY": key}``, BLOBs and pictures as
        base64 text)."""
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise DataError(f"{path}: cannot read the data file: {exc}") from None
        if not isinstance(doc, dict):
            raise DataError(f"{path}: the data file must hold an object of dataclass names")
        data: dict[str, list[dict[str, Any]]] = {}
        for name, rows in doc.items():
            dc = self.catalog.dataclass(name)
            if dc is None or name not in self.tables:
                raise DataError(f"{path}: the catalog has no dataclass `{name}`")
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise DataError(f"{path}: `{name}` must hold a list of entities (objects)")
            data[name] = [self.decode_row(dc, r, f"{path}: {name}[{n}]") for n, r in enumerate(rows)]
        self.insert(data)

    def decode_row(self, dc: Any, row: Mapping[str, Any], where: str) -> dict[str, Any]:
        """A row of ``dc``'s table from JSON (an entity as a client sends it)."""
        import base64
        import binascii

        table = self.tables[dc.name]
        out: dict[str, Any] = {}
        for name, value in row.items():
            if name.startswith("__"):
                continue
            attr = dc.attribute(name)
            if attr is None:
                raise DataError(f"{where}: `{dc.name}` has no attribute `{name}`")
            if name not in table.c:
                raise DataError(f"{where}: `{name}` is not stored (a {attr.kind} attribute)")
            if isinstance(value, dict) and attr.kind == "relatedEntity":
                value = value.get("__KEY")
            column = table.c[name]
            try:
                out[name] = _decode(column.type, value, base64, binascii)
            except (TypeError, ValueError) as exc:
                raise DataError(f"{where}: `{name}`: {exc}") from None
        return out

    def insert(self, data: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        """Insert rows (any attribute left out is null); a duplicate key is a :class:`DataError`."""
        with self.lock, self.engine.begin() as conn:
            for name, rows in data.items():
                table = self.tables[name]
                if rows:
                    try:
                        conn.execute(table.insert(), [{c.name: r.get(c.name) for c in table.c} for r in rows])
                    except sa.exc.IntegrityError as exc:
                        raise DataError(f"`{name}`: {exc.orig}") from None
                dc = self.catalog.dataclass(name)
                pk = dc.primary_key.name if dc is not None and dc.primary_key is not None else None
                for r in rows:
                    self.stamps[(name, r.get(pk or ""))] = 1

    # --- reading and writing ----------------------------------------------------------------

    def rows(self, query: Any) -> list[dict[str, Any]]:
        with self.lock, self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def scalar(self, query: Any) -> Any:
        with self.lock, self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def execute(self, statement: Any) -> Any:
        with self.lock, self.engine.begin() as conn:
            return conn.execute(statement)

    def stamp(self, dataclass: str, key: Any) -> int:
        return self.stamps.get((dataclass, key), 1)

    # --- entity sets ------------------------------------------------------------------------

    def new_set(self, dataclass: str, keys: Sequence[Any], timeout: float, **options: Any) -> EntitySet:
        self.expire()
        entity_set = EntitySet(dataclass, keys, timeout, **options)
        self.sets[entity_set.id] = entity_set
        self.expired.pop(entity_set.id, None)
        return entity_set

    def get_set(self, dataclass: str, set_id: str) -> EntitySet | None:
        self.expire()
        found = self.sets.get(set_id.upper())
        if found is None or found.dataclass != dataclass:
            return None
        found.expires = time.monotonic() + found.timeout  # using a set renews it
        return found

    def expire(self) -> None:
        """Drop the entity sets past their timeout; keep those with saved values in
        :attr:`expired` (the 10 000 latest), to be built again."""
        now = time.monotonic()
        for key in [k for k, s in self.sets.items() if s.expires < now]:
            gone = self.sets.pop(key)
            if gone.saved:
                gone.keys = []
                self.expired[key] = gone
        while len(self.expired) > 10_000:
            del self.expired[next(iter(self.expired))]


def _decode(kind: Any, value: Any, base64: Any, binascii: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, sa.Boolean):
        if not isinstance(value, bool):
            raise TypeError(f"{value!r} is not a boolean")
        return value
    if isinstance(kind, sa.Integer):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
            raise TypeError(f"{value!r} is not an integer")
        if abs(int(value)) > sql.INT64_MAX:
            raise ValueError(f"{value!r} does not fit a 64-bit integer")
        return int(value)
    if isinstance(kind, sa.Float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{value!r} is not a number")
        return float(value)
    if isinstance(kind, sa.Date):
        if not isinstance(value, str):
            raise TypeError(f"{value!r} is not a date")
        return datetime.date.fromisoformat(value[:10]) if value else None
    if isinstance(kind, sa.LargeBinary):
        if not isinstance(value, str):
            raise TypeError("a BLOB or picture is written as base64 text")
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error:
            raise ValueError("not base64") from None
    if isinstance(kind, sa.String):
        if not isinstance(value, str):
            raise TypeError(f"{value!r} is not text")
        if sql._has_surrogate(value):
            raise ValueError("text with a lone surrogate cannot be stored")
        return value
    return value  # JSON: any value
