"""Which files to lint: the paths given, directories walked in name order.

Walking skips version-control directories, virtual environments (any directory holding a
``pyvenv.cfg``), ``node_modules`` and tool caches, files of no known kind, and whatever an
exclude glob names. A glob is matched (``fnmatch``, ``*`` crossing ``/``) against the path
relative to the glob's base directory (the configuration file's directory for ``exclude`` in
``pyproject.toml``, the working directory for ``--exclude``): a glob without ``/`` names a file
or directory at any depth (``vendor``, ``*.min.js``); a glob with ``/`` is anchored at the base
and covers what is inside the directories it names (``docs/legacy``, ``docs/legacy/*``).
A file named on the command line is linted whatever its extension (as running text when its kind
is unknown), unless an exclude glob names it, so that pre-commit's file lists obey the
configuration.

Walking also leaves out what Git ignores: the ``.gitignore`` files of the directories walked
and of their parents up to the repository's root (the directory holding ``.git``), read with
``pathspec`` as Git reads them (the deepest file that decides wins, ``!`` re-includes).
``respect_gitignore=False`` (``--no-gitignore``) walks everything.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from restquery.lint._files import kind_of
from restquery.report import display_path

__all__ = ["SKIP_DIRS", "Entry", "Exclude", "GitIgnores", "collect", "display_path"]

SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".bzr", "_darcs", ".jj",
        "node_modules", "bower_components",
        ".venv", "venv", ".tox", ".nox", "__pypackages__",
        "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", ".eggs",
        "site-packages",
    }
)


@dataclass(frozen=True)
class Exclude:
    """A glob and the directory its relative paths start from."""

    pattern: str
    base: str

    def matches(self, path: str) -> bool:
        pattern = self.pattern.rstrip("/")
        if not pattern:
            return False
        try:
            rel = os.path.relpath(path, self.base)
        except ValueError:  # another drive (Windows)
            rel = path
        rel = rel.replace(os.sep, "/")
        if rel.startswith("../"):
            rel = path.replace(os.sep, "/")
        parts = rel.split("/")
        if "/" not in pattern:
            # A bare name or glob: any file or directory of that name, at any depth.
            return any(fnmatch.fnmatchcase(part, pattern) for part in parts)
        # A path glob: anchored at the base; a directory it names covers what is inside.
        return any(
            fnmatch.fnmatchcase("/".join(parts[:i]), pattern) for i in range(1, len(parts) + 1)
        )


@dataclass(frozen=True)
class Entry:
    """A file to lint: where it is, how to show it, how to read it, how big it is."""

    path: str
    display: str
    kind: str
    size: int




def _excluded(path: str, excludes: Sequence[Exclude]) -> bool:
    absolute = os.path.abspath(path)
    return any(e.matches(absolute) for e in excludes)


def _entries(directory: str) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return iter(())
    return iter(entries)


class GitIgnores:
    """The ``.gitignore`` files that apply where the walk is: ``(directory, spec)`` from the
    outermost in."""

    __slots__ = ("_specs",)

    def __init__(self, specs: list[tuple[str, object]] | None = None) -> None:
        self._specs: list[tuple[str, object]] = specs or []

    @classmethod
    def above(cls, root: str) -> GitIgnores:
        """The ``.gitignore`` files of ``root``'s parents, up to the repository's root (none
        when ``root`` is in no repository)."""
        chain = []
        d = os.path.dirname(os.path.abspath(root))
        while True:
            chain.append(d)
            if os.path.exists(os.path.join(d, ".git")):
                break
            parent = os.path.dirname(d)
            if parent == d:
                return cls()  # not in a repository: only the walked directories' own
            d = parent
        out = cls()
        for d in reversed(chain):
            out = out.entering(d)
        return out

    def entering(self, directory: str) -> GitIgnores:
        """These, and ``directory``'s own ``.gitignore`` if it has one."""
        path = os.path.join(directory, ".gitignore")
        try:
            with open(path, encoding="utf-8", errors="surrogateescape") as fh:
                lines = fh.read().splitlines()
        except OSError:
            return self
        import pathspec

        return GitIgnores([*self._specs, (directory, pathspec.GitIgnoreSpec.from_lines(lines))])

    def ignores(self, path: str, is_dir: bool) -> bool:
        for base, spec in reversed(self._specs):
            rel = os.path.relpath(path, base).replace(os.sep, "/") + ("/" if is_dir else "")
            decision = spec.check_file(rel).include  # type: ignore[attr-defined]
            if decision is not None:
                return bool(decision)
        return False


def _walk(root: str, excludes: Sequence[Exclude], respect_gitignore: bool = True) -> Iterator[str]:
    # A stack of directories being read, not recursion: a tree may be nested deeper than
    # Python's recursion limit.
    ignores = GitIgnores.above(root).entering(root) if respect_gitignore else None
    stack = [(_entries(root), ignores)]
    while stack:
        entries, ignored = stack[-1]
        e = next(entries, None)
        if e is None:
            stack.pop()
            continue
        try:
            is_dir = e.is_dir(follow_symlinks=False)
            is_file = e.is_file()
        except OSError:
            continue
        if is_dir:
            if e.name in SKIP_DIRS or _excluded(e.path, excludes):
                continue
            if os.path.exists(os.path.join(e.path, "pyvenv.cfg")):
                continue
            if ignored is not None and ignored.ignores(e.path, True):
                continue
            stack.append((_entries(e.path), ignored.entering(e.path) if ignored is not None else None))
        elif is_file and kind_of(e.name) is not None and not _excluded(e.path, excludes):
            if ignored is None or not ignored.ignores(e.path, False):
                yield e.path


def collect(
    paths: Sequence[str],
    excludes: Sequence[Exclude] = (),
    cwd: str | None = None,
    respect_gitignore: bool = True,
) -> tuple[list[Entry], list[str]]:
    """The files to lint under ``paths`` (in order, each once) and the paths that do not exist."""
    cwd = cwd or os.getcwd()
    seen: set[str] = set()
    out: list[Entry] = []
    missing: list[str] = []

    def add(path: str, explicit: bool) -> None:
        key = os.path.realpath(path)
        if key in seen:
            return
        seen.add(key)
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        kind = kind_of(path) or ("text" if explicit else None)
        if kind is not None:
            out.append(Entry(path, display_path(path, cwd), kind, size))

    for p in paths:
        path = p if os.path.isabs(p) else os.path.join(cwd, p)
        if os.path.isdir(path):
            for f in _walk(path, excludes, respect_gitignore):
                add(f, False)
        elif os.path.isfile(path) or os.path.exists(path):
            if not _excluded(path, excludes):
                add(path, True)
        else:
            missing.append(p)
    return out, missing
