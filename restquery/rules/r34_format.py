"""R34: ``$format`` is ``json`` or ``looker`` and shapes reads of a dataclass collection
(spec §3.27)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Param, Word
from restquery.diagnostics import Diagnostic
from restquery.params import declared
from restquery.rules._base import Context, Rule, rule

FORMATS = declared("$format").values

#: ``$method`` values that write or release instead of reading (spec §3.13).
_NOT_READS = frozenset({"delete", "update", "validate", "insert", "release"})

#: Single-entity forms: ``$format`` there is R43's (a warning).
_SINGLE_ENTITY = frozenset({"P2", "P3", "P4", "P6", "P14"})


def _not_a_collection_read(ctx: Context) -> str | None:
    """Why the request is not a read of a dataclass collection, or ``None`` (also when that
    is for another rule to say, or cannot be told)."""
    shape = ctx.shape
    if shape.resource != "dataclass" or shape.form is None or shape.form in _SINGLE_ENTITY:
        return None  # descriptive resources: R42; broken paths: R3; one entity: R43
    if ctx.method is not None and ctx.method != "GET":
        return f"a {ctx.method} request"
    method = ctx.param("$method")
    if (
        method is not None
        and isinstance(method.value, Word)
        and method.value.value.lower() in _NOT_READS
    ):
        return f"a $method={method.value.value} request"
    if shape.form == "P11":
        return "a release of entity sets"
    if shape.function is not None or shape.tail_kind == "function":
        return "a function call"
    if shape.form == "P8":
        # an entity's attribute: a collection only when it is a 1→N relation
        dc, tail = ctx.dataclass, shape.tail
        if ctx.catalog is None or dc is None or tail is None:
            return None
        res = ctx.catalog.resolve_path(dc, tail.paths[0].names)
        if not res.ok or not res.checked:
            return None
        if res.target is not None and res.to_many:
            return None
        if res.effective is not None and res.effective.is_related_entities:
            return None
        return "a read of one entity's attribute"
    return None


@rule(
    "RQ337",
    "invalid-format",
    "error",
    spec="R34",
    message="The `$format` parameter takes `json` or `looker` and applies to reads of a "
    "dataclass collection.",
    when=("$format",),
)
def invalid_format(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$format`` with a value other than ``json``/``looker``, or on a request that does not
    read a dataclass collection.

    Why: the server knows two output shapes, ``json`` (the default) and ``looker`` (Looker
    Studio: ``schema``, ``rows``, ``filtersApplied``), and applies them to the entities of a
    dataclass read (4D:$format). Writes (``$method=update``/``delete``, POST), function calls,
    entity-set releases and a picture or BLOB value have no such shape. On one entity the
    parameter is merely pointless (R43).

    Example: ``/rest/Company/?$format=xml`` — error. ``POST /rest/Company?$method=update&$format=looker``
    — error. ``/rest/Company/?$filter="name begin a"&$top=3&$format=looker`` — valid.

    Fix: use ``$format=json`` or ``$format=looker`` on a ``GET`` of a dataclass, an attribute
    list or an entity set, or remove it.

    Spec: R34, §3.27.
    """
    for p in ctx.params.get("$format", ()):
        yield from _check(ctx, rule, p)


def _check(ctx: Context, rule: Rule, p: Param) -> Iterator[Diagnostic]:
    value = p.value
    text = value.value if isinstance(value, Word) else None
    if text is None or text.lower() not in FORMATS:
        span = value.span if value is not None and value.span.end > value.span.start else p.span
        hint = "use $format=json or $format=looker"
        close = ctx.did_you_mean(text.lower(), FORMATS) if text else None
        if close:
            hint = f"{hint} ({close})"
        yield rule.at(span, param="$format", hint=hint)
        return
    reason = _not_a_collection_read(ctx)
    if reason is not None:
        yield rule.at(
            p.span,
            param="$format",
            hint=f"remove $format: the request is {reason}",
        )


RULES = (invalid_format,)
