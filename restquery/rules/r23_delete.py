"""R23: ``$method=delete`` deletes one entity, the entities a filter selects, or an entity
set (spec §3.13, §7.3).

Documented: ``POST /rest/Employee(22)/?$method=delete``, ``$filter="ID=11"&$method=delete`` on a
dataclass, ``POST /rest/Employee/$entityset/{id}?$method=delete``; Qodly also shows the bracket
key and ``POST …/rest/Users?$method=delete&$atomic=true`` without a filter.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import extra_path_span, method_value, path_kind

#: One entity (P2–P4) or an entity set (P9); a dataclass (P1) needs `$filter`.
_DELETE_FORMS = ("P2", "P3", "P4", "P9")


def _applies(ctx: Context) -> bool:
    shape = ctx.shape
    return (
        method_value(ctx) == "delete" and shape.resource == "dataclass" and shape.form is not None
    )


@rule(
    "RQ318",
    "delete-target",
    "error",
    spec="R23",
    message="A `$method=delete` request addresses one entity, a filtered dataclass or an entity "
    "set, not {what}.",
    when=("$method",),
)
def delete_target(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$method=delete`` on a path that is neither an entity, a dataclass nor an entity set.

    Why: the server deletes the entity of ``{dataClass}({key})`` (or ``[key]``, or
    ``:attribute(value)``), the entities of the dataclass that ``$filter`` selects, or those of
    ``{dataClass}/$entityset/{id}`` (4D:$method); an attribute, an attribute list or a function
    after the path designates nothing to delete. Other resources are R42's business.

    Example: ``POST /rest/Employee(22)/photo?$method=delete`` — error.
    ``POST /rest/Employee/firstName,lastName?$method=delete`` — error.
    ``POST /rest/Employee(22)/?$method=delete`` and
    ``POST /rest/Employee?$filter="ID=11"&$method=delete`` — valid.

    Fix: address the entity, the dataclass with ``$filter``, or the entity set.

    Spec: R23, §3.13.
    """
    if not _applies(ctx) or ctx.shape.form in _DELETE_FORMS or ctx.shape.form == "P1":
        return
    yield rule.at(
        extra_path_span(ctx),
        hint="address one entity (/rest/Employee(22)), the dataclass with $filter, or an "
        "entity set (/rest/Employee/$entityset/{id})",
        what=path_kind(ctx),
    )


@rule(
    "RQ319",
    "delete-everything",
    "warning",
    spec="R23",
    message="Without `$filter`, `$method=delete` on a dataclass deletes all of its entities.",
    when=("$method",),
)
def delete_everything(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$method=delete`` on a bare dataclass without ``$filter``.

    Why: with no filter the selection is the whole dataclass, so every entity is deleted. The
    4D page only shows deletion of filtered dataclasses; Qodly shows
    ``POST …/rest/Users?$method=delete&$atomic=true`` without saying what it deletes [I].

    Example: ``POST /rest/Employee?$method=delete`` — warning.
    ``POST /rest/Employee?$filter="ID=11"&$method=delete`` — valid.

    Fix: add a ``$filter`` that selects the entities to delete (or address one entity).

    Spec: R23 ([I] for the warning), §3.13.
    """
    if not _applies(ctx) or ctx.shape.form != "P1" or ctx.has("$filter"):
        return
    p = ctx.param("$method")
    assert p is not None
    yield rule.at(
        p.span,
        param="$method",
        hint="add a $filter selecting the entities to delete",
    )


RULES = (delete_target, delete_everything)
