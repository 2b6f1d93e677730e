"""R1: the path starts with ``/rest`` (spec §7.1)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule


@rule(
    "RQ101",
    "missing-rest-prefix",
    "error",
    spec="R1",
    message="The path does not start with `/rest`.",
)
def missing_rest_prefix(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """The path must start with ``/rest``.

    Why: the 4D REST server only answers under ``/rest``, inserted right after the host and
    port (spec §1.1, [D 4D:gettingStarted]); doc tables that drop it are shorthand.

    Example: ``/Employee(22)`` — error. ``/rest/Employee(22)`` — valid.

    Fix: insert ``/rest`` before the path.

    Spec: R1, §1.1.
    """
    path = ctx.request.path
    if path.prefix:
        return
    start = path.span.start
    origin = ctx.request.origin
    if origin is not None and origin.host == "rest" and not origin.scheme and origin.port is None:
        # "rest/Employee": the leading slash is missing and `rest` reads as a host name.
        start = origin.span.start
        fix = Fix(edits=(Edit(offset=start, length=0, text="/"),), description="insert /")
        yield rule.at((start, origin.span.end), hint="start the path with `/rest`", fix=fix)
        return
    end = path.span.end if path.segments else start
    fix = Fix(edits=(Edit(offset=start, length=0, text="/rest"),), description="insert /rest")
    yield rule.at((start, end), hint="start the path with `/rest`", fix=fix)


RULES = (missing_rest_prefix,)
