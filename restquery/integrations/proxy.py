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
  upstream's and ``X-Forwarded-For`` / ``-Host`` / ``-Proto`` are added;
* streamed both ways: the request body goes upstream as the client sends it, the response
  (status, headers, raw still-encoded bytes) comes back as the upstream sends it, so a
  ``$binary`` download keeps its ``Content-Disposition`` and is never held in memory;
* no cookie jar, no redirect following, no retries: the proxy adds no state of its own.

Failures, answered with an ``__ERROR`` body whose ``componentSignature`` is ``"prxy"`` and
whose ``errCode`` is the status:

* upstream refuses the connection, resets it, or answers something that is not HTTP → **502**;
* upstream does not connect within ``--connect-timeout``, or does not send its response head
  (or the next chunk of the request body cannot be written) within ``--timeout`` → **504**;
* upstream fails or stalls beyond ``--timeout`` after the response has started: the status is
  already sent, so the proxy closes the client connection and the client sees a truncated body;
* the client goes away: the upstream request is cancelled and its connection released.

Built on uvicorn (the server) and httpx's connection-pooling transport (the client); both are
imported only when the proxy runs: ``pip install 'restquery[proxy]'``.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING, Any

# Nothing heavier at import time: `restquery.cli` imports this module to register the command,
# and `restquery --help` must stay quick. The rest is imported where it is used.
if TYPE_CHECKING:
    from restquery.integrations.asgi import Receive, RestQueryMiddleware, Scope, Send

__all__ = ["ProxyApp", "configure", "create_app", "main", "run", "uvicorn_config"]


def _log() -> Any:
    import logging

    return logging.getLogger("restquery.proxy")


#: ``componentSignature`` of the errors the proxy itself answers (502, 504).
PROXY_SIGNATURE = "prxy"

#: Largest request head (request line and headers) the server reads: well above the parser's
#: max_length, so that an over-long URL is refused with a diagnostic, not by the HTTP parser.
MAX_REQUEST_HEAD = 1 << 20

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
# Not hop-by-hop, but not the client's to forward: the proxy talks to the upstream itself.
_REQUEST_DROP = _HOP_BY_HOP | {b"host", b"expect"}


class _ClientGone(Exception):
    """The client disconnected while its request body was being forwarded."""


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


class ProxyApp:
    """An ASGI application that forwards every HTTP request to ``upstream`` (a base URL such as
    ``http://127.0.0.1:8044``; a path in it is prepended to every target).

    ``timeout`` bounds the wait for the response head and for each chunk either way;
    ``connect_timeout`` the TCP/TLS connection; ``max_connections`` the upstream pool.
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
        self._transport: Any = None

    # -- lifecycle ---------------------------------------------------------------------------

    def _get_transport(self) -> Any:
        if self._transport is None:
            import httpx

            self._transport = httpx.AsyncHTTPTransport(
                verify=self.verify,
                limits=httpx.Limits(
                    max_connections=self.max_connections,
                    max_keepalive_connections=self.max_connections,
                ),
            )
        return self._transport

    async def aclose(self) -> None:
        """Close the upstream connections."""
        transport, self._transport = self._transport, None
        if transport is not None:
            await transport.aclose()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._get_transport()
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
        headers = _filter(incoming, _REQUEST_DROP)
        client = scope.get("client")
        original_host = next((v for n, v in incoming if n.lower() == b"host"), None)
        forwarded_for = [v for n, v in headers if n == b"x-forwarded-for"]
        headers = [(n, v) for n, v in headers if n != b"x-forwarded-for"]
        if client:
            forwarded_for.append(str(client[0]).encode("latin-1"))
        if forwarded_for:
            headers.append((b"x-forwarded-for", b", ".join(forwarded_for)))
        if original_host is not None and not any(n == b"x-forwarded-host" for n, _ in headers):
            headers.append((b"x-forwarded-host", original_host))
        if not any(n == b"x-forwarded-proto" for n, _ in headers):
            headers.append(
                (b"x-forwarded-proto", str(scope.get("scheme", "http")).encode("latin-1"))
            )
        return headers  # httpx adds the upstream's Host

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        import anyio

        incoming = scope.get("headers") or []
        has_body = any(n.lower() in (b"content-length", b"transfer-encoding") for n, _ in incoming)
        async with anyio.create_task_group() as tg:
            # Once the request body is read, `receive` has nothing left to say but
            # `http.disconnect`: listen for it, and stop the exchange (releasing the upstream
            # connection) when the client goes away rather than read a download nobody wants.
            def watch() -> None:
                tg.start_soon(_until_disconnect, receive, tg.cancel_scope)

            content = _body(receive, on_end=watch) if has_body else None
            if content is None:
                watch()
            await self._exchange(scope, content, send)
            tg.cancel_scope.cancel()

    async def _exchange(
        self, scope: Scope, content: AsyncIterator[bytes] | None, send: Send
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
            response = await self._get_transport().handle_async_request(request)
        except _ClientGone:
            return
        except httpx.TimeoutException as exc:
            _log().warning("upstream timeout on %s %r: %r", scope["method"], target, exc)
            await _fail(send, 504, "The upstream server did not answer in time.")
            return
        except httpx.TransportError as exc:
            _log().warning("upstream error on %s %r: %r", scope["method"], target, exc)
            await _fail(
                send, 502, "The upstream server could not be reached or sent an invalid response."
            )
            return
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status_code,
                    "headers": _filter(response.headers.raw, _HOP_BY_HOP),
                }
            )
            async for chunk in response.aiter_raw():
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
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


async def _until_disconnect(receive: Receive, scope: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            scope.cancel()
            return


async def _body(receive: Receive, on_end: Callable[[], None]) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
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


def uvicorn_config(app: Any, *, host: str = "127.0.0.1", port: int = 8000, **options: Any) -> Any:
    """A ``uvicorn.Config`` for the proxy: the upstream's ``Server`` and ``Date`` headers are
    passed on rather than doubled, lifespan runs (it opens and closes the upstream pool), and
    request heads up to :data:`MAX_REQUEST_HEAD` bytes reach the middleware."""
    import uvicorn

    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "lifespan": "on",
        "server_header": False,
        "date_header": False,
        "h11_max_incomplete_event_size": MAX_REQUEST_HEAD,
        "proxy_headers": False,
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
    p.add_argument(
        "--catalog",
        metavar="FILE",
        help="a $catalog/$all JSON document: turns on the schema rules and 404 answers",
    )
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
        help="wait this long for the upstream's response head and for each chunk (default: 60); "
        "exceeded: 504",
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
        help="at most N connections to the upstream (default: 100)",
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
    if args.catalog:
        import pathlib

        from restquery.catalog import Catalog
        from restquery.errors import CatalogError

        try:
            catalog = Catalog.from_json(pathlib.Path(args.catalog))
        except CatalogError as err:
            return usage(f"catalog {args.catalog}: {err}")
    options: dict[str, Any] = {}
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
            **options,
        )
    except ValueError as err:
        return usage(str(err))
    server = uvicorn.Server(
        uvicorn_config(app, host=args.host, port=args.port, log_level=args.log_level)
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
