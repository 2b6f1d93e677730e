"""Where a REST URL starts and ends inside decoded text.

A REST URL is text with ``/rest/`` followed by a dataclass name, a ``$`` keyword, a ``{{...}}``
placeholder or a hole, optionally preceded by an origin (``http://127.0.0.1:8044``,
``localhost:80``, ``{{ApiEndpoint}}``). The text before ``/rest`` must be an origin or nothing:
``/app/rest/Employee`` is another server's path, not a REST URL.

Two ways to find the end:

* :func:`in_value` — the text is one value (a string literal, a JSON string, a log's request
  target): when it *is* a URL (nothing but blanks or an HTTP method before it), the URL runs to
  the end of the value, blanks and all (spaces inside ``$filter="a = 1"`` are part of it).
* :func:`in_prose` — the URL is embedded in running text (Markdown, comments, log messages):
  it ends at a blank outside quotes (a quote opens after ``=``, ``(``, ``,`` or ``[``; one never
  closed runs to the end of the line), at ``<``, ``>``, a backtick or ``|``, at a ``)``, ``]``
  or ``}`` that it did not open, or at the quote that opened it; trailing ``.,;:!*`` are dropped.

>>> t = 'See `GET /rest/Employee?$filter="name = \\'x\\'"`, then /rest/Company(1).'
>>> [(t[a:b], m) for a, b, m in in_prose(t, 0, len(t))]
[('/rest/Employee?$filter="name = \\'x\\'"', 'GET'), ('/rest/Company(1)', None)]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from restquery.lint._text import HOLE

__all__ = [
    "CURL_METHOD", "HTTP_METHODS", "MethodsBefore", "in_prose", "in_value", "looks_like_rest",
]

HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})

# `/rest/` then what can start a dataclass name, a `$` keyword, a `{{...}}` placeholder or a hole.
_MARKER = re.compile(r"/rest/(?=[$\{" + HOLE + r"]|[^\W\d])")
_ORIGIN_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-~:@[]{}%" + HOLE
)
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
# A character that may not come right before a URL (it would be the tail of another path).
_NOT_BEFORE = frozenset("/\\.$%&?#")
_STOP = frozenset(" \t\r\n\f\v<>`|\u00a0")
_TRAILING = ".,;:!*"
_QUOTE_OPENERS = frozenset("=(,[")
_WORD_BEFORE = frozenset("\"'`([|")  # what may come right before a method, besides blanks
_QUOTES = frozenset("\"'`")
#: curl's method option (``-X POST``, ``--request=PUT``).
CURL_METHOD = re.compile(r"(?:-X|--request)[ \t=]*[\"']?([A-Za-z]+)")


def looks_like_rest(text: str) -> bool:
    """True if ``text`` contains a REST URL marker (a quick filter before the real search)."""
    return "/rest/" in text and _MARKER.search(text) is not None


def _origin_start(s: str, lo: int, p: int) -> int | None:
    """Where the origin before ``/rest`` at ``p`` starts, or ``None`` if ``p`` is inside
    something that is not a REST URL."""
    i = p
    while i > lo and s[i - 1] in _ORIGIN_CHARS:
        i -= 1
    if i - 3 >= lo and s[i - 3 : i] == "://" and i < p:
        j = i - 3
        while j > lo and s[j - 1] in _SCHEME_CHARS:
            j -= 1
        if j < i - 3:
            i = j
    if i > lo and s[i - 1] in _NOT_BEFORE:
        return None
    if i < p and not any(c.isalnum() or c in "{[" + HOLE for c in s[i:p]):
        return None  # `./rest/...`, `:/rest/...`: a relative path or punctuation, no origin
    return i


class MethodsBefore:
    """The HTTP method written before each URL of ``s[lo:]`` on its line: a method word
    (``GET /rest/...``, ``POST "http://..."``) or curl's ``-X``/``--request`` earlier on the line.

    Asked about URLs in file order, it reads each line once however many URLs the line holds
    (a line of a million URLs is not searched a million times).

    >>> find = MethodsBefore('curl -X PUT "/rest/A" /rest/B\\nGET /rest/C')
    >>> find(13), find(22), find(34)
    ('PUT', 'PUT', 'GET')
    """

    __slots__ = ("_line", "_line_curl", "_newline", "_seen", "lo", "s")

    def __init__(self, s: str, lo: int = 0) -> None:
        self.s = s
        self.lo = lo
        self._seen = lo  # where the search for line breaks has reached
        self._newline = lo - 1  # the last line break before _seen
        self._line = -1  # the line whose curl option is known, by its start
        self._line_curl: re.Match[str] | None = None

    def _line_start(self, start: int) -> int:
        s = self.s
        if start < self._seen:  # asked out of order: look again from the start
            self._seen, self._newline = self.lo, self.lo - 1
        nl = s.rfind("\n", self._seen, start)
        if nl >= 0:
            self._newline = nl
        self._seen = start
        return max(self._newline + 1, self.lo)

    def __call__(self, start: int) -> str | None:
        """The method before a URL starting at ``start``: a word right before it, else curl's."""
        line_start = self._line_start(start)
        s = self.s
        j = start - 1 if start > line_start and s[start - 1] in _QUOTES else start
        k = j
        while k > line_start and s[k - 1] in " \t":
            k -= 1
        if k < j:
            w = k
            while w > line_start and k - w < 8 and "A" <= s[w - 1] <= "Z":
                w -= 1
            if s[w:k] in HTTP_METHODS and (
                w == line_start or s[w - 1].isspace() or s[w - 1] in _WORD_BEFORE
            ):
                return s[w:k]
        return self._curl(line_start, start)

    def curl(self, start: int) -> str | None:
        """curl's method option earlier on the line of ``start``, if it names a method."""
        return self._curl(self._line_start(start), start)

    def _curl(self, line_start: int, start: int) -> str | None:
        s = self.s
        if self._line != line_start:
            # The line's first option, once: it is the first before any URL after it.
            self._line = line_start
            nl = s.find("\n", line_start)
            self._line_curl = CURL_METHOD.search(s, line_start, len(s) if nl < 0 else nl)
        m = self._line_curl
        if m is not None and m.end() > start:
            m = CURL_METHOD.search(s, line_start, start)
        if m is not None and m.group(1).upper() in HTTP_METHODS:
            return m.group(1).upper()
        return None


def in_value(s: str, lo: int, hi: int) -> Iterator[tuple[int, int, str | None]]:
    """The URLs of the value ``s[lo:hi]``: ``(start, end, method)`` triples, ``method`` being
    an HTTP method written just before the URL (``"GET /rest/..."``) or ``None``."""
    m = _MARKER.search(s, lo, hi)
    if m is None:
        return
    start = _origin_start(s, lo, m.start())
    head = s[lo:start].strip() if start is not None else None
    if start is not None and (not head or head in HTTP_METHODS):
        end = hi
        while end > start and s[end - 1] in " \t\r\n":
            end -= 1
        yield start, end, head or None
        return
    yield from in_prose(s, lo, hi)


def in_prose(s: str, lo: int, hi: int) -> Iterator[tuple[int, int, str | None]]:
    """The URLs embedded in running text ``s[lo:hi]``."""
    pos = lo
    method_before = MethodsBefore(s, lo)
    while True:
        m = _MARKER.search(s, pos, hi)
        if m is None:
            return
        p = m.start()
        start = _origin_start(s, lo, p)
        if start is None:
            pos = m.end()
            continue
        end = _prose_end(s, start, p, hi)
        yield start, end, method_before(start)
        pos = max(end, m.end())


def _prose_end(s: str, start: int, p: int, hi: int) -> int:
    enclosing = s[start - 1] if start > 0 and s[start - 1] in "\"'" else None
    depth = 0
    quote = None
    i = p
    while i < hi:
        c = s[i]
        if quote is not None:
            if c == quote:
                quote = None
            elif c == "\n":
                break
            i += 1
            continue
        if c in _STOP:
            break
        if c == '"' or c == "'":
            if s[i - 1] in _QUOTE_OPENERS:
                quote = c
            elif c == enclosing:
                break
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                break
            depth -= 1
        i += 1
    while i > p and s[i - 1] in _TRAILING:
        i -= 1
    return i
