"""R6: `$` query parameter names are the 29 documented spellings of spec §3, matched
case-insensitively, with a warning on a non-canonical case (spec §1.5, §7.1).

Names without a leading ``$`` are R6b's (:mod:`restquery.rules.r06b_no_dollar`).
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Param, Span
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.params import PARAMETERS
from restquery.rules._base import Context, Rule, rule

__all__ = ["RULES", "name_span"]

#: Names the docs use for a parameter in prose or table headings only (spec §3.22, §12 item 7).
_ALIASES = {"$operator": "$logicOperator"}


def name_span(ctx: Context, param: Param) -> tuple[Span, bool]:
    """The span of ``param``'s name in the URL, and whether it is known exactly (the URL text
    is at hand and spells the decoded name as is, so an edit may replace it)."""
    start, end = param.span
    url = ctx.url
    if url is None:
        return Span(start, end), False
    eq = url.find("=", start, end)
    name_end = eq if eq >= 0 else end
    return Span(start, name_end), url[start:name_end] == param.name


def _replace(span: Span, text: str, description: str) -> Fix:
    return Fix(edits=(Edit(offset=span.start, length=span.end - span.start, text=text),),
               description=description)


@rule(
    "RQ107",
    "unknown-parameter",
    "error",
    spec="R6",
    message="The parameter `{name}` is not a query parameter of the REST server.",
)
def unknown_parameter(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A ``$`` parameter name that is none of the 29 documented spellings.

    Why: the server only understands the parameters of spec §3 (``$filter``, ``$orderby``,
    ``$top``...); any other ``$`` name is either a typo or a feature that does not exist, and
    the request will not do what it says.

    Example: ``/rest/Employee?$fitler="lastName=Jones"`` — error (did you mean ``$filter``?).
    ``/rest/Employee?$filter="lastName=Jones"`` — valid.

    Fix: use the documented parameter name.

    Spec: R6, §3.
    """
    for p in ctx.iter_params():
        if not p.name.startswith("$") or p.canonical is not None:
            continue
        span, _ = name_span(ctx, p)
        alias = _ALIASES.get(p.name.lower())
        if alias is not None:
            hint: str | None = f"write `{alias}`"
        else:
            hint = ctx.did_you_mean(p.name, PARAMETERS)
        yield rule.at(span, param=p.name, hint=hint, name=p.name)


@rule(
    "RQ108",
    "parameter-spelling",
    "warning",
    spec="R6",
    message="The parameter `{name}` is spelled `{canonical}` in the documentation.",
)
def parameter_spelling(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A known parameter written in another case than its documented spelling.

    Why: the server matches parameter names without regard to case, and the docs themselves
    write ``$atonce`` once for ``$atOnce``, but other tools (proxies, caches, log filters) and
    readers look for the documented spelling (spec §1.5 [X]).

    Example: ``/rest/Employee?$orderBy="lastName"`` — warning. ``$atonce=true`` — warning.
    ``/rest/Employee?$orderby="lastName"`` — valid.

    Fix: write the documented spelling.

    Spec: R6, §1.5, §12 item 7.
    """
    for p in ctx.iter_params():
        canonical = p.canonical
        if canonical is None or p.name == canonical:
            continue
        span, exact = name_span(ctx, p)
        fix = _replace(span, canonical, f"write {canonical}") if exact else None
        yield rule.at(
            span, param=canonical, hint=f"write `{canonical}`", fix=fix, name=p.name,
            canonical=canonical,
        )


RULES = (unknown_parameter, parameter_spelling)
