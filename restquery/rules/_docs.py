"""Generates ``docs/rules.md`` from the rule registry and ``docs/parameters.md`` from the
parameter table (:data:`restquery.params.TABLE`).

``python -m restquery.rules._docs`` prints the rules page, ``--parameters`` the parameters page;
``--write PATH`` writes it. A test fails when a file in the repository differs from what the
registry or the table produces.
"""

from __future__ import annotations

import sys

from restquery.rules import registry
from restquery.rules._code_lints import CODE_LINTS
from restquery.syntax.explain import INTEGRATION_CODES, RETIRED_CODES, SYNTAX_CODES

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


def _rule_name(code: str) -> str:
    return next(r.name for r in registry() if r.code == code)


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
    out.append("\nRetired, no longer reported:\n\n| Code | Name | Replaced by |\n|------|------|---------|\n")
    for code, (name, successor) in RETIRED_CODES.items():
        out.append(f"| {code} | `{name}` | [{successor}](#{successor.lower()}-{_rule_name(successor)}) |\n")
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
    out.append(
        "\n## Code lints\n\nReported by `restquery lint` only: they are about the code that"
        " builds or sends a URL (a hole, the source language), which a URL alone does not show."
        " Selected, ignored and suppressed like the rules.\n\n"
        "| Code | Name | Severity | Summary |\n|------|------|----------|---------|\n"
    )
    for c in CODE_LINTS.values():
        out.append(f"| [{c.code}](#{c.code.lower()}-{c.name}) | `{c.name}` | {c.severity} | {c.summary} |\n")
    for c in CODE_LINTS.values():
        spec = f" · spec {c.spec}" if c.spec else ""
        out.append(f"\n### {c.code} {c.name}\n\n*{c.severity}*{spec}\n\n{c.summary}\n\n{c.doc}\n")
    from restquery.policy import POLICY_CODES, POLICY_EXAMPLES, QUOTA_CODES

    out.append(
        "\n## Policy\n\nReported only with a `restquery.Policy` (`policy=`, `--policy`; every key in"
        " `docs/policy.md`): what the server lets its clients ask. Errors; the integrations answer"
        " them 400 (permissions 403, quotas 429).\n\n| Code | Name | Key | Meaning |\n|------|------|-----|---------|\n"
    )
    for code, (name, key, summary) in POLICY_CODES.items():
        out.append(f"| [{code}](#{code.lower()}-{name}) | `{name}` | `{key}` | {summary} |\n")
    for code, (name, key, summary) in POLICY_CODES.items():
        toml, method, url = POLICY_EXAMPLES[code]
        status = QUOTA_CODES.get(code, 403 if code == "RQ520" else 400)
        if code in QUOTA_CODES:
            drawn = ("— the third time one client sends it while its first two sets live: 429 with "
                     "`Retry-After`. Only the middlewares and the proxy count; `validate`, `check` and "
                     "`lint` see nothing to count.")
        else:
            drawn = "— error."
        out.append(f"\n### {code} {name}\n\n*error* · key `{key}` · answered "
                   f"{status} by the integrations\n\n{summary}\n\n"
                   f"Example: with\n\n```toml\n[policy]\n{toml}\n```\n\n`{method} {url}` {drawn}\n\n"
                   f"Fix: send what the policy allows, or change the policy (`docs/policy.md`).\n")
    return "".join(out)


PARAMETERS_HEADER = """# restquery parameters

Generated from the parameter table (`restquery/params.py`) by
`python -m restquery.rules._docs --parameters --write docs/parameters.md`; do not edit by hand.
Sections (§n) and rules (Rn) point into the restquery specification (`rest-url-language.md`);
path forms (Pn, Ln) are those of its §2.4. Names are matched case-insensitively.

| Parameter | Value | Spec | Path forms | Methods |
|-----------|-------|------|------------|---------|
"""



def render_parameters() -> str:
    from restquery.params import GROUPS, KINDS, TABLE

    out = [PARAMETERS_HEADER]
    for p in TABLE:
        anchor = p.name[1:].lower()
        out.append(
            f"| [`{p.name}`](#{anchor}) | {p.kind} | {p.section} | {', '.join(p.forms)} "
            f"| {', '.join(p.methods)} |\n"
        )
    for p in TABLE:
        out.append(f"\n### `{p.name}`\n\n")
        kind = "`true` (a flag)" if p.flag else KINDS[p.kind]
        if p.takes_true:
            kind += ", or `true`"
        facts = [f"Value: {kind}.", f"Spec: {p.section}" + (f", {', '.join(p.rules)}." if p.rules else ".")]
        if p.same_as:
            facts.append(f"Same as `{p.same_as}`.")
        if p.spellings:
            facts.append("Also spelled " + ", ".join(f"`{s}`" for s in p.spellings) + ".")
        if p.old_names:
            facts.append(
                "Older docs call it " + ", ".join(f"`{s}`" for s in p.old_names)
                + ", which the server does not read."
            )
        if p.odata_names:
            facts.append(
                "OData calls it " + ", ".join(f"`{s}`" for s in p.odata_names)
                + ", which the server does not read (RQ115)."
            )
        if p.values:
            facts.append("Values: " + ", ".join(f"`{v}`" for v in p.values) + ".")
        if p.legacy_values:
            facts.append(
                "Also accepted, with a warning: " + ", ".join(f"`{v}`" for v in p.legacy_values) + "."
            )
        facts.append(f"Path forms: {', '.join(p.forms)}.")
        if p.resources:
            facts.append("Also on: " + ", ".join(f"`${r}`" for r in sorted(p.resources)) + ".")
        facts.append(f"Methods: {', '.join(p.methods)}.")
        if p.needs:
            facts.append("Needs: " + ", ".join(f"`{n}`" for n in p.needs) + ".")
        for g in sorted(p.groups):
            facts.append(f"Group `{g}`: {GROUPS[g]}.")
        out.append("\n".join(f"- {f}" for f in facts))
        out.append(f"\n\nExample: `{p.example}`\n")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--parameters"]:
        args = args[1:]
        text = render_parameters()
    else:
        text = render()
    if args[:1] == ["--write"] and len(args) == 2:
        with open(args[1], "w", encoding="utf-8") as fh:
            fh.write(text)
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
