"""ASGI middleware: check every REST request target before the application sees it.

>>> from restquery.integrations.asgi import RestQueryMiddleware
>>> async def app(scope, receive, send): ...
>>> app = RestQueryMiddleware(app, catalog="examples/catalog.json")  # doctest: +SKIP

Every request target is first routed as the server behind will route it
(:mod:`restquery.integrations._target`): a target that some server's normalisation (dot or
empty segments, ``;``, ``\\``, an encoded ``/``, NUL, trailing dots, the absolute form) would
put under ``prefix`` (default ``/rest``) without being literally there, ``CONNECT``, the
asterisk form, and targets longer than ``max_target_length`` (414) are refused. A target under
the prefix is parsed and validated exactly as the client sent it — ASGI ``raw_path`` plus
``query_string``, so diagnostic spans index the client's own text — with the real HTTP method
(HEAD judged as GET; OPTIONS passed through unchecked); a raw ``&`` inside a quoted value is
refused (RQ112), since the application splits the query there. Targets over
:data:`OFF_LOOP_AT` bytes are judged on a worker thread, at most :data:`OFF_LOOP_SLOTS` at a
time, so that no request holds up the event loop.

* Refused: status 400, or 404 when the catalog says a dataclass, attribute or function does
  not exist, or 414 for an over-long target, with the JSON body
  ``{"__ERROR": [...], "diagnostics": [...]}`` (:mod:`restquery.integrations._core`
  documents both). The application is not called.
* Accepted: ``scope["state"]["restquery"]`` holds the parsed :class:`restquery.ast.Request`
  (``request.state.restquery`` in Starlette and FastAPI) and
  ``scope["state"]["restquery_diagnostics"]`` the warnings, if any. An absolute-form target
  naming this server reaches the application reduced to the origin form that was checked.

Other scopes (``lifespan``, ``websocket``) and paths outside the prefix pass through. The
middleware needs no third-party package.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from restquery.integrations._core import (
    Admission,
    Middleware,
    Verdict,
)

__all__ = ["RestQueryMiddleware", "raw_target"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# What a client may leave unencoded in a path (RFC 3986 pchar and "/"): used only when the
# server gives no raw_path, to rebuild one from the decoded path.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"

#: Targets longer than this are judged on a worker thread, so that parsing a long filter never
#: holds up the other requests of the event loop.
OFF_LOOP_AT = 2048

#: At most this many long targets are judged at once; the others wait without blocking the loop.
OFF_LOOP_SLOTS = 2


def raw_target(scope: Scope) -> bytes:
    """The request target as the client sent it: ``raw_path`` (rebuilt from ``path`` when the
    server gives none) and ``?query_string`` when there is one."""
    raw = scope.get("raw_path")
    if raw is None:
        raw = quote(scope.get("path", "/"), safe=_PATH_SAFE).encode("ascii")
    query = scope.get("query_string") or b""
    return bytes(raw) + b"?" + bytes(query) if query else bytes(raw)


def _authorities(scope: Scope) -> list[str]:
    names = [v.decode("latin-1") for k, v in scope.get("headers") or () if k.lower() == b"host"]
    server = scope.get("server")
    if server and server[1] is not None:
        names.append(f"{server[0]}:{server[1]}")
    return names


class RestQueryMiddleware(Middleware):
    """Refuse invalid 4D REST requests with a 4D-style error; hand valid ones, parsed, to
    the ASGI ``app``. The options are those of
    :class:`restquery.integrations._core.Middleware`: ``prefix``, ``catalog``,
    ``hide_suggestions``, ``reject_warnings``, ``select``, ``ignore``, ``max_errors``,
    ``max_target_length``, ``max_length``, ``max_depth``, ``max_params``, ``cache_size``.
    """

    app: ASGIApp
    # The worker-thread slots of the running loop (long targets are validated off the loop).
    _slots: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        target = raw_target(scope)
        admit = functools.partial(
            self.gate.admit,
            scope["method"],
            target,
            authorities=_authorities(scope),
            routed_paths=(scope.get("path") or "",),
            client=(scope.get("client") or ("",))[0],
        )
        admission = await self._off_loop(admit) if len(target) > OFF_LOOP_AT else admit()
        verdict = admission.verdict
        if verdict is not None and not verdict.ok:
            await _refuse(verdict, scope, send)
            return
        if admission.target != target:
            _retarget(scope, admission)
        if verdict is not None:
            state = scope.setdefault("state", {})
            state["restquery"] = verdict.request
            state["restquery_diagnostics"] = verdict.diagnostics
        await self.app(scope, receive, send)

    async def _off_loop(self, admit: Callable[[], Admission]) -> Admission:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # another event loop (trio): judge in place
            return admit()
        if self._slots is None or self._slots[0] is not loop:
            self._slots = (loop, asyncio.Semaphore(OFF_LOOP_SLOTS))
        async with self._slots[1]:
            return await loop.run_in_executor(None, admit)


def _retarget(scope: Scope, admission: Admission) -> None:
    # An absolute-form target for this server, reduced to origin-form: what the application
    # (and a proxy behind) sees is the target that was judged.
    raw_path, _, query = admission.target.partition(b"?")
    scope["raw_path"] = raw_path
    scope["path"] = unquote_to_bytes(raw_path).decode("utf-8", "replace")
    scope["query_string"] = query


async def _refuse(verdict: Verdict, scope: Scope, send: Send) -> None:
    # The request body is left unread: the server discards it (or closes the connection).
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in verdict.headers()]
    await send({"type": "http.response.start", "status": verdict.status, "headers": headers})
    body = b"" if scope["method"] == "HEAD" else verdict.body
    await send({"type": "http.response.body", "body": body, "more_body": False})
