"""Exhaustive enumeration: every string up to a given length over the delimiter alphabet
``$&=()[]/"'?%:,. `` (16 characters, space included), placed after ``/rest/X?``.

Each URL is parsed and validated (only :class:`restquery.RestQueryError` may escape ``parse``,
nothing ``validate``, every span inside the text) and, when it parses, printed back and parsed
again (round trip, idempotent canonicalisation): see :func:`_fuzzlib.check_input`.

``RESTQUERY_EXHAUSTIVE_LENGTH`` sets the length (default 4: 69 905 strings, about 10 s on a
CI machine; 5 gives 1 118 481 strings, a few minutes). Every string is run even after a
failure; the test then lists the first failures of each kind.
"""

from __future__ import annotations

import os
from collections import defaultdict

import pytest
from _fuzzlib import DELIMITERS, Finding, check_input, count_strings, enumerate_strings

LENGTH = int(os.environ.get("RESTQUERY_EXHAUSTIVE_LENGTH", "4"))
PREFIX = "/rest/X?"

#: Strings of the enumeration that once broke a guarantee (run first, whatever LENGTH).
REGRESSIONS: list[str] = []


def test_alphabet() -> None:
    assert len(DELIMITERS) == 16 and len(set(DELIMITERS)) == 16 and " " in DELIMITERS
    assert count_strings(16, 4) == 69_905


@pytest.mark.parametrize("tail", REGRESSIONS or [""])
def test_regressions(tail: str) -> None:
    check_input(PREFIX + tail, with_catalog=False, twice=False)


def test_every_short_string() -> None:
    failures: dict[str, list[str]] = defaultdict(list)
    total = 0
    for tail in enumerate_strings(DELIMITERS, LENGTH):
        total += 1
        try:
            check_input(PREFIX + tail, with_catalog=False, twice=False)
        except Finding as finding:
            kind = str(finding).split(":", 1)[0]
            failures[kind].append(str(finding))
    assert total == count_strings(len(DELIMITERS), LENGTH)
    report = {kind: (len(items), items[:3]) for kind, items in failures.items()}
    assert not failures, f"{sum(len(v) for v in failures.values())} of {total} strings: {report}"
