"""Real servers on 127.0.0.1 ephemeral ports, started and stopped by the tests.

* :func:`serve_asgi` runs uvicorn in a thread on a socket the test bound itself;
* :func:`serve_wsgi` runs werkzeug's ``make_server`` in a thread;
* :class:`Upstream` is a stand-in 4D server (a small ASGI app) that records every request it
  receives, answers like 4D (JSON entities, a binary body for ``$binary``) and misbehaves on
  request (``x-test-delay``, ``x-test-stall`` headers).
* :func:`raw_request` speaks HTTP over a bare socket, to send bytes no client library would.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "examples" / "catalog.json"
START_TIMEOUT = 10.0

#: The bytes of the stand-in's BLOB: every byte value, so that any re-encoding shows.
BLOB = bytes(range(256)) * 1024  # 256 kB
BLOB_DISPOSITION = 'attachment; filename="blobAtt.bin"'


def _bound_socket() -> socket.socket:
    # IPPROTO_TCP spelled out: asyncio turns Nagle off only on sockets whose proto says TCP
    # (a plain socket.socket() says 0, and every response would then wait ~40 ms for an ACK).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


@contextlib.contextmanager
def serve_asgi(app: Any = None, *, config: Any = None, **options: Any) -> Iterator[str]:
    """Serve ``app`` (or the app of ``config``) with uvicorn; yield its base URL."""
    import uvicorn

    sock = _bound_socket()
    if config is None:
        options.setdefault("lifespan", "off")
        config = uvicorn.Config(app, log_level="warning", **options)
    config.log_level = "warning"
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(START_TIMEOUT)
        sock.close()


@contextlib.contextmanager
def serve_wsgi(app: Any) -> Iterator[str]:
    """Serve the WSGI ``app`` with werkzeug's threaded development server."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(START_TIMEOUT)


def port_of(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1])


def raw_request(
    base_url: str, data: bytes, *, timeout: float = 5.0
) -> tuple[int, dict[str, str], bytes]:
    """Send ``data`` as is; read the whole answer (the request should say
    ``Connection: close``). Returns (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port_of(base_url)), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def error_codes(body: bytes | dict[str, Any]) -> list[str]:
    doc = json.loads(body) if isinstance(body, (bytes, str)) else body
    return [d["code"] for d in doc["diagnostics"] if d["severity"] == "error"]


# ---------------------------------------------------------------------------------------------
# The stand-in 4D server
# ---------------------------------------------------------------------------------------------


@dataclass
class Received:
    method: str
    target: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass
class Upstream:
    """A small ASGI app answering like 4D; ``received`` lists what reached it."""

    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Chunks sent by each `x-test-slow-stream` answer before it ended or its client left.
    slow_streams: list[int] = field(default_factory=list)

    def targets(self) -> list[bytes]:
        with self.lock:
            return [r.target for r in self.received]

    def last(self) -> Received:
        with self.lock:
            return self.received[-1]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        target = scope["raw_path"] + (
            b"?" + scope["query_string"] if scope["query_string"] else b""
        )
        headers = list(scope["headers"])
        with self.lock:
            self.received.append(Received(scope["method"], target, headers, body))
        h = {k.decode("latin-1"): v.decode("latin-1") for k, v in headers}
        if "x-test-delay" in h:
            await asyncio.sleep(float(h["x-test-delay"]))
        if "x-test-stall" in h:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", b"100")],
                }
            )
            await send({"type": "http.response.body", "body": b"x" * 10, "more_body": True})
            await asyncio.sleep(float(h["x-test-stall"]))
            return
        if "x-test-slow-stream" in h:
            await self._slow_stream(receive, send, int(h["x-test-slow-stream"]))
            return
        if b"$binary=true" in target:
            # Streamed in chunks with no Content-Length, as a large BLOB would be.
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/octet-stream"),
                        (b"content-disposition", BLOB_DISPOSITION.encode()),
                    ],
                }
            )
            step = 64 * 1024
            for i in range(0, len(BLOB), step):
                await send(
                    {"type": "http.response.body", "body": BLOB[i : i + step], "more_body": True}
                )
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        if scope["method"] == "POST":
            doc: dict[str, Any] = {"length": len(body), "sha256": hashlib.sha256(body).hexdigest()}
        else:
            doc = {
                "__entityModel": "Company",
                "__COUNT": 1,
                "__FIRST": 0,
                "__ENTITIES": [{"__KEY": "11", "__STAMP": 1, "ID": 11, "name": "Acme"}],
            }
        out = json.dumps(doc).encode()
        headers_out = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(out)).encode()),
            (b"set-cookie", b"WASID4D=abc; path=/"),
            (b"x-upstream", b"stand-in"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers_out})
        await send(
            {"type": "http.response.body", "body": out if scope["method"] != "HEAD" else b""}
        )

    async def _slow_stream(self, receive: Any, send: Any, chunks: int) -> None:
        """Send ``chunks`` chunks 20 ms apart, stopping when the client goes away."""
        gone = asyncio.Event()

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()

        watcher = asyncio.ensure_future(watch())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        sent = 0
        while sent < chunks and not gone.is_set():
            await send({"type": "http.response.body", "body": b"x" * 1024, "more_body": True})
            sent += 1
            await asyncio.sleep(0.02)
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        watcher.cancel()
        with self.lock:
            self.slow_streams.append(sent)


@pytest.fixture
def upstream() -> Iterator[tuple[Upstream, str]]:
    app = Upstream()
    with serve_asgi(app) as url:
        yield app, url
