"""R40: vector comparisons (RQ348)."""

from __future__ import annotations

from functools import partial

import pytest

from restquery.catalog import Attribute, Catalog, DataClass
from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ348")
expect_errors = partial(assert_rule_errors, "RQ348")

VECTOR = '$params=\'[{"vector":[1,2,3],"threshold":0.8}]\''
VECTOR_CATALOG = Catalog(
    dataclasses=[
        DataClass(
            name="Doc",
            attributes=[
                Attribute(name="ID", type="long", identifying=True),
                Attribute(name="embedding", type="vector"),
                Attribute(name="title", type="string"),
            ],
        )
    ]
)


@pytest.mark.parametrize(
    "url",
    [
        f'/rest/Person?$filter="VectorAtt>=:1"&{VECTOR}',
        f'/rest/Person?$filter="VectorAtt<:1"&{VECTOR}',
        "/rest/Person?$filter=\"VectorAtt>=:1\"&$params='[{vector:[1,2,3],threshold:1}]'",
        '/rest/Person?$filter="lastName=:1"&$params=\'["Smith"]\'',
        '/rest/Person?$filter="objAttribute=:1"&$params=\'[{"a":1}]\'',
        "/rest/Person?$filter=\"lastName=:3\"&$params='[1]'",  # out of range: R38
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f'/rest/Person?$filter="VectorAtt=:1"&{VECTOR}', [("RQ348", "=")]),
        (f'/rest/Person?$filter="VectorAtt != :1"&{VECTOR}', [("RQ348", "!=")]),
        (f'/rest/Person?$filter="VectorAtt IS NOT :1"&{VECTOR}', [("RQ348", "IS NOT")]),
        (
            '/rest/Person?$filter="a=:2 AND VectorAtt==:1"&$params=\'[{vector:[1]},"x"]\'',
            [("RQ348", "==")],
        ),
        (f"/rest/Person?$filter=%22VectorAtt%3D%3D%3A1%22&{VECTOR}", [("RQ348", "%3D%3D")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Doc?$filter=\"embedding=:1\"&$params='[[1,2]]'", [("RQ348", "=")]),
        ("/rest/Doc?$filter=\"embedding>=:1\"&$params='[[1,2]]'", []),
        ('/rest/Doc?$filter="title=abc"', []),
    ],
)
def test_vector_attribute_in_catalog(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, catalog=VECTOR_CATALOG)


def test_object_attribute_is_not_assumed_vector() -> None:
    expect_valid('/rest/Person?$filter="VectorAtt=abc"', catalog=CATALOG)
