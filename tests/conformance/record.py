"""Re-records the conformance cases from the current implementation.

    python tests/conformance/record.py

Inputs: every example of the official docs corpus (``tests/fixtures/doc-examples.tsv``,
provenance ``docs``), the example URLs written in each rule's documentation (the ``Example:``
paragraph of its docstring, provenance ``spec``), each checked without and — for schema rules —
with ``catalog.json``, and the decisions on what real clients send (:data:`DECISIONS`,
provenance ``spec``: ``ref`` is the section of the specification, ``note`` the document that
settles the case). Review the diff before committing: these files state what every
implementation must report.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

import restquery  # noqa: E402
from restquery.rules import registry  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "doc-examples.tsv"
URL = re.compile(r"``((?:(?:GET|POST|PUT|PATCH|DELETE) )?(?:/|\{\{|https?://|[\w.]+:\d+/)[^`]+)``")


def _case(url: str, method: str | None, catalog: str | None, kind: str, ref: str, note: str = "") -> dict:
    cat = restquery.Catalog.from_json(HERE / catalog) if catalog else None
    diags = restquery.validate(url, method=method, catalog=cat)
    prov = {"kind": kind, "ref": ref}
    if note:
        prov["note"] = note
    return {
        "url": url,
        "method": method,
        "catalog": catalog,
        "diagnostics": [{"code": d.code, "start": d.start, "end": d.end} for d in diags],
        "provenance": prov,
    }


def docs_cases() -> list[dict]:
    cases = []
    with open(CORPUS, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            method = row["method"] or None
            cases.append(_case(row["url"], method, None, "docs", row["source"]))
            cases.append(_case(row["url"], method, "catalog.json", "docs", row["source"]))
    return cases


def spec_cases() -> dict[str, list[dict]]:
    by_section: dict[str, list[dict]] = {}
    for rule in registry():
        match = re.search(r"Example:(.*?)(?:\n\n|$)", rule.doc, re.S)
        if not match:
            continue
        for found in URL.findall(match.group(1)):
            method, _, url = found.partition(" ") if found.split(" ", 1)[0].isupper() and " " in found else (None, "", found)
            catalog = "catalog.json" if rule.needs_catalog else None
            section = {"1": "structure", "2": "schema", "3": "parameters"}[rule.code[2]]
            by_section.setdefault(section, []).append(
                _case(url, method, catalog, "spec", rule.spec, f"{rule.code} {rule.name}")
            )
    return by_section


RFC3986 = "RFC 3986 §3.5 (a raw # starts the fragment, which a client never sends)"
POSTMAN = "Postman variables ({{name}}, learning.postman.com/docs/sending-requests/variables)"
DOCS_TEMPLATES = "the 4D and Qodly docs' syntax lines (4D:$binary, Q:api/$timeout)"
PLUS = "WHATWG URL application/x-www-form-urlencoded (a + is a space to form decoders)"

#: (URL, method, with the catalog, spec section, the document that settles it).
DECISIONS: list[tuple[str, str | None, bool, str, str]] = [
    ("/rest/Employee?$filter=\"lastName='Smith'\"#section", None, False, "§1.1", RFC3986),
    ("/rest/Employee#top", None, False, "§1.1", RFC3986),
    ("/rest/Employee?$filter=\"lastName#Smith\"", None, False, "§1.1", RFC3986),
    ("/rest/Employee?$filter=\"lastName%23Smith\"", None, False, "§4.2", RFC3986),
    ("/rest/{{dataClass}}(id)/{{blobAttributeName}}?$binary=true&$expand={{blobAttributeName}}",
     None, False, "§1.1", DOCS_TEMPLATES),
    ("/rest/{{dataClass}}(id)/{{blobAttributeName}}?$binary=true&$expand={{blobAttributeName}}",
     None, True, "§1.1", DOCS_TEMPLATES),
    ("/rest/Employee/$entityset/{{id}}?$timeout={{seconds}}&$method=entityset", None, True, "§1.1",
     DOCS_TEMPLATES),
    ("/rest/$singleton/{{SingletonClass}}/{{functionName}}", "POST", True, "§1.1", POSTMAN),
    ("/rest/Employee({{id}})?$method=update", "POST", True, "§1.1", POSTMAN),
    ("/rest/Employee?$filter=\"salary>{{min}}\"&$top={{n}}&$skip=ten", None, True, "§1.1", POSTMAN),
    ("/rest/Employee?$filter=\"ID=:1 AND lastName=:2\"&$params=[{{id}}]", None, False, "§3.2", POSTMAN),
    ("/rest/Employee?$filter=\"ID=:1\"&$params=[{\"ID\":{{id}}}]", None, True, "§3.2", POSTMAN),
    ("/rest/Employee?$filter=%22ID%3D1+AND+ID%3D2%22", None, False, "§1.4", PLUS),
    ("/rest/Employee?$top=10&&$skip=5&", None, False, "§1.2", "4D:REST_requests (parameters are separated by &)"),
    ("/rest/$info/privileges", "POST", False, "§2.2", "4D 20 R6 release notes ($info/privileges)"),
    ("/rest/Invoice?$filter=\"amount$EUR>10\"&$orderby=amount$EUR", None, False, "§4.4",
     "4D 20 R9 release notes (property names may hold $)"),
]


def decision_cases() -> list[dict]:
    return [
        _case(url, method, "catalog.json" if with_catalog else None, "spec", ref, note)
        for url, method, with_catalog, ref, note in DECISIONS
    ]


def main() -> None:
    files = {"docs-examples": ("Every example URL of the official 4D and Qodly REST docs, "
                               "without and with the example catalog.", docs_cases())}
    files["decisions"] = ("What real clients send: fragments, template placeholders, `+`, stray "
                          "`&`, and the cases real 4D apps use.", decision_cases())
    for section, cases in spec_cases().items():
        files[f"rules-{section}"] = (f"The examples of the {section} rules' documentation.", cases)
    for name, (description, cases) in files.items():
        (HERE / f"{name}.json").write_text(
            json.dumps({"description": description, "cases": cases}, indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        print(f"{name}.json: {len(cases)} cases")


if __name__ == "__main__":
    main()
