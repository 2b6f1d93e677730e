"""R20: the value of ``$method`` (spec §3.13, §7.3).

The current ``$method`` page documents ``delete``, ``entityset``, ``release``, ``subentityset``
and ``update``; ``validate`` survives only in v18-era pages and ``insert`` appears once, in a
Qodly example (spec §12 items 11–12). Values are compared case-insensitively (spec §1.5).

:func:`restquery.semantics.facts.method_value` is shared by the other ``$method`` rules (R21–R25, R28, R29).
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Word
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.params import declared
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import value_span, value_text

#: The values the current ``$method`` page documents (§3.13).
METHODS = declared("$method").values
#: Values the docs show but the spec tags legacy or Qodly-only (§3.13, §12 item 12).
LEGACY_METHODS = declared("$method").legacy_values
ALL_METHODS = METHODS + LEGACY_METHODS


@rule(
    "RQ313",
    "invalid-method",
    "error",
    spec="R20",
    message="The `$method` parameter needs a documented value, not {value}.",
    when=("$method",),
)
def invalid_method(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$method`` with a value that is not one of the documented ones.

    The values are ``delete``, ``entityset``, ``release``, ``subentityset``, ``update``, and the
    legacy ``validate`` and ``insert`` (RQ314).

    Why: the server dispatches on this value; anything else is rejected (4D:$method). Values are
    compared without regard to case (§1.5); a missing or empty value is reported too.

    Example: ``/rest/Employee(22)?$method=remove`` — error. ``/rest/Employee(22)?$method=delete``
    — valid.

    Fix: use one of the documented values.

    Spec: R20, §3.13.
    """
    for p in ctx.params.get("$method", ()):
        value = p.value
        if isinstance(value, Word) and value.value.lower() in ALL_METHODS:
            continue
        text = value_text(p)
        allowed = "use one of " + ", ".join(METHODS)
        close = ctx.did_you_mean(text, ALL_METHODS) if text else None
        fix = None
        if close is not None and isinstance(value, Word):
            from restquery._suggest import suggestions

            best = suggestions(text.lower(), ALL_METHODS, limit=2)
            if len(best) == 1:
                fix = Fix(
                    edits=(
                        Edit(
                            offset=value.span[0], length=value.span[1] - value.span[0], text=best[0]
                        ),
                    ),
                    description=f"use $method={best[0]}",
                )
        hint = f"{allowed}; {close}" if close else allowed
        shown = f"`{text}`" if text else "an empty value"
        yield rule.at(value_span(p), param="$method", hint=hint, fix=fix, value=shown)


@rule(
    "RQ314",
    "legacy-method-value",
    "warning",
    spec="R20",
    message="The value `{value}` of `$method` is {why}.",
    when=("$method",),
)
def legacy_method_value(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$method=validate`` (legacy) or ``$method=insert`` (Qodly only).

    Why: ``validate`` is described only by v18-era pages and is absent from the current
    ``$method`` page; ``insert`` appears in a single Qodly example (§12 items 11–12, §7.4). Both
    may work on the server at hand, but 4D does not document them today.

    Example: ``POST /rest/Users?$method=insert&$atOnce=true`` — warning.
    ``POST /rest/Users?$method=update&$atOnce=true`` — valid.

    Fix: for ``insert``, use ``$method=update`` (an object without ``__KEY`` creates an entity);
    for ``validate``, check that the server still supports it.

    Spec: R20, §3.13, §12.
    """
    for p in ctx.params.get("$method", ()):
        if not isinstance(p.value, Word):
            continue
        value = p.value.value.lower()
        if value == "validate":
            yield rule.at(
                p.value.span,
                param="$method",
                hint="check that your server still supports $method=validate",
                value=p.value.value,
                why="legacy, documented only by v18-era pages",
            )
        elif value == "insert":
            yield rule.at(
                p.value.span,
                param="$method",
                hint="use $method=update: an entity without __KEY in the body is created",
                value=p.value.value,
                why="documented only by Qodly",
            )


RULES = (invalid_method, legacy_method_value)
