from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

CODES = ("RQ301", "RQ302", "RQ303")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
        "/rest/User(5)/profilePicture?$binary=true&$expand=profilePicture",
        "/rest/Documents(42)/contract?$binary=true&$expand=contract",
        '/rest/User?$filter="department=\'HR\'"&$binary=true&$expand=profilePicture',
        '/rest/Documents?$orderby="ID desc"&$binary=true&$expand=contract',
        "{{ApiEndpoint}}/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
        "/rest/Company(11)/blobAtt?$binary=false",
        "/rest/$upload?$binary=true",
        "/rest/Company(11)/blobAtt",
    ],
)
@pytest.mark.parametrize("catalog", [None, CATALOG])
def test_valid(url: str, catalog: object) -> None:
    expect_valid(url, catalog=catalog)


def test_missing_expand_on_an_entity_attribute() -> None:
    url = "/rest/Company(11)/blobAtt?$binary=true"
    [d] = expect_errors(url, [("RQ301", "$binary=true")])
    assert d.hint == "add &$expand=blobAtt"
    assert d.fix is not None and d.fix.apply(url) == url + "&$expand=blobAtt"


def test_missing_expand_on_a_collection_has_a_hint_but_no_fix() -> None:
    url = '/rest/User?$filter="department=\'HR\'"&$binary=true'
    [d] = expect_errors(url, [("RQ301", "$binary=true")])
    assert d.fix is None and "$expand" in (d.hint or "")


def test_missing_expand_with_other_parameters_after() -> None:
    url = "/rest/Documents(42)/contract?$binary=true&$version=1"
    [d] = expect_errors(url, [("RQ301", "$binary=true")])
    assert d.fix is not None and d.fix.apply(url) == url + "&$expand=contract"


def test_expand_names_another_attribute() -> None:
    url = "/rest/Company(11)/blobAtt?$binary=true&$expand=logo"
    [d] = expect_errors(url, [("RQ302", "logo")])
    assert d.fix is not None and d.fix.apply(url) == "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt"


@pytest.mark.parametrize(
    "url,covered",
    [
        ("/rest/Company(11)/name?$binary=true&$expand=name", "name"),
        ('/rest/Employee?$filter="salary>1"&$binary=true&$expand=salary', "salary"),
    ],
)
def test_attribute_type_with_a_catalog(url: str, covered: str) -> None:
    expect_errors(url, [("RQ303", covered)], catalog=CATALOG)
    expect_valid(url)
