"""Fixtures of the ``restquery lint`` tests.

Golden files (``tests/fixtures/project/expected.*``) are compared, never written, unless the
run asks for it: ``pytest tests/lint --regen-snapshots`` (pytest reads this option only when
``tests/lint`` is named on the command line) or ``RESTQUERY_REGEN_SNAPSHOTS=1 pytest``.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECT = REPO / "tests" / "fixtures" / "project"
CATALOG = REPO / "examples" / "catalog.json"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-snapshots",
        action="store_true",
        default=False,
        help="rewrite the lint golden files (tests/fixtures/project/expected.*) instead of comparing",
    )


@pytest.fixture
def regen(request: pytest.FixtureRequest) -> bool:
    """True when golden files are to be rewritten."""
    return bool(request.config.getoption("--regen-snapshots", default=False)) or os.environ.get(
        "RESTQUERY_REGEN_SNAPSHOTS", ""
    ) not in ("", "0")


class Run:
    """What one ``restquery lint`` run printed and returned."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    def __repr__(self) -> str:
        return f"Run(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def lint(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """``lint(*argv, cwd=path)`` runs ``restquery lint`` in-process in ``cwd``."""
    from restquery.lint.cli import main

    def run(*argv: str, cwd: Path | str | None = None, stdin_tty: bool = False) -> Run:
        out, err = io.StringIO(), io.StringIO()
        with monkeypatch.context() as m:
            if cwd is not None:
                m.chdir(cwd)
            m.setattr(sys, "stdout", out)
            m.setattr(sys, "stderr", err)
            code = main(list(argv))
        return Run(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """``write(relative path, text)`` creates a file under ``tmp_path``."""

    def make(rel: str, text: str) -> Path:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return make
