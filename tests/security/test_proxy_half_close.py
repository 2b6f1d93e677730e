"""A client that sends its request and shuts down its sending side still gets its answer.

``shutdown(SHUT_WR)`` after the request is what ``nc -N``, ``printf ... | nc`` and many scripts
do; the server reads an EOF and, as uvicorn does, used to take it for a client gone away and
answer nothing. Through the proxy the whole response comes back, then the connection closes.
A client that really leaves (closes its socket) mid-download still stops the upstream read.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from integrations.conftest import BLOB, BLOB_DISPOSITION, Upstream

from .proxy_helpers import (
    connect,
    parse_answer,
    proxy_before,
    read_until_eof,
    request_bytes,
    stand_in,
)


@pytest.fixture(scope="module")
def proxied() -> Iterator[tuple[Upstream, str]]:
    with stand_in() as (upstream, upstream_url), proxy_before(upstream_url, timeout=5) as url:
        yield upstream, url


def _half_closed(url: str, data: bytes, timeout: float = 5) -> tuple[bytes, bool, float]:
    """Send ``data``, shut down the sending side, read until the server closes: the bytes,
    whether it closed, and how long that took."""
    with connect(url) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        start = time.monotonic()
        raw, closed = read_until_eof(sock, timeout)
        return raw, closed, time.monotonic() - start


def test_a_request_then_half_close_gets_the_whole_answer(proxied: tuple[Upstream, str]) -> None:
    upstream, url = proxied
    raw, closed, took = _half_closed(url, request_bytes(b"/rest/Company(1)"))
    answer = parse_answer(raw)
    assert answer.status == 200
    assert answer.json()["__ENTITIES"][0]["name"] == "Acme"
    assert answer.headers["x-upstream"] == "stand-in"
    # The connection ends with the answer: nothing more can come from this client.
    assert closed and took < 2
    assert upstream.last().target == b"/rest/Company(1)"


def test_a_slow_upstream_answer_still_arrives(proxied: tuple[Upstream, str]) -> None:
    raw, closed, took = _half_closed(
        proxied[1], request_bytes(b"/rest/Company(1)", headers=b"x-test-delay: 0.5\r\n")
    )
    assert closed
    assert parse_answer(raw).status == 200
    assert took >= 0.4


def test_a_streamed_download_arrives_whole(proxied: tuple[Upstream, str]) -> None:
    raw, closed, _ = _half_closed(
        proxied[1], request_bytes(b"/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt")
    )
    answer = parse_answer(raw)
    assert closed
    assert answer.headers["content-disposition"] == BLOB_DISPOSITION
    assert answer.body == BLOB


def test_a_request_body_then_half_close(proxied: tuple[Upstream, str]) -> None:
    upstream, url = proxied
    body = bytes(range(256)) * 64
    raw, closed, _ = _half_closed(
        url,
        request_bytes(
            b"/rest/$upload?$rawPict=true",
            method=b"POST",
            headers=b"Content-Length: %d\r\n" % len(body),
        )
        + body,
    )
    assert closed
    assert parse_answer(raw).json()["length"] == len(body)
    assert upstream.last().body == body


def test_a_refused_request_then_half_close_gets_its_diagnostics(
    proxied: tuple[Upstream, str],
) -> None:
    upstream, url = proxied
    before = len(upstream.targets())
    raw, closed, _ = _half_closed(url, request_bytes(b"/rest/Company(11)/blobAtt?$binary=true"))
    answer = parse_answer(raw)
    assert closed
    assert answer.status == 400
    assert answer.json()["__ERROR"][0]["errCode"] == 301
    assert len(upstream.targets()) == before


def test_half_close_before_the_body_is_whole_ends_the_request(
    proxied: tuple[Upstream, str],
) -> None:
    # The request can never be completed: the connection closes, unanswered, and the upstream
    # (which may have seen the head and the first bytes: the body is streamed) never gets a
    # whole request.
    upstream, url = proxied
    before = len(upstream.targets())
    raw, closed, took = _half_closed(
        url,
        request_bytes(
            b"/rest/$upload?$rawPict=true", method=b"POST", headers=b"Content-Length: 10\r\n"
        )
        + b"hello",
    )
    assert (raw, closed) == (b"", True)
    assert took < 2
    time.sleep(0.2)
    assert all(len(r.body) < 10 for r in upstream.received[before:])


def test_half_close_then_hanging_up_mid_download_stops_the_upstream(
    proxied: tuple[Upstream, str],
) -> None:
    upstream, url = proxied
    chunks = 50  # 1 s of streaming if nobody stops it
    before = len(upstream.slow_streams)
    with connect(url) as sock:
        sock.sendall(request_bytes(b"/rest/Company(1)", headers=b"x-test-slow-stream: 50\r\n"))
        sock.shutdown(socket.SHUT_WR)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
    deadline = time.monotonic() + 5
    while len(upstream.slow_streams) == before and time.monotonic() < deadline:
        time.sleep(0.02)
    [sent] = upstream.slow_streams[before:]
    assert sent < chunks / 2
