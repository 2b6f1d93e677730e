"""What each ``$filter`` operator means (spec §4.2, §4.3, §4.5): one table, read by the rules
(R41's REST spellings and wildcard checks) and by :mod:`restquery.sql`. The spellings are the
lexicon's (``tests/test_lexicon.py`` checks that this table covers them all, and no more).

>>> COMPARATORS["#"]
Meaning(test='ne', wildcard=True, rest='!=')

What a logical operator means is :attr:`restquery.ast.BoolOp.kind` (``&&`` is an ``AND``).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["COMPARATORS", "REST_COMPARATORS", "Meaning"]


class Meaning(NamedTuple):
    """What a comparator tests: ``test`` is ``eq``, ``ne``, ``lt``, ``le``, ``gt``, ``ge``,
    ``begin``, ``in`` or ``keyword``; ``wildcard``, whether ``@`` in a text value is 4D's
    wildcard (``===``, ``!==``, ``IS``, ``IS NOT`` and ``%`` take it as written); ``rest``, the
    spelling of the REST ``$filter`` page with the same meaning (``None``: none)."""

    test: str
    wildcard: bool
    rest: str | None


#: Each comparator as the tree spells it (spec §4.2; query() spellings after the REST ones).
COMPARATORS: dict[str, Meaning] = {
    "=": Meaning("eq", True, "="),
    "!=": Meaning("ne", True, "!="),
    "<": Meaning("lt", True, "<"),
    "<=": Meaning("le", True, "<="),
    ">": Meaning("gt", True, ">"),
    ">=": Meaning("ge", True, ">="),
    "BEGIN": Meaning("begin", True, "BEGIN"),
    "==": Meaning("eq", True, "="),
    "#": Meaning("ne", True, "!="),
    "===": Meaning("eq", False, None),
    "!==": Meaning("ne", False, None),
    "IS": Meaning("eq", False, None),
    "IS NOT": Meaning("ne", False, None),
    "IN": Meaning("in", True, None),
    "%": Meaning("keyword", False, None),
}

#: The comparators the REST ``$filter`` page documents (spec §4.2).
REST_COMPARATORS = frozenset(c for c, m in COMPARATORS.items() if m.rest == c)

