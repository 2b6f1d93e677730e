"""R35: ``$asArray=true`` does not combine with parameters that return their own result shape
(spec §3.19, §10)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Boolean, Word
from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import reported_by_r42


def _conflict(ctx: Context) -> str | None:
    """The first parameter whose result shape replaces the entity array, spelled for the user."""
    for p in ctx.iter_params():
        name = p.canonical
        if name == "$format" and isinstance(p.value, Word) and p.value.value.lower() == "looker":
            return "$format=looker"
        if name == "$compute" and p.value is not None:
            return "$compute"
        if name == "$distinct" and isinstance(p.value, Boolean) and p.value.value:
            return "$distinct=true"
    return None


@rule(
    "RQ338",
    "asarray-shape",
    "warning",
    spec="R35",
    message="The `$asArray=true` flag conflicts with `{other}`, which returns a different "
    "result shape.",
    when=("$asArray",),
)
def asarray_shape(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$asArray=true`` together with ``$format=looker``, ``$compute`` or ``$distinct=true``.

    Why: ``$asArray`` replaces the ``__ENTITIES`` envelope with a bare array of entities; a
    ``$compute`` result is a value or an object, ``$distinct`` already returns a bare array of
    values and ``$format=looker`` returns ``{schema, rows, …}`` (spec §10). The combinations
    are undocumented and one of the two shapes is lost.

    Example: ``/rest/Employee/salary?$compute=sum&$asArray=true`` — warning.
    ``/rest/Users/?$filter="Name begin u"&$asArray=true`` — valid.

    Fix: remove ``$asArray``.

    Spec: R35, §3.19, §10.
    """
    other = _conflict(ctx)
    if other is None or reported_by_r42(ctx, "$asArray"):
        return
    for p in ctx.params.get("$asArray", ()):
        if isinstance(p.value, Boolean) and p.value.value:
            yield rule.at(
                p.span,
                param="$asArray",
                hint=f"remove {p.name}: {other} decides the result shape",
                other=other,
            )


RULES = (asarray_shape,)
