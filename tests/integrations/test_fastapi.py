"""The FastAPI example of docs/servers.md, served by uvicorn on 127.0.0.1."""

import pytest

fastapi = pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
pytest.importorskip("uvicorn")

from fastapi import FastAPI, Request

import restquery
from restquery.integrations.asgi import RestQueryMiddleware

from .conftest import CATALOG, error_codes, serve_asgi


def make_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(RestQueryMiddleware, catalog=str(CATALOG))

    @app.get("/rest/{path:path}")
    def read(path: str, request: Request) -> dict:
        tree = request.state.restquery  # the parsed restquery.ast.Request
        return {"canonical": restquery.unparse(tree), "binary": tree.param("$binary") is not None}

    return app


def test_fastapi_request_state() -> None:
    with serve_asgi(make_app()) as url, httpx.Client(base_url=url, timeout=10) as c:
        r = c.get("/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt")
        assert r.status_code == 200
        assert r.json() == {
            "canonical": "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
            "binary": True,
        }
        r = c.get("/rest/Company(11)/blobAtt?$binary=true")
        assert (r.status_code, error_codes(r.json())) == (400, ["RQ301"])
        r = c.get("/rest/Nope")
        assert (r.status_code, error_codes(r.json())) == (404, ["RQ201"])
