"""restquery.build: requests built from Python values, that parse back to what was built, that
validate against the catalog they were built with, and whose values no text can turn into
filter structure."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import restquery
from restquery.ast import BoolOp, Comparison, Not, Placeholder
from restquery.build import F, Q
from restquery.errors import RestQueryError, ValidationError

REPO = Path(__file__).resolve().parents[1]
CATALOG = restquery.Catalog.from_json(REPO / "examples" / "catalog.json")
EXAMPLES = max(2000, int(os.environ.get("RESTQUERY_FUZZ_EXAMPLES", "0")))

HOSTILE = [
    "O'Reilly", 'a"b', "x' OR salary>0 OR lastName='y", "&$top=1", "#frag", "100% + @", "\\u0027",
    "AND", "null", ":1", "\u0000", "{{id}}", "é ü 中", ")", "'", "",
]


def test_the_documented_example() -> None:
    q = (
        Q("Employee", catalog=CATALOG)
        .filter((F.salary > 20000) & F.lastName.begins("O'Re") | ~F.employer.name.is_in(["a", "b"]))
        .orderby(F.lastName.desc(), F.firstName)
        .attributes("lastName", "employer.name")
        .top(10)
        .skip(20)
    )
    assert q.url(encode=False) == (
        '/rest/Employee?$filter="(salary>:1 AND lastName BEGIN :2) OR (NOT employer.name IN [:3,:4])"'
        "&$params='[20000,\"O\\u0027Re\",\"a\",\"b\"]'&$orderby=\"lastName DESC,firstName\""
        "&$attributes=lastName,employer.name&$top=10&$skip=20"
    )
    assert restquery.parse(q.url(), method="GET") == q.request()  # the encoded form too
    assert [d for d in restquery.validate(q.url(), catalog=CATALOG) if d.severity == "error"] == []


def test_builders_are_immutable() -> None:
    base = Q("Employee")
    top = base.top(5)
    assert base.url(encode=False) == "/rest/Employee"
    assert top.url(encode=False) == "/rest/Employee?$top=5"
    assert base.filter(F.a == 1).filter(F.b == 2).url(encode=False) == (
        "/rest/Employee?$filter=\"a=:1 AND b=:2\"&$params='[1,2]'"
    )


def test_binary_adds_the_expand_the_server_needs() -> None:
    q = Q("User", 5, catalog=CATALOG).attribute("profilePicture").binary()
    assert q.url(encode=False) == "/rest/User(5)/profilePicture?$binary=true&$expand=profilePicture"


def test_entity_sets_and_functions() -> None:
    assert Q("Employee").entityset(timeout=600).url(encode=False) == "/rest/Employee?$method=entityset&$timeout=600"
    assert Q("Employee").entityset("9718A3").release().url(encode=False) == (
        "/rest/Employee/$entityset/9718A3?$method=release"
    )
    call = Q("Employee").call("getHighSalaries", args=[1000])
    assert (call.url(encode=False), call.http_method, call.body()) == (
        "/rest/Employee/getHighSalaries", "POST", b"[1000]"
    )
    assert Q("Company", "Acme").url(encode=False) == '/rest/Company("Acme")'


@pytest.mark.parametrize(
    ("build", "code", "hint"),
    [
        (lambda: Q("Employe", catalog=CATALOG), "RQ201", "Employee"),
        (lambda: Q("Employee", catalog=CATALOG).filter(F.salry > 1), "RQ202", "salary"),
        (lambda: Q("Employee", catalog=CATALOG).orderby(F.lastNam), "RQ202", "lastName"),
        (lambda: Q("Company", 1, catalog=CATALOG).attribute("name").binary(), "RQ303", None),
        # a parameter on a path form that ignores it: a warning for a written URL, refused here
        (lambda: Q("Employee", 1).top(5), "RQ353", "remove $top"),
    ],
)
def test_a_mistake_raises_at_the_call_that_made_it(build: object, code: str, hint: str | None) -> None:
    with pytest.raises(ValidationError) as info:
        build()  # type: ignore[operator]
    err = info.value
    assert str(err).startswith(code) and any(d.code == code for d in err.diagnostics)
    if hint:
        [d] = [d for d in err.diagnostics if d.code == code]
        assert d.hint is not None and hint in d.hint  # the same "did you mean" as validate


@pytest.mark.parametrize(
    "misuse",
    [
        lambda: (F.a > 1) and (F.b > 2),  # Python's `and`, not `&`
        lambda: Q("Employee").filter(F.a > object()),
        lambda: Q("Employee").top(-1),
        lambda: Q("Employee").top(True),
        lambda: Q("Employee").binary(),
        lambda: Q(42),
        lambda: Q("Employee", 1.5),
        lambda: (F.a > 1) & "b=2",
    ],
)
def test_misuse_is_a_restquery_error(misuse: object) -> None:
    with pytest.raises(RestQueryError):
        misuse()  # type: ignore[operator]


# --- properties -------------------------------------------------------------------------------

#: Employee's attributes in the example catalog, by the values they compare with.
_TEXT = ["lastName", "firstName", "employer.name"]
_NUMBER = ["salary", "ID"]

_texts = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20))
_numbers = st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=False, allow_infinity=False, width=32))


@st.composite
def conditions(draw: st.DrawFn, depth: int = 0) -> tuple[object, list[object]]:
    """A condition and the values it carries, in order."""
    if depth < 3 and draw(st.integers(0, 3)) == 0:
        left, lv = draw(conditions(depth + 1))
        right, rv = draw(conditions(depth + 1))
        op = draw(st.sampled_from(["&", "|"]))
        cond = left & right if op == "&" else left | right  # type: ignore[operator]
        if draw(st.booleans()):
            cond = ~cond
        return cond, lv + rv
    if draw(st.booleans()):
        name, value = draw(st.sampled_from(_TEXT)), draw(_texts)
        kind = draw(st.sampled_from(["=", "!=", "begin", "in"]))
        field = F(name)
        if kind == "begin":
            return field.begins(value), [value]
        if kind == "in":
            values = draw(st.lists(_texts, min_size=1, max_size=3))
            return field.is_in(values), values
        return (field == value if kind == "=" else field != value), [value]
    name, value = draw(st.sampled_from(_NUMBER)), draw(_numbers)
    op = draw(st.sampled_from([">", ">=", "<", "<=", "="]))
    field = F(name)
    cond = {">": field > value, ">=": field >= value, "<": field < value, "<=": field <= value,
            "=": field == value}[op]
    return cond, [value]


def _placeholders(expr: object) -> list[int]:
    out: list[int] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, BoolOp):
            stack.extend(reversed(node.operands))
        elif isinstance(node, Not):
            stack.append(node.operand)
        elif isinstance(node, Comparison):
            right = node.right
            items = getattr(right, "items", (right,))
            for item in items:
                assert isinstance(item, Placeholder), item  # a value never becomes structure
                out.append(item.index)  # type: ignore[arg-type]
    return out


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(conditions(), st.booleans())
def test_no_value_changes_the_filter_and_every_url_reads_back(built: tuple[object, list[object]], encode: bool) -> None:
    cond, values = built
    q = Q("Employee", catalog=CATALOG).filter(cond).top(5)  # type: ignore[arg-type]
    url = q.url(encode=encode)
    back = restquery.parse(url, method=q.http_method)
    assert back == q.request()
    flt = back.param("$filter").value  # type: ignore[union-attr]
    assert _placeholders(flt.expr) == list(range(1, len(values) + 1))  # type: ignore[union-attr]
    items = list(back.param("$params").value.items)  # type: ignore[union-attr]
    assert items == [json.loads(json.dumps(v)) for v in values]
    assert [d for d in restquery.validate(url, catalog=CATALOG) if d.severity == "error"] == []


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(_TEXT), _texts)
def test_inline_values_read_back_the_same_or_are_refused(name: str, value: str) -> None:
    q = Q("Employee", inline=True).filter(F(name) == value)
    try:
        url = q.url(encode=False)
    except RestQueryError:
        return  # the value cannot be written in the filter: a placeholder must carry it
    expr = restquery.parse(url).param("$filter").value.expr  # type: ignore[union-attr]
    assert isinstance(expr, Comparison) and expr.right.value == value  # type: ignore[union-attr]


def test_inline_numbers_dates_and_null() -> None:
    q = Q("Employee", inline=True).filter(
        (F.salary >= 1.5) & (F.birthday < datetime.date(1990, 1, 2)) & (F.manager == None)  # noqa: E711
    )
    assert q.url(encode=False) == '/rest/Employee?$filter="salary>=1.5 AND birthday<1990-01-02 AND manager=null"'
