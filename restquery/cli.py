"""The ``restquery`` command.

Each subcommand is one entry of :data:`COMMANDS`: a :class:`Command` whose ``configure`` adds
its arguments to an :mod:`argparse` sub-parser and whose ``run`` does the work and returns the
exit status. Adding a subcommand means writing those two functions and one dict entry.

Exit status, for every subcommand: 0 success, 1 findings (for ``parse``: a URL did not parse),
2 usage or I/O error.

>>> main(["parse", "/rest/Company(1)"])  # doctest: +ELLIPSIS
{"type": "Request", "span": [0, 16], "path": {...}
0

The parser is imported only when a subcommand needs it, so ``restquery --help`` stays quick.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator

from restquery.report import FORMATS

#: The help of the ``--project`` option, the same in every command that has one.
PROJECT_HELP = (
    "a 4D project folder (the one holding Project/): read the catalog from its sources"
    " (catalog.4DCatalog, the ORDA classes) instead of a $catalog export"
)

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, NamedTuple, TextIO
else:
    from restquery._records import NamedTuple

__all__ = ["COMMANDS", "Command", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class Command:
    """One subcommand: its one-line help, its arguments and its body. ``module`` names a module
    whose ``configure`` and ``run`` they are, imported only when the command is used."""

    __slots__ = ("_configure", "_run", "help", "module")

    def __init__(
        self,
        help: str,
        configure: Callable[[argparse.ArgumentParser], None] | None = None,
        run: Callable[[argparse.Namespace], int] | None = None,
        *,
        module: str | None = None,
    ) -> None:
        if module is None and (configure is None or run is None):
            raise TypeError("a Command needs configure and run, or the module that has them")
        self.help = help
        self.module = module
        self._configure = configure
        self._run = run

    def _attr(self, name: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self.module or ""), name)

    @property
    def configure(self) -> Callable[[argparse.ArgumentParser], None]:
        return self._configure or self._attr("configure")

    @property
    def run(self) -> Callable[[argparse.Namespace], int]:
        return self._run or self._attr("run")

    def __repr__(self) -> str:
        return f"Command(help={self.help!r}, module={self.module!r})"


class _UsageError(Exception):
    """A problem with the command line or its inputs, reported with exit status 2."""


# ---------------------------------------------------------------------------------------------
# Shared helpers for subcommands
# ---------------------------------------------------------------------------------------------


def iter_urls(urls: list[str], stdin: TextIO | None = None) -> Iterator[str]:
    """The URLs of the command line, or of standard input (one a line, blank lines skipped)
    when the only URL given is ``-``."""
    if urls != ["-"]:
        yield from urls
        return
    stream = stdin if stdin is not None else sys.stdin
    try:
        for line in stream:
            # Only the line break goes: the rest of the line is the URL exactly as written,
            # so that spans index it.
            url = line.rstrip("\r\n")
            if url.strip():
                yield url
    except (OSError, UnicodeDecodeError) as err:
        raise _UsageError(f"cannot read standard input: {err}") from None


def _method(text: str) -> str:
    if not text.isascii() or not text.isalpha():
        raise argparse.ArgumentTypeError(f"{text!r} is not an HTTP method such as GET or POST")
    return text.upper()


def _indent(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of spaces (0 or more)")
    return value


def _render_exception(url: str, err: Exception, color: bool) -> str:
    from restquery.render import render_error

    span = getattr(err, "span", None)
    code = getattr(err, "code", None)
    if span is None or code is None:
        return f"restquery: error: {err}"
    return render_error(
        url,
        span,
        code,
        getattr(err, "message", str(err)),
        getattr(err, "hint", None),
        color=color,
    )


# ---------------------------------------------------------------------------------------------
# restquery parse
# ---------------------------------------------------------------------------------------------


def _configure_parse(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "urls",
        nargs="+",
        metavar="URL",
        help="a URL, or - to read one URL a line from standard input",
    )
    p.add_argument("--method", type=_method, metavar="M", help="the HTTP method (GET, POST, ...)")
    p.add_argument(
        "--indent",
        type=_indent,
        metavar="N",
        help="pretty-print each tree indented by N spaces (default: one JSON document a line)",
    )


def _run_parse(args: argparse.Namespace) -> int:
    import restquery

    out, err = sys.stdout, sys.stderr
    from restquery.report import use_color

    color = use_color(err)
    failed = False
    for url in iter_urls(args.urls):
        try:
            req = restquery.parse(url, method=args.method)
        except restquery.RestQueryError as exc:
            failed = True
            print(_render_exception(url, exc, color), file=err)
            continue
        print(json.dumps(req.to_dict(), indent=args.indent), file=out)
    return EXIT_FINDINGS if failed else EXIT_OK


# ---------------------------------------------------------------------------------------------
# restquery check
# ---------------------------------------------------------------------------------------------


class _Item(NamedTuple):
    """One URL to check: where it came from (``None`` for the command line: then its own line
    1), its method, and the column where it starts in its line."""

    url: str
    method: str | None
    source: str | None = None
    line: int = 1
    column: int = 1


def rule_keys_argument(text: str) -> list[str]:
    """The argument type of ``--select`` and ``--ignore`` (of ``check`` and ``lint``): rule
    codes, code prefixes or names, comma-separated; a repeated option adds up (``extend``)."""
    from restquery.rules import rule_keys

    keys = rule_keys(text)
    if not keys:
        raise argparse.ArgumentTypeError(
            "expected rule codes, code prefixes or names, comma-separated"
        )
    return list(keys)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


POLICY_HELP = (
    "limits and allow-lists to check too: [policy] of a restquery.toml or "
    "[tool.restquery.policy] of a pyproject.toml (docs/policy.md)"
)


def load_policy(path: str | None) -> Any:
    """The policy of ``--policy PATH``, or ``None``; a bad file is a usage error."""
    if not path:
        return None
    from restquery.policy import Policy, PolicyError

    try:
        return Policy.from_toml(path)
    except PolicyError as err:
        raise _UsageError(str(err)) from None


def add_report_options(p: argparse.ArgumentParser) -> None:
    """The options ``check`` and ``lint`` share about their report and exit status."""
    from restquery.report._base import COLOR_MODES

    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when something was found (a run that failed still exits 2)")
    p.add_argument("--statistics", action="store_true",
                   help="end with the number of findings of each code, the most frequent first")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="the findings only: no summary line, no progress bar")
    p.add_argument("--color", choices=COLOR_MODES, default="auto",
                   help="paint the text format: auto (a terminal, unless NO_COLOR is set; "
                   "always when FORCE_COLOR is), always or never (default: auto)")


def report_tail(args: argparse.Namespace, reporter: Any, out: TextIO, status: int) -> int:
    """After the report: ``--statistics`` (on ``out`` after a text report, on standard error
    after a machine-readable one) and ``--exit-zero``; the exit status."""
    if args.statistics:
        text = reporter.summary.statistics()
        (out if args.format in ("text", "concise") else sys.stderr).write(text)
    if args.exit_zero and status == EXIT_FINDINGS:
        return EXIT_OK
    return status


def _configure_check(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "urls",
        nargs="*",
        metavar="URL",
        help="a URL, or - to read request lines from standard input",
    )
    p.add_argument(
        "--file",
        dest="files",
        action="append",
        default=[],
        metavar="PATH",
        help="read request lines from PATH (- for standard input): one '[METHOD ]URL' a line; "
        "blank lines and lines starting with # are skipped",
    )
    p.add_argument(
        "--method",
        type=_method,
        metavar="M",
        help="the HTTP method of every URL (a 'METHOD URL' line overrides it)",
    )
    schema = p.add_mutually_exclusive_group()
    schema.add_argument(
        "--catalog",
        metavar="FILE",
        help="a $catalog/$all JSON document: turns on the schema rules",
    )
    schema.add_argument("--project", metavar="DIR", help=PROJECT_HELP)
    p.add_argument("--policy", metavar="FILE", help=POLICY_HELP)
    p.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    p.add_argument(
        "--strict", action="store_true", help="warnings fail the check too (exit status 1)"
    )
    p.add_argument(
        "--select",
        type=rule_keys_argument,
        action="extend",
        metavar="CODES",
        help="run only these rules: codes (RQ301), code prefixes (RQ3) or names, comma-separated",
    )
    p.add_argument(
        "--ignore",
        type=rule_keys_argument,
        action="extend",
        metavar="CODES",
        help="do not run these rules (same forms; syntax errors cannot be ignored)",
    )
    p.add_argument(
        "--plus-as-space",
        action="store_true",
        help="read a + in a query string as a space, as HTML forms and most HTTP client "
        "libraries write one (default: a plus, RFC 3986)",
    )
    p.add_argument(
        "--hide-suggestions",
        action="store_true",
        help='leave "did you mean" out of hints',
    )
    p.add_argument(
        "--max-errors",
        type=_positive,
        default=100,
        metavar="N",
        help="report at most N findings per URL (default: 100)",
    )
    p.add_argument(
        "-v", "--verbose", action="store_true", help="also list the URLs that have no findings"
    )
    p.add_argument("--fix", action="store_true",
                   help="print each URL with its safe fixes applied instead of the report")
    p.add_argument("--unsafe-fixes", action="store_true",
                   help="with --fix: the fixes marked unsafe too")
    add_report_options(p)


def _request_lines(stream: TextIO, source: str) -> list[_Item]:
    """The requests of a file: ``[METHOD ]URL`` a line; blank and ``#`` lines skipped.

    Surrounding blanks are not part of the URL, so spans index the URL as reported."""
    items = []
    for number, line in enumerate(stream, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        method = None
        head, sep, rest = text.partition(" ")
        if not sep:
            head, sep, rest = text.partition("\t")
        if sep and head.isascii() and head.isalpha() and rest.strip():
            # No URL starts with a bare word and a blank, so this is `METHOD URL`.
            method, text = head.upper(), rest.strip()
        column = line.rfind(text) + 1 if text else 1
        items.append(_Item(text, method, source, number, column))
    return items


def _read_requests(path: str) -> list[_Item]:
    if path == "-":
        try:
            return _request_lines(sys.stdin, "<stdin>")
        except (OSError, UnicodeDecodeError) as err:
            raise _UsageError(f"cannot read standard input: {err}") from None
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return _request_lines(fh, path)
    except UnicodeDecodeError as err:
        raise _UsageError(f"cannot read {path}: not UTF-8 text (byte {err.start})") from None
    except (OSError, ValueError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise _UsageError(f"cannot read {path}: {reason}") from None


def _load_catalog(path: str) -> object:
    from restquery.catalog import Catalog
    from restquery.errors import CatalogError

    try:
        # A path object, so that a file name starting with `{` is not read as JSON text.
        import pathlib

        return Catalog.from_json(pathlib.Path(path))
    except CatalogError as err:
        reason = getattr(err, "reason", None) or str(err)
        pointer = getattr(err, "pointer", None)
        where = f" (at {pointer})" if pointer not in (None, "/") else ""
        text = f"catalog {path}: {reason}{where}"
        raise _UsageError(" ".join(text.split())) from None


def _load_project(path: str) -> object:
    from restquery.catalog import Catalog
    from restquery.errors import CatalogError

    try:
        return Catalog.from_project(path)
    except CatalogError as err:
        raise _UsageError(" ".join(str(err).split())) from None


def schema_argument(args: argparse.Namespace) -> Any:
    """The catalog ``--catalog FILE`` or ``--project DIR`` names (``None`` without either);
    a bad one is a usage error."""
    if getattr(args, "catalog", None):
        return _load_catalog(args.catalog)
    if getattr(args, "project", None):
        return _load_project(args.project)
    return None


def require(extra: str, *modules: str) -> None:
    """A usage error unless ``modules`` import: the command needs ``restquery[extra]``."""
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            raise _UsageError(f"this command needs {name}: pip install 'restquery[{extra}]'") from None


def _check_rule_keys(select: list[str] | None, ignore: list[str] | None) -> None:
    from restquery.checker import select_rules
    from restquery.errors import RestQueryError

    # The select keys alone first, so that an error says which option it is about.
    for option, keys in (("--select", (select, None)), ("--ignore", (select, ignore))):
        try:
            select_rules(*keys)
        except RestQueryError as err:
            raise _UsageError(f"{option}: {err}") from None


def _run_check(args: argparse.Namespace) -> int:
    import restquery
    from restquery.report import (
        FileResult,
        Finding,
        display_path,
        make_reporter,
        reporting_rules,
        use_color,
    )
    from restquery.rules import selection

    items: list[_Item] = []
    stdin_read = False
    for url in args.urls:
        if url == "-":
            if not stdin_read:
                items.extend(_read_requests("-"))
                stdin_read = True
            continue
        items.append(_Item(url, None))
    for path in args.files:
        if path == "-" and stdin_read:
            continue
        stdin_read = stdin_read or path == "-"
        items.extend(_read_requests(path))
    if not args.urls and not args.files:
        raise _UsageError("give URLs, - (standard input) or --file PATH")
    _check_rule_keys(args.select, args.ignore)
    catalog = (
        _load_catalog(args.catalog) if args.catalog
        else _load_project(args.project) if args.project
        else None
    )

    policy = load_policy(args.policy)
    failing = ("error", "warning") if args.strict else ("error",)
    if args.fix:
        if args.statistics:
            raise _UsageError("--statistics counts the findings of a report: --fix prints none")
        return _print_fixed(args, items, catalog, failing)
    out = sys.stdout
    color = args.format == "text" and use_color(out, args.color)
    width = _terminal_width() if color else 100
    reporter = make_reporter(
        args.format, out, layout="urls", color=color, width=width, failing=failing,
        verbose=args.verbose, quiet=args.quiet,
    )
    codes = tuple(r.code for r in selection(args.select, args.ignore, strict=args.strict))
    reporter.start(reporting_rules(codes, catalog is not None))
    # --strict also turns on the rules it marks: the run's rules are then given by code.
    select, ignore = args.select, args.ignore
    if args.strict and codes != tuple(r.code for r in selection(select, ignore)):
        select, ignore = codes, None
    failed = crashed = False
    cwd = os.getcwd()
    for item in items:
        method = item.method or args.method
        source = item.source or ""
        if source and source != "<stdin>":
            source = display_path(source, cwd)
        try:
            diags = restquery.validate(
                item.url,
                catalog=catalog,
                method=method,
                max_errors=args.max_errors,
                hide_suggestions=args.hide_suggestions,
                select=select,
                ignore=ignore,
                plus_as_space=args.plus_as_space,
                policy=policy,
            )
        except restquery.RestQueryError as err:
            # A rule that failed: say so, go on with the other URLs, exit 2 at the end.
            crashed = True
            where = f"{item.source}:{item.line}: " if item.source else ""
            print(f"restquery: error: {where}{item.url}: {err}", file=sys.stderr)
            reporter.add(FileResult(source, urls=1, errors=[f"{item.url}: {err}"], url=item.url,
                                    method=method))
            continue
        failed = failed or any(d.severity in failing for d in diags)
        # One line a URL: a column is the URL's column in its line plus the span's offset.
        at = item.column
        findings = [
            Finding(source, item.line, at + d.span.start, item.line, at + max(d.span.end, d.span.start),
                    d, item.url, item.line, at, method)
            for d in diags
        ]
        reporter.add(FileResult(source, findings, urls=1, url=item.url, method=method))
    reporter.finish()
    if crashed:
        return report_tail(args, reporter, out, EXIT_USAGE)
    return report_tail(args, reporter, out, EXIT_FINDINGS if failed else EXIT_OK)


def _print_fixed(args: argparse.Namespace, items: list[_Item], catalog: Any, failing: tuple[str, ...]) -> int:
    """``check --fix``: each URL with its fixes applied, a line each (``METHOD URL`` when
    the request line gave a method); exit 1 if one still has a finding that fails."""
    import restquery
    from restquery.lint._fix import fixed_url

    failed = False
    for item in items:
        method = item.method or args.method

        def diagnostics(url: str, method: str | None = method) -> Any:
            return restquery.validate(
                url, catalog=catalog, method=method, max_errors=args.max_errors,
                select=args.select, ignore=args.ignore, plus_as_space=args.plus_as_space,
            )

        try:
            url = fixed_url(item.url, diagnostics, args.unsafe_fixes)
            left = diagnostics(url)
        except restquery.RestQueryError as err:
            print(f"restquery: error: {item.url}: {err}", file=sys.stderr)
            return EXIT_USAGE
        failed = failed or any(d.severity in failing for d in left)
        sys.stdout.write(f"{item.method + ' ' if item.method else ''}{url}\n")
    return report_tail(args, None, sys.stdout, EXIT_FINDINGS if failed else EXIT_OK)


def _terminal_width() -> int:
    import shutil

    return max(shutil.get_terminal_size((100, 24)).columns, 40)


# ---------------------------------------------------------------------------------------------
# rule
# ---------------------------------------------------------------------------------------------


def _configure_rule(p: argparse.ArgumentParser) -> None:
    p.add_argument("keys", nargs="+", metavar="CODE",
                   help="a code (RQ301) or a name (binary-requires-expand)")


def rule_documentation(key: str) -> str | None:
    """What ``restquery rule KEY`` prints: the rule, syntax code, code lint or retired code
    that ``key`` names (a code in any case, or a name), or ``None``."""
    from restquery.render import markdown_doc
    from restquery.rules import registry
    from restquery.rules._code_lints import CODE_LINTS
    from restquery.syntax.explain import INTEGRATION_CODES, RETIRED_CODES, SYNTAX_CODES

    code = key.upper() if key[:2].lower() == "rq" else key
    for r in registry():
        if code in (r.code, r.name):
            flags = [r.severity, f"spec {r.spec}"]
            if r.needs_catalog:
                flags.append("needs a catalog")
            if not r.default:
                flags.append("on under --strict" if r.strict else "opt-in")
            head = f"{r.code} {r.name} ({', '.join(flags)})"
            return f"{head}\n\nMessage: {r.message}\n\n{markdown_doc(r.doc)}\n"
    for lint in CODE_LINTS.values():
        if code in (lint.code, lint.name):
            return (
                f"{lint.code} {lint.name} ({lint.severity}, lint only: about code)\n\n"
                f"{lint.summary}\n\n{lint.doc}\n"
            )
    tables = ((SYNTAX_CODES, "a syntax error"), (INTEGRATION_CODES, "reported by the server integrations"))
    for table, what in tables:
        for known, (name, text) in table.items():
            if code in (known, name):
                return f"{known} {name} (error, {what})\n\n{text}\n"
    for known, (name, successor) in RETIRED_CODES.items():
        if code in (known, name):
            return f"{known} {name} (retired)\n\nNo longer reported: {successor} took its place.\n"
    return None


def _run_rule(args: argparse.Namespace) -> int:
    from restquery._suggest import suggestions
    from restquery.rules import registry
    from restquery.rules._code_lints import CODE_LINTS

    out = []
    for key in args.keys:
        doc = rule_documentation(key)
        if doc is None:
            names = [r.code for r in registry()] + [r.name for r in registry()] + list(CODE_LINTS)
            close = suggestions(key, names)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise _UsageError(f"no rule is named {key}{hint} (`restquery rule` takes a code or a name)")
        out.append(doc)
    sys.stdout.write("\n".join(out))
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# The registry and the entry point
# ---------------------------------------------------------------------------------------------

#: subcommand name -> :class:`Command`, in the order ``--help`` lists them.
COMMANDS: dict[str, Command] = {
    "check": Command(
        help="check URLs against the rules (and a catalog), report findings",
        configure=_configure_check,
        run=_run_check,
    ),
    "codegen": Command(
        help="write a Python module of typed fields per dataclass, for restquery.build",
        module="restquery.codegen",
    ),
    "fuzz": Command(
        help="attack a running REST server with generated requests; report what broke",
        module="restquery.fuzz",
    ),
    "lint": Command(
        help="find REST URLs in source files, docs, HAR captures and logs, and check them",
        module="restquery.lint.cli",
    ),
    "parse": Command(
        help="print the syntax tree of each URL as JSON",
        configure=_configure_parse,
        run=_run_parse,
    ),
    "proxy": Command(
        help="validating reverse proxy in front of a 4D REST server",
        module="restquery.integrations.proxy",
    ),
    "rule": Command(
        help="print the documentation of rules, by code or name",
        configure=_configure_rule,
        run=_run_rule,
    ),
    "serve": Command(
        help="a 4D-like REST server for tests, served from a catalog (SQLite)",
        module="restquery.serve",
    ),
}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser, with one sub-parser per entry of :data:`COMMANDS`. Given the
    command line, only the sub-parser of the command it names takes its arguments (the others
    only show in ``--help``), so that no other command's module is imported."""
    from restquery import __version__

    parser = argparse.ArgumentParser(
        prog="restquery",
        description="Parse and check 4D / Qodly ORDA REST URLs.",
    )
    parser.add_argument("--version", action="version", version=f"restquery {__version__}")
    wanted = None
    if argv is not None:
        wanted = next((a for a in argv if not a.startswith("-")), None)
        if wanted not in COMMANDS:
            wanted = None
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, command in COMMANDS.items():
        p = sub.add_parser(name, help=command.help, description=command.help)
        if wanted is None or name == wanted:
            command.configure(p)
            p.set_defaults(_run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``) and return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 after --help
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    run = getattr(args, "_run", None)
    if run is None:
        parser.print_usage(sys.stderr)
        print("restquery: error: a command is required", file=sys.stderr)
        return EXIT_USAGE
    try:
        return int(run(args))
    except _UsageError as exc:
        print(f"restquery: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`restquery parse - | head`): stop quietly, and keep Python
        # from complaining again when it flushes stdout at exit.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_FINDINGS
