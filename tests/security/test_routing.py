"""The routing decision and the gate, without a server: every reading a server may make of a
path, the refusals and their diagnostics, the target limit, judging long targets off the
event loop."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest

from restquery.integrations._core import DEFAULT_MAX_TARGET_LENGTH, Gate
from restquery.integrations._target import route
from restquery.integrations.asgi import OFF_LOOP_AT, RestQueryMiddleware


@pytest.mark.parametrize(
    ("target", "action"),
    [
        (b"/rest/Company(1)", "check"),
        (b"/rest", "check"),
        (b"/rest/", "check"),
        (b"/rest?$top=1", "check"),
        (b"/REST/Company", "check"),  # the parser refuses it (RQ101): checked all the same
        (b"/%72est/Company", "check"),
        (b"/rest//Company", "check"),  # literally under the prefix: RQ012 from the parser
        (b"/rest/Company/../$catalog", "check"),
        (b"/rest/Employee(%2F..%2F..%2Fadmin)", "check"),
        (b"/restful/x", "pass"),
        (b"/assets/app.js", "pass"),
        (b"/a/b/../c", "pass"),
        (b"/x%2Fy", "pass"),
        (b"//rest/Company", "refuse"),
        (b"///rest/Company", "refuse"),
        (b"/%2Frest/Company", "refuse"),
        (b"/%2frest/Company", "refuse"),
        (b"/%252Frest/Company", "refuse"),
        (b"/./rest/Company", "refuse"),
        (b"/x/../rest/Company", "refuse"),
        (b"/x/%2e%2e/rest/Company", "refuse"),
        (b"/x/%2E./rest/Company", "refuse"),
        (b"/x/..%2Frest/Company", "refuse"),
        (b"/x/..%5Crest/Company", "refuse"),
        (b"/rest;x/Company", "refuse"),
        (b"/rest;/Company", "refuse"),
        (b"/rest%3Bx/Company", "refuse"),
        (b"/rest\\Company", "refuse"),
        (b"/rest%5CCompany", "refuse"),
        (b"/rest./Company", "refuse"),
        (b"/rest../Company", "refuse"),
        (b"/rest%2E/Company", "refuse"),
        (b"/rest%20/Company", "refuse"),
        (b"/rest%00/Company", "refuse"),
        (b"/rest%00", "refuse"),
        (b"/re%00st/Company", "refuse"),
        (b"rest/Company", "refuse"),
        (b"*", "refuse"),
        (b"http://evil.example/rest/Company", "refuse"),
        (b"http://evil.example/assets/x", "refuse"),
        (b"ftp://127.0.0.1:8000/rest/Company", "refuse"),
        (b"http://127.0.0.1:8000/rest/Company?$top=1", "check"),
        (b"HTTP://127.0.0.1:8000/rest/Company", "check"),
        (b"http://127.0.0.1:8000", "pass"),
        (b"http://127.0.0.1:8000?$top=1", "pass"),
        (b"http://user@127.0.0.1:8000/rest/Company", "check"),
        (b"http://api.example:80/rest/Company", "check"),
        (b"https://api.example/rest/Company", "check"),
    ],
)
def test_route(target: bytes, action: str) -> None:
    got = route("GET", target, "/rest", authorities=["127.0.0.1:8000", "api.example"])
    assert got.action == action, got
    if action == "refuse":
        assert got.refusal is not None and got.refusal.code == "RQ014"
        assert got.refusal.name == "ambiguous-target"
        assert got.refusal.hint
    else:
        assert got.refusal is None
        assert got.target.startswith(b"/")


def test_an_absolute_form_target_is_reduced_to_origin_form() -> None:
    got = route("GET", b"http://127.0.0.1:8000/rest/Company?$top=1", "/rest", authorities=["127.0.0.1:8000"])
    assert got.target == b"/rest/Company?$top=1"
    assert route("GET", b"http://127.0.0.1:8000?x=1", "", authorities=["127.0.0.1:8000"]).target == b"/?x=1"


def test_connect_is_refused() -> None:
    got = route("CONNECT", b"127.0.0.1:8000", "/rest")
    assert got.action == "refuse" and got.refusal is not None and "CONNECT" in (got.refusal.hint or "")


def test_an_empty_prefix_checks_every_path() -> None:
    assert route("GET", b"/anything", "").action == "check"
    assert route("GET", b"//anything", "").action == "check"


def test_the_refusal_names_the_plain_path() -> None:
    got = route("GET", b"/x/../rest/Company?$top=x", "/rest")
    assert got.refusal is not None
    assert "`/rest/Company`" in (got.refusal.hint or "")
    assert (got.refusal.span.start, got.refusal.span.end) == (0, len(b"/x/../rest/Company"))


def test_a_path_the_server_routes_under_the_prefix_is_never_passed() -> None:
    # werkzeug's PATH_INFO decodes %2F and merges slashes: the routed path says /rest.
    got = route("GET", b"/x%2F..%2Frest/Company", "/rest", routed_paths=["/x/../rest/Company"])
    assert got.action == "refuse"
    assert route("GET", b"/assets/a", "/rest", routed_paths=["/assets/a"]).action == "pass"


# ---------------------------------------------------------------------------------------------
# The gate
# ---------------------------------------------------------------------------------------------


def test_gate_answers_414_beyond_the_target_limit() -> None:
    gate = Gate()
    target = b"/rest/Company?$filter=%22name%3D%27" + b"a" * DEFAULT_MAX_TARGET_LENGTH + b"%27%22"
    verdict = gate.admit("GET", target).verdict
    assert verdict is not None and verdict.status == 414
    doc = json.loads(verdict.body)
    assert doc["diagnostics"][0]["code"] == "RQ010"
    assert "max_target_length=16384" in doc["diagnostics"][0]["message"]
    assert gate.checker.cache_info().currsize == 0  # refused before anything parsed it
    assert Gate(max_target_length=None).admit("GET", target).verdict.ok  # type: ignore[union-attr]


def test_gate_refusal_body_is_4d_shaped() -> None:
    verdict = Gate().admit("GET", b"/x/../rest/Company").verdict
    assert verdict is not None and verdict.status == 400
    doc = json.loads(verdict.body)
    assert doc["__ERROR"][0] == {
        "message": doc["diagnostics"][0]["message"],
        "componentSignature": "rest",
        "errCode": 14,
    }


def test_options_is_routed_but_not_checked() -> None:
    gate = Gate()
    assert gate.admit("OPTIONS", b"/rest/Company?$top=x").verdict is None
    refused = gate.admit("OPTIONS", b"//rest/Company").verdict
    assert refused is not None and refused.status == 400


def test_a_refused_request_is_validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(cache_size=0)
    calls: list[Any] = []
    real = gate.checker._validate

    def counting(*args: Any) -> Any:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(gate.checker, "_validate", counting)
    verdict = gate.admit("GET", b"/rest/Company(11)/blobAtt?$binary=true").verdict
    assert verdict is not None and verdict.status == 400
    assert len(calls) == 1
    # ... and the fix still sees the text around the span.
    [d] = verdict.failing
    assert d.fix is not None


def test_a_bug_in_the_checker_answers_json_not_text(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(cache_size=0)

    def broken(*args: Any) -> Any:
        raise ValueError("unexpected")

    monkeypatch.setattr(gate.checker, "_validate", broken)
    verdict = gate.admit("GET", b"/rest/Company").verdict
    assert verdict is not None and verdict.status == 500
    assert json.loads(verdict.body)["__ERROR"][0]["errCode"] == 500


# ---------------------------------------------------------------------------------------------
# Long targets are judged off the event loop
# ---------------------------------------------------------------------------------------------


def _call(mw: RestQueryMiddleware, target: bytes) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    path, _, query = target.partition(b"?")

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "method": "GET", "path": path.decode(), "raw_path": path,
        "query_string": query, "headers": [(b"host", b"127.0.0.1:8000")],
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(mw(scope, receive, send))
    return sent


def test_long_targets_are_judged_on_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        threads.append(threading.get_ident())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    mw = RestQueryMiddleware(app)
    real = mw.gate.admit

    def admit(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(mw.gate, "admit", admit)
    short = b'/rest/Company?$filter="name=\'a\'"'
    long = b'/rest/Company?$filter="name=\'' + b"a" * OFF_LOOP_AT + b"'\""
    assert _call(mw, short)[0]["status"] == 200
    assert threads[0] == threads[1]  # judged on the loop's own thread: cheaper
    threads.clear()
    assert _call(mw, long)[0]["status"] == 200
    assert threads[0] != threads[1]  # judged elsewhere; the app runs on the loop


def test_a_bug_in_routing_answers_json_not_text(monkeypatch: pytest.MonkeyPatch) -> None:
    import restquery.integrations._target as target_module

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(target_module, "route", broken)
    verdict = Gate().admit("GET", b"/rest/Company").verdict
    assert verdict is not None and verdict.status == 500
    assert json.loads(verdict.body)["__ERROR"][0]["errCode"] == 500
