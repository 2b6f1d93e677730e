"""Targets that might be routed under /rest never reach the application or the upstream
unchecked: every attack of the front-door campaign, replayed over raw sockets against the
proxy, the ASGI middleware under uvicorn and hypercorn, and the WSGI middleware under
werkzeug and gunicorn.

Each attack carries ``$top=x``, which ``/rest/Employee?$top=x`` answers with 400 (RQ331): a
request that reached the other side with it was not checked.
"""

from __future__ import annotations

import json

import pytest

from .conftest import Side

#: (request line without the version, what it tries). ``{port}`` is the server's own port.
ATTACKS = [
    (b"GET http://evil.example/rest/Employee?$top=x", "absolute form, another host"),
    (b"GET https://127.0.0.1:{port}/rest/Employee?$top=x", "absolute form, this server"),
    (b"GET http://127.0.0.1:{port}//rest/Employee?$top=x", "absolute form and //"),
    (b"GET //rest/Employee?$top=x", "empty first segment"),
    (b"GET /%2Frest/Employee?$top=x", "encoded slash"),
    (b"GET /%252Frest/Employee?$top=x", "doubly encoded slash"),
    (b"GET /./rest/Employee?$top=x", "dot segment"),
    (b"GET /x/../rest/Employee?$top=x", "dot-dot segment"),
    (b"GET /x/%2e%2e/rest/Employee?$top=x", "encoded dot-dot segment"),
    (b"GET /x/..%2frest/Employee?$top=x", "dot-dot and encoded slash"),
    (b"GET /rest;x/Employee?$top=x", "path parameter"),
    (b"GET /rest\\Employee?$top=x", "backslash"),
    (b"GET /rest%5CEmployee?$top=x", "encoded backslash"),
    (b"GET /rest./Employee?$top=x", "trailing dot"),
    (b"GET /REST./Employee?$top=x", "trailing dot, other case"),
    (b"GET /rest%00/Employee?$top=x", "NUL"),
    (b"GET rest/Employee?$top=x", "no leading slash"),
    (b"GET /rest/Employee?$top=x#frag", "raw fragment after the query"),
    (b"GET /rest/Employee#?$top=x", "raw fragment before the query"),
    (b"GET /rest#/Employee?$top=x", "raw fragment in the prefix"),
    (b"GET /REST/Employee?$top=x", "case variant of the prefix"),
    (b"GET /rest/Employee?$top=x", "plain (the control)"),
]

REFUSED_OUTRIGHT = [
    (b"CONNECT 127.0.0.1:{port}", "CONNECT"),
    (b"OPTIONS *", "asterisk form"),
]


def _assert_refused(side: Side, line: bytes) -> None:
    before = len(side.seen())
    status, body = side.send(line)
    assert status == 400, (line, status, body[:200])
    assert len(side.seen()) == before, f"{line!r} reached the other side: {side.seen()[before:]}"
    if body.startswith(b"{"):
        doc = json.loads(body)
        assert doc["__ERROR"] and doc["__ERROR"][0]["componentSignature"] == "rest"
        codes = [d["code"] for d in doc["diagnostics"] if d["severity"] == "error"]
        # Refused as ambiguous, or normalised by the server and then checked.
        assert codes[0] in ("RQ014", "RQ331", "RQ101"), codes


@pytest.mark.parametrize(("line", "what"), ATTACKS, ids=[w for _, w in ATTACKS])
def test_no_target_reaches_the_other_side_unchecked(side: Side, line: bytes, what: str) -> None:
    _assert_refused(side, line)


@pytest.mark.parametrize(("line", "what"), REFUSED_OUTRIGHT, ids=[w for _, w in REFUSED_OUTRIGHT])
def test_connect_and_asterisk_form_are_refused(side: Side, line: bytes, what: str) -> None:
    _assert_refused(side, line)


def test_a_valid_request_reaches_the_other_side_checked(side: Side) -> None:
    before = len(side.seen())
    assert side.send(b"GET /rest/Employee?$top=1")[0] == 200
    [got] = side.seen()[before:]
    assert got["raw"].startswith("/rest/Employee")
    assert got.get("checked", True)


def test_an_absolute_form_target_for_this_server_is_reduced_to_what_was_checked(
    side: Side,
) -> None:
    before = len(side.seen())
    status, _ = side.send(b"GET http://127.0.0.1:{port}/rest/Employee?$top=1")
    assert status == 200
    [got] = side.seen()[before:]
    # The other side sees the origin form: the bytes that were validated.
    assert got["raw"] in ("/rest/Employee?$top=1", "/rest/Employee"), got
    assert got.get("checked", True)


def test_paths_outside_the_prefix_pass(side: Side) -> None:
    before = len(side.seen())
    assert side.send(b"GET /assets/app.js?v=1")[0] == 200
    assert len(side.seen()) == before + 1
