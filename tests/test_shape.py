"""The path forms of spec §2.4 and the context machine of §2.3 (restquery.shape.classify)."""

from __future__ import annotations

from pathlib import Path

import pytest

import restquery
from restquery.shape import classify

CATALOG = restquery.Catalog.from_json(Path(__file__).resolve().parents[1] / "examples" / "catalog.json")

FORMS = [
    ("/rest/Company", "P1", "dataclass", False),
    ("/rest/Company(1)", "P2", "dataclass", True),
    ('/rest/Company("IT0911AB2200")', "P2", "dataclass", True),
    ("/rest/Company[1]", "P3", "dataclass", True),
    ("/rest/Company:companyCode(Acme001)", "P4", "dataclass", True),
    ("/rest/Company/name,address", "P5", "dataclass", False),
    ("/rest/Company(1)/name,address", "P6", "dataclass", True),
    ("/rest/Employee/objectAtt.property1/?$compute=$all", "P7", "dataclass", False),
    ("/rest/Employee(1)/photo?$imageformat=best&$expand=photo", "P8", "dataclass", True),
    ("/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7", "P9", "dataclass", False),
    ("/rest/People/firstName,employer.name/$entityset/BDCD8AABE13144118A4CF8641D5883F5", "P10", "dataclass", False),
    ("/rest/Employee/$entityset/$release", "P11", "dataclass", False),
    ("/rest/$catalog", "P15", "catalog", False),
    ("/rest/$catalog/$all", "P16", "catalog", False),
    ("/rest/$catalog/Employee", "P17", "catalog", False),
    ("/rest/$singleton/VehicleFactory/buildVehicle", "P19", "singleton", False),
    ("/rest/$info", "P20", "info", False),
    ("/rest/$directory/login", "P21", "directory", False),
    ("/rest/$upload", "P22", "upload", False),
    ("/rest/$querypath", "P23", "querypath", False),
    ("/rest/$getWebForm", "P24", "webform", False),
    ("/rest/Employee/addEmployee(John,Smith)", "L1", "dataclass", False),
    ("/rest/Employee/firstName/getHighSalaries", "L2", "dataclass", False),
    ("/rest/People/getHighSalaries/firstName,lastName", "L2", "dataclass", False),
    ("/rest/$directory/logout", "L3", "directory", False),
]


@pytest.mark.parametrize("url,form,resource,entity", FORMS)
def test_forms_without_a_catalog(url: str, form: str, resource: str, entity: bool) -> None:
    shape = classify(restquery.parse(url))
    assert (shape.form, shape.resource, shape.entity) == (form, resource, entity)
    assert shape.problem is None


@pytest.mark.parametrize(
    "url,form,tail_kind",
    [
        ("/rest/City/getCity", "P12", "function"),
        ("/rest/Employee/salary", "P7", "attribute"),
        ("/rest/City(2)/getPopulation", "P14", "function"),
        ("/rest/Employee(1)/photo", "P8", "attribute"),
        ("/rest/Students/getAgeAverage/$entityset/17E83633FFB54ECDBF947E5C620BB532", "P13", "function"),
    ],
)
def test_names_resolve_with_a_catalog(url: str, form: str, tail_kind: str) -> None:
    shape = classify(restquery.parse(url), CATALOG)
    assert (shape.form, shape.tail_kind) == (form, tail_kind)
    unresolved = classify(restquery.parse(url))
    assert unresolved.tail_kind in ("unknown", "attribute", None) or unresolved.form == form


@pytest.mark.parametrize(
    "url,index",
    [
        ("/rest/Company/name/address/x", 3),
        ("/rest/Employee/$entityset/ABC/more", 3),
        ("/rest/$info/x", 1),
        ("/rest/$catalog/$all/x", 1),
        ("/rest/$singleton/OnlyClass", 1),
        ("/rest/Company(1)/a/b", 2),
        ("/rest/$all", 0),
    ],
)
def test_sequences_that_follow_no_form(url: str, index: int) -> None:
    shape = classify(restquery.parse(url))
    assert shape.form is None
    assert shape.problem is not None and shape.problem[0] == index


def test_root_and_descriptive() -> None:
    assert classify(restquery.parse("/rest")).resource == "root"
    assert classify(restquery.parse("/rest/$catalog")).descriptive
    assert not classify(restquery.parse("/rest/Company")).descriptive
