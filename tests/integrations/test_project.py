"""``project=``: the ASGI and WSGI middleware and the proxy read the catalog from a 4D
project's sources (Catalog.from_project), served on 127.0.0.1 by real servers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

httpx = pytest.importorskip("httpx")

from restquery.errors import CatalogError
from restquery.integrations import asgi, wsgi
from restquery.integrations.proxy import create_app, uvicorn_config

from .conftest import Upstream, error_codes, serve_asgi, serve_wsgi

ACME = Path(__file__).resolve().parents[1] / "fixtures" / "projects" / "acme"

#: (method, target, status): what the project's schema makes of each request.
CASES = [
    ("GET", "/rest/Employee?$filter=\"employer.name='Acme'\"", 200),
    ("GET", "/rest/Employee(1)/fullName", 200),
    ("POST", "/rest/$singleton/VehicleFactory/buildVehicle", 200),
    ("GET", "/rest/Employe", 404),  # no such dataclass
    ("GET", "/rest/AuditLog", 404),  # hidden from REST in the structure
    ("GET", "/rest/Company?$attributes=bankAccount", 404),  # a field hidden from REST
    ("POST", "/rest/Company/recount", 404),  # a function that is not exposed
    ("GET", "/rest/Employee/getHighSalaries", 200),  # onHTTPGet
    ("GET", "/rest/Employee(1)/promote", 400),  # exposed, but not on GET
]


async def _plain_asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"app"})


def _plain_wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"app"]


def _check(base: str) -> None:
    with httpx.Client(base_url=base, timeout=10) as client:
        for method, target, status in CASES:
            response = client.request(method, target)
            assert response.status_code == status, (method, target, response.text)
            if status == 404:
                assert error_codes(response.content)[0] in {"RQ201", "RQ202", "RQ203"}


def test_the_asgi_middleware_reads_the_project() -> None:
    with serve_asgi(asgi.RestQueryMiddleware(_plain_asgi, project=ACME)) as base:
        _check(base)


def test_the_wsgi_middleware_reads_the_project() -> None:
    with serve_wsgi(wsgi.RestQueryMiddleware(_plain_wsgi, project=str(ACME))) as base:
        _check(base)


def test_the_proxy_reads_the_project() -> None:
    upstream = Upstream()
    with serve_asgi(upstream) as upstream_url:
        app = create_app(upstream_url, project=ACME)
        with serve_asgi(config=uvicorn_config(app, port=0, log_level="warning")) as base:
            with httpx.Client(base_url=base, timeout=10) as client:
                assert client.get("/rest/AuditLog").status_code == 404
                assert client.get("/rest/Employee(1)").status_code == 200
    assert upstream.targets() == [b"/rest/Employee(1)"]


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"catalog": ACME / "catalog.json", "project": ACME}, "not both"),
        ({"project": 3}, "project must be the path of a 4D project, not int"),
        ({"project": ACME / "missing"}, "not a folder"),
    ],
)
def test_a_bad_project_argument_is_a_catalog_error(options: dict[str, Any], words: str) -> None:
    with pytest.raises(CatalogError, match=words):
        asgi.RestQueryMiddleware(_plain_asgi, **options)
