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

:func:`restquery.semantics.facts.attribute_paths` lists them for R10 and R14
(:mod:`restquery.rules.r14_object_paths`), which reports the ``not-an-object`` case of :meth:`Catalog.resolve_path` — so this rule does not.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.catalog import (
    APPLY_TO_DATACLASS,
    APPLY_TO_ENTITY,
    APPLY_TO_ENTITY_SELECTION,
    UNKNOWN_ATTRIBUTE,
    Catalog,
    DataClass,
)
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import (
    attribute_paths,
    resolve,
)

__all__ = ["RULES"]


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
