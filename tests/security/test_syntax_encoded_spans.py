"""A URL and its percent-encoded forms get the same diagnostics, on the same characters.

A front end that points at other characters once a client encodes the URL, or that reports
another code, can be steered by encoding. Here each URL ``u`` (generated valid, generated
invalid, or from the docs corpus and the fixtures) is compared with ``e``: ``u`` with a random
subset of its characters percent-encoded, but only characters whose encoding keeps the
meaning. ``validate`` must give the same codes on both, with and without the example catalog,
and each span of ``e``, mapped back through the encoding, must cover exactly the characters
of the corresponding span of ``u``.

What may be encoded (spec §1.4): the URL is split on its raw delimiters first and each
component is decoded on its own, so an encoded delimiter is never structure. The delimiters
are therefore left as they are: ``/`` and the quotes everywhere (a quoted run may hold a
``/``), the ``?`` that starts the query, and in the query ``&``, ``=`` and ``/`` (the stray
slash after a quoted value), and ``+``, whose raw form reads two ways (RQ113). So are the origin and the ``/rest`` prefix, which are matched as
written, the characters of an escape already there (``%41`` is not ``%2541``) and lone
surrogates, which UTF-8 cannot encode. Everything else, a raw ``%`` included, decodes to
itself inside its component.

Budget: ``RESTQUERY_FUZZ_EXAMPLES`` examples per property (default 300).
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import restquery
from restquery.strategies import invalid_urls, urls

REPO = Path(__file__).resolve().parents[2]
CATALOG = restquery.Catalog.from_json(REPO / "examples" / "catalog.json")
EXAMPLES = int(os.environ.get("RESTQUERY_FUZZ_EXAMPLES", "300"))

PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# The origin as url.lark's ORIGIN and TEMPLATE terminals read it.
_ORIGIN = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.\-]*://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~\-]+)(?::[0-9]*)?"
    r"|\{\{[^{}/?#&\"'.,()\[\]]*\}\}"
)
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_KEEP_IN_PATH = frozenset("/?\"'")
#: ``+`` too: raw, it is a space to form decoders (RQ113), encoded it is a plus to all.
_KEEP_IN_QUERY = frozenset("/&=\"'+")


def encodable(url: str) -> list[int]:
    """The offsets of the characters of ``url`` that may be percent-encoded."""
    start = 0
    if not url.startswith("/"):
        m = _ORIGIN.match(url)
        if m is not None and (m.end() == len(url) or url[m.end()] in "/?"):
            start = m.end()
    if url.startswith("/rest", start) and url[start + 5 : start + 6] in ("", "/", "?"):
        start += 5
    query = url.find("?", start)
    query = len(url) if query < 0 else query
    escaped = {i for m in _ESCAPE.finditer(url) for i in range(m.start(), m.end())}
    # A raw `#` ends the URL (RFC 3986 §3.5): it and the fragment after it stay as written.
    fragment = url.find("#", start)
    out = []
    for i in range(start, len(url) if fragment < 0 else fragment):
        ch = url[i]
        keep = _KEEP_IN_PATH if i <= query else _KEEP_IN_QUERY
        if ch in keep or i in escaped or "\ud800" <= ch <= "\udfff":
            continue
        out.append(i)
    return out


def encode(url: str, chosen: set[int]) -> tuple[str, dict[int, int]]:
    """``url`` with the characters at ``chosen`` percent-encoded as UTF-8, and the map from
    the offsets of the result that fall between characters to the offsets of ``url``."""
    pieces = []
    back = {}
    pos = 0
    for i, ch in enumerate(url):
        back[pos] = i
        piece = "".join(f"%{b:02X}" for b in ch.encode("utf-8")) if i in chosen else ch
        pieces.append(piece)
        pos += len(piece)
    back[pos] = len(url)
    return "".join(pieces), back


def _found(url: str, catalog: Any, method: str | None) -> list[tuple[str, tuple[int, int], Any]]:
    diags = restquery.validate(url, catalog=catalog, method=method)
    return sorted((d.code, (d.span.start, d.span.end), d.param) for d in diags)


def assert_same_diagnostics(url: str, chosen: set[int], method: str | None = None) -> None:
    encoded, back = encode(url, chosen)
    for catalog in (None, CATALOG):
        raw = _found(url, catalog, method)
        # -1: the span starts or ends inside an escape of the encoded text
        mapped = sorted(
            (code, (back.get(start, -1), back.get(end, -1)), param)
            for code, (start, end), param in _found(encoded, catalog, method)
        )
        assert mapped == raw, (
            f"catalog={catalog is not None} method={method}\n  raw:     {url!r}\n"
            f"  encoded: {encoded!r}\n  raw diagnostics:     {raw}\n"
            f"  encoded, mapped back: {mapped}"
        )


@st.composite
def _subset(draw: st.DrawFn, url: str) -> set[int]:
    candidates = encodable(url)
    if not candidates:
        return set()
    how = draw(st.sampled_from(["some", "all", "one"]))
    if how == "all":
        return set(candidates)
    if how == "one":
        return {draw(st.sampled_from(candidates))}
    return set(draw(st.lists(st.sampled_from(candidates), max_size=len(candidates))))


@cache
def corpus() -> tuple[tuple[str, str | None], ...]:
    """``(url, method)``: the docs corpus, the conformance cases and the printer fixtures."""
    seen: dict[tuple[str, str | None], None] = {}
    for path in sorted((REPO / "tests" / "conformance").glob("*.json")):
        if path.name in ("schema.json", "catalog.json"):
            continue
        for case in json.loads(path.read_text(encoding="utf-8")).get("cases", []):
            seen.setdefault((case["url"], case.get("method")), None)
    for name in ("identity.txt", "normalize.tsv"):
        for line in (REPO / "tests" / "fixtures" / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                seen.setdefault((line.split("\t")[0], None), None)
    return tuple(seen)


# ---------------------------------------------------------------------------------------------
# The encoding itself
# ---------------------------------------------------------------------------------------------


def test_encodable_leaves_the_structure_alone() -> None:
    url = "http://h:80/rest/Em%41(\"a/b\")/x?$filter=\"a=1 & b=2\"&$top=2"
    kept = {url[i] for i in range(len(url)) if i not in encodable(url)}
    assert {"/", '"', "?", "&", "="} <= kept
    assert not {i for i in encodable(url) if i < len("http://h:80/rest")}
    assert url.index("%41") not in encodable(url)
    encoded, back = encode(url, set(encodable(url)))
    assert restquery.parse(encoded) == restquery.parse(url)
    assert back[0] == 0 and back[len(encoded)] == len(url)


def test_encoding_keeps_the_meaning() -> None:
    for url, method in corpus():
        try:
            tree = restquery.parse(url, method=method)
        except restquery.RestQuerySyntaxError:
            continue
        encoded, _ = encode(url, set(encodable(url)))
        assert restquery.parse(encoded, method=method) == tree, (url, encoded)


# ---------------------------------------------------------------------------------------------
# The defects of the issue, pinned
# ---------------------------------------------------------------------------------------------

PINNED = [
    # (raw, encoded, code, what the span covers in the encoded text)
    ("/rest/Persons(1)", "/rest/Person%73(1)", "RQ201", "Person%73"),
    ("/rest/Employee:lastname(Jones)", "/rest/Employee:lastnam%65(Jones)", "RQ202", "lastnam%65"),
    ("/rest/Employee:fullName(Jones)", "/rest/Employee:full%4Eame(Jones)", "RQ205", "full%4Eame"),
    (
        '/rest/Employee/$filter="salary>1"',
        '/rest/Employee/$filte%72="salary>1"',
        "RQ005",
        "/$filte%72",
    ),
    ('/rest/Employee/$filter="a=%FF"', '/rest/Employee/%24filter="a=%FF"', "RQ005", "/%24filter"),
    ('/rest/Employee?$filter="a=1"EMJQL', '/rest/Employee?$filter="a=1"E%4DJQL', "RQ001", "E%4DJQL"),
    (
        "/rest/Employee/$entityset/4E5A3A2C[123]",
        "/rest/Employee/$entityset/4E5A3A2C%5B123%5D",
        "RQ347",
        "4E5A3A2C",
    ),
    ("/rest/Employee/nope(1,2)", "/rest/Employee/n%6Fpe(1,2)", "RQ203", "n%6Fpe"),
]


@pytest.mark.parametrize(("raw", "encoded", "code", "spanned"), PINNED, ids=[p[2] for p in PINNED])
def test_pinned(raw: str, encoded: str, code: str, spanned: str) -> None:
    diags = restquery.validate(encoded, catalog=CATALOG)
    assert code in [d.code for d in diags], diags
    [d] = [d for d in diags if d.code == code]
    assert encoded[d.span.start : d.span.end] == spanned
    chosen = _chosen(raw, encoded)
    assert chosen <= set(encodable(raw)) and encode(raw, chosen)[0] == encoded
    assert_same_diagnostics(raw, chosen)


def _chosen(raw: str, encoded: str) -> set[int]:
    """The offsets of ``raw`` that ``encoded`` writes percent-encoded."""
    chosen, j = set(), 0
    for i, ch in enumerate(raw):
        escaped = "".join(f"%{b:02X}" for b in ch.encode("utf-8"))
        if escaped != ch and encoded.startswith(escaped, j):
            chosen.add(i)
            j += len(escaped)
        else:
            assert encoded[j] == ch, (raw, encoded, i)
            j += 1
    assert j == len(encoded)
    return chosen


def test_the_selector_of_an_encoded_key_segment() -> None:
    raw = "/rest/Employee(1)"
    encoded = "/rest/Employe%65%281%29"
    [d] = restquery.validate(encoded, select=["RQ358"])
    assert encoded[d.span.start : d.span.end] == "%281%29"
    assert_same_diagnostics(raw, _chosen(raw, encoded))


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@PROPERTY
@given(st.data(), st.booleans())
def test_valid_urls(data: st.DataObject, with_catalog: bool) -> None:
    url = data.draw(urls(CATALOG if with_catalog else None), label="url")
    assert_same_diagnostics(url, data.draw(_subset(url), label="encoded"))


@PROPERTY
@given(st.data(), st.booleans())
def test_invalid_urls(data: st.DataObject, with_catalog: bool) -> None:
    case = data.draw(invalid_urls(CATALOG if with_catalog else None), label="case")
    assert_same_diagnostics(case.url, data.draw(_subset(case.url), label="encoded"), case.method)


@PROPERTY
@given(st.data())
def test_corpus_urls(data: st.DataObject) -> None:
    url, method = data.draw(st.sampled_from(corpus()), label="url")
    assert_same_diagnostics(url, data.draw(_subset(url), label="encoded"), method)
