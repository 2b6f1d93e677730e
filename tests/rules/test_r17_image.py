"""R17: picture parameters need `$expand` naming the picture that ends the path (RQ305), valid
values (RQ306) and, with a catalog, a picture attribute (RQ307)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

CODES = ("RQ305", "RQ306", "RQ307")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)

CORPUS = [
    "/rest/Persons(1)/imageAtt?$imageformat=best&$version=12&$expand=imageAtt",
    "/rest/Employee(1)/photo?$imageformat=best&$version=1&$expand=photo",
    "/rest/Employee(1)/photo?$imageformat=jpeg&$version=3&$expand=photo",
    "/rest/Employee(12)/photo?$imageformat=best&$version=1&$expand=photo",
    "/rest/Employee(1)/photo?$imageformat=.png&$expand=photo",
    "/rest/Employee(1)/photo?$imageformat=best&$expand=photo",
    "/rest/Employee(1)/photo?$imageformat=jpeg&$version=4&$expand=photo",
]


@pytest.mark.parametrize(
    "url",
    CORPUS
    + [
        "/rest/Employee[1]/photo/?$imageformat=GIF&$expand=photo",
        "/rest/Employee(1)/photo?$imageformat=image/TIFF&$expand=photo",
        "/rest/Employee(1)/photo?$imageformat=%22PNG%22&$expand=photo",
        "/rest/Employee:lastName(Jones)/photo?$version=0&$expand=photo",
        "/rest/Company(2)/logo?$imageformat=.jpeg&$expand=logo",
        "/rest/Documents(1)/scan?$version=2&$expand=scan",
        # no picture parameter: nothing to check
        "/rest/Employee(1)/photo",
        "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
        # other resources are R42's
        "/rest/$catalog?$imageformat=png",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)
    expect_valid(url, catalog=CATALOG)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # RQ305: no $expand (reported once)
        ("/rest/Employee(1)/photo?$imageformat=best", [("RQ305", "$imageformat=best")]),
        ("/rest/Employee(1)/photo?$version=1&$imageformat=png", [("RQ305", "$version=1")]),
        # RQ305: $expand names another attribute
        ("/rest/Employee(1)/photo?$imageformat=png&$expand=employer", [("RQ305", "employer")]),
        # RQ305: not one entity's attribute
        ("/rest/Employee?$imageformat=png&$expand=photo", [("RQ305", "$imageformat=png")]),
        ("/rest/Employee(1)?$version=2&$expand=photo", [("RQ305", "$version=2")]),
        ("/rest/Employee/photo?$imageformat=best&$expand=photo", [("RQ305", "$imageformat=best")]),
        # RQ306: values
        ("/rest/Employee(1)/photo?$imageformat=jpg&$expand=photo", [("RQ306", "jpg")]),
        ("/rest/Employee(1)/photo?$imageformat=image/jpg&$expand=photo", [("RQ306", "image/jpg")]),
        ("/rest/Employee(1)/photo?$imageformat=&$expand=photo", [("RQ306", "$imageformat=")]),
        ("/rest/Employee(1)/photo?$version=latest&$expand=photo", [("RQ306", "latest")]),
        ("/rest/Employee(1)/photo?$version=-2&$expand=photo", [("RQ306", "-2")]),
        ("/rest/Employee(1)/photo?$version&$expand=photo", [("RQ306", "$version")]),
        (
            "/rest/Employee(1)/photo?$imageformat=bmp&$version=x",
            [("RQ305", "$imageformat=bmp"), ("RQ306", "bmp"), ("RQ306", "x")],
        ),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee(1)/lastName?$imageformat=png&$expand=lastName", [("RQ307", "lastName")]),
        ("/rest/Company(11)/blobAtt?$version=1&$expand=blobAtt", [("RQ307", "blobAtt")]),
        ("/rest/Employee(1)/employer?$imageformat=best&$expand=employer", [("RQ307", "employer")]),
    ],
)
def test_schema(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected, catalog=CATALOG)
    expect_valid(url)  # without a catalog the type is unknown


@pytest.mark.parametrize(
    "url",
    [
        # unknown attribute: R10's business
        "/rest/Employee(1)/foto?$imageformat=png&$expand=foto",
        # unknown dataclass
        "/rest/Persons(1)/imageAtt?$imageformat=best&$expand=imageAtt",
        # a property inside an object attribute: the type cannot be known
        "/rest/Employee(1)/objectAtt.pic?$imageformat=png&$expand=objectAtt.pic",
    ],
)
def test_schema_silent(url: str) -> None:
    assert_rule_valid("RQ307", url, catalog=CATALOG)


def test_fixes_and_hints() -> None:
    url = "/rest/Employee(1)/photo?$imageformat=best&$version=1"
    [d] = expect_errors(url, [("RQ305", "$imageformat=best")])
    assert d.hint == "add &$expand=photo"
    assert d.fix is not None and d.fix.apply(url) == url + "&$expand=photo"
    url = "/rest/Employee(1)/photo?$imageformat=png&$expand=foto"
    [d] = expect_errors(url, [("RQ305", "foto")])
    assert d.fix is not None and d.fix.apply(url).endswith("$expand=photo")
    [d] = expect_errors(
        "/rest/Employee(1)/photo?$imageformat=jpg&$expand=photo", [("RQ306", "jpg")]
    )
    assert "`jpeg`" in (d.hint or "") and "PNG" in (d.hint or "")
    [d] = expect_errors(
        "/rest/Employee(1)/photo?$imageformat=jpg&$expand=photo",
        [("RQ306", "jpg")],
        hide_suggestions=True,
    )
    assert "did you mean" not in (d.hint or "")
