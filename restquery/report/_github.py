"""``--format github``: GitHub Actions workflow commands, then the summary line."""

from __future__ import annotations

import re

from restquery.render import _escape_text
from restquery.report._base import Reporter
from restquery.report._model import FileResult

__all__ = ["FILES", "URLS"]

_LINE_BREAK = re.compile("(\r\n|\r|\n)")


def _gh_data(text: str) -> str:
    # Line breaks are the command's to encode; any other control character is shown escaped.
    lines = _LINE_BREAK.split(text)
    text = "".join(part if n % 2 else _escape_text(part) for n, part in enumerate(lines))
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(_escape_text(text)).replace(":", "%3A").replace(",", "%2C")


class FilesGithub(Reporter):
    """An annotation per finding, at its place in the file (``lint``)."""

    def write(self, result: FileResult, first: bool) -> None:
        for f in result.findings:
            d = f.diagnostic
            props = []
            if f.path:
                props += [f"file={_gh_property(f.path)}", f"line={f.line}"]
                if f.end_line != f.line:
                    props.append(f"endLine={f.end_line}")
                props += [f"col={f.column}", f"endColumn={f.end_column}"]
            props.append(f"title={d.code}")
            text = d.message if not d.hint else f"{d.message}\nhint: {d.hint}"
            self.out.write(f"::{d.severity} {','.join(props)}::{_gh_data(text)}\n")
        for e in result.errors:
            where = f"file={_gh_property(result.path)}," if result.path else ""
            self.out.write(f"::error {where}title=restquery::{_gh_data(e)}\n")

    def finish(self) -> None:
        if not self.quiet:
            self.out.write(self.summary.line() + "\n")


class UrlsGithub(FilesGithub):
    """The same annotations (``check``: placed in the file a URL came from, if any)."""

    def finish(self) -> None:
        if not self.quiet:
            self.out.write(self.summary.url_line() + "\n")


FILES = FilesGithub
URLS = UrlsGithub
