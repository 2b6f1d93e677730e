"""restquery inside servers: refuse bad REST URLs with a 4D-style error before they cost anything.

* :mod:`restquery.integrations.asgi` — ``RestQueryMiddleware`` for Starlette, FastAPI and any
  ASGI application (no third-party dependency);
* :mod:`restquery.integrations.wsgi` — ``RestQueryMiddleware`` for Flask and any WSGI
  application (no third-party dependency);
* :mod:`restquery.integrations.proxy` — ``restquery proxy``, a validating reverse proxy in front
  of a 4D server (needs ``uvicorn`` and ``httpx``: ``pip install 'restquery[proxy]'``).

The three share :mod:`restquery.integrations._core`: the HTTP status of a rejected request
(400, or 404 when the catalog says a dataclass, attribute or function does not exist, spec
§8.1), the ``{"__ERROR": [...], "diagnostics": [...]}`` body (spec §8.2) and a bounded cache of
verdicts keyed by (method, raw target). See ``docs/servers.md``.

Nothing is imported here, so ``import restquery`` never pulls in a web framework.
"""

from __future__ import annotations

__all__: list[str] = []
