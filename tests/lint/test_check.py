"""Checking found URLs: holes, positions in the file, rule selection, inline suppression."""

from __future__ import annotations

import pytest

import restquery
from restquery.lint import find_urls, lint_text
from restquery.errors import RestQueryError
from restquery.lint._check import Suppressions, resolve_selection

from .conftest import CATALOG, PROJECT


def offset(text: str, line: int, col: int) -> int:
    """The offset of 1-based ``line``/``col`` in ``text``."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    return starts[line - 1] + col - 1


def file_slice(text: str, f: object) -> str:
    return text[offset(text, f.line, f.column) : offset(text, f.end_line, f.end_column)]  # type: ignore[attr-defined]


# --- positions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "src"),
    [
        ("js", "a();\n  fetch('/rest/Company(11)/blobAtt?$binary=true');\n"),
        ("python", 'x = 1\nrequests.get("http://h:8044/rest/Company(1)/blobAtt?$binary=true")\n'),
        ("markdown", "# t\n\nSee `/rest/Company(1)/blobAtt?$binary=true` and\n\n    /rest/Company(2)/blobAtt?$binary=true\n"),
        ("html", '<p>\n<a href="/rest/Company(1)/blobAtt?$binary=true">x</a>\n</p>'),
        ("json", '{\n  "u": [\n    "/rest/Company(1)/blobAtt?$binary=true"\n  ]\n}'),
        ("text", "line\n\tGET /rest/Company(1)/blobAtt?$binary=true\r\nend"),
        ("java", 'class A {\n  String u = "/rest/Company(1)/blobAtt?$binary=true";\n}'),
        ("4d", '$u:="/rest/Company(1)/blobAtt?$binary=true"\n'),
        ("rst", "Text\n\n.. code-block:: python\n\n   get('/rest/Company(1)/blobAtt?$binary=true')\n"),
    ],
)
def test_findings_point_at_the_file_characters_under_the_span(kind: str, src: str) -> None:
    findings = lint_text(src, kind, select=["RQ301"])
    assert findings, "expected an RQ301"
    for f in findings:
        d = f.diagnostic
        assert file_slice(src, f) == f.url[d.start : d.end] == "$binary=true"
        # The URL's own position: its first characters are there.
        assert src[offset(src, f.url_line, f.url_column) :].startswith(f.url[:10])


def test_spans_map_through_escapes() -> None:
    src = 'fetch("/rest/Company(1)/blobAtt?\\u0024binary=\\x74rue")'
    [f] = lint_text(src, "js", select=["RQ301"])
    assert f.url == "/rest/Company(1)/blobAtt?$binary=true"
    assert f.url[f.diagnostic.start : f.diagnostic.end] == "$binary=true"
    assert file_slice(src, f) == "\\u0024binary=\\x74rue"


def test_a_multi_line_chain_reports_on_the_right_line() -> None:
    src = 'u = ("/rest/Employee"\n     "?$top=x")\n'
    [f] = lint_text(src, "python")
    assert (f.line, f.column, f.url_line, f.url_column) == (2, 13, 1, 7)


# --- holes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "src",
    [
        "fetch(`${base}/rest/Employee(${id})/photo?$imageformat=best&$expand=photo`)",
        "fetch(`/rest/${dataclass}(1)`)",
        "fetch(`/rest/Employee/${attribute}?$top=10`)",
        "fetch(`/rest/Employee?$filter=${filter}`)",
        "fetch(`/rest/Employee?$filter=\"salary>${min}\"&$top=${n}&$skip=${m}`)",
        "fetch(`/rest/Employee?$filter=\"lastName='${name}'\"`)",
        "fetch(`/rest/Employee/$entityset/${id}?$method=release`)",
        "fetch(`/rest/Employee?${query}`)",
        "fetch('/rest/Employee(' + id + ')/' + attr)",
    ],
)
def test_holes_are_opaque_placeholders_not_errors(src: str) -> None:
    syntax_only = [f for f in lint_text(src, "js", select=["RQ0"]) if f.code.startswith("RQ0")]
    assert syntax_only == []
    for f in lint_text(src, "js", catalog=CATALOG, ignore=["RQ6"]):
        # No rule reports inside a hole: the span never covers `${` (the injection lints,
        # RQ6xx, are about holes: tests/lint/test_inject.py).
        assert "${" not in f.url[f.diagnostic.start : f.diagnostic.end]


def test_findings_beside_a_hole_are_kept_and_shown_with_the_hole() -> None:
    src = "fetch(`/rest/Company(${id})/blobAtt?$binary=true`)"
    [f] = lint_text(src, "js", select=["RQ301"])
    assert f.url == "/rest/Company(${id})/blobAtt?$binary=true"
    assert f.url[f.diagnostic.start : f.diagnostic.end] == "$binary=true"
    assert file_slice(src, f) == "$binary=true"
    assert f.diagnostic.fix is None  # its offsets would be those of the placeholder URL


def test_a_syntax_error_before_a_hole_is_the_authors() -> None:
    [f] = lint_text("fetch(`/rest/Employee(${id}`)", "js")
    assert f.code == "RQ003"
    assert f.url[f.diagnostic.start : f.diagnostic.end] == "("


def test_catalog_findings_about_a_hole_are_dropped() -> None:
    findings = lint_text("fetch(`/rest/${dc}(1)/${attr}`)", "js", catalog=CATALOG)
    assert [f.code for f in findings] == []
    [f] = lint_text("fetch(`/rest/Employee/${attr}?$filter=\"lastNme=1\"`)", "js", catalog=CATALOG,
                    select=["RQ202"])
    assert f.url[f.diagnostic.start : f.diagnostic.end] == "lastNme"


def test_findings_equal_validate_on_plain_urls() -> None:
    """Without holes or escapes a finding is exactly restquery.validate's diagnostic."""
    url = "/rest/Employee?$top=x&$filter=\"a=1\"&$binary=true"
    expected = restquery.validate(url, catalog=CATALOG, method="POST")
    findings = lint_text(f"requests.post('{url}')", "python", catalog=CATALOG)
    assert [f.diagnostic for f in findings] == expected
    assert all(f.method == "POST" for f in findings)


def test_default_method_applies_when_the_context_says_nothing() -> None:
    url = "/rest/Employee(1)?$method=delete"
    expected = restquery.validate(url, method="GET")
    assert [f.diagnostic for f in lint_text(f"f('{url}')", "js", method="GET")] == expected


# --- selection ---------------------------------------------------------------------------------


def test_selection_by_code_prefix_and_name() -> None:
    s = resolve_selection(["RQ3", "missing-rest-prefix"], ["binary-expand-mismatch"])
    assert s.rules is not None
    assert "RQ101" in s.rules and "RQ301" in s.rules and "RQ302" not in s.rules
    assert all(c.startswith(("RQ3", "RQ101")) for c in s.rules)
    assert resolve_selection(None, None).rules is None


def test_syntax_errors_are_reported_whatever_select_and_ignore_say() -> None:
    # A URL that does not parse cannot be checked by any rule: its error is never hidden by
    # the selection (an inline `restquery: ignore[...]` comment still can, line by line).
    src = "f('/rest/Employee(1')"
    assert [f.code for f in lint_text(src, "js", select=["RQ301"])] == ["RQ003"]
    for key in ("RQ0", "RQ003", "unbalanced-parenthesis"):
        with pytest.raises(RestQueryError, match="cannot be ignored"):
            lint_text(src, "js", ignore=[key])
    s = resolve_selection(["RQ0"], None)
    assert s.rules == ()
    assert [f.code for f in lint_text(src, "js", select=["RQ0"])] == ["RQ003"]


@pytest.mark.parametrize("keys", [["RQ999"], ["no-such-rule"], ["XY1"]])
def test_unknown_keys_are_refused(keys: list[str]) -> None:
    with pytest.raises(ValueError, match="no rule matches"):
        resolve_selection(keys, None)
    with pytest.raises(ValueError, match="no rule matches"):
        resolve_selection(None, keys)


# --- suppression -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "hidden"),
    [
        ("// restquery: ignore", True),
        ("// restquery: ignore[RQ301]", True),
        ("// restquery:ignore[rq301, RQ999]", True),
        ("// restquery: ignore[RQ3]", True),
        ("// restquery: ignore[binary-requires-expand]", True),
        ("// RESTQUERY: IGNORE", True),
        ("// restquery: ignore[RQ302]", False),
        ("// restquery: ignore[]", True),
        ("// noqa", False),
    ],
)
def test_inline_suppression(comment: str, hidden: bool) -> None:
    src = f"fetch('/rest/Company(1)/blobAtt?$binary=true'); {comment}\nfetch('/rest/Company(2)/blobAtt?$binary=true');\n"
    findings = lint_text(src, "js", select=["RQ301"])
    assert [f.line for f in findings] == ([2] if hidden else [1, 2])


def test_suppression_on_the_urls_first_line_covers_a_finding_further_down() -> None:
    src = 'u = ("/rest/Company(1)"  # restquery: ignore[RQ301]\n     "/blobAtt?$binary=true")\n'
    assert lint_text(src, "python", select=["RQ301"]) == []


def test_suppressions_scan() -> None:
    s = Suppressions.scan("a\nb # restquery: ignore[RQ1, x]\n", lambda off: 1 + "a\nb".count("\n", 0, off))
    assert bool(s)
    assert not Suppressions.scan("nothing here", lambda off: 1)


def test_fixture_project_exists() -> None:
    assert (PROJECT / "pyproject.toml").is_file()


# --- holes placed as templates ------------------------------------------------------------------


def test_a_finding_about_the_request_around_a_hole_is_kept() -> None:
    """The hole is placed as a template, which the checker treats as opaque: RQ317 does not
    depend on the key's text, so it is reported as `check` reports it for `{{id}}`."""
    src = 'fetch(`/rest/Employee(${id})?$method=update`, {method: "POST"})'
    [f] = lint_text(src, "js", catalog=CATALOG)
    assert (f.code, f.method) == ("RQ317", "POST")
    assert f.url[f.diagnostic.start : f.diagnostic.end] == "Employee(${id})"
    [d] = restquery.validate("/rest/Employee({{id}})?$method=update", method="POST", catalog=CATALOG)
    assert d.code == f.code and d.message == f.diagnostic.message


def test_a_finding_about_a_hole_placed_as_a_name_is_dropped() -> None:
    # `${cond}` cannot be a template where a condition stands: it is placed as `x=1`, which
    # pretends to know the condition, so nothing that touches it is reported.
    src = 'fetch(`/rest/Employee?$filter="lastName=a AND ${cond}"&$top=x`)'
    findings = lint_text(src, "js", catalog=CATALOG)
    # ... but the code writing a whole condition is itself a finding (RQ603).
    assert [f.code for f in findings] == ["RQ603", "RQ331"]


@pytest.mark.parametrize(
    ("src", "kind", "urls"),
    [
        ("u = `${base}${v2 ? `/rest/Company?$top=zz` : `/rest/Employee`}`;", "js",
         ["/rest/Company?$top=zz", "/rest/Employee"]),
        ("u = f\"{base}{'/rest/Company?$top=zz' if a else '/rest/Employee'}\"", "python",
         ["/rest/Company?$top=zz", "/rest/Employee"]),
        ("u = '/x/' + (a ? '/rest/Company?$top=zz' : 'b');", "js", ["/rest/Company?$top=zz"]),
    ],
)
def test_literals_inside_the_code_of_a_literal_are_scanned(src: str, kind: str, urls: list[str]) -> None:
    assert [u for u, *_ in find_urls(src, kind)] == urls
    [f] = lint_text(src, kind)
    assert f.code == "RQ331" and file_slice(src, f) == "zz"
