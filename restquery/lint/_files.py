"""File kinds: which extractor reads which file.

>>> kind_of("src/api.ts"), kind_of("docs/guide.md"), kind_of("logs/access.log.1")
('js', 'markdown', 'log')
>>> kind_of("README") is None
True
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from restquery.lint._model import Occurrence

__all__ = ["KINDS", "extract", "kind_of"]

_BY_SUFFIX = {
    ".py": "python", ".pyi": "python", ".pyw": "python",
    ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "js",
    ".ts": "js", ".mts": "js", ".cts": "js", ".tsx": "js",
    ".java": "java",
    ".4dm": "4d",
    ".md": "markdown", ".markdown": "markdown", ".mdx": "markdown",
    ".rst": "rst",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".har": "json",
    ".log": "log",
    ".txt": "text", ".http": "text", ".rest": "text",
}
# access.log.1, access_log, error.log.2024-01-01, access.log.gz
_LOG_NAME = re.compile(r"\.log(?:\.[\w-]+)*$|(?:^|[._-])access[._-]?log(?:[._-][\w.-]*)?$")

#: Every kind, with what reads it.
KINDS = {
    "python": "string literals of Python code",
    "js": "string and template literals of JavaScript / TypeScript code",
    "java": "string literals of Java code",
    "4d": "string literals of 4D code",
    "markdown": "Markdown text and code blocks",
    "rst": "reStructuredText text and code blocks",
    "html": "HTML attributes, text and scripts",
    "json": "JSON strings; HAR and Postman requests",
    "log": "access logs (common/combined format), line by line",
    "text": "running text",
}


def kind_of(path: str) -> str | None:
    """The kind of the file at ``path`` from its name, or ``None`` if none applies."""
    name = os.path.basename(path)
    lower = name.lower()
    if lower.endswith(".gz"):
        return "log" if _LOG_NAME.search(lower[:-3]) else None
    _root, ext = os.path.splitext(lower)
    kind = _BY_SUFFIX.get(ext)
    if kind is not None:
        return kind
    return "log" if _LOG_NAME.search(lower) else None


def extract(kind: str, text: str) -> Iterator[Occurrence]:
    """The REST URLs of ``text``, a whole file of ``kind`` (not ``"log"``: logs are streamed)."""
    if kind in ("python", "js", "java", "4d"):
        from restquery.lint._code import extract_code

        return extract_code(text, kind)
    if kind == "json":
        from restquery.lint._json import extract_json

        return extract_json(text)
    from restquery.lint import _markup

    reader = {
        "markdown": _markup.extract_markdown,
        "rst": _markup.extract_rst,
        "html": _markup.extract_html,
    }.get(kind, _markup.extract_text)
    return reader(text)
