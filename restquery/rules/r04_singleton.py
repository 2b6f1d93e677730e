"""R4: ``$singleton/`` is followed by exactly a singleton class name and a function name
(spec §2.4 P19, §7.1).

``/rest/$singleton/VehicleFactory/buildVehicle`` calls the exposed function ``buildVehicle`` of
the shared singleton ``VehicleFactory``. Segments after the function are R3's business; whether
the class and function exist is R11's (with a catalog).
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, on_path, rule
from restquery.semantics.facts import singleton_problem

__all__ = ["RULES"]


@rule(
    "RQ104",
    "singleton-path-shape",
    "error",
    spec="R4",
    message="A `$singleton/` path must name a singleton class and then a function.",
    when=(on_path("$singleton"),),
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
