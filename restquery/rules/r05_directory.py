"""R5: ``$directory/`` is followed by ``login`` or, legacy, ``logout``, ``currentUser`` or
``currentUserBelongsTo`` (spec §2.4 P21/L3, §7.1).

``login`` is the current action (4D:$directory); the other three come from the v18-era
(Wakanda heritage) pages and draw a warning. Segments after the action are R3's business.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import NamesSegment
from restquery._suggest import suggestions
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, on_path, rule
from restquery.semantics.facts import ACTIONS, LEGACY_ACTIONS, _is_directory, directory_problem

__all__ = ["RULES"]


@rule(
    "RQ105",
    "unknown-directory-action",
    "error",
    spec="R5",
    message="The `$directory/` action must be `login` (or a legacy `logout`, `currentUser` or "
    "`currentUserBelongsTo`).",
    when=(on_path("$directory"),),
)
def unknown_directory_action(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$directory`` with no action, or with an action the server does not know.

    Why: ``/rest/$directory/login`` opens a REST session (4D:$directory); the legacy pages add
    ``logout``, ``currentUser`` and ``currentUserBelongsTo``. Nothing else is an action, and
    the names are case-sensitive.

    Example: ``/rest/$directory`` — error. ``/rest/$directory/Login`` — error (did you mean
    ``login``?). ``/rest/$directory/login`` — valid.

    Fix: write ``/rest/$directory/login``.

    Spec: R5, §2.4 (P21, L3).
    """
    segments = ctx.request.path.segments
    seg = directory_problem(segments)
    if seg is None:
        return
    if seg is segments[0]:
        yield rule.at(seg.span, hint="add `/login`: `/rest/$directory/login`")
        return
    hint = "write `/rest/$directory/login`"
    fix = None
    name = seg.name if isinstance(seg, NamesSegment) else None
    if name is not None:
        hint = ctx.did_you_mean(name, ACTIONS) or hint
        close = suggestions(name, ACTIONS)
        start, end = seg.span
        if (
            not ctx.hide_suggestions
            and len(close) == 1
            and close[0].casefold() == name.casefold()
            and ctx.url is not None
            and ctx.url[start:end] == name
        ):
            fix = Fix(
                edits=(Edit(offset=start, length=end - start, text=close[0]),),
                description=f"write {close[0]}",
            )
    yield rule.at(seg.span, hint=hint, fix=fix)


@rule(
    "RQ106",
    "legacy-directory-action",
    "warning",
    spec="R5",
    message="The action `$directory/{action}` is legacy; current servers document only "
    "`$directory/login`.",
    when=(on_path("$directory"),),
)
def legacy_directory_action(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$directory/logout``, ``$directory/currentUser`` or ``$directory/currentUserBelongsTo``.

    Why: these actions appear only on the v18-era pages (Wakanda heritage); the current
    ``$directory`` page documents ``login`` alone, so a current server may not answer them.

    Example: ``/rest/$directory/logout`` — warning. ``/rest/$directory/login`` — valid.

    Fix: check that the target server still supports the action; open sessions with
    ``$directory/login``.

    Spec: R5, §2.4 (L3), §11.
    """
    segments = ctx.request.path.segments
    if not _is_directory(segments) or len(segments) < 2:
        return
    action = segments[1]
    if isinstance(action, NamesSegment) and action.name in LEGACY_ACTIONS:
        yield rule.at(
            action.span,
            hint="make sure the server still supports it; only `login` is current",
            action=action.name,
        )


RULES = (unknown_directory_action, legacy_directory_action)
