"""Output formats: SARIF against the 2.1.0 schema, GitHub workflow commands, JSON, text; and the
golden files of the fixture project (``tests/fixtures/project/expected.*``).

The golden files change when rules are added or reworded: regenerate them with
``pytest tests/lint --regen-snapshots`` (or ``RESTQUERY_REGEN_SNAPSHOTS=1``) and review the diff.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from restquery.lint import lint_text
from restquery.report import FORMATS, FileResult, make_reporter
from tests.conftest import validate_sarif
from restquery.rules import registry

from .conftest import PROJECT, Run

SUFFIX = {
    "text": "text", "concise": "concise", "json": "json", "json-lines": "jsonl", "sarif": "sarif",
    "github": "github", "gitlab": "gitlab.json", "junit": "junit.xml",
}


_validate_sarif = validate_sarif


# --- golden files of the fixture project --------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_fixture_project_golden(fmt: str, lint: Callable[..., Run], regen: bool) -> None:
    r = lint("--format", fmt, cwd=PROJECT)
    assert r.code == 1, r.err
    assert r.err == ""
    golden = PROJECT / f"expected.{SUFFIX[fmt]}"
    if regen:
        golden.write_text(r.out, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run pytest tests/lint --regen-snapshots"
    assert r.out == golden.read_text(encoding="utf-8"), (
        f"{golden.name} is out of date; if the change is intended, regenerate with "
        "pytest tests/lint --regen-snapshots (or RESTQUERY_REGEN_SNAPSHOTS=1) and review the diff"
    )


def test_golden_files_agree_with_each_other() -> None:
    data = json.loads((PROJECT / "expected.json").read_text(encoding="utf-8"))
    sarif = json.loads((PROJECT / "expected.sarif").read_text(encoding="utf-8"))
    github = (PROJECT / "expected.github").read_text(encoding="utf-8").splitlines()
    text = (PROJECT / "expected.text").read_text(encoding="utf-8")
    findings = data["findings"]
    assert len(findings) == len(sarif["runs"][0]["results"]) == len([g for g in github if g.startswith("::")])
    for f, s, g in zip(findings, sarif["runs"][0]["results"], github):
        region = s["locations"][0]["physicalLocation"]["region"]
        assert (f["code"], f["line"], f["column"]) == (s["ruleId"], region["startLine"], region["startColumn"])
        assert g.startswith(f"::{f['severity']} file={f['path']},line={f['line']},")
        assert f"{f['path']}:{f['line']}:{f['column']}" in text
    assert text.rstrip().splitlines()[-1] == (PROJECT / "expected.github").read_text().rstrip().splitlines()[-1]


def test_fixture_sarif_is_valid(sarif_schema: dict) -> None:
    _validate_sarif(json.loads((PROJECT / "expected.sarif").read_text(encoding="utf-8")), sarif_schema)


# --- SARIF -------------------------------------------------------------------------------------


def _report(fmt: str, results: list[FileResult], **kw: object) -> str:
    from restquery.lint._check import resolve_selection
    from restquery.report import reporting_rules

    out = io.StringIO()
    rep = make_reporter(fmt, out, **kw)  # type: ignore[arg-type]
    rep.start(reporting_rules(resolve_selection(None, None).rules, True))
    for r in results:
        rep.add(r)
    rep.finish()
    return out.getvalue()


def _result(src: str, kind: str = "js", path: str = "src/a b.js", **kw: object) -> FileResult:
    return FileResult(path, findings=lint_text(src, kind, path=path, **kw), urls=1)  # type: ignore[arg-type]


def test_sarif_rules_and_results(sarif_schema: dict) -> None:
    res = _result("fetch('/rest/Company(1)/blobAtt?$binary=true');\nf('/rest/E(1');", select=["RQ301"])
    broken = FileResult("bad.md", errors=["not UTF-8 text (byte 3)"])
    doc = json.loads(_report("sarif", [res, broken]))
    _validate_sarif(doc, sarif_schema)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    reg = {r.code: r for r in registry()}
    r301 = by_id["RQ301"]
    assert r301["name"] == reg["RQ301"].name
    # plain text without the docstrings' markup; Markdown with Markdown's
    assert r301["shortDescription"]["text"] == reg["RQ301"].summary.replace("``", "")
    assert r301["fullDescription"]["text"] == reg["RQ301"].doc.replace("``", "") == r301["help"]["text"]
    assert r301["help"]["markdown"] == reg["RQ301"].doc.replace("``", "`")
    for rule in rules:
        for text in (rule["shortDescription"]["text"], rule["fullDescription"]["text"], rule["help"]["text"]):
            assert "``" not in text, (rule["id"], text)
    assert r301["defaultConfiguration"]["level"] == "error"
    assert by_id["RQ003"]["defaultConfiguration"]["level"] == "error"  # syntax codes too
    assert run["columnKind"] == "unicodeCodePoints"
    [a, b] = run["results"]
    assert a["ruleId"] == "RQ301" and rules[a["ruleIndex"]]["id"] == "RQ301"
    loc = a["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "src/a%20b.js", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 1, "startColumn": 33, "endLine": 1, "endColumn": 45}
    assert b["ruleId"] == "RQ003" and b["level"] == "error"
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["message"]["text"] == "not UTF-8 text (byte 3)"


def test_sarif_without_findings_is_valid(sarif_schema: dict) -> None:
    doc = json.loads(_report("sarif", [FileResult("a.js", urls=3)]))
    _validate_sarif(doc, sarif_schema)
    assert doc["runs"][0]["results"] == []
    assert doc["runs"][0]["properties"]["summary"]["urls"] == 3


# --- GitHub ------------------------------------------------------------------------------------


def test_github_workflow_commands() -> None:
    res = _result("fetch('/rest/Company(1)/blobAtt?$binary=true');", path="a,b:c%.js", select=["RQ301"])
    out = _report("github", [res]).splitlines()
    assert re.fullmatch(
        r"::error file=a%2Cb%3Ac%25\.js,line=1,col=33,endColumn=45,title=RQ301::"
        r"`\$binary=true` needs .*\.%0Ahint: add &\$expand=blobAtt",
        out[0],
    ), out[0]
    assert out[-1] == "Checked 1 file, 1 URL: 1 error, 0 warnings."


def test_github_warning_and_multi_line_span() -> None:
    from restquery.ast import Span
    from restquery.diagnostics import Diagnostic
    from restquery.report import Finding

    d = Diagnostic(code="RQ999", name="x", severity="warning", message="50% odd\r\nyes", span=Span(0, 3))
    f = Finding("a.py", 2, 5, 3, 2, d, "abc", 2, 5)
    out = _report("github", [FileResult("a.py", findings=[f])]).splitlines()
    assert out[0] == "::warning file=a.py,line=2,endLine=3,col=5,endColumn=2,title=RQ999::50%25 odd%0D%0Ayes"


# --- JSON and text -----------------------------------------------------------------------------


def test_json_document() -> None:
    res = _result("fetch('/rest/Company(1)/blobAtt?$binary=true');", select=["RQ301"])
    doc = json.loads(_report("json", [res, FileResult("x.md", errors=["boom"])]))
    [f] = doc["findings"]
    assert f["path"] == "src/a b.js"
    assert (f["line"], f["column"], f["end_line"], f["end_column"]) == (1, 33, 1, 45)
    assert (f["code"], f["name"], f["severity"]) == ("RQ301", "binary-requires-expand", "error")
    assert f["url"][f["start"] : f["end"]] == "$binary=true"
    assert (f["url_line"], f["url_column"]) == (1, 8)
    assert f["fix"]["edits"][0]["text"] == "&$expand=blobAtt"
    assert doc["problems"] == [{"path": "x.md", "message": "boom"}]
    assert doc["summary"] == {"files": 2, "urls": 1, "errors": 1, "warnings": 0, "suppressed": 0, "problems": 1}
    empty = json.loads(_report("json", []))
    assert empty["findings"] == [] and empty["summary"]["files"] == 0


def test_text_groups_by_file_with_caret_frames() -> None:
    a = _result("fetch('/rest/Company(1)/blobAtt?$binary=true');", path="a.js", select=["RQ301"])
    b = _result("x\nfetch('/rest/Company(2)/blobAtt?$binary=true');", path="b.js", select=["RQ301"])
    text = _report("text", [a, FileResult("c.js", urls=2), b])
    lines = text.splitlines()
    assert lines[0] == "a.js"
    assert lines[1] == "  a.js:1:33"
    assert lines[2] == "    /rest/Company(1)/blobAtt?$binary=true"
    assert lines[3] == "                             ^^^^^^^^^^^^"
    assert lines[4].startswith("  RQ301 error: `$binary=true` needs")
    assert "b.js" in lines and "  b.js:2:33" in lines
    assert "c.js" not in text  # no findings, no header
    assert lines[-1] == "Checked 3 files, 4 URLs: 2 errors, 0 warnings."
    assert "\x1b[" not in text
    coloured = _report("text", [a], color=True)
    assert "\x1b[1;31m" in coloured


def test_the_command_offers_every_format() -> None:
    from restquery.lint import cli

    assert cli.FORMATS == FORMATS


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_streams_without_findings(fmt: str) -> None:
    out = _report(fmt, [FileResult("a.js", urls=1)])
    if fmt in ("json", "sarif"):
        json.loads(out)
    elif fmt == "gitlab":
        assert json.loads(out) == []
    elif fmt == "json-lines":
        assert [json.loads(line)["type"] for line in out.splitlines()] == ["summary"]
    elif fmt == "junit":
        import xml.etree.ElementTree as ET

        [case] = ET.fromstring(out).iter("testcase")
        assert case.find("failure") is None
    else:
        assert out.strip().endswith("Checked 1 file, 1 URL: no findings.")


# --- SARIF for code scanning --------------------------------------------------------------------


def _sarif_of(lint: Callable[..., Run], *argv: str, cwd: Path) -> dict:
    run = lint("--no-config", "--format", "sarif", *argv, cwd=cwd)
    assert run.code in (0, 1, 2), run.err
    return json.loads(run.out)


def _prints(doc: dict) -> list[str]:
    return [r["partialFingerprints"]["restqueryFinding/v1"] for r in doc["runs"][0]["results"]]


SRC = "fetch('/rest/Company(1)/blobAtt?$binary=true');\nfetch('/rest/Employee(1)?$top=x');\n"


def test_fingerprints_survive_line_moves_and_tell_duplicates_apart(
    lint: Callable[..., Run], tmp_path: Path
) -> None:
    (tmp_path / "a.js").write_text(SRC, encoding="utf-8")
    before = _prints(_sarif_of(lint, "a.js", cwd=tmp_path))
    assert len(before) == len(set(before)) >= 2
    # lines added above, the same URLs below: the same alerts
    (tmp_path / "a.js").write_text("// header\n\n\n" + SRC, encoding="utf-8")
    moved = _sarif_of(lint, "a.js", cwd=tmp_path)
    assert _prints(moved) == before
    assert moved["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    # the same URL twice in the file: two alerts, each stable
    (tmp_path / "a.js").write_text(SRC + SRC, encoding="utf-8")
    twice = _prints(_sarif_of(lint, "a.js", cwd=tmp_path))
    assert len(set(twice)) == len(twice) == 2 * len(before) and twice[: len(before)] == before
    # another URL, or the same URL in another file: another alert
    (tmp_path / "b.js").write_text(SRC, encoding="utf-8")
    assert not set(_prints(_sarif_of(lint, "b.js", cwd=tmp_path))) & set(before)


def test_paths_outside_the_root_are_file_uris(lint: Callable[..., Run], tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.js").write_text(SRC, encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    doc = _sarif_of(lint, str(outside / "a.js"), cwd=root)
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (outside / "a.js").as_uri()}


def test_a_missing_path_is_an_unsuccessful_execution(
    lint: Callable[..., Run], tmp_path: Path, sarif_schema: dict
) -> None:
    (tmp_path / "a.js").write_text(SRC, encoding="utf-8")
    run = lint("--no-config", "--format", "sarif", "a.js", "nope.js", cwd=tmp_path)
    assert run.code == 2 and "nope.js: no such file or directory" in run.err
    doc = json.loads(run.out)
    _validate_sarif(doc, sarif_schema)
    [inv] = doc["runs"][0]["invocations"]
    assert inv["executionSuccessful"] is False
    [note] = inv["toolExecutionNotifications"]
    assert note["message"]["text"] == "no such file or directory"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "nope.js"
    assert doc["runs"][0]["results"]  # what could be read is still reported
    problems = json.loads(lint("--no-config", "--format", "json", "nope.js", cwd=tmp_path).out)["problems"]
    assert problems == [{"path": "nope.js", "message": "no such file or directory"}]


def test_the_properties_github_code_scanning_reads(lint: Callable[..., Run], tmp_path: Path) -> None:
    """What GitHub's "SARIF support for code scanning" page lists as required or used."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.js").write_text(SRC, encoding="utf-8")
    doc = _sarif_of(lint, "src", cwd=tmp_path)
    assert doc["version"] == "2.1.0" and doc["$schema"].startswith("https://")
    [run] = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "restquery" and driver["version"]
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    for result in run["results"]:
        assert result["ruleId"] in ids and ids[result["ruleIndex"]] == result["ruleId"]
        assert result["message"]["text"]
        [location] = result["locations"]  # GitHub reads one location
        physical = location["physicalLocation"]
        assert not physical["artifactLocation"]["uri"].startswith(("/", "file:"))
        assert physical["artifactLocation"]["uri"].startswith("src/")
        assert physical["region"]["startLine"] >= 1
        assert result["partialFingerprints"]


# --- concise, json-lines, gitlab, junit ---------------------------------------------------------

#: GitLab's code quality report, as its documentation lists the fields it reads ("Code Quality
#: report format": description, check_name, fingerprint, severity, location.path,
#: location.lines.begin), written as a JSON Schema.
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def _golden(name: str) -> str:
    return (PROJECT / f"expected.{name}").read_text(encoding="utf-8")


def test_concise_is_one_line_per_finding() -> None:
    data = json.loads(_golden("json"))
    lines = _golden("concise").splitlines()
    assert lines[-1].startswith("Checked ")
    assert lines[:-1] == [
        f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}" for f in data["findings"]
    ]


def test_json_lines_streams_the_json_findings() -> None:
    data = json.loads(_golden("json"))
    records = [json.loads(line) for line in _golden("jsonl").splitlines()]
    assert [r for r in records if r.pop("type") == "finding"] == data["findings"]
    assert records[-1] == data["summary"]


def test_gitlab_code_quality_report() -> None:
    issues = json.loads(_golden("gitlab.json"))
    jsonschema.validate(issues, GITLAB_SCHEMA)
    data = json.loads(_golden("json"))
    assert len(issues) == len(data["findings"])
    sarif = json.loads(_golden("sarif"))
    prints = [r["partialFingerprints"]["restqueryFinding/v1"] for r in sarif["runs"][0]["results"]]
    assert [i["fingerprint"] for i in issues] == prints  # one identity, whatever the format
    for issue, f in zip(issues, data["findings"]):
        assert issue["location"] == {"path": f["path"], "lines": {"begin": f["line"], "end": f["end_line"]}}
        assert issue["severity"] == {"error": "major", "warning": "minor"}[f["severity"]]
        assert issue["check_name"] == f"{f['code']} {f['name']}"


def test_gitlab_reports_an_unreadable_file_as_a_blocker() -> None:
    issues = json.loads(_report("gitlab", [FileResult("bad.md", errors=["not UTF-8 text (byte 3)"])]))
    jsonschema.validate(issues, GITLAB_SCHEMA)
    [issue] = issues
    assert issue["severity"] == "blocker" and "not UTF-8" in issue["description"]


def test_junit_xml_has_a_suite_per_file_and_a_failure_per_error() -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(_golden("junit.xml"))
    assert root.tag == "testsuites"
    data = json.loads(_golden("json"))
    by_path: dict[str, list[dict]] = {}
    for f in data["findings"]:
        by_path.setdefault(f["path"], []).append(f)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(by_path) <= set(suites)
    for path, findings in by_path.items():
        suite = suites[path]
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases) == len(findings)
        errors = [f for f in findings if f["severity"] == "error"]
        assert int(suite.get("failures")) == len(errors) == len(suite.findall("testcase/failure"))
        for case, f in zip(cases, findings):
            assert case.get("name") == f"{f['code']} {f['name']} at {path}:{f['line']}:{f['column']}"
            failure = case.find("failure")
            assert (failure is not None) == (f["severity"] == "error")
            if failure is not None:
                assert failure.get("type") == f["code"] and failure.get("message") == f["message"]
    clean = [s for name, s in suites.items() if name not in by_path]
    assert clean and all(s.get("failures") == "0" and len(s.findall("testcase")) == 1 for s in clean)


def test_junit_escapes_what_xml_cannot_hold() -> None:
    import xml.etree.ElementTree as ET

    res = _result("fetch('/rest/E(1)?$top=\\x01&x=</testcase>]]>');", path="a\x02<b>.js")
    root = ET.fromstring(_report("junit", [res]))  # well-formed whatever the file holds
    [suite] = root.iter("testsuite")
    assert suite.get("name") == "a\\x02<b>.js"
