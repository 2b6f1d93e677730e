"""Every documented example validated: the docs present them as working, so only the irregular
forms of spec §12.1 may draw errors; the [X], legacy and Qodly-only forms draw warnings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import restquery
from tests.conftest import CORPUS

CATALOG = restquery.Catalog.from_json(Path(__file__).resolve().parents[1] / "examples" / "catalog.json")

# The only examples that cannot work as written (spec §12.1), and the error each draws.
IRREGULAR = {
    '/rest/Employee/$filter="employer.name=acme AND lastName=Jones"&$querypath=true': "RQ005",
    '/rest/Employee/$filter="employer.name=a* AND lastName!=smith"&$querypath=true': "RQ005",
    '/rest/People/$filter="employer.name=acme AND lastName=Jones"&$queryplan=true': "RQ005",
    "/rest/Employee?$attributes=lastName,employer.name&$top=10&$skip=1/getHighSalaries": "RQ331",
}

# Warnings the spec calls for on documented examples (§12.1, §7.4, R41, R50, ...).
EXPECTED_WARNINGS = {
    "RQ106", "RQ109", "RQ309", "RQ314", "RQ316", "RQ319", "RQ321", "RQ327", "RQ340", "RQ350",
    "RQ360",
}


def _rows() -> list[tuple[str | None, str]]:
    with open(CORPUS, encoding="utf-8") as fh:
        return [(r["method"] or None, r["url"]) for r in csv.DictReader(fh, delimiter="\t")]


@pytest.mark.parametrize("method,url", _rows(), ids=[u for _, u in _rows()])
def test_documented_example(method: str | None, url: str) -> None:
    diags = restquery.validate(url, method=method)
    errors = [d.code for d in diags if d.severity == "error"]
    if url in IRREGULAR:
        assert errors == [IRREGULAR[url]]
    else:
        assert errors == [], [(d.code, d.message) for d in diags]
    warnings = {d.code for d in diags if d.severity == "warning"}
    assert warnings <= EXPECTED_WARNINGS
    for d in diags:
        assert 0 <= d.start <= d.end <= len(url)


@pytest.mark.parametrize("method,url", _rows(), ids=[u for _, u in _rows()])
def test_documented_example_with_a_catalog(method: str | None, url: str) -> None:
    """With the example catalog, schema rules only speak of names the catalog lacks."""
    diags = restquery.validate(url, method=method, catalog=CATALOG)
    for d in diags:
        if d.severity == "error" and url not in IRREGULAR:
            assert d.code in {"RQ201", "RQ202", "RQ203", "RQ206"}, (d.code, d.message)
