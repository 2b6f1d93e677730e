"""The pre-commit hook, run by pre-commit itself (``pre-commit try-repo``) from the repository's
real ``.pre-commit-hooks.yaml`` on a temporary git repository with a good and a bad file.

pre-commit installs the hook into its own virtual environment (``pip install`` of a copy of
this repository, so it needs PyPI or a wheel cache); the test takes a minute and is marked slow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

pytestmark = pytest.mark.slow

GOOD = "fetch('/rest/Company(1)/blobAtt?$binary=true&$expand=blobAtt');\n"
BAD = "export const u = '/rest/Company(1)/blobAtt?$binary=true';\n"

def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=env).stdout


def _copy_repository(dest: Path) -> Path:
    """A committed copy of the working tree (tracked and untracked files, minus ignored ones):
    try-repo needs a git repository, and the hook must be the one in this working tree."""
    files = _git(REPO, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    for rel in files:
        src = REPO / rel
        if rel and src.is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "snapshot for the pre-commit test")
    return dest


def test_hook_runs_through_pre_commit(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is a test dependency ([test] extra)")
    hooks = REPO / ".pre-commit-hooks.yaml"
    assert hooks.is_file()
    repo = _copy_repository(tmp_path / "restquery")
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    (project / "good.js").write_text(GOOD, encoding="utf-8")
    (project / "bad.js").write_text(BAD, encoding="utf-8")
    (project / "notes.bin").write_bytes(b"\x00/rest/Company(1)/blobAtt?$binary=true")
    _git(project, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1",
           "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(repo), "restquery-lint",
             "--verbose", "--color", "never", "--files", *files],
            cwd=project, capture_output=True, text=True, env=env, timeout=900, check=False,
        )

    good = try_repo("good.js")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    assert "Checked 1 file, 1 URL: no findings." in good.stdout

    bad = try_repo("good.js", "bad.js", "notes.bin")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "bad.js:1:44" in bad.stdout and "RQ301 error" in bad.stdout
    assert "notes.bin" not in bad.stdout  # binary files never reach the hook (types: [text])
