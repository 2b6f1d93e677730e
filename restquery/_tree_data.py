"""The syntax tree as plain JSON-ready data: :func:`restquery.ast.to_dict` and the nodes'
``to_dict()``, kept apart from :mod:`restquery.ast`, which every parse imports, since only
reports and tools serialise."""

from __future__ import annotations

from restquery.ast import Node

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["node_data"]


def _plain(value: Any) -> Any:
    if isinstance(value, Node):
        return node_data(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if value is None or value.__class__ in (str, int, bool, float):
        return value
    if isinstance(value, (list, dict)):
        return _json_plain(value)
    import datetime  # here, not at the top: the import costs a third of the tree's own

    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _json_plain(data: Any) -> Any:
    """A copy of the JSON ``data`` with its nodes (templates in ``$params``) as plain data.
    Iterative: JSON nesting is bounded only by the URL length."""
    root = [data]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        holder, key = stack.pop()
        value = holder[key]
        if isinstance(value, (list, tuple)):
            holder[key] = items = list(value)
            stack.extend((items, i) for i in range(len(items)))
        elif isinstance(value, dict):
            holder[key] = pairs = dict(value)
            stack.extend((pairs, k) for k in pairs)
        elif isinstance(value, Node):
            holder[key] = node_data(value)
    return root[0]


def node_data(node: Node) -> dict[str, Any]:
    """``node`` as plain JSON-ready data: its type, its span, its data fields."""
    span = node.span
    out: dict[str, Any] = {"type": type(node).__name__, "span": [span[0], span[1]]}
    for name in node._data:
        out[name] = _plain(getattr(node, name))
    return out
