"""A client for the 4D REST server, on httpx: requests built with :mod:`restquery.build` (or
given as URLs) are checked before they are sent, answers are decoded to plain data, and the
server's ``__ERROR`` stack becomes a :class:`~restquery.RestServerError`.

>>> from restquery.client import Entity
>>> e = Entity.from_json({"__KEY": "7", "__STAMP": 2, "lastName": "Jones"})
>>> e, e.key, e.stamp
({'lastName': 'Jones'}, '7', 2)

* ``get(q)``: an entity is an :class:`Entity` (its attributes; ``key``, ``stamp``); a
  collection a :class:`Selection` (a list of entities with ``total``, ``sent``, ``first``,
  ``entity_set``); anything else the JSON as sent.
* ``iter(q, page_size=…)`` pages with ``$skip``/``$top`` until the collection is read.
* ``entityset(q, timeout=…)`` creates an entity set and returns an :class:`EntitySet` that pages
  through it and releases it (also as a context manager).
* ``update(dataclass, entities)``, ``delete(dataclass, key)``, ``call(q)`` (a class function:
  POST with its arguments), ``download(q, path)`` (a ``$binary=true`` download streamed to a
  file written atomically), ``login(user, password)`` (``$directory/login``; the session cookie
  is kept).
* 429 and 503 answers are retried with exponential backoff (``Retry-After`` honoured, at most
  ``max_backoff`` seconds a wait); transport failures and answers that are not JSON raise
  :class:`~restquery.RestClientError`.

:class:`AsyncClient` is the same on ``httpx.AsyncClient``. httpx is an extra: ``pip install
restquery[client]``.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from restquery.build import Q
from restquery.errors import RestClientError, RestServerError, ValidationError

__all__ = ["AsyncClient", "AsyncEntitySet", "Client", "Entity", "EntitySet", "Selection"]

#: The statuses retried with backoff: too many requests, service unavailable (a 4D server
#: over its entity-set quota, or starting).
RETRIED = frozenset({429, 503})


class Entity(dict[str, Any]):
    """One entity: its attributes (related entities and pictures as the server's
    ``__deferred`` objects), with ``key`` (``__KEY``) and ``stamp`` (``__STAMP``)."""

    key: str | None = None
    stamp: int | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entity:
        entity = cls({k: v for k, v in data.items() if not k.startswith("__")})
        key = data.get("__KEY")
        entity.key = None if key is None else str(key)
        stamp = data.get("__STAMP")
        entity.stamp = stamp if isinstance(stamp, int) else None
        return entity


class Selection(list[Entity]):
    """A page of a collection: its entities, with ``total`` (``__COUNT``, the whole
    collection's), ``sent``, ``first``, ``dataclass`` and ``entity_set`` (the ID of the entity
    set the request created, if it did)."""

    total: int | None = None
    sent: int | None = None
    first: int | None = None
    dataclass: str | None = None
    entity_set: str | None = None


def decode(data: Any) -> Any:
    """The JSON of an answer as plain data: a collection as a :class:`Selection`, an entity as
    an :class:`Entity`, anything else as it is."""
    if isinstance(data, dict) and isinstance(data.get("__ENTITIES"), list):
        page = Selection(Entity.from_json(e) for e in data["__ENTITIES"] if isinstance(e, dict))
        page.total = _int(data.get("__COUNT"))
        page.sent = _int(data.get("__SENT"))
        page.first = _int(data.get("__FIRST"))
        dc = data.get("__DATACLASS", data.get("__entityModel"))
        page.dataclass = dc if isinstance(dc, str) else None
        uri = data.get("__ENTITYSET")
        page.entity_set = uri.rstrip("/").rsplit("/", 1)[-1] if isinstance(uri, str) and uri else None
        return page
    if isinstance(data, dict) and "__KEY" in data:
        return Entity.from_json(data)
    return data


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _Core:
    """What both clients share: checking and writing a request, reading an answer."""

    def __init__(self, base_url: str, catalog: Any, retries: int, backoff: float, max_backoff: float) -> None:
        if catalog is not None and not hasattr(catalog, "dataclasses"):
            from restquery.catalog import catalog_argument

            catalog = catalog_argument(catalog)
        self.base_url = base_url.rstrip("/")
        self.catalog = catalog
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff

    def prepare(self, q: Q | str, method: str | None = None) -> tuple[str, str, bytes | None]:
        """``(method, URL, body)``; a URL string is validated first, as a builder was."""
        if isinstance(q, Q):
            return method or q.http_method, self.base_url + q.url(), q.body()
        if not isinstance(q, str):
            raise RestClientError(f"a request is a restquery.build.Q or a URL, not {type(q).__name__}")
        import restquery

        verb = method or "GET"
        found = restquery.validate(q, catalog=self.catalog, method=verb)
        errors = [d for d in found if d.severity == "error"]
        if errors:
            raise ValidationError(f"{errors[0].code}: {errors[0].message}", found)
        path = q if q.startswith("/") else "/" + q
        return verb, self.base_url + path, None

    def wait(self, attempt: int, response: Any) -> float | None:
        """Seconds to wait before retrying ``response``, or ``None`` to give up."""
        if response.status_code not in RETRIED or attempt >= self.retries:
            return None
        after: str = response.headers.get("retry-after", "")
        if after.strip().isdigit():
            return min(float(after), self.max_backoff)
        return min(self.backoff * (1 << attempt), self.max_backoff)

    @staticmethod
    def read(response: Any) -> Any:
        """The decoded JSON of ``response``, or the server's error as an exception."""
        try:
            data = response.json() if response.content else None
        except ValueError:
            data = _NOT_JSON
        if response.status_code >= 400:
            errors = data.get("__ERROR") if isinstance(data, dict) else None
            if isinstance(errors, list):
                raise RestServerError(response.status_code, [e for e in errors if isinstance(e, dict)])
            raise RestClientError(f"the server answered {response.status_code} without a 4D error body")
        if data is _NOT_JSON:
            kind = response.headers.get("content-type", "no content type")
            raise RestClientError(f"the server answered {kind}, not JSON")
        return decode(data)


_NOT_JSON = object()


def _json_body(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _login_headers(user: str, password: str, minutes: int | None) -> dict[str, str]:
    headers = {"username-4D": user, "password-4D": password}
    if minutes is not None:
        headers["session-4D-length"] = str(minutes)
    return headers


@contextlib.contextmanager
def _atomic(target: Path) -> Iterator[BinaryIO]:
    """A file beside ``target`` that replaces it when the block ends well, and is removed when
    it does not (a partial download never replaces the file)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class _Connection:
    """What both clients are made of: the shared core and an httpx client of the class
    ``_http_class`` names."""

    _http_class = "Client"

    def __init__(
        self,
        base_url: str,
        *,
        catalog: Any = None,
        auth: Any = None,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        transport: Any = None,
    ) -> None:
        import httpx

        self._core = _Core(base_url, catalog, retries, backoff, max_backoff)
        self._http: Any = getattr(httpx, self._http_class)(auth=auth, timeout=timeout, transport=transport)


class Client(_Connection):
    """A client of the 4D REST server at ``base_url`` (``http://host:port``; ``/rest`` is in
    each request's path). ``auth`` and ``timeout`` are httpx's; ``transport`` an httpx
    transport (tests); ``retries``, ``backoff`` and ``max_backoff`` (seconds) govern the
    retries of 429 and 503 answers."""

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
        import httpx

        attempt = 0
        while True:
            try:
                response = self._http.request(method, url, content=body, headers=_headers(body, headers))
            except httpx.HTTPError as err:
                raise RestClientError(f"{method} {url}: {err}") from None
            pause = self._core.wait(attempt, response)
            if pause is None:
                return response
            time.sleep(pause)
            attempt += 1

    def get(self, q: Q | str) -> Any:
        """The answer to ``q`` (GET, or POST for what the builder says is one), decoded."""
        method, url, body = self._core.prepare(q)
        return self._core.read(self._send(method, url, body))

    def iter(self, q: Q, page_size: int = 100) -> Iterator[Entity]:
        """Every entity of the collection ``q`` reads, ``page_size`` at a time."""
        skip = 0
        while True:
            page = self.get(q.skip(skip).top(page_size))
            if not isinstance(page, Selection):
                raise RestClientError("iter() reads collections: the answer was not one")
            yield from page
            skip += len(page)
            if len(page) < page_size or (page.total is not None and skip >= page.total):
                return

    def entityset(self, q: Q, timeout: int | None = None) -> EntitySet:
        """Create an entity set of what ``q`` reads; the handle pages through it."""
        page = self.get(q.entityset(timeout=timeout))
        if not isinstance(page, Selection) or page.entity_set is None:
            raise RestClientError("the server created no entity set (no __ENTITYSET in the answer)")
        return EntitySet(self, page.dataclass or q.dataclass, page.entity_set, page.total)

    def update(self, dataclass: str, entities: dict[str, Any] | Sequence[dict[str, Any]]) -> Any:
        """Create or update entities (``$method=update``): with ``__KEY`` and ``__STAMP``
        an update, without them a creation."""
        method, url, _ = self._core.prepare(Q(dataclass, catalog=self._core.catalog).update())
        data = entities if isinstance(entities, dict) else list(entities)
        return self._core.read(self._send(method, url, _json_body(data)))

    def delete(self, dataclass: str, key: int | str) -> Any:
        """Drop the entity ``key`` (``$method=delete``)."""
        method, url, body = self._core.prepare(Q(dataclass, key, catalog=self._core.catalog).delete())
        return self._core.read(self._send(method, url, body))

    def call(self, q: Q) -> Any:
        """Call the class function ``q`` names (``Q(...).call(name, args)``)."""
        method, url, body = self._core.prepare(q)
        return self._core.read(self._send(method, url, body))

    def download(self, q: Q, path: str | os.PathLike[str]) -> Path:
        """Stream the BLOB or picture ``q`` downloads (``.attribute(...).binary()``) to
        ``path``, written atomically (a partial download never replaces the file)."""
        import httpx

        method, url, body = self._core.prepare(q)
        target = Path(path)
        with _atomic(target) as out:
            try:
                with self._http.stream(method, url, content=body) as response:
                    if response.status_code >= 400:
                        response.read()
                        self._core.read(response)
                    for chunk in response.iter_bytes():
                        out.write(chunk)
            except httpx.HTTPError as err:
                raise RestClientError(f"{method} {url}: {err}") from None
        return target

    def login(self, user: str, password: str, *, session_minutes: int | None = None) -> Any:
        """Open a session (``$directory/login``); its cookie goes with the next requests."""
        url = self._core.base_url + "/rest/$directory/login"
        response = self._send("POST", url, b"", _login_headers(user, password, session_minutes))
        return self._core.read(response)


def _headers(body: bytes | None, extra: dict[str, str] | None) -> dict[str, str]:
    headers = {"accept": "application/json"}
    if body:
        headers["content-type"] = "application/json"
    if extra:
        headers.update(extra)
    return headers


class _Set:
    """An entity set on the server: its ``id``, ``dataclass`` and ``count`` (of entities),
    read through ``client``."""

    def __init__(self, client: Any, dataclass: str, id: str, count: int | None) -> None:
        self.client = client
        self.dataclass = dataclass
        self.id = id
        self.count = count

    def query(self) -> Q:
        """The builder that reads the set."""
        return Q(self.dataclass).entityset(self.id)


class EntitySet(_Set):
    """An entity set of a :class:`Client`: :meth:`iter` pages through it, :meth:`release`
    drops it (leaving a ``with`` block does too)."""

    client: Client

    def iter(self, page_size: int = 100) -> Iterator[Entity]:
        return self.client.iter(self.query(), page_size)

    def release(self) -> None:
        self.client.get(self.query().release())

    def __enter__(self) -> EntitySet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class AsyncClient(_Connection):
    """:class:`Client` on ``httpx.AsyncClient``: the same methods, awaited (``iter`` is an
    async iterator)."""

    _http_class = "AsyncClient"

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _send(self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
        import asyncio

        import httpx

        attempt = 0
        while True:
            try:
                response = await self._http.request(method, url, content=body, headers=_headers(body, headers))
            except httpx.HTTPError as err:
                raise RestClientError(f"{method} {url}: {err}") from None
            pause = self._core.wait(attempt, response)
            if pause is None:
                return response
            await asyncio.sleep(pause)
            attempt += 1

    async def get(self, q: Q | str) -> Any:
        method, url, body = self._core.prepare(q)
        return self._core.read(await self._send(method, url, body))

    async def iter(self, q: Q, page_size: int = 100) -> AsyncIterator[Entity]:
        skip = 0
        while True:
            page = await self.get(q.skip(skip).top(page_size))
            if not isinstance(page, Selection):
                raise RestClientError("iter() reads collections: the answer was not one")
            for entity in page:
                yield entity
            skip += len(page)
            if len(page) < page_size or (page.total is not None and skip >= page.total):
                return

    async def entityset(self, q: Q, timeout: int | None = None) -> AsyncEntitySet:
        page = await self.get(q.entityset(timeout=timeout))
        if not isinstance(page, Selection) or page.entity_set is None:
            raise RestClientError("the server created no entity set (no __ENTITYSET in the answer)")
        return AsyncEntitySet(self, page.dataclass or q.dataclass, page.entity_set, page.total)

    async def download(self, q: Q, path: str | os.PathLike[str]) -> Path:
        import httpx

        method, url, body = self._core.prepare(q)
        target = Path(path)
        with _atomic(target) as out:
            try:
                async with self._http.stream(method, url, content=body) as response:
                    if response.status_code >= 400:
                        await response.aread()
                        self._core.read(response)
                    async for chunk in response.aiter_bytes():
                        out.write(chunk)
            except httpx.HTTPError as err:
                raise RestClientError(f"{method} {url}: {err}") from None
        return target

    async def update(self, dataclass: str, entities: dict[str, Any] | Sequence[dict[str, Any]]) -> Any:
        method, url, _ = self._core.prepare(Q(dataclass, catalog=self._core.catalog).update())
        data = entities if isinstance(entities, dict) else list(entities)
        return self._core.read(await self._send(method, url, _json_body(data)))

    async def delete(self, dataclass: str, key: int | str) -> Any:
        method, url, body = self._core.prepare(Q(dataclass, key, catalog=self._core.catalog).delete())
        return self._core.read(await self._send(method, url, body))

    async def call(self, q: Q) -> Any:
        method, url, body = self._core.prepare(q)
        return self._core.read(await self._send(method, url, body))

    async def login(self, user: str, password: str, *, session_minutes: int | None = None) -> Any:
        url = self._core.base_url + "/rest/$directory/login"
        response = await self._send("POST", url, b"", _login_headers(user, password, session_minutes))
        return self._core.read(response)


class AsyncEntitySet(_Set):
    """:class:`EntitySet` of an :class:`AsyncClient` (``async with``, ``async for``)."""

    client: AsyncClient

    def iter(self, page_size: int = 100) -> AsyncIterator[Entity]:
        return self.client.iter(self.query(), page_size)

    async def release(self) -> None:
        await self.client.get(self.query().release())

    async def __aenter__(self) -> AsyncEntitySet:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.release()
