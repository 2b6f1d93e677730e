"""The validating reverse proxy in front of a stand-in 4D server, all on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

import restquery
from restquery.integrations import proxy
from restquery.integrations.proxy import create_app, uvicorn_config

from .conftest import (
    BLOB,
    BLOB_DISPOSITION,
    CATALOG,
    ROOT,
    Upstream,
    error_codes,
    raw_request,
    serve_asgi,
)

TIMEOUT = 0.5  # the proxy's --timeout in these tests: "slow" means slower than this


@contextlib.contextmanager
def serve_proxy(upstream_url: str, **options: Any) -> Iterator[str]:
    options.setdefault("catalog", CATALOG)
    options.setdefault("timeout", TIMEOUT)
    options.setdefault("connect_timeout", TIMEOUT)
    app = create_app(upstream_url, **options)
    with serve_asgi(config=uvicorn_config(app, port=0, log_level="warning")) as url:
        yield url


@pytest.fixture(scope="module")
def stand_in() -> Iterator[tuple[Upstream, str]]:
    app = Upstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def proxied(stand_in: tuple[Upstream, str]) -> Iterator[tuple[Upstream, str]]:
    upstream, url = stand_in
    with serve_proxy(url) as proxy_url:
        yield upstream, proxy_url


@pytest.fixture
def client(proxied: tuple[Upstream, str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=proxied[1], timeout=10) as c:
        yield c


def assert_nothing_invalid_reached(upstream: Upstream) -> None:
    for r in list(upstream.received):
        if not r.target.lower().startswith(b"/rest"):
            continue  # outside the prefix: forwarded unchecked by design
        text = r.target.decode("utf-8")
        assert not [
            d
            for d in restquery.validate(text, method=r.method, catalog=CATALOG)
            if d.severity == "error"
        ], text


# ---------------------------------------------------------------------------------------------
# Valid requests go through unchanged
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "target"),
    [
        ("GET", b'/rest/Employee?$filter="salary>20000"&$top=10'),  # raw quotes, not re-encoded
        ("GET", b"/rest/Employee?$filter=%22salary%3E20000%22&$top=10"),
        ("GET", b"/rest/Company?$filter=%22name%3D%27A%40%27%22&$orderby=name%20desc"),
        ("GET", b"/rest/$catalog/$all"),
        ("POST", b"/rest/Company?$method=update"),
        ("PUT", b"/rest/Company(1)"),
        ("PATCH", b"/rest/Company(1)"),
        ("DELETE", b"/rest/Company(1)"),
    ],
)
def test_valid_requests_are_forwarded_unchanged(
    client: httpx.Client, proxied: tuple[Upstream, str], method: str, target: bytes
) -> None:
    upstream, proxy_url = proxied
    before = len(upstream.targets())
    body = b'{"__ENTITIES": [{"__KEY": "1", "name": "Acme"}]}' if method != "GET" else None
    r = client.request(
        method,
        "/",
        content=body,
        headers={"X-Custom": "kept", "Authorization": "Basic Zm9vOmJhcg==", "Cookie": "WASID4D=s1"},
        extensions={"target": target},
    )
    assert r.status_code == 200, r.text
    assert len(upstream.targets()) == before + 1
    got = upstream.last()
    assert (got.method, got.target) == (method, target)
    assert got.body == (body or b"")
    headers = dict(got.headers)
    assert headers[b"x-custom"] == b"kept"
    assert headers[b"authorization"] == b"Basic Zm9vOmJhcg=="
    assert headers[b"cookie"] == b"WASID4D=s1"
    assert headers[b"host"] == proxied_host(upstream_host(got))
    assert headers[b"x-forwarded-for"] == b"127.0.0.1"
    assert headers[b"x-forwarded-host"] == proxy_url.removeprefix("http://").encode()
    assert headers[b"x-forwarded-proto"] == b"http"
    # The upstream's answer comes back as it was sent.
    assert r.headers["x-upstream"] == "stand-in"
    assert r.headers["content-type"] == "application/json"
    assert (
        r.headers.get_list("server") == [] or "uvicorn" in r.headers["server"]
    )  # the upstream's own


def upstream_host(received: Any) -> bytes:
    return dict(received.headers)[b"host"]


def proxied_host(host: bytes) -> bytes:
    assert re.fullmatch(rb"127\.0\.0\.1:\d+", host)
    return host


def test_hop_by_hop_headers_are_not_forwarded(
    client: httpx.Client, proxied: tuple[Upstream, str]
) -> None:
    upstream, _ = proxied
    r = client.get(
        "/rest/Company(1)",
        headers={
            "Connection": "keep-alive, X-Private",
            "X-Private": "hop",
            "Keep-Alive": "timeout=5",
            "TE": "trailers",
            "Proxy-Authorization": "Basic c2VjcmV0",
            "X-Forwarded-For": "10.0.0.1",
        },
    )
    assert r.status_code == 200
    names = {n for n, _ in upstream.last().headers}
    assert not names & {b"x-private", b"keep-alive", b"te", b"proxy-authorization"}
    # The client's own X-Forwarded-For is replaced, not extended: it could claim any address.
    assert dict(upstream.last().headers)[b"x-forwarded-for"] == b"127.0.0.1"


def test_seed_binary_download_is_streamed_intact(
    client: httpx.Client, proxied: tuple[Upstream, str]
) -> None:
    upstream, _ = proxied
    target = "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt"
    with client.stream("GET", target) as r:
        assert r.status_code == 200
        assert r.headers["content-disposition"] == BLOB_DISPOSITION
        assert r.headers["content-type"] == "application/octet-stream"
        chunks = list(r.iter_raw())
    assert b"".join(chunks) == BLOB
    assert upstream.last().target == target.encode()


def test_seed_binary_without_expand_is_answered_locally(
    client: httpx.Client, proxied: tuple[Upstream, str]
) -> None:
    upstream, _ = proxied
    before = len(upstream.targets())
    url = "/rest/Company(11)/blobAtt?$binary=true"
    r = client.get(url)
    assert r.status_code == 400
    doc = r.json()
    assert doc["__ERROR"] == [
        {
            "message": "`$binary=true` needs `$expand` naming the BLOB or picture attribute to download.",
            "componentSignature": "rest",
            "errCode": 301,
        }
    ]
    [d] = doc["diagnostics"]
    assert (d["code"], url[d["start"] : d["end"]]) == ("RQ301", "$binary=true")
    assert len(upstream.targets()) == before


def test_request_body_is_streamed_upstream(
    client: httpx.Client, proxied: tuple[Upstream, str]
) -> None:
    upstream, _ = proxied
    piece = bytes(range(256)) * 256  # 64 kB
    count = 32  # 2 MB in all

    def chunks() -> Iterator[bytes]:
        for _ in range(count):
            yield piece

    r = client.post("/rest/$upload?$rawPict=true", content=chunks())  # chunked
    assert r.json() == {
        "length": len(piece) * count,
        "sha256": hashlib.sha256(piece * count).hexdigest(),
    }
    r = client.post("/rest/$upload?$rawPict=true", content=piece * 4)  # with Content-Length
    assert r.json() == {"length": len(piece) * 4, "sha256": hashlib.sha256(piece * 4).hexdigest()}
    assert dict(upstream.last().headers)[b"content-length"] == str(len(piece) * 4).encode()


def test_head_is_forwarded(client: httpx.Client, proxied: tuple[Upstream, str]) -> None:
    upstream, _ = proxied
    r = client.head("/rest/Company(1)")
    assert r.status_code == 200 and r.content == b""
    assert upstream.last().method == "HEAD"


def test_paths_outside_the_prefix_are_forwarded_unchecked(
    client: httpx.Client, proxied: tuple[Upstream, str]
) -> None:
    upstream, _ = proxied
    assert client.get("/index.html?$top=abc").status_code == 200
    assert upstream.last().target == b"/index.html?$top=abc"


def test_the_proxy_keeps_no_cookie_jar(proxied: tuple[Upstream, str]) -> None:
    upstream, url = proxied
    # The stand-in answers with Set-Cookie; a second, unrelated client must not send it back.
    for _ in range(2):
        with httpx.Client(base_url=url, timeout=10) as fresh:
            assert "set-cookie" in fresh.get("/rest/Company(1)").headers
            assert b"cookie" not in dict(upstream.last().headers)


def test_upstream_base_path_is_prepended(stand_in: tuple[Upstream, str]) -> None:
    upstream, url = stand_in
    with (
        serve_proxy(url + "/base/") as proxy_url,
        httpx.Client(base_url=proxy_url, timeout=10) as c,
    ):
        assert c.get("/rest/Company(1)").status_code == 200
    assert upstream.last().target == b"/base/rest/Company(1)"


# ---------------------------------------------------------------------------------------------
# Invalid requests are answered locally
# ---------------------------------------------------------------------------------------------

INVALID = [
    ("GET", "/rest/Company(11)/blobAtt?$binary=true", 400, "RQ301"),
    ("GET", "/rest/Employee?$filter=", 400, "RQ004"),
    ("GET", "/rest/Employee?$top=abc", 400, "RQ331"),
    ("GET", '/rest/Employee/$filter="x=1"', 400, "RQ005"),
    ("GET", "/rest/Company?$method=update", 400, "RQ315"),
    ("POST", "/rest/Company?$lock=true", 400, "RQ334"),
    ("GET", "/rest/%FF%FE", 400, "RQ009"),
    ("GET", "/rest/Nope", 404, "RQ201"),
    ("GET", "/rest/Company(1)/nope", 404, "RQ202"),
    ("GET", "/REST/Nope", 400, None),
    ("GET", "/%72est/Nope", 400, None),
]


@pytest.mark.parametrize(("method", "url", "status", "code"), INVALID)
def test_invalid_requests_never_reach_the_upstream(
    client: httpx.Client,
    proxied: tuple[Upstream, str],
    method: str,
    url: str,
    status: int,
    code: str | None,
) -> None:
    upstream, _ = proxied
    before = len(upstream.targets())
    r = client.request(method, url, content=b"body" if method == "POST" else None)
    assert r.status_code == status
    doc = r.json()
    assert doc["__ERROR"] and doc["__ERROR"][0]["componentSignature"] == "rest"
    if code:
        assert error_codes(doc)[0] == code
    assert len(upstream.targets()) == before


def test_100_concurrent_requests(stand_in: tuple[Upstream, str]) -> None:
    # Not a test of the timeouts: a loaded machine may take longer than TIMEOUT to open 100
    # upstream connections at once, so this proxy waits as long as the client does.
    upstream, upstream_url = stand_in
    with serve_proxy(upstream_url, timeout=30, connect_timeout=30) as url:
        _concurrent(upstream, url)


def _concurrent(upstream: Upstream, url: str) -> None:
    valid = [
        "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
        '/rest/Employee?$filter="salary>20000"&$top=10',
        "/rest/Company(1)",
        "/rest/$catalog/$all",
    ]
    cases = [
        (valid[i % len(valid)], True) if i % 2 else (INVALID[i % len(INVALID)][1], False)
        for i in range(100)
    ]

    async def go() -> list[httpx.Response]:
        async with httpx.AsyncClient(
            base_url=url, timeout=30, limits=httpx.Limits(max_connections=100)
        ) as c:
            return await asyncio.gather(*(c.get(u) for u, _ in cases))

    before = len(upstream.targets())
    responses = asyncio.run(go())
    for (u, ok), r in zip(cases, responses):
        assert (r.status_code == 200) is ok, (u, r.status_code)
        if "$binary=true&$expand" in u:
            assert r.content == BLOB
    assert len(upstream.targets()) == before + sum(ok for _, ok in cases)
    assert_nothing_invalid_reached(upstream)


def test_100_kb_target(client: httpx.Client, proxied: tuple[Upstream, str]) -> None:
    upstream, _ = proxied
    before = len(upstream.targets())
    target = "/rest/Company?$filter=%22name%3D%27" + "a" * 100_000 + "%27%22"
    r = client.get("/", extensions={"target": target.encode()})
    # Over max_target_length (16 KiB): 414, before anything parses it.
    assert (r.status_code, error_codes(r.json())) == (414, ["RQ010"])
    assert len(upstream.targets()) == before


@pytest.mark.parametrize(
    "target",
    [
        b"/rest/Company\xff\xfe",
        b"/rest/\x01\x7f",
        b"/rest/%FF%FE?$filter=%00%01",
        b"/rest/Company?$filter=%22%00%22",
        b"/rest/Company(((((((((((((((((((((((((((((((",
        b"/rest/" + bytes(range(0x21, 0x7F)),
        b"/rest/Company?$filter=" + bytes(range(0x21, 0x7F)),
    ],
)
def test_garbage_bytes_never_reach_the_upstream(
    proxied: tuple[Upstream, str], target: bytes
) -> None:
    upstream, url = proxied
    before = len(upstream.targets())
    status, _, _ = raw_request(
        url, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert status == 400
    assert len(upstream.targets()) == before


def test_nothing_invalid_reached_the_upstream(proxied: tuple[Upstream, str]) -> None:
    assert_nothing_invalid_reached(proxied[0])


# ---------------------------------------------------------------------------------------------
# Failure modes
# ---------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_proxy_error(r: httpx.Response, status: int) -> None:
    assert r.status_code == status
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    doc = r.json()
    assert doc["__ERROR"] == [
        {"message": doc["__ERROR"][0]["message"], "componentSignature": "prxy", "errCode": status}
    ]
    assert "127.0.0.1" not in doc["__ERROR"][0]["message"]  # the upstream's address stays private


def test_upstream_down_is_502() -> None:
    with (
        serve_proxy(f"http://127.0.0.1:{_free_port()}") as url,
        httpx.Client(base_url=url, timeout=10) as c,
    ):
        assert_proxy_error(c.get("/rest/Company(1)"), 502)
        # Invalid requests are still answered locally, with their own status.
        assert c.get("/rest/Company(11)/blobAtt?$binary=true").status_code == 400


@contextlib.contextmanager
def hang_up_server() -> Iterator[str]:
    """A TCP server that reads the request and closes the connection without answering."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                with contextlib.suppress(OSError):
                    conn.recv(65536)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        sock.close()


def test_upstream_hang_up_is_502() -> None:
    with (
        hang_up_server() as upstream_url,
        serve_proxy(upstream_url) as url,
        httpx.Client(base_url=url, timeout=10) as c,
    ):
        assert_proxy_error(c.get("/rest/Company(1)"), 502)


def test_upstream_speaking_garbage_is_502() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    sock.settimeout(5)

    def answer() -> None:
        with contextlib.suppress(OSError):
            conn, _ = sock.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"\x00\x01 this is not HTTP\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        with (
            serve_proxy(f"http://127.0.0.1:{sock.getsockname()[1]}") as url,
            httpx.Client(base_url=url, timeout=10) as c,
        ):
            assert_proxy_error(c.get("/rest/Company(1)"), 502)
    finally:
        thread.join(5)
        sock.close()


def test_slow_upstream_is_504(client: httpx.Client) -> None:
    start = time.monotonic()
    r = client.get("/rest/Company(1)", headers={"x-test-delay": str(TIMEOUT * 4)})
    assert_proxy_error(r, 504)
    assert time.monotonic() - start < TIMEOUT * 3


@contextlib.contextmanager
def full_backlog_server() -> Iterator[str]:
    """A listening socket that never accepts, its backlog filled: connections to it hang."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(0)
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(sock.getsockname())
        fillers.append(filler)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        for filler in fillers:
            filler.close()
        sock.close()


def test_upstream_not_accepting_connections_is_504() -> None:
    with (
        full_backlog_server() as upstream_url,
        serve_proxy(upstream_url) as url,
        httpx.Client(base_url=url, timeout=10) as c,
    ):
        start = time.monotonic()
        assert_proxy_error(c.get("/rest/Company(1)"), 504)
        assert time.monotonic() - start < TIMEOUT * 3


def test_client_leaving_mid_download_releases_the_upstream(proxied: tuple[Upstream, str]) -> None:
    _, url = proxied
    for _ in range(3):
        with (
            httpx.Client(base_url=url, timeout=10) as c,
            c.stream("GET", "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt") as r,
        ):
            assert r.status_code == 200
            next(r.iter_raw())  # then hang up
    with httpx.Client(base_url=url, timeout=10) as c:
        assert c.get("/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt").content == BLOB


def test_client_leaving_stops_the_upstream_download(proxied: tuple[Upstream, str]) -> None:
    upstream, url = proxied
    chunks = 50  # 1 s of streaming if nobody stops it
    before = len(upstream.slow_streams)
    with (
        httpx.Client(base_url=url, timeout=10) as c,
        c.stream("GET", "/rest/Company(1)", headers={"x-test-slow-stream": str(chunks)}) as r,
    ):
        next(r.iter_raw())
    deadline = time.monotonic() + 5
    while len(upstream.slow_streams) == before and time.monotonic() < deadline:
        time.sleep(0.02)
    [sent] = upstream.slow_streams[before:]
    assert sent < chunks / 2


def test_upstream_stalling_mid_body_cuts_the_connection(client: httpx.Client) -> None:
    # The head (200, Content-Length: 100) and 10 bytes are through before the stall: the proxy
    # cannot change the status any more, so it closes the connection; the client must not take
    # the 10 bytes for the whole body.
    with client.stream("GET", "/rest/Company(1)", headers={"x-test-stall": str(TIMEOUT * 4)}) as r:
        assert r.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):
            r.read()


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


def test_command_serves_and_stops(stand_in: tuple[Upstream, str]) -> None:
    _, upstream_url = stand_in
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [
        sys.executable,
        "-m",
        "restquery.integrations.proxy",
        "--upstream",
        upstream_url,
        "--catalog",
        str(CATALOG),
        "--port",
        "0",
        "--timeout",
        "2",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        url = None
        deadline = time.monotonic() + 20
        assert proc.stderr is not None
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            m = re.search(r"running on (http://127\.0\.0\.1:\d+)", line)
            if m:
                url = m.group(1)
                break
        assert url, "the proxy did not start"
        with httpx.Client(base_url=url, timeout=10) as c:
            r = c.get("/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt")
            assert r.content == BLOB and r.headers["content-disposition"] == BLOB_DISPOSITION
            assert c.get("/rest/Nope").status_code == 404
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(15)
        except subprocess.TimeoutExpired:  # pragma: no cover - reported by the assert
            proc.kill()
            code = proc.wait(5)
    assert code == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--upstream", "ftp://x"], "upstream must be an http"),
        (["--upstream", "http://127.0.0.1:1", "--catalog", "/nonexistent/catalog.json"], "catalog"),
    ],
)
def test_command_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert proxy.main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--upstream", "http://x", "--timeout", "0"],
        ["--upstream", "http://x", "--port", "70000"],
        ["--upstream", "http://x", "--timeout", "nan"],
    ],
)
def test_command_argument_errors(argv: list[str]) -> None:
    assert proxy.main(argv) == 2


def test_configure_registers_the_arguments() -> None:
    import argparse

    p = argparse.ArgumentParser()
    proxy.configure(p)
    args = p.parse_args(["--upstream", "http://127.0.0.1:8044", "--timeout", "1.5"])
    assert (args.upstream, args.host, args.port, args.prefix, args.timeout) == (
        "http://127.0.0.1:8044",
        "127.0.0.1",
        8000,
        "/rest",
        1.5,
    )


def test_proxy_error_body_is_json() -> None:
    from restquery.integrations._core import plain_error_body

    body = json.loads(plain_error_body("x", 502, proxy.PROXY_SIGNATURE))
    assert body == {
        "__ERROR": [{"message": "x", "componentSignature": "prxy", "errCode": 502}],
        "diagnostics": [],
    }


def test_registering_the_command_stays_light() -> None:
    # restquery.cli imports this module for `restquery proxy` (and serve, fuzz): nothing heavy
    # may come with them.
    code = (
        "import sys; before = set(sys.modules);"
        "import restquery.cli as c; c.build_parser();"
        "heavy = ('logging', 'httpx', 'httpcore', 'uvicorn', 'anyio', 'lark', 'starlette', 'sqlalchemy',"
        " 'hypothesis', 'jsonschema');"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith(heavy)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"


def test_through_the_restquery_command(capsys: pytest.CaptureFixture[str]) -> None:
    from restquery import cli

    assert cli.COMMANDS["proxy"].run is proxy.run
    assert cli.main(["proxy", "--help"]) == 0
    assert "--upstream URL" in capsys.readouterr().out
    assert cli.main(["proxy", "--upstream", "ftp://x"]) == 2
    assert "upstream must be an http" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# The server settings and the upstream pools
# ---------------------------------------------------------------------------------------------


def test_uvicorn_config_guards_the_client_side() -> None:
    from restquery.integrations._server import GuardedH11Protocol

    app = create_app("http://127.0.0.1:1")
    protocol = uvicorn_config(app).http
    assert issubclass(protocol, GuardedH11Protocol)
    assert (protocol.head_timeout, protocol.max_connections, protocol.signature) == (
        proxy.DEFAULT_HEAD_TIMEOUT,
        proxy.DEFAULT_MAX_CLIENT_CONNECTIONS,
        "prxy",
    )
    protocol = uvicorn_config(app, head_timeout=2.5, max_client_connections=7).http
    assert (protocol.head_timeout, protocol.max_connections) == (2.5, 7)
    protocol = uvicorn_config(app, head_timeout=None, max_client_connections=None).http
    assert (protocol.head_timeout, protocol.max_connections) == (None, None)
    assert uvicorn_config(app, http="h11").http == "h11"  # the caller's choice wins
    for bad in ({"head_timeout": 0}, {"max_client_connections": 0}):
        with pytest.raises(ValueError, match="must be positive"):
            uvicorn_config(app, **bad)


def test_upstream_connections_are_split_over_small_pools() -> None:
    async def go() -> list[int | None]:
        pools = proxy._Pools(40, lambda size: size)
        assert pools.sizes == pools.transports == [16, 16, 8]
        leases = [await pools.acquire(1) for _ in range(40)]
        assert [leases.count(i) for i in range(3)] == [16, 16, 8]
        assert await pools.acquire(0.05) is None  # all 40 busy: no lease in time
        pools.release(1)
        late = [await pools.acquire(1)]
        for lease in leases[:3]:
            assert lease is not None
            pools.release(lease)
        return late + [await pools.acquire(1) for _ in range(3)]

    # The freed connection's pool serves the next request; then the first pool with room.
    assert asyncio.run(go()) == [1, 0, 0, 0]
