"""The reporter base, the summary, the format registry and what every format shares."""

from __future__ import annotations

import os

from restquery.report._model import FileResult

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TextIO

#: format name -> the module holding its reporters (``FILES`` and ``URLS`` by layout).
_MODULES = {
    "text": "restquery.report._text",
    "concise": "restquery.report._concise",
    "json": "restquery.report._json",
    "json-lines": "restquery.report._jsonlines",
    "sarif": "restquery.report._sarif",
    "github": "restquery.report._github",
    "gitlab": "restquery.report._gitlab",
    "junit": "restquery.report._junit",
}
#: The output formats, in the order ``--help`` lists them.
FORMATS = tuple(_MODULES)
LAYOUTS = ("files", "urls")


#: The values of ``--color``.
COLOR_MODES = ("auto", "always", "never")


def use_color(stream: TextIO, mode: str = "auto") -> bool:
    """Whether to paint: ``mode`` ``always`` or ``never`` says; ``auto`` paints a terminal,
    except when ``NO_COLOR`` is set to a non-empty value (no-color.org) or ``TERM`` is
    ``dumb``, and paints anything when ``FORCE_COLOR`` is set to a non-empty value
    (force-color.org); ``NO_COLOR`` wins over ``FORCE_COLOR``."""
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def display_path(path: str, cwd: str) -> str:
    """``path`` as reports show it: relative to ``cwd`` when inside it, with ``/`` separators."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, cwd)
    except ValueError:
        rel = absolute
    if rel.startswith(".." + os.sep) or rel == "..":
        rel = absolute
    return rel.replace(os.sep, "/")


class Summary:
    """Counts over the whole run."""

    __slots__ = ("by_code", "errors", "files", "problems", "suppressed", "urls", "warnings")

    def __init__(self) -> None:
        #: code -> (name, count), in the order first seen (``--statistics``)
        self.by_code: dict[str, list[Any]] = {}
        self.files = 0
        self.urls = 0
        self.errors = 0
        self.warnings = 0
        self.suppressed = 0
        self.problems = 0

    def to_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in ("files", "urls", "errors", "warnings", "suppressed",
                                               "problems")}

    def line(self) -> str:
        """The closing line of ``lint``'s text and github outputs."""
        found = (
            f"{plural(self.errors, 'error')}, {plural(self.warnings, 'warning')}"
            if self.errors or self.warnings
            else "no findings"
        )
        extra = []
        if self.suppressed:
            extra.append(f"{self.suppressed} suppressed")
        if self.problems:
            extra.append(f"{plural(self.problems, 'problem')} reading files or checking URLs")
        tail = f" ({'; '.join(extra)})" if extra else ""
        return f"Checked {plural(self.files, 'file')}, {plural(self.urls, 'URL')}: {found}{tail}."

    def statistics(self) -> str:
        """``--statistics``: a line per code, the most frequent first (``12  RQ301
        binary-requires-expand``), or a line saying there is nothing."""
        if not self.by_code:
            return "no findings\n"
        rows = sorted(self.by_code.items(), key=lambda kv: (-kv[1][1], kv[0]))
        width = len(str(rows[0][1][1]))
        return "".join(f"{count:>{width}}  {code}  {name}\n" for code, (name, count) in rows)

    def url_line(self) -> str:
        """The closing line of ``check``'s text output."""
        found = f"{plural(self.errors, 'error')}, {plural(self.warnings, 'warning')}"
        return f"{plural(self.urls, 'URL')} checked: {found}"


class Fingerprints:
    """Each finding's identity across runs, however its line moves (SARIF's
    ``partialFingerprints``, GitLab's ``fingerprint``): a hash of its code, its file, its URL
    and the text under its span as written, and its rank among the findings of its file with
    all of these the same (the same URL twice in a file is two findings)."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, str, int, int], int] = {}

    def of(self, result: FileResult, first: bool) -> list[str]:
        """The fingerprints of ``result``'s findings (``first``: its file's first result)."""
        import hashlib

        if first:
            self._seen.clear()
        seen = self._seen
        out = []
        for f in result.findings:
            d = f.diagnostic
            where = (d.code, f.path, f.url, d.span.start, d.span.end)
            n = seen[where] = seen.get(where, -1) + 1
            key = "\0".join((d.code, f.path, f.url, f.url[d.span.start : d.span.end], str(n)))
            out.append(hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32])
        return out


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class Reporter:
    """Base: counts findings; subclasses write them.

    ``failing`` are the severities that fail the run (``ok`` in the ``urls`` JSON layout);
    ``verbose`` also lists clean URLs in the ``urls`` text layout; ``quiet`` leaves out the
    summary line of the formats that end with one."""

    def __init__(
        self,
        out: TextIO,
        *,
        color: bool = False,
        width: int = 100,
        failing: tuple[str, ...] = ("error",),
        verbose: bool = False,
        quiet: bool = False,
    ) -> None:
        self.out = out
        self.color = color
        self.width = width
        self.failing = failing
        self.verbose = verbose
        self.quiet = quiet
        self.summary = Summary()
        self._last_path: str | None = None

    def start(self, rules: list[Any]) -> None:
        """Called once before any result, with the rules that may report."""

    def add(self, result: FileResult) -> None:
        s = self.summary
        first = result.path != self._last_path
        if first and result.path:
            s.files += 1
        s.urls += result.urls
        s.suppressed += result.suppressed
        s.problems += len(result.errors)
        by_code = s.by_code
        for f in result.findings:
            if f.severity == "error":
                s.errors += 1
            else:
                s.warnings += 1
            seen = by_code.get(f.code)
            if seen is None:
                by_code[f.code] = [f.diagnostic.name, 1]
            else:
                seen[1] += 1
        self.write(result, first=first)
        self._last_path = result.path

    def write(self, result: FileResult, first: bool) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after the last result."""


def make_reporter(
    name: str,
    out: TextIO,
    *,
    layout: str = "files",
    color: bool = False,
    width: int = 100,
    failing: tuple[str, ...] = ("error",),
    verbose: bool = False,
    quiet: bool = False,
) -> Reporter:
    """The reporter of format ``name`` (one of :data:`FORMATS`) and ``layout`` (``files`` for
    ``lint``, ``urls`` for ``check``) writing to ``out``."""
    import importlib

    if name not in _MODULES:
        raise ValueError(f"unknown format {name!r}; one of {', '.join(FORMATS)}")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {', '.join(LAYOUTS)}")
    module = importlib.import_module(_MODULES[name])
    cls = module.URLS if layout == "urls" else module.FILES
    reporter: Reporter = cls(
        out, color=color, width=width, failing=failing, verbose=verbose, quiet=quiet
    )
    return reporter


class SyntaxRule:
    """A syntax error code described like a registry rule (for SARIF's rule metadata)."""

    __slots__ = ("code", "name", "summary")
    severity = "error"
    spec = ""
    default = True
    needs_catalog = False

    def __init__(self, code: str, name: str, summary: str) -> None:
        self.code = code
        self.name = name
        self.summary = summary

    def __eq__(self, other: object) -> bool:
        if type(other) is not SyntaxRule:
            return NotImplemented
        return (self.code, self.name, self.summary) == (other.code, other.name, other.summary)

    __hash__ = None  # type: ignore[assignment]

    @property
    def doc(self) -> str:
        return (
            f"{self.summary}\n\nA syntax error: the URL does not follow the grammar of spec §1-§6, "
            "so no other rule can check it. It is reported whatever --select and --ignore say."
        )


def reporting_rules(codes: Any, catalog: bool, code_lints: Any = ()) -> list[Any]:
    """The rules that may report in a run of the rules with ``codes`` (``None``: the default
    rules; see :func:`restquery.rules.selection`), with a catalog or not: syntax codes first,
    then registry order, then ``code_lints`` (:class:`~restquery.rules._code_lints.CodeLint`,
    which ``lint`` reports)."""
    from restquery.rules import registry
    from restquery.syntax.explain import SYNTAX_CODES

    rules: list[Any] = [SyntaxRule(code, name, desc) for code, (name, desc) in SYNTAX_CODES.items()]
    for r in registry():
        if (r.default if codes is None else r.code in codes) and (catalog or not r.needs_catalog):
            rules.append(r)
    rules.extend(code_lints)
    return rules
