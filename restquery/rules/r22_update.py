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
from restquery.semantics.facts import extra_path_span, method_value, path_kind

_SAVE_VALUES = ("update", "validate", "insert")


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
