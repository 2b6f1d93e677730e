"""``--format json``: ``lint`` writes one document of findings, ``check`` one array of URLs."""

from __future__ import annotations

import json
import re

from restquery.report._base import Reporter
from restquery.report._model import FileResult, diagnostic_json

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TextIO

__all__ = ["FILES", "URLS", "dumps", "indented"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(obj: Any, **kw: Any) -> str:
    """JSON text, non-ASCII characters as themselves unless the text holds lone surrogates (a
    file name's undecodable bytes), which no UTF-8 output can write: then escaped."""
    text = json.dumps(obj, ensure_ascii=False, **kw)
    return json.dumps(obj, ensure_ascii=True, **kw) if _SURROGATE.search(text) else text


def indented(obj: Any, indent: int) -> str:
    text = dumps(obj, indent=2)
    pad = " " * indent
    return "\n".join(pad + line for line in text.split("\n"))


class FilesJson(Reporter):
    """``{"findings": [...], "problems": [...], "summary": {...}}``, findings streamed."""

    def __init__(self, out: TextIO, **kw: Any) -> None:
        super().__init__(out, **kw)
        self._count = 0
        self._problems: list[dict[str, str]] = []

    def start(self, rules: list[Any]) -> None:
        self.out.write('{\n  "findings": [')

    def write(self, result: FileResult, first: bool) -> None:
        for f in result.findings:
            self.out.write(("," if self._count else "") + "\n" + indented(f.to_dict(), 4))
            self._count += 1
        for e in result.errors:
            self._problems.append({"path": result.path, "message": e})

    def finish(self) -> None:
        out = self.out
        out.write("\n  ],\n" if self._count else "],\n")
        out.write('  "problems": ' + dumps(self._problems) + ",\n")
        out.write('  "summary": ' + json.dumps(self.summary.to_dict()) + "\n}\n")


class UrlsJson(Reporter):
    """``[{"url", "method", "ok", "diagnostics": [...]}, ...]`` in the order of the URLs; a URL
    a rule failed on is left out (the command says so on standard error)."""

    def __init__(self, out: TextIO, **kw: Any) -> None:
        super().__init__(out, **kw)
        self._count = 0

    def start(self, rules: list[Any]) -> None:
        self.out.write("[")

    def write(self, result: FileResult, first: bool) -> None:
        if result.errors:
            return
        failing = self.failing
        record = {
            "url": result.url,
            "method": result.method,
            "ok": not any(f.severity in failing for f in result.findings),
            "diagnostics": [diagnostic_json(f.diagnostic) for f in result.findings],
        }
        self.out.write(("," if self._count else "") + "\n" + indented(record, 2))
        self._count += 1

    def finish(self) -> None:
        self.out.write("\n]\n" if self._count else "]\n")


FILES = FilesJson
URLS = UrlsJson
