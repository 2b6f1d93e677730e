"""What a report is made of: findings (diagnostics located in a file or a URL) and the result of
one file, one chunk of a log, or one URL checked on the command line.

No dataclasses: ``restquery check`` imports this on its way to the first line of output, and
:mod:`dataclasses` costs more to import than the whole check.
"""

from __future__ import annotations

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, NamedTuple

    from restquery.diagnostics import Diagnostic, Fix
else:
    from restquery._records import NamedTuple

__all__ = ["FileResult", "Finding", "diagnostic_json"]

#: The keys of one diagnostic in ``check --format json`` (design.md, "Command line"), and
#: ``fix`` (the edits of a machine-applicable fix, or ``null``).
DIAGNOSTIC_KEYS = ("code", "name", "severity", "message", "start", "end", "param", "hint", "fix")


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    """One diagnostic as ``check --format json`` writes it."""
    data = d.to_dict()
    return {key: data.get(key) for key in DIAGNOSTIC_KEYS}


class Finding(NamedTuple):
    """A diagnostic located in a file.

    ``line``/``column`` (1-based, columns in characters) to ``end_line``/``end_column``
    (exclusive) are the file characters under the diagnostic's span; ``url`` is the URL as
    checked, holes shown as written (``${id}``), and ``diagnostic.span`` indexes ``url``;
    ``url_line``/``url_column`` is where the URL starts in the file. A URL given on the command
    line has the path ``""`` and is its own line 1.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    diagnostic: Diagnostic
    url: str
    url_line: int
    url_column: int
    method: str | None = None
    #: a fix that edits the file (``edits`` offsets are the file's characters), for a finding
    #: about the code around the URL; ``diagnostic.fix`` edits ``url``
    source_fix: Fix | None = None

    @property
    def code(self) -> str:
        return self.diagnostic.code

    @property
    def severity(self) -> str:
        return self.diagnostic.severity

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, one flat object (the ``lint --format json`` finding)."""
        d = self.diagnostic
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": d.code,
            "name": d.name,
            "severity": d.severity,
            "message": d.message,
            "hint": d.hint,
            "param": d.param,
            "url": self.url,
            "url_line": self.url_line,
            "url_column": self.url_column,
            "method": self.method,
            "start": d.span.start,
            "end": d.span.end,
            "fix": d.fix.to_dict() if d.fix is not None else None,
            "source_fix": self.source_fix.to_dict() if self.source_fix is not None else None,
        }


class FileResult:
    """What checking one file (or one chunk of a log, or one command-line URL) produced.

    ``url``/``method`` are set for a result of ``restquery check``: one URL, checked with that
    method, and its findings (none when the URL is clean)."""

    __slots__ = (
        "errors", "findings", "lines", "method", "partial", "path", "size", "suppressed", "url",
        "urls",
    )

    def __init__(
        self,
        path: str,
        findings: list[Finding] | None = None,
        urls: int = 0,
        suppressed: int = 0,
        errors: list[str] | None = None,
        size: int = 0,
        lines: int = 0,
        partial: bool = False,
        url: str | None = None,
        method: str | None = None,
    ) -> None:
        self.path = path
        self.findings: list[Finding] = [] if findings is None else findings
        self.urls = urls
        self.suppressed = suppressed
        #: why the file could not be read, or a rule failed on one of its URLs
        self.errors: list[str] = [] if errors is None else errors
        #: bytes of the file this result covers (for the progress bar)
        self.size = size
        #: lines read (chunks of a log: to renumber the next chunk)
        self.lines = lines
        #: True for every chunk of a log but the last
        self.partial = partial
        self.url = url
        self.method = method

    def __repr__(self) -> str:
        return f"FileResult({self.path!r}, {len(self.findings)} findings, urls={self.urls})"
