"""``--format json-lines``: one JSON object per line, written as found (for ``jq``, log
pipelines and other streaming readers): a finding is the ``json`` format's finding object with
``"type": "finding"``; a problem is ``{"type": "problem", "path", "message"}``; the last line
is ``{"type": "summary", ...counts}``. ``check`` writes a ``"type": "url"`` object per URL,
as its ``json`` format does."""

from __future__ import annotations

from restquery.report._base import Reporter
from restquery.report._json import dumps
from restquery.report._model import FileResult, diagnostic_json

__all__ = ["FILES", "URLS"]


class FilesJsonLines(Reporter):
    def write(self, result: FileResult, first: bool) -> None:
        out = self.out
        for f in result.findings:
            out.write(dumps({"type": "finding", **f.to_dict()}) + "\n")
        for e in result.errors:
            out.write(dumps({"type": "problem", "path": result.path, "message": e}) + "\n")

    def finish(self) -> None:
        self.out.write(dumps({"type": "summary", **self.summary.to_dict()}) + "\n")


class UrlsJsonLines(FilesJsonLines):
    def write(self, result: FileResult, first: bool) -> None:
        if result.errors:
            for e in result.errors:
                self.out.write(dumps({"type": "problem", "path": result.path, "message": e}) + "\n")
            return
        record = {
            "type": "url",
            "url": result.url,
            "method": result.method,
            "ok": not any(f.severity in self.failing for f in result.findings),
            "diagnostics": [diagnostic_json(f.diagnostic) for f in result.findings],
        }
        self.out.write(dumps(record) + "\n")


FILES = FilesJsonLines
URLS = UrlsJsonLines
