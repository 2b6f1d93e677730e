"""ASGI middleware: check every REST request target before the application sees it.

>>> from restquery.integrations.asgi import RestQueryMiddleware
>>> async def app(scope, receive, send): ...
>>> app = RestQueryMiddleware(app, catalog="examples/catalog.json")  # doctest: +SKIP

For a request whose path is under ``prefix`` (default ``/rest``; compared without case on the
decoded path), the middleware parses and validates the target exactly as the client sent it —
ASGI ``raw_path`` plus ``query_string``, so diagnostic spans index the client's own text — with
the real HTTP method (HEAD judged as GET; OPTIONS passed through unchecked).

* Refused: status 400, or 404 when the catalog says a dataclass, attribute or function does
  not exist, with the JSON body ``{"__ERROR": [...], "diagnostics": [...]}``
  (:mod:`restquery.integrations._core` documents both). The application is not called.
* Accepted: ``scope["state"]["restquery"]`` holds the parsed :class:`restquery.ast.Request`
  (``request.state.restquery`` in Starlette and FastAPI) and
  ``scope["state"]["restquery_diagnostics"]`` the warnings, if any.

Other scopes (``lifespan``, ``websocket``) and paths outside the prefix pass through. The
middleware needs no third-party package.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import quote

from restquery.integrations._core import (
    UNCHECKED_METHODS,
    Checker,
    Verdict,
    decode_target,
    json_headers,
    normalize_prefix,
    under_prefix,
)
from restquery.parser import DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, DEFAULT_MAX_PARAMS

__all__ = ["RestQueryMiddleware", "raw_target"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# What a client may leave unencoded in a path (RFC 3986 pchar and "/"): used only when the
# server gives no raw_path, to rebuild one from the decoded path.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def raw_target(scope: Scope) -> bytes:
    """The request target as the client sent it: ``raw_path`` (rebuilt from ``path`` when the
    server gives none) and ``?query_string`` when there is one."""
    raw = scope.get("raw_path")
    if raw is None:
        raw = quote(scope.get("path", "/"), safe=_PATH_SAFE).encode("ascii")
    query = scope.get("query_string") or b""
    return bytes(raw) + b"?" + bytes(query) if query else bytes(raw)


class RestQueryMiddleware:
    """Refuse invalid 4D REST requests with a 4D-style error; hand valid ones, parsed, to
    ``app``.

    ``catalog`` (a :class:`restquery.Catalog`, a ``$catalog/$all`` JSON document or a path)
    turns on the schema rules and the 404 answers; ``hide_suggestions`` (default ``True``)
    keeps "did you mean" hints, which would reveal the schema, out of the bodies;
    ``reject_warnings`` refuses requests that draw only warnings too; ``select`` / ``ignore``
    choose rules as in :func:`restquery.validate`; ``max_length``, ``max_depth``,
    ``max_params`` are the parse limits and ``max_errors`` caps the diagnostics of one request;
    ``cache_size`` bounds the LRU cache of verdicts (0 turns it off).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        prefix: str | None = "/rest",
        catalog: Any = None,
        hide_suggestions: bool = True,
        reject_warnings: bool = False,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        max_errors: int = 100,
        max_length: int | None = DEFAULT_MAX_LENGTH,
        max_depth: int | None = DEFAULT_MAX_DEPTH,
        max_params: int | None = DEFAULT_MAX_PARAMS,
        cache_size: int = 1024,
    ) -> None:
        self.app = app
        self.prefix = normalize_prefix(prefix)
        self.checker = Checker(
            catalog=catalog,
            hide_suggestions=hide_suggestions,
            reject_warnings=reject_warnings,
            select=select,
            ignore=ignore,
            max_errors=max_errors,
            max_length=max_length,
            max_depth=max_depth,
            max_params=max_params,
            cache_size=cache_size,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in UNCHECKED_METHODS
            or not under_prefix(scope.get("path", ""), self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        verdict = self.checker.check(scope["method"], decode_target(raw_target(scope)))
        if verdict.ok:
            state = scope.setdefault("state", {})
            state["restquery"] = verdict.request
            state["restquery_diagnostics"] = verdict.diagnostics
            await self.app(scope, receive, send)
            return
        await _refuse(verdict, scope, send)


async def _refuse(verdict: Verdict, scope: Scope, send: Send) -> None:
    # The request body is left unread: the server discards it (or closes the connection).
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in json_headers(verdict.body)]
    await send({"type": "http.response.start", "status": verdict.status, "headers": headers})
    body = b"" if scope["method"] == "HEAD" else verdict.body
    await send({"type": "http.response.body", "body": body, "more_body": False})
