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

__all__ = ["HTTP_METHODS", "in_prose", "in_value", "looks_like_rest"]

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
_METHOD_BEFORE = re.compile(r"(?:^|[\s\"'`(\[|])(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)[ \t]+[\"'`]?$")
_CURL_METHOD = re.compile(r"(?:-X|--request)[ \t=]*[\"']?([A-Za-z]+)")


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


def _method_before(s: str, lo: int, start: int) -> str | None:
    line_start = max(s.rfind("\n", lo, start) + 1, lo)
    before = s[line_start:start]
    m = _METHOD_BEFORE.search(before)
    if m:
        return m.group(1)
    m = _CURL_METHOD.search(before)
    if m and m.group(1).upper() in HTTP_METHODS:
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
        yield start, end, _method_before(s, lo, start)
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
