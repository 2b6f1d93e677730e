"""docs/ci.md: the GitHub Actions workflow and the GitLab job are valid YAML, and their
`restquery` commands, run as written on a 4D fixture project, lint it against its own sources
and write the SARIF the upload step reads."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "ci.md"
ACME = REPO / "tests" / "fixtures" / "projects" / "acme"

#: Client code of the fixture project: one clean URL, one the project's schema refutes, one
#: value spliced in by code.
CLIENT = """\
export const active = () => fetch(`/rest/Employee?$filter="isActive=true"&$top=50`);
export const wrong = () => fetch(`/rest/Employee(1)/salry`);
export const search = (name) => fetch(`/rest/Employee?$filter="lastName='${name}'"`);
"""


def _blocks() -> list[Any]:
    text = DOC.read_text(encoding="utf-8")
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)]


def _commands(node: Any) -> list[str]:
    """Every shell line of a workflow or job that runs restquery (not the install)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script"):
                lines = value if isinstance(value, list) else str(value).splitlines()
                found += [line for line in lines if line.strip().startswith("restquery ")]
            else:
                found += _commands(value)
    elif isinstance(node, list):
        for item in node:
            found += _commands(item)
    return found


def _github_job() -> dict[str, Any]:
    [workflow] = [b for b in _blocks() if isinstance(b, dict) and "jobs" in b]
    return workflow


def _gitlab_job() -> dict[str, Any]:
    [job] = [b for b in _blocks() if isinstance(b, dict) and "restquery" in b and "jobs" not in b]
    return job["restquery"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository whose root is a 4D project folder, with client code beside it."""
    root = tmp_path / "repo"
    shutil.copytree(ACME / "Project", root / "Project")
    (root / "web").mkdir()
    (root / "web" / "api.js").write_text(CLIENT, encoding="utf-8")
    return root


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    argv = shlex.split(command)
    assert argv[0] == "restquery"
    return subprocess.run([sys.executable, "-m", "restquery", *argv[1:]], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def _check_sarif(path: Path, sarif_schema: dict) -> None:
    from tests.conftest import validate_sarif

    doc = json.loads(path.read_text(encoding="utf-8"))
    validate_sarif(doc, sarif_schema)
    results = doc["runs"][0]["results"]
    where = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results}
    # RQ202 comes from the project's catalog (no $catalog export anywhere), RQ601 from the code
    assert where == {("RQ202", "web/api.js"), ("RQ601", "web/api.js")}, where


def test_the_github_workflow_uploads_what_its_lint_step_writes(project: Path, sarif_schema: dict) -> None:
    workflow = _github_job()
    [job] = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    [upload] = [s for s in steps if "upload-sarif" in s.get("uses", "")]
    assert upload["if"] == "always()"
    [command] = _commands(steps)
    assert "--project" in command
    run = _run(command, project)
    assert run.returncode == 1, run.stderr  # an error was found: the job fails, the upload runs
    _check_sarif(project / upload["with"]["sarif_file"], sarif_schema)


def test_the_github_annotations_variant(project: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    [command] = [c for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
                 if (c := b.strip()).startswith("- run:")]
    run = _run(command.removeprefix("- run:").strip(), project)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert any(line.startswith("::error file=web/api.js,line=2") and "RQ202" in line for line in lines), lines


def test_the_gitlab_job_keeps_the_report_it_writes(project: Path, sarif_schema: dict) -> None:
    job = _gitlab_job()
    assert job["artifacts"]["when"] == "always"
    [command] = _commands(job)
    run = _run(command, project)
    assert run.returncode == 1, run.stderr
    [report] = job["artifacts"]["paths"]
    _check_sarif(project / report, sarif_schema)


def test_a_clean_project_passes_the_same_job(project: Path) -> None:
    (project / "web" / "api.js").write_text(CLIENT.splitlines()[0] + "\n", encoding="utf-8")
    [command] = _commands(_gitlab_job())
    run = _run(command, project)
    assert run.returncode == 0, run.stdout + run.stderr
