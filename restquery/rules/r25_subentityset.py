"""R25: ``$method=subentityset`` makes an entity set of one entity's related entities, named
by the path and again by ``$expand``; ``$subOrderby`` sorts it (spec §3.13, §3.14, §7.3).

Documented: ``GET /rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastName ASC``
and Qodly's ``/rest/Users(4)/Orders?$expand=Orders&$method=subentityset``.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import PathList
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import method_value


def _attribute(ctx: Context) -> str | None:
    """The attribute that ends a P8 path (one entity's attribute), dotted."""
    shape = ctx.shape
    if shape.form == "P8" and shape.tail is not None and shape.tail_kind != "function":
        return shape.tail.paths[0].dotted
    return None


@rule(
    "RQ322",
    "subentityset-target",
    "error",
    spec="R25",
    message="The `subentityset` method works on one entity's related-entities attribute, named "
    "again in `$expand`: {problem}.",
    when=("$method",),
)
def subentityset_target(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$method=subentityset`` not on an entity's related entities named again by ``$expand``.

    Why: the server builds the entity set from the related entities (1→N relation) of the entity
    in the path, and ``$expand`` must name that same attribute (4D:$method). With a catalog the
    attribute must be a ``relatedEntities`` one (or an alias of one); the check stays silent
    when the catalog cannot tell. Other resources are R42's business.

    Example: ``GET /rest/Company/staff?$method=subentityset&$expand=staff`` — error (not one
    entity). ``GET /rest/Company(1)/staff?$method=subentityset`` — error (no ``$expand``).
    ``GET /rest/Employee(1)/employer?$expand=employer&$method=subentityset`` — error with a
    catalog (N→1). ``GET /rest/Company(1)/staff?$expand=staff&$method=subentityset`` — valid.

    Fix: address ``/rest/{dataClass}({key})/{relatedEntities}`` and add
    ``&$expand={relatedEntities}``.

    Spec: R25, §3.5, §3.13.
    """
    shape = ctx.shape
    if method_value(ctx) != "subentityset" or shape.resource != "dataclass" or shape.form is None:
        return
    method = ctx.param("$method")
    assert method is not None
    attribute = _attribute(ctx)
    if attribute is None:
        yield rule.at(
            method.span,
            param="$method",
            hint="address one entity's related entities, as in "
            "/rest/Company(1)/staff?$expand=staff&$method=subentityset",
            problem="the path does not end with an attribute of one entity",
        )
        return
    expand = ctx.param("$expand")
    if expand is None:
        yield rule.at(
            method.span,
            param="$method",
            hint=f"add &$expand={attribute}",
            fix=ctx.append_param(f"$expand={attribute}", f"add $expand={attribute}"),
            problem="`$expand` is missing",
        )
    elif isinstance(expand.value, PathList) and attribute not in (
        p.dotted for p in expand.value.paths
    ):
        value = expand.value
        fix = None
        if not expand.quote:
            fix = Fix(
                edits=(
                    Edit(
                        offset=value.span[0], length=value.span[1] - value.span[0], text=attribute
                    ),
                ),
                description=f"expand {attribute}",
            )
        yield rule.at(
            value.span,
            param="$expand",
            hint=f"use $expand={attribute}",
            fix=fix,
            problem=f"`$expand` does not name `{attribute}`",
        )
    problem = _kind_problem(ctx)
    if problem is not None and shape.tail is not None:
        yield rule.at(
            shape.tail.span,
            param="$method",
            hint="address a related-entities (1→N) attribute",
            problem=problem,
        )


def _kind_problem(ctx: Context) -> str | None:
    """With a catalog: why the P8 attribute is not a related-entities one, if the catalog can
    tell."""
    dc, tail = ctx.dataclass, ctx.shape.tail
    if ctx.catalog is None or dc is None or tail is None:
        return None
    res = ctx.catalog.resolve_path(dc, tail.paths[0].names)
    if not res.ok or not res.checked or res.in_object or res.attribute is None or res.to_many:
        return None
    eff = res.effective
    name = tail.paths[0].dotted
    if eff is None:
        return None  # an alias the catalog cannot follow
    if eff.is_related_entities:
        return None  # its target is missing from the catalog, but the kind is right
    if eff.is_related_entity or res.target is not None:
        return f"`{name}` leads to one related entity (N→1)"
    if eff.type_class == "unknown":
        return None
    return f"`{name}` is of type `{eff.type}`"


@rule(
    "RQ323",
    "suborderby-without-subentityset",
    "error",
    spec="R25",
    message="The `$subOrderby` parameter only works with `$method=subentityset`.",
    when=("$subOrderby",),
)
def suborderby_without_subentityset(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$subOrderby`` without ``$method=subentityset``.

    Why: ``$subOrderby`` sorts the entity set that ``$method=subentityset`` builds from related
    entities (4D:$method); elsewhere the server ignores it. Other resources than dataclasses are
    R42's business.

    Example: ``GET /rest/Company(1)/staff?$expand=staff&$subOrderby=lastName ASC`` — error.
    ``GET /rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastName ASC``
    — valid.

    Fix: add ``&$method=subentityset``, or sort with ``$orderby`` instead.

    Spec: R25, §3.14.
    """
    if method_value(ctx) == "subentityset" or ctx.shape.resource != "dataclass":
        return  # R42 reports parameters on other resources
    for p in ctx.params.get("$subOrderby", ()):
        yield rule.at(
            p.span,
            param="$subOrderby",
            hint="add &$method=subentityset, or sort with $orderby",
        )


RULES = (subentityset_target, suborderby_without_subentityset)
