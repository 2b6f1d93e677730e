"""R31: ``$skip``, ``$top`` and ``$limit`` are ignored when ``$method=entityset`` saves an
entity set (spec §3.11, §3.12, §7.3)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Word
from restquery.diagnostics import Diagnostic
from restquery.params import names
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import reported_by_r42

_PAGING = names(group="paging")


def _saves_entity_set(ctx: Context) -> bool:
    method = ctx.param("$method")
    return (
        method is not None
        and isinstance(method.value, Word)
        and method.value.value.lower() == "entityset"
    )


@rule(
    "RQ333",
    "paging-ignored-on-entityset",
    "warning",
    spec="R31",
    message="The `{name}` parameter is ignored when `$method=entityset` saves an entity set.",
    when=("$method",),
)
def paging_ignored_on_entityset(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$skip``, ``$top`` or ``$limit`` together with ``$method=entityset``.

    Why: the entity set the server saves holds the whole selection; ``$skip`` and
    ``$top``/``$limit`` are ignored when it is created (4D:$method, ``$method=entityset``).
    Page through the set afterwards with ``GET {dataClass}/$entityset/{id}?$skip=…&$top=…``.

    Example: ``/rest/People/?$filter="ID>320"&$top=10&$method=entityset`` — warning.
    ``/rest/People/?$filter="ID>320"&$method=entityset`` — valid.

    Fix: remove the paging parameter and page when reading the entity set.

    Spec: R31, §3.11, §3.12.
    """
    if not _saves_entity_set(ctx) or reported_by_r42(ctx, "$method"):
        return
    for name in _PAGING:
        for p in ctx.params.get(name, ()):
            yield rule.at(
                p.span,
                param=name,
                hint=f"remove {p.name} and page when reading the entity set",
                fix=ctx.remove_param(p, f"remove {p.name}"),
                name=name,
            )


RULES = (paging_ignored_on_entityset,)
