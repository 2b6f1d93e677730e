"""``restquery fuzz`` against real servers on 127.0.0.1: ``restquery serve`` (a subprocess)
comes out with no failure, the same seed sends the same requests, and a deliberately broken
server has each of its faults reported, each with a ``curl`` line that reproduces it; requests
go only where ``--target`` says."""

from __future__ import annotations

import asyncio
import json
import shlex
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import restquery
from restquery.fuzz import cases, fuzz, near_miss
from tests.integrations.conftest import serve_asgi
from tests.serve_helpers import CATALOG, REPO, restquery_cli, serve

httpx = pytest.importorskip("httpx")
jsonschema = pytest.importorskip("jsonschema")

CAT = restquery.Catalog.from_json(CATALOG)
REPORT_SCHEMA = json.loads((REPO / "restquery" / "fuzz-report.schema.json").read_text(encoding="utf-8"))


def _report(path: Path) -> dict[str, Any]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(doc)
    return doc  # type: ignore[no-any-return]


def test_serve_comes_out_clean(tmp_path: Path) -> None:
    with serve("--catalog", str(CATALOG)) as url:
        done = restquery_cli("fuzz", "--target", url, "--catalog", str(CATALOG), "--examples", "60", "--seed", "4",
                             "--report", str(tmp_path / "fuzz.json"))
        junit = restquery_cli("fuzz", "--target", url, "--catalog", str(CATALOG), "--examples", "20",
                              "--report", str(tmp_path / "fuzz.xml"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith(": 0 failures")
    report = _report(tmp_path / "fuzz.json")
    counts = report["counts"]
    assert report["failures"] == [] and report["sent"] == sum(n for k in counts.values() for n in k.values())
    assert set(counts) == {"valid", "invalid", "near-miss"}
    assert counts["valid"].get("200", 0) > 0 and all(s < "300" or s in ("401", "402", "404") for s in counts["valid"])
    assert all("400" <= s < "500" for s in counts["invalid"])
    assert junit.returncode == 0
    suite = ET.parse(tmp_path / "fuzz.xml").getroot()
    assert suite.tag == "testsuite" and suite.get("failures") == "0"
    assert int(suite.get("tests", "0")) == len(suite.findall("testcase")) > 40


def test_the_same_seed_sends_the_same_requests() -> None:
    first = cases(CAT, examples=25, seed=11)
    assert first == cases(CAT, examples=25, seed=11)
    assert first != cases(CAT, examples=25, seed=12)
    assert {c.kind for c in first} == {"valid", "invalid", "near-miss"}
    # one at a time against fresh servers, the whole run is the same
    runs = []
    for _ in range(2):
        with serve("--catalog", str(CATALOG)) as url:
            result = fuzz(url, CAT, examples=25, seed=11, concurrency=1)
        runs.append((result.counts(), [f.to_dict() for f in result.failures], result.statuses))
    assert runs[0] == runs[1]


def test_near_misses_are_one_edit_away() -> None:
    import random

    rng = random.Random(5)
    url = "/rest/Employee?$filter=\"salary>1000\"&$top=10"
    edits = {near_miss(url, rng) for _ in range(200)}
    assert url not in edits and len(edits) > 100


class Broken:
    """A server with faults: a 500 when the URL has ``$orderby``, a hang on ``$skip``, a 200
    to anything with ``$top`` (invalid or not), a 400 with a plain-text body on ``$expand``;
    otherwise the stand-in's answer. It records every request it gets."""

    def __init__(self, inner: Any, prefix: str) -> None:
        self.inner = inner
        self.prefix = prefix
        self.seen: list[tuple[str, bytes, str]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.inner(scope, receive, send)
        raw = scope["raw_path"] + (b"?" + scope["query_string"] if scope["query_string"] else b"")
        host = dict(scope["headers"]).get(b"host", b"").decode()
        self.seen.append((scope["method"], raw, host))
        target = raw.decode("latin-1")

        async def reply(status: int, body: bytes, kind: bytes = b"application/json") -> None:
            await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", kind)]})
            await send({"type": "http.response.body", "body": body})

        if "$orderby" in target or "%24orderby" in target:
            return await reply(500, b"<h1>Internal Server Error</h1>", b"text/html")
        if "$skip" in target:
            await asyncio.sleep(3)
            return await reply(200, b"{}")
        if "$top" in target:
            return await reply(200, b"{}")
        if "$expand" in target:
            return await reply(400, b"bad request", b"text/plain")
        path = scope["raw_path"][len(self.prefix):]
        inner_scope = {**scope, "raw_path": path, "path": scope["path"][len(self.prefix):]}
        return await self.inner(inner_scope, receive, send)


@pytest.fixture(scope="module")
def broken() -> Iterator[tuple[Broken, str]]:
    from restquery.serve import create_app

    app = Broken(create_app(CAT), "/base")
    with serve_asgi(app) as url:
        yield app, url + "/base"


def test_a_broken_server_has_each_fault_reported(broken: tuple[Broken, str], tmp_path: Path) -> None:
    app, target = broken
    result = fuzz(target, CAT, examples=80, seed=2, timeout=1, concurrency=16)
    problems = {f.problem.split(" (")[0].split(" within")[0] for f in result.failures}
    assert "server error 500" in problems
    assert "no response" in problems  # the hang
    assert any(p.startswith("an invalid request was accepted") for p in problems)
    assert "a valid request was refused" in problems
    assert any(f.problem.startswith("refused") and "__ERROR" in f.problem for f in result.failures)
    # every request went to the target: its host and its path prefix
    netloc = target.split("//", 1)[1].split("/", 1)[0]
    assert app.seen and all(raw.startswith(b"/base/") and host == netloc for _, raw, host in app.seen)
    # each curl line sends the same request again
    with httpx.Client(timeout=5) as client:
        for failure in [f for f in result.failures if f.status is not None][:25]:
            words = shlex.split(failure.curl)
            assert words[:6] == ["curl", "-sS", "--globoff", "--path-as-is", "-X", failure.case.method]
            again = client.request(words[5], httpx.URL(words[6]), content=failure.case.body)
            assert again.status_code == failure.status, failure.curl


def test_the_command_exits_1_and_writes_both_reports(broken: tuple[Broken, str], tmp_path: Path) -> None:
    _, target = broken
    done = restquery_cli("fuzz", "--target", target, "--catalog", str(CATALOG), "--examples", "30", "--seed", "2",
                         "--timeout", "1", "--report", str(tmp_path / "r.json"))
    assert done.returncode == 1
    fails = [line for line in done.stdout.splitlines() if line.startswith("FAIL ")]
    report = _report(tmp_path / "r.json")
    assert len(fails) == len(report["failures"]) > 0
    assert done.stdout.count("\n  curl -sS ") == len(fails)
    assert done.stdout.rstrip().endswith(f": {len(fails)} failures")
    xml_run = restquery_cli("fuzz", "--target", target, "--catalog", str(CATALOG), "--examples", "30", "--seed", "2",
                            "--timeout", "1", "--report", str(tmp_path / "r.xml"))
    suite = ET.parse(tmp_path / "r.xml").getroot()
    failed = suite.findall("testcase/failure")
    assert xml_run.returncode == 1 and int(suite.get("failures", "0")) == len(failed) == len(report["failures"])
    assert all("curl -sS" in (f.text or "") for f in failed)


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    for args in (["--target", "ftp://127.0.0.1", "--catalog", str(CATALOG)],
                 ["--target", "http://127.0.0.1:9", "--catalog", str(CATALOG), "--report", str(tmp_path / "r.txt")],
                 ["--target", "http://127.0.0.1:9"],
                 ["--target", "http://127.0.0.1:9", "--catalog", str(tmp_path / "missing.json")],
                 ["--target", "http://127.0.0.1:9", "--catalog", str(CATALOG), "--examples", "3"]):  # no server
        done = restquery_cli("fuzz", *args)
        assert done.returncode == 2 and "Traceback" not in done.stderr, args
        assert "error: " in done.stderr.splitlines()[-1], done.stderr


class Guarded:
    """The stand-in behind a bearer token (401 with a 4D __ERROR without it), with a 500 on
    `$orderby` so that failures show their curl lines."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            target = scope["query_string"].decode("latin-1")
            status = 500 if "orderby" in target else 401 if headers.get(b"authorization") != b"Bearer s3cret" else 0
            if status:
                body = json.dumps({"__ERROR": [{"message": "no", "componentSignature": "dbmg", "errCode": 1}]})
                await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]})
                await send({"type": "http.response.body", "body": body.encode()})
                return
        await self.inner(scope, receive, send)


def test_headers_go_with_every_request_and_stay_out_of_the_output(tmp_path: Path) -> None:
    from restquery.serve import create_app

    with serve_asgi(Guarded(create_app(CAT))) as url:
        anonymous = restquery_cli("fuzz", "--target", url, "--catalog", str(CATALOG), "--examples", "20")
        signed = restquery_cli("fuzz", "--target", url, "--catalog", str(CATALOG), "--examples", "20",
                               "--header", "Authorization: Bearer s3cret", "--report", str(tmp_path / "r.json"))
    assert "most valid requests were answered 401" in anonymous.stderr
    assert "  valid: " in anonymous.stdout and "× 401" in anonymous.stdout
    assert "most valid requests" not in signed.stderr and signed.returncode == 1  # the 500s
    valid_line = next(line for line in signed.stdout.splitlines() if line.startswith("  valid: "))
    assert "× 200" in valid_line and "× 401" not in valid_line
    assert "s3cret" not in signed.stdout and "s3cret" not in (tmp_path / "r.json").read_text(encoding="utf-8")
    assert "-H 'Authorization: ***'" in signed.stdout
    bad = restquery_cli("fuzz", "--target", url, "--catalog", str(CATALOG), "--header", "no colon")
    assert bad.returncode == 2 and "--header takes" in bad.stderr
