"""R6: `$` query parameter names are the 29 documented spellings of spec §3, matched
case-insensitively, with a warning on a non-canonical case (spec §1.5, §7.1).

Names without a leading ``$`` are R6b's (:mod:`restquery.rules.r06b_no_dollar`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from restquery.ast import Param, Request, Span
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.errors import RestQueryError
from restquery.params import PARAMETERS, TABLE, names
from restquery.syntax.decode import decode
from restquery.rules._base import ANY_PARAMETER, Context, Rule, rule
from restquery.semantics.facts import name_span

__all__ = ["RULES", "quoted_ampersands"]

#: Names the docs use for a parameter in prose or table headings only (spec §3.22, §12 item 7).
_ALIASES = {old.lower(): p.name for p in TABLE for old in p.old_names}
#: OData's names for a parameter (RQ115).
_ODATA = {name.lower(): p.name for p in TABLE for name in p.odata_names}
#: The sort parameters a bare value with a space is a mistake in (the docs write
#: ``$subOrderby=lastName ASC`` bare, spec §3.14).
_SORTS = ("$orderby", "$savedorderby")


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
        if not p.name.startswith("$") or p.canonical is not None or p.name.lower() in _ODATA:
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


#: The parameters whose values are small languages, where a space matters (spec §4–§6, §3.2).
_SPACED = names(kind=("filter", "sort", "attributes", "json"))


def _reads_with_spaces(url: str, method: str | None) -> bool:
    from restquery.errors import RestQueryError
    from restquery.parser import parse

    try:
        parse(url, method=method, plus_as_space=True, max_length=None, max_depth=None,
              max_params=None)
    except RestQueryError:
        return False
    return True


@rule(
    "RQ113",
    "plus-in-value",
    "warning",
    spec="R6",
    message="The {name} value holds a raw `+`: read as a plus here, as a space by HTML forms "
    "and most HTTP client libraries.",
    when=_SPACED,
)
def plus_in_value(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A raw ``+`` in a ``$filter``, ``$orderby``, ``$attributes`` or ``$params`` value (and
    their saved and sub-entity-set forms), when ``+`` is read as a plus.

    Why: RFC 3986 makes ``+`` a plus, and so does restquery by default (spec §1.4); HTML
    forms, Python ``requests``/``httpx`` with ``params=`` and many HTTP libraries write a space
    as ``+``. ``$filter=%22ID%3D1+AND+ID%3D2%22`` is then one comparison whose value is
    ``1+AND+ID=2`` for one reader and two comparisons for the other. Whichever the server
    does, the URL means two things. Servers that know their clients write spaces as ``+``
    read the query that way (``plus_as_space=True``, ``--plus-as-space``): then this rule is
    silent.

    Example: ``/rest/Employee?$filter=%22ID%3D1+AND+ID%3D2%22`` — warning.
    ``/rest/Employee?$filter=%22ID%3D1%20AND%20ID%3D2%22`` — valid.

    Fix: write ``%20`` for a space or ``%2B`` for a plus. The fix writes ``%20`` when the URL
    parses with every ``+`` read as a space, else ``%2B``.

    Spec: R6, §1.4.
    """
    url = ctx.url
    if url is None or ctx.plus_as_space or "+" not in url:
        return
    spaced: bool | None = None
    for p in ctx.iter_params():
        name = p.canonical
        if name not in _SPACED:
            continue
        start, end = p.span
        eq = url.find("=", start, end)
        if eq < 0:
            continue
        plus = [i for i in range(eq + 1, end) if url[i] == "+"]
        if not plus:
            continue
        if spaced is None:
            spaced = _reads_with_spaces(url, ctx.method)
        text = "%20" if spaced else "%2B"
        fix = Fix(
            edits=tuple(Edit(offset=i, length=1, text=text) for i in plus),
            description=f"write each `+` of the {p.name} value as {text}",
        )
        yield rule.at(
            Span(plus[0], plus[0] + 1),
            param=name,
            hint=f"write %20 for a space or %2B for a plus (here {text}), or read `+` as a space",
            fix=fix,
            name=p.name,
        )


def _stray_ampersands(url: str, request: Request) -> Iterator[tuple[int, int, str]]:
    """The runs of ``&`` that separate no two parameters, as ``(start, end, where)``: right
    after the ``?``, after another ``&``, or at the end of the query."""
    end = request.span.end  # before the fragment
    params = request.params
    if not params:
        start = end
        while start > 0 and url[start - 1] == "&":
            start -= 1
        if start < end and start > 0 and url[start - 1] == "?":
            yield start, end, "on either side (the query holds nothing else)"
        return
    first = params[0].span.start
    start = first
    while start > 0 and url[start - 1] == "&":
        start -= 1
    if start < first:
        yield start, first, "before it (right after the `?`)"
    for before, after in zip(params, params[1:]):
        gap, nxt = before.span.end, after.span.start
        if nxt - gap > 1 and url[gap:nxt] == "&" * (nxt - gap):
            yield gap + 1, nxt, "between it and the `&` before it"
    last = params[-1].span.end
    if last < end and url[last:end] == "&" * (end - last):
        yield last, end, "after it (the query ends with it)"


@rule(
    "RQ114",
    "stray-ampersand",
    "warning",
    spec="R6",
    message="This `&` has no parameter {where}.",
)
def stray_ampersand(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """An ``&`` that separates no two parameters: right after the ``?``, doubled, or at the
    end of the query.

    Why: ``&`` separates parameters (spec §1.3); one with nothing on a side stands for an
    empty parameter. Servers and form decoders skip it, so the request means what it would
    without it, but it is most often the mark of a URL built by concatenation that lost a
    parameter (``?$top=10&`` + an empty ``$filter`` part).

    Example: ``/rest/Employee?$top=10&`` — warning. ``/rest/Employee?$top=1&&$skip=2`` —
    warning. ``/rest/Employee?&$top=1`` — warning. ``/rest/Employee?$top=1&$skip=2`` — valid.

    Fix: remove the extra ``&``.

    Spec: R6, §1.3.
    """
    url = ctx.url
    if url is None or "&" not in url:
        return
    for start, end, where in _stray_ampersands(url, ctx.request):
        many = end - start > 1
        yield rule.at(
            Span(start, end),
            hint="remove the extra `&`" + ("s" if many else ""),
            fix=Fix(
                edits=(Edit(offset=start, length=end - start, text=""),),
                description="remove the extra `&`" + ("s" if many else ""),
            ),
            where=where,
        )


@rule(
    "RQ115",
    "odata-parameter",
    "error",
    spec="R6",
    message="`{name}` is OData's; the 4D REST server names this parameter `{canonical}`.",
    when=(ANY_PARAMETER,),
)
def odata_parameter(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A query option spelled as OData spells it (``$select``) where 4D has its own name.

    Why: the REST server of 4D looks like OData and is not: it does not read ``$select``, so
    the request returns every attribute, and a client written for OData silently loads more
    than it asked for. 4D's name for the option is in the parameter table
    (``docs/parameters.md``).

    Example: ``/rest/Employee?$select=lastName,salary`` — error.
    ``/rest/Employee?$attributes=lastName,salary`` — valid.

    Fix: the parameter renamed (when its name is written as is in the URL).

    Spec: R6, §3.4.
    """
    for p in ctx.iter_params():
        canonical = _ODATA.get(p.name.lower())
        if canonical is None or p.canonical is not None:
            continue
        span, exact = name_span(ctx, p)
        fix = _replace(span, canonical, f"rename {p.name} to {canonical}") if exact else None
        yield rule.at(
            span, param=p.name, hint=f"write `{canonical}`", fix=fix, name=p.name,
            canonical=canonical,
        )


@rule(
    "RQ116",
    "unquoted-sort",
    "warning",
    spec="R6",
    message="The {name} value `{text}` holds a space but is not in double quotes.",
    when=_SORTS,
)
def unquoted_sort(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A bare ``$orderby`` (or ``$savedorderby``) value with a space in it: ``name desc``.

    Why: the docs write a sort list in double quotes (``$orderby="lastName desc, salary asc"``,
    spec §1.3, §3.3). Bare, its space is what HTTP clients and proxies treat differently: sent
    raw it makes an invalid request line, written ``+`` by a form encoder it reaches the server
    as a plus (``lastName+desc``, no such attribute). Quoted, the value is one token whatever
    carries it. Percent-encoded (``lastName%20desc``) it is the same value, and the same
    warning: what a client encodes must not change what the checker says.

    Example: ``/rest/Employee?$orderby=lastName desc`` — warning.
    ``/rest/Employee?$orderby="lastName desc"`` — valid.

    Fix: the value put in double quotes.

    Spec: R6, §1.3, §3.3.
    """
    url = ctx.url
    if url is None:
        return
    for p in ctx.iter_params():
        if p.canonical not in _SORTS or p.quote or p.value is None:
            continue
        start, end = p.value.span
        text = url[start:end]
        try:
            decoded, _ = decode(url, start, end)
        except RestQueryError:
            continue
        if " " not in decoded and "\t" not in decoded:
            continue
        # in a percent-encoded value, the quotes are encoded too
        quote = "%22" if "%" in text else '"'
        fix = Fix(
            edits=(Edit(offset=start, length=0, text=quote), Edit(offset=end, length=0, text=quote)),
            description=f"put the {p.name} value in double quotes",
        )
        yield rule.at(
            Span(start, end), param=p.canonical, hint=f"write {p.name}={quote}{text}{quote}",
            fix=fix, name=p.name, text=decoded,
        )


RULES = (
    unknown_parameter, parameter_spelling, ampersand_in_quoted_value, plus_in_value,
    stray_ampersand, odata_parameter, unquoted_sort,
)
