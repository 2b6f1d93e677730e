"""R30: ``$top``, ``$limit`` and ``$skip`` are counts of entities (spec §3.11, §3.12, §7.3).

``$top`` and ``$limit`` are synonyms (4D:$top_$limit). The legacy example
``/rest/Employee?$attributes=lastName,employer.name&$top=10&$skip=1/getHighSalaries`` (a path
segment written after the query, §12.1) makes ``$skip`` read ``1/getHighSalaries``: RQ331.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Integer, RawValue
from restquery.diagnostics import Diagnostic
from restquery.params import names
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import value_span

_COUNTS = names(group="paging")


@rule(
    "RQ331",
    "invalid-count",
    "error",
    spec="R30",
    message="The `{name}` parameter takes a whole number of entities (0 or more), not {value}.",
    when=_COUNTS,
)
def invalid_count(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$top``, ``$limit`` or ``$skip`` whose value is not a whole number ≥ 0.

    Why: ``$top``/``$limit`` is the number of entities to return and ``$skip`` the number to skip
    (4D:$top_$limit, 4D:$skip); text, decimals, negative numbers or a missing value cannot be
    counts.

    Example: ``/rest/Employee?$top=ten`` — error. ``/rest/Employee?$skip=-1`` — error.
    ``/rest/Employee?$attributes=lastName,employer.name&$top=10&$skip=1/getHighSalaries`` —
    error (a path segment after the query). ``/rest/Employee?$skip=50&$top=10`` — valid.

    Fix: give a whole number such as ``$top=10``; move a function segment before the ``?``.

    Spec: R30, §3.11, §3.12.
    """
    for p in ctx.iter_params():
        name = p.canonical
        if name not in _COUNTS:
            continue
        value = p.value
        if isinstance(value, Integer) and value.value >= 0:
            continue
        hint = "give a whole number such as 10"
        if isinstance(value, Integer):
            shown = f"`{value.raw or value.value}`"
        elif isinstance(value, RawValue) and value.text:
            shown = f"`{value.text}`"
            head, sep, tail = value.text.partition("/")
            if sep and head.strip().isdigit() and tail:
                hint = f"move `/{tail}` into the path, before the `?`"
        else:
            shown = "an empty value"
        yield rule.at(value_span(p), param=name, hint=hint, name=name, value=shown)


@rule(
    "RQ332",
    "top-and-limit",
    "warning",
    spec="R30",
    message="The `$top` and `$limit` parameters are synonyms; give only one.",
    when=names(synonyms_of="$top"),
)
def top_and_limit(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """Both ``$top`` and ``$limit`` in one request.

    Why: they are the same parameter (4D:$top_$limit); with both, which one wins is not
    documented. Reported at the second one; repeating the same name twice is R7's business.

    Example: ``/rest/Employee?$top=10&$limit=10`` — warning. ``/rest/Employee?$top=10`` —
    valid.

    Fix: remove one of them (the fix removes the second when both give the same count).

    Spec: R30, §3.11.
    """
    top, limit = ctx.param("$top"), ctx.param("$limit")
    if top is None or limit is None:
        return
    second = limit if limit.span[0] > top.span[0] else top
    fix = None
    if top.value == limit.value:
        fix = ctx.remove_param(second, f"remove {second.canonical}")
    yield rule.at(second.span, param=second.canonical, hint=f"remove {second.canonical}", fix=fix)


RULES = (invalid_count, top_and_limit)
