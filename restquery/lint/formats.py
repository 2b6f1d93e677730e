"""Output formats of ``restquery lint``: ``text``, ``json``, ``sarif``, ``github``.

Every format is a :class:`Reporter` fed one :class:`~restquery.lint._model.FileResult` at a
time, in file order, and written as it goes: nothing grows with the number of findings but the
counters, so a log of any size is reported in constant memory.

* ``text`` — findings grouped under their file's name, each with its ``file:line:col``, the
  URL drawn with carets under the span (:func:`restquery.render.render_diagnostic`), then a
  summary line. Colour only when asked (the CLI asks on a terminal without ``NO_COLOR``).
* ``json`` — one document: ``{"findings": [...], "problems": [...], "summary": {...}}``.
* ``sarif`` — SARIF 2.1.0, one run; the rules' metadata and help come from the rule registry;
  columns are counted in Unicode code points (``columnKind``); locations are relative to the
  working directory (``uriBaseId`` ``%SRCROOT%``).
* ``github`` — GitHub Actions workflow commands (``::error file=…,line=…,col=…,endColumn=…,
  title=RQ301::message``), then the summary line.

Text from the user's files (paths, URLs, messages quoting them) never reaches a terminal raw:
the ``text`` and ``github`` formats write control characters escaped (``\\x1b``), and JSON
escapes what is not valid UTF-8 (a file name's undecodable bytes).

Positions are 1-based lines and columns, columns counted in characters (code points); an end
column is exclusive (the column after the last character), as in SARIF. Paths are relative to
the working directory when the file is inside it, with ``/`` separators.
"""

from __future__ import annotations

import dataclasses
import json
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any, TextIO

from restquery.lint._model import FileResult, Finding
from restquery.render import _escape_text

__all__ = ["FORMATS", "Reporter", "Summary", "make_reporter"]

FORMATS = ("text", "json", "sarif", "github")

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass
class Summary:
    """Counts over the whole run."""

    files: int = 0
    urls: int = 0
    errors: int = 0
    warnings: int = 0
    suppressed: int = 0
    problems: int = 0

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)

    def line(self) -> str:
        found = (
            f"{_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')}"
            if self.errors or self.warnings
            else "no findings"
        )
        extra = []
        if self.suppressed:
            extra.append(f"{self.suppressed} suppressed")
        if self.problems:
            extra.append(f"{_plural(self.problems, 'problem')} reading files or checking URLs")
        tail = f" ({'; '.join(extra)})" if extra else ""
        return f"Checked {_plural(self.files, 'file')}, {_plural(self.urls, 'URL')}: {found}{tail}."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class Reporter:
    """Base: counts findings; subclasses write them."""

    def __init__(self, out: TextIO, *, color: bool = False, width: int = 100) -> None:
        self.out = out
        self.color = color
        self.width = width
        self.summary = Summary()
        self._last_path: str | None = None

    def start(self, rules: list[Any]) -> None:
        """Called once before any result, with the rules that may report."""

    def add(self, result: FileResult) -> None:
        s = self.summary
        if result.path != self._last_path:
            s.files += 1
        s.urls += result.urls
        s.suppressed += result.suppressed
        s.problems += len(result.errors)
        for f in result.findings:
            if f.severity == "error":
                s.errors += 1
            else:
                s.warnings += 1
        self.write(result, first=result.path != self._last_path)
        self._last_path = result.path

    def write(self, result: FileResult, first: bool) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after the last result."""


# --- text ------------------------------------------------------------------------------------

_BOLD = "\x1b[1m"
_UNDERLINE = "\x1b[1;4m"
#: A URL longer than this is cut around its span before it is drawn: the frame shows one line
#: of it anyway, and drawing costs what is handed over. Its fix line is left out.
_FRAME_CHARS = 8192


def _framed(url: str, diagnostic: Any, width: int) -> tuple[str, Any]:
    """``url`` and ``diagnostic`` as drawn: a very long URL is cut to the part around the span,
    a ``…`` where it is cut, the span moved to match."""
    n = len(url)
    if n <= _FRAME_CHARS:
        return url, diagnostic
    start = min(max(diagnostic.span.start, 0), n)
    end = min(max(diagnostic.span.end, start), n)
    a = max(0, start - 2 * width)
    b = min(n, start + 4 * width)
    shown = ("…" if a > 0 else "") + url[a:b] + ("…" if b < n else "")
    shift = a - (1 if a > 0 else 0)
    span = type(diagnostic.span)(start - shift, min(end, b) - shift)
    return shown, dataclasses.replace(diagnostic, span=span, fix=None)


class TextReporter(Reporter):
    def __init__(self, out: TextIO, **kw: Any) -> None:
        super().__init__(out, **kw)
        self._wrote = False

    def write(self, result: FileResult, first: bool) -> None:
        from restquery.render import render_diagnostic

        if not result.findings:
            return
        out = self.out
        path = _escape_text(result.path)
        if first:
            if self._wrote:
                out.write("\n")
            out.write(self._paint(path, _UNDERLINE) + "\n")
        for f in result.findings:
            where = f"{path}:{f.line}:{f.column}"
            method = f" ({f.method})" if f.method else ""
            out.write(f"  {self._paint(where, _BOLD)}{method}\n")
            url, diagnostic = _framed(f.url, f.diagnostic, self.width)
            frame = render_diagnostic(url, diagnostic, color=self.color, width=self.width - 2)
            for line in frame.split("\n"):
                out.write(f"  {line}\n")
        self._wrote = True

    def _paint(self, text: str, tone: str) -> str:
        return f"{tone}{text}\x1b[0m" if self.color else text

    def finish(self) -> None:
        if self._wrote:
            self.out.write("\n")
        self.out.write(self.summary.line() + "\n")


# --- json ------------------------------------------------------------------------------------


_SURROGATE = re.compile("[\ud800-\udfff]")


def _dumps(obj: Any, **kw: Any) -> str:
    """JSON text, non-ASCII characters as themselves unless the text holds lone surrogates (a
    file name's undecodable bytes), which no UTF-8 output can write: then escaped."""
    text = json.dumps(obj, ensure_ascii=False, **kw)
    return json.dumps(obj, ensure_ascii=True, **kw) if _SURROGATE.search(text) else text


def _indented(obj: Any, indent: int) -> str:
    text = _dumps(obj, indent=2)
    pad = " " * indent
    return "\n".join(pad + line for line in text.split("\n"))


class JsonReporter(Reporter):
    def __init__(self, out: TextIO, **kw: Any) -> None:
        super().__init__(out, **kw)
        self._count = 0
        self._problems: list[dict[str, str]] = []

    def start(self, rules: list[Any]) -> None:
        self.out.write('{\n  "findings": [')

    def write(self, result: FileResult, first: bool) -> None:
        for f in result.findings:
            self.out.write(("," if self._count else "") + "\n" + _indented(f.to_dict(), 4))
            self._count += 1
        for e in result.errors:
            self._problems.append({"path": result.path, "message": e})

    def finish(self) -> None:
        out = self.out
        out.write("\n  ],\n" if self._count else "],\n")
        out.write('  "problems": ' + _dumps(self._problems) + ",\n")
        out.write('  "summary": ' + json.dumps(self.summary.to_dict()) + "\n}\n")


# --- SARIF -----------------------------------------------------------------------------------


def rule_metadata(rules: list[Any]) -> list[dict[str, Any]]:
    """SARIF ``reportingDescriptor`` objects for ``rules`` (registry rules and syntax codes)."""
    out = []
    for r in rules:
        doc = r.doc or r.summary
        out.append(
            {
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": doc},
                "help": {"text": doc},
                "defaultConfiguration": {"level": r.severity},
                "properties": {"spec": r.spec} if r.spec else {},
            }
        )
    return out


def _uri(path: str) -> str:
    """``path`` as a relative URI: a file name's undecodable bytes are percent-encoded as the
    bytes they were."""
    try:
        return urllib.parse.quote(path, errors="surrogateescape")
    except UnicodeEncodeError:
        return urllib.parse.quote(path, errors="backslashreplace")


class SarifReporter(Reporter):
    def __init__(self, out: TextIO, **kw: Any) -> None:
        super().__init__(out, **kw)
        self._count = 0
        self._index: dict[str, int] = {}
        self._notifications: list[dict[str, Any]] = []

    def start(self, rules: list[Any]) -> None:
        import restquery

        self._index = {r.code: i for i, r in enumerate(rules)}
        head = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
        }
        driver = {
            "name": "restquery",
            "version": restquery.__version__,
            "rules": rule_metadata(rules),
        }
        out = self.out
        out.write("{\n")
        for k, v in head.items():
            out.write(f"  {json.dumps(k)}: {json.dumps(v)},\n")
        out.write('  "runs": [\n    {\n')
        out.write('      "tool": {\n        "driver": ')
        out.write(_indented(driver, 8).lstrip() + "\n      },\n")
        out.write('      "columnKind": "unicodeCodePoints",\n')
        out.write('      "results": [')

    def _result(self, f: Finding) -> dict[str, Any]:
        d = f.diagnostic
        text = d.message if not d.hint else f"{d.message}\nhint: {d.hint}"
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": d.severity,
            "message": {"text": text},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": _uri(f.path),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                        },
                    }
                }
            ],
            "properties": {
                "url": f.url,
                "urlLine": f.url_line,
                "urlColumn": f.url_column,
                "method": f.method,
            },
        }
        if d.code in self._index:
            result["ruleIndex"] = self._index[d.code]
        return result

    def write(self, result: FileResult, first: bool) -> None:
        for f in result.findings:
            self.out.write(("," if self._count else "") + "\n" + _indented(self._result(f), 8))
            self._count += 1
        for e in result.errors:
            self._notifications.append(
                {
                    "level": "error",
                    "message": {"text": e},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {
                                    "uri": _uri(result.path),
                                    "uriBaseId": "%SRCROOT%",
                                }
                            }
                        }
                    ],
                }
            )

    def finish(self) -> None:
        out = self.out
        out.write("\n      ],\n" if self._count else "],\n")
        invocation = {
            "executionSuccessful": not self._notifications,
            "toolExecutionNotifications": self._notifications,
        }
        out.write('      "invocations": [\n' + _indented(invocation, 8) + "\n      ],\n")
        out.write('      "properties": {"summary": ' + json.dumps(self.summary.to_dict()) + "}\n")
        out.write("    }\n  ]\n}\n")


# --- GitHub Actions --------------------------------------------------------------------------


_LINE_BREAK = re.compile("(\r\n|\r|\n)")


def _gh_data(text: str) -> str:
    # Line breaks are the command's to encode; any other control character is shown escaped.
    lines = _LINE_BREAK.split(text)
    text = "".join(part if n % 2 else _escape_text(part) for n, part in enumerate(lines))
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(_escape_text(text)).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    def write(self, result: FileResult, first: bool) -> None:
        for f in result.findings:
            d = f.diagnostic
            props = [f"file={_gh_property(f.path)}", f"line={f.line}"]
            if f.end_line != f.line:
                props.append(f"endLine={f.end_line}")
            props += [f"col={f.column}", f"endColumn={f.end_column}", f"title={d.code}"]
            text = d.message if not d.hint else f"{d.message}\nhint: {d.hint}"
            self.out.write(f"::{d.severity} {','.join(props)}::{_gh_data(text)}\n")
        for e in result.errors:
            self.out.write(
                f"::error file={_gh_property(result.path)},title=restquery::"
                f"{_gh_data(e)}\n"
            )

    def finish(self) -> None:
        self.out.write(self.summary.line() + "\n")


def make_reporter(name: str, out: TextIO, *, color: bool = False, width: int = 100) -> Reporter:
    """The reporter of format ``name`` (one of :data:`FORMATS`) writing to ``out``."""
    cls = {
        "text": TextReporter,
        "json": JsonReporter,
        "sarif": SarifReporter,
        "github": GithubReporter,
    }[name]
    return cls(out, color=color, width=width)
