"""Applications behind the middlewares in the security suite; importable by a gunicorn worker
started as a subprocess (``apps:flask_app``), which records what reached the view in the file
named by ``RESTQUERY_SEEN``."""

from __future__ import annotations

import json
import os
from typing import Any

import flask

from restquery.integrations.wsgi import RestQueryMiddleware


def flask_app(seen: list[dict[str, Any]] | None = None) -> flask.Flask:
    """A Flask app answering every path; each request that reaches a view is recorded (in
    ``seen``, or appended as a JSON line to the file ``RESTQUERY_SEEN`` names)."""
    app = flask.Flask("restquery-security")

    @app.route("/", defaults={"path": ""}, methods=["GET", "POST", "OPTIONS", "DELETE"])
    @app.route("/<path:path>", methods=["GET", "POST", "OPTIONS", "DELETE"])
    def view(path: str) -> str:
        env = flask.request.environ
        record = {
            "path": flask.request.path,
            "args": sorted(flask.request.args.keys()),
            "checked": "restquery.request" in env,
            "raw": env.get("RAW_URI") or env.get("REQUEST_URI"),
        }
        if seen is not None:
            seen.append(record)
        else:
            with open(os.environ["RESTQUERY_SEEN"], "a", encoding="utf-8") as fh:
                fh.write(json.dumps(record) + "\n")
        return "reached"

    app.wsgi_app = RestQueryMiddleware(app.wsgi_app)  # type: ignore[method-assign]
    return app


def gunicorn_app() -> Any:
    """The WSGI callable gunicorn serves: ``gunicorn 'apps:gunicorn_app()'``."""
    return flask_app()
