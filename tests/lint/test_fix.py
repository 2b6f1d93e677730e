"""`lint --fix`, `--unsafe-fixes`, `--diff` and `check --fix`: the fixes written into files as
the files write them, never over a file that moved, and a second run finds nothing to fix."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from restquery.lint import lint_text
from restquery.lint._fix import fix_file

from .conftest import Run

SRC = (
    "fetch('/rest/Company(1)/blobAtt?$binary=true');\n"
    'fetch("/rest/Employee?$select=lastName&$top=5&");\n'
    "fetch(`/rest/Employee?$filter=\"lastName='${name}'\"`);\n"
)
SAFE = (
    "fetch('/rest/Company(1)/blobAtt?$binary=true&$expand=blobAtt');\n"
    'fetch("/rest/Employee?$attributes=lastName&$top=5");\n'
    "fetch(`/rest/Employee?$filter=\"lastName='${name}'\"`);\n"
)
UNSAFE_LINE = (
    "fetch(`/rest/Employee?$filter=\"lastName=:1\"&$params=${encodeURIComponent(JSON.stringify([name]))}`);\n"
)


def test_fix_applies_the_safe_fixes_and_a_second_run_finds_nothing(
    lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    path = write("web/a.js", SRC)
    run = lint("--no-config", "--fix", "--format", "concise", cwd=tmp_path)
    assert path.read_text(encoding="utf-8") == SAFE
    assert "fixed 3 findings in 1 file" in run.err
    # what is left is reported, and fails the run
    assert run.code == 1 and [line.split(": ")[1].split()[0] for line in run.out.splitlines()[:-1]] == ["RQ601"]
    again = lint("--no-config", "--diff", cwd=tmp_path)
    assert (again.code, again.out) == (0, "")


def test_unsafe_fixes_rewrite_the_spliced_filter_too(
    lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    path = write("a.js", SRC)
    run = lint("--no-config", "--fix", "--unsafe-fixes", cwd=tmp_path)
    assert run.code == 0, run.out
    assert path.read_text(encoding="utf-8") == SAFE.splitlines(keepends=True)[0] + SAFE.splitlines(
        keepends=True
    )[1] + UNSAFE_LINE
    assert lint_text(path.read_text(encoding="utf-8"), "js") == []


def test_diff_shows_without_writing_and_git_applies_it(
    lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    path = write("web/a.js", SRC)
    run = lint("--no-config", "--diff", cwd=tmp_path)
    assert run.code == 1
    assert path.read_text(encoding="utf-8") == SRC  # nothing written
    assert run.out.startswith("--- a/web/a.js\n+++ b/web/a.js\n")
    git = shutil.which("git")
    assert git is not None
    subprocess.run([git, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "fix.diff").write_text(run.out, encoding="utf-8")
    subprocess.run([git, "apply", "fix.diff"], cwd=tmp_path, check=True)
    assert path.read_text(encoding="utf-8") == SAFE


def test_line_breaks_bom_and_mode_are_kept(
    lint: Callable[..., Run], tmp_path: Path
) -> None:
    path = tmp_path / "a.js"
    path.write_bytes(b"\xef\xbb\xbf" + SRC.replace("\n", "\r\n").encode("utf-8"))
    os.chmod(path, 0o640)
    lint("--no-config", "--fix", cwd=tmp_path)
    assert path.read_bytes() == b"\xef\xbb\xbf" + SAFE.replace("\n", "\r\n").encode("utf-8")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    mixed = tmp_path / "b.js"
    mixed.write_bytes(SRC.replace("\n", "\r\n", 1).encode("utf-8"))
    run = lint("--no-config", "--fix", "b.js", cwd=tmp_path)
    assert "line breaks are mixed" in run.err
    assert mixed.read_bytes() == SRC.replace("\n", "\r\n", 1).encode("utf-8")


def test_a_file_that_moved_while_it_was_fixed_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.js"
    path.write_text(SRC, encoding="utf-8")
    edited = SRC + "// saved by an editor meanwhile\n"

    def lint(text: str) -> list:
        if path.read_text(encoding="utf-8") == SRC:
            path.write_text(edited, encoding="utf-8")
        return lint_text(text, "js", path="a.js")

    done = fix_file(str(path), "a.js", lint)
    assert done.fixed == 3 and done.refused == "it changed while it was being fixed: not written"
    assert path.read_text(encoding="utf-8") == edited


def test_a_fix_the_literal_would_need_escaped_is_reported_not_written(
    lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    # RQ116 quotes the value with `"`: inside a "..." literal that needs `\"`, which lint does
    # not write; inside '...' it goes in as it is.
    src = 'fetch("/rest/Employee?$orderby=lastName desc");\nfetch(\'/rest/Employee?$orderby=lastName desc\');\n'
    path = write("a.js", src)
    [double, single] = lint_text(src, "js")
    assert double.diagnostic.fix is not None and double.source_fix is None
    assert single.source_fix is not None
    lint("--no-config", "--fix", cwd=tmp_path)
    assert path.read_text(encoding="utf-8") == (
        'fetch("/rest/Employee?$orderby=lastName desc");\n'
        "fetch('/rest/Employee?$orderby=\"lastName desc\"');\n"
    )


def test_fix_and_diff_refuse_what_they_cannot_do(lint: Callable[..., Run], tmp_path: Path) -> None:
    assert "give one" in lint("--no-config", "--fix", "--diff", cwd=tmp_path).err
    assert "standard input has none" in lint("--no-config", "--fix", "-", cwd=tmp_path).err


def _check(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "restquery", "check", *argv], capture_output=True, text=True)


def test_check_fix_prints_each_url_fixed() -> None:
    run = _check("--fix", "/rest/Company(11)/blobAtt?$binary=true&&", '/rest/Employee?$select=a&$filter="b eq 1"')
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
        '/rest/Employee?$attributes=a&$filter="b = 1"',
    ]
    # what no fix mends keeps failing the run; the URL is still printed
    run = _check("--fix", "/rest/Employee?$top=x&&")
    assert run.returncode == 1 and run.stdout == "/rest/Employee?$top=x\n"
    assert _check("--fix", "--statistics", "/rest/E").returncode == 2


@pytest.mark.parametrize("url", ["/rest/Employee?$filter=\"a=1\"", "/rest/Company(1)"])
def test_check_fix_leaves_a_clean_url_as_it_is(url: str) -> None:
    run = _check("--fix", url)
    assert (run.returncode, run.stdout) == (0, url + "\n")
