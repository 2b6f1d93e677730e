"""Plain-text frames for located errors: the URL, carets under the span, the message, the hint.

One renderer draws every located finding (syntax errors with :func:`render_error`, checker
diagnostics with :func:`render_diagnostic`), so the frame looks the same wherever it is printed:

>>> print(render_error("/rest/Employee?$filter=\\"salary>\\"", (30, 31), "RQ004",
...                    "The comparison has no value after `>`.", "write a value after `>`"))
  /rest/Employee?$filter="salary>"
                                ^
RQ004 error: The comparison has no value after `>`.
  hint: write a value after `>`

Spans index the URL exactly as the user gave it. Characters that a terminal would not draw in
one column of their own (tab, NUL, other control and format characters) are shown escaped
(``\\t``, ``\\x00``, ``\\u200b``) and the carets follow the escaped spelling, so they stay under
the characters they point at. East Asian wide characters count two columns, combining marks
none. Colour (ANSI escapes) is added only when ``color=True``; the CLI decides when.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time

if TYPE_CHECKING:
    import re

    from restquery.diagnostics import Diagnostic

__all__ = ["markdown_doc", "plain_doc", "render_diagnostic", "render_error"]

_INDENT = "  "
_ELLIPSIS = "…"

_ANSI_RESET = "\x1b[0m"
_ANSI_BOLD = "\x1b[1m"
_ANSI_CYAN = "\x1b[36m"
_ANSI_GREEN = "\x1b[32m"
_SEVERITY_COLOURS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m"}
_OTHER_COLOUR = "\x1b[1;34m"

_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\x0b": "\\v", "\x0c": "\\f"}


def _cell(ch: str) -> tuple[str, int]:
    """How one character of the URL is drawn, and how many terminal columns that takes."""
    if ch.isprintable():
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me"):
            return ch, 0
        return ch, 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    text = _NAMED_ESCAPES.get(ch)
    if text is None:
        code = ord(ch)
        text = (
            f"\\x{code:02x}"
            if code <= 0xFF
            else (f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        )
    return text, len(text)


def _escape_text(text: str) -> str:
    """Message and hint stay on one line each: control characters are written escaped."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else _cell(ch)[0] for ch in text)


def _window(widths: Sequence[int], start: int, end: int, avail: int) -> tuple[int, int]:
    """The cells ``[a, b)`` to draw: they hold the start of the span and as much context
    around it as fits in ``avail`` columns, counting one column per ``…`` at a cut edge.

    ``start == len(widths)`` (a span at the very end) draws one extra column for the caret.
    """
    n = len(widths)
    tail = 1 if start == n else 0
    a = start
    b = max(end, min(start + 1, n))
    used = sum(widths[a:b])

    def cost(a: int, b: int, used: int) -> int:
        return used + (a > 0) + (b < n) + (tail if b == n else 0)

    if cost(a, b, used) > avail:
        # A span wider than the room: keep its start and a little of what precedes it (a
        # quarter of the room at most), cut its end.
        context = min(avail // 4, sum(widths[:start]))
        while b > a + 1 and cost(a, b, used) > avail - context:
            b -= 1
            used -= widths[b]
        while a > 0 and cost(a - 1, b, used + widths[a - 1]) <= avail:
            a -= 1
            used += widths[a]
            if sum(widths[a:start]) >= context:
                break
    # Then grow one cell at a time on each side, so the span sits near the middle.
    grew = True
    while grew:
        grew = False
        if a > 0 and cost(a - 1, b, used + widths[a - 1]) <= avail:
            a -= 1
            used += widths[a]
            grew = True
        if b < n and cost(a, b + 1, used + widths[b]) <= avail:
            used += widths[b]
            b += 1
            grew = True
    return a, b


def render_error(
    url: str,
    span: Sequence[int],
    code: str,
    message: str,
    hint: str | None = None,
    *,
    severity: str = "error",
    color: bool = False,
    width: int = 100,
) -> str:
    """Draw a located finding as a few lines of text (no trailing newline).

    ``span`` is ``(start, end)``, offsets into ``url`` exactly as given; an empty span gets
    one caret, a span running past the end is clipped. ``width`` bounds the URL line (its
    two-space indent included): a longer URL is windowed around the span, with ``…`` where it
    is cut. ``severity`` (``"error"``, ``"warning"``, ...) labels the message line.

    >>> print(render_error("/rest/Company(1", (13, 14), "RQ003", "Unclosed parenthesis.", None))
      /rest/Company(1
                   ^
    RQ003 error: Unclosed parenthesis.
    """
    n = len(url)
    start = min(max(int(span[0]), 0), n)
    end = min(max(int(span[1]), start), n)

    cells = [_cell(ch) for ch in url]
    widths = [w for _, w in cells]
    avail = max(width - len(_INDENT), 8)
    a, b = _window(widths, start, end, avail)

    left = _ELLIPSIS if a > 0 else ""
    right = _ELLIPSIS if b < n else ""
    shown = "".join(text for text, _ in cells[a:b])
    lead = (1 if left else 0) + sum(widths[a:start])
    carets = max(sum(widths[start : min(end, b)]), 1)

    paint = _painter(color)
    tone = _SEVERITY_COLOURS.get(severity, _OTHER_COLOUR)
    lines = [
        f"{_INDENT}{left}{shown}{right}",
        f"{_INDENT}{' ' * lead}{paint('^' * carets, tone)}",
        f"{paint(code, _ANSI_BOLD)} {paint(severity + ':', tone)} {_escape_text(message)}",
    ]
    if hint:
        lines.append(f"{_INDENT}{paint('hint:', _ANSI_CYAN)} {_escape_text(hint)}")
    return "\n".join(lines)


def render_diagnostic(
    url: str, diagnostic: Diagnostic, *, color: bool = False, width: int = 100
) -> str:
    """Draw a checker :class:`~restquery.diagnostics.Diagnostic` of ``url`` as a frame: the
    frame of :func:`render_error`, labelled with the diagnostic's severity, and when the
    diagnostic carries a machine-applicable fix, a last line with the whole URL fixed.

    >>> import restquery
    >>> url = "/rest/Company(11)/blobAtt?$binary=true"
    >>> [d] = restquery.validate(url, select=["RQ301"])
    >>> print(render_diagnostic(url, d))
      /rest/Company(11)/blobAtt?$binary=true
                                ^^^^^^^^^^^^
    RQ301 error: `$binary=true` needs `$expand` naming the BLOB or picture attribute to download.
      hint: add &$expand=blobAtt
      fix: /rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt

    The fixed URL is printed whole, never windowed, so that it can be copied.
    """
    text = render_error(
        url,
        diagnostic.span,
        diagnostic.code,
        diagnostic.message,
        diagnostic.hint,
        severity=diagnostic.severity,
        color=color,
        width=width,
    )
    if diagnostic.fix is None:
        return text
    fixed = diagnostic.fix.apply(url)
    paint = _painter(color)
    return f"{text}\n{_INDENT}{paint('fix:', _ANSI_GREEN)} {_escape_text(fixed)}"


def _painter(color: bool) -> Callable[[str, str], str]:
    if not color:
        return lambda text, _tone: text
    return lambda text, tone: f"{tone}{text}{_ANSI_RESET}"


# --- rule documentation ------------------------------------------------------------------------

def _rst_code() -> re.Pattern[str]:
    import re

    return re.compile(r"``([^`]+)``")  # re caches compiled patterns


def markdown_doc(doc: str) -> str:
    """A rule's documentation as Markdown: the docstrings' reStructuredText ````code```` is
    Markdown's ```code```; a double-backtick span holding a backtick is Markdown already."""
    return _rst_code().sub(r"`\1`", doc)


def plain_doc(doc: str) -> str:
    """A rule's documentation as plain text, without code markup."""
    import re

    text = _rst_code().sub(r"\1", doc)
    text = re.sub(r"``(.+?)``", r"\1", text)
    return re.sub(r"`([^`]+)`", r"\1", text)
