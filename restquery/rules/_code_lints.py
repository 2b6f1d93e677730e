"""The codes only ``restquery lint`` reports, about the code around a URL rather than the URL:
a URL alone has no holes and no source language. Declared here, below the linter, so that rule
selection (``--select``, ``--ignore``, ``restquery: ignore[...]``) and ``docs/rules.md`` know
them; :mod:`restquery.lint._inject` and :mod:`restquery.lint._habits` find them.
"""

from __future__ import annotations

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from restquery._records import NamedTuple

__all__ = ["CODE_LINTS", "CodeLint"]


class CodeLint(NamedTuple):
    """One code lint: stable ``code``, kebab-case ``name``, ``severity``, a one-line summary
    and its documentation (*Why*, *Example*, *Fix*)."""

    code: str
    name: str
    severity: str
    summary: str
    doc: str
    #: the spec rules it rests on (for rule metadata, like a registry rule's)
    spec: str = ""


CODE_LINTS: dict[str, CodeLint] = {
    lint.code: lint
    for lint in (
        CodeLint(
            "RQ601",
            "spliced-filter-value",
            "error",
            "A `$filter` value is spliced in by code.",
            """Why: a value written into the filter by string building is read as filter text: a
`'` ends the text, `x' OR salary>0` widens the query, a `"` or `&` ends the parameter.
4D's answer is the placeholder: `:1` in the filter, the value in `$params` (spec §3.2, R38).

Example: ``fetch(`/rest/Employee?$filter="lastName='${name}'"`)`` — error.
``fetch(`/rest/Employee?$filter="lastName=:1"&$params=${encodeURIComponent(JSON.stringify([name]))}`)``
— valid.

Fix: the whole string expression rewritten with `:N` placeholders and a `$params` array made of
the same expressions, in JavaScript/TypeScript (template literals and `+`), Python (f-strings
and `+`; it uses `json` and `urllib.parse.quote`) and 4D (`+`, with `JSON Stringify`). Not
offered when the URL already has `$params`, when code also writes names or operators, or for
`.format`/`%` strings and Java.""",
            "R38",
        ),
        CodeLint(
            "RQ602",
            "spliced-params",
            "error",
            "The JSON of `$params` is written around values from code.",
            """Why: `$params='["${name}"]'` is JSON only while the value holds no `"`, `\\` or
control character; a value such as `a","b` adds an item.

Example: ``fetch(`/rest/Person?$filter="lastName=:1"&$params='["${name}"]'`)`` — error.

Fix: the array serialised by the language and encoded for the URL
(`encodeURIComponent(JSON.stringify([name]))`, `quote(json.dumps([name]))`,
`JSON Stringify(New collection($name))`).""",
            "R38",
        ),
        CodeLint(
            "RQ603",
            "spliced-query-structure",
            "warning",
            "Code writes names, operators or a whole `$filter`/`$orderby`/`$attributes`.",
            """Why: a placeholder stands for a value only. When code writes an attribute name,
an operator, a sort order or the whole filter, whatever the variable holds becomes the query:
check it against the names it may take before it goes in the URL.

Example: ``fetch(`/rest/Employee?$orderby="${column} desc"`)`` — warning.

Fix: none that is mechanical; keep values in `$params`, and names to an allow-list (the
catalog's attribute names).""",
        ),
        CodeLint(
            "RQ604",
            "raw-character-in-code",
            "warning",
            "A raw space, `\"` or `#` in a URL written in code.",
            """Why: the docs write URLs raw, but code sends what it writes: many HTTP clients
(4D's `HTTP Request`, Java's `URI`, `curl`) reject or cut a URL with a raw space or `"`, and
every client ends the URL at a raw `#` (RFC 3986 §3.5), silently dropping the rest of the query.

Example: `"/rest/Employee?$filter=\\"lastName=Jones\\""` in Python — warning.

Fix: the characters percent-encoded in place (`%20`, `%22`, `%23`).""",
        ),
        CodeLint(
            "RQ605",
            "unknown-suppression",
            "warning",
            "A `restquery: ignore[...]` comment names no rule.",
            """Why: a misspelt code or name in a suppression comment hides nothing, so the
finding it was meant for still shows, or worse, the comment outlives the rule it named and
nobody notices.

Example: `// restquery: ignore[RQ3O1]` — warning (the letter O for a zero).

Fix: write a code (`RQ301`), a code prefix (`RQ3`) or a rule's name.""",
        ),
        CodeLint(
            "RQ606",
            "unused-suppression",
            "warning",
            "A `restquery: ignore` comment hides nothing.",
            """Why: a suppression left behind after the URL was fixed would hide the next finding
on that line without anyone deciding so. Reported only when every rule runs (no `--select` or
`--ignore`), since a rule that did not run cannot have been hidden.

Example: `fetch('/rest/Employee') // restquery: ignore[RQ301]` — warning.

Fix: remove the comment, or the key that hides nothing.""",
        ),
    )
}
