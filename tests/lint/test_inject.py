"""The code lints: values spliced into $filter/$orderby/$attributes/$params by code (RQ601–RQ603)
and raw characters in URLs that code sends (RQ604), with the fixes that rewrite the code."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

import restquery
from restquery.ast import Comparison, Placeholder
from restquery.diagnostics import Fix
from restquery.lint import lint_text

from .conftest import CATALOG

#: Values that would change a spliced filter's structure, or break its quoting.
HOSTILE = ["O'Reilly", "x' OR salary>0 OR lastName='y", 'a"b', "50% & #1 + @", "\\u0027", "AND", "é ü"]


def codes(src: str, kind: str, **kw: object) -> list[str]:
    return [f.code for f in lint_text(src, kind, **kw)]


def fixed(src: str, kind: str, code: str) -> str:
    """``src`` with the source fix of its one ``code`` finding applied."""
    [f] = [f for f in lint_text(src, kind) if f.code == code]
    assert f.source_fix is not None, f
    return f.source_fix.apply(src)


def _filter_of(url: str) -> tuple[Comparison, list[object]]:
    req = restquery.parse(url)
    expr = req.param("$filter").value.expr  # type: ignore[union-attr]
    return expr, list(req.param("$params").value.items)  # type: ignore[union-attr]


# --- RQ601: a filter value from code -----------------------------------------------------------


def test_a_js_template_literal_is_rewritten_with_placeholders_and_params() -> None:
    src = 'fetch(`/rest/Employee?$filter="lastName=\'${name}\' AND salary>${min}"&$top=10`);'
    [f] = lint_text(src, "js")
    assert (f.code, f.severity, f.diagnostic.param) == ("RQ601", "error", "$filter")
    # located on the value as the code writes it, hole included
    assert f.url[f.diagnostic.start : f.diagnostic.end] == "'${name}'"
    assert "(and 1 more)" in f.diagnostic.message
    assert f.source_fix is not None
    assert f.source_fix.apply(src) == (
        'fetch(`/rest/Employee?$filter="lastName=:1 AND salary>:2"&$top=10'
        "&$params=${encodeURIComponent(JSON.stringify([name, min]))}`);"
    )


def test_js_concatenation_keeps_the_literal_around_the_value() -> None:
    # 4D's own demo: `firstname=@${value}@`
    src = 'const u = "/rest/Employee?$filter=\\"firstname=@" + value + "@\\"";'
    assert fixed(src, "js", "RQ601") == (
        "const u = `/rest/Employee?$filter=\"firstname=:1\""
        "&$params=${encodeURIComponent(JSON.stringify([`@${value}@`]))}`;"
    )


@pytest.mark.parametrize(
    "src",
    [
        'url = f"/rest/Employee?$filter=\\"lastName=\'{name}\'\\"&$top=5"',
        "url = \"/rest/Employee?$filter=\\\"lastName='\" + name + \"'\\\"&$top=5\"",
        "url = '/rest/Employee?$filter=\"lastName=' + name + '\"&$top=5'",
    ],
)
def test_python_fixes_run_and_keep_every_value_out_of_the_filter(src: str) -> None:
    """The rewritten Python runs; whatever ``name`` holds, the filter stays one comparison with
    a placeholder and the value arrives whole in $params."""
    code = fixed(src, "python", "RQ601")
    assert "{quote(json.dumps([name]))}" in code
    assert codes(code, "python", catalog=CATALOG) == []
    for name in HOSTILE:
        scope = {"name": name, "json": json, "quote": urllib.parse.quote}
        exec(code, scope)  # the fixed line, as the user's program would run it
        expr, items = _filter_of(scope["url"])
        assert isinstance(expr, Comparison) and isinstance(expr.right, Placeholder), scope["url"]
        assert expr.right.index == 1 and items == [name]
        assert restquery.parse(scope["url"]).param("$top").value.value == 5  # type: ignore[union-attr]


def test_node_runs_the_js_fix_with_hostile_values(tmp_path: Path) -> None:
    """The rewritten JavaScript, run by node when the machine has it, builds URLs whose filter
    no value can change."""
    import shutil

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    src = 'const url = `/rest/Employee?$filter="lastName=\'${name}\' OR city=@${city}@"`;'
    code = fixed(src, "js", "RQ601")
    script = tmp_path / "run.js"
    script.write_text(
        f"const values = {json.dumps(HOSTILE)};\n"
        "for (const name of values) { const city = name;\n" + code + "\nconsole.log(url); }\n",
        encoding="utf-8",
    )
    out = subprocess.run([node, str(script)], capture_output=True, text=True, check=True).stdout
    urls = out.splitlines()
    assert len(urls) == len(HOSTILE)
    for name, url in zip(HOSTILE, urls):
        expr, items = _filter_of(url)
        assert expr.op == "OR" and items == [name, f"@{name}@"], url  # type: ignore[attr-defined]


def test_a_4d_concatenation_is_rewritten_with_json_stringify() -> None:
    src = '$url:="/rest/Employee?$filter=\\"lastName=\'"+$name+"\'\\""\n'
    [f] = lint_text(src, "4d")
    assert f.code == "RQ601" and f.url == "/rest/Employee?$filter=\"lastName='{$name}'\""
    assert f.source_fix is not None
    assert f.source_fix.apply(src) == (
        '$url:="/rest/Employee?$filter=\\"lastName=:1\\"&$params="'
        "+JSON Stringify(New collection($name))\n"
    )
    assert "encode" in f.source_fix.description


@pytest.mark.parametrize(
    "src",
    [
        # the URL already has $params: numbering the new placeholders is the author's call
        "fetch(`/rest/E?$filter=\"a=:1 AND b='${v}'\"&$params='[1]'`)",
        # .format fields: the values are in the call's arguments
        None,
    ],
)
def test_no_fix_where_the_rewrite_is_not_mechanical(src: str | None) -> None:
    kind = "js"
    if src is None:
        src, kind = "u = \"/rest/E?$filter=\\\"a='{}'\\\"\".format(v)", "python"
    [f] = [f for f in lint_text(src, kind) if f.code == "RQ601"]
    assert f.source_fix is None and "$params" in (f.diagnostic.hint or "")


# --- RQ602, RQ603 --------------------------------------------------------------------------------


def test_params_json_written_around_a_value_is_serialised_instead() -> None:
    src = "fetch(`/rest/Person?$filter=\"lastName=:1 AND age>:2\"&$params='[\"${name}\", ${age}]'`)"
    [f] = lint_text(src, "js")
    assert (f.code, f.diagnostic.param) == ("RQ602", "$params")
    assert fixed(src, "js", "RQ602") == (
        'fetch(`/rest/Person?$filter="lastName=:1 AND age>:2"'
        "&$params=${encodeURIComponent(JSON.stringify([name, age]))}`)"
    )


@pytest.mark.parametrize(
    ("src", "shown"),
    [
        ('fetch(`/rest/Employee?$orderby="${column} desc"`)', "${column}"),
        ("fetch(`/rest/Employee?$attributes=${attrs}`)", "${attrs}"),
        ("fetch(`/rest/Employee?$filter=${filter}`)", "${filter}"),
        ('fetch(`/rest/Employee?$filter="${field}=1"`)', "${field}"),
        ('fetch(`/rest/Employee?$filter="a=1 AND ${cond}"`)', "${cond}"),
    ],
)
def test_code_writing_names_or_operators_is_a_warning_without_fix(src: str, shown: str) -> None:
    [f] = lint_text(src, "js")
    assert (f.code, f.severity, f.source_fix) == ("RQ603", "warning", None)
    assert f.url[f.diagnostic.start : f.diagnostic.end] == shown


@pytest.mark.parametrize(
    "src",
    [
        "fetch(`/rest/Employee(${id})`)",
        "fetch(`/rest/${dataclass}?$top=10`)",
        "fetch(`/rest/Employee/${attribute}?$top=${n}&$skip=${m}`)",
        "fetch(`/rest/Employee(${id})/photo?$imageformat=best&$expand=photo`)",
        "fetch('/rest/Employee(' + id + ')/' + attr)",
        'fetch(`/rest/Employee?$filter="lastName=:1"&$params=${encodeURIComponent(JSON.stringify([n]))}`)',
    ],
)
def test_keys_segments_and_other_values_are_not_injections(src: str) -> None:
    assert [c for c in codes(src, "js") if c.startswith("RQ6")] == []


def test_code_lints_follow_select_ignore_and_inline_suppression() -> None:
    src = 'fetch(`/rest/Employee?$filter="lastName=\'${n}\'"&$orderby="${c}"`)'
    assert codes(src, "js") == ["RQ601", "RQ603"]
    assert codes(src, "js", ignore=["RQ601"]) == ["RQ603"]
    assert codes(src, "js", ignore=["RQ6"]) == []
    assert codes(src, "js", select=["spliced-query-structure"]) == ["RQ603"]
    assert codes(src + " // restquery: ignore[spliced-filter-value]", "js") == ["RQ603"]


# --- RQ604: raw characters ---------------------------------------------------------------------


def test_raw_space_and_quote_in_4d_are_encoded_in_the_file() -> None:
    src = '$url:="/rest/Employee?$filter=\\"salary > 10\\"&$top=5"\n'
    [f] = lint_text(src, "4d")
    assert (f.code, f.severity) == ("RQ604", "warning")
    assert f.diagnostic.fix is not None
    assert f.diagnostic.fix.apply(f.url) == "/rest/Employee?$filter=%22salary%20>%2010%22&$top=5"
    assert f.source_fix is not None
    after = f.source_fix.apply(src)
    assert after == '$url:="/rest/Employee?$filter=%22salary%20>%2010%22&$top=5"\n'
    assert codes(after, "4d") == []
    # the same request, read by the server either way
    assert restquery.parse(f.url) == restquery.parse(f.diagnostic.fix.apply(f.url))


def test_a_raw_hash_is_reported_in_every_language_and_spaces_only_where_clients_leave_them() -> None:
    assert codes("fetch('/rest/Employee?$top=5#top')", "js") == ["RQ604"]
    assert codes("requests.get('/rest/Employee?$filter=\"salary > 10\"')", "python") == []
    assert codes('String u = "/rest/Employee?$filter=\\"a=1\\"";', "java") == ["RQ604"]
    # a `#` that cuts a quoted value is the syntax error's already
    assert codes("fetch('/rest/Employee?$filter=\"a=1#b\"')", "js") == ["RQ002"]
    # prose and logs write URLs raw: not code
    assert codes('See /rest/Employee?$filter="salary > 10"', "text") == []


# --- the report formats ---------------------------------------------------------------------------


def test_sarif_carries_the_fix_and_the_code_lint_rules(tmp_path: Path, sarif_schema: dict) -> None:
    from tests.conftest import validate_sarif

    src = 'fetch(`/rest/Employee?$filter="lastName=\'${name}\'"`);\n'
    (tmp_path / "app.js").write_text(src, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "restquery", "lint", "app.js", "--format", "sarif"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert run.returncode == 1, run.stderr
    doc = json.loads(run.stdout)
    validate_sarif(doc, sarif_schema)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert {"RQ601", "RQ602", "RQ603", "RQ604"} <= set(rules)
    [result] = doc["runs"][0]["results"]
    assert result["ruleId"] == "RQ601" and result["ruleIndex"] == list(rules).index("RQ601")
    [change] = result["fixes"][0]["artifactChanges"]
    [rep] = change["replacements"]
    region = rep["deletedRegion"]
    fixed_src = src[: region["charOffset"]] + rep["insertedContent"]["text"] + src[
        region["charOffset"] + region["charLength"] :
    ]
    assert fixed_src == lint_text(src, "js")[0].source_fix.apply(src)  # type: ignore[union-attr]
    # json: the same fix, as edits of the file
    run = subprocess.run(
        [sys.executable, "-m", "restquery", "lint", "app.js", "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    [finding] = json.loads(run.stdout)["findings"]
    assert Fix.from_dict(finding["source_fix"]).apply(src) == fixed_src
    assert finding["fix"] is None
