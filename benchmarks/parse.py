#!/usr/bin/env python
"""Parse speed and cold start of restquery, each against a floor measured in the same run.

Usage (from the repository root)::

    python benchmarks/parse.py [--corpus PATH] [--quick] [--json] [--check]

Throughput: every URL of the corpus that parses is timed with ``restquery.parse()`` and with
``urllib.parse.urlsplit`` + ``urllib.parse.parse_qsl`` (the floor: what splitting the URL
costs at all). Both are timed in the same loop, URL by URL and round by round, so they share
the machine's conditions. The report gives the median over URLs of each URL's median time,
the 90th percentile over URLs of those medians, and the ratio of the medians. When lark-cython
is installed the same measurement is repeated in a subprocess with ``RESTQUERY_NO_CYTHON=1``.

Cold start: the median wall time of fresh interpreters (``sys.executable``) running
``import restquery; restquery.parse('/rest/Company(1)')`` against ``import lark``, after one
warm-up run of each that fills restquery's on-disk LALR table cache.

Targets: parse ≤ 3× the floor (corpus median); cold start ≤ 1.5× ``import lark``. Each line
says PASS or MISS. The exit status is 0 unless ``--check`` is given and a target is missed.
See ``benchmarks/README.md`` for the method and its caveats.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO / "tests" / "fixtures" / "doc-examples.tsv"

PARSE_TARGET = 4.0
COLD_TARGET = 1.0
GENERATED_TARGET = 4.0
EIGHT_CLAUSE_TARGET = 8.0
HIT_TARGET = 0.95
BYTES_PER_CLAUSE_TARGET = 300
IMPORT_AST_TARGET_MS = 20.0

COLD_RESTQUERY = "import restquery; restquery.parse('/rest/Company(1)')"
# A URL the shortcuts cannot take: the LALR parser (and Lark) must be loaded.
COLD_FULL = (
    "import restquery; restquery.parse("
    "'/rest/Employee?$filter=\"salary>20000 AND employer.name!=acme\"&$orderby=\"lastName desc\"')"
)
COLD_LARK = "import lark"
# The whole command, as a user types it: the common path must import no Lark at all.
COLD_CHECK = "import sys; from restquery.cli import main; main(['check', '/rest/Company(1)'])"
COLD_IMPORT_AST = "import restquery.ast"
COLD_PYTHON = "pass"

# CPython 3.11+ wraps urlsplit in functools.lru_cache(maxsize=128). Timing the cached function
# on a corpus would measure dictionary hits, not splitting, so the floor calls the undecorated
# function. (Where there is no __wrapped__ the calls are made one at a time, cycling through the
# whole corpus, so that a small cache keyed on the URL does not hit; see run_throughput.)
_URLSPLIT = getattr(urllib.parse.urlsplit, "__wrapped__", None)
_UNCACHED_URLSPLIT = _URLSPLIT is not None
if _URLSPLIT is None:
    _URLSPLIT = urllib.parse.urlsplit


def floor(url: str) -> Any:
    """What the cheapest honest split of a URL costs: its parts and its query pairs."""
    parts = _URLSPLIT(url)
    return parts, urllib.parse.parse_qsl(parts.query, keep_blank_values=True)


# ---------------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------------


def load_corpus(path: Path) -> tuple[list[tuple[str | None, str]], dict[str, int]]:
    """``(method, url)`` of every distinct URL of the TSV that parses, and some counts."""
    import restquery

    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    url_col = header.index("url")
    method_col = header.index("method") if "method" in header else None
    rows, seen = [], set()
    counts = {"rows": 0, "duplicates": 0, "rejected": 0}
    for line in lines[1:]:
        if not line.strip():
            continue
        cols = line.split("\t")
        counts["rows"] += 1
        url = cols[url_col]
        method = (cols[method_col] or None) if method_col is not None else None
        if url in seen:
            counts["duplicates"] += 1
            continue
        seen.add(url)
        try:
            restquery.parse(url, method=method)
        except restquery.RestQueryError:
            counts["rejected"] += 1
            continue
        rows.append((method, url))
    counts["kept"] = len(rows)
    return rows, counts


# ---------------------------------------------------------------------------------------------
# Throughput
# ---------------------------------------------------------------------------------------------


def _summary(per_url_ns: list[float]) -> dict[str, float]:
    us = sorted(ns / 1000 for ns in per_url_ns)
    p90 = statistics.quantiles(us, n=10, method="inclusive")[8] if len(us) > 1 else us[0]
    return {"median_us": statistics.median(us), "p90_us": p90, "min_us": us[0], "max_us": us[-1]}


def run_throughput(rows: list[tuple[str | None, str]], rounds: int, inner: int) -> dict[str, Any]:
    """Time parse() and the floor on each URL, interleaved; medians per URL, then over URLs."""
    import restquery
    import restquery.parser as rp

    parse = restquery.parse
    if not _UNCACHED_URLSPLIT:
        inner = 1
    clock = time.perf_counter_ns
    n = len(rows)
    parse_ns: list[list[float]] = [[] for _ in range(n)]
    floor_ns: list[list[float]] = [[] for _ in range(n)]

    def timed(fn: Callable[..., Any], *a: Any, **kw: Any) -> float:
        t0 = clock()
        for _ in range(inner):
            fn(*a, **kw)
        return (clock() - t0) / inner

    # Warm-up: build the parsers, fill the CPU caches and the interpreter's inline caches.
    for method, url in rows:
        parse(url, method=method)
        floor(url)

    cache_before = _lru_hits()
    order = list(range(n))
    rng = random.Random(20240601)
    for r in range(rounds):
        rng.shuffle(order)
        gc.collect()  # start each round clean; the collector stays on, as in real use
        parse_first = r % 2 == 0
        for i in order:
            method, url = rows[i]
            if parse_first:
                parse_ns[i].append(timed(parse, url, method=method))
                floor_ns[i].append(timed(floor, url))
            else:
                floor_ns[i].append(timed(floor, url))
                parse_ns[i].append(timed(parse, url, method=method))
    cache_hits = _lru_hits() - cache_before

    parse_med = [statistics.median(s) for s in parse_ns]
    floor_med = [statistics.median(s) for s in floor_ns]
    p, f = _summary(parse_med), _summary(floor_med)
    from restquery.syntax.grammar import _accelerator as accel
    return {
        "urls": n,
        "rounds": rounds,
        "calls_per_sample": inner,
        "floor_urlsplit_uncached": _UNCACHED_URLSPLIT,
        "floor_lru_hits_during_run": cache_hits,
        "accelerated": bool(accel()),
        "fast_paths": getattr(rp, "FAST_PATHS", None),
        "parse": p,
        "floor": f,
        "ratio": p["median_us"] / f["median_us"],
        "median_of_per_url_ratios": statistics.median(
            pm / fm for pm, fm in zip(parse_med, floor_med)
        ),
        "slowest_urls": [
            {"url": rows[i][1], "parse_us": parse_med[i] / 1000, "floor_us": floor_med[i] / 1000}
            for i in sorted(range(n), key=lambda i: -parse_med[i])[:3]
        ],
    }


def _lru_hits() -> int:
    info = getattr(urllib.parse.urlsplit, "cache_info", None)
    return info().hits if info else 0


def throughput_without_cython(corpus: Path, rounds: int, inner: int) -> dict[str, Any]:
    env = dict(os.environ, RESTQUERY_NO_CYTHON="1")
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--corpus",
        str(corpus),
        "--rounds",
        str(rounds),
        "--inner",
        str(inner),
        "--child",
    ]
    out = subprocess.run(cmd, env=env, cwd=REPO, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


# ---------------------------------------------------------------------------------------------
# Cold start
# ---------------------------------------------------------------------------------------------


def run_cold_start(runs: int, extra_env: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Median wall time of fresh interpreters, the commands interleaved run by run."""
    cases: dict[str, tuple[str, dict[str, str]]] = {
        "python -c pass": (COLD_PYTHON, {}),
        "import lark": (COLD_LARK, {}),
        "import restquery + parse": (COLD_RESTQUERY, {}),
    }
    for label, env in extra_env.items():
        cases[label] = (COLD_RESTQUERY, env)
    cases["… a URL that needs the LALR parser"] = (COLD_FULL, {})
    cases["restquery check URL (whole command)"] = (COLD_CHECK, {})
    cases["import restquery.ast"] = (COLD_IMPORT_AST, {})
    # As installed: bytecode is written once and read after, whatever this shell says.
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    envs = {label: dict(base, **env) for label, (_, env) in cases.items()}

    def once(label: str) -> float:
        code, _ = cases[label]
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code],
            env=envs[label],
            cwd=REPO,
            check=False,  # `restquery check` exits 0 or 1 by its findings
            stdout=subprocess.DEVNULL,
        )
        return time.perf_counter() - t0

    for label in cases:  # warm-up: fills the LALR table cache and the OS file cache
        once(label)
    times: dict[str, list[float]] = {label: [] for label in cases}
    labels = list(cases)
    for r in range(runs):
        for label in labels if r % 2 == 0 else reversed(labels):
            times[label].append(once(label))
    med = {label: statistics.median(ts) * 1000 for label, ts in times.items()}
    result: dict[str, Any] = {
        "runs": runs,
        "median_ms": med,
        "ratio": med["import restquery + parse"] / med["import lark"],
    }
    for label in [*extra_env, "… a URL that needs the LALR parser", "restquery check URL (whole command)"]:
        result[f"ratio ({label})"] = med[label] / med["import lark"]
    result["import_ast_ms"] = med["import restquery.ast"] - med["python -c pass"]
    return result


# ---------------------------------------------------------------------------------------------
# Generated URLs: distinct, 1-8 clause filters, 30 % percent-encoded
# ---------------------------------------------------------------------------------------------

_G_NAMES = ("lastName", "firstName", "salary", "employer.name", "manager.lastName", "ID", "city")
_G_CMPS = ("=", "!=", ">", ">=", "<", "<=", "==", " begin ", " IN ")
_G_OPS = (" AND ", " OR ", " and ", " && ", " | ", " EXCEPT ")


def generate_urls(n: int, seed: int = 20261202) -> list[tuple[int, str]]:
    """``n`` distinct URLs ``(clauses, url)``, each with a filter of 1-8 clauses, some other
    parameters, and about 30 % percent-encoded as clients send them."""
    rng = random.Random(seed)
    out: list[tuple[int, str]] = []
    seen: set[str] = set()
    while len(out) < n:
        clauses = rng.randint(1, 8)
        parts = []
        for _ in range(clauses):
            name = rng.choice(_G_NAMES)
            cmp = rng.choice(_G_CMPS)
            if cmp == " IN ":
                value = "[" + ",".join(str(rng.randint(1, 999)) for _ in range(3)) + "]"
            elif rng.random() < 0.5:
                value = str(rng.randint(0, 10**6))
            else:
                value = "'" + "".join(rng.choice("abcdefghij") for _ in range(6)) + "'"
            clause = f"{name}{cmp}{value}"
            parts.append(f"NOT {clause}" if rng.random() < 0.05 else clause)
        text = parts[0]
        for part in parts[1:]:
            text += rng.choice(_G_OPS) + part
        if clauses > 2 and rng.random() < 0.2:
            text = f"({text})"
        encoded = rng.random() < 0.3  # as clients send them: each value encoded whole

        def value(v: str) -> str:
            return urllib.parse.quote(v, safe="") if encoded else v

        url = "/rest/Employee?$filter=" + value(f'"{text}"')
        if rng.random() < 0.5:
            url += f"&$top={rng.randint(1, 500)}"
        if rng.random() < 0.3:
            url += "&$orderby=" + value(f'"{rng.choice(_G_NAMES)} desc"')
        if url not in seen:
            seen.add(url)
            out.append((clauses, url))
    return out


def run_generated(urls: list[tuple[int, str]]) -> dict[str, Any]:
    """Each distinct URL parsed once (no cache can help), with the floor on the same URL right
    after; medians per clause-count bucket. Also: how many took the lean pass all the way."""
    import restquery
    import restquery.parser as rp

    parse = restquery.parse
    clock = time.perf_counter_ns
    for _, url in urls[:200]:  # warm-up on a few: parsers built, caches hot
        parse(url)
        floor(url)
    ratios: dict[int, list[float]] = {}
    parse_ns: list[float] = []
    floor_ns: list[float] = []
    gc.collect()
    for i, (clauses, url) in enumerate(urls):
        if i % 2:
            t0 = clock(); parse(url); t1 = clock(); floor(url); t2 = clock()  # noqa: E702
            p, f = t1 - t0, t2 - t1
        else:
            t0 = clock(); floor(url); t1 = clock(); parse(url); t2 = clock()  # noqa: E702
            f, p = t1 - t0, t2 - t1
        parse_ns.append(p)
        floor_ns.append(f)
        ratios.setdefault(clauses, []).append(p / f)
    # Hit rate: a URL counts when no LALR parse ran for it.
    lark_calls = [0]
    real = rp._sub_parse

    def counting(*args: Any, **kwargs: Any) -> Any:
        lark_calls[0] += 1
        return real(*args, **kwargs)

    rp._sub_parse = counting  # type: ignore[assignment]
    hits = 0
    try:
        for _, url in urls:
            before = lark_calls[0]
            parse(url)
            hits += lark_calls[0] == before
    finally:
        rp._sub_parse = real  # type: ignore[assignment]
    pm, fm = statistics.median(parse_ns), statistics.median(floor_ns)
    return {
        "urls": len(urls),
        "parse_median_us": pm / 1000,
        "floor_median_us": fm / 1000,
        "ratio": pm / fm,
        "median_of_ratios": statistics.median(p / f for p, f in zip(parse_ns, floor_ns)),
        "buckets": {k: statistics.median(v) for k, v in sorted(ratios.items())},
        "hit_rate": hits / len(urls),
    }


def run_memory(clauses: int = 10_000) -> dict[str, Any]:
    """Memory retained by the tree of a ``clauses``-clause filter, per clause."""
    import tracemalloc

    import restquery

    url = '/rest/E?$filter="' + " AND ".join(f"a{i}={i}" for i in range(clauses)) + '"'
    restquery.parse(url, max_length=None)  # parsers built outside the measurement
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tree = restquery.parse(url, max_length=None)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del tree
    return {"clauses": clauses, "bytes_per_clause": (after - before) / clauses}


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _verdict(ratio: float, target: float) -> str:
    return "PASS" if ratio <= target else "MISS"


def report(res: dict[str, Any]) -> str:
    env, corpus = res["environment"], res["corpus"]
    lines = [
        (
            f"restquery {env['restquery']} — {env['python']}, lark {env['lark']}, "
            f"lark-cython {env['lark_cython'] or 'not installed'}, {env['cpus']} CPUs"
        ),
        (
            f"corpus {corpus['path']}: {corpus['rows']} rows, {corpus['kept']} distinct URLs "
            f"that parse ({corpus['duplicates']} duplicate, {corpus['rejected']} rejected)"
        ),
    ]
    t = res["throughput"]
    how = (
        "urlsplit.__wrapped__ (lru_cache bypassed)"
        if t["floor_urlsplit_uncached"]
        else "urlsplit (no __wrapped__: one call per sample, whole corpus cycled)"
    )
    lines += [
        (
            f"throughput: {t['rounds']} rounds × {t['calls_per_sample']} calls per URL, "
            f"parse and floor interleaved; floor = {how} + parse_qsl"
            + ("; RESTQUERY_NO_FASTPATH" if t.get("fast_paths") is False else "")
        ),
        "",
        "µs per URL (median over URLs of per-URL medians; p90 over URLs)",
        f"  {'':40} {'median':>8} {'p90':>8} {'ratio':>7}",
        (
            f"  {'floor: urlsplit + parse_qsl':40} {t['floor']['median_us']:8.1f} "
            f"{t['floor']['p90_us']:8.1f}"
        ),
    ]

    def parse_line(label: str, t: dict[str, Any]) -> str:
        return (
            f"  {label:40} {t['parse']['median_us']:8.1f} {t['parse']['p90_us']:8.1f} "
            f"{t['ratio']:6.1f}×  target ≤ {PARSE_TARGET:g}×  "
            f"{_verdict(t['ratio'], PARSE_TARGET)}"
        )

    accel = {True: ", lark-cython", False: ", pure Python", None: ""}[t["accelerated"]]
    lines.append(parse_line(f"restquery.parse(){accel}", t))
    nc = res.get("throughput_no_cython")
    if nc:
        lines.append(
            f"  {'floor (in that subprocess)':40} {nc['floor']['median_us']:8.1f} "
            f"{nc['floor']['p90_us']:8.1f}"
        )
        lines.append(parse_line("restquery.parse(), RESTQUERY_NO_CYTHON", nc))
    lines.append(
        f"  (median of per-URL ratios: {t['median_of_per_url_ratios']:.1f}×; slowest: "
        + "; ".join(f"{s['parse_us']:.0f} µs {s['url'][:50]}" for s in t["slowest_urls"][:2])
        + ")"
    )
    g = res.get("generated")
    if g:
        lines += [
            "",
            f"generated: {g['urls']} distinct URLs, 1-8 clause filters, 30 % percent-encoded, "
            "each parsed once beside the floor",
            (
                f"  parse median {g['parse_median_us']:.1f} µs, floor {g['floor_median_us']:.1f} µs"
                f" → {g['ratio']:.1f}×  target ≤ {GENERATED_TARGET:g}×  "
                f"{_verdict(g['ratio'], GENERATED_TARGET)}"
            ),
            "  per clause count (median of per-URL ratios): "
            + "  ".join(f"{k}: {v:.1f}×" for k, v in g["buckets"].items())
            + f"  (8 clauses: target ≤ {EIGHT_CLAUSE_TARGET:g}×  "
            f"{_verdict(g['buckets'].get(8, 0.0), EIGHT_CLAUSE_TARGET)})",
            (
                f"  lean pass all the way (no LALR parse): {g['hit_rate']:.1%}  target ≥ "
                f"{HIT_TARGET:.0%}  {_verdict(1 - g['hit_rate'], 1 - HIT_TARGET)}"
            ),
        ]
    m = res.get("memory")
    if m:
        lines.append(
            f"memory retained by a {m['clauses']}-clause filter: {m['bytes_per_clause']:.0f} B per "
            f"clause  target ≤ {BYTES_PER_CLAUSE_TARGET}  "
            f"{_verdict(m['bytes_per_clause'], BYTES_PER_CLAUSE_TARGET)}"
        )
    c = res.get("cold_start")
    if c:
        lines += ["", f"cold start (median wall time of {c['runs']} fresh processes each)"]
        for label, ms in c["median_ms"].items():
            extra = ""
            if label == "import restquery + parse":
                extra = f"  {c['ratio']:5.2f}× import lark"
            elif f"ratio ({label})" in c:
                r = c[f"ratio ({label})"]
                extra = f"  {r:5.2f}× import lark  target ≤ {COLD_TARGET:g}×  {_verdict(r, COLD_TARGET)}"
            if label == "import restquery.ast":
                extra = (
                    f"  {c['import_ast_ms']:5.1f} ms over python  target ≤ "
                    f"{IMPORT_AST_TARGET_MS:g} ms  {_verdict(c['import_ast_ms'], IMPORT_AST_TARGET_MS)}"
                )
            lines.append(f"  {label:40} {ms:7.1f} ms{extra}")
    return "\n".join(lines)


def environment() -> dict[str, Any]:
    import lark

    import restquery

    cy = None
    if importlib.util.find_spec("lark_cython") is not None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            cy = version("lark-cython")
        except PackageNotFoundError:
            cy = "installed"
    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "executable": sys.executable,
        "restquery": getattr(restquery, "__version__", "?"),
        "lark": lark.__version__,
        "lark_cython": cy,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="TSV with a url column")
    ap.add_argument("--quick", action="store_true", help="fewer rounds and runs (a few seconds)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--rounds", type=int, help="timing rounds over the corpus (default 60)")
    ap.add_argument("--inner", type=int, default=4, help="calls per timed sample (default 4)")
    ap.add_argument("--cold-runs", type=int, help="fresh processes per command (default 21)")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-start measurement")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    rounds = args.rounds or (12 if args.quick else 60)
    cold_runs = args.cold_runs or (5 if args.quick else 21)
    inner = max(1, args.inner)

    corpus = args.corpus.resolve()
    rows, counts = load_corpus(corpus)
    if not rows:
        print(f"no URL of {corpus} parses", file=sys.stderr)
        return 2
    if args.child:
        print(json.dumps(run_throughput(rows, rounds, inner)))
        return 0

    res: dict[str, Any] = {
        "environment": environment(),
        "corpus": {"path": os.path.relpath(corpus, REPO), **counts},
        "targets": {"parse_over_floor": PARSE_TARGET, "cold_start_over_import_lark": COLD_TARGET},
    }
    res["throughput"] = run_throughput(rows, rounds, inner)
    res["generated"] = run_generated(generate_urls(2_000 if args.quick else 10_000))
    res["memory"] = run_memory()
    has_cython = res["environment"]["lark_cython"] is not None
    if has_cython:
        res["throughput_no_cython"] = throughput_without_cython(corpus, rounds, inner)
    if not args.no_cold:
        no_cy = {"… with RESTQUERY_NO_CYTHON=1": {"RESTQUERY_NO_CYTHON": "1"}}
        res["cold_start"] = run_cold_start(cold_runs, no_cy if has_cython else {})

    g = res["generated"]
    verdicts = [
        _verdict(res["throughput"]["ratio"], PARSE_TARGET),
        _verdict(g["ratio"], GENERATED_TARGET),
        _verdict(g["buckets"].get(8, 0.0), EIGHT_CLAUSE_TARGET),
        _verdict(1 - g["hit_rate"], 1 - HIT_TARGET),
        _verdict(res["memory"]["bytes_per_clause"], BYTES_PER_CLAUSE_TARGET),
    ]
    if "cold_start" in res:
        c = res["cold_start"]
        verdicts.append(_verdict(c["ratio (restquery check URL (whole command))"], COLD_TARGET))
        verdicts.append(_verdict(c["import_ast_ms"], IMPORT_AST_TARGET_MS))
    res["pass"] = all(v == "PASS" for v in verdicts)
    print(json.dumps(res, indent=2, ensure_ascii=False) if args.json else report(res))
    return 1 if args.check and not res["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
