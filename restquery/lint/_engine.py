"""Lint tasks (a file, or a chunk of a large log) and the runner that executes them, in this
process or in a pool of processes, always yielding results in task order.

A worker process builds its own :class:`~restquery.lint._check.Checker` from the picklable
:class:`LintOptions` once (pool initializer), so the catalog is loaded once per process and
the validation cache lives as long as the worker.
"""

from __future__ import annotations

import dataclasses
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from restquery.lint._check import Checker, Selection, Suppressions
from restquery.lint._model import FileResult, Finding, Occurrence
from restquery.lint._read import DEFAULT_MAX_FILE_SIZE, Unreadable, read_text, too_large
from restquery.lint._text import LineIndex

__all__ = ["LintOptions", "Task", "lint_task", "lint_text", "make_checker", "run_tasks"]


@dataclasses.dataclass(frozen=True)
class LintOptions:
    """What every task needs to check URLs (picklable: sent to worker processes)."""

    catalog: str | None = None
    #: a 4D project folder the catalog is read from instead (Catalog.from_project)
    project: str | None = None
    selection: Selection = dataclasses.field(default_factory=lambda: Selection(None))
    method: str | None = None
    max_errors: int = 100
    #: bytes; a larger file is skipped (for an access log: a longer line); 0 lifts the limit
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: read a `+` of a query string as a space (restquery.parse's ``plus_as_space``)
    plus_as_space: bool = False
    #: a policy file (restquery.Policy.from_toml) whose limits are checked too
    policy: str | None = None


@dataclasses.dataclass(frozen=True)
class Task:
    """Lint ``path`` (shown as ``display``) as ``kind``; for a log, only bytes
    ``[start, end)``; ``partial`` for every chunk of a log but the last."""

    path: str
    display: str
    kind: str
    size: int
    start: int = 0
    end: int | None = None
    partial: bool = False


def make_checker(options: LintOptions, catalog: Any = None) -> Checker:
    """A checker for ``options`` (``catalog``: an already loaded catalog, to reuse it)."""
    if catalog is None and options.catalog is not None:
        from pathlib import Path

        from restquery.catalog import Catalog

        catalog = Catalog.from_json(Path(options.catalog))
    elif catalog is None and options.project is not None:
        from restquery.catalog import Catalog

        catalog = Catalog.from_project(options.project)
    policy = None
    if options.policy is not None:
        from restquery.policy import Policy

        policy = Policy.from_toml(options.policy)
    return Checker(
        catalog=catalog,
        selection=options.selection,
        method=options.method,
        max_errors=options.max_errors,
        plus_as_space=options.plus_as_space,
        policy=policy,
    )


def _findings_of(
    occurrences: Iterable[Occurrence],
    checker: Checker,
    display: str,
    position: Any,
    suppressions: Suppressions,
    result: FileResult,
    kind: str | None = None,
) -> None:
    """The findings of ``occurrences`` into ``result``; with ``kind`` (a file's, not a log's),
    each URL fix that can be written into the file as it is gets its ``source_fix``."""
    from restquery.errors import RestQueryError

    for occ in occurrences:
        result.urls += 1
        try:
            located = checker.check(occ)
        except Exception as err:  # a rule that failed: say so, go on, exit 2 at the end
            at = position(occ, occ.text.src_start(occ.start))
            reason = str(err) if isinstance(err, RestQueryError) else _failure(err)
            result.errors.append(f"{at[0]}:{at[1]}: {reason}")
            continue
        if not located:
            continue
        url_line, url_col = position(occ, occ.text.src_start(occ.start))
        for loc in located:
            line, col = position(occ, loc.file_start)
            end_line, end_col = position(occ, loc.file_end)
            if suppressions and suppressions.hides(loc.diagnostic, line, url_line):
                result.suppressed += 1
                continue
            method = occ.method or checker.default_method
            source_fix = loc.source_fix
            if source_fix is None and kind is not None and loc.diagnostic.fix is not None:
                from restquery.lint._fix import in_file

                source_fix = in_file(occ.text, occ.start, loc.diagnostic.fix, kind)
            result.findings.append(
                Finding(display, line, col, end_line, end_col, loc.diagnostic, loc.url,
                        url_line, url_col, method, source_fix)
            )


def lint_text(text: str, kind: str, checker: Checker, display: str = "<text>") -> FileResult:
    """Lint the whole text of a file of ``kind`` (any kind but ``"log"``)."""
    from restquery.lint._files import extract

    result = FileResult(display, size=len(text))
    index = LineIndex(text)

    def position(_occ: Occurrence, offset: int) -> tuple[int, int]:
        return index.position(offset)

    try:
        suppressions = Suppressions.scan(text, lambda off: index.position(off)[0])
        _findings_of(extract(kind, text), checker, display, position, suppressions, result, kind)
        if suppressions.comments:
            _suppression_findings(text, suppressions, checker, display, position, result)
    except Exception as err:  # what was found before stays found; the file is a problem
        result.errors.append(_failure(err))
    result.findings.sort(key=lambda f: (f.line, f.column, f.end_line, f.end_column, f.code))
    return result


def _suppression_findings(
    text: str, suppressions: Suppressions, checker: Checker, display: str, position: Any,
    result: FileResult,
) -> None:
    """RQ605 for a key of a suppression comment that names no rule; RQ606 for a comment, or a
    key, that hid nothing (only when every rule ran)."""
    from restquery.ast import Span
    from restquery.diagnostics import Diagnostic
    from restquery.errors import RestQueryError
    from restquery.rules import selection
    from restquery.rules._code_lints import CODE_LINTS

    sel = checker.selection

    def finding(code: str, start: int, end: int, comment: Any, message: str, hint: str) -> None:
        lint = CODE_LINTS[code]
        shown = text[comment.offset : comment.end]
        d = Diagnostic(code=lint.code, name=lint.name, severity=lint.severity, message=message,
                       span=Span(start - comment.offset, end - comment.offset), hint=hint)
        line, col = position(None, start)
        end_line, end_col = position(None, end)
        url_line, url_col = position(None, comment.offset)
        result.findings.append(Finding(display, line, col, end_line, end_col, d, shown, url_line, url_col))

    unknown: set[tuple[int, str]] = set()
    if sel.reports("RQ605"):
        for c in suppressions.comments:
            for key, a, b in c.written:
                try:
                    selection([key])
                except RestQueryError:
                    unknown.add((c.offset, key))
                    finding("RQ605", a, b, c, f"`{key}` names no rule: this key hides nothing.",
                            "write a code (RQ301), a code prefix (RQ3) or a rule's name")
    if sel.rules is None and sel.code_lints is None and sel.reports("RQ606"):
        for c, unused in suppressions.unused():
            if unused is None:
                finding("RQ606", c.offset, c.end, c, "This suppression comment hides nothing.",
                        "remove it")
            elif (c.offset, unused) not in unknown:
                a, b = next((a, b) for k, a, b in c.written if k == unused)
                finding("RQ606", a, b, c, f"`{unused}` hides nothing on the line it applies to.",
                        f"remove `{unused}` from the comment")
    result.findings.sort(key=lambda f: (f.line, f.column, f.end_line, f.end_column, f.code))


def _failure(err: BaseException) -> str:
    """A problem for an exception nothing expected (a bug): named, shown short and safe."""
    from restquery.syntax.explain import as_shown

    return f"could not be linted: {type(err).__name__}: {as_shown(str(err), 200)}"


def _lint_log(task: Task, checker: Checker, max_line: int) -> FileResult:
    from restquery.lint._logs import LongLine, extract_log_line, read_lines

    result = FileResult(task.display, size=(task.end or task.size) - task.start, partial=task.partial)

    def position(occ: Occurrence, offset: int) -> tuple[int, int]:
        return occ.line or 0, offset + 1

    try:
        for number, line in read_lines(task.path, task.start, task.end, max_line or None):
            if line is None:
                result.lines = number
                break
            if isinstance(line, LongLine):
                what = f"the line at byte {line.offset} is "
                result.errors.append(str(too_large(line.size, max_line, what)))
                continue
            suppressions = (
                Suppressions.scan(line, lambda _off, n=number: n)
                if "restquery" in line
                else Suppressions({})
            )
            _findings_of(extract_log_line(line, number), checker, task.display, position,
                         suppressions, result)
    except Unreadable as err:
        result.errors.append(str(err))
    except (OSError, EOFError) as err:  # a log that breaks off: what was read stays read
        result.errors.append(getattr(err, "strerror", None) or str(err) or type(err).__name__)
    except Exception as err:
        result.errors.append(_failure(err))
    return result


def lint_task(
    task: Task, checker: Checker, max_file_size: int = DEFAULT_MAX_FILE_SIZE
) -> FileResult:
    """Run one task; a file that cannot be read, or is over ``max_file_size`` bytes (0: no
    limit; for a log, a line over it), gives a result with ``errors`` set. Never raises."""
    try:
        if task.kind == "log":
            return _lint_log(task, checker, max_file_size)
        text = read_text(task.path, max_file_size)
    except Unreadable as err:
        return FileResult(task.display, errors=[str(err)], size=task.size)
    except Exception as err:
        return FileResult(task.display, errors=[_failure(err)], size=task.size)
    result = lint_text(text, task.kind, checker, task.display)
    result.size = task.size
    return result


# --- running ---------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}  # the checker and options of a pool worker (one per process)


def _init_worker(options: LintOptions) -> None:
    _WORKER["checker"] = make_checker(options)
    _WORKER["options"] = options


def _run_batch(tasks: list[Task]) -> list[FileResult]:
    checker, size = _WORKER["checker"], _WORKER["options"].max_file_size
    return [lint_task(t, checker, size) for t in tasks]


def _batches(tasks: Iterable[Task], limit: int = 1 << 20, count: int = 64) -> Iterator[list[Task]]:
    """Consecutive tasks grouped up to ``limit`` bytes or ``count`` files (fewer round trips)."""
    batch: list[Task] = []
    size = 0
    for t in tasks:
        weight = (t.end or t.size) - t.start
        if batch and (size + weight > limit or len(batch) >= count):
            yield batch
            batch, size = [], 0
        batch.append(t)
        size += weight
    if batch:
        yield batch


def _renumber(results: Iterator[FileResult]) -> Iterator[FileResult]:
    """Chunks of a log number their lines from 1: shift them after the previous chunks."""
    offset = 0
    for r in results:
        if offset and r.findings:
            r.findings = [
                f._replace(line=f.line + offset, end_line=f.end_line + offset,
                          url_line=f.url_line + offset)
                for f in r.findings
            ]
        offset = offset + r.lines if r.partial else 0
        yield r


def run_tasks(
    tasks: Iterable[Task], options: LintOptions, jobs: int = 1, checker: Checker | None = None
) -> Iterator[FileResult]:
    """Results of ``tasks``, in order. ``jobs > 1`` runs them in that many processes, with a
    bounded number of batches in flight, so memory does not grow with the number of tasks."""
    if jobs <= 1:
        checker = checker or make_checker(options)
        yield from _renumber(lint_task(t, checker, options.max_file_size) for t in tasks)
        return
    yield from _renumber(_pooled(tasks, options, jobs))


def _pooled(tasks: Iterable[Task], options: LintOptions, jobs: int) -> Iterator[FileResult]:
    window = jobs * 3
    pending: deque[Future[list[FileResult]]] = deque()
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(options,)) as pool:
        batches = _batches(tasks)
        for batch in batches:
            pending.append(pool.submit(_run_batch, batch))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1
