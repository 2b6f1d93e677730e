"""R29: ``$clean=true`` makes a new entity set without the deleted entities of an existing one,
and needs ``$method=entityset`` (spec §3.21, §7.3).

Documented: ``GET /rest/Speciality/$entityset/DF6903FB5879404A9A818884CFC6F62A?$clean=true&$method=entityset``.
Values other than ``true`` are R33's business.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Boolean
from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import method_value


@rule(
    "RQ330",
    "clean-target",
    "error",
    spec="R29",
    message="The `$clean` parameter works on an entity-set path together with "
    "`$method=entityset`: {problem}.",
    when=("$clean",),
)
def clean_target(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$clean=true`` off an entity-set path, or without ``$method=entityset``.

    Why: the server copies the entity set of ``{dataClass}/$entityset/{entitySetID}`` into a new
    one without references to deleted entities, and only does so when ``$method=entityset``
    follows (4D:$clean). Other resources are R42's business.

    Example: ``/rest/Speciality/$entityset/DF6903FB5879404A9A818884CFC6F62A?$clean=true`` —
    error. ``/rest/Speciality?$clean=true&$method=entityset`` — error.
    ``/rest/Speciality/$entityset/DF6903FB5879404A9A818884CFC6F62A?$clean=true&$method=entityset``
    — valid.

    Fix: send ``$clean=true&$method=entityset`` to ``/rest/{dataClass}/$entityset/{entitySetID}``.

    Spec: R29, §3.21.
    """
    p = ctx.param("$clean")
    if p is None or not isinstance(p.value, Boolean) or not p.value.value:
        return
    shape = ctx.shape
    if shape.resource != "dataclass":
        return
    if shape.form is not None and shape.form != "P9":
        yield rule.at(
            p.span,
            param="$clean",
            hint=f"send it to an entity set: /rest/{shape.dataclass}/$entityset/{{entitySetID}}",
            problem="the path is not an entity set",
        )
    method = ctx.param("$method")
    if method is None:
        yield rule.at(
            p.span,
            param="$clean",
            hint="add &$method=entityset",
            fix=ctx.append_param("$method=entityset", "add $method=entityset"),
            problem="`$method=entityset` is missing",
        )
    elif method_value(ctx) != "entityset":
        yield rule.at(
            method.span,
            param="$method",
            hint="use $method=entityset",
            problem="`$method` is not `entityset`",
        )


RULES = (clean_target,)
