"""restquery.client against a real HTTP server on 127.0.0.1 that answers as 4D documents it:
collection and entity shapes, entity sets, updates, deletes, class functions, BLOB downloads,
sessions, the __ERROR stack, 429 with Retry-After."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import restquery
from restquery.build import F, Q
from restquery.client import AsyncClient, Client, Entity, Selection
from restquery.errors import RestClientError, RestServerError, ValidationError
from tests.integrations.conftest import serve_asgi

REPO = Path(__file__).resolve().parents[1]
CATALOG = restquery.Catalog.from_json(REPO / "examples" / "catalog.json")
BLOB = bytes(range(256)) * 64
EMPLOYEES = [{"ID": n, "lastName": f"Name{n:03}", "salary": 1000 * n} for n in range(1, 24)]


def _entity(e: dict[str, Any], stamp: int = 1) -> dict[str, Any]:
    return {"__KEY": str(e["ID"]), "__TIMESTAMP": "2026-01-01T00:00:00.000Z", "__STAMP": stamp, **e}


class FourD:
    """A stand-in with 4D's documented response shapes (spec §8.2, §10)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, bytes, dict[str, str]]] = []
        self.busy = 0
        self.sets: dict[str, int] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            msg = await receive()
            body += msg.get("body", b"")
            if not msg.get("more_body"):
                break
        path = urllib.parse.unquote(scope["path"])
        query = urllib.parse.unquote(scope["query_string"].decode())
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        self.seen.append((scope["method"], path + ("?" + query if query else ""), body, headers))
        status, payload, extra = self.answer(scope["method"], path, query, body, headers)
        if isinstance(payload, bytes):
            data, kind = payload, "application/octet-stream"
        elif isinstance(payload, str):
            data, kind = payload.encode(), "text/html"
        else:
            data, kind = json.dumps(payload).encode(), "application/json"
        head = [(b"content-type", kind.encode()), *((k.encode(), v.encode()) for k, v in extra.items())]
        await send({"type": "http.response.start", "status": status, "headers": head})
        await send({"type": "http.response.body", "body": data})

    def answer(self, method: str, path: str, query: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        skip, top = int(params.get("$skip", 0)), int(params.get("$top", 100))
        error = {"__ERROR": [{"message": "The entity does not exist", "componentSignature": "dbmg", "errCode": 1800}]}
        if path == "/rest/$directory/login":
            ok = headers.get("username-4d") == "kim" and headers.get("password-4d") == "s3cret"
            return (200, {"result": True}, {"set-cookie": "WASID4D=session42; path=/"}) if ok else (401, {"result": False}, {})
        if path == "/rest/Secret":
            return (200, {"secret": 1}, {}) if "WASID4D=session42" in headers.get("cookie", "") else (401, error, {})
        if path == "/rest/Busy":
            self.busy += 1
            return (429, error, {"retry-after": "0"}) if self.busy <= 2 else (200, {"done": self.busy}, {})
        if path == "/rest/Page":
            return 200, "<html>not JSON</html>", {}
        if path == "/rest/Company(1)/blobAtt" and params.get("$binary") == "true":
            return 200, BLOB, {}
        if path == "/rest/Employee/getHighSalaries" and method == "POST":
            (limit,) = json.loads(body)
            return 200, [_entity(e) for e in EMPLOYEES if e["salary"] > limit][:2], {}
        if path == "/rest/Employee" and params.get("$method") == "update" and method == "POST":
            sent = json.loads(body)
            items = sent if isinstance(sent, list) else [sent]
            return 200, {"__ENTITIES": [_entity({"ID": 99, **i}, 2) for i in items]}, {}
        if path.startswith("/rest/Employee(") and params.get("$method") == "delete" and method == "POST":
            return 200, {"ok": True}, {}
        if path == "/rest/Employee" and params.get("$method") == "entityset":
            self.sets["SET1"] = len(EMPLOYEES)
            return 200, {"__ENTITYSET": "/rest/Employee/$entityset/SET1", "__DATACLASS": "Employee",
                         "__COUNT": len(EMPLOYEES), "__SENT": 0, "__FIRST": 0, "__ENTITIES": []}, {}
        if path == "/rest/Employee/$entityset/SET1":
            if params.get("$method") == "release":
                self.sets.pop("SET1", None)
                return 200, {"ok": True}, {}
            if "SET1" not in self.sets:
                return 404, error, {}
        if path in ("/rest/Employee", "/rest/Employee/$entityset/SET1"):
            rows = EMPLOYEES[skip : skip + top]
            return 200, {"__DATACLASS": "Employee", "__COUNT": len(EMPLOYEES), "__SENT": len(rows),
                         "__FIRST": skip, "__ENTITIES": [_entity(e) for e in rows]}, {}
        if path.startswith("/rest/Employee("):
            key = int(path[len("/rest/Employee(") : -1])
            match = [e for e in EMPLOYEES if e["ID"] == key]
            return (200, _entity(match[0]), {}) if match else (404, error, {})
        return 404, error, {}


@pytest.fixture(scope="module")
def four_d() -> Iterator[tuple[FourD, str]]:
    app = FourD()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture
def client(four_d: tuple[FourD, str]) -> Iterator[Client]:
    with Client(four_d[1], catalog=CATALOG, backoff=0.01) as c:
        yield c


def test_an_entity_and_a_page_are_plain_data(client: Client) -> None:
    e = client.get(Q("Employee", 3))
    assert isinstance(e, Entity) and e == {"ID": 3, "lastName": "Name003", "salary": 3000}
    assert (e.key, e.stamp) == ("3", 1)
    page = client.get(Q("Employee").filter(F.salary > 1000).top(5))
    assert isinstance(page, Selection) and len(page) == 5
    assert (page.total, page.sent, page.first, page.dataclass) == (23, 5, 0, "Employee")


def test_the_request_sent_is_the_one_built(client: Client, four_d: tuple[FourD, str]) -> None:
    app = four_d[0]
    q = Q("Employee").filter(F.lastName == "O'Reilly & Sons").top(1)
    client.get(q)
    method, target, _, headers = app.seen[-1]
    assert method == "GET" and headers["accept"] == "application/json"
    # what the server reads back is the tree that was built
    assert restquery.parse(target, method="GET") == restquery.parse(urllib.parse.unquote(q.url()), method="GET")


def test_iter_pages_through_the_collection(client: Client, four_d: tuple[FourD, str]) -> None:
    before = len(four_d[0].seen)
    keys = [e.key for e in client.iter(Q("Employee"), page_size=10)]
    assert keys == [str(n) for n in range(1, 24)]
    targets = [t for _, t, _, _ in four_d[0].seen[before:]]
    assert targets == [f"/rest/Employee?$top=10&$skip={n}" for n in (0, 10, 20)]


def test_entity_sets_page_and_release(client: Client, four_d: tuple[FourD, str]) -> None:
    with client.entityset(Q("Employee"), timeout=600) as es:
        assert (es.id, es.dataclass, es.count) == ("SET1", "Employee", 23)
        assert len(list(es.iter(page_size=7))) == 23
    assert "SET1" not in four_d[0].sets  # released on leaving the block
    created = [t for _, t, _, _ in four_d[0].seen if "$method=entityset" in t][-1]
    assert "$timeout=600" in created


def test_update_delete_and_a_class_function(client: Client, four_d: tuple[FourD, str]) -> None:
    saved = client.update("Employee", [{"lastName": "New"}])
    assert isinstance(saved, Selection) and saved[0] == {"ID": 99, "lastName": "New"} and saved[0].stamp == 2
    method, target, body, headers = four_d[0].seen[-1]
    assert (method, target, json.loads(body), headers["content-type"]) == (
        "POST", "/rest/Employee?$method=update", [{"lastName": "New"}], "application/json"
    )
    assert client.delete("Employee", 5) == {"ok": True}
    assert four_d[0].seen[-1][:2] == ("POST", "/rest/Employee(5)?$method=delete")
    rich = client.call(Q("Employee").call("getHighSalaries", args=[20000]))
    assert [e["ID"] for e in rich] == [21, 22]
    assert four_d[0].seen[-1][2] == b"[20000]"


def test_download_streams_to_a_file_written_atomically(client: Client, tmp_path: Path) -> None:
    target = tmp_path / "blob.bin"
    assert client.download(Q("Company", 1).attribute("blobAtt").binary(), target) == target
    assert target.read_bytes() == BLOB
    # a failed download leaves the old file whole, and no partial file beside it
    with pytest.raises(RestServerError):
        client.download(Q("Company", 2).attribute("blobAtt").binary(), target)
    assert target.read_bytes() == BLOB and [p.name for p in tmp_path.iterdir()] == ["blob.bin"]


def test_sessions_keep_their_cookie(four_d: tuple[FourD, str]) -> None:
    with Client(four_d[1]) as c:
        with pytest.raises(RestServerError) as info:
            c.get("/rest/Secret")
        assert info.value.status == 401
        assert c.login("kim", "s3cret", session_minutes=120) == {"result": True}
        assert four_d[0].seen[-1][3]["session-4d-length"] == "120"
        assert c.get("/rest/Secret") == {"secret": 1}


def test_errors(client: Client, four_d: tuple[FourD, str]) -> None:
    with pytest.raises(RestServerError) as info:
        client.get(Q("Employee", 999))
    err = info.value
    assert (err.status, err.err_code, err.component, err.message) == (404, 1800, "dbmg", "The entity does not exist")
    with Client(four_d[1]) as plain, pytest.raises(RestClientError, match="not JSON"):
        plain.get("/rest/Page")  # (the catalog's client would not send it: no such dataclass)
    # checked before sending: nothing reaches the server
    before = len(four_d[0].seen)
    with pytest.raises(ValidationError):
        client.get("/rest/Company(11)/blobAtt?$binary=true")
    with pytest.raises(ValidationError):
        client.get("/rest/Employee?$attributes=salry")  # the client's catalog knows no salry
    assert len(four_d[0].seen) == before
    with Client("http://127.0.0.1:9", timeout=2) as dead, pytest.raises(RestClientError):
        dead.get("/rest/Employee")


def test_429_is_retried_with_backoff(four_d: tuple[FourD, str]) -> None:
    app = four_d[0]
    app.busy = 0
    with Client(four_d[1], backoff=0.01) as c:
        assert c.get("/rest/Busy") == {"done": 3}
    app.busy = 0
    with Client(four_d[1], retries=1, backoff=0.01) as c, pytest.raises(RestServerError) as info:
        c.get("/rest/Busy")
    assert info.value.status == 429


def test_the_async_client(four_d: tuple[FourD, str]) -> None:
    async def go(folder: Path) -> tuple[Any, list[str | None], Any, int, bytes]:
        async with AsyncClient(four_d[1], catalog=CATALOG) as c:
            one = await c.get(Q("Employee", 2))
            keys = [e.key async for e in c.iter(Q("Employee"), page_size=9)]
            gone = await c.delete("Employee", 2)
            async with await c.entityset(Q("Employee")) as es:
                in_set = len([e async for e in es.iter(page_size=10)])
            blob = await c.download(Q("Company", 1).attribute("blobAtt").binary(), folder / "b.bin")
            return one, keys, gone, in_set, blob.read_bytes()

    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        one, keys, gone, in_set, blob = asyncio.run(go(Path(folder)))
    assert one.key == "2" and keys == [str(n) for n in range(1, 24)] and gone == {"ok": True}
    assert in_set == 23 and blob == BLOB and "SET1" not in four_d[0].sets
