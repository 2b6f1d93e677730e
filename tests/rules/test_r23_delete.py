"""R23: `$method=delete` on an entity, a filtered dataclass or an entity set (RQ318); on a bare
dataclass it deletes everything (RQ319)."""

from __future__ import annotations

from functools import partial

import pytest

from tests.rules.harness import CATALOG, assert_rule_errors, assert_rule_valid

CODES = ("RQ318", "RQ319")
expect_valid = partial(assert_rule_valid, CODES)
expect_errors = partial(assert_rule_errors, CODES)


@pytest.mark.parametrize(
    "url",
    [
        # corpus
        "/rest/Employee(22)/?$method=delete",
        "{{ApiEndpoint}}/rest/Employee[123]?$method=delete",
        "/rest/Employee(22)?$method=delete",
        # more
        "/rest/Company:companyCode(Acme001)?$method=delete",
        '/rest/Employee?$filter="ID=11"&$method=delete',
        '/rest/Employee/?$filter="ID=11"& $method=delete',
        "/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7?$method=delete",
        "/rest/Employee?$method=update",  # R22's
        "/rest/$info?$method=delete",  # R42's
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url, method="POST")
    expect_valid(url, catalog=CATALOG)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/rest/Employee(22)/photo?$method=delete", [("RQ318", "Employee(22)/photo")]),
        (
            "/rest/Employee(22)/firstName,lastName?$method=delete",
            [
                ("RQ318", "Employee(22)/firstName,lastName"),
            ],
        ),
        (
            '/rest/Employee/firstName,lastName?$filter="ID=1"&$method=delete',
            [
                ("RQ318", "firstName,lastName"),
            ],
        ),
        ("/rest/Employee/salary?$method=delete", [("RQ318", "salary")]),
        (
            "/rest/People/firstName/$entityset/BDCD8AABE13144118A4CF8641D5883F5?$method=delete",
            [("RQ318", "firstName/$entityset/BDCD8AABE13144118A4CF8641D5883F5")],
        ),
        (
            "/rest/Employee/addEmployee(John,Smith)?$method=delete",
            [
                ("RQ318", "addEmployee(John,Smith)"),
            ],
        ),
    ],
)
def test_invalid(url: str, expected: list[tuple[str, str]]) -> None:
    [d] = expect_errors(url, expected)
    assert d.severity == "error"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # corpus (Qodly): deletes every entity of Users
        ("{{ApiEndpoint}}/rest/Users?$method=delete&$atomic=true", [("RQ319", "$method=delete")]),
        ("/rest/Employee/?$method=DELETE", [("RQ319", "$method=DELETE")]),
    ],
)
def test_delete_everything(url: str, expected: list[tuple[str, str]]) -> None:
    [d] = expect_errors(url, expected, method="POST")
    assert d.severity == "warning" and d.hint == "add a $filter selecting the entities to delete"


def test_schema_function() -> None:
    url = "/rest/City/getCity?$method=delete"
    [d] = expect_errors(url, [("RQ318", "getCity")], catalog=CATALOG)
    assert d.message.endswith("not a function.")
