"""``restquery lint`` against hostile files: FIFOs, devices, unreadable and huge files, file
names and URLs holding terminal escapes, and files that make a URL check or an extractor fail.

One file's problem never ends the run: it is reported (exit status 2), the other files are
linted, the summary is printed. Each case runs the real command in a subprocess, with a
timeout, where a user would run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

BAD = "`/rest/Company(1)/blobAtt?$binary=true`\n"  # RQ301, an error
ESC = "\x1b[31m"


def lint(cwd: Path, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``restquery lint --no-config ARGV`` in ``cwd``; a hang fails the test, it does not stall it."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "restquery", "lint", "--no-config", *argv],
        cwd=cwd, capture_output=True, text=True, errors="surrogateescape", env=env,
        timeout=timeout, check=False,
    )


def summary(r: subprocess.CompletedProcess[str]) -> str:
    return r.stdout.strip().splitlines()[-1]


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


# --- what is not a regular file is never read ---------------------------------------------------


@needs_fifo
@pytest.mark.parametrize("name", ["pipe.md", "access.log", "capture.har"])
def test_a_fifo_is_a_problem_not_a_hang(tmp_path: Path, name: str) -> None:
    os.mkfifo(tmp_path / name)
    (tmp_path / "a.md").write_text(BAD, encoding="utf-8")
    r = lint(tmp_path, name, "a.md")
    assert r.returncode == 2
    assert f"restquery: error: {name}: not a regular file (a named pipe)" in r.stderr
    assert "a.md:1:27" in r.stdout and "RQ301" in r.stdout  # the next file is still linted
    assert summary(r).startswith("Checked 2 files, 1 URL: 1 error")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_is_a_problem_not_an_endless_read(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(BAD, encoding="utf-8")
    r = lint(tmp_path, "/dev/zero", "a.md")
    assert r.returncode == 2
    assert "restquery: error: /dev/zero: not a regular file (a character device)" in r.stderr
    assert "RQ301" in r.stdout and "problem" in summary(r)


@needs_fifo
def test_a_catalog_that_is_a_fifo_or_a_device_is_a_usage_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "catalog.json")
    (tmp_path / "a.md").write_text(BAD, encoding="utf-8")
    r = lint(tmp_path, "--catalog", "catalog.json", "a.md")
    assert r.returncode == 2
    assert "catalog" in r.stderr and "not a regular file (a named pipe)" in r.stderr
    if os.path.exists("/dev/zero"):
        r = lint(tmp_path, "--catalog", "/dev/zero", "a.md")
        assert r.returncode == 2 and "not a regular file (a character device)" in r.stderr


def test_a_catalog_over_the_size_limit_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "catalog.json").write_text('{"dataClasses": []}' + " " * 2000, encoding="utf-8")
    (tmp_path / "a.md").write_text(BAD, encoding="utf-8")
    r = lint(tmp_path, "--catalog", "catalog.json", "--max-file-size", "1K", "a.md")
    assert r.returncode == 2 and "over the 1024-byte limit, not loaded" in r.stderr


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="no /proc")
def test_a_file_that_fails_to_read_even_as_root(tmp_path: Path) -> None:
    # /proc/self/mem is a regular file that no one, root included, can read from its start.
    (tmp_path / "a.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "f.md").write_text("", encoding="utf-8")
    r = lint(tmp_path, "/proc/self/mem", "f.md/x.md", "a.md")
    assert r.returncode == 2
    assert "restquery: error: /proc/self/mem: Input/output error" in r.stderr
    assert "restquery: error: f.md/x.md: no such file or directory" in r.stderr  # its parent is a file
    assert "RQ301" in r.stdout and "problem" in summary(r)


# --- the size limit ------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_skipped_with_the_sizes_and_the_way_out(tmp_path: Path) -> None:
    big = BAD + "x" * 3000
    (tmp_path / "big.md").write_text(big, encoding="utf-8")
    (tmp_path / "a.md").write_text(BAD, encoding="utf-8")
    r = lint(tmp_path, "--max-file-size", "2K")
    assert r.returncode == 2
    line = next(x for x in r.stderr.splitlines() if "big.md" in x)
    assert f"big.md: {len(big)} bytes, over the 2048-byte limit, not linted" in line
    assert "--max-file-size" in line and "max-file-size in [tool.restquery]" in line
    assert "a.md:1:27" in r.stdout
    assert lint(tmp_path, "--max-file-size", "0").returncode == 1  # 0 lifts the limit
    assert lint(tmp_path).returncode == 1  # the default limit is far above


def test_the_limit_from_pyproject_and_its_errors(tmp_path: Path) -> None:
    (tmp_path / "big.md").write_text(BAD + "x" * 3000, encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}

    def run(config: str, *argv: str) -> subprocess.CompletedProcess[str]:
        (tmp_path / "pyproject.toml").write_text(f"[tool.restquery]\n{config}\n", encoding="utf-8")
        return subprocess.run([sys.executable, "-m", "restquery", "lint", *argv], cwd=tmp_path,
                              capture_output=True, text=True, env=env, timeout=60, check=False)

    r = run('max-file-size = "1K"')
    assert r.returncode == 2 and "over the 1024-byte limit" in r.stderr
    assert run("max-file-size = 1024", "--max-file-size", "1M").returncode == 1  # the option wins
    r = run('max-file-size = "lots"')
    assert r.returncode == 2 and "max-file-size must be a size in bytes" in r.stderr
    r = run("max-file-size = -1")
    assert r.returncode == 2 and "max-file-size must be a size in bytes" in r.stderr
    r = run("", "--max-file-size", "ten")
    assert r.returncode == 2 and "not a size in bytes" in r.stderr


def test_an_access_log_line_over_the_limit_is_skipped_the_others_are_read(tmp_path: Path) -> None:
    good = '1.2.3.4 - - [d] "GET /rest/Company(1)/blobAtt?$binary=true HTTP/1.1" 200 1\n'
    huge = '1.2.3.4 - - [d] "GET /rest/E?$top=' + "1" * 5000 + ' HTTP/1.1" 200 1\n'
    (tmp_path / "access.log").write_text(good + huge + good, encoding="utf-8")
    r = lint(tmp_path, "--max-file-size", "4K", "--format", "json")
    assert r.returncode == 2
    data = json.loads(r.stdout)
    assert [f["line"] for f in data["findings"]] == [1, 3]
    [problem] = data["problems"]
    offset = len(good)
    assert problem["message"].startswith(
        f"the line at byte {offset} is {len(huge) - 1} bytes, over the 4096-byte limit, not linted"
    )


# --- nothing raw from the user's files reaches the terminal ---------------------------------------


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_control_characters_in_file_names_are_escaped(tmp_path: Path, fmt: str) -> None:
    (tmp_path / f"a{ESC}.md").write_text(BAD, encoding="utf-8")
    r = lint(tmp_path, "--format", fmt)
    assert r.returncode == 1
    assert "\x1b" not in r.stdout and "\x1b" not in r.stderr
    assert "a\\x1b[31m.md" in r.stdout


@needs_fifo
def test_control_characters_in_problem_messages_are_escaped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / f"p{ESC}\n.md")
    r = lint(tmp_path, f"p{ESC}\n.md")
    assert r.returncode == 2
    assert "\x1b" not in r.stderr
    assert "restquery: error: p\\x1b[31m\\n.md: not a regular file" in r.stderr


def test_control_characters_in_urls_are_escaped(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(
        json.dumps({"u": f'/rest/Company(1)/blobAtt?$binary=true&$filter="a={ESC}"'}),
        encoding="utf-8",
    )
    for fmt in ("text", "github"):
        r = lint(tmp_path, "--format", fmt)
        assert r.returncode == 1 and "RQ301" in r.stdout
        assert "\x1b" not in r.stdout


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names must be bytes")
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_undecodable_file_names_in_every_format(tmp_path: Path, fmt: str) -> None:
    (tmp_path / os.fsdecode(b"b\xff.md")).write_text(BAD, encoding="utf-8")
    r = lint(tmp_path, "--format", fmt)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    if fmt == "json":
        assert json.loads(r.stdout)["findings"][0]["path"] == os.fsdecode(b"b\xff.md")
    if fmt == "sarif":
        uri = json.loads(r.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        assert uri["artifactLocation"]["uri"] == "b%FF.md"


def test_a_very_long_url_is_drawn_in_one_line(tmp_path: Path) -> None:
    url = "/rest/Company(1)/blobAtt?$binary=true&$filter=" + "x" * 3_000_000
    (tmp_path / "a.md").write_text(f"`{url}`\n", encoding="utf-8")
    start = time.perf_counter()
    r = lint(tmp_path)
    assert time.perf_counter() - start < 30
    assert r.returncode == 1
    assert len(r.stdout) < 2000 and "…" in r.stdout


# --- one URL or one file failing does not end the run ---------------------------------------------


def test_a_url_with_a_huge_number_is_checked_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(f"`/rest/Employee({'9' * 5000})`\n`/rest/Employee?$top={'9' * 5000}`\n"
                                   + BAD, encoding="utf-8")
    (tmp_path / "b.md").write_text(BAD, encoding="utf-8")
    r = lint(tmp_path, "--format", "json")
    assert "Traceback" not in r.stderr
    data = json.loads(r.stdout)
    assert data["summary"]["files"] == 2 and data["summary"]["urls"] == 4
    assert {f["path"] for f in data["findings"] if f["code"] == "RQ301"} == {"a.md", "b.md"}


@pytest.fixture
def lint_here(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """``restquery lint`` in this process (to break a part of it on purpose)."""
    from restquery.lint.cli import main

    def run(cwd: Path, *argv: str) -> tuple[int, str, str]:
        monkeypatch.chdir(cwd)
        code = main(["--no-config", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_an_exception_checking_one_url_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    lint_here: Callable[..., tuple[int, str, str]]) -> None:
    from restquery.lint import _check

    real = _check.Checker.check

    def check(self: _check.Checker, occ: object) -> object:
        if "Boom" in occ.text.chars[occ.start : occ.end]:  # type: ignore[attr-defined]
            raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")
        return real(self, occ)  # type: ignore[arg-type]

    monkeypatch.setattr(_check.Checker, "check", check)
    (tmp_path / "a.md").write_text("`/rest/Boom(1)`\n" + BAD, encoding="utf-8")
    (tmp_path / "b.md").write_text(BAD, encoding="utf-8")
    code, out, err = lint_here(tmp_path)
    assert code == 2
    assert "a.md: 1:2: could not be linted: ValueError: Exceeds the limit" in err
    assert "a.md:2:27" in out and "b.md:1:27" in out
    assert out.endswith("Checked 2 files, 3 URLs: 2 errors, 0 warnings (1 problem reading files or checking URLs).\n")


def test_an_extractor_failing_on_one_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       lint_here: Callable[..., tuple[int, str, str]]) -> None:
    from restquery.lint import _files

    real = _files.extract

    def extract(kind: str, text: str) -> object:
        if kind == "html":
            raise RecursionError("maximum recursion depth exceeded")
        return real(kind, text)

    monkeypatch.setattr(_files, "extract", extract)
    (tmp_path / "a.html").write_text("<p>/rest/E</p>", encoding="utf-8")
    (tmp_path / "b.md").write_text(BAD, encoding="utf-8")
    code, out, err = lint_here(tmp_path)
    assert code == 2
    assert "a.html: could not be linted: RecursionError" in err
    assert "b.md:1:27" in out and out.rstrip().endswith("(1 problem reading files or checking URLs).")


@pytest.mark.parametrize("chunk", [7, 100, 1000, 1 << 20])
def test_log_chunks_skip_a_long_line_once_without_reading_it_whole(tmp_path: Path, chunk: int) -> None:
    from restquery.lint._logs import LongLine, chunks, read_lines

    lines = [f'1.2.3.4 - - [d] "GET /rest/E({i}) HTTP/1.1" 200 1' for i in range(20)]
    lines[7] = "/rest/" + "x" * 5000
    path = tmp_path / "access.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen: list[str] = []
    long: list[LongLine] = []
    total = 0
    for a, b in chunks(path.stat().st_size, chunk):
        for number, line in read_lines(str(path), a, b, max_line=1000):
            if line is None:
                total += number
            elif isinstance(line, LongLine):
                long.append(line)
            else:
                seen.append(line)
    assert total == len(lines)
    assert seen == lines[:7] + lines[8:]
    assert long == [LongLine(sum(len(x) + 1 for x in lines[:7]), 5006)]


def test_the_limit_reaches_worker_processes(tmp_path: Path) -> None:
    for i in range(4):
        (tmp_path / f"a{i}.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "big.md").write_text(BAD + "x" * 3000, encoding="utf-8")
    r = lint(tmp_path, "--jobs", "2", "--max-file-size", "2K")
    assert r.returncode == 2 and "big.md:" in r.stderr and "over the 2048-byte limit" in r.stderr
    assert summary(r).startswith("Checked 5 files, 4 URLs: 4 errors")
