"""The client side of ``restquery proxy``: uvicorn's h11 protocol, hardened for a server that
faces the network.

uvicorn (as of 0.55) leaves three gaps that :func:`guarded_h11` closes:

* **No timeout on a request head.** ``timeout_keep_alive`` starts only once a response is
  complete, so a connection that never finishes its first head (or trickles the next one)
  stays open for ever. Here a head must be whole within ``head_timeout`` seconds of the
  connection opening (or of its first byte, on a kept-alive connection); otherwise the client
  gets a **408** with an ``__ERROR`` body and the connection is closed — or it is closed
  without a word when the client has sent nothing at all, since an unsolicited 408 on an idle
  connection could be read by a client as the answer to the request it is about to send.
* **No bound on connections.** ``limit_concurrency`` answers 503 only once a request head is
  complete, in plain text, so connections that never send one are never refused. Here a
  connection beyond ``max_connections`` open ones is answered a **503** with an ``__ERROR``
  body at once, without reading from it, and closed: each refusal costs one ``accept`` and one
  write, while a listener that stopped accepting would leave every later client, legitimate or
  not, hanging in the kernel's backlog until the flood stops.
* **A half-closed client is taken for a gone one.** uvicorn closes the transport at the first
  EOF, so a client that sends its request and shuts down its sending side
  (``shutdown(SHUT_WR)``, as ``nc -N`` and many scripts do) gets nothing back. Here an EOF
  that arrives once the request is whole leaves the connection open for the response, which is
  then the last one on it. A client that really went away is noticed at the next write (the
  peer's TCP stack answers it with a reset), so a download nobody reads still stops.

And a request that h11 cannot parse is answered a **400** with an ``__ERROR`` body, like every
other refusal, rather than uvicorn's plain text.
"""

from __future__ import annotations

import asyncio
import http
import time
from typing import Any, cast

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from restquery.integrations._core import COMPONENT_SIGNATURE, json_headers, plain_error_body

__all__ = ["GuardedH11Protocol", "guarded_h11"]

#: A saturated server logs its refusals at most once per this many seconds: a flood must not
#: turn into a flood of log lines.
REFUSAL_LOG_INTERVAL = 10.0


def error_response(status: int, message: str, signature: str) -> bytes:
    """A whole HTTP/1.1 response carrying a one-entry ``__ERROR`` body, ending the
    connection: what is written when no ASGI application is involved."""
    body = plain_error_body(message, status, signature)
    lines = [f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}"]
    lines += [f"{name}: {value}" for name, value in json_headers(body)]
    lines.append("connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class GuardedH11Protocol(H11Protocol):
    """:class:`~uvicorn.protocols.http.h11_impl.H11Protocol` with a head timeout, a connection
    limit and half-close support (module docstring). Use :func:`guarded_h11` for a subclass
    with its settings; this class itself has neither limit, only the half-close support."""

    #: Seconds a request head may take (``None``: no limit).
    head_timeout: float | None = None
    #: Open connections beyond which new ones are refused (``None``: no limit).
    max_connections: int | None = None
    #: ``componentSignature`` of the 408 and 503 bodies.
    signature: str = COMPONENT_SIGNATURE
    #: When a refusal was last logged (per configured subclass).
    _refusals_logged_at: float = float("-inf")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._refused = False
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_started = False

    # -- the connection limit ----------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        limit = self.max_connections
        if limit is not None and len(self.connections) >= limit:
            self._refused = True
            self._log_refusal(limit)
            transport.write(
                error_response(
                    503,
                    "The server has too many open connections: try again later.",
                    self.signature,
                )
            )
            transport.close()
            return
        super().connection_made(transport)
        self._arm_head_timer()

    def _log_refusal(self, limit: int) -> None:
        now = time.monotonic()
        cls = type(self)
        if now - cls._refusals_logged_at >= REFUSAL_LOG_INTERVAL:
            cls._refusals_logged_at = now
            self.logger.warning("Refusing connections: %d are open, the limit.", limit)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._refused:  # never counted, nothing set up: nothing to undo
            return
        self._disarm_head_timer()
        super().connection_lost(exc)

    # -- the head timeout --------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        # Still IDLE after the bytes went through h11: they are (part of) a head not yet whole.
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self._head_started = True
            self._arm_head_timer()
        else:
            self._disarm_head_timer()

    def _arm_head_timer(self) -> None:
        # Armed once per head: later bytes of the same head must not push the deadline back,
        # or a client trickling a byte at a time would never reach it.
        if self.head_timeout is not None and self._head_timer is None:
            self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _disarm_head_timer(self) -> None:
        self._head_started = False
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self._head_started:
            self.logger.info("Closing a connection whose request head did not arrive in time.")
            self.transport.write(
                error_response(408, "The request head did not arrive in time.", self.signature)
            )
        self.transport.close()

    # -- unparsable requests -----------------------------------------------------------------

    def send_400_response(self, msg: str) -> None:
        # uvicorn answers what h11 cannot parse in plain text: here it is the one JSON format
        # of every other refusal. Once a response has started, nothing can be said but the cut.
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(
                error_response(400, "The request is not valid HTTP/1.1.", self.signature)
            )
        self.transport.close()

    # -- half-close --------------------------------------------------------------------------

    def eof_received(self) -> bool | None:  # type: ignore[override]
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete and self.conn.their_state is h11.DONE:
            # The request is whole and its answer still due: keep the sending side open for it,
            # and close once it is out, as nothing more can come from this client.
            cycle.keep_alive = False
            return True
        return None  # as uvicorn does: the transport closes, and the request (if any) ends


def guarded_h11(
    *, head_timeout: float | None, max_connections: int | None, signature: str
) -> type[GuardedH11Protocol]:
    """A :class:`GuardedH11Protocol` subclass with these settings, for uvicorn's ``http=``."""
    for name, value in (("head_timeout", head_timeout), ("max_connections", max_connections)):
        if value is not None and not value > 0:
            raise ValueError(f"{name} must be positive (or None), not {value!r}")
    settings = {
        "head_timeout": head_timeout,
        "max_connections": max_connections,
        "signature": signature,
    }
    return cast(
        "type[GuardedH11Protocol]", type("GuardedH11Protocol", (GuardedH11Protocol,), settings)
    )
