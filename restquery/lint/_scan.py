"""Where the strings, template literals, ``${...}`` fields and regular expression literals of
code end: found without recursion, in time linear in the text however it is nested or broken.

A lexer that meets an opening quote which never closes skips that quote and reads on, so the
rest of the line would be scanned again from every later quote (``"\\"\\"\\"...``), and a
template literal that never closes would be scanned to the end of the file from every later
backtick. A :class:`Scanner` serves one lexing pass over ``s[lo:hi]`` and remembers what it
learnt, so that no scan is repeated:

* a one-line string whose scan from ``a`` failed at ``e`` (a line break, or ``hi``): a later
  string of the same quote whose content starts in ``[a, e]`` fails at ``e`` too. Its quote was
  not where the first scan stopped, so it was escaped, so the character after it was on the
  first scan's path, and from there both scans are the same;
* the same for Python's triple-quoted strings (to ``hi``), and for Java text blocks (once one
  never closes, no later one can);
* the end of each template literal and of each field, by where its content starts;
* the stretches of text that a template literal which never closed read as its own: a backtick
  there was escaped (the reason given for strings), so a template opened right after it reads
  on the same way to the same failure;
* for regular expression literals, the states (a position in the pattern or in a character
  class) from which a failed scan went on to the end of the line.

Nesting is a stack of frames, never recursion. Past a budget of work proportional to the text,
reached only by text built to defeat these memories, a template literal or field not yet seen
counts as unclosed: the lexer skips its opening character and reads on as code.

>>> sc = Scanner('`a${ f("}") + `b${c}` }d` "x\\\\"y"')
>>> sc.template_end(1), sc.string_end(27, '"')
(25, 32)
"""

from __future__ import annotations

import functools
import re
from array import array

__all__ = ["Scanner", "next_stop"]

_TEMPLATE, _FIELD = 0, 1
_UNKNOWN = -1
#: Work allowed per character of the text for templates and fields (each is scanned about once).
_BUDGET_PER_CHAR = 8
_BUDGET_BASE = 1 << 16

_TEMPLATE_STOPS = re.compile(r"[\\`$]")
_FIELD_STOPS = re.compile(r"[\"'`{}]")
_PATTERN_STOPS = re.compile(r"[/\\\[\n]")
_CLASS_STOPS = re.compile(r"[\]\\\n]")
_FLAGS = re.compile(r"[a-z]*")


@functools.cache
def _string_stops(quote: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(quote) + "\\\\\n]")


class Scanner:
    """Ends of the strings, templates, fields and regular expressions of ``s[lo:hi]``."""

    __slots__ = ("_block_failed", "_budget", "_dead", "_ends", "_failed", "_regex_dead",
                 "_unclosed", "hi", "lo", "s")

    def __init__(self, s: str, lo: int = 0, hi: int | None = None) -> None:
        self.s = s
        self.lo = lo
        self.hi = len(s) if hi is None else hi
        self._failed: dict[str, tuple[int, int]] = {}
        self._ends: tuple[dict[int, int], dict[int, int]] = ({}, {})
        self._unclosed: list[bytearray | None] = [None, None]  # by kind: starts never closed
        self._dead: bytearray | None = None
        self._regex_dead: tuple[bytearray, bytearray] | None = None
        self._block_failed: int | None = None
        self._budget = _BUDGET_PER_CHAR * max(self.hi - lo, 0) + _BUDGET_BASE

    # --- strings ---------------------------------------------------------------------------

    def string_end(self, i: int, quote: str, one_line: bool = True) -> int | None:
        """Past the closing ``quote`` of a string whose content starts at ``i`` (a backslash
        escapes the next character, a line break included); ``None`` if it never closes
        (``one_line``: before a line break)."""
        failed = self._failed.get(quote)
        if failed is not None and (i == failed[0] or failed[0] + len(quote) <= i <= failed[1]):
            return None
        s, hi = self.s, self.hi
        search = _string_stops(quote[0]).search
        j = i
        while True:
            m = search(s, j, hi)
            if m is None:
                end = hi
                break
            j = m.start()
            c = s[j]
            if c == "\\":
                j += 2
            elif c == "\n":
                if one_line:
                    end = j
                    break
                j += 1
            elif len(quote) == 1 or s.startswith(quote, j):
                return j + len(quote)
            else:
                j += 1
        self._failed[quote] = (i, end)
        return None

    def text_block_end(self, i: int) -> int | None:
        """Where the ``\"\"\"`` closing a Java text block opened at ``i`` starts (one preceded
        by a backslash does not close it), or ``None``."""
        if self._block_failed is not None and i >= self._block_failed:
            return None
        s, hi = self.s, self.hi
        end = s.find('"""', i + 3, hi)
        while end > 0 and s[end - 1] == "\\":
            end = s.find('"""', end + 1, hi)
        if end < 0:
            self._block_failed = i
            return None
        return end

    # --- templates and fields --------------------------------------------------------------

    def template_end(self, i: int) -> int | None:
        """Past the backtick closing the template literal whose content starts at ``i``."""
        return self._nested(_TEMPLATE, i)

    def field_end(self, i: int) -> int | None:
        """Index of the ``}`` closing a field (``${...}``, an f-string's ``{...}``) whose
        expression starts at ``i``: nested braces, strings and templates are skipped."""
        return self._nested(_FIELD, i)

    def _known(self, kind: int, start: int) -> int | None:
        """The end already found from ``start``: an offset, ``None`` (never closes) or
        ``_UNKNOWN``."""
        end = self._ends[kind].get(start, _UNKNOWN)
        if end != _UNKNOWN:
            return end
        unclosed = self._unclosed[kind]
        if unclosed is not None and self.lo <= start <= self.hi and unclosed[start - self.lo]:
            return None
        if self._budget <= 0 or (kind == _TEMPLATE and self._is_dead(start)):
            return None
        return _UNKNOWN

    def _is_dead(self, i: int) -> bool:
        dead = self._dead
        return dead is not None and self.lo < i <= self.hi and dead[i - 1 - self.lo] == 1

    def _nested(self, kind: int, start: int) -> int | None:
        known = self._known(kind, start)
        if known != _UNKNOWN:
            return known
        s, hi = self.s, self.hi
        # The open frames, innermost last, in parallel arrays: kind, where its content starts,
        # brace depth (a field), where its current stretch of text began (a template), and
        # where its stretches start in `stretches`, a flat list of (start, end) pairs that
        # grows and shrinks with the stack.
        code = "i" if hi < 1 << 31 else "q"
        kinds = bytearray([kind])
        starts = array(code, [start])
        depths = array(code, [0])
        stretch_at = array(code, [start])
        stretch_base = array(code, [0])
        stretches = array(code)
        # The ends found inside, as (kind, start, end): kept only if the outermost frame never
        # closes, when the lexer reads its inside again.
        inner = array(code)
        p = start
        end = start
        budget = self._budget
        fail_at = hi
        while budget > 0:
            top = len(kinds) - 1
            if kinds[top] == _TEMPLATE:
                m = _TEMPLATE_STOPS.search(s, p, hi)
                if m is None:
                    break
                q = m.start()
                budget -= q - p + 1
                c = s[q]
                if c == "\\":
                    p = q + 2
                    continue
                if c == "`":
                    end = q + 1
                    p = q + 1
                elif s.startswith("${", q):
                    field = self._known(_FIELD, q + 2)
                    if field is None:
                        fail_at = q + 1
                        break
                    stretches.extend((stretch_at[top], q + 1))
                    if field == _UNKNOWN:
                        _push(kinds, starts, depths, stretch_at, stretch_base, stretches,
                              _FIELD, q + 2)
                        p = q + 2
                    else:
                        stretch_at[top] = p = field + 1
                    continue
                else:
                    p = q + 1
                    continue
            else:
                m = _FIELD_STOPS.search(s, p, hi)
                if m is None:
                    break
                q = m.start()
                budget -= q - p + 1
                c = s[q]
                if c == '"' or c == "'":
                    after = self.string_end(q + 1, c)
                    p = q + 1 if after is None else after
                    continue
                if c == "`":
                    template = self._known(_TEMPLATE, q + 1)
                    if template is None:
                        break
                    if template == _UNKNOWN:
                        _push(kinds, starts, depths, stretch_at, stretch_base, stretches,
                              _TEMPLATE, q + 1)
                    p = q + 1 if template == _UNKNOWN else template
                    continue
                if c == "{" or depths[top]:
                    depths[top] += 1 if c == "{" else -1
                    p = q + 1
                    continue
                end = q
                p = q + 1
            # The innermost frame closes at `end`.
            if top == 0:
                self._budget = budget
                self._ends[kind][start] = end
                return end
            inner.extend((kinds[top], starts[top], end))
            del stretches[stretch_base[top] :]
            for column in (kinds, starts, depths, stretch_at, stretch_base):
                del column[top]
            if kinds[-1] == _TEMPLATE:
                stretch_at[-1] = p
        proven = budget > 0
        self._budget = budget
        # Every frame still open never closes: the innermost reached the end (or a template or
        # field known never to close), and each one around it waits for that one.
        for k, begin, end in zip(inner[::3], inner[1::3], inner[2::3]):
            self._ends[k][begin] = end
        for k, begin in zip(kinds, starts):
            self._mark_unclosed(k, begin)
        if proven:
            if kinds[-1] == _TEMPLATE:
                stretches.extend((stretch_at[-1], fail_at))
            self._mark_dead(stretches)
        return None

    def _mark_unclosed(self, kind: int, start: int) -> None:
        unclosed = self._unclosed[kind]
        if unclosed is None:
            unclosed = self._unclosed[kind] = bytearray(max(self.hi - self.lo, 0) + 1)
        if self.lo <= start <= self.hi:
            unclosed[start - self.lo] = 1

    def _mark_dead(self, stretches: array[int]) -> None:
        if not stretches:
            return
        if self._dead is None:
            self._dead = bytearray(max(self.hi - self.lo, 0) + 1)
        dead, lo = self._dead, self.lo
        for a, b in zip(stretches[::2], stretches[1::2]):
            if b > a:
                dead[a - lo : b - lo] = b"\x01" * (b - a)

    # --- regular expression literals -------------------------------------------------------

    def regex_end(self, i: int) -> int | None:
        """Past the flags of the JavaScript regular expression literal whose ``/`` is at
        ``i``, or ``None`` if none starts there (it must hold something and end on its line)."""
        s, hi = self.s, self.hi
        if i + 1 >= hi or s[i + 1] in "/\n":
            return None
        end, failed_at = self._regex_walk(i + 1)
        if end is not None:
            return _FLAGS.match(s, end, hi).end()  # type: ignore[union-attr]
        self._regex_walk(i + 1, mark_until=failed_at)
        return None

    def _regex_walk(self, j: int, mark_until: int | None = None) -> tuple[int | None, int]:
        """Follow a pattern from ``j``: ``(past its closing /, _)``, or ``(None, where it
        failed)``, stopping early at a state known to fail. With ``mark_until``, walk the
        same path again and record each state visited up to there as failing."""
        s, hi, lo = self.s, self.hi, self.lo
        if mark_until is not None and self._regex_dead is None:
            size = max(hi - lo, 0) + 1
            self._regex_dead = (bytearray(size), bytearray(size))
        dead_states = self._regex_dead
        in_class = 0
        while True:
            stops = _CLASS_STOPS if in_class else _PATTERN_STOPS
            if mark_until is not None:
                assert dead_states is not None
                k, _ = next_stop(stops, s, j, min(hi, mark_until + 1))
                last = min(k, mark_until)  # every position of [j, last] is visited
                dead_states[in_class][j - lo : last + 1 - lo] = b"\x01" * (last + 1 - j)
                if last == mark_until:
                    return None, last
            else:
                dead = dead_states[in_class] if dead_states is not None else None
                k, joined = next_stop(stops, s, j, hi, dead, lo)
                if joined:  # joined a path that failed: fail where it was joined
                    return None, k
            if k >= hi:
                return None, hi
            c = s[k]
            if c == "\\":
                if k + 1 >= hi or s[k + 1] == "\n":
                    return None, k
                j = k + 2
            elif c == "\n":
                return None, k
            elif in_class:
                in_class, j = 0, k + 1
            elif c == "[":
                in_class, j = 1, k + 1
            else:
                return k + 1, k


def _push(
    kinds: bytearray, starts: array[int], depths: array[int], stretch_at: array[int],
    stretch_base: array[int], stretches: array[int], kind: int, start: int,
) -> None:
    kinds.append(kind)
    starts.append(start)
    depths.append(0)
    stretch_at.append(start)
    stretch_base.append(len(stretches))


def next_stop(
    stops: re.Pattern[str], s: str, j: int, hi: int, dead: bytearray | None = None, lo: int = 0
) -> tuple[int, bool]:
    """``(k, False)``: the first ``k >= j`` where ``stops`` matches one character (``hi`` if
    none); or ``(d, True)`` when ``dead[d - lo]`` marks a position known to fail before it.

    The search widens from a small window, so that it never reads far past a marked position:
    a path that joins one that failed costs what it read before joining, not the rest of the
    line again."""
    width = 256
    a = j
    while True:
        b = min(hi, a + width)
        m = stops.search(s, a, b)
        k = b if m is None else m.start()
        if dead is not None:
            d = dead.find(1, a - lo, min(k + 1, hi) - lo)
            if d >= 0:
                return d + lo, True
        if m is not None or b >= hi:
            return k, False
        a = b
        width *= 2
