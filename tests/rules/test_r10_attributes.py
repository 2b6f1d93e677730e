"""RQ202 unknown-attribute (R10, catalog)."""

from __future__ import annotations

from functools import partial

import pytest

from restquery.catalog import Catalog

from .harness import CATALOG, assert_rule_errors, assert_rule_valid

expect_valid = partial(assert_rule_valid, "RQ202", catalog=CATALOG)
expect_errors = partial(assert_rule_errors, "RQ202", catalog=CATALOG)

HIDDEN = Catalog.from_json({
    "dataClasses": [
        {"name": "Employee", "collectionName": "EmployeeSelection", "attributes": [
            {"name": "ID", "kind": "storage", "type": "long", "identifying": True},
            {"name": "name", "kind": "storage", "type": "string"},
            {"name": "secret", "kind": "storage", "type": "string", "exposed": False},
            {"name": "boss", "kind": "relatedEntity", "type": "Employee", "path": "Employee"},
            {"name": "vault", "kind": "relatedEntity", "type": "Vault", "path": "Vault",
             "exposed": False},
        ]},
        {"name": "Vault", "attributes": [{"name": "code", "kind": "storage", "type": "string"}]},
    ],
})
# A bare /rest/$catalog/Employee document: the relation's target is not described.
PARTIAL = Catalog.from_json({"name": "Employee", "attributes": [
    {"name": "ID", "kind": "storage", "type": "long", "identifying": True},
    {"name": "employer", "kind": "relatedEntity", "type": "Company", "path": "Company"},
]})
SHORT = Catalog.from_json({"dataClasses": [{"name": "Employee", "uri": "/rest/$catalog/Employee"}]})


@pytest.mark.parametrize(
    "url",
    [
        # documented examples (corpus) that fit the example catalog
        "/rest/Employee?$filter=\"salary>20000 AND employer.name!=acme\"&$orderby=\"lastName,firstName\"",
        "/rest/Employee?$filter=\"lastName begin j\"",
        "/rest/Company(1)/?$attributes=employees.*",
        "/rest/Employee(1)?$attributes=employer.name",
        "/rest/Employee(1)?$attributes=employer.*",
        "/rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastName ASC",
        "/rest/Company(1)/staff?$expand=staff",
        "/rest/Company(1)/?$expand=staff",
        "/rest/Employee/objectAtt.property1/?$compute=$all",
        "/rest/Employee/objectAttribute.property1/?$compute=sum",
        "/rest/Employee/salary/?$compute=sum",
        "/rest/Company/name?$filter=\"name=a*\"&$distinct=true",
        "/rest/Employee/address.city?$distinct=true",
        "/rest/Users/Name?$filter=\"Name=J*\"&$distinct=true&$skip=1&$top=1",
        "/rest/Employee(1)/photo?$imageformat=best&$version=1&$expand=photo",
        "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
        "{{ApiEndpoint}}/rest/User(5)/profilePicture?$binary=true&$expand=profilePicture",
        "{{ApiEndpoint}}/rest/User?$filter=\"department='HR'\"&$binary=true&$expand=profilePicture",
        "/rest/Company/name,address",
        "/rest/Company(1)/name,address,staff?$expand=staff",
        "/rest/Company:companyCode(Acme001)",
        "/rest/Company:companyCode(\"Acme001\")",
        "{{ApiEndpoint}}/rest/Users:Name(user1)",
        "/rest/People/firstName,employer.name/$entityset/BDCD8AABE13144118A4CF8641D5883F5?$expand=employer",
        "/rest/People/firstName,lastName/?$filter=\"lastName='A@'\"/",
        "/rest/People/?$filter=\"lastName!=''\"&$savedfilter=\"lastName!=''\"&$orderby=\"salary\"&$savedorderby=\"salary\"&$method=entityset",
        "/rest/People/$entityset/AEA452C2668B4F6E98B6FD2A1ED4A5A8?$savedfilter=\"employer.name=Apple\"",
        "/rest/Orders?$filter=\"Quantity > 4 AND Purchaser.Name = user2\"&$queryplan=true",
        "/rest/Payments?$attributes=Amount&$compute=$all",
        "/rest/Payments[1]?$attributes=Amount,PaymentDate",
        "/rest/Orders(1)?$attributes=Purchaser",
        "/rest/Person?$filter=\"objAttribute.prop2=9181\"",
        "/rest/Person?$filter=\"lastName=:1\"&$params='[\"O\\u0027Reilly\"]'",
        "/rest/Employee?$filter=\"firstName=:1 AND salary>:2\"&$params='[\"john\",20000]'",
        "/rest/Users[10]/Orders?$expand=Orders",
        "/rest/Users(4)/Orders?$expand=Orders&$method=subentityset",
        "/rest/City/getPopulation/?$filter=\"ID<3\"",
        "/rest/Employee/getHighSalaries?$attributes=lastName,employer.name&$top=10&$skip=1",
        "/rest/Employee/firstName/getHighSalaries",
        "/rest/Employee/addEmployee(John,Smith)",
        "/rest/Employee(3)/getFullName",
        "{{ApiEndpoint}}/rest/Employee/?$filter=\"salary>50000\"&$method=entityset&$savedfilter=true",
        # relations, aliases and object properties
        "/rest/Employee/employer",
        "/rest/Employee?$filter=\"employerName=acme AND manager.employer.staff.lastName=x\"",
        "/rest/Employee/employerSettings.theme.colour",
        "/rest/Company(1)/employees?$orderby=\"lastName desc\"&$attributes=employer.name",
        "/rest/Employee?$filter=\"objectAtt.children[].age>3 AND directReports{2}.lastName=a\"",
        "/rest/Employee?$filter=\":1=2\"&$params='[\"salary\"]'",
        # a function called on the wrong target is R11's
        "/rest/Employee(3)/getHighSalaries",
        "/rest/Employee/getFullName",
    ],
)
def test_valid(url: str) -> None:
    expect_valid(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # path segments
        ("/rest/Employee/firstName,lastname", [("RQ202", "lastname")]),
        ("/rest/Employee(1)/firstName,employer.nme", [("RQ202", "nme")]),
        ("/rest/Employee/salry/?$compute=sum", [("RQ202", "salry")]),
        ("/rest/Employee/salry.x/?$compute=sum", [("RQ202", "salry")]),
        ("/rest/Employee(1)/phot", [("RQ202", "phot")]),
        ("/rest/Employee(1)/employer.nme", [("RQ202", "nme")]),
        ("/rest/People/firstName,employer.nam/$entityset/ABC", [("RQ202", "nam")]),
        ("/rest/Employee/firstNam/getHighSalaries", [("RQ202", "firstNam")]),
        # the look-up attribute (the corpus's `lastname` does not match this catalog's case)
        ("/rest/Employee:lastname(Jones)", [("RQ202", "lastname")]),
        # filters, at any depth
        ("/rest/Employee?$filter=\"employer.nmae=acme\"", [("RQ202", "nmae")]),
        ("/rest/Employee?$filter=\"(a=1 OR NOT (b=2)) AND salary>1\"",
         [("RQ202", "a"), ("RQ202", "b")]),
        ("/rest/Orders?$filter=\"Purchaser.Nme=a\"", [("RQ202", "Nme")]),
        ("/rest/People/$entityset/AEA4?$savedfilter=\"employer.nme=Apple\"", [("RQ202", "nme")]),
        # sort lists
        ("/rest/Employee?$orderby=\"Salary desc, lastName\"", [("RQ202", "Salary")]),
        ("/rest/Employee?$savedorderby=\"salry\"", [("RQ202", "salry")]),
        ("/rest/Company(1)/staff?$expand=staff&$method=subentityset&$subOrderby=lastname ASC",
         [("RQ202", "lastname")]),
        # $attributes and $expand
        ("/rest/Employee?$attributes=employer.*,employer.nme", [("RQ202", "nme")]),
        ("/rest/Employee?$attributes=emploer.*", [("RQ202", "emploer")]),
        ("/rest/Company(1)?$expand=staf", [("RQ202", "staf")]),
        # after an entity's relation attribute, names are looked up on the relation's target
        ("/rest/Company(1)/staff?$filter=\"name=a\"&$attributes=revenues",
         [("RQ202", "name"), ("RQ202", "revenues")]),
        # several findings come in URL order
        ("/rest/Employee/firstNme?$filter=\"x=1\"", [("RQ202", "firstNme"), ("RQ202", "x")]),
    ],
)
def test_errors(url: str, expected: list[tuple[str, str]]) -> None:
    expect_errors(url, expected)


def test_messages_hints_fixes() -> None:
    url = "/rest/Employee/firstName,lastname"
    [d] = expect_errors(url, [("RQ202", "lastname")])
    assert d.message == "The dataclass `Employee` has no attribute `lastname`."
    assert d.hint == "did you mean `lastName`?"
    assert d.fix is not None and d.fix.apply(url) == "/rest/Employee/firstName,lastName"
    [d] = expect_errors("/rest/Employee?$filter=\"employer.nmae=acme\"", [("RQ202", "nmae")])
    assert d.message == "The dataclass `Company` has no attribute `nmae`."
    assert d.param == "$filter" and d.hint == "did you mean `name`?" and d.fix is None


def test_single_name_after_the_dataclass() -> None:
    [d] = expect_errors("/rest/Employee/getHighSalary", [("RQ202", "getHighSalary")])
    assert d.message == "The dataclass `Employee` has no attribute or function `getHighSalary`."
    assert d.hint is not None and "`getHighSalaries`" in d.hint
    [d] = expect_errors("/rest/Employee(1)/getFullNam", [("RQ202", "getFullNam")])
    assert d.hint is not None and d.hint.startswith("did you mean `getFullName`")


def test_suggestions_hidden() -> None:
    [d] = expect_errors("/rest/Employee/lastname", [("RQ202", "lastname")], hide_suggestions=True)
    assert d.hint is None and d.fix is None


def test_not_exposed() -> None:
    check = partial(assert_rule_errors, "RQ202", catalog=HIDDEN)
    [d] = check("/rest/Employee?$filter=\"secret=1\"", [("RQ202", "secret")])
    assert d.message == "The dataclass `Employee` has no exposed attribute `secret`."
    check("/rest/Employee?$orderby=\"boss.boss.secret\"", [("RQ202", "secret")])
    check("/rest/Employee(1)/vault", [("RQ202", "vault")])
    check("/rest/Employee?$attributes=vault.code", [("RQ202", "vault")])
    # not exposed attributes are not suggested
    [d] = check("/rest/Employee?$filter=\"secrte=1\"", [("RQ202", "secrte")])
    assert d.hint is None
    assert_rule_valid("RQ202", "/rest/Employee?$filter=\"boss.name=a\"", catalog=HIDDEN)


def test_catalog_cannot_tell() -> None:
    # a relation whose target the document does not describe
    assert_rule_valid("RQ202", "/rest/Employee?$filter=\"employer.anything=1\"", catalog=PARTIAL)
    assert_rule_errors("RQ202", "/rest/Employee?$filter=\"employr.name=1\"",
                       [("RQ202", "employr")], catalog=PARTIAL)
    # the short /rest/$catalog form lists no attributes
    assert_rule_valid("RQ202", "/rest/Employee/anything?$filter=\"x=1\"", catalog=SHORT)
    # no catalog, no check
    assert_rule_valid("RQ202", "/rest/Employee/anything?$filter=\"x=1\"")
    # an unknown dataclass is R9's
    expect_valid("/rest/Nobody?$filter=\"x=1\"")


@pytest.mark.parametrize("method", ["GET", "POST", None])
def test_method_does_not_matter(method: str | None) -> None:
    expect_errors("/rest/Employee?$orderby=\"salry\"", [("RQ202", "salry")], method=method)
