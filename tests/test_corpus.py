"""Every documented example URL of ``../shared/corpus/doc-examples.tsv`` parses (spec §12.1).

The only documented form that stays a syntax error is the missing ``?`` before the first
parameter (design decision); those rows are listed explicitly below so that any other URL of
the corpus that stops parsing fails loudly.
"""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import pytest

import restquery
from restquery.ast import Node, Request
from tests.conftest import CORPUS

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"



class Row(NamedTuple):
    line: int
    method: str | None
    url: str
    source: str


def _read_corpus() -> list[Row]:
    rows: list[Row] = []
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        assert header[:3] == ["method", "url", "source"], header
        for line, fields in enumerate(reader, start=2):
            if not fields or not any(f.strip() for f in fields):
                continue
            method, url, source = (fields + ["", "", ""])[:3]
            rows.append(Row(line, method.strip() or None, url, source))
    return rows


ROWS = _read_corpus()

#: Spec §12.1, "missing `?`": the only documented URLs that cannot parse.
MISSING_QMARK = {
    '/rest/Employee/$filter="employer.name=acme AND lastName=Jones"&$querypath=true',
    '/rest/Employee/$filter="employer.name=a* AND lastName!=smith"&$querypath=true',
    '/rest/People/$filter="employer.name=acme AND lastName=Jones"&$queryplan=true',
}

PARSING = [r for r in ROWS if r.url not in MISSING_QMARK]
FAILING = [r for r in ROWS if r.url in MISSING_QMARK]


def _id(row: Row) -> str:
    return f"L{row.line}:{row.method or '-'} {row.url}"


def _nodes(node: Any) -> Iterator[Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Node):
            yield n
            for f in dataclasses.fields(n):
                if f.name != "span":
                    stack.append(getattr(n, f.name))
        elif isinstance(n, tuple):
            stack.extend(n)


def test_corpus_is_read(shared_dir: Path) -> None:
    # the repository's copy is the one read; where ../shared is beside it (CI), they agree
    assert CORPUS.parent.name == "fixtures"
    original = shared_dir / "corpus" / "doc-examples.tsv"
    if original.exists():
        assert CORPUS.read_bytes() == original.read_bytes(), "copy ../shared/corpus/doc-examples.tsv again"
    assert len(ROWS) >= 150
    # every irregular URL named above is still in the corpus, each exactly once
    urls = [r.url for r in ROWS]
    for url in MISSING_QMARK:
        assert urls.count(url) == 1, url
    assert len(FAILING) == len(MISSING_QMARK)


@pytest.mark.parametrize("row", PARSING, ids=[_id(r) for r in PARSING])
def test_corpus_url_parses(row: Row) -> None:
    req = restquery.parse(row.url, method=row.method)
    assert isinstance(req, Request)
    assert req.method == (row.method.upper() if row.method else None)
    assert req.span == (0, len(row.url))
    for node in _nodes(req):
        assert 0 <= node.span.start <= node.span.end <= len(row.url), node


@pytest.mark.parametrize("row", PARSING, ids=[_id(r) for r in PARSING])
@pytest.mark.parametrize("encode", [False, True], ids=["raw", "encoded"])
def test_corpus_roundtrip(row: Row, encode: bool) -> None:
    req = restquery.parse(row.url, method=row.method)
    text = restquery.unparse(req, encode=encode)
    assert restquery.parse(text, method=row.method) == req


@pytest.mark.parametrize("row", FAILING, ids=[_id(r) for r in FAILING])
def test_corpus_missing_question_mark(row: Row) -> None:
    with pytest.raises(restquery.RestQuerySyntaxError) as info:
        restquery.parse(row.url, method=row.method)
    err = info.value
    assert err.code == "RQ005"
    assert row.url[err.span.start : err.span.end] == "/$filter"
    assert err.hint is not None
    assert "?" in err.hint
    assert any(word in err.hint.lower() for word in ("insert", "replace"))
    # also an ordinary ValueError for callers who do not know restquery
    assert isinstance(err, ValueError)
