"""R41: ``$filter`` features beyond the REST page — query()-only operators, the ``*`` wildcard
and unparenthesised mixes of AND with OR/EXCEPT (spec §4.2, §4.3, §4.5)."""

from __future__ import annotations

import functools
from collections.abc import Iterator

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

from restquery.ast import BoolOp, Comparison, Formula, Not, Span, Text
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import FILTER_PARAMS, expression_nodes, filters, operator_span, trim
from restquery.semantics.operators import COMPARATORS, REST_COMPARATORS


@functools.cache
def _equivalents() -> dict[str, str]:
    """query()-only spellings with an exact REST equivalent (comparators, logical operators)."""
    from restquery.syntax.lexicon import lexicon

    return {
        **{c: m.rest for c, m in COMPARATORS.items() if m.rest is not None and m.rest != c},
        **{s: kind for s, kind in lexicon().logical.items() if s != kind},
    }


#: Comparators that take ``@`` (and so a would-be ``*``) literally, or search keywords.
_LITERAL = frozenset(c for c, m in COMPARATORS.items() if not m.wildcard)


def _replacement(ctx: Context, span: Span, spelling: str) -> Fix | None:
    """A fix replacing the operator at ``span`` with its REST ``spelling``: symbols wherever
    they are written (``%23`` → ``!=``), words only in raw text (they need blanks around)."""
    url = ctx.url
    if url is None or ("%" in url[span.start : span.end] and spelling.isalpha()):
        return None
    text = spelling
    if spelling.isalpha():  # word operators need blanks around them
        if span.start == 0 or url[span.start - 1] not in " \t":
            text = " " + text
        if span.end >= len(url) or url[span.end] not in " \t":
            text = text + " "
    return Fix(
        edits=(Edit(offset=span.start, length=span.end - span.start, text=text),),
        description=f"write {spelling}",
    )


def _spell(text: Text) -> str:
    starred = text.value.replace("*", "@")
    return f"'{starred}'" if text.quoted else starred


def _bool_op_spans(ctx: Context, node: BoolOp) -> Iterator[Span]:
    """The spans of the operators between the operands of ``node``."""
    for a, b in zip(node.operands, node.operands[1:]):
        if ctx.url is None:
            yield node.span
            return
        span = trim(ctx.url, a.span.end, b.span.start)
        yield span if span.end > span.start else node.span


def _not_span(ctx: Context, node: Not) -> Span:
    if ctx.url is None:
        return node.span
    span = trim(ctx.url, node.span.start, node.operand.span.start, left=("(", "%28"))
    return span if span.end > span.start else node.span


@rule(
    "RQ349",
    "query-only-syntax",
    "warning",
    spec="R41",
    message="The operator `{op}` comes from the query() syntax; the REST `$filter` page does "
    "not document it.",
    when=FILTER_PARAMS,
)
def query_only_syntax(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A comparator or logical operator that only the query() documentation lists.

    Why: the REST ``$filter`` page documents ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``,
    ``begin`` and ``AND``/``OR``/``EXCEPT`` (spec §4.2, §4.3). ``==``, ``===``, ``IS``,
    ``IS NOT``, ``#``, ``!==``, ``IN``, ``%``, ``NOT``, ``&``, ``&&``, ``|``, ``||``, ``eval()``
    formulas and the ``order by`` clause come from ``dataClass.query()``: the server evaluates them, but REST clients and other servers
    (Qodly) are not promised them.

    A ``#`` travels as ``%23``: a raw one ends the URL (RFC 3986 §3.5), which cuts the value
    there (RQ002).

    Example: ``/rest/Person?$filter="lastName %23 Jones"`` — warning.
    ``/rest/Person?$filter="lastName != Jones"`` — valid.

    Fix: use the REST spelling where one exists (``==`` → ``=``, ``#`` → ``!=``, ``&``/``&&`` →
    ``AND``, ``|``/``||`` → ``OR``); otherwise keep it knowingly.

    Spec: R41, §4.2, §4.3.
    """
    for fp, flt in filters(ctx):
        for node in expression_nodes(ctx, flt, Comparison, BoolOp, Not, Formula):
            if isinstance(node, Comparison):
                if node.op in REST_COMPARATORS:
                    continue
                spans = [operator_span(ctx, node)]
                op = node.op
            elif isinstance(node, BoolOp):
                if node.op in ("AND", "OR", "EXCEPT"):
                    continue
                spans = list(_bool_op_spans(ctx, node))
                op = node.op
            elif isinstance(node, Not):
                spans = [_not_span(ctx, node)]
                op = "NOT"
            elif isinstance(node, Formula):
                spans = [node.span]
                op = "eval()"
            else:  # pragma: no cover - Expr is closed
                continue
            spelling = _equivalents().get(op)
            for span in spans:
                if spelling is not None:
                    hint = f"write {spelling}"
                    fix = _replacement(ctx, span, spelling)
                else:
                    hint = "keep it only if your server accepts query() syntax"
                    fix = None
                yield rule.at(span, param=fp.canonical, hint=hint, fix=fix, op=op)
        if flt.order_by is not None:
            # "order by" inside the filter (§4.1): query() syntax, untested through REST.
            order = flt.order_by
            yield rule.at(
                order.span,
                param=fp.canonical,
                hint="sort with $orderby instead",
                op="order by",
            )


@rule(
    "RQ350",
    "star-wildcard",
    "warning",
    spec="R41",
    message="The `*` in `{text}` is matched as a plain character; the documented wildcard is `@`.",
    when=FILTER_PARAMS,
)
def star_wildcard(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A text value containing ``*``.

    Why: ``@`` is the wildcard of queries (``lastName='A@'``, ``@Smith@`` for "contains", 4D
    query()). Several examples write ``*`` instead (``name=a*``, query paths printing ``LIKE
    a*``, spec §12 item 3); the project treats ``*`` as an ordinary character and warns.
    Comparators that take ``@`` literally (``===``, ``!==``, ``IS``, ``IS NOT``) and ``%`` are
    not concerned.

    Example: ``/rest/Company/name?$filter="name=a*"&$distinct=true`` — warning.
    ``/rest/Company/name?$filter="name=a@"&$distinct=true`` — valid.

    Fix: write ``@`` where a wildcard is meant.

    Spec: R41, §4.5.
    """
    for fp, value in _wildcard_texts(ctx):
        if "*" in value.value:
            yield rule.at(
                value.span,
                param=fp.canonical,
                hint=f"write {_spell(value)} if a wildcard is meant",
                text=value.value,
            )


def _wildcard_texts(ctx: Context) -> Iterator[tuple[Any, Text]]:
    """The text values of the filters' comparisons that read ``@`` as a wildcard, with the
    filter parameter of each."""
    for fp, flt in filters(ctx):
        for comparison in expression_nodes(ctx, flt, Comparison):
            if comparison.op in _LITERAL:
                continue
            for value in comparison.right.find_all(Text):
                yield fp, value


@rule(
    "RQ351",
    "mixed-and-or",
    "warning",
    spec="R41",
    message="The filter mixes `{inner}` with `{outer}` without parentheses.",
    when=FILTER_PARAMS,
)
def mixed_and_or(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """An unparenthesised mix of ``AND`` with ``OR``/``EXCEPT`` (or of ``OR`` with ``EXCEPT``).

    Why: the docs never state the precedence of the logical operators (spec §4.3). The project
    reads ``AND`` as binding tighter than ``OR`` and ``EXCEPT``, which sit at one level and
    associate to the left; a server evaluating left to right would read the same text
    differently. Parentheses remove the doubt.

    Example: ``/rest/Employee?$filter="a=1 AND b=2 OR c=3"`` — warning (points at
    ``a=1 AND b=2``). ``/rest/Employee?$filter="(a=1 AND b=2) OR c=3"`` — valid.

    Fix: add parentheses around the group that must be evaluated first.

    Spec: R41, §4.3.
    """
    for fp, flt in filters(ctx):
        for node in expression_nodes(ctx, flt, BoolOp):
            if node.kind == "AND":
                continue
            for operand in node.operands:
                if (
                    isinstance(operand, BoolOp)
                    and operand.parens == 0
                    and operand.kind != node.kind
                ):
                    yield rule.at(
                        operand.span,
                        param=fp.canonical,
                        hint="add parentheses around the group to evaluate first",
                        inner=operand.kind,
                        outer=node.kind,
                    )


@rule(
    "RQ361",
    "wildcard-both-ends",
    "warning",
    spec="R41",
    message="`{text}` has a wildcard `@` at both ends: the server reads every entity to match it.",
    when=FILTER_PARAMS,
    default=False,
    strict=True,
)
def wildcard_both_ends(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A text value with the wildcard ``@`` at its start and its end ("contains").

    Why: an index on the attribute serves ``lastName='Jo@'`` (a "begins with"), but no index
    serves ``@on@``: the server reads every entity of the dataclass and compares the text of
    each (4D query(), "Using wildcards"). On a large dataclass or a request sent often, that is
    the query that stalls the server. It is sometimes what is meant, so the rule is off by
    default and on under ``--strict``.

    Example: ``/rest/Employee?$filter="lastName='@on@'"`` — warning under ``--strict``.
    ``/rest/Employee?$filter="lastName='Jo@'"`` — valid.

    Fix: match the start of the text (``'on@'``, ``begin``) when that is what users search,
    or a keyword index (``%``) for words inside a text.

    Spec: R41, §4.5.
    """
    for fp, value in _wildcard_texts(ctx):
        text = value.value
        if len(text) > 2 and text[0] == "@" and text[-1] == "@":
            yield rule.at(
                value.span,
                param=fp.canonical,
                hint=f"match the start of the text ({_spell_text(value, text[1:])}) if that is"
                " what users search",
                text=text,
            )


def _spell_text(value: Text, text: str) -> str:
    return f"'{text}'" if value.quoted else text


RULES = (query_only_syntax, star_wildcard, mixed_and_or, wildcard_both_ends)
