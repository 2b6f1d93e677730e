"""docs/clients.md: each Python example runs as written, from the repository root, and prints
what its `# ...` lines say."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "clients.md"
# The typed-fields example needs a module written by codegen and mypy: tests/test_codegen.py.
BLOCKS = [b for b in re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
          if "from schema import" not in b]


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("code", BLOCKS, ids=[f"example-{n}" for n in range(1, len(BLOCKS) + 1)])
def test_each_example_runs_and_prints_what_it_says(code: str) -> None:
    expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == expected
