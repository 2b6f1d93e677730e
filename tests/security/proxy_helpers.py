"""Helpers for the proxy's security tests (``test_proxy_*.py``): the proxy served the way
``restquery proxy`` serves it, before the recording stand-in 4D server, and clients on bare
sockets that send what no client library would, half-close, stall or trickle."""

from __future__ import annotations

import contextlib
import json
import re
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from integrations.conftest import CATALOG, ROOT, Upstream, port_of, serve_asgi

from restquery.integrations.proxy import create_app, uvicorn_config


@contextlib.contextmanager
def stand_in() -> Iterator[tuple[Upstream, str]]:
    """The recording stand-in 4D server; yields it and its base URL."""
    upstream = Upstream()
    with serve_asgi(upstream) as url:
        yield upstream, url


@contextlib.contextmanager
def proxy_before(
    upstream_url: str, *, server: dict[str, Any] | None = None, **app_options: Any
) -> Iterator[str]:
    """The proxy (``create_app`` with ``app_options``, the example catalog unless told) served
    with ``uvicorn_config`` (plus ``server``) on 127.0.0.1; yields its base URL."""
    app_options.setdefault("catalog", CATALOG)
    app = create_app(upstream_url, **app_options)
    config = uvicorn_config(app, port=0, log_level="warning", **(server or {}))
    with serve_asgi(config=config) as url:
        yield url


# ---------------------------------------------------------------------------------------------
# Raw clients
# ---------------------------------------------------------------------------------------------


def connect(url: str, timeout: float = 5.0) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port_of(url)), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def request_bytes(target: bytes, *, method: bytes = b"GET", headers: bytes = b"") -> bytes:
    """A whole HTTP/1.1 request head (``headers`` are extra ``Name: value\\r\\n`` lines)."""
    return method + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n"


def read_until_eof(sock: socket.socket, timeout: float) -> tuple[bytes, bool]:
    """Everything the server sends until it closes (or resets) the connection, and whether it
    did so within ``timeout`` seconds."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            return b"".join(chunks), True
        except TimeoutError:
            break
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)
    return b"".join(chunks), False


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def parse_answer(raw: bytes) -> Answer:
    """One HTTP/1.1 response, its body de-chunked when it is chunked."""
    head, sep, rest = raw.partition(b"\r\n\r\n")
    assert sep, f"no whole response head in {raw[:200]!r}"
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                break
            body, rest = body + rest[:size], rest[size + 2 :]
        return Answer(status, headers, body)
    if "content-length" in headers:
        length = int(headers["content-length"])
        assert len(rest) >= length, f"body cut short: {len(rest)} of {length} bytes"
        return Answer(status, headers, rest[:length])
    return Answer(status, headers, rest)


def read_answer(sock: socket.socket, timeout: float = 5.0) -> Answer:
    """Read one response framed by its Content-Length (the connection may stay open)."""
    raw = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        head, sep, rest = raw.partition(b"\r\n\r\n")
        if sep:
            m = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
            assert m, f"no Content-Length in {head!r}"
            if len(rest) >= int(m.group(1)):
                return parse_answer(raw)
        sock.settimeout(max(deadline - time.monotonic(), 0.01))
        chunk = sock.recv(65536)
        assert chunk, f"connection closed after {raw[:200]!r}"
        raw += chunk
    raise AssertionError(f"no whole response in {timeout} s: {raw[:200]!r}")


def assert_proxy_error(answer: Answer, status: int) -> None:
    """The proxy's own refusal: ``status``, a JSON body with one ``__ERROR`` entry signed
    ``prxy`` whose errCode is the status, and no diagnostics."""
    assert answer.status == status, answer
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    doc = answer.json()
    [entry] = doc["__ERROR"]
    assert (entry["componentSignature"], entry["errCode"]) == ("prxy", status)
    assert entry["message"]
    assert doc["diagnostics"] == []


def raise_fd_limit(needed: int) -> None:
    """Raise this process's open-file limit to ``needed`` (skip the test if it cannot be)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        pytest.skip(f"needs {needed} open files, the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def proxy_command(upstream_url: str, *args: str) -> Iterator[str]:
    """``python -m restquery.integrations.proxy`` (what ``restquery proxy`` runs) before
    ``upstream_url`` with ``args``, on an ephemeral port; yields its base URL, then stops it
    with Ctrl-C and checks that it exits 0."""
    import os
    import signal

    cmd = [
        sys.executable, "-m", "restquery.integrations.proxy", "--upstream", upstream_url,
        "--catalog", str(CATALOG), "--port", "0", "--log-level", "info", *args,
    ]  # fmt: skip
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        assert proc.stderr is not None
        url = None
        deadline = time.monotonic() + 20
        while url is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            m = re.search(r"running on (http://127\.0\.0\.1:\d+)", line)
            url = m.group(1) if m else None
        assert url, "the proxy did not start"
        # Drained from here on: a full pipe would block the proxy's logging, and so the proxy.
        threading.Thread(target=proc.stderr.read, daemon=True).start()
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(15)
        except subprocess.TimeoutExpired:  # pragma: no cover - reported by the assert
            proc.kill()
            code = proc.wait(5)
    assert code == 0


# ---------------------------------------------------------------------------------------------
# Many connections at once
# ---------------------------------------------------------------------------------------------


def open_many(url: str, count: int, data: bytes = b"") -> list[socket.socket]:
    """``count`` connections to ``url``, each having sent ``data``."""
    socks = []
    try:
        for _ in range(count):
            sock = connect(url)
            if data:
                sock.sendall(data)
            socks.append(sock)
    except BaseException:
        close_all(socks)
        raise
    return socks


def close_all(socks: list[socket.socket]) -> None:
    for sock in socks:
        sock.close()


def until_all_closed(socks: list[socket.socket], timeout: float) -> list[bytes | None]:
    """What each connection received until the server closed it; ``None`` for those still
    open after ``timeout`` seconds."""
    import selectors

    received: dict[socket.socket, bytearray] = {sock: bytearray() for sock in socks}
    done: dict[socket.socket, bytes] = {}
    with selectors.DefaultSelector() as sel:
        for sock in socks:
            sock.setblocking(False)
            sel.register(sock, selectors.EVENT_READ, sock)
        deadline = time.monotonic() + timeout
        while len(done) < len(socks) and (left := deadline - time.monotonic()) > 0:
            for key, _ in sel.select(left):
                ready: socket.socket = key.data
                try:
                    chunk = ready.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:  # reset: closed all the same
                    chunk = b""
                if chunk:
                    received[ready] += chunk
                else:
                    sel.unregister(ready)
                    done[ready] = bytes(received[ready])
    return [done.get(sock) for sock in socks]
