"""R8: an entity key or look-up value is one non-empty value (spec §2.1, §2.4 notes, §7.1).

Unbalanced ``(…)``/``[…]``, unclosed quotes and a bare empty key (``Company()``) are syntax
errors (RQ002, RQ003, RQ006); this rule reports what parses but cannot address an entity: an
empty quoted key (``Company("")``), a blank one, and a composite key (``Company(1,2)``), which
the docs never show (the catalog's ``key`` always holds one attribute).
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import CallSegment, EntitySetSegment, Key, KeySegment, LookupSegment, Span
from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule

__all__ = ["RULES"]


def _empty(key: Key | None) -> bool:
    return key is not None and isinstance(key.value, str) and not key.value.strip()


@rule(
    "RQ111",
    "invalid-key",
    "error",
    spec="R8",
    message="The {what} is {problem}.",
)
def invalid_key(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """An empty entity key or look-up value, or a composite key.

    Why: ``Company("")``, ``Company[""]`` and ``Company:companyCode("")`` address no entity,
    and a key with a top-level comma (``Company(1,2)``) is a composite key, which the REST
    server does not accept in the path: the catalog's ``key`` always names one attribute.

    Example: ``/rest/Company("")`` — error. ``/rest/Company(1,2)`` — error.
    ``/rest/Company(1)``, ``/rest/Company("1,2")`` — valid.

    Fix: give the single primary-key value (quote a text key that contains a comma), or the
    value of a unique attribute.

    Spec: R8, §2.1, §2.4 notes.
    """
    segs = ctx.request.path.segments
    if segs:
        first = segs[0]
        if isinstance(first, KeySegment) and _empty(first.key):
            yield rule.at(
                first.key.span,
                hint="give the primary-key value of the entity",
                what="entity key",
                problem="empty",
            )
        elif isinstance(first, LookupSegment) and _empty(first.value):
            yield rule.at(
                first.value.span,
                hint=f"give the `{first.attribute}` value of the entity",
                what="look-up value",
                problem="empty",
            )
        elif isinstance(first, CallSegment) and first.args:
            span = Span(first.args[0].span.start, first.args[-1].span.end)
            yield rule.at(
                span,
                hint="give one primary-key value; quote a text key that contains a comma",
                what="entity key",
                problem="a composite key, which the REST server does not accept",
            )
    for seg in segs[1:]:
        if isinstance(seg, EntitySetSegment) and _empty(seg.key):
            assert seg.key is not None
            yield rule.at(
                seg.key.span,
                hint="give the primary-key value of the entity",
                what="entity key",
                problem="empty",
            )


RULES = (invalid_key,)
