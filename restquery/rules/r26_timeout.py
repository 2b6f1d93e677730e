"""R26: ``$timeout`` sets the lifetime of an entity set created with ``$method=entityset``, or
the timeout of an ``$upload`` (spec §3.15, §7.3, §7.4).

Documented: ``/rest/Person/?$filter="lastName!=Jones"&$method=entityset&$timeout=600``; Qodly
also shows ``/rest/Employee/$entityset/{id}?$timeout=7200`` to reset an entity set's expiry
[X], which stays a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Integer, RawValue
from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import method_value, value_span


@rule(
    "RQ324",
    "timeout-context",
    "warning",
    spec="R26",
    message="The `$timeout` parameter only applies with `$method=entityset` or on `$upload`.",
    when=("$timeout",),
)
def timeout_context(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$timeout`` without ``$method=entityset`` and not on ``$upload``.

    Why: 4D documents ``$timeout`` as the lifetime of the entity set that ``$method=entityset``
    creates, and as the upload timeout of ``$upload`` (4D:$timeout, 4D:$upload). Qodly also
    sends it on an entity-set read to reset its expiry; 4D does not say so (§3.15, §7.4), hence a
    warning there too. On other resources than dataclasses and ``$upload`` R42 reports it.

    Example: ``GET /rest/Employee?$timeout=600`` — warning.
    ``GET /rest/Employee/$entityset/CB1BCC603DB0416D939B4ED379277F02?$timeout=7200`` — warning.
    ``GET /rest/People/?$filter="ID>320"&$method=entityset&$timeout=600`` — valid.

    Fix: add ``&$method=entityset`` when creating an entity set, or remove ``$timeout``.

    Spec: R26, §3.15.
    """
    if ctx.shape.resource != "dataclass" or method_value(ctx) == "entityset":
        return  # fine on $upload; on other resources R42 reports it
    for p in ctx.params.get("$timeout", ()):
        yield rule.at(
            p.span,
            param="$timeout",
            hint="add &$method=entityset when creating an entity set, or remove $timeout",
        )


@rule(
    "RQ325",
    "invalid-timeout",
    "error",
    spec="R26",
    message="The `$timeout` parameter takes a positive number of seconds, not {value}.",
    when=("$timeout",),
)
def invalid_timeout(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$timeout`` whose value is not a positive whole number of seconds.

    Why: the value is a lifetime in seconds (``600``, ``1200``, ``7200``; 4D:$timeout); zero, a
    negative number, text, a decimal or a missing value is no lifetime, as ``$top=ten`` is no
    count (R30): an error, like the other numeric parameters.

    Example: ``/rest/People/?$filter="ID>320"&$method=entityset&$timeout=10m`` — error.
    ``/rest/People/?$filter="ID>320"&$method=entityset&$timeout=1.5`` — error.
    ``/rest/People/?$filter="ID>320"&$method=entityset&$timeout=600`` — valid.

    Fix: give the number of seconds, such as ``$timeout=600``.

    Spec: R26, §3.15.
    """
    for p in ctx.params.get("$timeout", ()):
        value = p.value
        if isinstance(value, Integer) and value.value > 0:
            continue
        if isinstance(value, Integer):
            shown = f"`{value.raw or value.value}`"
        elif isinstance(value, RawValue) and value.text:
            shown = f"`{value.text}`"
        else:
            shown = "an empty value"
        yield rule.at(
            value_span(p),
            param="$timeout",
            hint="give the number of seconds, such as 600",
            value=shown,
        )


RULES = (timeout_context, invalid_timeout)
