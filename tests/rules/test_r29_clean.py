"""R29: `$clean=true` on an entity set with `$method=entityset` (RQ330)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ330")
expect_errors = partial(assert_rule_errors, "RQ330")

ES = "/rest/Speciality/$entityset/DF6903FB5879404A9A818884CFC6F62A"


@pytest.mark.parametrize(
    "url",
    [
        # corpus
        f"{ES}?$clean=true&$method=entityset",
        ES,
        # more
        f"{ES}?$method=EntitySet&$clean=TRUE",
        f"{ES}?$clean=false",  # off (R33 warns)
        f"{ES}?$clean=yes",  # R33's
        "/rest/$info?$clean=true",  # R42's
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url, method="GET")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{ES}?$clean=true", [("RQ330", "$clean=true")]),
        (f"{ES}?$clean=true&$method=release", [("RQ330", "$method=release")]),
        ("/rest/Speciality?$clean=true&$method=entityset", [("RQ330", "$clean=true")]),
        ("/rest/Speciality(1)?$clean=true", [("RQ330", "$clean=true"), ("RQ330", "$clean=true")]),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    found = expect_errors(url, expected)
    assert all(d.severity == "error" for d in found)


def test_fix() -> None:
    url = f"{ES}?$clean=true"
    [d] = expect_errors(url, [("RQ330", "$clean=true")])
    assert d.hint == "add &$method=entityset"
    assert d.fix is not None and d.fix.apply(url) == f"{ES}?$clean=true&$method=entityset"
    [d] = expect_errors(
        "/rest/Speciality?$clean=true&$method=entityset", [("RQ330", "$clean=true")]
    )
    assert d.fix is None and d.message.endswith("the path is not an entity set.")
