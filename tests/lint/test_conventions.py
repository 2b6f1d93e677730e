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


# --- suppression comments and per-file-ignores ----------------------------------------------------


def test_next_line_suppression_and_warnings_for_useless_comments(
    lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    write("a.js", (
        "fetch('/rest/Company(1)/blobAtt?$binary=true'); // restquery: ignore[RQ301]\n"
        "fetch('/rest/Employee'); // restquery: ignore[RQ3O1, binary-requires-expand]\n"
        "// restquery: ignore-next-line[invalid-count]\n"
        "fetch('/rest/Employee?$top=x');\n"
        "fetch('/rest/Employee'); // restquery: ignore\n"
    ))
    run = lint("--no-config", "--format", "json", cwd=tmp_path)
    data = json.loads(run.out)
    got = [(f["line"], f["code"], f["url"][f["start"]:f["end"]]) for f in data["findings"]]
    assert got == [
        (2, "RQ605", "RQ3O1"),
        (2, "RQ606", "binary-requires-expand"),
        (5, "RQ606", "restquery: ignore"),
    ]
    assert data["summary"]["suppressed"] == 2  # RQ301 on line 1, RQ331 on line 4
    # under a selection an unrun rule cannot have been hidden: no RQ606, RQ605 still
    run = lint("--no-config", "--format", "json", "--select", "RQ3,RQ605", cwd=tmp_path)
    assert [f["code"] for f in json.loads(run.out)["findings"]] == ["RQ605"]
    assert [f["code"] for f in json.loads(lint("--no-config", "--format", "json", "--ignore", "RQ6",
                                                cwd=tmp_path).out)["findings"]] == []


def test_per_file_ignores(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    for name in ("docs/legacy/a.md", "docs/b.md", "src/a.js"):
        write(name, "`/rest/Company(1)/blobAtt?$binary=true` `/rest/E?$top=x`\n")
    write("pyproject.toml", '[tool.restquery.per-file-ignores]\n"docs/legacy/*" = ["rq3"]\n"src/*" = ["invalid-count"]\n')
    data = json.loads(lint("--format", "json", cwd=tmp_path).out)
    got = sorted((f["path"], f["code"]) for f in data["findings"])
    assert got == [("docs/b.md", "RQ301"), ("docs/b.md", "RQ331"), ("src/a.js", "RQ301")]
    assert data["summary"]["suppressed"] == 3
    write("pyproject.toml", '[tool.restquery.per-file-ignores]\n"docs/*" = ["RQ3O1"]\n')
    run = lint("--format", "json", cwd=tmp_path)
    assert run.code == 2 and "per-file-ignores.docs/*" in run.err and "RQ3O1" in run.err
