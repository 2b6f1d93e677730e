"""REST URLs in documentation: Markdown, reStructuredText, HTML and plain text.

Running text is searched with :func:`~restquery.lint._urls.in_prose` (an HTTP method written
just before the URL, ``GET /rest/...``, or ``curl -X POST``, is the URL's method). Code blocks
tagged with a language this linter reads (```` ```js ````, ``.. code-block:: python``,
``<script>``) are read as code: their string literals, not their comments; shell blocks
(```` ```bash ````) as shell words, quotes and backslashes decoded. HTML attribute
values and text are read with entities decoded (``&amp;`` is one ``&``, mapped to all five
characters); a ``<form method="post" action="/rest/...">`` gives its method.

Markdown and reStructuredText are read verbatim: a backslash escape in Markdown prose is not
decoded, so positions are those of the characters as written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from restquery.lint._code import extract_code
from restquery.lint._model import Occurrence
from restquery.lint._scan import Scanner, next_stop
from restquery.lint._text import Text, TextBuilder
from restquery.lint._urls import HTTP_METHODS, MethodsBefore, in_prose, in_value

__all__ = ["CODE_LANGUAGES", "extract_html", "extract_markdown", "extract_rst", "extract_text"]

#: Info strings of code blocks read as code, and the lexer for each.
CODE_LANGUAGES = {
    "js": "js", "javascript": "js", "jsx": "js", "mjs": "js", "cjs": "js", "node": "js",
    "ts": "js", "typescript": "js", "tsx": "js", "vue": "js",
    "py": "python", "python": "python", "python3": "python", "py3": "python", "pycon": "python",
    "java": "java",
    "4d": "4d", "4dm": "4d", "qodly": "4d",
    "sh": "shell", "bash": "shell", "shell": "shell", "console": "shell", "zsh": "shell",
    "shell-session": "shell", "powershell": "shell", "ps1": "shell",
}


# --- shell (curl lines in docs) ---------------------------------------------------------------

# Between quoted strings: a comment, a bare word, blanks.
_SH_PLAIN = re.compile(r"(?<!\S)\#[^\n]*|[^\s'\"]+|\s+")
_SH_ESCAPABLE = frozenset('$`"\\\n')


def _shell_words(s: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """The words of shell text ``s[lo:hi]`` as ``(start, end)``: ``'...'``, ``"..."`` (a
    backslash escapes the next character), comments, bare words and blanks. A quote that never
    closes is skipped."""
    scanner = Scanner(s, lo, hi)
    single_closes = True  # False once a ' found no other after it: none later can either
    i = lo
    while i < hi:
        c = s[i]
        if c == "'":
            j = s.find("'", i + 1, hi) if single_closes else -1
            if j >= 0:
                yield i, j + 1
                i = j + 1
            else:
                single_closes = False
                i += 1
        elif c == '"':
            end = scanner.string_end(i + 1, '"', one_line=False)
            if end is not None:
                yield i, end
                i = end
            else:
                i += 1
        else:
            m = _SH_PLAIN.match(s, i, hi)
            assert m is not None  # a blank or anything else starts a match
            yield m.span()
            i = m.end()


def extract_shell(s: str, lo: int, hi: int) -> Iterator[Occurrence]:
    """Shell commands (``curl -X POST "http://.../rest/..."``): quoted words are decoded as the
    shell does (in double quotes, ``\\`` escapes only ``$ ` " \\`` and the line break), the
    method comes from ``-X``/``--request`` earlier on the line."""
    methods = MethodsBefore(s, lo)
    for a, z in _shell_words(s, lo, hi):
        if s.find("/rest/", a, z) < 0 or s[a] == "#":
            continue
        if s[a] == "'":
            text = Text(s[a + 1 : z - 1], a + 1)
        elif s[a] == '"':
            b = TextBuilder()
            i = a + 1
            while i < z - 1:
                j = s.find("\\", i, z - 1)
                if j < 0:
                    b.run(s[i : z - 1], i)
                    break
                b.run(s[i:j], i)
                if j + 1 < z - 1 and s[j + 1] in _SH_ESCAPABLE:
                    if s[j + 1] != "\n":
                        b.char(s[j + 1], j, j + 2)
                    i = j + 2
                else:
                    b.run("\\", j)
                    i = j + 1
            text = b.build()
        else:
            text = Text(s[a:z], a)
        method = methods.curl(a)
        for start, end, before in in_value(text.chars, 0, len(text.chars)):
            yield Occurrence(text, start, end, before or method)


def extract_text(s: str) -> Iterator[Occurrence]:
    """Plain text: every URL of running text."""
    if s.find("/rest/") < 0:
        return
    text = Text(s)
    for start, end, method in in_prose(s, 0, len(s)):
        yield Occurrence(text, start, end, method)


def _prose(text: Text, lo: int, hi: int) -> Iterator[Occurrence]:
    for start, end, method in in_prose(text.chars, lo, hi):
        yield Occurrence(text, start, end, method)


# --- Markdown --------------------------------------------------------------------------------

_MD_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*([^\s`{]*)", re.MULTILINE)


def extract_markdown(s: str) -> Iterator[Occurrence]:
    """Markdown: prose and untagged code blocks as running text, tagged code blocks as code."""
    if s.find("/rest/") < 0:
        return
    text = Text(s)
    pos = 0
    n = len(s)
    while pos < n:
        m = _MD_FENCE.search(s, pos)
        if m is None:
            break
        yield from _prose(text, pos, m.start())
        fence = m.group(2)
        info = m.group(3).lower()
        body = s.find("\n", m.end())
        body = n if body < 0 else body + 1
        close = re.compile(
            r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.MULTILINE
        ).search(s, body)
        body_end = close.start() if close else n
        after = n if close is None else close.end()
        lang = CODE_LANGUAGES.get(info.strip("{}."))
        if lang == "shell":
            yield from extract_shell(s, body, body_end)
        elif lang is not None:
            yield from extract_code(s, lang, body, body_end)
        else:
            yield from _prose(text, body, body_end)
        pos = after
    yield from _prose(text, pos, n)


# --- reStructuredText ------------------------------------------------------------------------

_RST_CODE = re.compile(
    r"^([ \t]*)\.\.[ \t]+(?:code-block|code|sourcecode)::[ \t]*([\w+#.-]*)[^\n]*\n", re.MULTILINE
)


def extract_rst(s: str) -> Iterator[Occurrence]:
    """reStructuredText: ``.. code-block:: LANG`` bodies as code, the rest as running text."""
    if s.find("/rest/") < 0:
        return
    text = Text(s)
    pos = 0
    n = len(s)
    while pos < n:
        m = _RST_CODE.search(s, pos)
        if m is None:
            break
        indent = len(m.group(1).expandtabs())
        # The body: the lines after the directive that are blank or indented deeper.
        end = i = m.end()
        while i < n:
            nl = s.find("\n", i)
            line_end = n if nl < 0 else nl + 1
            line = s[i:line_end]
            if line.strip():
                if len(line) - len(line.lstrip(" \t")) <= indent:
                    break
                end = line_end
            i = line_end
        lang = CODE_LANGUAGES.get(m.group(2).lower())
        yield from _prose(text, pos, m.start())
        if lang == "shell":
            yield from extract_shell(s, m.end(), end)
        elif lang is not None:
            yield from extract_code(s, lang, m.end(), end)
        else:
            yield from _prose(text, m.end(), end)
        pos = max(end, m.end())
    yield from _prose(text, pos, n)


# --- HTML ------------------------------------------------------------------------------------

_HTML_SKIP = re.compile(r"<!--.*?(?:-->|\Z)|<style\b.*?(?:</style\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_SCRIPT_OPEN = re.compile(r"<script\b", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script\s*>", re.IGNORECASE)
_TAG_OPEN = re.compile(r"<[A-Za-z][\w:-]*")
_TAG_STOPS = re.compile(r"[>\"']")
_ATTR_NAME = re.compile(r"[^\s=/>\"']+")
_HTML_ATTR = re.compile(r"([^\s=/>\"']+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+))")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?")
_JS_TYPES = ("", "text/javascript", "application/javascript", "module", "text/babel")


def _unescape(ref: str) -> str:
    """One character reference decoded as :func:`html.unescape` does, without handing it a
    decimal number too long for ``int()``: past seven digits it is beyond U+10FFFF anyway."""
    if ref[1:2] == "#" and ref[2:3] not in ("x", "X"):
        digits = ref[2:].rstrip(";").lstrip("0")
        if len(digits) > 7:
            return "\ufffd"
        ref = "&#" + (digits or "0") + ref[len(ref.rstrip(";")) :]
    return html.unescape(ref)


def _entities(s: str, lo: int, hi: int) -> Text:
    """``s[lo:hi]`` with HTML character references decoded, mapped back to ``s``."""
    if s.find("&", lo, hi) < 0:
        return Text(s[lo:hi], lo)
    b = TextBuilder()
    i = lo
    for m in _ENTITY.finditer(s, lo, hi):
        if m.start() > i:
            b.run(s[i : m.start()], i)
        decoded = _unescape(m.group())
        if decoded == m.group():
            b.run(decoded, m.start())
        else:
            b.char(decoded, m.start(), m.end())
        i = m.end()
    if i < hi:
        b.run(s[i:hi], i)
    return b.build()


def extract_html(s: str) -> Iterator[Occurrence]:
    """HTML: scripts as JavaScript, attribute values as values, text as running text."""
    if s.find("rest") < 0:
        return
    # Mask comments and styles (same length, so offsets hold).
    masked = _HTML_SKIP.sub(lambda m: " " * len(m.group()), s)
    tags = _Tags(masked)
    found: list[Occurrence] = []
    pos = 0
    while True:
        sm = _SCRIPT_OPEN.search(masked, pos)
        if sm is None:
            break
        gt = masked.find(">", sm.end())
        if gt < 0:
            break  # no `>` left: no later <script can open either
        close = _SCRIPT_CLOSE.search(masked, gt + 1)
        body_end = close.start() if close else len(masked)
        found.extend(_html_markup(s, masked, tags, pos, sm.start()))
        attrs = {k.lower(): v for k, v in _attrs(masked, sm.end(), gt)}
        if attrs.get("type", "").lower() in _JS_TYPES and "src" not in attrs:
            found.extend(extract_code(s, "js", gt + 1, body_end))
        found.extend(_html_markup(s, masked, tags, sm.start(), gt + 1))
        pos = close.end() if close else len(masked)
    found.extend(_html_markup(s, masked, tags, pos, len(s)))
    found.sort(key=lambda o: o.text.src_start(o.start))
    yield from found


class _Tags:
    """Finds tags (``<name``, then text and quoted strings, then ``>``) in masked HTML.

    A tag that never ends is not looked for again from the text its scan read: the positions
    its scan visited outside quotes all lead to the same failure, and a quote whose closing
    quote was missing has none later either."""

    __slots__ = ("_dead", "_unclosed", "s")

    def __init__(self, s: str) -> None:
        self.s = s
        self._dead: bytearray | None = None
        # quote -> (a, b): the quote does not occur in (a, b)
        self._unclosed: dict[str, tuple[int, int]] = {}

    def find(self, lo: int, hi: int) -> Iterator[tuple[int, int, int]]:
        """``(tag start, attributes start, index of its '>')`` for each tag in ``[lo, hi)``."""
        pos = lo
        while True:
            m = _TAG_OPEN.search(self.s, pos, hi)
            if m is None:
                return
            end, failed_at = self._walk(m.end(), hi)
            if end is None:
                self._walk(m.end(), hi, mark_until=failed_at)
                pos = m.start() + 1
                continue
            yield m.start(), m.end(), end
            pos = end + 1

    def _walk(self, p: int, hi: int, mark_until: int | None = None) -> tuple[int | None, int]:
        """Follow a tag from ``p``: ``(index of its '>', _)``, or ``(None, where it failed)``,
        stopping early at a position known to fail. With ``mark_until``, walk the same path
        again and record each position visited up to there as failing."""
        s = self.s
        if mark_until is not None and self._dead is None:
            self._dead = bytearray(len(s) + 1)
        dead = self._dead
        while True:
            if mark_until is not None:
                assert dead is not None
                bound = min(mark_until, hi - 1)  # never past the range: another has its own
                k, _ = next_stop(_TAG_STOPS, s, p, bound + 1)
                last = min(k, bound)  # every position of [p, last] is visited
                dead[p : last + 1] = b"\x01" * (last + 1 - p)
                if last == bound:
                    return None, last
            else:
                k, joined = next_stop(_TAG_STOPS, s, p, hi, dead)
                if joined:  # joined a path that failed: fail where it was joined
                    return None, k
            if k >= hi:
                return None, hi
            c = s[k]
            if c == ">":
                return k, k
            after, until = self._unclosed.get(c, (hi, hi))
            close = -1 if after <= k and hi <= until else s.find(c, k + 1, hi)
            if close < 0:
                self._unclosed[c] = (k, hi)
                return None, k
            p = close + 1


def _attrs(s: str, lo: int, hi: int) -> Iterator[tuple[str, str]]:
    for m in _attr_matches(s, lo, hi):
        yield m.group(1), next(g for g in m.groups()[1:] if g is not None)


def _attr_matches(s: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """The ``name=value`` pairs of ``s[lo:hi]``. An attempt is made at the start of each run of
    name characters only: one that fails there fails from inside the run too."""
    p = lo
    while True:
        n = _ATTR_NAME.search(s, p, hi)
        if n is None:
            return
        m = _HTML_ATTR.match(s, n.start(), hi)
        if m is None:
            p = n.end()
            continue
        yield m
        p = m.end()


def _html_markup(s: str, masked: str, tags: _Tags, lo: int, hi: int) -> Iterator[Occurrence]:
    pos = lo
    for tag, body, close in tags.find(lo, hi):
        yield from _html_text(s, masked, pos, tag)
        pos = close + 1
        if masked.find("rest", body, close) < 0:
            continue
        method = None
        attrs = list(_attr_matches(masked, body, close))
        for a in attrs:
            if a.group(1).lower() in ("method", "data-method", "formmethod"):
                value = next(g for g in a.groups()[1:] if g is not None).upper()
                method = value if value in HTTP_METHODS else None
        for a in attrs:
            k = next(i for i in (2, 3, 4) if a.group(i) is not None)
            if s.find("/rest/", a.start(k), a.end(k)) < 0 and s.find("&", a.start(k), a.end(k)) < 0:
                continue
            text = _entities(s, a.start(k), a.end(k))
            for start, end, said in in_value(text.chars, 0, len(text.chars)):
                yield Occurrence(text, start, end, said or method)
    yield from _html_text(s, masked, pos, hi)


def _html_text(s: str, masked: str, lo: int, hi: int) -> Iterator[Occurrence]:
    if hi <= lo or masked.find("/rest/", lo, hi) < 0:
        return
    text = _entities(masked, lo, hi)
    for start, end, method in in_prose(text.chars, 0, len(text.chars)):
        yield Occurrence(text, start, end, method)
