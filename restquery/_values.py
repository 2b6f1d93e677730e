"""Typing of bare lexemes, shared by the transformer and the shortcuts (no Lark here)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from restquery.ast import Boolean, Date, Key, Null, Number, Span, Text

__all__ = ["bare_value", "key_value"]

_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _number(text: str) -> int | float:
    return int(text) if "." not in text else float(text)


def bare_value(text: str, span: Span) -> Any:
    """Type a bare filter token (spec §4.5): number, date, boolean, null or text."""
    if _NUMBER.fullmatch(text):
        return Number(value=_number(text), raw=text, span=span)
    if text == "true" or text == "false":
        return Boolean(value=text == "true", raw=text, span=span)
    if text == "null":
        return Null(span=span)
    if _DATE.fullmatch(text):
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return Date(value=day, raw=text, span=span)
    return Text(value=text, quoted=False, span=span)


def key_value(tok: Any, span: Span) -> Key:
    """A key or look-up value of a path (spec §2.1): quoted text, number or bare text."""
    text = tok.value
    if tok.type == "QUOTED_KEY":
        return Key(value=text[1:-1], quoted=True, raw=text, span=span)
    if _NUMBER.fullmatch(text):
        return Key(value=_number(text), raw=text, span=span)
    return Key(value=text, raw=text, span=span)
