"""R38: ``$params`` is a JSON array whose elements feed the ``:n`` placeholders of ``$filter``
or the arguments of a function call (spec §3.2, §4.6).

The filters these rules read are :func:`restquery.semantics.facts.filters`, shared with the
other filter rules (R40, R41).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from restquery.ast import Param, Params, Placeholder
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import FILTER_PARAMS, expression_nodes, filters, reported_by_r42

# ---------------------------------------------------------------------------------------------
# The $filter values (shared with r40_vector and r41_query_syntax)


# ---------------------------------------------------------------------------------------------


def _params(ctx: Context) -> tuple[Param, Params] | None:
    p = ctx.param("$params")
    if p is not None and isinstance(p.value, Params) and not reported_by_r42(ctx, "$params"):
        return p, p.value
    return None


def _has_function_call(ctx: Context) -> bool | None:
    """True when the path calls a function (P12–P14, P18, P19, legacy L1/L2), False when it
    surely does not, None when it cannot be told (no catalog)."""
    shape = ctx.shape
    if shape.function is not None or shape.tail_kind == "function":
        return True
    if shape.tail_kind == "unknown":
        return None  # a single name after a dataclass may be a function (§2.3)
    if shape.resource == "catalog" and shape.tail is not None:
        if ctx.catalog is None:
            return None
        return ctx.catalog.function(shape.tail.name or "") is not None
    return False


def _is_relaxed_fixable(ctx: Context, value: Params) -> str | None:
    """Strict JSON text for a relaxed ``$params`` value when it can replace the raw text as is."""
    if ctx.url is None:
        return None
    raw = ctx.url[value.span.start : value.span.end]
    if "%" in raw or value.templates():
        return None  # percent-encoded: a raw replacement would mix spellings; JSON has no template
    text = json.dumps(list(value.items), ensure_ascii=False, separators=(",", ":"))
    if "'" in text or "&" in text:
        return None
    return text


@rule(
    "RQ342",
    "params-not-array",
    "error",
    spec="R38",
    message="The `$params` value must be a JSON array.",
    when=("$params",),
)
def params_not_array(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$params`` whose JSON value is not an array.

    Why: ``$params`` is a JSON collection: element 0 feeds ``:1`` in ``$filter``, and a
    function called with GET receives the elements as its arguments (4D:$filter,
    4D:ClassFunctions). A bare object or scalar has no positions.

    Example: ``/rest/Person?$filter="lastName=:1"&$params='"Smith"'`` — error.
    ``/rest/Person?$filter="lastName=:1"&$params='["Smith"]'`` — valid.

    Fix: wrap the value in ``[...]``.

    Spec: R38, §3.2.
    """
    found = _params(ctx)
    if found is None or found[1].value_is_array:
        return
    value = found[1]
    fix = None
    if ctx.url is not None and value.span.end > value.span.start:
        fix = Fix(
            edits=(
                Edit(offset=value.span.start, length=0, text="["),
                Edit(offset=value.span.end, length=0, text="]"),
            ),
            description="wrap the value in [...]",
        )
    yield rule.at(value.span, param="$params", hint="wrap the value in [...]", fix=fix)


@rule(
    "RQ343",
    "params-relaxed-json",
    "warning",
    spec="R38",
    message="The `$params` value is relaxed JSON with unquoted keys.",
    when=("$params",),
)
def params_relaxed_json(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$params`` written as relaxed JSON (object keys without quotes).

    Why: ``$params`` is JSON (4D:$filter); one 4D vector example writes
    ``$params='[{vector:[1,2,3],threshold:1}]'`` (spec §12 item 4). Strict JSON parsers reject
    unquoted keys, so whether a server accepts it is not guaranteed.

    Example: ``/rest/Person?$filter="VectorAtt>=:1"&$params='[{vector:[1,2,3],threshold:1}]'``
    — warning. ``…&$params='[{"vector":[1,2,3],"threshold":1}]'`` — valid.

    Fix: quote every key with double quotes.

    Spec: R38, §3.2, §12.
    """
    found = _params(ctx)
    if found is None or not found[1].relaxed:
        return
    value = found[1]
    text = _is_relaxed_fixable(ctx, value)
    fix = None
    if text is not None:
        fix = Fix(
            edits=(
                Edit(offset=value.span.start, length=value.span.end - value.span.start, text=text),
            ),
            description="quote the keys",
        )
    yield rule.at(value.span, param="$params", hint="quote every key with double quotes", fix=fix)


@rule(
    "RQ344",
    "placeholder-out-of-range",
    "error",
    spec="R38",
    message="The placeholder `:{index}` has no element in `$params`.",
    when=FILTER_PARAMS,
)
def placeholder_out_of_range(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A ``:n`` placeholder in ``$filter``/``$savedfilter`` with no matching ``$params`` element.

    Why: element *n−1* of ``$params`` feeds ``:n`` (4D:$filter, 4D:query()); placeholders start
    at ``:1``. A placeholder beyond the array, ``:0``, or any placeholder when ``$params`` is
    missing, makes the query fail.

    Example: ``/rest/Employee?$filter="firstName=:1 AND salary>:2"&$params='["john"]'`` — error
    (``:2``). ``…&$params='["john",20000]'`` — valid.

    Fix: add the missing value to ``$params`` or renumber the placeholder.

    Spec: R38, §4.6.
    """
    p = ctx.param("$params")
    if p is not None and not (isinstance(p.value, Params) and p.value.value_is_array):
        return  # no value, or not an array (RQ342): counting is meaningless
    count = len(p.value.items) if p is not None and isinstance(p.value, Params) else None
    for fp, flt in filters(ctx):
        for ph in expression_nodes(ctx, flt, Placeholder):
            n = ph.index
            if n is None:
                continue  # named: RQ346
            if count is None:
                hint = f"add &$params='[...]' with a value for :{n}"
            elif n < 1:
                hint = "number placeholders from :1"
            elif n > count:
                hint = (
                    f"add a value to $params (it has {count} element{'s' if count != 1 else ''}) "
                    f"or renumber :{n}"
                )
            else:
                continue
            yield rule.at(ph.span, param=fp.canonical, hint=hint, index=n)


@rule(
    "RQ345",
    "params-unused",
    "warning",
    spec="R38",
    message="Nothing in the request uses {what} of `$params` (no `$filter` placeholder, no "
    "function call).",
    when=("$params",),
)
def params_unused(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """``$params`` that no placeholder and no function call consumes, or elements of it that no
    placeholder uses.

    Why: ``$params`` only feeds ``:n`` placeholders of ``$filter`` and the arguments of a
    function call (4D:$filter, 4D:ClassFunctions). Unused values usually betray a typo
    elsewhere, such as the docs' ``?filter=…`` without ``$`` (spec §12.1). Without a catalog a
    single name after a dataclass may be a function, so the rule stays silent then.

    Example: ``/rest/Person?$params='["Smith"]'`` — warning.
    ``/rest/Person?$filter="lastName=:1 AND firstName=:1"&$params='["A","B"]'`` — warning
    (element 2). ``/rest/Person?$filter="lastName=:1"&$params='["Smith"]'`` — valid.

    Fix: refer to every element as ``:n`` in ``$filter``, or remove what is not used.

    Spec: R38, §3.2, §4.6.
    """
    found = _params(ctx)
    shape = ctx.shape
    if found is None or not found[1].value_is_array:
        return
    if shape.resource != "dataclass" or shape.form is None:
        return  # other resources: R42; broken paths: R3
    if _has_function_call(ctx) is not False:
        return
    p, value = found
    used: set[int] = set()
    for _, flt in filters(ctx):
        for ph in expression_nodes(ctx, flt, Placeholder):
            if ph.index is None:
                return  # named placeholders: RQ346 already reports the request
            used.add(ph.index)
    if not used:
        yield rule.at(
            p.span,
            param="$params",
            hint="use its elements as :1, :2… in $filter, or remove $params",
            what="the value",
        )
        return
    unused = [i for i in range(1, len(value.items) + 1) if i not in used]
    if not unused:
        return
    listed = ", ".join(str(i) for i in unused)
    what = f"element {listed}" if len(unused) == 1 else f"elements {listed}"
    yield rule.at(
        value.span,
        param="$params",
        hint=f"refer to {what} as {', '.join(':' + str(i) for i in unused)} in $filter, "
        f"or remove {'it' if len(unused) == 1 else 'them'}",
        what=what,
    )


@rule(
    "RQ346",
    "named-placeholder",
    "error",
    spec="R38",
    message="The named placeholder `:{name}` cannot be bound through REST.",
    when=FILTER_PARAMS,
)
def named_placeholder(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A ``:name`` placeholder in ``$filter``/``$savedfilter``.

    Why: query() binds named placeholders from an object of named parameters; REST only passes
    ``$params``, an array that feeds the indexed placeholders ``:1``, ``:2``… (spec §4.6), so a
    named placeholder never receives a value.

    Example: ``/rest/Person?$filter="lastName=:name"&$params='["Smith"]'`` — error.
    ``/rest/Person?$filter="lastName=:1"&$params='["Smith"]'`` — valid.

    Fix: use an indexed placeholder and pass its value in ``$params``.

    Spec: R38, §4.6.
    """
    for fp, flt in filters(ctx):
        for ph in expression_nodes(ctx, flt, Placeholder):
            if ph.name is not None:
                yield rule.at(
                    ph.span,
                    param=fp.canonical,
                    hint="use an indexed placeholder such as :1 and pass the value in $params",
                    name=ph.name,
                )


RULES = (
    params_not_array,
    params_relaxed_json,
    placeholder_out_of_range,
    params_unused,
    named_placeholder,
)
