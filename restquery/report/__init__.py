"""Reports of findings, one layer for ``restquery check`` and ``restquery lint``: ``text``,
``concise``, ``json``, ``json-lines``, ``sarif``, ``github``, ``gitlab`` and ``junit``.

Every format is a :class:`Reporter` fed one :class:`FileResult` at a time, in order, and
written as it goes: nothing grows with the number of findings but the counters, so a log of any
size is reported in constant memory. Two layouts: ``files`` (``lint``: findings in files) and
``urls`` (``check``: one result per URL, clean ones included).

* ``text`` — each finding's position, then the URL drawn with carets under the span
  (:func:`restquery.render.render_diagnostic`), then a summary line. ``files`` groups findings
  under their file's name. Colour only when asked (:func:`use_color`).
* ``json`` — ``files``: one document ``{"findings": [...], "problems": [...], "summary": {...}}``;
  ``urls``: one array, an object per URL, ``{"url", "method", "ok", "diagnostics"}``
  (design.md, "Command line"). Both write each diagnostic's ``fix``.
* ``sarif`` — SARIF 2.1.0, one run; the rules' metadata and help come from the rule registry;
  columns are counted in Unicode code points (``columnKind``); locations are relative to the
  working directory (``uriBaseId`` ``%SRCROOT%``). A URL from the command line has no file: its
  result has no location and names the URL in its properties.
* ``github`` — GitHub Actions workflow commands (``::error file=…,line=…,col=…,endColumn=…,
  title=RQ301::message``), then the summary line.
* ``concise`` — a line per finding, ``path:line:col: CODE message``; ``json-lines`` — an object
  per line; ``gitlab`` — a GitLab code quality report; ``junit`` — JUnit XML (each in its own
  module, which says more).

SARIF and GitLab give each finding the same fingerprint (:class:`Fingerprints`), stable when
lines move.

Text from the user's files (paths, URLs, messages quoting them) never reaches a terminal raw:
the ``text`` and ``github`` formats write control characters escaped (``\\x1b``), and JSON
escapes what is not valid UTF-8 (a file name's undecodable bytes).

Positions are 1-based lines and columns, columns counted in characters (code points); an end
column is exclusive (the column after the last character), as in SARIF. Paths are relative to
the working directory when the file is inside it, with ``/`` separators.
"""

from __future__ import annotations

from restquery.report._base import (
    FORMATS,
    Fingerprints,
    Reporter,
    Summary,
    SyntaxRule,
    display_path,
    make_reporter,
    reporting_rules,
    use_color,
)
from restquery.report._model import DIAGNOSTIC_KEYS, FileResult, Finding, diagnostic_json

__all__ = [
    "DIAGNOSTIC_KEYS",
    "FORMATS",
    "FileResult",
    "Fingerprints",
    "Finding",
    "Reporter",
    "Summary",
    "SyntaxRule",
    "diagnostic_json",
    "display_path",
    "make_reporter",
    "reporting_rules",
    "use_color",
]
