"""A `+` in the query string (spec §1.4): a plus by default, a space with ``plus_as_space``;
without the option, a `+` in a small-language value draws RQ113 with a fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import restquery
from restquery.ast import BoolOp, Comparison
from restquery.cli import main
from restquery.diagnostics import Fix
from restquery.lint import lint_text

FORM = "/rest/Employee?$filter=%22ID%3D1+AND+ID%3D2%22"


def test_plus_is_a_plus_by_default() -> None:
    expr = restquery.parse(FORM).param("$filter").value.expr
    assert isinstance(expr, Comparison) and expr.right.value == "1+AND+ID=2"


def test_plus_as_space_reads_a_space_and_spans_index_the_text_as_given() -> None:
    req = restquery.parse(FORM, plus_as_space=True)
    expr = req.param("$filter").value.expr
    assert isinstance(expr, BoolOp) and expr.op == "AND"
    second = expr.operands[1]
    assert FORM[second.span.start : second.span.end] == "ID%3D2"
    assert req.span.end == len(FORM)
    assert restquery.unparse(req) == '/rest/Employee?$filter="ID=1 AND ID=2"'
    assert restquery.parse(restquery.unparse(req)) == req


def test_an_encoded_plus_stays_a_plus() -> None:
    url = "/rest/Employee?$filter=%22name%3D%27a%2Bb%27+AND+ID%3D2%22"
    expr = restquery.parse(url, plus_as_space=True).param("$filter").value.expr
    assert expr.operands[0].right.value == "a+b"


def test_the_path_is_not_a_query_string() -> None:
    url = "/rest/$entityset/AB+C?$top=1"
    with pytest.raises(restquery.RestQuerySyntaxError) as plain:
        restquery.parse("/rest/Em+ployee?$top=1")
    with pytest.raises(restquery.RestQuerySyntaxError) as spaced:
        restquery.parse("/rest/Em+ployee?$top=1", plus_as_space=True)
    assert (plain.value.code, plain.value.span) == (spaced.value.code, spaced.value.span)
    assert spaced.value.url == "/rest/Em+ployee?$top=1"
    assert restquery.parse(url, plus_as_space=True) == restquery.parse(url)


def test_a_plus_in_a_filter_draws_rq113_with_a_fix_that_removes_the_doubt() -> None:
    [d] = [d for d in restquery.validate(FORM) if d.code == "RQ113"]
    assert d.severity == "warning" and d.param == "$filter"
    assert FORM[d.span.start : d.span.end] == "+"
    assert d.fix is not None
    fixed = d.fix.apply(FORM)
    assert fixed == "/rest/Employee?$filter=%22ID%3D1%20AND%20ID%3D2%22"
    assert restquery.validate(fixed) == []
    assert restquery.parse(fixed) == restquery.parse(FORM, plus_as_space=True)


def test_the_fix_writes_2b_when_spaces_would_not_parse() -> None:
    url = '/rest/Employee?$filter="ID=1+2"'
    assert any(d.severity == "error" for d in restquery.validate(url, plus_as_space=True))
    fixes = [d.fix for d in restquery.validate(url) if d.code == "RQ113"]
    assert fixes and all(isinstance(f, Fix) and f.edits[0].text == "%2B" for f in fixes)


def test_no_rq113_when_plus_is_read_as_a_space_or_outside_the_small_languages() -> None:
    assert [d for d in restquery.validate(FORM, plus_as_space=True)] == []
    assert [d.code for d in restquery.validate("/rest/Employee/$entityset/AB+C?$top=1")
            if d.code == "RQ113"] == []


def test_check_takes_plus_as_space(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict", FORM]) == 1
    assert "RQ113" in capsys.readouterr().out
    assert main(["check", "--strict", "--plus-as-space", FORM]) == 0
    proc = subprocess.run(
        [sys.executable, "-m", "restquery", "check", "--format", "json", "--plus-as-space", FORM],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0 and '"ok": true' in proc.stdout


def test_lint_takes_plus_as_space(tmp_path: Path) -> None:
    source = f'requests.get("http://h{FORM}")\n'
    assert [f.code for f in lint_text(source, "python")] == ["RQ113"]
    assert lint_text(source, "python", plus_as_space=True) == []
    (tmp_path / "client.py").write_text(source, encoding="utf-8")
    run = [sys.executable, "-m", "restquery", "lint", "--strict", "client.py"]
    assert subprocess.run(run, cwd=tmp_path, capture_output=True, check=False).returncode == 1
    assert subprocess.run([*run, "--plus-as-space"], cwd=tmp_path, capture_output=True,
                          check=False).returncode == 0
    (tmp_path / "pyproject.toml").write_text("[tool.restquery]\nplus-as-space = true\n")
    assert subprocess.run(run, cwd=tmp_path, capture_output=True, check=False).returncode == 0
    (tmp_path / "pyproject.toml").write_text("[tool.restquery]\nplus-as-space = 1\n")
    bad = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "plus-as-space must be true or false" in bad.stderr
