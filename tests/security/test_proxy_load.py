"""Many concurrent clients, few upstream connections: requests queue for a pooled connection
(in arrival order, up to ``--timeout``) instead of failing, and the proxy stays fast while they
do. 1 000 concurrent valid requests through a pool of 100 all come back 200."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from integrations.conftest import Upstream, port_of

from .proxy_helpers import (
    Answer,
    assert_proxy_error,
    parse_answer,
    proxy_before,
    raise_fd_limit,
    stand_in,
)

CLIENTS = 1000


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[Upstream, str]]:
    with stand_in() as served:
        yield served


async def _one(port: int, target: bytes, extra: bytes) -> tuple[Answer, float]:
    start = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra
            + b"Connection: close\r\n\r\n"
        )  # fmt: skip
        raw = await reader.read()
    finally:
        writer.close()
    return parse_answer(raw), time.monotonic() - start


def _all_at_once(url: str, targets: list[bytes], extra: bytes = b"") -> list[tuple[Answer, float]]:
    """Each target requested on a connection of its own, all at once: the answers, and how
    long each took."""

    async def go() -> list[tuple[Answer, float]]:
        return await asyncio.gather(*(_one(port_of(url), t, extra) for t in targets))

    return asyncio.run(go())


def test_1000_concurrent_requests_through_100_upstream_connections(
    upstream: tuple[Upstream, str],
) -> None:
    raise_fd_limit(8192)
    stand_in_app, upstream_url = upstream
    before = len(stand_in_app.targets())
    targets = [f"/rest/Company({i})".encode() for i in range(CLIENTS)]
    # The defaults of `restquery proxy` (100 upstream connections, 1000 client connections),
    # but a timeout short enough that a request failing to get a connection would show.
    with proxy_before(upstream_url, timeout=10, max_connections=100) as url:
        start = time.monotonic()
        results = _all_at_once(url, targets)
        took = time.monotonic() - start
    statuses = Counter(answer.status for answer, _ in results)
    assert statuses == {200: CLIENTS}, statuses
    assert all(answer.json()["__ENTITIES"][0]["name"] == "Acme" for answer, _ in results)
    assert sorted(stand_in_app.targets()[before:]) == sorted(targets)
    assert took < 45, f"{CLIENTS} requests took {took:.1f} s"


def test_queued_requests_wait_for_a_connection_within_the_timeout(
    upstream: tuple[Upstream, str],
) -> None:
    # Two connections, twelve requests of 0.2 s each: the last waits ~1 s, within the 3 s.
    with proxy_before(upstream[1], timeout=3, max_connections=2) as url:
        results = _all_at_once(url, [b"/rest/Company(1)"] * 12, b"x-test-delay: 0.2\r\n")
    assert [answer.status for answer, _ in results] == [200] * 12
    assert max(took for _, took in results) >= 0.9  # they did queue


def test_a_request_still_queued_at_the_timeout_is_504(upstream: tuple[Upstream, str]) -> None:
    # One connection, held 0.6 s by each request, a 1 s timeout: the second waits 0.6 s for
    # it, the third would wait 1.2 s.
    with proxy_before(upstream[1], timeout=1, max_connections=1) as url:
        start = time.monotonic()
        results = _all_at_once(url, [b"/rest/Company(1)"] * 3, b"x-test-delay: 0.6\r\n")
        took = time.monotonic() - start
    assert sorted(answer.status for answer, _ in results) == [200, 200, 504]
    [refused] = [answer for answer, _ in results if answer.status == 504]
    assert_proxy_error(refused, 504)
    assert took < 3
