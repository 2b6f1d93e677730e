"""REST URLs in access logs, read line by line (a log is never read whole).

A line in common or combined log format (Apache, nginx, 4D's HTTP server log)::

    127.0.0.1 - - [10/Oct/2024:13:55:36 +0200] "GET /rest/Employee(5) HTTP/1.1" 200 2326 "-" "curl/8"

gives its request: the method, and the request target when the target is a REST URL (an
absolute-form target, ``http://host/rest/...``, included). The request field's escapes (``\\"``,
``\\\\``, ``\\xHH`` byte sequences) are decoded with a map back to the line. Any other line is
read as running text, so an application log's ``GET /rest/...`` is found too.

Large logs are cut into chunks of whole lines at byte offsets (:func:`chunks`), so that several
processes can read one log; each chunk numbers its lines from 1 and the caller renumbers.
"""

from __future__ import annotations

import contextlib
import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from restquery.lint._model import Occurrence
from restquery.lint._read import open_regular
from restquery.lint._scan import Scanner
from restquery.lint._text import Text, TextBuilder
from restquery.lint._urls import in_prose, in_value

__all__ = ["CHUNK_BYTES", "LongLine", "chunks", "extract_log_line", "read_lines"]

#: A log larger than this is cut into chunks of about this size.
CHUNK_BYTES = 2 * 1024 * 1024

# A common/combined log line: `host ident user [time] "request" status ...`. The request field
# is a quoted string with backslash escapes, scanned by a loop rather than a regular
# expression (whose memory would grow with the field).
_CLF_HEAD = re.compile(r'\S+ \S+ \S+ \[[^\]\n]*\] "')
_CLF_TAIL = re.compile(r'" (?:\d{3}|-)(?: |$)')
_SKIP_BLOCK = 1 << 16
_LOG_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|.)")
_REST = "/rest/"
_REST_BYTES = b"/rest/"


def _decode_field(line: str, lo: int, hi: int) -> Text:
    """The request field ``line[lo:hi]`` with the server's escapes decoded."""
    b = TextBuilder()
    i = lo
    pending: list[tuple[int, int, int]] = []  # \xHH bytes waiting to form UTF-8 characters

    def flush() -> None:
        data = bytes(v for v, _a, _z in pending)
        text = data.decode("utf-8", "replace")
        if len(text) == len(pending) or "\ufffd" in text:
            for v, a, z in pending:
                b.char(chr(v) if v < 0x80 else "\ufffd", a, z)
        else:
            # Whole UTF-8 sequences: each character maps to the escapes of its bytes.
            k = 0
            for ch in text:
                size = len(ch.encode("utf-8"))
                b.char(ch, pending[k][1], pending[k + size - 1][2])
                k += size
        pending.clear()

    for m in _LOG_ESCAPE.finditer(line, lo, hi):
        if m.start() > i:
            if pending:
                flush()
            b.run(line[i : m.start()], i)
        seq = m.group()
        if seq[1] == "x" and len(seq) == 4:
            pending.append((int(seq[2:4], 16), m.start(), m.end()))
        else:
            if pending:
                flush()
            b.char(seq[1], m.start(), m.end())
        i = m.end()
    if pending:
        flush()
    if i < hi:
        b.run(line[i:hi], i)
    return b.build()


def _request_field(line: str) -> tuple[int, int] | None:
    """Where the request field of a common/combined log line is, quotes excluded."""
    m = _CLF_HEAD.match(line)
    if m is None:
        return None
    end = Scanner(line).string_end(m.end(), '"')
    if end is None or _CLF_TAIL.match(line, end - 1) is None:
        return None
    return m.end(), end - 1


def extract_log_line(line: str, number: int) -> Iterator[Occurrence]:
    """The REST URLs of one log line (offsets index ``line``; ``number`` is its line)."""
    if _REST not in line:
        return
    field = _request_field(line)
    if field is None:
        text = Text(line)
        for start, end, method in in_prose(line, 0, len(line)):
            yield Occurrence(text, start, end, method, number)
        return
    lo, hi = field
    if line.find("\\", lo, hi) >= 0:
        text = _decode_field(line, lo, hi)
        s, lo, hi = text.chars, 0, len(text.chars)
    else:
        text = Text(line)
        s = line
    sp = s.find(" ", lo, hi)
    if sp < 0:
        return
    method = s[lo:sp]
    target_start = sp + 1
    last = s.rfind(" ", target_start, hi)
    target_end = last if last >= 0 and s.startswith("HTTP/", last + 1) else hi
    for start, end, _said in in_value(s, target_start, target_end):
        if start == target_start:
            yield Occurrence(text, start, end, method.upper() if method.isalpha() else None, number)


def chunks(size: int, chunk: int | None = None) -> list[tuple[int, int]]:
    """Byte ranges ``[a, b)`` covering a file of ``size`` bytes, about ``chunk`` bytes each
    (default :data:`CHUNK_BYTES`)."""
    chunk = chunk or CHUNK_BYTES
    if size <= chunk:
        return [(0, size)]
    return [(a, min(a + chunk, size)) for a in range(0, size, chunk)]


@contextlib.contextmanager
def _open(path: str) -> Iterator[BinaryIO]:
    with open_regular(path) as raw:
        if path.endswith(".gz"):
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped  # type: ignore[misc]
        else:
            yield raw


@dataclass(frozen=True, slots=True)
class LongLine:
    """A line over the length limit, skipped without being held in memory: where it starts
    (a byte offset in the file) and how many bytes it has."""

    offset: int
    size: int


def _skip_line(fh: BinaryIO, pos: int, end: int | None) -> tuple[int, bool]:
    """Read past the line break after ``pos`` a block at a time, stopping at ``end``: the
    offset reached, and whether it is just after a line break."""
    while end is None or pos < end:
        block = fh.readline(_SKIP_BLOCK)
        pos += len(block)
        if not block:
            return pos, False
        if block.endswith(b"\n"):
            return pos, True
    return pos, False


def read_lines(
    path: str, start: int = 0, end: int | None = None, max_line: int | None = None
) -> Iterator[tuple[int, str | LongLine | None]]:
    """``(number, line)`` for each line that begins in bytes ``[start, end)`` of the file and
    may hold a REST URL (other lines are not even decoded), numbered from 1 in that range, line
    breaks stripped; a line longer than ``max_line`` bytes is a :class:`LongLine`; then
    ``(count, None)``: how many lines the range holds."""
    with _open(path) as fh:
        pos = 0
        if start > 0:
            fh.seek(start - 1)
            pos = start
            if fh.read(1) != b"\n":
                # The rest of a line that began before: a line longer than this range has no
                # line start in it, so the search stops at its end.
                pos, _ = _skip_line(fh, start, end)
        number = 0
        while end is None or pos < end:
            raw = fh.readline() if max_line is None else fh.readline(max_line + 1)
            if not raw:
                break
            number += 1
            if max_line is not None and len(raw) > max_line and not raw.endswith(b"\n"):
                after, broken = _skip_line(fh, pos + len(raw), None)
                yield number, LongLine(pos, after - pos - broken)
                pos = after
                continue
            pos += len(raw)
            if _REST_BYTES in raw:
                yield number, raw.decode("utf-8", "replace").rstrip("\r\n")
        yield number, None
