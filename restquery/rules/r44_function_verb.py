"""R44: functions are called with POST, or with GET when declared ``onHttpGet`` (spec §2.4,
§7.3)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import NamesSegment, Segment
from restquery.catalog import Function
from restquery.diagnostics import Diagnostic
from restquery.rules._base import METHOD_KNOWN, Context, Rule, rule

#: Legacy v18 project-method forms: documented with GET, no `onHttpGet` declaration (L1, L2).
_LEGACY = frozenset({"L1", "L2"})


def _segment_name(seg: Segment | None) -> str | None:
    if isinstance(seg, NamesSegment):
        return seg.name
    return getattr(seg, "name", None)


def _function_call(ctx: Context) -> tuple[Segment, str] | None:
    """The segment naming the called function and its name, when the shape (helped by the
    catalog) says the path calls one."""
    shape = ctx.shape
    if shape.function is not None:
        name = _segment_name(shape.function)
        return (shape.function, name) if name else None
    if shape.resource == "catalog" and shape.tail is not None and ctx.catalog is not None:
        name = shape.tail.name
        if name and ctx.catalog.function(name) is not None:
            return shape.tail, name  # P18
    return None


def _catalog_function(ctx: Context, name: str) -> Function | None:
    """The catalog's entry for the called function, searched the way the server does."""
    shape, cat = ctx.shape, ctx.catalog
    if cat is None:
        return None
    if shape.resource == "catalog":
        return cat.function(name)
    if shape.resource == "singleton":
        cls = _segment_name(shape.segments[1]) if len(shape.segments) > 1 else None
        singleton = cat.singleton(cls) if cls else None
        return singleton.function(name) if singleton is not None else None
    dc = ctx.dataclass
    if dc is None:
        return None
    if shape.entity:
        return dc.function(name, apply_to="entity")
    # /{dataClass}/{fn}: the entity-selection class is searched before the dataclass class
    return dc.function(name, apply_to="entitySelection") or dc.function(name, apply_to="dataClass")


@rule(
    "RQ354",
    "function-http-verb",
    "error",
    spec="R44",
    message="The function `{function}` cannot be called with {verb}: {reason}.",
    when=(METHOD_KNOWN,),
)
def function_http_verb(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With the HTTP method known: a function called with GET although the catalog does not
    mark it ``allowedOnHTTPGET``, or with a verb other than GET and POST.

    Why: exposed functions (dataclass, entity, entity-selection, datastore and singleton
    functions) are called with POST; GET works only for functions declared ``onHttpGet``,
    which the catalog shows as ``allowedOnHTTPGET: true`` (4D:ClassFunctions, 4D:$singleton;
    older pages say GET always fails). Without a catalog GET cannot be judged and is left
    alone; PUT, PATCH or DELETE never call a function. The legacy v18 project-method forms
    (``/rest/Employee/addEmployee(John,Smith)``) were called with GET and are only checked for
    other verbs.

    Example: ``GET /rest/Company/getHighRevenue`` — error (with a catalog that does not allow
    GET). ``PUT /rest/$singleton/VehicleFactory/buildVehicle`` — error.
    ``POST /rest/Company/getHighRevenue`` — valid.

    Fix: send the request with POST (arguments in the body), or declare the function
    ``onHttpGet`` and pass its arguments in ``$params``.

    Spec: R44, §2.4, §3.2.
    """
    verb = ctx.method
    if verb is None or verb == "POST":
        return
    call = _function_call(ctx)
    if call is None:
        return
    seg, name = call
    if verb != "GET":
        yield rule.at(
            seg.span,
            hint="send the request with POST",
            function=name,
            verb=verb,
            reason="functions are called with POST (or GET when declared onHttpGet)",
        )
        return
    if ctx.shape.form in _LEGACY:
        return
    fn = _catalog_function(ctx, name)
    if fn is None or fn.allowed_on_http_get:
        return  # unknown to the catalog (R9/R11's business) or allowed
    yield rule.at(
        seg.span,
        hint="send the request with POST, or declare the function onHttpGet",
        function=name,
        verb=verb,
        reason="the catalog does not mark it allowedOnHTTPGET",
    )


RULES = (function_http_verb,)
