"""The README's opening commands are what CI and new users run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_starts_with_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text.split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", head)
    assert len(commands) >= 2
    assert "restquery check" in commands[0] and "examples/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _readme_commands()[1] in ci


def test_readme_example_files_exist() -> None:
    for path in re.findall(r"(examples/[\w.\-]+)", _readme_commands()[0]):
        assert (ROOT / path).is_file(), path


def test_the_pre_commit_snippet_pins_this_release() -> None:
    """The snippet's `rev:` is the tag of the version being released (CONTRIBUTING.md,
    "Releasing"), and names a hook this repository declares."""
    import re

    import restquery

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    [rev] = re.findall(r"^\s*rev:\s*(\S+)\s*$", text, re.MULTILINE)
    assert rev == f"v{restquery.__version__}"
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for hook in re.findall(r"^\s*- id:\s*(\S+)", text, re.MULTILINE):
        assert f"id: {hook}" in hooks, hook
