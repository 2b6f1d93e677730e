"""Generates ``docs/rules.md`` from the rule registry.

``python -m restquery.rules._docs`` prints it; ``--write PATH`` writes it. A test fails when the
file in the repository differs from what the registry produces.
"""

from __future__ import annotations

import sys

from restquery.rules import registry
from restquery.syntax.explain import INTEGRATION_CODES, SYNTAX_CODES

HEADER = """# restquery rules

Generated from the rule registry by `python -m restquery.rules._docs --write docs/rules.md`;
do not edit by hand. Spec references (§n, Rn) point into the restquery specification
(`rest-url-language.md`). Severity: **error** — the request cannot work as documented;
**warning** — it works but is undocumented, deprecated, legacy, Qodly-only or odd. Rules marked
*catalog* run only when a `$catalog` document is given; *opt-in* rules run only when selected.

## Syntax errors

Raised by `restquery.parse` and reported by `restquery.validate` as errors.

| Code | Name | Meaning |
|------|------|---------|
"""


def render() -> str:
    out = [HEADER]
    for code, (name, text) in SYNTAX_CODES.items():
        out.append(f"| {code} | `{name}` | {text} |\n")
    out.append(
        "\nReported by the server integrations only, about the request rather than the URL"
        " text (see `docs/servers.md`):\n\n| Code | Name | Meaning |\n|------|------|---------|\n"
    )
    for code, (name, text) in INTEGRATION_CODES.items():
        out.append(f"| {code} | `{name}` | {text} |\n")
    out.append("\n## Rules\n\n| Code | Name | Severity | Spec | Summary |\n")
    out.append("|------|------|----------|------|---------|\n")
    rules = registry()
    for r in rules:
        flags = []
        if r.needs_catalog:
            flags.append("catalog")
        if not r.default:
            flags.append("opt-in")
        extra = f" ({', '.join(flags)})" if flags else ""
        out.append(
            f"| [{r.code}](#{r.code.lower()}-{r.name}) | `{r.name}` | {r.severity}{extra} "
            f"| {r.spec} | {r.summary} |\n"
        )
    for r in rules:
        out.append(f"\n### {r.code} {r.name}\n\n")
        out.append(f"*{r.severity}* · spec {r.spec}")
        if r.needs_catalog:
            out.append(" · needs a catalog")
        if not r.default:
            out.append(" · opt-in")
        out.append(f"\n\nMessage: {r.message}\n\n{r.doc}\n")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if args[:1] == ["--write"] and len(args) == 2:
        with open(args[1], "w", encoding="utf-8") as fh:
            fh.write(text)
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
