"""The WSGI middleware in a Flask app served by werkzeug's server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

flask = pytest.importorskip("flask")
httpx = pytest.importorskip("httpx")

import restquery
from restquery.integrations.wsgi import RestQueryMiddleware, raw_target

from .conftest import CATALOG, error_codes, raw_request, serve_wsgi


class Seen:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: list[tuple[str, bytes, Any]] = []

    def add(self, *call: Any) -> None:
        with self.lock:
            self.calls.append(call)

    def count(self) -> int:
        with self.lock:
            return len(self.calls)


def make_app(seen: Seen) -> flask.Flask:
    app = flask.Flask(__name__)
    app.wsgi_app = RestQueryMiddleware(app.wsgi_app, catalog=CATALOG)  # type: ignore[method-assign]

    @app.route("/rest/<path:rest>", methods=["GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS"])
    def rest(rest: str) -> Any:
        env = flask.request.environ
        tree = env.get("restquery.request")
        seen.add(flask.request.method, raw_target(env), tree)
        return {
            "canonical": restquery.unparse(tree) if tree else None,
            "warnings": [d.code for d in env.get("restquery.diagnostics", ())],
        }

    @app.route("/health")
    def health() -> Any:
        seen.add("GET", b"/health", None)
        return {"ok": True}

    return app


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Seen, str]]:
    seen = Seen()
    with serve_wsgi(make_app(seen)) as url:
        yield seen, url


@pytest.fixture
def client(server: tuple[Seen, str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[1], timeout=10) as c:
        yield c


VALID = [
    ("GET", "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt"),
    ("GET", '/rest/Employee?$filter="salary>20000"&$top=10'),
    ("GET", "/rest/$catalog/$all"),
    ("POST", "/rest/Company?$method=update"),
    ("GET", "/rest/Company?$filter=%22name%3D%27A%40%27%22"),
    ("DELETE", "/rest/Company(1)"),
]

INVALID = [
    ("GET", "/rest/Company(11)/blobAtt?$binary=true", 400, "RQ301"),
    ("GET", "/rest/Employee?$filter=", 400, "RQ004"),
    ("GET", "/rest/Employee?$top=abc", 400, "RQ331"),
    ("GET", "/rest/Company?$method=update", 400, "RQ315"),
    ("GET", "/rest/%FF%FE", 400, "RQ009"),
    ("GET", "/rest/Nope", 404, "RQ201"),
    ("GET", "/rest/Company(1)/nope", 404, "RQ202"),
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
    client: httpx.Client, server: tuple[Seen, str], method: str, url: str, status: int, code: str
) -> None:
    seen, _ = server
    before = seen.count()
    r = client.request(method, url)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    doc = r.json()
    assert error_codes(doc)[0] == code
    assert doc["__ERROR"][0] == {
        "message": doc["diagnostics"][0]["message"],
        "componentSignature": "rest",
        "errCode": int(code[2:]),
    }
    assert seen.count() == before


def test_spans_index_the_raw_request_uri(client: httpx.Client) -> None:
    target = '/rest/Employee?$top=10&$filter="salary>20000"&$skip=x%20y'
    r = client.get("/", extensions={"target": target.encode()})
    assert r.status_code == 400
    [d] = [d for d in r.json()["diagnostics"] if d["code"] == "RQ331"]
    assert target[d["start"] : d["end"]] == "x%20y"


def test_seed_binary_request(client: httpx.Client) -> None:
    url = "/rest/Company(11)/blobAtt?$binary=true"
    [d] = client.get(url).json()["diagnostics"]
    assert (d["code"], url[d["start"] : d["end"]]) == ("RQ301", "$binary=true")
    assert client.get(url + "&$expand=blobAtt").status_code == 200


def test_warnings_reach_the_app(client: httpx.Client) -> None:
    assert client.delete("/rest/Company(1)").json()["warnings"]


def test_head_refused_without_body(client: httpx.Client) -> None:
    r = client.head("/rest/Company(11)/blobAtt?$binary=true")
    assert r.status_code == 400 and r.content == b""


def test_outside_the_prefix_passes(client: httpx.Client) -> None:
    assert client.get("/health?$top=abc").status_code == 200


def test_100_concurrent_requests(server: tuple[Seen, str]) -> None:
    seen, url = server
    cases = [
        (VALID[i % len(VALID)], True) if i % 2 else (INVALID[i % len(INVALID)][:2], False)
        for i in range(100)
    ]

    async def go() -> list[httpx.Response]:
        async with httpx.AsyncClient(
            base_url=url, timeout=30, limits=httpx.Limits(max_connections=100)
        ) as c:
            return await asyncio.gather(*(c.request(m, u) for (m, u), _ in cases))

    before = seen.count()
    responses = asyncio.run(go())
    for ((_, u), ok), r in zip(cases, responses):
        assert (r.status_code == 200) is ok, (u, r.status_code)
    assert seen.count() == before + sum(ok for _, ok in cases)


def test_100_kb_target_never_reaches_the_app(
    client: httpx.Client, server: tuple[Seen, str]
) -> None:
    # werkzeug's server (http.server) refuses request lines over 64 kB itself, with 414.
    seen, _ = server
    before = seen.count()
    target = "/rest/Company?$filter=%22name%3D%27" + "a" * 100_000 + "%27%22"
    assert client.get("/", extensions={"target": target.encode()}).status_code == 414
    assert seen.count() == before


def test_over_long_target_gets_rq010() -> None:
    mw = RestQueryMiddleware(lambda env, sr: [b"reached"], max_length=1000)
    started: list[str] = []
    # Over max_length, under max_target_length: the parser's limit answers.
    target = "/rest/Company?$filter=%22name%3D%27" + "a" * 10_000 + "%27%22"
    env = {"REQUEST_METHOD": "GET", "PATH_INFO": "/rest/Company", "REQUEST_URI": target}
    body = b"".join(mw(env, lambda s, h: started.append(s)))
    assert started == ["400 Bad Request"] and error_codes(body) == ["RQ010"]


@pytest.mark.parametrize(
    "target",
    [
        b"/rest/Company\xff\xfe",
        b"/rest/\x01\x7f",
        b"/rest/%FF%FE?$filter=%00%01",
        b"/rest/Company?$filter=%22%00%22",
        b"/rest/Company(((((((((((((((((((((((((((((((",
        b"/rest/" + bytes(range(0x21, 0x7F)),
    ],
)
def test_garbage_bytes_in_the_target(server: tuple[Seen, str], target: bytes) -> None:
    seen, url = server
    before = seen.count()
    status, _, body = raw_request(
        url, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    # werkzeug reads raw bytes over 0x7F as Latin-1 characters (and so does the app behind it):
    # `/rest/Company\xff\xfe` names the dataclass `Companyÿþ`, which the catalog lacks (404).
    assert status in (400, 404)
    assert json.loads(body)["__ERROR"]
    assert seen.count() == before


@pytest.mark.parametrize(
    ("environ", "target"),
    [
        ({"RAW_URI": "/rest/A%20B?$top=1", "REQUEST_URI": "/ignored"}, b"/rest/A%20B?$top=1"),
        ({"REQUEST_URI": "/rest/A?$top=1"}, b"/rest/A?$top=1"),
        (
            {"SCRIPT_NAME": "/rest", "PATH_INFO": "/A B", "QUERY_STRING": "$top=1"},
            b"/rest/A%20B?$top=1",
        ),
        ({"PATH_INFO": "/rest/\xc3\xa9"}, b"/rest/%C3%A9"),
        ({"PATH_INFO": "/rest/A"}, b"/rest/A"),
    ],
)
def test_raw_target_sources(environ: dict[str, str], target: bytes) -> None:
    assert raw_target(environ) == target


def test_without_a_server() -> None:
    started: list[Any] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [])
        return [restquery.unparse(environ["restquery.request"]).encode()]

    mw = RestQueryMiddleware(app)
    env = {"REQUEST_METHOD": "GET", "PATH_INFO": "/rest/Company(1)", "QUERY_STRING": ""}
    assert mw(env, lambda s, h: started.append(s)) == [b"/rest/Company(1)"]
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/rest/Company(1)/blobAtt",
        "QUERY_STRING": "$binary=true",
    }
    body = b"".join(mw(env, lambda s, h: started.append((s, h))))
    status, headers = started[-1]
    assert status == "400 Bad Request"
    assert ("content-length", str(len(body))) in headers
    assert error_codes(body) == ["RQ301"]
