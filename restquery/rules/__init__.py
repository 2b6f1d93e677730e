"""The rule registry: one module per spec rule (``rNN_*.py``, R1–R50 of spec §7), in spec order.

Each module exports ``RULES``, a tuple of :class:`~restquery.rules._base.Rule` (a spec rule
whose severity depends on the case — an error for what cannot work, a warning for what the
spec tags [X], legacy or Qodly-only — has one code per severity). Codes are stable and never
reused: a retired code goes to :data:`RETIRED` and stays there.

>>> from restquery.rules import registry, get
>>> get("RQ301").name, get("binary-requires-expand").code
('binary-requires-expand', 'RQ301')
"""

from __future__ import annotations

import functools
import importlib

from restquery.errors import RestQueryError
from restquery.rules._base import Context, Rule, rule

__all__ = ["MODULES", "RETIRED", "Context", "Rule", "get", "registry", "rule", "rule_keys", "selection"]

#: The rule modules, in spec order: an explicit list (tests/test_registry.py checks it against
#: the files), so that loading the rules needs no package scan.
MODULES: tuple[str, ...] = (
    "r01_prefix", "r02_path_keywords", "r03_segment_order", "r04_singleton", "r05_directory",
    "r06_parameters", "r06b_no_dollar", "r07_duplicates", "r08_keys", "r09_dataclass",
    "r10_attributes", "r11_functions", "r12_key_type", "r13_lookup", "r14_object_paths",
    "r15_binary", "r16_upload", "r17_image", "r18_compute", "r19_distinct", "r20_method_value",
    "r21_method_verb", "r22_update", "r23_delete", "r24_release", "r25_subentityset",
    "r26_timeout", "r27_saved", "r28_logic_operator", "r29_clean", "r30_counts",
    "r31_paging_entityset", "r32_lock", "r33_flags", "r34_format", "r35_asarray", "r36_atomic",
    "r37_query_info", "r38_params", "r39_entity_set_id", "r40_vector", "r41_query_syntax",
    "r42_descriptive", "r43_single_entity", "r44_function_verb", "r45_login", "r46_release_method",
    "r47_force_login", "r48_key_style", "r49_expand_target", "r50_expand_relation",
)

#: Codes that once existed and must never be given to another rule.
RETIRED: frozenset[str] = frozenset()


@functools.cache
def registry() -> tuple[Rule, ...]:
    """Every rule, ordered by spec rule then code."""
    rules: list[Rule] = []
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        rules.extend(module.RULES)
    codes = [r.code for r in rules]
    duplicates = {c for c in codes if codes.count(c) > 1}
    if duplicates or RETIRED & set(codes):  # pragma: no cover - guarded by tests
        raise RuntimeError(f"rule codes reused: {sorted(duplicates | (RETIRED & set(codes)))}")
    return tuple(rules)


@functools.cache
def _index() -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for r in registry():
        out[r.code] = r
        out[r.name] = r
    return out


def get(code_or_name: str) -> Rule:
    """The rule with this code (``RQ301``) or name (``binary-requires-expand``)."""
    try:
        return _index()[code_or_name.upper() if code_or_name[:2].lower() == "rq" else code_or_name]
    except KeyError:
        raise KeyError(f"no rule {code_or_name!r}") from None


# ---------------------------------------------------------------------------------------------
# Selection: the one reading of select / ignore, for validate, check, lint and the integrations
# ---------------------------------------------------------------------------------------------


def rule_keys(value: object, option: str = "select") -> tuple[str, ...]:
    """The keys of a ``select`` or ``ignore`` value: a string (comma-separated, as on the
    command line) or an iterable of them; codes are upper-cased. Anything else raises
    :class:`RestQueryError` naming ``option``.

    >>> rule_keys("RQ301, rq3"), rule_keys(["binary-requires-expand", "RQ1,RQ2"])
    (('RQ301', 'RQ3'), ('binary-requires-expand', 'RQ1', 'RQ2'))
    """
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[object] = [value]
    else:
        try:
            items = list(value)  # type: ignore[call-overload]
        except TypeError:
            raise RestQueryError(
                f"{option} must be a string or an iterable of strings, not {type(value).__name__}"
            ) from None
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise RestQueryError(
                f"{option} must hold strings (rule codes, code prefixes or names), not"
                f" {type(item).__name__}"
            )
        for key in item.split(","):
            key = key.strip()
            if key:
                out.append(key.upper() if key[:2].lower() == "rq" else key)
    return tuple(out)


def selection(select: object = None, ignore: object = None, strict: bool = False) -> tuple[Rule, ...]:
    """The rules to run, in registry order: the default rules, or those ``select`` names, minus
    those ``ignore`` names. Keys are codes (``RQ301``), code prefixes (``RQ3``) or names
    (``binary-requires-expand``), as :func:`rule_keys` reads them; repeated keys add up.

    * A prefix selects default rules only: an opt-in rule runs only when its code or its name
      is selected.
    * Syntax errors (``RQ0xx``) are not rules: a URL that does not parse cannot be checked, so
      they are always reported. Selecting one is allowed (it selects no rule); ignoring one is
      an error, never a silent hide.
    * A key that matches no rule raises :class:`RestQueryError`.
    * ``strict`` (``--strict``) adds the opt-in rules marked ``strict`` to the default set and
      to what a prefix selects.

    >>> [r.code for r in selection("RQ30", ignore="RQ302")][:3]
    ['RQ301', 'RQ303', 'RQ304']
    """
    return _selection(rule_keys(select, "select"), rule_keys(ignore, "ignore"), bool(strict))


@functools.lru_cache(maxsize=256)
def _selection(select: tuple[str, ...], ignore: tuple[str, ...], strict: bool = False) -> tuple[Rule, ...]:
    rules = registry()
    syntax: dict[str, str] | None = None

    def syntax_codes() -> dict[str, str]:
        nonlocal syntax
        if syntax is None:
            from restquery.syntax.explain import SYNTAX_CODES

            syntax = {code: name for code, (name, _) in SYNTAX_CODES.items()}
        return syntax

    def is_syntax(key: str) -> bool:
        return any(code.startswith(key) or name == key for code, name in syntax_codes().items())

    def named(rule: Rule, key: str) -> bool:
        return rule.code == key or rule.name == key

    def is_code_lint(key: str) -> bool:
        from restquery.rules._code_lints import CODE_LINTS

        return any(code.startswith(key) or c.name == key for code, c in CODE_LINTS.items())

    unknown = [
        k
        for k in (*select, *ignore)
        if not any(named(r, k) or r.code.startswith(k) for r in rules)
        and not is_syntax(k)
        and not is_code_lint(k)
    ]
    if unknown:
        from restquery.syntax.explain import RETIRED_CODES

        for key in unknown:
            for code, (name, successor) in RETIRED_CODES.items():
                if key in (code, name):
                    raise RestQueryError(
                        f"{key} is retired: {code} is no longer reported; {successor} took its"
                        f" place (write {successor})"
                    )
        raise RestQueryError(f"no rule matches {', '.join(dict.fromkeys(unknown))}")
    hidden = [
        k for k in ignore if is_syntax(k) and not any(named(r, k) or r.code.startswith(k) for r in rules)
    ]
    if hidden:
        raise RestQueryError(
            f"{', '.join(dict.fromkeys(hidden))}: a syntax error cannot be ignored (a URL that"
            " does not parse cannot be checked by any rule, so its error is always reported)"
        )
    def on(rule: Rule) -> bool:
        return rule.default or (strict and rule.strict)

    if select:
        chosen = [
            r for r in rules if any(named(r, k) or (on(r) and r.code.startswith(k)) for k in select)
        ]
    else:
        chosen = [r for r in rules if on(r)]
    return tuple(
        r for r in chosen if not any(named(r, k) or r.code.startswith(k) for k in ignore)
    )
