"""RQ604 ``raw-character-in-code``: a raw space, ``"`` or ``#`` in a URL that code sends.

The docs write URLs raw, and so may a URL in prose or a log; code sends what it writes. Every
client ends a URL at a raw ``#`` (RFC 3986 §3.5), silently dropping the rest of the query. A raw
space or ``"`` is sent as written, or refused, by the clients of the languages that do not
encode a URL for their callers: 4D's ``HTTP Request`` and Java's ``URI``/``HttpClient``
(``fetch``, ``axios``, ``requests`` and ``httpx`` encode them). The fix writes them
percent-encoded in the file.
"""

from __future__ import annotations

from restquery.ast import Span
from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.lint._text import Text
from restquery.rules._code_lints import CODE_LINTS

__all__ = ["raw_characters"]

#: The characters each language's clients leave raw, besides ``#`` (left raw by all).
_LEFT_RAW = {"4d": ' "', "java": ' "'}
_ENCODED = {" ": "%20", '"': "%22", "#": "%23"}


def raw_characters(text: Text, start: int, end: int, fragment_ok: bool) -> tuple[Diagnostic, Fix] | None:
    """RQ604 for the URL ``text.chars[start:end]`` when code wrote it (``text.origin``): the
    diagnostic (its span indexes the URL) and the fix (file offsets). ``fragment_ok``: the URL
    parses with its ``#`` (a ``#`` that breaks a quoted value is a syntax error already)."""
    origin = text.origin
    if origin is None:
        return None
    chars = text.chars
    raw = _LEFT_RAW.get(origin.lang, "") + ("#" if fragment_ok else "")
    if not raw:
        return None
    at = [i for i in range(start, end) if chars[i] in raw]
    if not at:
        return None
    lint = CODE_LINTS["RQ604"]
    first = at[0]
    kinds = sorted({chars[i] for i in at}, key=" \"#".index)
    shown = ", ".join("a space" if c == " " else f"`{c}`" for c in kinds)
    if "#" in kinds:
        why = "a `#` ends the URL: everything after it is never sent"
    else:
        why = f"{'4D' if origin.lang == '4d' else 'Java'}'s HTTP client sends the URL as written"
    message = f"The URL holds {shown} unencoded: {why}."
    hint = "write " + ", ".join(
        f"{'a space' if c == ' ' else f'`{c}`'} as `{_ENCODED[c]}`" for c in kinds
    )
    # The same edits twice: of the URL (to show the URL fixed) and of the file (to apply).
    url_fix = Fix(
        edits=tuple(Edit(offset=i - start, length=1, text=_ENCODED[chars[i]]) for i in at),
        description="percent-encode " + shown,
    )
    edits = tuple(
        Edit(offset=text.src_start(i), length=text.src_end(i) - text.src_start(i), text=_ENCODED[chars[i]])
        for i in at
    )
    diagnostic = Diagnostic(
        code=lint.code, name=lint.name, severity=lint.severity, message=message,
        span=Span(first - start, first - start + 1), hint=hint, fix=url_fix,
    )
    return diagnostic, Fix(edits=edits, description="percent-encode " + shown)
