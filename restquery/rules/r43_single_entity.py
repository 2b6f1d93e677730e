"""R43: collection parameters are pointless on a path that addresses one entity (spec §7.3)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Word
from restquery.diagnostics import Diagnostic
from restquery.params import names
from restquery.rules._base import Context, Rule, rule

#: Parameters that filter, sort, page, aggregate or reshape a collection.
COLLECTION_PARAMETERS = names(group="collection")
#: Spec R43 also lists ``$distinct`` and ``$compute``; on these paths R19 (RQ312) and R18
#: (RQ308) already report them as errors, so this rule leaves them out.

#: One entity (P2–P4), its attribute list (P6) and an entity function (P14). Not P8: an
#: entity's related-entities attribute is a collection.
SINGLE_ENTITY_FORMS = frozenset({"P2", "P3", "P4", "P6", "P14"})


@rule(
    "RQ353",
    "parameter-on-single-entity",
    "warning",
    spec="R43",
    message="The `{name}` parameter acts on collections, but the path addresses one entity.",
    when=COLLECTION_PARAMETERS,
)
def parameter_on_single_entity(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$filter``, ``$orderby``, ``$top``/``$limit``, ``$skip``, ``$asArray`` or ``$format`` on a
    path that addresses one entity.

    Why: these parameters filter, sort, page, aggregate or reshape a set of entities; on
    ``{dataClass}({key})``, ``{dataClass}[{key}]``, ``{dataClass}:{attribute}({value})``, their
    attribute lists and entity functions there is one entity and nothing for them to do.
    An entity's related-entities attribute (``/rest/Company(1)/staff``) is a collection and is
    not concerned, nor is Qodly's ``$method=entityset`` on an entity. ``$distinct`` and
    ``$compute`` there are errors of R19 and R18.

    Example: ``/rest/Employee(1)?$orderby="lastName"`` — warning.
    ``/rest/Employee?$orderby="lastName"`` — valid.

    Fix: remove the parameter, or address the collection instead of one entity.

    Spec: R43, §2.4.
    """
    if ctx.shape.form not in SINGLE_ENTITY_FORMS:
        return
    method = ctx.param("$method")
    if (
        method is not None
        and isinstance(method.value, Word)
        and (method.value.value.lower() == "entityset")
    ):
        return
    for p in ctx.iter_params():
        name = p.canonical
        if name in COLLECTION_PARAMETERS:
            yield rule.at(
                p.span,
                param=name,
                hint=f"remove {p.name}, or address the collection",
                name=name,
            )


RULES = (parameter_on_single_entity,)
