"""RQ204 key-type-mismatch (R12, catalog)."""

from __future__ import annotations

from functools import partial

import pytest

from restquery.catalog import Catalog

from .harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ204", catalog=CATALOG)
expect_errors = partial(assert_rule_errors, "RQ204", catalog=CATALOG)

TYPES = Catalog.from_json({"dataClasses": [
    {"name": "U", "attributes": [{"name": "id", "kind": "storage", "type": "uuid", "identifying": True}]},
    {"name": "N", "attributes": [{"name": "id", "kind": "storage", "type": "number", "identifying": True}]},
    {"name": "D", "attributes": [{"name": "id", "kind": "storage", "type": "date", "identifying": True}]},
    {"name": "X", "attributes": [{"name": "id", "kind": "storage", "type": "mystery", "identifying": True}]},
    {"name": "C", "key": [{"name": "a"}, {"name": "b"}], "attributes": [
        {"name": "a", "kind": "storage", "type": "long"},
        {"name": "b", "kind": "storage", "type": "long"}]},
]})


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus) that fit the example catalog
        "/rest/Company(1)",
        "/rest/Company[1]",
        "/rest/Employee(22)/?$method=delete",
        "{{ApiEndpoint}}/rest/Employee[123]",
        "/rest/Users[2]",
        "{{ApiEndpoint}}/rest/User(5)/profilePicture?$binary=true&$expand=profilePicture",
        "/rest/Payments[1]?$attributes=Amount,PaymentDate",
        # a quoted number is a number; text keys take anything
        "/rest/Company(\"12\")",
        "/rest/User(\"u-17\")",
        "/rest/User[abc]",
        # look-ups and other forms are not keys
        "/rest/Company:companyCode(Acme001)",
        "/rest/Employee/addEmployee(John)",
        "/rest/Employee/$entityset/ABC[x]",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Company(acme)", [("RQ204", "acme")]),
        ("/rest/Company(\"IT0911AB2200\")", [("RQ204", "\"IT0911AB2200\"")]),
        ("/rest/Company[IT0911AB2200]/name", [("RQ204", "IT0911AB2200")]),
        ("/rest/Company(1.5)", [("RQ204", "1.5")]),
    ],
)
def test_warnings(url: str, expected: list[tuple[str, str]]) -> None:
    [d] = expect_errors(url, expected)
    assert d.severity == "warning"


def test_message() -> None:
    [d] = expect_errors("/rest/Company(acme)", [("RQ204", "acme")])
    assert d.message == "The key `acme` does not fit the primary key `ID`, of type `long`."
    assert d.hint is not None and "`Company:{attribute}(value)`" in d.hint


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/U(1)", [("RQ204", "1")]),
        ("/rest/U(ABC)", [("RQ204", "ABC")]),
        ("/rest/N(abc)", [("RQ204", "abc")]),
    ],
)
def test_other_types(url: str, expected: list[tuple[str, str]]) -> None:
    assert_rule_errors("RQ204", url, expected, catalog=TYPES)


@pytest.mark.parametrize(
    "url",
    [
        "/rest/U(96A49F7EF2ABDE44BF32059D9ABC65C1)",
        "/rest/U(\"96a49f7e-f2ab-de44-bf32-059d9abc65c1\")",
        "/rest/N(1.5)",
        "/rest/N(\"-2.25\")",
        "/rest/D(2024-01-01)",  # not checked
        "/rest/X(whatever)",  # unknown type
        "/rest/C(1)",  # composite primary key: not checked
    ],
)
def test_other_types_valid(url: str) -> None:
    assert_rule_valid("RQ204", url, catalog=TYPES)


def test_without_catalog_nothing_runs() -> None:
    assert_rule_valid("RQ204", "/rest/Company(acme)")


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", None])
def test_method_does_not_matter(method: str | None) -> None:
    expect_errors("/rest/Company(acme)", [("RQ204", "acme")], method=method)
