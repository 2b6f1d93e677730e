"""restquery codegen: a module of typed fields per dataclass; mypy refuses a misspelt attribute
and a value of the wrong type, and accepts (and runs) what is right."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import restquery
from restquery.codegen import generate

REPO = Path(__file__).resolve().parents[1]
CATALOG_FILE = REPO / "examples" / "catalog.json"
ACME = REPO / "tests" / "fixtures" / "projects" / "acme"

GOOD = """\
import datetime

from restquery.build import Q
from schema import Company, Employee

q = (Q(Employee)
     .filter((Employee.salary > 20000) & Employee.employer.name.begins("Ac") & (Employee.birthday < datetime.date(1990, 1, 1)))
     .orderby(Employee.lastName.desc()))
print(q.url(encode=False))
print(Q(Company).filter(Company.name == "Acme").url(encode=False))
"""

BAD = {
    'Q(Employee).filter(Employee.salry > 1)': '"EmployeeFields" has no attribute "salry"; maybe "salary"?',
    'Q(Employee).filter(Employee.salary > "x")': 'Unsupported operand types for > ("Field[float]" and "str")',
    # == falls back to object's, a bool, which .filter() refuses
    'Q(Employee).filter(Employee.birthday == 3)': 'incompatible type "bool"; expected "Condition"',
    "Q(Employee).filter(Employee.employer.nam.begins('A'))": '"CompanyFields" has no attribute "nam"',
}


def _codegen(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "restquery", "codegen", *argv], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def _mypy(*paths: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
                           "--cache-dir", str(cwd / ".mypy_cache"), *paths], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("codegen")
    run = _codegen("--catalog", str(CATALOG_FILE), "-o", "schema.py", cwd=root)
    assert run.returncode == 0, run.stderr
    (root / "good.py").write_text(GOOD, encoding="utf-8")
    for n, line in enumerate(BAD, 1):
        (root / f"bad{n}.py").write_text(
            f"import datetime\nfrom restquery.build import Q\nfrom schema import Employee\n{line}\n",
            encoding="utf-8",
        )
    return root


def test_the_module_and_a_right_use_pass_strict_mypy_and_run(project: Path) -> None:
    run = _mypy("schema.py", "good.py", cwd=project)
    assert run.returncode == 0, run.stdout
    out = subprocess.run([sys.executable, "good.py"], cwd=project, capture_output=True, text=True, check=True)
    first, second = out.stdout.splitlines()
    assert first == ('/rest/Employee?$filter="salary>:1 AND employer.name BEGIN :2 AND birthday<:3"'
                     "&$params='[20000,\"Ac\",\"1990-01-01\"]'&$orderby=\"lastName DESC\"")
    assert second == "/rest/Company?$filter=\"name=:1\"&$params='[\"Acme\"]'"
    catalog = restquery.Catalog.from_json(CATALOG_FILE)
    assert [d for d in restquery.validate(first, catalog=catalog) if d.severity == "error"] == []


@pytest.mark.parametrize("n", range(1, len(BAD) + 1))
def test_mistakes_are_type_errors(project: Path, n: int) -> None:
    line, error = list(BAD.items())[n - 1]
    run = _mypy(f"bad{n}.py", cwd=project)
    assert run.returncode == 1 and error in run.stdout, (line, run.stdout)


def test_the_module_is_deterministic_and_covers_every_dataclass() -> None:
    catalog = restquery.Catalog.from_json(CATALOG_FILE)
    text = generate(catalog, "catalog.json")
    assert text == generate(restquery.Catalog.from_json(CATALOG_FILE), "catalog.json")
    for name in catalog.dataclasses:
        assert f"class {name}Fields(Fields):" in text and f"\n{name} = {name}Fields()\n" in text
    assert "def salary(self) -> Field[float]:" in text and "def ID(self) -> Field[int]:" in text
    assert "def employer(self) -> CompanyFields:" in text


def test_names_python_cannot_hold() -> None:
    catalog = restquery.Catalog.from_json({"dataClasses": [{"name": "A", "attributes": [
        {"name": "from", "kind": "storage", "type": "string"},
        {"name": "né-le", "kind": "storage", "type": "date"},
        {"name": "ok", "kind": "storage", "type": "bool"},
    ]}]})
    text = generate(catalog)
    assert "def from_(self) -> Field[str]:\n        return self._field('from')" in text
    assert "# not written (not Python names, or leading nowhere): né-le" in text
    assert "import datetime" not in text  # no date field is written
    namespace: dict[str, object] = {}
    exec(compile(text, "schema.py", "exec"), namespace)
    from restquery.build import Q

    assert Q(namespace["A"]).filter(namespace["A"].from_ == "x").url(encode=False) == (  # type: ignore[attr-defined]
        "/rest/A?$filter=\"from=:1\"&$params='[\"x\"]'"
    )


def test_from_a_project_and_errors(tmp_path: Path) -> None:
    run = _codegen("--project", str(ACME), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "class EmployeeFields(Fields):" in run.stdout
    run = _codegen("--catalog", "missing.json", cwd=tmp_path)
    assert run.returncode == 2 and "missing.json" in run.stderr
    assert _codegen(cwd=tmp_path).returncode == 2  # a catalog or a project is required
