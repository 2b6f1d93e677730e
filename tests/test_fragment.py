"""A raw ``#`` ends the URL (RFC 3986 §3.5): the fragment is kept on the tree, printed back and
never judged; a ``#`` meant inside a value is written ``%23``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import restquery
from restquery.integrations._core import Gate


@pytest.mark.parametrize(
    ("url", "fragment", "end"),
    [
        ('/rest/Employee?$filter="lastName=\'Smith\'"#section', "section", 41),
        ("/rest/Employee#top", "top", 14),
        ("/rest/Employee?$top=1#", "", 21),
        ("/rest/Employee?#a?b&c=#d", "a?b&c=#d", 15),
        ("/rest/Company(1)#", "", 16),
        ("#only", "only", 0),
    ],
)
def test_the_fragment_is_split_off_and_kept(url: str, fragment: str, end: int) -> None:
    req = restquery.parse(url)
    assert req.fragment == fragment
    assert req.span.end == end and url[end] == "#"  # the request ends where `#` stands
    # printed back as written, but for a `?` with nothing after it, which the tree does not keep
    assert restquery.unparse(req) == url.replace("?#", "#", 1)
    assert restquery.parse(restquery.unparse(req)) == req
    assert restquery.parse(restquery.unparse(req, encode=True)) == req
    assert req.to_dict()["fragment"] == fragment


def test_a_request_without_fragment_has_none() -> None:
    req = restquery.parse("/rest/Employee?$top=1")
    assert req.fragment is None and req.to_dict()["fragment"] is None
    assert req != restquery.parse("/rest/Employee?$top=1#x")


def test_the_fragment_is_never_judged() -> None:
    assert restquery.validate('/rest/Employee?$filter="lastName=\'Smith\'"#section') == []
    # whatever the fragment holds: parameters, quotes, bad escapes
    assert restquery.validate('/rest/Employee?$top=1#&$top=x&$filter="%FF') == []


def test_a_raw_hash_inside_a_quoted_value_cuts_it() -> None:
    url = '/rest/Employee?$filter="lastName#Smith"'
    [d] = restquery.validate(url)
    assert d.code == "RQ002" and d.severity == "error"
    assert url[d.span.start : d.span.end] == '"lastName#'
    assert "`#` here ends the URL" in d.message and "$filter" in d.message
    assert d.hint is not None and "%23" in d.hint and "!=" in d.hint


def test_a_raw_hash_in_a_quoted_key_cuts_it() -> None:
    with pytest.raises(restquery.RestQuerySyntaxError) as info:
        restquery.parse('/rest/Company("a#b")')
    assert info.value.code == "RQ002" and "quoted key" in info.value.message
    assert "%23" in (info.value.hint or "")


def test_an_encoded_hash_is_the_query_operator() -> None:
    url = '/rest/Person?$filter="lastName %23 Jones"'
    [d] = restquery.validate(url)
    assert d.code == "RQ349" and url[d.span.start : d.span.end] == "%23"
    assert d.fix is not None and d.fix.apply(url) == '/rest/Person?$filter="lastName != Jones"'


def test_the_printer_writes_a_hash_of_a_value_as_23() -> None:
    req = restquery.parse('/rest/E?$filter="name=%27a%23b%27"')
    assert restquery.unparse(req) == "/rest/E?$filter=\"name='a%23b'\""
    assert restquery.parse(restquery.unparse(req)) == req


def test_fixes_are_inserted_before_the_fragment() -> None:
    url = "/rest/Company(11)/blobAtt?$binary=true#x"
    [d] = [d for d in restquery.validate(url) if d.code == "RQ301"]
    assert d.fix is not None
    assert d.fix.apply(url) == "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt#x"


def test_the_gate_refuses_a_raw_hash_in_a_request_target() -> None:
    gate = Gate(cache_size=0)
    # A server that kept the text after `#` would act on `$method=delete`, never checked.
    admission = gate.admit("GET", b"/rest/Employee(1)?$top=1#&$method=delete")
    assert admission.verdict is not None and admission.verdict.status == 400
    [d] = admission.verdict.failing
    assert d.code == "RQ014" and d.span.start == len(b"/rest/Employee(1)?$top=1")
    assert "%23" in (d.hint or "")
    ok = gate.admit("GET", b"/rest/Employee?$filter=%22name%23Smith%22")
    assert ok.verdict is not None and ok.verdict.ok  # an encoded `#` is a value


def test_check_reads_the_fragment_off_in_a_real_process() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "restquery", "check", "--format", "json",
         '/rest/Employee?$filter="lastName#Smith"'],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 1, out.stderr
    [report] = json.loads(out.stdout)
    [problem] = report["diagnostics"]
    assert problem["code"] == "RQ002" and "%23" in problem["hint"]
