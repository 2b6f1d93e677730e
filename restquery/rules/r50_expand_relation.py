"""R50: loading relations with ``$expand`` is kept for compatibility; ``$attributes`` is the
documented way (spec §3.4, §3.5)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import companion, expanded, is_relation

#: Paths whose `$expand` can only be a relation use: collections (P1, P5), entities (P2–P4,
#: P6) and entity sets (P9, P10). P8 is the deferred/picture form; functions return anything.
_RELATION_FORMS = frozenset({"P1", "P2", "P3", "P4", "P5", "P6", "P9", "P10"})


@rule(
    "RQ360",
    "expand-for-relation",
    "warning",
    spec="R50",
    message="Loading the relation `{name}` with `$expand` is kept for compatibility; "
    "`$attributes` is the documented way.",
    when=("$expand",),
)
def expand_for_relation(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$expand`` used to load a relation attribute.

    Why: the ``$expand`` page keeps relation expansion "for compatibility" and recommends
    ``$attributes`` (``relation.*`` for all attributes of the related entities, or chosen
    ones, spec §6.1). The server-generated deferred form that repeats the path's last attribute
    (``/rest/Company(1)/staff?$expand=staff``) and the picture, BLOB and ``$method=subentityset``
    uses are not concerned. Without a catalog every ``$expand`` on a collection, entity or
    entity-set path counts as a relation use.

    Example: ``/rest/Company(1)?$expand=staff`` — warning.
    ``/rest/Company(1)?$attributes=staff.*`` — valid.

    Fix: replace ``$expand=staff`` with ``$attributes=staff.*`` (adding the other attributes
    the response needs).

    Spec: R50, §3.4, §3.5.
    """
    if ctx.shape.form not in _RELATION_FORMS or companion(ctx):
        return
    for path in expanded(ctx):
        if (
            ctx.catalog is not None
            and ctx.dataclass is not None
            and is_relation(ctx, path) is not True
        ):
            continue  # not a relation: R49; unknown: R10
        yield rule.at(
            path.span,
            param="$expand",
            hint=f"use $attributes={path.dotted}.* (with the other attributes you need)",
            name=path.dotted,
        )


RULES = (expand_for_relation,)
