"""What the linter passes between its phases: occurrences found in a file, findings reported,
the result of one file (or of one chunk of a large log)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from restquery.diagnostics import Diagnostic
from restquery.lint._text import Text

__all__ = ["FileResult", "Finding", "Occurrence"]


@dataclass(slots=True)
class Occurrence:
    """A REST URL found in a file: ``text.chars[start:end]``, sent with ``method`` (``None``
    when the context does not say). ``line`` is set when ``text`` offsets are line-relative
    (access logs are read one line at a time)."""

    text: Text
    start: int
    end: int
    method: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A diagnostic located in a file.

    ``line``/``column`` (1-based, columns in characters) to ``end_line``/``end_column``
    (exclusive) are the file characters under the diagnostic's span; ``url`` is the URL as
    checked, holes shown as written (``${id}``), and ``diagnostic.span`` indexes ``url``;
    ``url_line``/``url_column`` is where the URL starts in the file.
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

    @property
    def code(self) -> str:
        return self.diagnostic.code

    @property
    def severity(self) -> str:
        return self.diagnostic.severity

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, one flat object (the ``--format json`` finding)."""
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
        }


@dataclass(slots=True)
class FileResult:
    """What linting one file (or one chunk of a log) produced."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    urls: int = 0
    suppressed: int = 0
    #: why the file could not be read, or a rule failed on one of its URLs
    errors: list[str] = field(default_factory=list)
    #: bytes of the file this result covers (for the progress bar)
    size: int = 0
    #: lines read (chunks of a log: to renumber the next chunk)
    lines: int = 0
    #: True for every chunk of a log but the last
    partial: bool = False
