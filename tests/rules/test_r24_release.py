"""R24: `$method=release` only on an entity set (RQ320), deprecated since 4D 21 R4 (RQ321)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

CODES = ("RQ320", "RQ321")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Employee/$entityset/$release",  # the 21 R4 replacement (corpus)
        "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7",
        "/rest/Employee?$method=entityset",
        "/rest/$catalog/Employee?$method=release",  # R42's
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url, method="GET")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # corpus: deprecated only
        (
            "/rest/Employee/$entityset/4C51204DD8184B65AC7D79F09A077F24?$method=release",
            [
                ("RQ321", "$method=release"),
            ],
        ),
        (
            "/rest/People/$entityset/0AF4679A5C394746BFEB68D2162A19FF?$method=release",
            [
                ("RQ321", "$method=release"),
            ],
        ),
        # not an entity set
        (
            "/rest/Employee?$method=release",
            [("RQ320", "$method=release"), ("RQ321", "$method=release")],
        ),
        (
            "/rest/Employee(1)?$method=Release",
            [
                ("RQ320", "$method=Release"),
                ("RQ321", "$method=Release"),
            ],
        ),
        (
            "/rest/People/firstName/$entityset/BDCD8AABE13144118A4CF8641D5883F5?$method=release",
            [("RQ320", "$method=release"), ("RQ321", "$method=release")],
        ),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_severities_and_hints() -> None:
    target, deprecated = expect_errors(
        "/rest/Employee?$method=release",
        [("RQ320", "$method=release"), ("RQ321", "$method=release")],
    )
    assert target.severity == "error" and deprecated.severity == "warning"
    assert target.hint == "address the entity set: /rest/Employee/$entityset/{entitySetID}"
    assert deprecated.hint == (
        "use POST /rest/Employee/$entityset/$release with the IDs in the body"
    )
    assert target.message.endswith("not a dataclass.")
