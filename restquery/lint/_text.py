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
from dataclasses import dataclass

__all__ = ["HOLE", "Hole", "LineIndex", "Text", "TextBuilder"]

#: Stands for one hole in decoded text (a private-use character: never in a real URL).
HOLE = "\ue000"


@dataclass(frozen=True, slots=True)
class Hole:
    """An opaque part of a URL built by code: where its source is, and how to show it."""

    start: int
    end: int
    display: str


class Text:
    """Decoded characters; character ``i`` comes from file offsets ``[src_start(i), src_end(i))``.

    Without per-character tables the text is a verbatim copy of the file from ``base`` on.
    """

    __slots__ = ("base", "chars", "ends", "holes", "starts")

    def __init__(
        self,
        chars: str,
        base: int = 0,
        starts: list[int] | None = None,
        ends: list[int] | None = None,
        holes: dict[int, Hole] | None = None,
    ) -> None:
        self.chars = chars
        self.base = base
        self.starts = starts
        self.ends = ends
        self.holes = holes or {}

    @property
    def verbatim(self) -> bool:
        return self.starts is None

    def src_start(self, i: int) -> int:
        """File offset where character ``i`` starts (``i == len`` is the end of the text)."""
        if self.starts is None:
            return self.base + i
        if i < len(self.starts):
            return self.starts[i]
        return self.ends[-1] if self.ends else self.base  # type: ignore[index]

    def src_end(self, i: int) -> int:
        """File offset just after character ``i``."""
        if self.ends is None:
            return self.base + i + 1
        return self.ends[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The file range of characters ``[start, end)`` (an empty range maps to a point)."""
        if end <= start:
            at = self.src_start(start)
            return at, at
        return self.src_start(start), self.src_end(end - 1)


class TextBuilder:
    """Accumulates a :class:`Text` one decoded character, verbatim run or hole at a time."""

    __slots__ = ("_chars", "_ends", "_holes", "_starts")

    def __init__(self) -> None:
        self._chars: list[str] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._holes: dict[int, Hole] = {}

    def __len__(self) -> int:
        return len(self._starts)

    def char(self, ch: str, start: int, end: int) -> None:
        """One character decoded from file offsets ``[start, end)`` (``ch`` may be two code
        points of a surrogate pair already joined: it is added as one character each)."""
        for c in ch:
            self._chars.append(c)
            self._starts.append(start)
            self._ends.append(end)

    def run(self, text: str, start: int) -> None:
        """Characters copied verbatim from the file at ``start``."""
        n = len(text)
        self._chars.append(text)
        self._starts.extend(range(start, start + n))
        self._ends.extend(range(start + 1, start + n + 1))

    def hole(self, start: int, end: int, display: str) -> None:
        """An opaque hole whose source is ``[start, end)``."""
        self._holes[len(self._starts)] = Hole(start, end, display)
        self._chars.append(HOLE)
        self._starts.append(start)
        self._ends.append(end)

    def build(self) -> Text:
        return Text("".join(self._chars), 0, self._starts, self._ends, self._holes)


class LineIndex:
    """File offset -> 1-based (line, column), columns counted in characters (code points)."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
