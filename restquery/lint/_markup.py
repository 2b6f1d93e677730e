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
from restquery.lint._text import Text, TextBuilder
from restquery.lint._urls import HTTP_METHODS, in_prose, in_value

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

_SH_TOKEN = re.compile(r"""'[^']*'|"(?:[^"\\]|\\.)*"|(?<!\S)\#[^\n]*|[^\s'"]+|\s+""", re.DOTALL)
_SH_ESCAPABLE = frozenset('$`"\\\n')
_CURL_METHOD = re.compile(r"(?:-X|--request)[ \t=]*[\"']?([A-Za-z]+)")


def extract_shell(s: str, lo: int, hi: int) -> Iterator[Occurrence]:
    """Shell commands (``curl -X POST "http://.../rest/..."``): quoted words are decoded as the
    shell does (in double quotes, ``\\`` escapes only ``$ ` " \\`` and the line break), the
    method comes from ``-X``/``--request`` earlier on the line."""
    for m in _SH_TOKEN.finditer(s, lo, hi):
        word = m.group()
        if "/rest/" not in word or word.startswith("#"):
            continue
        a, z = m.span()
        if word[0] == "'":
            text = Text(s[a + 1 : z - 1], a + 1)
        elif word[0] == '"':
            b = TextBuilder()
            i = a + 1
            while i < z - 1:
                c = s[i]
                if c == "\\" and i + 1 < z - 1 and s[i + 1] in _SH_ESCAPABLE:
                    if s[i + 1] != "\n":
                        b.char(s[i + 1], i, i + 2)
                    i += 2
                else:
                    b.run(c, i)
                    i += 1
            text = b.build()
        else:
            text = Text(word, a)
        line_start = s.rfind("\n", lo, a) + 1
        said = _CURL_METHOD.search(s, max(line_start, lo), a)
        method = said.group(1).upper() if said and said.group(1).upper() in HTTP_METHODS else None
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
_HTML_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)(?:</script\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_HTML_TAG = re.compile(r"<([A-Za-z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_HTML_ATTR = re.compile(r"([^\s=/>\"']+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+))")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?")
_JS_TYPES = ("", "text/javascript", "application/javascript", "module", "text/babel")


def _entities(s: str, lo: int, hi: int) -> Text:
    """``s[lo:hi]`` with HTML character references decoded, mapped back to ``s``."""
    if s.find("&", lo, hi) < 0:
        return Text(s[lo:hi], lo)
    b = TextBuilder()
    i = lo
    for m in _ENTITY.finditer(s, lo, hi):
        if m.start() > i:
            b.run(s[i : m.start()], i)
        decoded = html.unescape(m.group())
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
    found: list[Occurrence] = []
    pos = 0
    for sm in _HTML_SCRIPT.finditer(masked):
        found.extend(_html_markup(s, masked, pos, sm.start()))
        attrs = {k.lower(): v for k, v in _attrs(sm.group(1))}
        if attrs.get("type", "").lower() in _JS_TYPES and "src" not in attrs:
            found.extend(extract_code(s, "js", sm.start(2), sm.end(2)))
        found.extend(_html_markup(s, masked, sm.start(), sm.start(2)))
        pos = sm.end()
    found.extend(_html_markup(s, masked, pos, len(s)))
    found.sort(key=lambda o: o.text.src_start(o.start))
    yield from found


def _attrs(text: str) -> Iterator[tuple[str, str]]:
    for m in _HTML_ATTR.finditer(text):
        yield m.group(1), next(g for g in m.groups()[1:] if g is not None)


def _html_markup(s: str, masked: str, lo: int, hi: int) -> Iterator[Occurrence]:
    pos = lo
    for tag in _HTML_TAG.finditer(masked, lo, hi):
        yield from _html_text(s, masked, pos, tag.start())
        pos = tag.end()
        body = tag.group(2)
        if "rest" not in body:
            continue
        method = None
        attrs = list(_HTML_ATTR.finditer(masked, tag.start(2), tag.end(2)))
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
