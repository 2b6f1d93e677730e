"""No parameter is smuggled past the front door.

restquery reads a quoted value to its closing quote, so a raw ``&`` inside it is data (spec
§1.3); ``parse_qsl``, Starlette, werkzeug — and possibly 4D — split the query on every ``&``.
The integrations therefore refuse a raw ``&`` inside a quoted value (RQ112, an error there, a
warning with a fix in ``check`` and ``lint``), and what they let through is read the same way by
all of them: checked here by parsing every target that reached the upstream with the three
parsers the application side would use.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from integrations.conftest import CATALOG, Upstream, serve_asgi

import restquery
from restquery.integrations.proxy import create_app, uvicorn_config
from restquery.strategies import filters, urls

from .conftest import Side

SMUGGLERS = [
    b"GET /rest/Employee(1)?$filter=\"lastName='x&$method=delete&'\"",
    b"GET /rest/Employee?$filter=\"lastName=:1\"&$params='[\"x&$top=x&y\"]'",
    b"GET /rest/Employee?$filter=\"ID=1%20&%20ID=2\"",
    b"GET /rest/Employee?$filter=\"ID=1\"&$params='[\"a&$method=delete\"]'",
]

#: Smugglers the value's own grammar refuses first: refused all the same, with a syntax error.
MALFORMED_SMUGGLERS = [
    b"GET /rest/Employee?$orderby=\"lastName&$method=delete\"",
    b"GET /rest/Employee?$attributes=\"lastName&$method=delete\"",
]


@pytest.mark.parametrize("line", SMUGGLERS)
def test_a_raw_ampersand_in_a_quoted_value_is_refused(side: Side, line: bytes) -> None:
    before = len(side.seen())
    status, body = side.send(line)
    assert status == 400, body[:300]
    assert len(side.seen()) == before
    doc = json.loads(body)
    [smuggled] = [d for d in doc["diagnostics"] if d["code"] == "RQ112"]
    assert smuggled["severity"] == "error"
    assert "%26" in smuggled["hint"]
    target = line.split(b" ", 1)[1].decode()
    # The span starts at the first raw `&` inside the quotes.
    assert target[smuggled["start"]] == "&"


@pytest.mark.parametrize("line", MALFORMED_SMUGGLERS)
def test_a_smuggler_that_does_not_parse_is_refused_too(side: Side, line: bytes) -> None:
    before = len(side.seen())
    status, body = side.send(line)
    assert status == 400
    assert len(side.seen()) == before
    assert json.loads(body)["diagnostics"][0]["code"].startswith("RQ0")


def test_the_same_value_written_with_percent_26_goes_through(side: Side) -> None:
    before = len(side.seen())
    status, _ = side.send(b"GET /rest/Employee?$filter=\"ID=1%20%26%20ID=2\"")
    assert status == 200
    assert len(side.seen()) == before + 1


def test_ignoring_the_rule_does_not_open_the_door() -> None:
    from restquery.integrations._core import Gate

    gate = Gate(ignore=["RQ112"])
    admission = gate.admit("GET", b"/rest/Employee(1)?$filter=\"lastName='x&$method=delete&'\"")
    assert admission.verdict is not None and admission.verdict.status == 400
    assert [d.code for d in admission.verdict.failing] == ["RQ112"]


def test_check_warns_and_offers_the_fix() -> None:
    url = "/rest/Employee(1)?$filter=\"lastName='x&$method=delete&'\""
    [d] = [d for d in restquery.validate(url) if d.code == "RQ112"]
    assert d.severity == "warning"
    assert d.fix is not None
    fixed = d.fix.apply(url)
    assert fixed == "/rest/Employee(1)?$filter=\"lastName='x%26$method=delete%26'\""
    assert [k for k, _ in parse_qsl(fixed.split("?", 1)[1])] == ["$filter"]
    out = subprocess.run(
        [sys.executable, "-m", "restquery", "check", "--format", "json", url],
        capture_output=True, text=True, timeout=60,
    )
    [report] = json.loads(out.stdout)
    assert "RQ112" in [x["code"] for x in report["diagnostics"]]


# ---------------------------------------------------------------------------------------------
# What reaches the upstream reads the same to every parser
# ---------------------------------------------------------------------------------------------


def _restquery_pairs(target: str) -> list[tuple[str, str]]:
    req = restquery.parse(target)
    pairs = []
    for p in req.params:
        raw = target[p.span.start : p.span.end]
        name, eq, value = raw.partition("=")
        if p.trailing_slash:
            value = value[:-1] if value.endswith("/") else value[:-3]
        pairs.append((unquote(name), unquote(value)))
    return pairs


def _starlette_pairs(query: str) -> list[tuple[str, str]]:
    from starlette.datastructures import QueryParams

    return list(QueryParams(query).multi_items())


def _werkzeug_pairs(query: str) -> list[tuple[str, str]]:
    from werkzeug.wrappers import Request

    environ = {"QUERY_STRING": query, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}
    return list(Request(environ).args.items(multi=True))


@pytest.fixture(scope="module")
def proxy_and_upstream() -> Any:
    upstream = Upstream()
    with serve_asgi(upstream) as up:
        app = create_app(up, catalog=CATALOG, timeout=10, connect_timeout=10)
        with serve_asgi(config=uvicorn_config(app, port=0, log_level="warning")) as url:
            with httpx.Client(base_url=url, timeout=10) as client:
                yield client, upstream


def _raw_form(req: restquery.ast.Request) -> str:
    # As the docs write URLs: quotes and `&` symbols left raw; encoded only what a request line
    # cannot carry, and `%`, which unparse() writes for itself.
    return "".join(
        c if 0x21 <= ord(c) < 0x7F and c not in "#%" else quote(c, safe="")
        for c in restquery.unparse(req)
    )


CATALOG_OBJ = restquery.Catalog.from_json(Path(CATALOG))


def _filter_url(flt: restquery.ast.Filter) -> str:
    # Filters drawn alone: AND spelled `&` or `&&` inside the quotes comes up often here.
    return _raw_form(restquery.parse("/rest/Employee?$filter=" + _quoted(flt) + "&$top=5"))


def _quoted(flt: restquery.ast.Filter) -> str:
    # A raw `#` would end the URL (the query() operator `#` travels as %23).
    return '"' + restquery.unparse(flt).replace("#", "%23") + '"'


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(
        urls(CATALOG_OBJ, encode=True),
        urls(CATALOG_OBJ).map(lambda u: _raw_form(restquery.parse(u))),
        filters(CATALOG_OBJ, dataclass="Employee").map(_filter_url),
    )
)
def test_every_forwarded_target_reads_the_same_to_every_parser(
    proxy_and_upstream: Any, url: str
) -> None:
    client, upstream = proxy_and_upstream
    before = len(upstream.targets())
    response = client.get("/", extensions={"target": url.encode()})
    received = upstream.targets()[before:]
    if response.status_code != 200:
        assert not received
        return
    [target] = received
    text = target.decode("utf-8")
    assert text == url  # forwarded byte for byte
    query = text.split("?", 1)[1] if "?" in text else ""
    if "+" in query:
        return  # `+` is a space to these parsers and a plus to the 4D docs (spec §1.4)
    mine = _restquery_pairs(text)
    assert parse_qsl(query, keep_blank_values=True) == mine
    assert _starlette_pairs(query) == mine
    assert _werkzeug_pairs(query) == mine
