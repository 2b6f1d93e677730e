#!/usr/bin/env python
"""Cost of the syntax tree itself: importing ``restquery.ast``, the memory a parsed tree keeps,
and building nodes.

Usage (from any directory)::

    python benchmarks/nodes.py [--quick] [--json] [--check]

Import: fresh interpreters (``sys.executable``) run ``import restquery.ast``, ``pass`` and, to
leave out what the ``restquery`` package imports besides the tree (the parser, the grammar
loader), ``restquery.ast`` under a stub package. Each is timed by wall clock (median of
``--runs``, interleaved) and by ``-X importtime`` (the cumulative microseconds of the
``restquery.ast`` line, i.e. the module and whatever it imports first).

Memory: ``restquery.parse()`` of a ``$filter`` of 10 000 comparisons joined by ``AND``
(``a0=0 AND a1=1 AND ...``, ``max_length=None``), measured with :mod:`tracemalloc` as the
difference between the traced memory while the tree is alive and after it is dropped (so the
URL, the parser and its caches do not count), divided by the number of comparisons.

Construction: ``timeit`` of ``PathPart``, ``AttributePath``, ``Text`` and ``Comparison`` built
100 000 times with keyword arguments and, where the classes accept them, positional ones.

Targets: the stub-package import ≤ 20 ms (importtime); ≤ 300 B retained per comparison. Each
line says PASS or MISS; the exit status is 1 only with ``--check`` and a miss.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import timeit
import tracemalloc
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

IMPORT_TARGET_MS = 20.0
MEMORY_TARGET = 300.0
CLAUSES = 10_000

IMPORT_PACKAGE = "import restquery.ast"
IMPORT_ALONE = (
    "import sys, types; pkg = types.ModuleType('restquery'); "
    f"pkg.__path__ = [{str(REPO / 'restquery')!r}]; sys.modules['restquery'] = pkg; "
    "import restquery.ast"
)


# As installed: with bytecode (the first, warm-up run of each case writes it).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _wall(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, env=ENV)
    return (time.perf_counter() - start) * 1000


def _importtime(code: str) -> float:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        check=True,
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
    ).stderr
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() == "restquery.ast":
            return int(parts[1]) / 1000
    raise RuntimeError("no restquery.ast line in -X importtime output")


def measure_import(runs: int) -> dict[str, Any]:
    walls: dict[str, list[float]] = {"package": [], "alone": [], "python": []}
    times: dict[str, list[float]] = {"package": [], "alone": []}
    for code in (IMPORT_PACKAGE, IMPORT_ALONE, "pass"):  # bytecode written, OS caches warm
        _wall(code)
    for _ in range(runs):
        walls["package"].append(_wall(IMPORT_PACKAGE))
        walls["alone"].append(_wall(IMPORT_ALONE))
        walls["python"].append(_wall("pass"))
        times["package"].append(_importtime(IMPORT_PACKAGE))
        times["alone"].append(_importtime(IMPORT_ALONE))
    return {
        "wall_ms": {k: statistics.median(v) for k, v in walls.items()},
        "importtime_ms": {k: statistics.median(v) for k, v in times.items()},
    }


def measure_memory(clauses: int = CLAUSES) -> dict[str, Any]:
    import restquery

    def url(name: str, n: int) -> str:
        return '/rest/E?$filter="' + " AND ".join(f"{name}{i}={i}" for i in range(n)) + '"'

    restquery.parse(url("b", 100))  # parsers built, caches warm
    text = url("a", clauses)
    gc.collect()
    tracemalloc.start()
    try:
        tree = restquery.parse(text, max_length=None)
        gc.collect()
        alive = tracemalloc.get_traced_memory()[0]
        del tree
        gc.collect()
        dropped = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return {"clauses": clauses, "bytes_per_clause": (alive - dropped) / clauses}


def measure_construction(number: int) -> dict[str, float]:
    from restquery import ast

    span = ast.Span(3, 9)
    part = ast.PathPart(name="a", span=span)
    path = ast.AttributePath(parts=(part,), span=span)
    text = ast.Text(value="x", span=span)
    env = {"ast": ast, "span": span, "part": part, "path": path, "text": text, "parts": (part,)}
    cases = {
        "PathPart kw": "ast.PathPart(name='a', span=span)",
        "PathPart pos": "ast.PathPart('a', None, None, span)",
        "AttributePath kw": "ast.AttributePath(parts=parts, span=span)",
        "AttributePath pos": "ast.AttributePath(parts, span)",
        "Text kw": "ast.Text(value='x', quoted=True, span=span)",
        "Text pos": "ast.Text('x', True, span)",
        "Comparison kw": "ast.Comparison(left=path, op='=', right=text, span=span)",
        "Comparison pos": "ast.Comparison(path, '=', text, 0, span)",
    }
    out: dict[str, float] = {}
    for label, stmt in cases.items():
        try:
            eval(stmt, env)
        except TypeError:
            continue  # positional construction not supported by these classes
        best = min(timeit.repeat(stmt, globals=env, number=number, repeat=5))
        out[label] = best / number * 1e9
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs and iterations")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--runs", type=int, default=None, help="fresh interpreters per import case")
    args = ap.parse_args(argv)
    runs = args.runs or (5 if args.quick else 15)
    number = 20_000 if args.quick else 100_000

    result = {
        "python": sys.version.split()[0],
        "import": measure_import(runs),
        "memory": measure_memory(),
        "construction_ns": measure_construction(number),
    }
    alone = result["import"]["importtime_ms"]["alone"]
    per_clause = result["memory"]["bytes_per_clause"]
    ok = {"import": alone <= IMPORT_TARGET_MS, "memory": per_clause <= MEMORY_TARGET}
    result["pass"] = ok
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        imp = result["import"]
        print(f"python {result['python']}")
        print(
            f"import restquery.ast alone: {alone:.1f} ms (importtime), "
            f"{imp['wall_ms']['alone'] - imp['wall_ms']['python']:.1f} ms over `pass` (wall)"
            f"  target <= {IMPORT_TARGET_MS:.0f} ms  {'PASS' if ok['import'] else 'MISS'}"
        )
        print(
            f"import restquery.ast with the package: {imp['importtime_ms']['package']:.1f} ms "
            f"(importtime, restquery.ast line), {imp['wall_ms']['package']:.1f} ms wall "
            f"(`pass`: {imp['wall_ms']['python']:.1f} ms)"
        )
        print(
            f"memory: {per_clause:.0f} B per comparison of a {CLAUSES}-clause filter"
            f"  target <= {MEMORY_TARGET:.0f} B  {'PASS' if ok['memory'] else 'MISS'}"
        )
        for label, ns in result["construction_ns"].items():
            print(f"construct {label:18} {ns:7.0f} ns")
    return 1 if args.check and not all(ok.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
