"""R39: entity-set IDs (RQ347)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ347")
expect_errors = partial(assert_rule_errors, "RQ347")


@pytest.mark.parametrize(
    "url",
    [
        "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7",
        (
            "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7"
            "?$logicOperator=AND&$otherCollection=C05A0D887C664D4DA1B38366DD21629B"
        ),
        (
            "/rest/People/firstName,employer.name/$entityset/BDCD8AABE13144118A4CF8641D5883F5"
            "?$expand=employer"
        ),
        "/rest/Students/getAgeAverage/$entityset/17E83633FFB54ECDBF947E5C620BB532",
        "/rest/Employee/$entityset/$release",
        "/rest/Employee/$entityset/9718a30bf61343c796345f3be5b01ce7",
        # A template placeholder (spec §1.1) holds an ID nobody can see: not judged.
        "/rest/Employee/$entityset/{{entitySetID}}",
        "/rest/Employee/$entityset/{{entitySetID}}[123]",
        "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7?$otherCollection={{id}}",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee/$entityset/ABC123", [("RQ347", "ABC123")]),
        ("/rest/Employee/$entityset/0ANUMBER", [("RQ347", "0ANUMBER")]),
        ("/rest/Employee/$entityset/ABC-1[123]", [("RQ347", "ABC-1")]),
        ("/rest/Employee/$entityset/AB%2DC", [("RQ347", "AB%2DC")]),
        (
            (
                "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7"
                "?$logicOperator=OR&$otherCollection=8DB0556854HDK52FR5974F"
            ),
            [("RQ347", "8DB0556854HDK52FR5974F")],
        ),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("/rest/Employee/$entityset/ABC123", "32 hexadecimal characters."),
        ("/rest/Employee/$entityset/AB%2DC", "other than letters and digits"),
    ],
)
def test_message_details(url: str, detail: str) -> None:
    diags = expect_errors(url, [("RQ347", url[url.rindex("/") + 1 :])])
    assert detail in diags[0].message and diags[0].severity == "warning"
