"""R27: ``$savedfilter`` and ``$savedorderby`` repeat the live ``$filter`` / ``$orderby`` so the
server can rebuild an expired entity set (spec §3.16, §3.17, §7.3, §12 item 8).

Documented: creation, ``/rest/People/?$filter="employer.name=Apple"&$savedfilter="employer.name=Apple"&$method=entityset``;
reuse, ``/rest/People/$entityset/AEA452C2668B4F6E98B6FD2A1ED4A5A8?$savedfilter="employer.name=Apple"``.
Qodly and the ``$method=entityset`` section also show ``$savedfilter=true`` [X].
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Boolean, Param, ParamValue, SortItem, SortList
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule

#: saved parameter -> the live parameter it repeats.
_PAIRS = (("$savedfilter", "$filter"), ("$savedorderby", "$orderby"))


def _raw_value(ctx: Context, p: Param) -> tuple[int, int] | None:
    """Where the value of ``p`` is written in the URL, quotes included."""
    url = ctx.url
    if url is None or p.value is None:
        return None
    start, end = p.span
    eq = url.find("=", start, end)
    if eq < 0:
        return None
    if p.trailing_slash and url[end - 1 : end] == "/":
        end -= 1
    return eq + 1, end


def _same(a: ParamValue | None, b: ParamValue | None) -> bool:
    """Equal values; in sort lists a missing direction is ascending."""
    if isinstance(a, SortList) and isinstance(b, SortList):

        def norm(s: SortList) -> tuple[SortItem, ...]:
            return tuple(SortItem(path=i.path, direction=i.direction or "ASC") for i in s.items)

        return norm(a) == norm(b)
    return a == b


def _copy_fix(ctx: Context, saved: Param, live: Param, span: tuple[int, int]) -> Fix | None:
    """Replace ``span`` (in the saved parameter) with the live parameter's value as written."""
    source = _raw_value(ctx, live)
    if source is None or ctx.url is None:
        return None
    text = ctx.url[source[0] : source[1]]
    return Fix(
        edits=(Edit(offset=span[0], length=span[1] - span[0], text=text),),
        description=f"copy the {live.canonical} value into {saved.canonical}",
    )


@rule(
    "RQ326",
    "saved-without-live",
    "warning",
    spec="R27",
    message="The `{saved}` parameter belongs with `{live}` when the entity set is created, or on "
    "an entity-set path when it is reused.",
    when=tuple(saved for saved, _ in _PAIRS),
)
def saved_without_live(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$savedfilter`` / ``$savedorderby`` with neither the live parameter nor an entity set.

    That is ``$savedfilter`` without ``$filter`` (or ``$savedorderby`` without ``$orderby``) on
    a path that is not an entity set.

    Why: the saved value is stored when the entity set is created (with the same ``$filter`` /
    ``$orderby`` and ``$method=entityset``) and sent again on each later read of
    ``{dataClass}/$entityset/{id}``, so the server can rebuild the set if it expired
    (4D:$savedfilter, 4D:$savedorderby). Elsewhere it has nothing to save or rebuild.
    ``$savedfilter=true`` is RQ327's.

    Example: ``GET /rest/People?$savedfilter="employer.name=Apple"&$method=entityset`` —
    warning. ``GET /rest/People/$entityset/AEA452C2668B4F6E98B6FD2A1ED4A5A8?$savedfilter="employer.name=Apple"``
    — valid.

    Fix: add the same ``$filter`` (``$orderby``), or send the saved value to the entity-set
    path.

    Spec: R27, §3.16, §3.17.
    """
    if ctx.shape.entity_set is not None or ctx.shape.resource != "dataclass":
        return  # R42 reports parameters on other resources
    for saved, live in _PAIRS:
        if ctx.has(live):
            continue
        for p in ctx.params.get(saved, ()):
            if isinstance(p.value, Boolean):
                continue
            yield rule.at(
                p.span,
                param=saved,
                hint=f"add the same {live}, or send {saved} to the entity-set path",
                saved=saved,
                live=live,
            )


@rule(
    "RQ327",
    "saved-mismatch",
    "warning",
    spec="R27",
    message="The `{saved}` value should repeat the `{live}` value {problem}.",
    when=tuple(saved for saved, _ in _PAIRS),
)
def saved_mismatch(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$savedfilter`` / ``$savedorderby`` set to ``true`` or differing from the live value.

    The live value is ``$filter`` / ``$orderby`` when the entity set is created.

    Why: the server rebuilds an expired entity set from the saved value (4D:$savedfilter,
    4D:$savedorderby); a different value rebuilds a different set. The ``$method=entityset``
    section and Qodly show ``$savedfilter=true`` instead of the filter string (§12 item 8,
    §7.4). Values are compared as parsed, so spacing and the case of keywords do not matter and a
    sort item without a direction equals ``asc``. A saved parameter written without a value is
    reported too when the live one is present.

    Example: ``GET /rest/Employee/?$filter="salary>50000"&$method=entityset&$savedfilter=true``
    — warning. ``GET /rest/People/?$filter="ID>3"&$savedfilter="ID>4"&$method=entityset`` —
    warning. ``GET /rest/People/?$filter="lastName!=''"&$savedfilter="lastName!=''"&$method=entityset``
    — valid.

    Fix: copy the live value into the saved parameter (the fix does it when the live one is
    present).

    Spec: R27, §3.16, §3.17, §12.
    """
    if ctx.shape.resource != "dataclass":
        return  # R42 reports parameters on other resources
    for saved, live in _PAIRS:
        live_param = ctx.param(live)
        for p in ctx.params.get(saved, ()):
            value = p.value
            if value is None:
                if live_param is None:
                    continue  # RQ326's
                end = p.span[1]
                fix = _copy_fix(ctx, p, live_param, (end, end))
                if fix is not None:
                    fix = Fix(
                        edits=tuple(
                            Edit(offset=e.offset, length=0, text="=" + e.text) for e in fix.edits
                        ),
                        description=fix.description,
                    )
                yield rule.at(
                    p.span,
                    param=saved,
                    hint=f"give {saved} the same value as {live}",
                    fix=fix,
                    saved=saved,
                    live=live,
                    problem="instead of nothing",
                )
            elif isinstance(value, Boolean):
                where = _raw_value(ctx, p) or value.span
                fix = _copy_fix(ctx, p, live_param, where) if live_param else None
                yield rule.at(
                    value.span,
                    param=saved,
                    hint=f"give {saved} the same value as {live}",
                    fix=fix,
                    saved=saved,
                    live=live,
                    problem=f"instead of `{value.raw or str(value.value).lower()}`",
                )
            elif live_param is not None and not _same(value, live_param.value):
                raw = _raw_value(ctx, p)
                fix = _copy_fix(ctx, p, live_param, raw) if raw is not None else None
                yield rule.at(
                    value.span,
                    param=saved,
                    hint=f"give {saved} the same value as {live}",
                    fix=fix,
                    saved=saved,
                    live=live,
                    problem="exactly",
                )


RULES = (saved_without_live, saved_mismatch)
