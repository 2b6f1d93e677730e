"""R37: ``$querypath`` and ``$queryplan`` describe the query of a ``$filter`` (spec §3.24,
§3.25)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Boolean
from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule


@rule(
    "RQ341",
    "query-info-without-filter",
    "warning",
    spec="R37",
    message="The `{name}` parameter describes a query, but the request has no `$filter`.",
    when=("$querypath", "$queryplan"),
)
def query_info_without_filter(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$querypath`` or ``$queryplan`` on a request without ``$filter``.

    Why: ``$querypath=true`` returns the query as executed and ``$queryplan=true`` the query as
    planned (4D:$querypath, 4D:$queryplan); without ``$filter`` there is no query to describe
    and the request returns only data.

    Example: ``/rest/Employee?$querypath=true`` — warning.
    ``/rest/Employee?$filter="lastName=Jones"&$querypath=true`` — valid.

    Fix: add the ``$filter`` whose execution you want to see, or remove the parameter.

    Spec: R37, §3.24, §3.25.
    """
    if ctx.shape.resource != "dataclass" or ctx.has("$filter"):
        return  # on descriptive resources R42 reports every parameter
    for name in ("$querypath", "$queryplan"):
        for p in ctx.params.get(name, ()):
            if isinstance(p.value, Boolean) and not p.value.value:
                continue
            yield rule.at(
                p.span,
                param=name,
                hint=f"add a $filter to describe, or remove {p.name}",
                name=p.name,
            )


RULES = (query_info_without_filter,)
