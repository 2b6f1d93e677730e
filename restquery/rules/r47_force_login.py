"""R47: in force-login mode only descriptive requests and the login requests work before
authentication (spec §7.3, 4D 20 R6+)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import path_span


def _open_before_login(ctx: Context) -> bool:
    """``$catalog``, ``$catalog/$all``, ``$catalog/{dataClass}``, ``$catalog/authentify``,
    ``$getWebForm`` and ``$directory/login``."""
    shape = ctx.shape
    if shape.resource == "webform":
        return True
    if shape.resource == "directory":
        return shape.form == "P21"
    if shape.resource != "catalog":
        return False
    if shape.tail is None:
        return True
    name = shape.tail.name or ""
    if name == "authentify" or ctx.catalog is None:
        return True  # without a catalog `$catalog/{name}` may be a dataclass description
    return ctx.catalog.function(name) is None  # other datastore functions need a session


@rule(
    "RQ357",
    "force-login",
    "warning",
    spec="R47",
    message="In force-login mode this request needs an authenticated session.",
    default=False,
)
def force_login(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """Opt-in, for servers in force-login mode: a request that needs a session.

    Why: with force login (4D 20 R6+) a REST session is created only by a login; before it the
    server answers only ``/rest/$catalog…`` (descriptive), ``/rest/$catalog/authentify``,
    ``/rest/$getWebForm`` and ``/rest/$directory/login`` (4Dv21:authUsers). Everything else is
    refused until the client has authenticated. Whether a given request comes after a login is
    beyond a URL checker, so the rule is off unless selected (``select=["RQ357"]``), e.g. to
    audit the requests a client sends first.

    Example: ``/rest/Employee`` — warning. ``/rest/$catalog/authentify`` — valid.

    Fix: authenticate first (``POST /rest/$catalog/authentify`` or
    ``POST /rest/$directory/login``) and send the request within that session.

    Spec: R47, §11.
    """
    if _open_before_login(ctx):
        return
    yield rule.at(
        path_span(ctx),
        hint="authenticate first with POST /rest/$catalog/authentify or /rest/$directory/login",
    )


RULES = (force_login,)
