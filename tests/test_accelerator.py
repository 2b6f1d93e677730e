"""lark-cython changes speed, never results: the same trees, spans and errors with and without it.

Both parser pairs are built fresh (``cache=False``) and swapped in for the process-wide
``restquery.parser._parsers`` (a ``functools.cache``'d factory) with ``monkeypatch``. The
shortcuts of ``restquery.syntax.lean`` are switched off while comparing, so that every input goes
through Lark; one test also compares with them on.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("lark_cython")

import restquery
import restquery.parser as rp
from tests.conftest import CORPUS



FILTERS = [
    "lastName=Jones",
    "lastName!=''",
    "lastName=O'Reilly",
    "salary>20000 AND employer.name!=acme",
    "salary>20000 and employer.name!=acme or ID<3",
    "a=1 OR b=2 EXCEPT c=3",
    "(a >= 30 OR a <= 65) AND (s <= 10000 OR st = 'Manager')",
    "NOT (a=1 AND b=2)",
    "not a=1",
    "((((x=1))))",
    "android=1 AND notes=2 OR ordinal=3",
    "name='freeland' AND city=Orlando",
    "name = 'a and b'",
    "lastName begin j",
    "firstName BEGIN a",
    "ID IN [1,2,3]",
    "name in ['a','b']",
    "name IS 'x'",
    "name IS NOT 'x'",
    "comments % 'great'",
    "name === 'A@'",
    "name !== 'A@'",
    "name # 'x'",
    "name=a*",
    "name=@Smith@",
    "firstName=:1 AND salary>:2",
    "birthday=2024-01-31",
    "price=-12.5",
    "active=true AND deleted=false AND manager=null",
    "objAttribute.prop2 == 9181",
    "children[].age>3 AND places.locations[a].kind='home'",
    "roles.actor{2}.lastName=Smith",
    "a=1 && b=2 || c=3",
    "a=1 & b=2 | c=3",
    "Vector>=:1",
    "  padded = 'spaces'  ",
    "名前='東京'",
]

SORTS = ["lastName", "lastName desc, salary asc", "salary DESC,lastName ASC,firstName ASC"]
ATTRIBUTES = ["firstName,lastName", "employer.name, manager.*", "*"]

ERRORS = [
    "a=1 AND",
    "AND a=1",
    "(a=1",
    "a=1)",
    "salary>",
    "lastName='Jones",
    "=3",
    "a=1 b=2",
    "a IN [1,2",
]


def _corpus() -> list[tuple[str | None, str]]:
    if not CORPUS.is_file():
        return []
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    url_col, method_col = header.index("url"), header.index("method")
    rows = []
    for line in lines[1:]:
        if line.strip():
            cols = line.split("\t")
            rows.append((cols[method_col] or None, cols[url_col]))
    return rows


@pytest.fixture(scope="module")
def pairs() -> dict[str, Any]:
    if os.environ.get("RESTQUERY_NO_CYTHON"):
        pytest.skip("RESTQUERY_NO_CYTHON is set: build_parsers(accelerate=True) is pure Python")
    fast = rp.build_parsers(accelerate=True, cache=False)
    slow = rp.build_parsers(accelerate=False, cache=False)
    # The comparison means something only if the accelerated pair really runs lark-cython.
    for lark_obj in fast:
        assert lark_obj.options._plugins, "lark-cython plugins were not applied"
    for lark_obj in slow:
        assert not lark_obj.options._plugins
    return {"cython": fast, "python": slow}


Outcome = tuple[str, Any]


def _outcome(fn: Callable[[], Any]) -> Outcome:
    """What a call gives: ``("ok", (tree, tree.to_dict()))`` or ``("error", details)``."""
    try:
        tree = fn()
    except restquery.RestQueryError as err:
        return "error", (
            type(err).__name__,
            getattr(err, "code", None),
            tuple(getattr(err, "span", ()) or ()),
            getattr(err, "message", str(err)),
            getattr(err, "hint", None),
        )
    return "ok", (tree, tree.to_dict())


def _both(
    monkeypatch: pytest.MonkeyPatch,
    pairs: dict[str, Any],
    fn: Callable[[], Any],
    *,
    fast_paths: bool = False,
) -> tuple[Outcome, Outcome]:
    monkeypatch.setattr(rp, "FAST_PATHS", fast_paths, raising=False)
    results = []
    for name in ("cython", "python"):
        pair = pairs[name]
        monkeypatch.setattr(rp, "_parsers", lambda pair=pair: pair)
        results.append(_outcome(fn))
    return results[0], results[1]


def _assert_same(a: Outcome, b: Outcome, what: str) -> None:
    assert a[0] == b[0], f"{what}: {a[0]} with lark-cython, {b[0]} without"
    if a[0] == "ok":
        assert a[1][0] == b[1][0], what  # equal trees (spans excluded)
        assert a[1][1] == b[1][1], what  # and identical spans and raw lexemes, via to_dict()
    else:
        assert a[1] == b[1], what


def test_corpus_urls_give_identical_trees(
    monkeypatch: pytest.MonkeyPatch, pairs: dict[str, Any]
) -> None:
    rows = _corpus()
    if not rows:
        pytest.skip(f"corpus not found: {CORPUS}")
    parsed = 0
    for method, url in rows:
        a, b = _both(
            monkeypatch, pairs, lambda url=url, method=method: restquery.parse(url, method=method)
        )
        _assert_same(a, b, url)
        parsed += a[0] == "ok"
    assert parsed > len(rows) // 2  # the comparison is mostly about trees, not errors


def test_corpus_urls_with_fast_paths_on(
    monkeypatch: pytest.MonkeyPatch, pairs: dict[str, Any]
) -> None:
    rows = _corpus()
    if not rows:
        pytest.skip(f"corpus not found: {CORPUS}")
    for method, url in rows:
        a, b = _both(
            monkeypatch,
            pairs,
            lambda url=url, method=method: restquery.parse(url, method=method),
            fast_paths=True,
        )
        _assert_same(a, b, url)


@pytest.mark.parametrize("text", FILTERS)
def test_filters_give_identical_trees(
    text: str, monkeypatch: pytest.MonkeyPatch, pairs: dict[str, Any]
) -> None:
    a, b = _both(monkeypatch, pairs, lambda: rp.parse_value("$filter", text))
    _assert_same(a, b, text)
    assert a[0] == "ok", a[1]
    # The same filter inside a URL, raw and quoted, so spans are offset into a longer text.
    url = f'/rest/Employee?$top=5&$filter="{text}"&$orderby="lastName"'
    a, b = _both(monkeypatch, pairs, lambda: restquery.parse(url))
    _assert_same(a, b, url)


@pytest.mark.parametrize(
    ("name", "text"),
    [("$orderby", s) for s in SORTS]
    + [("$attributes", s) for s in ATTRIBUTES]
    + [("$params", '["O\\u0027Reilly", 20000]'), ("$params", "[{vector:[1,2,3],threshold:1}]")],
)
def test_other_sub_languages_give_identical_trees(
    name: str, text: str, monkeypatch: pytest.MonkeyPatch, pairs: dict[str, Any]
) -> None:
    a, b = _both(monkeypatch, pairs, lambda: rp.parse_value(name, text))
    _assert_same(a, b, f"{name}={text}")


@pytest.mark.parametrize("text", ERRORS)
def test_errors_are_identical(
    text: str, monkeypatch: pytest.MonkeyPatch, pairs: dict[str, Any]
) -> None:
    url = f'/rest/Employee?$filter="{text}"'
    a, b = _both(monkeypatch, pairs, lambda: restquery.parse(url))
    _assert_same(a, b, url)
    assert a[0] == "error"


def test_deep_nesting_is_identical(monkeypatch: pytest.MonkeyPatch, pairs: dict[str, Any]) -> None:
    text = " AND ".join(f"f{i}={i}" for i in range(2000))
    a, b = _both(monkeypatch, pairs, lambda: rp.parse_value("$filter", text, max_depth=None))
    _assert_same(a, b, "2000 chained ANDs")
