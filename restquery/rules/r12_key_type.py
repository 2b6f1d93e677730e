"""R12: with a catalog, an entity key fits the type of the primary-key attribute (spec §7.2).

A numeric key (``long``, ``long64``, ``word``, ``byte``, ``integer``: whole numbers; ``number``,
``float``: any number) must be a number, quoted or not (``Company(1)``, ``Company("1")``); a
``uuid`` key must be a UUID (32 hexadecimal digits, dashes allowed). Text keys take anything.
Other key types, composite keys and unknown types are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from restquery.ast import Key, KeySegment
from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, rule
from restquery.semantics.facts import path_dataclass

__all__ = ["RULES"]

_WHOLE_TYPES = frozenset({"long", "long64", "word", "byte", "integer"})
_REAL_TYPES = frozenset({"number", "float", "real"})
_INTEGER = re.compile(r"[+-]?\d+")
_REAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_UUID = re.compile(
    r"[0-9A-Fa-f]{32}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
)


def _fits(key: Key, type_name: str) -> bool | None:
    """Whether ``key`` fits a primary key of ``type_name``; ``None`` when not checked."""
    value = key.value
    text = value.strip() if isinstance(value, str) else None
    if type_name in _WHOLE_TYPES:
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return True
        if isinstance(value, float):
            return value.is_integer() and "." not in (key.raw or "")
        return bool(_INTEGER.fullmatch(text or ""))
    if type_name in _REAL_TYPES:
        if isinstance(value, (int, float)):
            return True
        return bool(_REAL.fullmatch(text or ""))
    if type_name == "uuid":
        return text is not None and bool(_UUID.fullmatch(text))
    return None


@rule(
    "RQ204",
    "key-type-mismatch",
    "warning",
    spec="R12",
    message="The key `{key}` does not fit the primary key `{attribute}`, of type `{type}`.",
    needs_catalog=True,
)
def key_type_mismatch(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """With a catalog: an entity key whose form does not fit the primary key's type.

    Why: a ``long`` primary key only matches digits and a ``uuid`` key only a UUID; a key of
    another form finds no entity (the server converts what it can, so this is a warning). It
    is often the key of another dataclass, or a name written where the key belongs.

    Example: ``/rest/Company(acme)`` — warning when ``Company.ID`` is a ``long``.
    ``/rest/Company(1)``, ``/rest/Company("1")`` — valid.

    Fix: give the primary-key value, or look the entity up by a unique attribute
    (``/rest/Company:name(acme)``).

    Spec: R12.
    """
    segs = ctx.request.path.segments
    dc = path_dataclass(ctx)
    if dc is None or not segs or not isinstance(segs[0], KeySegment) or len(dc.key) != 1:
        return
    pk = dc.primary_key
    if pk is None or not pk.type:
        return
    key = segs[0].key
    type_name = pk.type.lower()
    if _fits(key, type_name) is not False:
        return
    if type_name == "uuid":
        hint = "give the entity's UUID (32 hexadecimal digits)"
    else:
        hint = (
            "give a numeric key, or look the entity up by a unique attribute: "
            f"`{dc.name}:{{attribute}}(value)`"
        )
    shown = key.raw if key.raw is not None else str(key.value)
    yield rule.at(key.span, hint=hint, key=shown, attribute=pk.name, type=pk.type)


RULES = (key_type_mismatch,)
