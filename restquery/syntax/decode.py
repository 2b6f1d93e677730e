"""Percent-decoding of one URL component, keeping the decoded-to-raw offset map (spec §1.4).

The URL is split on its raw delimiters first; each component is then decoded on its own, so
``%2F``, ``%26`` or ``%22`` never become structure. Sub-parsers run on the decoded text and
report positions in it; :class:`OffsetMap` turns them back into offsets of the raw text.
"""

from __future__ import annotations

import operator
import re

from restquery.ast import Span
from restquery.errors import RestQuerySyntaxError

__all__ = ["OffsetMap", "decode"]

# A run of %XX escapes; a "%" not followed by two hex digits is an ordinary character (the
# query language's `%` comparator is written raw in the docs).
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


class OffsetMap:
    """Maps an offset into a decoded component to an offset into the raw text."""

    __slots__ = ("base", "table")

    def __init__(self, base: int, table: list[int] | None = None) -> None:
        self.base = base
        # table[i] is the raw offset of decoded character i; table[len] is the raw end.
        self.table = table

    def pos(self, i: int) -> int:
        table = self.table
        return self.base + i if table is None else table[i]

    def span(self, start: int, end: int) -> Span:
        table = self.table
        if table is None:
            base = self.base
            return Span(base + start, base + end)
        return Span(table[start], table[end])

    def packed(self, start: int, end: int) -> int:
        """:meth:`span` as the packed integer nodes keep (``start << 32 | end``)."""
        table = self.table
        if table is None:
            base = self.base
            return (base + start) << 32 | (base + end)
        return table[start] << 32 | table[end]

    def shifted(self, start: int, end: int) -> OffsetMap:
        """The map of the decoded sub-range ``[start, end)``."""
        if self.table is None:
            return OffsetMap(self.base + start)
        return OffsetMap(0, self.table[start : end + 1])


def decode(raw: str, start: int, end: int, *, what: str = "the URL") -> tuple[str, OffsetMap]:
    """Decode ``raw[start:end]``; raise a located error for escapes that are not UTF-8."""
    text = raw[start:end]
    if "%" not in text:
        return text, OffsetMap(start)
    # [text, hex, text, hex, ..., text]: the escapes' bytes all at once.
    pieces = _ESCAPE.split(text)
    if len(pieces) == 1:
        return text, OffsetMap(start)
    data = bytes.fromhex("".join(pieces[1::2]))
    if data.isascii():  # one character per escape: the commonest case, without a loop per byte
        texts = pieces[0::2]
        decoded = "".join(map(operator.add, texts, data.decode("ascii"))) + texts[-1]
        table: list[int] = []
        at = start
        for piece in texts:
            # the piece's characters, then the escape after it (none after the last)
            table.extend(range(at, at + len(piece) + 1))
            at += len(piece) + 3
        table[-1] = end
        return decoded, OffsetMap(0, table)
    return _decode_runs(raw, start, end, text, what)


def _decode_runs(
    raw: str, start: int, end: int, text: str, what: str
) -> tuple[str, OffsetMap]:
    out: list[str] = []
    table: list[int] = []
    pos = 0
    for match in _ESCAPES.finditer(text):
        lo, hi = match.span()
        if lo > pos:
            out.append(text[pos:lo])
            table.extend(range(start + pos, start + lo))
        data = bytes.fromhex(match.group().replace("%", ""))
        try:
            chars = data.decode("utf-8")
        except UnicodeDecodeError as err:
            from restquery.syntax.explain import as_shown

            bad = start + lo + 3 * err.start
            raise RestQuerySyntaxError(
                "RQ009",
                f"The percent-encoded bytes in {as_shown(what, 72)} are not valid UTF-8.",
                Span(bad, bad + 3 * max(1, err.end - err.start)),
                hint="percent-encode the text as UTF-8 (for example `é` is `%C3%A9`)",
                url=raw,
                name="invalid-percent-encoding",
            ) from None
        offset = start + lo
        if len(chars) == len(data):  # one byte per character: ASCII
            table.extend(range(offset, start + hi, 3))
        else:
            for ch in chars:
                table.append(offset)
                offset += 3 * len(ch.encode("utf-8", "surrogatepass"))
        out.append(chars)
        pos = hi
    if pos < len(text):
        out.append(text[pos:])
        table.extend(range(start + pos, end))
    table.append(end)
    return "".join(out), OffsetMap(0, table)
