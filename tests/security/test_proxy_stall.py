"""Big request targets do not stall the proxy's other clients.

Validating a long ``$filter`` takes milliseconds of CPU; done on the event loop, eight clients
sending them back to back left every other client of the proxy waiting for seconds. While
eight clients send ~15 KB filters (valid and invalid: checked off the event loop) and 64 KB
ones (over the default maximum target length: 414 before anything parses them), a small
request from another client is answered within :data:`PROBE_LIMIT` seconds, every time.

The proxy runs as ``restquery proxy`` in a process of its own, as a user runs it: the load
generators here share no interpreter lock with it.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from itertools import count

import pytest
from integrations.conftest import Upstream

from .proxy_helpers import (
    connect,
    parse_answer,
    proxy_command,
    read_until_eof,
    request_bytes,
    stand_in,
)

LOADERS = 8
DURATION = 3.0  # seconds of load
PROBE_EVERY = 0.1
PROBE_LIMIT = 0.5  # seconds a small request may take while the load runs


def big_target(size: int, seed: int, term: str = "name='s{seed}x{i}'", tail: str = "") -> bytes:
    """A ``$filter`` of ``term`` ORed together, up to ``size`` bytes long, quotes left raw and
    spaces encoded (the densest a request line allows, so the dearest to check); distinct per
    ``seed`` so that no verdict cache answers it. ``tail`` ends it."""
    head, sep = '/rest/Company?$filter="', "%20OR%20"
    terms: list[str] = []
    length = len(head) + len(tail) + 1 - len(sep)
    while length + len(sep) + len(nxt := term.format(seed=seed, i=len(terms))) <= size:
        terms.append(nxt)
        length += len(sep) + len(nxt)
    return (head + sep.join(terms) + tail + '"').encode()


#: What the loaders send, in turn: (size, term, tail, expected status). 16 KiB is the default
#: maximum target length; 64 KB stays under the parser's own limit (65 536), so that without
#: the 414 such a target would be parsed and checked in full (~0.1 s of CPU each).
KINDS = [
    (15_000, "name='s{seed}x{i}'", "", 200),
    (15_000, "nope{i}='s{seed}'", "", 404),  # attributes the catalog does not have
    (15_000, "name='s{seed}x{i}'", "%20AND%20(name=", 400),  # a syntax error at the very end
    (64_000, "name='s{seed}x{i}'", "", 414),
    (64_000, "nope{i}='s{seed}'", "", 414),
    (64_000, "ID='s{seed}x{i}'", "", 414),  # comparisons on the numeric ID
]


@pytest.fixture(scope="module")
def proxied() -> Iterator[tuple[Upstream, str]]:
    with stand_in() as (upstream, upstream_url), proxy_command(upstream_url) as url:
        yield upstream, url


def _get(url: str, target: bytes) -> int:
    with connect(url, timeout=30) as sock:
        sock.sendall(request_bytes(target, headers=b"Connection: close\r\n"))
        raw, closed = read_until_eof(sock, 30)
    assert closed
    return parse_answer(raw).status


def test_small_requests_are_answered_promptly_under_big_filters(
    proxied: tuple[Upstream, str],
) -> None:
    _, url = proxied
    assert _get(url, b"/rest/Company(1)") == 200  # warm: the first request builds the parser
    stop = threading.Event()
    seeds = count()
    outcomes: Counter[tuple[int, int]] = Counter()  # (expected, got)
    errors: list[BaseException] = []

    def load() -> None:
        try:
            while not stop.is_set():
                seed = next(seeds)
                size, term, tail, expected = KINDS[seed % len(KINDS)]
                outcomes[expected, _get(url, big_target(size, seed, term, tail))] += 1
        except (OSError, AssertionError, ValueError) as exc:  # reported by the main thread
            errors.append(exc)

    loaders = [threading.Thread(target=load, daemon=True) for _ in range(LOADERS)]
    for thread in loaders:
        thread.start()
    probes = []
    try:
        time.sleep(0.3)  # the load is on
        deadline = time.monotonic() + DURATION
        while time.monotonic() < deadline:
            start = time.monotonic()
            status = _get(url, b"/rest/Company(1)")
            probes.append((time.monotonic() - start, status))
            time.sleep(PROBE_EVERY)
    finally:
        stop.set()
        for thread in loaders:
            thread.join(30)
    assert not errors, errors
    assert {status for _, status in probes} == {200}
    slowest = max(took for took, _ in probes)
    assert slowest < PROBE_LIMIT, (
        f"a small request took {slowest:.2f} s among {len(probes)} probes "
        f"(median {sorted(t for t, _ in probes)[len(probes) // 2]:.3f} s) under {dict(outcomes)}"
    )
    assert all(expected == got for expected, got in outcomes), outcomes
    # Enough big requests went through to have loaded the proxy all along.
    assert sum(outcomes.values()) >= LOADERS * 2, outcomes


def test_the_big_targets_are_what_they_claim() -> None:
    # The load is only as good as its targets: right sizes, either side of the 16 KiB limit.
    for size, term, tail, expected in KINDS:
        target = big_target(size, 1, term, tail)
        assert size - 30 < len(target) <= size
        assert (len(target) > 16_384) == (expected == 414)
