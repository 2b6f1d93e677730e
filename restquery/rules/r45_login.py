"""R45: ``$directory/login`` opens a session with a POST request (spec §2.4 P21, §1.7)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic
from restquery.rules._base import METHOD_KNOWN, Context, Rule, rule
from restquery.semantics.facts import path_span


@rule(
    "RQ355",
    "login-method",
    "error",
    spec="R45",
    message="The `$directory/login` request must be sent with POST, not {verb}.",
    when=(METHOD_KNOWN,),
)
def login_method(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With the HTTP method known: ``$directory/login`` sent with a verb other than POST.

    Why: ``POST /rest/$directory/login`` opens a REST session; the credentials travel in the
    ``username-4D`` and ``password-4D`` headers (4D:$directory). Other verbs are refused.

    Example: ``GET /rest/$directory/login`` — error. ``POST /rest/$directory/login`` — valid.

    Fix: send it with POST.

    Spec: R45, §1.7, §2.4.
    """
    if ctx.method is None or ctx.method == "POST" or ctx.shape.form != "P21":
        return
    yield rule.at(
        path_span(ctx),
        hint="send it with POST, credentials in the username-4D and password-4D headers",
        verb=ctx.method,
    )


RULES = (login_method,)
