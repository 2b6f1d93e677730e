"""``restquery lint PATH...``: find REST URLs in files and check them.

The subcommand is two functions, :func:`configure` (adds the arguments to an :mod:`argparse`
parser) and :func:`run` (does the work, returns the exit status), registered in
:data:`restquery.cli.COMMANDS`; :func:`main` runs it on its own (``python -m restquery.lint``).

Exit status: 0 nothing at or above the failing severity (errors; with ``--strict`` warnings
too), 1 findings, 2 usage or I/O error (a path that does not exist, a file that cannot be read,
a bad configuration or catalog), whatever else was found.

>>> import argparse
>>> p = argparse.ArgumentParser(prog="restquery lint")
>>> configure(p)
>>> args = p.parse_args(["--select", "RQ3,RQ101", "--select", "RQ0", "src"])
>>> args.select, args.paths
(['RQ3', 'RQ101', 'RQ0'], ['src'])
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from restquery.cli import (
    POLICY_HELP,
    PROJECT_HELP,
    add_report_options,
    report_tail,
    rule_keys_argument,
)
from restquery.report import FORMATS

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TextIO

__all__ = ["configure", "main", "run"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def _help() -> str:
    from restquery.cli import COMMANDS

    return COMMANDS["lint"].help


HELP = _help()



class _Usage(Exception):
    """A problem with the command line or its inputs (exit status 2)."""


def _method(text: str) -> str:
    if not text.isascii() or not text.isalpha():
        raise argparse.ArgumentTypeError(f"{text!r} is not an HTTP method such as GET or POST")
    return text.upper()


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (0: one per CPU)")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


def _size(text: str) -> int:
    from restquery.lint._read import parse_size

    try:
        return parse_size(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def configure(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``restquery lint`` to ``p``."""
    from restquery.lint._read import DEFAULT_MAX_FILE_SIZE

    p.add_argument(
        "paths", nargs="*", metavar="PATH", default=["."],
        help="files and directories to lint (default: the working directory); - reads "
        "standard input",
    )
    schema = p.add_mutually_exclusive_group()
    schema.add_argument("--catalog", metavar="FILE",
                        help="a $catalog/$all JSON export: turns on the schema rules")
    schema.add_argument("--project", metavar="DIR", help=PROJECT_HELP)
    p.add_argument("--policy", metavar="FILE", help=POLICY_HELP)
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE, not standard output")
    p.add_argument("--strict", action="store_true", help="warnings fail the run too (exit status 1)")
    p.add_argument("--plus-as-space", action="store_true",
                   help="read a + in a query string as a space, as HTML forms and most HTTP "
                   "client libraries write one (default: a plus, RFC 3986)")
    p.add_argument("--select", type=rule_keys_argument, action="extend", metavar="CODES",
                   help="run only these rules: codes (RQ301), code prefixes (RQ3) or names, comma-separated")
    p.add_argument("--ignore", type=rule_keys_argument, action="extend", metavar="CODES",
                   help="do not report these rules (same forms; syntax errors cannot be ignored)")
    p.add_argument("--method", type=_method, metavar="M",
                   help="the HTTP method of URLs whose context does not say (default: unknown)")
    p.add_argument("--exclude", action="append", metavar="GLOB",
                   help="skip files and directories matching GLOB (repeatable; replaces the "
                   "configuration's exclude)")
    p.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N",
                   help="check files in N processes (0: one per CPU; default: 1)")
    p.add_argument("--config", metavar="FILE",
                   help="read [tool.restquery] from FILE instead of the nearest pyproject.toml")
    p.add_argument("--no-config", action="store_true", help="ignore pyproject.toml")
    p.add_argument("--max-errors", type=_positive, default=100, metavar="N",
                   help="report at most N findings per URL (default: 100)")
    p.add_argument("--max-file-size", type=_size, metavar="BYTES",
                   help="skip files larger than BYTES (a number, or with K, M or G: 512K, 10M; "
                   f"default: {DEFAULT_MAX_FILE_SIZE >> 20}M), and access log lines longer; "
                   "0: no limit")
    p.add_argument("--no-progress", action="store_true", help="never draw the progress bar")
    p.add_argument("--fix", action="store_true",
                   help="apply the safe fixes to the files, then report what is left")
    p.add_argument("--unsafe-fixes", action="store_true",
                   help="with --fix or --diff: the fixes marked unsafe too")
    p.add_argument("--diff", action="store_true",
                   help="print the fixes as a unified diff, change nothing; exit 1 if there is one")
    p.add_argument("--stdin-filename", metavar="NAME",
                   help="with the path -: the name of the file standard input holds (its kind "
                   "comes from it, and findings are shown under it)")
    p.add_argument("--no-gitignore", action="store_true",
                   help="also lint what .gitignore files leave out (default: respect them)")
    add_report_options(p)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    """Command line over ``[tool.restquery]``."""
    from restquery.lint._config import Config, ConfigError, find_config, load_config
    from restquery.lint._read import DEFAULT_MAX_FILE_SIZE
    from restquery.lint._walk import Exclude

    cwd = os.getcwd()
    try:
        if args.no_config:
            config = Config()
        elif args.config:
            config = load_config(args.config)
        else:
            found = find_config(cwd)
            config = load_config(found) if found else Config()
    except ConfigError as err:
        raise _Usage(str(err)) from None
    if args.exclude is not None:
        excludes = [Exclude(g, cwd) for g in args.exclude]
    else:
        excludes = [Exclude(g, config.base) for g in config.exclude]
    # extend-exclude adds to whichever exclude is in force
    excludes += [Exclude(g, config.base) for g in config.extend_exclude]
    # --catalog and --project are one setting, the schema: either replaces both keys
    if args.catalog or args.project:
        catalog = os.path.abspath(args.catalog) if args.catalog else None
        project = os.path.abspath(args.project) if args.project else None
    else:
        catalog, project = config.catalog, config.project
    sizes = (args.max_file_size, config.max_file_size, DEFAULT_MAX_FILE_SIZE)
    return {
        "catalog": catalog,
        "project": project,
        "select": args.select if args.select is not None else config.select,
        "ignore": args.ignore if args.ignore is not None else config.ignore,
        "excludes": excludes,
        "method": args.method or config.method,
        "strict": bool(args.strict or config.strict),
        "plus_as_space": bool(args.plus_as_space or config.plus_as_space),
        "config": config.path,
        "max_file_size": next(v for v in sizes if v is not None),
        "respect_gitignore": not args.no_gitignore and config.respect_gitignore is not False,
        "policy": os.path.abspath(args.policy) if args.policy else config.policy,
        "per_file_ignores": [
            (Exclude(glob, config.base), tuple(keys)) for glob, keys in config.per_file_ignores
        ],
    }


def _load_catalog(path: str, limit: int) -> Any:
    """The catalog at ``path``, read as lint reads files: never from a FIFO or a device (which
    would block or never end), never more than ``limit`` bytes (0: no limit)."""
    from restquery.catalog import Catalog
    from restquery.errors import CatalogError
    from restquery.lint._read import Unreadable, read_bytes

    try:
        return Catalog.from_json(read_bytes(path, limit, "not loaded"), source=path)
    except Unreadable as err:
        raise _Usage(f"catalog {path}: {err}") from None
    except CatalogError as err:
        reason = getattr(err, "reason", None) or str(err)
        raise _Usage(" ".join(f"catalog {path}: {reason}".split())) from None
    except OSError as err:
        raise _Usage(f"catalog {path}: {err.strerror or err}") from None


def _load_project(path: str) -> Any:
    from restquery.catalog import Catalog
    from restquery.errors import CatalogError

    try:
        return Catalog.from_project(path)
    except CatalogError as err:
        raise _Usage(" ".join(str(err).split())) from None


def _shown(text: str) -> str:
    """A path or message from the user's files, fit for a terminal: control characters (an
    ESC that would start a terminal escape, a line break) are written escaped."""
    from restquery.render import _escape_text

    return _escape_text(text)


def _tasks(entries: list[Any]) -> Iterator[Any]:
    from restquery.lint._engine import Task
    from restquery.lint._logs import chunks

    for e in entries:
        if e.kind == "log" and not e.path.endswith(".gz"):
            parts = chunks(e.size)
            for n, (a, b) in enumerate(parts):
                yield Task(e.path, e.display, e.kind, e.size, a, b, partial=n < len(parts) - 1)
        else:
            yield Task(e.path, e.display, e.kind, e.size)


def run(args: argparse.Namespace) -> int:
    """Run ``restquery lint`` with parsed ``args``; return the exit status."""
    try:
        return _run(args)
    except _Usage as err:
        print(f"restquery: error: {_shown(str(err))}", file=sys.stderr)
        return EXIT_USAGE


@dataclass(frozen=True)
class _Plan:
    """What to lint and how, settled before any output."""

    options: Any  # LintOptions
    catalog: Any
    strict: bool
    entries: list[Any]
    missing: list[str]
    #: (where, keys): findings not reported in the files ``where`` matches
    per_file_ignores: tuple[tuple[Any, tuple[str, ...]], ...] = ()
    #: lint standard input (the path `-`) instead of files
    stdin: bool = False


def _plan(args: argparse.Namespace) -> _Plan:
    from restquery.lint._check import resolve_selection
    from restquery.lint._engine import LintOptions
    from restquery.lint._walk import collect

    settings = _settings(args)
    try:
        selection = resolve_selection(settings["select"], settings["ignore"], settings["strict"])
    except ValueError as err:
        raise _Usage(f"--select/--ignore: {err}") from None
    limit = settings["max_file_size"]
    catalog = (
        _load_catalog(settings["catalog"], limit) if settings["catalog"]
        else _load_project(settings["project"]) if settings["project"]
        else None
    )
    options = LintOptions(
        catalog=settings["catalog"], project=settings["project"], selection=selection,
        method=settings["method"],
        max_errors=args.max_errors, max_file_size=limit, plus_as_space=settings["plus_as_space"],
        policy=settings["policy"],
    )
    if options.policy is not None:
        from restquery.policy import Policy, PolicyError

        try:
            Policy.from_toml(options.policy)  # a bad file is refused now, not in each worker
        except PolicyError as err:
            raise _Usage(str(err)) from None
    paths = args.paths or ["."]
    if args.fix and args.diff:
        raise _Usage("--fix writes the fixes and --diff only shows them: give one")
    if "-" in paths:
        if paths != ["-"]:
            raise _Usage("- (standard input) is linted alone: give it without other paths")
        if args.fix or args.diff:
            raise _Usage("--fix and --diff change files: standard input has none")
        return _Plan(options, catalog, settings["strict"], [], [], tuple(settings["per_file_ignores"]),
                     stdin=True)
    if args.stdin_filename:
        raise _Usage("--stdin-filename names what - reads: give - as the path")
    entries, missing = collect(paths, settings["excludes"], respect_gitignore=settings["respect_gitignore"])
    return _Plan(options, catalog, settings["strict"], entries, missing, tuple(settings["per_file_ignores"]))


def _stdin_result(args: argparse.Namespace, checker: Any) -> Any:
    """The result of linting standard input as the file ``--stdin-filename`` names (its kind
    from its name, running text when it has none), shown under that name."""
    from restquery.lint._engine import lint_text
    from restquery.lint._files import kind_of

    name = args.stdin_filename or "-"
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    text = data.decode("utf-8", errors="surrogateescape")
    kind = (kind_of(name) if args.stdin_filename else None) or "text"
    if kind == "log":
        kind = "text"
    return lint_text(text, kind, checker, display=name)


def _run(args: argparse.Namespace) -> int:
    plan = _plan(args)
    for m in plan.missing:
        print(f"restquery: error: {_shown(m)}: no such file or directory", file=sys.stderr)
    with contextlib.ExitStack() as stack:
        if args.output:
            try:
                out: TextIO = stack.enter_context(open(args.output, "w", encoding="utf-8"))
            except OSError as err:
                raise _Usage(f"cannot write {args.output}: {err.strerror or err}") from None
        else:
            out = sys.stdout
        return _report(args, plan, out)


def _report(args: argparse.Namespace, plan: _Plan, out: TextIO) -> int:
    from restquery.lint._engine import default_jobs, make_checker, run_tasks
    from restquery.lint._progress import Progress
    from restquery.report import FileResult, display_path, make_reporter, reporting_rules, use_color

    entries, options = plan.entries, plan.options
    color = args.format == "text" and use_color(out, args.color)
    width = _terminal_width() if color else 100
    reporter = make_reporter(args.format, out, color=color, width=width, quiet=args.quiet)
    stderr = sys.stderr
    show = not args.no_progress and not args.quiet and _isatty(stderr)
    progress = Progress(sum(e.size for e in entries), len(entries), stderr if show else None)
    same_terminal = show and out is sys.stdout and _isatty(out)

    failing = ("error", "warning") if plan.strict else ("error",)
    failed = False
    problems = len(plan.missing)
    jobs = args.jobs or default_jobs()
    checker = make_checker(options, plan.catalog) if jobs <= 1 else None
    if args.fix or args.diff:
        changed = _fix(args, plan, checker or make_checker(options, plan.catalog), out)
        if args.diff:
            return EXIT_FINDINGS if changed else EXIT_OK
    from restquery.rules._code_lints import CODE_LINTS

    lints = [c for c in CODE_LINTS.values() if options.selection.reports(c.code)]
    reporter.start(reporting_rules(options.selection.rules, plan.catalog is not None, lints))
    for m in plan.missing:  # a problem in every format (SARIF: executionSuccessful false)
        reporter.add(FileResult(display_path(m, os.getcwd()), errors=["no such file or directory"]))
    results = (
        iter([_stdin_result(args, checker or make_checker(options, plan.catalog))])
        if plan.stdin
        else run_tasks(_tasks(entries), options, jobs, checker)
    )
    try:
        for result in results:
            if plan.per_file_ignores and result.findings:
                _ignore_per_file(result, plan.per_file_ignores)
            if same_terminal and result.findings:
                progress.clear()
            reporter.add(result)
            if any(f.severity in failing for f in result.findings):
                failed = True
            for e in result.errors:
                progress.clear()
                print(f"restquery: error: {_shown(result.path)}: {_shown(e)}", file=stderr)
            problems += len(result.errors)
            # a file is done with its last result (a large log comes in chunks)
            progress.advance(result.size, files=int(not result.partial), urls=result.urls)
        progress.close()
        reporter.finish()
        out.flush()
    finally:
        progress.close()
    status = EXIT_USAGE if problems else EXIT_FINDINGS if failed else EXIT_OK
    return report_tail(args, reporter, out, status)


def _ignore_per_file(result: Any, rules: tuple[tuple[Any, tuple[str, ...]], ...]) -> None:
    """Drop the findings ``per-file-ignores`` hides in ``result``'s file (counted suppressed)."""
    path = os.path.abspath(result.path)
    keys = [k for where, ks in rules if where.matches(path) for k in ks]
    if not keys:
        return
    kept = [
        f for f in result.findings
        if not any(f.code.startswith(k) or f.diagnostic.name == k for k in keys)
    ]
    result.suppressed += len(result.findings) - len(kept)
    result.findings = kept


def _fix(args: argparse.Namespace, plan: _Plan, checker: Any, out: TextIO) -> bool:
    """``--fix``: fix the files (before they are linted for the report); ``--diff``: print
    the diffs instead. Whether anything changed (or would)."""
    from restquery.lint._engine import lint_text
    from restquery.lint._fix import fix_file

    limit = plan.options.max_file_size
    changed = fixes = files = 0
    for entry in plan.entries:
        if entry.kind == "log":
            continue  # a log records what was sent: nothing to fix

        def lint(text: str, entry: Any = entry) -> Any:
            return lint_text(text, entry.kind, checker, entry.display).findings

        done = fix_file(entry.path, entry.display, lint, unsafe=args.unsafe_fixes,
                        write=not args.diff, limit=limit)
        if done.refused is not None:
            print(f"restquery: {_shown(entry.display)}: {_shown(done.refused)}", file=sys.stderr)
            continue
        if done.after != done.before:
            changed += 1
            fixes += done.fixed
            if args.diff:
                out.write(done.diff())
    if args.fix and changed:
        print(f"restquery: fixed {fixes} finding{'s' if fixes != 1 else ''} in {changed} "
              f"file{'s' if changed != 1 else ''}", file=sys.stderr)
    return bool(changed)


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _terminal_width() -> int:
    import shutil

    return max(shutil.get_terminal_size((100, 24)).columns, 40)


def main(argv: list[str] | None = None) -> int:
    """``restquery lint`` on its own: parse ``argv`` (default ``sys.argv[1:]``), run, return
    the exit status."""
    parser = argparse.ArgumentParser(prog="restquery lint", description=HELP)
    configure(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return run(args)
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_FINDINGS
