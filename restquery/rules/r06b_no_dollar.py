"""R6b: query parameters without a leading ``$`` are not part of the language; the server
ignores them (spec §1.2, §7.1, §12 item 6).

The ``$filter`` page shows ``/rest/Person/?filter="objAttribute.prop2 == 9181"`` (a typo for
``$filter``), and doc tables write a space after ``&`` (``...& $method=delete``, §1.2, §12 item
16). Both are warnings: the request is served, without the parameter.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.params import PARAMETERS, canonical_name
from restquery.rules._base import ANY_PARAMETER, Context, Rule, rule
from restquery.semantics.facts import name_span

__all__ = ["RULES"]

# What may stand before the `$` of a parameter name by accident: doc tables' space after `&`,
# and Qodly's `&?$timeout=` template (§1.2).
_STRAY = " \t?"


def _describe(junk: str) -> str:
    if junk.strip(" \t") == "":
        return "the space" if len(junk) == 1 else "the spaces"
    if junk == "?":
        return "the `?`"
    return f"`{junk}`"


@rule(
    "RQ109",
    "parameter-without-dollar",
    "warning",
    spec="R6b",
    message="The parameter name `{name}` does not start with `$`; the server ignores it.",
    when=(ANY_PARAMETER,),
)
def parameter_without_dollar(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A query parameter whose name does not start with ``$``.

    Why: every parameter of the REST server starts with ``$``; ``filter=...`` (a typo on the
    ``$filter`` page) or ``& $method=delete`` (a space after ``&`` in doc tables) name no
    parameter, so the server ignores them and answers as if they were absent — an unfiltered
    selection, or a read instead of a delete.

    Example: ``/rest/Person/?filter="lastName=Smith"`` — warning (add ``$``).
    ``/rest/Employee(22)?& $method=delete`` — warning (remove the space).
    ``/rest/Person/?$filter="lastName=Smith"`` — valid.

    Fix: write the parameter with its ``$`` and no space before it.

    Spec: R6b, §1.2, §12 items 6 and 16.
    """
    for p in ctx.iter_params():
        name = p.name
        if name.startswith("$"):
            continue
        span, exact = name_span(ctx, p)
        stripped = name.lstrip(_STRAY)
        hint: str | None
        fix = None
        if stripped.startswith("$"):
            known = canonical_name(stripped)
            junk = name[: len(name) - len(stripped)]
            hint = f"remove {_describe(junk)} before `{stripped}`"
            if exact:
                fix = Fix(
                    edits=(Edit(offset=span.start, length=len(junk), text=""),),
                    description=f"remove {_describe(junk)}",
                )
        else:
            known = canonical_name("$" + name)
            if known is not None:
                hint = f"add `$`: `${name}`"
                if exact:
                    fix = Fix(
                        edits=(Edit(offset=span.start, length=0, text="$"),),
                        description=f"write ${name}",
                    )
            else:
                hint = ctx.did_you_mean("$" + name, PARAMETERS)
        yield rule.at(span, param=known, hint=hint, fix=fix, name=name)


RULES = (parameter_without_dollar,)
