"""Re-records the conformance cases from the current implementation.

    python tests/conformance/record.py

Inputs: every example of the official docs corpus (``../shared/corpus/doc-examples.tsv``,
provenance ``docs``), and the example URLs written in each rule's documentation (the
``Example:`` paragraph of its docstring, provenance ``spec``), each checked without and — for
schema rules — with ``catalog.json``. Review the diff before committing: these files state what
every implementation must report.
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

CORPUS = ROOT.parent / "shared" / "corpus" / "doc-examples.tsv"
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


def main() -> None:
    files = {"docs-examples": ("Every example URL of the official 4D and Qodly REST docs, "
                               "without and with the example catalog.", docs_cases())}
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
