"""R49: ``$expand`` names a relation attribute of the addressed dataclass, or the attribute that
ends the path (spec §3.5, §6.3)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import AttributePath
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import companion, expanded, is_relation


def path_attribute(ctx: Context) -> AttributePath | None:
    """The attribute that ends the path when it is one entity's attribute (P8)."""
    shape = ctx.shape
    if shape.form == "P8" and shape.tail is not None and shape.tail_kind != "function":
        return shape.tail.paths[0]
    return None


def _unknown(ctx: Context, path: AttributePath, tail: AttributePath) -> bool:
    """With a catalog: ``path`` names an attribute of neither the path's dataclass nor the
    dataclass its last attribute leads to — R10 reports it."""
    dc, cat = ctx.dataclass, ctx.catalog
    if dc is None or cat is None:
        return False
    owners = [dc]
    res = cat.resolve_path(dc, tail.names)
    if res.ok and res.target is not None:
        owners.append(res.target)
    return all(cat.resolve_path(o, path.names).reason == "unknown-attribute" for o in owners)


def _relations(ctx: Context) -> list[str]:
    dc = ctx.dataclass
    if dc is None or ctx.catalog is None:
        return []
    return [
        a.name
        for a in dc.attributes.values()
        if ctx.catalog.relation_target(dc, a) is not None or a.is_relation
    ]


@rule(
    "RQ359",
    "expand-target",
    "error",
    spec="R49",
    message="The `$expand` value `{name}` is not {expected}.",
    when=("$expand",),
)
def expand_target(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$expand`` naming something it cannot expand.

    Why: ``$expand`` either loads a relation of the addressed entities (compatibility use,
    ``/rest/Company(1)?$expand=staff``), or the picture/BLOB/related entities that end the path,
    when it must repeat the path's last attribute (``/rest/Company(1)/staff?$expand=staff``,
    4D:$expand). On an entity's attribute (P8) any other name is an error; with a catalog, on
    other paths the name must be a relation attribute of the path's dataclass. The picture,
    BLOB and ``$method=subentityset`` uses are checked by R15, R17 and R25; names missing from
    the catalog by R10.

    Example: ``/rest/Company(1)/staff?$expand=employer`` — error.
    ``/rest/Employee?$expand=salary`` — error (with a catalog: ``salary`` is a number).
    ``/rest/Employee?$expand=employer`` — valid (see R50).

    Fix: name the relation to load, or the attribute that ends the path; choose plain
    attributes with ``$attributes``.

    Spec: R49, §3.5.
    """
    paths = expanded(ctx)
    if not paths or companion(ctx):
        return
    shape = ctx.shape
    tail = path_attribute(ctx)
    if tail is not None:
        for path in paths:
            if path.dotted == tail.dotted or _unknown(ctx, path, tail):
                continue
            fix = None
            expand = ctx.param("$expand")
            if len(paths) == 1 and expand is not None and not expand.quote and ctx.url is not None:
                fix = Fix(
                    edits=(
                        Edit(
                            offset=path.span.start,
                            length=path.span.end - path.span.start,
                            text=tail.dotted,
                        ),
                    ),
                    description=f"expand {tail.dotted}",
                )
            yield rule.at(
                path.span,
                param="$expand",
                hint=f"use $expand={tail.dotted}",
                fix=fix,
                name=path.dotted,
                expected=f"`{tail.dotted}`, the attribute that ends the path",
            )
        return
    if shape.resource != "dataclass" or shape.form is None or shape.function is not None:
        return
    if shape.tail_kind == "function":
        return
    for path in paths:
        if is_relation(ctx, path) is not False:
            continue
        hint = f"name a relation attribute, or use $attributes={path.dotted}"
        close = ctx.did_you_mean(path.dotted, _relations(ctx))
        if close:
            hint = f"{hint} ({close})"
        yield rule.at(
            path.span,
            param="$expand",
            hint=hint,
            name=path.dotted,
            expected=f"a relation attribute of `{shape.dataclass}`",
        )


RULES = (expand_target,)
