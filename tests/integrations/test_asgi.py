"""The ASGI middleware in a Starlette app served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import restquery
from restquery.integrations.asgi import RestQueryMiddleware, raw_target

from .conftest import CATALOG, error_codes, raw_request, serve_asgi

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


class Seen:
    """What the application behind the middleware received."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: list[tuple[str, bytes, Any]] = []

    def add(self, method: str, target: bytes, tree: Any) -> None:
        with self.lock:
            self.calls.append((method, target, tree))

    def count(self) -> int:
        with self.lock:
            return len(self.calls)


def make_app(seen: Seen) -> Starlette:
    async def rest(request: Request) -> JSONResponse:
        tree = getattr(request.state, "restquery", None)
        seen.add(request.method, raw_target(request.scope), tree)
        return JSONResponse(
            {
                "canonical": restquery.unparse(tree) if tree else None,
                "warnings": [d.code for d in request.state.restquery_diagnostics] if tree else [],
            }
        )

    async def health(request: Request) -> JSONResponse:
        seen.add(request.method, raw_target(request.scope), None)
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/health", health),
            Route("/{path:path}", rest, methods=METHODS),
        ]
    )


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Seen, str]]:
    seen = Seen()
    app = RestQueryMiddleware(make_app(seen), catalog=CATALOG)
    # Request heads up to 1 MB reach the middleware, so that an over-long URL gets a diagnostic.
    with serve_asgi(app, h11_max_incomplete_event_size=1 << 20) as url:
        yield seen, url


@pytest.fixture
def client(server: tuple[Seen, str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[1], timeout=10) as c:
        yield c


VALID = [
    ("GET", "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt"),
    ("GET", "/rest/User(5)/profilePicture?$binary=true&$expand=profilePicture"),
    ("GET", '/rest/Employee?$filter="salary>20000"&$top=10'),
    ("GET", "/rest/$catalog/$all"),
    ("GET", "/rest/Employee(5)/photo?$imageformat=best&$expand=photo"),
    ("POST", "/rest/Company?$method=update"),
    ("GET", "/rest/Company?$filter=%22name%3D%27A%40%27%22"),
    ("DELETE", "/rest/Company(1)"),  # a warning only
]

INVALID = [
    ("GET", "/rest/Company(11)/blobAtt?$binary=true", 400, "RQ301"),
    ("GET", "/rest/Employee?$filter=", 400, "RQ004"),
    ("GET", "/rest/Employee?$top=abc", 400, "RQ331"),
    ("GET", '/rest/Employee/$filter="x=1"', 400, "RQ005"),
    ("GET", "/rest/$catalog/$bogus", 400, "RQ102"),
    ("GET", "/rest/Company?$method=update", 400, "RQ315"),
    ("GET", "/rest/%FF%FE", 400, "RQ009"),
    ("GET", "/rest/Nope", 404, "RQ201"),
    ("GET", "/rest/Company(1)/nope", 404, "RQ202"),
    ("GET", "/REST/Nope", 400, None),  # checked although the case differs
]


@pytest.mark.parametrize(("method", "url"), VALID)
def test_valid_requests_reach_the_app_parsed(
    client: httpx.Client, server: tuple[Seen, str], method: str, url: str
) -> None:
    seen, _ = server
    before = seen.count()
    r = client.request(method, url)
    assert r.status_code == 200, r.text
    assert seen.count() == before + 1
    got_method, target, tree = seen.calls[-1]
    assert got_method == method
    assert tree == restquery.parse(target.decode(), method=method)
    assert r.json()["canonical"] == restquery.unparse(tree)


@pytest.mark.parametrize(("method", "url", "status", "code"), INVALID)
def test_invalid_requests_never_reach_the_app(
    client: httpx.Client,
    server: tuple[Seen, str],
    method: str,
    url: str,
    status: int,
    code: str | None,
) -> None:
    seen, _ = server
    before = seen.count()
    r = client.request(method, url)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    doc = r.json()
    assert set(doc) == {"__ERROR", "diagnostics"}
    assert doc["__ERROR"] and all(
        set(e) == {"message", "componentSignature", "errCode"} for e in doc["__ERROR"]
    )
    assert all(e["componentSignature"] == "rest" for e in doc["__ERROR"])
    if code is not None:
        assert error_codes(doc)[0] == code
        assert doc["__ERROR"][0]["errCode"] == int(code[2:])
    assert seen.count() == before


def test_spans_index_the_target_the_client_sent(client: httpx.Client) -> None:
    # Sent byte for byte (httpx would otherwise re-encode the quotes).
    target = '/rest/Employee?$top=10&$filter="salary>20000"&$skip=x%20y'
    r = client.get("/", extensions={"target": target.encode()})
    assert r.status_code == 400
    [d] = [d for d in r.json()["diagnostics"] if d["code"] == "RQ331"]
    assert target[d["start"] : d["end"]] == "x%20y"
    encoded = "/rest/Employee?$filter=%22salary%3E20000%22&$top=%41"
    r = client.get("/", extensions={"target": encoded.encode()})
    [d] = r.json()["diagnostics"]
    assert encoded[d["start"] : d["end"]] == "%41"


def test_seed_binary_request_span(client: httpx.Client) -> None:
    url = "/rest/Company(11)/blobAtt?$binary=true"
    doc = client.get(url).json()
    [d] = doc["diagnostics"]
    assert (d["code"], url[d["start"] : d["end"]]) == ("RQ301", "$binary=true")
    assert d["hint"] == "add &$expand=blobAtt"


def test_warnings_reach_the_app(client: httpx.Client) -> None:
    r = client.delete("/rest/Company(1)")
    assert r.status_code == 200 and r.json()["warnings"]


def test_head_refused_without_body(client: httpx.Client) -> None:
    r = client.head("/rest/Company(11)/blobAtt?$binary=true")
    assert r.status_code == 400 and r.content == b""
    assert int(r.headers["content-length"]) > 0


def test_options_and_paths_outside_the_prefix_pass(
    client: httpx.Client, server: tuple[Seen, str]
) -> None:
    seen, _ = server
    before = seen.count()
    assert client.options("/rest/Company(11)/blobAtt?$binary=true").status_code == 200
    assert client.get("/health?$binary=true").status_code == 200
    assert client.get("/restful?$top=abc").status_code == 200
    assert seen.count() == before + 3


def test_100_concurrent_requests(server: tuple[Seen, str]) -> None:
    seen, url = server
    urls = [
        (VALID[i % len(VALID)], True) if i % 2 else (INVALID[i % len(INVALID)][:2], False)
        for i in range(100)
    ]

    async def go() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(base_url=url, timeout=20, limits=limits) as c:
            return await asyncio.gather(*(c.request(m, u) for (m, u), _ in urls))

    before = seen.count()
    responses = asyncio.run(go())
    for ((_, u), ok), r in zip(urls, responses):
        assert (r.status_code == 200) is ok, (u, r.status_code)
    assert seen.count() == before + sum(ok for _, ok in urls)


def test_100_kb_target_is_refused_with_a_diagnostic(
    client: httpx.Client, server: tuple[Seen, str]
) -> None:
    seen, _ = server
    before = seen.count()
    target = "/rest/Company?$filter=%22name%3D%27" + "a" * 100_000 + "%27%22"
    r = client.get("/", extensions={"target": target.encode()})
    # Over max_target_length (16 KiB): 414, before anything parses it.
    assert r.status_code == 414
    assert error_codes(r.json()) == ["RQ010"]
    assert seen.count() == before


@pytest.mark.parametrize(
    ("target", "status", "code"),
    [
        (b"/rest/Company\xff\xfe", 400, None),  # not a valid request line: uvicorn refuses it
        (b"/rest/\x01\x7f", 400, None),
        (b"/rest/%FF%FE?$filter=%00%01", 400, "RQ009"),
        (b"/rest/Company?$filter=%22%00%22", 400, None),
        (b"/rest/Company?$$$$&&&===((", 400, None),
        (b"/rest/Company?$filter=" + bytes(range(0x21, 0x7F)), 400, None),
        (b"/rest/" + bytes(range(0x21, 0x7F)), 400, None),
        (b"/rest/Company(((((((((((((((((((((((((((((((", 400, None),
    ],
)
def test_garbage_bytes_in_the_target(
    server: tuple[Seen, str], target: bytes, status: int, code: str | None
) -> None:
    seen, url = server
    before = seen.count()
    got, headers, body = raw_request(
        url, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert got == status
    if headers.get("content-type", "").startswith("application/json"):
        doc = json.loads(body)
        assert doc["__ERROR"]
        if code:
            assert error_codes(doc)[0] == code
    assert seen.count() == before


# ---------------------------------------------------------------------------------------------
# Without a server: the ASGI contract itself
# ---------------------------------------------------------------------------------------------


def call(app: Any, scope: dict[str, Any]) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def test_raw_target_without_raw_path() -> None:
    scope = {"type": "http", "path": "/rest/Company(1)/a b", "query_string": b"$top=1"}
    assert raw_target(scope) == b"/rest/Company(1)/a%20b?$top=1"
    assert raw_target({"raw_path": b"/rest/X", "query_string": b""}) == b"/rest/X"


def test_state_is_set_and_lifespan_passes() -> None:
    got: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        got.append(scope)

    mw = RestQueryMiddleware(app)
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/rest/Company(1)",
        "raw_path": b"/rest/Company(1)",
        "query_string": b"",
    }
    assert call(mw, scope) == []
    assert got[-1]["state"]["restquery"] == restquery.parse("/rest/Company(1)", method="GET")
    call(mw, {"type": "lifespan"})
    assert got[-1] == {"type": "lifespan"}


def test_refusal_messages() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover - not reached
        raise AssertionError

    mw = RestQueryMiddleware(app)
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/rest/X",
        "raw_path": b"/rest/X",
        "query_string": b"$top=abc",
    }
    start, body = call(mw, scope)
    assert start["type"] == "http.response.start" and start["status"] == 400
    assert dict(start["headers"])[b"content-length"] == str(len(body["body"])).encode()
    assert body["more_body"] is False and json.loads(body["body"])["__ERROR"]
