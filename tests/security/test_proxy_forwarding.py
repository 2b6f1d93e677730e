"""The upstream learns who the client is from the proxy alone.

An upstream (or its logs, rate limits, allow-lists) that reads ``X-Forwarded-For`` must not be
told by the client which address to believe: whatever ``Forwarded``, ``X-Real-IP`` or
``X-Forwarded-*`` the client sends is dropped, and the proxy sets ``X-Forwarded-For`` (the
address it saw), ``X-Forwarded-Host`` (the ``Host`` the client sent) and ``X-Forwarded-Proto``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from integrations.conftest import Upstream

from .proxy_helpers import connect, parse_answer, proxy_before, read_until_eof, stand_in

FORWARDING = (b"forwarded", b"x-real-ip")


@pytest.fixture(scope="module")
def proxied() -> Iterator[tuple[Upstream, str]]:
    with stand_in() as (upstream, upstream_url), proxy_before(upstream_url, timeout=5) as url:
        yield upstream, url


def _forwarding_headers(upstream: Upstream) -> list[tuple[bytes, bytes]]:
    return [
        (n, v)
        for n, v in upstream.last().headers
        if n.startswith(b"x-forwarded-") or n in FORWARDING
    ]


def _send(url: str, head: bytes) -> int:
    with connect(url) as sock:
        sock.sendall(head)
        raw, _ = read_until_eof(sock, 5)
    return parse_answer(raw).status


SPOOFS = [
    b"X-Forwarded-For: 10.0.0.1\r\n",
    b"X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-For: 10.0.0.2, 10.0.0.3\r\n",
    b"x-FORWARDED-for: 10.0.0.1\r\n",
    b"X-Forwarded-Host: admin.internal\r\nX-Forwarded-Proto: https\r\n",
    b"X-Forwarded-Port: 443\r\nX-Forwarded-Prefix: /admin\r\nX-Forwarded-Server: x\r\n",
    b"Forwarded: for=10.0.0.1;host=admin.internal;proto=https\r\n",
    b"X-Real-IP: 10.0.0.1\r\n",
    # Naming the proxy's own headers as hop-by-hop must not strip them.
    b"Connection: x-forwarded-for, x-forwarded-host, x-forwarded-proto\r\n",
]


@pytest.mark.parametrize("spoof", SPOOFS)
def test_client_forwarding_headers_are_replaced(
    proxied: tuple[Upstream, str], spoof: bytes
) -> None:
    upstream, url = proxied
    status = _send(
        url,
        b"GET /rest/Company(1) HTTP/1.1\r\nHost: shop.example:8080\r\n"
        + spoof
        + b"Connection: close\r\n\r\n",
    )
    assert status == 200
    assert sorted(_forwarding_headers(upstream)) == [
        (b"x-forwarded-for", b"127.0.0.1"),
        (b"x-forwarded-host", b"shop.example:8080"),
        (b"x-forwarded-proto", b"http"),
    ]


def test_spoofed_headers_outside_the_prefix_are_replaced_too(
    proxied: tuple[Upstream, str],
) -> None:
    upstream, url = proxied
    status = _send(
        url,
        b"GET /index.html HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 10.0.0.1\r\n"
        b"X-Real-IP: 10.0.0.1\r\nConnection: close\r\n\r\n",
    )
    assert status == 200
    assert upstream.last().target == b"/index.html"
    assert dict(_forwarding_headers(upstream))[b"x-forwarded-for"] == b"127.0.0.1"
    assert b"x-real-ip" not in dict(upstream.last().headers)


def test_without_a_host_no_forwarded_host_is_made_up(proxied: tuple[Upstream, str]) -> None:
    upstream, url = proxied
    status = _send(url, b"GET /rest/Company(1) HTTP/1.0\r\nX-Forwarded-Host: evil\r\n\r\n")
    assert status == 200
    assert sorted(_forwarding_headers(upstream)) == [
        (b"x-forwarded-for", b"127.0.0.1"),
        (b"x-forwarded-proto", b"http"),
    ]
