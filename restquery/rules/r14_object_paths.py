"""R14: with a catalog, a property path (``obj.prop``) only follows an attribute of type
``object`` — or a relation, whose target's attributes follow (spec §4.4, §7.2).

The attribute paths checked, and the dataclass each is looked up on, are those of R10
(:func:`restquery.rules.r10_attributes.attribute_paths`); this rule reports the
``not-an-object`` case of :meth:`Catalog.resolve_path`, R10 the unknown names.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.catalog import NOT_AN_OBJECT
from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import attribute_paths, resolve

__all__ = ["RULES"]


@rule(
    "RQ206",
    "property-of-non-object",
    "error",
    spec="R14",
    message="The name `{name}` cannot follow `{attribute}`, an attribute of type `{type}` that "
    "has no properties.",
    needs_catalog=True,
)
def property_of_non_object(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With a catalog: a name after a scalar attribute in an attribute path.

    Why: only an ``object`` attribute has properties (``objectAtt.property1``) and only a
    relation leads to further attributes (``employer.name``); after a string, number, date,
    picture or BLOB attribute (``salary.amount``) the path names nothing, wherever it is
    written — in the path, ``$filter``, ``$orderby``, ``$attributes`` or ``$expand``.

    Example: ``/rest/Employee/salary.amount?$compute=sum`` — error (``salary`` is a number).
    ``/rest/Employee/objectAtt.property1?$compute=sum`` — valid.

    Fix: stop the path at the scalar attribute, or name an object or relation attribute.

    Spec: R14, §4.4, §6.2.
    """
    cat = ctx.catalog
    if cat is None:
        return
    for ref in attribute_paths(ctx):
        if len(ref.names) < 2:
            continue  # no property to follow anything
        _, res = resolve(cat, ref)
        if res.reason != NOT_AN_OBJECT or res.error_index is None or res.attribute is None:
            continue
        index = res.error_index
        attr = res.effective or res.attribute
        yield rule.at(
            ref.spans[index],
            param=ref.param,
            hint=f"remove `.{ref.names[index]}`, or name an object or relation attribute",
            name=ref.names[index],
            attribute=ref.names[index - 1],
            type=attr.type or "unknown",
        )


RULES = (property_of_non_object,)
