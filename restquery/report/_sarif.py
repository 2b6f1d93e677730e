"""``--format sarif``: SARIF 2.1.0, one run, streamed."""

from __future__ import annotations

import json
import os
import urllib.parse

from restquery.render import markdown_doc, plain_doc
from restquery.report._base import Fingerprints, Reporter
from restquery.report._json import indented
from restquery.report._model import FileResult, Finding

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TextIO

__all__ = ["FILES", "SARIF_SCHEMA", "URLS", "rule_metadata"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"



def rule_metadata(rules: list[Any]) -> list[dict[str, Any]]:
    """SARIF ``reportingDescriptor`` objects for ``rules`` (registry rules, syntax codes and
    code lints): descriptions in plain text, ``help`` in plain text and Markdown."""
    out = []
    for r in rules:
        doc = r.doc or r.summary
        out.append(
            {
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": plain_doc(r.summary)},
                "fullDescription": {"text": plain_doc(doc)},
                "help": {"text": plain_doc(doc), "markdown": markdown_doc(doc)},
                "defaultConfiguration": {"level": r.severity},
                "properties": {"spec": r.spec} if r.spec else {},
            }
        )
    return out


def _artifact(path: str) -> dict[str, Any]:
    """An ``artifactLocation``: relative to ``%SRCROOT%`` (the working directory) for a path
    inside it, a ``file://`` URI of its own for one outside it."""
    if os.path.isabs(path):
        return {"uri": _file_uri(path)}
    return {"uri": _uri(path), "uriBaseId": "%SRCROOT%"}


def _file_uri(path: str) -> str:
    from pathlib import PurePath

    try:
        return PurePath(path).as_uri()
    except ValueError:
        return "file://" + _uri(path)


def _sarif_fix(path: str, fix: Any) -> dict[str, Any]:
    """A SARIF ``fix``: the edits of the file at ``path`` (character offsets)."""
    return {
        "description": {"text": fix.description},
        "artifactChanges": [
            {
                "artifactLocation": _artifact(path),
                "replacements": [
                    {
                        "deletedRegion": {"charOffset": e.offset, "charLength": e.length},
                        "insertedContent": {"text": e.text},
                    }
                    for e in fix.edits
                ],
            }
        ],
    }


def _uri(path: str) -> str:
    """``path`` as a relative URI: a file name's undecodable bytes are percent-encoded as the
    bytes they were."""
    try:
        return urllib.parse.quote(path, errors="surrogateescape")
    except UnicodeEncodeError:
        return urllib.parse.quote(path, errors="backslashreplace")


class Sarif(Reporter):
    """One SARIF log, results streamed; problems as tool execution notifications."""

    def __init__(self, out: TextIO, **kw: Any) -> None:
        super().__init__(out, **kw)
        self._count = 0
        self._index: dict[str, int] = {}
        self._notifications: list[dict[str, Any]] = []
        self._prints = Fingerprints()

    def start(self, rules: list[Any]) -> None:
        import restquery

        self._index = {r.code: i for i, r in enumerate(rules)}
        head = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
        }
        driver = {
            "name": "restquery",
            "version": restquery.__version__,
            "rules": rule_metadata(rules),
        }
        out = self.out
        out.write("{\n")
        for k, v in head.items():
            out.write(f"  {json.dumps(k)}: {json.dumps(v)},\n")
        out.write('  "runs": [\n    {\n')
        out.write('      "tool": {\n        "driver": ')
        out.write(indented(driver, 8).lstrip() + "\n      },\n")
        out.write('      "columnKind": "unicodeCodePoints",\n')
        out.write('      "results": [')

    def _result(self, f: Finding, mark: str = "") -> dict[str, Any]:
        d = f.diagnostic
        text = d.message if not d.hint else f"{d.message}\nhint: {d.hint}"
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": d.severity,
            "message": {"text": text},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(f.path),
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                        },
                    }
                }
            ]
            if f.path
            else [],
            "properties": {
                "url": f.url,
                "urlLine": f.url_line,
                "urlColumn": f.url_column,
                "method": f.method,
            },
        }
        if d.code in self._index:
            result["ruleIndex"] = self._index[d.code]
        if f.path:
            result["partialFingerprints"] = {"restqueryFinding/v1": mark}
        if f.source_fix is not None and f.path:
            result["fixes"] = [_sarif_fix(f.path, f.source_fix)]
        return result

    def write(self, result: FileResult, first: bool) -> None:
        prints = self._prints.of(result, first)
        for f, mark in zip(result.findings, prints):
            self.out.write(("," if self._count else "") + "\n" + indented(self._result(f, mark), 8))
            self._count += 1
        for e in result.errors:
            self._notifications.append(
                {
                    "level": "error",
                    "message": {"text": e},
                    "locations": [
                        {
                            "physicalLocation": {"artifactLocation": _artifact(result.path)}
                        }
                    ]
                    if result.path
                    else [],
                }
            )

    def finish(self) -> None:
        out = self.out
        out.write("\n      ],\n" if self._count else "],\n")
        invocation = {
            "executionSuccessful": not self._notifications,
            "toolExecutionNotifications": self._notifications,
        }
        out.write('      "invocations": [\n' + indented(invocation, 8) + "\n      ],\n")
        out.write('      "properties": {"summary": ' + json.dumps(self.summary.to_dict()) + "}\n")
        out.write("    }\n  ]\n}\n")


FILES = URLS = Sarif
