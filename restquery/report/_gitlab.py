"""``--format gitlab``: a GitLab code quality report (``artifacts: reports: codequality``), a
JSON array of CodeClimate-style issues, each with ``description``, ``check_name``,
``fingerprint`` (stable when lines move: :class:`~restquery.report._base.Fingerprints`),
``severity`` and ``location`` (``path``, ``lines.begin``), streamed. Errors are ``major``,
warnings ``minor``; a file that cannot be read is a ``blocker`` issue of its own, so that the
merge request shows it."""

from __future__ import annotations

import hashlib

from restquery.report._base import Fingerprints, Reporter
from restquery.report._json import indented
from restquery.report._model import FileResult

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TextIO

__all__ = ["FILES", "SEVERITIES", "URLS"]

#: restquery severity -> GitLab's
SEVERITIES = {"error": "major", "warning": "minor"}


class FilesGitlab(Reporter):
    def __init__(self, out: TextIO, **kw: Any) -> None:
        super().__init__(out, **kw)
        self._count = 0
        self._prints = Fingerprints()

    def start(self, rules: list[Any]) -> None:
        self.out.write("[")

    def _issue(self, issue: dict[str, Any]) -> None:
        self.out.write(("," if self._count else "") + "\n" + indented(issue, 2))
        self._count += 1

    def write(self, result: FileResult, first: bool) -> None:
        for f, mark in zip(result.findings, self._prints.of(result, first)):
            d = f.diagnostic
            text = d.message if not d.hint else f"{d.message} (hint: {d.hint})"
            self._issue(
                {
                    "description": f"{d.code} {text}",
                    "check_name": f"{d.code} {d.name}",
                    "fingerprint": mark,
                    "severity": SEVERITIES[d.severity],
                    "location": {
                        "path": f.path or f.url,
                        "lines": {"begin": f.line, "end": f.end_line},
                    },
                }
            )
        for e in result.errors:
            key = f"problem\0{result.path}\0{e}".encode("utf-8", "surrogatepass")
            self._issue(
                {
                    "description": f"restquery could not check this file: {e}",
                    "check_name": "restquery",
                    "fingerprint": hashlib.sha256(key).hexdigest()[:32],
                    "severity": "blocker",
                    "location": {"path": result.path or "<command line>", "lines": {"begin": 1}},
                }
            )

    def finish(self) -> None:
        self.out.write("\n]\n" if self._count else "]\n")


FILES = URLS = FilesGitlab
