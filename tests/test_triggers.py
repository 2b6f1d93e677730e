"""Rule triggers lose no finding: ``validate`` runs only the rules a request can trigger (each
rule's ``when``), and finds exactly what running every rule finds.

Compared on every URL the suite knows (conformance cases, the docs examples, the URLs written
in the rule tests), with and without a catalog and a method, and on Hypothesis-generated valid,
invalid and arbitrary requests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import restquery
import restquery.checker as checker
from restquery import strategies as rs
from restquery.catalog import Catalog
from restquery.params import canonical_name
from restquery.rules import registry

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = ROOT / "tests" / "conformance"
EVERY_RULE = [r.code for r in registry()]  # opt-in rules too
CATALOG = Catalog.from_json(ROOT / "examples" / "catalog.json")
CONFORMANCE_CATALOG = Catalog.from_json(CONFORMANCE / "catalog.json")


def _both(url: Any, catalog: Any, method: str | None) -> tuple[list[Any], list[Any]]:
    kwargs = {"catalog": catalog, "method": method, "select": EVERY_RULE}
    with_triggers = restquery.validate(url, **kwargs)
    checker.TRIGGERS = False
    try:
        every_rule = restquery.validate(url, **kwargs)
    finally:
        checker.TRIGGERS = True
    return with_triggers, every_rule


def _known_urls() -> Iterator[str]:
    for path in sorted(CONFORMANCE.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for case in data.get("cases", ()):
            yield case["url"]
    for path in sorted((ROOT / "tests" / "rules").glob("test_*.py")):
        for m in re.finditer(r'"((?:[a-z]+://[^"/]*|\{\{\w+\}\})?/rest[^"\n]*)"', path.read_text(encoding="utf-8")):
            yield m.group(1)


KNOWN = sorted(set(_known_urls()))


def test_every_trigger_is_a_documented_parameter_or_a_known_token() -> None:
    from restquery.rules._base import ANY_PARAMETER, METHOD_KNOWN
    from restquery.syntax.lexicon import PATH_KEYWORDS

    triggered = [r for r in registry() if r.when is not None]
    assert len(triggered) > 55
    paths = {"/" + k for k in PATH_KEYWORDS}
    for r in triggered:
        assert r.when, r.code
        for name in r.when:
            assert (
                canonical_name(name) == name or name in paths or name in (ANY_PARAMETER, METHOD_KNOWN)
            ), (r.code, name)
    always = [r.code for r in registry() if r.when is None and r.default and not r.needs_catalog]
    # RQ114 reads the `&`s of the text: `?&&` offers no parameter to trigger on.
    assert always == ["RQ101", "RQ102", "RQ103", "RQ114", "RQ111"]


def test_triggers_of_a_request() -> None:
    from restquery import parse
    from restquery.rules._base import ANY_PARAMETER, METHOD_KNOWN, on_path, triggers_of

    req = parse("/rest/Employee/$entityset/ABC?$top=1&$custom=2")
    assert triggers_of(req, None) == {"$top", None, ANY_PARAMETER, on_path("$entityset")}
    assert triggers_of(parse("/rest/Employee"), "GET") == {METHOD_KNOWN}


def test_the_known_urls_are_many() -> None:
    assert len(KNOWN) > 800


@pytest.mark.parametrize("method", [None, "GET", "POST"])
@pytest.mark.parametrize("catalog", [None, CATALOG, CONFORMANCE_CATALOG], ids=["none", "example", "conformance"])
def test_no_finding_is_lost_on_the_known_urls(catalog: Any, method: str | None) -> None:
    for url in KNOWN:
        with_triggers, every_rule = _both(url, catalog, method)
        assert with_triggers == every_rule, url


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_finding_is_lost_on_generated_requests(data: st.DataObject) -> None:
    catalog = data.draw(st.sampled_from([None, CATALOG]))
    choice = data.draw(st.sampled_from(["valid", "invalid", "any"]))
    method = data.draw(st.sampled_from([None, "GET", "POST"]))
    if choice == "valid":
        url: Any = data.draw(rs.urls(catalog))
    elif choice == "invalid":
        url, _, method = data.draw(rs.invalid_urls(catalog, opt_in=True))
    else:
        url = data.draw(rs.requests(catalog))
    with_triggers, every_rule = _both(url, catalog, method)
    assert with_triggers == every_rule
