"""OData written where the 4D REST language has its own spelling: the comparison words
(``eq``, ``gt``...) and the text functions (``contains(``...) that clients written for OData
send in a ``$filter`` (syntax errors RQ016 and RQ017, :mod:`restquery.syntax.explain`), with
the 4D text that means the same.

>>> odata_mistake("name eq 'x'", 5, 7, "eq", "NAME", None)[::5]
('RQ016', '=')
"""

from __future__ import annotations

import re

from restquery.syntax.read import Read

__all__ = ["ODATA_COMPARATORS", "ODATA_FUNCTIONS", "odata_mistake"]

#: OData's comparison words (OData 4.01 URL conventions §5.1.1.1) and the comparator 4D writes
#: for each (spec §4.2).
ODATA_COMPARATORS = {"eq": "=", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}

#: OData's text functions (§5.1.1.5) and the 4D condition of the same meaning: ``{path}`` and
#: ``{text}`` (the text, single-quoted) are filled in (spec §4.2 ``begin``, §4.4 ``@``).
ODATA_FUNCTIONS = {
    "contains": "{path}='@{text}@'",
    "startswith": "{path} begin '{text}'",
    "endswith": "{path}='@{text}'",
}

# `name(path, 'text')`: OData's path (`/` between its names) and a text without quotes in it.
_ODATA_CALL = re.compile(r"(\w+)\(\s*([^\W\d][\w]*(?:[./][^\W\d]\w*)*)\s*,\s*'([^']*)'\s*\)")


def odata_mistake(
    text: str, pos: int, end: int, found: str | None, tok_type: str | None, top: Read | None
) -> tuple[str, int, int, str, str, str | None] | None:
    """``(code, start, end, message, hint, replacement)`` when the parser, expecting a
    comparator in the filter ``text``, stopped at an OData word (``found`` at ``pos``) or at
    the ``(`` of an OData function (``top``, the name before it); offsets index ``text``."""
    word = (found or "").lower()
    if tok_type == "NAME" and word in ODATA_COMPARATORS:
        cmp = ODATA_COMPARATORS[word]
        shown = (found or "")[:12]
        message = f"`{shown}` is OData's comparison word; the 4D REST server compares with `{cmp}`"
        return "RQ016", pos, end, message, f"write `{cmp}`", cmp
    if tok_type != "LPAR" or top is None or top.kind != "NAME" or top.end != pos:
        return None
    name = (top.text or "").lower()
    if name not in ODATA_FUNCTIONS:
        return None
    message = f"`{top.text}(` is an OData function; the 4D REST server has no functions"
    call = _ODATA_CALL.match(text, top.start)
    if call is None:
        shown = ODATA_FUNCTIONS[name].format(path="attribute", text="text")
        return "RQ017", top.start, end, message, f"write `{shown}`", None
    shown = ODATA_FUNCTIONS[name].format(path=call.group(2).replace("/", "."), text=call.group(3))
    return "RQ017", top.start, call.end(), message, f"write `{shown}`", shown
