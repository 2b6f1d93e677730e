"""docs/testing.md: the front-end workflow is valid YAML and its `restquery serve` and
`restquery fuzz` lines, run as written (on the example catalog and the fixture data, on a free
port), start the stand-in and fuzz it clean; every option the page shows is one the commands
take."""

from __future__ import annotations

import re
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.serve_helpers import CATALOG, FIXTURES, REPO, restquery_cli, serve

yaml = pytest.importorskip("yaml")

DOC = (REPO / "docs" / "testing.md").read_text(encoding="utf-8")
KINDS = re.compile(r"  (valid|invalid|near-miss): \d+ × (\d{3}|error)(, \d+ × (\d{3}|error))*")
SUMMARY = re.compile(r"restquery fuzz: \d+ requests to \S+ \(\d+ invalid, \d+ near-miss, \d+ valid\) in [0-9.]+ s, "
                     r"seed \d+: \d+ failures?")


def _workflow() -> dict[str, Any]:
    [workflow] = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", DOC, re.DOTALL)]
    return workflow  # type: ignore[no-any-return]


def _lines(command: str) -> list[list[str]]:
    steps = _workflow()["jobs"]["e2e"]["steps"]
    out = []
    for step in steps:
        for line in str(step.get("run", "")).splitlines():
            if line.strip().startswith(f"restquery {command} "):
                out.append(shlex.split(line.split(" 2>")[0].rstrip(" &")))
    return out


def _as_here(words: list[str], url: str | None = None) -> list[str]:
    swap = {"catalog.json": str(CATALOG), "tests/data.json": str(FIXTURES / "data.json"), "8044": "0"}
    out = [swap.get(w, w) for w in words[2:]]
    if url is not None:
        out = [url if w == "http://127.0.0.1:8044" else w for w in out]
    return out


def test_the_workflow_starts_serve_and_fuzzes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [serve_line] = _lines("serve")
    [fuzz_line] = _lines("fuzz")
    assert "--port" in serve_line and "--target" in fuzz_line
    with serve(*_as_here(serve_line)[:-2]) as url:  # serve() adds its own --port 0
        args = [a if a != "fuzz.xml" else str(tmp_path / "fuzz.xml") for a in _as_here(fuzz_line, url)]
        done = restquery_cli("fuzz", *args)
    assert done.returncode == 0, done.stdout
    # what it prints has the shape of the page's example output
    example = re.search(r"```\n(FAIL .*?)```", DOC, re.DOTALL)
    assert example is not None
    shown = example.group(1).splitlines()
    for line in done.stdout.splitlines() + shown[3:]:
        assert KINDS.fullmatch(line) or SUMMARY.fullmatch(line), line
    assert shown[0].startswith("FAIL ") and shown[2].lstrip().startswith("curl -sS ")
    suite = ET.parse(tmp_path / "fuzz.xml").getroot()
    assert suite.get("failures") == "0" and len(suite.findall("testcase")) > 300
    # the job waits for the line serve prints
    assert any("listening on" in str(s.get("run", "")) for s in _workflow()["jobs"]["e2e"]["steps"])


@pytest.mark.parametrize("command", ["serve", "fuzz"])
def test_every_option_shown_exists(command: str) -> None:
    synopsis = re.search(rf"```\nrestquery {command} (.*?)```", DOC, re.DOTALL)
    assert synopsis is not None
    shown = set(re.findall(r"--[a-z][a-z-]+", synopsis.group(1)))
    helped = restquery_cli(command, "--help").stdout
    assert shown and shown <= set(re.findall(r"--[a-z][a-z-]+", helped)), shown
