#!/usr/bin/env python
"""validate() speed, without and with a catalog, against the urlsplit floor of the same run.

Usage (from the repository root)::

    python benchmarks/validate.py [--quick] [--json] [--check]

Every URL is distinct (the docs corpus, then generated URLs from the seeded generator of
``benchmarks/parse.py``) and each call is timed once, right beside the floor on the same URL,
so no cache can help: not the verdict caches of the integrations, not the lint cache. The
catalog is ``examples/catalog.json``, loaded once before timing (as a server holds it).

Targets (issue "Core redesign, part 2"): median ``validate()`` ≤ 8 × the floor without a
catalog, ≤ 12 × with one.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from parse import DEFAULT_CORPUS, REPO, environment, floor, generate_urls, load_corpus  # noqa: E402

NO_CATALOG_TARGET = 8.0
CATALOG_TARGET = 12.0
CATALOG = REPO / "examples" / "catalog.json"


def run(urls: list[tuple[str | None, str]], catalog: Any, rounds: int) -> dict[str, Any]:
    """Median over URLs of each URL's median validate() time, beside the floor's."""
    import restquery

    validate = restquery.validate
    clock = time.perf_counter_ns
    for method, url in urls[:100]:  # warm-up: parsers built, rules loaded
        validate(url, catalog=catalog, method=method)
    per_v: list[list[int]] = [[] for _ in urls]
    per_f: list[list[int]] = [[] for _ in urls]
    for r in range(rounds):
        gc.collect()
        for i, (method, url) in enumerate(urls):
            if (i + r) % 2:
                t0 = clock(); validate(url, catalog=catalog, method=method); t1 = clock()  # noqa: E702
                floor(url); t2 = clock()  # noqa: E702
                v, f = t1 - t0, t2 - t1
            else:
                t0 = clock(); floor(url); t1 = clock()  # noqa: E702
                validate(url, catalog=catalog, method=method); t2 = clock()  # noqa: E702
                f, v = t1 - t0, t2 - t1
            per_v[i].append(v)
            per_f[i].append(f)
    v_med = [statistics.median(s) for s in per_v]
    f_med = [statistics.median(s) for s in per_f]
    vm, fm = statistics.median(v_med), statistics.median(f_med)
    return {
        "urls": len(urls),
        "validate_median_us": vm / 1000,
        "floor_median_us": fm / 1000,
        "ratio": vm / fm,
        "median_of_ratios": statistics.median(v / f for v, f in zip(v_med, f_med)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--quick", action="store_true", help="fewer URLs and rounds")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args(argv)

    from restquery.catalog import Catalog

    corpus, _ = load_corpus(args.corpus.resolve())
    generated = [(None, u) for _, u in generate_urls(500 if args.quick else 3_000)]
    catalog = Catalog.from_json(CATALOG)
    rounds = 3 if args.quick else 7
    res: dict[str, Any] = {"environment": environment()}
    for name, urls in (("corpus", corpus), ("generated", generated)):
        res[name] = {
            "no_catalog": run(urls, None, rounds),
            "catalog": run(urls, catalog, rounds),
        }
    verdicts = []
    lines = [
        f"restquery validate() — {res['environment']['python']}, each URL distinct, beside the"
        " floor urlsplit.__wrapped__ + parse_qsl",
    ]
    for name in ("corpus", "generated"):
        for key, target in (("no_catalog", NO_CATALOG_TARGET), ("catalog", CATALOG_TARGET)):
            r = res[name][key]
            verdict = "PASS" if r["ratio"] <= target else "MISS"
            verdicts.append(verdict)
            label = "without a catalog" if key == "no_catalog" else "with examples/catalog.json"
            lines.append(
                f"  {name:9} {label:27} {r['validate_median_us']:7.1f} µs, floor"
                f" {r['floor_median_us']:5.1f} µs → {r['ratio']:5.1f}×  target ≤ {target:g}×"
                f"  {verdict}   ({r['urls']} URLs)"
            )
    res["pass"] = all(v == "PASS" for v in verdicts)
    print(json.dumps(res, indent=2, ensure_ascii=False) if args.json else "\n".join(lines))
    return 1 if args.check and not res["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
