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

from restquery.rules._base import Context, Rule, rule

__all__ = ["MODULES", "RETIRED", "Context", "Rule", "get", "registry", "rule"]

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
