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

import re

from restquery.syntax.decode import OffsetMap
from restquery.syntax.split import Origin as SplitOrigin
from restquery.syntax.split import RawParam, Split
from restquery.syntax.split import Segment as SplitSegment
from restquery.syntax.values import (
    bare_value,
    key_value,
    placeholder,
)
from restquery.errors import RestQueryError
from restquery.syntax._filter_pass import _Fallback, _FilterPass, _plain_path
from restquery.syntax.lexicon import lexicon
from restquery.ast import (
    AttributeItem,
    AttributeList,
    AttributePath,
    BoolOp,
    Comparison,
    EntitySetSegment,
    Filter,
    KeySegment,
    KeywordSegment,
    NamesSegment,
    Not,
    PathList,
    SortItem,
    SortList,
    Text,
    _edge,
    cover_packed,
)
from restquery.ast import AttributePath as _AP
from restquery.ast import PathPart as _PP

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FastPaths"]

_WS = "[ \t\r\n]*"


class FastPaths:
    """Regular shortcuts built from the terminals of the two built parsers."""

    #: The terminals the shortcuts are composed of, per grammar.
    TERMINALS = {
        "url": (
            "ORIGIN", "TEMPLATE", "SEGMENT", "PNAME", "DQ_VALUE", "SQ_VALUE",
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
        self._placeholder = re.compile(u("TEMPLATE"))
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
        # The commonest predicate in one match: a dotted path of plain names, a comparator, a
        # quoted, bare or placeholder value, and the logical operator after it. It reads what
        # the patterns above read one after the other (atomic groups stop it from taking a
        # shorter name or another comparator than they would), and where it does not match,
        # they run.
        op = f"{_WS}(?>(?P<and>{q('AND_OP')})|(?P<or>{q('OR_OP')}))"
        self._f_clause = re.compile(
            f"{_WS}(?!{q('NOT')})(?>({qname}(?:\\.{qname})*))(?![\\[{{.])"
            f"{_WS}(?>(?P<isnot>{q('IS_NOT')})|(?P<word>{q('IS')}|{q('IN')}|{q('BEGIN')})"
            f"|(?P<cmp>{q('CMP')}))"
            f"(?:{_WS}(?>(?P<sq>{q('SQ_TEXT')})|(?P<ph>{q('PLACEHOLDER')})|(?P<bare>{q('BARE')}))"
            f"(?:{op})?)?"
        )
        # A filter that is a chain of such predicates and nothing else, read match after match:
        # every piece is a group, blanks included, so the groups' lengths give the positions.
        ws = f"({_WS})"
        # A collection is taken up to its first "]" and read by _FilterPass._collection,
        # which must end there.
        self._f_chain = re.compile(
            f"{ws}(?:({q('NOT')}){ws})?(?!{q('NOT')})(?>({qname}(?:\\.{qname})*))(?![\\[{{.])"
            f"{ws}(?>({q('IS_NOT')})|({q('IS')}|{q('IN')}|{q('BEGIN')})|({q('CMP')}))"
            f"{ws}(?>({q('SQ_TEXT')})|({q('PLACEHOLDER')})|({q('BARE')})|(\\[[^\\]]*\\]))"
            f"{ws}(?>({q('AND_OP')})|({q('OR_OP')}))?"
        )
        # _FilterPass._clause reads the values by number.
        assert [self._f_clause.groupindex[k] for k in ("sq", "ph", "bare")] == [5, 6, 7]
        # The tree's spelling of each comparator and logical operator, one string object each
        # (the tree keeps thousands of them).
        lx = lexicon()
        self._spelling = {word: word for word in (*lx.comparators, *lx.logical)}
        self._is_not = next(w for w in lx.word_comparators if " " in w)
        self._directions = {word: word for word in lx.directions}

    def _spelling_of(self, word: str) -> str:
        return self._directions.get(word, word)

    # --- level 1 --------------------------------------------------------------------------

    def split(self, url: str) -> Split | None:
        """The level-1 split of ``url``, as the ``url`` rule gives it, or None."""
        n = len(url)
        pos = 0
        origin = None
        if url[:1] != "/":  # neither kind of origin starts with a slash
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
            segments.append(_tuple(SplitSegment, s.regs[1]))
            pos = s.end()
        if pos == n:
            return _tuple(Split, (origin, tuple(segments), trailing, -1, (), -1))
        if url[pos] == "#":  # the fragment ends the URL (url.lark FRAGMENT)
            return _tuple(Split, (origin, tuple(segments), trailing, -1, (), pos))
        if url[pos] != "?":
            return None
        qpos = pos
        pos += 1
        params = []
        param = self._param.match
        while True:
            while pos < n and url[pos] == "&":
                pos += 1  # an `&` with no parameter on one side (AMPS): RQ114 warns
            if pos == n or url[pos] == "#":
                break
            pm = param(url, pos)
            if pm is None:
                return None
            # regs: the spans of the groups, -1 for those that did not take part.
            regs = pm.regs
            name_start, name_end = regs[1]
            eq = regs[2][0]
            if eq < 0:
                params.append(_tuple(RawParam, (name_start, name_end, -1, -1, -1, -1)))
            else:
                value = regs[3]  # "..."
                if value[0] >= 0:
                    slash = regs[4][0]
                else:
                    value = regs[5]  # '...'
                    if value[0] >= 0:
                        slash = regs[6][0]
                    else:
                        value = regs[7]  # raw, or nothing after `name=`
                        slash = -1
                        if value[0] < 0:
                            value = (eq + 1, eq + 1)
                params.append(
                    _tuple(RawParam, (name_start, name_end, eq, value[0], value[1], slash))
                )
            pos = pm.end()
            if pos == n or url[pos] == "#":
                break
            if url[pos] != "&":
                return None
        fragment = pos if pos < n else -1
        return _tuple(Split, (origin, tuple(segments), trailing, qpos, tuple(params), fragment))

    # --- path segments ----------------------------------------------------------------------

    def segment(self, text: str, omap: OffsetMap) -> Any:
        if self._names.fullmatch(text):
            return _names_segment(text, omap)
        if self._keyword.fullmatch(text):
            return KeywordSegment._new(text, omap.packed(0, len(text)))
        m = self._key_segment.fullmatch(text)
        if m is not None:
            group = 2 if m.start(2) >= 0 else 3
            lo, hi = m.span(group)
            return KeySegment._new(
                m.group(1),
                key_value(m.group(group), omap.packed(lo, hi)),
                group == 3,
                omap.span(0, m.end(1)),
                omap.packed(0, len(text)),
            )
        return None

    def entity_set(self, text: str, omap: OffsetMap) -> Any:
        if self._set_id.fullmatch(text):
            span = omap.span(0, len(text))
            return EntitySetSegment(id=text, id_span=span, span=span)
        if self._keyword.fullmatch(text):
            return KeywordSegment._new(text, omap.packed(0, len(text)))
        return None

    # --- values -----------------------------------------------------------------------------

    def filter(self, text: str, omap: OffsetMap) -> Filter | None:
        """The tree the ``filter`` rule builds, or None where the lean pass does not go
        (syntax errors, ``eval()``, ``order by``, spaced paths, very deep nesting): the LALR
        parser then runs, and reports every error."""
        return self.filter_nesting(text, omap)[0]

    def filter_nesting(self, text: str, omap: OffsetMap) -> tuple[Filter | None, int]:
        """:meth:`filter`, and a bound on the nesting depth of its tree (the operator runs,
        NOTs and parentheses it holds, in all): at most that many levels deep."""
        if "(" not in text or text.count("(") == 1:
            try:
                chain = self._chain(text, omap)
            except RestQueryError:
                return None, 0
            if chain is not None:
                return Filter._new(chain[0], None, None), chain[1]
        walk = _FilterPass(self, text, omap)
        try:
            expr = walk.run()
        except RestQueryError:
            return None, 0  # the LALR parser decides which error comes first
        if expr is None:
            return None, 0
        return Filter._new(expr, None, None), walk.nesting

    def _chain(self, text: str, omap: OffsetMap) -> tuple[Any, int] | None:
        """A filter made only of the predicates ``_f_chain`` reads (each maybe under one NOT),
        logical operators between them and maybe one pair of parentheses around it all,
        with its nesting bound; None for any other text. The operators are folded as
        _FilterPass folds them."""
        if "(" in text:
            body = text.strip(" \t\r\n")
            if body[:1] != "(" or body[-1:] != ")" or body.count(")") != 1:
                return None
            lead = text.index("(")
            close = lead + len(body) - 1
            inner = self._chain(text[lead + 1 : close], omap.shifted(lead + 1, close))
            if inner is None:
                return None
            expr = inner[0]
            return expr.replace(
                parens=expr.parens + 1, span=omap.packed(lead, close + 1)
            ), inner[1] + 1
        # A scanner matches where the last match ended, never further on: the matches are
        # contiguous, and a text the pattern does not take costs one attempt, not one per
        # position (as findall() would, quadratic on a long name with nothing after it).
        matches = list(iter(self._f_chain.scanner(text).match, None))  # type: ignore[attr-defined]
        if not matches or matches[-1].end() != len(text):
            return None
        found = [m.groups() for m in matches]
        last = found[-1]
        if last[14] or last[15]:
            return None  # an operator with nothing after it
        table, base = omap.table, omap.base
        spellings, is_not = self._spelling, self._is_not
        new_cmp, new_bool = Comparison._new, BoolOp._new
        and_run: list[Any] = []
        and_op: str | None = None
        or_run: list[Any] = []
        or_op: str | None = None
        nesting = 0
        pos = 0
        left_over = len(found)
        for (
            ws0, neg, ws1, dotted, ws2, isnot, word, cmp, ws3, sq, ph, bare, coll, ws4, and_, or_
        ) in found:
            pos += len(ws0)
            at_not = pos
            if neg:
                pos += len(neg) + len(ws1)
            left = _plain_path(dotted, pos, table, base)
            pos += len(dotted)
            pos += len(ws2)
            if cmp:
                op = spellings.get(cmp, cmp)
                pos += len(cmp)
            elif isnot:
                op = is_not
                pos += len(isnot)
            else:
                upper = word.upper()
                op = spellings.get(upper, upper)
                pos += len(word)
            pos += len(ws3)
            raw = bare or sq or ph or coll
            end = pos + len(raw)
            packed = (base + pos) << 32 | (base + end) if table is None else table[pos] << 32 | table[end]
            if bare:
                right: Any = bare_value(bare, packed)
            elif sq:
                right = Text._new(sq[1:-1], True, packed)
            elif ph:
                right = placeholder(ph, omap, pos)
            else:
                walk = _FilterPass(self, text, omap)
                try:
                    right = walk._collection(pos)
                except _Fallback:
                    return None
                if walk.pos != end:
                    return None
            node: Any = new_cmp(left, op, right, 0, None)
            if neg:
                start = base + at_not if table is None else table[at_not]
                node = Not._new(node, 0, start << 32 | (packed & 0xFFFFFFFF))
                nesting += 1
            and_run.append(node)
            pos = end + len(ws4)
            word = and_ or or_
            left_over -= 1
            if not word:
                if left_over or pos != len(text):
                    return None  # two predicates with no operator between them, or text left
                break
            pos += len(word)
            spelled = spellings.get(word.upper(), word) if word[0].isalpha() else word
            if and_:
                if and_op is not None and spelled != and_op:
                    and_run = [new_bool(and_op, tuple(and_run), 0, None)]
                    nesting += 1
                and_op = spelled
            else:
                if and_op is not None:
                    or_run.append(new_bool(and_op, tuple(and_run), 0, None))
                    nesting += 1
                else:
                    or_run.append(and_run[0])
                and_run, and_op = [], None
                if or_op is not None and spelled != or_op:
                    or_run = [new_bool(or_op, tuple(or_run), 0, None)]
                    nesting += 1
                or_op = spelled
        chain: Any = and_run[0] if and_op is None else new_bool(and_op, tuple(and_run), 0, None)
        nesting += and_op is not None
        if or_run:
            or_run.append(chain)
            chain = new_bool(or_op, tuple(or_run), 0, None)
            nesting += 1
        return chain, nesting

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
                    SortItem._new(
                        path,
                        self._spelling_of(m.group(2).upper()),
                        _edge(path, 0) << 32 | omap.pos(m.end(2)),
                    )
                )
            else:
                items.append(SortItem._new(path, None, cover_packed(path, path)))
            pos = m.end()
            if pos >= end:
                if text.endswith(","):
                    return None
                break
        return SortList._new(tuple(items), cover_packed(items[0], items[-1]))

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
        paths = tuple([p for p, _ in items])
        return PathList._new(paths, cover_packed(paths[0], paths[-1]))

    def attribute_list(self, text: str, omap: OffsetMap) -> AttributeList | None:
        items = self._path_items(text, omap)
        if items is None:
            return None
        nodes = tuple([
            AttributeItem._new(p, True, _edge(p, 0) << 32 | omap.pos(star))
            if star >= 0
            else AttributeItem._new(p, False, cover_packed(p, p))
            for p, star in items
        ])
        return AttributeList._new(nodes, cover_packed(nodes[0], nodes[-1]))


def _path(text: str, start: int, end: int, omap: OffsetMap) -> AttributePath:
    parts = []
    pos = start
    for name in text[start:end].split("."):
        parts.append(_PP._new(name, None, None, omap.packed(pos, pos + len(name))))
        pos += len(name) + 1
    return _AP._new(tuple(parts), None)


def _names_segment(text: str, omap: OffsetMap) -> NamesSegment:
    if "," not in text:
        path = _path(text, 0, len(text), omap)
        return NamesSegment._new((path,), None)
    paths = []
    pos = 0
    for item in text.split(","):
        paths.append(_path(text, pos, pos + len(item), omap))
        pos += len(item) + 1
    return NamesSegment._new(tuple(paths), None)


_tuple = tuple.__new__
