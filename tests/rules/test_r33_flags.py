"""R33: flag parameters take `true` (RQ335), `false` is tolerated (RQ336)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, ("RQ335", "RQ336"))
expect_errors = partial(assert_rule_errors, ("RQ335", "RQ336"))


@pytest.mark.parametrize(
    "url",
    [
        '{{ApiEndpoint}}/rest/Users/?$filter="Name begin u"&$top=3&$asArray=true',
        '/rest/Company/name?$filter="name=a*"&$distinct=true',
        "/rest/Speciality/$entityset/DF6903FB5879404A9A818884CFC6F62A?$clean=true&$method=entityset",
        "/rest/Employee?$method=update&$atomic=true",
        "/rest/Users?$method=insert&$atOnce=true",
        "/rest/Users?$method=insert&$atonce=TRUE",
        "/rest/$upload?$rawPict=true",
        "localhost:80/rest/$upload?$binary=true",
        "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
        '/rest/Orders?$filter="Quantity > 4"&$queryplan=true&$querypath="true"',
        "/rest/Customers(1)?$lock=maybe",  # $lock is R32's
        "/rest/$upload?$rawPict=false",  # R16's error
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Users/?$asArray", [("RQ335", "$asArray")]),
        ("/rest/Users/?$asArray=", [("RQ335", "$asArray=")]),
        ("/rest/Users/?$asArray=1", [("RQ335", "1")]),
        ("/rest/Company/name?$distinct=yes", [("RQ335", "yes")]),
        ("/rest/Employee?$method=update&$atOnce=on", [("RQ335", "on")]),
        ("/rest/$upload?$rawPict=0", [("RQ335", "0")]),
        ("/rest/Users/?$asArray=false", [("RQ336", "false")]),
        (
            '/rest/Orders?$filter="ID>1"&$querypath=false&$queryplan',
            [
                ("RQ336", "false"),
                ("RQ335", "$queryplan"),
            ],
        ),
        ("/rest/Company(11)/blobAtt?$binary=FALSE&$expand=blobAtt", [("RQ336", "FALSE")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_severities_and_fixes() -> None:
    url = "/rest/Users/?$asArray"
    [d] = expect_errors(url, [("RQ335", "$asArray")])
    assert d.severity == "error" and d.param == "$asArray"
    assert d.fix is not None and d.fix.apply(url) == "/rest/Users/?$asArray=true"
    url = "/rest/Users/?$top=3&$asArray=false"
    [d] = expect_errors(url, [("RQ336", "false")])
    assert d.severity == "warning"
    assert d.fix is not None and d.fix.apply(url) == "/rest/Users/?$top=3"
    [d] = expect_errors("/rest/Users/?$asArray=1", [("RQ335", "1")])
    assert d.fix is None
