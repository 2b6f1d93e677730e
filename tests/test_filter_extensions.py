"""query() syntax inside $filter (spec §4.1): eval() formulas and the order by clause."""

from __future__ import annotations

from pathlib import Path

import pytest

import restquery
from restquery.ast import Comparison, Filter, Formula, Not

CATALOG = restquery.Catalog.from_json(Path(__file__).resolve().parents[1] / "examples" / "catalog.json")


def _filter(text: str) -> Filter:
    value = restquery.parse(f'/rest/Employee?$filter="{text}"').params[0].value
    assert isinstance(value, Filter)
    return value


@pytest.mark.parametrize(
    "text,inner",
    [
        ("eval(This.age>20)", "This.age>20"),
        ("EVAL(This.name='a(b')", "This.name='a(b'"),
        ("eval (length(This.name)=(3))", "length(This.name)=(3)"),
    ],
)
def test_formula(text: str, inner: str) -> None:
    flt = _filter(text)
    assert flt.expr == Formula(text=inner)
    url = f'/rest/Employee?$filter="{text}"'
    assert url[flt.expr.span.start : flt.expr.span.end] == text


def test_formula_inside_logic() -> None:
    flt = _filter("NOT eval(This.a>1) AND b=2")
    assert isinstance(flt.expr.operands[0], Not)  # type: ignore[union-attr]
    assert flt.expr.operands[0].operand == Formula(text="This.a>1")  # type: ignore[union-attr]


@pytest.mark.parametrize("name", ["eval", "evaluation", "order", "orderBy", "ordered"])
def test_keywords_stay_names(name: str) -> None:
    flt = _filter(f"{name}=1")
    assert isinstance(flt.expr, Comparison) and flt.expr.left.dotted == name  # type: ignore[union-attr]
    assert flt.order_by is None


def test_order_by() -> None:
    flt = _filter("salary>1 order by lastName desc, firstName")
    assert [(i.path.dotted, i.direction) for i in flt.order_by.items] == [  # type: ignore[union-attr]
        ("lastName", "DESC"),
        ("firstName", None),
    ]
    url = '/rest/Employee?$filter="salary>1 order by lastName desc, firstName"'
    req = restquery.parse(url)
    assert restquery.parse(restquery.unparse(req)) == req
    assert restquery.unparse(req) == '/rest/Employee?$filter="salary>1 ORDER BY lastName DESC,firstName"'


def test_order_by_attributes_are_checked_against_the_catalog() -> None:
    url = '/rest/Employee?$filter="salary>1 order by lastNme"'
    found = [(d.code, url[d.start : d.end]) for d in restquery.validate(url, catalog=CATALOG)]
    assert ("RQ202", "lastNme") in found


@pytest.mark.parametrize(
    "url,code",
    [
        ('/rest/Employee?$filter="eval(This.a>1"', "RQ002"),
        ('/rest/Employee?$filter="a=1 order by"', "RQ001"),
        ('/rest/Employee?$filter="order by a"', "RQ001"),
    ],
)
def test_malformed(url: str, code: str) -> None:
    with pytest.raises(restquery.RestQuerySyntaxError) as info:
        restquery.parse(url)
    assert info.value.code in (code, "RQ001", "RQ002", "RQ003")


def test_a_formula_that_cannot_be_spelled() -> None:
    req = restquery.parse('/rest/Employee?$filter="eval(This.a>1)"')
    import dataclasses

    flt = req.params[0].value
    bad = dataclasses.replace(flt, expr=Formula(text="This.a>1)"))  # type: ignore[arg-type]
    with pytest.raises(restquery.UnparseError):
        restquery.unparse(bad)
