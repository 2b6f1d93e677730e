"""Servers for the security suite, besides those of tests/integrations/conftest.py: hypercorn
in a thread and gunicorn as a subprocess, both on 127.0.0.1 ephemeral ports; and the ``side``
fixture, one of the five front doors (the proxy before the recording stand-in upstream, the
ASGI middleware under uvicorn and hypercorn, the WSGI middleware under werkzeug and gunicorn)
with what reached the other side of it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import json
from collections.abc import Callable

import pytest

from integrations.conftest import (
    START_TIMEOUT,
    Upstream,
    _bound_socket,
    raw_request,
    serve_asgi,
    serve_wsgi,
)

HERE = Path(__file__).resolve().parent


@contextlib.contextmanager
def serve_hypercorn(app: Any) -> Iterator[str]:
    """Serve the ASGI ``app`` with hypercorn (asyncio worker) on a socket bound here."""
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    sock = _bound_socket()
    config = Config()
    # hypercorn closes the socket it serves: give it a descriptor of its own.
    config.bind = [f"fd://{os.dup(sock.fileno())}"]
    config.loglevel = "WARNING"
    config.accesslog = None
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    started = threading.Event()

    async def main() -> None:
        started.set()
        await serve(app, config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    try:
        started.wait(START_TIMEOUT)
        port = sock.getsockname()[1]
        _wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(START_TIMEOUT)
        sock.close()


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on port {port}") from None
            time.sleep(0.05)


@contextlib.contextmanager
def serve_gunicorn(seen_file: Path) -> Iterator[str]:
    """Run gunicorn (one sync worker) serving ``apps:gunicorn_app()`` in a subprocess."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "RESTQUERY_SEEN": str(seen_file)}
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--chdir", str(HERE), "--log-level", "warning", "apps:gunicorn_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        try:
            _wait_for_port(port)
        except RuntimeError:
            proc.kill()
            raise RuntimeError(f"gunicorn did not start: {proc.communicate()[1][-2000:]!r}")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(START_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Side:
    """One server under test: its base URL and what reached the application behind it."""

    def __init__(self, url: str, seen: Callable[[], list[dict[str, Any]]]) -> None:
        self.url = url
        self.seen = seen

    @property
    def port(self) -> bytes:
        return self.url.rsplit(":", 1)[1].encode()

    def send(self, line: bytes) -> tuple[int, bytes]:
        line = line.replace(b"{port}", self.port)
        status, _, body = raw_request(
            self.url,
            line + b" HTTP/1.1\r\nHost: 127.0.0.1:" + self.port + b"\r\nConnection: close\r\n\r\n",
        )
        return status, body


class Recorder:
    """An ASGI app that records each request it is called with."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        self.seen.append(
            {
                "path": scope["path"],
                "raw": scope.get("raw_path", b"").decode("latin-1"),
                "query": scope.get("query_string", b"").decode("latin-1"),
                "checked": "restquery" in scope.get("state", {}),
            }
        )
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"reached"})


@pytest.fixture(scope="package", params=["proxy", "uvicorn", "hypercorn", "werkzeug", "gunicorn"])
def side(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Side]:
    kind = request.param
    from restquery.integrations.asgi import RestQueryMiddleware
    from restquery.integrations.proxy import create_app, uvicorn_config

    from .apps import flask_app

    if kind == "proxy":
        upstream = Upstream()
        with serve_asgi(upstream) as up:
            app = create_app(up, timeout=5, connect_timeout=5)
            with serve_asgi(config=uvicorn_config(app, port=0, log_level="warning")) as url:
                yield Side(url, lambda: [{"raw": t.decode("latin-1")} for t in upstream.targets()])
    elif kind in ("uvicorn", "hypercorn"):
        recorder = Recorder()
        serve = serve_asgi if kind == "uvicorn" else serve_hypercorn
        with serve(RestQueryMiddleware(recorder)) as url:
            yield Side(url, lambda: list(recorder.seen))
    elif kind == "werkzeug":
        seen: list[dict[str, Any]] = []
        with serve_wsgi(flask_app(seen)) as url:
            yield Side(url, lambda: list(seen))
    else:
        pytest.importorskip("gunicorn")
        seen_file = tmp_path_factory.mktemp("gunicorn") / "seen.jsonl"
        seen_file.touch()

        def read() -> list[dict[str, Any]]:
            return [json.loads(line) for line in seen_file.read_text().splitlines()]

        with serve_gunicorn(seen_file) as url:
            yield Side(url, read)


