"""REST URLs in JSON: HAR captures, Postman collections, any other JSON document.

* HAR (``{"log": {"entries": [...]}}``): each ``entries[].request.url``, sent with
  ``entries[].request.method``.
* Postman collection (``{"info": ..., "item": [...]}``, folders nested in ``item``): each
  ``request.url`` (a string, or an object whose ``raw`` is the URL), sent with
  ``request.method``; a request given as a bare string is a GET.
* Any other JSON: every string value that holds a REST URL.

The document is read by a parser of its own, a loop over a stack of open containers (nesting
as deep as the file likes), that accepts exactly what :func:`json.loads` accepts and locates
every string as it reads it. It keeps only what the three readings above can use: strings
holding ``rest``, the values of ``method`` keys, the keys those readings look up, and the
containers around them; everything else is dropped as soon as it is read, so a capture of a
million requests costs a few hundred bytes per request. Duplicate keys are kept (the last
one is the one looked up). A file that is not valid JSON (comments, trailing commas) is read
as a list of string tokens. Escapes are decoded with a map back to the file.
"""

from __future__ import annotations

import json.decoder
import re
from collections.abc import Callable, Iterator
from typing import Any

from restquery.lint._code import decode_literal
from restquery.lint._model import Occurrence
from restquery.lint._scan import Scanner
from restquery.lint._urls import HTTP_METHODS, in_value

__all__ = ["extract_json"]

#: The keys the HAR and Postman readings look up (each spelt once: keys are compared by value).
_KEYS = {k: k for k in ("log", "entries", "request", "url", "raw", "method", "item", "info")}

_WS = re.compile(r"[ \t\n\r]*")
#: json's own string reader (in C): decodes and validates one string, given the index after
#: its opening quote; it is not in the typing stubs.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = getattr(json.decoder, "scanstring")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_LITERALS = {"t": ("true", False), "f": ("false", False), "n": ("null", True),
             "N": ("NaN", False), "I": ("Infinity", False), "-": ("-Infinity", False)}


class _Obj(list):  # type: ignore[type-arg]
    """A JSON object as its list of ``(key, value)`` pairs, duplicates kept; a key the
    readings never look up is ``None``."""


class _Str:
    """A string of the document: its token ``[start, end)`` in the text (quotes included), and
    its value when it is a ``method``."""

    __slots__ = ("end", "start", "value")

    def __init__(self, start: int, end: int, value: str | None = None) -> None:
        self.start = start
        self.end = end
        self.value = value


class _Dropped:
    """Stands for a value nothing reads but for its being there (not ``null``)."""


_DROPPED = _Dropped()


class _Invalid(Exception):
    pass


def _parse(s: str) -> Any:
    """The document ``s``, reduced to what the readings use; :class:`_Invalid` if it is not
    JSON as :func:`json.loads` reads it."""
    n = len(s)
    # Open containers: [container, is an object, the pending key].
    stack: list[list[Any]] = []
    i = _ws(s, 0)
    while True:
        # A value starts at i.
        if i >= n:
            raise _Invalid
        c = s[i]
        node: Any
        if c == '"':
            key = stack[-1][2] if stack and stack[-1][1] else None
            node, i = _string(s, i, keep_value=key == "method")
        elif c == "{" or c == "[":
            i = _ws(s, i + 1)
            if i < n and s[i] == ("}" if c == "{" else "]"):
                node = _DROPPED if c == "{" else []
                i += 1
            else:
                stack.append([_Obj() if c == "{" else [], c == "{", None])
                if c == "{":
                    i = _key(s, i, stack[-1])
                continue
        elif c in _LITERALS and s.startswith(_LITERALS[c][0], i):
            word, null = _LITERALS[c]
            node = None if null else _DROPPED
            i += len(word)
        else:
            m = _NUMBER.match(s, i)
            if m is None:
                raise _Invalid
            node = _DROPPED
            i = m.end()
        # A value ends at i: add it to its container, read on to the next value.
        while True:
            if not stack:
                if _ws(s, i) != n:
                    raise _Invalid
                return node
            frame = stack[-1]
            container, is_object, key = frame
            if is_object:
                if key is not None or _kept(node):
                    container.append((key, node))
            elif _kept(node):
                container.append(node)
            i = _ws(s, i)
            if i >= n:
                raise _Invalid
            c = s[i]
            if c == ",":
                i = _ws(s, i + 1)
                if is_object:
                    i = _key(s, i, frame)
                break
            if c != ("}" if is_object else "]"):
                raise _Invalid
            i += 1
            stack.pop()
            node = container if container or not is_object else _DROPPED


def _ws(s: str, i: int) -> int:
    """Past the blanks at ``i``."""
    return _WS.match(s, i).end()  # type: ignore[union-attr]  # matches the empty string too


def _kept(node: Any) -> bool:
    return node is not None and node is not _DROPPED and node != []


def _string(s: str, i: int, keep_value: bool) -> tuple[Any, int]:
    """The string token at ``i`` and the index after it (the value itself when asked, a
    located :class:`_Str` when it may hold a URL, else :data:`_DROPPED`)."""
    try:
        value, end = _scanstring(s, i + 1, True)
    except ValueError:
        raise _Invalid from None
    if keep_value:
        return _Str(i, end, value), end
    if s.find("rest", i, end) >= 0:
        return _Str(i, end), end
    return _DROPPED, end


def _key(s: str, i: int, frame: list[Any]) -> int:
    """Read ``"key" :`` at ``i`` into ``frame``; the index of the value after it."""
    if not s.startswith('"', i):
        raise _Invalid
    try:
        key, i = _scanstring(s, i + 1, True)
    except ValueError:
        raise _Invalid from None
    frame[2] = _KEYS.get(key)
    i = _ws(s, i)
    if not s.startswith(":", i):
        raise _Invalid
    return _ws(s, i + 1)


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, _Obj):
        found = None
        for k, v in obj:
            if k == key:
                found = v
        return found
    return None


def _occurrences(s: str, token: _Str, method: str | None, whole: bool) -> Iterator[Occurrence]:
    if s.find("rest", token.start, token.end) < 0:
        return
    text = decode_literal(s, token.start + 1, token.end - 1, "json")
    for start, end, said in in_value(text.chars, 0, len(text.chars)):
        if whole and start != 0:
            continue
        yield Occurrence(text, start, end, said or method)


def _method(node: Any) -> str | None:
    if isinstance(node, _Str) and node.value is not None and node.value.upper() in HTTP_METHODS:
        return node.value.upper()
    return None


def _har(s: str, doc: Any) -> Iterator[Occurrence]:
    entries = _get(_get(doc, "log"), "entries")
    for entry in entries if isinstance(entries, list) else ():
        request = _get(entry, "request")
        url = _get(request, "url")
        if isinstance(url, _Str):
            yield from _occurrences(s, url, _method(_get(request, "method")), True)


def _postman(s: str, items: Any) -> Iterator[Occurrence]:
    stack = [iter(items if isinstance(items, list) else ())]
    while stack:
        item = next(stack[-1], _DROPPED)
        if item is _DROPPED:
            stack.pop()
            continue
        request = _get(item, "request")
        if isinstance(request, _Str):
            yield from _occurrences(s, request, "GET", True)
        elif request is not None:
            url = _get(request, "url")
            if isinstance(url, _Obj):
                url = _get(url, "raw")
            if isinstance(url, _Str):
                yield from _occurrences(s, url, _method(_get(request, "method")), True)
        sub = _get(item, "item")
        if isinstance(sub, list):
            stack.append(iter(sub))


def _strings(s: str, node: Any) -> Iterator[Occurrence]:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, _Obj):
            stack.extend(v for _k, v in reversed(n))
        elif isinstance(n, list):
            stack.extend(reversed(n))
        elif isinstance(n, _Str):
            yield from _occurrences(s, n, None, False)


def _tokens_only(s: str) -> Iterator[Occurrence]:
    # A string token is "..." on one line, a backslash escaping the next character.
    scanner = Scanner(s)
    i = s.find('"')
    while i >= 0:
        end = scanner.string_end(i + 1, '"')
        if end is None:
            i = s.find('"', i + 1)
            continue
        if s.find("rest", i, end) >= 0:
            text = decode_literal(s, i + 1, end - 1, "json")
            for start, stop, said in in_value(text.chars, 0, len(text.chars)):
                yield Occurrence(text, start, stop, said)
        i = s.find('"', end)


def extract_json(s: str) -> Iterator[Occurrence]:
    """The REST URLs of the JSON text ``s``."""
    if s.find("rest") < 0:
        return
    try:
        doc = _parse(s)
    except _Invalid:
        yield from _tokens_only(s)
        return
    if _get(_get(doc, "log"), "entries") is not None:
        yield from _har(s, doc)
    elif isinstance(_get(doc, "item"), list) and (
        _get(doc, "info") is not None or _looks_postman(_get(doc, "item"))
    ):
        yield from _postman(s, _get(doc, "item"))
    else:
        yield from _strings(s, doc)


def _looks_postman(items: Any) -> bool:
    return any(_get(i, "request") is not None or _get(i, "item") is not None for i in items)
