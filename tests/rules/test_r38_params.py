"""R38: `$params` (RQ342–RQ346)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

CODES = ("RQ342", "RQ343", "RQ344", "RQ345", "RQ346")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    "url",
    [
        '/rest/Person?$filter="lastName=:1"&$params=\'["O\\u0027Reilly"]\'',
        '/rest/Employee?$filter="firstName=:1 AND salary>:2"&$params=\'["john",20000]\'',
        "/rest/City/getCity?$params='[\"Aguada\"]'",
        '/rest/City/getCities?$params=\'["Aguada","Paris"]\'',
        "http://127.0.0.1:8044/rest/Products/getUserManual?$params='[1,\"pdf\"]'",
        (
            "http://127.0.0.1:8044/rest/$singleton/Shopping/buildShoppingList"
            '?$params=\'[{"__DATASET":"8DB0556854HDK52FR5974F","__ENTITIES":true}]\''
        ),
        "/rest/$singleton/SingletonClass/SingletonClassFunction?$params='[\"myparam\"]'",
        "/rest/Person?$filter=\"ID IN :1\"&$params='[[1,2,3]]'",
        "/rest/Person?$filter=\":1 = 'Smith'\"&$params='[\"lastName\"]'",
        "/rest/Employee/addEmployee(John,Smith)?$params='[1]'",
        "/rest/$catalog/getName?$params='[1]'",  # may be a datastore function
        '/rest/Person?$filter="lastName=Smith"',
        '/rest/Person?$params=[1]&$filter="ID=:1"',  # bare array (spec §12 item 4)
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # RQ342
        ('/rest/Person?$filter="lastName=:1"&$params=\'"Smith"\'', [("RQ342", '"Smith"')]),
        ('/rest/Person?$filter="lastName=:1"&$params={"a":1}', [("RQ342", '{"a":1}')]),
        # RQ343
        (
            "/rest/Person?$filter=\"VectorAtt>=:1\"&$params='[{vector:[1,2,3],threshold:1}]'",
            [("RQ343", "[{vector:[1,2,3],threshold:1}]")],
        ),
        # RQ344
        (
            '/rest/Employee?$filter="firstName=:1 AND salary>:2"&$params=\'["john"]\'',
            [("RQ344", ":2")],
        ),
        ('/rest/Person?$filter="lastName=:1"', [("RQ344", ":1")]),
        (
            '/rest/Person?$filter="lastName=:0"&$params=\'["x"]\'',
            [("RQ344", ":0"), ("RQ345", '["x"]')],
        ),
        ("/rest/Person?$filter=\"ID IN [:1,:2]\"&$params='[1]'", [("RQ344", ":2")]),
        (
            '/rest/People/$entityset/AEA452C2668B4F6E98B6FD2A1ED4A5A8?$savedfilter="ID>:1"',
            [("RQ344", ":1")],
        ),
        # RQ345
        ("/rest/Person?$params='[\"Smith\"]'", [("RQ345", "$params='[\"Smith\"]'")]),
        (
            '/rest/Person/?filter="lastName=:1"&$params=\'["Smith"]\'',
            [("RQ345", "$params='[\"Smith\"]'")],
        ),
        (
            '/rest/Person?$filter="lastName=:1 AND firstName=:1"&$params=\'["A","B"]\'',
            [("RQ345", '["A","B"]')],
        ),
        (
            "/rest/Person/$entityset/AEA452C2668B4F6E98B6FD2A1ED4A5A8?$params='[1]'",
            [("RQ345", "$params='[1]'")],
        ),
        # RQ346
        ('/rest/Person?$filter="lastName=:name"&$params=\'["Smith"]\'', [("RQ346", ":name")]),
        (
            "/rest/Person?$filter=\"a=:1 AND b=:3 AND c=:who\"&$params='[1,2]'",
            [("RQ344", ":3"), ("RQ346", ":who")],
        ),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_unused_element_message() -> None:
    url = "/rest/Person?$filter=\"a=:1 AND b=:3\"&$params='[1,2,3,4]'"
    [d] = expect_errors(url, [("RQ345", "[1,2,3,4]")])
    assert "elements 2, 4" in d.message and d.severity == "warning"


def test_params_not_array_fix() -> None:
    url = '/rest/Person?$filter="lastName=:1"&$params=\'"Smith"\''
    [d] = expect_errors(url, [("RQ342", '"Smith"')])
    assert d.fix is not None
    assert d.fix.apply(url) == '/rest/Person?$filter="lastName=:1"&$params=\'["Smith"]\''
    # the range check waits until the value is an array
    expect_valid(d.fix.apply(url))


def test_relaxed_json_fix() -> None:
    url = "/rest/Person?$filter=\"VectorAtt>=:1\"&$params='[{vector:[1,2,3],threshold:1}]'"
    [d] = expect_errors(url, [("RQ343", "[{vector:[1,2,3],threshold:1}]")])
    assert d.fix is not None
    fixed = d.fix.apply(url)
    assert fixed.endswith('$params=\'[{"vector":[1,2,3],"threshold":1}]\'')
    expect_valid(fixed)


def test_relaxed_json_percent_encoded_has_no_fix() -> None:
    url = "/rest/Person?$filter=\"V>=:1\"&$params='[{vector:[1,2]%2Cthreshold:1}]'"
    [d] = expect_errors(url, [("RQ343", "[{vector:[1,2]%2Cthreshold:1}]")])
    assert d.fix is None


def test_placeholder_span_when_percent_encoded() -> None:
    url = "/rest/Person?$filter=%22lastName%3D%3A1%22&$params='[]'"
    expect_errors(url, [("RQ344", "%3A1")])


@pytest.mark.parametrize(
    ("url", "catalog", "expected"),
    [
        # without a catalog `getCity` may be an attribute or a function: silent
        ("/rest/City/name?$params='[1]'", None, []),
        ("/rest/City/name?$params='[1]'", CATALOG, [("RQ345", "$params='[1]'")]),
        ("/rest/City/getCity?$params='[1]'", CATALOG, []),
        ("/rest/City(2)/getPopulation?$params='[1]'", CATALOG, []),
        ("/rest/City(2)/name?$params='[1]'", CATALOG, [("RQ345", "$params='[1]'")]),
    ],
)
def test_function_consumers(url: str, catalog: object, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, catalog=catalog)
