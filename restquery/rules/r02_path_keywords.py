"""R2: only the `$` path keywords of spec §3.28 may appear in the path, each in its place
(spec §2.2, §3.28, §7.1).

``$catalog``, ``$info``, ``$directory``, ``$upload``, ``$singleton``, ``$querypath`` and
``$getWebForm`` start a path; ``$all`` only follows ``$catalog/``; ``$entityset`` only follows a
dataclass (or what follows one); ``$release`` only follows ``$entityset/``. Keywords are matched
case-sensitively (§1.5): ``$Catalog`` is unknown, with a hint naming the documented spelling.
Which segments may follow which is R3's business (:mod:`restquery.rules.r03_segment_order`).
"""

from __future__ import annotations

from collections.abc import Iterator


from restquery.ast import KeywordSegment, Segment
from restquery.catalog import suggestions
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.params import canonical_name
from restquery.rules._base import Context, Rule, rule
from restquery.shape import PATH_KEYWORDS
from restquery.syntax.lexicon import PATH_KEYWORDS as _ORDERED_KEYWORDS

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from restquery._records import NamedTuple

__all__ = ["RULES", "KeywordProblem", "keyword_problems"]

#: Keywords that name a resource and so can only start the path (§2.1): all but the three
#: that follow another segment.
ROOT_KEYWORDS = PATH_KEYWORDS - {"$all", "$entityset", "$release"}


class KeywordProblem(NamedTuple):
    """A `$` path segment R2 reports: its index in the segments and why."""

    position: int
    segment: KeywordSegment
    reason: str
    known: bool


def _is_keyword(seg: Segment | None, keyword: str) -> bool:
    # Case-insensitive, so that a misspelt `$Catalog` (reported) does not also get the `$all`
    # after it reported.
    return isinstance(seg, KeywordSegment) and seg.keyword.casefold() == keyword.casefold()


def _misplaced(segments: tuple[Segment, ...], i: int, kw: str) -> str | None:
    """Why the known keyword ``kw`` cannot stand at ``segments[i]``, or ``None``."""
    previous = segments[i - 1] if i else None
    if kw in ROOT_KEYWORDS:
        return None if i == 0 else "only allowed right after `/rest/`"
    if kw == "$all":
        ok = i == 1 and _is_keyword(previous, "$catalog")
        return None if ok else "only allowed right after `$catalog/`"
    if kw == "$release":
        return None if _is_keyword(previous, "$entityset") else (
            "only allowed right after `$entityset/`"
        )
    if kw == "$entityset":
        dataclass_path = not isinstance(segments[0], KeywordSegment)
        if i == 0 or not dataclass_path or _is_keyword(previous, "$entityset"):
            return "only allowed after a dataclass or its functions"
    return None


def keyword_problems(segments: tuple[Segment, ...]) -> list[KeywordProblem]:
    """Every `$` path segment that is unknown or out of place (shared with R3, which must not
    report the same segments again)."""
    out: list[KeywordProblem] = []
    for i, seg in enumerate(segments):
        if not isinstance(seg, KeywordSegment):
            continue
        if seg.keyword not in PATH_KEYWORDS:
            out.append(KeywordProblem(i, seg, "not a path keyword", False))
            continue
        reason = _misplaced(segments, i, seg.keyword)
        if reason is not None:
            out.append(KeywordProblem(i, seg, reason, True))
    return out


def _hint_and_fix(ctx: Context, problem: KeywordProblem) -> tuple[str | None, Fix | None]:
    kw = problem.segment.keyword
    if problem.known:
        hints = {
            "$all": "write `/rest/$catalog/$all`",
            "$release": "write `/rest/{dataClass}/$entityset/$release`",
            "$entityset": "write `/rest/{dataClass}/$entityset/{entitySetID}`",
        }
        return hints.get(kw, f"start the path with `/rest/{kw}`"), None
    if canonical_name(kw) is not None:
        return f"pass `{canonical_name(kw)}` as a query parameter after `?`", None
    hint = ctx.did_you_mean(kw, _ORDERED_KEYWORDS)
    fix = None
    close = suggestions(kw, _ORDERED_KEYWORDS)
    if (
        hint is not None
        and len(close) == 1
        and close[0].casefold() == kw.casefold()
        and _misplaced(ctx.request.path.segments, problem.position, close[0]) is None
    ):
        start, end = problem.segment.span
        if ctx.url is not None and ctx.url[start:end] == kw:
            fix = Fix(
                edits=(Edit(offset=start, length=end - start, text=close[0]),),
                description=f"write {close[0]}",
            )
    return hint, fix


@rule(
    "RQ102",
    "unknown-path-keyword",
    "error",
    spec="R2",
    message="The path segment `{keyword}` is {reason}.",
)
def unknown_path_keyword(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A `$` path segment that is not a path keyword, or a path keyword out of its place.

    Why: the server only knows the keywords of spec §3.28 (``$catalog``, ``$all``,
    ``$entityset``, ``$release``, ``$singleton``, ``$info``, ``$directory``, ``$upload``,
    ``$querypath``, ``$getWebForm``), spelled exactly so; ``$all`` only follows ``$catalog/``,
    ``$release`` only follows ``$entityset/``, ``$entityset`` only follows a dataclass, and the
    others name a resource, so they start the path.

    Example: ``/rest/$Catalog`` — error (did you mean ``$catalog``?). ``/rest/Employee/$all`` —
    error. ``/rest/$catalog/$all`` — valid.

    Fix: use the documented spelling and place, or pass a parameter after ``?`` rather than in
    the path.

    Spec: R2, §2.2, §3.28.
    """
    for problem in keyword_problems(ctx.request.path.segments):
        hint, fix = _hint_and_fix(ctx, problem)
        yield rule.at(
            problem.segment.span,
            hint=hint,
            fix=fix,
            keyword=problem.segment.keyword,
            reason=problem.reason,
        )


RULES = (unknown_path_keyword,)
