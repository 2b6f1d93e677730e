"""Shortcuts for the most common shapes, composed from the grammar's own terminals.

Most request URLs are plain: a few segments that are names or ``Name(key)``, parameters whose
values are one comparison, one sort key or a list of names. For those, running the LALR
parser costs far more than the text deserves. This module composes regular expressions from
the terminal definitions of ``grammar/*.lark`` (read from the built parsers, so the grammar
stays the single source of the syntax) and builds the very nodes the parser would build.

Each shortcut either returns exactly what the LALR parse returns or ``None``, in which case the
parser runs as usual (and reports errors). ``tests/test_lean.py`` checks the equivalence
differentially, on the corpus and on generated text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from restquery.syntax.decode import OffsetMap
from restquery.syntax.split import Origin as SplitOrigin
from restquery.syntax.split import RawParam, Split
from restquery.syntax.split import Segment as SplitSegment
from restquery.syntax.values import (
    MAX_NUMBER_DIGITS,
    bare_value,
    key_value,
    number_too_long,
    placeholder,
)
from restquery.errors import RestQueryError
from restquery.ast import (
    cover,
    AttributeItem,
    BoolOp,
    Collection,
    Not,
    AttributeList,
    AttributePath,
    Comparison,
    EntitySetSegment,
    Filter,
    KeySegment,
    KeywordSegment,
    NamesSegment,
    PathList,
    PathPart,
    SortItem,
    SortList,
    Span,
    Text,
)

__all__ = ["FastPaths"]

_WS = "[ \t\r\n]*"


class FastPaths:
    """Regular shortcuts built from the terminals of the two built parsers."""

    #: The terminals the shortcuts are composed of, per grammar.
    TERMINALS = {
        "url": (
            "ORIGIN", "ORIGIN_PLACEHOLDER", "SEGMENT", "PNAME", "DQ_VALUE", "SQ_VALUE",
            "RAW_VALUE", "NAME", "KEYWORD", "QUOTED_KEY", "BARE_KEY", "SET_ID",
        ),
        "query": (
            "NAME", "CMP", "SQ_TEXT", "BARE", "PLACEHOLDER", "NOT", "DIRECTION", "AND_OP",
            "OR_OP", "BEGIN", "IN", "IS", "IS_NOT", "ITEM_BARE", "DQ_STRING", "INDEX",
            "CLASS_INDEX",
        ),
    }

    def __init__(self, terminals: dict[str, str]) -> None:
        def u(name: str) -> str:
            return "(?:" + terminals["url." + name] + ")"

        def q(name: str) -> str:
            return "(?:" + terminals["query." + name] + ")"

        # url: origin? path query?   (url.lark §1.1-§1.3; each terminal is followed by a
        # character it cannot contain, so the split is the one the LALR lexer makes)
        # Scanned piece by piece with the terminals' own expressions, in the order the LALR
        # lexer meets them: each terminal is followed by a character it cannot contain, so
        # the pieces are the lexer's tokens.
        self._origin = re.compile(u("ORIGIN"))
        self._placeholder = re.compile(u("ORIGIN_PLACEHOLDER"))
        self._segment = re.compile("/(" + u("SEGMENT") + ")", re.S)
        self._param = re.compile(
            f"({u('PNAME')})(?:(=)(?:({u('DQ_VALUE')})(/)?|({u('SQ_VALUE')})(/)?"
            f"|({u('RAW_VALUE')}))?)?",
            re.S,
        )

        name = u("NAME")
        self._name = re.compile(name)
        self._keyword = re.compile(u("KEYWORD"))
        self._names = re.compile(f"{name}(?:\\.{name})*(?:,{name}(?:\\.{name})*)*")
        self._key_segment = re.compile(
            f"({name})(?:\\(({u('QUOTED_KEY')}|{u('BARE_KEY')})\\)"
            f"|\\[({u('QUOTED_KEY')}|{u('BARE_KEY')})\\])"
        )
        self._set_id = re.compile(u("SET_ID"))

        qname = q("NAME")
        path = f"{qname}(?:\\.{qname})*"
        self._sort_item = re.compile(
            f"{_WS}({path})(?:[ \\t\\r\\n]+({q('DIRECTION')}))?{_WS}(?:,|\\Z)"
        )
        self._path_item = re.compile(f"{_WS}({path})(\\.\\*)?{_WS}(?:,|\\Z)")

        # $filter (query.lark §4.1), one pattern per state of the LALR lexer: what may stand
        # where an operand, a comparator, a value or an operator is expected. Each is tried at
        # a position, as the contextual lexer does, in the lexer's order (priority, then
        # width): words (NOT, IS NOT, IS, IN, BEGIN, AND, OR) before names and symbols.
        part = f"({qname})({q('INDEX')})?({q('CLASS_INDEX')})?"
        self._f_part = re.compile(part)
        self._f_ws = re.compile(_WS)
        self._f_not = re.compile(f"{_WS}{q('NOT')}")
        self._f_word_cmp = re.compile(
            f"{_WS}(?:(?P<isnot>{q('IS_NOT')})|(?P<word>{q('IS')}|{q('IN')}|{q('BEGIN')}))"
        )
        self._f_cmp = re.compile(f"{_WS}(?=(?P<cmp>{q('CMP')}))(?P=cmp)")
        self._f_value = re.compile(
            f"{_WS}(?:(?P<sq>{q('SQ_TEXT')})|(?P<ph>{q('PLACEHOLDER')})|(?P<bare>{q('BARE')}))"
        )
        self._f_placeholder = re.compile(q("PLACEHOLDER"))
        self._f_item = re.compile(
            f"{_WS}(?:(?P<sq>{q('SQ_TEXT')})|(?P<dq>{q('DQ_STRING')})|(?P<ph>{q('PLACEHOLDER')})"
            f"|(?P<bare>{q('ITEM_BARE')})){_WS}"
        )
        self._f_op = re.compile(f"{_WS}(?:(?P<and>{q('AND_OP')})|(?P<or>{q('OR_OP')}))")

    # --- level 1 --------------------------------------------------------------------------

    def split(self, url: str) -> Split | None:
        """The level-1 split of ``url``, as the ``url`` rule gives it, or None."""
        n = len(url)
        pos = 0
        origin = None
        m = self._origin.match(url)
        if m is not None:
            origin = SplitOrigin(0, m.end())
            pos = m.end()
        else:
            m = self._placeholder.match(url)
            if m is not None:
                origin = SplitOrigin(0, m.end(), True)
                pos = m.end()
        segments = []
        segment = self._segment.match
        trailing = False
        while pos < n and url[pos] == "/":
            s = segment(url, pos)
            if s is None:
                trailing = True  # a "/" that no segment follows ends the path
                pos += 1
                break
            segments.append(SplitSegment(s.start(1), s.end(1)))
            pos = s.end()
        if pos == n:
            return Split(origin, tuple(segments), trailing, -1, ())
        if url[pos] != "?":
            return None
        qpos = pos
        pos += 1
        params = []
        param = self._param.match
        while pos < n:
            pm = param(url, pos)
            if pm is None:
                return None
            name_start, name_end = pm.span(1)
            eq = pm.start(2)
            if eq < 0:
                params.append(RawParam(name_start, name_end))
            else:
                for group, slash in ((3, 4), (5, 6), (7, 0)):
                    if pm.start(group) >= 0:
                        at = pm.start(slash) if slash else -1
                        params.append(RawParam(name_start, name_end, eq, *pm.span(group), at))
                        break
                else:  # `name=` and nothing after it
                    params.append(RawParam(name_start, name_end, eq, eq + 1, eq + 1))
            pos = pm.end()
            if pos == n:
                break
            if url[pos] != "&" or pos + 1 == n:
                return None
            pos += 1
        return Split(origin, tuple(segments), trailing, qpos, tuple(params))

    # --- path segments ----------------------------------------------------------------------

    def segment(self, text: str, omap: OffsetMap) -> Any:
        if self._names.fullmatch(text):
            return _names_segment(text, omap)
        if self._keyword.fullmatch(text):
            return KeywordSegment(keyword=text, span=omap.span(0, len(text)))
        m = self._key_segment.fullmatch(text)
        if m is not None:
            group = 2 if m.start(2) >= 0 else 3
            lo, hi = m.span(group)
            return KeySegment(
                name=m.group(1),
                key=key_value(m.group(group), omap.span(lo, hi)),
                brackets=group == 3,
                name_span=omap.span(0, m.end(1)),
                span=omap.span(0, len(text)),
            )
        return None

    def entity_set(self, text: str, omap: OffsetMap) -> Any:
        if self._set_id.fullmatch(text):
            span = omap.span(0, len(text))
            return EntitySetSegment(id=text, id_span=span, span=span)
        if self._keyword.fullmatch(text):
            return KeywordSegment(keyword=text, span=omap.span(0, len(text)))
        return None

    # --- values -----------------------------------------------------------------------------

    def filter(self, text: str, omap: OffsetMap) -> Filter | None:
        """The tree the ``filter`` rule builds, or None where the lean pass does not go
        (syntax errors, ``eval()``, ``order by``, spaced paths, very deep nesting): the LALR
        parser then runs, and reports every error."""
        try:
            expr = _FilterPass(self, text, omap).run()
        except RestQueryError:
            return None  # the LALR parser decides which error comes first
        if expr is None:
            return None
        return Filter(expr=expr, span=cover(expr, expr))

    def sort_list(self, text: str, omap: OffsetMap) -> SortList | None:
        items = []
        pos, end = 0, len(text)
        while True:
            m = self._sort_item.match(text, pos)
            if m is None:
                return None
            path = _path(text, m.start(1), m.end(1), omap)
            if m.start(2) >= 0:
                items.append(
                    SortItem(
                        path=path,
                        direction=m.group(2).upper(),
                        span=Span(path.span[0], omap.pos(m.end(2))),
                    )
                )
            else:
                items.append(SortItem(path=path, span=cover(path, path)))
            pos = m.end()
            if pos >= end:
                if text.endswith(","):
                    return None
                break
        return SortList(items=tuple(items), span=cover(items[0], items[-1]))

    def _path_items(self, text: str, omap: OffsetMap) -> list[tuple[AttributePath, int]] | None:
        out = []
        pos, end = 0, len(text)
        while True:
            m = self._path_item.match(text, pos)
            if m is None:
                return None
            out.append((_path(text, m.start(1), m.end(1), omap), m.end(2)))
            pos = m.end()
            if pos >= end:
                if text.endswith(","):
                    return None
                return out

    def path_list(self, text: str, omap: OffsetMap) -> PathList | None:
        items = self._path_items(text, omap)
        if items is None or any(star >= 0 for _, star in items):
            return None
        paths = tuple(p for p, _ in items)
        return PathList(paths=paths, span=cover(paths[0], paths[-1]))

    def attribute_list(self, text: str, omap: OffsetMap) -> AttributeList | None:
        items = self._path_items(text, omap)
        if items is None:
            return None
        nodes = tuple(
            AttributeItem(path=p, star=True, span=Span(p.span[0], omap.pos(star)))
            if star >= 0
            else AttributeItem(path=p, span=cover(p, p))
            for p, star in items
        )
        return AttributeList(items=nodes, span=cover(nodes[0], nodes[-1]))


def _path(text: str, start: int, end: int, omap: OffsetMap) -> AttributePath:
    parts = []
    pos = start
    for name in text[start:end].split("."):
        parts.append(PathPart(name=name, span=omap.span(pos, pos + len(name))))
        pos += len(name) + 1
    return AttributePath(parts=tuple(parts), span=cover(parts[0], parts[-1]))


def _names_segment(text: str, omap: OffsetMap) -> NamesSegment:
    paths = []
    pos = 0
    for item in text.split(","):
        paths.append(_path(text, pos, pos + len(item), omap))
        pos += len(item) + 1
    return NamesSegment(paths=tuple(paths), span=cover(paths[0], paths[-1]))


#: Deeper nesting than this (NOT or parentheses) is left to the LALR parser, which needs no
#: recursion; the lean pass recurses once per level.
_MAX_LEAN_DEPTH = 48


class _Fallback(Exception):
    """The text leaves the subset the lean pass covers."""


class _FilterPass:
    """Precedence climbing over one decoded ``$filter`` value (query.lark §4): NOT binds
    tightest, then AND, then OR and EXCEPT, left-associative; a run of one spelling is one
    n-ary node, exactly as the grammar's transformer builds them."""

    __slots__ = ("fp", "text", "omap", "pos", "depth")

    def __init__(self, fp: FastPaths, text: str, omap: OffsetMap) -> None:
        self.fp = fp
        self.text = text
        self.omap = omap
        self.pos = 0
        self.depth = 0

    def run(self) -> Any:
        try:
            expr = self._or()
        except _Fallback:
            return None
        end = self.fp._f_ws.match(self.text, self.pos)
        if end is None or end.end() != len(self.text):
            return None
        return expr

    # -- logical operators -------------------------------------------------------------------

    def _or(self) -> Any:
        return self._chain(self._and, "or")

    def _and(self) -> Any:
        return self._chain(self._not, "and")

    def _chain(self, operand: Any, kind: str) -> Any:
        first = operand()
        op_re = self.fp._f_op
        m = op_re.match(self.text, self.pos)
        if m is None or m.lastgroup != kind:
            return first
        # [operand, spelling, operand, spelling, ...], folded left like the transformer's
        # _chain: a change of spelling closes the run so far into one node.
        result = first
        run: list[Any] = [first]
        spelling: str | None = None
        while m is not None and m.lastgroup == kind:
            word = m.group(kind)
            op = word.upper() if word[0].isalpha() else word
            self.pos = m.end()
            right = operand()
            if op != spelling:
                if spelling is not None:
                    result = BoolOp(
                        op=spelling, operands=tuple(run), span=cover(run[0], run[-1])
                    )
                    run = [result]
                spelling = op
            run.append(right)
            m = op_re.match(self.text, self.pos)
        return BoolOp(
            op=spelling,  # type: ignore[arg-type]
            operands=tuple(run),
            span=cover(run[0], run[-1]),
        )

    # -- NOT, parentheses, predicates ----------------------------------------------------------

    def _not(self) -> Any:
        text, fp = self.text, self.fp
        ws = fp._f_ws.match(text, self.pos)
        assert ws is not None
        at = ws.end()
        if at >= len(text):
            raise _Fallback
        ch = text[at]
        if ch == "(" or ch in "nN":
            if ch == "(" or fp._f_not.match(text, at) is not None:
                self.depth += 1
                if self.depth > _MAX_LEAN_DEPTH:
                    raise _Fallback
                try:
                    return self._group(at) if ch == "(" else self._negation(at)
                finally:
                    self.depth -= 1
        return self._predicate(at)

    def _negation(self, at: int) -> Not:
        m = self.fp._f_not.match(self.text, at)
        assert m is not None
        self.pos = m.end()
        operand = self._not()
        return Not(operand=operand, span=Span(self.omap.pos(at), operand.span[1]))

    def _group(self, at: int) -> Any:
        self.pos = at + 1
        inner = self._or()
        ws = self.fp._f_ws.match(self.text, self.pos)
        assert ws is not None
        close = ws.end()
        if close >= len(self.text) or self.text[close] != ")":
            raise _Fallback
        self.pos = close + 1
        # Parentheses are a count beside the node (not compared), as the transformer keeps them.
        return inner.replace(
            parens=inner.parens + 1, span=Span(self.omap.pos(at), self.omap.pos(close + 1))
        )

    def _predicate(self, at: int) -> Comparison:
        text, fp, omap = self.text, self.fp, self.omap
        left: Any
        if text[at] == ":":
            m = fp._f_placeholder.match(text, at)
            if m is None:
                raise _Fallback
            left = placeholder(m.group(), omap, at)
            self.pos = m.end()
        else:
            left = self._path(at)
        op = self._comparator()
        right = self._value(op)
        return Comparison(left=left, op=op, right=right, span=cover(left, right))

    def _path(self, at: int) -> AttributePath:
        text, part_re, omap = self.text, self.fp._f_part, self.omap
        parts = []
        pos = at
        while True:
            m = part_re.match(text, pos)
            if m is None:
                raise _Fallback
            index = m.group(2)
            class_index = m.group(3)
            parts.append(
                PathPart(
                    name=m.group(1),
                    index=index[1:-1] if index is not None else None,
                    class_index=_class_index(class_index, omap, m.start(3)),
                    span=omap.span(pos, m.end()),
                )
            )
            pos = m.end()
            if pos < len(text) and text[pos] == ".":
                pos += 1
                continue
            break
        if pos < len(text) and text[pos] in "[{":
            raise _Fallback  # an index the grammar reads otherwise: let it say how
        self.pos = pos
        if len(parts) == 1:
            return AttributePath(parts=(parts[0],), span=parts[0].span)
        return AttributePath(parts=tuple(parts), span=cover(parts[0], parts[-1]))

    def _comparator(self) -> str:
        text, fp = self.text, self.fp
        m = fp._f_word_cmp.match(text, self.pos)
        if m is not None:
            self.pos = m.end()
            # The tree spells a word comparator in upper case, its blanks collapsed: `IS NOT`.
            return " ".join(m.group().split()).upper()
        m = fp._f_cmp.match(text, self.pos)
        if m is None:
            raise _Fallback
        self.pos = m.end()
        return m.group("cmp")

    def _value(self, op: str) -> Any:
        text, omap = self.text, self.omap
        ws = self.fp._f_ws.match(text, self.pos)
        assert ws is not None
        at = ws.end()
        if at < len(text) and text[at] == "[":
            return self._collection(at)
        m = self.fp._f_value.match(text, self.pos)
        if m is None:
            raise _Fallback
        self.pos = m.end()
        kind = m.lastgroup or ""
        lo, hi = m.span(kind)
        raw = m.group(kind)
        if kind == "sq":
            return Text(value=raw[1:-1], quoted=True, span=omap.span(lo, hi))
        if kind == "ph":
            return placeholder(raw, omap, lo)
        return bare_value(raw, omap.span(lo, hi))

    def _collection(self, at: int) -> Collection:
        text, omap, item_re = self.text, self.omap, self.fp._f_item
        pos = at + 1
        items: list[Any] = []
        ws = self.fp._f_ws.match(text, pos)
        assert ws is not None
        if ws.end() < len(text) and text[ws.end()] == "]":
            pos = ws.end()
        else:
            while True:
                m = item_re.match(text, pos)
                if m is None:
                    raise _Fallback
                kind = m.lastgroup or ""
                lo, hi = m.span(kind)
                raw = m.group(kind)
                span = omap.span(lo, hi)
                if kind == "sq":
                    items.append(Text(value=raw[1:-1], quoted=True, span=span))
                elif kind == "dq":
                    try:
                        items.append(Text(value=json.loads(raw), quoted=True, span=span))
                    except ValueError:
                        raise _Fallback from None
                elif kind == "ph":
                    items.append(placeholder(raw, omap, lo))
                else:
                    items.append(bare_value(raw, span))
                pos = m.end()
                if pos < len(text) and text[pos] == ",":
                    pos += 1
                    continue
                break
        if pos >= len(text) or text[pos] != "]":
            raise _Fallback
        self.pos = pos + 1
        return Collection(items=tuple(items), span=omap.span(at, pos + 1))


def _class_index(raw: str | None, omap: OffsetMap, start: int) -> int | None:
    if raw is None:
        return None
    digits = raw[1:-1]
    if len(digits) > MAX_NUMBER_DIGITS:
        raise number_too_long(len(digits), omap.span(start + 1, start + len(raw) - 1))
    return int(digits)
