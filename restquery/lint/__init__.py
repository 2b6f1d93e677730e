"""``restquery lint``: find REST URLs where they live and check them.

URLs are found in the string literals of Python, JavaScript/TypeScript, Java and 4D code, in
Markdown, reStructuredText, HTML and plain text, in JSON (HAR captures and Postman collections
included) and in access logs; every diagnostic is placed on the file's characters
(``file:line:col``).

Escapes are mapped through, never approximated: a URL is checked as the program sees it
(``\"`` is one ``"``, ``&amp;`` one ``&``, ``\u0024`` one ``$``) and each of its characters
maps to its whole escape sequence in the file, so a span starts at the first character of its
first character's escape and ends after its last character's escape. Holes (``${id}``,
``{id}``, ``+ id +``) are checked as placeholders and never reported on
(:mod:`restquery.lint._check`). The command line is :mod:`restquery.lint.cli`;
the output formats are the report layer's (:mod:`restquery.report`).

>>> from restquery.lint import find_urls, lint_text
>>> src = 'fetch("/rest/Company(11)/blobAtt?$binary=true")\\n'
>>> find_urls(src, "js")
[('/rest/Company(11)/blobAtt?$binary=true', 1, 8, None)]
>>> [(f.line, f.column, f.code) for f in lint_text(src, "js", select=["RQ301"])]
[(1, 34, 'RQ301')]

Every extractor takes time and memory linear in the file, whatever it holds (broken quotes,
nesting thousands deep, one line of a million URLs), and never recurses. A file that is not
regular (a FIFO, a device) is never read, one over ``--max-file-size`` is skipped, and a
failure in one file is that file's problem: the run goes on.

Module layout: ``_text`` (decoded text with a map to the file), ``_urls`` (where a URL starts
and ends), ``_scan`` (where strings, templates and regular expressions of code end),
``_code`` / ``_markup`` / ``_json`` / ``_logs`` (extraction per file kind), ``_files``
(kinds), ``_read`` (opening files safely), ``_walk`` (which files), ``_config``
(``[tool.restquery]``), ``_check`` (holes, selection, suppression), ``_engine`` (tasks,
processes), ``_progress``, ``cli``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from restquery.lint._model import FileResult, Finding

__all__ = ["FileResult", "Finding", "find_urls", "lint_text"]


def __getattr__(name: str) -> object:
    # `restquery --help` imports the command's module: keep the package cheap to import.
    if name in ("Finding", "FileResult"):
        from restquery.lint import _model

        return getattr(_model, name)
    raise AttributeError(f"module 'restquery.lint' has no attribute {name!r}")


def find_urls(text: str, kind: str) -> list[tuple[str, int, int, str | None]]:
    """The REST URLs of ``text`` (a whole file of ``kind``: ``"python"``, ``"js"``,
    ``"java"``, ``"4d"``, ``"markdown"``, ``"rst"``, ``"html"``, ``"json"``, ``"log"``,
    ``"text"``) as ``(url, line, column, method)``; holes are shown as ``\\ue000``."""
    from restquery.lint._text import LineIndex

    out: list[tuple[str, int, int, str | None]] = []
    if kind == "log":
        from restquery.lint._logs import extract_log_line

        for number, log_line in enumerate(text.splitlines(), 1):
            for occ in extract_log_line(log_line, number):
                out.append((occ.text.chars[occ.start : occ.end], number,
                            occ.text.src_start(occ.start) + 1, occ.method))
        return out
    from restquery.lint._files import extract

    index = LineIndex(text)
    for occ in extract(kind, text):
        line, col = index.position(occ.text.src_start(occ.start))
        out.append((occ.text.chars[occ.start : occ.end], line, col, occ.method))
    return out


def lint_text(
    text: str,
    kind: str,
    *,
    path: str = "<text>",
    catalog: Any = None,
    method: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    max_errors: int = 100,
    plus_as_space: bool = False,
) -> list[Finding]:
    """Lint ``text``, the whole content of a file of ``kind`` (see :func:`find_urls`; not
    ``"log"``), and return its findings in file order. A rule that fails raises
    :class:`restquery.RestQueryError`."""
    from restquery.lint._check import Checker, resolve_selection
    from restquery.lint._engine import lint_text as _lint

    checker = Checker(
        catalog=_catalog(catalog),
        selection=resolve_selection(select, ignore),
        method=method,
        max_errors=max_errors,
        plus_as_space=plus_as_space,
    )
    if kind == "log":
        raise ValueError("lint_text() reads whole files; logs are linted with restquery lint")
    result = _lint(text, kind, checker, path)
    if result.errors:
        from restquery.errors import RestQueryError

        raise RestQueryError(f"{path}:{result.errors[0]}")
    return result.findings


def _catalog(catalog: Any) -> Any:
    from restquery.catalog import catalog_argument

    return catalog_argument(catalog)
