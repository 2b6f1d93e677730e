"""Shortcuts for the most common shapes, composed from the grammar's own terminals.

Most request URLs are plain: a few segments that are names or ``Name(key)``, parameters whose
values are one comparison, one sort key or a list of names. For those, running the LALR
parser costs far more than the text deserves. This module composes regular expressions from
the terminal definitions of ``grammar/*.lark`` (read from the built parsers, so the grammar
stays the single source of the syntax) and builds the very nodes the parser would build.

Each shortcut either returns exactly what the LALR parse returns or ``None``, in which case the
parser runs as usual (and reports errors). ``tests/test_fastpath.py`` checks the equivalence
differentially, on the corpus and on generated text.
"""

from __future__ import annotations

import re
from typing import Any

from restquery.syntax.decode import OffsetMap
from restquery.syntax.values import bare_value, key_value, placeholder
from restquery.ast import (
    AttributeItem,
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


class _Tok:
    """The few token attributes the parser reads, for pieces split without Lark."""

    __slots__ = ("type", "value", "start_pos", "end_pos")

    def __init__(self, type_: str, value: str, start: int, end: int) -> None:
        self.type = type_
        self.value = value
        self.start_pos = start
        self.end_pos = end


class FastPaths:
    """Regular shortcuts built from the terminals of the two built parsers."""

    #: The terminals the shortcuts are composed of, per grammar.
    TERMINALS = {
        "url": (
            "ORIGIN", "ORIGIN_PLACEHOLDER", "SEGMENT", "PNAME", "DQ_VALUE", "SQ_VALUE",
            "RAW_VALUE", "NAME", "KEYWORD", "QUOTED_KEY", "BARE_KEY", "SET_ID",
        ),
        "query": (
            "NAME", "CMP", "SQ_TEXT", "BARE", "PLACEHOLDER", "NOT", "DIRECTION",
        ),
    }

    @classmethod
    def terminals_from(cls, url_lark: Any, query_lark: Any) -> dict[str, str]:
        """The regular expressions of :attr:`TERMINALS`, read from the built parsers."""
        out = {}
        for prefix, lark in (("url", url_lark), ("query", query_lark)):
            for name in cls.TERMINALS[prefix]:
                out[f"{prefix}.{name}"] = lark.get_terminal(name).pattern.to_regexp()
        return out

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
        # The comparator is matched atomically (lookahead + back-reference), as the lexer
        # does: `a==` must not succeed by backtracking to `=` followed by the text `=`.
        self._comparison = re.compile(
            f"{_WS}({path}){_WS}(?=(?P<cmp>{q('CMP')}))(?P=cmp){_WS}"
            f"(?P<value>{q('SQ_TEXT')}|{q('BARE')}|{q('PLACEHOLDER')}){_WS}"
        )
        self._not = re.compile(q("NOT"))
        self._sort_item = re.compile(
            f"{_WS}({path})(?:[ \\t\\r\\n]+({q('DIRECTION')}))?{_WS}(?:,|\\Z)"
        )
        self._path_item = re.compile(f"{_WS}({path})(\\.\\*)?{_WS}(?:,|\\Z)")
        self._qname = re.compile(qname)

    # --- level 1 --------------------------------------------------------------------------

    def split(self, url: str) -> tuple[Any, Any, Any] | None:
        """The level-1 split of ``url`` in the shape the ``url`` rule returns, or None."""
        n = len(url)
        pos = 0
        origin = None
        m = self._origin.match(url)
        if m is not None:
            origin = ("origin", _Tok("ORIGIN", m.group(), 0, m.end()))
            pos = m.end()
        else:
            m = self._placeholder.match(url)
            if m is not None:
                origin = ("origin", _Tok("ORIGIN_PLACEHOLDER", m.group(), 0, m.end()))
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
            segments.append(_Tok("SEGMENT", s.group(1), s.start(1), s.end(1)))
            pos = s.end()
        path = ("path", segments, trailing)
        if pos == n:
            return origin, path, None
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
            name = _Tok("PNAME", pm.group(1), *pm.span(1))
            eq = _Tok("EQ", "=", *pm.span(2)) if pm.start(2) >= 0 else None
            val = None
            for group, kind, slash in ((3, "DQ_VALUE", 4), (5, "SQ_VALUE", 6), (7, "RAW_VALUE", 0)):
                if pm.start(group) >= 0:
                    stok = (
                        _Tok("SLASH", "/", *pm.span(slash))
                        if slash and pm.start(slash) >= 0
                        else None
                    )
                    val = (_Tok(kind, pm.group(group), *pm.span(group)), stok)
                    break
            params.append((name, eq, val))
            pos = pm.end()
            if pos == n:
                break
            if url[pos] != "&" or pos + 1 == n:
                return None
            pos += 1
        return origin, path, ("query", _Tok("QMARK", "?", qpos, qpos + 1), params)

    # --- path segments ----------------------------------------------------------------------

    def segment(self, text: str, omap: OffsetMap) -> Any:
        if self._names.fullmatch(text):
            return _names_segment(text, omap)
        if self._keyword.fullmatch(text):
            return KeywordSegment(keyword=text, span=omap.span(0, len(text)))
        m = self._key_segment.fullmatch(text)
        if m is not None:
            group = 2 if m.start(2) >= 0 else 3
            raw = m.group(group)
            tok = _Tok("QUOTED_KEY" if raw[0] == '"' else "BARE_KEY", raw, *m.span(group))
            return KeySegment(
                name=m.group(1),
                key=key_value(tok, omap.span(tok.start_pos, tok.end_pos)),  # type: ignore[arg-type]
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
        m = self._comparison.fullmatch(text)
        if m is None:
            return None
        first = self._qname.match(text, m.start(1))
        assert first is not None
        if self._not.fullmatch(first.group()):
            return None  # `not` is the keyword there, not a name
        left = _path(text, m.start(1), m.end(1), omap)
        raw = m.group("value")
        lo, hi = m.span("value")
        span = omap.span(lo, hi)
        first_char = raw[0]
        right: Any
        if first_char == "'":
            right = Text(value=raw[1:-1], quoted=True, span=span)
        elif first_char == ":":
            right = placeholder(raw, omap, lo)
        else:
            right = bare_value(raw, span)
        expr = Comparison(left=left, op=m.group("cmp"), right=right, span=Span(left.span[0], span[1]))
        return Filter(expr=expr, span=expr.span)

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
                items.append(SortItem(path=path, span=path.span))
            pos = m.end()
            if pos >= end:
                if text.endswith(","):
                    return None
                break
        return SortList(items=tuple(items), span=Span(items[0].span[0], items[-1].span[1]))

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
        return PathList(paths=paths, span=Span(paths[0].span[0], paths[-1].span[1]))

    def attribute_list(self, text: str, omap: OffsetMap) -> AttributeList | None:
        items = self._path_items(text, omap)
        if items is None:
            return None
        nodes = tuple(
            AttributeItem(path=p, star=True, span=Span(p.span[0], omap.pos(star)))
            if star >= 0
            else AttributeItem(path=p, span=p.span)
            for p, star in items
        )
        return AttributeList(items=nodes, span=Span(nodes[0].span[0], nodes[-1].span[1]))


def _path(text: str, start: int, end: int, omap: OffsetMap) -> AttributePath:
    parts = []
    pos = start
    for name in text[start:end].split("."):
        parts.append(PathPart(name=name, span=omap.span(pos, pos + len(name))))
        pos += len(name) + 1
    return AttributePath(parts=tuple(parts), span=Span(parts[0].span[0], parts[-1].span[1]))


def _names_segment(text: str, omap: OffsetMap) -> NamesSegment:
    paths = []
    pos = 0
    for item in text.split(","):
        paths.append(_path(text, pos, pos + len(item), omap))
        pos += len(item) + 1
    return NamesSegment(paths=tuple(paths), span=Span(paths[0].span[0], paths[-1].span[1]))
