#!/usr/bin/env python
"""Requests per second through the ASGI middleware against the same app without it.

Usage (from any directory)::

    python benchmarks/server.py [--corpus PATH] [--quick] [--json] [--check]

Three uvicorn servers, each in its own process on a loopback ephemeral port, serve the same
Starlette app: without the middleware (the baseline), behind
``RestQueryMiddleware(catalog=examples/catalog.json, cache_size=0)`` (judged: no verdict cache
can help), and, for information, behind the middleware with its default verdict cache. The
requests are 10 000 distinct targets (``--targets``): those of ``tests/fixtures/doc-examples.tsv``
(relative to the repository root) that the middleware accepts with that catalog, each with its
documented method (GET when none is given), and variants of them with every number redrawn
(seeded), kept when the middleware accepts them; sent in a shuffled cycle.

A load generator in this process keeps ``--connections`` keep-alive HTTP/1.1 connections busy
(one request in flight on each) for ``--seconds`` per round; each round runs the three servers
back to back, in an order rotated every round. Every response is checked: 200 from the app (the
body names the route), anything else aborts the run.

Two readings per server:

* **wall req/s** — requests completed per second, median over rounds, and the *paired* ratio
  (median over rounds of middleware / baseline within the round). On a machine shared with
  other work this moves with the load: the load generator and the servers compete for CPUs.
* **server CPU per request** — the server process's user + system time (``/proc``) over the
  requests it answered in the round, median over rounds; its inverse is the requests/s one
  core sustains. Other processes do not change it.

Target: with the middleware (verdict cache off), at least 80% of the baseline's requests/s,
judged on server CPU per request (on the paired wall-clock ratio where ``/proc`` is missing).
The report prints both ratios and PASS or MISS; the exit status is 0 unless ``--check`` is given
and the target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO / "tests" / "fixtures" / "doc-examples.tsv"
CATALOG = REPO / "examples" / "catalog.json"
TARGET = 0.80

KINDS = {
    "baseline": "the app alone",
    "middleware": "RestQueryMiddleware (cache on, default)",
    "middleware-no-cache": "RestQueryMiddleware (cache_size=0)",
}

# What h11 accepts in a request target: visible ASCII. Everything else is percent-encoded, as a
# client would send it.
_TARGET_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "%")


# ---------------------------------------------------------------------------------------------
# The servers (run in child processes: `server.py --serve KIND`)
# ---------------------------------------------------------------------------------------------


def build_app(kind: str) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def rest(request: Request) -> JSONResponse:
        tree = getattr(request.state, "restquery", None)
        return JSONResponse({"route": "rest", "parsed": tree is not None})

    app: Any = Starlette(
        routes=[Route("/{path:path}", rest, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])]
    )
    if kind == "baseline":
        return app
    from restquery.integrations.asgi import RestQueryMiddleware

    cache_size = 0 if kind == "middleware-no-cache" else 1024
    return RestQueryMiddleware(app, catalog=CATALOG, cache_size=cache_size)


def serve(kind: str) -> int:
    import uvicorn

    # IPPROTO_TCP spelled out: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose
    # proto says TCP, and a plain socket.socket() says 0; with Nagle on, every response waits
    # for the client's delayed ACK (~40 ms).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    config = uvicorn.Config(
        build_app(kind), log_level="warning", access_log=False, lifespan="off", backlog=1024
    )
    print(sock.getsockname()[1], flush=True)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


class Server:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", kind],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.strip().isdigit():
            self.stop()
            raise RuntimeError(f"the {kind} server did not start")
        self.port = int(line)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the {kind} server does not accept connections")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


# ---------------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------------


def to_target(url: str) -> str:
    """The request target a client would send for a URL of the corpus."""
    if not url.startswith("/") and "/rest" in url:
        # `http://127.0.0.1:8081/rest/...`, `{{ApiEndpoint}}/rest/...`: the origin is not part
        # of the request target.
        url = url[url.index("/rest") :]
    return urllib.parse.quote(url, safe=_TARGET_SAFE + "%")


def load_targets(path: Path) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """Distinct ``(method, target)`` pairs of the corpus that the middleware accepts."""
    from restquery.integrations._core import Checker

    checker = Checker(catalog=CATALOG, cache_size=0)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    url_col = header.index("url")
    method_col = header.index("method") if "method" in header else None
    counts = {"rows": 0, "duplicates": 0, "refused": 0, "not_rest": 0}
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line.strip():
            continue
        cols = line.split("\t")
        counts["rows"] += 1
        method = ((cols[method_col] if method_col is not None else "") or "GET").upper()
        target = to_target(cols[url_col])
        if not target.startswith("/rest"):
            counts["not_rest"] += 1
            continue
        if (method, target) in seen:
            counts["duplicates"] += 1
            continue
        seen.add((method, target))
        if not checker.check(method, target).ok:
            counts["refused"] += 1
            continue
        out.append((method, target))
    counts["kept"] = len(out)
    return out, counts


_DIGITS = re.compile(r"[0-9]+")


def distinct_targets(
    templates: list[tuple[str, str]], n: int, seed: int = 20261203
) -> list[tuple[str, str]]:
    """``n`` distinct accepted targets made from the corpus ones: every run of digits (keys,
    ``$top``, filter values, ``$params``, entity-set IDs) redrawn with as many digits, seeded,
    and kept when the middleware's checker accepts the result. Every request a server sees
    is then new to it: no verdict cache can help."""
    from restquery.integrations._core import Checker

    checker = Checker(catalog=CATALOG, cache_size=0)
    rng = random.Random(seed)
    variable = [(m, t) for m, t in templates if _DIGITS.search(t)]
    out = list(dict.fromkeys(templates))
    seen = set(out)
    attempts = 0
    while len(out) < n and variable and attempts < 20 * n:
        attempts += 1
        method, target = variable[attempts % len(variable)]

        def redraw(m: re.Match[str]) -> str:
            width = len(m.group())
            low = 10 ** (width - 1) if width > 1 else 1
            return str(rng.randint(low, 10**width - 1))

        made = (method, _DIGITS.sub(redraw, target))
        if made in seen:
            continue
        seen.add(made)
        if checker.check(*made).ok:
            out.append(made)
    return out[:n]


# ---------------------------------------------------------------------------------------------
# Load generator
# ---------------------------------------------------------------------------------------------


async def _connection(
    port: int, requests: list[bytes], start: int, stop_at: float, counter: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = start
    try:
        while time.perf_counter() < stop_at:
            writer.write(requests[i % len(requests)])
            i += 1
            head = await reader.readuntil(b"\r\n\r\n")
            status = head[9:12]
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length)
            if status != b"200" or b'"route":"rest"' not in body:
                raise RuntimeError(f"unexpected answer {head[:40]!r} {body[:200]!r}")
            counter[0] += 1
    finally:
        writer.close()


async def _round(
    port: int, requests: list[bytes], connections: int, seconds: float
) -> tuple[float, int]:
    counter = [0]
    t0 = time.perf_counter()
    stop_at = t0 + seconds
    step = max(1, len(requests) // connections)
    await asyncio.gather(
        *(_connection(port, requests, k * step, stop_at, counter) for k in range(connections))
    )
    return counter[0] / (time.perf_counter() - t0), counter[0]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux ``/proc``; ``None`` elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    servers: dict[str, Server],
    targets: list[tuple[str, str]],
    rounds: int,
    seconds: float,
    connections: int,
) -> dict[str, dict[str, list[float]]]:
    """Per server: requests/s of each round, and server CPU seconds per 1000 requests."""
    rng = random.Random(1234)
    order = list(targets)
    rng.shuffle(order)
    requests = [
        f"{m} {t} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n".encode("ascii")
        for m, t in order
    ]
    kinds = list(servers)
    out: dict[str, dict[str, list[float]]] = {k: {"rps": [], "cpu_us": []} for k in kinds}
    for kind in kinds:  # warm-up: imports, parser tables, caches
        asyncio.run(_round(servers[kind].port, requests, connections, min(seconds, 1.0)))
    for r in range(rounds):
        for kind in kinds[r % len(kinds) :] + kinds[: r % len(kinds)]:
            pid = servers[kind].proc.pid
            cpu0 = cpu_seconds(pid)
            rps, count = asyncio.run(_round(servers[kind].port, requests, connections, seconds))
            cpu1 = cpu_seconds(pid)
            out[kind]["rps"].append(rps)
            if cpu0 is not None and cpu1 is not None and count:
                out[kind]["cpu_us"].append((cpu1 - cpu0) * 1e6 / count)  # µs per request
    return out


def environment() -> dict[str, Any]:
    import importlib.metadata as md

    def version(name: str) -> str | None:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return None

    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "uvicorn": version("uvicorn"),
        "starlette": version("starlette"),
        "httptools": version("httptools"),
        "lark_cython": version("lark-cython"),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="TSV with a url column")
    ap.add_argument("--quick", action="store_true", help="fewer, shorter rounds (a few seconds)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    ap.add_argument("--rounds", type=int, help="rounds per server (default 10, quick 3)")
    ap.add_argument("--seconds", type=float, help="seconds per round (default 1, quick 0.5)")
    ap.add_argument("--connections", type=int, default=32, help="keep-alive connections (32)")
    ap.add_argument("--targets", type=int, help="distinct request targets (default 10 000)")
    ap.add_argument("--serve", choices=list(KINDS), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        return serve(args.serve)
    rounds = args.rounds or (3 if args.quick else 10)
    seconds = args.seconds or (0.5 if args.quick else 1.0)

    corpus = args.corpus.resolve()
    templates, counts = load_targets(corpus)
    if not templates:
        print(f"no request of {corpus} is accepted", file=sys.stderr)
        return 2
    targets = distinct_targets(templates, args.targets or (2_000 if args.quick else 10_000))
    counts["distinct_targets"] = len(targets)
    servers: dict[str, Server] = {}
    try:
        for kind in KINDS:
            servers[kind] = Server(kind)
        results = measure(servers, targets, rounds, seconds, args.connections)
    finally:
        for s in servers.values():
            s.stop()

    rps = {k: statistics.median(v["rps"]) for k, v in results.items()}
    # Paired: each round runs the servers back to back, so a round's ratio compares like with
    # like even when the machine's load drifts between rounds.
    paired = {
        k: statistics.median(m / b for m, b in zip(results[k]["rps"], results["baseline"]["rps"]))
        for k in KINDS
    }
    cpu_us = {
        k: statistics.median(v["cpu_us"]) if v["cpu_us"] else None for k, v in results.items()
    }
    base_cpu = cpu_us["baseline"]
    cpu_ratio: dict[str, float | None] = {}
    for k in KINDS:
        kind_cpu = cpu_us[k]
        cpu_ratio[k] = base_cpu / kind_cpu if base_cpu and kind_cpu else None
    # The verdict: server CPU per request when it can be read (immune to other processes on
    # the machine), else the paired wall-clock ratio.
    # Judged with the verdict cache off: the targets are all distinct, and a cache must not
    # flatter the figure; the cached middleware is reported beside it.
    judged = "middleware-no-cache"
    ratio = cpu_ratio[judged] if cpu_ratio[judged] is not None else paired[judged]
    ok = ratio >= TARGET
    res: dict[str, Any] = {
        "environment": environment(),
        "corpus": {"path": os.path.relpath(corpus, REPO), **counts},
        "settings": {"rounds": rounds, "seconds": seconds, "connections": args.connections},
        "requests_per_second": rps,
        "paired_ratio": paired,
        "server_cpu_us_per_request": cpu_us,
        "cpu_ratio": cpu_ratio,
        "rounds": results,
        "ratio": ratio,
        "target": TARGET,
        "pass": ok,
    }
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        c = counts
        print(
            f"corpus {res['corpus']['path']}: {c['rows']} rows, {c['kept']} distinct targets "
            f"accepted ({c['refused']} refused by the checker, {c['duplicates']} duplicates, "
            f"{c['not_rest']} not under /rest); {c['distinct_targets']} distinct targets sent, "
            "made from them with their numbers redrawn"
        )
        print(
            f"{rounds} rounds × {seconds:g} s per server, {args.connections} keep-alive "
            f"connections, loopback, Python {platform.python_version()}, {os.cpu_count()} CPUs"
        )
        print(
            f"  {'':<40} {'wall req/s':>10} {'paired':>7} {'server CPU/req':>15} {'CPU-bound req/s':>16}"
        )
        for kind, what in KINDS.items():
            cpu = cpu_us[kind]
            cpu_text = f"{cpu:12.0f} µs" if cpu else f"{'n/a':>15}"
            cap = f"{1e6 / cpu:16,.0f}" if cpu else f"{'n/a':>16}"
            print(f"  {what:<40} {rps[kind]:>10,.0f} {paired[kind]:>7.0%} {cpu_text} {cap}")
        how = "server CPU per request" if cpu_ratio[judged] is not None else "paired wall clock"
        verdict = "PASS" if ok else "MISS"
        print(
            f"middleware without its verdict cache / baseline = {ratio:.2f} by {how} "
            f"(paired wall clock {paired[judged]:.2f}); target ≥ {TARGET:.2f}  {verdict}"
        )
        cached = cpu_ratio["middleware"] if cpu_ratio["middleware"] is not None else paired["middleware"]
        print(f"with the cache on (default), on the same distinct targets: {cached:.2f}")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
