"""Turns Lark's parse errors into located :class:`RestQuerySyntaxError` with words users know.

Terminal names never reach the user: each is described ("a comparison operator such as `=` or
`>`", :mod:`restquery.syntax.expected`), and the common mistakes get their own codes, messages and hints:

======  ==========================  ==========================================================
code    name                        mistake
======  ==========================  ==========================================================
RQ001   syntax-error                anything else
RQ002   unterminated-quote          ``$filter="lastName=Jones``, ``lastName='Jones`` in a
                                    filter, ``$params='["a"``, ``Company("abc``
RQ003   unbalanced-parenthesis      ``(a=1 AND b=2``, ``a=1)``, ``Company(1``, ``Company[1``,
                                    ``id IN [1,2``, ``$params='[1,2'``
RQ004   missing-value               ``salary>``, ``a= AND b=1``, ``$filter=`` (raised by the
                                    parser)
RQ005   missing-question-mark       ``/rest/Employee/$filter="..."`` (raised by the parser)
RQ006   empty-key                   ``Company()``, ``Company[]``
RQ008   dangling-operator           ``a=1 AND``, ``a=1 AND )``, ``AND a=1``, ``a=1 OR OR b=2``
RQ009   invalid-percent-encoding    ``%FF``, ``%C3`` alone (raised while decoding)
RQ010   limit-exceeded              a limit option (raised by the parser)
RQ012   empty-segment               ``/rest//Company``
RQ013   number-too-long             a number of more than ``MAX_NUMBER_DIGITS`` digits (raised
                                    by the parser, :mod:`restquery.syntax.values`)
======  ==========================  ==========================================================

:data:`INTEGRATION_CODES` lists the codes that only the server integrations report, about the
request rather than the URL text (``parse`` never raises them): RQ014 ``ambiguous-target``,
RQ015 ``unfilled-template``.

Spans index the text exactly as the caller gave it: positions in a percent-decoded component
go through its :class:`~restquery.syntax.decode.OffsetMap`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from restquery.syntax.decode import OffsetMap, decode
from restquery.syntax.expected import (
    CLOSERS,
    END,
    KINDS,
    PAIRS,
    VALUE,
    describe,
    unmatched_open,
)
from restquery.errors import RestQuerySyntaxError
from restquery.params import value_kind
from restquery.syntax.lexicon import lexicon

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from restquery._records import NamedTuple

__all__ = ["INTEGRATION_CODES", "RETIRED_CODES", "SYNTAX_CODES", "as_shown", "translate"]

#: code -> (name, short description), for documentation and tooling.
SYNTAX_CODES: dict[str, tuple[str, str]] = {
    "RQ001": ("syntax-error", "The text does not follow the grammar."),
    "RQ002": ("unterminated-quote", "A quoted value, text or key is not closed."),
    "RQ003": ("unbalanced-parenthesis", "A parenthesis or bracket is not matched."),
    "RQ004": ("missing-value", "A comparator or parameter has no value."),
    "RQ005": ("missing-question-mark", "A parameter is written as a path segment."),
    "RQ006": ("empty-key", "An entity key is empty."),
    "RQ008": ("dangling-operator", "A logical operator lacks a condition on one side."),
    "RQ009": ("invalid-percent-encoding", "Percent-encoded bytes are not UTF-8."),
    "RQ010": ("limit-exceeded", "The input exceeds a limit option."),
    "RQ012": ("empty-segment", "Two `/` follow each other in the path."),
    "RQ013": ("number-too-long", "A number has more digits than the limit."),
}

#: Codes no longer reported, with what took their place: code -> (name, successor code).
RETIRED_CODES: dict[str, tuple[str, str]] = {
    "RQ007": ("empty-parameter", "RQ114"),
}

#: Codes of the same series that only the server integrations report (a request target the
#: server would route otherwise than it reads): code -> (name, message).
INTEGRATION_CODES: dict[str, tuple[str, str]] = {
    "RQ014": (
        "ambiguous-target",
        (
            "The request target is not in the form the server routes: it could reach the REST"
            " server without being checked."
        ),
    ),
    "RQ015": (
        "unfilled-template",
        (
            "The request holds a template placeholder its client did not fill in: what it"
            " stands for could not be checked."
        ),
    ),
}


class _Before(NamedTuple):
    """What stands at the end of the text before an error (composed from the lexicon)."""

    #: a logical operator or NOT: `a=1 AND`
    operator: re.Pattern[str]
    #: an operator word that the parser read as an attribute name (`AND a=1`, `a=1 OR OR b=2`)
    operator_as_name: re.Pattern[str]
    #: an operator word that the parser read as a bare value (`a= AND b=1`)
    operator_as_value: re.Pattern[str]
    #: a comparator (group 1)
    comparator: re.Pattern[str]
    #: a name, in a path segment
    name: re.Pattern[str]


@functools.cache
def _before() -> _Before:
    lex = lexicon()

    def either(spellings: Iterable[str]) -> str:
        # longest first, so that `==` is not read as `=`; blanks inside a word operator
        # (`is not`) may be any run of white space
        ordered = sorted(spellings, key=len, reverse=True)
        return "|".join(r"\s+".join(map(re.escape, s.split())) for s in ordered)

    words = either(lex.logical_words + lex.negations)
    operator = rf"(?:(?<![\w.\]}}])(?:{words})(?!\w)|{either(lex.logical_symbols)})"
    symbols = [c for c in lex.comparators if c in lex.symbol_comparators]
    cmp_words = [c.lower() for c in lex.comparators if c in lex.word_comparators]
    comparator = rf"({either(symbols)}|(?<!\w)(?:{either(cmp_words)}))"
    return _Before(
        operator=re.compile(rf"(?i){operator}\s*$"),
        operator_as_name=re.compile(rf"(?i)(?<![\w.\]}}])({either(lex.logical_words)})\s*$"),
        operator_as_value=re.compile(rf"(?i){comparator}\s*(?:{words})\s*$"),
        comparator=re.compile(rf"(?i){comparator}\s*$"),
        name=re.compile(rf"(?:{lex.regex('url.NAME')})$"),
    )

_QUOTE_INSIDE = (
    "to put a `'` inside a text, use a placeholder such as `:1` and pass the text in `$params`,"
    " writing the quote as `\\u0027`"
)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def as_shown(text: str, limit: int = 24) -> str:
    """User text fit for a message: short, every unprintable character escaped (no ANSI)."""
    if len(text) > limit:
        text = text[:limit] + "…"
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _upper_op(word: str) -> str:
    return word.upper() if word[:1].isalpha() else word


def _error(
    code: str, message: str, omap: OffsetMap, start: int, end: int, hint: str | None, url: str
) -> RestQuerySyntaxError:
    return RestQuerySyntaxError(
        code, message, omap.span(start, end), hint=hint, url=url, name=SYNTAX_CODES[code][0]
    )


def _kind(what: str) -> str:
    if what == "url":
        return "url"
    if what == "path segment":
        return "segment"
    name = what.removesuffix(" value")
    kind = value_kind(name) or ""
    return kind if kind in KINDS else "value"


def _where(what: str, text: str) -> str:
    if what == "url":
        return "the URL"
    if what == "path segment":
        return (
            f"the path segment `{as_shown(text, 40)}`"
            if text and len(text) <= 40
            else "the path segment"
        )
    return f"the {as_shown(what, 40)}"


def _generic(
    expected: set[str],
    kind: str,
    text: str,
    pos: int,
    end: int,
    found: str | None,
    omap: OffsetMap,
    where: str,
    url: str,
) -> RestQuerySyntaxError:
    description = describe(expected, kind, text, pos)
    if found is None:
        message = f"{where[0].upper()}{where[1:]} ends too early"
        message += f"; expected {description}." if description else "."
        hint = f"add {description} at the end" if description else None
    else:
        message = f"Unexpected `{as_shown(found)}` in {where}"
        message += f"; expected {description}." if description else "."
        hint = f"write {description} here" if description else f"remove `{as_shown(found)}`"
    return _error("RQ001", message, omap, pos, end, hint, url)


# ---------------------------------------------------------------------------------------------
# translate()
# ---------------------------------------------------------------------------------------------


def translate(
    exc: Exception, text: str, omap: OffsetMap, what: str, url: str
) -> RestQuerySyntaxError:
    """A located syntax error for ``exc``, raised while parsing ``text`` (``what`` names it).

    ``text`` is the (decoded) text the parser saw, ``omap`` maps its offsets to ``url``.
    """
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    kind = _kind(what)
    where = _where(what, text)
    found: str | None
    tok_type: str | None
    if isinstance(exc, UnexpectedCharacters):
        pos = min(int(exc.pos_in_stream or 0), len(text))
        end = min(pos + 1, len(text))
        found = text[pos:end] or None
        tok_type = None
        expected = set(exc.allowed or ())
    elif isinstance(exc, UnexpectedToken):
        tok = exc.token
        at_end = tok.type in END
        pos = len(text) if at_end else tok.start_pos
        end = pos if at_end else tok.end_pos
        found = None if at_end else str(tok.value)
        tok_type = None if at_end else tok.type
        expected = set(exc.expected or ())
    elif isinstance(exc, UnexpectedEOF):
        pos = end = len(text)
        found = tok_type = None
        expected = set(exc.expected or ())
    else:
        # not a parse error of the grammar (should not happen): never show its internals
        return _error(
            "RQ001", f"{where[0].upper()}{where[1:]} cannot be read.", omap, 0, len(text), None, url
        )

    args = (text, pos, end, found, tok_type, expected, omap, where, url)
    handler = {
        "url": _url_error,
        "segment": _segment_error,
        "filter": _filter_error,
        "json": _json_error,
    }.get(kind)
    error = _quote_error(kind, *args)
    if error is None and handler is not None:
        error = handler(*args)
    if error is None:
        error = _bracket_error(kind, *args)
    if error is None:
        error = _generic(expected, kind, text, pos, end, found, omap, where, url)
    return error


def _quote_error(
    kind: str,
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    expected: set[str],
    omap: OffsetMap,
    where: str,
    url: str,
) -> RestQuerySyntaxError | None:
    """RQ002: a quote where a quoted thing may start, and no closing quote after it."""
    if pos >= len(text) or text[pos] not in "\"'":
        return None
    q = text[pos]
    close = text.find(q, pos + 1)
    if kind == "url":
        cut = text.find("#", pos + 1)
        if cut >= 0 and (close < 0 or cut < close) and (
            expected & {"DQ_VALUE", "SQ_VALUE", "SEGMENT", "SLASH"}
        ):
            return _cut_by_fragment(text, pos, cut, expected, omap, url)
        if expected & {"DQ_VALUE", "SQ_VALUE"} and close < 0:
            name = _param_name_before(text, pos)
            value = f"the {name} value" if name else "the value"
            return _error(
                "RQ002",
                f"The `{q}` that opens {value} is never closed.",
                omap,
                pos,
                len(text),
                f"add a closing `{q}` at the end of {value}",
                url,
            )
        in_path = not expected & {"PNAME", "EQ", "AMPS", "DQ_VALUE"}
        if in_path and q == '"':
            stop = len(text)
            for sep in "/?":
                at = text.find(sep, pos)
                if at >= 0:
                    stop = min(stop, at)
            if close < 0 or close > stop:
                return _path_quote(text, pos, stop, omap, url)
        return None
    if close >= 0 and tok_type is not None:
        return None
    if kind == "segment":
        return _path_quote(text, pos, len(text), omap, url)
    quote_word = "`'`" if q == "'" else '`"`'
    if pos == 0 or not text[:pos].strip():
        message = f"The {quote_word} that opens {where} is never closed."
        hint = f"add a closing {quote_word} at the end of the value"
    elif kind == "filter" and q == "'":
        message = f"The {quote_word} that opens a text in {where} is never closed."
        hint = f"add the closing `'` after the text; {_QUOTE_INSIDE}"
    else:
        message = f"The {quote_word} opened here in {where} is never closed."
        hint = f"add the closing {quote_word}"
    return _error("RQ002", message, omap, pos, len(text), hint, url)


def _cut_by_fragment(
    text: str, pos: int, cut: int, expected: set[str], omap: OffsetMap, url: str
) -> RestQuerySyntaxError:
    """RQ002: a raw ``#`` inside a quoted value or key ends the URL there (RFC 3986 §3.5), so
    the quote is never closed: the ``#`` must be written ``%23``."""
    q = text[pos]
    name = None
    if expected & {"DQ_VALUE", "SQ_VALUE"}:
        name = _param_name_before(text, pos)
        what = f"the {name} value" if name else "the value"
        noun = "value"
    else:
        what, noun = "this quoted key", "key"
    hint = f"write a `#` that belongs to the {noun} as `%23`"
    if name is not None and value_kind(name) == "filter":
        hint += " (and `!=` for \"not equal\", the REST spelling of `#`)"
    return _error(
        "RQ002",
        f"The `#` here ends the URL (what follows it is a fragment, which is never sent), so"
        f" the `{q}` that opens {what} is never closed.",
        omap,
        pos,
        cut + 1,
        hint,
        url,
    )


def _path_quote(text: str, pos: int, stop: int, omap: OffsetMap, url: str) -> RestQuerySyntaxError:
    m = _before().name.search(text, 0, max(pos - 1, 0))
    name = m.group() if m else "Company"
    return _error(
        "RQ002",
        'The `"` that opens this quoted key is never closed.',
        omap,
        pos,
        stop,
        f'add the closing `"` after the key, as in `{name}("abc")`',
        url,
    )


def _param_name_before(text: str, pos: int) -> str | None:
    """The parameter name of a value starting at ``pos`` (``?$filter=`` -> ``$filter``)."""
    if pos == 0 or text[pos - 1] != "=":
        return None
    sep = max(text.rfind("&", 0, pos - 1), text.rfind("?", 0, pos - 1))
    name = text[sep + 1 : pos - 1]
    return as_shown(name) if name and "=" not in name else None


_STRAY = re.compile(r"[^\"'&/]+")


def _decoded_or_raw(text: str, start: int, end: int) -> str:
    try:
        return decode(text, start, end)[0]
    except RestQuerySyntaxError:
        return text[start:end]


def _url_error(
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    expected: set[str],
    omap: OffsetMap,
    where: str,
    url: str,
) -> RestQuerySyntaxError | None:
    ch = text[pos] if pos < len(text) else ""
    if "PNAME" in expected:
        if ch == "=":
            return _error(
                "RQ001",
                "A parameter has no name before this `=`.",
                omap,
                pos,
                pos + 1,
                "write the parameter name before `=`, as in `$top=10`",
                url,
            )
    if ch == "/" and "SEGMENT" in expected and pos > 0 and text[pos - 1] == "/":
        return _error(
            "RQ012",
            "The path has an empty segment: two `/` follow each other.",
            omap,
            pos - 1,
            pos + 1,
            "remove one of the `/`",
            url,
        )
    if "AMPS" in expected and ch and pos > 0 and text[pos - 1] in "\"'":
        q = text[pos - 1]
        opened = text.rfind(q, 0, pos - 1)
        name = _param_name_before(text, opened) if opened >= 0 else None
        value = f"the {name} value" if name else "the quoted value"
        # The stray text runs to the next delimiter, whatever token the lexer happened to
        # read there (it reads `x%41` and `xA` differently).
        stray = _STRAY.match(text, pos)
        if stray is not None:
            end = stray.end()
            found = _decoded_or_raw(text, pos, end)
        shown = as_shown(found or ch)
        if ch == q:
            hint = f"remove the extra `{q}`"
        elif q == '"' and _before().comparator.search(text, 0, pos - 1):
            hint = (
                "inside a double-quoted value write text in single quotes, as in"
                " `$filter=\"lastName='Smith'\"`"
            )
        else:
            hint = "put `&` before the next parameter, or move this text inside the quotes"
        return _error(
            "RQ001",
            f"Unexpected `{shown}` after the closing `{q}` of {value}; expected `&` or the end"
            " of the URL.",
            omap,
            pos,
            end,
            hint,
            url,
        )
    return None


def _segment_error(
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    expected: set[str],
    omap: OffsetMap,
    where: str,
    url: str,
) -> RestQuerySyntaxError | None:
    if expected & {"QUOTED_KEY", "BARE_KEY"} and tok_type in ("RPAR", "RSQB") and pos > 0:
        opener = text[pos - 1]
        if opener in "([":
            m = _before().name.search(text, 0, pos - 1)
            name = m.group() if m else "Company"
            closer = PAIRS[opener]
            return _error(
                "RQ006",
                f"The entity key between `{opener}` and `{closer}` is empty.",
                omap,
                pos - 1,
                end,
                f"write the key between the brackets, as in `{name}{opener}1{closer}`",
                url,
            )
    if found is not None and expected and expected <= END:
        return _error(
            "RQ001",
            f"Unexpected `{as_shown(found)}` after the end of {where}.",
            omap,
            pos,
            end,
            f"remove `{as_shown(found)}`, or start a new path segment with `/`",
            url,
        )
    return None


def _filter_error(
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    expected: set[str],
    omap: OffsetMap,
    where: str,
    url: str,
) -> RestQuerySyntaxError | None:
    before = text[:pos]
    wants_condition = "NAME" in expected and ("LPAR" in expected or "NOT" in expected)
    if wants_condition:
        # `a=1 AND`, `a=1 AND )`, `NOT`, `(a=1 OR )`
        trailing = _before().operator.search(before)
        if trailing is not None:
            word = trailing.group().strip()
            shown = _upper_op(word)
            return _error(
                "RQ008",
                f"The operator `{shown}` in {where} has no condition after it.",
                omap,
                trailing.start(),
                trailing.start() + len(word),
                f"write a condition after `{shown}` or remove it",
                url,
            )
        if tok_type in ("AND_OP", "OR_OP") and found:
            shown = _upper_op(found)
            return _error(
                "RQ008",
                f"The operator `{shown}` in {where} has no condition before it.",
                omap,
                pos,
                end,
                f"write a condition before `{shown}` or remove it",
                url,
            )
        if tok_type == "RPAR":
            open_at = unmatched_open(text, pos, "(", ")")
            if open_at is not None and not text[open_at + 1 : pos].strip():
                return _error(
                    "RQ001",
                    f"The parentheses in {where} hold no condition.",
                    omap,
                    open_at,
                    end,
                    "write a condition between the parentheses or remove them",
                    url,
                )
    if expected & lexicon().comparator_terminals:
        # after an attribute path: was the "attribute" an operator word? (`AND a=1`)
        m = _before().operator_as_name.search(before)
        if m is not None:
            word = m.group(1)
            shown = _upper_op(word)
            prior = before[: m.start()].rstrip()
            if _before().operator.search(prior):
                message = f"The operator `{shown}` in {where} follows another logical operator."
                hint = f"write a condition before `{shown}` or remove one of the operators"
            else:
                message = f"The operator `{shown}` in {where} has no condition before it."
                hint = f"write a condition before `{shown}` or remove it"
            return _error("RQ008", message, omap, m.start(1), m.end(1), hint, url)
    if expected & {"BARE", "SQ_TEXT"}:
        cmp = _before().comparator.search(before)
        op = cmp.group(1) if cmp else "the comparator"
        op_start, op_end = (cmp.start(1), cmp.end(1)) if cmp else (pos, end)
        if tok_type == "LPAR":
            return _error(
                "RQ001",
                f"Unexpected `(` after `{op}` in {where}; expected {VALUE}.",
                omap,
                pos,
                end,
                "remove the parentheses around the value",
                url,
            )
        if tok_type == "DQ_STRING" and found and "'" not in found:
            return _error(
                "RQ001",
                f"The text `{as_shown(found)}` in {where} is in double quotes; a filter puts text"
                " in single quotes.",
                omap,
                pos,
                end,
                f"write `'{as_shown(found[1:-1])}'` instead",
                url,
            )
        if found is None or tok_type in ("RPAR", "AND_OP", "OR_OP", "RSQB"):
            return _missing_value(op, op_start, op_end, omap, url)
    if expected & {"AND_OP", "OR_OP"} and found is not None:
        # a complete condition was read; `a= AND b=1` reads `AND` as the value
        as_value = _before().operator_as_value.search(before)
        if as_value is not None:
            return _missing_value(as_value.group(1), as_value.start(1), as_value.end(1), omap, url)
        if tok_type not in ("RPAR", "RSQB"):
            description = describe(expected, "filter", text, pos)
            if tok_type == "NAME":
                # Show the whole bare run a second condition starts with (`lastName=Jones`).
                run = lexicon().pattern("query.BARE").match(text, pos)
                if run is not None and run.end() > end:
                    end = run.end()
                    found = text[pos:end]
            if tok_type == "NOT":
                hint = "to negate a condition, join it with `AND NOT`, as in `a=1 AND NOT b=2`"
            elif tok_type == "SQ_TEXT" and before.endswith("'"):
                hint = f"a doubled `''` does not put a quote inside a text; {_QUOTE_INSIDE}"
            else:
                hint = (
                    "join two conditions with `AND`, `OR` or `EXCEPT`; put text that holds"
                    " spaces in single quotes, as in `'John Smith'`"
                )
            return _error(
                "RQ001",
                f"Unexpected `{as_shown(found)}` after a complete condition in {where};"
                f" expected {description}.",
                omap,
                pos,
                end,
                hint,
                url,
            )
    return None


def _missing_value(
    op: str, start: int, end: int, omap: OffsetMap, url: str
) -> RestQuerySyntaxError:
    shown = op.upper() if op[:1].isalpha() else op
    shown = " ".join(shown.split())
    return _error(
        "RQ004",
        f"The comparison has no value after `{shown}`.",
        omap,
        start,
        end,
        f"write a value after `{shown}`, such as `'Smith'`, `42` or `:1`",
        url,
    )


def _json_error(
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    expected: set[str],
    omap: OffsetMap,
    where: str,
    url: str,
) -> RestQuerySyntaxError | None:
    if found is not None and tok_type in ("RBRACE", "RSQB") and pos > 0:
        prior = text[:pos].rstrip()
        if prior.endswith(","):
            at = len(prior) - 1
            return _error(
                "RQ001",
                f"A `,` in {where} is followed by no value.",
                omap,
                at,
                at + 1,
                "remove the final `,` (JSON allows no trailing comma)",
                url,
            )
    return None


def _bracket_error(
    kind: str,
    text: str,
    pos: int,
    end: int,
    found: str | None,
    tok_type: str | None,
    expected: set[str],
    omap: OffsetMap,
    where: str,
    url: str,
) -> RestQuerySyntaxError | None:
    """RQ003: an opener never closed, or a closer that closes nothing."""
    at_end = found is None
    names = {"$END" if n in END else n for n in expected}
    for opener in "([{":
        closer = PAIRS[opener]
        if closer == "}" and kind != "json":
            continue
        open_at = unmatched_open(text, pos, opener, closer)
        if open_at is None:
            continue
        closer_name = {"(": "RPAR", "[": "RSQB", "{": "RBRACE"}[opener]
        # at the end of the text, or where the open group could only go on or close
        unclosed = (
            at_end and (closer_name in names or (opener != "(" and kind in ("filter", "json")))
        ) or (
            closer_name in names
            and tok_type in ("AND_OP", "OR_OP", "RPAR", "RSQB", "RBRACE")
            and tok_type != closer_name
        )
        if unclosed:
            return _error(
                "RQ003",
                f"This `{opener}` in {where} is never closed.",
                omap,
                open_at,
                open_at + 1,
                f"add the matching `{closer}`",
                url,
            )
    if tok_type in ("RPAR", "RSQB", "RBRACE") and tok_type not in names and found:
        opener = CLOSERS[tok_type]
        if unmatched_open(text, pos, opener, found) is None:
            return _error(
                "RQ003",
                f"This `{found}` in {where} closes nothing.",
                omap,
                pos,
                end,
                f"remove the `{found}` or add the matching `{opener}` before it",
                url,
            )
    if tok_type is None and found in (")", "]", "}"):
        opener = {")": "(", "]": "[", "}": "{"}[found]
        return _error(
            "RQ003",
            f"This `{found}` in {where} closes nothing.",
            omap,
            pos,
            end,
            f"remove the `{found}` or add the matching `{opener}` before it",
            url,
        )
    return None
