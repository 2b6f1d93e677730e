"""The lean pass over one ``$filter`` value: precedence climbing composed from the patterns
:class:`restquery.syntax.lean.FastPaths` compiles from the grammar's terminals, building the
very nodes the grammar's transformer builds, or giving up (the LALR parser then runs)."""

from __future__ import annotations

import json

from restquery.ast import AttributePath as _AP
from restquery.ast import BoolOp, Collection, Comparison, Not, Text, _edge
from restquery.ast import PathPart as _PP
from restquery.syntax.decode import OffsetMap
from restquery.syntax.values import MAX_NUMBER_DIGITS, bare_value, number_too_long, placeholder

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

    from restquery.ast import AttributePath
    from restquery.syntax.lean import FastPaths

def _plain_path(dotted: str, pos: int, table: list[int] | None, base: int) -> AttributePath:
    """The path of plain names ``dotted``, written at ``pos`` of a decoded text whose offset
    map has this table and base (see OffsetMap)."""
    if "." not in dotted:
        end = pos + len(dotted)
        packed = (base + pos) << 32 | (base + end) if table is None else table[pos] << 32 | table[end]
        return _AP._new((_PP._new(dotted, None, None, packed),), None)
    parts = []
    for name in dotted.split("."):
        end = pos + len(name)
        packed = (base + pos) << 32 | (base + end) if table is None else table[pos] << 32 | table[end]
        parts.append(_PP._new(name, None, None, packed))
        pos = end + 1
    return _AP._new(tuple(parts), None)


#: Deeper nesting than this (NOT or parentheses) is left to the LALR parser, which needs no
#: recursion; the lean pass recurses once per level.
_MAX_LEAN_DEPTH = 48


#: What follows an operand has not been read yet.
_UNREAD = object()


class _Fallback(Exception):
    """The text leaves the subset the lean pass covers."""


class _FilterPass:
    """Precedence climbing over one decoded ``$filter`` value (query.lark §4): NOT binds
    tightest, then AND, then OR and EXCEPT, left-associative; a run of one spelling is one
    n-ary node, exactly as the grammar's transformer builds them. Spans are packed integers;
    those of comparisons, runs and paths are left to be derived from their children."""

    __slots__ = ("fp", "text", "omap", "pos", "nesting")

    def __init__(self, fp: FastPaths, text: str, omap: OffsetMap) -> None:
        self.fp = fp
        self.text = text
        self.omap = omap
        self.pos = 0
        self.nesting = 0

    def run(self) -> Any:
        try:
            return self._expr()
        except _Fallback:
            return None

    def _expr(self) -> Any:
        """One loop over the text: an operand, then what follows it (a logical operator, a
        closing parenthesis or the end). Each open parenthesis keeps the state of the level
        it interrupts on a stack; each level keeps an AND run and an OR run, folded as
        :meth:`_fold` says."""
        text, fp, omap = self.text, self.fp, self.omap
        n = len(text)
        clause, op_match = fp._f_clause.match, fp._f_op.match
        ws, not_match = fp._f_ws.match, fp._f_not.match
        spellings = fp._spelling
        fold, new_not = self._fold, Not._new
        frames: list[tuple[Any, ...]] = []
        # The level being read: its AND run and spelling, OR run and spelling, the positions
        # of the NOTs waiting for their operand, and where its "(" is.
        and_run: list[Any] = []
        and_op: str | None = None
        or_run: list[Any] = []
        or_op: str | None = None
        nots: list[int] = []
        opened = -1
        depth = 0
        pos = 0
        while True:
            # -- an operand ---------------------------------------------------------------
            m = clause(text, pos)
            if m is not None:
                value, pos, op = self._clause(m)
                if pos == n and not frames and not nots and not and_run and not or_run:
                    return value  # the whole filter is one comparison
            else:
                at = ws(text, pos).end()  # type: ignore[union-attr]
                if at >= n:
                    raise _Fallback
                ch = text[at]
                if ch == "(" or (ch in "nN" and not_match(text, at) is not None):
                    depth += 1
                    self.nesting += 1
                    if depth > _MAX_LEAN_DEPTH:
                        raise _Fallback
                    if ch == "(":
                        frames.append((and_run, and_op, or_run, or_op, nots, opened))
                        and_run, and_op, or_run, or_op, nots, opened = [], None, [], None, [], at
                        pos = at + 1
                    else:
                        nots.append(at)
                        pos = not_match(text, at).end()  # type: ignore[union-attr]
                    continue
                value = self._predicate(at)
                pos, op = self.pos, _UNREAD
            # -- what follows it ----------------------------------------------------------
            while True:
                while nots:
                    depth -= 1
                    value = new_not(value, 0, omap.pos(nots.pop()) << 32 | _edge(value, 1))
                if op is _UNREAD:
                    om = op_match(text, pos)
                    op = None if om is None else (om.lastgroup, om.group(om.lastgroup), om.end())  # type: ignore[arg-type]
                and_run.append(value)
                if op is not None:
                    kind, word, pos = op
                    spelled = spellings.get(word.upper(), word) if word[0].isalpha() else word
                    if kind == "and":
                        if and_op is not None and spelled != and_op:
                            and_run = [fold(and_run, and_op)]
                        and_op = spelled
                    else:
                        or_run.append(fold(and_run, and_op))
                        and_run, and_op = [], None
                        if or_op is not None and spelled != or_op:
                            or_run = [fold(or_run, or_op)]
                        or_op = spelled
                    break  # the next operand
                inner = fold(and_run, and_op)
                if or_run:
                    or_run.append(inner)
                    inner = fold(or_run, or_op)
                end = ws(text, pos).end()  # type: ignore[union-attr]
                if end == n:
                    if frames:
                        raise _Fallback
                    return inner
                if text[end] != ")" or not frames:
                    raise _Fallback
                # Parentheses are a count beside the node (not compared), as the transformer
                # keeps them.
                value = inner.replace(parens=inner.parens + 1, span=omap.packed(opened, end + 1))
                and_run, and_op, or_run, or_op, nots, opened = frames.pop()
                depth -= 1
                pos, op = end + 1, _UNREAD

    def _fold(self, run: list[Any], op: str | None) -> Any:
        """A run of one spelling as one n-ary node, as the grammar's transformer folds them:
        a change of spelling closes the run so far into one node, the first operand of the
        next."""
        if op is None:
            return run[0]
        self.nesting += 1
        return BoolOp._new(op, tuple(run), 0, None)

    def _clause(self, m: Any) -> tuple[Any, int, Any]:
        """The comparison the clause pattern matched (see FastPaths._f_clause), where the
        text goes on, and the logical operator after it (None: none; _UNREAD: not read)."""
        omap, fp = self.omap, self.fp
        dotted, isnot, word, cmp, sq, ph, bare, and_, or_ = m.groups()
        lo = m.start(1)
        table = omap.table
        base = omap.base
        left = _plain_path(dotted, lo, table, base)
        spellings = fp._spelling
        if cmp is not None:
            op = spellings.get(cmp, cmp)
        elif isnot is not None:
            op = fp._is_not
        else:
            word = word.upper()
            op = spellings.get(word, word)
        if bare is not None:
            raw, kind = bare, 7
        elif sq is not None:
            raw, kind = sq, 5
        elif ph is not None:
            raw, kind = ph, 6
        else:  # no value the pattern reads: a collection, or something for the LALR parser
            self.pos = m.end()
            return Comparison._new(left, op, self._value(op), 0, None), self.pos, _UNREAD
        vlo = m.start(kind)
        vhi = vlo + len(raw)
        packed = (base + vlo) << 32 | (base + vhi) if table is None else table[vlo] << 32 | table[vhi]
        if kind == 7:
            right: Any = bare_value(raw, packed)
        elif kind == 5:
            right = Text._new(raw[1:-1], True, packed)
        else:
            right = placeholder(raw, omap, vlo)
        cmp_node = Comparison._new(left, op, right, 0, None)
        if and_ is not None:
            return cmp_node, vhi, ("and", and_, m.end())
        if or_ is not None:
            return cmp_node, vhi, ("or", or_, m.end())
        return cmp_node, vhi, None

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
        return Comparison._new(left, op, right, 0, None)

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
                _PP._new(
                    m.group(1),
                    index[1:-1] if index is not None else None,
                    _class_index(class_index, omap, m.start(3)),
                    omap.packed(pos, m.end()),
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
        return _AP._new(tuple(parts), None)

    def _comparator(self) -> str:
        text, fp = self.text, self.fp
        m = fp._f_word_cmp.match(text, self.pos)
        if m is not None:
            self.pos = m.end()
            # The tree spells a word comparator in upper case, its blanks collapsed: `IS NOT`.
            word = " ".join(m.group().split()).upper()
            return fp._spelling.get(word, word)
        m = fp._f_cmp.match(text, self.pos)
        if m is None:
            raise _Fallback
        self.pos = m.end()
        cmp = m.group("cmp")
        return fp._spelling.get(cmp, cmp)

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
            return Text._new(raw[1:-1], True, omap.packed(lo, hi))
        if kind == "ph":
            return placeholder(raw, omap, lo)
        return bare_value(raw, omap.packed(lo, hi))

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
                span = omap.packed(lo, hi)
                if kind == "sq":
                    items.append(Text._new(raw[1:-1], True, span))
                elif kind == "dq":
                    try:
                        items.append(Text._new(json.loads(raw), True, span))
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
        return Collection._new(tuple(items), omap.packed(at, pos + 1))


def _class_index(raw: str | None, omap: OffsetMap, start: int) -> int | None:
    if raw is None:
        return None
    digits = raw[1:-1]
    if len(digits) > MAX_NUMBER_DIGITS:
        raise number_too_long(len(digits), omap.span(start + 1, start + len(raw) - 1))
    return int(digits)
