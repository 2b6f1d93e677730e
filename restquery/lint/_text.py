"""Decoded text that remembers where each of its characters came from in the file.

A string literal such as ``"/rest/Employee?$filter=\\"ID=1\\""`` is checked as the string the
program sees (``/rest/Employee?$filter="ID=1"``), but findings are reported at the characters
of the file. :class:`Text` holds the decoded characters and, per character, the range of the
file it was decoded from: an escape sequence (``\\"``, ``\\u0022``, ``&quot;``) maps the one
character it stands for to the whole sequence, so spans map through escapes exactly.

A *hole* (``${id}`` in a JavaScript template literal, ``{id}`` in a Python f-string, ``+ id +``
between concatenated literals) is one :data:`HOLE` character in the decoded text; the checker
replaces it by a placeholder the grammar accepts and never reports inside it.

>>> b = TextBuilder()
>>> b.run("/rest/E", 1)
>>> b.char('"', 8, 10)          # `\\"` in the file
>>> b.hole(10, 15, "${id}")
>>> t = b.build()
>>> t.chars == '/rest/E"' + HOLE, t.src_start(7), t.src_end(7), t.src_end(8)
(True, 8, 10, 15)
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field

__all__ = ["HOLE", "CodeOrigin", "Hole", "LineIndex", "Text", "TextBuilder"]

#: Stands for one hole in decoded text (a private-use character: never in a real URL).
HOLE = "\ue000"


@dataclass(frozen=True, slots=True)
class Hole:
    """An opaque part of a URL built by code: where its source is, and how to show it."""

    start: int
    end: int
    display: str
    #: what code made it: ``"field"`` (``${...}``, an f-string's ``{...}``), ``"operand"``
    #: (an expression joined with ``+``), ``"format"`` (``.format``), ``"percent"`` (``%s``)
    kind: str = "operand"


@dataclass(frozen=True, slots=True)
class CodeOrigin:
    """The string expression of code a text was decoded from: ``source[start:end]``, in
    ``lang`` (one of :data:`restquery.lint._code.LANGUAGES`)."""

    lang: str
    start: int
    end: int
    source: str = field(repr=False)


class Text:
    """Decoded characters; character ``i`` comes from file offsets ``[src_start(i), src_end(i))``.

    Without ``segments`` the text is a verbatim copy of the file from ``base`` on. Otherwise
    the map is piecewise: ``segments`` is three arrays, segment ``k`` holding the characters
    from ``at[k]`` on and coming from file range ``[src[k], end[k])``. A segment of one
    character maps it to the whole range (an escape, a hole); a longer one is a verbatim run,
    its ``j``-th character at ``src[k] + j``. A few machine words per escape and per run, not
    per character: a string of millions of characters costs little more than its characters.
    """

    __slots__ = ("_at", "_end", "_src", "base", "chars", "holes", "origin")

    def __init__(
        self,
        chars: str,
        base: int = 0,
        segments: tuple[array[int], array[int], array[int]] | None = None,
        holes: dict[int, Hole] | None = None,
    ) -> None:
        self.chars = chars
        self.base = base
        self._at: array[int] | None
        self._src: array[int] | None
        self._end: array[int] | None
        self._at, self._src, self._end = segments if segments is not None else (None, None, None)
        self.holes = holes or {}
        #: the code expression the text comes from, when a lexer of code found it
        self.origin: CodeOrigin | None = None

    @property
    def verbatim(self) -> bool:
        return self._at is None

    def _segment(self, i: int) -> tuple[int, bool]:
        """The segment holding character ``i``, and whether it is a verbatim run."""
        at = self._at
        assert at is not None
        k = bisect.bisect_right(at, i) - 1
        nxt = at[k + 1] if k + 1 < len(at) else len(self.chars)
        return k, nxt - at[k] > 1

    def src_start(self, i: int) -> int:
        """File offset where character ``i`` starts (``i == len`` is the end of the text)."""
        if self._at is None:
            return self.base + i
        if i >= len(self.chars):
            return self._end[-1] if self._end else self.base
        k, run = self._segment(i)
        assert self._src is not None
        return self._src[k] + (i - self._at[k] if run else 0)

    def src_end(self, i: int) -> int:
        """File offset just after character ``i``."""
        if self._at is None:
            return self.base + i + 1
        k, run = self._segment(i)
        assert self._src is not None and self._end is not None
        return self._src[k] + (i - self._at[k]) + 1 if run else self._end[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The file range of characters ``[start, end)`` (an empty range maps to a point)."""
        if end <= start:
            at = self.src_start(start)
            return at, at
        return self.src_start(start), self.src_end(end - 1)


class TextBuilder:
    """Accumulates a :class:`Text` one decoded character, verbatim run or hole at a time."""

    __slots__ = ("_at", "_chars", "_end", "_holes", "_n", "_src")

    def __init__(self) -> None:
        self._chars: list[str] = []
        self._at = array("q")
        self._src = array("q")
        self._end = array("q")
        self._holes: dict[int, Hole] = {}
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def char(self, ch: str, start: int, end: int) -> None:
        """One character decoded from file offsets ``[start, end)`` (``ch`` may be two code
        points of a surrogate pair already joined: it is added as one character each)."""
        for c in ch:
            self._chars.append(c)
            self._at.append(self._n)
            self._src.append(start)
            self._end.append(end)
            self._n += 1

    def run(self, text: str, start: int) -> None:
        """Characters copied verbatim from the file at ``start``."""
        n = len(text)
        if not n:
            return
        self._chars.append(text)
        at, end = self._at, self._end
        # A run that goes on where the last segment stopped, that segment one character per
        # file offset, extends it: a long literal stays one segment whatever its pieces.
        if at and end[-1] == start and self._n - at[-1] == end[-1] - self._src[-1]:
            end[-1] += n
        else:
            at.append(self._n)
            self._src.append(start)
            end.append(start + n)
        self._n += n

    def hole(self, start: int, end: int, display: str, kind: str = "operand") -> None:
        """An opaque hole whose source is ``[start, end)`` (``kind``: :attr:`Hole.kind`)."""
        self._holes[self._n] = Hole(start, end, display, kind)
        self._chars.append(HOLE)
        self._at.append(self._n)
        self._src.append(start)
        self._end.append(end)
        self._n += 1

    def build(self) -> Text:
        chars = "".join(self._chars)
        if len(self._at) == 1 and not self._holes and self._end[0] - self._src[0] == self._n:
            return Text(chars, self._src[0])
        return Text(chars, 0, (self._at, self._src, self._end), self._holes)


class LineIndex:
    """File offset -> 1-based (line, column), columns counted in characters (code points)."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = array("q", [0])
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
