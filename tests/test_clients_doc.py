"""docs/clients.md: each Python example runs as written, from the repository root, and prints
what its `# ...` lines say."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "clients.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 4


@pytest.fixture(scope="module")
def four_d() -> Iterator[str]:
    """The 4D stand-in of tests/test_client.py, for the examples that send requests."""
    from tests.integrations.conftest import serve_asgi
    from tests.test_client import FourD

    with serve_asgi(FourD()) as url:
        yield url


@pytest.mark.parametrize("code", BLOCKS, ids=[f"example-{n}" for n in range(1, len(BLOCKS) + 1)])
def test_each_example_runs_and_prints_what_it_says(code: str, four_d: str, tmp_path: Path) -> None:
    expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
    code = code.replace("http://127.0.0.1:8044", four_d)
    (tmp_path / "examples").symlink_to(REPO / "examples")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if "from schema import" in code:  # the module the page tells to write first
        subprocess.run([sys.executable, "-m", "restquery", "codegen", "--catalog", "examples/catalog.json",
                        "-o", "schema.py"], cwd=tmp_path, check=True, env=env)
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         timeout=60, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == expected
