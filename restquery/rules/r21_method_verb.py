"""R21: each ``$method`` value goes with one HTTP verb; PUT, PATCH and DELETE are Qodly's
(spec §1.6, §3.13, §7.3, §12 item 11).

These rules run only when the HTTP method is known (``validate(url, method=...)``). Verbs other
than GET, POST, PUT, PATCH and DELETE (HEAD, OPTIONS…) are left alone: the docs say nothing
about them.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic
from restquery.params import METHOD_VERBS
from restquery.rules._base import METHOD_KNOWN, Context, Rule, rule
from restquery.semantics.facts import method_value

#: §3.13: values that change data are sent with POST, reads with GET.
POST_VALUES = frozenset(v for v, verb in METHOD_VERBS.items() if verb == "POST")
GET_VALUES = frozenset(v for v, verb in METHOD_VERBS.items() if verb == "GET")
#: §1.6: verbs only Qodly documents.
QODLY_VERBS = frozenset({"PUT", "PATCH", "DELETE"})
_KNOWN_VERBS = QODLY_VERBS | {"GET", "POST"}


def _qodly_pair(verb: str, value: str) -> bool:
    """A Qodly verb used for what Qodly uses it for (RQ316, not RQ315)."""
    if verb == "GET":
        return value == "delete"
    if verb in ("PUT", "PATCH"):
        return value in ("update", "validate", "insert")
    if verb == "DELETE":
        return value == "delete"
    return False


def _may_call_a_function(ctx: Context) -> bool:
    """The path calls a class function (P12–P14), or may (a single name after the dataclass
    or entity, without a catalog to tell)."""
    shape = ctx.shape
    return shape.function is not None or (shape.tail is not None and shape.tail_kind == "unknown")


@rule(
    "RQ315",
    "method-http-verb",
    "error",
    spec="R21",
    message="A `$method={value}` request must be sent with {required}, not {verb}.",
    when=("$method",),
)
def method_http_verb(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$method`` sent with the wrong HTTP verb (only when the verb is known).

    Why: ``update``, ``delete``, ``validate`` (and Qodly's ``insert``) change data and are sent
    with POST; ``entityset``, ``release`` and ``subentityset`` are reads sent with GET
    (4D:$method). Qodly's ``GET …?$method=delete`` and its PUT/PATCH updates and DELETE deletes
    are RQ316 warnings instead; verbs the docs never mention (HEAD, OPTIONS…) are not checked.
    A class function is called with POST, and real clients add ``$method=entityset`` (and
    paging) to keep its result as an entity set; no doc forbids it, so that is not reported.
    ``$method`` on other resources than dataclasses is R42's business.

    Example: ``GET /rest/Employee?$method=update`` — error.
    ``POST /rest/Employee/$entityset/4C51…?$method=release`` — error.
    ``POST /rest/Employee(22)/?$method=delete`` — valid.
    ``POST /rest/Employee/getHighSalaries?$method=entityset`` — valid.

    Fix: send the request with the verb the value needs.

    Spec: R21, §3.13.
    """
    verb = ctx.method
    value = method_value(ctx)
    if verb is None or value is None or verb not in _KNOWN_VERBS:
        return
    if ctx.shape.resource != "dataclass":
        return  # R42 reports `$method` on other resources
    if value in POST_VALUES:
        required = "POST"
    elif value in GET_VALUES:
        required = "GET"
    else:
        return
    if verb == required or _qodly_pair(verb, value):
        return
    if value == "entityset" and verb == "POST" and _may_call_a_function(ctx):
        return  # a class function POSTed for an entity set of its result: no doc forbids it
    p = ctx.param("$method")
    assert p is not None
    yield rule.at(
        p.span,
        param="$method",
        hint=f"send the request with {required}",
        value=value,
        required=required,
        verb=verb,
    )


@rule(
    "RQ316",
    "http-verb-qodly-only",
    "warning",
    spec="R21",
    message="{what} is documented only by Qodly; 4D expects {expected}.",
    when=(METHOD_KNOWN,),
)
def http_verb_qodly_only(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A Qodly-only verb: ``GET …?$method=delete``, or any PUT, PATCH or DELETE request.

    Why: 4D sends every change with POST (4D:$method, 4D:REST_requests); Qodly also documents
    ``GET {{ApiEndpoint}}/rest/Employee[123]?$method=delete``, ``DELETE …/rest/Employee[123]``
    and PUT/PATCH updates (§1.6, §12 item 11, §7.4). A 4D server may reject them. Reported only
    when the HTTP method is known.

    Example: ``DELETE /rest/Employee[123]`` — warning. ``GET /rest/Employee[123]?$method=delete``
    — warning. ``POST /rest/Employee[123]?$method=delete`` — valid.

    Fix: send ``POST`` with ``$method=delete`` or ``$method=update``.

    Spec: R21, §1.6, §12.
    """
    verb = ctx.method
    if verb is None:
        return
    value = method_value(ctx)
    if verb == "GET" and value == "delete" and ctx.shape.resource == "dataclass":
        p = ctx.param("$method")
        assert p is not None
        yield rule.at(
            p.span,
            param="$method",
            hint="send the request with POST",
            what="A GET request with `$method=delete`",
            expected="POST",
        )
    elif verb == "DELETE":
        hint = "send the request with POST" + (
            "" if value == "delete" else " and add $method=delete"
        )
        yield rule.at(
            ctx.request.path.span,
            hint=hint,
            what="The DELETE verb",
            expected="POST with `$method=delete`",
        )
    elif verb in ("PUT", "PATCH"):
        dataclass = ctx.shape.dataclass or "{dataClass}"
        yield rule.at(
            ctx.request.path.span,
            hint=f"send POST /rest/{dataclass}?$method=update with the entity in the body",
            what=f"The {verb} verb",
            expected="POST with `$method=update`",
        )


RULES = (method_http_verb, http_verb_qodly_only)
