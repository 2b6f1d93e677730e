"""R10: with a catalog, every attribute name of the request exists, exposed, on the dataclass
where it is looked up, following relations hop by hop (spec §7.2, §9).

Where attribute names appear, and on which dataclass they are looked up:

* the path: an attribute list (P5, P6, P10, L2) and the single attribute after the dataclass or
  entity (P7 for ``$compute``/``$distinct``, P8) — on the path's dataclass;
* the look-up attribute of ``{dataClass}:{attribute}(value)`` (P4);
* the paths of ``$filter``, ``$savedfilter``, ``$orderby``, ``$savedorderby`` and
  ``$attributes`` (a trailing ``.*`` stripped) — on the path's dataclass, or, when the path ends
  with an entity's relation attribute (P8, ``/rest/Company(1)/staff``), on the relation's
  target; ``$attributes`` and ``$expand`` are not checked after a function, whose result the
  catalog does not describe;
* ``$expand`` — on the path's dataclass (or the P8 relation's target);
* ``$subOrderby`` — on the target of the related-entities attribute that ends the path.

:func:`attribute_paths` lists them for R10 and R14 (:mod:`restquery.rules.r14_object_paths`),
which reports the ``not-an-object`` case of :meth:`Catalog.resolve_path` — so this rule does not.
"""

from __future__ import annotations

from collections.abc import Iterator


from restquery.ast import (
    AttributeList,
    AttributePath,
    Comparison,
    Filter,
    LookupSegment,
    PathList,
    SortList,
    Span,
)
from restquery.catalog import (
    APPLY_TO_DATACLASS,
    APPLY_TO_ENTITY,
    APPLY_TO_ENTITY_SELECTION,
    UNKNOWN_ATTRIBUTE,
    Catalog,
    DataClass,
    PathResolution,
)
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from restquery._records import NamedTuple

__all__ = ["RULES", "AttributeRef", "attribute_paths", "lookup_attribute_span", "path_dataclass"]

#: Parameters whose value holds attribute paths.
_PATH_PARAMS = frozenset(
    {"$filter", "$savedfilter", "$orderby", "$savedorderby", "$subOrderby", "$attributes",
     "$expand"}
)
# Forms whose result is what a function returns: the catalog does not describe it.
_FUNCTION_FORMS = frozenset({"P12", "P13", "P14", "L1", "L2"})


class AttributeRef(NamedTuple):
    """One attribute path of the request: the dataclasses it may be looked up on (the first is
    the one to report against), its names and the span of each name in the URL."""

    owners: tuple[DataClass, ...]
    names: tuple[str, ...]
    spans: tuple[Span, ...]
    param: str | None = None
    tail: bool = False


def path_dataclass(ctx: Context) -> DataClass | None:
    """The catalog's exposed dataclass of a dataclass path, if the catalog describes it."""
    cat = ctx.catalog
    segs = ctx.request.path.segments
    if cat is None or not segs:
        return None
    shape = ctx.shape
    if shape is not None and shape.resource != "dataclass":
        return None
    name = getattr(segs[0], "name", None)
    if not isinstance(name, str):
        return None
    dc = cat.dataclass(name)
    if dc is None or not dc.exposed or not dc.attributes_known:
        return None
    return dc


def lookup_attribute_span(ctx: Context, seg: LookupSegment) -> tuple[Span, bool]:
    """The span of the attribute name in ``Company:companyCode(…)``, and whether the URL spells
    it exactly there (a hand-built segment without that span gives the segment's span)."""
    span = seg.attribute_span if seg.attribute_span[1] > seg.attribute_span[0] else seg.span
    url = ctx.url
    return Span(*span), url is not None and url[span[0] : span[1]] == seg.attribute


def _ref(owners: tuple[DataClass, ...], path: AttributePath, param: str | None,
         tail: bool = False) -> AttributeRef:
    return AttributeRef(
        owners=owners,
        names=path.names,
        spans=tuple(p.span for p in path.parts),
        param=param,
        tail=tail,
    )


def _filter_paths(flt: Filter) -> list[AttributePath]:
    """The attribute paths compared in ``flt``, in text order (placeholders in path position
    name no attribute of their own)."""
    found = [
        c.left for c in flt.expr.find_all(Comparison) if isinstance(c.left, AttributePath)
    ]
    if flt.order_by is not None:  # query()'s "order by" clause
        found.extend(item.path for item in flt.order_by.items)
    return found


def attribute_paths(ctx: Context) -> Iterator[AttributeRef]:
    """Every attribute path of the request with the dataclass(es) it is looked up on."""
    cat = ctx.catalog
    dc = path_dataclass(ctx)
    if cat is None or dc is None:
        return
    shape = ctx.shape
    segs = ctx.request.path.segments
    first = segs[0]
    own = (dc,)
    form = shape.form if shape is not None else None

    if isinstance(first, LookupSegment):
        span, _ = lookup_attribute_span(ctx, first)
        yield AttributeRef(owners=own, names=(first.attribute,), spans=(span,))

    # After an entity's relation attribute (P8), the parameters name attributes of its target.
    target: DataClass | None = None
    to_many_tail = False
    if shape is not None and form is not None:
        if shape.projection is not None:
            for path in shape.projection.paths:
                yield _ref(own, path, None)
        if shape.tail is not None and shape.tail_kind != "function":
            for path in shape.tail.paths:
                yield _ref(own, path, None, tail=shape.tail.name is not None)
            if form == "P8":
                res = cat.resolve_path(dc, shape.tail.paths[0].names)
                if res.ok and res.checked and res.target is not None:
                    target, to_many_tail = res.target, res.to_many
    if form == "P11":
        return
    if form == "P8":
        if target is None:
            return  # a picture, BLOB or scalar value: its parameters name no attributes
        data_owners: tuple[DataClass, ...] = (target,)
        expand_owners: tuple[DataClass, ...] = (dc, target)
    else:
        data_owners = expand_owners = own
    result_described = form not in _FUNCTION_FORMS

    for name, occurrences in ctx.params.items():
        if name not in _PATH_PARAMS:
            continue
        for p in occurrences:
            value = p.value
            if isinstance(value, Filter):  # $filter, $savedfilter
                for path in _filter_paths(value):
                    yield _ref(data_owners, path, name)
            elif isinstance(value, SortList):
                if name != "$subOrderby":
                    owners: tuple[DataClass, ...] = data_owners
                elif to_many_tail and target is not None:
                    owners = (target,)
                else:
                    continue
                for item in value.items:
                    yield _ref(owners, item.path, name)
            elif isinstance(value, AttributeList) and result_described:
                for attr in value.items:
                    if attr.path is not None:
                        yield _ref(data_owners, attr.path, name)
            elif isinstance(value, PathList) and result_described:  # $expand
                for path in value.paths:
                    yield _ref(expand_owners, path, name)


def resolve(cat: Catalog, ref: AttributeRef) -> tuple[DataClass, PathResolution]:
    """The resolution of ``ref`` on the first of its owners where it resolves (else on the
    first owner), with that owner."""
    first = cat.resolve_path(ref.owners[0], ref.names)
    if first.ok:
        return ref.owners[0], first
    for owner in ref.owners[1:]:
        res = cat.resolve_path(owner, ref.names)
        if res.ok:
            return owner, res
    return ref.owners[0], first


def _hidden_hop(
    cat: Catalog, owner: DataClass, names: tuple[str, ...]
) -> tuple[int, DataClass] | None:
    """The first name of the path naming an attribute that is not exposed, with its owner."""
    for i, name in enumerate(names):
        attr = owner.attribute(name)
        if attr is None:
            return None
        if not attr.exposed:
            return i, owner
        if attr.is_object or i == len(names) - 1:
            return None
        nxt = cat.relation_target(owner, attr)
        if nxt is None or not nxt.attributes_known:
            return None
        owner = nxt
    return None


def _function_elsewhere(dc: DataClass, name: str, entity: bool) -> bool:
    """``name`` is a function of ``dc`` that applies to another target than the path's."""
    if entity:
        return any(dc.function(name, apply_to=a) is not None
                   for a in (APPLY_TO_DATACLASS, APPLY_TO_ENTITY_SELECTION))
    return dc.function(name, apply_to=APPLY_TO_ENTITY) is not None


@rule(
    "RQ202",
    "unknown-attribute",
    "error",
    spec="R10",
    message="The dataclass `{dataclass}` has no {what} `{name}`.",
    needs_catalog=True,
)
def unknown_attribute(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With a catalog: an attribute that its dataclass does not have, or does not expose.

    Why: attribute names are case-sensitive and resolved hop by hop through relations
    (``employer.name`` is ``name`` of the ``Company`` that ``employer`` leads to); the server
    answers 404 "The "X" attribute cannot be found" for an unknown or not-exposed one, in the
    path, a look-up, ``$filter``, ``$orderby``, ``$attributes`` or ``$expand``. A single name
    after the dataclass that is neither an attribute nor a function fails the same way.

    Example: ``/rest/Employee?$filter="employer.nmae=acme"`` — error (did you mean ``name``?).
    ``/rest/Employee/firstName,lastname`` — error. ``/rest/Employee?$orderby="employer.name"``
    — valid.

    Fix: spell the attribute as the catalog does, on the dataclass the path leads to.

    Spec: R10, R11, §2.3, §4.4, §5, §6.
    """
    cat = ctx.catalog
    if cat is None:
        return
    shape = ctx.shape
    for ref in attribute_paths(ctx):
        start, res = resolve(cat, ref)
        hidden = _hidden_hop(cat, start, ref.names) if res.ok or (
            res.reason == UNKNOWN_ATTRIBUTE
        ) else None
        if hidden is not None:
            index, owner = hidden
            yield rule.at(
                ref.spans[index],
                param=ref.param,
                hint="expose the attribute, or remove it from the request",
                dataclass=owner.name,
                what="exposed attribute",
                name=ref.names[index],
            )
            continue
        if res.ok or res.reason != UNKNOWN_ATTRIBUTE or res.error_index is None:
            continue
        index = res.error_index
        owner = res.dataclass if res.dataclass is not None else start
        name = ref.names[index]
        candidates = [a.name for a in owner.attributes.values() if a.exposed]
        what = "attribute"
        if ref.tail and index == 0:
            entity = bool(shape is not None and shape.entity)
            if _function_elsewhere(owner, name, entity):
                continue  # a function called on the wrong target: R11 reports it
            what = "attribute or function"
            wanted = (
                (APPLY_TO_ENTITY,) if entity else (APPLY_TO_DATACLASS, APPLY_TO_ENTITY_SELECTION)
            )
            candidates += [f.name for f in owner.functions
                           if f.exposed and (f.apply_to is None or f.apply_to in wanted)]
        hint = ctx.did_you_mean(name, candidates)
        fix = None
        span = ref.spans[index]
        close = [c for c in dict.fromkeys(candidates) if c.casefold() == name.casefold()]
        if hint is not None and len(close) == 1 and ctx.url is not None and (
            ctx.url[span.start : span.end] == name
        ):
            fix = Fix(edits=(Edit(offset=span.start, length=span.end - span.start, text=close[0]),),
                      description=f"write {close[0]}")
        yield rule.at(span, param=ref.param, hint=hint, fix=fix, dataclass=owner.name,
                      what=what, name=name)


RULES = (unknown_attribute,)
