"""Typing of bare lexemes, shared by the transformer and the shortcuts (no Lark here).

Numbers are read here, and so is their one limit: :data:`MAX_NUMBER_DIGITS`.
"""

from __future__ import annotations

import datetime
import math

from restquery.syntax.decode import OffsetMap
from restquery.syntax.lexicon import DATE, NUMBER, lexicon
from restquery.ast import (
    Boolean, Date, Key, Null, Number, Placeholder, Span, Template, Text, as_span, is_template,
)
from restquery.errors import RestQueryLimitError, RestQuerySyntaxError

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "MAX_NUMBER_DIGITS",
    "LongNumber",
    "bare_value",
    "digit_count",
    "int_too_long",
    "json_int",
    "key_value",
    "number_too_long",
    "placeholder",
]

#: The most digits a number may have anywhere in a URL: entity keys, filter values,
#: placeholder indexes, integer parameters (``$top``, ``$skip``, ``$timeout``, ...), ports,
#: ``{n}`` class indexes and ``$params`` JSON. Leading zeros and the digits of an exponent
#: count; a sign, a point or an ``e`` do not. A longer number is refused with RQ013
#: ``number-too-long``. 640 is the lowest limit Python lets a process put on converting
#: between ``int`` and ``str`` (``sys.set_int_max_str_digits``): whatever a process sets, no
#: number restquery accepts can trip it. 4D's integers have at most 20 digits and a real
#: written out in full at most a few hundred.
MAX_NUMBER_DIGITS = 640


def digit_count(text: str) -> int:
    """The digits of the number lexeme ``text`` (``-1.5e+10`` has 5)."""
    return len(text) - sum(text.count(c) for c in "+-.eE")


class LongNumber(Exception):
    """A JSON number over the limit (raised by :func:`json_int`, the ``json`` module's
    ``parse_int``). Not a ValueError: the json module must not take it for one of its own."""

    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def json_int(text: str) -> int:
    """``int(text)`` for the json module, refusing numbers over the limit."""
    if len(text) > MAX_NUMBER_DIGITS and digit_count(text) > MAX_NUMBER_DIGITS:
        raise LongNumber(digit_count(text))
    return int(text)


_TOO_BIG = 10**MAX_NUMBER_DIGITS


def int_too_long(value: int) -> bool:
    """Whether ``value`` has more than :data:`MAX_NUMBER_DIGITS` digits."""
    return not -_TOO_BIG < value < _TOO_BIG


def number_too_long(digits: int, span: Span, url: str | None = None) -> RestQueryLimitError:
    """RQ013 for a number of ``digits`` digits written at ``span``."""
    return RestQueryLimitError(
        "RQ013",
        f"The number is {digits} digits long, over the limit of {MAX_NUMBER_DIGITS} digits.",
        span,
        hint=f"write the number in at most {MAX_NUMBER_DIGITS} digits, or quote it as text if"
        " it is an identifier rather than a number",
        url=url,
        name="number-too-long",
    )


def _number(text: str, span: Span | int) -> int | float:
    # len() first: the exact count only matters for texts that may be over the limit.
    if len(text) > MAX_NUMBER_DIGITS:
        digits = digit_count(text)
        if digits > MAX_NUMBER_DIGITS:
            raise number_too_long(digits, as_span(span))
    if "." not in text:
        return int(text)
    value = float(text)
    if math.isinf(value):
        raise RestQuerySyntaxError(
            "RQ001",
            "The number is out of the range of a real (about ±1.8e308).",
            as_span(span),
            hint="write a smaller number, or quote it as text",
        )
    return value


def typed_token(text: str) -> bool:
    """Whether :func:`bare_value` reads this bare token as a number, date, boolean or null
    rather than text (so a printer must quote it to keep it text)."""
    if NUMBER.fullmatch(text) or text in lexicon().json_literals:
        return True
    if DATE.fullmatch(text):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return False
        return True
    return False


def bare_value(text: str, span: Span | int) -> Any:
    """Type a bare filter token (spec §4.5): number, date, boolean, null, text, or a template
    when it holds one (``{{salary}}``: its type is unknown). ``span`` is a :class:`Span` or a
    packed one (``start << 32 | end``)."""
    if NUMBER.fullmatch(text):
        return Number._new(_number(text, span), text, span)
    literals = lexicon().json_literals
    if text in literals:
        value = literals[text]
        return Null._new(span) if value is None else Boolean._new(value, text, span)
    if DATE.fullmatch(text):
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return Date._new(day, text, span)
    if is_template(text):
        return Template._new(text, span)
    return Text._new(text, False, span)


def key_value(text: str, span: Span | int) -> Key:
    """A key or look-up value of a path (spec §2.1), as written: quoted text (a bare key holds
    no ``"``), number or bare text. ``span`` is a :class:`Span` or a packed one."""
    if text[:1] == '"':
        return Key._new(text[1:-1], True, text, span)
    if NUMBER.fullmatch(text):
        return Key._new(_number(text, span), False, text, span)
    return Key._new(text, False, text, span)


def placeholder(text: str, omap: OffsetMap, start: int) -> Placeholder:
    """The placeholder token ``text`` (``:1``, ``:name``), found at ``start`` of the decoded
    text that ``omap`` maps (spec §4.6)."""
    ident = text[1:]
    span = omap.packed(start, start + len(text))
    # The grammar's index is ASCII digits; a name may hold other digits (`:a²`, even `:²`).
    if "0" <= ident[:1] <= "9":
        if len(ident) > MAX_NUMBER_DIGITS:
            raise number_too_long(len(ident), omap.span(start + 1, start + len(text)))
        return Placeholder._new(int(ident), None, span)
    return Placeholder._new(None, ident, span)
