"""A template placeholder nobody filled in does not pass the front door.

``check`` and ``lint`` read ``{{id}}`` as an opaque placeholder (spec §1.1) and leave what it
stands for unjudged, as docs and Postman collections need. A request that reaches a server with
one still in it was sent by a client that forgot to fill it, and no rule checked what 4D would
get: every integration refuses it with RQ015, whatever the rule selection. Braces inside quoted
text are data and go through.
"""

from __future__ import annotations

import json

import pytest

import restquery

from .conftest import Side

UNFILLED = [
    (b"GET /rest/Employee({{id}})", "{{id}}"),
    (b"GET /rest/{{dataClass}}?$top=1", "{{dataClass}}"),
    (b"GET /rest/Employee?$top={{n}}", "{{n}}"),
    (b"GET /rest/Employee?$filter=%22salary%3E{{min}}%22", "{{min}}"),
    (b"GET /rest/Employee(%7B%7Bid%7D%7D)", "%7B%7Bid%7D%7D"),
    (b"GET /rest/Employee?$filter={{filter}}", "{{filter}}"),
    (b"GET /rest/Employee?$filter=%22ID%3D:1%22&$params=[{{id}}]", "{{id}}"),
    (b"GET /rest/Employee?$filter=%22ID%3D:1%22&$params=[%7B%22ID%22:%7B%7Bid%7D%7D%7D]", "%7B%7Bid%7D%7D"),
]


@pytest.mark.parametrize(("line", "placeholder"), UNFILLED)
def test_an_unfilled_template_is_refused(side: Side, line: bytes, placeholder: str) -> None:
    before = len(side.seen())
    status, body = side.send(line)
    assert status == 400, body[:300]
    assert len(side.seen()) == before
    doc = json.loads(body)
    [found] = [d for d in doc["diagnostics"] if d["code"] == "RQ015"]
    target = line.split(b" ", 1)[1].decode()
    assert target[found["start"] : found["end"]] == placeholder
    assert found["severity"] == "error" and "fill in" in found["hint"]


def test_braces_in_quoted_text_are_data(side: Side) -> None:
    before = len(side.seen())
    status, _ = side.send(b"GET /rest/Employee?$filter=%22lastName='{{x}}'%22")
    assert status == 200
    assert len(side.seen()) == before + 1
    # So is a JSON text in $params.
    status, _ = side.send(b"GET /rest/Employee?$filter=%22lastName%3D:1%22&$params='[%22{{x}}%22]'")
    assert status == 200
    assert len(side.seen()) == before + 2


def test_check_and_lint_still_accept_the_template() -> None:
    # The same URL the door refuses is a valid template to `check`: nothing to report.
    assert restquery.validate("/rest/Employee({{id}})") == []
    assert restquery.validate("/rest/{{dataClass}}?$top={{n}}") == []


def test_ignoring_rules_does_not_open_the_door() -> None:
    from restquery.integrations._core import Gate

    gate = Gate(ignore=["RQ3", "RQ2", "RQ1"])
    verdict = gate.admit("GET", b"/rest/Employee({{id}})").verdict
    assert verdict is not None and not verdict.ok
    assert [d.code for d in verdict.failing] == ["RQ015"]
