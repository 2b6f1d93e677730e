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
from dataclasses import dataclass
from typing import TextIO

__all__ = ["COMMANDS", "Command", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


@dataclass(frozen=True)
class Command:
    """One subcommand: its one-line help, its arguments and its body."""

    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


class _UsageError(Exception):
    """A problem with the command line or its inputs, reported with exit status 2."""


# ---------------------------------------------------------------------------------------------
# Shared helpers for subcommands
# ---------------------------------------------------------------------------------------------


def use_color(stream: TextIO) -> bool:
    """Colour only for a terminal, and never when ``NO_COLOR`` is set (no-color.org)."""
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


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
# The registry and the entry point
# ---------------------------------------------------------------------------------------------

#: subcommand name -> :class:`Command`, in the order ``--help`` lists them.
COMMANDS: dict[str, Command] = {
    "parse": Command(
        help="print the syntax tree of each URL as JSON",
        configure=_configure_parse,
        run=_run_parse,
    ),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-parser per entry of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="restquery",
        description="Parse and check 4D / Qodly ORDA REST URLs.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, command in COMMANDS.items():
        p = sub.add_parser(name, help=command.help, description=command.help)
        command.configure(p)
        p.set_defaults(_run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``) and return the exit status."""
    parser = build_parser()
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
