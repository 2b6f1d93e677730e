#!/usr/bin/env python
"""Throughput and memory of ``restquery lint`` on a large access log.

Usage (from any directory)::

    python benchmarks/lint.py                 # 1,000,000 lines; about 1-2 min on 2 cores
    python benchmarks/lint.py --lines 200000  # quicker
    python benchmarks/lint.py --json          # machine-readable results
    python benchmarks/lint.py --check         # exit 1 if memory grows with the log

What it does: writes a combined-format access log of ``--lines`` lines to a temporary directory
(and a copy of its first quarter), then lints them in fresh processes, exactly as the command
line does (``--format json`` to a file, no configuration):

* ``--jobs 1`` on the quarter log and on the whole log: memory must not grow with the log (logs
  are streamed line by line, findings are written as they come); the report gives both peaks
  and their difference;
* ``--jobs 2`` on the whole log (the log is cut into chunks of whole lines, checked by two
  worker processes, reported in order).

For each run: wall time, CPU time (the process and its workers: on a busy machine wall time
lies, CPU time less), lines/s and URLs/s over wall time, and peak resident memory
(``ru_maxrss``) of the main process and of the largest worker.

The log mixes what a 4D server sees: about 60% REST requests (entities by key, filters, plain
and percent-encoded, attribute lists, entity sets, pictures, ``$catalog``, updates and deletes
with POST), about 3% of them faulty, and static files.

By default (``--mix distinct``) every REST request of the log is a different URL: the linter
caches the last 16,384 distinct (URL, method) pairs per process, and no cache can help here, so
this is the figure to judge (target: at least 20,000 lines per CPU-second, jobs=1, whole log).
``--mix traffic`` draws half the keys from a few hundred hot ones and half from 50,000, so
requests repeat as in real traffic and the cache helps: report that figure beside the other,
never instead of it. The report says how many requests are distinct either way.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

_STATIC = ["/app/index.html", "/app/main.js", "/app/styles.css", "/favicon.ico", "/app/logo.svg",
           "/api/health", "/app/vendor.js", "/robots.txt"]
_AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0", "acme-hr/1.4", "curl/8.5.0",
           "Mozilla/5.0 (Macintosh) Safari/605.1.15"]


def _key(rng: random.Random, top: int) -> int:
    """Half the requests go to a few hundred hot keys, half anywhere in ``1..top``."""
    return rng.randint(1, min(500, top)) if rng.random() < 0.5 else rng.randint(1, top)


#: The target of the distinct mix: lines per CPU-second, jobs=1, on the whole log.
TARGET_LINES_PER_CPU_S = 20_000


def _request(rng: random.Random, i: int, distinct: bool) -> tuple[str, str]:
    """The ``i``-th request of the log; with ``distinct``, a URL no other line has."""
    r = rng.random()
    if r < 0.4:
        return "GET", rng.choice(_STATIC)
    k = i + 1 if distinct else _key(rng, 50_000)
    u = f"{k}" if distinct else ""  # what makes the requests without a key distinct
    r = rng.random()
    if r < 0.03:  # faulty requests
        return "GET", rng.choice([
            f"/rest/Company({k})/blobAtt?$binary=true",
            f"/rest/Employee?$top=abc&$skip={k}",
            f"/rest/Employee?$filtr=%22salary%3E{k}%22",
            f"/rest/Employee?$filter=%22lastName=%27O{k}%22",
        ])
    if r < 0.35:
        return "GET", f"/rest/Employee({k})"
    if r < 0.55:
        salary = k if distinct else 1000 * _key(rng, 200)
        top = rng.choice([10, 20, 50, 100])
        if rng.random() < 0.5:
            return "GET", f"/rest/Employee?$filter=%22salary%3E{salary}%22&$top={top}&$skip={k % 40 * top}"
        return "GET", f'/rest/Employee?$filter="salary>{salary}"&$orderby="lastName"&$top={top}'
    if r < 0.65:
        return "GET", f"/rest/Company({k})?$attributes=name,city,employees.lastName"
    if r < 0.72:
        return "GET", f"/rest/Employee({k})/photo?$imageformat=best&$expand=photo"
    if r < 0.78:
        token = f"{rng.getrandbits(128):032X}"
        return "GET", f"/rest/Employee/$entityset/{token}?$top=20&$skip={k % 10 * 20}"
    if r < 0.84:
        if distinct:
            return "GET", f"/rest/$catalog/Employee{u}"
        return "GET", rng.choice(["/rest/$catalog", "/rest/$catalog/$all", "/rest/$catalog/Employee"])
    if r < 0.92:
        return "POST", f"/rest/Employee{u}?$method=update"
    if r < 0.96:
        return "POST", f"/rest/Employee({k})?$method=delete"
    return "GET", f'/rest/Employee?$filter="lastName begin {chr(65 + k % 26)}{u}"&$method=entityset&$timeout=600'


def generate(path: Path, quarter: Path, lines: int, distinct: bool = True,
             seed: int = 2024) -> dict[str, int]:
    """Write the log (and its first quarter); return counts of lines, REST lines, distinct URLs."""
    rng = random.Random(seed)
    rest = 0
    distinct: set[tuple[str, str]] = set()
    cut = lines // 4
    with open(path, "w", encoding="utf-8") as out, open(quarter, "w", encoding="utf-8") as q:
        buf: list[str] = []
        for i in range(lines):
            method, target = _request(rng, i, distinct)
            if target.startswith("/rest/"):
                rest += 1
                if len(distinct) < 5_000_000:
                    distinct.add((method, target))
            ip = f"10.{i % 7}.{i % 251}.{i % 241}"
            status = 200 if rng.random() < 0.95 else 400
            line = (f'{ip} - - [14/Mar/2025:09:{i // 60000 % 60:02}:{i // 1000 % 60:02} +0100] '
                    f'"{method} {target} HTTP/1.1" {status} {rng.randint(100, 50000)} '
                    f'"http://hr.example.com/app/index.html" "{rng.choice(_AGENTS)}"\n')
            buf.append(line)
            if len(buf) >= 10_000 or i == lines - 1:
                chunk = "".join(buf)
                out.write(chunk)
                if i < cut:
                    q.write(chunk)
                elif i - len(buf) + 1 < cut:
                    q.write("".join(buf[: cut - (i - len(buf) + 1)]))
                buf.clear()
    return {"lines": lines, "rest_lines": rest, "distinct_rest_requests": len(distinct)}


# --- one measured run, in a fresh process --------------------------------------------------------


def _peak_rss_kb() -> int:
    """This process's peak resident memory in KiB: ``VmHWM`` (Linux: reset by ``exec``, unlike
    ``ru_maxrss``, which keeps the high-water mark of the process image ``exec`` replaced)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(log: str, jobs: int, report: str) -> None:
    """Lint ``log`` like the command line and print measurements as one JSON line."""
    sys.path.insert(0, str(REPO))
    from restquery.lint.cli import main

    start = time.perf_counter()
    cpu0 = os.times()
    code = main([log, "--no-config", "--no-progress", "--format", "json", "-o", report,
                 "--jobs", str(jobs)])
    wall = time.perf_counter() - start
    cpu1 = os.times()
    with open(report, "rb") as fh:
        fh.seek(max(0, os.path.getsize(report) - 4096))
        tail = fh.read().decode("utf-8", "replace")
    summary = json.loads(tail[tail.rindex('"summary": ') + len('"summary": '):].rstrip().rstrip("}").strip())
    self_rss = _peak_rss_kb()
    # Workers are forked, not exec'd: their ru_maxrss is their own peak (largest worker).
    worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system) + (
        cpu1.children_user - cpu0.children_user) + (cpu1.children_system - cpu0.children_system)
    print(json.dumps({"exit": code, "wall_s": wall, "cpu_s": cpu, "summary": summary,
                      "peak_rss_kb": self_rss, "peak_worker_rss_kb": worker_rss if jobs > 1 else 0}))


def measure(log: Path, jobs: int, tmp: Path) -> dict[str, Any]:
    report = tmp / f"report-{log.stem}-{jobs}.json"
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(log), str(jobs), str(report)],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        raise SystemExit(f"lint run failed ({proc.returncode}):\n{proc.stderr}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    report.unlink(missing_ok=True)
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lines", type=int, default=1_000_000, help="lines of the log (default 1,000,000)")
    ap.add_argument("--mix", choices=("distinct", "traffic"), default="distinct",
                    help="distinct: every REST request a different URL (default); traffic: "
                    "requests repeat as in real traffic, so the linter's cache helps")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if the peak memory of --jobs 1 grows by more than 25%% (or 20 MB) "
                    "from the quarter log to the whole log")
    ap.add_argument("--child", nargs=3, metavar=("LOG", "JOBS", "REPORT"), help=argparse.SUPPRESS)
    ap.add_argument("--generate", nargs=4, metavar=("LOG", "QUARTER", "LINES", "MIX"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2])
        return 0
    if args.generate:
        log, quarter, lines, mix = args.generate
        print(json.dumps(generate(Path(log), Path(quarter), int(lines), mix == "distinct")))
        return 0

    with tempfile.TemporaryDirectory(prefix="restquery-lint-bench-") as d:
        tmp = Path(d)
        full, quarter = tmp / "access.log", tmp / "access-quarter.log"
        t0 = time.perf_counter()
        # In another process, so that this one stays small: measured processes are started
        # from it, and nothing of the generator's memory must count as theirs.
        gen = subprocess.run(
            [sys.executable, __file__, "--generate", str(full), str(quarter), str(args.lines),
             args.mix],
            capture_output=True, text=True, check=True,
        )
        counts = json.loads(gen.stdout)
        gen_s = time.perf_counter() - t0
        runs = [
            ("jobs=1", quarter, 1, args.lines // 4),
            ("jobs=1", full, 1, args.lines),
            ("jobs=2", full, 2, args.lines),
        ]
        results = []
        for label, log, jobs, lines in runs:
            m = measure(log, jobs, tmp)
            m.update(label=label, lines=lines, bytes=log.stat().st_size,
                     lines_per_s=lines / m["wall_s"], urls_per_s=m["summary"]["urls"] / m["wall_s"],
                     lines_per_cpu_s=lines / m["cpu_s"] if m["cpu_s"] else None)
            results.append(m)
    small, big = results[0], results[1]
    growth_kb = big["peak_rss_kb"] - small["peak_rss_kb"]
    flat = growth_kb <= max(0.25 * small["peak_rss_kb"], 20 * 1024)
    per_cpu = big["lines_per_cpu_s"]
    meets = per_cpu is not None and per_cpu >= TARGET_LINES_PER_CPU_S
    out = {
        "mix": args.mix,
        "lines_per_cpu_s": per_cpu,
        "target_lines_per_cpu_s": TARGET_LINES_PER_CPU_S if args.mix == "distinct" else None,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "log": counts,
        "generate_s": gen_s,
        "runs": results,
        "memory_growth_kb": growth_kb,
        "memory_flat": flat,
    }
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"restquery lint on a generated access log ({args.mix} mix): {counts['lines']:,} lines, "
              f"{counts['rest_lines']:,} REST requests ({counts['distinct_rest_requests']:,} distinct); "
              f"CPython {out['python']}, {out['cpus']} CPUs; generated in {gen_s:.1f} s")
        if out["load_average"]:
            print("load average at the end: " + ", ".join(f"{x:.2f}" for x in out["load_average"])
                  + " (other processes on the machine slow the runs down, jobs=2 most)")
        print(f"{'run':<8} {'lines':>10} {'URLs':>9} {'findings':>9} {'wall s':>7} {'cpu s':>7} "
              f"{'lines/s':>9} {'lines/cpu-s':>11} {'URLs/s':>8} {'peak RSS MB (main/worker)':>26}")
        for m in results:
            s = m["summary"]
            rss = f"{m['peak_rss_kb'] / 1024:.0f}"
            if m["peak_worker_rss_kb"]:
                rss += f" / {m['peak_worker_rss_kb'] / 1024:.0f}"
            print(f"{m['label']:<8} {m['lines']:>10,} {s['urls']:>9,} {s['errors'] + s['warnings']:>9,} "
                  f"{m['wall_s']:>7.1f} {m['cpu_s']:>7.1f} {m['lines_per_s']:>9,.0f} "
                  f"{m['lines_per_cpu_s'] or 0:>11,.0f} {m['urls_per_s']:>8,.0f} {rss:>26}")
        print(f"memory, jobs=1: {small['peak_rss_kb'] / 1024:.1f} MB for {small['lines']:,} lines, "
              f"{big['peak_rss_kb'] / 1024:.1f} MB for {big['lines']:,} lines "
              f"({growth_kb / 1024:+.1f} MB): {'flat' if flat else 'GROWS'}")
        speedup = results[1]["wall_s"] / results[2]["wall_s"]
        print(f"jobs=2 vs jobs=1 on {big['lines']:,} lines: {speedup:.2f}x wall time")
        verdict = ("PASS" if meets else "MISS") if args.mix == "distinct" else "(cache helps: not judged)"
        print(f"lines per CPU-second, jobs=1, whole log: {per_cpu or 0:,.0f}  "
              f"target ≥ {TARGET_LINES_PER_CPU_S:,} {verdict}")
    return 1 if args.check and not flat else 0


if __name__ == "__main__":
    sys.exit(main())
