"""R19: ``$distinct=true`` lists the distinct values of one attribute named by the last path
segment (P7) (spec §3.10, §7.3).

Documented: ``/rest/Company/name?$filter="name=a*"&$distinct=true`` (4D),
``/rest/Employee/address.city?$distinct=true`` (Qodly, an object property path).
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Boolean
from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule


def _problem(ctx: Context) -> str | None:
    shape = ctx.shape
    if shape.resource != "dataclass" or shape.form is None:
        return None  # R42 and R3 report these paths
    if shape.form == "P7":
        return None
    if shape.entity:
        return "the path addresses one entity"
    if shape.form in ("P12", "P13", "L1", "L2"):
        return "the path ends with a function"
    if shape.form in ("P5", "P10"):
        return "the path names several attributes"
    if shape.form == "P1":
        return "no attribute is named"
    return "the path does not end with one attribute"


@rule(
    "RQ312",
    "distinct-target",
    "error",
    spec="R19",
    message="The `$distinct` parameter needs one attribute, given as the last path segment: "
    "{problem}.",
    when=("$distinct",),
)
def distinct_target(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$distinct=true`` on a path that does not end with a single attribute of the dataclass.

    Why: the server returns the distinct values of the attribute that follows the dataclass in
    the path (path form P7, 4D:$distinct); a property path into an object attribute is accepted
    (Qodly's ``address.city``). On a dataclass, an entity, a function or an attribute list there
    is no single attribute to take values from.

    Example: ``/rest/Company?$distinct=true`` — error.
    ``/rest/Company/name,address?$distinct=true`` — error.
    ``/rest/Company/name?$filter="name=a*"&$distinct=true`` — valid.

    Fix: put the attribute after the dataclass: ``/rest/Company/name?$distinct=true``.

    Spec: R19, §3.10.
    """
    p = ctx.param("$distinct")
    if p is None or not isinstance(p.value, Boolean) or not p.value.value:
        return
    problem = _problem(ctx)
    if problem is None:
        return
    yield rule.at(
        p.span,
        param="$distinct",
        hint="name the attribute in the path, as in /rest/Company/name?$distinct=true",
        problem=problem,
    )


RULES = (distinct_target,)
