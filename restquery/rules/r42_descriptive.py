"""R42: descriptive resources (``$catalog…``, ``$info``, ``$directory/…``, ``$singleton/…``,
``$upload``, ``$querypath``, ``$getWebForm``) take no data parameters (spec §3.28, §7.3)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, on_path, rule
from restquery.semantics.facts import _RESOURCE, _allowed


@rule(
    "RQ352",
    "parameter-on-descriptive-resource",
    "error",
    spec="R42",
    message="The `{name}` parameter does not apply to `{resource}` requests.",
    when=tuple(on_path(k) for k in _RESOURCE.values()),
)
def parameter_on_descriptive_resource(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A ``$`` parameter on a resource that describes the server rather than its data.

    Why: ``$catalog…``, ``$info``, ``$directory/…`` and ``$querypath``/``$getWebForm`` take no
    documented parameter; a ``$singleton/…`` function call only ``$params`` (its arguments, with
    GET), ``$catalog/{function}`` likewise, and ``$upload`` only ``$rawPict``, ``$binary`` and
    ``$timeout`` (spec §3.28). ``$filter``, ``$orderby``, ``$top``, ``$attributes``,
    ``$method``… have nothing to act on there. Unknown parameters are R6's business.

    Example: ``/rest/$catalog?$top=10`` — error. ``/rest/$upload?$rawPict=true&$filter="a=1"``
    — error. ``/rest/$singleton/VehicleFactory/buildVehicle?$params='[1]'`` — valid.

    Fix: remove the parameter.

    Spec: R42, §3.28.
    """
    shape = ctx.shape
    resource = _RESOURCE.get(shape.resource)
    if resource is None:
        return
    allowed = _allowed(ctx)
    for p in ctx.iter_params():
        name = p.canonical
        if name is None or name in allowed:
            continue
        yield rule.at(
            p.span,
            param=name,
            hint=f"remove {p.name}",
            fix=ctx.remove_param(p, f"remove {p.name}"),
            name=name,
            resource=resource,
        )


RULES = (parameter_on_descriptive_resource,)
