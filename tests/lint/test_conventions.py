"""What users expect of a linter beside ruff, flake8 and eslint: .gitignore respected,
extend-exclude, standard input with --stdin-filename, --statistics, --quiet, --exit-zero,
--version, and `restquery rule CODE`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run

BAD = "fetch('/rest/Company(1)/blobAtt?$binary=true');\n"


def _paths(run: Run) -> list[str]:
    return sorted({f["path"] for f in json.loads(run.out)["findings"]})


def test_gitignore_is_respected_from_the_repository_root_down(
    lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    write(".gitignore", "build/\n*.gen.js\n")
    write("app/.gitignore", "local.js\n!keep.gen.js\n")
    for name in ("src/a.js", "build/a.js", "app/x.gen.js", "app/keep.gen.js", "app/local.js", "app/b.js"):
        write(name, BAD)
    run = lint("--no-config", "--format", "json", cwd=tmp_path)
    assert _paths(run) == ["app/b.js", "app/keep.gen.js", "src/a.js"]
    # walked from inside the repository: the root's .gitignore still applies
    run = lint("--no-config", "--format", "json", ".", cwd=tmp_path / "app")
    assert _paths(run) == ["b.js", "keep.gen.js"]
    # --no-gitignore walks everything
    assert len(_paths(lint("--no-config", "--no-gitignore", "--format", "json", cwd=tmp_path))) == 6
    # a file named on the command line is linted (pre-commit passes the files it means)
    assert _paths(lint("--no-config", "--format", "json", "build/a.js", cwd=tmp_path)) == ["build/a.js"]


def test_respect_gitignore_and_extend_exclude_in_the_configuration(
    lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    write(".gitignore", "build/\n")
    for name in ("src/a.js", "build/a.js", "legacy/a.js", "vendor/a.js"):
        write(name, BAD)
    write("pyproject.toml", '[tool.restquery]\nexclude = ["vendor"]\nextend-exclude = ["legacy"]\n'
          "respect-gitignore = false\n")
    assert _paths(lint("--format", "json", cwd=tmp_path)) == ["build/a.js", "src/a.js"]
    # --exclude replaces exclude; extend-exclude stays
    assert _paths(lint("--format", "json", "--exclude", "build", cwd=tmp_path)) == ["src/a.js", "vendor/a.js"]
    write("pyproject.toml", "[tool.restquery]\nrespect-gitignore = 1\n")
    run = lint("--format", "json", cwd=tmp_path)
    assert run.code == 2 and "respect-gitignore must be true or false" in run.err


def _cli(*argv: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "restquery", *argv], input=stdin, text=True,
                          capture_output=True, cwd=cwd)


def test_standard_input_as_a_named_file(tmp_path: Path) -> None:
    run = _cli("lint", "-", "--stdin-filename", "web/api.js", "--format", "concise", "--no-config",
               stdin=BAD, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith("web/api.js:1:33: RQ301 ")
    # without a name: running text, shown as -
    run = _cli("lint", "-", "--format", "json", "--no-config", stdin="GET /rest/E?$top=x\n", cwd=tmp_path)
    [finding] = json.loads(run.stdout)["findings"]
    assert (finding["path"], finding["code"]) == ("-", "RQ331")
    run = _cli("lint", "-", "a.js", "--no-config", cwd=tmp_path)
    assert run.returncode == 2 and "linted alone" in run.stderr
    run = _cli("lint", "--stdin-filename", "a.js", "--no-config", cwd=tmp_path)
    assert run.returncode == 2 and "give - as the path" in run.stderr


def test_statistics_quiet_and_exit_zero(
    lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    write("a.js", BAD * 3 + "fetch('/rest/E?$top=x');\n")
    run = lint("--no-config", "--statistics", "--quiet", "--format", "concise", cwd=tmp_path)
    assert run.code == 1
    lines = run.out.splitlines()
    assert len(lines) == 4 + 2 and not any(line.startswith("Checked") for line in lines)
    assert lines[-2:] == ["3  RQ301  binary-requires-expand", "1  RQ331  invalid-count"]
    assert lint("--no-config", "--exit-zero", cwd=tmp_path).code == 0
    assert lint("--no-config", "--exit-zero", "missing.js", cwd=tmp_path).code == 2
    # SARIF stays one document; the statistics go to standard error
    run = lint("--no-config", "--statistics", "--format", "sarif", cwd=tmp_path)
    json.loads(run.out)
    assert "3  RQ301  binary-requires-expand" in run.err


def test_version_and_rule_documentation() -> None:
    import restquery

    run = _cli("--version")
    assert run.returncode == 0 and run.stdout.strip() == f"restquery {restquery.__version__}"
    run = _cli("rule", "rq301", "wildcard-both-ends", "RQ601", "RQ016", "RQ007")
    assert run.returncode == 0, run.stderr
    text = run.stdout
    assert text.startswith("RQ301 binary-requires-expand (error, spec R15)")
    assert "RQ361 wildcard-both-ends (warning, spec R41, on under --strict)" in text
    assert "RQ601 spliced-filter-value (error, lint only" in text
    assert "RQ016 odata-operator (error, a syntax error)" in text
    assert "RQ007 empty-parameter (retired)" in text and "RQ114 took its place" in text
    assert "``" not in text.split("RQ361")[0]  # the docstrings' reStructuredText, as Markdown
    run = _cli("rule", "binary-requires-expnd")
    assert run.returncode == 2 and "did you mean binary-requires-expand" in run.stderr


@pytest.mark.parametrize("fmt", ["concise", "json-lines", "gitlab", "junit"])
def test_lint_writes_the_new_formats_to_a_file(
    fmt: str, lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    write("a.js", BAD)
    run = lint("--no-config", "--format", fmt, "-o", "report.out", "a.js", cwd=tmp_path)
    assert run.code == 1 and run.out == ""
    assert "RQ301" in (tmp_path / "report.out").read_text(encoding="utf-8")
