"""Check the URLs found in a file and place each diagnostic on the file's characters.

Holes (``${id}``, ``{id}``, ``+ id +``) are replaced by a placeholder the grammar accepts in
their position: ``{{x}}`` first (a template placeholder, spec §1.1, accepted wherever a name, a
key, a value or a whole segment may stand), then ``x`` (a name), ``x=1`` (a condition) and ``1``
(a number). A syntax error at or after a hole makes the checker try that hole's next
placeholder; the placements that parse furthest win.

A hole placed as a template is what the checker itself handles: rules that need its text stay
silent, and a finding about the request around it stands (``fetch(`/rest/Employee(${id})?$method=update`,
{method: "POST"})`` is RQ317 as ``check`` says for the same URL). A finding that touches a hole
placed any other way is dropped, since that placeholder pretends to know what the hole holds,
and so is a syntax error that touches a hole, except one that starts before it (an unclosed
quote before ``${id}`` is the author's). Fixes are dropped from URLs with holes: their offsets
would apply to the placeholder text.

Inline suppression: a line holding ``restquery: ignore`` hides every finding on it;
``restquery: ignore[RQ301, binary-expand-mismatch, RQ3]`` hides those codes, names or code
prefixes. A finding is on a line when its first character or its URL's first character is.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from restquery.diagnostics import Diagnostic, Fix
from restquery.lint._model import Occurrence
from restquery.lint._text import HOLE, Hole

__all__ = ["Checker", "Comment", "Selection", "Suppressions", "resolve_selection"]

PLACEHOLDERS = ("{{x}}", "x", "x=1", "1")
_TEMPLATE = PLACEHOLDERS[0]
_SYNTAX_PREFIX = "RQ0"
#: At most this many placements of a URL's holes are checked (each one checks the whole URL).
_MAX_PLACEMENTS = 32
#: Longer URLs are not cached: their keys would hold the cache's memory, and they never repeat.
_CACHED_URL_LENGTH = 4096


# --- rule selection --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Selection:
    """The checker rules to run: their codes, or ``None`` for the default set; and the code
    lints (:data:`restquery.rules._code_lints.CODE_LINTS`) to report, ``None`` for all."""

    rules: tuple[str, ...] | None
    code_lints: frozenset[str] | None = None

    def reports(self, code: str) -> bool:
        """Whether the code lint ``code`` is reported."""
        return self.code_lints is None or code in self.code_lints


def resolve_selection(
    select: Iterable[str] | None, ignore: Iterable[str] | None, strict: bool = False
) -> Selection:
    """``--select``/``--ignore`` read by the one selection of restquery
    (:func:`restquery.rules.selection`: codes, code prefixes, names; opt-in rules by exact code
    or name; syntax errors always reported; ``strict`` adds the rules ``--strict`` turns on).
    Raises :class:`~restquery.RestQueryError` (a
    ``ValueError``) naming the keys that match nothing, or a syntax code to ignore."""
    from restquery.rules import rule_keys, selection

    from restquery.rules._code_lints import CODE_LINTS

    sel, ign = rule_keys(select, "select"), rule_keys(ignore, "ignore")
    rules = selection(sel, ign, strict)
    if not sel and not ign:
        return Selection(tuple(r.code for r in rules) if strict else None)

    def named(code: str, key: str) -> bool:
        return code.startswith(key) or CODE_LINTS[code].name == key

    lints = frozenset(
        code
        for code in CODE_LINTS
        if (not sel or any(named(code, k) for k in sel)) and not any(named(code, k) for k in ign)
    )
    return Selection(tuple(r.code for r in rules), lints)


# --- suppression -----------------------------------------------------------------------------


def _norm(key: str) -> str:
    key = key.strip()
    return key.upper() if key[:2].lower() == "rq" else key


def _matches(code: str, name: str, key: str) -> bool:
    return name == key or code.startswith(key)

_SUPPRESS = re.compile(r"restquery:\s*ignore(-next-line)?", re.IGNORECASE)


def _find(text: str, sub: str, start: int) -> int:
    at = text.find(sub, start)
    return len(text) if at < 0 else at


@dataclasses.dataclass(frozen=True, slots=True)
class Comment:
    """One ``restquery: ignore[...]`` comment: where it is (``offset``, its ``line``), the
    line it applies to, its keys (:attr:`Suppressions.ALL` for a bare one) and where each key
    is written (``(key, offset, end)``)."""

    offset: int
    end: int
    line: int
    applies_to: int
    keys: frozenset[str]
    written: tuple[tuple[str, int, int], ...] = ()


class Suppressions:
    """The ``restquery: ignore[...]`` comments of a text: ``restquery: ignore`` hides what is
    on its own line, ``restquery: ignore-next-line`` what is on the next one; which of their
    keys hid something is kept, for :meth:`unused`."""

    __slots__ = ("_by_line", "_used", "comments")

    #: stands for a bare ``restquery: ignore`` (everything)
    ALL: frozenset[str] = frozenset({"*"})

    def __init__(self, by_line: dict[int, frozenset[str]], comments: list[Comment] | None = None) -> None:
        self._by_line = by_line
        self.comments = comments or []
        self._used: set[tuple[int, str]] = set()

    @classmethod
    def scan(cls, text: str, line_of: Any) -> Suppressions:
        """Find the comments of ``text``; ``line_of(offset)`` gives an offset's line."""
        by_line: dict[int, frozenset[str]] = {}
        comments: list[Comment] = []
        # `[codes]` must close before the line ends. The next `]` and line break are looked up
        # once and reused while ahead, so that a line of many unclosed `[` is read once.
        close = newline = -1
        pos = 0
        while True:
            m = _SUPPRESS.search(text, pos)
            if m is None:
                break
            at = pos = m.end()
            keys = cls.ALL
            written: tuple[tuple[str, int, int], ...] = ()
            if text.startswith("[", at):
                if close <= at:
                    close = _find(text, "]", at)
                if newline <= at:
                    newline = _find(text, "\n", at)
                if close < newline:
                    written = cls._written(text, at + 1, close)
                    keys = frozenset(k for k, _a, _b in written) or cls.ALL
                    pos = close + 1
            line = line_of(m.start())
            applies = line + 1 if m.group(1) else line
            by_line[applies] = by_line.get(applies, frozenset()) | keys
            comments.append(Comment(m.start(), pos, line, applies, keys, written))
        return cls(by_line, comments)

    @staticmethod
    def _written(text: str, start: int, end: int) -> tuple[tuple[str, int, int], ...]:
        return tuple(
            (_norm(m.group()), start + m.start(), start + m.end())
            for m in re.finditer(r"[^,\s]+", text[start:end])
        )

    def __bool__(self) -> bool:
        return bool(self._by_line)

    def hides(self, diagnostic: Diagnostic, *lines: int) -> bool:
        for line in lines:
            keys = self._by_line.get(line)
            if keys is None:
                continue
            for k in keys:
                if k == "*" or _matches(diagnostic.code, diagnostic.name, k):
                    self._used.add((line, k))
                    return True
        return False

    def unused(self) -> list[tuple[Comment, str | None]]:
        """The comments, or the keys of a comment, that hid nothing: ``(comment, key)``, the
        key ``None`` for a bare comment."""
        out: list[tuple[Comment, str | None]] = []
        for c in self.comments:
            if c.keys == self.ALL:
                if (c.applies_to, "*") not in self._used:
                    out.append((c, None))
                continue
            for key, _a, _b in c.written:
                if (c.applies_to, key) not in self._used:
                    out.append((c, key))
        return out


# --- checking --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Located:
    """One diagnostic of an occurrence: ``diagnostic.span`` indexes ``url`` (holes shown as
    written); ``file_start``/``file_end`` are offsets into the occurrence's text source;
    ``source_fix`` edits that source (a code lint's fix)."""

    diagnostic: Diagnostic
    url: str
    file_start: int
    file_end: int
    source_fix: Fix | None = None


class Checker:
    """Runs :func:`restquery.validate` with the linter's options, caching by URL and method
    (access logs repeat themselves: the cache holds the last few thousand distinct requests)."""

    def __init__(
        self,
        *,
        catalog: Any = None,
        selection: Selection | None = None,
        method: str | None = None,
        max_errors: int = 100,
        cache_size: int = 16384,
        plus_as_space: bool = False,
        policy: Any = None,
    ) -> None:
        self.catalog = catalog
        self.policy = policy
        self.plus_as_space = plus_as_space
        self.selection = selection or Selection(None)
        self.default_method = method
        self.max_errors = max_errors
        self._cached = functools.lru_cache(maxsize=cache_size)(self._validate)

    def validate(self, url: str, method: str | None) -> tuple[Diagnostic, ...]:
        """The diagnostics of ``url`` sent with ``method`` (selection applied)."""
        if len(url) > _CACHED_URL_LENGTH:
            return self._validate(url, method)
        return self._cached(url, method)

    def _validate(self, url: str, method: str | None) -> tuple[Diagnostic, ...]:
        from restquery.checker import syntax_diagnostic, validate
        from restquery.errors import RestQuerySyntaxError

        rules = self.selection.rules
        if rules is not None and not rules:
            from restquery.parser import parse

            try:
                parse(url, method=method, plus_as_space=self.plus_as_space)
                found: list[Diagnostic] = []
            except RestQuerySyntaxError as err:
                found = [syntax_diagnostic(err)]
        else:
            found = validate(
                url,
                catalog=self.catalog,
                method=method,
                max_errors=self.max_errors,
                select=rules,
                plus_as_space=self.plus_as_space,
                policy=self.policy,
            )
        return tuple(found)

    def check(self, occ: Occurrence) -> list[Located]:
        chars = occ.text.chars[occ.start : occ.end]
        method = occ.method or self.default_method
        text = occ.text
        if HOLE not in chars:
            diags = self.validate(chars, method)
            out = [
                Located(d, chars, *text.span(occ.start + d.span.start, occ.start + d.span.end))
                for d in diags
            ]
            if text.origin is not None and self.selection.reports("RQ604"):
                out.extend(self._raw(occ, chars, diags))
            return out
        return self._check_holes(occ, chars, method)

    def _raw(self, occ: Occurrence, url: str, diags: Sequence[Diagnostic]) -> list[Located]:
        from restquery.lint._raw import raw_characters

        parsed = not any(d.code.startswith(_SYNTAX_PREFIX) for d in diags)
        found = raw_characters(occ.text, occ.start, occ.end, parsed)
        if found is None:
            return []
        d, fix = found
        at = occ.start + d.span.start
        return [Located(d, url, *occ.text.span(at, at + 1), source_fix=fix)]

    def _check_holes(self, occ: Occurrence, chars: str, method: str | None) -> list[Located]:
        positions = [i for i, c in enumerate(chars) if c == HOLE]
        holes = [occ.text.holes.get(occ.start + i) or Hole(0, 0, "") for i in positions]
        choice = [0] * len(holes)
        best: tuple[float, _Placed, tuple[Diagnostic, ...]] | None = None
        for _ in range(min(len(holes) * len(PLACEHOLDERS) + 1, _MAX_PLACEMENTS)):
            placed = _Placed(chars, positions, holes, choice)
            diags = self.validate(placed.url, method)
            syntax = next((d for d in diags if d.code.startswith(_SYNTAX_PREFIX)), None)
            reach = float("inf") if syntax is None else syntax.span.start
            if best is None or reach > best[0]:
                best = (reach, placed, diags)
            if syntax is None:
                break
            culprit = max((n for n, (a, _b) in enumerate(placed.ranges) if a <= reach), default=None)
            if culprit is None or choice[culprit] + 1 >= len(PLACEHOLDERS):
                break
            choice = choice[:culprit] + [choice[culprit] + 1] + choice[culprit + 1 :]
        assert best is not None
        reach, placed, diags = best
        out = []
        if reach == float("inf"):
            out.extend(self._spliced(occ, placed, holes, method))
        for d in diags:
            if placed.hides(d):
                continue
            start, end, dstart, dend = placed.map_span(d.span.start, d.span.end)
            shown = dataclasses.replace(d, span=type(d.span)(dstart, dend), fix=None)
            out.append(Located(shown, placed.display, *occ.text.span(occ.start + start, occ.start + end)))
        return out


    def _spliced(
        self, occ: Occurrence, placed: _Placed, holes: Sequence[Hole], method: str | None
    ) -> list[Located]:
        """The injection lints (:mod:`restquery.lint._inject`) of a URL whose holes parse."""
        query = placed.url.find("?")
        if query < 0 or not any(a > query for a, _b in placed.ranges):
            return []
        from restquery.errors import RestQueryError
        from restquery.lint._inject import spliced
        from restquery.parser import parse

        try:
            request = parse(placed.url, method=method, plus_as_space=self.plus_as_space)
        except RestQueryError:
            return []
        out = []
        for found in spliced(request, placed, occ.text, holes, occ.start, occ.end):
            d = found.diagnostic
            if not self.selection.reports(d.code):
                continue
            start, end, dstart, dend = placed.map_span(d.span.start, d.span.end)
            shown = dataclasses.replace(d, span=type(d.span)(dstart, dend))
            out.append(
                Located(shown, placed.display, *occ.text.span(occ.start + start, occ.start + end),
                        source_fix=found.fix)
            )
        return out


class _Placed:
    """A URL with placeholders in its holes, and the maps between the checked URL, the
    occurrence's characters and the displayed URL (holes as written)."""

    __slots__ = ("_ends", "_starts", "choice", "display", "ranges", "segments", "url")

    def __init__(
        self, chars: str, positions: Sequence[int], holes: Sequence[Hole], choice: Sequence[int]
    ) -> None:
        url: list[str] = []
        display: list[str] = []
        # (checked start, checked length, char index, display start, display length, is hole)
        segments: list[tuple[int, int, int, int, int, bool]] = []
        ranges: list[tuple[int, int]] = []
        at = shown = prev = 0
        for n, i in enumerate(positions):
            run = chars[prev:i]
            if run:
                segments.append((at, len(run), prev, shown, len(run), False))
                url.append(run)
                display.append(run)
                at += len(run)
                shown += len(run)
            ph = PLACEHOLDERS[choice[n]]
            text = holes[n].display
            segments.append((at, len(ph), i, shown, len(text), True))
            ranges.append((at, at + len(ph)))
            url.append(ph)
            display.append(text)
            at += len(ph)
            shown += len(text)
            prev = i + 1
        run = chars[prev:]
        if run:
            segments.append((at, len(run), prev, shown, len(run), False))
            url.append(run)
            display.append(run)
        self.choice = tuple(choice)
        self.url = "".join(url)
        self.display = "".join(display)
        self.segments = segments
        self.ranges = ranges
        self._starts = [s[0] for s in segments]
        self._ends = [b for _a, b in ranges]

    def hides(self, d: Diagnostic) -> bool:
        """Whether ``d`` is dropped: it touches a hole not placed as a template, or it is a
        syntax error that touches a hole and does not start before it."""
        s, e = d.span
        ranges = self.ranges
        # The first hole the span touches: the ranges are in order and do not overlap.
        k = bisect.bisect_left(self._ends, s) if s == e else bisect.bisect_right(self._ends, s)
        if k == len(ranges) or not (ranges[k][0] <= s if s == e else ranges[k][0] < e):
            return False
        if d.code.startswith(_SYNTAX_PREFIX):
            return not s < ranges[k][0]
        while k < len(ranges) and (ranges[k][0] < e or ranges[k][0] == s):
            if PLACEHOLDERS[self.choice[k]] != _TEMPLATE:
                return True
            k += 1
        return False

    def _locate(self, p: int) -> tuple[int, int, int, int, int, bool] | None:
        k = bisect.bisect_right(self._starts, p) - 1
        return self.segments[k] if k >= 0 else None

    def map_span(self, s: int, e: int) -> tuple[int, int, int, int]:
        """Checked span -> (char start, char end, display start, display end)."""
        n = len(self.url)

        def point(p: int) -> tuple[int, int]:
            if p >= n:
                last = self.segments[-1]
                return last[2] + (1 if last[5] else last[1]), last[3] + last[4]
            seg = self._locate(p)
            assert seg is not None
            at, _ln, ci, ds, _dl, hole = seg
            if hole:
                return ci, ds
            return ci + (p - at), ds + (p - at)

        cs, ds = point(s)
        if e <= s:
            return cs, cs, ds, ds
        seg = self._locate(e - 1)
        assert seg is not None
        at, _ln, ci, dst, dl, hole = seg
        if hole:
            return cs, ci + 1, ds, dst + dl
        return cs, ci + (e - 1 - at) + 1, ds, dst + (e - 1 - at) + 1
