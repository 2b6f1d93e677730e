"""The ``restquery lint`` command: exit codes, options, configuration, walking, parallelism."""

from __future__ import annotations

import argparse
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from restquery.lint import cli
from restquery.report import use_color
from restquery.lint._progress import Progress
from restquery.lint._walk import Exclude, collect

from .conftest import CATALOG, PROJECT, Run

BAD = "fetch('/rest/Company(1)/blobAtt?$binary=true');\n"  # RQ301, an error
GOOD = "fetch('/rest/Company(1)/blobAtt?$binary=true&$expand=blobAtt');\n"


def _warning_code() -> tuple[str, str]:
    """A warning rule and a URL that draws it, found through restquery.validate."""
    import restquery

    for url in ["/rest/Employee?$method=release&$filter=\"a=1\"", "/rest/Employee(1)?$lock=true&$top=1",
                "/rest/Employee?$filter=\"a=*\"", "/rest/Employee?$atonce=true"]:
        for d in restquery.validate(url):
            if d.severity == "warning":
                return d.code, url
    raise AssertionError("no warning rule found")


# --- exit status -------------------------------------------------------------------------------


def test_exit_0_when_nothing_is_found(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("a.js", GOOD)
    r = lint("--no-config", cwd=tmp_path)
    assert r.code == 0, r
    assert r.out.endswith("Checked 1 file, 1 URL: no findings.\n")
    assert r.err == ""


def test_exit_1_on_errors(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("a.js", BAD)
    r = lint("--no-config", cwd=tmp_path)
    assert r.code == 1
    assert "a.js:1:33" in r.out and "RQ301 error" in r.out


def test_warnings_fail_only_with_strict(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    code, url = _warning_code()
    write("a.md", f"Use `{url}`.\n")
    r = lint("--no-config", "--select", code, cwd=tmp_path)
    assert r.code == 0 and f"{code} warning" in r.out, r
    assert lint("--no-config", "--select", code, "--strict", cwd=tmp_path).code == 1
    write("pyproject.toml", "[tool.restquery]\nstrict = true\n")
    assert lint("--select", code, cwd=tmp_path).code == 1


def test_exit_2_on_a_missing_path(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("a.js", BAD)
    r = lint("--no-config", "a.js", "nope.js", cwd=tmp_path)
    assert r.code == 2
    assert "nope.js: no such file or directory" in r.err
    assert "RQ301" in r.out  # the other files are still linted


def test_exit_2_on_an_unreadable_file(lint: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "latin1.md").write_bytes(b"caf\xe9 /rest/Employee(1)\n")
    r = lint("--no-config", cwd=tmp_path)
    assert r.code == 2
    assert "latin1.md: not UTF-8 text (byte 3)" in r.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--select", "RQ999"], "no rule matches RQ999"),
        (["--ignore", "nope"], "no rule matches nope"),
        (["--catalog", "missing.json"], "catalog"),
        (["--config", "missing.toml"], "cannot read"),
    ],
)
def test_exit_2_on_bad_options(lint: Callable[..., Run], tmp_path: Path, argv: list[str], message: str) -> None:
    r = lint(*argv, cwd=tmp_path)
    assert r.code == 2
    assert message in r.err


@pytest.mark.parametrize("argv", [["--format", "xml"], ["--jobs", "-1"], ["--method", "G3T"], ["--max-errors", "0"]])
def test_exit_2_on_argument_errors(lint: Callable[..., Run], argv: list[str]) -> None:
    assert lint(*argv).code == 2


def test_bad_configuration_is_a_usage_error(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("pyproject.toml", "[tool.restquery]\nselct = ['RQ1']\n")
    r = lint(cwd=tmp_path)
    assert r.code == 2 and "unknown key in [tool.restquery]: selct" in r.err
    write("pyproject.toml", "[tool.restquery\n")
    assert lint(cwd=tmp_path).code == 2


# --- options and configuration -----------------------------------------------------------------


def test_select_and_ignore(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("a.js", BAD + "fetch('/rest/Company(1)/blobAtt?$binary=true&$expand=logo');\n")
    r = lint("--no-config", "--select", "RQ301,RQ302", "--format", "json", cwd=tmp_path)
    codes = [f["code"] for f in json.loads(r.out)["findings"]]
    assert codes == ["RQ301", "RQ302"]
    r = lint("--no-config", "--select", "RQ30", "--ignore", "binary-requires-expand", "--format", "json", cwd=tmp_path)
    assert [f["code"] for f in json.loads(r.out)["findings"]] == ["RQ302"]
    r = lint("--no-config", "--select", "RQ301", "--select", "binary-expand-mismatch", "--format", "json", cwd=tmp_path)
    assert [f["code"] for f in json.loads(r.out)["findings"]] == ["RQ301", "RQ302"]


def test_catalog_option(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("a.md", "`/rest/Employe(1)`\n")
    assert lint("--no-config", "--select", "RQ201", cwd=tmp_path).code == 0
    r = lint("--no-config", "--select", "RQ201", "--catalog", str(CATALOG), cwd=tmp_path)
    assert r.code == 1 and "RQ201" in r.out


def test_configuration_is_found_walking_up_and_the_command_line_wins(
    lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    write("pyproject.toml", f'[tool.restquery]\ncatalog = "{CATALOG.as_posix()}"\nselect = ["RQ201"]\nexclude = ["skip"]\n')
    write("sub/a.md", "`/rest/Employe(1)` and `/rest/Company(1)/blobAtt?$binary=true`\n")
    write("sub/skip/b.md", "`/rest/Employe(1)`\n")
    r = lint("--format", "json", cwd=tmp_path / "sub")
    data = json.loads(r.out)
    assert [f["code"] for f in data["findings"]] == ["RQ201"]
    assert data["summary"]["files"] == 1
    # --select replaces select; --exclude replaces exclude.
    r = lint("--format", "json", "--select", "RQ301", "--exclude", "nothing", cwd=tmp_path / "sub")
    data = json.loads(r.out)
    assert sorted(f["code"] for f in data["findings"]) == ["RQ301"]
    assert data["summary"]["files"] == 2
    # --no-config: no catalog, default rules.
    r = lint("--no-config", "--format", "json", "--select", "RQ201", cwd=tmp_path / "sub")
    assert json.loads(r.out)["findings"] == []


def test_config_option_and_method(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    cfg = write("conf/pyproject.toml", '[tool.restquery]\nmethod = "post"\n')
    write("a.md", "`/rest/Employee(1)`\n")
    r = lint("--config", str(cfg), "--format", "json", cwd=tmp_path)
    assert r.code == 0
    r = lint("--config", str(cfg), "--format", "json", "--select", "RQ1", cwd=tmp_path)
    assert all(f["method"] == "POST" for f in json.loads(r.out)["findings"])


def test_walk_skips_vcs_venvs_node_modules_and_unknown_files(write: Callable[[str, str], Path], tmp_path: Path) -> None:
    for rel in [".git/x.js", "node_modules/p/x.js", ".venv/x.py", "env/pyvenv.cfg", "env/lib/x.py",
                "src/x.js", "src/x.bin", "src/sub/y.md", "src/x.min.js", "README"]:
        write(rel, BAD)
    entries, missing = collect(["."], [Exclude("*.min.js", str(tmp_path))], cwd=str(tmp_path))
    assert [e.display for e in entries] == ["src/sub/y.md", "src/x.js"]
    assert missing == []
    # A file named explicitly is linted whatever its extension, unless excluded.
    entries, _ = collect(["README", "src/x.min.js"], [Exclude("*.min.js", str(tmp_path))], cwd=str(tmp_path))
    assert [(e.display, e.kind) for e in entries] == [("README", "text")]


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("vendor", "vendor/a.js", True),
        ("vendor", "x/vendor/a.js", True),
        ("vendor/", "vendor/a.js", True),
        ("*.min.js", "a/b/c.min.js", True),
        ("docs/legacy/*", "docs/legacy/a.md", True),
        ("docs/legacy", "docs/legacy/sub/a.md", True),
        ("docs/legacy/*", "other/docs/legacy/a.md", False),
        ("vendor", "vendored/a.js", False),
    ],
)
def test_exclude_globs(tmp_path: Path, pattern: str, path: str, hit: bool) -> None:
    assert Exclude(pattern, str(tmp_path)).matches(str(tmp_path / path)) is hit


def test_jobs_give_the_same_output_in_the_same_order(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    for i in range(30):
        write(f"d{i % 4}/f{i:02}.js", BAD * (i % 3) + GOOD)
    lines = "".join(
        f'1.2.3.4 - - [d] "GET /rest/Company({i})/blobAtt?$binary={"true" if i % 7 == 0 else "x"} HTTP/1.1" 200 1\n'
        for i in range(3000)
    )
    write("logs/access.log", lines)
    from restquery.lint import _logs

    one = lint("--no-config", "--format", "json", "--jobs", "1", cwd=tmp_path)
    orig = _logs.CHUNK_BYTES
    try:
        # Small chunks: the log is split between processes and renumbered.
        _logs.CHUNK_BYTES = 4096
        two = lint("--no-config", "--format", "json", "--jobs", "2", cwd=tmp_path)
        three = lint("--no-config", "--format", "json", "--jobs", "3", cwd=tmp_path)
    finally:
        _logs.CHUNK_BYTES = orig
    assert one.code == two.code == three.code == 1
    assert one.out == two.out == three.out
    findings = json.loads(one.out)["findings"]
    log_lines = [f["line"] for f in findings if f["path"] == "logs/access.log"]
    assert log_lines and log_lines == sorted(log_lines)
    assert max(log_lines) > 2900


def test_output_file(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("a.js", BAD)
    r = lint("--no-config", "--format", "sarif", "-o", "out.sarif", cwd=tmp_path)
    assert r.code == 1 and r.out == ""
    assert json.loads((tmp_path / "out.sarif").read_text())["version"] == "2.1.0"


# --- terminal: colour and progress -------------------------------------------------------------


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert use_color(_Tty()) is True
    assert use_color(io.StringIO()) is False
    # no-color.org: an empty NO_COLOR is no NO_COLOR
    monkeypatch.setenv("NO_COLOR", "")
    assert use_color(_Tty()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(_Tty()) is False
    # force-color.org: a non-empty FORCE_COLOR paints a pipe too; NO_COLOR still wins
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert use_color(_Tty()) is False
    monkeypatch.delenv("NO_COLOR")
    assert use_color(io.StringIO()) is True
    monkeypatch.setenv("FORCE_COLOR", "")
    assert use_color(io.StringIO()) is False
    # --color always / never decide alone
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(io.StringIO(), "always") is True
    monkeypatch.delenv("NO_COLOR")
    assert use_color(_Tty(), "never") is False


def test_text_output_is_coloured_on_a_terminal(monkeypatch: pytest.MonkeyPatch, write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("a.js", BAD)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    out, err = _Tty(), io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    assert cli.main(["--no-config"]) == 1
    assert "\x1b[" in out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    out2 = _Tty()
    monkeypatch.setattr("sys.stdout", out2)
    cli.main(["--no-config"])
    assert "\x1b[" not in out2.getvalue()


def test_progress_bar_waits_for_a_long_run_and_erases_itself() -> None:
    now = [0.0]
    stream = _Tty()
    p = Progress(1000, 4, stream, delay=1.0, interval=0.1, clock=lambda: now[0])
    p.advance(100, files=1, urls=5)
    assert stream.getvalue() == ""  # a short run draws nothing
    now[0] = 1.5
    p.advance(400, files=1, urls=5)
    assert "50.0%" in stream.getvalue() and "2/4 files" in stream.getvalue()
    drawn = stream.getvalue()
    now[0] = 1.55
    p.advance(100)
    assert stream.getvalue() == drawn  # at most ten redraws a second
    p.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_no_progress_when_stderr_is_not_a_terminal(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("a.js", BAD)
    r = lint("--no-config", cwd=tmp_path)
    assert "\r" not in r.err and r.err == ""


# --- wiring ------------------------------------------------------------------------------------


def test_configure_and_run_mirror_a_cli_command(write: Callable[[str, str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """What ``restquery.cli`` does with a ``Command(help, configure, run)``."""
    parser = argparse.ArgumentParser(prog="restquery")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("lint", help=cli.HELP)
    cli.configure(p)
    p.set_defaults(_run=cli.run)
    write("a.js", BAD)
    monkeypatch.chdir(tmp_path)
    args = parser.parse_args(["lint", "--no-config", "--format", "github", "a.js"])
    assert args._run(args) == 1
    assert capsys.readouterr().out.startswith("::error file=a.js,line=1,col=33,endColumn=45,title=RQ301::")


def test_the_registration_line_works_in_restquery_cli(
    write: Callable[[str, str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``COMMANDS["lint"] = Command(help=..., configure=..., run=...)`` gives ``restquery lint``."""
    from restquery import cli as main_cli

    monkeypatch.setitem(
        main_cli.COMMANDS, "lint", main_cli.Command(help=cli.HELP, configure=cli.configure, run=cli.run)
    )
    write("a.js", BAD)
    monkeypatch.chdir(tmp_path)
    assert main_cli.main(["lint", "--no-config", "--format", "github"]) == 1
    assert "title=RQ301" in capsys.readouterr().out
    assert main_cli.main(["lint", "--select", "RQ999"]) == 2


def test_registered_in_restquery_cli_when_the_lead_adds_it() -> None:
    from restquery.cli import COMMANDS

    if "lint" not in COMMANDS:
        pytest.skip("restquery.cli does not register `lint` yet")
    assert COMMANDS["lint"].run is cli.run and COMMANDS["lint"].configure is cli.configure


def test_module_entry_point(tmp_path: Path, write: Callable[[str, str], Path]) -> None:
    import subprocess
    import sys

    write("a.js", BAD)
    env = {**os.environ, "NO_COLOR": "1"}
    r = subprocess.run([sys.executable, "-m", "restquery.lint", "--no-config", "--format", "github"],
                       cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert r.returncode == 1 and "title=RQ301" in r.stdout


def test_fixture_project_is_linted_from_its_directory(lint: Callable[..., Run]) -> None:
    r = lint("--format", "json", cwd=PROJECT)
    data = json.loads(r.out)
    paths = {f["path"] for f in data["findings"]}
    assert not any(p.startswith(("vendor/", "web/dist/")) for p in paths)  # excluded
    assert {"web/src/api.js", "scripts/sync.py", "docs/rest-guide.md", "captures/session.har",
            "logs/access.log", "postman/hr.postman_collection.json"} <= paths
    assert data["summary"]["suppressed"] == 2


def test_progress_counts_a_chunked_log_once_at_its_last_chunk(
    write: Callable[[str, str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large log is linted in chunks: "1/2 files" only once the log is done, not at its
    first chunk."""
    from restquery.lint import _logs, _progress

    write("access.log", "".join(f'1.2.3.4 - - [x] "GET /rest/Employee({n}) HTTP/1.1" 200 1\n' for n in range(400)))
    write("a.js", BAD)
    monkeypatch.setattr(_logs, "CHUNK_BYTES", 4096)
    seen: list[tuple[int, int]] = []
    advance = _progress.Progress.advance

    def spy(self: _progress.Progress, nbytes: int, files: int = 0, urls: int = 0) -> None:
        advance(self, nbytes, files, urls)
        seen.append((self.files, self.done))

    monkeypatch.setattr(_progress.Progress, "advance", spy)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdout", io.StringIO())
    cli.main(["--no-config", "a.js", "access.log"])
    total = (tmp_path / "access.log").stat().st_size + (tmp_path / "a.js").stat().st_size
    assert len(seen) > 3  # the log came in several chunks
    assert [files for files, _ in seen] == [1] * (len(seen) - 1) + [2]
    assert seen[-1][1] == total
