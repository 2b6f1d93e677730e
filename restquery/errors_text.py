"""Turns Lark's parse errors into located :class:`RestQuerySyntaxError` with words users know.

Terminal names never reach the user: each is described ("a comparison operator such as `=` or
`>`"), and the common mistakes get their own codes, messages and hints:

======  ==========================  ==================================================
code    name                        mistake
======  ==========================  ==================================================
RQ001   syntax-error                anything else
RQ002   unterminated-quote          ``$filter="lastName=Jones``
RQ003   unbalanced-parenthesis      ``(a=1 AND b=2``, ``Company(1``, ``a=1)``
RQ004   missing-value               ``salary>``, ``$filter=``
RQ005   missing-question-mark       ``/rest/Employee/$filter="..."`` (raised by the parser)
RQ006   empty-key                   ``Company()``, ``Company[]``
RQ007   empty-parameter             ``?$top=1&&$skip=2``
RQ008   dangling-operator           ``a=1 AND``, ``AND a=1``
RQ009   invalid-percent-encoding    ``%FF`` (raised while decoding)
RQ010   limit-exceeded              a limit option (raised by the parser)
RQ012   empty-segment               ``/rest//Company``
======  ==========================  ==================================================
"""

from __future__ import annotations

import re
from typing import Any

from restquery._decode import OffsetMap
from restquery.errors import RestQuerySyntaxError

__all__ = ["SYNTAX_CODES", "translate"]

#: code -> (name, short description), for documentation and tooling.
SYNTAX_CODES: dict[str, tuple[str, str]] = {
    "RQ001": ("syntax-error", "The text does not follow the grammar."),
    "RQ002": ("unterminated-quote", "A quoted value or key is not closed."),
    "RQ003": ("unbalanced-parenthesis", "A parenthesis or bracket is not matched."),
    "RQ004": ("missing-value", "A comparator or parameter has no value."),
    "RQ005": ("missing-question-mark", "A parameter is written as a path segment."),
    "RQ006": ("empty-key", "An entity key is empty."),
    "RQ007": ("empty-parameter", "Two `&` follow each other, or `&` ends the query."),
    "RQ008": ("dangling-operator", "A logical operator lacks a condition on one side."),
    "RQ009": ("invalid-percent-encoding", "Percent-encoded bytes are not UTF-8."),
    "RQ010": ("limit-exceeded", "The input exceeds a limit option."),
    "RQ012": ("empty-segment", "Two `/` follow each other in the path."),
}

_CONDITION = "a condition such as `lastName='Smith'`"
_COMPARATOR = "a comparison operator such as `=` or `>`"
_VALUE = "a value such as `'Smith'` or `42`"

_WORDS: dict[str, str] = {
    "ORIGIN": "a host",
    "ORIGIN_PLACEHOLDER": "a host",
    "SLASH": "`/`",
    "SEGMENT": "a path segment",
    "QMARK": "`?`",
    "AMP": "`&`",
    "EQ": "`=`",
    "PNAME": "a parameter name such as `$filter`",
    "DQ_VALUE": "a value",
    "SQ_VALUE": "a value",
    "RAW_VALUE": "a value",
    "KEYWORD": "a `$` keyword",
    "NAME": "a name",
    "QUOTED_KEY": "a key",
    "BARE_KEY": "a key",
    "SET_ID": "an entity-set ID",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "COLON": "`:`",
    "COMMA": "`,`",
    "DOT": "`.`",
    "CMP": _COMPARATOR,
    "BEGIN": _COMPARATOR,
    "IN": _COMPARATOR,
    "IS": _COMPARATOR,
    "IS_NOT": _COMPARATOR,
    "AND_OP": "`AND`, `OR` or `EXCEPT`",
    "OR_OP": "`AND`, `OR` or `EXCEPT`",
    "NOT": _CONDITION,
    "SQ_TEXT": _VALUE,
    "BARE": _VALUE,
    "ITEM_BARE": _VALUE,
    "DQ_STRING": "a value",
    "PLACEHOLDER": _VALUE,
    "INDEX": "`[]`",
    "CLASS_INDEX": "`{n}`",
    "DIRECTION": "`ASC` or `DESC`",
    "STAR": "`*`",
    "DOT_STAR": "`.*`",
    "JSON_NUMBER": "a JSON value",
    "JSON_TRUE": "a JSON value",
    "JSON_FALSE": "a JSON value",
    "JSON_NULL": "a JSON value",
    "$END": "the end",
}

_TRAILING_OP = re.compile(r"(?i)(?:(?<![\w])(?:and|or|except|not)|&&|&|\|\||\|)\s*$")
_LEADING_OP = re.compile(r"(?i)\s*(?:(?:and|or|except)(?!\w)|&&|&|\|\||\|)")
_CMP_BEFORE = re.compile(r"(?i)(===|!==|==|!=|>=|<=|=|#|>|<|%|\bbegin|\bin|\bis\s+not|\bis)\s*$")


def _describe(expected: Any, *, in_filter: bool) -> str:
    names = set(expected)
    if in_filter and {"NAME", "LPAR"} <= names:
        names -= {"NAME", "LPAR", "NOT", "PLACEHOLDER"}
        phrases = [_CONDITION]
    else:
        phrases = []
    for name in sorted(names, key=lambda n: (n == "$END", n)):
        phrase = _WORDS.get(name, f"`{name.lower()}`")
        if name == "NAME" and in_filter:
            phrase = "an attribute name"
        if phrase not in phrases:
            phrases.append(phrase)
    if not phrases:
        return "something else"
    if len(phrases) == 1:
        return phrases[0]
    return ", ".join(phrases[:-1]) + " or " + phrases[-1]


def _error(
    code: str, message: str, omap: OffsetMap, start: int, end: int, hint: str | None, url: str
) -> RestQuerySyntaxError:
    return RestQuerySyntaxError(
        code, message, omap.span(start, end), hint=hint, url=url, name=SYNTAX_CODES[code][0]
    )


def _unmatched_open(text: str, upto: int, opener: str, closer: str) -> int | None:
    stack: list[int] = []
    quote = ""
    for i, ch in enumerate(text[:upto]):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"" and (i == 0 or not (text[i - 1].isalnum())):
            quote = ch
        elif ch == opener:
            stack.append(i)
        elif ch == closer and stack:
            stack.pop()
    return stack[-1] if stack else None


def translate(exc: Exception, text: str, omap: OffsetMap, what: str, url: str) -> RestQuerySyntaxError:
    """A located syntax error for ``exc``, raised while parsing ``text`` (``what`` names it)."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    in_filter = what.startswith("$filter") or what.startswith("$savedfilter")
    where = "the URL" if what == "url" else f"the {what}"
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        ch = text[pos]
        if ch in "\"'":
            closer = "'" if ch == "'" else '"'
            return _error(
                "RQ002",
                f"The quote opened here in {where} is never closed.",
                omap, pos, len(text),
                f"add the closing {closer} (to put a quote inside a value, use a placeholder"
                " and `$params` with `\\u0027` or `\\u0022`)",
                url,
            )
        if ch == ")" or ch == "]":
            return _error(
                "RQ003",
                f"This `{ch}` in {where} closes nothing.",
                omap, pos, pos + 1,
                f"remove the `{ch}` or add the matching `{'(' if ch == ')' else '['}`",
                url,
            )
        expected = _describe(exc.allowed or (), in_filter=in_filter)
        shown = repr(ch)[1:-1] if not ch.isprintable() or ch == " " else ch
        return _error(
            "RQ001",
            f"Unexpected character `{shown}` in {where}; expected {expected}.",
            omap, pos, pos + 1,
            f"write {expected} here",
            url,
        )
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        expected = set(exc.expected or ())
        at_end = tok.type == "$END"
        pos = len(text) if at_end else tok.start_pos
        end = pos if at_end else tok.end_pos
        found = f"the end of {where}" if at_end else f"`{tok.value}`"
        if what == "url":
            if tok.type == "AMP" and "PNAME" in expected:
                return _error(
                    "RQ007",
                    "Two `&` follow each other: there is an empty parameter here.",
                    omap, pos, end,
                    "remove the extra `&`",
                    url,
                )
            if tok.type == "SLASH" and "SEGMENT" in expected:
                return _error(
                    "RQ012",
                    "The path has an empty segment (`//`).",
                    omap, pos - 1, end,
                    "remove the extra `/`",
                    url,
                )
        if expected & {"QUOTED_KEY", "BARE_KEY"} and tok.type in ("RPAR", "RSQB"):
            return _error(
                "RQ006",
                f"The entity key is empty in {where}.",
                omap, pos - 1, end,
                "put the key between the brackets, as in `Company(1)` or `Company[1]`",
                url,
            )
        for opener, closer, name in (("(", ")", "RPAR"), ("[", "]", "RSQB")):
            if name in expected and (at_end or tok.type in ("AND_OP", "OR_OP", "COMMA")):
                open_at = _unmatched_open(text, pos, opener, closer)
                if open_at is not None and at_end:
                    return _error(
                        "RQ003",
                        f"This `{opener}` in {where} is never closed.",
                        omap, open_at, open_at + 1,
                        f"add the matching `{closer}`",
                        url,
                    )
        if tok.type in ("RPAR", "RSQB") and tok.type not in expected:
            return _error(
                "RQ003",
                f"This `{tok.value}` in {where} closes nothing.",
                omap, pos, end,
                f"remove the `{tok.value}` or add the matching `{'(' if tok.value == ')' else '['}`",
                url,
            )
        before = text[:pos]
        if in_filter and {"NAME", "LPAR"} <= expected:
            op = _TRAILING_OP.search(before)
            if op is not None:
                word = op.group().strip()
                shown = word.upper() if word[0].isalpha() else word
                return _error(
                    "RQ008",
                    f"`{shown}` in {where} has no condition after it.",
                    omap, op.start(), op.start() + len(word),
                    f"add a condition after `{shown}` or remove it",
                    url,
                )
            if tok.type in ("AND_OP", "OR_OP"):
                shown = tok.value.upper() if tok.value[0].isalpha() else tok.value
                return _error(
                    "RQ008",
                    f"`{shown}` in {where} has no condition before it.",
                    omap, pos, end,
                    f"add a condition before `{shown}` or remove it",
                    url,
                )
        if in_filter and expected & {"BARE", "SQ_TEXT"}:
            cmp = _CMP_BEFORE.search(before)
            op = cmp.group(1) if cmp else "the comparator"
            return _error(
                "RQ004",
                f"The comparison has no value after `{op}`.",
                omap, cmp.start(1) if cmp else pos, (cmp.end(1) if cmp else end),
                f"write a value after `{op}`, such as `'Smith'`, `42` or `:1`",
                url,
            )
        description = _describe(expected, in_filter=in_filter)
        return _error(
            "RQ001",
            f"Unexpected {found} in {where}; expected {description}.",
            omap, pos, end,
            f"write {description} here",
            url,
        )
    return _error(
        "RQ001",
        f"{where[0].upper()}{where[1:]} cannot be read: {exc}",
        omap, 0, len(text),
        None,
        url,
    )
