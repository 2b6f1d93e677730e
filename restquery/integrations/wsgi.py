"""WSGI middleware: check every REST request target before the application sees it.

>>> from flask import Flask  # doctest: +SKIP
>>> from restquery.integrations.wsgi import RestQueryMiddleware
>>> app = Flask(__name__)  # doctest: +SKIP
>>> app.wsgi_app = RestQueryMiddleware(app.wsgi_app, catalog="catalog.json")  # doctest: +SKIP

The same routing decision, checks, statuses and body as :mod:`restquery.integrations.asgi`
(the decision is also taken on ``SCRIPT_NAME + PATH_INFO``, which the framework routes by: a
request werkzeug or gunicorn would route under the prefix is never let through unchecked). The target is the
undecoded one the server read from the request line — ``RAW_URI`` (gunicorn, werkzeug) or
``REQUEST_URI`` (uWSGI, werkzeug, mod_wsgi) — so diagnostic spans index the client's text; a
server that gives neither gets a target rebuilt from ``SCRIPT_NAME``, ``PATH_INFO`` and
``QUERY_STRING``. Accepted requests carry the parsed tree in ``environ["restquery.request"]``
(``flask.request.environ``) and the warnings in ``environ["restquery.diagnostics"]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from restquery.integrations._core import (
    REASONS,
    Middleware,
)

__all__ = ["RestQueryMiddleware", "raw_target"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def _bytes(native: str) -> bytes:
    # PEP 3333: environ strings carry the request bytes one character per byte.
    try:
        return native.encode("latin-1")
    except UnicodeEncodeError:  # a server that broke the rule: take its text as UTF-8
        return native.encode("utf-8", "surrogateescape")


def raw_target(environ: dict[str, Any]) -> bytes:
    """The request target as the client sent it (see the module docstring)."""
    for key in ("RAW_URI", "REQUEST_URI"):
        value = environ.get(key)
        if value:
            return _bytes(value)
    path = _bytes(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
    target = quote(path, safe=_PATH_SAFE).encode("ascii")
    query = environ.get("QUERY_STRING", "")
    return target + b"?" + _bytes(query) if query else target


def _authorities(environ: dict[str, Any]) -> list[str]:
    names = [environ["HTTP_HOST"]] if environ.get("HTTP_HOST") else []
    if environ.get("SERVER_NAME"):
        names.append(f"{environ['SERVER_NAME']}:{environ.get('SERVER_PORT', '')}")
    return names


class RestQueryMiddleware(Middleware):
    """Refuse invalid 4D REST requests with a 4D-style error; hand valid ones, parsed, to
    the WSGI ``app``. Options as for :class:`restquery.integrations.asgi.RestQueryMiddleware`
    (:class:`restquery.integrations._core.Middleware`)."""

    app: WSGIApp

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        target = raw_target(environ)
        admission = self.gate.admit(
            method,
            target,
            authorities=_authorities(environ),
            # PATH_INFO is what the framework routes by (werkzeug merges and strips slashes).
            routed_paths=(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),),
            client=environ.get("REMOTE_ADDR"),
        )
        verdict = admission.verdict
        if verdict is not None and not verdict.ok:
            status = f"{verdict.status} {REASONS.get(verdict.status, '')}".rstrip()
            start_response(status, verdict.headers())
            return [b"" if method == "HEAD" else verdict.body]
        if admission.target != target:
            # An absolute-form target for this server: the application sees the origin form.
            native = admission.target.decode("latin-1")
            for key in ("RAW_URI", "REQUEST_URI"):
                if key in environ:
                    environ[key] = native
        if verdict is not None:
            environ["restquery.request"] = verdict.request
            environ["restquery.diagnostics"] = verdict.diagnostics
        return self.app(environ, start_response)
