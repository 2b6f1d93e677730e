"""R34: `$format` is json/looker on collection reads (RQ337)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ337")
expect_errors = partial(assert_rule_errors, "RQ337")


@pytest.mark.parametrize(
    ("url", "method"),
    [
        ('/rest/Company/?$filter="name begin a"&$top=3&$format=looker', "GET"),
        ("/rest/Company?$format=json", None),
        ("/rest/Company?$format=LOOKER", None),
        ("/rest/Company/name,address?$format=looker", "GET"),
        ("/rest/Company/$entityset/9718A30BF61343C796345F3BE5B01CE7?$format=looker", None),
        ("/rest/Company?$method=entityset&$format=looker", "GET"),
        # one entity: R43's warning, not this error
        ("/rest/Company(1)?$format=looker", None),
        # descriptive resources: R42
        ("/rest/$catalog?$format=looker", None),
        # without a catalog a single name may be an attribute
        ("/rest/Company/getHighRevenue?$format=looker", None),
        ("/rest/Company(1)/logo?$format=looker", None),
    ],
)
def test_valid(url: str, method: str | None) -> None:
    expect_valid(url, method=method)


@pytest.mark.parametrize(
    ("url", "method", "expected"),
    [
        ("/rest/Company/?$format=xml", None, [("RQ337", "xml")]),
        ("/rest/Company/?$format=jsn", "GET", [("RQ337", "jsn")]),
        ("/rest/Company/?$format", None, [("RQ337", "$format")]),
        ("/rest/Company?$method=update&$format=looker", "POST", [("RQ337", "$format=looker")]),
        ("/rest/Company?$format=json", "POST", [("RQ337", "$format=json")]),
        (
            '/rest/Company?$filter="ID>3"&$method=delete&$format=json',
            None,
            [("RQ337", "$format=json")],
        ),
        ("/rest/Company/$entityset/$release?$format=json", None, [("RQ337", "$format=json")]),
        (
            "/rest/Employee/addEmployee(John,Smith)?$format=looker",
            None,
            [("RQ337", "$format=looker")],
        ),
    ],
)
def test_invalid(url: str, method: str | None, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, method=method)


def test_did_you_mean() -> None:
    [d] = expect_errors("/rest/Company/?$format=jsn", [("RQ337", "jsn")])
    assert d.hint is not None and "`json`" in d.hint
    [d] = expect_errors("/rest/Company/?$format=jsn", [("RQ337", "jsn")], hide_suggestions=True)
    assert d.hint == "use $format=json or $format=looker"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Company/getHighRevenue?$format=looker", [("RQ337", "$format=looker")]),
        ("/rest/Company(1)/logo?$format=looker", [("RQ337", "$format=looker")]),
        ("/rest/Company(1)/staff?$format=looker", []),
        ("/rest/Company(1)/employees?$format=looker", []),  # alias of a 1→N relation
        ("/rest/Company/name?$format=looker", []),
    ],
)
def test_with_catalog(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, catalog=CATALOG)
