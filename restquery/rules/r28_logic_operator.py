"""R28: ``$logicOperator`` combines the entity set of the path with ``$otherCollection``
(spec §3.22, §3.23, §7.3).

Documented: ``GET /rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7?$logicOperator=AND&$otherCollection=C05A0D887C664D4DA1B38366DD21629B``.
The operator is ``AND``, ``OR``, ``EXCEPT`` or ``INTERSECT`` in any case; ``INTERSECT`` answers
``true`` or ``false``. The ID's form is R39's business.
"""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import Word
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.params import declared
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import empty, method_value, value_span, value_text

OPERATORS = declared("$logicOperator").values


def _operator(ctx: Context) -> str | None:
    p = ctx.param("$logicOperator")
    if p is None or not isinstance(p.value, Word):
        return None
    return p.value.value.upper()


@rule(
    "RQ328",
    "logic-operator",
    "error",
    spec="R28",
    message="Combining entity sets takes `$logicOperator` (AND, OR, EXCEPT or INTERSECT) and "
    "`$otherCollection` on an entity-set path: {problem}.",
    when=("$logicOperator", "$otherCollection"),
)
def logic_operator(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$logicOperator`` and ``$otherCollection`` apart, off an entity set, or a bad operator.

    Why: the server combines the entity set of ``{dataClass}/$entityset/{entitySetID}`` with the
    one ``$otherCollection`` names, using ``$logicOperator`` (4D:$entityset); each parameter is
    useless without the other, and the operator is one of ``AND``, ``OR``, ``EXCEPT``,
    ``INTERSECT`` in any case (§1.5). A missing or empty value is reported too. Other resources
    than dataclasses are R42's business.

    Example: ``/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7?$logicOperator=AND``
    — error. ``/rest/Employee?$logicOperator=OR&$otherCollection=C05A0D887C664D4DA1B38366DD21629B``
    — error. ``…?$logicOperator=XOR&$otherCollection=…`` — error.
    ``/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7?$logicOperator=and&$otherCollection=C05A0D887C664D4DA1B38366DD21629B``
    — valid.

    Fix: give both parameters on ``/rest/{dataClass}/$entityset/{entitySetID}``, with a
    documented operator.

    Spec: R28, §3.22, §3.23.
    """
    op_param = ctx.param("$logicOperator")
    other = ctx.param("$otherCollection")
    if op_param is None and other is None:
        return
    shape = ctx.shape
    if shape.resource != "dataclass":
        return
    if shape.form is not None and shape.form != "P9":
        first = min((p for p in (op_param, other) if p is not None), key=lambda p: p.span[0])
        yield rule.at(
            first.span,
            param=first.canonical,
            hint=f"send it to an entity set: /rest/{shape.dataclass}/$entityset/{{entitySetID}}",
            problem="the path is not an entity set",
        )
    if op_param is not None and other is None:
        yield rule.at(
            op_param.span,
            param="$logicOperator",
            hint="add &$otherCollection= with the ID of the other entity set",
            problem="`$otherCollection` is missing",
        )
    if other is not None and op_param is None:
        yield rule.at(
            other.span,
            param="$otherCollection",
            hint="add &$logicOperator=AND (or OR, EXCEPT, INTERSECT)",
            problem="`$logicOperator` is missing",
        )
    if other is not None and empty(other):
        yield rule.at(
            value_span(other),
            param="$otherCollection",
            hint="give the ID of the other entity set",
            problem="`$otherCollection` has no value",
        )
    if op_param is None:
        return
    value = op_param.value
    if isinstance(value, Word) and value.value.upper() in OPERATORS:
        return
    text = value_text(op_param)
    hint = "use AND, OR, EXCEPT or INTERSECT"
    close = ctx.did_you_mean(text.upper(), OPERATORS) if text else None
    fix = None
    if close:
        hint = f"{hint}; {close}"
        matches = [o for o in OPERATORS if f"`{o}`" in close]
        if len(matches) == 1 and isinstance(value, Word):
            fix = Fix(
                edits=(
                    Edit(
                        offset=value.span[0], length=value.span[1] - value.span[0], text=matches[0]
                    ),
                ),
                description=f"use $logicOperator={matches[0]}",
            )
    shown = f"`{text}` is not an operator" if text else "`$logicOperator` has no value"
    yield rule.at(value_span(op_param), param="$logicOperator", hint=hint, fix=fix, problem=shown)


@rule(
    "RQ329",
    "intersect-entityset",
    "warning",
    spec="R28",
    message="With `$logicOperator=INTERSECT` the result is true or false, so "
    "`$method=entityset` has no entity set to create.",
    when=("$method",),
)
def intersect_entityset(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$logicOperator=INTERSECT`` together with ``$method=entityset``.

    Why: ``INTERSECT`` answers whether the two entity sets share an entity — ``true`` or
    ``false`` — instead of entities (4D:$entityset), so there is nothing to store as a new
    entity set [I].

    Example: ``/rest/Employee/$entityset/9718…?$logicOperator=INTERSECT&$otherCollection=C05A…&$method=entityset``
    — warning. The same without ``$method=entityset`` — valid.

    Fix: remove ``$method=entityset``.

    Spec: R28, §3.22.
    """
    if _operator(ctx) != "INTERSECT" or method_value(ctx) != "entityset":
        return
    if ctx.shape.resource != "dataclass":
        return  # R42 reports parameters on other resources
    p = ctx.param("$method")
    assert p is not None
    yield rule.at(
        p.span,
        param="$method",
        hint="remove $method=entityset",
        fix=ctx.remove_param(p, "remove $method=entityset"),
    )


RULES = (logic_operator, intersect_entityset)
