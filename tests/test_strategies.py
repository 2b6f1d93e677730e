"""The public strategies of :mod:`restquery.strategies`: arguments, promises on every example
catalog, rejection rate, and the registry walk of :func:`invalid_urls`.

The property budgets here are small and fixed (the fuzz suite, ``fuzz/``, runs the same
promises with ``RESTQUERY_FUZZ_EXAMPLES``). Health checks stay on: Hypothesis fails a test
whose strategy rejects too many draws, which guards the "valid by construction" design.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import restquery
from restquery import strategies
from restquery.ast import AttributePath, Filter, NamesSegment, Param, PathPart, Request
from restquery.ast import Path as UrlPath
from restquery.syntax.explain import SYNTAX_CODES
from restquery.rules import registry
from restquery.strategies import (
    MUTATIONS,
    NOT_FROM_URL_ALONE,
    URL_METHODS,
    InvalidURL,
    filters,
    invalid_urls,
    requests,
    urls,
)

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
CATALOGS = sorted(EXAMPLES_DIR.glob("catalog*.json"))
#: A short ``/rest/$catalog`` answer: dataclass names only, attributes unknown.
SHORT_CATALOG = {
    "dataClasses": [
        {"name": "Employee", "uri": "/rest/$catalog/Employee", "dataURI": "/rest/Employee"},
        {"name": "Company", "uri": "/rest/$catalog/Company", "dataURI": "/rest/Company"},
    ]
}
SMALL = settings(max_examples=40, deadline=None)
QODLY_VERBS = ("PUT", "PATCH", "DELETE")


def _findings(url: str, catalog: object, method: str | None) -> list[tuple[str, str]]:
    found = [(d.code, d.message) for d in restquery.validate(url, catalog=catalog, method=method)]
    if method in QODLY_VERBS:
        found = [f for f in found if f[0] != "RQ316"]
    return found


# ---------------------------------------------------------------------------------------------
# The module's surface
# ---------------------------------------------------------------------------------------------


def test_public_names_are_documented_with_an_example() -> None:
    for name in strategies.__all__:
        obj = getattr(strategies, name)
        if callable(obj) and not isinstance(obj, type):
            assert obj.__doc__ and (">>>" in obj.__doc__ or "::" in obj.__doc__), name
    assert "urls" in strategies.__all__ and "invalid_urls" in strategies.__all__


def test_importing_restquery_does_not_import_hypothesis_strategies() -> None:
    import subprocess
    import sys

    code = "import sys, restquery; restquery.parse('/rest/E'); print('restquery.strategies' in sys.modules, 'hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    "build",
    [
        lambda: urls(method="HEAD"),
        lambda: urls(method="get!"),
        lambda: filters(dataclass="Employee"),
        lambda: filters(
            restquery.Catalog.from_json(EXAMPLES_DIR / "catalog.json"), dataclass="Nope"
        ),
        lambda: invalid_urls(codes=["RQ999"]),
        lambda: invalid_urls(codes=["RQ201"]),  # needs a catalog
    ],
    ids=[
        "HEAD",
        "bad-verb",
        "dataclass-without-catalog",
        "unknown-dataclass",
        "unknown-code",
        "catalog-code",
    ],
)
def test_bad_arguments(build: object) -> None:
    with pytest.raises(InvalidArgument):
        strategy = build()  # type: ignore[operator]
        strategy.validate()


def test_method_is_case_insensitive() -> None:
    @SMALL
    @given(urls(method="post"))
    def check(url: str) -> None:
        assert _findings(url, None, "POST") == []

    check()


@pytest.mark.parametrize(
    "catalog",
    [
        EXAMPLES_DIR / "catalog.json",
        str(EXAMPLES_DIR / "catalog.json"),
        json.loads((EXAMPLES_DIR / "catalog.json").read_text(encoding="utf-8")),
        restquery.Catalog.from_json(EXAMPLES_DIR / "catalog.json"),
    ],
    ids=["path", "str", "dict", "Catalog"],
)
def test_catalog_forms(catalog: object) -> None:
    cat = restquery.Catalog.from_json(EXAMPLES_DIR / "catalog.json")

    @settings(max_examples=10, deadline=None)
    @given(urls(catalog))
    def check(url: str) -> None:
        assert _findings(url, cat, None) == []

    check()


# ---------------------------------------------------------------------------------------------
# urls(): valid under validate(), for every verb and every example catalog
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", URL_METHODS)
@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.name)
def test_urls_valid_with_example_catalogs(path: Path, method: str | None) -> None:
    cat = restquery.Catalog.from_json(path)

    @SMALL
    @given(urls(cat, method=method))
    def check(url: str) -> None:
        assert _findings(url, cat, method) == [], url

    check()


@pytest.mark.parametrize("method", URL_METHODS)
def test_urls_valid_with_a_short_catalog(method: str | None) -> None:
    @SMALL
    @given(urls(SHORT_CATALOG, method=method))
    def check(url: str) -> None:
        assert _findings(url, SHORT_CATALOG, method) == [], url
        assert restquery.parse(url).path.segments

    check()


def test_urls_with_an_empty_catalog() -> None:
    empty = {"dataClasses": []}

    @SMALL
    @given(urls(empty))
    def check(url: str) -> None:
        assert _findings(url, empty, None) == []

    check()
    with pytest.raises(InvalidArgument):
        urls(empty, method="DELETE").validate()


def test_qodly_verbs_draw_only_rq316() -> None:
    @SMALL
    @given(st.sampled_from(QODLY_VERBS).flatmap(lambda m: urls(method=m).map(lambda u: (m, u))))
    def check(pair: tuple[str, str]) -> None:
        method, url = pair
        codes = [d.code for d in restquery.validate(url, method=method)]
        assert codes == ["RQ316"], (method, url, codes)

    check()


def test_urls_cover_the_documented_forms() -> None:
    """The scenarios behind urls() cover the path forms of spec §2.4 and every parameter."""
    from restquery.shape import classify

    seen_forms: set[str | None] = set()
    seen_params: set[str] = set()
    cat = restquery.Catalog.from_json(EXAMPLES_DIR / "catalog.json")

    schema = strategies._schema(cat)
    for name, (scenario, verbs, _) in strategies._SCENARIOS.items():
        budget = 300 if name == "read" else 60

        @settings(max_examples=budget, deadline=None, phases=[Phase.generate], derandomize=True)
        @given(scenario(schema, min(verbs)))
        def collect(req: Request) -> None:
            url = restquery.unparse(req)
            again = restquery.parse(url)
            seen_forms.add(classify(again, cat).form)
            seen_params.update(p.canonical or p.name for p in again.params)

        collect()
    for form in (
        "P1",
        "P2",
        "P3",
        "P4",
        "P5",
        "P6",
        "P7",
        "P8",
        "P9",
        "P10",
        "P11",
        "P12",
        "P14",
        "P15",
        "P16",
        "P17",
        "P19",
        "P20",
        "P21",
        "P22",
        "P23",
        "P24",
    ):
        assert form in seen_forms, (form, sorted(f or "-" for f in seen_forms))
    missing = {
        "$filter",
        "$params",
        "$orderby",
        "$attributes",
        "$expand",
        "$binary",
        "$imageformat",
        "$version",
        "$compute",
        "$distinct",
        "$top",
        "$limit",
        "$skip",
        "$method",
        "$subOrderby",
        "$timeout",
        "$savedfilter",
        "$savedorderby",
        "$lock",
        "$asArray",
        "$atomic",
        "$atOnce",
        "$clean",
        "$logicOperator",
        "$otherCollection",
        "$querypath",
        "$queryplan",
        "$rawPict",
        "$format",
    } - seen_params
    assert not missing, missing


def test_urls_encoded_are_wire_ready() -> None:
    @SMALL
    @given(urls(method="GET", encode=True))
    def check(url: str) -> None:
        assert url.isascii() and not set(" \"'<>\\") & set(url), url
        assert _findings(url, None, "GET") == []

    check()


# ---------------------------------------------------------------------------------------------
# requests() and filters() with a catalog
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.name)
def test_catalog_requests_name_only_catalog_things(path: Path) -> None:
    cat = restquery.Catalog.from_json(path)

    @SMALL
    @given(requests(cat))
    def check(req: Request) -> None:
        assert restquery.parse(restquery.unparse(req), method=req.method) == req
        codes = [d.code for d in restquery.validate(req, catalog=cat)]
        assert not [c for c in codes if c.startswith("RQ2")], (restquery.unparse(req), codes)

    check()


@pytest.mark.parametrize("dataclass", ["Employee", "Company", "Person", None])
def test_catalog_filters_resolve(dataclass: str | None) -> None:
    cat = restquery.Catalog.from_json(EXAMPLES_DIR / "catalog.json")

    @SMALL
    @given(filters(cat, dataclass=dataclass), st.sampled_from(["Employee", "Company", "Person"]))
    def check(flt: Filter, other: str) -> None:
        name = dataclass or other
        req = Request(
            path=UrlPath(
                segments=(NamesSegment(paths=(AttributePath(parts=(PathPart(name=name),)),)),)
            ),
            params=(Param(name="$filter", value=flt, quote='"'),),
        )
        url = restquery.unparse(req)
        if dataclass is not None:
            assert _findings(url, cat, None) == [], url
        else:  # the filter names attributes of *some* dataclass: parse and print back
            assert restquery.parse(url).params[0].value == flt

    check()


def test_schema_free_filters_are_unchanged() -> None:
    """``filters()`` without a catalog still draws every spelling (round-trip tests use it)."""
    ops: set[str] = set()

    @settings(max_examples=60, deadline=None, phases=[Phase.generate], derandomize=True)
    @given(filters())
    def collect(flt: Filter) -> None:
        stack = [flt.expr]
        while stack:
            node = stack.pop()
            op = getattr(node, "op", None)
            if op:
                ops.add(op)
            stack.extend(getattr(node, "operands", ()))
            if hasattr(node, "operand"):
                stack.append(node.operand)

    collect()
    assert {"&&", "||", "#", "IN"} & ops


# ---------------------------------------------------------------------------------------------
# invalid_urls(): the registry walk
# ---------------------------------------------------------------------------------------------


def test_every_code_has_a_mutation() -> None:
    codes = {r.code for r in registry()} | set(SYNTAX_CODES)
    assert set(MUTATIONS) == codes, sorted(codes ^ set(MUTATIONS))
    assert all(MUTATIONS[c] for c in MUTATIONS)


def test_codes_not_from_the_url_alone() -> None:
    by_code = {r.code: r for r in registry()}
    for code, why in NOT_FROM_URL_ALONE.items():
        assert code in MUTATIONS and why
    assert {c for c, r in by_code.items() if r.needs_catalog} <= set(NOT_FROM_URL_ALONE)
    assert {c for c, r in by_code.items() if not r.default} <= set(NOT_FROM_URL_ALONE)


@pytest.mark.parametrize("code", sorted(MUTATIONS))
def test_each_mutation_yields_its_code(code: str) -> None:
    cat = restquery.Catalog.from_json(EXAMPLES_DIR / "catalog.json")
    rule_opt_in = code in {r.code for r in registry() if not r.default}

    @settings(max_examples=8, deadline=None)
    @given(invalid_urls(cat, codes=[code]))
    def check(case: InvalidURL) -> None:
        url, got_code, method = case
        assert got_code == code
        select = ["RQ", code] if rule_opt_in else None
        found = [d.code for d in restquery.validate(url, catalog=cat, method=method, select=select)]
        assert code in found, (url, method, found)

    check()


def test_invalid_urls_default_draw_leaves_out_catalog_and_opt_in_codes() -> None:
    seen: set[str] = set()

    @settings(max_examples=300, deadline=None, phases=[Phase.generate], derandomize=True)
    @given(invalid_urls())
    def collect(case: InvalidURL) -> None:
        seen.add(case.code)

    collect()
    assert not {c for c in seen if c.startswith("RQ2")}
    assert not seen & {"RQ357", "RQ358", "RQ303", "RQ307", "RQ311"}
    assert len(seen) > 40


def test_documented_mutations() -> None:
    """The mutations the issue names produce their codes."""
    cat = restquery.Catalog.from_json(EXAMPLES_DIR / "catalog.json")
    for code in ("RQ301", "RQ202", "RQ002", "RQ003", "RQ331", "RQ315"):
        assert code in MUTATIONS

        @settings(max_examples=5, deadline=None)
        @given(invalid_urls(cat, codes=[code]))
        def check(case: InvalidURL) -> None:
            assert case.code in [
                d.code for d in restquery.validate(case.url, catalog=cat, method=case.method)
            ]

        check()


def test_importing_hypothesis_does_not_load_the_strategies() -> None:
    # Hypothesis runs restquery's entry point in every process that imports it: the hook must
    # register the strategies without building them (they load on first use).
    import subprocess
    import sys

    code = (
        "import sys, hypothesis;"
        "from hypothesis import strategies as st;"
        "from restquery.ast import Request;"
        "loaded = 'restquery.strategies._impl' in sys.modules;"
        "s = st.from_type(Request);"
        "print(loaded);"
        "import restquery;"
        "req = s.example();"
        "print(restquery.parse(restquery.unparse(req), method=req.method) == req)"
    )
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True"]


def test_every_public_strategy_shows_as_its_call() -> None:
    import inspect

    from restquery import strategies as rs
    from restquery.catalog import Catalog

    catalog = Catalog.from_json(Path(__file__).resolve().parents[1] / "examples" / "catalog.json")
    made = 0
    for name in rs.__all__:
        make = getattr(rs, name)
        if not (callable(make) and name[:1].islower()):
            continue
        calls = [make()]
        if "catalog" in inspect.signature(make).parameters:
            calls.append(make(catalog))
        for strategy in calls:
            shown = repr(strategy)
            assert shown.startswith(f"{name}(") and len(shown) < 1000, shown[:200]
            made += 1
    assert made > 20


def test_the_strategies_are_modules_under_800_lines() -> None:
    package = Path(__file__).resolve().parents[1] / "restquery" / "strategies"
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in package.glob("*.py")}
    assert len(sizes) > 5
    assert {name: n for name, n in sizes.items() if n > 800} == {}
