"""The limit options of :func:`restquery.parse` and the nesting checks they need.

Every limit is a keyword option with a safe default (``None`` lifts it); exceeding one is a
:class:`~restquery.errors.RestQueryLimitError` (RQ010) that names the option and its value.
The limit on the length of numbers is :data:`restquery.syntax.values.MAX_NUMBER_DIGITS`.
"""

from __future__ import annotations

import re

from restquery.ast import BoolOp, Filter, Not, Span
from restquery.errors import RestQueryLimitError
from restquery.syntax.decode import OffsetMap

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_LENGTH",
    "DEFAULT_MAX_PARAMS",
    "check_expr_depth",
    "check_paren_depth",
]

#: Default limits; each is a keyword option of :func:`restquery.parse` (``None`` disables it).
DEFAULT_MAX_LENGTH = 65_536
DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_PARAMS = 100


_PAREN_SCAN = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"|[()]")


def _limit_error(what: str, limit: int, span: Span, url: str) -> RestQueryLimitError:
    return RestQueryLimitError(
        "RQ010",
        f"The filter nests {what} deeper than the limit max_depth={limit}.",
        span,
        hint="simplify the filter or raise the max_depth option",
        url=url,
        name="limit-exceeded",
    )


def check_paren_depth(text: str, omap: OffsetMap, limit: int, url: str) -> None:
    if text.count("(") <= limit:
        return
    depth = 0
    for m in _PAREN_SCAN.finditer(text):
        ch = m.group()
        if ch == "(":
            depth += 1
            if depth > limit:
                raise _limit_error("parentheses", limit, omap.span(m.start(), m.end()), url)
        elif ch == ")":
            depth -= 1


def check_expr_depth(flt: Filter, limit: int, url: str) -> None:
    # A lone comparison is depth 0; each NOT, operator nesting or parenthesis adds one. The
    # error points at the construct that opens the level beyond the limit.
    stack: list[tuple[Any, int, Any]] = [(flt.expr, 0, None)]
    while stack:
        node, depth, parent = stack.pop()
        parens = getattr(node, "parens", 0)
        depth += parens
        if depth > limit:
            where = node if parens or parent is None else parent
            raise _limit_error("conditions", limit, where.span, url)
        if type(node) is BoolOp:
            stack.extend((child, depth + 1, node) for child in node.operands)
        elif type(node) is Not:
            stack.append((node.operand, depth + 1, node))
