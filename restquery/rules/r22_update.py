"""R22: ``$method=update`` (and the legacy ``validate``, Qodly's ``insert``) is sent to the
dataclass itself, ``/rest/{dataClass}`` (spec §3.13, §7.3).

The entities to save travel in the JSON body; ``__KEY`` and ``__STAMP`` there say which entity an
object updates. ``POST /rest/Employee?$method=update`` and ``POST /rest/Person?$method=update``
are the documented forms.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule
from restquery.rules.r20_method_value import method_value

_SAVE_VALUES = ("update", "validate", "insert")


def extra_path_span(ctx: Context) -> tuple[int, int]:
    """The segments that make the path more than a bare dataclass: the whole entity segment
    (``Employee(22)``) and what follows, or what follows the dataclass name."""
    segs = ctx.request.path.segments
    first = 0 if ctx.shape.entity or len(segs) == 1 else 1
    return segs[first].span[0], segs[-1].span[1]


def path_kind(ctx: Context) -> str:
    """What a dataclass path designates, in words, for messages."""
    shape = ctx.shape
    if shape.entity:
        return (
            "an attribute of one entity"
            if shape.form == "P8"
            else ("a function of one entity" if shape.form == "P14" else "one entity")
        )
    if shape.form in ("P9", "P10", "P11"):
        return "an entity set"
    if shape.form in ("P12", "P13", "L1", "L2"):
        return "a function"
    if shape.form == "P5":
        return "an attribute list"
    if shape.form == "P7":
        return "an attribute"
    return "a dataclass"


@rule(
    "RQ317",
    "update-target",
    "error",
    spec="R22",
    message="A `$method={value}` request is sent to the dataclass itself, not to {what}.",
    when=("$method",),
)
def update_target(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$method=update`` (``validate``, ``insert``) on a path other than a bare dataclass.

    Why: the server reads the entities to create or update from the JSON body (``__KEY`` and
    ``__STAMP`` select the entity to update) and only accepts the dataclass path, with no key
    and no attribute list (4D:$method). Other resources than dataclasses are R42's business.

    Example: ``POST /rest/Employee(22)?$method=update`` — error.
    ``POST /rest/Employee/firstName,lastName?$method=update`` — error.
    ``POST /rest/Employee/?$method=update`` — valid.

    Fix: send the request to ``/rest/{dataClass}`` and put ``__KEY`` and ``__STAMP`` in the
    body.

    Spec: R22, §3.13.
    """
    value = method_value(ctx)
    shape = ctx.shape
    if value not in _SAVE_VALUES or shape.resource != "dataclass" or shape.form is None:
        return
    if shape.form == "P1":
        return
    hint = f"send the request to /rest/{shape.dataclass}"
    if shape.entity:
        hint += " and put the entity's __KEY and __STAMP in the body"
    yield rule.at(extra_path_span(ctx), hint=hint, value=value, what=path_kind(ctx))


RULES = (update_target,)
