"""Request framing through the proxy, and what a client sees when the proxy itself fails.

A request carrying both ``Transfer-Encoding: chunked`` and ``Content-Length`` is read by its
chunks (RFC 9112 §6.3); forwarded with its ``Content-Length``, the upstream would frame the body
by a length that does not match it — a truncated body, or the rest taken for a second request.
The proxy drops the length and sends the body chunked. And whatever fails inside the proxy, the
client gets the proxy's JSON ``__ERROR`` answer (502) before the response has started, and a cut
connection after: never the server's plain-text 500.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from integrations.conftest import Upstream

from restquery.integrations import proxy

from .proxy_helpers import (
    assert_proxy_error,
    connect,
    parse_answer,
    proxy_before,
    read_until_eof,
    request_bytes,
    stand_in,
)

UPLOAD = b"/rest/$upload?$rawPict=true"
CHUNKED = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"  # "hello world", 11 bytes


@pytest.fixture(scope="module")
def proxied() -> Iterator[tuple[Upstream, str]]:
    with stand_in() as (upstream, upstream_url), proxy_before(upstream_url, timeout=5) as url:
        yield upstream, url


def _send(url: str, data: bytes) -> tuple[bytes, bool]:
    with connect(url) as sock:
        sock.sendall(data)
        return read_until_eof(sock, 5)


@pytest.mark.parametrize(
    "framing",
    [
        b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",  # shorter than the body
        b"Content-Length: 100\r\nTransfer-Encoding: chunked\r\n",  # longer than the body
        b"Content-Length: 0\r\nTransfer-Encoding: chunked\r\n",
        b"Transfer-Encoding: chunked\r\nContent-Length: 11\r\n",  # the right length, after
        b"Transfer-Encoding: chunked\r\nContent-Length: 11\r\nContent-Length: 11\r\n",
    ],
)
def test_content_length_beside_chunked_is_dropped(
    proxied: tuple[Upstream, str], framing: bytes
) -> None:
    upstream, url = proxied
    before = len(upstream.targets())
    raw, closed = _send(
        url,
        request_bytes(UPLOAD, method=b"POST", headers=framing + b"Connection: close\r\n") + CHUNKED,
    )
    assert closed
    answer = parse_answer(raw)
    # The stand-in answers with the length and digest of the body it read.
    assert answer.status == 200, answer
    assert answer.json() == {"length": 11, "sha256": hashlib.sha256(b"hello world").hexdigest()}
    assert len(upstream.targets()) == before + 1
    got = upstream.last()
    assert got.body == b"hello world"
    names = [n for n, _ in got.headers]
    assert b"content-length" not in names
    assert dict(got.headers)[b"transfer-encoding"] == b"chunked"


def test_a_chunked_request_smuggles_nothing(proxied: tuple[Upstream, str]) -> None:
    # A chunked body that holds a request, its Content-Length saying it stops after 4 bytes:
    # the upstream gets the body whole, as data, and then the real second request, once.
    upstream, url = proxied
    before = len(upstream.targets())
    smuggled = request_bytes(b"/rest/Company(11)/blobAtt?$binary=true")
    first = request_bytes(
        UPLOAD, method=b"POST", headers=b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n"
    )
    second = request_bytes(b"/rest/Company(1)", headers=b"Connection: close\r\n")
    body = b"%x\r\n" % len(smuggled) + smuggled + b"\r\n0\r\n\r\n"
    raw, closed = _send(url, first + body + second)
    assert closed
    assert raw.count(b"HTTP/1.1 200 ") == 2
    assert upstream.targets()[before:] == [UPLOAD, b"/rest/Company(1)"]
    assert upstream.received[before].body == smuggled


def test_content_length_alone_is_kept(proxied: tuple[Upstream, str]) -> None:
    upstream, url = proxied
    raw, _ = _send(
        url,
        request_bytes(UPLOAD, method=b"POST", headers=b"Content-Length: 5\r\nConnection: close\r\n")
        + b"hello",
    )
    assert parse_answer(raw).json()["length"] == 5
    assert dict(upstream.last().headers)[b"content-length"] == b"5"


# ---------------------------------------------------------------------------------------------
# Failures inside the proxy
# ---------------------------------------------------------------------------------------------


class _Broken(httpx.AsyncByteStream):
    """A response body that fails, not with a transport error, after its first chunk."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b"x" * 10
        raise RuntimeError("a bug after the response started")


class _FaultyTransport(httpx.AsyncBaseTransport):
    """Stands in for the upstream pool: fails as told, with exceptions no handler expects."""

    def __init__(self, when: str) -> None:
        self.when = when

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.when == "before":
            raise RuntimeError("a bug before the response started")
        return httpx.Response(200, headers=[(b"content-length", b"100")], stream=_Broken())


@pytest.fixture
def faulty(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[str]:
    def pools(self: proxy.ProxyApp) -> Any:
        if self._pools is None:
            self._pools = proxy._Pools(
                self.max_connections, lambda _: _FaultyTransport(request.param)
            )
        return self._pools

    monkeypatch.setattr(proxy.ProxyApp, "_get_pools", pools)
    with proxy_before("http://127.0.0.1:9", timeout=5) as url:
        yield url


@pytest.mark.parametrize("faulty", ["before"], indirect=True)
def test_a_failure_before_the_response_is_a_json_502(faulty: str) -> None:
    for method, extra, body in [
        (b"GET", b"", b""),
        (b"POST", b"Content-Length: 5\r\n", b"hello"),
        (b"POST", b"Transfer-Encoding: chunked\r\n", CHUNKED),
    ]:
        raw, closed = _send(
            faulty,
            request_bytes(
                b"/rest/Company(1)", method=method, headers=extra + b"Connection: close\r\n"
            )
            + body,
        )
        assert closed
        answer = parse_answer(raw)
        assert_proxy_error(answer, 502)
        assert "bug" not in answer.body.decode()  # the proxy's own words, not the exception's


@pytest.mark.parametrize("faulty", ["after"], indirect=True)
def test_a_failure_after_the_response_started_cuts_the_connection(faulty: str) -> None:
    with httpx.Client(base_url=faulty, timeout=5) as c, c.stream("GET", "/rest/Company(1)") as r:
        assert r.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):  # 10 of the 100 bytes, then the cut
            r.read()
    # The server goes on serving.
    raw, _ = _send(faulty, request_bytes(b"/rest/Nope", headers=b"Connection: close\r\n"))
    assert parse_answer(raw).status == 404


# ---------------------------------------------------------------------------------------------
# Requests the HTTP parser refuses
# ---------------------------------------------------------------------------------------------

MALFORMED = [
    b"GET /rest/Company(1) HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n",  # a header without a colon
    b"GET /rest/Company(1) HTTP/1.1\r\n\r\n",  # HTTP/1.1 without Host
    b"GET /rest/Company(1) HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    b"POST /rest/$upload HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\nhello",
    b"POST /rest/$upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
    b"POST /rest/$upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + CHUNKED,
    b"POST /rest/$upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n",
    b"GET /rest/Company(1)\x00 HTTP/1.1\r\nHost: a\r\n\r\n",
]


@pytest.mark.parametrize("data", MALFORMED)
def test_malformed_requests_get_a_json_400(proxied: tuple[Upstream, str], data: bytes) -> None:
    upstream, url = proxied
    before = len(upstream.targets())
    raw, closed = _send(url, data)
    assert closed
    assert_proxy_error(parse_answer(raw), 400)
    # Nothing whole went upstream (a chunked body may have been started before its bad chunk).
    assert all(r.body == b"" for r in upstream.received[before:])
