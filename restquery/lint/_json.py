"""REST URLs in JSON: HAR captures, Postman collections, any other JSON document.

* HAR (``{"log": {"entries": [...]}}``): each ``entries[].request.url``, sent with
  ``entries[].request.method``.
* Postman collection (``{"info": ..., "item": [...]}``, folders nested in ``item``): each
  ``request.url`` (a string, or an object whose ``raw`` is the URL), sent with
  ``request.method``; a request given as a bare string is a GET.
* Any other JSON: every string value that holds a REST URL.

Positions come from the string tokens of the file: the document is loaded with :mod:`json`
(keeping duplicate keys), and its strings, keys included, are paired in document order with the
``"..."`` tokens of the text, whose escapes are decoded with a map back to the file. A file that
is not valid JSON (comments, trailing commas) is read as a list of string tokens.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from restquery.lint._code import decode_literal
from restquery.lint._model import Occurrence
from restquery.lint._urls import HTTP_METHODS, in_value

__all__ = ["extract_json"]

_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"', re.DOTALL)


class _Obj(list):  # type: ignore[type-arg]
    """A JSON object as its list of ``(key, value)`` pairs, duplicates kept."""


class _Str:
    """A string of the document and its token ``[start, end)`` in the text (quotes included)."""

    __slots__ = ("end", "start", "value")

    def __init__(self, value: str, start: int, end: int) -> None:
        self.value = value
        self.start = start
        self.end = end


class _Mismatch(Exception):
    pass


def _attach(doc: Any, tokens: Iterator[re.Match[str]]) -> Any:
    """``doc`` with every string (key or value) replaced by a :class:`_Str` located at its token."""

    def take(value: str) -> _Str:
        try:
            m = next(tokens)
        except StopIteration:
            raise _Mismatch from None
        return _Str(value, m.start(), m.end())

    def walk(node: Any) -> Any:
        if isinstance(node, _Obj):
            return _Obj((take(k), walk(v)) for k, v in node)
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, str):
            return take(node)
        return node

    return walk(doc)


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, _Obj):
        found = None
        for k, v in obj:
            if k.value == key:
                found = v
        return found
    return None


def _occurrences(s: str, token: _Str, method: str | None, whole: bool) -> Iterator[Occurrence]:
    if s.find("rest", token.start, token.end) < 0:
        return
    text = decode_literal(s, token.start + 1, token.end - 1, "json")
    if text.chars != token.value:
        raise _Mismatch
    for start, end, said in in_value(text.chars, 0, len(text.chars)):
        if whole and start != 0:
            continue
        yield Occurrence(text, start, end, said or method)


def _method(node: Any) -> str | None:
    if isinstance(node, _Str) and node.value.upper() in HTTP_METHODS:
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
        item = next(stack[-1], None)
        if item is None:
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
    for m in _STRING.finditer(s):
        if s.find("rest", m.start(), m.end()) < 0:
            continue
        text = decode_literal(s, m.start() + 1, m.end() - 1, "json")
        for start, end, said in in_value(text.chars, 0, len(text.chars)):
            yield Occurrence(text, start, end, said)


def extract_json(s: str) -> Iterator[Occurrence]:
    """The REST URLs of the JSON text ``s``."""
    if s.find("rest") < 0:
        return
    try:
        doc = json.loads(s, object_pairs_hook=_Obj)
        doc = _attach(doc, _STRING.finditer(s))
    except (ValueError, RecursionError, _Mismatch):
        yield from _tokens_only(s)
        return
    try:
        # Collect first: a mismatch found late must not leave half the findings reported.
        if _get(_get(doc, "log"), "entries") is not None:
            found = list(_har(s, doc))
        elif isinstance(_get(doc, "item"), list) and (
            _get(doc, "info") is not None or _looks_postman(_get(doc, "item"))
        ):
            found = list(_postman(s, _get(doc, "item")))
        else:
            found = list(_strings(s, doc))
    except _Mismatch:
        yield from _tokens_only(s)
        return
    yield from found


def _looks_postman(items: Any) -> bool:
    return any(_get(i, "request") is not None or _get(i, "item") is not None for i in items)
