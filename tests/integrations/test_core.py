"""The shared core: status mapping, the __ERROR body, the verdict cache, prefix matching."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import restquery
from restquery.ast import Span
from restquery.integrations import _core
from restquery.integrations._core import Checker, err_code, error_body, status_for, under_prefix
from restquery.rules import registry

from .conftest import CATALOG


def diag(
    code: str, severity: str = "error", span: tuple[int, int] = (0, 1)
) -> restquery.Diagnostic:
    return restquery.Diagnostic(
        code=code, name="hand-made", severity=severity, message=f"{code} message.", span=Span(*span)
    )


@pytest.mark.parametrize(
    ("codes", "status"),
    [
        (["RQ201"], 404),
        (["RQ202"], 404),
        (["RQ203"], 404),
        (["RQ201", "RQ202", "RQ203"], 404),
        (["RQ301"], 400),
        (["RQ009"], 400),
        (["RQ010"], 400),
        (["RQ202", "RQ301"], 400),  # malformed as well as unknown: the request is bad
        (["RQ004", "RQ201"], 400),
    ],
)
def test_status_for_hand_made_diagnostics(codes: list[str], status: int) -> None:
    assert status_for([diag(c) for c in codes]) == status


@pytest.mark.parametrize(
    ("code", "number"), [("RQ001", 1), ("RQ009", 9), ("RQ301", 301), ("RQ1002", 1002), ("bogus", 0)]
)
def test_err_code(code: str, number: int) -> None:
    assert err_code(code) == number


def test_error_body_shape() -> None:
    failing = [diag("RQ301", span=(26, 38))]
    every = [*failing, diag("RQ351", "warning", (40, 42))]
    doc = json.loads(error_body(failing, every))
    assert doc == {
        "__ERROR": [{"message": "RQ301 message.", "componentSignature": "rest", "errCode": 301}],
        "diagnostics": [d.to_dict() for d in every],
    }


def test_error_body_is_ascii_whatever_the_message() -> None:
    d = restquery.Diagnostic(
        code="RQ202", name="x", severity="error", message="`é\x00` «»", span=Span(0, 1)
    )
    body = error_body([d], [d])
    body.decode("ascii")
    assert json.loads(body)["__ERROR"][0]["message"] == "`é\x00` «»"


@pytest.mark.parametrize(
    ("path", "prefix", "under"),
    [
        ("/rest", "/rest", True),
        ("/rest/Company", "/rest", True),
        ("/REST/Company", "/rest", True),
        ("/Rest/Company", "/rest", True),
        ("/restful", "/rest", False),
        ("/", "/rest", False),
        ("/static/rest/x", "/rest", False),
        ("/anything", "", True),
    ],
)
def test_under_prefix(path: str, prefix: str, under: bool) -> None:
    assert under_prefix(path, _core.normalize_prefix(prefix)) is under


@pytest.mark.parametrize(
    ("given", "normal"),
    [("/rest", "/rest"), ("rest/", "/rest"), ("/", ""), (None, ""), ("/API/Rest", "/api/rest")],
)
def test_normalize_prefix(given: str | None, normal: str) -> None:
    assert _core.normalize_prefix(given) == normal


# ---------------------------------------------------------------------------------------------
# Verdicts
# ---------------------------------------------------------------------------------------------


def test_valid_verdict_carries_the_tree() -> None:
    url = "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt"
    v = Checker().check("GET", url)
    assert v.ok and v.status == 200 and v.body == b"" and v.failing == ()
    assert v.request == restquery.parse(url, method="GET")


def test_seed_binary_without_expand_is_400_rq301() -> None:
    url = "/rest/Company(11)/blobAtt?$binary=true"
    v = Checker().check("GET", url)
    assert v.status == 400
    doc = json.loads(v.body)
    assert doc["__ERROR"] == [
        {
            "message": "`$binary=true` needs `$expand` naming the BLOB or picture attribute to download.",
            "componentSignature": "rest",
            "errCode": 301,
        }
    ]
    [d] = doc["diagnostics"]
    assert (d["code"], d["start"], d["end"]) == ("RQ301", 26, 38)
    assert url[d["start"] : d["end"]] == "$binary=true"
    # The body says what validate() says.
    assert doc["diagnostics"] == [
        x.to_dict() for x in restquery.validate(url, method="GET", hide_suggestions=True)
    ]


def test_warnings_pass_unless_rejected() -> None:
    url = "/rest/Company(1)"
    assert restquery.validate(url, method="DELETE")  # a warning: DELETE is Qodly-only
    assert Checker().check("DELETE", url).status == 200
    assert Checker().check("DELETE", url).diagnostics
    v = Checker(reject_warnings=True).check("DELETE", url)
    assert v.status == 400 and v.failing[0].severity == "warning"


def test_head_is_judged_as_get() -> None:
    url = "/rest/Company?$method=update"  # an error with GET, fine with POST
    assert Checker().check("HEAD", url).status == Checker().check("GET", url).status == 400
    assert Checker().check("POST", url).status == 200


def test_undecodable_bytes_are_rq009() -> None:
    v = Checker().check("GET", b"/rest/Company\xff\xfe")
    assert v.status == 400 and [d.code for d in v.failing] == ["RQ009"]
    assert (v.failing[0].start, v.failing[0].end) == (13, 14)


def test_over_long_target_is_rq010_and_not_cached() -> None:
    checker = Checker()
    url = "/rest/Company?$filter=%22name%3D%27" + "a" * 100_000 + "%27%22"
    v = checker.check("GET", url)
    assert v.status == 400 and [d.code for d in v.failing] == ["RQ010"]
    assert checker.cache_info().currsize == 0


def test_limits_are_options() -> None:
    url = "/rest/Company?$top=1&$skip=1&$orderby=name"
    assert Checker(max_params=2).check("GET", url).failing[0].code == "RQ010"
    assert Checker().check("GET", url).ok


def test_cache_is_bounded_and_hit() -> None:
    checker = Checker(cache_size=4)
    for i in range(10):
        checker.check("GET", f"/rest/Company({i})")
    assert checker.cache_info().currsize == 4
    hits = checker.cache_info().hits
    first = checker.check("GET", "/rest/Company(9)")
    assert checker.check("GET", "/rest/Company(9)") is first
    assert checker.cache_info().hits == hits + 2


def test_cache_key_includes_method() -> None:
    checker = Checker()
    url = "/rest/Company?$method=update"
    assert checker.check("GET", url).status == 400
    assert checker.check("POST", url).status == 200


def test_no_cache() -> None:
    checker = Checker(cache_size=0)
    assert checker.cache_info() is None
    assert checker.check("GET", "/rest/Company").ok


def test_unknown_rule_selection_fails_at_construction() -> None:
    with pytest.raises(restquery.RestQueryError):
        Checker(select=["RQ999"])


def test_checker_is_thread_safe() -> None:
    checker = Checker(cache_size=8)
    urls = [f"/rest/Company({i})" for i in range(20)] + ["/rest/Company(1)/blobAtt?$binary=true"]

    def work() -> int:
        done = 0
        for _ in range(20):
            for u in urls:
                assert checker.check("GET", u).ok is ("$binary" not in u)
                done += 1
        return done

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(work) for _ in range(8)]
        assert [f.result(timeout=60) for f in futures] == [20 * len(urls)] * 8


def test_a_failing_rule_refuses_with_500(monkeypatch: pytest.MonkeyPatch) -> None:
    checker = Checker()

    def broken(*args: object, **kwargs: object) -> list[restquery.Diagnostic]:
        raise restquery.RestQueryError("rule RQ999 failed on this request")

    monkeypatch.setattr(checker, "_validate", broken)
    v = checker.check("GET", "/rest/Company")
    assert v.status == 500
    assert json.loads(v.body)["__ERROR"][0]["errCode"] == 500


# ---------------------------------------------------------------------------------------------
# 404: the catalog says the name does not exist (spec §8.1)
# ---------------------------------------------------------------------------------------------

_NOT_FOUND_RULES = {r.code for r in registry()} & _core.NOT_FOUND_CODES


@pytest.mark.skipif(
    not {"RQ201", "RQ202"} <= _NOT_FOUND_RULES, reason="schema rules not registered"
)
@pytest.mark.parametrize(
    ("url", "status", "codes"),
    [
        ("/rest/Nope", 404, ["RQ201"]),
        ("/rest/Company(1)/nope", 404, ["RQ202"]),
        ("/rest/Company?$orderby=nope", 404, ["RQ202"]),
        ("/rest/Nope?$top=abc", 400, None),
        ("/rest/Company(1)", 200, []),
    ],
)
def test_status_with_a_catalog(url: str, status: int, codes: list[str] | None) -> None:
    v = Checker(catalog=CATALOG).check("GET", url)
    assert v.status == status
    if codes is not None:
        assert [d.code for d in v.failing] == codes


@pytest.mark.skipif("RQ201" not in _NOT_FOUND_RULES, reason="schema rules not registered")
def test_suggestions_hidden_by_default() -> None:
    hidden = Checker(catalog=CATALOG).check("GET", "/rest/Compani")
    shown = Checker(catalog=CATALOG, hide_suggestions=False).check("GET", "/rest/Compani")
    assert b"Company" not in hidden.body
    assert hidden.status == shown.status == 404
    assert [d.code for d in hidden.failing] == [d.code for d in shown.failing]


def test_importing_restquery_does_not_import_integrations_or_frameworks() -> None:
    code = (
        "import sys, restquery; restquery.parse('/rest/Company');"
        "bad = [m for m in ('restquery.integrations', 'starlette', 'uvicorn', 'httpx', 'flask', 'werkzeug') if m in sys.modules];"
        "print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"


def test_middleware_modules_need_no_third_party_package() -> None:
    code = (
        "import sys; import restquery.integrations.asgi, restquery.integrations.wsgi, restquery.integrations.proxy;"
        "print([m for m in ('starlette', 'uvicorn', 'httpx', 'flask', 'werkzeug') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"
