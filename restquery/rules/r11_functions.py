"""R11: with a catalog, every function the path calls exists, is exposed, and applies to what
the path addresses (spec §2.3, §7.2, §9).

Checked: datastore functions (``$catalog/{function}``, P18 — an unknown name there is R9's),
singleton classes and their functions (``$singleton/{Class}/{function}``, P19 — only when the
catalog lists singletons), dataclass, entity and entity-selection functions (P12–P14, L1, L2),
and a single name after a dataclass or entity that is not an attribute but a function of
another kind (an entity function called on the dataclass, or the reverse). The server looks
for an exposed function first and otherwise reads the name as an attribute, so a function that
is not exposed fails with errors 1500 and 1804 (Q:classFunctionsOverview).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from restquery.ast import CallSegment, KeySegment, NamesSegment, Segment, Span
from restquery.catalog import (
    APPLY_TO_DATACLASS,
    APPLY_TO_ENTITY,
    APPLY_TO_ENTITY_SELECTION,
    Function,
)
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule, segment_name_span
from restquery.semantics.facts import path_dataclass

__all__ = ["RULES"]


def _name_span(ctx: Context, seg: Segment, name: str) -> tuple[Span, bool]:
    """The span of the function name in ``seg`` (without call arguments), and whether the URL
    spells it exactly there."""
    span = segment_name_span(seg) if isinstance(seg, (CallSegment, KeySegment)) else Span(*seg.span)
    return span, ctx.url is not None and ctx.url[span.start : span.end] == name


def _case_fix(ctx: Context, span: Span, exact: bool, name: str, hint: str | None,
              candidates: Iterable[str]) -> Fix | None:
    close = [c for c in dict.fromkeys(candidates) if c.casefold() == name.casefold()]
    if hint is None or not exact or len(close) != 1:
        return None
    return Fix(edits=(Edit(offset=span.start, length=span.end - span.start, text=close[0]),),
               description=f"write {close[0]}")


def _exposed(functions: Iterable[Function]) -> list[str]:
    return [f.name for f in functions if f.exposed]


@rule(
    "RQ203",
    "unknown-function",
    "error",
    spec="R11",
    message="The name `{name}` is not {what}.",
    needs_catalog=True,
)
def unknown_function(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With a catalog: an unknown or hidden function, or one called on the wrong target.

    Why: the server only calls exposed functions (datastore functions under ``$catalog/``,
    singleton functions under ``$singleton/``, dataclass and entity-selection functions after
    the dataclass, entity functions after an entity). A function that is not exposed is read as
    an attribute and fails with errors 1500 and 1804; an entity function called on the
    dataclass (or the reverse) is not found either, nor is a singleton class the catalog does
    not list.

    Example: ``/rest/$singleton/VehicleFactory/buildVehicule`` — error (did you mean
    ``buildVehicle``?). ``/rest/Employee(3)/getHighSalaries`` — error when ``getHighSalaries``
    is a dataclass function. ``/rest/$singleton/VehicleFactory/buildVehicle`` — valid.

    Fix: call an exposed function by its exact name, on the target it applies to; expose the
    function in its class.

    Spec: R11, §2.3, §2.4 (P12–P14, P18, P19, L1, L2).
    """
    cat = ctx.catalog
    shape = ctx.shape
    if cat is None or shape is None:
        return
    segs = ctx.request.path.segments

    if shape.form == "P17" and shape.tail is not None and shape.tail.name is not None:
        name = shape.tail.name
        fn = cat.function(name)
        if fn is not None and not fn.exposed and cat.dataclass(name) is None:
            yield rule.at(shape.tail.span, hint="expose the function in the DataStore class",
                          name=name, what="an exposed datastore function")
        return

    if shape.form == "P19":
        if not cat.singletons:
            return  # the catalog says nothing about singletons
        cls_seg, fn_seg = segs[1], segs[2]
        assert isinstance(cls_seg, NamesSegment) and isinstance(fn_seg, NamesSegment)
        cls_name, fn_name = cls_seg.name or "", fn_seg.name or ""
        singleton = cat.singleton(cls_name)
        if singleton is None:
            names = list(cat.singletons)
            span, exact = _name_span(ctx, cls_seg, cls_name)
            hint = ctx.did_you_mean(cls_name, names)
            yield rule.at(span, hint=hint, fix=_case_fix(ctx, span, exact, cls_name, hint, names),
                          name=cls_name, what="a shared singleton of the catalog")
            return
        fn = singleton.function(fn_name)
        span, exact = _name_span(ctx, fn_seg, fn_name)
        if fn is None:
            names = _exposed(singleton.functions)
            hint = ctx.did_you_mean(fn_name, names)
            yield rule.at(span, hint=hint, fix=_case_fix(ctx, span, exact, fn_name, hint, names),
                          name=fn_name, what=f"a function of the singleton `{cls_name}`")
        elif not fn.exposed:
            yield rule.at(span, hint="expose the function in the singleton class",
                          name=fn_name, what=f"an exposed function of the singleton `{cls_name}`")
        return

    dc = path_dataclass(ctx)
    if dc is None:
        return
    if shape.function is not None:
        seg = shape.function
        called = getattr(seg, "name", None)
        if not isinstance(called, str):
            return
        span, exact = _name_span(ctx, seg, called)
        fn = dc.function(called)
        if fn is None:
            names = _exposed(dc.functions)
            hint = ctx.did_you_mean(called, names)
            yield rule.at(span, hint=hint, fix=_case_fix(ctx, span, exact, called, hint, names),
                          name=called, what=f"a function of the dataclass `{dc.name}`")
        elif not fn.exposed:
            yield rule.at(span, hint="expose the function in its class (`exposed Function`)",
                          name=called, what=f"an exposed function of the dataclass `{dc.name}`")
        return

    # A single name after the dataclass or entity that the catalog knows as a function of
    # another kind, and not as an attribute.
    tail = shape.tail
    if shape.form not in ("P7", "P8") or tail is None or tail.name is None:
        return
    name = tail.name
    if dc.attribute(name) is not None:
        return
    span, _ = _name_span(ctx, tail, name)
    if shape.entity:
        other = (APPLY_TO_DATACLASS, APPLY_TO_ENTITY_SELECTION)
        if any(dc.function(name, apply_to=a) for a in other):
            yield rule.at(
                span,
                hint=f"call it on the dataclass: `/rest/{dc.name}/{name}`",
                name=name,
                what=f"an entity function of the dataclass `{dc.name}`",
            )
    elif dc.function(name, apply_to=APPLY_TO_ENTITY) is not None:
        yield rule.at(
            span,
            hint=f"call it on an entity: `/rest/{dc.name}({{key}})/{name}`",
            name=name,
            what=f"a dataclass or entity-selection function of `{dc.name}`",
        )


RULES = (unknown_function,)
