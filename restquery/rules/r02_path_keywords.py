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

from restquery._suggest import suggestions
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.params import canonical_name
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import KeywordProblem, _misplaced, keyword_problems
from restquery.syntax.lexicon import PATH_KEYWORDS as _ORDERED_KEYWORDS

__all__ = ["RULES"]


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
