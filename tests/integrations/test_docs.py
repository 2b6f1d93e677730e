"""The Python examples of docs/servers.md run as written, against real servers."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import ROOT, error_codes, serve_asgi, serve_wsgi

httpx = pytest.importorskip("httpx")

DOC = ROOT / "docs" / "servers.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def run_block(marker: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    [code] = [b for b in BLOCKS if marker in b]
    monkeypatch.chdir(ROOT / "examples")  # where catalog.json is
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - the doc's own example
    return namespace


def check(c: Any, expect_top: bool) -> None:
    r = c.get("/rest/Company?$top=10")
    assert r.status_code == 200, r.text
    assert r.json()["url"] == "/rest/Company?$top=10"
    if expect_top:
        assert r.json()["top"] == 10
    r = c.get("/rest/Company(11)/blobAtt?$binary=true")
    assert (r.status_code, error_codes(r.json())) == (400, ["RQ301"])
    r = c.get("/rest/Compani")
    assert (r.status_code, error_codes(r.json())) == (404, ["RQ201"])


def test_every_block_is_covered() -> None:
    assert len(BLOCKS) == 4


def test_fastapi_example(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("fastapi")
    app = run_block("from fastapi", monkeypatch)["app"]
    with serve_asgi(app) as url, httpx.Client(base_url=url, timeout=10) as c:
        check(c, expect_top=True)


def test_starlette_example(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("starlette")
    app = run_block("from starlette", monkeypatch)["app"]
    with serve_asgi(app) as url, httpx.Client(base_url=url, timeout=10) as c:
        check(c, expect_top=False)


def test_flask_example(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("flask")
    app = run_block("from flask", monkeypatch)["app"]
    with serve_wsgi(app) as url, httpx.Client(base_url=url, timeout=10) as c:
        check(c, expect_top=False)


def test_proxy_example(monkeypatch: pytest.MonkeyPatch) -> None:
    app = run_block("create_app(", monkeypatch)["app"]
    assert app.app.upstream == "http://127.0.0.1:8044"
    assert app.checker.catalog is not None
