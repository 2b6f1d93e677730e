"""The command line under the front-door attacks: numbers of any length, smuggled parameters and
ambiguous paths get located findings and the documented exit status, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HUGE = "9" * 5000


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "restquery", *args],
        capture_output=True, text=True, input=stdin, timeout=120,
    )


@pytest.mark.parametrize(
    "url",
    [
        f"/rest/Company({HUGE})",
        f"/rest/Company?$top={HUGE}",
        f"/rest/Company?$skip={HUGE}&$timeout={HUGE}",
        f'/rest/Company?$filter="ID={HUGE}"',
        f'/rest/Company?$filter="ID=:{HUGE}"',
        f"/rest/Company?$filter=\"ID=:1\"&$params='[{HUGE}]'",
        f"http://host:{HUGE}/rest/Company",
        f"/rest/Company(1)/photo?$version={HUGE}&$expand=photo",
    ],
)
def test_check_reports_a_huge_number_as_rq013(url: str) -> None:
    out = run("check", "--format", "json", url)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    [report] = json.loads(out.stdout)
    [d] = [d for d in report["diagnostics"] if d["code"] == "RQ013"]
    assert set(url[d["start"] : d["end"]]) <= set("9")


def test_parse_refuses_a_huge_number_with_a_located_error() -> None:
    out = run("parse", f"/rest/Company?$top={HUGE}")
    assert out.returncode == 1
    assert "RQ013" in out.stdout + out.stderr
    assert "Traceback" not in out.stderr


def test_lint_keeps_going_after_a_huge_number(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(f"GET `/rest/Company?$top={HUGE}`\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("GET `/rest/Company(11)/blobAtt?$binary=true`\n", encoding="utf-8")
    out = run("lint", "--format", "json", str(tmp_path))
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    codes = sorted(f["code"] for f in json.loads(out.stdout)["findings"])
    assert codes == ["RQ013", "RQ301"]


def test_check_warns_about_a_smuggled_parameter_with_the_fix() -> None:
    url = "/rest/Employee(1)?$filter=\"lastName='x&$method=delete&'\""
    out = run("check", "--format", "json", url)
    [report] = json.loads(out.stdout)
    [d] = [d for d in report["diagnostics"] if d["code"] == "RQ112"]
    assert d["severity"] == "warning"
    assert out.returncode == 0  # a warning: only --strict fails on it
    assert run("check", "--strict", url).returncode == 1
