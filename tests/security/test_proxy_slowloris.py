"""Slow and numerous clients cannot hold the proxy's connections for ever.

A request head must be whole within ``--head-timeout`` seconds (408 with an ``__ERROR`` body
otherwise, or a silent close for a connection that sent nothing), trickling bytes does not push
that deadline back, and beyond ``--max-client-connections`` open connections a new one is
answered 503 at once and closed.
"""

from __future__ import annotations

import argparse
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from integrations.conftest import Upstream, port_of, serve_asgi

from restquery import cli
from restquery.integrations import proxy

from .proxy_helpers import (
    assert_proxy_error,
    close_all,
    connect,
    open_many,
    parse_answer,
    proxy_before,
    proxy_command,
    raise_fd_limit,
    read_answer,
    read_until_eof,
    request_bytes,
    stand_in,
    until_all_closed,
)

HEAD_TIMEOUT = 0.5
PARTIAL_HEAD = b"GET /rest/Company(1) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: "


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[Upstream, str]]:
    with stand_in() as served:
        yield served


@pytest.fixture(scope="module")
def guarded(upstream: tuple[Upstream, str]) -> Iterator[str]:
    # A keep-alive timeout well past the head timeout: what closes these connections is the
    # head timeout, nothing else.
    server = {"head_timeout": HEAD_TIMEOUT, "timeout_keep_alive": 30}
    with proxy_before(upstream[1], timeout=5, server=server) as url:
        yield url


def _closed_after(sock: socket.socket, timeout: float = 5) -> tuple[bytes, float]:
    start = time.monotonic()
    raw, closed = read_until_eof(sock, timeout)
    assert closed, f"still open after {timeout} s"
    return raw, time.monotonic() - start


def test_a_partial_head_is_answered_408_and_closed(guarded: str) -> None:
    with connect(guarded) as sock:
        sock.sendall(PARTIAL_HEAD)
        raw, took = _closed_after(sock)
    assert_proxy_error(parse_answer(raw), 408)
    assert HEAD_TIMEOUT * 0.8 <= took < HEAD_TIMEOUT + 1.5


def test_trickling_does_not_push_the_deadline_back(guarded: str) -> None:
    with connect(guarded) as sock:
        start = time.monotonic()
        sent = b""
        with pytest.raises(OSError):  # the server's close breaks the trickle
            for byte in PARTIAL_HEAD * 10:
                sock.sendall(bytes([byte]))
                sent += bytes([byte])
                time.sleep(0.02)
        took = time.monotonic() - start
        raw, _ = read_until_eof(sock, 1)
    assert took < HEAD_TIMEOUT + 1.5
    if raw:  # the 408 may be lost to the reset the trickle's next byte provoked
        assert_proxy_error(parse_answer(raw), 408)


def test_an_idle_connection_is_closed_without_a_word(guarded: str) -> None:
    with connect(guarded) as sock:
        raw, took = _closed_after(sock)
    assert raw == b""
    assert HEAD_TIMEOUT * 0.8 <= took < HEAD_TIMEOUT + 1.5


def test_a_slow_but_timely_head_is_served(guarded: str) -> None:
    head = request_bytes(b"/rest/Company(1)", headers=b"Connection: close\r\n")
    with connect(guarded) as sock:
        for i in range(0, len(head), len(head) // 3 + 1):
            sock.sendall(head[i : i + len(head) // 3 + 1])
            time.sleep(HEAD_TIMEOUT / 10)
        raw, _ = _closed_after(sock)
    assert parse_answer(raw).status == 200


def test_the_next_head_on_a_kept_alive_connection_is_timed_too(guarded: str) -> None:
    with connect(guarded) as sock:
        for _ in range(2):  # an idle keep-alive wait is not a head: it is not cut short
            sock.sendall(request_bytes(b"/rest/Company(1)"))
            assert read_answer(sock).status == 200
            time.sleep(HEAD_TIMEOUT * 1.5)
        sock.sendall(PARTIAL_HEAD)
        raw, took = _closed_after(sock)
    assert_proxy_error(parse_answer(raw), 408)
    assert took < HEAD_TIMEOUT + 1.5


def test_500_slowloris_connections_are_shed_while_others_are_served(guarded: str) -> None:
    raise_fd_limit(4096)
    start = time.monotonic()
    loris = open_many(guarded, 500, PARTIAL_HEAD)
    try:
        with connect(guarded) as sock:  # meanwhile, an ordinary client
            sock.sendall(request_bytes(b"/rest/Company(1)"))
            assert read_answer(sock, timeout=2).status == 200
        answers = until_all_closed(loris, timeout=HEAD_TIMEOUT + 5)
    finally:
        close_all(loris)
    assert all(a is not None for a in answers), f"{answers.count(None)} still open"
    assert time.monotonic() - start < HEAD_TIMEOUT + 6
    for raw in answers:
        assert raw is not None
        assert_proxy_error(parse_answer(raw), 408)


def test_a_stalled_request_body_is_answered_408(upstream: tuple[Upstream, str]) -> None:
    # The head is whole, half of the body comes, then nothing: the upstream connection it holds
    # is released after --timeout, and the client told why.
    stand_in_app, upstream_url = upstream
    before = len(stand_in_app.targets())
    with proxy_before(upstream_url, timeout=0.5) as url, connect(url) as sock:
        sock.sendall(
            request_bytes(
                b"/rest/$upload?$rawPict=true", method=b"POST", headers=b"Content-Length: 10\r\n"
            )
            + b"hello"
        )
        start = time.monotonic()
        answer = read_answer(sock, timeout=5)
        took = time.monotonic() - start
    assert_proxy_error(answer, 408)
    assert 0.4 <= took < 2
    assert all(len(r.body) < 10 for r in stand_in_app.received[before:])


FIREHOSE = 64 << 20  # bytes: far more than the socket buffers between the proxy and a client


async def firehose(scope: Any, receive: Any, send: Any) -> None:
    """An upstream that answers ``x-firehose`` requests with FIREHOSE bytes as fast as they are
    taken, and anything else with a small 200."""
    if scope["type"] != "http":
        return
    big = (b"x-firehose", b"1") in scope["headers"]
    size = FIREHOSE if big else 2
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-length", b"%d" % size)],
        }
    )
    if not big:
        await send({"type": "http.response.body", "body": b"ok"})
        return
    chunk = b"x" * (1 << 16)
    for _ in range(FIREHOSE // len(chunk)):
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


def test_a_client_that_stops_reading_releases_its_upstream_connection() -> None:
    # One upstream connection, taken by a download its client does not read: once that client
    # has taken nothing for --timeout, its connection is cut and the next request gets through.
    with (
        serve_asgi(firehose) as upstream_url,
        proxy_before(upstream_url, timeout=1, max_connections=1) as url,
    ):
        reader = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        reader.connect(("127.0.0.1", port_of(url)))
        with reader:
            reader.sendall(request_bytes(b"/rest/Company(1)", headers=b"x-firehose: 1\r\n"))
            time.sleep(0.5)  # the download fills the buffers, then stalls
            start = time.monotonic()
            with connect(url) as sock:
                sock.sendall(request_bytes(b"/rest/Company(1)", headers=b"Connection: close\r\n"))
                raw, _ = read_until_eof(sock, 5)
            assert parse_answer(raw).status == 200
            assert time.monotonic() - start < 1.5
            got, closed = read_until_eof(reader, 10)
        assert closed
        assert len(got) < FIREHOSE


# ---------------------------------------------------------------------------------------------
# The connection limit
# ---------------------------------------------------------------------------------------------

LIMIT = 20


@pytest.fixture(scope="module")
def limited(upstream: tuple[Upstream, str]) -> Iterator[str]:
    server = {"max_client_connections": LIMIT, "head_timeout": 30, "timeout_keep_alive": 30}
    with proxy_before(upstream[1], timeout=5, server=server) as url:
        yield url


def _held(url: str, count: int) -> list[socket.socket]:
    """``count`` kept-alive connections, each one request old: certainly open server-side."""
    socks = open_many(url, count)
    for sock in socks:
        sock.sendall(request_bytes(b"/rest/Company(1)"))
        assert read_answer(sock).status == 200
    return socks


def test_connections_beyond_the_limit_are_refused_503(
    limited: str, upstream: tuple[Upstream, str]
) -> None:
    raise_fd_limit(4096)
    held = _held(limited, LIMIT)
    before = len(upstream[0].targets())
    try:
        # Refused before they say anything: 503, then closed.
        refused = open_many(limited, 200)
        try:
            answers = until_all_closed(refused, timeout=5)
        finally:
            close_all(refused)
        assert all(a is not None for a in answers), f"{answers.count(None)} still open"
        for raw in answers:
            assert raw is not None
            assert_proxy_error(parse_answer(raw), 503)
        # One that sends its request at once is refused all the same, and nothing of it passes.
        with connect(limited) as sock:
            sock.sendall(request_bytes(b"/rest/Company(1)"))
            raw, _ = read_until_eof(sock, 5)
        assert_proxy_error(parse_answer(raw), 503)
        assert len(upstream[0].targets()) == before
        # The held connections still work.
        held[0].sendall(request_bytes(b"/rest/Company(1)"))
        assert read_answer(held[0]).status == 200
    finally:
        close_all(held[:5])
    try:
        # Room again once some are gone.
        deadline = time.monotonic() + 5
        while True:
            with connect(limited) as sock:
                sock.sendall(request_bytes(b"/rest/Company(1)", headers=b"Connection: close\r\n"))
                raw, _ = read_until_eof(sock, 5)
            if parse_answer(raw).status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert parse_answer(raw).status == 200
    finally:
        close_all(held)


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


def test_the_command_applies_both_options(upstream: tuple[Upstream, str]) -> None:
    with proxy_command(upstream[1], "--head-timeout", "1", "--max-client-connections", "3") as url:
        held = _held(url, 3)
        try:
            with connect(url) as sock:
                raw, _ = read_until_eof(sock, 5)
            assert_proxy_error(parse_answer(raw), 503)
        finally:
            close_all(held)
        time.sleep(0.3)
        with connect(url) as sock:
            sock.sendall(PARTIAL_HEAD)
            raw, took = _closed_after(sock)
        assert_proxy_error(parse_answer(raw), 408)
        assert 0.8 <= took < 3


def test_the_options_are_documented(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["proxy", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--head-timeout SECONDS" in out
    assert "--max-client-connections N" in out
    p = argparse.ArgumentParser()
    proxy.configure(p)
    args = p.parse_args(["--upstream", "http://127.0.0.1:8044"])
    assert (args.head_timeout, args.max_client_connections) == (10.0, 1000)


@pytest.mark.parametrize(
    "argv",
    [
        ["--head-timeout", "0"],
        ["--head-timeout", "-1"],
        ["--head-timeout", "inf"],
        ["--max-client-connections", "0"],
        ["--max-client-connections", "many"],
    ],
)
def test_bad_option_values_are_usage_errors(argv: list[str]) -> None:
    assert proxy.main(["--upstream", "http://127.0.0.1:1", *argv]) == 2
