"""``restquery fuzz``: attack a running 4D REST server (or ``restquery serve``) with generated
requests, and report what broke, each with a ``curl`` line that reproduces it.

Three kinds of request, drawn from :mod:`restquery.strategies` for the target's catalog:

* **valid** — ``urls(catalog, method=…, encode=True)``, sent with GET and with POST: each must
  be *accepted*: a 2xx, or a 401, 402 or 404 with a 4D ``__ERROR`` body (states of the server,
  not verdicts on the URL: a key or an entity set that does not exist there, a session);
* **invalid** — ``invalid_urls(catalog)`` whose code restquery reports as an error: each must be
  *refused*: a 4xx with a 4D ``__ERROR`` body (the ``error`` shape of
  ``restquery/serve/responses.schema.json``);
* **near-miss** — a valid URL with one random edit (a character dropped, doubled or inserted, a
  stray delimiter, a truncation, a bad escape, an oversized number): the server may accept or
  refuse, but never answer 5xx, hang or drop the connection.

Requests go to ``target`` only (its scheme, host, port and path prefix), at most
``concurrency`` at a time, each within ``timeout`` seconds, all within ``max_time``; redirects
are not followed. The same ``seed`` draws the same requests in the same order.

>>> from restquery.fuzz import near_miss
>>> import random
>>> near_miss("/rest/Employee?$top=10", random.Random(1)) != "/rest/Employee?$top=10"
True

Needs Hypothesis and httpx: ``pip install "restquery[fuzz]"``.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import shlex
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Case", "Failure", "Result", "cases", "configure", "fuzz", "near_miss", "run", "send"]

#: Statuses a valid request may get that say something about the server's data or sessions,
#: not about the URL (spec §8.1), when the body is a 4D ``__ERROR`` stack.
STATES = frozenset({401, 402, 404})

#: What the URL may not contain raw on the wire: encoded, every other byte is sent as written.
_WIRE_SAFE = "!$&'()*+,/:;=?@[]~%-._"

#: The content type of every body sent (the curl lines say the same).
_CONTENT_TYPE = "application/json"

_EDIT_CHARACTERS = ["$", "&", "=", "(", ")", "[", "]", "/", "%22", "'", "?", "%", ":", ",", ".", "%20", "%00",
                    "%ZZ", "%C3", "@", "\\", "{", "}", "*", "!"]


@dataclass(frozen=True)
class Case:
    """One request: its ``kind`` (``valid``, ``invalid``, ``near-miss``), verb, URL (origin
    form, wire-encoded), the code restquery reports for an invalid one, and its body."""

    index: int
    kind: str
    method: str
    url: str
    code: str | None = None
    body: bytes | None = None


@dataclass(frozen=True)
class Failure:
    """A request that broke an expectation, and how to send it again."""

    case: Case
    problem: str
    status: int | None
    excerpt: str
    curl: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.case.index, "kind": self.case.kind, "method": self.case.method, "url": self.case.url,
                "expected_code": self.case.code, "status": self.status, "problem": self.problem,
                "excerpt": self.excerpt, "curl": self.curl}


@dataclass
class Result:
    """What a run sent and found."""

    target: str
    seed: int
    examples: int
    cases: list[Case] = field(default_factory=list)
    statuses: dict[int, int | None] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    not_sent: int = 0
    elapsed: float = 0.0

    def counts(self) -> dict[str, dict[str, int]]:
        """Per kind, how many requests got each status (``"error"``: no response)."""
        out: dict[str, Counter[str]] = {}
        for case in self.cases:
            if case.index in self.statuses:
                status = self.statuses[case.index]
                out.setdefault(case.kind, Counter())[str(status) if status is not None else "error"] += 1
        return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "seed": self.seed, "examples": self.examples,
                "sent": len(self.statuses), "not_sent": self.not_sent, "elapsed": round(self.elapsed, 3),
                "counts": self.counts(), "failures": [f.to_dict() for f in sorted(self.failures, key=lambda f: f.case.index)]}

    def to_junit(self) -> str:
        """A JUnit XML report: a test case per request sent, a ``<failure>`` per failure."""
        import xml.etree.ElementTree as ET

        failed = {f.case.index: f for f in self.failures}
        suite = ET.Element("testsuite", name="restquery fuzz", tests=str(len(self.statuses)),
                           failures=str(len(self.failures)), errors="0", skipped=str(self.not_sent),
                           time=f"{self.elapsed:.3f}")
        props = ET.SubElement(suite, "properties")
        for name, value in (("target", self.target), ("seed", str(self.seed))):
            ET.SubElement(props, "property", name=name, value=value)
        for case in self.cases:
            if case.index not in self.statuses:
                continue
            tc = ET.SubElement(suite, "testcase", classname=f"restquery.fuzz.{case.kind}",
                               name=_xml_text(f"{case.method} {case.url}"))
            failure = failed.get(case.index)
            if failure is not None:
                ET.SubElement(tc, "failure", message=_xml_text(failure.problem), type=case.kind).text = _xml_text(
                    f"{failure.problem}\n{failure.curl}\n{failure.excerpt}")
        return str(ET.tostring(suite, encoding="unicode", xml_declaration=True)) + "\n"


def _xml_text(text: str) -> str:
    return "".join(c if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd") or c > "\uffff" else "?" for c in text)


def wire(url: str) -> str:
    """``url`` as an HTTP client sends it: what may not stand raw in a request target
    percent-encoded, every escape the URL already has kept."""
    return urllib.parse.quote(url, safe=_WIRE_SAFE)


def near_miss(url: str, rng: random.Random) -> str:
    """``url`` with one random edit."""
    if not url:
        return "/"
    n = rng.randrange(len(url))
    edit = rng.randrange(8)
    if edit == 0:
        out = url[:n] + url[n + 1 :]
    elif edit == 1:
        out = url[:n] + url[n] + url[n:]
    elif edit == 2:
        out = url[:n] + rng.choice(_EDIT_CHARACTERS) + url[n:]
    elif edit == 3:
        out = url[: max(n, 6)]
    elif edit == 4 and n + 1 < len(url):
        out = url[:n] + url[n + 1] + url[n] + url[n + 2 :]
    elif edit == 5:
        out = url[:n] + rng.choice(["(" * 64, "9" * 40, "%" * 8, "'" * 3, "&" * 16, "$filter=", "?", "[]"]) + url[n:]
    elif edit == 6:
        out = url + rng.choice(["&", "&$top=-1", "&$filter=", "&$skip=99999999999999999999", "&&", "/", "/..", "#x"])
    else:
        out = url.replace("=", rng.choice(["==", "=%", "=&", ""]), 1)
    return out if out != url else url + "&"


def _body(method: str, url: str) -> bytes | None:
    """The body a request needs: ``[]`` for a function call or ``$release``, ``{}`` for an
    update, a few bytes for ``$upload``; none for GET."""
    if method == "GET":
        return None
    import restquery
    from restquery.errors import RestQueryError
    from restquery.shape import classify

    try:
        request = restquery.parse(url, method=method)
    except RestQueryError:
        return b"{}"
    shape = classify(request)
    if shape.resource == "upload":
        return b"restquery fuzz upload"
    if shape.release or shape.tail_kind == "function" or shape.function is not None or shape.resource in ("singleton", "catalog"):
        return b"[]"
    return b"{}"


def cases(catalog: Any, *, examples: int = 100, seed: int = 0) -> list[Case]:
    """The requests of a run: ``examples`` valid GET and POST requests each, ``examples``
    invalid ones and ``examples`` near-misses, in a fixed order for ``seed``."""
    import restquery
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    from restquery.strategies import invalid_urls, urls

    drawn: dict[str, list[Any]] = {"GET": [], "POST": [], "invalid": []}
    options = settings(max_examples=max(examples, 1), database=None, deadline=None, phases=[Phase.generate],
                       suppress_health_check=list(HealthCheck), derandomize=False)

    def draw(name: str, strategy: Any) -> None:
        @hypothesis_seed(seed)
        @options
        @given(strategy)
        def collect(value: Any) -> None:
            if len(drawn[name]) < examples:
                drawn[name].append(value)

        collect()

    draw("GET", urls(catalog, method="GET", encode=True))
    draw("POST", urls(catalog, method="POST", encode=True))
    draw("invalid", invalid_urls(catalog))
    out: list[Case] = []

    def add(kind: str, method: str, url: str, code: str | None = None) -> None:
        out.append(Case(len(out), kind, method, url, code, _body(method, url)))

    for method in ("GET", "POST"):
        for url in drawn[method]:
            add("valid", method, url)
    for case in drawn["invalid"]:
        method = case.method or "GET"
        # judged as sent: encoding for the wire may mend what was wrong (a raw space)
        sent = _origin_form(wire(case.url))
        errors = [d.code for d in restquery.validate(sent, catalog=catalog, method=method) if d.severity == "error"]
        if errors:
            add("invalid", method, sent, case.code if case.code in errors else errors[0])
    rng = random.Random(seed)
    valid = drawn["GET"] + drawn["POST"]
    for _ in range(examples if valid else 0):
        method = rng.choice(("GET", "POST"))
        add("near-miss", method, _origin_form(wire(near_miss(rng.choice(valid), rng))))
    return out


def _origin_form(url: str) -> str:
    """The path and query of ``url``: a URL naming another origin is sent to the target."""
    if url.startswith("/"):
        return url
    parts = urllib.parse.urlsplit(url)
    if parts.scheme and parts.netloc:
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return "/" + url


def curl_line(target: str, case: Case, header_names: Sequence[str] = ()) -> str:
    """A ``curl`` command that sends ``case`` again, byte for byte; the values of the run's own
    headers (``header_names``: credentials, as a rule) are left out, as ``***``."""
    words = ["curl", "-sS", "--globoff", "--path-as-is", "-X", case.method, _join(target, case.url)]
    for name in header_names:
        words += ["-H", f"{name}: ***"]
    if case.body is not None:
        words += ["-H", f"content-type: {_CONTENT_TYPE}", "--data-binary", case.body.decode("utf-8", "replace")]
    return " ".join(shlex.quote(w) for w in words)


def _join(target: str, url: str) -> str:
    return target.rstrip("/") + url


@functools.cache
def _error_validator() -> Any:
    """The validator of 4D's ``__ERROR`` body, built once."""
    import jsonschema  # type: ignore[import-untyped]

    from restquery.serve._documents import response_schema

    return jsonschema.Draft202012Validator(response_schema("error"))


def _is_4d_error(body: bytes) -> bool:
    try:
        doc = json.loads(body)
    except ValueError:
        return False
    return bool(_error_validator().is_valid(doc))


def _judge(case: Case, status: int | None, body: bytes, problem: str | None) -> str | None:
    """What is wrong with the answer to ``case``, or ``None``."""
    if problem is not None:
        return problem
    assert status is not None
    if status >= 500:
        return f"server error {status}"
    if case.kind == "valid":
        if 200 <= status < 300:
            return None
        if status in STATES and _is_4d_error(body):
            return None
        return f"a valid request was refused ({status})"
    if case.kind == "invalid":
        if 400 <= status < 500:
            return None if _is_4d_error(body) else f"refused ({status}) without a 4D __ERROR body"
        return f"an invalid request was accepted ({status}; restquery reports {case.code})"
    return None


async def send(target: str, batch: Sequence[Case], *, concurrency: int = 8, timeout: float = 10.0,
               max_time: float = 300.0, headers: Mapping[str, str] | None = None, result: Result) -> None:
    """Send ``batch`` to ``target`` (with ``headers`` on every request) and record statuses
    and failures in ``result``."""
    import asyncio

    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    slots = asyncio.Semaphore(concurrency)
    deadline = time.monotonic() + max_time
    base = httpx.URL(target)

    names = list(headers or {})
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(timeout), follow_redirects=False,
                                 trust_env=False, headers=dict(headers or {})) as client:

        async def one(case: Case) -> None:
            async with slots:
                if time.monotonic() > deadline:
                    result.not_sent += 1
                    return
                path, _, query = case.url.partition("?")
                raw = (base.raw_path.split(b"?")[0].rstrip(b"/") + path.encode("ascii", "replace")
                       + (b"?" + query.encode("ascii", "replace") if "?" in case.url else b""))
                url = base.copy_with(raw_path=raw)
                headers = {"content-type": _CONTENT_TYPE} if case.body is not None else {}
                status, body, problem = None, b"", None
                try:
                    response = await client.request(case.method, url, content=case.body, headers=headers)
                    status, body = response.status_code, response.content
                except httpx.TimeoutException:
                    problem = f"no response within {timeout:g} s (a hang)"
                except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                    problem = f"the connection was dropped ({type(exc).__name__})"
                except httpx.HTTPError as exc:
                    problem = f"the request failed: {type(exc).__name__}: {exc}"
                result.statuses[case.index] = status
                verdict = _judge(case, status, body, problem)
                if verdict is not None:
                    excerpt = body[:300].decode("utf-8", "replace")
                    result.failures.append(Failure(case, verdict, status, excerpt, curl_line(target, case, names)))

        await asyncio.gather(*(one(c) for c in batch))


def fuzz(target: str, catalog: Any, *, examples: int = 100, seed: int = 0, concurrency: int = 8,
         timeout: float = 10.0, max_time: float = 300.0, headers: Mapping[str, str] | None = None) -> Result:
    """Run :func:`cases` against ``target`` (``http://127.0.0.1:8044``), sending ``headers``
    (a session cookie, an ``Authorization``) with every request."""
    import asyncio

    started = time.monotonic()
    result = Result(target=target, seed=seed, examples=examples, cases=cases(catalog, examples=examples, seed=seed))
    asyncio.run(send(target, result.cases, concurrency=concurrency, timeout=timeout, max_time=max_time,
                     headers=headers, result=result))
    result.failures.sort(key=lambda f: f.case.index)
    result.elapsed = time.monotonic() - started
    return result


def configure(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``restquery fuzz`` to ``p``."""
    from restquery.cli import PROJECT_HELP
    from restquery.integrations.proxy import _count, _seconds

    p.add_argument("--target", required=True, metavar="URL",
                   help="the server to attack, e.g. http://127.0.0.1:8044 (requests go nowhere else)")
    schema = p.add_mutually_exclusive_group(required=True)
    schema.add_argument("--catalog", metavar="FILE", help="the target's $catalog/$all JSON document")
    schema.add_argument("--project", metavar="DIR", help=PROJECT_HELP)
    p.add_argument("--examples", type=_count, default=100, metavar="N",
                   help="requests of each kind: valid GET, valid POST, invalid, near-miss (default: 100)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="the same seed sends the same requests (default: 0)")
    p.add_argument("--concurrency", type=_count, default=8, metavar="N", help="requests in flight at once (default: 8)")
    p.add_argument("--timeout", type=_seconds, default=10.0, metavar="SECONDS",
                   help="a request not answered within this long is a hang (default: 10)")
    p.add_argument("--max-time", type=_seconds, default=300.0, metavar="SECONDS",
                   help="send nothing more after this long (default: 300)")
    p.add_argument("--header", action="append", default=[], metavar="'NAME: VALUE'",
                   help="send this header with every request, e.g. a session cookie (repeatable; "
                   "its value is masked in curl lines and reports)")
    p.add_argument("--report", metavar="FILE", help="write a report: FILE.json (JSON) or FILE.xml (JUnit)")


def run(args: argparse.Namespace) -> int:
    """Fuzz the target; 0 when nothing broke, 1 on failures (a usage error exits 2)."""

    from restquery.cli import _UsageError, require, schema_argument

    require("fuzz", "httpx", "hypothesis", "jsonschema")
    target = args.target
    parts = urllib.parse.urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise _UsageError(f"--target must be an http:// or https:// URL with a host and no query, not {target!r}")
    if args.report and Path(args.report).suffix.lower() not in (".json", ".xml"):
        raise _UsageError(f"--report must name a .json or .xml file, not {args.report!r}")
    headers: dict[str, str] = {}
    for text in args.header:
        name, colon, value = text.partition(":")
        if not colon or not name.strip() or any(c in name for c in " \t\r\n") or "\n" in value or "\r" in value:
            raise _UsageError(f"--header takes 'NAME: VALUE', not {text!r}")
        headers[name.strip()] = value.strip()
    catalog = schema_argument(args)
    result = fuzz(target, catalog, examples=args.examples, seed=args.seed, concurrency=args.concurrency,
                  timeout=args.timeout, max_time=args.max_time, headers=headers)
    if result.statuses and all(f.problem.startswith("the request failed: ConnectError") for f in result.failures) \
            and len(result.failures) == len(result.statuses):
        raise _UsageError(f"nothing answers at {target}: is the server running?")
    out = sys.stdout
    for failure in result.failures:
        case = failure.case
        out.write(f"FAIL {case.kind} #{case.index} {case.method} {case.url}\n  {failure.problem}\n  {failure.curl}\n")
    kinds = Counter(c.kind for c in result.cases if c.index in result.statuses)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    late = f", {result.not_sent} not sent (--max-time)" if result.not_sent else ""
    for kind, statuses in result.counts().items():
        out.write(f"  {kind}: " + ", ".join(f"{n} × {s}" for s, n in statuses.items()) + "\n")
    out.write(f"restquery fuzz: {len(result.statuses)} requests to {target} ({summary}) in {result.elapsed:.1f} s, "
              f"seed {result.seed}{late}: {len(result.failures)} failure{'s' if len(result.failures) != 1 else ''}\n")
    valid = result.counts().get("valid", {})
    if valid and valid.get("401", 0) > sum(valid.values()) / 2:
        sys.stderr.write("restquery fuzz: most valid requests were answered 401: does the server want a session "
                         "(--header 'Cookie: WASID4D=...')?\n")
    if args.report:
        text = json.dumps(result.to_dict(), indent=2) + "\n" if args.report.lower().endswith(".json") else result.to_junit()
        try:
            Path(args.report).write_text(text, encoding="utf-8")
        except OSError as err:
            raise _UsageError(f"cannot write {args.report}: {err.strerror or err}") from None
    return 1 if result.failures else 0
