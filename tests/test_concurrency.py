"""Parsing and validating are safe to share between threads (design: parsers are built once and
shared; no mutable module state; house style §13).

Interleaved URLs — the docs corpus, the project's fixtures and generated valid and invalid
URLs — are parsed, validated and printed on a thread pool, and every result must equal the
sequential one: the tree with every span (``to_dict``), the syntax error (code, span,
message), the diagnostics (code, span, message, hint, fix) and the canonical text. A second
test does the same in a fresh interpreter with an empty parser cache, where the parsers and
the rule registry are built by the racing threads themselves.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import restquery
from restquery.strategies import invalid_urls, urls
from tests.conftest import CORPUS

ROOT = Path(__file__).resolve().parents[1]
CORPUS_TSV = CORPUS
METHODS = (None, "GET", "POST", "PUT", "PATCH", "DELETE")
WORKERS = 8


@cache
def _catalog() -> restquery.Catalog:
    return restquery.Catalog.from_json(ROOT / "examples" / "catalog.json")


def _corpus() -> list[tuple[str | None, str]]:
    out: list[tuple[str | None, str]] = []
    if CORPUS_TSV.exists():
        for line in CORPUS_TSV.read_text(encoding="utf-8").splitlines()[1:]:
            if line.strip():
                method, url, *_ = line.split("\t")
                out.append((method or None, url))
    for line in (
        (ROOT / "tests" / "fixtures" / "identity.txt").read_text(encoding="utf-8").splitlines()
    ):
        if line.strip() and not line.startswith("#"):
            out.append((None, line))
    # hostile ones: syntax errors, limits, bad encodings
    out += [
        (None, '/rest/Employee?$filter="lastName=Jones'),
        (None, "/rest/Employee?$filter=" + "(" * 80 + "a=1" + ")" * 80),
        (None, "/rest/Employee?$filter=%FF"),
        ("GET", "/rest/Employee(22)?$method=update"),
        (None, ""),
        (None, "?&&=="),
    ]
    return out


def outcome(method: str | None, url: str) -> dict[str, Any]:
    """Everything observable about one URL, as plain data."""
    result: dict[str, Any] = {}
    try:
        req = restquery.parse(url, method=method)
    except restquery.RestQueryError as err:
        result["error"] = [
            type(err).__name__,
            getattr(err, "code", None),
            list(getattr(err, "span", ())),
            str(err),
        ]
    else:
        result["tree"] = req.to_dict()
        result["canonical"] = restquery.unparse(req)
        result["encoded"] = restquery.unparse(req, encode=True)
    for name, cat in (("plain", None), ("catalog", _catalog())):
        result[name] = [d.to_dict() for d in restquery.validate(url, catalog=cat, method=method)]
    return result


def _check_interleaved(items: list[tuple[str | None, str]]) -> None:
    expected = {item: outcome(*item) for item in items}
    work = items * 4
    random.Random(len(items)).shuffle(work)
    start = threading.Barrier(WORKERS)

    def run(item: tuple[str | None, str]) -> tuple[tuple[str | None, str], dict[str, Any]]:
        return item, outcome(*item)

    def warm(_: int) -> None:
        start.wait()  # all workers begin together

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(warm, range(WORKERS)))
        for item, got in pool.map(run, work):
            assert got == expected[item], item


def test_corpus_on_a_thread_pool() -> None:
    items = list(dict.fromkeys(_corpus()))
    assert len(items) > 100
    _check_interleaved(items)


generated = st.one_of(
    st.tuples(st.sampled_from(METHODS), urls()),
    st.tuples(st.just(None), urls(_catalog())),
    st.sampled_from(METHODS).flatmap(lambda m: st.tuples(st.just(m), urls(_catalog(), method=m))),
    invalid_urls(_catalog()).map(lambda case: (case.method, case.url)),
    st.tuples(st.sampled_from(METHODS), st.text(max_size=40)),
)


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(generated, min_size=20, max_size=40, unique=True))
def test_generated_urls_on_a_thread_pool(items: list[tuple[str | None, str]]) -> None:
    corpus = _corpus()
    _check_interleaved(items + random.Random(0).sample(corpus, min(40, len(corpus))))


_COLD_START = textwrap.dedent(
    """
    import json, sys, threading
    from concurrent.futures import ThreadPoolExecutor
    sys.path.insert(0, {tests!r})
    from test_concurrency import outcome, _corpus

    items = list(dict.fromkeys(_corpus()))[:120]
    barrier = threading.Barrier({workers})

    def first(item):
        barrier.wait()  # every thread hits the unbuilt parsers at once
        return outcome(*item)

    with ThreadPoolExecutor(max_workers={workers}) as pool:
        racing = list(pool.map(first, items[:{workers}]))
        racing += list(pool.map(lambda item: outcome(*item), items[{workers}:]))
    sequential = [outcome(*item) for item in items]
    bad = [items[i] for i, (a, b) in enumerate(zip(racing, sequential)) if a != b]
    print(json.dumps({{"n": len(items), "bad": bad}}))
    """
)


@pytest.mark.parametrize("fast_paths", [True, False], ids=["fast-paths", "lalr-only"])
def test_cold_start_race(tmp_path: Path, fast_paths: bool) -> None:
    """Threads that arrive together at unbuilt parsers (and an empty on-disk cache) get the
    same results as sequential calls."""
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    if not fast_paths:
        env["RESTQUERY_NO_FASTPATH"] = "1"
    else:
        env.pop("RESTQUERY_NO_FASTPATH", None)
    code = _COLD_START.format(tests=str(Path(__file__).parent), workers=WORKERS)
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["n"] >= 100
    assert report["bad"] == [], report["bad"]
