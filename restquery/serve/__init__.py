"""``restquery serve``: a 4D-like REST server for tests, served from a catalog.

It answers the read forms (a dataclass, an entity by key or look-up, an attribute, related
entities, ``$filter``, ``$orderby``, ``$top``/``$skip``, ``$attributes``, ``$expand``,
``$compute``, ``$distinct``, ``$binary`` and ``$imageformat`` downloads, entity sets with
``$method=entityset``, ``$timeout``, ``$logicOperator`` and release, ``$catalog``, ``$info``),
``$method=update`` and ``delete``, and the catalog's class functions as stubs returning a
configured value, in 4D's documented response shapes (``responses.schema.json`` beside this
module). Every request is first validated by restquery's ASGI middleware (and a
:class:`~restquery.Policy` when given): what restquery refuses never reaches the data.

The data lives in SQLite through SQLAlchemy (:mod:`restquery.sql` translates the filters),
in memory or in a file; without ``data`` each dataclass gets rows drawn from the catalog's
types, the same for the same ``seed``.

>>> import restquery
>>> from restquery.serve import create_app
>>> app = create_app(restquery.Catalog.from_json("examples/catalog.json"))  # doctest: +SKIP

Needs Starlette, uvicorn and SQLAlchemy: ``pip install "restquery[serve]"``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["configure", "create_app", "run"]

_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_app(
    catalog: Any,
    *,
    data: str | Path | None = None,
    database: str | Path | None = None,
    rows: int = 12,
    seed: int = 0,
    functions: Mapping[str, Any] | None = None,
    policy: Any = None,
) -> Any:
    """The stand-in as an ASGI application (Starlette behind
    :class:`~restquery.integrations.asgi.RestQueryMiddleware`).

    ``catalog``: a :class:`~restquery.Catalog`. ``data``: a JSON file of entities per
    dataclass (otherwise ``rows`` seeded rows per dataclass, drawn with ``seed``).
    ``database``: a SQLite file (default: in memory); one that holds data already is served as
    it is, without seeding or loading ``data``. ``functions``: the value each function
    returns, by ``"Dataclass.function"``, ``"$catalog.function"`` or
    ``"$singleton.Class.function"`` (default ``null``; an object with ``__ENTITIES``,
    ``__KEY`` or ``__ERROR`` is answered as it is). ``policy``: a :class:`~restquery.Policy`
    (or its table, or a TOML file) the middleware applies.
    """
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request as HttpRequest
    from starlette.responses import Response
    from starlette.routing import Route

    from restquery.integrations.asgi import RestQueryMiddleware
    from restquery.serve._answer import Answer, Reply, error
    from restquery.serve._store import Store
    from restquery.shape import classify

    store = Store(catalog, str(database) if database else None)
    if not store.empty():
        pass  # a database file that holds data already: served as it is
    elif data is not None:
        store.load(data)
    else:
        store.seed(rows=rows, seed=seed)
    answer = Answer(store, functions)

    def respond(reply: Reply) -> Response:
        status, payload, headers = reply
        headers = dict(headers)
        if isinstance(payload, bytes):
            kind = headers.pop("content-type", "application/octet-stream")
            return Response(payload, status_code=status, media_type=kind, headers=headers)
        if isinstance(payload, str):
            return Response(payload, status_code=status, media_type="text/html", headers=headers)
        body = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), default=str).encode("ascii")
        return Response(body, status_code=status, media_type="application/json", headers=headers)

    async def rest(http: HttpRequest) -> Response:
        parsed = getattr(http.state, "restquery", None)
        if parsed is None:  # OPTIONS, which the middleware lets through unchecked
            return Response(status_code=204, headers={"allow": ", ".join(_METHODS)})
        body = await http.body()

        def work() -> Reply:
            try:
                return answer(http.method, parsed, classify(parsed, catalog), body)
            except Exception:  # a bug of the stand-in: a 4D-shaped 500, and the traceback logged
                import logging

                logging.getLogger("restquery.serve").exception("restquery serve failed on %s %s", http.method, http.url)
                return error(500, 1, "The stand-in failed on this request")

        return respond(await run_in_threadpool(work))

    async def elsewhere(http: HttpRequest) -> Response:
        return respond(error(404, 1, "Not a REST resource: the stand-in answers under /rest"))

    app = Starlette(routes=[
        Route("/rest", rest, methods=_METHODS),
        Route("/rest/{path:path}", rest, methods=_METHODS),
        Route("/{path:path}", elsewhere, methods=_METHODS),
    ])
    return RestQueryMiddleware(app, catalog=catalog, policy=policy)


def configure(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``restquery serve`` to ``p``."""
    from restquery.cli import PROJECT_HELP
    from restquery.integrations.proxy import _count, _port

    schema = p.add_mutually_exclusive_group(required=True)
    schema.add_argument("--catalog", metavar="FILE", help="a $catalog/$all JSON document to serve")
    schema.add_argument("--project", metavar="DIR", help=PROJECT_HELP)
    p.add_argument("--data", metavar="FILE.json",
                   help='entities per dataclass, {"Employee": [{"ID": 1, ...}], ...} (default: seeded rows)')
    p.add_argument("--database", metavar="FILE", help="keep the data in this SQLite file (default: in memory)")
    p.add_argument("--rows", type=_count, default=12, metavar="N",
                   help="seeded entities per dataclass, without --data (default: 12)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the seeded rows (default: 0)")
    p.add_argument("--functions", metavar="FILE.json",
                   help='what each function returns, {"Employee.getHighSalaries": [...], ...} (default: null)')
    p.add_argument("--policy", metavar="FILE",
                   help="limits and allow-lists applied before answering (docs/policy.md)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8044, help="port to listen on (default: 8044; 0 picks one)")
    p.add_argument("--log-level", default="warning",
                   choices=["critical", "error", "warning", "info", "debug"], help="uvicorn's log level")


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; the exit status (0; a usage or start-up error exits 2). Prints
    ``restquery serve: listening on URL`` once the socket is bound."""

    from restquery.cli import _UsageError, require, schema_argument
    from restquery.errors import RestQueryError

    require("serve", "sqlalchemy", "starlette", "uvicorn")
    import uvicorn

    catalog = schema_argument(args)
    functions = None
    if args.functions:
        try:
            functions = json.loads(Path(args.functions).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise _UsageError(f"{args.functions}: cannot read the functions file: {exc}") from None
        if not isinstance(functions, dict):
            raise _UsageError(f"{args.functions}: the functions file must hold an object")
    try:
        app = create_app(catalog, data=args.data, database=args.database, rows=args.rows, seed=args.seed,
                         functions=functions, policy=args.policy)
    except RestQueryError as err:
        raise _UsageError(" ".join(str(err).split())) from None
    import socket

    try:
        sock = socket.create_server((args.host, args.port))
    except OSError as err:
        raise _UsageError(f"cannot listen on {args.host}:{args.port}: {err.strerror or err}") from None
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    config = uvicorn.Config(app, log_level=args.log_level, lifespan="off", server_header=False)
    server = uvicorn.Server(config)
    print(f"restquery serve: listening on http://{shown}:{port}", file=sys.stderr, flush=True)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        return 0
    finally:
        sock.close()
    return 0
