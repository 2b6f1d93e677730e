"""``--format concise``: one line per finding, ``path:line:col: CODE message`` (as ruff and
flake8 write them), one per problem, then the summary line."""

from __future__ import annotations

from restquery.render import _escape_text
from restquery.report._base import Reporter
from restquery.report._model import FileResult

__all__ = ["FILES", "URLS"]


class FilesConcise(Reporter):
    """``lint``: each finding at its place in the file."""

    def write(self, result: FileResult, first: bool) -> None:
        out = self.out
        for f in result.findings:
            d = f.diagnostic
            where = f"{_escape_text(f.path)}:{f.line}:{f.column}" if f.path else _escape_text(f.url)
            out.write(f"{where}: {d.code} {_escape_text(d.message)}\n")
        for e in result.errors:
            where = f"{_escape_text(result.path)}: " if result.path else ""
            out.write(f"{where}error: {_escape_text(e)}\n")

    def finish(self) -> None:
        if not self.quiet:
            self.out.write(self.summary.line() + "\n")


class UrlsConcise(FilesConcise):
    """``check``: a URL of the command line is named by itself and the column of the span."""

    def write(self, result: FileResult, first: bool) -> None:
        out = self.out
        for f in result.findings:
            d = f.diagnostic
            if f.path:
                where = f"{_escape_text(f.path)}:{f.line}:{f.column}"
            else:
                where = f"{_escape_text(f.url)}:{d.span.start + 1}"
            out.write(f"{where}: {d.code} {_escape_text(d.message)}\n")
        for e in result.errors:
            out.write(f"error: {_escape_text(e)}\n")

    def finish(self) -> None:
        if not self.quiet:
            self.out.write(self.summary.url_line() + "\n")


FILES = FilesConcise
URLS = UrlsConcise
