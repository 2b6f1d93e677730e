"""``restquery proxy``: a validating reverse proxy in front of a 4D (or Qodly) REST server.

::

    restquery proxy --upstream http://127.0.0.1:8044 --catalog catalog.json --port 8080

Requests under ``--prefix`` (default ``/rest``) are checked by
:class:`restquery.integrations.asgi.RestQueryMiddleware`; refused ones are answered locally
(400 / 404 and the ``{"__ERROR": [...], "diagnostics": [...]}`` body) and never reach the
upstream. Everything else is forwarded:

* unchanged: the method, the request target byte for byte (no re-encoding: httpcore's
  ``target`` extension), the headers minus the hop-by-hop ones (``Connection`` and those it
  names, ``Keep-Alive``, ``TE``, ``Trailer``, ``Transfer-Encoding``, ``Upgrade``,
  ``Proxy-Authorization``, ``Proxy-Authenticate``) and ``Expect``; ``Host`` becomes the
  upstream's;
* the forwarding headers are the proxy's own: whatever ``Forwarded``, ``X-Real-IP`` and
  ``X-Forwarded-*`` headers the client sent are dropped (and ``X-Original-URL`` /
  ``X-Rewrite-URL``, which some servers route by instead of the checked target) (a client could otherwise pose as any
  address or host to the upstream), and ``X-Forwarded-For`` (the client address the proxy
  saw), ``X-Forwarded-Host`` (the ``Host`` the client sent) and ``X-Forwarded-Proto`` (the
  scheme) are set. A proxy in front of this one must therefore not rely on them reaching the
  upstream;
* a request with both ``Transfer-Encoding`` and ``Content-Length`` was read by its chunks
  (RFC 9112 §6.3): its ``Content-Length`` is dropped and the body goes upstream chunked,
  never framed by a length that does not match it;
* streamed both ways: the request body goes upstream as the client sends it, the response
  (status, headers, raw still-encoded bytes) comes back as the upstream sends it, so a
  ``$binary`` download keeps its ``Content-Disposition`` and is never held in memory;
* no cookie jar, no redirect following, no retries: the proxy adds no state of its own.

Failures, answered with an ``__ERROR`` body whose ``componentSignature`` is ``"prxy"`` and
whose ``errCode`` is the status:

* upstream refuses the connection, resets it, or answers something that is not HTTP → **502**;
* upstream does not connect within ``--connect-timeout``, or does not send its response head
  (or the next chunk of the request body cannot be written) within ``--timeout`` → **504**;
* all ``--max-connections`` upstream connections stay busy for ``--timeout``: requests queue
  for one in arrival order, and one still waiting then → **504**;
* the client stops sending its request body for ``--timeout`` → **408**; it stops reading the
  response for ``--timeout`` → its connection is cut (the upstream one is released);
* anything else failing before the response has started → **502** (never a plain-text 500);
* upstream fails or stalls beyond ``--timeout`` after the response has started: the status is
  already sent, so the proxy closes the client connection and the client sees a truncated body;
* the client goes away: the upstream request is cancelled and its connection released.

Served by ``restquery proxy`` (or with :func:`uvicorn_config`), the client side is guarded too
(:mod:`restquery.integrations._server`):

* a request head not whole within ``--head-timeout`` seconds (default 10) of the connection
  opening, or of its first byte on a kept-alive connection → **408** and the connection is
  closed (closed without an answer if the client sent nothing at all);
* beyond ``--max-client-connections`` open connections (default 1000), a new connection is
  answered **503** at once and closed, unread: refusing costs the proxy one accept and one
  write, whereas not accepting would leave every client hanging in the backlog;
* a client that sends its request and then shuts down its sending side (half-close) still
  gets the whole response; that connection ends with it;
* a request that is not valid HTTP/1.1 → **400** with an ``__ERROR`` body, not plain text.

Served otherwise (another ASGI server, gunicorn's ``UvicornWorker``), :func:`create_app` keeps
every guarantee above but these four, which are then the server's business.

Built on uvicorn (the server) and httpx's connection-pooling transport (the client); both are
imported only when the proxy runs: ``pip install 'restquery[proxy]'``.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import AsyncIterator, Callable, Iterable

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

# Nothing heavier at import time: `restquery.cli` imports this module to register the command,
# and `restquery --help` must stay quick. The rest is imported where it is used.
if TYPE_CHECKING:
    from restquery.integrations.asgi import Message, Receive, RestQueryMiddleware, Scope, Send

__all__ = ["ProxyApp", "configure", "create_app", "main", "run", "uvicorn_config"]


def _log() -> Any:
    import logging

    return logging.getLogger("restquery.proxy")


#: ``componentSignature`` of the errors the proxy itself answers (502, 504).
PROXY_SIGNATURE = "prxy"

#: Largest request head (request line and headers) the server reads: well above the parser's
#: max_length, so that an over-long URL is refused with a diagnostic, not by the HTTP parser.
MAX_REQUEST_HEAD = 1 << 20

#: Seconds a client has to send a whole request head (``--head-timeout``).
DEFAULT_HEAD_TIMEOUT = 10.0

#: Open client connections beyond which new ones are refused (``--max-client-connections``).
DEFAULT_MAX_CLIENT_CONNECTIONS = 1000

_HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
# Not hop-by-hop, but not the client's to forward: the proxy talks to the upstream itself, and
# says itself who the client is (every x-forwarded-* header goes too, _request_headers).
# X-Original-URL and X-Rewrite-URL make some servers route by header rather than by the
# target that was checked.
_REQUEST_DROP = _HOP_BY_HOP | {
    b"host", b"expect", b"forwarded", b"x-real-ip", b"x-original-url", b"x-rewrite-url"
}
_FORWARDED_PREFIX = b"x-forwarded-"

#: The errors the proxy answers on its own, beyond the upstream's (module docstring).
_TOO_SLOW = "The upstream server did not answer in time."
_UNREACHABLE = "The upstream server could not be reached or sent an invalid response."
_BROKEN = "The proxy could not forward the request."
_BODY_STALLED = "The request body did not arrive in time."


class _ClientGone(Exception):
    """The client disconnected while its request body was being forwarded."""


class _ClientStalled(Exception):
    """The client sent no part of its request body for the proxy's timeout."""


def _connection_tokens(headers: Iterable[tuple[bytes, bytes]]) -> set[bytes]:
    tokens: set[bytes] = set()
    for name, value in headers:
        if name.lower() == b"connection":
            tokens.update(t.strip().lower() for t in value.split(b",") if t.strip())
    return tokens


def _filter(
    headers: Iterable[tuple[bytes, bytes]], drop: frozenset[bytes]
) -> list[tuple[bytes, bytes]]:
    headers = list(headers)
    named = _connection_tokens(headers)
    return [(n.lower(), v) for n, v in headers if n.lower() not in drop and n.lower() not in named]


#: Connections per httpx pool. httpcore's pool, each time a request starts or ends, rescans
#: all its connections for every queued request and for every idle connection: work quadratic
#: in its size, which at 100 connections costs the proxy half its throughput. Hence
#: ``max_connections`` split over pools of this size.
POOL_SIZE = 16


class _Pools:
    """The upstream connections: ``total`` of them over pools of at most :data:`POOL_SIZE`
    (``make(size)`` builds one), behind one queue that serves requests in arrival order."""

    def __init__(self, total: int, make: Callable[[int], Any]) -> None:
        import anyio

        total = max(total, 1)
        self.sizes = [min(POOL_SIZE, total - start) for start in range(0, total, POOL_SIZE)]
        self.transports = [make(size) for size in self.sizes]
        self.busy = [0] * len(self.sizes)
        # Queued here rather than in httpcore, whose pool would also rescan its whole queue on
        # every request: with thousands waiting, the event loop starves (connect timeouts, 504s).
        self._slots = anyio.Semaphore(total)

    async def acquire(self, timeout: float) -> int | None:
        """The index of a pool with a connection free, waiting up to ``timeout`` seconds for
        one (``None``: none came free in time). Give it back with :meth:`release`."""
        import anyio

        with anyio.move_on_after(timeout):
            await self._slots.acquire()
            # A slot means some pool has room. The first one keeps the busy connections
            # together, so that the idle ones elsewhere expire rather than linger.
            index = next(i for i, size in enumerate(self.sizes) if self.busy[i] < size)
            self.busy[index] += 1
            return index
        return None

    def release(self, index: int) -> None:
        self.busy[index] -= 1
        self._slots.release()


class ProxyApp:
    """An ASGI application that forwards every HTTP request to ``upstream`` (a base URL such as
    ``http://127.0.0.1:8044``; a path in it is prepended to every target).

    ``timeout`` bounds the wait for a free upstream connection, for the response head and for
    each chunk either way; ``connect_timeout`` the TCP/TLS connection; ``max_connections`` the
    upstream pool (requests beyond it queue, in arrival order, for up to ``timeout``).
    Wrap it in :class:`~restquery.integrations.asgi.RestQueryMiddleware` (as
    :func:`create_app` does) to validate.
    """

    def __init__(
        self,
        upstream: str,
        *,
        timeout: float = 60.0,
        connect_timeout: float = 5.0,
        max_connections: int = 100,
        verify: bool = True,
    ) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(upstream)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"upstream must be an http:// or https:// URL, not {upstream!r}")
        if parts.query or parts.fragment:
            raise ValueError(f"upstream must not have a query or fragment: {upstream!r}")
        self.upstream = upstream
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self._base_path = parts.path.rstrip("/").encode("ascii", "strict")
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.max_connections = max_connections
        self.verify = verify
        self._pools: _Pools | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def _get_pools(self) -> _Pools:
        if self._pools is None:
            import httpx

            def pool(size: int) -> Any:
                limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
                return httpx.AsyncHTTPTransport(verify=self.verify, limits=limits)

            self._pools = _Pools(self.max_connections, pool)
        return self._pools

    async def aclose(self) -> None:
        """Close the upstream connections."""
        pools, self._pools = self._pools, None
        if pools is not None:
            for transport in pools.transports:
                await transport.aclose()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._get_pools()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # -- requests ----------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._forward(scope, receive, send)
        elif scope["type"] == "websocket":  # 4D REST has no websockets
            await receive()
            await send({"type": "websocket.close", "code": 1003})

    def _request_headers(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        incoming = list(scope.get("headers") or [])
        headers = [
            (n, v)
            for n, v in _filter(incoming, _REQUEST_DROP)
            if not n.startswith(_FORWARDED_PREFIX)
        ]
        if any(n.lower() == b"transfer-encoding" for n, _ in incoming):
            # The server read the body by its chunks; httpx sends it chunked again. Forwarded,
            # the length would frame it differently upstream (RFC 9112 §6.3: a proxy removes it).
            headers = [(n, v) for n, v in headers if n != b"content-length"]
        client = scope.get("client")
        if client:
            headers.append((b"x-forwarded-for", str(client[0]).encode("latin-1")))
        host = next((v for n, v in incoming if n.lower() == b"host"), None)
        if host is not None:
            headers.append((b"x-forwarded-host", host))
        headers.append((b"x-forwarded-proto", str(scope.get("scheme", "http")).encode("latin-1")))
        return headers  # httpx adds the upstream's Host

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self._relay(scope, receive, tracked)
        except Exception:
            if started:
                raise  # the status is out: only a cut connection can say the body is short
            # Whatever broke (a bug, a client library's error), the client is owed an answer in
            # the proxy's own format, not the server's plain-text 500.
            _log().exception("proxy failure on %s %r", scope["method"], scope.get("raw_path"))
            await _fail(send, 502, _BROKEN)

    async def _relay(self, scope: Scope, receive: Receive, send: Send) -> None:
        import anyio

        incoming = scope.get("headers") or []
        has_body = any(n.lower() in (b"content-length", b"transfer-encoding") for n, _ in incoming)
        async with anyio.create_task_group() as tg:
            # Once the request body is read, `receive` has nothing left to say but
            # `http.disconnect`: listen for it, and stop the exchange (releasing the upstream
            # connection) when the client goes away rather than read a download nobody wants.
            def watch() -> None:
                tg.start_soon(_until_disconnect, receive, tg.cancel_scope)

            content = _body(receive, watch, self.timeout) if has_body else None
            if content is None:
                watch()
            await self._exchange(scope, content, send)
            tg.cancel_scope.cancel()

    async def _exchange(
        self, scope: Scope, content: AsyncIterator[bytes] | None, send: Send
    ) -> None:
        pools = self._get_pools()
        lease = await pools.acquire(self.timeout)
        if lease is None:
            _log().warning(
                "no upstream connection free in time for %s %r", scope["method"], scope["path"]
            )
            await _fail(send, 504, _TOO_SLOW)
            return
        try:
            await self._round_trip(pools.transports[lease], scope, content, send)
        finally:
            pools.release(lease)

    async def _round_trip(
        self, transport: Any, scope: Scope, content: AsyncIterator[bytes] | None, send: Send
    ) -> None:
        import anyio
        import httpx

        from restquery.integrations.asgi import raw_target

        target = self._base_path + raw_target(scope)
        timeout = httpx.Timeout(self.timeout, connect=self.connect_timeout)
        request = httpx.Request(
            scope["method"],
            self._origin + "/",
            headers=self._request_headers(scope),
            content=content,
            extensions={"target": target, "timeout": timeout.as_dict()},
        )
        try:
            response = await transport.handle_async_request(request)
        except _ClientGone:
            return
        except _ClientStalled:
            _log().warning("client stalled its request body on %s %r", scope["method"], target)
            await _fail(send, 408, _BODY_STALLED)
            return
        except httpx.TimeoutException as exc:
            _log().warning("upstream timeout on %s %r: %r", scope["method"], target, exc)
            await _fail(send, 504, _TOO_SLOW)
            return
        except httpx.TransportError as exc:
            _log().warning("upstream error on %s %r: %r", scope["method"], target, exc)
            await _fail(send, 502, _UNREACHABLE)
            return
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status_code,
                    "headers": _filter(response.headers.raw, _HOP_BY_HOP),
                }
            )
            delivered = True
            async for chunk in response.aiter_raw():
                if chunk and not await _sent(send, chunk, True, self.timeout):
                    delivered = False
                    break
            if delivered and await _sent(send, b"", False, self.timeout):
                return
            # A client that stops reading would hold the upstream connection for as long as
            # it likes: left with an unfinished response, the server cuts the connection.
            _log().warning("client stopped reading on %s %r", scope["method"], target)
        except httpx.TransportError as exc:
            # The status line is gone already: all that is left is to cut the connection, so
            # that the client cannot take a truncated body for a whole one.
            _log().warning(
                "upstream failed mid-response on %s %r: %r", scope["method"], target, exc
            )
            raise
        finally:
            with anyio.CancelScope(shield=True):
                await response.aclose()


async def _sent(send: Send, body: bytes, more: bool, timeout: float) -> bool:
    """Whether the client took this part of the body within ``timeout`` seconds."""
    import anyio

    with anyio.move_on_after(timeout):
        await send({"type": "http.response.body", "body": body, "more_body": more})
        return True
    return False


async def _until_disconnect(receive: Receive, scope: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            scope.cancel()
            return


async def _body(
    receive: Receive, on_end: Callable[[], None], timeout: float
) -> AsyncIterator[bytes]:
    import anyio

    while True:
        message: Message | None = None
        # Bounded like every other wait of the exchange: a client that stops half-way through
        # its body would otherwise hold an upstream connection for as long as it likes.
        with anyio.move_on_after(timeout):
            message = await receive()
        if message is None:
            raise _ClientStalled
        if message["type"] == "http.disconnect":
            raise _ClientGone
        body = message.get("body", b"")
        if body:
            yield body
        if not message.get("more_body", False):
            on_end()
            return


async def _fail(send: Send, status: int, message: str) -> None:
    from restquery.integrations._core import json_headers, plain_error_body

    body = plain_error_body(message, status, PROXY_SIGNATURE)
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in json_headers(body)]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def create_app(
    upstream: str,
    *,
    timeout: float = 60.0,
    connect_timeout: float = 5.0,
    max_connections: int = 100,
    verify: bool = True,
    **middleware_options: Any,
) -> RestQueryMiddleware:
    """The proxy as an ASGI application: :class:`ProxyApp` behind
    :class:`~restquery.integrations.asgi.RestQueryMiddleware` (``middleware_options``:
    ``prefix``, ``catalog``, ``hide_suggestions``, ``reject_warnings``, limits, ...). Serve it
    with any ASGI server; :func:`uvicorn_config` gives the settings ``restquery proxy`` uses."""
    from restquery.integrations.asgi import RestQueryMiddleware

    proxy = ProxyApp(
        upstream,
        timeout=timeout,
        connect_timeout=connect_timeout,
        max_connections=max_connections,
        verify=verify,
    )
    return RestQueryMiddleware(proxy, **middleware_options)


def uvicorn_config(
    app: Any,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    head_timeout: float | None = DEFAULT_HEAD_TIMEOUT,
    max_client_connections: int | None = DEFAULT_MAX_CLIENT_CONNECTIONS,
    **options: Any,
) -> Any:
    """A ``uvicorn.Config`` for the proxy: the upstream's ``Server`` and ``Date`` headers are
    passed on rather than doubled, lifespan runs (it opens and closes the upstream pool),
    request heads up to :data:`MAX_REQUEST_HEAD` bytes reach the middleware, and the HTTP
    protocol is uvicorn's h11 one guarded by :mod:`restquery.integrations._server`: a head not
    whole within ``head_timeout`` seconds is answered 408, a connection beyond
    ``max_client_connections`` open ones 503 (``None`` turns either off), and a client that
    half-closes after its request still gets the response. ``options`` go to
    ``uvicorn.Config`` as they are (an ``http`` among them replaces the guarded protocol)."""
    import uvicorn

    from restquery.integrations._server import guarded_h11

    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "lifespan": "on",
        "server_header": False,
        "date_header": False,
        "h11_max_incomplete_event_size": MAX_REQUEST_HEAD,
        "proxy_headers": False,
        "http": guarded_h11(
            head_timeout=head_timeout,
            max_connections=max_client_connections,
            signature=PROXY_SIGNATURE,
        ),
    }
    settings.update(options)
    return uvicorn.Config(app, **settings)


# ---------------------------------------------------------------------------------------------
# The command line: registered in restquery.cli as `restquery proxy`
# ---------------------------------------------------------------------------------------------


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (0 or more)")
    return value


def _positive(text: str) -> int:
    value = _count(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (1 or more)")
    return value


def _port(text: str) -> int:
    value = _count(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port (0-65535)")
    return value


def configure(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``restquery proxy`` to ``p``."""
    p.add_argument(
        "--upstream",
        required=True,
        metavar="URL",
        help="the 4D server to forward valid requests to, e.g. http://127.0.0.1:8044",
    )
    from restquery.cli import PROJECT_HELP

    schema = p.add_mutually_exclusive_group()
    schema.add_argument(
        "--catalog",
        metavar="FILE",
        help="a $catalog/$all JSON document: turns on the schema rules and 404 answers",
    )
    schema.add_argument("--project", metavar="DIR", help=PROJECT_HELP)
    p.add_argument("--policy", metavar="FILE",
                   help="limits and allow-lists: [policy] of a restquery.toml or "
                   "[tool.restquery.policy] of a pyproject.toml (docs/policy.md)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (default: 8000; 0 picks one)"
    )
    p.add_argument(
        "--prefix", default="/rest", help="check requests under this path (default: /rest)"
    )
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=60.0,
        metavar="SECONDS",
        help="wait this long for a free upstream connection, for the upstream's response head "
        "and for each chunk either way (default: 60); exceeded: 504 (a client's stalled body: "
        "408; a client not reading: its connection is cut)",
    )
    p.add_argument(
        "--connect-timeout",
        type=_seconds,
        default=5.0,
        metavar="SECONDS",
        help="wait this long for a connection to the upstream (default: 5); exceeded: 504",
    )
    p.add_argument(
        "--max-connections",
        type=_count,
        default=100,
        metavar="N",
        help="at most N connections to the upstream; further requests wait for one, in "
        "arrival order, up to --timeout (default: 100)",
    )
    p.add_argument(
        "--head-timeout",
        type=_seconds,
        default=DEFAULT_HEAD_TIMEOUT,
        metavar="SECONDS",
        help="close a client connection whose request head is not whole within this long, "
        "with a 408 if it had sent part of one (default: %(default)g)",
    )
    p.add_argument(
        "--max-client-connections",
        type=_positive,
        default=DEFAULT_MAX_CLIENT_CONNECTIONS,
        metavar="N",
        help="answer connections beyond N open ones with a 503 and close them at once "
        "(default: %(default)d)",
    )
    p.add_argument(
        "--reject-warnings", action="store_true", help="refuse requests that draw warnings too"
    )
    p.add_argument(
        "--show-suggestions",
        action="store_true",
        help='put "did you mean" hints (which reveal the schema) in error bodies',
    )
    p.add_argument(
        "--max-length",
        type=_count,
        default=None,
        metavar="N",
        help="refuse URLs longer than N characters (default: the parser's limit)",
    )
    p.add_argument(
        "--plus-as-space",
        action="store_true",
        help="read a + in a query string as a space, as HTML forms and most HTTP client "
        "libraries write one (default: a plus, RFC 3986); the target is forwarded as sent",
    )
    p.add_argument(
        "--cache-size",
        type=_count,
        default=1024,
        metavar="N",
        help="remember the verdicts on N recent targets (default: 1024; 0: no cache)",
    )
    p.add_argument(
        "--log-level",
        choices=("critical", "error", "warning", "info", "debug"),
        default="info",
        help="server log level (default: info)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve the proxy until interrupted; the exit status (0, or 2 on a usage or start-up
    error)."""

    def usage(message: str) -> int:
        print(f"restquery: error: {message}", file=sys.stderr)
        return 2

    try:
        import httpx  # noqa: F401
        import uvicorn
    except ImportError as err:
        return usage(f"the proxy needs {err.name}: pip install 'restquery[proxy]'")
    catalog = None
    if args.catalog or args.project:
        import pathlib

        from restquery.catalog import Catalog
        from restquery.errors import CatalogError

        try:
            if args.catalog:
                catalog = Catalog.from_json(pathlib.Path(args.catalog))
            else:
                catalog = Catalog.from_project(args.project)
        except CatalogError as err:
            if not args.catalog:
                return usage(" ".join(str(err).split()))
            return usage(f"catalog {args.catalog}: {err}")
    options: dict[str, Any] = {}
    if args.policy:
        from restquery.policy import Policy, PolicyError

        try:
            options["policy"] = Policy.from_toml(args.policy)
        except PolicyError as err:
            return usage(str(err))
    if args.max_length is not None:
        options["max_length"] = args.max_length
    try:
        app = create_app(
            args.upstream,
            timeout=args.timeout,
            connect_timeout=args.connect_timeout,
            max_connections=max(args.max_connections, 1),
            prefix=args.prefix,
            catalog=catalog,
            hide_suggestions=not args.show_suggestions,
            reject_warnings=args.reject_warnings,
            cache_size=args.cache_size,
            plus_as_space=args.plus_as_space,
            **options,
        )
    except ValueError as err:
        return usage(str(err))
    server = uvicorn.Server(
        uvicorn_config(
            app,
            host=args.host,
            port=args.port,
            head_timeout=args.head_timeout,
            max_client_connections=args.max_client_connections,
            log_level=args.log_level,
        )
    )
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it shut down on: a normal stop
        return 0
    except SystemExit as exc:  # uvicorn exits 1 when it cannot bind
        return 2 if exc.code else 0
    return 0 if server.started else 2


def main(argv: list[str] | None = None) -> int:
    """``python -m restquery.integrations.proxy``: the same as ``restquery proxy``."""
    parser = argparse.ArgumentParser(
        prog="restquery proxy", description="Validating reverse proxy for a 4D REST server."
    )
    configure(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
