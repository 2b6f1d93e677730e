"""``plus_as_space`` in the integrations: a client that writes spaces as ``+`` (httpx with
``params=``) gets its filters judged as it meant them, and what goes on is the target as sent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from restquery.integrations.asgi import RestQueryMiddleware
from restquery.integrations.proxy import create_app, uvicorn_config
from tests.integrations.conftest import Upstream, serve_asgi

FILTER = "salary>20000 AND employer.name!=acme"


@pytest.fixture(scope="module")
def stand_in() -> Iterator[tuple[Upstream, str]]:
    app = Upstream()
    with serve_asgi(app) as url:
        yield app, url


def _proxy(upstream_url: str, **options: Any) -> Any:
    app = create_app(upstream_url, timeout=5, connect_timeout=5, **options)
    return serve_asgi(config=uvicorn_config(app, port=0, log_level="warning"))


def test_httpx_params_write_spaces_as_plus() -> None:
    request = httpx.Request("GET", "http://h/rest/Employee", params={"$filter": f'"{FILTER}"'})
    assert b"+AND+" in request.url.raw_path


@pytest.mark.parametrize("plus_as_space", [False, True])
def test_the_proxy_judges_plus_as_configured_and_forwards_the_bytes_it_judged(
    stand_in: tuple[Upstream, str], plus_as_space: bool
) -> None:
    upstream, url = stand_in
    with _proxy(url, plus_as_space=plus_as_space, reject_warnings=True) as proxy_url:
        with httpx.Client(base_url=proxy_url, timeout=10) as client:
            before = len(upstream.targets())
            r = client.get("/rest/Employee", params={"$filter": f'"{FILTER}"', "$top": "10"})
            if plus_as_space:
                assert r.status_code == 200, r.text
                assert upstream.targets()[before:] == [r.request.url.raw_path]
            else:
                # Read as pluses, the filter is one odd comparison, and the warning refuses it.
                assert r.status_code == 400
                codes = [d["code"] for d in r.json()["diagnostics"]]
                assert codes == ["RQ113"], codes
                assert len(upstream.targets()) == before


def test_the_asgi_middleware_hands_on_the_tree_read_with_spaces() -> None:
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen["tree"] = scope["state"]["restquery"]
        seen["query"] = scope["query_string"]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    with serve_asgi(RestQueryMiddleware(app, plus_as_space=True)) as base:
        r = httpx.get(base + "/rest/Employee", params={"$filter": f'"{FILTER}"'}, timeout=10)
    assert r.status_code == 200, r.text
    flt = seen["tree"].param("$filter").value
    assert flt.expr.op == "AND"
    assert b"+AND+" in seen["query"]
