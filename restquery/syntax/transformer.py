"""Lark callbacks that build the typed tree: the only code that sees ``lark.Token``.

The transformers run inline in the LALR parser (no ``lark.Tree`` is built, nothing recurses),
and they are stateless: the offset map of the component being parsed travels in a
:class:`contextvars.ContextVar`, so one parser serves every thread and task.
"""

from __future__ import annotations

import json
import math
from contextvars import ContextVar
from typing import Any

from lark import Token, Transformer

from restquery.syntax.decode import OffsetMap
from restquery.syntax.split import Origin as SplitOrigin
from restquery.syntax.split import RawParam, Split
from restquery.syntax.split import Segment as SplitSegment
from restquery.syntax.values import (
    MAX_NUMBER_DIGITS,
    bare_value,
    digit_count,
    key_value,
    number_too_long,
    placeholder,
)
from restquery.errors import RestQuerySyntaxError
from restquery.ast import (
    AttributeItem,
    AttributeList,
    AttributePath,
    BoolOp,
    CallSegment,
    Collection,
    Comparison,
    EntitySetSegment,
    Filter,
    Formula,
    Key,
    KeySegment,
    KeywordSegment,
    LookupSegment,
    NamesSegment,
    Node,
    Not,
    PathList,
    PathPart,
    SortItem,
    SortList,
    Span,
    Template,
    Text,
)

__all__ = ["CURRENT_MAP", "QueryTransformer", "UrlTransformer", "bare_value", "key_value"]

#: Offset map of the component under parse (decoded offset -> raw offset).
CURRENT_MAP: ContextVar[OffsetMap] = ContextVar("restquery_offset_map")

def _tok_span(tok: Any) -> Span:
    return CURRENT_MAP.get().span(tok.start_pos, tok.end_pos)


class QueryTransformer(Transformer):  # type: ignore[type-arg]
    """Level 2: path segments (url.lark) and parameter values (query.lark) to AST nodes."""

    # --- path segments (§2.1) -----------------------------------------------------------------

    def keyword_segment(self, c: list[Any]) -> KeywordSegment:
        return KeywordSegment(keyword=c[0].value, span=_tok_span(c[0]))

    def _key(self, tok: Any) -> Key:
        return key_value(tok.value, _tok_span(tok))

    def key(self, c: list[Any]) -> Any:
        return c[0]

    def paren_key_segment(self, c: list[Any]) -> KeySegment:
        m = CURRENT_MAP.get()
        return KeySegment(
            name=c[0].value,
            key=key_value(c[1].value, m.span(c[1].start_pos, c[1].end_pos)),
            name_span=_tok_span(c[0]),
            span=m.span(c[0].start_pos, c[1].end_pos + 1),
        )

    def bracket_key_segment(self, c: list[Any]) -> KeySegment:
        m = CURRENT_MAP.get()
        return KeySegment(
            name=c[0].value,
            key=key_value(c[1].value, m.span(c[1].start_pos, c[1].end_pos)),
            brackets=True,
            name_span=_tok_span(c[0]),
            span=m.span(c[0].start_pos, c[1].end_pos + 1),
        )

    def lookup_segment(self, c: list[Any]) -> LookupSegment:
        m = CURRENT_MAP.get()
        return LookupSegment(
            name=c[0].value,
            attribute=c[1].value,
            value=key_value(c[2].value, m.span(c[2].start_pos, c[2].end_pos)),
            name_span=_tok_span(c[0]),
            attribute_span=_tok_span(c[1]),
            span=m.span(c[0].start_pos, c[2].end_pos + 1),
        )

    def call_segment(self, c: list[Any]) -> CallSegment:
        m = CURRENT_MAP.get()
        args = tuple(key_value(t.value, m.span(t.start_pos, t.end_pos)) for t in c[1:])
        return CallSegment(
            name=c[0].value,
            args=args,
            name_span=_tok_span(c[0]),
            span=m.span(c[0].start_pos, c[-1].end_pos + 1),
        )

    def seg_path(self, c: list[Any]) -> AttributePath:
        m = CURRENT_MAP.get()
        parts = tuple(PathPart(name=t.value, span=m.span(t.start_pos, t.end_pos)) for t in c)
        return AttributePath(parts=parts, span=Span(parts[0].span[0], parts[-1].span[1]))

    def names_segment(self, c: list[AttributePath]) -> NamesSegment:
        return NamesSegment(paths=tuple(c), span=Span(c[0].span[0], c[-1].span[1]))

    def entity_set(self, c: list[Any]) -> EntitySetSegment | KeywordSegment:
        m = CURRENT_MAP.get()
        first = c[0]
        if first.type == "KEYWORD":
            return KeywordSegment(keyword=first.value, span=m.span(first.start_pos, first.end_pos))
        id_span = m.span(first.start_pos, first.end_pos)
        if len(c) == 1:
            return EntitySetSegment(id=first.value, id_span=id_span, span=id_span)
        key = key_value(c[1].value, m.span(c[1].start_pos, c[1].end_pos))
        return EntitySetSegment(
            id=first.value,
            key=key,
            id_span=id_span,
            span=m.span(first.start_pos, c[1].end_pos + 1),
        )

    # --- $filter (§4) ------------------------------------------------------------------------

    def filter(self, c: list[Any]) -> Filter:
        expr = c[0]
        if len(c) == 1:
            return Filter(expr=expr, span=expr.span)
        order = c[1]
        return Filter(expr=expr, order_by=order, span=Span(expr.span[0], order.span[1]))

    def order_clause(self, c: list[Any]) -> SortList:
        return c[1]  # type: ignore[no-any-return]

    def formula(self, c: list[Any]) -> Formula:
        tok = c[0]
        text = tok.value
        inner = text[text.index("(") + 1 : -1]
        return Formula(text=inner, span=_tok_span(tok))

    def _chain(self, c: list[Any]) -> Any:
        # c = [operand, OP, operand, OP, operand, ...]; left-associative; a run of one
        # spelling becomes one n-ary node, built without recursion.
        result = c[0]
        run: list[Any] = [result]
        spelling: str | None = None
        for i in range(1, len(c), 2):
            tok = c[i]
            op = tok.value.upper() if tok.value[0].isalpha() else tok.value
            if op != spelling:
                if spelling is not None:
                    result = BoolOp(
                        op=spelling,
                        operands=tuple(run),
                        span=Span(run[0].span[0], run[-1].span[1]),
                    )
                    run = [result]
                spelling = op
            run.append(c[i + 1])
        return BoolOp(
            op=spelling,  # type: ignore[arg-type]
            operands=tuple(run),
            span=Span(run[0].span[0], run[-1].span[1]),
        )

    or_expr = _chain
    and_expr = _chain

    def negation(self, c: list[Any]) -> Not:
        m = CURRENT_MAP.get()
        operand = c[1]
        return Not(operand=operand, span=Span(m.pos(c[0].start_pos), operand.span[1]))

    def group(self, c: list[Any]) -> Any:
        m = CURRENT_MAP.get()
        inner = c[1]
        # Parentheses are kept as a count beside the node (not compared): printing keeps
        # them, and the checker sees where the user grouped.
        span = Span(m.pos(c[0].start_pos), m.pos(c[2].end_pos))
        return type(inner)(
            **{f: getattr(inner, f) for f in _EXPR_FIELDS[type(inner)]},
            parens=inner.parens + 1,
            span=span,
        )

    def predicate(self, c: list[Any]) -> Comparison:
        left, op, right = c
        if not isinstance(left, Node):  # a placeholder standing for an attribute path (query())
            left = self._value(left)
        if not isinstance(right, Node):
            right = self._value(right)
        return Comparison(left=left, op=op, right=right, span=Span(left.span[0], right.span[1]))

    def comparator(self, c: list[Any]) -> str:
        tok = c[0]
        if tok.type == "CMP":
            spelled: str = tok.value
            return spelled
        return " ".join(tok.value.split()).upper()  # `is   not` is IS NOT in the tree

    def _value(self, tok: Any) -> Any:
        span = _tok_span(tok)
        kind = tok.type
        text = tok.value
        if kind == "SQ_TEXT":
            return Text(value=text[1:-1], quoted=True, span=span)
        if kind == "PLACEHOLDER":
            return placeholder(text, CURRENT_MAP.get(), tok.start_pos)
        if kind == "DQ_STRING":
            return Text(value=json.loads(text), quoted=True, span=span)
        return bare_value(text, span)

    def collection(self, c: list[Any]) -> Collection:
        m = CURRENT_MAP.get()
        items: tuple[Any, ...] = tuple(
            self._value(t) if not isinstance(t, Node) else t for t in c[1:-1]
        )
        return Collection(items=items, span=m.span(c[0].start_pos, c[-1].end_pos))

    # --- attribute paths (§4.4) --------------------------------------------------------------

    def path_part(self, c: list[Any]) -> PathPart:
        m = CURRENT_MAP.get()
        name = c[0]
        index = None
        class_index = None
        for t in c[1:]:
            if t.type == "INDEX":
                index = t.value[1:-1]
            else:
                digits = t.value[1:-1]
                if len(digits) > MAX_NUMBER_DIGITS:
                    raise number_too_long(len(digits), m.span(t.start_pos + 1, t.end_pos - 1))
                class_index = int(digits)
        return PathPart(
            name=name.value,
            index=index,
            class_index=class_index,
            span=m.span(name.start_pos, c[-1].end_pos),
        )

    def attribute_path(self, c: list[PathPart]) -> AttributePath:
        parts = tuple(c)
        return AttributePath(parts=parts, span=Span(parts[0].span[0], parts[-1].span[1]))

    # --- sort lists (§5), $attributes (§6.1), $expand (§3.5) ----------------------------------

    def sort_item(self, c: list[Any]) -> SortItem:
        path = c[0]
        if len(c) == 1:
            return SortItem(path=path, span=path.span)
        tok = c[1]
        return SortItem(
            path=path,
            direction=tok.value.upper(),
            span=Span(path.span[0], _tok_span(tok)[1]),
        )

    def sort_list(self, c: list[SortItem]) -> SortList:
        return SortList(items=tuple(c), span=Span(c[0].span[0], c[-1].span[1]))

    def attribute_item(self, c: list[Any]) -> AttributeItem:
        path = c[0]
        if len(c) == 1:
            return AttributeItem(path=path, span=path.span)
        return AttributeItem(path=path, star=True, span=Span(path.span[0], _tok_span(c[1])[1]))

    def attribute_list(self, c: list[Any]) -> AttributeList:
        first = c[0]
        if not isinstance(first, Node):
            span = _tok_span(first)
            return AttributeList(items=(AttributeItem(star=True, span=span),), span=span)
        return AttributeList(items=tuple(c), span=Span(c[0].span[0], c[-1].span[1]))

    def path_list(self, c: list[AttributePath]) -> PathList:
        return PathList(paths=tuple(c), span=Span(c[0].span[0], c[-1].span[1]))

    # --- relaxed JSON for $params (§3.2) -------------------------------------------------------

    def json_array(self, c: list[Any]) -> list[Any]:
        return [self._json(x) for x in c]

    def json_object(self, c: list[Any]) -> dict[str, Any]:
        return dict(c)

    def json_pair(self, c: list[Any]) -> tuple[str, Any]:
        key = c[0]
        name = json.loads(key.value) if key.type == "DQ_STRING" else key.value
        return (name, self._json(c[1]))

    def _json(self, x: Any) -> Any:
        if isinstance(x, (list, dict)):
            return x
        kind = x.type
        if kind == "DQ_STRING":
            try:
                return json.loads(x.value)
            except ValueError:
                raise RestQuerySyntaxError(
                    "RQ001",
                    "The $params value is not JSON: a text holds a raw control character or a"
                    " bad escape.",
                    _tok_span(x),
                    hint="escape control characters in JSON strings (\\n, \\u001f)",
                ) from None
        if kind == "JSON_NUMBER":
            if len(x.value) > MAX_NUMBER_DIGITS:
                digits = digit_count(x.value)
                if digits > MAX_NUMBER_DIGITS:
                    raise number_too_long(digits, _tok_span(x))
            value = json.loads(x.value)
            if isinstance(value, float) and not math.isfinite(value):
                raise RestQuerySyntaxError(
                    "RQ001",
                    "The $params value holds a number that is not finite (out of range).",
                    _tok_span(x),
                    hint="write finite numbers only",
                )
            return value
        if kind == "TEMPLATE":
            return Template(text=x.value, span=_tok_span(x))
        if kind == "JSON_TRUE":
            return True
        if kind == "JSON_FALSE":
            return False
        return None


class UrlTransformer(QueryTransformer):
    """url.lark: level 1 (``url``) splits the raw text into a :class:`~restquery.syntax.split.
    Split` of raw offsets, which :mod:`restquery.parser` decodes and parses further;
    ``segment`` and ``entity_set`` build path segment nodes. No Lark token leaves."""

    def url(self, children: list[Any]) -> Split:
        origin = None
        segments: tuple[SplitSegment, ...] = ()
        trailing = False
        query = -1
        params: tuple[RawParam, ...] = ()
        fragment = -1
        for child in children:
            if type(child) is SplitOrigin:
                origin = child
            elif type(child) is not tuple:  # the FRAGMENT token (Lark's or lark-cython's)
                fragment = child.start_pos
            elif child[0] == "path":
                segments, trailing = child[1], child[2]
            else:
                query, params = child[1], child[2]
        return Split(origin, segments, trailing, query, params, fragment)

    def origin(self, children: list[Any]) -> SplitOrigin:
        tok = children[0]
        return SplitOrigin(tok.start_pos, tok.end_pos, tok.type == "TEMPLATE")

    def path(self, children: list[Any]) -> tuple[str, tuple[SplitSegment, ...], bool]:
        segments = tuple(
            SplitSegment(t.start_pos, t.end_pos) for t in children if t.type == "SEGMENT"
        )
        trailing = bool(children) and children[-1].type == "SLASH"
        return ("path", segments, trailing)

    def query(self, children: list[Any]) -> tuple[str, int, tuple[RawParam, ...]]:
        return ("query", children[0].start_pos, tuple(c for c in children[1:] if type(c) is RawParam))

    def param(self, children: list[Any]) -> RawParam:
        name = children[0]
        if len(children) == 1:
            return RawParam(name.start_pos, name.end_pos)
        eq = children[1].start_pos
        if len(children) == 2:
            return RawParam(name.start_pos, name.end_pos, eq, eq + 1, eq + 1)
        value, slash = children[2]
        return RawParam(
            name.start_pos,
            name.end_pos,
            eq,
            value.start_pos,
            value.end_pos,
            slash.start_pos if slash is not None else -1,
        )

    def param_value(self, children: list[Any]) -> tuple[Token, Token | None]:
        return (children[0], children[1] if len(children) > 1 else None)


_EXPR_FIELDS = {
    Formula: ("text",),
    Comparison: ("left", "op", "right"),
    Not: ("operand",),
    BoolOp: ("op", "operands"),
}
