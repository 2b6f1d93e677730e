"""R18: ``$compute`` computes over one attribute named by the last path segment (P7)
(spec §3.9, §7.3).

Documented (4D): ``/rest/Employee/salary/?$compute=sum``,
``/rest/Employee/objectAtt.property1/?$compute=$all``. Qodly names the attribute with
``$attributes`` on the dataclass path instead (``/rest/Payments?$attributes=Amount&$compute=sum``,
spec §12 item 10, §7.4): a warning, not an error.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import AttributeList, AttributePath, Param, Span, Word
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.params import declared
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import value_span, value_text

#: §3.9.
COMPUTE_VALUES = declared("$compute").values

#: Collection forms on which Qodly names the attribute with `$attributes` (§3.4, §12 item 10).
_QODLY_FORMS = ("P1", "P9")


def _single_attribute(ctx: Context) -> tuple[Param, AttributePath] | None:
    """The ``$attributes`` parameter and its path when it names exactly one attribute."""
    p = ctx.param("$attributes")
    if p is None or not isinstance(p.value, AttributeList) or len(p.value.items) != 1:
        return None
    item = p.value.items[0]
    if item.star or item.path is None:
        return None
    return p, item.path


def _qodly_form(ctx: Context) -> tuple[Param, AttributePath] | None:
    if ctx.shape.resource != "dataclass" or ctx.shape.form not in _QODLY_FORMS:
        return None
    return _single_attribute(ctx)


def compute_target(ctx: Context) -> tuple[AttributePath, Span] | None:
    """The attribute ``$compute`` works on and where to point at it: the P7 tail, or the
    single path of Qodly's ``$attributes`` form."""
    shape = ctx.shape
    if shape.form == "P7" and shape.tail is not None:
        return shape.tail.paths[0], shape.tail.span
    qodly = _qodly_form(ctx)
    if qodly is not None:
        return qodly[1], qodly[1].span
    return None


def _target_problem(ctx: Context) -> str | None:
    """Why the path cannot carry ``$compute``, or ``None`` when it can (or R3/R42 report)."""
    shape = ctx.shape
    if shape.resource != "dataclass" or shape.form is None:
        return None  # R42 and R3 report these paths
    if shape.form == "P7" or _qodly_form(ctx) is not None:
        return None
    if shape.entity:
        return "the path addresses one entity"
    if shape.form in ("P12", "P13", "L1", "L2"):
        return "the path ends with a function"
    if shape.form in ("P5", "P10"):
        return "the path names several attributes"
    attrs = ctx.param("$attributes")
    if shape.form in _QODLY_FORMS and attrs is not None:
        return "`$attributes` must name exactly one attribute"
    if shape.form == "P1":
        return "no attribute is named"
    return "the path does not end with one attribute"


@rule(
    "RQ308",
    "compute-target",
    "error",
    spec="R18",
    message="The `$compute` parameter needs one attribute, given as the last path segment: "
    "{problem}.",
    when=("$compute",),
)
def compute_target_rule(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$compute`` on a path that does not end with a single attribute of the dataclass.

    Why: the attribute to compute over is the last path segment, after the dataclass (path form
    P7; 4D:$compute). Qodly's form with a single attribute in ``$attributes`` on the dataclass
    path is accepted with RQ309; several attributes, an entity, a function or an attribute list
    cannot be computed over.

    Example: ``/rest/Employee?$compute=sum`` — error. ``/rest/Employee(1)/salary?$compute=sum``
    — error. ``/rest/Employee/salary/?$compute=sum`` — valid.

    Fix: put the attribute after the dataclass: ``/rest/Employee/salary?$compute=sum``.

    Spec: R18, §3.9.
    """
    p = ctx.param("$compute")
    problem = _target_problem(ctx) if p is not None else None
    if p is None or problem is None:
        return
    yield rule.at(
        p.span,
        param="$compute",
        hint="name the attribute in the path, as in /rest/Employee/salary?$compute=sum",
        problem=problem,
    )


@rule(
    "RQ309",
    "compute-via-attributes",
    "warning",
    spec="R18",
    message="Naming the `$compute` attribute with `$attributes` is documented only by Qodly.",
    when=("$compute",),
)
def compute_via_attributes(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$compute`` whose attribute is named by ``$attributes`` instead of the path.

    Why: 4D documents the attribute as the last path segment (4D:$compute); only Qodly's page
    shows ``$attributes=Amount&$compute=sum`` on the dataclass path (§12 item 10, §7.4).

    Example: ``/rest/Payments?$attributes=Amount&$compute=sum`` — warning.
    ``/rest/Payments/Amount?$compute=sum`` — valid.

    Fix: move the attribute into the path (the fix does it on a dataclass path).

    Spec: R18, §3.4, §3.9, §12.
    """
    if ctx.param("$compute") is None or ctx.shape.form == "P7":
        return
    qodly = _qodly_form(ctx)
    if qodly is None:
        return
    param, path = qodly
    fix = None
    segments = ctx.request.path.segments
    if ctx.shape.form == "P1" and ctx.url is not None and segments:
        text = ctx.url[path.span[0] : path.span[1]]
        insert = Edit(offset=segments[-1].span[1], length=0, text="/" + text)
        remove = ctx.remove_param(param, "remove $attributes")
        fix = Fix(edits=(insert, *remove.edits), description=f"compute over /{text}")
    compute = ctx.param("$compute")
    op = compute.value.value if compute is not None and isinstance(compute.value, Word) else "sum"
    if ctx.shape.form == "P1":
        hint = (
            f"move the attribute into the path, as in "
            f"/rest/{ctx.shape.dataclass}/{path.dotted}?$compute={op}"
        )
    else:
        hint = "check that your server accepts this Qodly form: 4D computes over a dataclass path"
    yield rule.at(param.span, param="$attributes", hint=hint, fix=fix)


@rule(
    "RQ310",
    "invalid-compute-value",
    "error",
    spec="R18",
    message="The `$compute` parameter does not take {value}.",
    when=("$compute",),
)
def invalid_compute_value(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$compute`` with a value that is not one of the six documented computations.

    Why: these six are the documented computations (4D:$compute); a missing or empty value is
    reported too. Values are compared without regard to case (§1.5).

    Example: ``/rest/Employee/salary?$compute=avg`` — error.
    ``/rest/Employee/salary?$compute=average`` — valid.

    Fix: use one of ``$all``, ``average``, ``count``, ``min``, ``max``, ``sum``.

    Spec: R18, §3.9.
    """
    for p in ctx.params.get("$compute", ()):
        value = p.value
        if isinstance(value, Word) and value.value.lower() in COMPUTE_VALUES:
            continue
        text = value_text(p)
        hint = "use one of " + ", ".join(COMPUTE_VALUES)
        close = ctx.did_you_mean(text, COMPUTE_VALUES) if text else None
        if close:
            hint = f"{hint}; {close}"
        shown = f"`{text}`" if text else "an empty value"
        yield rule.at(value_span(p), param="$compute", hint=hint, value=shown)


@rule(
    "RQ311",
    "compute-attribute-type",
    "error",
    spec="R18",
    message="The `{value}` computation needs {need}; `{attribute}` is {what}.",
    needs_catalog=True,
    when=("$compute",),
)
def compute_attribute_type(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With a catalog: a computation the attribute's type does not support.

    Why: ``sum`` and ``average`` need a numeric attribute; ``min`` and ``max`` a numeric, string
    or date one (dates per Qodly; ``uuid`` attributes are text and pass); ``count`` takes any
    attribute; an ``object`` attribute needs a property path (``objectAtt.property1``) whatever
    the computation (4D:$compute). A relation can only be counted. Stays silent when the
    catalog cannot tell (unknown names, unknown types, a property inside an object).

    Example: ``/rest/Employee/lastName?$compute=sum`` — error.
    ``/rest/Employee/objectAtt?$compute=$all`` — error.
    ``/rest/Employee/lastName?$compute=max`` and
    ``/rest/Employee/objectAtt.property1/?$compute=$all`` — valid.

    Fix: compute over an attribute of a suitable type, name a property of the object, or use
    ``count``.

    Spec: R18 (type part [D][I]), §3.9.
    """
    p = ctx.param("$compute")
    dc = ctx.dataclass
    if p is None or not isinstance(p.value, Word) or dc is None or ctx.catalog is None:
        return
    op = p.value.value.lower()
    if op not in COMPUTE_VALUES:
        return
    target = compute_target(ctx)
    if target is None:
        return
    path, span = target
    res = ctx.catalog.resolve_path(dc, path.names)
    if not res.ok or not res.checked or res.in_object or res.attribute is None:
        return
    eff = res.effective
    if res.target is not None or (eff is not None and eff.is_relation):
        if op == "count":
            return
        need, what, hint = (
            "a scalar attribute",
            "a relation",
            "compute over an attribute of the related dataclass, or use count",
        )
    elif eff is None or eff.type_class == "unknown":
        return
    elif eff.is_object:
        need = f"a property path such as `{path.dotted}.property`"
        what, hint = "an object attribute", f"name a property: {path.dotted}.<property>"
    elif op in ("sum", "average") and not eff.is_numeric:
        need, what, hint = (
            "a numeric attribute",
            f"of type `{eff.type}`",
            "compute over a numeric attribute, or use count, min or max",
        )
    elif op in ("min", "max") and eff.type_class not in ("numeric", "string", "date", "uuid"):
        need, what, hint = (
            "a numeric, string or date attribute",
            f"of type `{eff.type}`",
            "compute over a numeric, string or date attribute, or use count",
        )
    else:
        return
    yield rule.at(
        span,
        param="$compute",
        hint=hint,
        value=p.value.value,
        need=need,
        attribute=path.dotted,
        what=what,
    )


RULES = (compute_target_rule, compute_via_attributes, invalid_compute_value, compute_attribute_type)
