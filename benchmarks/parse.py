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
DEFAULT_CORPUS = REPO / ".." / "shared" / "corpus" / "doc-examples.tsv"

PARSE_TARGET = 3.0
COLD_TARGET = 1.5

COLD_RESTQUERY = "import restquery; restquery.parse('/rest/Company(1)')"
# A URL the shortcuts cannot take: the LALR parser (and Lark) must be loaded.
COLD_FULL = (
    "import restquery; restquery.parse("
    "'/rest/Employee?$filter=\"salary>20000 AND employer.name!=acme\"&$orderby=\"lastName desc\"')"
)
COLD_LARK = "import lark"
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
    accel = getattr(rp, "_accelerator", None)
    return {
        "urls": n,
        "rounds": rounds,
        "calls_per_sample": inner,
        "floor_urlsplit_uncached": _UNCACHED_URLSPLIT,
        "floor_lru_hits_during_run": cache_hits,
        "accelerated": bool(accel()) if accel else None,
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
    envs = {label: dict(os.environ, **env) for label, (_, env) in cases.items()}

    def once(label: str) -> float:
        code, _ = cases[label]
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code],
            env=envs[label],
            cwd=REPO,
            check=True,
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
    for label in [*extra_env, "… a URL that needs the LALR parser"]:
        result[f"ratio ({label})"] = med[label] / med["import lark"]
    return result


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
    c = res.get("cold_start")
    if c:
        lines += ["", f"cold start (median wall time of {c['runs']} fresh processes each)"]
        for label, ms in c["median_ms"].items():
            extra = ""
            if label == "import restquery + parse":
                extra = (
                    f"  {c['ratio']:5.2f}× import lark  target ≤ {COLD_TARGET:g}×  "
                    f"{_verdict(c['ratio'], COLD_TARGET)}"
                )
            elif f"ratio ({label})" in c:
                r = c[f"ratio ({label})"]
                extra = f"  {r:5.2f}× import lark  {_verdict(r, COLD_TARGET)}"
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
    has_cython = res["environment"]["lark_cython"] is not None
    if has_cython:
        res["throughput_no_cython"] = throughput_without_cython(corpus, rounds, inner)
    if not args.no_cold:
        no_cy = {"… with RESTQUERY_NO_CYTHON=1": {"RESTQUERY_NO_CYTHON": "1"}}
        res["cold_start"] = run_cold_start(cold_runs, no_cy if has_cython else {})

    verdicts = [_verdict(res["throughput"]["ratio"], PARSE_TARGET)]
    if "cold_start" in res:
        verdicts.append(_verdict(res["cold_start"]["ratio"], COLD_TARGET))
    res["pass"] = all(v == "PASS" for v in verdicts)
    print(json.dumps(res, indent=2, ensure_ascii=False) if args.json else report(res))
    return 1 if args.check and not res["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
