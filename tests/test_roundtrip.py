"""Round trips between URLs and trees (house style §10; design: parse ∘ unparse is identity).

* ``fixtures/identity.txt``: canonical URLs that print back unchanged;
* ``fixtures/normalize.tsv``: (input, canonical) pairs;
* Hypothesis properties over trees drawn by :mod:`restquery.strategies`.

``RESTQUERY_HYPOTHESIS_EXAMPLES`` sets the number of examples per property (default 300).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import restquery
from restquery.ast import (
    COMPARATORS,
    LOGICAL_OPS,
    Boolean,
    BoolOp,
    Collection,
    Comparison,
    Date,
    Not,
    Null,
    Number,
    Param,
    Params,
    Placeholder,
    Request,
    Text,
)
from restquery.ast import Path as UrlPath
from restquery.params import PARAMETERS
from restquery.strategies import filters, requests

FIXTURES = Path(__file__).parent / "fixtures"


def _lines(name: str) -> list[str]:
    out = []
    for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line)
    return out


IDENTITY = _lines("identity.txt")
NORMALIZE = [tuple(line.split("\t")) for line in _lines("normalize.tsv")]


def test_fixtures_are_well_formed() -> None:
    assert len(IDENTITY) >= 70
    assert len(set(IDENTITY)) == len(IDENTITY)
    assert len(NORMALIZE) >= 30
    assert all(len(pair) == 2 and pair[0] != pair[1] for pair in NORMALIZE)


def _walk(node: object) -> Iterator[object]:
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, tuple):
            stack.extend(item)
        elif is_dataclass(item):
            stack.extend(getattr(item, f.name) for f in fields(item) if f.name != "span")


def test_identity_covers_the_language() -> None:
    seen = [n for url in IDENTITY for n in _walk(restquery.parse(url))]
    spellings = {n.name for n in seen if isinstance(n, Param)}
    assert set(PARAMETERS) <= spellings, set(PARAMETERS) - spellings
    assert {n.op for n in seen if isinstance(n, Comparison)} == set(COMPARATORS)
    assert {n.op for n in seen if isinstance(n, BoolOp)} == set(LOGICAL_OPS)
    assert any(isinstance(n, Not) for n in seen)
    kinds = {type(n) for n in seen}
    for kind in (Text, Number, Date, Boolean, Null, Placeholder, Collection, Params):
        assert kind in kinds, kind
    quotes = {n.quote for n in seen if isinstance(n, Param) and n.value is not None}
    assert quotes == {"", '"', "'"}
    assert any(isinstance(n, Param) and n.trailing_slash for n in seen)
    params = [n for n in seen if isinstance(n, Params)]
    assert any(p.relaxed for p in params) and any(not p.value_is_array for p in params)


# ---------------------------------------------------------------------------------------------
# Corpus round trips
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", IDENTITY, ids=IDENTITY)
def test_identity(url: str) -> None:
    assert restquery.unparse(restquery.parse(url)) == url


@pytest.mark.parametrize(("url", "canonical"), NORMALIZE, ids=[p[0] for p in NORMALIZE])
def test_normalize(url: str, canonical: str) -> None:
    assert restquery.unparse(restquery.parse(url)) == canonical
    assert restquery.unparse(restquery.parse(canonical)) == canonical


_NOT_ON_THE_WIRE = set(" \"'<>")


@pytest.mark.parametrize("url", IDENTITY, ids=IDENTITY)
def test_encoded_identity(url: str) -> None:
    req = restquery.parse(url)
    encoded = restquery.unparse(req, encode=True)
    assert restquery.parse(encoded) == req
    assert not _NOT_ON_THE_WIRE & set(encoded), encoded
    assert encoded.isascii(), encoded


# ---------------------------------------------------------------------------------------------
# Properties over drawn trees
# ---------------------------------------------------------------------------------------------

EXAMPLES = int(os.environ.get("RESTQUERY_HYPOTHESIS_EXAMPLES", "300"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(requests())
def test_parse_unparse_is_identity(req: Request) -> None:
    assert restquery.parse(restquery.unparse(req), method=req.method) == req


@PROPERTY
@given(requests())
def test_encoded_parse_unparse_is_identity(req: Request) -> None:
    encoded = restquery.unparse(req, encode=True)
    assert restquery.parse(encoded, method=req.method) == req
    assert not _NOT_ON_THE_WIRE & set(encoded)
    assert encoded.isascii()


@PROPERTY
@given(requests())
def test_canonicalisation_is_idempotent(req: Request) -> None:
    text = restquery.unparse(req)
    assert restquery.unparse(restquery.parse(text)) == text


def _in_url(flt: restquery.ast.Filter, quote: str) -> Request:
    return Request(path=UrlPath(), params=(Param(name="$filter", value=flt, quote=quote),))


@PROPERTY
@given(filters(), st.booleans())
def test_filters_round_trip_inside_a_url(flt: restquery.ast.Filter, quote: bool) -> None:
    req = _in_url(flt, '"' if quote else "")
    text = restquery.unparse(req)
    again = restquery.parse(text)
    assert again == req
    assert restquery.unparse(again) == text
    assert restquery.parse(restquery.unparse(req, encode=True)) == req


# ---------------------------------------------------------------------------------------------
# Parser regressions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/rest/E?$params=[NaN]",
        "/rest/E?$params='[Infinity]'",
        "/rest/E?$params='[1e400]'",
        "/rest/E?$params='[{vector:[1e400]}]'",
    ],
)
def test_parser_accepts_only_printable_params(url: str) -> None:
    """Regression: ``NaN``, ``Infinity`` and numbers that overflow are not JSON (spec §3.2);
    the parser once read them into non-finite floats that no URL spells. Either parsing
    fails or the tree prints back."""
    try:
        req = restquery.parse(url)
    except restquery.RestQuerySyntaxError:
        return
    assert restquery.parse(restquery.unparse(req)) == req


def test_deeply_nested_strict_params_stay_strict() -> None:
    """Regression: ``$params`` JSON nested deeper than the json module's recursion limit
    once fell back to the relaxed grammar and parsed with ``relaxed=True``; ``relaxed``
    records the unquoted-key form only (spec §3.2, R38)."""
    depth = 1500
    req = Request(
        path=UrlPath(),
        params=(Param(name="$params", value=Params(items=(_nested(depth),)), quote="'"),),
    )
    text = restquery.unparse(req)
    assert text == "/rest?$params='[" + "[" * depth + "]" * depth + "]'"
    assert restquery.parse(text, max_depth=None).params[0].value.relaxed is False


def _nested(depth: int) -> list[object]:
    data: list[object] = []
    for _ in range(depth - 1):
        data = [data]
    return data
