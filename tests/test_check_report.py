"""``restquery check`` prints through the report layer it shares with ``lint``: SARIF 2.1.0
(valid against the official schema), GitHub annotations placed in the request file, and the
machine-applicable fix in JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import restquery
from restquery.cli import main
from restquery.diagnostics import Fix
from restquery.report import FORMATS
from tests.conftest import validate_sarif

ROOT = Path(__file__).resolve().parents[1]
BLOB = "/rest/Company(11)/blobAtt?$binary=true"
START = BLOB.index("$binary")


@pytest.fixture
def requests_file(tmp_path: Path) -> Path:
    path = tmp_path / "requests.txt"
    path.write_text(f"# downloads\n\nGET {BLOB}\n  POST /rest/Company(1)\n", encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["check", "--select", "RQ301", *argv])
    return code, capsys.readouterr().out


def test_check_takes_every_report_format() -> None:
    from restquery.cli import build_parser

    parser = build_parser(["check"])
    for fmt in FORMATS:
        assert parser.parse_args(["check", "--format", fmt, BLOB]).format == fmt
    assert FORMATS == ("text", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit")


def test_sarif_places_each_finding_in_the_request_file(
    capsys: pytest.CaptureFixture[str], requests_file: Path, sarif_schema: dict
) -> None:
    code, out = _run(capsys, "--format", "sarif", "--file", str(requests_file))
    assert code == 1
    doc = json.loads(out)
    validate_sarif(doc, sarif_schema)
    run = doc["runs"][0]
    [result] = run["results"]
    assert result["ruleId"] == "RQ301" and result["level"] == "error"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "RQ301"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("/requests.txt")
    column = len("GET ") + START + 1
    assert location["region"] == {
        "startLine": 3,
        "startColumn": column,
        "endLine": 3,
        "endColumn": column + len("$binary=true"),
    }
    assert result["properties"]["url"] == BLOB and result["properties"]["method"] == "GET"
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["properties"]["summary"]["urls"] == 2


def test_sarif_of_a_command_line_url_names_the_url_and_no_file(
    capsys: pytest.CaptureFixture[str], sarif_schema: dict
) -> None:
    code, out = _run(capsys, "--format", "sarif", BLOB, "/rest/Company(1)")
    assert code == 1
    doc = json.loads(out)
    validate_sarif(doc, sarif_schema)
    [result] = doc["runs"][0]["results"]
    assert result["locations"] == []
    assert result["properties"]["url"] == BLOB
    assert "hint: add &$expand=blobAtt" in result["message"]["text"]


def test_github_annotations_point_at_the_line_and_columns_of_the_file(
    capsys: pytest.CaptureFixture[str], requests_file: Path
) -> None:
    code, out = _run(capsys, "--format", "github", "--file", str(requests_file))
    assert code == 1
    annotation, summary = out.splitlines()
    column = len("GET ") + START + 1
    assert annotation.startswith(
        f"::error file={requests_file.as_posix().replace(':', '%3A')},line=3,col={column},"
        f"endColumn={column + len('$binary=true')},title=RQ301::"
    )
    assert summary == "2 URLs checked: 1 error, 0 warnings"


def test_github_annotation_of_a_command_line_url_has_a_title_and_no_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = _run(capsys, "--format", "github", BLOB)
    assert code == 1
    assert out.splitlines()[0].startswith("::error title=RQ301::`$binary=true` needs `$expand`")


def test_json_writes_the_fix_and_the_fix_repairs_the_url(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = _run(capsys, "--format", "json", BLOB)
    assert code == 1
    [result] = json.loads(out)
    [diagnostic] = result["diagnostics"]
    fix = diagnostic["fix"]
    assert fix["edits"] == [{"offset": len(BLOB), "length": 0, "text": "&$expand=blobAtt"}]
    fixed = Fix.from_dict(fix).apply(BLOB)
    assert fixed == BLOB + "&$expand=blobAtt"
    assert restquery.validate(fixed, select="RQ301") == []


def test_check_and_lint_report_the_same_findings_of_a_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every annotation ``lint`` gives on the example request file, ``check --file`` gives too,
    at the same place; ``check`` also reads lines that are no REST URL (no ``/rest``)."""
    monkeypatch.chdir(ROOT)
    catalog = ["--catalog", "examples/catalog.json"]
    assert main(["check", "--format", "github", *catalog, "--file", "examples/urls.txt"]) == 1
    checked = {line for line in capsys.readouterr().out.splitlines() if line.startswith("::")}
    assert main(["lint", "--format", "github", "--no-config", *catalog, "examples/urls.txt"]) == 1
    linted = {line for line in capsys.readouterr().out.splitlines() if line.startswith("::")}
    assert len(linted) >= 10
    assert linted <= checked
    assert all("RQ101" in line for line in checked - linted)


def test_check_in_the_new_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "--format", "concise", BLOB)
    assert code == 1
    assert out.splitlines()[0] == f"{BLOB}:{START + 1}: RQ301 " + restquery.validate(BLOB)[0].message
    code, out = _run(capsys, "--format", "json-lines", BLOB, "/rest/Employee")
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["type"], r.get("ok")) for r in records] == [("url", False), ("url", True), ("summary", None)]
    code, out = _run(capsys, "--format", "gitlab", BLOB)
    [issue] = json.loads(out)
    assert issue["check_name"] == "RQ301 binary-requires-expand" and issue["location"]["path"] == BLOB
