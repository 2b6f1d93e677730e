"""R28: `$logicOperator` with `$otherCollection` on an entity set (RQ328); INTERSECT with
`$method=entityset` (RQ329)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import assert_rule_errors, assert_rule_valid

CODES = ("RQ328", "RQ329")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)

ES = "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7"
OTHER = "C05A0D887C664D4DA1B38366DD21629B"


@pytest.mark.parametrize(
    "url",
    [
        # corpus
        f"{ES}?$logicOperator=AND&$otherCollection={OTHER}",
        # more
        f"{ES}?$logicOperator=and&$otherCollection={OTHER}&$method=entityset",
        f"{ES}?$otherCollection={OTHER}&$logicOperator=Except",
        f"{ES}?$logicOperator=intersect&$otherCollection={OTHER}",
        f"{ES}?$logicOperator=OR&$otherCollection=ABC123",
        ES,
        "/rest/$catalog?$logicOperator=AND",  # R42's
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url, method="GET")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{ES}?$logicOperator=AND", [("RQ328", "$logicOperator=AND")]),
        (f"{ES}?$otherCollection={OTHER}", [("RQ328", f"$otherCollection={OTHER}")]),
        (f"{ES}?$logicOperator=XOR&$otherCollection={OTHER}", [("RQ328", "XOR")]),
        (f"{ES}?$logicOperator=&$otherCollection={OTHER}", [("RQ328", "$logicOperator=")]),
        (f"{ES}?$logicOperator=OR&$otherCollection", [("RQ328", "$otherCollection")]),
        (
            f"/rest/Employee?$logicOperator=OR&$otherCollection={OTHER}",
            [("RQ328", "$logicOperator=OR")],
        ),
        (
            f"/rest/Employee(1)?$otherCollection={OTHER}&$logicOperator=OR",
            [("RQ328", f"$otherCollection={OTHER}")],
        ),
        (
            "/rest/Employee?$logicOperator=NAND",
            [("RQ328", "$logicOperator=NAND"), ("RQ328", "$logicOperator=NAND"), ("RQ328", "NAND")],
        ),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    found = expect_errors(url, expected)
    assert all(d.severity == "error" for d in found)


def test_intersect_entityset() -> None:
    url = f"{ES}?$logicOperator=INTERSECT&$otherCollection={OTHER}&$method=entityset"
    [d] = expect_errors(url, [("RQ329", "$method=entityset")])
    assert d.severity == "warning"
    assert d.fix is not None
    assert d.fix.apply(url) == f"{ES}?$logicOperator=INTERSECT&$otherCollection={OTHER}"
    expect_valid(f"{ES}?$logicOperator=AND&$otherCollection={OTHER}&$method=entityset")


def test_hints_and_fixes() -> None:
    url = f"{ES}?$logicOperator=EXCPT&$otherCollection={OTHER}"
    [d] = expect_errors(url, [("RQ328", "EXCPT")])
    assert "`EXCEPT`" in (d.hint or "")
    assert (
        d.fix is not None
        and d.fix.apply(url) == f"{ES}?$logicOperator=EXCEPT&$otherCollection={OTHER}"
    )
    assert d.message.endswith("`EXCPT` is not an operator.")
    [d] = expect_errors(f"{ES}?$logicOperator=AND", [("RQ328", "$logicOperator=AND")])
    assert d.message.endswith("`$otherCollection` is missing.")
