"""``--format junit``: JUnit XML, as CI servers read test reports (Jenkins, GitLab's
``artifacts: reports: junit``, Azure Pipelines): a ``<testsuite>`` per file, a ``<testcase>``
per finding (its code and position) with a ``<failure>`` (an error) or, for a warning, a
``<system-out>`` note and no failure; a file that cannot be read, a test case with an
``<error>``; a file without either, one passing test case. Written as each file is checked;
each ``<testsuite>`` carries its own counts."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from restquery.report._base import Reporter
from restquery.report._model import FileResult

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FILES", "URLS"]

#: What XML 1.0 cannot hold at all (not even escaped): written as ``\xNN``.
_INVALID = {c: f"\\x{c:02x}" for c in range(32) if c not in (9, 10, 13)}


def _text(s: str) -> str:
    s = s.translate(_INVALID)
    return "".join(ch if not 0xD800 <= ord(ch) <= 0xDFFF else f"\\u{ord(ch):04x}" for ch in s)


def _attr(s: str) -> str:
    return quoteattr(_text(s))


class FilesJunit(Reporter):
    def start(self, rules: list[Any]) -> None:
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="restquery">\n')

    def write(self, result: FileResult, first: bool) -> None:
        name = result.path or (result.url or "<command line>")
        failures = sum(1 for f in result.findings if f.severity == "error")
        cases = len(result.findings) + len(result.errors) or 1
        out = self.out
        out.write(
            f"  <testsuite name={_attr(name)} tests=\"{cases}\" failures=\"{failures}\""
            f" errors=\"{len(result.errors)}\" skipped=\"0\">\n"
        )
        for f in result.findings:
            d = f.diagnostic
            where = f"{f.path}:{f.line}:{f.column}" if f.path else f"{f.url}:{d.span.start + 1}"
            text = d.message if not d.hint else f"{d.message}\nhint: {d.hint}"
            detail = f"{where}: {d.code} {text}\n{f.url}"
            out.write(f"    <testcase classname={_attr(name)} name={_attr(f'{d.code} {d.name} at {where}')}>\n")
            if d.severity == "error":
                out.write(
                    f"      <failure type={_attr(d.code)} message={_attr(d.message)}>"
                    f"{escape(_text(detail))}</failure>\n"
                )
            else:
                out.write(f"      <system-out>{escape(_text('warning: ' + detail))}</system-out>\n")
            out.write("    </testcase>\n")
        if not result.findings and not result.errors:
            out.write(f"    <testcase classname={_attr(name)} name={_attr(f'{name} is clean')}/>\n")
        for e in result.errors:
            out.write(
                f"    <testcase classname={_attr(name)} name={_attr(f'{name} could be read')}>\n"
                f"      <error message={_attr(e)}>{escape(_text(e))}</error>\n    </testcase>\n"
            )
        out.write("  </testsuite>\n")

    def finish(self) -> None:
        self.out.write("</testsuites>\n")


FILES = URLS = FilesJunit
