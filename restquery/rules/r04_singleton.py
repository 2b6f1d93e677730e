"""R4: ``$singleton/`` is followed by exactly a singleton class name and a function name
(spec §2.4 P19, §7.1).

``/rest/$singleton/VehicleFactory/buildVehicle`` calls the exposed function ``buildVehicle`` of
the shared singleton ``VehicleFactory``. Segments after the function are R3's business; whether
the class and function exist is R11's (with a catalog).
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import CallSegment, KeySegment, KeywordSegment, NamesSegment, Segment, Span
from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule

__all__ = ["RULES", "singleton_problem"]


def _plain_name(seg: Segment) -> bool:
    return isinstance(seg, NamesSegment) and seg.name is not None


def singleton_problem(segments: tuple[Segment, ...]) -> tuple[Span, str] | None:
    """Where a ``$singleton`` path lacks its class or function name, and the hint; ``None``
    when the path is fine (or not a singleton path, or the culprit is a `$` keyword, which R2
    reports)."""
    if not segments or not (
        isinstance(segments[0], KeywordSegment) and segments[0].keyword == "$singleton"
    ):
        return None
    rest = segments[1:3]
    for i, seg in enumerate(rest):
        if isinstance(seg, KeywordSegment):
            return None  # R2 reports a keyword here
        if not _plain_name(seg):
            if i == 1 and isinstance(seg, (CallSegment, KeySegment)):
                hint = (
                    "pass the arguments in the request body (POST) or in `$params`, not in the "
                    "path"
                )
            else:
                hint = "write `/rest/$singleton/{SingletonClass}/{function}`"
            return seg.span, hint
    if len(rest) == 2:
        return None
    span = Span(segments[0].span.start, segments[-1].span.end)
    if not rest:
        return span, (
            "add the singleton class and function: `/rest/$singleton/{SingletonClass}/{function}`"
        )
    return span, "add the function name after the singleton class"


@rule(
    "RQ104",
    "singleton-path-shape",
    "error",
    spec="R4",
    message="A `$singleton/` path must name a singleton class and then a function.",
)
def singleton_path_shape(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A ``$singleton`` path without exactly a class name and a function name after it.

    Why: the server calls the exposed function of a shared singleton only through
    ``/rest/$singleton/{SingletonClass}/{function}``; a missing name, a dotted name, a name list
    or arguments in parentheses cannot be called (4D:$singleton).

    Example: ``/rest/$singleton/VehicleFactory`` — error.
    ``/rest/$singleton/VehicleFactory/buildVehicle(1,2)`` — error.
    ``/rest/$singleton/VehicleFactory/buildVehicle`` — valid.

    Fix: name the singleton class and the function; pass arguments in the body or ``$params``.

    Spec: R4, §2.4 (P19).
    """
    found = singleton_problem(ctx.request.path.segments)
    if found is not None:
        span, hint = found
        yield rule.at(span, hint=hint)


RULES = (singleton_path_shape,)
