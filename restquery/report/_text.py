"""``--format text``: positions, then each URL drawn with carets under the span."""

from __future__ import annotations

from restquery.render import _escape_text, render_diagnostic
from restquery.report._base import Reporter
from restquery.report._model import FileResult

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TextIO

__all__ = ["FILES", "URLS"]

_BOLD = "\x1b[1m"
_UNDERLINE = "\x1b[1;4m"
#: A URL longer than this is cut around its span before it is drawn: the frame shows one line
#: of it anyway, and drawing costs what is handed over. Its fix line is left out.
_FRAME_CHARS = 8192


def _framed(url: str, diagnostic: Any, width: int) -> tuple[str, Any]:
    """``url`` and ``diagnostic`` as drawn: a very long URL is cut to the part around the span,
    a ``…`` where it is cut, the span moved to match."""
    n = len(url)
    if n <= _FRAME_CHARS:
        return url, diagnostic
    import dataclasses

    start = min(max(diagnostic.span.start, 0), n)
    end = min(max(diagnostic.span.end, start), n)
    a = max(0, start - 2 * width)
    b = min(n, start + 4 * width)
    shown = ("…" if a > 0 else "") + url[a:b] + ("…" if b < n else "")
    shift = a - (1 if a > 0 else 0)
    span = type(diagnostic.span)(start - shift, min(end, b) - shift)
    return shown, dataclasses.replace(diagnostic, span=span, fix=None)


class _Text(Reporter):
    def __init__(self, out: TextIO, **kw: Any) -> None:
        super().__init__(out, **kw)
        self._wrote = False

    def _paint(self, text: str, tone: str) -> str:
        return f"{tone}{text}\x1b[0m" if self.color else text

    def _frame(self, url: str, diagnostic: Any, width: int) -> str:
        url, diagnostic = _framed(url, diagnostic, width)
        return render_diagnostic(url, diagnostic, color=self.color, width=width)


class FilesText(_Text):
    """``lint``: findings grouped under their file's name, each with its ``file:line:col``."""

    def write(self, result: FileResult, first: bool) -> None:
        if not result.findings:
            return
        out = self.out
        path = _escape_text(result.path)
        if first:
            if self._wrote:
                out.write("\n")
            out.write(self._paint(path, _UNDERLINE) + "\n")
        for f in result.findings:
            where = f"{path}:{f.line}:{f.column}"
            method = f" ({f.method})" if f.method else ""
            out.write(f"  {self._paint(where, _BOLD)}{method}\n")
            for line in self._frame(f.url, f.diagnostic, self.width - 2).split("\n"):
                out.write(f"  {line}\n")
            if f.source_fix is not None and f.diagnostic.fix is None and len(f.source_fix.edits) == 1:
                # the code that replaces the string expression (a URL fix is drawn with the URL)
                fix = self._paint("fix:", "\x1b[32m")
                out.write(f"    {fix} {_escape_text(f.source_fix.edits[0].text)}\n")
        self._wrote = True

    def finish(self) -> None:
        if self._wrote and not self.quiet:
            self.out.write("\n")
        if not self.quiet:
            self.out.write(self.summary.line() + "\n")


class UrlsText(_Text):
    """``check``: each URL with findings (its ``file:line`` when it came from a file), clean
    ones too when verbose, then ``N URLs checked: …``."""

    def write(self, result: FileResult, first: bool) -> None:
        out = self.out
        url = result.url or ""
        method = result.method
        if not result.findings:
            if self.verbose and not result.errors:
                out.write(f"ok  {method + ' ' if method else ''}{_escape_text(url)}\n")
            return
        if result.path:
            line = result.findings[0].url_line
            out.write(f"{_escape_text(result.path)}:{line}{' (' + method + ')' if method else ''}\n")
        for f in result.findings:
            out.write(self._frame(url, f.diagnostic, self.width) + "\n")
        out.write("\n")

    def finish(self) -> None:
        if not self.quiet:
            self.out.write(self.summary.url_line() + "\n")


FILES = FilesText
URLS = UrlsText
