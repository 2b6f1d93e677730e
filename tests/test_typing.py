"""The typing the package promises (``py.typed``), checked by real ``mypy --strict`` runs: the
package as ``pyproject.toml`` configures it, and a user's script made of the README's
examples, which must need no cast, no ``Any`` and no ``type: ignore``; a misspelt option is a
type error, not a surprise at run time."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "tests" / "fixtures" / "typed_readme.py"


def _mypy(tmp_path: Path, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), "--no-error-summary",
         *args],
        cwd=cwd, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy")


def test_the_package_is_clean_under_the_configured_strict_mypy(work: Path) -> None:
    run = _mypy(work)  # [tool.mypy] in pyproject.toml: strict, the restquery package
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_readme_examples_type_check_strictly(work: Path, tmp_path: Path) -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert "import Any" not in text and "cast(" not in text and "type: ignore" not in text
    script = tmp_path / "user.py"
    shutil.copy(SCRIPT, script)
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    run = _mypy(work, "--strict", str(script), cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    # and it runs as written
    subprocess.run([sys.executable, str(script)], cwd=tmp_path, check=True, timeout=60)


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ('restquery.validate("/rest/E", catlog=None)', 'Unexpected keyword argument "catlog"'),
        ('restquery.parse("/rest/E").value("$top", int)', "Value of type variable"),
        ('x: str = restquery.parse("/rest/E").value("$top", Integer).value', "Incompatible types"),
    ],
)
def test_mistakes_are_type_errors(work: Path, tmp_path: Path, line: str, error: str) -> None:
    script = tmp_path / "mistake.py"
    script.write_text(f"import restquery\nfrom restquery.ast import Integer\n{line}\n", encoding="utf-8")
    run = _mypy(work, "--strict", str(script), cwd=tmp_path)
    assert run.returncode == 1 and error in run.stdout, run.stdout
