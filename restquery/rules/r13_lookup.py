"""R13: with a catalog, the attribute of ``{dataClass}:{attribute}(value)`` is a storage
attribute (spec §2.4 P4, §7.2).

An unknown look-up attribute is R10's business (RQ202).
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import LookupSegment
from restquery.catalog import STORAGE
from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import lookup_attribute_span, path_dataclass

__all__ = ["RULES"]

_KIND_WORDS = {
    "relatedEntity": "a related-entity (N→1) attribute",
    "relatedEntities": "a related-entities (1→N) attribute",
    "calculated": "a calculated attribute",
    "alias": "an alias attribute",
}


@rule(
    "RQ205",
    "lookup-attribute-kind",
    "warning",
    spec="R13",
    message="The look-up attribute `{attribute}` is {kind}, not a storage attribute.",
    needs_catalog=True,
)
def lookup_attribute_kind(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With a catalog: an entity looked up by an attribute that is not a storage attribute.

    Why: ``{dataClass}:{attribute}(value)`` returns the one entity whose attribute holds a
    unique value (4D:dataClass); relation, calculated and alias attributes hold no value of
    their own to match, and the docs only show storage attributes (``companyCode``,
    ``lastName``).

    Example: ``/rest/Employee:fullName(Jones)`` — warning when ``fullName`` is calculated.
    ``/rest/Company:companyCode(Acme001)`` — valid.

    Fix: look the entity up by a unique storage attribute, or by its key.

    Spec: R13, §2.4 (P4).
    """
    segs = ctx.request.path.segments
    dc = path_dataclass(ctx)
    if dc is None or not segs or not isinstance(segs[0], LookupSegment):
        return
    seg = segs[0]
    attr = dc.attribute(seg.attribute)
    if attr is None or attr.kind == STORAGE or not attr.exposed:
        return
    span, _ = lookup_attribute_span(ctx, seg)
    kind = _KIND_WORDS.get(attr.kind, f"a {attr.kind} attribute")
    yield rule.at(span, hint="look the entity up by a unique storage attribute, or by its key",
                  attribute=seg.attribute, kind=kind)


RULES = (lookup_attribute_kind,)
