"""R9: with a catalog, the dataclass of the path is an exposed dataclass of the catalog
(spec §7.2, §9).

Checked: the first segment of a dataclass path (``/rest/Employee…``) and the name after
``$catalog/`` when it is neither a dataclass nor a datastore function (P17/P18). Names are
case-sensitive (spec §1.5).
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Segment, Span
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule, segment_name_span

__all__ = ["RULES", "dataclass_name_span"]


def dataclass_name_span(ctx: Context, seg: Segment, name: str) -> tuple[Span, bool]:
    """The span of the dataclass ``name`` that starts ``seg`` (``Company`` in ``Company(1)``),
    and whether the URL spells it exactly there (so an edit may replace it)."""
    span = segment_name_span(seg)
    return span, ctx.url is not None and ctx.url[span.start : span.end] == name


@rule(
    "RQ201",
    "unknown-dataclass",
    "error",
    spec="R9",
    message="The dataclass `{name}` is {problem}.",
    needs_catalog=True,
)
def unknown_dataclass(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With a catalog: a dataclass the catalog does not list, or lists as not exposed.

    Why: the server only serves exposed dataclasses, by their exact (case-sensitive) name; any
    other name answers 404 "The "X" dataclass cannot be found" (4D:$catalog, Q:api/overview).

    Example: ``/rest/Employe(1)`` — error (did you mean ``Employee``?).
    ``/rest/$catalog/Employe`` — error. ``/rest/Employee(1)`` — valid.

    Fix: use the dataclass name exactly as the catalog spells it, or expose the dataclass.

    Spec: R9, §9.
    """
    cat = ctx.catalog
    if cat is None or cat.partial:
        return  # a $catalog/{dataClass} document does not list the other dataclasses
    shape = ctx.shape
    segs = ctx.request.path.segments
    if not segs:
        return
    if shape is not None and shape.resource == "catalog" and shape.tail is not None:
        # $catalog/{name}: a dataclass (P17) or a datastore function (P18, R11's business)
        seg: Segment = shape.tail
        name = shape.tail.name
        if name is None or cat.function(name) is not None:
            return
        dc = cat.dataclass(name)
        candidates = [n for n, d in cat.dataclasses.items() if d.exposed]
        if dc is None:
            close_dc = [n for n in candidates if n.casefold() == name.casefold()]
            if not cat.functions and not close_dc:
                return  # a 4D $catalog lists no datastore functions: it may be one
            candidates += [f.name for f in cat.functions if f.exposed]
    else:
        if shape is not None and shape.resource != "dataclass":
            return
        seg = segs[0]
        name = getattr(seg, "name", None)
        if not isinstance(name, str):
            return
        dc = cat.dataclass(name)
        candidates = None  # listed only when there is something to report
    if dc is not None and dc.exposed:
        return
    if candidates is None:
        candidates = [n for n, d in cat.dataclasses.items() if d.exposed]
    span, exact = dataclass_name_span(ctx, seg, name)
    if dc is not None:
        yield rule.at(span, hint="expose the dataclass, or address another one", name=name,
                      problem="not exposed")
        return
    hint = ctx.did_you_mean(name, candidates)
    fix = None
    close = [c for c in candidates if c.casefold() == name.casefold()]
    if hint is not None and exact and len(close) == 1:
        fix = Fix(edits=(Edit(offset=span.start, length=span.end - span.start, text=close[0]),),
                  description=f"write {close[0]}")
    yield rule.at(span, hint=hint, fix=fix, name=name, problem="not in the catalog")


RULES = (unknown_dataclass,)
