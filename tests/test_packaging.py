"""The wheel is complete and works on its own: built from the repository, installed into a fresh
virtual environment, and used from a directory outside the repository.

``restquery/grammar`` in the repository is a symlink to ``../grammar`` (for editable installs);
the wheel must carry real copies of the grammar files (hatchling ``force-include``), never the
link, and the installed package must find them with :mod:`importlib.resources`.

This test builds and installs (needs the package index for the build backend and for ``lark``);
it is marked ``slow`` but runs by default. Skip it with ``-m "not slow"``.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

URL = '/rest/Employee?$filter="salary>20000 AND employer.name=acme"&$orderby="lastName desc"'
REQUIRED = ["restquery/grammar/url.lark", "restquery/grammar/query.lark", "restquery/py.typed",
            "restquery/serve/responses.schema.json", "restquery/fuzz-report.schema.json"]


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: int = 240):
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, (
        f"{' '.join(map(str, cmd))} failed ({proc.returncode})\n"
        f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
    )
    return proc


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment minus what could make the fresh venv see the repository's packages."""
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONNOUSERSITE"] = "1"
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)], cwd=REPO)
    wheels = list(out.glob("restquery-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contents(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        for required in REQUIRED:
            assert required in names, f"{required} missing from {wheel.name}"
        links = [i.filename for i in infos if stat.S_ISLNK(i.external_attr >> 16)]
        assert links == [], f"symlink entries in the wheel: {links}"
        # The shipped grammar is the repository's grammar, byte for byte.
        for name in ("url.lark", "query.lark"):
            assert zf.read(f"restquery/grammar/{name}") == (REPO / "grammar" / name).read_bytes()
        # Each grammar file once: not also under a second path through the link.
        assert sum(n.endswith("/url.lark") for n in names) == 1
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "restquery = restquery.cli:main" in zf.read(entry_points).decode()
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = zf.read(metadata).decode()
        assert "Requires-Dist: lark" in meta
        # what users look at before they trust a package
        assert "License-Expression: MIT" in meta
        assert "Classifier: Framework :: Hypothesis" in meta and "Author: The restquery contributors" in meta
        [license_file] = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert zf.read(license_file) == (REPO / "LICENSE").read_bytes()


def test_sdist_carries_the_license_and_the_tests(tmp_path: Path) -> None:
    import tarfile

    _run([sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(REPO)], cwd=REPO)
    [sdist] = list(tmp_path.glob("restquery-*.tar.gz"))
    with tarfile.open(sdist) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    for required in ("LICENSE", "CONTRIBUTING.md", "README.md", "tests/fixtures/doc-examples.tsv",
                     "grammar/url.lark", "restquery/py.typed"):
        assert required in names, f"{required} missing from {sdist.name}"


def test_wheel_installs_and_works_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    env = _clean_env(RESTQUERY_CACHE_DIR=str(tmp_path / "cache"))
    _run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", str(wheel)],
        cwd=tmp_path,
        env=env,
    )

    work = tmp_path / "elsewhere"
    work.mkdir()
    script = (
        "import json, sys, restquery\n"
        "from restquery.serve._documents import response_schema\n"
        f"req = restquery.parse({URL!r})\n"
        "print(json.dumps({'file': restquery.__file__, 'prefix': sys.prefix,\n"
        "                  'unparse': restquery.unparse(req), 'schema': response_schema('error')['$ref']}))\n"
    )
    proc = _run([str(python), "-c", script], cwd=work, env=env)
    result = json.loads(proc.stdout)
    assert Path(result["file"]).resolve().is_relative_to(venv.resolve()), result["file"]
    assert not Path(result["file"]).resolve().is_relative_to(REPO), result["file"]
    assert result["schema"] == "#/$defs/error"  # the stand-in's response schemas ship in the wheel
    # The installed copy prints what the working tree prints.
    import restquery

    assert result["unparse"] == restquery.unparse(restquery.parse(URL))
    assert result["unparse"].startswith('/rest/Employee?$filter="salary>20000 AND ')

    # The console script, and `python -m restquery`.
    cli = bindir / ("restquery.exe" if os.name == "nt" else "restquery")
    proc = _run([str(cli), "parse", "/rest/Company(1)"], cwd=work, env=env)
    assert json.loads(proc.stdout)["path"]["segments"][0]["type"] == "KeySegment"
    proc = subprocess.run(
        [str(python), "-m", "restquery", "parse", "/rest/Company(1"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1 and "^" in proc.stderr
