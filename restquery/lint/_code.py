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

import bisect
import re
import unicodedata
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from restquery.lint._model import Occurrence
from restquery.lint._scan import Scanner
from restquery.lint._text import CodeOrigin, Hole, Text, TextBuilder
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


_LIT_KINDS = ("py", "pyraw", "pybytes", "js", "template", "java", "4d")


class _Tokens:
    """The tokens of a text, kept in arrays, a few bytes each rather than an object each (a
    big file of code has millions); indexing one gives it back as a :class:`_Tok`."""

    __slots__ = ("_lit_ends", "_lit_kinds", "_lit_starts", "_strings", "ends", "kinds", "starts")

    def __init__(self, size: int) -> None:
        code = _offsets(size)
        self.kinds = bytearray()
        self.starts = array(code)
        self.ends = array(code)
        # String literals only: their token indexes (in order), and how to decode each.
        self._strings = array(code)
        self._lit_starts = array(code)
        self._lit_ends = array(code)
        self._lit_kinds = bytearray()  # index in _LIT_KINDS, times two, plus one for an f-string

    def __len__(self) -> int:
        return len(self.kinds)

    def add(self, kind: int, start: int, end: int, lit: _Lit | None = None) -> None:
        if lit is not None:
            self._strings.append(len(self.kinds))
            self._lit_starts.append(lit.content_start)
            self._lit_ends.append(lit.content_end)
            self._lit_kinds.append(_LIT_KINDS.index(lit.kind) * 2 + lit.fstring)
        self.kinds.append(kind)
        self.starts.append(start)
        self.ends.append(end)

    def __getitem__(self, k: int) -> _Tok:
        if k < 0:
            k += len(self.kinds)
        return _Tok(self.kinds[k], self.starts[k], self.ends[k], self.lit(k))

    def lit(self, k: int) -> _Lit | None:
        """The literal of token ``k``, if it is a string."""
        if self.kinds[k] != _STR:
            return None
        n = bisect.bisect_left(self._strings, k)
        code = self._lit_kinds[n]
        return _Lit(_LIT_KINDS[code >> 1], self._lit_starts[n], self._lit_ends[n], bool(code & 1))


def _offsets(size: int) -> str:
    """The array type code that holds offsets into a text of ``size`` characters."""
    return "i" if size < 1 << 31 else "q"


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


_PY_PREFIXES = frozenset({"", "r", "u", "f", "b", "fr", "rf", "br", "rb"})
_IDENTIFIER = re.compile(r"\w+")


def _lex_python(s: str, lo: int, hi: int) -> _Tokens:
    toks = _Tokens(len(s))
    scanner = Scanner(s, lo, hi)
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
                w = _IDENTIFIER.match(s, i, hi)
                assert w is not None
                toks.add(_WORD, i, w.end())
                i = w.end()
                continue
            q = m.group("q")
            cs = m.end()
            end = scanner.string_end(cs, q, one_line=len(q) == 1)
            if end is None:
                i = cs  # an unclosed quote: skip it and go on
                continue
            kind_ = "pyraw" if "r" in prefix else ("pybytes" if "b" in prefix else "py")
            toks.add(_STR, i, end, _Lit(kind_, cs, end - len(q), "f" in prefix))
            i = end
            continue
        if kind == "word":
            toks.add(_WORD, i, m.end())
        elif kind == "open":
            depth += 1
            toks.add(_OPEN, i, m.end())
        elif kind == "close":
            depth = max(depth - 1, 0)
            toks.add(_CLOSE, i, m.end())
        elif kind == "nl":
            if depth == 0:
                toks.add(_NL, i, m.end())
        elif kind == "op":
            toks.add(_OP, i, m.end())
        i = m.end()
    return toks


def _lex_c_like(s: str, lo: int, hi: int, lang: str) -> _Tokens:
    """JavaScript/TypeScript and Java (``lang`` ``"js"`` or ``"java"``)."""
    toks = _Tokens(len(s))
    scanner = Scanner(s, lo, hi)
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
                end = scanner.template_end(i + 1)
                if end is None:
                    i += 1
                    continue
                toks.add(_STR, i, end, _Lit("template", i + 1, end - 1))
                i = end
                continue
            if q == "`":
                toks.add(_OP, i, i + 1)
                i += 1
                continue
            if lang == "java" and s.startswith('"""', i):
                block = scanner.text_block_end(i)
                if block is None:
                    i += 3
                    continue
                end = block
                cs = s.find("\n", i + 3, end)
                cs = cs + 1 if cs >= 0 else i + 3
                toks.add(_STR, i, end + 3, _Lit("java", cs, end))
                i = end + 3
                continue
            end = scanner.string_end(i + 1, q)
            if end is None:
                i += 1
                continue
            toks.add(_STR, i, end, _Lit(lang, i + 1, end - 1))
            i = end
            continue
        if kind == "op" and js and s[i] == "/" and _regex_allowed(s, toks):
            r = scanner.regex_end(i)
            if r is not None:
                toks.add(_WORD, i, r)
                i = r
                continue
        if kind == "word":
            toks.add(_WORD, i, m.end())
        elif kind == "open":
            toks.add(_OPEN, i, m.end())
        elif kind == "close":
            toks.add(_CLOSE, i, m.end())
        elif kind == "op":
            toks.add(_OP, i, m.end())
        i = m.end()
    return toks


def _regex_allowed(s: str, toks: _Tokens) -> bool:
    if not toks:
        return True
    last = toks[-1]
    if last.kind == _WORD:
        return s[last.start : last.end] in _JS_KEYWORDS_BEFORE_EXPR
    return last.kind in (_OP, _OPEN)


_4D_KINDS = {"word": _WORD, "open": _OPEN, "close": _CLOSE, "op": _OP, "nl": _NL}


def _lex_4d(s: str, lo: int, hi: int) -> _Tokens:
    toks = _Tokens(len(s))
    scanner = Scanner(s, lo, hi)
    i = lo
    match = _4D_TOKEN.match
    while i < hi:
        m = match(s, i, hi)
        if m is None:  # pragma: no cover
            break
        kind = m.lastgroup
        if kind == "str":
            end = scanner.string_end(i + 1, '"')
            if end is None:
                i += 1
                continue
            toks.add(_STR, i, end, _Lit("4d", i + 1, end - 1))
            i = end
            continue
        k = _4D_KINDS.get(kind or "")
        if k is not None:
            toks.add(k, i, m.end())
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
    scanner = Scanner(s, i, end) if kind == "template" or lit.fstring else None
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
                assert scanner is not None
                close = scanner.field_end(j + 2)
                if close is None:
                    b.run(s[j:end], j)
                    return
                b.hole(j, close + 1, s[j : close + 1], "field")
                i = close + 1
            else:
                b.run("$", j)
                i = j + 1
        elif c in "{}":
            if s.startswith(c * 2, j):
                b.char(c, j, j + 2)
                i = j + 2
            elif c == "{":
                if scanner is not None and lit.fstring:
                    close = scanner.field_end(j + 1)
                else:
                    close = s.find("}", j, end)
                if close is None or close < 0:
                    b.run(s[j:end], j)
                    return
                b.hole(j, close + 1, s[j : close + 1], "field" if lit.fstring else "format")
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
                b.hole(j, f.end(), f.group(), "percent")
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


def _matching(toks: _Tokens) -> tuple[array[int], array[int]]:
    """``(match, parent)``: the index of each bracket's partner (-1 when unmatched or not a
    bracket), and the innermost open bracket around each token (-1 at the top level)."""
    n = len(toks)
    code = _offsets(n)
    match = array(code, [-1]) * n
    parent = array(code, [-1]) * n
    stack: list[int] = []
    for k, kind in enumerate(toks.kinds):
        if stack:
            parent[k] = stack[-1]
        if kind == _OPEN:
            stack.append(k)
        elif kind == _CLOSE and stack:
            o = stack.pop()
            match[o] = k
            match[k] = o
    return match, parent


def _text(s: str, toks: _Tokens, k: int) -> str:
    return s[toks.starts[k] : toks.ends[k]]


def _operand_end(s: str, toks: _Tokens, j: int, match: array[int]) -> int:
    """The index after the operand starting at token ``j`` (``j`` itself if there is none):
    it runs to a top-level ``,;+:?=&|<>``, a closing bracket, a significant line break or a
    string literal that no operator joins."""
    k = j
    n = len(toks)
    kinds = toks.kinds
    while k < n:
        kind = kinds[k]
        if kind in (_CLOSE, _NL) or (kind == _STR and k > j):
            break
        if kind == _OP and s[toks.starts[k]] in _OPERAND_END:
            break
        if kind == _OPEN:
            close = match[k]
            if close < 0:
                break
            k = close + 1
            continue
        k += 1
    return k


_Part = int | tuple[int, int, str]  # a string token's index, or a hole (start, end, display)


def _chain(
    s: str, toks: _Tokens, k: int, lang: str, match: array[int]
) -> tuple[list[_Part], int]:
    """The literals and holes concatenated from string token ``k`` on, and the index after."""
    parts: list[_Part] = [k]
    j = k + 1
    n = len(toks)
    kinds = toks.kinds
    while j < n:
        kind = kinds[j]
        if kind == _STR and lang == "python":
            parts.append(j)
            j += 1
            continue
        at = toks.starts[j]
        if kind == _OP and s[at] == "+" and not s.startswith(("++", "+="), at):
            if j + 1 < n and toks.kinds[j + 1] == _STR:
                parts.append(j + 1)
                j += 2
                continue
            end = _operand_end(s, toks, j + 1, match)
            if end == j + 1:
                break
            a, z = toks.starts[j + 1], toks.ends[end - 1]
            expr = " ".join(s[a:z].split())
            if len(expr) > 40:
                expr = expr[:39] + "…"
            parts.append((a, z, "{" + expr + "}"))
            j = end
            continue
        break
    return parts, j


def _followed_by(s: str, toks: _Tokens, j: int, *texts: str) -> bool:
    return all(
        j + i < len(toks) and _text(s, toks, j + i) == t for i, t in enumerate(texts)
    )


def _method(
    s: str, toks: _Tokens, k: int, parent: array[int], match: array[int],
    groups: dict[int, tuple[str | None, str | None]],
) -> str | None:
    """The HTTP method the call around string token ``k`` says, if any. ``groups`` keeps what
    each bracket group says, read once however many URLs it holds."""
    o = parent[k]
    if o < 0:
        return None
    said = groups.get(o)
    if said is None:
        said = groups[o] = _group_method(s, toks, o, match)
    method, first_word = said
    return method or (first_word if o + 1 != k else None)


def _group_method(
    s: str, toks: _Tokens, o: int, match: array[int]
) -> tuple[str | None, str | None]:
    """What the group opened by token ``o`` says: the method of its callee or of a ``method``
    key, and the method literal that is its first argument."""
    close = match[o]
    lo = toks.ends[o]
    hi = min(toks.starts[close] if close >= 0 else len(s), lo + _GROUP_LIMIT)
    if s[toks.starts[o]] == "(" and o > 0 and toks.kinds[o - 1] == _WORD:
        callee = _text(s, toks, o - 1).upper()
        if callee in HTTP_METHODS and o > 1 and _text(s, toks, o - 2) == ".":
            return callee, None
    m = _METHOD_KEY.search(s, lo, hi)
    if m and m.group(1).upper() in HTTP_METHODS:
        return m.group(1).upper(), None
    m = _4D_METHOD.search(s, lo, hi)
    if m:
        return m.group(1).upper(), None
    first = o + 1
    if (
        first < len(toks)
        and toks.kinds[first] == _STR
        and first + 1 < len(toks)
        and _text(s, toks, first + 1) in (",", ";")
    ):
        lit = toks.lit(first)
        assert lit is not None
        if lit.content_end - lit.content_start <= 7:
            word = s[lit.content_start : lit.content_end].upper()
            if word in HTTP_METHODS:
                return None, word
    return None, None


def decode_literal(s: str, start: int, end: int, kind: str) -> Text:
    """The decoded content ``s[start:end]`` of a string literal of ``kind`` (``"py"``,
    ``"js"``, ``"java"``, ``"4d"``, ``"json"``), each character mapped to its escape."""
    b = TextBuilder()
    _decode(s, _Lit(kind, start, end), b)
    return b.build()


def _lex(s: str, lang: str, lo: int, hi: int) -> _Tokens:
    if lang == "python":
        return _lex_python(s, lo, hi)
    if lang == "4d":
        return _lex_4d(s, lo, hi)
    return _lex_c_like(s, lo, hi, lang)


def _field_code(hole: Hole) -> tuple[int, int] | None:
    """The code inside a literal's field (``${...}``, an f-string's ``{...}``) when it may hold
    literals; ``None`` for an operand (scanned by the caller) or a ``%s`` field."""
    shown = hole.display
    if shown.startswith("${"):
        return hole.start + 2, hole.end - 1
    if shown.startswith("{") and any(q in shown for q in "'\"`"):
        return hole.start + 1, hole.end - 1
    return None


#: How deep literals inside the code of other literals are scanned (`` `${a ? `/rest/A` : b}` ``
#: is one level): each level lexes its code once more, so the bound keeps the time linear.
MAX_NESTED_CODE = 3


def extract_code(
    s: str, lang: str, lo: int = 0, hi: int | None = None, *, _level: int = 0
) -> Iterator[Occurrence]:
    """The REST URLs in the string literals of ``s[lo:hi]``, code in ``lang`` (one of
    :data:`LANGUAGES`), and in the literals inside their code (a template literal's
    ``${...}``, an f-string's ``{...}``, an operand concatenated to them), up to
    :data:`MAX_NESTED_CODE` levels deep; offsets index ``s``."""
    hi = len(s) if hi is None else hi
    nested = _level < MAX_NESTED_CODE
    if s.find("rest", lo, hi) < 0:
        return
    toks = _lex(s, lang, lo, hi)
    match, parent = _matching(toks)
    groups: dict[int, tuple[str | None, str | None]] = {}
    k = 0
    n = len(toks)
    kinds = toks.kinds
    while k < n:
        if kinds[k] != _STR:
            k = kinds.find(_STR, k + 1)
            if k < 0:
                break
            continue
        parts, after = _chain(s, toks, k, lang, match)
        raw = "".join(
            s[toks.starts[p] : toks.ends[p]] for p in parts if isinstance(p, int)
        )
        # Code in an operand that is not a literal (`"/rest/" + (a ? "A" : "B")`) holds
        # literals of its own, and so do a template literal's `${...}`: scanned on their own.
        inner = [(p[0], p[1]) for p in parts if not isinstance(p, int)] if nested else []
        if "rest" not in raw:
            for a, z in inner:
                yield from extract_code(s, lang, a, z, _level=_level + 1)
            k = after
            continue
        b = TextBuilder()
        for p in parts:
            if isinstance(p, int):
                lit = toks.lit(p)
                assert lit is not None
                fmt = lang == "python" and _followed_by(s, toks, p + 1, ".", "format")
                pct = (
                    lang == "python"
                    and len(parts) == 1
                    and p + 1 < n
                    and _text(s, toks, p + 1) == "%"
                )
                _decode(s, lit, b, format_fields=fmt, percent_fields=pct)
            else:
                a, z, display = p
                b.hole(a, z, display)
        text = b.build()
        last = parts[-1]
        text.origin = CodeOrigin(
            lang, toks.starts[k], toks.ends[last] if isinstance(last, int) else last[1], s
        )
        if nested:
            operands = set(inner)
            for hole in text.holes.values():
                field = None if (hole.start, hole.end) in operands else _field_code(hole)
                if field is not None:
                    inner.append(field)
            inner.sort()
        method = None
        found = False
        for start, end, said in in_value(text.chars, 0, len(text.chars)):
            if not found:
                method = _method(s, toks, k, parent, match, groups)
                found = True
            yield Occurrence(text, start, end, said or method)
        for a, z in inner:
            yield from extract_code(s, lang, a, z, _level=_level + 1)
        k = after


