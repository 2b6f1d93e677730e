"""REST URLs in the string literals of Python, JavaScript/TypeScript, Java and 4D code.

A small lexer per language finds string literals (skipping comments, and in JavaScript regular
expression literals), decodes their escapes into a :class:`~restquery.lint._text.Text` that
maps every character back to the file, and joins literals concatenated with ``+`` (and Python's
adjacent literals): an operand that is not a literal becomes a hole, as do ``${...}`` in
JavaScript template literals, ``{...}`` in Python f-strings and in literals followed by
``.format(``, and ``%s``-style fields in literals followed by ``%``.

The HTTP method comes from the call around the literal when it says so: ``requests.post(...)``,
``axios.delete(...)`` (a callee named after a method), ``fetch(url, {method: 'POST'})`` or
``requests.request(method="PUT", ...)`` (a ``method`` key or keyword), ``xhr.open('POST', url)``
(a method literal as first argument), 4D's ``HTTP Request(HTTP POST method; ...)``.

>>> src = "fetch(`/rest/Employee(${id})?$expand=photo`, {method: 'DELETE'})"
>>> [(o.text.chars[o.start:o.end], o.method) for o in extract_code(src, "js")]
[('/rest/Employee(\\ue000)?$expand=photo', 'DELETE')]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from restquery.lint._model import Occurrence
from restquery.lint._text import Text, TextBuilder
from restquery.lint._urls import HTTP_METHODS, in_value

__all__ = ["LANGUAGES", "decode_literal", "extract_code"]

#: Language names :func:`extract_code` understands.
LANGUAGES = ("python", "js", "java", "4d")

# Token kinds
_STR, _WORD, _OP, _OPEN, _CLOSE, _NL = range(6)


@dataclass(slots=True)
class _Lit:
    """A string literal: its kind decides how its content is decoded."""

    kind: str  # "py", "pyraw", "pybytes", "js", "template", "java", "4d"
    content_start: int
    content_end: int
    fstring: bool = False


@dataclass(slots=True)
class _Tok:
    kind: int
    start: int
    end: int
    lit: _Lit | None = None


# --- lexers ----------------------------------------------------------------------------------

_PY_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\f\r]+|\\\r?\n)
  | (?P<nl>\n)
  | (?P<comment>\#[^\n]*)
  | (?P<str>(?P<prefix>[rRbBuUfF]{0,2})(?P<q>'''|\"\"\"|'|\"))
  | (?P<word>[^\W\d]\w*|\d[\w.]*)
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<op>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_JS_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<str>['"`])
  | (?P<word>[^\W\d][\w$]*|\$[\w$]*|\d[\w.]*)
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<op>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_4D_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\f\r]+|\\\r?\n)
  | (?P<nl>\n)
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<str>")
  | (?P<word>[^\W\d][\w$]*|\$[\w$]*|\d[\w.]*)
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<op>.)
    """,
    re.VERBOSE | re.DOTALL,
)

# After these, `/` divides; elsewhere it starts a regular expression literal.
_JS_KEYWORDS_BEFORE_EXPR = frozenset(
    {"return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case",
     "do", "else", "yield", "await"}
)
_JS_REGEX = re.compile(r"/(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[a-z]*")


_PY_PREFIXES = frozenset({"", "r", "u", "f", "b", "fr", "rf", "br", "rb"})


def _py_string_end(s: str, i: int, hi: int, q: str) -> int | None:
    """Index just past the closing quote of a Python string whose content starts at ``i``."""
    n = len(q)
    while i < hi:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n" and n == 1:
            return None
        if s.startswith(q, i):
            return i + n
        i += 1
    return None


def _lex_python(s: str, lo: int, hi: int) -> list[_Tok]:
    toks: list[_Tok] = []
    depth = 0
    i = lo
    match = _PY_TOKEN.match
    while i < hi:
        m = match(s, i, hi)
        if m is None:  # pragma: no cover - the last alternative matches any character
            break
        kind = m.lastgroup
        if kind == "str":
            prefix = m.group("prefix").lower()
            if prefix not in _PY_PREFIXES:
                # `rr` or an identifier such as `bf` before a quote: lex the word on its own.
                w = re.compile(r"\w+").match(s, i, hi)
                assert w is not None
                toks.append(_Tok(_WORD, i, w.end()))
                i = w.end()
                continue
            q = m.group("q")
            cs = m.end()
            end = _py_string_end(s, cs, hi, q)
            if end is None:
                i = cs  # an unclosed quote: skip it and go on
                continue
            kind_ = "pyraw" if "r" in prefix else ("pybytes" if "b" in prefix else "py")
            toks.append(_Tok(_STR, i, end, _Lit(kind_, cs, end - len(q), "f" in prefix)))
            i = end
            continue
        if kind == "word":
            toks.append(_Tok(_WORD, i, m.end()))
        elif kind == "open":
            depth += 1
            toks.append(_Tok(_OPEN, i, m.end()))
        elif kind == "close":
            depth = max(depth - 1, 0)
            toks.append(_Tok(_CLOSE, i, m.end()))
        elif kind == "nl":
            if depth == 0:
                toks.append(_Tok(_NL, i, m.end()))
        elif kind == "op":
            toks.append(_Tok(_OP, i, m.end()))
        i = m.end()
    return toks


def _quoted_end(s: str, i: int, hi: int, q: str) -> int | None:
    """Past the closing ``q`` of a one-line string (JavaScript, Java, 4D) starting at ``i``."""
    while i < hi:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n":
            return None
        if c == q:
            return i + 1
        i += 1
    return None


def _template_end(s: str, i: int, hi: int) -> int | None:
    """Past the closing backtick of a template literal whose content starts at ``i``."""
    while i < hi:
        c = s[i]
        if c == "\\":
            i += 2
        elif c == "`":
            return i + 1
        elif c == "$" and s.startswith("${", i):
            j = _js_expression_end(s, i + 2, hi)
            if j is None:
                return None
            i = j + 1
        else:
            i += 1
    return None


def _js_expression_end(s: str, i: int, hi: int) -> int | None:
    """Index of the ``}`` closing a ``${`` hole (or an f-string field) whose expression
    starts at ``i``; nested braces, strings and templates are skipped."""
    depth = 0
    while i < hi:
        c = s[i]
        if c in "\"'":
            j = _quoted_end(s, i + 1, hi, c)
            i = j if j is not None else i + 1
            continue
        if c == "`":
            j = _template_end(s, i + 1, hi)
            if j is None:
                return None
            i = j
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return None


def _lex_c_like(s: str, lo: int, hi: int, lang: str) -> list[_Tok]:
    """JavaScript/TypeScript and Java (``lang`` ``"js"`` or ``"java"``)."""
    toks: list[_Tok] = []
    i = lo
    match = _JS_TOKEN.match
    js = lang == "js"
    while i < hi:
        m = match(s, i, hi)
        if m is None:  # pragma: no cover
            break
        kind = m.lastgroup
        if kind == "str":
            q = s[i]
            if q == "`" and js:
                end = _template_end(s, i + 1, hi)
                if end is None:
                    i += 1
                    continue
                toks.append(_Tok(_STR, i, end, _Lit("template", i + 1, end - 1)))
                i = end
                continue
            if q == "`":
                toks.append(_Tok(_OP, i, i + 1))
                i += 1
                continue
            if lang == "java" and s.startswith('"""', i):
                end = s.find('"""', i + 3, hi)
                while end > 0 and s[end - 1] == "\\":
                    end = s.find('"""', end + 1, hi)
                if end < 0:
                    i += 3
                    continue
                cs = s.find("\n", i + 3, end)
                cs = cs + 1 if cs >= 0 else i + 3
                toks.append(_Tok(_STR, i, end + 3, _Lit("java", cs, end)))
                i = end + 3
                continue
            end = _quoted_end(s, i + 1, hi, q)
            if end is None:
                i += 1
                continue
            toks.append(_Tok(_STR, i, end, _Lit(lang, i + 1, end - 1)))
            i = end
            continue
        if kind == "op" and js and s[i] == "/" and _regex_allowed(s, toks):
            r = _JS_REGEX.match(s, i, hi)
            if r is not None:
                toks.append(_Tok(_WORD, i, r.end()))
                i = r.end()
                continue
        if kind == "word":
            toks.append(_Tok(_WORD, i, m.end()))
        elif kind == "open":
            toks.append(_Tok(_OPEN, i, m.end()))
        elif kind == "close":
            toks.append(_Tok(_CLOSE, i, m.end()))
        elif kind == "op":
            toks.append(_Tok(_OP, i, m.end()))
        i = m.end()
    return toks


def _regex_allowed(s: str, toks: list[_Tok]) -> bool:
    if not toks:
        return True
    last = toks[-1]
    if last.kind == _WORD:
        return s[last.start : last.end] in _JS_KEYWORDS_BEFORE_EXPR
    return last.kind in (_OP, _OPEN)


def _lex_4d(s: str, lo: int, hi: int) -> list[_Tok]:
    toks: list[_Tok] = []
    i = lo
    match = _4D_TOKEN.match
    while i < hi:
        m = match(s, i, hi)
        if m is None:  # pragma: no cover
            break
        kind = m.lastgroup
        if kind == "str":
            end = _quoted_end(s, i + 1, hi, '"')
            if end is None:
                i += 1
                continue
            toks.append(_Tok(_STR, i, end, _Lit("4d", i + 1, end - 1)))
            i = end
            continue
        k = {"word": _WORD, "open": _OPEN, "close": _CLOSE, "op": _OP, "nl": _NL}.get(kind or "")
        if k is not None:
            toks.append(_Tok(k, i, m.end()))
        i = m.end()
    return toks


# --- decoding --------------------------------------------------------------------------------

_SIMPLE = {
    "py": {"n": "\n", "r": "\r", "t": "\t", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
           "\\": "\\", "'": "'", '"': '"'},
    "js": {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0"},
    "java": {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "s": " ", "\\": "\\",
             "'": "'", '"': '"'},
    "4d": {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"'},
}
_SIMPLE["json"] = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "/": "/", "\\": "\\",
                   '"': '"'}
_SIMPLE["pybytes"] = _SIMPLE["py"]
_SIMPLE["template"] = _SIMPLE["js"]

_HEX = re.compile(r"[0-9A-Fa-f]+")
_PERCENT_FIELD = re.compile(
    r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)


def _decode(
    s: str,
    lit: _Lit,
    b: TextBuilder,
    *,
    format_fields: bool = False,
    percent_fields: bool = False,
) -> None:
    """Decode the content of ``lit`` into ``b``, holes included."""
    kind = lit.kind
    i, end = lit.content_start, lit.content_end
    escapes = kind != "pyraw"
    braces = lit.fstring or format_fields
    specials = "\\" if escapes else ""
    if kind == "template":
        specials += "$"
    if braces:
        specials += "{}"
    if percent_fields:
        specials += "%"
    if not specials:
        if end > i:
            b.run(s[i:end], i)
        return
    pattern = re.compile("[" + re.escape(specials) + "]")
    while i < end:
        m = pattern.search(s, i, end)
        if m is None:
            b.run(s[i:end], i)
            return
        j = m.start()
        if j > i:
            b.run(s[i:j], i)
        c = s[j]
        if c == "\\":
            if kind == "pyraw":
                b.run(s[j : j + 2], j)
                i = j + 2
            else:
                i = _escape(s, j, end, kind, b)
        elif c == "$":
            if s.startswith("${", j):
                close = _js_expression_end(s, j + 2, end)
                if close is None:
                    b.run(s[j:end], j)
                    return
                b.hole(j, close + 1, s[j : close + 1])
                i = close + 1
            else:
                b.run("$", j)
                i = j + 1
        elif c in "{}":
            if s.startswith(c * 2, j):
                b.char(c, j, j + 2)
                i = j + 2
            elif c == "{":
                close = _js_expression_end(s, j + 1, end) if lit.fstring else s.find("}", j, end)
                if close is None or close < 0:
                    b.run(s[j:end], j)
                    return
                b.hole(j, close + 1, s[j : close + 1])
                i = close + 1
            else:
                b.run("}", j)
                i = j + 1
        else:  # `%`
            f = _PERCENT_FIELD.match(s, j, end)
            if f is None:
                b.run("%", j)
                i = j + 1
            elif f.group().endswith("%") and f.end() - j == 2:
                b.char("%", j, j + 2)
                i = j + 2
            else:
                b.hole(j, f.end(), f.group())
                i = f.end()


def _escape(s: str, j: int, end: int, kind: str, b: TextBuilder) -> int:
    """Decode the escape sequence at ``s[j] == "\\\\"``; return the index after it."""
    if j + 1 >= end:
        b.run("\\", j)
        return j + 1
    c = s[j + 1]
    if c == "\n":
        return j + 2  # line continuation: no character
    if c == "\r":
        return j + 3 if s.startswith("\n", j + 2) else j + 2
    simple = _SIMPLE.get(kind, {})
    if c in simple:
        b.char(simple[c], j, j + 2)
        return j + 2
    py = kind in ("py", "pybytes")
    if c == "x" and kind in ("py", "pybytes", "js", "template"):
        return _hex_escape(s, j, j + 2, 2, end, b)
    if c == "u" and kind in ("py", "js", "template", "java", "json"):
        if kind in ("js", "template") and s.startswith("{", j + 2):
            close = s.find("}", j + 3, end)
            h = s[j + 3 : close] if close > 0 else ""
            if h and _HEX.fullmatch(h) and int(h, 16) <= 0x10FFFF:
                return _emit_code_point(s, j, close + 1, int(h, 16), b)
            b.run(s[j : j + 2], j)
            return j + 2
        k = j + 2
        while kind == "java" and k < end and s[k] == "u":
            k += 1  # Java allows \uuuu0041
        return _hex_escape(s, j, k, 4, end, b)
    if c == "U" and kind == "py":
        return _hex_escape(s, j, j + 2, 8, end, b)
    if c == "N" and kind == "py" and s.startswith("{", j + 2):
        close = s.find("}", j + 3, end)
        if close > 0:
            try:
                ch = unicodedata.lookup(s[j + 3 : close])
            except KeyError:
                ch = None
            if ch is not None:
                b.char(ch, j, close + 1)
                return close + 1
    if c in "01234567" and (py or kind == "java"):
        k = j + 1
        limit = j + 4 if (py or c in "0123") else j + 3
        while k < min(limit, end) and s[k] in "01234567":
            k += 1
        b.char(chr(int(s[j + 1 : k], 8)), j, k)
        return k
    if kind in ("js", "template"):
        b.char(c, j, j + 2)  # an unknown escape is the character itself
        return j + 2
    b.run(s[j : j + 2], j)  # kept as written (Python, Java and 4D keep the backslash)
    return j + 2


def _hex_escape(s: str, j: int, digits_at: int, digits: int, end: int, b: TextBuilder) -> int:
    """``\\xHH``, ``\\uHHHH``, ``\\UHHHHHHHH`` at ``j``, the digits starting at ``digits_at``;
    a malformed one is kept as written."""
    h = s[digits_at : digits_at + digits]
    if len(h) == digits and digits_at + digits <= end and _HEX.fullmatch(h):
        value = int(h, 16)
        if value <= 0x10FFFF:
            return _emit_code_point(s, j, digits_at + digits, value, b)
    b.run(s[j : j + 2], j)
    return j + 2


def _emit_code_point(s: str, j: int, k: int, value: int, b: TextBuilder) -> int:
    # A UTF-16 surrogate pair written as two escapes is one character.
    if 0xD800 <= value < 0xDC00 and s.startswith("\\u", k):
        h = s[k + 2 : k + 6]
        if len(h) == 4 and _HEX.fullmatch(h) and 0xDC00 <= int(h, 16) < 0xE000:
            low = int(h, 16)
            b.char(chr(0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)), j, k + 6)
            return k + 6
    b.char(chr(value), j, k)
    return k


# --- chains, holes and methods ---------------------------------------------------------------

_METHOD_KEY = re.compile(
    r"(?<![\w$])[\"']?method[\"']?\s*[:=]\s*[\"'`]([A-Za-z]+)[\"'`]", re.IGNORECASE
)
_4D_METHOD = re.compile(r"HTTP\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+method", re.IGNORECASE)
_OPERAND_END = frozenset(",;+:?=&|<>")
_GROUP_LIMIT = 5000


def _matching(toks: list[_Tok]) -> tuple[list[int], list[int]]:
    """``(match, parent)``: the index of each bracket's partner (-1 when unmatched or not a
    bracket), and the innermost open bracket around each token (-1 at the top level)."""
    n = len(toks)
    match = [-1] * n
    parent = [-1] * n
    stack: list[int] = []
    for k, t in enumerate(toks):
        parent[k] = stack[-1] if stack else -1
        if t.kind == _OPEN:
            stack.append(k)
        elif t.kind == _CLOSE and stack:
            o = stack.pop()
            match[o] = k
            match[k] = o
    return match, parent


def _text(s: str, t: _Tok) -> str:
    return s[t.start : t.end]


def _operand_end(s: str, toks: list[_Tok], j: int, match: list[int]) -> int:
    """The index after the operand starting at token ``j`` (``j`` itself if there is none):
    it runs to a top-level ``,;+:?=&|<>``, a closing bracket, a significant line break or a
    string literal that no operator joins."""
    k = j
    n = len(toks)
    while k < n:
        t = toks[k]
        if t.kind in (_CLOSE, _NL) or (t.kind == _STR and k > j):
            break
        if t.kind == _OP and s[t.start] in _OPERAND_END:
            break
        if t.kind == _OPEN:
            close = match[k]
            if close < 0:
                break
            k = close + 1
            continue
        k += 1
    return k


_Part = int | tuple[int, int, str]  # a string token's index, or a hole (start, end, display)


def _chain(
    s: str, toks: list[_Tok], k: int, lang: str, match: list[int]
) -> tuple[list[_Part], int]:
    """The literals and holes concatenated from string token ``k`` on, and the index after."""
    parts: list[_Part] = [k]
    j = k + 1
    n = len(toks)
    while j < n:
        t = toks[j]
        if t.kind == _STR and lang == "python":
            parts.append(j)
            j += 1
            continue
        if t.kind == _OP and s[t.start] == "+" and not s.startswith(("++", "+="), t.start):
            if j + 1 < n and toks[j + 1].kind == _STR:
                parts.append(j + 1)
                j += 2
                continue
            end = _operand_end(s, toks, j + 1, match)
            if end == j + 1:
                break
            a, z = toks[j + 1].start, toks[end - 1].end
            expr = " ".join(s[a:z].split())
            if len(expr) > 40:
                expr = expr[:39] + "…"
            parts.append((a, z, "{" + expr + "}"))
            j = end
            continue
        break
    return parts, j


def _followed_by(s: str, toks: list[_Tok], j: int, *texts: str) -> bool:
    return all(
        j + i < len(toks) and _text(s, toks[j + i]) == t for i, t in enumerate(texts)
    )


def _method(s: str, toks: list[_Tok], k: int, parent: list[int], match: list[int]) -> str | None:
    """The HTTP method the call around string token ``k`` says, if any."""
    o = parent[k]
    if o < 0:
        return None
    close = match[o]
    group_end = toks[close].start if close >= 0 else min(toks[o].end + _GROUP_LIMIT, len(s))
    group = s[toks[o].end : min(group_end, toks[o].end + _GROUP_LIMIT)]
    if s[toks[o].start] == "(" and o > 0 and toks[o - 1].kind == _WORD:
        callee = _text(s, toks[o - 1]).upper()
        if callee in HTTP_METHODS and o > 1 and _text(s, toks[o - 2]) == ".":
            return callee
    m = _METHOD_KEY.search(group)
    if m and m.group(1).upper() in HTTP_METHODS:
        return m.group(1).upper()
    m = _4D_METHOD.search(group)
    if m:
        return m.group(1).upper()
    first = o + 1
    if (
        first < len(toks)
        and toks[first].kind == _STR
        and first != k
        and first + 1 < len(toks)
        and _text(s, toks[first + 1]) in (",", ";")
    ):
        lit = toks[first].lit
        assert lit is not None
        word = s[lit.content_start : lit.content_end].upper()
        if word in HTTP_METHODS:
            return word
    return None


def decode_literal(s: str, start: int, end: int, kind: str) -> Text:
    """The decoded content ``s[start:end]`` of a string literal of ``kind`` (``"py"``,
    ``"js"``, ``"java"``, ``"4d"``, ``"json"``), each character mapped to its escape."""
    b = TextBuilder()
    _decode(s, _Lit(kind, start, end), b)
    return b.build()


def _lex(s: str, lang: str, lo: int, hi: int) -> list[_Tok]:
    if lang == "python":
        return _lex_python(s, lo, hi)
    if lang == "4d":
        return _lex_4d(s, lo, hi)
    return _lex_c_like(s, lo, hi, lang)


def extract_code(s: str, lang: str, lo: int = 0, hi: int | None = None) -> Iterator[Occurrence]:
    """The REST URLs in the string literals of ``s[lo:hi]``, code in ``lang`` (one of
    :data:`LANGUAGES`); offsets index ``s``."""
    hi = len(s) if hi is None else hi
    if s.find("rest", lo, hi) < 0:
        return
    toks = _lex(s, lang, lo, hi)
    match, parent = _matching(toks)
    k = 0
    n = len(toks)
    while k < n:
        if toks[k].kind != _STR:
            k += 1
            continue
        parts, after = _chain(s, toks, k, lang, match)
        raw = "".join(
            s[toks[p].start : toks[p].end] for p in parts if isinstance(p, int)
        )
        if "rest" not in raw:
            k = after
            continue
        b = TextBuilder()
        for p in parts:
            if isinstance(p, int):
                lit = toks[p].lit
                assert lit is not None
                fmt = lang == "python" and _followed_by(s, toks, p + 1, ".", "format")
                pct = (
                    lang == "python"
                    and len(parts) == 1
                    and p + 1 < n
                    and _text(s, toks[p + 1]) == "%"
                )
                _decode(s, lit, b, format_fields=fmt, percent_fields=pct)
            else:
                a, z, display = p
                b.hole(a, z, display)
        text = b.build()
        method = None
        found = False
        for start, end, said in in_value(text.chars, 0, len(text.chars)):
            if not found:
                method = _method(s, toks, k, parent, match)
                found = True
            yield Occurrence(text, start, end, said or method)
        k = after


