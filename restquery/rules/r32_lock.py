"""R32: ``$lock`` takes ``true`` or ``false`` and locks or unlocks one entity (spec §3.18)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Boolean
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule

#: The forms that address one entity by itself (a selector with nothing after it).
_ENTITY_FORMS = frozenset({"P2", "P3", "P4"})


@rule(
    "RQ334",
    "lock-target",
    "error",
    spec="R32",
    message="The `$lock` parameter takes `true` or `false` and applies to one entity.",
    when=("$lock",),
)
def lock_target(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$lock`` with a value other than ``true``/``false``, or on a path that is not one entity.

    Why: ``$lock=true`` puts a pessimistic session lock on the entity the path addresses and
    ``$lock=false`` releases it (4D:$lock); the docs show it only after an entity selector,
    ``GET /rest/Customers(1)/?$lock=true``. A collection, an attribute or a function result
    cannot be locked.

    Example: ``/rest/Customers(1)/?$lock=yes`` — error. ``/rest/Customers?$lock=true`` — error.
    ``/rest/Customers(1)/?$lock=true`` — valid.

    Fix: use ``$lock=true`` or ``$lock=false`` on ``{dataClass}({key})``,
    ``{dataClass}[{key}]`` or ``{dataClass}:{attribute}({value})``.

    Spec: R32, §3.18.
    """
    for p in ctx.params.get("$lock", ()):
        if not isinstance(p.value, Boolean):
            if p.value is None:
                fix = Fix(
                    edits=(Edit(offset=p.span.end, length=0, text="=true"),),
                    description="lock the entity: $lock=true",
                )
                yield rule.at(
                    p.span, param="$lock", hint="write $lock=true or $lock=false", fix=fix
                )
            else:
                span = p.value.span if p.value.span.end > p.value.span.start else p.span
                yield rule.at(span, param="$lock", hint="write $lock=true or $lock=false")
            continue
        shape = ctx.shape
        if shape.resource != "dataclass" or shape.form is None:
            continue  # descriptive resources are R42's, broken paths R3's
        if shape.form not in _ENTITY_FORMS:
            yield rule.at(
                p.span,
                param="$lock",
                hint="address one entity, e.g. /rest/Customers(1)/?$lock=true",
            )


RULES = (lock_target,)
