"""What the linter passes between its phases: occurrences found in a file; the findings and the
result of one file (or of one chunk of a large log) are the report layer's
(:mod:`restquery.report`)."""

from __future__ import annotations

from dataclasses import dataclass

from restquery.lint._text import Text
from restquery.report._model import FileResult, Finding

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
