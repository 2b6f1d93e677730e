"""The documented use of :mod:`restquery.strategies`: send generated requests to a server under
test over HTTP (httpx), here a local stand-in 4D server behind restquery's own validating ASGI
middleware, served by uvicorn on 127.0.0.1.

* every ``urls(catalog, method=m, encode=True)`` request reaches the application (a valid
  request is never refused), whatever the verb;
* every ``invalid_urls(catalog)`` request with an error code is refused with 400 or 404 and
  the expected code in the body's ``diagnostics``.

This is the example of ``docs/fuzzing.md``; it needs uvicorn and httpx (``restquery[proxy]``).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from _fuzzlib import CATALOG_PATH, EXAMPLES
from hypothesis import HealthCheck, given, settings

import restquery
from restquery.rules import registry
from restquery.strategies import InvalidURL, invalid_urls, urls

httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn")

SERVER = settings(
    max_examples=max(20, EXAMPLES // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


async def stand_in(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A stand-in 4D server: answers every request it gets with 200 and what it received."""
    if scope["type"] != "http":
        return
    body = json.dumps({"method": scope["method"], "target": scope["raw_path"].decode("latin-1")})
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode("utf-8")})


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:  # pragma: no cover
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from restquery.integrations.asgi import RestQueryMiddleware

    app = RestQueryMiddleware(stand_in, catalog=CATALOG_PATH)
    with serve(app) as base_url, httpx.Client(base_url=base_url, timeout=10) as http:
        yield http


CATALOG = restquery.Catalog.from_json(CATALOG_PATH)
ERRORS = {r.code for r in registry() if r.severity == "error"}


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_valid_requests_reach_the_server(client: Any, method: str) -> None:
    @SERVER
    @given(urls(CATALOG, method=method, encode=True))
    def send(url: str) -> None:
        response = client.request(method, url)
        assert response.status_code == 200, (method, url, response.text)

    send()


def test_invalid_requests_are_refused_with_their_code(client: Any) -> None:
    @SERVER
    @given(invalid_urls(CATALOG))
    def send(case: InvalidURL) -> None:
        url, code, method = case
        if code not in ERRORS and not code.startswith("RQ0"):
            return  # a warning: the request goes through (reject_warnings=False)
        if code == "RQ101":
            return  # no /rest prefix: the middleware lets paths outside its prefix through
        if code.startswith("RQ0"):  # does not parse: send it as is, but for the fragment mark
            wire = url.replace("#", "%23")
        else:
            wire = restquery.unparse(restquery.parse(url), encode=True)
        response = client.request(method or "GET", wire)
        assert response.status_code in (400, 404), (case, response.status_code)
        codes = [d["code"] for d in response.json()["diagnostics"]]
        assert code in codes, (case, codes)

    send()
