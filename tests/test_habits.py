"""Habits of other query languages and of code, each with its own code and a fix that reads back:
OData comparison words (RQ016) and functions (RQ017), OData's $select (RQ115), a bare sort list
with a space (RQ116), a wildcard at both ends of a text (RQ361, under --strict)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import restquery
from restquery.ast import Comparison

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def diagnostics(url: str, **kw: object) -> list[restquery.Diagnostic]:
    return restquery.validate(url, **kw)


def fixed(url: str, code: str, **kw: object) -> str:
    [d] = [d for d in diagnostics(url, **kw) if d.code == code]
    assert d.fix is not None, d
    return d.fix.apply(url)


@pytest.mark.parametrize(
    ("word", "cmp"), [("eq", "="), ("ne", "!="), ("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")]
)
def test_odata_comparison_words_are_named_and_fixed(word: str, cmp: str) -> None:
    url = f"/rest/Employee?$filter=\"salary {word} 1000 AND lastName=a\""
    [d] = diagnostics(url)
    assert (d.code, d.name, d.severity) == ("RQ016", "odata-operator", "error")
    assert url[d.start : d.end] == word and d.hint == f"write `{cmp}`"
    after = fixed(url, "RQ016")
    assert after == f"/rest/Employee?$filter=\"salary {cmp} 1000 AND lastName=a\""
    expr = restquery.parse(after).param("$filter").value.expr  # type: ignore[union-attr]
    assert expr.operands[0] == Comparison(  # type: ignore[attr-defined]
        left=expr.operands[0].left, op=cmp, right=expr.operands[0].right  # type: ignore[attr-defined]
    )
    assert diagnostics(after) == []


def test_an_odata_word_in_a_percent_encoded_filter_is_fixed_in_place() -> None:
    url = "/rest/Employee?$filter=salary%20GT%201000"
    after = fixed(url, "RQ016")
    assert after == "/rest/Employee?$filter=salary%20>%201000"
    assert diagnostics(after) == []


@pytest.mark.parametrize(
    ("call", "condition"),
    [
        ("contains(lastName,'on')", "lastName='@on@'"),
        ("startswith(employer/name, 'Ac')", "employer.name begin 'Ac'"),
        ("endswith( lastName , 'son' )", "lastName='@son'"),
    ],
)
def test_odata_functions_become_wildcards_and_begin(call: str, condition: str) -> None:
    url = f'/rest/Employee?$filter="salary>10 AND {call}"'
    [d] = diagnostics(url)
    assert (d.code, d.name) == ("RQ017", "odata-function")
    assert url[d.start : d.end] == call
    after = fixed(url, "RQ017")
    assert after == f'/rest/Employee?$filter="salary>10 AND {condition}"'
    assert diagnostics(after) == []


def test_an_odata_function_the_fix_cannot_rewrite_still_gets_its_code() -> None:
    # percent-encoded: named and explained, no edit (it would not read back as written)
    [d] = diagnostics("/rest/E?$filter=contains%28name%2C%27x%27%29")
    assert d.code == "RQ017" and d.fix is None and d.hint == "write `name='@x@'`"
    # arguments that are not a path and a text: the shape of the answer only
    [d] = diagnostics("/rest/E?$filter=\"contains(tolower(name),'x')\"")
    assert d.code == "RQ017" and d.fix is None and "attribute" in (d.hint or "")


def test_odata_select_is_renamed_to_attributes() -> None:
    url = "/rest/Employee?$select=lastName,salary&$top=5"
    [d] = diagnostics(url)
    assert (d.code, d.severity, d.param) == ("RQ115", "error", "$select")
    assert "RQ107" not in [x.code for x in diagnostics(url)]  # one finding, not two
    after = fixed(url, "RQ115")
    assert after == "/rest/Employee?$attributes=lastName,salary&$top=5"
    assert diagnostics(after, catalog=EXAMPLES / "catalog.json") == []


@pytest.mark.parametrize(
    ("url", "quoted"),
    [
        ("/rest/Employee?$orderby=lastName desc", '/rest/Employee?$orderby="lastName desc"'),
        ("/rest/Employee?$top=2&$orderby=lastName desc, salary&$skip=1",
         '/rest/Employee?$top=2&$orderby="lastName desc, salary"&$skip=1'),
        # encoded, the same value: the quotes go in encoded too
        ("/rest/Employee?$orderby=lastName%20desc", "/rest/Employee?$orderby=%22lastName%20desc%22"),
    ],
)
def test_a_bare_sort_list_with_a_space_is_quoted(url: str, quoted: str) -> None:
    [d] = diagnostics(url)
    assert (d.code, d.name, d.severity) == ("RQ116", "unquoted-sort", "warning")
    assert fixed(url, "RQ116") == quoted
    assert restquery.parse(quoted).param("$orderby").value == restquery.parse(url).param("$orderby").value  # type: ignore[union-attr]
    assert diagnostics(quoted) == []


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Employee?$orderby=lastName",
        "/rest/Employee?$orderby=%22lastName%20desc%22",
        "/rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastName ASC",
    ],
)
def test_sort_lists_that_need_no_quotes(url: str) -> None:
    assert "RQ116" not in [d.code for d in diagnostics(url)]


def test_a_wildcard_at_both_ends_is_a_warning_under_strict_only() -> None:
    url = "/rest/Employee?$filter=\"lastName='@on@' OR city=@Par@\""
    assert [d.code for d in diagnostics(url)] == []
    found = diagnostics(url, select="wildcard-both-ends")
    assert [(d.code, url[d.start : d.end]) for d in found] == [("RQ361", "'@on@'"), ("RQ361", "@Par@")]
    # a begins-with, a literal comparison and a lone `@` are not full scans
    for clean in ("lastName='on@'", "lastName==='@on@'", "lastName='@'"):
        assert diagnostics(f'/rest/Employee?$filter="{clean}"', select="RQ361") == []


def test_check_strict_turns_the_full_scan_warning_on_and_fails() -> None:
    url = "/rest/Employee?$filter=\"lastName='@on@'\""
    run = [sys.executable, "-m", "restquery", "check", url, "--format", "json"]
    plain = subprocess.run(run, capture_output=True, text=True)
    assert plain.returncode == 0 and json.loads(plain.stdout)[0]["diagnostics"] == []
    strict = subprocess.run([*run, "--strict"], capture_output=True, text=True)
    assert strict.returncode == 1
    assert [d["code"] for d in json.loads(strict.stdout)[0]["diagnostics"]] == ["RQ361"]
    ignored = subprocess.run([*run, "--strict", "--ignore", "RQ361"], capture_output=True, text=True)
    assert ignored.returncode == 0, ignored.stderr


def test_lint_strict_turns_it_on_in_code(tmp_path: object) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    (root / "app.js").write_text("fetch(`/rest/Employee?$filter=\"lastName='@on@'\"`)\n", encoding="utf-8")
    run = [sys.executable, "-m", "restquery", "lint", "app.js", "--format", "json"]
    plain = subprocess.run(run, capture_output=True, text=True, cwd=root)
    assert plain.returncode == 0 and json.loads(plain.stdout)["findings"] == []
    strict = subprocess.run([*run, "--strict"], capture_output=True, text=True, cwd=root)
    assert strict.returncode == 1
    assert [f["code"] for f in json.loads(strict.stdout)["findings"]] == ["RQ361"]
