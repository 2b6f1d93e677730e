"""R40: vector similarity comparisons use ``<``, ``>``, ``<=`` or ``>=`` (spec §4.6)."""

from __future__ import annotations

from collections.abc import Iterator

from restquery.ast import AttributePath, Comparison, Params, Placeholder
from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import FILTER_PARAMS, expression_nodes, filters, operator_span

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

VECTOR_COMPARATORS = frozenset({"<", ">", "<=", ">="})


def _is_vector_object(value: Any) -> bool:
    return isinstance(value, dict) and "vector" in value


def _placeholder_vector(ctx: Context, comparison: Comparison) -> bool:
    right = comparison.right
    if not isinstance(right, Placeholder) or right.index is None:
        return False
    p = ctx.param("$params")
    if p is None or not isinstance(p.value, Params) or not p.value.value_is_array:
        return False
    items = p.value.items
    return 1 <= right.index <= len(items) and _is_vector_object(items[right.index - 1])


def _vector_attribute(ctx: Context, comparison: Comparison) -> bool:
    """With a catalog: the compared attribute is of type ``vector`` (an ``object`` attribute
    may hold a vector too, but the catalog cannot tell, so it is not counted)."""
    dc, cat = ctx.dataclass, ctx.catalog
    left = comparison.left
    if dc is None or cat is None or not isinstance(left, AttributePath):
        return False
    res = cat.resolve_path(dc, left.names)
    if not res.ok or not res.checked or res.in_object or res.effective is None:
        return False
    return res.effective.type_class == "vector"


@rule(
    "RQ348",
    "vector-comparator",
    "error",
    spec="R40",
    message="A vector comparison takes `<`, `>`, `<=` or `>=`, not `{op}`.",
    when=FILTER_PARAMS,
)
def vector_comparator(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """A vector comparison (a ``$params`` vector object, or a ``vector`` attribute in the
    catalog) with a comparator other than ``<``, ``>``, ``<=``, ``>=``.

    Why: a vector comparison computes a similarity between the attribute and the vector of
    ``{"vector": [...], "metric": …, "threshold": …}`` and compares it with the threshold; 4D
    accepts only the ordering comparators there (4D:$filter, 21+).

    Example: ``/rest/Person?$filter="VectorAtt=:1"&$params='[{"vector":[1,2,3]}]'`` — error.
    ``/rest/Person?$filter="VectorAtt>=:1"&$params='[{"vector":[1,2,3],"threshold":0.8}]'`` —
    valid.

    Fix: use ``>=`` (similarity at least the threshold) or another ordering comparator.

    Spec: R40, §4.6.
    """
    for fp, flt in filters(ctx):
        for comparison in expression_nodes(ctx, flt, Comparison):
            if comparison.op in VECTOR_COMPARATORS:
                continue
            if _placeholder_vector(ctx, comparison) or _vector_attribute(ctx, comparison):
                yield rule.at(
                    operator_span(ctx, comparison),
                    param=fp.canonical,
                    hint="compare the similarity with >= (or <, >, <=)",
                    op=comparison.op,
                )


RULES = (vector_comparator,)
