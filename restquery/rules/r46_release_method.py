"""R46: ``{dataClass}/$entityset/$release`` releases entity sets with a POST request (spec §2.4
P11)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic
from restquery.rules._base import METHOD_KNOWN, Context, Rule, rule
from restquery.semantics.facts import path_span


@rule(
    "RQ356",
    "release-method",
    "error",
    spec="R46",
    message="The `$entityset/$release` request must be sent with POST, not {verb}.",
    when=(METHOD_KNOWN,),
)
def release_method(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With the HTTP method known: ``$entityset/$release`` sent with a verb other than POST.

    Why: since 4D 21 R4, ``POST /rest/{dataClass}/$entityset/$release`` with a JSON array of
    entity-set IDs in the body releases them (4D:$entityset); it replaces
    ``GET …/$entityset/{id}?$method=release``.

    Example: ``GET /rest/Employee/$entityset/$release`` — error.
    ``POST /rest/Employee/$entityset/$release`` — valid.

    Fix: send it with POST and the IDs in the body.

    Spec: R46, §2.4.
    """
    if ctx.method is None or ctx.method == "POST" or ctx.shape.form != "P11":
        return
    yield rule.at(
        path_span(ctx),
        hint="send it with POST and a JSON array of entity-set IDs in the body",
        verb=ctx.method,
    )


RULES = (release_method,)
