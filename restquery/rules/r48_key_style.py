"""R48: the current docs write entity keys in brackets, ``{dataClass}[key]`` (spec §2.4 P3,
§11, §12 item 1)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import KeySegment, Span
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule


def _selector_span(seg: KeySegment) -> Span:
    """``(key)`` in the URL: from the opening parenthesis to the end of the segment."""
    name = seg.name_span
    if name[1] > name[0]:
        return Span(name[1], seg.span.end)
    return seg.span


def _fix(ctx: Context, seg: KeySegment) -> Fix | None:
    """``(key)`` → ``[key]`` when both parentheses are written raw and the key cannot be
    misread inside brackets."""
    url = ctx.url
    if url is None:
        return None
    start, end = seg.key.span.start - 1, seg.span.end - 1
    if start < seg.span.start or url[start] != "(" or url[end] != ")":
        return None
    inner = url[start + 1 : end]
    if "[" in inner or "]" in inner or "%5B" in inner.upper() or "%5D" in inner.upper():
        return None
    return Fix(
        edits=(Edit(offset=start, length=1, text="["), Edit(offset=end, length=1, text="]")),
        description="write the key in brackets",
    )


@rule(
    "RQ358",
    "key-style",
    "warning",
    spec="R48",
    message="The key of `{dataclass}` is written in parentheses; current docs write "
    "`{dataclass}[key]`.",
    default=False,
)
def key_style(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """Opt-in: an entity key written in parentheses, ``Company(1)``, instead of brackets.

    Why: both spellings select one entity by primary key and both are valid; the ``dataClass``
    page of 4D 20 R10 and later and Qodly write ``Company[1]`` (and bare text keys,
    ``Company[IT0911AB2200]``), and 2024+ server URIs use brackets too (spec §2.4, §11). Teams
    that want one style turn this rule on.

    Example: ``/rest/Company(1)`` — warning. ``/rest/Company[1]`` — valid.

    Fix: write the key in brackets (a quoted key keeps its quotes).

    Spec: R48, §2.4, §12.
    """
    seg = ctx.shape.selector
    if not isinstance(seg, KeySegment) or seg.brackets:
        return
    yield rule.at(
        _selector_span(seg),
        hint="write the key in brackets",
        fix=_fix(ctx, seg),
        dataclass=seg.name,
    )


RULES = (key_style,)
