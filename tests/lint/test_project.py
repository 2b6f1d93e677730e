"""``--project DIR`` on ``restquery lint`` and ``restquery check``, and ``project = "…"`` in
``[tool.restquery]``: the schema rules with the catalog read from a 4D project's sources."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .conftest import CATALOG, REPO, Run

ACME = REPO / "tests" / "fixtures" / "projects" / "acme"
URLS = "`/rest/AuditLog` `/rest/Employe(1)` `/rest/Employee(1)/fullName` `/rest/Company/recount`\n"


def _codes(run: Run) -> list[str]:
    return [f["code"] for f in json.loads(run.out)["findings"]]


def test_lint_reads_the_project(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("a.md", URLS)
    run = lint("--no-config", "--format", "json", "--select", "RQ2", "--project", str(ACME), cwd=tmp_path)
    assert run.code == 1
    assert _codes(run) == ["RQ201", "RQ201", "RQ203"]
    # worker processes read the project themselves
    jobs = lint("--no-config", "--format", "json", "--select", "RQ2", "--project", str(ACME),
                "--jobs", "2", cwd=tmp_path)
    assert _codes(jobs) == _codes(run)


def test_the_configuration_names_the_project(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    shutil.copytree(ACME, tmp_path / "app")
    write("pyproject.toml", '[tool.restquery]\nproject = "app"\nselect = ["RQ2"]\n')
    write("docs/a.md", URLS)
    run = lint("--format", "json", "docs", cwd=tmp_path)
    assert _codes(run) == ["RQ201", "RQ201", "RQ203"]
    # --catalog on the command line replaces the configured project
    run = lint("--format", "json", "--catalog", str(ACME / "catalog.json"), "docs", cwd=tmp_path)
    assert _codes(run) == ["RQ201", "RQ201", "RQ202"]


def test_both_catalog_and_project_in_the_configuration(lint: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("pyproject.toml", f'[tool.restquery]\nproject = "."\ncatalog = "{CATALOG.as_posix()}"\n')
    run = lint(cwd=tmp_path)
    assert run.code == 2 and "has both catalog and project: keep one" in run.err


def test_both_options_are_refused(lint: Callable[..., Run], tmp_path: Path) -> None:
    run = lint("--catalog", str(CATALOG), "--project", str(ACME), cwd=tmp_path)
    assert run.code == 2 and "not allowed with argument" in run.err


def test_a_folder_that_is_no_project(lint: Callable[..., Run], tmp_path: Path) -> None:
    run = lint("--no-config", "--project", str(tmp_path), cwd=tmp_path)
    assert run.code == 2
    assert "not a 4D project folder" in run.err and "Traceback" not in run.err


def _check(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "restquery", "check", *argv], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=60)


def test_check_reads_the_project(tmp_path: Path) -> None:
    run = _check("--project", str(ACME), "--format", "json", "/rest/AuditLog",
                 "/rest/Employee(1)/fullName", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    hidden, fine = json.loads(run.stdout)
    assert [d["code"] for d in hidden["diagnostics"]] == ["RQ201"]
    assert hidden["diagnostics"][0]["message"] == "The dataclass `AuditLog` is not exposed."
    assert fine["ok"] is True


def test_check_names_the_line_of_a_broken_structure(tmp_path: Path) -> None:
    shutil.copytree(ACME, tmp_path / "app")
    structure = tmp_path / "app" / "Project" / "Sources" / "catalog.4DCatalog"
    text = structure.read_text(encoding="utf-8").replace('type="9"', 'type="99"')
    structure.write_text(text, encoding="utf-8")
    run = _check("--project", str(tmp_path / "app"), "/rest/Employee", cwd=tmp_path)
    assert run.returncode == 2
    line = text[: text.index('type="99"')].count("\n") + 1
    assert f"catalog.4DCatalog:{line}: field \"Employee.hireTime\" has type=\"99\"" in run.stderr
    assert "Traceback" not in run.stderr
