"""R7: a parameter given twice (spec §1.2, §7.1).

Names are compared by documented spelling (``$orderby`` and ``$orderBy`` are the same
parameter); ``$top`` and ``$limit`` are two names for one setting, which is R30's business.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic
from restquery.rules._base import ANY_PARAMETER, Context, Rule, rule

__all__ = ["RULES"]


@rule(
    "RQ110",
    "duplicate-parameter",
    "warning",
    spec="R7",
    message="The parameter `{name}` is given more than once.",
    when=(ANY_PARAMETER,),
)
def duplicate_parameter(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """The same parameter given twice or more.

    Why: the docs never repeat a parameter and do not say which occurrence the server keeps; a
    repeated ``$filter`` or ``$top`` is usually a URL built by concatenation, and one of the
    two values is silently lost.

    Example: ``/rest/Employee?$top=10&$top=20`` — warning (on the second ``$top``).
    ``/rest/Employee?$top=10&$skip=20`` — valid.

    Fix: keep one occurrence (the repeated one is removed when both values are the same).

    Spec: R7, §1.2.
    """
    for name, occurrences in ctx.params.items():
        if len(occurrences) < 2:
            continue
        first = occurrences[0]
        for p in occurrences[1:]:
            same = p.value == first.value
            if same:
                hint = f"remove the repeated `{p.name}`"
                fix = (
                    ctx.remove_param(p, f"remove the repeated {name}")
                    if ctx.url is not None
                    else None
                )
            else:
                hint = f"keep one `{name}`: the values differ"
                fix = None
            yield rule.at(p.span, param=name, hint=hint, fix=fix, name=name)


RULES = (duplicate_parameter,)
