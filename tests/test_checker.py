"""validate() and assert_valid(): the contract of design.md and the seed cases of the issue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import restquery
from restquery.diagnostics import Diagnostic, Edit, Fix

ROOT = Path(__file__).resolve().parents[1]
CATALOG = restquery.Catalog.from_json(ROOT / "examples" / "catalog.json")

SEED_VALID = [
    ("GET", "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt"),
    ("GET", "/rest/User(5)/profilePicture?$binary=true&$expand=profilePicture"),
    ("GET", "/rest/Documents(42)/contract?$binary=true&$expand=contract"),
    ("GET", '/rest/User?$filter="department=\'HR\'"&$orderby="name desc"&$binary=true&$expand=profilePicture'),
    ("GET", '/rest/Documents?$filter="ID>10"&$binary=true&$expand=contract&$orderby="ID"'),
]


@pytest.mark.parametrize("method,url", SEED_VALID)
@pytest.mark.parametrize("with_catalog", [False, True])
def test_seed_valid(method: str, url: str, with_catalog: bool) -> None:
    diags = restquery.validate(url, method=method, catalog=CATALOG if with_catalog else None)
    assert [d for d in diags if d.severity == "error"] == []
    restquery.assert_valid(url, method=method, catalog=CATALOG if with_catalog else None)


def test_seed_missing_expand_is_an_error_with_the_exact_fix() -> None:
    url = "/rest/Documents(42)/contract?$binary=true"
    [d] = [d for d in restquery.validate(url, method="GET") if d.code == "RQ301"]
    assert d.severity == "error" and d.name == "binary-requires-expand"
    assert url[d.start : d.end] == "$binary=true"
    assert d.param == "$binary"
    assert d.hint == "add &$expand=contract"
    assert d.fix is not None
    assert d.fix.edits == (Edit(offset=len(url), length=0, text="&$expand=contract"),)
    assert d.fix.apply(url) == url + "&$expand=contract"
    assert restquery.validate(d.fix.apply(url), method="GET") == []


def test_seed_binary_on_a_non_blob_attribute_is_an_error_with_a_catalog() -> None:
    url = "/rest/Employee(1)/lastName?$binary=true&$expand=lastName"
    codes = [d.code for d in restquery.validate(url, catalog=CATALOG)]
    assert "RQ303" in codes
    assert "RQ303" not in [d.code for d in restquery.validate(url)]


def test_validate_never_raises_on_bad_input() -> None:
    for url in ["", "   ", "/rest/A?$filter=\"", "\x00", "%FF", "/rest/(", "?=&", "/rest/A?$params=[NaN]"]:
        diags = restquery.validate(url)
        assert diags and all(isinstance(d, Diagnostic) for d in diags)
        assert diags[0].severity == "error" and diags[0].code.startswith("RQ0")


def test_several_findings_are_all_reported_each_with_its_span() -> None:
    url = "/rest/Company(11)/blobAtt?$binary=true&$top=-1&$fitler=x"
    diags = restquery.validate(url)
    by_code = {d.code: url[d.start : d.end] for d in diags}
    assert by_code["RQ301"] == "$binary=true"
    assert "RQ107" in by_code and "$fitler" in by_code["RQ107"]
    assert [d.start for d in diags] == sorted(d.start for d in diags)


def test_max_errors_caps_the_list() -> None:
    url = "/rest/Company?" + "&".join(f"$bad{i}=1" for i in range(20))
    assert len(restquery.validate(url)) == 20
    assert len(restquery.validate(url, max_errors=5)) == 5


def test_hide_suggestions_keeps_the_schema_secret() -> None:
    url = '/rest/Employee?$filter="salry>1"'
    shown = [d for d in restquery.validate(url, catalog=CATALOG) if d.code == "RQ202"]
    hidden = [d for d in restquery.validate(url, catalog=CATALOG, hide_suggestions=True) if d.code == "RQ202"]
    assert shown and hidden
    assert "salary" in (shown[0].hint or "")
    assert "salary" not in (hidden[0].hint or "") and "salary" not in hidden[0].message


def test_select_and_ignore() -> None:
    url = "/rest/Company(11)/blobAtt?$binary=true&$fitler=x"
    assert {d.code for d in restquery.validate(url, select=["RQ301"])} == {"RQ301"}
    assert "RQ301" not in {d.code for d in restquery.validate(url, ignore=["binary-requires-expand"])}
    assert {d.code for d in restquery.validate(url, select=["RQ1"])} == {"RQ107"}
    with pytest.raises(restquery.RestQueryError):
        restquery.validate(url, select=["RQ999"])
    with pytest.raises(restquery.RestQueryError):
        restquery.validate(url, ignore=["no-such-rule"])


def test_opt_in_rules_need_their_exact_code() -> None:
    url = "/rest/Company(1)"
    assert restquery.validate(url) == []
    assert restquery.validate(url, select=["RQ3"]) == []
    assert [d.code for d in restquery.validate(url, select=["RQ358"])] == ["RQ358"]


def test_method_rules_are_silent_without_a_method() -> None:
    url = "/rest/Employee?$method=update"
    assert "RQ315" not in [d.code for d in restquery.validate(url)]
    assert "RQ315" in [d.code for d in restquery.validate(url, method="GET")]
    assert "RQ315" not in [d.code for d in restquery.validate(url, method="POST")]
    req = restquery.parse(url, method="get")
    assert "RQ315" in [d.code for d in restquery.validate(req)]


def test_diagnostics_round_trip_through_json() -> None:
    url = "/rest/Company(11)/blobAtt?$binary=true&$top=x&$fitler=1"
    diags = restquery.validate(url, catalog=CATALOG)
    assert diags
    data = json.loads(json.dumps([d.to_dict() for d in diags]))
    assert [Diagnostic.from_dict(d) for d in data] == diags
    for d in data:
        assert set(d) == {"code", "name", "severity", "message", "start", "end", "param", "hint", "fix"}


def test_fix_applies_edits_from_the_end() -> None:
    fix = Fix(edits=(Edit(offset=0, length=1, text="AB"), Edit(offset=3, length=0, text="!")), description="x")
    assert fix.apply("abcd") == "ABbc!d"


def test_assert_valid_raises_with_every_diagnostic() -> None:
    with pytest.raises(restquery.ValidationError) as info:
        restquery.assert_valid("/rest/Company(11)/blobAtt?$binary=true&$top=-1")
    err = info.value
    assert isinstance(err, restquery.RestQueryError)
    assert {"RQ301", "RQ331"} <= {d.code for d in err.diagnostics}
    assert "RQ301" in str(err)
    restquery.assert_valid("/rest/Company(1)/?$expand=staff")  # a warning only
    with pytest.raises(restquery.ValidationError):
        restquery.assert_valid("/rest/Company(1)/?$expand=staff", strict=True)


def test_validate_accepts_a_catalog_document_or_path() -> None:
    url = "/rest/Emploee"
    by_path = restquery.validate(url, catalog=str(ROOT / "examples" / "catalog.json"))
    by_dict = restquery.validate(url, catalog=json.loads((ROOT / "examples" / "catalog.json").read_text()))
    assert [d.code for d in by_path] == [d.code for d in by_dict] == ["RQ201"]
    with pytest.raises(restquery.CatalogError):
        restquery.validate(url, catalog={"dataClasses": "nope"})
