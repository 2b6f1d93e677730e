"""R6: `$` query parameter names are the 29 documented spellings of spec §3, matched
case-insensitively, with a warning on a non-canonical case (spec §1.5, §7.1).

Names without a leading ``$`` are R6b's (:mod:`restquery.rules.r06b_no_dollar`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from restquery.ast import Param, Span
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.params import PARAMETERS, TABLE
from restquery.rules._base import ANY_PARAMETER, Context, Rule, rule
from restquery.semantics.facts import name_span

__all__ = ["RULES", "quoted_ampersands"]

#: Names the docs use for a parameter in prose or table headings only (spec §3.22, §12 item 7).
_ALIASES = {old.lower(): p.name for p in TABLE for old in p.old_names}


def _replace(span: Span, text: str, description: str) -> Fix:
    return Fix(edits=(Edit(offset=span.start, length=span.end - span.start, text=text),),
               description=description)


@rule(
    "RQ107",
    "unknown-parameter",
    "error",
    spec="R6",
    message="The parameter `{name}` is not a query parameter of the REST server.",
    when=(ANY_PARAMETER,),
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
    when=(ANY_PARAMETER,),
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


def quoted_ampersands(rule: Rule, url: str, params: Iterable[Param]) -> Iterator[Diagnostic]:
    """A finding of ``rule`` (RQ112) for each parameter of ``url`` whose quoted value holds raw
    ``&`` characters. restquery reads such a value whole (spec §1.3); ``parse_qsl``,
    Starlette, werkzeug and, possibly, 4D split the query on every ``&`` and see other
    parameters in it. The server integrations refuse what this finds, whatever the rule
    selection."""
    for p in params:
        if not p.quote:
            continue
        start, end = p.span
        at = url.find("&", start, end)
        offsets = []
        while at >= 0:
            offsets.append(at)
            at = url.find("&", at + 1, end)
        if not offsets:
            continue
        name = p.canonical or p.name
        yield rule.at(
            Span(offsets[0], offsets[-1] + 1),
            param=name,
            hint="write `&` as `%26` inside the quoted value",
            fix=Fix(
                edits=tuple(Edit(offset=at, length=1, text="%26") for at in offsets),
                description="write the `&` inside the quoted value as %26",
            ),
            name=name,
        )


@rule(
    "RQ112",
    "ampersand-in-quoted-value",
    "warning",
    spec="R6",
    message="The quoted {name} value holds a raw `&`: other HTTP stacks split parameters there.",
    when=(ANY_PARAMETER,),
)
def ampersand_in_quoted_value(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A raw ``&`` inside a quoted parameter value.

    Why: restquery, like the docs, reads a quoted value to its closing quote (spec §1.3), so
    ``$filter="a=1 & b=2"`` is one parameter. Python's ``parse_qsl``, Starlette, werkzeug,
    and possibly the 4D server itself split the query on every ``&``: they see a truncated
    filter and, after it, whatever parameters the value spells, such as
    ``$filter="lastName='x&$method=delete&'"``. Servers embedding restquery refuse such a
    request; written ``%26``, the ``&`` is data for every reader.

    Example: ``/rest/Employee?$filter="a=1 & b=2"`` — warning.
    ``/rest/Employee?$filter="a=1 %26 b=2"`` and ``$filter="a=1 AND b=2"`` — valid.

    Fix: write each ``&`` inside the quoted value as ``%26`` (or use ``AND`` in a filter).

    Spec: R6, §1.3, §1.4.
    """
    if ctx.url is not None:  # a tree alone no longer tells a raw `&` from `%26`
        yield from quoted_ampersands(rule, ctx.url, ctx.iter_params())


RULES = (unknown_parameter, parameter_spelling, ampersand_in_quoted_value)
