"""Template placeholders (spec §1.1, §12): Postman's ``{{dataClass}}``, ``{{id}}``, the docs' own
syntax lines and code templates' holes stand wherever a name, a key, a value or a whole segment
may; rules that need the hidden text stay silent, the others still run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import restquery
from restquery.ast import (
    AttributeList,
    EntitySetSegment,
    KeySegment,
    LookupSegment,
    NamesSegment,
    Param,
    Params,
    PathList,
    Placeholder,
    SortList,
    Template,
    Text,
    is_template,
)
from restquery.errors import UnparseError
from restquery.printer import unparse

CATALOG = str(Path(__file__).resolve().parents[1] / "examples" / "catalog.json")

#: The docs' syntax lines (4D:$binary, 4D:$imageformat, Q:api/$timeout, Q:$singleton) as written.
DOC_LINES = [
    "/rest/{{dataClass}}(id)/{{blobAttributeName}}?$binary=true&$expand={{blobAttributeName}}",
    "/rest/{{dataClass}}({{id}})/{{pictureAttribute}}?$imageformat=png&$expand={{pictureAttribute}}",
    "{{ApiEndpoint}}/rest/Employee/$entityset/{{entitySetID}}?$timeout={{seconds}}&$method=entityset",
    "/rest/$singleton/{{SingletonClass}}/{{functionName}}",
    "/rest/{{dataClass}}?$filter=\"{{attribute}}={{value}}\"&$orderby={{attribute}}",
]


@pytest.mark.parametrize("url", DOC_LINES)
@pytest.mark.parametrize("catalog", [None, CATALOG])
def test_the_docs_syntax_lines_parse_and_validate(url: str, catalog: str | None) -> None:
    restquery.parse(url)
    assert restquery.validate(url, catalog=catalog, method="POST" if "singleton" in url else None) == []


def test_templates_in_every_position() -> None:
    req = restquery.parse(DOC_LINES[0])
    key_seg, attr_seg = req.path.segments
    assert isinstance(key_seg, KeySegment) and key_seg.name == "{{dataClass}}"
    assert isinstance(attr_seg, NamesSegment)
    assert attr_seg.paths[0].names == ("{{blobAttributeName}}",)
    expand = req.param("$expand")
    assert expand is not None and isinstance(expand.value, PathList)
    assert expand.value.paths[0].names == ("{{blobAttributeName}}",)

    req = restquery.parse(DOC_LINES[2])
    assert req.origin is not None and req.origin.placeholder == "{{ApiEndpoint}}"
    seg = req.path.segments[-1]
    assert isinstance(seg, EntitySetSegment) and seg.id == "{{entitySetID}}"
    timeout = req.param("$timeout")
    assert timeout is not None and timeout.value == Template(text="{{seconds}}")

    lookup = restquery.parse("/rest/Employee:{{attr}}({{v}})").path.segments[0]
    assert isinstance(lookup, LookupSegment) and lookup.attribute == "{{attr}}"
    assert lookup.value.value == "{{v}}"

    flt = restquery.parse('/rest/E?$filter="{{a}}={{b}} AND salary>{{min}}"').param("$filter")
    assert flt is not None
    first, second = flt.value.expr.operands  # type: ignore[union-attr]
    assert first.left.names == ("{{a}}",) and first.right == Template(text="{{b}}")
    assert second.right == Template(text="{{min}}")

    # A list of names reads a whole-value template as a name.
    for name, kind in [("$orderby", SortList), ("$attributes", AttributeList), ("$expand", PathList)]:
        for value in ("lastName,{{attribute}}", "{{attribute}}"):
            p = restquery.parse(f"/rest/E?{name}={value}").param(name)
            assert p is not None and isinstance(p.value, kind)


@pytest.mark.parametrize(
    "value",
    ["$top={{n}}", "$skip={{m}}", '$filter="{{filter}}"', "$filter={{filter}}", "$method={{m}}",
     "$params={{params}}", "$binary={{flag}}", "$timeout={{seconds}}"],
)
def test_a_whole_value_may_be_a_template(value: str) -> None:
    name, _, text = value.partition("=")
    p = restquery.parse(f"/rest/Employee?{value}").param(name)
    assert isinstance(p, Param) and p.value == Template(text=text.strip('"'))


def test_a_quoted_text_or_a_partial_name_keeps_its_kind() -> None:
    flt = restquery.parse("/rest/E?$filter=\"lastName='{{name}}'\"").param("$filter")
    assert flt is not None and flt.value.expr.right == Text(value="{{name}}", quoted=True)  # type: ignore[union-attr]
    seg = restquery.parse("/rest/Employee_{{suffix}}").path.segments[0]
    assert isinstance(seg, NamesSegment) and seg.paths[0].names == ("Employee_{{suffix}}",)
    assert is_template("Employee_{{suffix}}") and not is_template("Employee")


def test_a_params_value_may_hold_templates() -> None:
    """``$params=[{{id}}]``, as Postman collections write it: each template is one JSON value,
    a Template node in the items; the JSON stays strict (not the relaxed-key form, R38)."""
    url = '/rest/Employee?$filter="ID=:1"&$params=[{{id}},{"name":{{name}},"n":[1,{{n}}]}]'
    p = restquery.parse(url).param("$params")
    assert p is not None and isinstance(p.value, Params)
    first, obj = p.value.items
    assert first == Template(text="{{id}}") and obj["name"] == Template(text="{{name}}")
    assert obj["n"] == [1, Template(text="{{n}}")]
    assert p.value.relaxed is False
    assert [url[t.span.start : t.span.end] for t in p.value.templates()] == ["{{id}}", "{{name}}", "{{n}}"]
    # The tree as data is JSON, the template a node in it.
    data = json.loads(json.dumps(p.value.to_dict()))
    at = url.index("{{id}}")
    assert data["items"][0] == {"type": "Template", "span": [at, at + 6], "text": "{{id}}"}
    assert data["items"][1]["n"][1]["text"] == "{{n}}"
    # Quoted, the braces are a JSON text, not a template.
    quoted = restquery.parse("/rest/Employee?$params='[\"{{id}}\"]'").param("$params")
    assert quoted is not None and isinstance(quoted.value, Params) and quoted.value.items == ("{{id}}",)
    # Percent-encoded braces are the same template, located in the text as given.
    enc = "/rest/Employee?$params=%5B%7B%7Bid%7D%7D%5D"
    p = restquery.parse(enc).param("$params")
    assert p is not None and isinstance(p.value, Params)
    [t] = p.value.templates()
    assert t.text == "{{id}}" and enc[t.span.start : t.span.end] == "%7B%7Bid%7D%7D"


def test_a_template_in_params_counts_as_one_value() -> None:
    url = '/rest/Employee?$filter="ID=:1 AND lastName=:2"&$params=[{{id}}]'
    [d] = restquery.validate(url)
    assert d.code == "RQ344" and url[d.span.start : d.span.end] == ":2"


def test_relaxed_keys_beside_a_template_get_no_fix() -> None:
    # Quoting the keys of `[{vector:{{v}}}]` as JSON would have to spell the template too.
    url = '/rest/Employee?$filter="ID>:1"&$params=[{vector:{{v}}}]'
    [d] = restquery.validate(url)
    assert d.code == "RQ343" and d.fix is None
    [d] = restquery.validate('/rest/Employee?$filter="ID>:1"&$params=[{vector:[1]}]')
    assert d.code == "RQ343" and d.fix is not None


# --- rules that need the hidden text stay silent -----------------------------------------------


SILENT = [
    "/rest/{{dataClass}}({{id}})",
    "/rest/Employee({{id}})",
    "/rest/Employee[{{id}}]/{{attribute}}",
    "/rest/Employee_{{suffix}}",
    "/rest/Employee/{{function}}",
    "/rest/Employee/$entityset/{{entitySetID}}",
    "/rest/Employee?$top={{n}}&$skip={{m}}",
    "/rest/Employee?$filter=\"employer.{{attribute}}=1\"",
    "/rest/Employee?$filter=\"salary>{{min}}\"&$orderby=\"{{attribute}} desc\"",
    "/rest/Employee?$filter={{filter}}",
    "/rest/Employee?$attributes=lastName,{{attribute}}&$expand={{relation}}",
    "/rest/Employee?$method=entityset&$timeout={{seconds}}",
    "/rest/Employee(1)/{{blob}}?$binary=true&$expand={{blob}}",
    "/rest/Employee(1)/photo?$imageformat={{format}}&$expand=photo",
    "/rest/Employee?{{parameter}}=1",
    "/rest/Employee?$filter=\"ID=:1 AND lastName=:2\"&$params=[{{id}},{{name}}]",
    "/rest/Employee/{{function}}?$params=[{\"ID\":{{id}}},[{{a}},2]]",
    # Percent-encoded braces decode to the same template.
    "/rest/%7B%7BdataClass%7D%7D(%7B%7Bid%7D%7D)/%7B%7Battribute%7D%7D",
    "/rest/Employee?$top=%7B%7Bn%7D%7D&$filter=%22salary%3E%7B%7Bmin%7D%7D%22",
]


@pytest.mark.parametrize("url", SILENT)
@pytest.mark.parametrize("catalog", [None, CATALOG])
def test_rules_that_need_the_hidden_text_stay_silent(url: str, catalog: str | None) -> None:
    assert restquery.validate(url, catalog=catalog) == []


@pytest.mark.parametrize(
    ("url", "method", "code", "at"),
    [
        ("/rest/Employee({{id}})?$method=update", "POST", "RQ317", "Employee({{id}})"),
        ("/rest/Employee?$top={{n}}&$skip=ten", None, "RQ331", "ten"),
        ("/rest/{{dataClass}}?$timeout={{seconds}}", None, "RQ324", "$timeout={{seconds}}"),
        ("/rest/Employee(1)?$top={{n}}", None, "RQ353", "$top={{n}}"),
        ("/rest/{{dataClass}}?$filter=\"{{a}}={{b}}\"&$filter={{f}}", None, "RQ110", None),
        ("/rest/Employee/{{attribute}}?$binary=true", None, "RQ301", "$binary=true"),
    ],
)
def test_the_other_rules_still_run(url: str, method: str | None, code: str, at: str | None) -> None:
    found = restquery.validate(url, method=method, catalog=CATALOG)
    assert code in [d.code for d in found], found
    if at is not None:
        d = next(d for d in found if d.code == code)
        assert url[d.span.start : d.span.end] == at


def test_check_reports_what_lint_reports_for_a_code_template(tmp_path: Path) -> None:
    """The same URL through `check` (as a Postman template) and through `lint` (as a JS
    template literal with a hole) gives the same finding."""
    url = "/rest/Employee({{id}})?$method=update"
    check = subprocess.run(
        [sys.executable, "-m", "restquery", "check", "--method", "POST", "--format", "json", url],
        capture_output=True, text=True, check=False,
    )
    assert check.returncode == 1 and '"RQ317"' in check.stdout
    src = tmp_path / "app.js"
    src.write_text('fetch(`/rest/Employee(${id})?$method=update`, {method: "POST"});\n')
    lint = subprocess.run(
        [sys.executable, "-m", "restquery", "lint", "--format", "json", str(src)],
        capture_output=True, text=True, check=False,
    )
    assert lint.returncode == 1 and '"RQ317"' in lint.stdout


# --- printing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", DOC_LINES + SILENT[:-1])
@pytest.mark.parametrize("encode", [False, True])
def test_templates_print_back(url: str, encode: bool) -> None:
    req = restquery.parse(url)
    assert restquery.parse(unparse(req, encode=encode)) == req


def test_unprintable_templates_are_refused() -> None:
    req = restquery.parse("/rest/Employee?$top={{n}}")
    for bad in ("n", "{{a b}} x", "{{a,b}}", "12"):
        with pytest.raises(UnparseError):
            unparse(req.replace(params=(req.params[0].replace(value=Template(text=bad)),)))
    with pytest.raises(UnparseError):
        unparse(Placeholder(name="{{x}}"))
    req = restquery.parse("/rest/Employee?$params=[{{id}}]")
    for bad in ("id", "{{a,b}}", "{{a}}x"):
        params = Params(items=(Template(text=bad),))
        with pytest.raises(UnparseError):
            unparse(req.replace(params=(req.params[0].replace(value=params),)))
