"""R3: the path segments follow one of the forms of spec §2.4, by the context machine of §2.3.

:func:`restquery.shape.classify` decides whether the path makes a documented form; this rule
reports the paths that make none (``Shape.form is None``) and points at the first segment that
breaks the machine. What R2 (a `$` keyword), R4 (``$singleton``) and R5 (``$directory``) report is
left to them, as is the composite key of R8.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import (
    CallSegment,
    KeySegment,
    KeywordSegment,
    LookupSegment,
    NamesSegment,
    Segment,
    Span,
)
from restquery.diagnostics import Diagnostic
from restquery.errors import UnparseError
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import directory_problem, keyword_problems, singleton_problem
from restquery.semantics.paths import first_offence, segment_kinds
from restquery.shape import INFO_PARTS, Shape

__all__ = ["RULES"]

def _text(ctx: Context, seg: Segment) -> str:
    if ctx.url is not None:
        return ctx.url[seg.span.start : seg.span.end]
    from restquery.printer import unparse

    try:
        return unparse(seg)
    except UnparseError:  # pragma: no cover - every parsed segment prints
        return "?"


def _joined(ctx: Context, segments: tuple[Segment, ...]) -> str:
    return "/".join(_text(ctx, s) for s in segments)


def _is_info_part(seg: Segment) -> bool:
    return isinstance(seg, NamesSegment) and seg.name in INFO_PARTS


def _offence(ctx: Context, shape: Shape | None) -> tuple[int, str, str | None] | None:
    """(index into the segments, reason, hint) for the first segment that breaks §2.3."""
    segs = ctx.request.path.segments
    if not segs:
        return None
    first = segs[0]
    rest = segs[1:]

    def after(index: int, terminal: bool) -> tuple[int, str, str | None]:
        prefix = _joined(ctx, segs[:index])
        if terminal:
            return index, f"nothing may follow `{prefix}`", f"remove what follows `{prefix}`"
        return index, f"`{_text(ctx, segs[index])}` cannot follow `{prefix}`", None

    if isinstance(first, KeywordSegment):
        kw = first.keyword
        if kw == "$info" and rest:
            if len(rest) == 1:
                return 1, f"`{_text(ctx, rest[0])}` cannot follow `$info`, which takes only " + (
                    " or ".join(f"`{p}`" for p in sorted(INFO_PARTS))
                ), "remove what follows `$info`, or ask for `$info/privileges`"
            return after(2 if _is_info_part(rest[0]) else 1, True)
        if kw in ("$upload", "$querypath") and rest:
            return after(1, True)
        if kw == "$catalog" and rest:
            nxt = rest[0]
            ok = (isinstance(nxt, KeywordSegment) and nxt.keyword == "$all") or (
                isinstance(nxt, NamesSegment) and nxt.name is not None
            )
            if not ok:
                return 1, (
                    f"`{_text(ctx, nxt)}` cannot follow `$catalog`, which takes `$all`, a "
                    "dataclass name or a datastore function name"
                ), None
            if len(rest) > 1:
                return after(2, True)
        if kw == "$directory" and len(rest) > 1:
            return after(2, True)
        if kw == "$singleton" and len(rest) > 2:
            return after(3, True)
        return None
    if isinstance(first, NamesSegment) and first.name is None:
        return 0, "a dataclass name must come first", "start the path with a dataclass name"
    if isinstance(first, (KeySegment, LookupSegment, CallSegment)):
        # ENTITY: one attribute, attribute list or function may follow, then nothing.
        if not rest:
            return None
        if not isinstance(rest[0], NamesSegment):
            return 1, (
                f"`{_text(ctx, rest[0])}` cannot follow the entity `{_text(ctx, first)}`, which "
                "takes an attribute, an attribute list or a function"
            ), None
        if len(rest) > 1:
            return after(2, True)
        return None
    # COLLECTION
    pattern = segment_kinds(rest)
    offence = first_offence(pattern)
    if offence is not None:
        return after(offence.index + 1, offence.complete)
    if pattern.endswith("E"):
        return len(segs) - 1, (
            "`$entityset` must be followed by an entity-set ID or `$release`"
        ), "add the entity-set ID after `$entityset/`"
    problem = shape.problem if shape is not None else None
    if problem is not None and problem[1] == "two attribute segments":
        hint = None
        dc = ctx.dataclass
        names = [s.name for s in rest if isinstance(s, NamesSegment) and s.name is not None]
        if dc is not None and names:
            hint = ctx.did_you_mean(names[-1], [f.name for f in dc.functions])
        return problem[0], (
            "two attribute segments cannot follow each other (neither names a function of "
            f"`{shape.dataclass if shape is not None else '?'}`)"
        ), hint
    if problem is not None and problem[1] == "$entityset without an ID":
        return problem[0], "`$entityset` must be followed by an entity-set ID or `$release`", (
            "add the entity-set ID after `$entityset/`"
        )
    if problem is not None and 0 <= problem[0] < len(segs):
        return problem[0], f"`{_text(ctx, segs[problem[0]])}` is out of place", None
    return None


@rule(
    "RQ103",
    "invalid-segment-sequence",
    "error",
    spec="R3",
    message="The path follows no documented form: {reason}.",
)
def invalid_segment_sequence(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """Path segments in an order that makes none of the documented path forms.

    Why: the server reads a path through the context machine of spec §2.3: a dataclass may be
    followed by an attribute list, one attribute, a function or ``$entityset/{id}``; an entity by
    one attribute, an attribute list or a function; ``$info`` by nothing but ``privileges``
    (4D 20 R6); and nothing may follow ``$entityset/{id}``, ``$entityset/$release``,
    ``$info/privileges``, ``$upload``, ``$directory/x``, ``$catalog/x`` or ``$singleton/C/f``.
    Any other sequence cannot be served.

    Example: ``/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7/lastName`` — error.
    ``/rest/$info/cache`` — error. ``POST /rest/$info/privileges`` — valid.
    ``/rest/Employee/firstName,lastName/$entityset/9718A30BF61343C796345F3BE5B01CE7`` — valid.

    Fix: remove the extra segment, or reorder the path into one of the forms of §2.4.

    Spec: R3, §2.3, §2.4.
    """
    shape = ctx.shape
    if shape is not None and (shape.form is not None or shape.resource == "root"):
        return
    segs = ctx.request.path.segments
    if keyword_problems(segs) or singleton_problem(segs) or directory_problem(segs):
        return
    found = _offence(ctx, shape)
    if found is None:
        return
    index, reason, hint = found
    span = segs[index].span if index < len(segs) else Span(*ctx.request.path.span)
    yield rule.at(span, hint=hint, reason=reason)


RULES = (invalid_segment_sequence,)
