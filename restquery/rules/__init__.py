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
import pkgutil

from restquery.rules._base import Context, Rule, rule

__all__ = ["RETIRED", "Context", "Rule", "get", "registry", "rule"]

#: Codes that once existed and must never be given to another rule.
RETIRED: frozenset[str] = frozenset()


@functools.cache
def registry() -> tuple[Rule, ...]:
    """Every rule, ordered by spec rule then code."""
    rules: list[Rule] = []
    names = sorted(
        m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("r") and m.name[1:3].isdigit()
    )
    for name in names:
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
