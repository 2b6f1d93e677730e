"""The parameter table (restquery.params): well-formed, and what parsing, the rules, the
strategies and docs/parameters.md read from it is what it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from restquery import parse, validate
from restquery.ast import Boolean
from restquery.params import (
    GROUPS,
    KINDS,
    METHOD_VERBS,
    PARAMETERS,
    TABLE,
    Parameter,
    canonical_name,
    declared,
    names,
    parameter,
    value_kind,
)
from restquery.rules import registry
from restquery.rules._docs import render_parameters
from restquery.semantics.paths import COLLECTION_FORMS

ROOT = Path(__file__).resolve().parents[1]
IDS = [p.name for p in TABLE]

#: Path forms of spec §2.4 (P1–P24) and the legacy forms L1–L3.
_FORMS = {f"P{n}" for n in range(1, 25)} | {"L1", "L2", "L3"}


def _request(p: Parameter) -> tuple[str, str | None]:
    url = p.example
    if url.startswith("POST "):
        return url[5:], "POST"
    return url, "POST" if p.methods == ("POST",) else None


def _without(url: str, need: str) -> str:
    """``url`` without the parameter (or ``$param=value``) ``need``."""
    base, query = url.split("?", 1)
    name = need.split("=", 1)[0].lower()
    kept = [
        part
        for part in query.split("&")
        if part.split("=", 1)[0].lower() != name or ("=" in need and part.lower() != need.lower())
    ]
    assert len(kept) < len(query.split("&")), f"{need} is not in {url}"
    return base + "?" + "&".join(kept)


def test_the_table_holds_the_27_functions_and_29_spellings_of_spec_section_3() -> None:
    assert len(TABLE) == 29
    assert len({p.name for p in TABLE}) == 29
    assert sum(p.same_as is None for p in TABLE) == 27
    assert list(PARAMETERS) == IDS
    assert [p.section for p in TABLE] == sorted(
        (p.section for p in TABLE), key=lambda s: int(s.split(".")[1])
    )


@pytest.mark.parametrize("p", TABLE, ids=IDS)
def test_each_entry_is_well_formed(p: Parameter) -> None:
    assert re.fullmatch(r"\$[A-Za-z]+", p.name)
    assert p.kind in KINDS
    assert re.fullmatch(r"§3\.\d+", p.section)
    assert p.forms and set(p.forms) <= _FORMS, p.forms
    assert set(p.groups) <= set(GROUPS)
    assert set(p.methods) <= {"GET", "POST"} and p.methods
    assert set(p.resources) <= {"singleton", "catalog", "upload"}
    assert not p.flag or p.kind == "bool"
    assert not (p.values or p.legacy_values) or p.kind == "word"
    assert not p.takes_true or p.kind in ("filter", "sort")
    if p.same_as is not None:
        twin = declared(p.same_as)
        assert twin.same_as is None and twin.kind == p.kind and twin.section == p.section
    for spelling in (p.name, p.name.lower(), p.name.upper(), *p.spellings):
        assert canonical_name(spelling) == p.name
        assert value_kind(spelling) == p.kind
        assert parameter(spelling) is p
    for old in p.old_names:
        assert parameter(old) is None
    # Every rule the entry names is a registered rule about it.
    specs = {r.spec for r in registry()}
    for number in p.rules:
        assert number in specs, number


def test_the_collection_forms_of_the_table_are_forms_of_the_path_machine() -> None:
    machine = set(COLLECTION_FORMS.values())
    for p in TABLE:
        if "collection" in p.groups:
            assert set(p.forms) & machine, p.name


@pytest.mark.parametrize("p", TABLE, ids=IDS)
def test_each_example_is_valid_and_uses_its_parameter(p: Parameter) -> None:
    url, method = _request(p)
    req = parse(url)
    assert req.param(p.name) is not None
    found = validate(url, method=method)
    assert [d for d in found if d.severity == "error"] == []
    assert [d for d in found if d.param == p.name] == []


NEEDS = [(p, need) for p in TABLE for need in p.needs]


@pytest.mark.parametrize("p, need", NEEDS, ids=[f"{p.name}-{n}" for p, n in NEEDS])
def test_each_declared_companion_is_enforced_by_a_rule(p: Parameter, need: str) -> None:
    """Take the companion out of the example: a rule reports the parameter."""
    url, method = _request(p)
    found = validate(_without(url, need), method=method)
    assert any(d.param == p.name for d in found), found


WORDS = [p for p in TABLE if p.values]


@pytest.mark.parametrize("p", WORDS, ids=[p.name for p in WORDS])
def test_the_rules_take_exactly_the_documented_values(p: Parameter) -> None:
    """Every documented value of a word parameter is accepted by its value rule, in any case,
    and a value that is none of them is reported with one of them suggested."""
    url, method = _request(p)
    current = parse(url).param(p.name)
    assert current is not None
    written = url[current.value.span.start : current.value.span.end]

    def findings(value: str) -> list[str]:
        other = url.replace(f"{p.name}={written}", f"{p.name}={value}")
        return [d.code for d in validate(other, method=method) if d.param == p.name]

    value_rules = set(findings("zzzq"))
    assert value_rules, "an unknown value draws no finding"
    for value in (*p.values, *(v.swapcase() for v in p.values)):
        assert not set(findings(value)) & value_rules, value
    for value in p.legacy_values:
        assert not set(findings(value)) & value_rules, value


@pytest.mark.parametrize("p", [p for p in TABLE if p.flag], ids=names(flag=True))
def test_flags_take_true_and_nothing_else(p: Parameter) -> None:
    url, method = _request(p)
    assert validate(url.replace(f"{p.name}=true", f"{p.name}=1"), method=method)
    assert isinstance(parse(url).param(p.name).value, Boolean)


@pytest.mark.parametrize("p", [p for p in TABLE if p.takes_true], ids=lambda p: p.name)
def test_parameters_that_take_true_parse_it_as_a_boolean(p: Parameter) -> None:
    value = parse(f"/rest/Employee/$entityset/ABC?{p.name}=true").param(p.name).value
    assert isinstance(value, Boolean) and value.value is True
    assert not isinstance(parse("/rest/Employee?$orderby=true").param("$orderby").value, Boolean)


@pytest.mark.parametrize(
    "resource, path",
    [("upload", "/rest/$upload"), ("singleton", "/rest/$singleton/Store/open"),
     ("catalog", "/rest/$catalog/authentify")],
)
def test_descriptive_resources_take_the_parameters_the_table_gives_them(
    resource: str, path: str
) -> None:
    taken = set(names(resource=resource))
    assert taken
    for p in TABLE:
        url, _ = _request(p)
        written = parse(url).param(p.name).span
        found = validate(f"{path}?{url[written.start : written.end]}", method="POST")
        misplaced = any(d.code == "RQ352" for d in found)
        assert misplaced is (p.name not in taken), (p.name, found)


def test_method_verbs_cover_every_method_value() -> None:
    method = declared("$method")
    assert set(METHOD_VERBS) == {*method.values, *method.legacy_values}
    found = validate("/rest/Employee?$method=update", method="GET")
    assert any(d.code.startswith("RQ3") and d.param == "$method" for d in found)


def test_names_selects_by_group_kind_flag_resource_and_synonym() -> None:
    assert names(group="paging") == ("$top", "$limit", "$skip")
    assert names(synonyms_of="$atomic") == ("$atomic", "$atOnce")
    assert names(kind="filter") == ("$filter", "$savedfilter")
    assert names(resource="upload", flag=True) == ("$binary", "$rawPict")
    with pytest.raises(ValueError, match="unknown parameter group"):
        names(group="pagingg")
    with pytest.raises(KeyError):
        declared("$Filter")


def test_docs_parameters_md_is_generated_from_the_table() -> None:
    current = (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert current == render_parameters(), (
        "docs/parameters.md is stale: "
        "python -m restquery.rules._docs --parameters --write docs/parameters.md"
    )
    for p in TABLE:
        assert f"### `{p.name}`" in current and p.example in current


def test_the_printer_refuses_a_value_its_parameter_would_not_read_back() -> None:
    import dataclasses

    from restquery import unparse
    from restquery.ast import Word
    from restquery.errors import UnparseError

    req = parse("/rest/Employee?$top=10&$savedfilter=true")
    top, saved = req.params
    with pytest.raises(UnparseError, match=r"\$top parameter takes a whole number; a Word"):
        unparse(dataclasses.replace(req, params=(dataclasses.replace(top, value=Word(value="10")),)))
    assert unparse(req) == "/rest/Employee?$top=10&$savedfilter=true"
    assert isinstance(saved.value, Boolean)
